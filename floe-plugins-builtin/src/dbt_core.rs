//! dbt plugin `core`: runs dbt-core's `dbt` executable as a subprocess.
//!
//! Its config is checked against this plugin's own schema, which this floe keeps
//! although floe-dbt-core 0.1.0a1 validates nothing: its
//! `get_config_schema()` is `None`, so published floe passes any config through. A
//! field this schema refuses (unknown, mistyped, out of range) may pass published
//! floe's `platform compile` and fail here. Lax values (`"4"` for an integer) are read
//! as published floe's validated configs read them.
//!
//! Commands and flags follow dbt-core's CLI: `dbt <command> --project-dir P
//! --profiles-dir Q --target T [--select S] [--exclude E] [--full-refresh]`, plus
//! `--log-format json` so error messages can be read from the log. Results come from
//! `P/target/manifest.json` and `P/target/run_results.json`.
//!
//! When models or tests fail, dbt exits with status 1 and still writes
//! `run_results.json`: `run_models`, `test_models`, `seed_data` and `build_project`
//! then return a result with `success: false`, the failures counted and each failed
//! node (unique id, name, status, dbt's message) in `failed_nodes`; `models_run`
//! counts only the nodes that built. Only when dbt could not run at all (no results
//! written) do they return an error. `install_deps` runs `dbt deps`, `generate_docs`
//! `dbt docs generate`, and `write_profiles` writes a whole `profiles.yml` for a
//! compute plugin's profile target.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::Dbt, "core", serde_json::json!({"dbt_executable": "/opt/dbt/bin/dbt"}))?;
//! let dbt = registry.get_as::<dyn DbtPlugin>("core")?;
//! assert!(!dbt.supports_parallel_execution());
//! # Ok::<(), PluginError>(())
//! ```

mod invoke;
mod lint;
mod profiles;
mod yaml_lookup;

pub use profiles::{profile_name, profiles_document};

use crate::support::{process, sanitize};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use floe_registry::prelude::*;
use serde_json::{Map, Value, json};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.dbt.core";

/// How long `dbt --version` may take for health checks and runtime metadata.
pub const VERSION_TIMEOUT: Duration = Duration::from_millis(4500);

/// dbt-core: runs the `dbt` command line in a subprocess.
#[floe_plugin(type = Dbt, name = "core", version = "0.1.0", description = "", config = DbtCoreConfig)]
#[derive(Default)]
pub struct DbtCorePlugin {
    #[config]
    config: ConfigCell<DbtCoreConfig>,
}

/// Where the executables are. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct DbtCoreConfig {
    /// The `dbt` executable: a path, or a name looked up on `PATH`.
    #[serde(default = "default_dbt")]
    #[schemars(length(min = 1))]
    pub dbt_executable: String,
    /// The `sqlfluff` executable for `lint_project`: a path, or a name on `PATH`.
    #[serde(default = "default_sqlfluff")]
    #[schemars(length(min = 1))]
    pub sqlfluff_executable: String,
}

impl Default for DbtCoreConfig {
    fn default() -> Self {
        DbtCoreConfig {
            dbt_executable: default_dbt(),
            sqlfluff_executable: default_sqlfluff(),
        }
    }
}

fn default_dbt() -> String {
    "dbt".to_owned()
}

fn default_sqlfluff() -> String {
    "sqlfluff".to_owned()
}

use crate::support::dbt_results::{self as results, Kind};

impl DbtCorePlugin {
    /// The configured settings, or the defaults before `configure`.
    fn settings(&self) -> Arc<DbtCoreConfig> {
        self.config
            .get()
            .unwrap_or_else(|_| Arc::new(DbtCoreConfig::default()))
    }

    /// The installed dbt-core version, from `dbt --version`.
    pub fn dbt_version(&self) -> Result<String, String> {
        let exe = &self.settings().dbt_executable;
        let finished = invoke::run_bounded(exe, &["--version"], VERSION_TIMEOUT)?;
        if finished.timed_out {
            return Err(format!(
                "'{exe} --version' did not answer within {}s",
                VERSION_TIMEOUT.as_secs_f64()
            ));
        }
        let output = format!("{}\n{}", finished.stdout, finished.stderr);
        match (finished.success(), invoke::parse_version(&output)) {
            (true, Some(version)) => Ok(version),
            (true, None) => Err(format!("'{exe} --version' printed no installed version")),
            (false, _) => Err(format!(
                "'{exe} --version' failed with status {}",
                finished
                    .code
                    .map_or_else(|| "signal".to_owned(), |c| c.to_string())
            )),
        }
    }

