//! Quality plugin `great_expectations`: runs Great Expectations through a Python runner
//! shipped with the plugin ([`RUNNER_SOURCE`], written to a temporary directory and run
//! with the given interpreter), one JSON job on stdin and one JSON document on stdout.
//!
//! The plugin's config is floe's [`QualityConfig`]. The interpreter is
//! `connection.python`, else the one given to [`GreatExpectationsPlugin::with_python`],
//! else `python3` on `PATH`; `connection.dialect` (default `duckdb`) and `path` (the
//! DuckDB file, default in-memory) say where the data is.
//!
//! `run_suite`: a suite without checks is a passed, empty result and loads nothing.
//! Otherwise each enabled check of a supported type whose parameter keys all match
//! `^[a-z][a-z0-9_]*$` becomes a GX expectation ([`expectation_of`]): `not_null`,
//! `unique`, `values_in_set`, `values_between`, `regex_match`, `row_count_between`,
//! `column_exists`, `column_type`; the others are left out, as floe's. For DuckDB the
//! runner selects all rows of the model, whose name must match
//! `^[a-zA-Z_][a-zA-Z0-9_.]*$` (else `Invalid table name: '<n>'`) and is quoted as one
//! identifier (so `schema.table` does not resolve); a missing table, or another
//! dialect, gives an empty frame. A run past `timeout_seconds` is killed: DQ106.
//!
//! Results are paired with checks **by name**. floe pairs them by position with the
//! enabled checks, so one skipped check shifts every later result onto the wrong check;
//! this port does not reproduce that bug.
//!
//! Per check: `records_checked` = `element_count`, `records_failed` =
//! `unexpected_count`, details = GX's result dict, and a failure's message `Check
//! failed: <pct:.2f>% of values failed validation (<k> sample failures available in
//! details)`. Summary `{total, passed, failed, success_percent}` from GX's statistics.
//!
//! ```
//! use floe_plugins_builtin::great_expectations::expectation_of;
//! use floe_registry::quality::QualityCheck;
//!
//! let check: QualityCheck = serde_json::from_value(serde_json::json!({
//!     "name": "ids", "type": "values_between", "column": "id", "dimension": "validity",
//!     "parameters": {"min_value": 1, "max_value": 9}})).unwrap();
//! let e = expectation_of(&check).unwrap();
//! assert_eq!(e["expectation"], "ExpectColumnValuesToBeBetween");
//! assert_eq!(e["kwargs"], serde_json::json!({"column": "id", "min_value": 1, "max_value": 9}));
//! ```

use std::path::PathBuf;
use std::process::Command;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use floe_registry::prelude::*;
use floe_registry::quality::{
    QualityCheck, QualityCheckResult, QualityConfig, QualityError, QualitySuite, QualitySuiteResult,
};
use serde_json::{Map, Value, json};

use crate::support::process;
use crate::support::quality::{DIALECTS, suite_from_expectations, suite_from_options};

/// The source of the shipped runner.
pub const RUNNER_SOURCE: &str = include_str!("great_expectations/floe_gx_runner.py");

/// Seconds the health check's import of GX may take.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(120);

/// The check types and their GX expectation classes.
pub const EXPECTATIONS: [(&str, &str); 8] = [
    ("not_null", "ExpectColumnValuesToNotBeNull"),
    ("unique", "ExpectColumnValuesToBeUnique"),
    ("values_in_set", "ExpectColumnValuesToBeInSet"),
    ("values_between", "ExpectColumnValuesToBeBetween"),
    ("regex_match", "ExpectColumnValuesToMatchRegex"),
    ("row_count_between", "ExpectTableRowCountToBeBetween"),
    ("column_exists", "ExpectColumnToExist"),
    ("column_type", "ExpectColumnValuesToBeOfType"),
];

/// Great Expectations: data quality through a shipped Python runner.
#[floe_plugin(type = Quality, name = "great_expectations", version = "0.1.0", description = "Data quality checks run by Great Expectations", config = QualityConfig)]
#[derive(Default)]
pub struct GreatExpectationsPlugin {
    #[config]
    config: ConfigCell<QualityConfig>,
    python: Option<PathBuf>,
}

/// Whether a parameter key is one floe accepts: `^[a-z][a-z0-9_]*$`.
pub fn valid_parameter_key(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

/// Whether a table name is one the runner selects from: `^[a-zA-Z_][a-zA-Z0-9_.]*$`.
pub fn valid_table_name(name: &str) -> bool {
    let mut chars = name.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '.')
}

