//! Quality against floe-core 0.1.0a1: the three-layer score, the quality gates over
//! dbt-style models, the quality config's validation and floe's quality error texts.
//!
//! Each case is one JSON object with a `kind`:
//! - `score`: a config and a suite result; both sides give the score (timestamp left
//!   out: floe stamps the clock);
//! - `gates`: the models as JSON text (so that both sides read each test dict's keys in
//!   written order) and the gates; both give the gate result, `missing_tests` sorted
//!   (floe gives a `set`'s order, which is not defined);
//! - `config`: a quality config; both give the config read (floe's `model_dump`) or
//!   the problems as `[path, message]`, sorted, where the message is compared only
//!   when it is floe's own text (pydantic's generic texts are not floe's);
//! - `model`: a quality check, suite or suite result, read (every problem by path);
//! - `facets`: the OpenLineage data quality facet of some check results;
//! - `error`: one of floe's quality errors and its text.
//!
//! What floe does that we do not (the `quality` rows of docs/deliberate-differences.md):
//! it crashes on `tests: null` and on columns that are not a list of mappings, reads
//! `tests: "not_null"` one character at a time, names a `schema_test: null` test and a
//! `name: null` model `None`, and reads `true`, and numbers written as strings, as
//! numbers, which its own published JSON schema refuses.

use floe_differential::compare::Family;
use floe_differential::reference;
use floe_differential::seed::Seeded;
use floe_interfaces::quality::*;
use floe_interfaces::read_model;
use serde_json::{Value, json};

const SCRIPT: &str = r#"
from pydantic import ValidationError
from floe_core.schemas.quality_config import QualityConfig, QualityGates
from floe_core.schemas.quality_score import QualityCheck, QualityCheckResult, QualitySuite, QualitySuiteResult
from floe_core.scoring import calculate_quality_score
from floe_core.plugins.quality import QualityPlugin
from floe_core import quality_errors as qe

def problems(e):
    out = []
    for er in e.errors():
        path = ".".join(str(p) for p in er["loc"])
        msg = None
        if er["type"] == "value_error":
            msg = er["msg"].removeprefix("Value error, ")
        out.append([path, msg])
    return sorted(out, key=lambda p: (p[0], p[1] or ""))

def score(case):
    cfg = QualityConfig.model_validate(case["config"])
    res = QualitySuiteResult.model_validate(case["results"])
    s = calculate_quality_score(res, cfg).model_dump(mode="json")
    s.pop("timestamp")
    return s

def gates(case):
    g = QualityGates.model_validate(case["gates"])
    r = QualityPlugin.validate_quality_gates(None, json.loads(case["models"]), g).model_dump(mode="json")
    r["missing_tests"] = sorted(r["missing_tests"])
    return r

def config(case):
    try:
        return {"ok": QualityConfig.model_validate(case["config"]).model_dump(mode="json")}
    except ValidationError as e:
        return {"errors": problems(e)}

def model(case):
    cls = {"check": QualityCheck, "suite_result": QualitySuiteResult, "suite": QualitySuite}[case["model"]]
    try:
        return {"ok": cls.model_validate(case["value"]).model_dump(mode="json", exclude={"timestamp"})}
    except ValidationError as e:
        return {"errors": problems(e)}

def facets(case):
    results = [QualityCheckResult.model_validate(r) for r in case["results"]]
    return QualityPlugin.get_quality_facets(None, results)

def error(case):
    a = case["args"]
    k = case["error"]
    if k == "provider":
        e = qe.QualityProviderNotFoundError(a["provider"], a["available"])
    elif k == "check_failed":
        e = qe.QualityCheckFailedError(a["model"], a["failed"], a["total"], a["score"], a["minimum"])
    elif k == "coverage":
        e = qe.QualityCoverageError(a["model"], a["tier"], a["actual"], a["required"])
    elif k == "missing":
        e = qe.QualityMissingTestsError(a["model"], a["tier"], a["missing"])
    elif k == "column":
        e = qe.QualityColumnReferenceError(a["model"], a["check"], a["column"], a["available"])
    elif k == "timeout":
        e = qe.QualityTimeoutError(a["model"], a["seconds"], a["pending"])
    else:
        e = qe.QualityOverrideError(a["setting"], a["locked_by"], a["attempted_by"])
    return {"code": e.error_code, "text": str(e)}

