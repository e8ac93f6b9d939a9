//! Quality gates: test coverage and required tests by tier.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::{GateTier, QualityError, QualityGates};

/// A model's tier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum GateTierName {
    /// The least demanding (and the tier of a model that names none, or an unknown one).
    Bronze,
    /// In between.
    Silver,
    /// The most demanding.
    Gold,
}

impl GateTierName {
    /// The lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            GateTierName::Bronze => "bronze",
            GateTierName::Silver => "silver",
            GateTierName::Gold => "gold",
        }
    }

    fn of(gates: &QualityGates, name: GateTierName) -> &GateTier {
        match name {
            GateTierName::Bronze => &gates.bronze,
            GateTierName::Silver => &gates.silver,
            GateTierName::Gold => &gates.gold,
        }
    }
}

/// The outcome of the gates over some models.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct GateResult {
    /// No violation.
    pub passed: bool,
    /// The tier of the worst coverage violation, else gold.
    pub tier: GateTierName,
    /// That coverage, else 100.
    pub coverage_actual: f64,
    /// That tier's minimum coverage.
    pub coverage_required: f64,
    /// Required test types missing somewhere, de-duplicated (sorted here).
    #[serde(default)]
    pub missing_tests: Vec<String>,
    /// The DQ103 and DQ104 texts, in model order.
    #[serde(default)]
    pub violations: Vec<String>,
}

/// floe's default gate algorithm over dbt-style model dicts (`name`, `tier`,
/// `columns[].tests`, `tests`).
///
/// A model's tier is its `tier` (bronze when absent or unknown). Coverage is the
/// percentage of its columns with a non-empty `tests` list (0 without columns). Test
/// types come from column and model tests: a string, a dict's `schema_test`, or a
/// dict's first key.
///
/// ```
/// use floe_interfaces::quality::*;
/// let model = serde_json::json!({"name": "orders", "tier": "silver",
///     "columns": [{"name": "id", "tests": ["not_null", "unique"]}, {"name": "x", "tests": []}]});
/// let result = validate_quality_gates(&[model], &QualityGates::default());
/// assert!(!result.passed);
/// assert_eq!(result.tier, GateTierName::Silver);
/// assert_eq!(result.coverage_actual, 50.0);
/// ```
pub fn validate_quality_gates(models: &[Value], gates: &QualityGates) -> GateResult {
    let mut violations = Vec::new();
    let mut missing_all = BTreeSet::new();
    let mut worst: Option<(f64, GateTierName)> = None;
    for model in models {
        let tier = match model.get("tier").and_then(Value::as_str) {
            Some("silver") => GateTierName::Silver,
            Some("gold") => GateTierName::Gold,
            _ => GateTierName::Bronze,
        };
        let gate = GateTierName::of(gates, tier);
        let name = model
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("unknown")
            .to_owned();
        let columns = model
            .get("columns")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        let tests_of = |v: &Value| -> Vec<Value> {
            v.get("tests")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default()
        };
        let tested = columns.iter().filter(|c| !tests_of(c).is_empty()).count();
        let coverage = if columns.is_empty() {
            0.0
        } else {
            tested as f64 / columns.len() as f64 * 100.0
        };
        if coverage < gate.min_test_coverage {
            violations.push(
                QualityError::Coverage {
                    model: name.clone(),
                    tier: tier.as_str().to_owned(),
                    actual: coverage,
                    required: gate.min_test_coverage,
                }
                .to_string(),
            );
            if worst.is_none_or(|(c, _)| coverage < c) {
                worst = Some((coverage, tier));
            }
        }
        let present: BTreeSet<String> = columns
            .iter()
            .flat_map(&tests_of)
            .chain(tests_of(model))
            .filter_map(|t| test_type(&t))
            .collect();
        let missing: Vec<String> = gate
            .required_tests
            .iter()
            .filter(|t| !present.contains(*t))
            .cloned()
            .collect::<BTreeSet<_>>()
            .into_iter()
            .collect();
        if !missing.is_empty() {
            missing_all.extend(missing.iter().cloned());
            violations.push(
                QualityError::MissingTests {
                    model: name,
                    tier: tier.as_str().to_owned(),
                    missing,
                }
                .to_string(),
            );
        }
    }
    let (coverage_actual, tier) = worst.unwrap_or((100.0, GateTierName::Gold));
    GateResult {
        passed: violations.is_empty(),
        tier,
        coverage_actual,
        coverage_required: GateTierName::of(gates, tier).min_test_coverage,
        missing_tests: missing_all.into_iter().collect(),
        violations,
    }
}

/// The type of one test entry: a string, a dict's `schema_test`, or its first key.
fn test_type(test: &Value) -> Option<String> {
    match test {
        Value::String(s) => Some(s.clone()),
        Value::Object(map) => match map.get("schema_test").and_then(Value::as_str) {
            Some(s) => Some(s.to_owned()),
            None => map.keys().next().cloned(),
        },
        _ => None,
    }
}
