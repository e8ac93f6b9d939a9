//! Checks, suites and their results.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use crate::validation::{FieldError, Validate, join, non_empty, range};

/// A quality dimension a check measures.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum Dimension {
    /// Values are present.
    Completeness,
    /// Values are right.
    Accuracy,
    /// Values follow the rules.
    Validity,
    /// Values agree with each other.
    Consistency,
    /// Values are fresh.
    Timeliness,
}

impl Dimension {
    /// All five, in floe's order.
    pub const ALL: [Dimension; 5] = [
        Dimension::Completeness,
        Dimension::Accuracy,
        Dimension::Validity,
        Dimension::Consistency,
        Dimension::Timeliness,
    ];
}

/// How much a failing check matters.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum SeverityLevel {
    /// Blocks.
    Critical,
    /// Worth fixing (the default).
    #[default]
    Warning,
    /// For the record.
    Info,
}

impl SeverityLevel {
    /// The lower-case name, the key of `severity_weights`.
    pub const fn as_str(self) -> &'static str {
        match self {
            SeverityLevel::Critical => "critical",
            SeverityLevel::Warning => "warning",
            SeverityLevel::Info => "info",
        }
    }
}

fn yes() -> bool {
    true
}

/// One check to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityCheck {
    /// Its name (at least one character).
    pub name: String,
    /// Its kind (`not_null`, `unique`, ...; at least one character).
    #[serde(rename = "type")]
    pub check_type: String,
    /// The column it checks, if any.
    #[serde(default)]
    pub column: Option<String>,
    /// What it measures.
    pub dimension: Dimension,
    /// How much a failure matters.
    #[serde(default)]
    pub severity: SeverityLevel,
    /// A weight of its own, 0.1 to 10.0.
    #[serde(default)]
    pub custom_weight: Option<f64>,
    /// Its parameters.
    #[serde(default)]
    pub parameters: Map<String, Value>,
    /// Whether it runs.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl Validate for QualityCheck {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        non_empty(errors, path, "name", &self.name);
        non_empty(errors, path, "type", &self.check_type);
        if let Some(w) = self.custom_weight {
            range(errors, path, "custom_weight", w, 0.1, 10.0);
        }
    }
}

/// The outcome of one check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityCheckResult {
    /// The check's name.
    pub check_name: String,
    /// Whether it passed.
    pub passed: bool,
    /// What it measured.
    pub dimension: Dimension,
    /// How much a failure matters.
    pub severity: SeverityLevel,
    /// Rows looked at.
    #[serde(default)]
    pub records_checked: u64,
    /// Rows that failed.
    #[serde(default)]
    pub records_failed: u64,
    /// How long it took (ms, at least 0).
    #[serde(default)]
    pub execution_time_ms: f64,
    /// Tool-specific details.
    #[serde(default)]
    pub details: Map<String, Value>,
    /// Why it failed, if it did.
    #[serde(default)]
    pub error_message: Option<String>,
}

impl QualityCheckResult {
    /// A result with the four required fields and the rest at their defaults.
    pub fn new(
        check_name: impl Into<String>,
        passed: bool,
        dimension: Dimension,
        severity: SeverityLevel,
    ) -> Self {
        QualityCheckResult {
            check_name: check_name.into(),
            passed,
            dimension,
            severity,
            records_checked: 0,
            records_failed: 0,
            execution_time_ms: 0.0,
            details: Map::new(),
            error_message: None,
        }
    }
}

impl Validate for QualityCheckResult {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        if self.execution_time_ms < 0.0 || self.execution_time_ms.is_nan() {
            errors.push(FieldError::new(
                join(path, "execution_time_ms"),
                format!("must be at least 0, got {}", self.execution_time_ms),
            ));
        }
    }
}

/// The outcome of a suite.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualitySuiteResult {
    /// The suite's name.
    pub suite_name: String,
    /// The model it checked.
    pub model_name: String,
    /// Whether every check passed.
    pub passed: bool,
    /// Each check's outcome.
    pub checks: Vec<QualityCheckResult>,
    /// How long it took (ms).
    #[serde(default)]
    pub execution_time_ms: f64,
    /// Counts and tool details.
    #[serde(default)]
    pub summary: Map<String, Value>,
    /// When it ran (RFC 3339), stamped by the caller: the models hold no clock.
    #[serde(default)]
    pub timestamp: Option<String>,
}

impl QualitySuiteResult {
    /// A result with the required fields and the rest at their defaults.
    pub fn new(
        suite_name: impl Into<String>,
        model_name: impl Into<String>,
        passed: bool,
        checks: Vec<QualityCheckResult>,
    ) -> Self {
        QualitySuiteResult {
            suite_name: suite_name.into(),
            model_name: model_name.into(),
            passed,
            checks,
            execution_time_ms: 0.0,
            summary: Map::new(),
            timestamp: None,
        }
    }
}

impl Validate for QualitySuiteResult {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        if self.execution_time_ms < 0.0 || self.execution_time_ms.is_nan() {
            errors.push(FieldError::new(
                join(path, "execution_time_ms"),
                format!("must be at least 0, got {}", self.execution_time_ms),
            ));
        }
        for (i, c) in self.checks.iter().enumerate() {
            c.check(&join(path, &format!("checks.{i}")), errors);
        }
    }
}

fn default_suite_timeout() -> u32 {
    300
}

/// Checks to run against one model.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualitySuite {
    /// The model.
    pub model_name: String,
    /// The checks.
    pub checks: Vec<QualityCheck>,
    /// Seconds before the suite is abandoned, 1 to 3600.
    #[serde(default = "default_suite_timeout")]
    pub timeout_seconds: u32,
    /// Stop at the first failure.
    #[serde(default)]
    pub fail_fast: bool,
}

impl Validate for QualitySuite {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        range(
            errors,
            path,
            "timeout_seconds",
            self.timeout_seconds,
            1,
            3600,
        );
        for (i, c) in self.checks.iter().enumerate() {
            c.check(&join(path, &format!("checks.{i}")), errors);
        }
    }
}

/// A model's quality score, 0 to 100.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityScore {
    /// The capped overall score.
    pub overall: f64,
    /// Each dimension's score.
    pub dimension_scores: BTreeMap<Dimension, f64>,
    /// Checks that passed.
    #[serde(default)]
    pub checks_passed: u64,
    /// Checks that failed.
    #[serde(default)]
    pub checks_failed: u64,
    /// dbt tests that passed.
    #[serde(default)]
    pub dbt_tests_passed: u64,
    /// dbt tests that failed.
    #[serde(default)]
    pub dbt_tests_failed: u64,
    /// The model scored.
    pub model_name: String,
    /// When (RFC 3339), stamped by the caller.
    #[serde(default)]
    pub timestamp: Option<String>,
}

/// The outcome of validating a quality config (the quality flavour: no message).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityValidationResult {
    /// Whether it passed.
    pub success: bool,
    /// What failed.
    #[serde(default)]
    pub errors: Vec<String>,
    /// What to look at.
    #[serde(default)]
    pub warnings: Vec<String>,
}