out = []
for case in json.load(sys.stdin):
    try:
        out.append(globals()[case["kind"]](case))
    except Exception as e:
        out.append({"raised": type(e).__name__})
print(json.dumps(out))
"#;

/// Our answer to one case, in the script's shapes.
fn ours(case: &Value) -> Value {
    match case["kind"].as_str() {
        Some("score") => {
            let config = QualityConfig::from_json(&case["config"]);
            let results = serde_json::from_value::<QualitySuiteResult>(case["results"].clone());
            match (config, results) {
                (Ok(c), Ok(r)) => {
                    let mut s = serde_json::to_value(calculate_quality_score(&r, &c))
                        .unwrap_or_else(|e| panic!("score as JSON: {e}"));
                    s.as_object_mut().map(|m| m.remove("timestamp"));
                    s
                }
                _ => json!({"raised": "ValidationError"}),
            }
        }
        Some("gates") => {
            let gates: QualityGates = serde_json::from_value(case["gates"].clone())
                .unwrap_or_else(|e| panic!("gates of a gates case: {e}"));
            let text = case["models"].as_str().unwrap_or("[]");
            match validate_quality_gates_json(text, &gates) {
                Ok(r) => serde_json::to_value(r).unwrap_or_else(|e| panic!("gate result: {e}")),
                Err(e) => json!({"raised": e.to_string()}),
            }
        }
        Some("config") => match QualityConfig::from_json(&case["config"]) {
            Ok(c) => json!({"ok": c}),
            Err(errors) => {
                let mut problems: Vec<(String, Option<String>)> = errors
                    .0
                    .into_iter()
                    .map(|e| {
                        let own = e.message.starts_with("Dimension weights");
                        (e.path, own.then_some(e.message))
                    })
                    .collect();
                problems.sort_by(|a, b| {
                    (&a.0, a.1.as_deref().unwrap_or("")).cmp(&(&b.0, b.1.as_deref().unwrap_or("")))
                });
                json!({"errors": problems})
            }
        },
        Some("model") => {
            let value = &case["value"];
            let read = match case["model"].as_str() {
                Some("check") => read_model::<QualityCheck>(value).map(|m| json!(m)),
                Some("suite") => read_model::<QualitySuite>(value).map(|m| json!(m)),
                _ => read_model::<QualitySuiteResult>(value).map(|m| json!(m)),
            };
            match read {
                Ok(mut m) => {
                    m.as_object_mut().map(|o| o.remove("timestamp"));
                    json!({"ok": m})
                }
                Err(errors) => {
                    let mut problems: Vec<(String, Option<String>)> =
                        errors.0.into_iter().map(|e| (e.path, None)).collect();
                    problems.sort();
                    json!({"errors": problems})
                }
            }
        }
        Some("facets") => {
            let results: Vec<QualityCheckResult> = serde_json::from_value(case["results"].clone())
                .unwrap_or_else(|e| panic!("results of a facets case: {e}"));
            quality_facets(&results)
        }
        Some("error") => {
            let e = quality_error(&case["error"], &case["args"]);
            json!({"code": e.code(), "text": e.to_string()})
        }
        other => panic!("unknown case kind {other:?}"),
    }
}

fn s(v: &Value) -> String {
    v.as_str().unwrap_or_default().to_owned()
}

fn strings(v: &Value) -> Vec<String> {
    v.as_array()
        .map(|a| a.iter().map(s).collect())
        .unwrap_or_default()
}

