//! The `core` dbt plugin through the registry, against fixture `dbt` and `sqlfluff`
//! scripts that record their arguments.
#![cfg(feature = "dbt-core")]

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use floe_plugins_builtin as _;
use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, PluginRegistry};
use serde_json::{Value, json};
use support::canary::{CANARY, assert_no_canary};
use support::config_errors::{assert_has_error, config_errors};
use support::registry::registry;
use support::schema::assert_schema_snapshot;
use tempfile::TempDir;

/// A project, a profiles dir and a `dbt` script whose behaviour per command is
/// `cases` (shell `case` arms on `$1`); every call's arguments are appended to
/// `calls.txt`, one per line, then a `--` line.
struct Fixture {
    dir: TempDir,
}

impl Fixture {
    fn new(cases: &str) -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        for sub in ["project/target", "profiles", "bin"] {
            fs::create_dir_all(dir.path().join(sub)).expect("mkdir");
        }
        let script = format!(
            "#!/bin/sh\nD='{root}'\nT='{root}/project/target'\nprintf '%s\\n' \"$@\" >> \"$D/calls.txt\"\necho -- >> \"$D/calls.txt\"\ncase \"$1\" in\n{cases}\nesac\n",
            root = dir.path().display()
        );
        write_executable(&dir.path().join("bin/dbt"), &script);
        Fixture { dir }
    }

    fn project(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    fn profiles(&self) -> PathBuf {
        self.dir.path().join("profiles")
    }

    fn dbt(&self) -> PathBuf {
        self.dir.path().join("bin/dbt")
    }

    /// Each call's arguments.
    fn calls(&self) -> Vec<Vec<String>> {
        let text = fs::read_to_string(self.dir.path().join("calls.txt")).unwrap_or_default();
        text.split("--\n")
            .filter(|c| !c.is_empty())
            .map(|c| c.lines().map(str::to_owned).collect())
            .collect()
    }

    fn registry(&self) -> PluginRegistry {
        let registry = registry();
        registry
            .configure(
                PluginType::Dbt,
                "core",
                json!({"dbt_executable": self.dbt(), "sqlfluff_executable": self.dir.path().join("bin/sqlfluff")}),
            )
            .expect("valid config");
        registry
    }

    fn tail(&self, command: &str) -> Vec<String> {
        vec![
            command.to_owned(),
            "--project-dir".to_owned(),
            self.project().display().to_string(),
            "--profiles-dir".to_owned(),
            self.profiles().display().to_string(),
        ]
    }
}

fn write_executable(path: &Path, text: &str) {
    fs::write(path, text).expect("write script");
    fs::set_permissions(path, fs::Permissions::from_mode(0o755)).expect("chmod");
}

fn dbt(registry: &PluginRegistry) -> &dyn DbtPlugin {
    registry
        .get_as::<dyn DbtPlugin>("core")
        .expect("core is registered")
}

fn strings(items: &[&str]) -> Vec<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

fn run_results(statuses: &[&str]) -> String {
    let results: Vec<Value> = statuses
        .iter()
        .enumerate()
        .map(|(i, s)| json!({"unique_id": format!("model.shop.m{i}"), "status": s}))
        .collect();
    json!({"metadata": {"dbt_version": "1.7.4"}, "results": results}).to_string()
}

/// A dbt JSON log line, escaped to sit inside a single-quoted shell string.
fn log_line(level: &str, msg: &str) -> String {
    json!({"info": {"level": level, "msg": msg}})
        .to_string()
        .replace('\'', "'\\''")
}

#[test]
fn metadata_matches_the_reference() {
    let info = registry()
        .info(PluginType::Dbt, "core")
        .expect("registered");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(info.description, "");
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::Dbt, "core");
}

#[test]
fn invalid_configs_report_every_field() {
    let errors = config_errors(
        registry()
            .configure(
                PluginType::Dbt,
                "core",
                json!({"dbt_executable": "", "sqlfluff_executable": 3, "threads": 4}),
            )
            .expect_err("invalid"),
    );
    assert_has_error(&errors, "dbt_executable", ConfigErrorKind::Length);
    assert_has_error(&errors, "sqlfluff_executable", ConfigErrorKind::Type);
    assert_has_error(&errors, "threads", ConfigErrorKind::UnknownField);
}

#[test]
fn capabilities_are_declared() {
    let registry = registry();
    assert!(!dbt(&registry).supports_parallel_execution());
    assert!(dbt(&registry).supports_sql_linting());
}

