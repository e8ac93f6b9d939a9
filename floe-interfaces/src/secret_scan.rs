//! Secret scanning: what a scanner reports and the custom patterns it accepts.
//!
//! ```
//! use floe_interfaces::Validate;
//! use floe_interfaces::secret_scan::SecretFinding;
//! let f = SecretFinding::new("config.py", 3, "aws_access_key", "E601", "KEY = 'AKIA...'");
//! assert!(f.validate().is_ok());
//! ```

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Validate, join, pattern};

/// How a finding is treated.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SecretSeverity {
    /// Fails the check (the default).
    #[default]
    Error,
    /// Reported only (when secrets are allowed).
    Warning,
}

/// How sure the scanner is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    /// Sure (the default).
    #[default]
    High,
    /// Likely.
    Medium,
    /// Possible.
    Low,
}

/// A secret found in a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretFinding {
    /// The file, relative to the scanned directory.
    pub file_path: String,
    /// The line, from 1.
    pub line_number: u32,
    /// The pattern that matched.
    pub pattern_name: String,
    /// `E601` to `E699`.
    pub error_code: String,
    /// The whole stripped line.
    pub matched_content: String,
    /// How it is treated.
    #[serde(default)]
    pub severity: SecretSeverity,
    /// Surrounding text.
    #[serde(default)]
    pub match_context: String,
    /// How sure the scanner is.
    #[serde(default)]
    pub confidence: Confidence,
    /// Whether secrets were allowed for this scan.
    #[serde(default)]
    pub allow_secrets: bool,
}

impl SecretFinding {
    /// A finding with the required fields and the rest at their defaults.
    pub fn new(
        file_path: impl Into<String>,
        line_number: u32,
        pattern_name: impl Into<String>,
        error_code: impl Into<String>,
        matched_content: impl Into<String>,
    ) -> Self {
        SecretFinding {
            file_path: file_path.into(),
            line_number,
            pattern_name: pattern_name.into(),
            error_code: error_code.into(),
            matched_content: matched_content.into(),
            severity: SecretSeverity::Error,
            match_context: String::new(),
            confidence: Confidence::High,
            allow_secrets: false,
        }
    }
}

/// floe's rule of a custom pattern's error code, `^E6\d{2}$` (as pydantic reads it:
/// `\d` is any Unicode decimal digit, `$` the end of the text). floe's docs say E601
/// to E699; its rule, followed here, also lets E600 through.
const ERROR_CODE: &str = r"^E6\d{2}$";

impl Validate for SecretFinding {
    /// floe's one rule: the line is at least 1 (any error code is accepted, as floe
    /// accepts it).
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        if self.line_number < 1 {
            errors.push(FieldError::new(
                join(path, "line_number"),
                "Input should be greater than or equal to 1",
            ));
        }
    }
}

/// A custom secret pattern.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SecretPattern {
    /// Its name.
    pub name: String,
    /// The regular expression.
    pub regex: String,
    /// What it finds.
    #[serde(default)]
    pub description: String,
    /// `E6` and two digits.
    pub error_code: String,
}

impl Validate for SecretPattern {
    /// floe's rule of the error code; beyond floe, which compiles the regex only at the
    /// first scan (and fails there), the regex is checked here, in Rust's syntax.
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        if let Err(e) = regex::Regex::new(&self.regex) {
            errors.push(FieldError::new(
                join(path, "regex"),
                format!("Invalid regex: {e}"),
            ));
        }
        pattern(errors, path, "error_code", &self.error_code, ERROR_CODE);
    }
}