fn quality_error(kind: &Value, a: &Value) -> QualityError {
    let n = |v: &Value| v.as_f64().unwrap_or_default();
    match kind.as_str() {
        Some("provider") => QualityError::ProviderNotFound {
            provider: s(&a["provider"]),
            available: strings(&a["available"]),
        },
        Some("check_failed") => QualityError::CheckFailed {
            model: s(&a["model"]),
            failed: a["failed"].as_u64().unwrap_or_default() as usize,
            total: a["total"].as_u64().unwrap_or_default() as usize,
            score: n(&a["score"]),
            minimum: n(&a["minimum"]),
        },
        Some("coverage") => QualityError::Coverage {
            model: s(&a["model"]),
            tier: s(&a["tier"]),
            actual: n(&a["actual"]),
            required: n(&a["required"]),
        },
        Some("missing") => QualityError::MissingTests {
            model: s(&a["model"]),
            tier: s(&a["tier"]),
            missing: strings(&a["missing"]),
        },
        Some("column") => QualityError::ColumnReference {
            check: s(&a["check"]),
            model: s(&a["model"]),
            column: s(&a["column"]),
            available: a["available"].as_array().map(|_| strings(&a["available"])),
        },
        Some("timeout") => QualityError::Timeout {
            model: s(&a["model"]),
            seconds: a["seconds"].as_u64().unwrap_or_default() as u32,
            pending: strings(&a["pending"]),
        },
        _ => QualityError::Override {
            setting: s(&a["setting"]),
            locked_by: s(&a["locked_by"]),
            attempted_by: s(&a["attempted_by"]),
        },
    }
}

// ---------------------------------------------------------------- generators

const DIMENSIONS: [&str; 5] = [
    "completeness",
    "accuracy",
    "validity",
    "consistency",
    "timeliness",
];
const SEVERITIES: [&str; 3] = ["critical", "warning", "info"];

fn weight(rng: &mut Seeded) -> Value {
    match rng.below(6) {
        0 => json!(-1.5),
        1 => json!(0.0),
        2 => json!(rng.below(5)),
        3 => json!(0.5),
        4 => json!(-0.25),
        _ => json!(rng.float(-3.0, 5.0)),
    }
}

fn score_case(rng: &mut Seeded) -> Value {
    let weight_sets = [
        json!({}),
        json!({"completeness": 0.2, "accuracy": 0.2, "validity": 0.2, "consistency": 0.2, "timeliness": 0.2}),
        json!({"completeness": 0.3, "accuracy": 0.25, "validity": 0.2, "consistency": 0.15, "timeliness": 0.1}),
        json!({"completeness": 1.0, "accuracy": 0.0, "validity": 0.0, "consistency": 0.0, "timeliness": 0.0}),
        json!({"completeness": 0.1, "accuracy": 0.2, "validity": 0.3, "consistency": 0.4, "timeliness": 0.0}),
    ];
    let mut severity_weights = serde_json::Map::new();
    for sev in SEVERITIES {
        if rng.chance(0.7) {
            severity_weights.insert(sev.to_owned(), weight(rng));
        }
    }
    let mut calculation = json!({
        "baseline_score": rng.below(101),
        "max_positive_influence": rng.below(101),
        "max_negative_influence": rng.below(101),
    });
    if rng.chance(0.8) {
        calculation["severity_weights"] = Value::Object(severity_weights);
    }
    let checks: Vec<Value> = (0..rng.below(12))
        .map(|i| {
            json!({
                "check_name": format!("c{i}"),
                "passed": rng.chance(0.6),
                "dimension": rng.pick(&DIMENSIONS),
                "severity": rng.pick(&SEVERITIES),
            })
        })
        .collect();
    json!({
        "kind": "score",
        "config": {
            "provider": "great_expectations",
            "dimension_weights": rng.pick(&weight_sets).clone(),
            "calculation": calculation,
        },
        "results": {"suite_name": "s", "model_name": format!("m{}", rng.below(9)), "passed": false, "checks": checks},
    })
}

const TEST_NAMES: [&str; 6] = [
    "not_null",
    "unique",
    "accepted_values",
    "relationships",
    "expect_x",
    "unknown",
];

/// One test entry as JSON text, with the deliberate difference it exercises.
fn test_entry(rng: &mut Seeded) -> (String, Option<&'static str>) {
    let a = rng.pick(&TEST_NAMES);
    let b = rng.pick(&TEST_NAMES);
    match rng.below(30) {
        0..=3 | 9..=29 => (format!("\"{a}\""), None),
        4 => (format!("{{\"schema_test\": \"{a}\"}}"), None),
        5 => (format!("{{\"{b}\": {{}}, \"{a}\": {{\"x\": 1}}}}"), None),
        6 => (format!("{{\"{a}\": {{\"values\": [1]}}}}"), None),
        7 => (
            ["null", "5", "{}", "[\"x\"]", "{\"schema_test\": 7}"][rng.below(5)].to_owned(),
            None,
        ),
        _ if rng.chance(0.5) => ("{\"schema_test\": null}".to_owned(), Some("null-test-type")),
        _ => ("{\"schema_test\": \"unique\"}".to_owned(), None),
    }
}