#[test]
fn compile_runs_dbt_compile_with_the_reference_arguments() {
    let fx = Fixture::new("compile) echo '{}' > \"$T/manifest.json\" ;;");
    let registry = fx.registry();
    let manifest = dbt(&registry)
        .compile_project(&fx.project(), &fx.profiles(), "dev")
        .expect("compiles");
    assert_eq!(manifest, fx.project().join("target/manifest.json"));
    let mut expected = fx.tail("compile");
    expected.extend(strings(&["--target", "dev", "--log-format", "json"]));
    assert_eq!(fx.calls(), [expected]);
}

#[test]
fn compile_runs_deps_first_when_the_project_has_packages() {
    let fx = Fixture::new("*) exit 0 ;;");
    fs::write(fx.project().join("packages.yml"), "packages: []\n").expect("packages");
    let registry = fx.registry();
    dbt(&registry)
        .compile_project(&fx.project(), &fx.profiles(), "prod")
        .expect("compiles");
    let mut deps = fx.tail("deps");
    deps.extend(strings(&["--log-format", "json"]));
    let mut compile = fx.tail("compile");
    compile.extend(strings(&["--target", "prod", "--log-format", "json"]));
    assert_eq!(fx.calls(), [deps, compile]);
}

#[test]
fn a_deps_failure_stops_compilation() {
    let fx = Fixture::new(&format!(
        "deps) echo '{}'; exit 1 ;;",
        log_line("error", "Package not found")
    ));
    fs::write(fx.project().join("packages.yaml"), "packages: []\n").expect("packages");
    let registry = fx.registry();
    let err = dbt(&registry)
        .compile_project(&fx.project(), &fx.profiles(), "dev")
        .expect_err("deps fails");
    assert_eq!(
        err.to_string(),
        "Execution failed: dbt deps failed: Package not found"
    );
    assert_eq!(fx.calls().len(), 1);
}

#[test]
fn compile_errors_carry_the_location() {
    let fx = Fixture::new(&format!(
        "compile) echo '{}'; echo '{}'; exit 1 ;;",
        log_line("info", "Running with dbt=1.7.4"),
        log_line("error", "Compilation Error at models/orders.sql:12")
    ));
    let registry = fx.registry();
    let err = dbt(&registry)
        .compile_project(&fx.project(), &fx.profiles(), "dev")
        .expect_err("fails");
    assert_eq!(
        err.to_string(),
        "Compilation failed: Compilation Error at models/orders.sql:12\n    at models/orders.sql:12"
    );
}

#[test]
fn run_passes_select_exclude_and_full_refresh_in_order() {
    let fx = Fixture::new(&format!(
        "run) echo '{}' > \"$T/run_results.json\" ;;",
        run_results(&["success", "success", "success"])
    ));
    let registry = fx.registry();
    let result = dbt(&registry)
        .run_models(
            &fx.project(),
            &fx.profiles(),
            "dev",
            Some("tag:daily"),
            Some("stg_old"),
            true,
        )
        .expect("runs");
    let mut expected = fx.tail("run");
    expected.extend(strings(&[
        "--target",
        "dev",
        "--select",
        "tag:daily",
        "--exclude",
        "stg_old",
        "--full-refresh",
        "--log-format",
        "json",
    ]));
    assert_eq!(fx.calls(), [expected]);
    assert!(result.success);
    assert_eq!(
        (result.models_run, result.tests_run, result.failures),
        (3, 0, 0)
    );
    assert_eq!(
        result.manifest_path,
        fx.project().join("target/manifest.json")
    );
    assert_eq!(
        result.run_results_path,
        fx.project().join("target/run_results.json")
    );
    assert_eq!(result.catalog_path, None);
    assert!(result.execution_time_seconds > 0.0);
    assert!(result.metadata.get("error").is_none());
    assert!(result.failed_nodes.is_empty());
}

#[test]
fn run_without_options_passes_only_the_tail() {
    let fx = Fixture::new(&format!(
        "run) echo '{}' > \"$T/run_results.json\" ;;",
        run_results(&[])
    ));
    let registry = fx.registry();
    let result = dbt(&registry)
        .run_models(&fx.project(), &fx.profiles(), "dev", None, None, false)
        .expect("runs");
    let mut expected = fx.tail("run");
    expected.extend(strings(&["--target", "dev", "--log-format", "json"]));
    assert_eq!(fx.calls(), [expected]);
    assert_eq!(result.models_run, 0);
}

