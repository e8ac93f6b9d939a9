//! Reading a [`QualityConfig`] from JSON field by field, so that one field of the wrong
//! type hides none of the other problems of the config (floe's pydantic models report
//! every field's problem at once; serde stops at the first).
//!
//! A field that cannot be read is reported at its path and left at its default; the
//! rules of [`Validate`] then run on the rest, except a rule about a field that did
//! not read or about an object one of whose fields failed (pydantic runs no model
//! validator over an object whose fields failed).

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

use super::{
    CalculationParameters, DimensionWeights, GateTier, QualityConfig, QualityGates,
    QualityThresholds,
};
use crate::validation::{FieldError, Validate, join};

/// What reading found: the config (problem fields at their defaults), the problems of
/// shape (types, unknown or missing fields) and the broken rules.
pub(crate) struct Read {
    pub(crate) config: QualityConfig,
    pub(crate) shape: Vec<FieldError>,
    pub(crate) rules: Vec<FieldError>,
}

/// Reads `value` as a quality config.
pub(crate) fn read(value: &Value) -> Read {
    let mut r = Reader::default();
    let mut config = QualityConfig::new("");
    let known = [
        "provider",
        "quality_gates",
        "dimension_weights",
        "calculation",
        "thresholds",
        "check_timeout_seconds",
        "enabled",
    ];
    if let Some(map) = r.object(value, "", &known) {
        match map.get("provider") {
            Some(v) => r.value(v, "provider", &mut config.provider),
            None => r.problem("provider", "missing field `provider`"),
        }
        if let Some(v) = map.get("quality_gates") {
            config.quality_gates = r.gates(v, "quality_gates");
        }
        if let Some(v) = map.get("dimension_weights") {
            config.dimension_weights = r.weights(v, "dimension_weights");
        }
        if let Some(v) = map.get("calculation") {
            config.calculation = r.calculation(v, "calculation");
        }
        if let Some(v) = map.get("thresholds") {
            config.thresholds = r.thresholds(v, "thresholds");
        }
        r.int(
            map,
            "",
            "check_timeout_seconds",
            &mut config.check_timeout_seconds,
        );
        r.field(map, "", "enabled", &mut config.enabled);
    }
    let mut rules = Vec::new();
    config.check("", &mut rules);
    let shape = r.problems;
    // A rule about a field that failed to read, or about an object one of whose fields
    // failed (to read or a bound of its own), is not run.
    let inner: Vec<String> = shape.iter().chain(&rules).map(|e| e.path.clone()).collect();
    rules.retain(|rule| {
        let below = format!("{}.", rule.path);
        !shape.iter().any(|s| s.path == rule.path)
            && !inner
                .iter()
                .any(|p| p.starts_with(&below) || (rule.path.is_empty() && !p.is_empty()))
    });
    Read {
        config,
        shape,
        rules,
    }
}

#[derive(Default)]
struct Reader {
    problems: Vec<FieldError>,
}

impl Reader {
    fn problem(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(FieldError::new(path, message));
    }

