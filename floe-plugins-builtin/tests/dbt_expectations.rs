//! The quality plugin `dbt_expectations` against the real dbt-core 1.11 and dbt-duckdb
//! of the pinned Python environment (a small project the tests write: one model, one
//! passing and one failing test), plus a hanging fixture executable for the timeout.
//! No assertion depends on elapsed time.

#![cfg(all(unix, feature = "quality-dbt"))]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod python_tools;
mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;

use floe_plugins_builtin::dbt_expectations::{DbtExpectationsPlugin, infer_dimension};
use floe_registry::prelude::*;
use floe_registry::quality::{Dimension, QualityCheck, QualitySuite, SeverityLevel};
use python_tools::python_env;
use serde_json::{Map, Value, json};

/// A dbt project `shop` with model `orders` (ids 1, 2; a null status), a passing
/// `unique` test on `id` and a failing `not_null` test on `status`, built with
/// `dbt run` into a DuckDB file.
struct Project {
    dir: tempfile::TempDir,
}

impl Project {
    fn new() -> Project {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("project");
        let profiles = dir.path().join("profiles");
        fs::create_dir_all(root.join("models")).unwrap();
        fs::create_dir_all(&profiles).unwrap();
        fs::write(
            root.join("dbt_project.yml"),
            "name: shop\nversion: '1.0'\nconfig-version: 2\nprofile: shop\n\
             flags:\n  send_anonymous_usage_stats: false\n",
        )
        .unwrap();
        fs::write(
            root.join("models/orders.sql"),
            "select 1 as id, 'open' as status union all select 2 as id, null as status\n",
        )
        .unwrap();
        fs::write(
            root.join("models/schema.yml"),
            "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        \
             data_tests: [unique]\n      - name: status\n        data_tests: [not_null]\n",
        )
        .unwrap();
        fs::write(
            profiles.join("profiles.yml"),
            format!(
                "shop:\n  target: dev\n  outputs:\n    dev:\n      type: duckdb\n      path: '{}'\n      threads: 1\n",
                dir.path().join("shop.duckdb").display()
            ),
        )
        .unwrap();
        let project = Project { dir };
        let out = Command::new(python_env().bin("dbt"))
            .arg("run")
            .arg("--project-dir")
            .arg(project.root())
            .arg("--profiles-dir")
            .arg(project.profiles())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "dbt run: {}",
            String::from_utf8_lossy(&out.stdout)
        );
        project
    }

    fn root(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn profiles(&self) -> PathBuf {
        self.dir.path().join("profiles")
    }

    fn connection(&self) -> Map<String, Value> {
        let value = json!({"project_dir": self.root(), "profiles_dir": self.profiles()});
        value.as_object().unwrap().clone()
    }
}

fn plugin() -> DbtExpectationsPlugin {
    DbtExpectationsPlugin::with_dbt_executable(python_env().bin("dbt"))
}

fn check(name: &str, dimension: Dimension, severity: SeverityLevel) -> QualityCheck {
    serde_json::from_value(json!({
        "name": name, "type": "unique", "column": "id",
        "dimension": dimension, "severity": severity,
    }))
    .unwrap()
}

#[test]
fn schema_matches_the_snapshot() {
    support::schema::assert_schema_snapshot(PluginType::Quality, "dbt_expectations");
}

#[test]
fn the_config_is_floes_quality_config() {
    let registry = support::registry::registry();
    registry
        .configure(
            PluginType::Quality,
            "dbt_expectations",
            json!({"provider": "dbt_expectations", "check_timeout_seconds": 60}),
        )
        .unwrap();
    assert!(
        registry
            .configure(
                PluginType::Quality,
                "dbt_expectations",
                json!({"provider": "dbt_expectations", "dbt": "x"}),
            )
            .is_err()
    );
    let quality = registry
        .get_as::<dyn QualityPlugin>("dbt_expectations")
        .unwrap();
    assert_eq!(quality.list_suites().unwrap(), Vec::<String>::new());
    for d in ["duckdb", "PostgreSQL", "snowflake"] {
        assert!(quality.supports_dialect(d), "{d}");
    }
    assert!(!quality.supports_dialect("postgres"));
}

#[test]
fn dimensions_are_inferred_from_test_names() {
    assert_eq!(
        infer_dimension("not_null_orders_status"),
        Dimension::Completeness
    );
    assert_eq!(infer_dimension("unique_orders_id"), Dimension::Consistency);
    assert_eq!(
        infer_dimension("accepted_values_orders_status__a__b"),
        Dimension::Validity
    );
    assert_eq!(
        infer_dimension("relationships_orders_customer_id"),
        Dimension::Consistency
    );
    assert_eq!(
        infer_dimension("dbt_expectations_expect_column_values_to_be_between_orders_id"),
        Dimension::Accuracy
    );
    assert_eq!(infer_dimension("my_custom_test"), Dimension::Validity);
}

