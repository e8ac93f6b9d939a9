//! The quality plugin `great_expectations` against the real Great Expectations 1.9.1 of
//! a pinned environment of its own (`tests/python-requirements-gx.txt`, created under
//! `target/floe-gxenv-<hash>` on first use), plus a hanging fixture interpreter for the
//! timeout. No assertion depends on elapsed time.

#![cfg(all(unix, feature = "quality-gx"))]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use floe_plugins_builtin::great_expectations::GreatExpectationsPlugin;
use floe_registry::prelude::*;
use floe_registry::quality::{QualityCheck, QualitySuite};
use serde_json::{Map, Value, json};

const REQUIREMENTS: &str = include_str!("python-requirements-gx.txt");

/// The GX environment's interpreter, created on first use (once per test binary).
fn gx_python() -> &'static Path {
    static ENV: OnceLock<PathBuf> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in REQUIREMENTS.bytes() {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        let target = std::env::current_exe()
            .ok()
            .and_then(|exe| exe.ancestors().nth(3).map(Path::to_path_buf))
            .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"));
        let root = target.join(format!("floe-gxenv-{hash:016x}"));
        if !root.join("ready").exists() {
            let run = |cmd: &mut Command| {
                let out = cmd
                    .output()
                    .expect("python3 with venv and pip is installed");
                assert!(
                    out.status.success(),
                    "{}",
                    String::from_utf8_lossy(&out.stderr)
                );
            };
            run(Command::new("python3").args(["-m", "venv"]).arg(&root));
            let req = root.join("requirements.txt");
            fs::write(&req, REQUIREMENTS).unwrap();
            run(Command::new(root.join("bin/pip"))
                .args(["install", "-q", "--no-deps", "-r"])
                .arg(&req));
            fs::write(root.join("ready"), "").unwrap();
        }
        root.join("bin/python")
    })
}

/// A DuckDB file with `orders(id, status)`: ids 1, 2, 2; statuses open, null, x.
fn orders_db(dir: &Path) -> PathBuf {
    let db = dir.join("shop.duckdb");
    let out = Command::new(gx_python())
        .arg("-c")
        .arg(
            "import duckdb, sys\ncon = duckdb.connect(sys.argv[1])\n\
             con.execute(\"create table orders as select * from (values (1, 'open'), (2, null), (2, 'x')) t(id, status)\")\n\
             con.close()",
        )
        .arg(&db)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    db
}

fn check(value: Value) -> QualityCheck {
    serde_json::from_value(value).unwrap()
}

fn suite(checks: Vec<QualityCheck>, timeout_seconds: u32) -> QualitySuite {
    QualitySuite {
        model_name: "orders".into(),
        checks,
        timeout_seconds,
        fail_fast: false,
    }
}

#[test]
fn schema_matches_the_snapshot() {
    support::schema::assert_schema_snapshot(PluginType::Quality, "great_expectations");
}

#[test]
fn real_gx_results_are_paired_with_checks_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let db = orders_db(dir.path());
    // The first two checks are left out (unsupported type, invalid parameter key):
    // pairing by position, as floe does, would put every later result on the wrong check.
    let checks = vec![
        check(json!({"name": "custom_one", "type": "custom", "dimension": "accuracy"})),
        check(
            json!({"name": "bad_key", "type": "not_null", "column": "id",
                     "dimension": "completeness", "parameters": {"Mostly": 1}}),
        ),
        check(
            json!({"name": "ids_unique", "type": "unique", "column": "id",
                     "dimension": "consistency", "severity": "critical"}),
        ),
        check(
            json!({"name": "status_set", "type": "values_in_set", "column": "status",
                     "dimension": "validity", "parameters": {"value_set": ["open", "x"]}}),
        ),
        check(
            json!({"name": "rows", "type": "row_count_between", "dimension": "completeness",
                     "parameters": {"min_value": 1, "max_value": 5}}),
        ),
    ];
    let connection = json!({"dialect": "duckdb", "path": db});
    let result = GreatExpectationsPlugin::with_python(gx_python())
        .run_suite(&suite(checks, 600), connection.as_object().unwrap())
        .unwrap();
    assert_eq!(result.suite_name, "orders_suite");
    assert!(!result.passed);
    let names: Vec<&str> = result
        .checks
        .iter()
        .map(|c| c.check_name.as_str())
        .collect();
    assert_eq!(names, ["ids_unique", "status_set", "rows"]);
    let unique = &result.checks[0];
    assert!(!unique.passed);
    assert_eq!(
        unique.severity,
        floe_registry::quality::SeverityLevel::Critical
    );
    assert_eq!(
        unique.dimension,
        floe_registry::quality::Dimension::Consistency
    );
    assert_eq!((unique.records_checked, unique.records_failed), (3, 2));
    assert_eq!(
        unique.error_message.as_deref(),
        Some(
            "Check failed: 66.67% of values failed validation (2 sample failures available in details)"
        )
    );
    assert_eq!(unique.details["element_count"], json!(3));
    let set = &result.checks[1];
    assert!(set.passed && set.error_message.is_none());
    assert_eq!(set.records_checked, 3);
    assert!(result.checks[2].passed);
    assert_eq!(result.checks[2].details["observed_value"], json!(3));
    assert_eq!(result.summary["total"], json!(3));
    assert_eq!(result.summary["passed"], json!(2));
    assert_eq!(result.summary["failed"], json!(1));
    assert!((result.summary["success_percent"].as_f64().unwrap() - 200.0 / 3.0).abs() < 1e-9);
}