    /// The object at `path`, its unknown keys reported; `None` (reported) for another
    /// kind of value.
    fn object<'v>(
        &mut self,
        value: &'v Value,
        path: &str,
        known: &[&str],
    ) -> Option<&'v Map<String, Value>> {
        let Value::Object(map) = value else {
            self.problem(path, format!("must be a mapping, got {}", kind(value)));
            return None;
        };
        for key in map.keys().filter(|k| !known.contains(&k.as_str())) {
            self.problem(
                join(path, key),
                format!(
                    "unknown field `{key}`, expected one of {}",
                    known.join(", ")
                ),
            );
        }
        Some(map)
    }

    /// `value` read into `slot`, or reported at `path`.
    fn value<T: DeserializeOwned>(&mut self, value: &Value, path: &str, slot: &mut T) {
        match T::deserialize(value) {
            Ok(v) => *slot = v,
            Err(e) => self.problem(path, e.to_string()),
        }
    }

    /// The field `key` of `map`, when present, read into `slot`.
    fn field<T: DeserializeOwned>(
        &mut self,
        map: &Map<String, Value>,
        path: &str,
        key: &str,
        slot: &mut T,
    ) {
        if let Some(v) = map.get(key) {
            self.value(v, &join(path, key), slot);
        }
    }

    /// An integer field: an integral float (`70.0`) counts, as in JSON Schema.
    fn int(&mut self, map: &Map<String, Value>, path: &str, key: &str, slot: &mut u32) {
        let Some(v) = map.get(key) else { return };
        let integral = v
            .as_f64()
            .filter(|f| v.is_f64() && f.fract() == 0.0 && (0.0..=f64::from(u32::MAX)).contains(f));
        match integral {
            // In range and integral: the conversion is exact.
            Some(f) => *slot = f as u32,
            None => self.value(v, &join(path, key), slot),
        }
    }

    /// A list of strings, each entry's problem at its index.
    fn strings(&mut self, map: &Map<String, Value>, path: &str, key: &str, slot: &mut Vec<String>) {
        let Some(v) = map.get(key) else { return };
        let path = join(path, key);
        let Value::Array(items) = v else {
            self.problem(&path, format!("must be a list, got {}", kind(v)));
            return;
        };
        let mut read = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let mut s = String::new();
            let before = self.problems.len();
            self.value(item, &join(&path, &i.to_string()), &mut s);
            if self.problems.len() == before {
                read.push(s);
            }
        }
        *slot = read;
    }

    fn gates(&mut self, value: &Value, path: &str) -> QualityGates {
        let mut gates = QualityGates::default();
        if let Some(map) = self.object(value, path, &["bronze", "silver", "gold"]) {
            for (key, tier) in [
                ("bronze", &mut gates.bronze),
                ("silver", &mut gates.silver),
                ("gold", &mut gates.gold),
            ] {
                if let Some(v) = map.get(key) {
                    *tier = self.tier(v, &join(path, key));
                }
            }
        }
        gates
    }

    fn tier(&mut self, value: &Value, path: &str) -> GateTier {
        let mut tier = GateTier::default();
        let known = [
            "min_test_coverage",
            "required_tests",
            "min_score",
            "overridable",
        ];
        if let Some(map) = self.object(value, path, &known) {
            self.field(map, path, "min_test_coverage", &mut tier.min_test_coverage);
            self.strings(map, path, "required_tests", &mut tier.required_tests);
            self.int(map, path, "min_score", &mut tier.min_score);
            self.field(map, path, "overridable", &mut tier.overridable);
        }
        tier
    }

    fn weights(&mut self, value: &Value, path: &str) -> DimensionWeights {
        let mut w = DimensionWeights::default();
        let known = [
            "completeness",
            "accuracy",
            "validity",
            "consistency",
            "timeliness",
        ];
        if let Some(map) = self.object(value, path, &known) {
            self.field(map, path, "completeness", &mut w.completeness);
            self.field(map, path, "accuracy", &mut w.accuracy);
            self.field(map, path, "validity", &mut w.validity);
            self.field(map, path, "consistency", &mut w.consistency);
            self.field(map, path, "timeliness", &mut w.timeliness);
        }
        w
    }

    fn calculation(&mut self, value: &Value, path: &str) -> CalculationParameters {
        let mut c = CalculationParameters::default();
        let known = [
            "baseline_score",
            "max_positive_influence",
            "max_negative_influence",
            "severity_weights",
        ];
        if let Some(map) = self.object(value, path, &known) {
            self.int(map, path, "baseline_score", &mut c.baseline_score);
            self.int(
                map,
                path,
                "max_positive_influence",
                &mut c.max_positive_influence,
            );
            self.int(
                map,
                path,
                "max_negative_influence",
                &mut c.max_negative_influence,
            );
            if let Some(v) = map.get("severity_weights") {
                let path = join(path, "severity_weights");
                // Each weight is read alone (its problem at its key); the weights that
                // read go into the field whole.
                match v {
                    Value::Object(weights) => {
                        let mut good = Map::new();
                        for (key, weight) in weights {
                            let mut w = 0.0_f64;
                            let before = self.problems.len();
                            self.value(weight, &join(&path, key), &mut w);
                            if self.problems.len() == before {
                                good.insert(key.clone(), weight.clone());
                            }
                        }
                        self.value(&Value::Object(good), &path, &mut c.severity_weights);
                    }
                    other => self.value(other, &path, &mut c.severity_weights),
                }
            }
        }
        c
    }

    fn thresholds(&mut self, value: &Value, path: &str) -> QualityThresholds {
        let mut t = QualityThresholds::default();
        if let Some(map) = self.object(value, path, &["min_score", "warn_score"]) {
            self.int(map, path, "min_score", &mut t.min_score);
            self.int(map, path, "warn_score", &mut t.warn_score);
        }
        t
    }
}

/// The JSON kind of `value`, for messages.
fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "a list",
        Value::Object(_) => "a mapping",
    }
}
