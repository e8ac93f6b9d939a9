//! `floe plugins ... --python`: the published floe plugins of a Python environment,
//! beside the linked built-ins, through the floe binary.

#[path = "../../floe-python/tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};

fn floe(args: &[&str], python: Option<&Path>) -> Output {
    let mut command = Command::new(env!("CARGO_BIN_EXE_floe"));
    command
        .args(args)
        .env("FLOE_CACHE_DIR", support::private_cache())
        .env_remove("FLOE_PYTHON");
    if let Some(python) = python {
        command.env("FLOE_PYTHON", python);
    }
    command.output().expect("floe runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn list_shows_python_plugins_with_their_source_beside_the_linked_ones() {
    let venv = support::published().root();
    let out = floe(
        &[
            "plugins",
            "list",
            "--type",
            "catalog",
            "--python",
            &venv.display().to_string(),
        ],
        None,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("glue (0.1.0)")
            && stdout.contains("[python package `floe-catalog-glue 0.1.0a1`]"),
        "{stdout}"
    );
    assert!(stdout.contains("[linked]"), "{stdout}");
    // The published polaris has the identity of the linked built-in, which is used.
    assert!(
        stderr
            .contains("Plugin CATALOG:polaris from python package `floe-catalog-polaris 0.1.0a1`")
            && stderr.contains("is not used: crate `floe-plugins-builtin`"),
        "{stderr}"
    );
}

#[test]
fn floe_python_names_the_environment_and_info_shows_the_source() {
    let venv = support::published().root();
    let out = floe(
        &["plugins", "info", "storage", "minio", "--json"],
        Some(venv),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(info["crate_name"], "floe-storage-minio 0.1.0a1");
    assert_eq!(info["linked"], false);
    assert_eq!(info["version"], "0.1.0");
    let fields: Vec<&str> = info["config_fields"]
        .as_array()
        .expect("fields")
        .iter()
        .filter_map(|f| f["name"].as_str())
        .collect();
    assert!(
        fields.contains(&"endpoint") && fields.contains(&"bucket"),
        "{fields:?}"
    );
}

#[test]
fn a_bad_python_path_is_a_usage_error_saying_what_was_expected() {
    let out = floe(&["plugins", "list", "--python", "/no/such/venv"], None);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--python: no Python environment at /no/such/venv: give a virtual environment's folder (with pyvenv.cfg) or a Python interpreter"),
        "{stderr}"
    );
    let dir = tempfile::tempdir().expect("temp dir");
    let out = floe(&["plugins", "list"], Some(dir.path()));
    assert_eq!(out.status.code(), Some(2));
    assert!(
        text(&out.stderr).contains("FLOE_PYTHON: ")
            && text(&out.stderr).contains("is not a Python virtual environment"),
        "{}",
        text(&out.stderr)
    );
}

#[test]
fn check_validates_a_python_plugins_config_with_its_own_model() {
    let venv = support::published().root();
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = dir.path().join("platform.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: t, version: 0.1.0, owner: t@example.com}\nplugins:\n  storage:\n    type: minio\n    config:\n      endpoint: minio.local\n      bucket: lake\n      colour: red\n",
    )
    .expect("manifest");
    let out = floe(
        &[
            "plugins",
            "check",
            &manifest.display().to_string(),
            "--json",
        ],
        Some(venv),
    );
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    // pydantic's own messages, at the fields' paths.
    assert!(
        stdout.contains("plugins.storage.config.endpoint"),
        "{stdout}"
    );
    assert!(
        stdout.contains("String should match pattern '^https?://'"),
        "{stdout}"
    );
    assert!(stdout.contains("plugins.storage.config.colour"), "{stdout}");
    assert!(
        stdout.contains("Extra inputs are not permitted"),
        "{stdout}"
    );
    std::fs::write(
        &manifest,
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: t, version: 0.1.0, owner: t@example.com}\nplugins:\n  storage:\n    type: minio\n    config: {endpoint: 'http://127.0.0.1:9', bucket: lake, path_style_access: 'yes'}\n",
    )
    .expect("manifest");
    let out = floe(
        &["plugins", "check", &manifest.display().to_string()],
        Some(venv),
    );
    assert!(
        out.status.success(),
        "{}{}",
        text(&out.stdout),
        text(&out.stderr)
    );
}

#[test]
fn health_configures_starts_and_checks_a_python_plugin() {
    let venv = support::published().root();
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = dir.path().join("platform.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: t, version: 0.1.0, owner: t@example.com}\nplugins:\n  catalog:\n    type: glue\n    config: {region: eu-west-1, credential_mode: environment}\n",
    )
    .expect("manifest");
    let out = floe(
        &[
            "plugins",
            "health",
            &manifest.display().to_string(),
            "--json",
            "--timeout",
            "10",
        ],
        Some(venv),
    );
    let report: serde_json::Value = serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}{}", text(&out.stdout), text(&out.stderr)));
    let rows = report["plugins"].as_array().expect("rows");
    assert_eq!(rows.len(), 1, "{report}");
    // floe's glue plugin does not implement health_check: its own answer, from Python.
    assert_eq!(rows[0]["state"], "unhealthy", "{report}");
    assert_eq!(
        rows[0]["message"], "health_check not implemented - subclass must override",
        "{report}"
    );
    assert_eq!(out.status.code(), Some(2));
}