#[test]
fn failed_models_give_an_unsuccessful_result_with_counts() {
    let fx = Fixture::new(&format!(
        "run) echo '{}' > \"$T/run_results.json\"; echo '{}'; exit 1 ;;",
        run_results(&["success", "error", "skipped"]),
        log_line("error", "Database Error in model m1")
    ));
    let registry = fx.registry();
    let result = dbt(&registry)
        .run_models(&fx.project(), &fx.profiles(), "dev", None, None, false)
        .expect("a result, not an error");
    assert!(!result.success);
    assert_eq!(
        (result.models_run, result.failures),
        (1, 1),
        "only the successful model counts as run"
    );
    assert_eq!(result.metadata["skipped"], 1);
    assert_eq!(result.metadata["error"], "Database Error in model m1");
}

#[test]
fn a_run_that_writes_no_results_is_an_error_with_location() {
    let fx = Fixture::new(&format!(
        "run) echo '{}'; exit 2 ;;",
        log_line("error", "Syntax error in file 'models/a.sql' at line 7")
    ));
    // A stale run_results.json from an earlier run must not count as this run's.
    fs::write(
        fx.project().join("target/run_results.json"),
        run_results(&["success"]),
    )
    .expect("stale");
    let registry = fx.registry();
    let err = dbt(&registry)
        .run_models(&fx.project(), &fx.profiles(), "dev", None, None, false)
        .expect_err("no results");
    assert_eq!(
        err.to_string(),
        "Execution failed: Syntax error in file 'models/a.sql' at line 7\n    at models/a.sql:7"
    );
}

#[test]
fn tests_count_failures_and_report_success() {
    let fx = Fixture::new(&format!(
        "test) echo '{}' > \"$T/run_results.json\"; exit 1 ;;",
        run_results(&["pass", "fail", "warn", "fail"])
    ));
    let registry = fx.registry();
    let result = dbt(&registry)
        .test_models(&fx.project(), &fx.profiles(), "ci", Some("orders"))
        .expect("a result");
    let mut expected = fx.tail("test");
    expected.extend(strings(&[
        "--target",
        "ci",
        "--select",
        "orders",
        "--log-format",
        "json",
    ]));
    assert_eq!(fx.calls(), [expected]);
    assert!(!result.success);
    assert_eq!(
        (result.models_run, result.tests_run, result.failures),
        (0, 4, 2)
    );

    let fx = Fixture::new(&format!(
        "test) echo '{}' > \"$T/run_results.json\" ;;",
        run_results(&["pass", "pass"])
    ));
    let registry = fx.registry();
    let result = dbt(&registry)
        .test_models(&fx.project(), &fx.profiles(), "ci", None)
        .expect("a result");
    assert!(result.success);
    assert_eq!((result.tests_run, result.failures), (2, 0));
}

#[test]
fn success_without_run_results_is_the_reference_error() {
    let fx = Fixture::new("run) exit 0 ;;");
    let registry = fx.registry();
    let err = dbt(&registry)
        .run_models(&fx.project(), &fx.profiles(), "dev", None, None, false)
        .expect_err("no results");
    assert_eq!(
        err.to_string(),
        format!(
            "run_results.json not found at {}. Run 'dbt run' or 'dbt test' first.",
            fx.project().join("target/run_results.json").display()
        )
    );
}

#[test]
fn manifest_and_run_results_are_read_or_explained() {
    let fx = Fixture::new("*) exit 0 ;;");
    let registry = fx.registry();
    let err = dbt(&registry)
        .get_manifest(&fx.project())
        .expect_err("absent");
    assert_eq!(
        err.to_string(),
        format!(
            "manifest.json not found at {}. Run 'dbt compile' first.",
            fx.project().join("target/manifest.json").display()
        )
    );
    assert!(dbt(&registry).get_run_results(&fx.project()).is_err());
    fs::write(
        fx.project().join("target/manifest.json"),
        r#"{"nodes": {}}"#,
    )
    .expect("write");
    fs::write(
        fx.project().join("target/run_results.json"),
        run_results(&["success"]),
    )
    .expect("write");
    assert_eq!(
        dbt(&registry).get_manifest(&fx.project()).expect("read"),
        json!({"nodes": {}})
    );
    assert_eq!(
        dbt(&registry).get_run_results(&fx.project()).expect("read")["results"][0]["status"],
        "success"
    );
}

