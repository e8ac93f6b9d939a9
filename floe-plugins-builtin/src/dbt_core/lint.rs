//! SQL linting of a dbt project's models with the `sqlfluff` executable.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use floe_registry::{LintResult, LintViolation, PluginError};
use serde_json::Value;

use super::process;
use super::sanitize::redact;
use super::yaml_lookup;

/// The error when sqlfluff cannot be found.
pub(crate) const NOT_INSTALLED: &str =
    "SQLFluff is required for SQL linting. Install with: pip install sqlfluff";

/// The sqlfluff dialect of a dbt adapter type (`ansi` for unknown ones).
pub(crate) fn dialect_for(adapter: Option<&str>) -> &'static str {
    match adapter.unwrap_or_default() {
        "duckdb" => "duckdb",
        "snowflake" => "snowflake",
        "bigquery" => "bigquery",
        "postgres" => "postgres",
        "redshift" => "redshift",
        "databricks" | "spark" => "sparksql",
        "trino" => "trino",
        "athena" => "athena",
        _ => "ansi",
    }
}

/// The adapter type of `target` in the project's profile: `profile` of
/// `P/dbt_project.yml` (default `default`), then `Q/profiles.yml` →
/// `<profile>.outputs.<target>.type`.
pub(crate) fn adapter_of(project_dir: &Path, profiles_dir: &Path, target: &str) -> Option<String> {
    let project = std::fs::read_to_string(project_dir.join("dbt_project.yml")).unwrap_or_default();
    let profile =
        yaml_lookup::scalar(&project, &["profile"]).unwrap_or_else(|| "default".to_owned());
    let profiles = std::fs::read_to_string(profiles_dir.join("profiles.yml")).ok()?;
    yaml_lookup::scalar(&profiles, &[profile.as_str(), "outputs", target, "type"])
}

/// Every `*.sql` file under `P/models`, sorted.
pub(crate) fn model_files(project_dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![project_dir.join("models")];
    while let Some(dir) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&dir) else {
            continue;
        };
        for entry in entries.filter_map(Result::ok) {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "sql") {
                files.push(path);
            }
        }
    }
    files.sort();
    files
}

/// Lints (or fixes) the model files with `sqlfluff` in `dialect`.
///
/// A lint succeeds when sqlfluff passes the files: exit status 0, which sqlfluff gives
/// when its findings, if any, are all of warning severity (the rules its config lists
/// under `warnings`). The warnings are still listed in `issues`. floe 0.1.0a1
/// (floe-dbt-core) reports success only with no findings at all, warnings included.
pub(crate) fn lint(
    sqlfluff: &str,
    project_dir: &Path,
    dialect: &str,
    fix: bool,
) -> Result<LintResult, PluginError> {
    let files = model_files(project_dir);
    if files.is_empty() {
        return Ok(LintResult {
            success: true,
            ..LintResult::default()
        });
    }
    let program = process::find_program(sqlfluff).ok_or_else(|| {
        PluginError::failed(format!("{NOT_INSTALLED} (executable: '{sqlfluff}')"))
    })?;
    let mut command = Command::new(program);
    command.arg(if fix { "fix" } else { "lint" });
    command.args(&files).args(["--dialect", dialect]);
    let config = project_dir.join(".sqlfluff");
    if config.is_file() {
        command.arg("--config").arg(&config);
    }
    if fix {
        command.arg("--force");
    } else {
        command.args(["--format", "json"]);
    }
    let checked = u32::try_from(files.len()).unwrap_or(u32::MAX);
    if fix {
        let before: BTreeMap<&PathBuf, Vec<u8>> = files
            .iter()
            .map(|f| (f, std::fs::read(f).unwrap_or_default()))
            .collect();
        let finished = process::run(&mut command, None, None)
            .map_err(|e| crate::error::failure("cannot start sqlfluff", e))?;
        if finished.code.is_none() {
            return Err(PluginError::failed("sqlfluff fix was ended by a signal"));
        }
        let fixed = before
            .iter()
            .filter(|(f, old)| std::fs::read(f).unwrap_or_default() != **old)
            .count();
        return Ok(LintResult {
            success: true,
            issues: Vec::new(),
            files_checked: checked,
            files_fixed: u32::try_from(fixed).unwrap_or(u32::MAX),
        });
    }
    let finished = process::run(&mut command, None, None)
        .map_err(|e| crate::error::failure("cannot start sqlfluff", e))?;
    let report: Value = serde_json::from_str(finished.stdout.trim()).map_err(|_| {
        PluginError::failed(format!(
            "sqlfluff lint did not print a JSON report (exit status {}): {}",
            finished
                .code
                .map_or_else(|| "signal".to_owned(), |c| c.to_string()),
            redact(finished.stderr.trim())
        ))
    })?;
    let issues: Vec<LintViolation> = report
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|file| {
            let path = file
                .get("filepath")
                .and_then(Value::as_str)
                .unwrap_or_default()
                .to_owned();
            file.get("violations")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
                .map(move |v| violation(&path, v))
        })
        .collect();
    // sqlfluff exits with 1 for error findings, and also for files it skipped with
    // `large_file_skip_fail` set (no finding then): only status 0 is a pass.
    let passed = finished.code == Some(0) && issues.iter().all(|i| i.severity == "warning");
    Ok(LintResult {
        success: passed,
        issues,
        files_checked: checked,
        files_fixed: 0,
    })
}

/// One sqlfluff violation. sqlfluff's `start_line_pos` counts from 1; floe's column
/// counts from 0 (as [`LintViolation::column`] documents), so it is one less. The
/// severity is sqlfluff's: `warning` for rules its config lists under `warnings`
/// (`"warning": true` in the report), `error` for the others.
fn violation(path: &str, v: &Value) -> LintViolation {
    let number = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| v.get(*k).and_then(Value::as_u64))
            .and_then(|n| u32::try_from(n).ok())
    };
    let text = |key: &str| v.get(key).and_then(Value::as_str).filter(|s| !s.is_empty());
    LintViolation {
        file_path: path.to_owned(),
        line: number(&["start_line_no", "line_no"]).unwrap_or(1).max(1),
        column: number(&["start_line_pos", "line_pos"])
            .unwrap_or(1)
            .saturating_sub(1),
        code: text("code").unwrap_or("UNKNOWN").to_owned(),
        message: text("description").unwrap_or_default().to_owned(),
        severity: if v.get("warning").and_then(Value::as_bool) == Some(true) {
            "warning"
        } else {
            "error"
        }
        .to_owned(),
    }
}
