//! Translating validation failures into [`ConfigFieldError`]s: the JSON Schema
//! validator's errors, serde's, and a config given to a plugin that takes none. Each
//! gets a dotted field path, a message that never repeats the input value, and a kind.

use std::sync::Arc;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use super::schema::schema_at;
use crate::{AnyConfig, ConfigErrorKind, ConfigFieldError, PluginError, PluginId};

/// The errors of a config given to a plugin that takes none: only `null` and `{}`
/// are accepted.
pub(super) fn check_no_config(id: &PluginId, config: &Value) -> Result<(), PluginError> {
    let name = &id.name;
    let errors: Vec<ConfigFieldError> = match config {
        Value::Null => Vec::new(),
        Value::Object(map) => map
            .keys()
            .map(|k| ConfigFieldError {
                field: k.clone(),
                message: format!("unknown field: plugin '{name}' takes no configuration"),
                kind: ConfigErrorKind::UnknownField,
            })
            .collect(),
        other => vec![ConfigFieldError {
            field: String::new(),
            message: format!(
                "expected null or {{}}, got {}: plugin '{name}' takes no configuration",
                json_type(other)
            ),
            kind: ConfigErrorKind::Type,
        }],
    };
    if errors.is_empty() {
        Ok(())
    } else {
        Err(PluginError::Configuration {
            id: id.clone(),
            errors,
        })
    }
}

/// Every problem the validator found in `config`, in document order.
pub(super) fn schema_errors(
    schema: &Value,
    validator: &jsonschema::Validator,
    config: &Value,
) -> Vec<ConfigFieldError> {
    let mut errors = Vec::new();
    for error in validator.iter_errors(config) {
        map_error(schema, &error, &mut errors);
    }
    errors
}

/// Deserializes a config that passed its schema, keeping the path of a failure and
/// removing quoted input values from serde's message.
///
/// Plain serde first: tracking the path costs several times the deserialization
/// itself (a `String` per key), and after the schema has passed serde rarely fails.
/// Only then is the value read again with the path tracked.
pub(crate) fn deserialize_typed<T: crate::PluginConfig>(
    value: &Value,
) -> Result<AnyConfig, ConfigFieldError> {
    if let Ok(typed) = <T as serde::Deserialize>::deserialize(value) {
        return Ok(Arc::new(typed));
    }
    match serde_path_to_error::deserialize::<_, T>(value) {
        Ok(typed) => Ok(Arc::new(typed)),
        Err(e) => Err(ConfigFieldError {
            field: dotted_serde_path(e.path()),
            message: strip_quoted(&e.inner().to_string()),
            kind: ConfigErrorKind::Type,
        }),
    }
}

/// serde's path as the registry's dotted one: `attach.0.path`, not `attach[0].path`.
fn dotted_serde_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        let part = match segment {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Enum { variant } => variant.clone(),
            Segment::Unknown => "?".to_owned(),
        };
        if !out.is_empty() {
            out.push('.');
        }
        out.push_str(&part);
    }
    out
}

/// Removes backtick-quoted parts of a message: serde quotes input values there.
fn strip_quoted(message: &str) -> String {
    let mut out = String::with_capacity(message.len());
    let mut inside = false;
    for ch in message.chars() {
        if ch == '`' {
            inside = !inside;
            continue;
        }
        if !inside {
            out.push(ch);
        }
    }
    out.split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" ,", ",")
}

