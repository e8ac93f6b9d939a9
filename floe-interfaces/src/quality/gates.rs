//! Quality gates: test coverage and required tests by tier.

use std::collections::BTreeSet;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::pyjson::PyJson;
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
/// A model's tier is its `tier` (bronze when absent or unknown); its name is `name` as
/// Python's `str()` writes it (`unknown` when absent). Coverage is the percentage of its
/// columns whose `tests` is not empty (0 without columns). Test types come from the
/// tests of those columns and the model's own `tests`: a string, a dict's
/// `schema_test`, or a dict's first key (any other entry is `unknown`); tests given as a
/// mapping are its keys.
///
/// A [`Value`] has lost the order of its keys: a test given as a dict with several keys
/// is read by its first key in sorted order here. [`validate_quality_gates_json`] reads
/// the models' text and takes the first key as written, as floe does.
///
/// Where floe fails or misreads (see `docs/deliberate-differences.md`, family
/// `quality`), these are read as a user means them: `tests` or `columns` that are
/// `null` or another non-list are no tests or no columns, a column that is not a
/// mapping has no tests, `tests: "not_null"` is one test, and a `schema_test: null`
/// names no test type.
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
    let models: Vec<PyJson> = models.iter().map(PyJson::from).collect();
    gate_models(&models, gates)
}

/// [`validate_quality_gates`] over the JSON text of a list of models, reading each
/// test dict's first key as written (as floe, which gets the models as Python dicts).
///
/// ```
/// use floe_interfaces::quality::*;
/// let models = r#"[{"name": "m", "tests": [{"unique": {}, "accepted_values": {}}]}]"#;
/// let gates: QualityGates = serde_json::from_value(serde_json::json!({
///     "bronze": {"required_tests": ["unique"]}})).unwrap();
/// assert!(validate_quality_gates_json(models, &gates).unwrap().passed);
/// ```
pub fn validate_quality_gates_json(
    models: &str,
    gates: &QualityGates,
) -> Result<GateResult, serde_json::Error> {
    let models: Vec<PyJson> = serde_json::from_str(models)?;
    Ok(gate_models(&models, gates))
}

fn gate_models(models: &[PyJson], gates: &QualityGates) -> GateResult {
    let mut violations = Vec::new();
    let mut missing_all = BTreeSet::new();
    let mut worst: Option<(f64, GateTierName)> = None;
    for model in models {
        let tier = match model.get("tier") {
            Some(PyJson::String(t)) if t == "silver" => GateTierName::Silver,
            Some(PyJson::String(t)) if t == "gold" => GateTierName::Gold,
            _ => GateTierName::Bronze,
        };
        let gate = GateTierName::of(gates, tier);
        let name = match model.get("name") {
            None | Some(PyJson::Null) => "unknown".to_owned(),
            Some(name) => name.py_str(),
        };
        let columns = match model.get("columns") {
            Some(PyJson::List(columns)) => columns.as_slice(),
            _ => &[],
        };
        let mut present = BTreeSet::new();
        let mut tested = 0usize;
        for column in columns {
            let tests = column.get("tests").unwrap_or(&PyJson::Null);
            if tests.truthy() && !matches!(tests, PyJson::Number(_) | PyJson::Bool(_)) {
                tested += 1;
                present.extend(test_types(tests));
            }
        }
        present.extend(model.get("tests").map(test_types).unwrap_or_default());
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

/// The test types of a `tests` value: each entry of a list, each key of a mapping, a
/// string as one test; nothing for anything else.
fn test_types(tests: &PyJson) -> Vec<String> {
    match tests {
        PyJson::List(entries) => entries.iter().filter_map(test_type).collect(),
        PyJson::Object(entries) => entries.iter().map(|(k, _)| k.clone()).collect(),
        PyJson::String(s) => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The type of one test entry: a string, a dict's `schema_test` (none when it is
/// null), its first key, else `unknown`.
fn test_type(test: &PyJson) -> Option<String> {
    match test {
        PyJson::String(s) => Some(s.clone()),
        PyJson::Object(entries) => match test.get("schema_test") {
            Some(PyJson::Null) => None,
            Some(schema_test) => Some(schema_test.py_str()),
            None => Some(
                entries
                    .first()
                    .map_or_else(|| "unknown".to_owned(), |(k, _)| k.clone()),
            ),
        },
        _ => Some("unknown".to_owned()),
    }
}
