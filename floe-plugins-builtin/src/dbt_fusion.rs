//! dbt plugin `fusion`: runs dbt Fusion (the Rust dbt engine's `dbt`, `dbtf` or
//! `dbt-sa-cli` executable) as a subprocess, without a shell, each command under a
//! deadline.
//!
//! Binary detection, when `binary` is not configured: the standard paths
//! `~/.local/bin/dbt`, `/usr/local/bin/dbt`, `/opt/dbt-fusion/bin/dbt`,
//! `~/.cargo/bin/dbt-sa-cli`, `/usr/local/bin/dbt-sa-cli`, then `dbt`, `dbtf` and
//! `dbt-sa-cli` on `PATH`. A candidate counts only when its `--help` output mentions
//! "fusion" (or "dbt-sa-cli") and "compile", so dbt-core's `dbt` is never taken for
//! Fusion. A configured `binary` is used as is.
//!
//! Commands (`compile`, `run`, `test`, `lint`) get `--project-dir P --profiles-dir Q
//! --target T`, plus `--select`, `--exclude`, `--full-refresh` and `--fix` when asked.
//! A command still running at its deadline (`timeout_seconds`, 300 by default;
//! `lint_timeout_seconds`, 120) is killed with its process group; compile, run and
//! test then fail with `Execution failed: Fusion <cmd> command timed out after <n>
//! seconds`, and lint returns an unsuccessful result, as floe's plugin does.
//!
//! Results as floe's: `run` is successful whenever Fusion exits 0 (failures are
//! counted from `target/run_results.json`), `test` only without failures; lint parses
//! `<file>.sql:<line>:<col>: <severity>: <message>` lines. Where floe's plugin raises
//! a validation error on an unknown lint severity, this one reports it as `info`.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::Dbt, "fusion", serde_json::json!({"binary": "/opt/fusion/dbt"}))?;
//! let fusion = registry.get_as::<dyn DbtPlugin>("fusion")?;
//! assert!(fusion.supports_parallel_execution() && fusion.supports_sql_linting());
//! # Ok::<(), PluginError>(())
//! ```

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::Arc;
use std::time::Duration;

use floe_registry::prelude::*;
use regex::Regex;
use serde_json::{Value, json};

use crate::support::dbt_results::{self, Kind};
use crate::support::process::{self, Finished};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.dbt.fusion";

/// The adapters Fusion ships (floe's list: DuckDB is not among them).
pub const ADAPTERS: [&str; 9] = [
    "snowflake",
    "postgres",
    "bigquery",
    "redshift",
    "trino",
    "datafusion",
    "spark",
    "databricks",
    "salesforce",
];

/// The message when no Fusion binary is found.
pub const NOT_FOUND: &str = "dbt Fusion CLI not found\n    Searched paths: /usr/local/bin, ~/.local/bin, PATH\n    Install from: https://github.com/dbt-labs/dbt-fusion";

/// dbt Fusion: runs the Fusion command line in a subprocess.
#[floe_plugin(type = Dbt, name = "fusion", version = "0.1.0", description = "", config = DbtFusionConfig)]
#[derive(Default)]
pub struct DbtFusionPlugin {
    #[config]
    config: ConfigCell<DbtFusionConfig>,
}

/// Where Fusion is and how long its commands may take. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct DbtFusionConfig {
    /// The Fusion executable; detected when absent.
    #[serde(default)]
    pub binary: Option<PathBuf>,
    /// Seconds compile, run and test may take.
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.001))]
    pub timeout_seconds: f64,
    /// Seconds lint may take.
    #[serde(default = "default_lint_timeout")]
    #[schemars(range(min = 0.001))]
    pub lint_timeout_seconds: f64,
    /// Seconds `--help` and `--version` may take during detection.
    #[serde(default = "default_detect_timeout")]
    #[schemars(range(min = 0.001))]
    pub detect_timeout_seconds: f64,
}

