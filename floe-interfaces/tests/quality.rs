//! Quality config, gates and score, as floe defines them.

use floe_interfaces::quality::*;
use floe_interfaces::{Validate, from_value};
use serde_json::json;

fn result(dimension: Dimension, severity: SeverityLevel, passed: bool) -> QualityCheckResult {
    QualityCheckResult::new("c", passed, dimension, severity)
}

fn score_of(checks: Vec<QualityCheckResult>) -> QualityScore {
    let suite = QualitySuiteResult::new("s", "orders", false, checks);
    calculate_quality_score(&suite, &QualityConfig::new("gx"))
}

#[test]
fn config_defaults_match_floe() {
    let c: QualityConfig = from_value(json!({"provider": "great_expectations"})).expect("valid");
    assert_eq!(c.check_timeout_seconds, 300);
    assert!(c.enabled);
    assert_eq!(c.thresholds.min_score, 70);
    assert_eq!(c.thresholds.warn_score, 85);
    assert_eq!(c.calculation.baseline_score, 70);
    assert_eq!(c.calculation.severity_weights["critical"], 3.0);
    assert_eq!(c.quality_gates.silver.min_test_coverage, 80.0);
    assert_eq!(
        c.quality_gates.silver.required_tests,
        ["not_null", "unique"]
    );
    assert_eq!(c.quality_gates.gold.min_score, 90);
    assert_eq!(c.quality_gates.bronze.min_test_coverage, 0.0);
    assert_eq!(c.dimension_weights.validity, 0.20);
}

#[test]
fn weights_must_sum_to_one() {
    let err = from_value::<QualityConfig>(json!({
        "provider": "gx",
        "dimension_weights": {"completeness": 0.35}
    }))
    .expect_err("sum 1.1");
    assert_eq!(
        err.messages(),
        ["Dimension weights must sum to 1.0, got 1.1"]
    );
}

#[test]
fn bounds_and_unknown_fields_are_refused() {
    let err = from_value::<QualityConfig>(json!({"provider": "gx", "check_timeout_seconds": 0}))
        .expect_err("timeout 0");
    assert_eq!(
        err.to_string(),
        "check_timeout_seconds: must be between 1 and 3600, got 0"
    );
    let err = from_value::<QualityConfig>(
        json!({"provider": "gx", "quality_gates": {"gold": {"min_test_coverage": 101.0}}}),
    )
    .expect_err("coverage 101");
    assert_eq!(
        err.to_string(),
        "quality_gates.gold.min_test_coverage: must be between 0 and 100, got 101"
    );
    assert!(from_value::<QualityConfig>(json!({"provider": "gx", "extra": 1})).is_err());
    assert_eq!(
        from_value::<QualityConfig>(json!({"provider": ""}))
            .expect_err("blank")
            .to_string(),
        "provider: must not be empty"
    );
}

#[test]
fn threshold_order_is_not_checked() {
    let c = from_value::<QualityConfig>(
        json!({"provider": "gx", "thresholds": {"min_score": 90, "warn_score": 10}}),
    );
    assert!(c.is_ok(), "floe does not order min_score and warn_score");
}

#[test]
fn no_checks_scores_one_hundred_everywhere() {
    let s = score_of(vec![]);
    assert_eq!(s.overall, 100.0);
    assert!(s.dimension_scores.values().all(|v| *v == 100.0));
    assert_eq!((s.checks_passed, s.checks_failed), (0, 0));
}

#[test]
fn all_passed_is_one_hundred_and_all_failed_is_twenty() {
    let all = |passed| {
        Dimension::ALL
            .iter()
            .map(|d| result(*d, SeverityLevel::Warning, passed))
            .collect()
    };
    assert_eq!(score_of(all(true)).overall, 100.0);
    assert!((score_of(all(false)).overall - 20.0).abs() < 1e-9);
}

#[test]
fn a_dimension_without_checks_scores_one_hundred() {
    let s = score_of(vec![result(
        Dimension::Accuracy,
        SeverityLevel::Info,
        false,
    )]);
    assert_eq!(s.dimension_scores[&Dimension::Accuracy], 0.0);
    assert_eq!(s.dimension_scores[&Dimension::Timeliness], 100.0);
}

#[test]
fn severity_weights_the_passed_share() {
    // critical (3.0) passed, info (0.5) failed: 3 / 3.5 of completeness
    let s = score_of(vec![
        result(Dimension::Completeness, SeverityLevel::Critical, true),
        result(Dimension::Completeness, SeverityLevel::Info, false),
    ]);
    assert!((s.dimension_scores[&Dimension::Completeness] - 300.0 / 3.5).abs() < 1e-9);
}

