//! dbt plugins: how dbt is run.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::unsupported;
use crate::{PluginError, PluginMetadata};

/// The outcome of `dbt run` or `dbt test`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DbtRunResult {
    /// Whether dbt succeeded.
    pub success: bool,
    /// `target/manifest.json`.
    pub manifest_path: PathBuf,
    /// `target/run_results.json`.
    pub run_results_path: PathBuf,
    /// `target/catalog.json`, if generated.
    pub catalog_path: Option<PathBuf>,
    /// Wall time in seconds.
    pub execution_time_seconds: f64,
    /// Models run.
    pub models_run: u32,
    /// Tests run.
    pub tests_run: u32,
    /// Failures.
    pub failures: u32,
    /// Anything else.
    #[serde(default)]
    pub metadata: Map<String, Value>,
}

/// One SQL lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintViolation {
    /// The file.
    pub file_path: String,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 0.
    pub column: u32,
    /// Rule code.
    pub code: String,
    /// What is wrong.
    pub message: String,
    /// `error`, `warning` or `info`.
    pub severity: String,
}

/// The outcome of linting a dbt project.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintResult {
    /// Whether no violation was found (or fixing succeeded).
    pub success: bool,
    /// The findings.
    pub issues: Vec<LintViolation>,
    /// Files checked.
    pub files_checked: u32,
    /// Files changed by fixing.
    pub files_fixed: u32,
}

/// A dbt runtime (dbt-core, dbt Cloud, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Dbt` but does not implement `DbtPlugin`",
    label = "`type = Dbt` needs `impl DbtPlugin for {Self}`",
    note = "add `impl DbtPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Dbt` in `#[floe_plugin(...)]` to that kind"
)]
pub trait DbtPlugin: PluginMetadata {
    /// Compiles the project; returns the manifest path.
    fn compile_project(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
    ) -> Result<PathBuf, PluginError> {
        let _ = (project_dir, profiles_dir, target);
        Err(unsupported(self, "compile_project"))
    }

    /// Runs models.
    fn run_models(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
        exclude: Option<&str>,
        full_refresh: bool,
    ) -> Result<DbtRunResult, PluginError> {
        let _ = (
            project_dir,
            profiles_dir,
            target,
            select,
            exclude,
            full_refresh,
        );
        Err(unsupported(self, "run_models"))
    }

    /// Runs tests.
    fn test_models(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
    ) -> Result<DbtRunResult, PluginError> {
        let _ = (project_dir, profiles_dir, target, select);
        Err(unsupported(self, "test_models"))
    }

    /// Lints the project's SQL, fixing it when `fix` is set.
    fn lint_project(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        fix: bool,
    ) -> Result<LintResult, PluginError> {
        let _ = (project_dir, profiles_dir, target, fix);
        Err(unsupported(self, "lint_project"))
    }

    /// The parsed `target/manifest.json`.
    fn get_manifest(&self, project_dir: &Path) -> Result<Value, PluginError> {
        let _ = project_dir;
        Err(unsupported(self, "get_manifest"))
    }

    /// The parsed `target/run_results.json`.
    fn get_run_results(&self, project_dir: &Path) -> Result<Value, PluginError> {
        let _ = project_dir;
        Err(unsupported(self, "get_run_results"))
    }

    /// Whether several dbt invocations may run at once.
    fn supports_parallel_execution(&self) -> bool {
        false
    }

    /// Whether `lint_project` works.
    fn supports_sql_linting(&self) -> bool {
        false
    }

    /// Facts about the runtime.
    fn get_runtime_metadata(&self) -> Value {
        Value::Object(Map::new())
    }

    lifecycle_hooks!();
}
