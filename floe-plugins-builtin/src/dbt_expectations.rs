//! Quality plugin `dbt_expectations`: runs `dbt test` (dbt-core's `dbt` executable, as a
//! subprocess: floe runs dbt in-process through `dbtRunner`, which needs Python) and
//! reads `<project_dir>/target/run_results.json` into quality check results.
//!
//! The plugin's config is floe's [`QualityConfig`]. What dbt needs comes from the
//! connection (`run_suite`) or the options (`run_checks`): `project_dir`,
//! `profiles_dir`, and `dbt_executable`, which defaults to the executable given to
//! [`DbtExpectationsPlugin::with_dbt_executable`], else `dbt` on `PATH`.
//!
//! `run_suite` runs `dbt test [--project-dir P] [--profiles-dir Q]`, plus
//! `--select <model>` only when the suite has checks and `--fail-fast` when asked. A run
//! still going after `timeout_seconds` is killed and the call fails with the DQ106
//! timeout error (floe leaves its thread running). Without a dbt executable the result
//! is a passed, empty suite with summary `{total: 0, passed: 0, failed: 0}`, as floe's
//! when dbt cannot be imported. The suite's checks are not turned into dbt tests: they
//! are only matched to dbt's results by node name.
//!
//! Per dbt result: `passed` is status `pass`; the check name is the matched check's,
//! else the last dotted part of the `unique_id` (for a generic test, dbt's hash suffix,
//! as in floe); dimension and severity come from the matched check, else the dimension
//! is inferred from the node name ([`infer_dimension`]) and the severity is `critical`
//! for status `error`, else `warning`. `records_failed` is dbt's `failures`, time is
//! `execution_time` × 1000, and a failed result's message is dbt's, else `<n> rows
//! failed the test`, else `Test failed with status: <s>`. Details: `dbt_status`,
//! `unique_id`, `compiled_code`. With `fail_fast`, results stop after the first failure.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::Quality, "dbt_expectations", serde_json::json!({"provider": "dbt_expectations"}))?;
//! let quality = registry.get_as::<dyn QualityPlugin>("dbt_expectations")?;
//! assert!(quality.supports_dialect("DuckDB") && !quality.supports_dialect("bigquery"));
//! # Ok::<(), PluginError>(())
//! ```

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use floe_registry::prelude::*;
use floe_registry::quality::{
    Dimension, QualityCheck, QualityCheckResult, QualityConfig, QualityError, QualitySuite,
    QualitySuiteResult, SeverityLevel,
};
use serde_json::{Map, Value, json};

use crate::support::process;

pub use crate::support::quality::{DIALECTS, check_from_expectation};
use crate::support::quality::{suite_from_expectations, suite_from_options};

/// Seconds `dbt --version` may take in the health check.
const VERSION_TIMEOUT: Duration = Duration::from_secs(60);

/// dbt-expectations: data quality through `dbt test`.
#[floe_plugin(type = Quality, name = "dbt_expectations", version = "0.1.0", description = "Data quality checks run as dbt tests (dbt-expectations)", config = QualityConfig)]
#[derive(Default)]
pub struct DbtExpectationsPlugin {
    #[config]
    config: ConfigCell<QualityConfig>,
    dbt_executable: Option<PathBuf>,
}

impl DbtExpectationsPlugin {
    /// A plugin whose default dbt executable is `path` (instead of `dbt` on `PATH`).
    pub fn with_dbt_executable(path: impl Into<PathBuf>) -> Self {
        DbtExpectationsPlugin {
            dbt_executable: Some(path.into()),
            ..Self::default()
        }
    }

    /// The dbt executable: `connection.dbt_executable`, else this plugin's, else `dbt`
    /// on `PATH`; `None` when that is no executable file.
    fn executable(&self, connection: &Map<String, Value>) -> Option<PathBuf> {
        let wanted = match connection.get("dbt_executable").and_then(Value::as_str) {
            Some(s) => s.to_owned(),
            None => match &self.dbt_executable {
                Some(p) => p.to_string_lossy().into_owned(),
                None => "dbt".to_owned(),
            },
        };
        process::find_program(&wanted)
    }
}