#[test]
fn real_dbt_test_results_become_check_results() {
    let project = Project::new();
    // One check matches the `unique` test by node name; the `not_null` test has none.
    let suite = QualitySuite {
        model_name: "orders".into(),
        checks: vec![check(
            "unique_orders_id",
            Dimension::Accuracy,
            SeverityLevel::Info,
        )],
        timeout_seconds: 600,
        fail_fast: false,
    };
    let result = plugin().run_suite(&suite, &project.connection()).unwrap();
    assert_eq!(result.suite_name, "orders_suite");
    assert_eq!(result.model_name, "orders");
    assert!(!result.passed);
    assert_eq!(
        Value::Object(result.summary.clone()),
        json!({"total": 2, "passed": 1, "failed": 1, "dbt_success": false})
    );
    let unique = result.checks.iter().find(|c| c.passed).unwrap();
    assert_eq!(unique.check_name, "unique_orders_id");
    assert_eq!(unique.dimension, Dimension::Accuracy);
    assert_eq!(unique.severity, SeverityLevel::Info);
    assert_eq!(unique.records_failed, 0);
    assert_eq!(unique.error_message, None);
    assert_eq!(unique.details["dbt_status"], "pass");
    assert!(
        unique.details["unique_id"]
            .as_str()
            .unwrap()
            .starts_with("test.shop.unique_orders_id.")
    );
    assert!(unique.details["compiled_code"].is_string());

    let not_null = result.checks.iter().find(|c| !c.passed).unwrap();
    let unique_id = not_null.details["unique_id"].as_str().unwrap();
    assert!(unique_id.starts_with("test.shop.not_null_orders_status."));
    // Unmatched: the last dotted part of the unique id, as floe.
    assert_eq!(
        not_null.check_name,
        unique_id.rsplit('.').next().unwrap().to_owned()
    );
    assert_eq!(not_null.dimension, Dimension::Completeness);
    assert_eq!(not_null.severity, SeverityLevel::Warning);
    assert_eq!(not_null.records_failed, 1);
    assert_eq!(not_null.records_checked, 0);
    assert_eq!(not_null.details["dbt_status"], "fail");
    assert_eq!(
        not_null.error_message.as_deref(),
        Some("Got 1 result, configured to fail if != 0")
    );
    assert!(not_null.execution_time_ms >= 0.0);
}

#[test]
fn run_checks_names_the_suite_and_fail_fast_stops_at_the_first_failure() {
    let project = Project::new();
    let mut options = project.connection();
    options.insert("fail_fast".into(), json!(true));
    options.insert("timeout_seconds".into(), json!(600));
    let result = plugin().run_checks("nightly", "orders", &options).unwrap();
    assert_eq!(result.suite_name, "nightly");
    assert!(!result.passed);
    let last = result.checks.last().unwrap();
    assert!(!last.passed, "results stop at the first failure");
    assert_eq!(result.summary["failed"], json!(1));
    assert_eq!(result.summary["dbt_success"], json!(false));
}

#[test]
fn health_follows_the_dbt_executable() {
    let healthy = plugin().health_check();
    assert_eq!(healthy.state, HealthState::Healthy);
    assert_eq!(healthy.message, "dbt-core is available");
    assert_eq!(healthy.details["dbt_available"], json!(true));

    let missing = DbtExpectationsPlugin::with_dbt_executable("/nonexistent/dbt").health_check();
    assert_eq!(missing.state, HealthState::Unhealthy);
    assert_eq!(missing.message, "dbt-core is not installed");
    assert_eq!(missing.details["dbt_available"], json!(false));
}

#[test]
fn without_dbt_the_result_is_passed_and_empty() {
    let plugin = DbtExpectationsPlugin::with_dbt_executable("/nonexistent/dbt");
    let result = plugin
        .validate_expectations("orders", &[json!({"column": "id"})])
        .unwrap();
    assert!(result.is_empty());
    let suite = QualitySuite {
        model_name: "orders".into(),
        checks: vec![],
        timeout_seconds: 5,
        fail_fast: false,
    };
    let result = plugin.run_suite(&suite, &Map::new()).unwrap();
    assert!(result.passed);
    assert_eq!(
        Value::Object(result.summary),
        json!({"total": 0, "passed": 0, "failed": 0})
    );
}

fn hanging_dbt(dir: &Path) -> PathBuf {
    let bin = dir.join("dbt");
    fs::write(&bin, "#!/bin/sh\nexec sleep 600\n").unwrap();
    fs::set_permissions(&bin, fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

#[test]
fn a_run_past_its_timeout_is_the_dq106_error() {
    let dir = tempfile::tempdir().unwrap();
    let plugin = DbtExpectationsPlugin::with_dbt_executable(hanging_dbt(dir.path()));
    let suite = QualitySuite {
        model_name: "orders".into(),
        checks: vec![check(
            "unique_orders_id",
            Dimension::Consistency,
            SeverityLevel::Warning,
        )],
        timeout_seconds: 1,
        fail_fast: false,
    };
    let connection = json!({"project_dir": dir.path()});
    let err = plugin
        .run_suite(&suite, connection.as_object().unwrap())
        .unwrap_err();
    assert_eq!(
        support::error_chain::typed_cause(&err, "the quality suite of orders did not finish"),
        "[FLOE-DQ106] Quality check timeout for 'orders' after 1s. Pending checks: [unique_orders_id]. \
         Resolution: Increase check_timeout_seconds or optimize checks"
    );
}
