//! The dbt plugin `fusion` against fixture executables the tests write (Fusion is not
//! on a package registry): success, failure output, a missing binary and a hanging
//! command killed at its deadline. No assertion depends on elapsed time.

#![allow(clippy::unwrap_used)]
#![cfg(unix)]

mod support;

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};

use floe_plugins_builtin::dbt_fusion::{is_fusion_help, parse_lint, parse_version};
use floe_registry::prelude::*;
use serde_json::json;

/// Writes an executable shell script `dbt` into `dir`: answers `--help` as Fusion,
/// records its arguments in `args.txt`, and runs `body` for other commands.
fn fixture(dir: &Path, body: &str) -> PathBuf {
    let bin = dir.join("dbt");
    let script = format!(
        "#!/bin/sh\ncase \"$1\" in\n  --help) echo 'dbt-fusion: compile, run, test'; exit 0;;\n  --version) echo 'dbt-fusion 2.0.0-beta.3'; exit 0;;\nesac\necho \"$@\" > '{}/args.txt'\n{body}\n",
        dir.display()
    );
    std::fs::write(&bin, script).unwrap();
    std::fs::set_permissions(&bin, std::fs::Permissions::from_mode(0o755)).unwrap();
    bin
}

fn fusion(bin: &Path, timeout: f64) -> PluginRegistry {
    let registry = support::registry::registry();
    registry
        .configure(
            PluginType::Dbt,
            "fusion",
            json!({"binary": bin, "timeout_seconds": timeout, "lint_timeout_seconds": timeout}),
        )
        .unwrap();
    registry
}

#[test]
fn schema_matches_the_snapshot() {
    support::schema::assert_schema_snapshot(PluginType::Dbt, "fusion");
}

#[test]
fn compile_passes_the_flags_and_returns_the_manifest_path() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fixture(dir.path(), "exit 0");
    let registry = fusion(&bin, 60.0);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let project = dir.path().join("proj");
    let path = dbt
        .compile_project(&project, Path::new("/profiles"), "dev")
        .unwrap();
    assert_eq!(path, project.join("target/manifest.json"));
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    assert_eq!(
        args.trim(),
        format!(
            "compile --project-dir {} --profiles-dir /profiles --target dev",
            project.display()
        )
    );
}

#[test]
fn a_failed_compile_reports_fusions_output() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fixture(dir.path(), "echo 'model orders: syntax error' >&2; exit 1");
    let registry = fusion(&bin, 60.0);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let e = dbt
        .compile_project(dir.path(), dir.path(), "dev")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Compilation failed: Fusion compile failed: model orders: syntax error"),
        "{e}"
    );
}

#[test]
fn run_counts_results_and_test_fails_on_failures() {
    let dir = tempfile::tempdir().unwrap();
    let project = dir.path().join("proj");
    std::fs::create_dir_all(project.join("target")).unwrap();
    std::fs::write(
        project.join("target/run_results.json"),
        r#"{"elapsed_time": 1.5, "results": [{"unique_id": "model.shop.orders", "status": "success"}, {"unique_id": "model.shop.payments", "status": "error", "message": "boom"}, {"unique_id": "model.shop.items", "status": "success"}]}"#,
    )
    .unwrap();
    let bin = fixture(dir.path(), "exit 0");
    let registry = fusion(&bin, 60.0);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let run = dbt
        .run_models(
            &project,
            &project,
            "dev",
            Some("orders"),
            Some("legacy"),
            true,
        )
        .unwrap();
    assert!(run.success, "run succeeds whenever Fusion exits 0");
    assert_eq!(
        (run.models_run, run.failures, run.execution_time_seconds),
        (2, 1, 1.5),
        "models_run counts only the models that succeeded"
    );
    assert_eq!(run.failed_nodes.len(), 1);
    assert_eq!(
        (
            run.failed_nodes[0].unique_id.as_str(),
            run.failed_nodes[0].name.as_str(),
            run.failed_nodes[0].status.as_str(),
            run.failed_nodes[0].message.as_str()
        ),
        ("model.shop.payments", "payments", "error", "boom")
    );
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    assert!(
        args.trim()
            .ends_with("--select orders --exclude legacy --full-refresh"),
        "{args}"
    );
    let test = dbt.test_models(&project, &project, "dev", None).unwrap();
    assert!(!test.success);
    assert_eq!((test.tests_run, test.failures), (3, 1));
}