/// The dimension of a dbt test without a matching check, from its name: the
/// dbt-expectations names first (`expect_column_values_to_not_be_null` and
/// `expect_table_row_count_to_be_between` → completeness,
/// `expect_column_values_to_be_unique` → consistency,
/// `expect_column_values_to_be_in_set` and `expect_column_values_to_match_regex` →
/// validity, `expect_column_values_to_be_between` → accuracy), then `not_null` →
/// completeness, `unique` → consistency, `accepted_values` → validity, `relationships`
/// → consistency; else validity. floe lists six dbt-expectations names without
/// publishing which: these six are this port's choice.
pub fn infer_dimension(test_name: &str) -> Dimension {
    let name = test_name.to_lowercase();
    const RULES: [(&str, Dimension); 10] = [
        (
            "expect_column_values_to_not_be_null",
            Dimension::Completeness,
        ),
        (
            "expect_table_row_count_to_be_between",
            Dimension::Completeness,
        ),
        ("expect_column_values_to_be_unique", Dimension::Consistency),
        ("expect_column_values_to_be_in_set", Dimension::Validity),
        ("expect_column_values_to_match_regex", Dimension::Validity),
        ("expect_column_values_to_be_between", Dimension::Accuracy),
        ("not_null", Dimension::Completeness),
        ("unique", Dimension::Consistency),
        ("accepted_values", Dimension::Validity),
        ("relationships", Dimension::Consistency),
    ];
    RULES
        .iter()
        .find(|(needle, _)| name.contains(needle))
        .map_or(Dimension::Validity, |(_, d)| *d)
}

/// One `run_results.json` entry as a check result, matched to `checks` by node name.
pub fn map_result(entry: &Value, checks: &[QualityCheck]) -> QualityCheckResult {
    let text = |key: &str| entry.get(key).and_then(Value::as_str).unwrap_or_default();
    let unique_id = text("unique_id");
    let status = text("status");
    let node_name = unique_id.split('.').nth(2).unwrap_or(unique_id);
    let matched = checks.iter().find(|c| c.name == node_name);
    let passed = status == "pass";
    let (name, dimension, severity) = match matched {
        Some(c) => (c.name.clone(), c.dimension, c.severity),
        None => (
            unique_id.rsplit('.').next().unwrap_or_default().to_owned(),
            infer_dimension(node_name),
            if status == "error" {
                SeverityLevel::Critical
            } else {
                SeverityLevel::Warning
            },
        ),
    };
    let failures = entry.get("failures").and_then(Value::as_u64);
    let error_message =
        (!passed).then(
            || match (entry.get("message").and_then(Value::as_str), failures) {
                (Some(m), _) if !m.is_empty() => m.to_owned(),
                (_, Some(n)) if n > 0 => format!("{n} rows failed the test"),
                _ => format!("Test failed with status: {status}"),
            },
        );
    let mut details = Map::new();
    details.insert("dbt_status".into(), json!(status));
    details.insert("unique_id".into(), json!(unique_id));
    details.insert(
        "compiled_code".into(),
        entry.get("compiled_code").cloned().unwrap_or(Value::Null),
    );
    let mut result = QualityCheckResult::new(name, passed, dimension, severity);
    result.records_failed = failures.unwrap_or(0);
    result.execution_time_ms = entry
        .get("execution_time")
        .and_then(Value::as_f64)
        .unwrap_or(0.0)
        .max(0.0)
        * 1000.0;
    result.details = details;
    result.error_message = error_message;
    result
}

fn path_option(map: &Map<String, Value>, key: &str) -> Option<PathBuf> {
    map.get(key).and_then(Value::as_str).map(PathBuf::from)
}

fn summary(total: usize, passed: usize, extra: Option<bool>) -> Map<String, Value> {
    let mut s = Map::new();
    s.insert("total".into(), json!(total));
    s.insert("passed".into(), json!(passed));
    s.insert("failed".into(), json!(total - passed));
    if let Some(ok) = extra {
        s.insert("dbt_success".into(), json!(ok));
    }
    s
}

fn read_results(path: &Path) -> Option<Value> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