/// A `tests` value as JSON text.
fn tests_value(rng: &mut Seeded, model_level: bool) -> (String, Option<&'static str>) {
    match rng.below(40) {
        0 => ("[]".to_owned(), None),
        1 => ("null".to_owned(), model_level.then_some("crash-on-shape")),
        2 => (
            format!("\"{}\"", rng.pick(&TEST_NAMES)),
            Some("tests-string"),
        ),
        3 => (
            format!(
                "{{\"{}\": {{}}, \"{}\": null}}",
                rng.pick(&TEST_NAMES),
                rng.pick(&TEST_NAMES)
            ),
            None,
        ),
        4 => ("0".to_owned(), model_level.then_some("crash-on-shape")),
        _ => {
            let mut tag = None;
            let entries: Vec<String> = (0..1 + rng.below(3))
                .map(|_| {
                    let (e, t) = test_entry(rng);
                    tag = tag.or(t);
                    e
                })
                .collect();
            (format!("[{}]", entries.join(", ")), tag)
        }
    }
}

fn model_text(rng: &mut Seeded, i: usize) -> (String, Option<&'static str>) {
    let mut tag = None;
    let mut fields = Vec::new();
    match rng.below(30) {
        0 => {}
        1 => fields.push("\"name\": 5".to_owned()),
        2 => {
            fields.push("\"name\": null".to_owned());
            tag = Some("null-name");
        }
        3 => fields.push("\"name\": true".to_owned()),
        _ => fields.push(format!("\"name\": \"model_{i}\"")),
    }
    let tiers = [
        "\"bronze\"",
        "\"silver\"",
        "\"gold\"",
        "\"Gold\"",
        "\"platinum\"",
        "3",
    ];
    if rng.chance(0.85) {
        fields.push(format!("\"tier\": {}", rng.pick(&tiers)));
    }
    match rng.below(40) {
        0 => {}
        1 => {
            fields.push("\"columns\": null".to_owned());
            tag = tag.or(Some("crash-on-shape"));
        }
        2 => {
            fields.push("\"columns\": [\"id\"]".to_owned());
            tag = tag.or(Some("crash-on-shape"));
        }
        _ => {
            let columns: Vec<String> = (0..rng.below(6))
                .map(|c| {
                    if rng.chance(0.15) {
                        format!("{{\"name\": \"c{c}\"}}")
                    } else {
                        let (t, t_tag) = tests_value(rng, false);
                        tag = tag.or(t_tag);
                        format!("{{\"name\": \"c{c}\", \"tests\": {t}}}")
                    }
                })
                .collect();
            fields.push(format!("\"columns\": [{}]", columns.join(", ")));
        }
    }
    if rng.chance(0.6) {
        let (t, t_tag) = tests_value(rng, true);
        tag = tag.or(t_tag);
        fields.push(format!("\"tests\": {t}"));
    }
    (format!("{{{}}}", fields.join(", ")), tag)
}

fn gates_case(rng: &mut Seeded) -> (Value, Option<&'static str>) {
    let mut tag = None;
    let models: Vec<String> = (0..1 + rng.below(4))
        .map(|i| {
            let (m, t) = model_text(rng, i);
            tag = tag.or(t);
            m
        })
        .collect();
    let tier = |rng: &mut Seeded| {
        let required: Vec<&str> = TEST_NAMES
            .iter()
            .copied()
            .filter(|_| rng.chance(0.3))
            .collect();
        let coverage = match rng.below(4) {
            0 => json!(rng.below(101)),
            1 => json!(rng.float(0.0, 100.0)),
            2 => json!(0.00005),
            _ => json!(100),
        };
        json!({"min_test_coverage": coverage, "required_tests": required})
    };
    let mut gates = serde_json::Map::new();
    for name in ["bronze", "silver", "gold"] {
        if rng.chance(0.6) {
            gates.insert(name.to_owned(), tier(rng));
        }
    }
    let case = json!({
        "kind": "gates",
        "models": format!("[{}]", models.join(", ")),
        "gates": gates,
    });
    (case, tag)
}