#[test]
fn a_failed_run_is_an_error_with_stdout_when_stderr_is_empty() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fixture(dir.path(), "echo 'database unreachable'; exit 2");
    let registry = fusion(&bin, 60.0);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let e = dbt
        .run_models(dir.path(), dir.path(), "dev", None, None, false)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Execution failed: Fusion run failed: database unreachable"),
        "{e}"
    );
}

#[test]
fn a_hanging_command_is_killed_at_its_deadline() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fixture(dir.path(), "sleep 600");
    let registry = fusion(&bin, 0.5);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let e = dbt
        .test_models(dir.path(), dir.path(), "dev", None)
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("Execution failed: Fusion test command timed out after 0.5 seconds"),
        "{e}"
    );
    let lint = dbt
        .lint_project(dir.path(), dir.path(), "dev", false)
        .unwrap();
    assert!(
        !lint.success && lint.issues.is_empty(),
        "a lint timeout is an unsuccessful result"
    );
}

#[test]
fn lint_output_becomes_violations() {
    let dir = tempfile::tempdir().unwrap();
    let bin = fixture(
        dir.path(),
        "echo 'models/orders.sql:3:7: warning: trailing whitespace'; echo 'models/users.sql:1:1: Error: bad'; exit 0",
    );
    let registry = fusion(&bin, 60.0);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let lint = dbt
        .lint_project(dir.path(), dir.path(), "dev", true)
        .unwrap();
    assert!(!lint.success);
    assert_eq!(lint.files_checked, 2);
    assert_eq!(lint.issues[0].file_path, "models/orders.sql");
    assert_eq!((lint.issues[0].line, lint.issues[0].column), (3, 7));
    assert_eq!(lint.issues[1].severity, "error");
    let args = std::fs::read_to_string(dir.path().join("args.txt")).unwrap();
    assert!(args.starts_with("lint --fix --project-dir"), "{args}");
    let (_, _, fixed) = parse_lint("fixed a.sql\nFixed b.sql\n");
    assert_eq!(fixed, 2);
}

#[test]
fn a_missing_binary_is_reported() {
    let registry = fusion(Path::new("/nonexistent/fusion/dbt"), 60.0);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let e = dbt
        .compile_project(Path::new("/p"), Path::new("/q"), "dev")
        .unwrap_err()
        .to_string();
    assert!(e.contains("cannot run /nonexistent/fusion/dbt"), "{e}");
}

#[test]
fn detection_and_metadata_use_help_and_version() {
    assert!(is_fusion_help("dbt-fusion 2.0\nCommands: compile run"));
    assert!(
        !is_fusion_help("dbt-core: compile run"),
        "dbt-core is not Fusion"
    );
    assert_eq!(
        parse_version("dbt-fusion 2.0.0-beta.3\n").as_deref(),
        Some("2.0.0-beta.3")
    );
    assert_eq!(parse_version(&"x".repeat(300)), None);
    let dir = tempfile::tempdir().unwrap();
    let bin = fixture(dir.path(), "exit 0");
    let registry = fusion(&bin, 60.0);
    let dbt = registry.get_as::<dyn DbtPlugin>("fusion").unwrap();
    let meta = dbt.get_runtime_metadata();
    assert_eq!(meta["runtime"], "fusion");
    assert_eq!(meta["fusion_version"], "2.0.0-beta.3");
    assert!(
        !meta["adapters_available"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == "duckdb")
    );
    let e = dbt.get_manifest(dir.path()).unwrap_err().to_string();
    assert!(e.starts_with("Manifest not found: "), "{e}");
}