impl QualityPlugin for DbtExpectationsPlugin {
    fn run_checks(
        &self,
        suite_name: &str,
        data_source: &str,
        options: &Map<String, Value>,
    ) -> Result<QualitySuiteResult, PluginError> {
        let suite = suite_from_options(data_source, options);
        let connection: Map<String, Value> = ["project_dir", "profiles_dir", "dbt_executable"]
            .iter()
            .filter_map(|k| options.get(*k).map(|v| ((*k).to_owned(), v.clone())))
            .collect();
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
        let Some(dbt) = self.executable(connection_config) else {
            let mut empty = QualitySuiteResult::new(suite_name, &suite.model_name, true, vec![]);
            empty.summary = summary(0, 0, None);
            return Ok(empty);
        };
        let project_dir = path_option(connection_config, "project_dir");
        let profiles_dir = path_option(connection_config, "profiles_dir");
        let mut command = Command::new(&dbt);
        command.arg("test");
        if let Some(p) = &project_dir {
            command.arg("--project-dir").arg(p);
        }
        if let Some(p) = &profiles_dir {
            command.arg("--profiles-dir").arg(p);
        }
        if !suite.checks.is_empty() {
            command.args(["--select", &suite.model_name]);
        }
        if suite.fail_fast {
            command.arg("--fail-fast");
        }
        let results_path = project_dir
            .clone()
            .unwrap_or_else(|| PathBuf::from("."))
            .join("target/run_results.json");
        // A stale file from an earlier run must not be read as this run's.
        let _ = std::fs::remove_file(&results_path);
        let limit = Duration::from_secs(u64::from(suite.timeout_seconds.max(1)));
        let finished = process::run(&mut command, None, Some(limit))
            .map_err(|e| crate::error::failure(format!("cannot run {}", dbt.display()), e))?;
        if finished.timed_out {
            let error = QualityError::Timeout {
                model: suite.model_name.clone(),
                seconds: suite.timeout_seconds,
                pending: suite
                    .checks
                    .iter()
                    .filter(|c| c.enabled)
                    .map(|c| c.name.clone())
                    .collect(),
            };
            return Err(crate::error::failure(
                format!("the quality suite of {} did not finish", suite.model_name),
                error,
            ));
        }
        let run_results = read_results(&results_path).ok_or_else(|| {
            PluginError::failed(format!(
                "dbt test wrote no {} (exit {:?}): {}{}",
                results_path.display(),
                finished.code,
                finished.stderr.trim(),
                finished.stdout.trim()
            ))
        })?;
        let mut checks = Vec::new();
        for entry in run_results
            .get("results")
            .and_then(Value::as_array)
            .map(Vec::as_slice)
            .unwrap_or_default()
        {
            let result = map_result(entry, &suite.checks);
            let failed = !result.passed;
            checks.push(result);
            if failed && suite.fail_fast {
                break;
            }
        }
        let passed = checks.iter().filter(|c| c.passed).count();
        let mut result = QualitySuiteResult::new(
            suite_name,
            &suite.model_name,
            passed == checks.len(),
            Vec::new(),
        );
        result.summary = summary(checks.len(), passed, Some(finished.success()));
        result.checks = checks;
        result.execution_time_ms = began.elapsed().as_secs_f64() * 1000.0;
        Ok(result)
    }

    fn validate_expectations(
        &self,
        data_source: &str,
        expectations: &[Value],
    ) -> Result<Vec<QualityCheckResult>, PluginError> {
        let suite = suite_from_expectations(data_source, expectations);
        Ok(self.run_suite(&suite, &Map::new())?.checks)
    }

    fn list_suites(&self) -> Result<Vec<String>, PluginError> {
        Ok(Vec::new())
    }

    fn supports_dialect(&self, dialect: &str) -> bool {
        DIALECTS.contains(&dialect.to_lowercase().as_str())
    }

    /// Healthy when the dbt executable answers `--version`.
    fn health_check(&self) -> HealthStatus {
        let answers = self.executable(&Map::new()).is_some_and(|dbt| {
            process::run(
                Command::new(dbt).arg("--version"),
                None,
                Some(VERSION_TIMEOUT),
            )
            .is_ok_and(|f| f.success())
        });
        if answers {
            HealthStatus::new(HealthState::Healthy, "dbt-core is available")
                .with_detail("dbt_available", true)
        } else {
            HealthStatus::unhealthy("dbt-core is not installed").with_detail("dbt_available", false)
        }
    }
}
