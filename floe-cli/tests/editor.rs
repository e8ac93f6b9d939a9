//! The manifest schema in a real editor engine: yaml-language-server (what the YAML
//! editor extensions run), pinned in `tests/editor/package-lock.json`, reads a manifest
//! that names the schema in its `# yaml-language-server: $schema=` modeline. Its
//! diagnostics give the same verdict as `floe plugins check` on each manifest, and it
//! completes plugin names and config fields from the schema.
//!
//! Needs Node.js and npm (the npm packages are installed on first use under the
//! target directory, then reused).

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

mod common;
use common::target_dir;

const HEADER: &str = "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: acme}\n";

/// Each case: a name, the manifest body after the header, and whether it is valid.
const CASES: &[(&str, &str, bool)] = &[
    (
        "duckdb",
        "plugins:\n  compute: {type: duckdb, config: {threads: 8}}\n",
        true,
    ),
    (
        "s3 with a pin and a secret ref",
        "plugins:\n  storage:\n    type: s3\n    version: \">=0.1, <2\"\n    connection_secret_ref: minio-creds\n    config: {endpoint: \"http://minio:9000\", bucket: lake}\n",
        true,
    ),
    (
        "duckdb with lax values, as published floe reads them",
        "plugins:\n  compute: {type: duckdb, config: {threads: \"8\", timeout_seconds: 30.0}}\n",
        true,
    ),
    (
        "a lax config value out of its range",
        "plugins:\n  compute: {type: duckdb, config: {threads: \"0\", timeout_seconds: false}}\n",
        false,
    ),
    (
        "duckdb with a value lax mode refuses",
        "plugins:\n  compute: {type: duckdb, config: {threads: \"8.5\"}}\n",
        false,
    ),
    (
        "unknown plugin",
        "plugins:\n  compute: {type: duckdbx}\n",
        false,
    ),
    (
        "unknown category",
        "plugins:\n  computer: {type: duckdb}\n",
        false,
    ),
    (
        "config out of range",
        "plugins:\n  compute: {type: duckdb, config: {threads: 0}}\n",
        false,
    ),
    (
        "required config missing",
        "plugins:\n  storage: {type: s3, config: {endpoint: e}}\n",
        false,
    ),
    (
        "bad secret ref",
        "plugins:\n  storage: {type: s3, connection_secret_ref: Bad_Ref, config: {endpoint: e, bucket: b}}\n",
        false,
    ),
    (
        "config for a plugin without config",
        "plugins:\n  telemetry_backend: {type: console, config: {verbose: true}}\n",
        false,
    ),
];

fn editor_files() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join("editor")
}

fn require(tool: &str) {
    let found = Command::new(tool)
        .arg("--version")
        .output()
        .is_ok_and(|o| o.status.success());
    assert!(
        found,
        "`{tool}` is needed to run yaml-language-server: install Node.js and npm (Debian: `apt-get install nodejs npm`)"
    );
}

/// The pinned npm packages, installed once under the target directory (into a
/// temporary folder, renamed into place, so an interrupted install is never reused).
fn language_server() -> PathBuf {
    let lock =
        std::fs::read(editor_files().join("package-lock.json")).expect("read package-lock.json");
    let key = lock.iter().fold(0xcbf2_9ce4_8422_2325_u64, |h, b| {
        (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3)
    });
    let dir = target_dir().join(format!("floe-editor-check-{key:016x}"));
    if dir
        .join("node_modules")
        .join("yaml-language-server")
        .is_dir()
    {
        return dir;
    }
    let partial = target_dir().join(format!(
        "floe-editor-check-{key:016x}.partial-{}",
        std::process::id()
    ));
    let _ = std::fs::remove_dir_all(&partial);
    std::fs::create_dir_all(&partial).expect("create the npm folder");
    for file in ["package.json", "package-lock.json"] {
        std::fs::copy(editor_files().join(file), partial.join(file)).expect("copy npm files");
    }
    let out = Command::new("npm")
        .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
        .current_dir(&partial)
        .output()
        .expect("run npm ci");
    assert!(
        out.status.success(),
        "npm ci failed (it needs the npm registry):\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    if std::fs::rename(&partial, &dir).is_err() {
        // Another run installed it meanwhile.
        let _ = std::fs::remove_dir_all(&partial);
    }
    dir
}

fn floe(args: &[&str], cwd: &Path) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_floe"))
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .output()
        .expect("run floe")
}

#[test]
fn yaml_language_server_validates_and_completes_manifests_with_the_schema() {
    require("node");
    require("npm");
    let server = language_server();
    let tmp = tempfile::tempdir().expect("temporary folder");
    let schema = tmp.path().join("floe-manifest.schema.json");
    let out = floe(
        &[
            "plugins",
            "manifest-schema",
            "--output",
            schema.to_str().expect("UTF-8 path"),
        ],
        tmp.path(),
    );
    assert!(
        out.status.success(),
        "manifest-schema: {}",
        String::from_utf8_lossy(&out.stderr)
    );

    let cases: Vec<Value> = CASES
        .iter()
        .map(|(name, body, _)| json!([name, format!("{HEADER}{body}")]))
        .collect();
    let complete = json!([
        [
            "compute type",
            format!("{HEADER}plugins:\n  compute:\n    type: \n"),
            5,
            10
        ],
        [
            "s3 config",
            format!("{HEADER}plugins:\n  storage:\n    type: s3\n    config:\n      \n"),
            7,
            6
        ],
    ]);
    let input = tmp.path().join("input.json");
    std::fs::write(
        &input,
        json!({"schema": schema, "cases": cases, "complete": complete}).to_string(),
    )
    .expect("write input");
    let run = Command::new("node")
        .arg(editor_files().join("check.js"))
        .arg(&input)
        .env("NODE_PATH", server.join("node_modules"))
        .output()
        .expect("run node");
    assert!(
        run.status.success(),
        "check.js failed:\n{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let result: Value = serde_json::from_slice(&run.stdout).expect("check.js prints JSON");

    for (name, body, valid) in CASES {
        let diagnostics = result["diagnostics"][name]
            .as_array()
            .expect("diagnostics per case");
        assert_eq!(
            diagnostics.is_empty(),
            *valid,
            "yaml-language-server on `{name}`: {diagnostics:?}"
        );
        let manifest = tmp.path().join("platform.yaml");
        std::fs::write(&manifest, format!("{HEADER}{body}")).expect("write manifest");
        let check = floe(&["plugins", "check", "platform.yaml"], tmp.path());
        assert_eq!(
            check.status.code() == Some(0),
            *valid,
            "floe plugins check on `{name}`:\n{}",
            String::from_utf8_lossy(&check.stdout)
        );
    }
    let labels = |name: &str| -> Vec<String> {
        result["completions"][name]
            .as_array()
            .expect("completions")
            .iter()
            .filter_map(|l| l.as_str().map(str::to_owned))
            .collect()
    };
    assert_eq!(
        labels("compute type"),
        ["duckdb"],
        "the linked compute plugins"
    );
    let fields = labels("s3 config");
    for field in ["bucket", "endpoint", "region", "secret_access_key"] {
        assert!(
            fields.iter().any(|f| f == field),
            "s3 config completes `{field}`: {fields:?}"
        );
    }
}
