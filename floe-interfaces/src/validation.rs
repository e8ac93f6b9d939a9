//! How a model reports that it breaks its rules: every problem, each with its field.

use std::fmt;

use serde::de::DeserializeOwned;

/// One broken rule: where (`rules.0.verbs`, empty for the whole model) and floe's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The dotted path of the field, empty when the rule is about the whole model.
    pub path: String,
    /// What is wrong, in floe's words.
    pub message: String,
}

impl FieldError {
    /// A problem of the field at `path`.
    pub fn new(path: impl Into<String>, message: impl Into<String>) -> Self {
        FieldError {
            path: path.into(),
            message: message.into(),
        }
    }
}

/// Every rule a model breaks, in field order.
///
/// ```
/// use floe_interfaces::{FieldError, ModelErrors};
/// let errors = ModelErrors::from(vec![FieldError::new("name", "must not be empty")]);
/// assert_eq!(errors.to_string(), "name: must not be empty");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{}", render(.0))]
pub struct ModelErrors(pub Vec<FieldError>);

fn render(errors: &[FieldError]) -> String {
    errors
        .iter()
        .map(|e| match e.path.as_str() {
            "" => e.message.clone(),
            path => format!("{path}: {}", e.message),
        })
        .collect::<Vec<_>>()
        .join("; ")
}

impl From<Vec<FieldError>> for ModelErrors {
    fn from(errors: Vec<FieldError>) -> Self {
        ModelErrors(errors)
    }
}

impl ModelErrors {
    /// The messages alone, in order.
    pub fn messages(&self) -> Vec<&str> {
        self.0.iter().map(|e| e.message.as_str()).collect()
    }
}

/// A model with rules beyond its shape.
pub trait Validate {
    /// Adds every broken rule to `errors`, with paths under `path` (`""` at the top).
    fn check(&self, path: &str, errors: &mut Vec<FieldError>);

    /// `Ok` when every rule holds, else all the problems.
    fn validate(&self) -> Result<(), ModelErrors> {
        let mut errors = Vec::new();
        self.check("", &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(ModelErrors(errors))
        }
    }
}

/// Reads a model from JSON (unknown fields are refused) and validates it, reporting
/// every problem with its path, as floe (pydantic) does: this is
/// [`read_model`](crate::read_model), for a value owned.
///
/// ```
/// use floe_interfaces::{from_value, network::{EgressRule, PortRule}};
/// let err = from_value::<PortRule>(serde_json::json!({"port": 0})).unwrap_err();
/// assert_eq!(err.to_string(), "port: Input should be greater than or equal to 1");
///
/// // A wrong type does not hide the other problems.
/// let err = from_value::<EgressRule>(serde_json::json!({"to_namespace": 5, "ports": [[80]]}))
///     .unwrap_err();
/// let paths: Vec<&str> = err.0.iter().map(|e| e.path.as_str()).collect();
/// assert_eq!(paths, ["ports.0", "to_namespace", "ports"]);
/// assert_eq!(err.0[0].message, "Input should be a valid dictionary or instance of PortRule");
/// ```
pub fn from_value<T: DeserializeOwned + Validate>(
    value: serde_json::Value,
) -> Result<T, ModelErrors> {
    crate::read_model(&value)
}

/// `a.b`, or `b` at the top.
pub(crate) fn join(path: &str, field: &str) -> String {
    if path.is_empty() {
        field.to_owned()
    } else {
        format!("{path}.{field}")
    }
}

/// Adds a range problem when `value` is outside `min..=max`.
pub(crate) fn range<T: PartialOrd + fmt::Display>(
    errors: &mut Vec<FieldError>,
    path: &str,
    field: &str,
    value: T,
    min: T,
    max: T,
) {
    if !(value >= min && value <= max) {
        errors.push(FieldError::new(
            join(path, field),
            format!("must be between {min} and {max}, got {value}"),
        ));
    }
}

/// Adds a problem when `value` is empty.
pub(crate) fn non_empty(errors: &mut Vec<FieldError>, path: &str, field: &str, value: &str) {
    if value.is_empty() {
        errors.push(FieldError::new(join(path, field), "must not be empty"));
    }
}

/// Whether `value` matches the whole-string `pattern` (written with `^...$`).
pub(crate) fn matches(pattern: &str, value: &str) -> bool {
    regex::Regex::new(pattern).is_ok_and(|re| re.is_match(value))
}

/// Adds pydantic's pattern problem when `value` does not match `pattern`.
pub(crate) fn pattern(
    errors: &mut Vec<FieldError>,
    path: &str,
    field: &str,
    value: &str,
    pattern: &str,
) {
    if !matches(pattern, value) {
        errors.push(FieldError::new(
            join(path, field),
            format!("String should match pattern '{pattern}'"),
        ));
    }
}

/// A DNS label: `^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$`.
pub(crate) const DNS_LABEL: &str = "^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$";

/// Adds a problem when `value` is below `min`.
pub(crate) fn at_least(
    errors: &mut Vec<FieldError>,
    path: &str,
    field: &str,
    value: u32,
    min: u32,
) {
    if value < min {
        errors.push(FieldError::new(
            join(path, field),
            format!("must be at least {min}, got {value}"),
        ));
    }
}
