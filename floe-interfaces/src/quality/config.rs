//! The quality config: the schema of quality plugins and of the manifest's
//! `plugins.quality` block.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::Error as _;
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::python;
use crate::validation::{FieldError, ModelErrors, Validate, join, non_empty, range};

fn yes() -> bool {
    true
}

/// The gate of one tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateTier {
    /// Minimum share of tested columns, 0 to 100.
    #[serde(default)]
    #[schemars(range(min = 0.0, max = 100.0))]
    pub min_test_coverage: f64,
    /// Test types every model of the tier must have.
    #[serde(default)]
    pub required_tests: Vec<String>,
    /// Minimum quality score, 0 to 100.
    #[serde(default)]
    #[schemars(range(min = 0, max = 100))]
    pub min_score: u32,
    /// Whether a lower level may override it.
    #[serde(default = "yes")]
    pub overridable: bool,
}

impl Default for GateTier {
    fn default() -> Self {
        GateTier {
            min_test_coverage: 0.0,
            required_tests: Vec::new(),
            min_score: 0,
            overridable: true,
        }
    }
}

impl GateTier {
    fn with(coverage: f64, tests: &[&str], score: u32) -> Self {
        GateTier {
            min_test_coverage: coverage,
            required_tests: tests.iter().map(|t| (*t).to_owned()).collect(),
            min_score: score,
            overridable: true,
        }
    }
}

impl Validate for GateTier {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        range(
            errors,
            path,
            "min_test_coverage",
            self.min_test_coverage,
            0.0,
            100.0,
        );
        range(errors, path, "min_score", self.min_score, 0, 100);
    }
}

fn silver() -> GateTier {
    GateTier::with(80.0, &["not_null", "unique"], 75)
}

fn gold() -> GateTier {
    GateTier::with(
        100.0,
        &["not_null", "unique", "accepted_values", "relationships"],
        90,
    )
}

/// The gates of the bronze, silver and gold tiers.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityGates {
    /// Bronze: no requirement by default.
    #[serde(default)]
    pub bronze: GateTier,
    /// Silver: 80 % coverage, not_null and unique, score 75.
    #[serde(default = "silver")]
    pub silver: GateTier,
    /// Gold: 100 % coverage, four test types, score 90.
    #[serde(default = "gold")]
    pub gold: GateTier,
}

impl Default for QualityGates {
    fn default() -> Self {
        QualityGates {
            bronze: GateTier::default(),
            silver: silver(),
            gold: gold(),
        }
    }
}

impl Validate for QualityGates {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        self.bronze.check(&join(path, "bronze"), errors);
        self.silver.check(&join(path, "silver"), errors);
        self.gold.check(&join(path, "gold"), errors);
    }
}

/// The weight of each dimension in the overall score; they must sum to 1.0.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct DimensionWeights {
    /// Default 0.25.
    #[serde(default = "quarter")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub completeness: f64,
    /// Default 0.25.
    #[serde(default = "quarter")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub accuracy: f64,
    /// Default 0.20.
    #[serde(default = "fifth")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub validity: f64,
    /// Default 0.15.
    #[serde(default = "small")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub consistency: f64,
    /// Default 0.15.
    #[serde(default = "small")]
    #[schemars(range(min = 0.0, max = 1.0))]
    pub timeliness: f64,
}

fn quarter() -> f64 {
    0.25
}
fn fifth() -> f64 {
    0.20
}
fn small() -> f64 {
    0.15
}

impl Default for DimensionWeights {
    fn default() -> Self {
        DimensionWeights {
            completeness: 0.25,
            accuracy: 0.25,
            validity: 0.20,
            consistency: 0.15,
            timeliness: 0.15,
        }
    }
}

impl DimensionWeights {
    /// The weight of `dimension`.
    pub fn of(&self, dimension: super::Dimension) -> f64 {
        use super::Dimension::*;
        match dimension {
            Completeness => self.completeness,
            Accuracy => self.accuracy,
            Validity => self.validity,
            Consistency => self.consistency,
            Timeliness => self.timeliness,
        }
    }
}

