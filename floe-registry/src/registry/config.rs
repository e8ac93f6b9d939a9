//! Validating, storing and handing out plugin configuration.

use std::any::Any;
use std::sync::Arc;

use jsonschema::error::{TypeKind, ValidationErrorKind};
use jsonschema::paths::LocationSegment;
use serde_json::Value;

use super::PluginRegistry;
use super::entry::{Entry, lock};
use super::guard;
use crate::{
    AnyConfig, ConfigErrorKind, ConfigFieldError, ConfigSpec, PluginDescriptor, PluginError,
    PluginInstance, PluginType,
};

/// Hands a stored config to a loaded plugin; its panic becomes an error.
pub(super) fn push(
    desc: &PluginDescriptor,
    instance: &PluginInstance,
    config: &AnyConfig,
) -> Result<(), PluginError> {
    guard::catch(|| instance.metadata().accept_config(config)).map_err(|message| {
        PluginError::failed(format!(
            "accept_config() of plugin '{}' panicked: {message}",
            desc.name
        ))
    })?
}

impl PluginRegistry {
    /// The JSON Schema (draft 2020-12) of the plugin's config, or `None` when the plugin
    /// takes no configuration. Loads nothing.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct Conf {
    ///     #[schemars(range(min = 1, max = 64))]
    ///     threads: u8,
    /// }
    /// #[floe_plugin(type = Compute, name = "schema-doc", version = "1.0.0", config = Conf)]
    /// #[derive(Default)]
    /// struct P;
    /// impl ComputePlugin for P {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let schema = registry.config_schema(PluginType::Compute, "schema-doc")?.unwrap();
    /// assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    /// assert_eq!(schema["properties"]["threads"]["maximum"], 64);
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn config_schema(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<Option<Value>, PluginError> {
        let (_, entry) = self.entry(plugin_type, name)?;
        Ok(entry
            .desc
            .config
            .map(|spec| schema_of(entry, &spec).clone()))
    }

    /// Validates `config` against the plugin's config type and stores the typed value;
    /// a loaded plugin receives it at once, a later-loaded one when it loads.
    ///
    /// Every problem is reported at once in [`PluginError::Configuration`], each with a
    /// dotted field path, a message and a kind. Messages never repeat input values, so
    /// secrets cannot leak through them. `null` counts as `{}` (defaults apply). A
    /// plugin without a config type accepts only `null` or `{}`.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use floe_registry::ConfigErrorKind;
    /// use serde_json::json;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// #[serde(deny_unknown_fields)]
    /// struct Conf {
    ///     #[schemars(range(min = 1))]
    ///     threads: u32,
    ///     path: String,
    /// }
    /// #[floe_plugin(type = Compute, name = "configure-doc", version = "1.0.0", config = Conf)]
    /// #[derive(Default)]
    /// struct P;
    /// impl ComputePlugin for P {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let err = registry.configure(PluginType::Compute, "configure-doc", json!({"threads": 0, "colour": "red"}))
    ///     .unwrap_err();
    /// let PluginError::Configuration { errors, .. } = err else { panic!() };
    /// let found: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.kind)).collect();
    /// assert!(found.contains(&("threads", ConfigErrorKind::Range)));
    /// assert!(found.contains(&("path", ConfigErrorKind::Missing)));
    /// assert!(found.contains(&("colour", ConfigErrorKind::UnknownField)));
    ///
    /// registry.configure(PluginType::Compute, "configure-doc", json!({"threads": 4, "path": ":memory:"}))?;
    /// assert_eq!(registry.config::<Conf>(PluginType::Compute, "configure-doc")?.unwrap().threads, 4);
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn configure(
        &self,
        plugin_type: PluginType,
        name: &str,
        config: Value,
    ) -> Result<(), PluginError> {
        let (_, entry) = self.entry(plugin_type, name)?;
        let desc = entry.desc;
        let typed = match desc.config {
            Some(spec) => validate(entry, &spec, config)?,
            None => {
                check_no_config(desc.name, &config)?;
                tracing::debug!(plugin_type = %plugin_type, name, "plugin_configured_without_schema");
                return Ok(());
            }
        };
        let _init = lock(&entry.state().init);
        if let Some(instance) = entry.instance() {
            push(desc, instance, &typed)?;
        }
        if let Ok(mut slot) = entry.configuration().config.write() {
            *slot = Some(typed);
        }
        tracing::info!(plugin_type = %plugin_type, name, "plugin_configured");
        Ok(())
    }

    /// Validates `config` like [`configure`](Self::configure) but stores nothing: for
    /// checking a manifest before deploying it.
    pub fn validate_config(
        &self,
        plugin_type: PluginType,
        name: &str,
        config: Value,
    ) -> Result<(), PluginError> {
        let (_, entry) = self.entry(plugin_type, name)?;
        match entry.desc.config {
            Some(spec) => validate(entry, &spec, config).map(drop),
            None => check_no_config(entry.desc.name, &config),
        }
    }

    /// The stored config of a plugin, typed: `None` before `configure`. Fails when `T`
    /// is not the plugin's config type.
    pub fn config<T: Any + Send + Sync>(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<Option<Arc<T>>, PluginError> {
        let (_, entry) = self.entry(plugin_type, name)?;
        match entry.current_config() {
            None => Ok(None),
            Some(any) => any.downcast::<T>().map(Some).map_err(|_| {
                PluginError::failed(format!(
                    "the config of plugin '{name}' is a `{}`, not a `{}`",
                    entry.desc.config.map(|s| (s.type_name)()).unwrap_or("()"),
                    std::any::type_name::<T>()
                ))
            }),
        }
    }
}

fn check_no_config(name: &str, config: &Value) -> Result<(), PluginError> {
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
            name: name.to_owned(),
            errors,
        })
    }
}