fn config_case(rng: &mut Seeded) -> (Value, Option<&'static str>) {
    let mut tag = None;
    let mut config = json!({"provider": "dbt_expectations"});
    let paths: [(&str, &str); 14] = [
        ("quality_gates.bronze", "min_test_coverage"),
        ("quality_gates.silver", "min_score"),
        ("quality_gates.gold", "required_tests"),
        ("quality_gates.gold", "overridable"),
        ("dimension_weights", "completeness"),
        ("dimension_weights", "timeliness"),
        ("calculation", "baseline_score"),
        ("calculation", "max_negative_influence"),
        ("calculation.severity_weights", "critical"),
        ("thresholds", "min_score"),
        ("thresholds", "warn_score"),
        ("", "check_timeout_seconds"),
        ("", "enabled"),
        ("", "provider"),
    ];
    for _ in 0..1 + rng.below(4) {
        let (parent, key) = *rng.pick(&paths);
        let kinds = if rng.chance(0.1) { 13 } else { 11 };
        let value = match rng.below(kinds) {
            0 => json!("abc"),
            1 => json!(-1),
            2 => json!(150),
            3 => json!(rng.below(101)),
            4 => json!(0.35),
            5 => json!(70.0),
            6 => json!(70.5),
            7 => json!([1, "x"]),
            8 => json!({}),
            9 => json!(null),
            10 => json!(""),
            11 => {
                tag = Some("bool-as-number");
                json!(true)
            }
            _ => {
                tag = Some("number-as-string");
                json!("70")
            }
        };
        if ["enabled", "overridable"].contains(&key) && (value == json!(0) || value == json!(1)) {
            tag = Some("bool-as-number");
        }
        let mut target = &mut config;
        for part in parent.split('.').filter(|p| !p.is_empty()) {
            if !target.get(part).is_some_and(Value::is_object) {
                target[part] = json!({});
            }
            target = &mut target[part];
        }
        target[key] = value;
    }
    if rng.chance(0.1) {
        config["thresholds"] = json!({"min_score": 50, "extra": 1});
    }
    if rng.chance(0.05) {
        config["calculation"] = json!(5);
    }
    (json!({"kind": "config", "config": config}), tag)
}

fn error_case(rng: &mut Seeded) -> Value {
    let floats = [
        0.0,
        1.0,
        80.0,
        0.00005,
        33.333333333333336,
        1e16,
        12.25,
        rng.float(0.0, 100.0),
    ];
    let f = |rng: &mut Seeded| *rng.pick(&floats);
    let names =
        |rng: &mut Seeded| -> Vec<String> { (0..rng.below(3)).map(|i| format!("t{i}")).collect() };
    let kinds = [
        "provider",
        "check_failed",
        "coverage",
        "missing",
        "column",
        "timeout",
        "override",
    ];
    let kind = *rng.pick(&kinds);
    let args = json!({
        "provider": "sodaa", "available": names(rng),
        "model": "orders", "failed": rng.below(5), "total": 5,
        "score": f(rng), "minimum": f(rng), "tier": "silver",
        "actual": f(rng), "required": f(rng), "missing": names(rng),
        "check": "c", "column": "x",
        "available_columns": null,
        "seconds": rng.below(400), "pending": names(rng),
        "setting": "min_score", "locked_by": "enterprise", "attempted_by": "domain",
    });
    let mut args = args;
    if kind == "column" {
        args["available"] = match rng.below(3) {
            0 => Value::Null,
            1 => json!([]),
            _ => json!(["id", "amount"]),
        };
    }
    json!({"kind": "error", "error": kind, "args": args})
}

fn check_value(rng: &mut Seeded, i: usize) -> Value {
    let mut c = json!({
        "name": rng.pick(&[format!("c{i}"), String::new()]),
        "type": rng.pick(&["not_null", "unique", ""]),
        "dimension": rng.pick(&DIMENSIONS),
    });
    if rng.chance(0.5) {
        c["severity"] = json!(rng.pick(&SEVERITIES));
    }
    if rng.chance(0.3) {
        c["column"] = json!(rng.pick(&["id", "amount"]));
    }
    if rng.chance(0.3) {
        c["custom_weight"] = json!(rng.pick(&[0.05, 0.1, 1.0, 10.0, 10.5]));
    }
    if rng.chance(0.2) {
        c["parameters"] = json!({"min_value": 1});
    }
    c
}