fn json_type(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_i64() || n.is_u64() => "integer",
        Value::Number(_) => "number",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

fn map_error(
    schema: &Value,
    error: &jsonschema::ValidationError<'_>,
    out: &mut Vec<ConfigFieldError>,
) {
    let segments = || {
        error.instance_path().segments().map(|s| match s {
            LocationSegment::Property(p) => p.into_owned(),
            LocationSegment::Index(i) => i.to_string(),
        })
    };
    let mut path = String::new();
    for segment in segments() {
        if !path.is_empty() {
            path.push('.');
        }
        path.push_str(&segment);
    }
    let mut push = |field: String, kind: ConfigErrorKind, message: String| {
        out.push(ConfigFieldError {
            field,
            message,
            kind,
        })
    };
    match error.kind() {
        ValidationErrorKind::Required { property } => {
            let field = property
                .as_str()
                .map(str::to_owned)
                .unwrap_or_else(|| property.to_string());
            push(
                join(&path, &field),
                ConfigErrorKind::Missing,
                "field required".to_owned(),
            );
        }
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let segments: Vec<String> = segments().collect();
            let allowed: Vec<&str> = schema_at(schema, schema, &segments)
                .and_then(|n| n.get("properties"))
                .and_then(Value::as_object)
                .map(|p| p.keys().map(String::as_str).collect())
                .unwrap_or_default();
            for field in unexpected {
                let hint = floe_registry_rules::closest(field, allowed.iter().copied());
                let message = match hint.first() {
                    Some(best) => format!("unknown field (did you mean `{best}`?)"),
                    None if allowed.is_empty() => {
                        "unknown field: no fields are allowed here".to_owned()
                    }
                    None => format!("unknown field; expected one of: {}", allowed.join(", ")),
                };
                push(join(&path, field), ConfigErrorKind::UnknownField, message);
            }
        }
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            let got = json_type(error.instance());
            push(
                path,
                ConfigErrorKind::Type,
                format!("expected {expected}, got {got}"),
            );
        }
        ValidationErrorKind::Minimum { limit } => {
            push(path, ConfigErrorKind::Range, format!("must be >= {limit}"))
        }
        ValidationErrorKind::Maximum { limit } => {
            push(path, ConfigErrorKind::Range, format!("must be <= {limit}"))
        }
        ValidationErrorKind::ExclusiveMinimum { limit } => {
            push(path, ConfigErrorKind::Range, format!("must be > {limit}"))
        }
        ValidationErrorKind::ExclusiveMaximum { limit } => {
            push(path, ConfigErrorKind::Range, format!("must be < {limit}"))
        }
        ValidationErrorKind::MultipleOf { .. } => push(
            path,
            ConfigErrorKind::Range,
            "must be a multiple of the allowed step".to_owned(),
        ),
        ValidationErrorKind::MinLength { limit } => push(
            path,
            ConfigErrorKind::Length,
            format!("must have at least {limit} character{}", plural(*limit)),
        ),
        ValidationErrorKind::MaxLength { limit } => push(
            path,
            ConfigErrorKind::Length,
            format!("must have at most {limit} character{}", plural(*limit)),
        ),
        ValidationErrorKind::MinItems { limit } => push(
            path,
            ConfigErrorKind::Length,
            format!("must have at least {limit} item{}", plural(*limit)),
        ),
        ValidationErrorKind::MaxItems { limit } => push(
            path,
            ConfigErrorKind::Length,
            format!("must have at most {limit} item{}", plural(*limit)),
        ),
        ValidationErrorKind::MinProperties { limit } => push(
            path,
            ConfigErrorKind::Length,
            format!(
                "must have at least {limit} entr{}",
                if *limit == 1 { "y" } else { "ies" }
            ),
        ),
        ValidationErrorKind::MaxProperties { limit } => push(
            path,
            ConfigErrorKind::Length,
            format!(
                "must have at most {limit} entr{}",
                if *limit == 1 { "y" } else { "ies" }
            ),
        ),
        ValidationErrorKind::UniqueItems => push(
            path,
            ConfigErrorKind::Invalid,
            "items must be unique".to_owned(),
        ),
        ValidationErrorKind::Pattern { pattern } => push(
            path,
            ConfigErrorKind::Pattern,
            format!("must match the pattern `{pattern}`"),
        ),
        ValidationErrorKind::Format { format } => push(
            path,
            ConfigErrorKind::Format,
            format!("must be a valid {format}"),
        ),
        ValidationErrorKind::Enum { options } => push(
            path,
            ConfigErrorKind::Enum,
            format!("must be one of: {}", list_options(options)),
        ),
        ValidationErrorKind::Constant { expected_value } => push(
            path,
            ConfigErrorKind::Enum,
            format!("must be {expected_value}"),
        ),
        ValidationErrorKind::AnyOf { .. } | ValidationErrorKind::OneOfNotValid { .. } => push(
            path,
            ConfigErrorKind::Type,
            "does not match any of the allowed forms".to_owned(),
        ),
        ValidationErrorKind::OneOfMultipleValid { .. } => push(
            path,
            ConfigErrorKind::Invalid,
            "matches more than one of the allowed forms".to_owned(),
        ),
        ValidationErrorKind::FalseSchema => push(
            path,
            ConfigErrorKind::UnknownField,
            "no value is allowed here".to_owned(),
        ),
        ValidationErrorKind::Not { .. } => push(
            path,
            ConfigErrorKind::Invalid,
            "this value is not allowed here".to_owned(),
        ),
        ValidationErrorKind::PropertyNames { error } => {
            // A key outside what the map allows: named at its own path.
            let key = error.instance().as_str().unwrap_or_default();
            let message = match error.kind() {
                ValidationErrorKind::Enum { options } => {
                    format!("key not allowed; must be one of: {}", list_options(options))
                }
                ValidationErrorKind::Pattern { pattern } => {
                    format!("key not allowed; must match the pattern `{pattern}`")
                }
                _ => "key not allowed here".to_owned(),
            };
            push(join(&path, key), ConfigErrorKind::UnknownField, message)
        }
        ValidationErrorKind::Custom { message, .. } => {
            push(path, ConfigErrorKind::CrossField, message.clone())
        }
        _ => push(
            path,
            ConfigErrorKind::Invalid,
            "fails a rule of the config schema".to_owned(),
        ),
    }
}

fn plural(n: u64) -> &'static str {
    if n == 1 { "" } else { "s" }
}

fn list_options(options: &Value) -> String {
    match options.as_array() {
        Some(items) => items
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", "),
        None => options.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_are_removed() {
        assert_eq!(
            strip_quoted("invalid type: floating point `4.5`, expected u32"),
            "invalid type: floating point, expected u32"
        );
    }
}