impl Default for DbtFusionConfig {
    fn default() -> Self {
        DbtFusionConfig {
            binary: None,
            timeout_seconds: default_timeout(),
            lint_timeout_seconds: default_lint_timeout(),
            detect_timeout_seconds: default_detect_timeout(),
        }
    }
}

fn default_timeout() -> f64 {
    300.0
}
fn default_lint_timeout() -> f64 {
    120.0
}
fn default_detect_timeout() -> f64 {
    10.0
}

fn seconds(s: f64) -> Duration {
    Duration::try_from_secs_f64(s).unwrap_or(Duration::from_secs(300))
}

/// `300` for whole seconds, else the decimal.
fn shown(s: f64) -> String {
    if s.fract() == 0.0 {
        format!("{s:.0}")
    } else {
        format!("{s}")
    }
}

/// The standard places, in order, with `~` expanded from `home`.
pub fn standard_paths(home: Option<&Path>) -> Vec<PathBuf> {
    let mut paths = Vec::new();
    if let Some(h) = home {
        paths.push(h.join(".local/bin/dbt"));
    }
    paths.push("/usr/local/bin/dbt".into());
    paths.push("/opt/dbt-fusion/bin/dbt".into());
    if let Some(h) = home {
        paths.push(h.join(".cargo/bin/dbt-sa-cli"));
    }
    paths.push("/usr/local/bin/dbt-sa-cli".into());
    paths
}

/// Whether `--help` output is Fusion's.
pub fn is_fusion_help(stdout: &str) -> bool {
    let text = stdout.to_lowercase();
    (text.contains("fusion") || text.contains("dbt-sa-cli")) && text.contains("compile")
}

/// The first semantic version in `--version` output of at most 256 characters.
pub fn parse_version(output: &str) -> Option<String> {
    if output.len() > 256 {
        return None;
    }
    let re = Regex::new(r"\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]+)?").ok()?;
    re.find(output).map(|m| m.as_str().to_owned())
}

fn run_bounded(bin: &Path, args: &[String], limit: Duration) -> Result<Finished, PluginError> {
    let mut command = Command::new(bin);
    command.args(args);
    process::run(&mut command, None, Some(limit))
        .map_err(|e| crate::error::failure(format!("cannot run {}", bin.display()), e))
}

/// Whether `bin --help` identifies Fusion within `limit`.
fn answers_as_fusion(bin: &Path, limit: Duration) -> bool {
    run_bounded(bin, &["--help".to_owned()], limit)
        .is_ok_and(|f| !f.timed_out && is_fusion_help(&f.stdout))
}

/// A `run_results.json` document (null when missing or unreadable) and its elapsed seconds.
fn read_results(path: &Path) -> (Value, f64) {
    let value = std::fs::read_to_string(path)
        .ok()
        .and_then(|text| serde_json::from_str::<Value>(&text).ok())
        .unwrap_or(Value::Null);
    let elapsed = value["elapsed_time"].as_f64().unwrap_or(0.0);
    (value, elapsed)
}

/// Parses lint output: violations, files checked, files fixed.
pub fn parse_lint(output: &str) -> (Vec<LintViolation>, u32, u32) {
    let count = |n: usize| u32::try_from(n).unwrap_or(u32::MAX);
    let files: BTreeSet<&str> = Regex::new(r"[\w/]+\.sql")
        .map(|re| re.find_iter(output).map(|m| m.as_str()).collect())
        .unwrap_or_default();
    let mut issues = Vec::new();
    if let Ok(re) = Regex::new(r"^(\S+\.sql):(\d+):(\d+):\s*(\w+):\s*(.*)$") {
        for line in output.lines() {
            let Some(c) = re.captures(line.trim()) else {
                continue;
            };
            let severity = c[4].to_lowercase();
            issues.push(LintViolation {
                file_path: c[1].to_owned(),
                line: c[2].parse::<u32>().unwrap_or(1).max(1),
                column: c[3].parse().unwrap_or(0),
                code: "LINT".to_owned(),
                message: c[5].to_owned(),
                severity: if matches!(severity.as_str(), "error" | "warning" | "info") {
                    severity
                } else {
                    "info".to_owned()
                },
            });
        }
    }
    let fixed = output.to_lowercase().matches("fixed").count();
    (issues, count(files.len()), count(fixed))
}