fn result_value(rng: &mut Seeded, i: usize) -> Value {
    let mut r = json!({
        "check_name": format!("c{i}"),
        "passed": rng.chance(0.5),
        "dimension": rng.pick(&DIMENSIONS),
        "severity": rng.pick(&SEVERITIES),
    });
    if rng.chance(0.3) {
        r["records_checked"] = json!(rng.pick(&[0, 10, 1000]));
    }
    if rng.chance(0.3) {
        r["execution_time_ms"] = json!(rng.pick(&[0.0, 12.5, -1.0]));
    }
    if rng.chance(0.2) {
        r["error_message"] = json!(rng.pick(&[Value::Null, json!("boom")]));
    }
    r
}

/// A quality check, suite or suite result, with one field of another kind now and
/// then (in the model or in its first check).
fn model_case(rng: &mut Seeded) -> Value {
    let model = *rng.pick(&["check", "suite", "suite_result"]);
    let mut value = match model {
        "check" => check_value(rng, 0),
        "suite" => json!({
            "model_name": "orders",
            "checks": (0..rng.below(3)).map(|i| check_value(rng, i)).collect::<Vec<_>>(),
            "timeout_seconds": rng.pick(&[0, 1, 300, 3600, 3601]),
        }),
        _ => json!({
            "suite_name": "s", "model_name": "orders", "passed": rng.chance(0.5),
            "checks": (0..rng.below(3)).map(|i| result_value(rng, i)).collect::<Vec<_>>(),
        }),
    };
    if rng.chance(0.4) {
        let wrong = [
            json!(5),
            json!("x"),
            Value::Null,
            json!([]),
            json!({}),
            json!(-1),
            json!(2.0),
        ];
        let target = match value.get_mut("checks").and_then(Value::as_array_mut) {
            Some(checks) if !checks.is_empty() && rng.chance(0.5) => &mut checks[0],
            _ => &mut value,
        };
        if let Some(map) = target.as_object_mut() {
            let keys: Vec<String> = map.keys().cloned().collect();
            let key = keys[rng.below(keys.len())].clone();
            match rng.below(8) {
                0 => {
                    map.remove(&key);
                }
                1 => {
                    map.insert("extra".to_owned(), json!(1));
                }
                _ => {
                    map.insert(key, rng.pick(&wrong).clone());
                }
            }
        }
    }
    json!({"kind": "model", "model": model, "value": value})
}