#[test]
fn a_missing_dbt_is_a_configuration_error() {
    let registry = registry();
    registry
        .configure(
            PluginType::Dbt,
            "core",
            json!({"dbt_executable": "/nonexistent/bin/dbt"}),
        )
        .expect("config");
    let dir = tempfile::tempdir().expect("tempdir");
    let err = dbt(&registry)
        .compile_project(dir.path(), dir.path(), "dev")
        .expect_err("no dbt");
    assert!(
        err.to_string().starts_with(
            "Configuration error: dbt-core is not installed. Install with: pip install dbt-core"
        ),
        "{err}"
    );
    assert_eq!(
        dbt(&registry).get_runtime_metadata(),
        json!({"runtime": "core", "thread_safe": false})
    );
    let status = dbt(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(
        status.message,
        "dbt executable not found: '/nonexistent/bin/dbt'"
    );
}

#[test]
fn runtime_metadata_and_health_read_dbt_version() {
    let fx = Fixture::new(
        "--version) printf 'Core:\\n  - installed: 1.7.4\\n  - latest:    1.8.0 - Update available!\\n' ;;",
    );
    let registry = fx.registry();
    assert_eq!(
        dbt(&registry).get_runtime_metadata(),
        json!({"runtime": "core", "thread_safe": false, "dbt_version": "1.7.4"})
    );
    let status = registry
        .health_check(PluginType::Dbt, "core")
        .expect("health");
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.details["dbt_version"], "1.7.4");
}

#[test]
fn credentials_in_dbt_errors_are_redacted() {
    let fx = Fixture::new(&format!(
        "compile) echo '{}'; exit 1 ;;",
        log_line(
            "error",
            &format!("could not connect to postgres://floe:{CANARY}@db/x with password={CANARY}")
        )
    ));
    let registry = fx.registry();
    let err = dbt(&registry)
        .compile_project(&fx.project(), &fx.profiles(), "dev")
        .expect_err("fails");
    assert_no_canary("the output", &err.to_string());
    assert_eq!(
        err.to_string(),
        "Compilation failed: could not connect to postgres://<REDACTED>@db/x with password=<REDACTED>"
    );
}

fn lint_fixture(fx: &Fixture, sqlfluff_body: &str) {
    let script = format!(
        "#!/bin/sh\nD='{}'\nprintf '%s\\n' \"$@\" > \"$D/sqlfluff-args.txt\"\n{sqlfluff_body}\n",
        fx.dir.path().display()
    );
    write_executable(&fx.dir.path().join("bin/sqlfluff"), &script);
    fs::write(
        fx.project().join("dbt_project.yml"),
        "name: shop\nprofile: 'shop'\n",
    )
    .expect("project");
    fs::write(
        fx.profiles().join("profiles.yml"),
        "shop:\n  target: dev\n  outputs:\n    dev:\n      type: databricks\n",
    )
    .expect("profiles");
    fs::create_dir_all(fx.project().join("models/staging")).expect("models");
    fs::write(fx.project().join("models/orders.sql"), "SELECT 1\n").expect("sql");
    fs::write(
        fx.project().join("models/staging/stg.sql"),
        "select a from b\n",
    )
    .expect("sql");
    fs::write(fx.project().join("models/readme.md"), "not sql").expect("md");
}

#[test]
fn lint_maps_sqlfluff_violations_in_the_target_dialect() {
    let fx = Fixture::new("*) exit 0 ;;");
    let report = json!([
        {"filepath": "models/orders.sql", "violations": [
            {"start_line_no": 1, "start_line_pos": 1, "code": "CP01", "description": "Keywords must be consistently lower case."},
            {"start_line_no": 0, "code": "", "description": ""}
        ]},
        {"filepath": "models/staging/stg.sql", "violations": []}
    ]);
    lint_fixture(&fx, &format!("echo '{report}'; exit 1"));
    let registry = fx.registry();
    let result = dbt(&registry)
        .lint_project(&fx.project(), &fx.profiles(), "dev", false)
        .expect("lints");
    assert!(!result.success);
    assert_eq!(result.files_checked, 2);
    assert_eq!(result.files_fixed, 0);
    assert_eq!(
        result.issues,
        [
            LintViolation {
                file_path: "models/orders.sql".into(),
                line: 1,
                column: 0,
                code: "CP01".into(),
                message: "Keywords must be consistently lower case.".into(),
                severity: "error".into(),
            },
            LintViolation {
                file_path: "models/orders.sql".into(),
                line: 1,
                column: 0,
                code: "UNKNOWN".into(),
                message: String::new(),
                severity: "error".into(),
            }
        ]
    );
    let args = fs::read_to_string(fx.dir.path().join("sqlfluff-args.txt")).expect("args");
    let args: Vec<&str> = args.lines().collect();
    assert_eq!(args[0], "lint");
    assert!(
        args.windows(2).any(|w| w == ["--dialect", "sparksql"]),
        "{args:?}"
    );
    assert!(
        args.windows(2).any(|w| w == ["--format", "json"]),
        "{args:?}"
    );
    assert_eq!(args.iter().filter(|a| a.ends_with(".sql")).count(), 2);
}