    /// Runs `run` or `test` and reads its results.
    fn execute(
        &self,
        kind: Kind,
        args: Vec<String>,
        project_dir: &Path,
    ) -> Result<DbtRunResult, PluginError> {
        let run_results = invoke::target_file(project_dir, "run_results.json");
        let before = std::fs::read(&run_results).ok();
        let started = Instant::now();
        let finished = invoke::run_dbt(&self.settings().dbt_executable, &args)?;
        let elapsed = started.elapsed().as_secs_f64();
        let after = std::fs::read(&run_results).ok();
        let fresh = after.is_some() && after != before;
        if !finished.success() && !fresh {
            let text = invoke::error_text(&finished);
            let location = match kind {
                Kind::Test => String::new(),
                Kind::Run | Kind::Seed | Kind::Build => invoke::location_suffix(&text),
            };
            return Err(PluginError::failed(format!(
                "Execution failed: {text}{location}"
            )));
        }
        let results = read_json(&run_results, "run_results.json", RUN_RESULTS_HINT)?;
        let tally = results::tally(kind, &results);
        let failures = u32::try_from(tally.failed.len()).unwrap_or(u32::MAX);
        let (models_run, tests_run) = match kind {
            Kind::Test => (0, tally.tests),
            Kind::Run | Kind::Seed => (tally.built, 0),
            Kind::Build => (tally.built, tally.tests),
        };
        let mut metadata = Map::new();
        metadata.insert("skipped".to_owned(), json!(tally.skipped));
        if !finished.success() {
            metadata.insert("error".to_owned(), json!(invoke::error_text(&finished)));
        }
        Ok(DbtRunResult {
            success: finished.success() && failures == 0,
            manifest_path: invoke::target_file(project_dir, "manifest.json"),
            run_results_path: run_results,
            catalog_path: None,
            execution_time_seconds: elapsed,
            models_run,
            tests_run,
            failures,
            metadata,
            failed_nodes: tally.failed,
        })
    }

    /// Runs `dbt <args>` where only success matters (`deps`, `docs generate`).
    fn run_plain(&self, what: &str, args: &[String]) -> Result<(), PluginError> {
        let finished = invoke::run_dbt(&self.settings().dbt_executable, args)?;
        if finished.success() {
            Ok(())
        } else {
            Err(PluginError::failed(format!(
                "Execution failed: dbt {what} failed: {}",
                invoke::error_text(&finished)
            )))
        }
    }
}

const RUN_RESULTS_HINT: &str = "Run 'dbt run' or 'dbt test' first.";
const MANIFEST_HINT: &str = "Run 'dbt compile' first.";

fn read_json(path: &Path, name: &str, hint: &str) -> Result<Value, PluginError> {
    let bytes = match std::fs::read(path) {
        Ok(b) => b,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(PluginError::failed(format!(
                "{name} not found at {}. {hint}",
                path.display()
            )));
        }
        Err(e) => {
            return Err(crate::error::failure(
                format!("cannot read {}", path.display()),
                e,
            ));
        }
    };
    serde_json::from_slice(&bytes).map_err(|e| {
        crate::error::failure(format!("{name} at {} is not valid JSON", path.display()), e)
    })
}

impl DbtPlugin for DbtCorePlugin {
    /// `dbt deps` first when `packages.yml` or `packages.yaml` exists, then `dbt
    /// compile`; returns `P/target/manifest.json`.
    fn compile_project(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
    ) -> Result<PathBuf, PluginError> {
        let exe = self.settings().dbt_executable.clone();
        let has_packages = ["packages.yml", "packages.yaml"]
            .iter()
            .any(|f| project_dir.join(f).is_file());
        if has_packages {
            self.install_deps(project_dir, profiles_dir)?;
        }
        let args = invoke::arguments(
            "compile",
            project_dir,
            profiles_dir,
            Some(target),
            None,
            None,
            false,
        );
        let finished = invoke::run_dbt(&exe, &args)?;
        if !finished.success() {
            let text = invoke::error_text(&finished);
            let location = invoke::location_suffix(&text);
            return Err(PluginError::failed(format!(
                "Compilation failed: {text}{location}"
            )));
        }
        Ok(invoke::target_file(project_dir, "manifest.json"))
    }

    /// `dbt run`; model failures give `success: false` with `failures` counted.
    fn run_models(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
        exclude: Option<&str>,
        full_refresh: bool,
    ) -> Result<DbtRunResult, PluginError> {
        let args = invoke::arguments(
            "run",
            project_dir,
            profiles_dir,
            Some(target),
            select,
            exclude,
            full_refresh,
        );
        self.execute(Kind::Run, args, project_dir)
    }

    /// `dbt test`; failing tests give `success: false` with `failures` counted.
    fn test_models(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
    ) -> Result<DbtRunResult, PluginError> {
        let args = invoke::arguments(
            "test",
            project_dir,
            profiles_dir,
            Some(target),
            select,
            None,
            false,
        );
        self.execute(Kind::Test, args, project_dir)
    }