impl DbtFusionPlugin {
    /// The configured settings, or the defaults before `configure`.
    fn settings(&self) -> Arc<DbtFusionConfig> {
        self.config
            .get()
            .unwrap_or_else(|_| Arc::new(DbtFusionConfig::default()))
    }

    /// The Fusion binary: the configured one, else the first detected.
    pub fn detect_binary(&self) -> Result<PathBuf, PluginError> {
        let settings = self.settings();
        if let Some(bin) = &settings.binary {
            return Ok(bin.clone());
        }
        let limit = seconds(settings.detect_timeout_seconds);
        let home = std::env::var_os("HOME").map(PathBuf::from);
        let on_path = ["dbt", "dbtf", "dbt-sa-cli"]
            .iter()
            .filter_map(|name| process::find_program(name));
        standard_paths(home.as_deref())
            .into_iter()
            .filter(|p| p.is_file())
            .chain(on_path)
            .find(|candidate| answers_as_fusion(candidate, limit))
            .ok_or_else(|| PluginError::failed(NOT_FOUND))
    }

    /// The Fusion version from `--version`, when it answers.
    pub fn fusion_version(&self) -> Option<String> {
        let bin = self.detect_binary().ok()?;
        let limit = seconds(self.settings().detect_timeout_seconds);
        let f = run_bounded(&bin, &["--version".to_owned()], limit).ok()?;
        (!f.timed_out)
            .then(|| parse_version(f.stdout.trim()))
            .flatten()
    }

    /// Runs `cmd` with the common flags and `extra`; a timeout is an error.
    fn command(
        &self,
        cmd: &str,
        dirs: (&Path, &Path, &str),
        extra: Vec<String>,
    ) -> Result<Finished, PluginError> {
        let bin = self.detect_binary()?;
        let timeout = self.settings().timeout_seconds;
        let mut args = vec![cmd.to_owned()];
        args.extend(common_flags(dirs));
        args.extend(extra);
        let finished = run_bounded(&bin, &args, seconds(timeout))?;
        if finished.timed_out {
            return Err(PluginError::failed(format!(
                "Execution failed: Fusion {cmd} command timed out after {} seconds",
                shown(timeout)
            )));
        }
        Ok(finished)
    }

    fn results(
        &self,
        cmd: &str,
        project_dir: &Path,
        finished: &Finished,
    ) -> Result<DbtRunResult, PluginError> {
        if !finished.success() {
            return Err(PluginError::failed(format!(
                "Execution failed: Fusion {cmd} failed: {}",
                error_text(finished)
            )));
        }
        let run_results = project_dir.join("target").join("run_results.json");
        let (document, elapsed) = read_results(&run_results);
        let test = cmd == "test";
        let tally = dbt_results::tally(if test { Kind::Test } else { Kind::Run }, &document);
        let failures = u32::try_from(tally.failed.len()).unwrap_or(u32::MAX);
        Ok(DbtRunResult {
            success: !test || failures == 0,
            manifest_path: project_dir.join("target").join("manifest.json"),
            run_results_path: run_results,
            catalog_path: None,
            execution_time_seconds: elapsed,
            models_run: tally.built,
            tests_run: tally.tests,
            failures,
            failed_nodes: tally.failed,
            metadata: serde_json::Map::new(),
        })
    }
}

fn common_flags((project, profiles, target): (&Path, &Path, &str)) -> Vec<String> {
    vec![
        "--project-dir".to_owned(),
        project.display().to_string(),
        "--profiles-dir".to_owned(),
        profiles.display().to_string(),
        "--target".to_owned(),
        target.to_owned(),
    ]
}