fn validate(entry: &Entry, spec: &ConfigSpec, config: Value) -> Result<AnyConfig, PluginError> {
    let name = entry.desc.name;
    let config = if config.is_null() {
        Value::Object(Default::default())
    } else {
        config
    };
    let configuration = entry.configuration();
    let schema = schema_of(entry, spec);
    let validator = configuration
        .validator
        .get_or_init(|| {
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(schema)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|e| {
            PluginError::failed(format!(
                "the config schema of plugin '{name}' does not compile: {e}"
            ))
        })?;
    if !validator.is_valid(&config) {
        let mut errors: Vec<ConfigFieldError> = Vec::new();
        for error in validator.iter_errors(&config) {
            map_error(schema, &error, &mut errors);
        }
        return Err(PluginError::Configuration {
            name: name.to_owned(),
            errors,
        });
    }
    // The schema passed; serde has the last word (a `4.0` for a `u32`, a custom
    // Deserialize).
    (spec.deserialize)(config).map_err(|e| PluginError::Configuration {
        name: name.to_owned(),
        errors: vec![e],
    })
}

/// The plugin's config schema, derived once and cached in its entry.
fn schema_of<'e>(entry: &'e Entry, spec: &ConfigSpec) -> &'e Value {
    entry.configuration().schema.get_or_init(|| (spec.schema)())
}

/// Deserializes a config that passed its schema, keeping the path of a failure and
/// removing quoted input values from serde's message.
///
/// Plain serde first: tracking the path costs several times the deserialization
/// itself (a `String` per key), and after the schema has passed serde rarely fails.
/// Only then is the value read again with the path tracked.
pub(crate) fn deserialize_typed<T: crate::PluginConfig>(
    value: Value,
) -> Result<AnyConfig, ConfigFieldError> {
    if let Ok(typed) = <T as serde::Deserialize>::deserialize(&value) {
        return Ok(Arc::new(typed));
    }
    match serde_path_to_error::deserialize::<_, T>(&value) {
        Ok(typed) => Ok(Arc::new(typed)),
        Err(e) => Err(ConfigFieldError {
            field: dotted_serde_path(e.path()),
            message: strip_quoted(&e.inner().to_string()),
            kind: ConfigErrorKind::Type,
        }),
    }
}

fn dotted_serde_path(path: &serde_path_to_error::Path) -> String {
    let s = path.to_string();
    if s == "." { String::new() } else { s }
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

/// The schema node that describes `instance_path`, following `$ref`s, to name the
/// allowed fields of an object.
fn schema_at<'a>(root: &'a Value, mut node: &'a Value, segments: &[String]) -> Option<&'a Value> {
    let deref = |mut n: &'a Value| {
        for _ in 0..32 {
            match n
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/"))
            {
                Some(pointer) => n = root.pointer(&format!("/{pointer}"))?,
                None => return Some(n),
            }
        }
        None
    };
    node = deref(node)?;
    for seg in segments {
        let next = node
            .get("properties")
            .and_then(|p| p.get(seg))
            .or_else(|| node.get("items"))
            .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()))?;
        node = deref(next)?;
    }
    Some(node)
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