#[test]
fn a_missing_table_is_an_empty_frame() {
    let dir = tempfile::tempdir().unwrap();
    let db = orders_db(dir.path());
    let mut options = Map::new();
    options.insert(
        "connection_config".into(),
        json!({"dialect": "duckdb", "path": db}),
    );
    let plugin = GreatExpectationsPlugin::with_python(gx_python());
    // run_checks runs an empty suite: passed, nothing loaded.
    let empty = plugin.run_checks("nightly", "orders", &options).unwrap();
    assert_eq!(empty.suite_name, "nightly");
    assert!(empty.passed && empty.checks.is_empty());

    let rows = check(json!({"name": "rows", "type": "row_count_between",
        "dimension": "completeness", "parameters": {"min_value": 1}}));
    let mut s = suite(vec![rows], 600);
    s.model_name = "no_such_table".into();
    let connection = json!({"dialect": "duckdb", "path": db});
    let result = plugin
        .run_suite(&s, connection.as_object().unwrap())
        .unwrap();
    assert!(!result.checks[0].passed);
    assert_eq!(result.checks[0].details["observed_value"], json!(0));
}

#[test]
fn an_invalid_table_name_is_refused() {
    let rows =
        check(json!({"name": "rows", "type": "row_count_between", "dimension": "completeness"}));
    let mut s = suite(vec![rows], 5);
    s.model_name = "orders; drop table x".into();
    let err = GreatExpectationsPlugin::with_python("/nonexistent/python")
        .run_suite(&s, &Map::new())
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Invalid table name: 'orders; drop table x'"
    );
}

#[test]
fn health_follows_the_gx_import() {
    let healthy = GreatExpectationsPlugin::with_python(gx_python()).health_check();
    assert_eq!(healthy.state, HealthState::Healthy);
    assert_eq!(healthy.message, "Great Expectations is available");
    assert_eq!(healthy.details["gx_available"], json!(true));
    let missing = GreatExpectationsPlugin::with_python("/nonexistent/python").health_check();
    assert_eq!(missing.state, HealthState::Unhealthy);
    assert_eq!(missing.message, "Great Expectations is not installed");
    assert_eq!(missing.details["gx_available"], json!(false));
}

#[test]
fn a_run_past_its_timeout_is_the_dq106_error() {
    let dir = tempfile::tempdir().unwrap();
    let python = dir.path().join("python");
    fs::write(&python, "#!/bin/sh\nexec sleep 600\n").unwrap();
    fs::set_permissions(&python, fs::Permissions::from_mode(0o755)).unwrap();
    let rows =
        check(json!({"name": "rows", "type": "row_count_between", "dimension": "completeness"}));
    let err = GreatExpectationsPlugin::with_python(&python)
        .run_suite(&suite(vec![rows], 1), &Map::new())
        .unwrap_err();
    assert_eq!(
        support::error_chain::typed_cause(&err, "the quality suite of orders did not finish"),
        "[FLOE-DQ106] Quality check timeout for 'orders' after 1s. Pending checks: [rows]. \
         Resolution: Increase check_timeout_seconds or optimize checks"
    );
}