impl Validate for DimensionWeights {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        let fields = [
            ("completeness", self.completeness),
            ("accuracy", self.accuracy),
            ("validity", self.validity),
            ("consistency", self.consistency),
            ("timeliness", self.timeliness),
        ];
        for (name, value) in fields {
            range(errors, path, name, value, 0.0, 1.0);
        }
        let total: f64 = fields.iter().map(|(_, v)| v).sum();
        // Python's math.isclose(total, 1.0) with its default relative tolerance.
        if (total - 1.0).abs() > 1e-9 * total.abs().max(1.0) {
            errors.push(FieldError::new(
                path,
                format!(
                    "Dimension weights must sum to 1.0, got {}",
                    python::float(total)
                ),
            ));
        }
    }
}

fn severity_weights() -> BTreeMap<String, f64> {
    [("critical", 3.0), ("warning", 1.0), ("info", 0.5)]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

fn seventy() -> u32 {
    70
}
fn thirty() -> u32 {
    30
}
fn fifty() -> u32 {
    50
}
fn eighty_five() -> u32 {
    85
}

/// How the raw score is capped around a baseline.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct CalculationParameters {
    /// The score of an average model, 0 to 100 (70).
    #[serde(default = "seventy")]
    #[schemars(range(min = 0, max = 100))]
    pub baseline_score: u32,
    /// How far above the baseline the score may go, 0 to 100 (30).
    #[serde(default = "thirty")]
    #[schemars(range(min = 0, max = 100))]
    pub max_positive_influence: u32,
    /// How far below the baseline the score may go, 0 to 100 (50).
    #[serde(default = "fifty")]
    #[schemars(range(min = 0, max = 100))]
    pub max_negative_influence: u32,
    /// The weight of a check by severity (critical 3.0, warning 1.0, info 0.5); the
    /// keys are severities, `critical`, `warning` or `info`, as in floe.
    #[serde(default = "severity_weights")]
    #[schemars(extend("propertyNames" = {"enum": SEVERITIES}))]
    pub severity_weights: BTreeMap<String, f64>,
}

/// The keys `severity_weights` takes (floe-core 0.1.0a1's `SeverityLevel`).
pub const SEVERITIES: [&str; 3] = ["critical", "warning", "info"];

impl Default for CalculationParameters {
    fn default() -> Self {
        CalculationParameters {
            baseline_score: 70,
            max_positive_influence: 30,
            max_negative_influence: 50,
            severity_weights: severity_weights(),
        }
    }
}

impl Validate for CalculationParameters {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        range(errors, path, "baseline_score", self.baseline_score, 0, 100);
        range(
            errors,
            path,
            "max_positive_influence",
            self.max_positive_influence,
            0,
            100,
        );
        range(
            errors,
            path,
            "max_negative_influence",
            self.max_negative_influence,
            0,
            100,
        );
        let weights = join(path, "severity_weights");
        for key in self.severity_weights.keys() {
            if !SEVERITIES.contains(&key.as_str()) {
                // pydantic's text for a key outside the SeverityLevel enum.
                errors.push(FieldError::new(
                    join(&weights, key),
                    "Input should be 'critical', 'warning' or 'info'",
                ));
            }
        }
    }
}

/// Score thresholds (their order is not checked, as in floe).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityThresholds {
    /// Below this a model fails, 0 to 100 (70).
    #[serde(default = "seventy")]
    #[schemars(range(min = 0, max = 100))]
    pub min_score: u32,
    /// Below this a model warns, 0 to 100 (85).
    #[serde(default = "eighty_five")]
    #[schemars(range(min = 0, max = 100))]
    pub warn_score: u32,
}

impl Default for QualityThresholds {
    fn default() -> Self {
        QualityThresholds {
            min_score: 70,
            warn_score: 85,
        }
    }
}

impl Validate for QualityThresholds {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        range(errors, path, "min_score", self.min_score, 0, 100);
        range(errors, path, "warn_score", self.warn_score, 0, 100);
    }
}

fn default_timeout() -> u32 {
    300
}