#[test]
fn a_severity_without_weight_counts_one() {
    let mut config = QualityConfig::new("gx");
    config.calculation.severity_weights.clear();
    let suite = QualitySuiteResult::new(
        "s",
        "m",
        false,
        vec![
            result(Dimension::Validity, SeverityLevel::Critical, true),
            result(Dimension::Validity, SeverityLevel::Info, false),
        ],
    );
    assert_eq!(
        calculate_quality_score(&suite, &config).dimension_scores[&Dimension::Validity],
        50.0
    );
}

#[test]
fn raw_eighty_five_stays_eighty_five() {
    // completeness 40 (weight .25) and the rest 100: raw = 10 + 75 = 85
    let mut checks = vec![result(Dimension::Completeness, SeverityLevel::Warning, true); 2];
    checks.extend(vec![
        result(
            Dimension::Completeness,
            SeverityLevel::Warning,
            false
        );
        3
    ]);
    let s = score_of(checks);
    assert!((s.overall - 85.0).abs() < 1e-9, "got {}", s.overall);
}

#[test]
fn baseline_edges_do_not_divide_by_zero() {
    let mut config = QualityConfig::new("gx");
    config.calculation.baseline_score = 100;
    let suite = QualitySuiteResult::new(
        "s",
        "m",
        true,
        vec![result(Dimension::Validity, SeverityLevel::Info, true)],
    );
    assert_eq!(calculate_quality_score(&suite, &config).overall, 100.0);
    config.calculation.baseline_score = 0;
    let failed = QualitySuiteResult::new(
        "s",
        "m",
        false,
        vec![result(Dimension::Validity, SeverityLevel::Info, false)],
    );
    // raw 80 (validity 0 × 0.2) >= B = 0: 0 + 80/100 · 30
    assert!((calculate_quality_score(&failed, &config).overall - 24.0).abs() < 1e-9);
}

fn model(name: &str, tier: &str, columns: serde_json::Value) -> serde_json::Value {
    json!({"name": name, "tier": tier, "columns": columns})
}

#[test]
fn gates_pass_as_gold_with_full_coverage_when_nothing_is_violated() {
    let m = model(
        "orders",
        "bronze",
        json!([{"name": "id", "tests": ["not_null"]}]),
    );
    let r = validate_quality_gates(&[m], &QualityGates::default());
    assert!(r.passed);
    assert_eq!(r.tier, GateTierName::Gold);
    assert_eq!(r.coverage_actual, 100.0);
    assert_eq!(r.coverage_required, 100.0);
}

#[test]
fn coverage_below_the_tier_is_a_dq103_violation() {
    let m = model(
        "orders",
        "silver",
        json!([{"name": "id", "tests": ["not_null", {"unique": {}}]}, {"name": "x", "tests": []}]),
    );
    let r = validate_quality_gates(&[m], &QualityGates::default());
    assert_eq!(
        r.violations,
        [
            "[FLOE-DQ103] Coverage violation for 'orders' (silver tier): 50.0% < 80.0% required. Resolution: Add more tests to meet silver tier minimum of 80.0%"
        ]
    );
    assert_eq!(
        (r.tier, r.coverage_actual, r.coverage_required),
        (GateTierName::Silver, 50.0, 80.0)
    );
}

#[test]
fn missing_required_tests_are_a_sorted_dq104_violation() {
    let m = model(
        "dim_customer",
        "gold",
        json!([{"name": "id", "tests": [{"schema_test": "unique"}]}]),
    );
    let r = validate_quality_gates(&[m], &QualityGates::default());
    assert!(!r.passed);
    assert_eq!(
        r.violations,
        [
            "[FLOE-DQ104] Missing required tests for 'dim_customer' (gold tier): [accepted_values, not_null, relationships]. Resolution: Add required tests: accepted_values, not_null, relationships"
        ]
    );
    assert_eq!(
        r.missing_tests,
        ["accepted_values", "not_null", "relationships"]
    );
}

#[test]
fn unknown_or_absent_tier_is_bronze_and_no_columns_is_zero_coverage() {
    let mut gates = QualityGates::default();
    gates.bronze.min_test_coverage = 10.0;
    let r = validate_quality_gates(&[json!({"name": "raw", "tier": "platinum"})], &gates);
    assert_eq!((r.tier, r.coverage_actual), (GateTierName::Bronze, 0.0));
}

#[test]
fn the_worst_coverage_sets_the_tier() {
    let a = model(
        "a",
        "silver",
        json!([{"name": "x", "tests": []}, {"name": "y", "tests": ["not_null", "unique"]}]),
    );
    let b = model("b", "gold", json!([{"name": "x", "tests": []}]));
    let r = validate_quality_gates(&[a, b], &QualityGates::default());
    assert_eq!((r.tier, r.coverage_actual), (GateTierName::Gold, 0.0));
}