#[test]
fn lint_passes_when_sqlfluff_passes_with_warnings_only() {
    let fx = Fixture::new("*) exit 0 ;;");
    let warning = json!([{"filepath": "models/orders.sql", "violations": [
        {"start_line_no": 1, "start_line_pos": 7, "code": "LT01", "description": "Expected only single space.", "warning": true}
    ]}]);
    let error = json!([{"filepath": "models/orders.sql", "violations": [
        {"start_line_no": 1, "start_line_pos": 7, "code": "LT01", "description": "Expected only single space.", "warning": true},
        {"start_line_no": 1, "start_line_pos": 1, "code": "CP01", "description": "Keywords must be consistently lower case."}
    ]}]);
    let registry = fx.registry();
    let lint = |body: &str| {
        lint_fixture(&fx, body);
        dbt(&registry)
            .lint_project(&fx.project(), &fx.profiles(), "dev", false)
            .expect("lints")
    };
    // sqlfluff's exit status 0: only findings of rules configured as warnings.
    let passed = lint(&format!("echo '{warning}'; exit 0"));
    assert!(passed.success, "{passed:?}");
    assert_eq!(
        passed.issues,
        [LintViolation {
            file_path: "models/orders.sql".into(),
            line: 1,
            column: 6,
            code: "LT01".into(),
            message: "Expected only single space.".into(),
            severity: "warning".into(),
        }]
    );
    // An error finding fails the lint, with the warnings still listed.
    let failed = lint(&format!("echo '{error}'; exit 1"));
    assert!(!failed.success);
    let severities: Vec<&str> = failed.issues.iter().map(|i| i.severity.as_str()).collect();
    assert_eq!(severities, ["warning", "error"]);
    // sqlfluff failing without a finding (a large file skipped with
    // `large_file_skip_fail`) is no pass either.
    let skipped = lint("echo '[]'; exit 1");
    assert!(!skipped.success);
    assert!(skipped.issues.is_empty());
}

#[test]
fn lint_fix_counts_changed_files() {
    let fx = Fixture::new("*) exit 0 ;;");
    lint_fixture(
        &fx,
        &format!(
            "echo 'select 1' > '{}'",
            fx.project().join("models/orders.sql").display()
        ),
    );
    fs::write(fx.project().join(".sqlfluff"), "[sqlfluff]\n").expect("config");
    let registry = fx.registry();
    let result = dbt(&registry)
        .lint_project(&fx.project(), &fx.profiles(), "dev", true)
        .expect("fixes");
    assert!(result.success);
    assert_eq!((result.files_checked, result.files_fixed), (2, 1));
    assert!(result.issues.is_empty());
    let args = fs::read_to_string(fx.dir.path().join("sqlfluff-args.txt")).expect("args");
    assert!(args.starts_with("fix\n"), "{args}");
    assert!(args.contains(".sqlfluff"), "{args}");
}

#[test]
fn lint_without_models_checks_nothing_and_unknown_adapters_use_ansi() {
    let fx = Fixture::new("*) exit 0 ;;");
    let registry = fx.registry();
    let result = dbt(&registry)
        .lint_project(&fx.project(), &fx.profiles(), "dev", false)
        .expect("nothing to lint");
    assert_eq!(
        result,
        LintResult {
            success: true,
            issues: vec![],
            files_checked: 0,
            files_fixed: 0
        }
    );
    lint_fixture(&fx, "echo '[]'");
    let result = dbt(&registry)
        .lint_project(&fx.project(), &fx.profiles(), "qa", false)
        .expect("lints");
    assert!(result.success);
    let args = fs::read_to_string(fx.dir.path().join("sqlfluff-args.txt")).expect("args");
    assert!(args.contains("--dialect\nansi\n"), "{args}");
}

#[test]
fn lint_without_sqlfluff_is_the_reference_error() {
    let fx = Fixture::new("*) exit 0 ;;");
    fs::create_dir_all(fx.project().join("models")).expect("models");
    fs::write(fx.project().join("models/a.sql"), "select 1\n").expect("sql");
    let registry = fx.registry();
    let err = dbt(&registry)
        .lint_project(&fx.project(), &fx.profiles(), "dev", false)
        .expect_err("no sqlfluff");
    assert!(
        err.to_string().starts_with(
            "SQLFluff is required for SQL linting. Install with: pip install sqlfluff"
        ),
        "{err}"
    );
}
