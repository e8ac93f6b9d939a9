//! `floe plugins ... --python`: the floe plugins of a Python environment, beside the
//! linked built-ins, through the floe binary.
//!
//! Every published floe plugin now has a built-in of the same identity, which is used
//! (the published ones are shadowed). The tests of Python plugins in use therefore host
//! a team's own package, `acme-floe-plugins`: two plugins that reuse the published
//! glue and minio classes (their pydantic models and health answers) under names no
//! built-in has.

#[path = "../../floe-python/tests/support/mod.rs"]
mod support;

use std::path::Path;
use std::process::{Command, Output};
use std::sync::OnceLock;

/// The team's package: the published glue and minio plugins under their own names.
const ACME: &str = r#"
from floe_catalog_glue.plugin import GlueCatalogPlugin
from floe_storage_minio.plugin import MinIOStoragePlugin


class AcmeGlue(GlueCatalogPlugin):
    @property
    def name(self):
        return "acme-glue"


class AcmeMinio(MinIOStoragePlugin):
    @property
    def name(self):
        return "acme-minio"
"#;

/// A venv that sees the published packages (through a `.pth` file) and holds
/// `acme-floe-plugins 1.0.0` as its only distribution.
fn team_env() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    static ROOT: OnceLock<std::path::PathBuf> = OnceLock::new();
    ROOT.get_or_init(|| {
        let dir = DIR.get_or_init(|| tempfile::tempdir().expect("a temp dir"));
        let root = support::bare_venv(dir.path(), true);
        support::install(
            &root,
            "acme-floe-plugins",
            "1.0.0",
            "acme_floe_plugins",
            ACME,
            "[floe.catalogs]\nacme-glue = acme_floe_plugins:AcmeGlue\n\n\
             [floe.storage]\nacme-minio = acme_floe_plugins:AcmeMinio\n",
        );
        root
    })
}

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
    let out = floe(
        &[
            "plugins",
            "list",
            "--type",
            "catalog",
            "--python",
            &team_env().display().to_string(),
        ],
        None,
    );
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains("acme-glue (0.1.0)")
            && stdout.contains("[python package `acme-floe-plugins 1.0.0`]"),
        "{stdout}"
    );
    assert!(stdout.contains("[linked]"), "{stdout}");
}

#[test]
fn the_published_plugins_are_shadowed_by_the_built_ins_and_named() {
    let venv = support::published().root();
    let out = floe(&["plugins", "list", "--type", "catalog"], Some(venv));
    let stderr = text(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    for (name, package) in [
        ("polaris", "floe-catalog-polaris"),
        ("glue", "floe-catalog-glue"),
    ] {
        assert!(
            stderr.contains(&format!(
                "Plugin CATALOG:{name} from python package `{package} 0.1.0a1`"
            )) && stderr.contains("is not used: crate `floe-plugins-builtin`"),
            "{stderr}"
        );
    }
}

#[test]
fn floe_python_names_the_environment_and_info_shows_the_source() {
    let out = floe(
        &["plugins", "info", "storage", "acme-minio", "--json"],
        Some(team_env()),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let info: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(info["crate_name"], "acme-floe-plugins 1.0.0");
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
    let venv = team_env();
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = dir.path().join("platform.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: t, version: 0.1.0, owner: t@example.com}\nplugins:\n  storage:\n    type: acme-minio\n    config:\n      endpoint: minio.local\n      bucket: lake\n      colour: red\n",
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
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: t, version: 0.1.0, owner: t@example.com}\nplugins:\n  storage:\n    type: acme-minio\n    config: {endpoint: 'http://127.0.0.1:9', bucket: lake, path_style_access: 'yes'}\n",
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
    let venv = team_env();
    let dir = tempfile::tempdir().expect("temp dir");
    let manifest = dir.path().join("platform.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: t, version: 0.1.0, owner: t@example.com}\nplugins:\n  catalog:\n    type: acme-glue\n    config: {region: eu-west-1, credential_mode: environment}\n",
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