    /// `dbt seed`; `models_run` counts the seeds loaded.
    fn seed_data(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
        full_refresh: bool,
    ) -> Result<DbtRunResult, PluginError> {
        let args = invoke::arguments(
            "seed",
            project_dir,
            profiles_dir,
            Some(target),
            select,
            None,
            full_refresh,
        );
        self.execute(Kind::Seed, args, project_dir)
    }

    /// `dbt build`: seeds, models and snapshots count in `models_run`, tests in
    /// `tests_run`; every failed node is in `failed_nodes`.
    fn build_project(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        select: Option<&str>,
        exclude: Option<&str>,
        full_refresh: bool,
    ) -> Result<DbtRunResult, PluginError> {
        let args = invoke::arguments(
            "build",
            project_dir,
            profiles_dir,
            Some(target),
            select,
            exclude,
            full_refresh,
        );
        self.execute(Kind::Build, args, project_dir)
    }

    /// `dbt deps`.
    fn install_deps(&self, project_dir: &Path, profiles_dir: &Path) -> Result<(), PluginError> {
        let args = invoke::arguments("deps", project_dir, profiles_dir, None, None, None, false);
        self.run_plain("deps", &args)
    }

    /// `dbt docs generate`; returns `P/target/catalog.json`.
    fn generate_docs(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
    ) -> Result<PathBuf, PluginError> {
        let mut args = invoke::arguments(
            "docs",
            project_dir,
            profiles_dir,
            Some(target),
            None,
            None,
            false,
        );
        args.insert(1, "generate".to_owned());
        self.run_plain("docs generate", &args)?;
        let catalog = invoke::target_file(project_dir, "catalog.json");
        if catalog.is_file() {
            Ok(catalog)
        } else {
            Err(PluginError::failed(format!(
                "dbt docs generate succeeded but wrote no {}",
                catalog.display()
            )))
        }
    }

    /// Writes `Q/profiles.yml`: `{<profile of dbt_project.yml>: {target, outputs:
    /// {<target>: output}}}`.
    fn write_profiles(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        output: &Value,
    ) -> Result<PathBuf, PluginError> {
        profiles::write_profiles(project_dir, profiles_dir, target, output)
    }

    /// Lints `P/models/**/*.sql` with sqlfluff in the dialect of the target's adapter
    /// (`ansi` when unknown), or fixes them when `fix` is set.
    ///
    /// The lint succeeds when sqlfluff passes the files (exit status 0): when its
    /// findings, if any, are all of warning severity (the rules under `warnings` in
    /// the project's `.sqlfluff`). Every finding is in `issues` with sqlfluff's
    /// severity. floe 0.1.0a1 (floe-dbt-core) reports success only with no findings
    /// at all, and marks every finding `warning`; it also hands each file's path to
    /// sqlfluff's API as the SQL text, so what it reports is a parse error of the
    /// path: this plugin lints the files' contents.
    fn lint_project(
        &self,
        project_dir: &Path,
        profiles_dir: &Path,
        target: &str,
        fix: bool,
    ) -> Result<LintResult, PluginError> {
        let adapter = lint::adapter_of(project_dir, profiles_dir, target);
        let dialect = lint::dialect_for(adapter.as_deref());
        lint::lint(
            &self.settings().sqlfluff_executable,
            project_dir,
            dialect,
            fix,
        )
    }

    /// The parsed `P/target/manifest.json`.
    fn get_manifest(&self, project_dir: &Path) -> Result<Value, PluginError> {
        read_json(
            &invoke::target_file(project_dir, "manifest.json"),
            "manifest.json",
            MANIFEST_HINT,
        )
    }

    /// The parsed `P/target/run_results.json`.
    fn get_run_results(&self, project_dir: &Path) -> Result<Value, PluginError> {
        read_json(
            &invoke::target_file(project_dir, "run_results.json"),
            "run_results.json",
            RUN_RESULTS_HINT,
        )
    }

    /// `false`: dbt-core invocations share the project's `target/` directory.
    fn supports_parallel_execution(&self) -> bool {
        false
    }

    /// `true`, through sqlfluff.
    fn supports_sql_linting(&self) -> bool {
        true
    }

    /// `{"runtime": "core", "thread_safe": false}` plus `dbt_version` when `dbt
    /// --version` answers.
    fn get_runtime_metadata(&self) -> Value {
        let mut meta = json!({"runtime": "core", "thread_safe": false});
        if let Ok(version) = self.dbt_version() {
            meta["dbt_version"] = json!(version);
        }
        meta
    }

    /// Healthy when `dbt --version` answers with an installed version.
    fn health_check(&self) -> HealthStatus {
        let exe = self.settings().dbt_executable.clone();
        match self.dbt_version() {
            Ok(version) => HealthStatus::healthy()
                .with_detail("dbt_version", version)
                .with_detail("executable", exe),
            Err(reason) => HealthStatus::unhealthy(reason).with_detail("executable", exe),
        }
    }
}