/// A check as the runner's expectation `{name, expectation, kwargs}` (kwargs: the
/// column, if any, and the parameters); `None` for a disabled check, an unsupported
/// type or an invalid parameter key.
pub fn expectation_of(check: &QualityCheck) -> Option<Value> {
    if !check.enabled || !check.parameters.keys().all(|k| valid_parameter_key(k)) {
        return None;
    }
    let (_, class) = EXPECTATIONS.iter().find(|(t, _)| *t == check.check_type)?;
    let mut kwargs = Map::new();
    if let Some(column) = &check.column {
        kwargs.insert("column".into(), json!(column));
    }
    kwargs.extend(check.parameters.clone());
    Some(json!({"name": check.name, "expectation": class, "kwargs": kwargs}))
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Writes the runner to a fresh file in the temporary directory.
fn write_runner() -> Result<tempfile_path::TempRunner, PluginError> {
    tempfile_path::TempRunner::new(RUNNER_SOURCE, TEMP_COUNTER.fetch_add(1, Ordering::Relaxed))
}

mod tempfile_path {
    use std::path::PathBuf;

    use floe_registry::PluginError;

    /// The runner written to `<temp>/floe-gx-runner-<pid>-<n>.py`, removed on drop.
    pub(super) struct TempRunner(pub(super) PathBuf);

    impl TempRunner {
        pub(super) fn new(source: &str, n: u64) -> Result<Self, PluginError> {
            let path =
                std::env::temp_dir().join(format!("floe-gx-runner-{}-{n}.py", std::process::id()));
            std::fs::write(&path, source).map_err(|e| {
                crate::error::failure(
                    format!("cannot write the GX runner to {}", path.display()),
                    e,
                )
            })?;
            Ok(TempRunner(path))
        }
    }

    impl Drop for TempRunner {
        fn drop(&mut self) {
            let _ = std::fs::remove_file(&self.0);
        }
    }
}

impl GreatExpectationsPlugin {
    /// A plugin whose default interpreter is `python` (instead of `python3` on `PATH`).
    pub fn with_python(python: impl Into<PathBuf>) -> Self {
        GreatExpectationsPlugin {
            python: Some(python.into()),
            ..Self::default()
        }
    }

    fn python(&self, connection: &Map<String, Value>) -> String {
        match connection.get("python").and_then(Value::as_str) {
            Some(p) => p.to_owned(),
            None => self.python.as_ref().map_or_else(
                || "python3".to_owned(),
                |p| p.to_string_lossy().into_owned(),
            ),
        }
    }
}

fn check_result(check: &QualityCheck, outcome: &Value) -> QualityCheckResult {
    let passed = outcome
        .get("success")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let details = outcome
        .get("result")
        .and_then(Value::as_object)
        .cloned()
        .unwrap_or_default();
    // Counts are numbers; a runner that stringifies them still counts.
    let count = |key: &str| {
        details
            .get(key)
            .and_then(|v| v.as_u64().or_else(|| v.as_str()?.parse().ok()))
            .unwrap_or(0)
    };
    let mut result = QualityCheckResult::new(&check.name, passed, check.dimension, check.severity);
    result.records_checked = count("element_count");
    result.records_failed = count("unexpected_count");
    if !passed {
        let pct = details
            .get("unexpected_percent")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        let samples = details
            .get("partial_unexpected_list")
            .and_then(Value::as_array)
            .map_or(0, Vec::len);
        result.error_message = Some(format!(
            "Check failed: {pct:.2}% of values failed validation ({samples} sample failures available in details)"
        ));
    }
    result.details = details;
    result
}

impl QualityPlugin for GreatExpectationsPlugin {
    fn run_checks(
        &self,
        suite_name: &str,
        data_source: &str,
        options: &Map<String, Value>,
    ) -> Result<QualitySuiteResult, PluginError> {
        let suite = suite_from_options(data_source, options);
        let connection = options
            .get("connection_config")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_else(|| {
                let mut m = Map::new();
                m.insert("dialect".into(), json!("duckdb"));
                m
            });
        let mut result = self.run_suite(&suite, &connection)?;
        suite_name.clone_into(&mut result.suite_name);
        Ok(result)
    }

    fn run_suite(
        &self,
        suite: &QualitySuite,
        connection_config: &Map<String, Value>,
    ) -> Result<QualitySuiteResult, PluginError> {
        let began = Instant::now();
        let suite_name = format!("{}_suite", suite.model_name);
        if suite.checks.is_empty() {
            return Ok(QualitySuiteResult::new(
                suite_name,
                &suite.model_name,
                true,
                vec![],
            ));
        }
        let dialect = connection_config
            .get("dialect")
            .and_then(Value::as_str)
            .unwrap_or("duckdb");
        if dialect == "duckdb" && !valid_table_name(&suite.model_name) {
            return Err(PluginError::failed(format!(
                "Invalid table name: '{}'",
                suite.model_name
            )));
        }
        let expectations: Vec<Value> = suite.checks.iter().filter_map(expectation_of).collect();
        let job = json!({
            "model_name": suite.model_name,
            "dialect": dialect,
            "path": connection_config.get("path").cloned().unwrap_or(Value::Null),
            "expectations": expectations,
        });
        let python = self.python(connection_config);
        let runner = write_runner()?;
        let limit = Duration::from_secs(u64::from(suite.timeout_seconds.max(1)));
        let finished = process::run(
            Command::new(&python).arg(&runner.0),
            Some(job.to_string().as_bytes()),
            Some(limit),
        )
        .map_err(|e| crate::error::failure(format!("cannot run {python}"), e))?;
        if finished.timed_out {
            let error = QualityError::Timeout {
                model: suite.model_name.clone(),
                seconds: suite.timeout_seconds,
                pending: expectations
                    .iter()
                    .filter_map(|e| e["name"].as_str().map(str::to_owned))
                    .collect(),
            };
            return Err(crate::error::failure(
                format!("the quality suite of {} did not finish", suite.model_name),
                error,
            ));
        }
        let output: Value = serde_json::from_str(finished.stdout.trim()).map_err(|_| {
            PluginError::failed(format!(
                "the GX runner failed (exit {:?}): {}",
                finished.code,
                finished.stderr.trim()
            ))
        })?;
        if let Some(error) = output.get("error").and_then(Value::as_str) {
            return Err(PluginError::failed(error.to_owned()));
        }
        let outcomes = output
            .get("results")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default();
        // By name: each runner result names its check.
        let checks: Vec<QualityCheckResult> = suite
            .checks
            .iter()
            .filter_map(|check| {
                outcomes
                    .iter()
                    .find(|o| o.get("name").and_then(Value::as_str) == Some(&check.name))
                    .map(|o| check_result(check, o))
            })
            .collect();
        let stats = output.get("statistics").cloned().unwrap_or(Value::Null);
        let mut summary = Map::new();
        summary.insert("total".into(), stats["evaluated_expectations"].clone());
        summary.insert("passed".into(), stats["successful_expectations"].clone());
        summary.insert("failed".into(), stats["unsuccessful_expectations"].clone());
        summary.insert("success_percent".into(), stats["success_percent"].clone());
        let passed = checks.iter().all(|c| c.passed);
        let mut result = QualitySuiteResult::new(suite_name, &suite.model_name, passed, checks);
        result.summary = summary;
        result.execution_time_ms = began.elapsed().as_secs_f64() * 1000.0;
        Ok(result)
    }

    fn validate_expectations(
        &self,
        data_source: &str,
        expectations: &[Value],
    ) -> Result<Vec<QualityCheckResult>, PluginError> {
        let suite = suite_from_expectations(data_source, expectations);
        let mut connection = Map::new();
        connection.insert("dialect".into(), json!("duckdb"));
        Ok(self.run_suite(&suite, &connection)?.checks)
    }

    fn list_suites(&self) -> Result<Vec<String>, PluginError> {
        Ok(Vec::new())
    }

    fn supports_dialect(&self, dialect: &str) -> bool {
        DIALECTS.contains(&dialect.to_lowercase().as_str())
    }

    /// Healthy when the interpreter imports `great_expectations`.
    fn health_check(&self) -> HealthStatus {
        let python = self.python(&Map::new());
        let available = process::run(
            Command::new(&python).args(["-c", "import great_expectations"]),
            None,
            Some(HEALTH_TIMEOUT),
        )
        .is_ok_and(|f| f.success());
        if available {
            HealthStatus::new(HealthState::Healthy, "Great Expectations is available")
                .with_detail("gx_available", true)
        } else {
            HealthStatus::unhealthy("Great Expectations is not installed")
                .with_detail("gx_available", false)
        }
    }
}
