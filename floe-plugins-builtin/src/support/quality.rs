//! What the two quality plugins share: the dialects and ad-hoc expectation dicts.

use floe_registry::quality::{Dimension, QualityCheck, QualitySuite, SeverityLevel};
use serde_json::Value;

/// The dialects the quality plugins accept (lower-cased).
pub const DIALECTS: [&str; 3] = ["duckdb", "postgresql", "snowflake"];

/// The suite `validate_expectations` runs: one check per ad-hoc expectation dict, on
/// `data_source`, with floe's defaults (300 s, no fail-fast).
pub fn suite_from_expectations(data_source: &str, expectations: &[Value]) -> QualitySuite {
    QualitySuite {
        model_name: data_source.to_owned(),
        checks: expectations
            .iter()
            .enumerate()
            .map(|(i, e)| check_from_expectation(i, e))
            .collect(),
        timeout_seconds: 300,
        fail_fast: false,
    }
}

/// The suite `run_checks` runs: no checks of its own (the tool's suite decides), on
/// `data_source`, with `timeout_seconds` and `fail_fast` read from `options` and floe's
/// defaults (300 s, no fail-fast) where they are absent or not of their type.
pub fn suite_from_options(
    data_source: &str,
    options: &serde_json::Map<String, Value>,
) -> QualitySuite {
    QualitySuite {
        model_name: data_source.to_owned(),
        checks: Vec::new(),
        timeout_seconds: options
            .get("timeout_seconds")
            .and_then(Value::as_u64)
            .and_then(|t| u32::try_from(t).ok())
            .unwrap_or(300),
        fail_fast: options
            .get("fail_fast")
            .and_then(Value::as_bool)
            .unwrap_or(false),
    }
}

/// A suite check from an ad-hoc expectation dict: name `check_<i>`, type `custom` and
/// dimension `validity` by default.
pub fn check_from_expectation(i: usize, expectation: &Value) -> QualityCheck {
    let text = |key: &str| expectation.get(key).and_then(Value::as_str);
    let dimension = expectation
        .get("dimension")
        .cloned()
        .and_then(|d| serde_json::from_value(d).ok())
        .unwrap_or(Dimension::Validity);
    let severity = expectation
        .get("severity")
        .cloned()
        .and_then(|d| serde_json::from_value(d).ok())
        .unwrap_or(SeverityLevel::Warning);
    QualityCheck {
        name: text("name").map_or_else(|| format!("check_{i}"), str::to_owned),
        check_type: text("type").unwrap_or("custom").to_owned(),
        column: text("column").map(str::to_owned),
        dimension,
        severity,
        custom_weight: None,
        parameters: expectation
            .get("parameters")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default(),
        enabled: true,
    }
}
