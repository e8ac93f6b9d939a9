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
    /// Nodes that built successfully (models; for `seed` and `build` also seeds and
    /// snapshots). Errored and skipped nodes are not counted.
    pub models_run: u32,
    /// Tests run.
    pub tests_run: u32,
    /// Failures.
    pub failures: u32,
    /// Anything else.
    #[serde(default)]
    pub metadata: Map<String, Value>,
    /// The nodes that errored or failed (tests with failing rows), in dbt's order.
    #[serde(default)]
    pub failed_nodes: Vec<DbtNodeResult>,
}

/// One node of a dbt run that did not succeed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DbtNodeResult {
    /// dbt's unique id (`model.shop.orders`, `test.shop.not_null_orders_id.1a2b`).
    pub unique_id: String,
    /// The node's name (`orders`).
    pub name: String,
    /// dbt's status: `error`, `fail`, ...
    pub status: String,
    /// dbt's message for the node (the database error, `Got 3 results, configured to
    /// fail if != 0`), empty when dbt gave none.
    pub message: String,
}

/// One SQL lint finding.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct LintViolation {
    /// The file.
    pub file_path: String,
    /// Line, from 1.
    pub line: u32,
    /// Column, from 0 (the first character of a line is column 0).
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

    /// Loads the project's seeds (`dbt seed`).
    fn seed_data(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
        full_refresh: bool,
    ) -> Result<DbtRunResult, PluginError> {
        let _ = (project_dir, profiles_dir, target, select, full_refresh);
        Err(unsupported(self, "seed_data"))
    }

    /// Seeds, runs, snapshots and tests in dependency order (`dbt build`).
    fn build_project(
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
        Err(unsupported(self, "build_project"))
    }

    /// Installs the packages of `packages.yml` (`dbt deps`).
    fn install_deps(&self, project_dir: &Path, profiles_dir: &Path) -> Result<(), PluginError> {
        let _ = (project_dir, profiles_dir);
        Err(unsupported(self, "install_deps"))
    }

    /// Generates the documentation site's files (`dbt docs generate`); returns the
    /// path of `catalog.json`.
    fn generate_docs(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
    ) -> Result<PathBuf, PluginError> {
        let _ = (project_dir, profiles_dir, target);
        Err(unsupported(self, "generate_docs"))
    }

    /// Writes `<profiles_dir>/profiles.yml` for the project: the profile named by
    /// `dbt_project.yml`, with `target` as its default target and `output` (a
    /// compute plugin's profile target) as that target's output. Returns the path.
    fn write_profiles(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        output: &Value,
    ) -> Result<PathBuf, PluginError> {
        let _ = (project_dir, profiles_dir, target, output);
        Err(unsupported(self, "write_profiles"))
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