/// The quality config: a quality plugin's config schema and the manifest's
/// `plugins.quality` block (the plugin is chosen by `provider`).
///
/// ```
/// use floe_interfaces::{Validate, from_value, quality::QualityConfig};
///
/// let config: QualityConfig = from_value(serde_json::json!({"provider": "great_expectations"})).unwrap();
/// assert_eq!(config.check_timeout_seconds, 300);
///
/// let bad = serde_json::json!({"provider": "soda", "dimension_weights": {"completeness": 0.35}});
/// let err = from_value::<QualityConfig>(bad).unwrap_err();
/// assert_eq!(err.to_string(), "dimension_weights: Dimension weights must sum to 1.0, got 1.1");
/// ```
///
/// Reading it reports every problem at once (as floe does), a field of the wrong type
/// included; [`QualityConfig::from_json`] gives them with their paths:
///
/// ```
/// use floe_interfaces::quality::QualityConfig;
///
/// let bad = serde_json::json!({"provider": "gx", "thresholds": {"min_score": "x", "warn_score": 150}});
/// let err = QualityConfig::from_json(&bad).unwrap_err();
/// let paths: Vec<&str> = err.0.iter().map(|e| e.path.as_str()).collect();
/// assert_eq!(paths, ["thresholds.min_score", "thresholds.warn_score"]);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct QualityConfig {
    /// The quality plugin's name (`great_expectations`, `dbt_expectations`).
    #[schemars(length(min = 1))]
    pub provider: String,
    /// The gates of each tier.
    #[serde(default)]
    pub quality_gates: QualityGates,
    /// The weight of each dimension.
    #[serde(default)]
    pub dimension_weights: DimensionWeights,
    /// How the score is capped.
    #[serde(default)]
    pub calculation: CalculationParameters,
    /// Score thresholds.
    #[serde(default)]
    pub thresholds: QualityThresholds,
    /// Seconds before a check is abandoned, 1 to 3600 (300).
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 1, max = 3600))]
    pub check_timeout_seconds: u32,
    /// Whether quality checks run.
    #[serde(default = "yes")]
    pub enabled: bool,
}

impl QualityConfig {
    /// The defaults, with `provider`.
    pub fn new(provider: impl Into<String>) -> Self {
        QualityConfig {
            provider: provider.into(),
            quality_gates: QualityGates::default(),
            dimension_weights: DimensionWeights::default(),
            calculation: CalculationParameters::default(),
            thresholds: QualityThresholds::default(),
            check_timeout_seconds: 300,
            enabled: true,
        }
    }
}

impl QualityConfig {
    /// Reads a config from JSON with every problem, each at its path: fields of the
    /// wrong type, unknown and missing fields, and the broken rules of the fields that
    /// did read (a rule about an object whose fields failed is not run, as in floe).
    pub fn from_json(value: &Value) -> Result<QualityConfig, ModelErrors> {
        let read = super::read::read(value);
        let mut errors = read.shape;
        errors.extend(read.rules);
        if errors.is_empty() {
            Ok(read.config)
        } else {
            Err(ModelErrors(errors))
        }
    }
}

/// Reads field by field: when a field has the wrong type (or is unknown or missing)
/// the error lists every problem of the config with its path, the rules of the other
/// fields included (a single problem is its message alone, as serde writes it); a
/// config of the right shape is returned, its rules left to [`Validate`].
impl<'de> Deserialize<'de> for QualityConfig {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        let read = super::read::read(&value);
        if read.shape.is_empty() {
            return Ok(read.config);
        }
        let mut errors = read.shape;
        errors.extend(read.rules);
        // One problem reads as serde's own message; several, each with its path.
        match errors.as_slice() {
            [only] => Err(D::Error::custom(&only.message)),
            _ => Err(D::Error::custom(ModelErrors(errors))),
        }
    }
}

impl Validate for QualityConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        non_empty(errors, path, "provider", &self.provider);
        self.quality_gates
            .check(&join(path, "quality_gates"), errors);
        self.dimension_weights
            .check(&join(path, "dimension_weights"), errors);
        self.calculation.check(&join(path, "calculation"), errors);
        self.thresholds.check(&join(path, "thresholds"), errors);
        range(
            errors,
            path,
            "check_timeout_seconds",
            self.check_timeout_seconds,
            1,
            3600,
        );
    }
}

/// A setting with its override policy (not a field of [`QualityConfig`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct OverrideConfig {
    /// The value.
    pub value: Value,
    /// Whether a lower level may override it.
    #[serde(default = "yes")]
    pub overridable: bool,
    /// The level that locked it.
    #[serde(default)]
    pub locked_by: Option<String>,
}