#[test]
fn model_level_tests_count_as_present() {
    let m = json!({"name": "m", "tier": "silver", "columns": [{"name": "id", "tests": ["not_null"]}], "tests": ["unique"]});
    assert!(validate_quality_gates(&[m], &QualityGates::default()).passed);
}

#[test]
fn quality_errors_carry_their_codes_and_texts() {
    let e = QualityError::ProviderNotFound {
        provider: "sodaa".into(),
        available: vec!["a".into(), "b".into()],
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ001] Invalid quality provider 'sodaa'. Available providers: [a, b]. Resolution: Check manifest.yaml plugins.quality.provider; valid providers: a, b"
    );
    let e = QualityError::Timeout {
        model: "m".into(),
        seconds: 30,
        pending: vec![],
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ106] Quality check timeout for 'm' after 30s. Resolution: Increase check_timeout_seconds or optimize checks"
    );
    let e = QualityError::ColumnReference {
        check: "c".into(),
        model: "m".into(),
        column: "x".into(),
        available: Some(vec!["id".into()]),
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ105] Invalid column reference in check 'c' for model 'm': column 'x' not found. Available columns: [id]. Resolution: Verify column 'x' exists in model schema"
    );
    let e = QualityError::CheckFailed {
        model: "m".into(),
        failed: 2,
        total: 5,
        score: 61.25,
        minimum: 70.0,
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ102] Quality checks failed for 'm': 2/5 checks failed. Score 61.2 < minimum 70.0. Resolution: Review failed checks in run output; fix data issues"
    );
}

#[test]
fn every_code_has_the_floe_prefix_and_every_message_starts_with_its_code() {
    let errors = [
        QualityError::ProviderNotFound {
            provider: "p".into(),
            available: vec![],
        },
        QualityError::CheckFailed {
            model: "m".into(),
            failed: 1,
            total: 1,
            score: 0.0,
            minimum: 70.0,
        },
        QualityError::Coverage {
            model: "m".into(),
            tier: "gold".into(),
            actual: 0.0,
            required: 100.0,
        },
        QualityError::MissingTests {
            model: "m".into(),
            tier: "gold".into(),
            missing: vec!["unique".into()],
        },
        QualityError::ColumnReference {
            check: "c".into(),
            model: "m".into(),
            column: "x".into(),
            available: None,
        },
        QualityError::Timeout {
            model: "m".into(),
            seconds: 1,
            pending: vec![],
        },
        QualityError::Override {
            setting: "s".into(),
            locked_by: "enterprise".into(),
            attempted_by: "domain".into(),
        },
    ];
    let codes: Vec<&str> = errors.iter().map(QualityError::code).collect();
    assert_eq!(
        codes,
        [
            "FLOE-DQ001",
            "FLOE-DQ102",
            "FLOE-DQ103",
            "FLOE-DQ104",
            "FLOE-DQ105",
            "FLOE-DQ106",
            "FLOE-DQ107"
        ],
        "the codes exactly as floe gives them"
    );
    for e in &errors {
        assert!(
            e.to_string().starts_with(&format!("[{}] ", e.code())),
            "{e} must start with [{}]",
            e.code()
        );
    }
}

#[test]
fn the_override_missing_tests_and_pending_timeout_texts_are_floes() {
    let e = QualityError::Override {
        setting: "min_score".into(),
        locked_by: "enterprise".into(),
        attempted_by: "domain".into(),
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ107] Cannot override locked setting 'min_score': locked by enterprise level, attempted by domain level. Resolution: Remove 'min_score' override from domain-level configuration"
    );
    let e = QualityError::MissingTests {
        model: "m".into(),
        tier: "silver".into(),
        missing: vec!["not_null".into(), "unique".into()],
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ104] Missing required tests for 'm' (silver tier): [not_null, unique]. Resolution: Add required tests: not_null, unique"
    );
    let e = QualityError::Timeout {
        model: "m".into(),
        seconds: 300,
        pending: vec!["a".into(), "b".into()],
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ106] Quality check timeout for 'm' after 300s. Pending checks: [a, b]. Resolution: Increase check_timeout_seconds or optimize checks"
    );
    let e = QualityError::ColumnReference {
        check: "c".into(),
        model: "m".into(),
        column: "x".into(),
        available: None,
    };
    assert_eq!(
        e.to_string(),
        "[FLOE-DQ105] Invalid column reference in check 'c' for model 'm': column 'x' not found. Resolution: Verify column 'x' exists in model schema"
    );
}