/// Hand-written cases, with the deliberate difference each exercises.
fn hand_written() -> Vec<(Value, Option<&'static str>)> {
    let gates =
        |models: &str, gates: Value| json!({"kind": "gates", "models": models, "gates": gates});
    let needs = |tests: Value| json!({"bronze": {"required_tests": tests}});
    vec![
        // floe takes the first key as written, not in sorted order.
        (
            gates(
                r#"[{"name": "m", "tests": [{"unique": {}, "accepted_values": {}}]}]"#,
                needs(json!(["unique"])),
            ),
            None,
        ),
        (
            gates(
                r#"[{"name": "m", "columns": [{"name": "id", "tests": [{"relationships": {"to": "x"}, "config": {}}]}]}]"#,
                needs(json!(["relationships", "config"])),
            ),
            None,
        ),
        (
            gates(r#"[{"name": "m", "tests": null}]"#, json!({})),
            Some("crash-on-shape"),
        ),
        (
            gates(r#"[{"name": "m", "columns": null}]"#, json!({})),
            Some("crash-on-shape"),
        ),
        (
            gates(
                r#"[{"name": "m", "columns": [{"name": "id", "tests": "not_null"}]}]"#,
                needs(json!(["not_null"])),
            ),
            Some("tests-string"),
        ),
        (
            gates(
                r#"[{"name": "m", "tests": [{"schema_test": null}]}]"#,
                needs(json!(["None"])),
            ),
            Some("null-test-type"),
        ),
        (
            gates(
                r#"[{"name": null, "tier": "silver", "columns": []}]"#,
                json!({}),
            ),
            Some("null-name"),
        ),
        (gates(r#"[{"name": 5, "tier": "gold"}]"#, json!({})), None),
        (
            gates(
                r#"[{"name": "m", "columns": [{"tests": [null, 3]}]}]"#,
                needs(json!(["unknown"])),
            ),
            None,
        ),
        (
            gates(r#"[]"#, json!({"gold": {"min_test_coverage": 0.00005}})),
            None,
        ),
        (
            gates(
                r#"[{"name": "a", "tier": "silver", "columns": [{"tests": []}]}, {"name": "b", "tier": "gold", "columns": [{"tests": []}]}]"#,
                json!({"silver": {"min_test_coverage": 1e-5}, "gold": {"min_test_coverage": 2.5}}),
            ),
            None,
        ),
        // A negative severity weight total divides, as in floe.
        (
            json!({"kind": "score",
                "config": {"provider": "gx", "calculation": {"severity_weights": {"critical": -1.0, "warning": 0.5}}},
                "results": {"suite_name": "s", "model_name": "m", "passed": false, "checks": [
                    {"check_name": "a", "passed": true, "dimension": "accuracy", "severity": "critical"},
                    {"check_name": "b", "passed": false, "dimension": "accuracy", "severity": "warning"}]}}),
            None,
        ),
        (
            json!({"kind": "config", "config": {"provider": "gx", "thresholds": {"min_score": "abc", "warn_score": 150}}}),
            None,
        ),
        (
            json!({"kind": "config", "config": {"provider": "gx", "dimension_weights": {"completeness": "x", "accuracy": 0.9}}}),
            None,
        ),
        (
            json!({"kind": "config", "config": {"provider": "gx", "dimension_weights": {"completeness": 1e-5}}}),
            None,
        ),
        (
            json!({"kind": "config", "config": {"provider": "gx", "calculation": {"baseline_score": true}}}),
            Some("bool-as-number"),
        ),
        (
            json!({"kind": "config", "config": {"provider": "gx", "thresholds": {"min_score": "70"}}}),
            Some("number-as-string"),
        ),
        (
            json!({"kind": "config", "config": {"provider": "gx", "dimension_weights": {
                "completeness": 0.00001, "accuracy": 0.0, "validity": 0.0, "consistency": 0.0, "timeliness": 0.0}}}),
            None,
        ),
        (json!({"kind": "config", "config": {}}), None),
        (
            json!({"kind": "config", "config": {"provider": 5, "enabled": "maybe"}}),
            None,
        ),
        (
            json!({"kind": "config", "config": {"provider": "gx", "quality_gates": {"gold": {"required_tests": ["a", 1]}}}}),
            None,
        ),
    ]
}

#[test]
fn quality_matches_floe_0_1_0a1() {
    let mut rng = Seeded::new(24_001);
    let mut cases: Vec<(Value, Option<&'static str>)> = hand_written();
    for _ in 0..500 {
        cases.push((score_case(&mut rng), None));
    }
    for _ in 0..500 {
        cases.push(gates_case(&mut rng));
    }
    for _ in 0..500 {
        cases.push(config_case(&mut rng));
    }
    for _ in 0..60 {
        cases.push((error_case(&mut rng), None));
    }
    for _ in 0..30 {
        let results: Vec<Value> = (0..rng.below(4))
            .map(|i| result_value(&mut rng, i))
            .collect();
        let results: Vec<Value> = results
            .into_iter()
            .map(|mut r| {
                r["execution_time_ms"] = json!(1.0);
                r
            })
            .collect();
        cases.push((json!({"kind": "facets", "results": results}), None));
    }
    for _ in 0..500 {
        cases.push((model_case(&mut rng), None));
    }
    let inputs: Vec<Value> = cases.iter().map(|(c, _)| c.clone()).collect();
    let theirs = reference::run(SCRIPT, &inputs);
    let mut family = Family::new("quality");
    for (i, ((case, deliberate), theirs)) in cases.iter().zip(&theirs).enumerate() {
        let label = format!("case {i} ({})", case["kind"].as_str().unwrap_or("?"));
        family.compare(label, case, &ours(case), theirs, *deliberate);
    }
    family.finish(800);
}