/// stderr, else stdout, else "Unknown error".
fn error_text(f: &Finished) -> String {
    [f.stderr.trim(), f.stdout.trim()]
        .into_iter()
        .find(|s| !s.is_empty())
        .unwrap_or("Unknown error")
        .to_owned()
}

fn read_json(path: &Path, what: &str) -> Result<Value, PluginError> {
    let text = std::fs::read_to_string(path)
        .map_err(|_| PluginError::failed(format!("{what} not found: {}", path.display())))?;
    serde_json::from_str(&text)
        .map_err(|e| crate::error::failure(format!("cannot parse {}", path.display()), e))
}

impl DbtPlugin for DbtFusionPlugin {
    /// `compile`; returns `P/target/manifest.json`.
    fn compile_project(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
    ) -> Result<PathBuf, PluginError> {
        let finished = self.command("compile", (project_dir, profiles_dir, target), vec![])?;
        if !finished.success() {
            return Err(PluginError::failed(format!(
                "Compilation failed: Fusion compile failed: {}",
                error_text(&finished)
            )));
        }
        Ok(project_dir.join("target").join("manifest.json"))
    }

    /// `run`; successful whenever Fusion exits 0, failures counted.
    fn run_models(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
        exclude: Option<&str>,
        full_refresh: bool,
    ) -> Result<DbtRunResult, PluginError> {
        let mut extra = Vec::new();
        if let Some(s) = select {
            extra.extend(["--select".to_owned(), s.to_owned()]);
        }
        if let Some(e) = exclude {
            extra.extend(["--exclude".to_owned(), e.to_owned()]);
        }
        if full_refresh {
            extra.push("--full-refresh".to_owned());
        }
        let finished = self.command("run", (project_dir, profiles_dir, target), extra)?;
        self.results("run", project_dir, &finished)
    }

    /// `test`; successful without failures.
    fn test_models(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
    ) -> Result<DbtRunResult, PluginError> {
        let mut extra = Vec::new();
        if let Some(s) = select {
            extra.extend(["--select".to_owned(), s.to_owned()]);
        }
        let finished = self.command("test", (project_dir, profiles_dir, target), extra)?;
        self.results("test", project_dir, &finished)
    }

    /// `lint [--fix]`; a timeout or a failed run is an unsuccessful, empty result.
    fn lint_project(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        fix: bool,
    ) -> Result<LintResult, PluginError> {
        let bin = self.detect_binary()?;
        let mut args = vec!["lint".to_owned()];
        if fix {
            args.push("--fix".to_owned());
        }
        args.extend(common_flags((project_dir, profiles_dir, target)));
        let limit = seconds(self.settings().lint_timeout_seconds);
        let finished = run_bounded(&bin, &args, limit)?;
        if finished.timed_out || !finished.success() {
            return Ok(LintResult::default());
        }
        let (issues, files_checked, files_fixed) =
            parse_lint(&format!("{}\n{}", finished.stdout, finished.stderr));
        Ok(LintResult {
            success: issues.is_empty(),
            issues,
            files_checked,
            files_fixed,
        })
    }

    fn get_manifest(&self, project_dir: &Path) -> Result<Value, PluginError> {
        read_json(&project_dir.join("target/manifest.json"), "Manifest")
    }

    fn get_run_results(&self, project_dir: &Path) -> Result<Value, PluginError> {
        read_json(&project_dir.join("target/run_results.json"), "Run results")
    }

    fn supports_parallel_execution(&self) -> bool {
        true
    }

    fn supports_sql_linting(&self) -> bool {
        true
    }

    /// `{runtime, thread_safe, fusion_version, adapters_available}`.
    fn get_runtime_metadata(&self) -> Value {
        let found = self.detect_binary().is_ok();
        json!({
            "runtime": "fusion",
            "thread_safe": true,
            "fusion_version": if found { self.fusion_version() } else { None },
            "adapters_available": if found { ADAPTERS.to_vec() } else { vec![] },
        })
    }
}