#[test]
fn facets_are_empty_for_no_results_and_list_assertions_otherwise() {
    assert_eq!(quality_facets(&[]), json!({}));
    let f = quality_facets(&[result(Dimension::Validity, SeverityLevel::Info, false)]);
    assert_eq!(f["_producer"], "floe");
    assert_eq!(f["_schemaURL"], QUALITY_FACET_SCHEMA_URL);
    assert_eq!(
        f["assertions"],
        json!([{"assertion": "c", "success": false, "column": null}])
    );
}

#[test]
fn a_check_needs_a_name_and_a_weight_in_range() {
    let c: QualityCheck = serde_json::from_value(
        json!({"name": "", "type": "not_null", "dimension": "completeness", "custom_weight": 20.0}),
    )
    .expect("shape");
    assert_eq!(c.severity, SeverityLevel::Warning);
    assert_eq!(
        c.validate().expect_err("bad").to_string(),
        "name: must not be empty; custom_weight: must be between 0.1 and 10, got 20"
    );
}

#[test]
fn a_test_dict_is_read_by_its_first_key_as_written() {
    let gates: QualityGates =
        serde_json::from_value(json!({"bronze": {"required_tests": ["unique"]}})).expect("gates");
    let written = r#"[{"name": "m", "tests": [{"unique": {}, "accepted_values": {}}]}]"#;
    assert!(
        validate_quality_gates_json(written, &gates)
            .expect("json")
            .passed
    );
    let other = r#"[{"name": "m", "tests": [{"accepted_values": {}, "unique": {}}]}]"#;
    let r = validate_quality_gates_json(other, &gates).expect("json");
    assert_eq!(r.missing_tests, ["unique"]);
}

#[test]
fn odd_tests_are_read_as_meant_and_names_as_python_writes_them() {
    let gates: QualityGates = serde_json::from_value(
        json!({"bronze": {"min_test_coverage": 0.00005, "required_tests": ["not_null", "None"]}}),
    )
    .expect("gates");
    let models = r#"[{"name": 5, "tests": null, "columns": [
        {"tests": "not_null"}, {"tests": [{"schema_test": null}]}, {"tests": {"unique": {}}}, "id"]}]"#;
    let r = validate_quality_gates_json(models, &gates).expect("json");
    assert_eq!(r.coverage_actual, 100.0);
    assert_eq!(
        r.violations,
        ["[FLOE-DQ104] Missing required tests for '5' (bronze tier): [None]. Resolution: Add required tests: None"]
            .map(str::to_owned)
    );
    let empty = validate_quality_gates_json(r#"[{"name": null}]"#, &gates).expect("json");
    assert_eq!(
        empty.violations[0],
        "[FLOE-DQ103] Coverage violation for 'unknown' (bronze tier): 0.0% < 0.0% required. Resolution: Add more tests to meet bronze tier minimum of 5e-05%"
    );
}

#[test]
fn a_type_error_hides_no_other_problem_of_the_config() {
    let bad = json!({"provider": "gx", "enabled": "maybe",
        "thresholds": {"min_score": "x", "warn_score": 150},
        "dimension_weights": {"completeness": "x", "accuracy": 0.9}});
    let err = QualityConfig::from_json(&bad).expect_err("invalid");
    let paths: Vec<&str> = err.0.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(
        paths,
        [
            "dimension_weights.completeness",
            "thresholds.min_score",
            "enabled",
            "thresholds.warn_score"
        ]
    );
    let serde_err = serde_json::from_value::<QualityConfig>(bad).expect_err("invalid");
    assert!(
        serde_err
            .to_string()
            .contains("thresholds.warn_score: must be between 0 and 100, got 150")
    );
    let integral: QualityConfig =
        QualityConfig::from_json(&json!({"provider": "gx", "thresholds": {"min_score": 60.0}}))
            .expect("an integral float is an integer");
    assert_eq!(integral.thresholds.min_score, 60);
}

#[test]
fn a_negative_severity_total_divides_as_in_floe() {
    let config = QualityConfig::from_json(&json!({"provider": "gx",
        "calculation": {"severity_weights": {"critical": -1.0, "warning": 0.5}}}))
    .expect("valid");
    let suite = QualitySuiteResult::new(
        "s",
        "m",
        false,
        vec![
            result(Dimension::Accuracy, SeverityLevel::Critical, true),
            result(Dimension::Accuracy, SeverityLevel::Warning, false),
        ],
    );
    let score = calculate_quality_score(&suite, &config);
    assert_eq!(score.dimension_scores[&Dimension::Accuracy], 200.0);
}
