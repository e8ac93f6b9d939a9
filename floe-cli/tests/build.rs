//! `floe build` and `floe plugins new` end to end, with the real `floe` binary: a
//! plugin scaffolded into a temporary folder is built into a custom floe with two
//! built-ins, listed, checked in a manifest and found in the manifest schema; each bad
//! input gets its error.
//!
//! The builds run cargo offline in this workspace's target directory, so they reuse
//! what `cargo test` already compiled. Every build links the same two built-ins, so
//! floe-cli is compiled once for all of them.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

mod common;
use common::{floe_workspace, target_dir};

/// The built-ins every build of these tests links.
const BUILTINS: &str = "duckdb,env-secrets";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn assert_code(&self, code: i32, what: &str) -> &Self {
        assert_eq!(
            self.code,
            Some(code),
            "{what}: expected exit code {code}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }
}

fn run(program: &Path, args: &[&str], cwd: &Path) -> Run {
    let out = Command::new(program)
        .args(args)
        .current_dir(cwd)
        .env("NO_COLOR", "1")
        .env("CARGO_NET_OFFLINE", "true")
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .unwrap_or_else(|e| panic!("run {}: {e}", program.display()));
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn floe(args: &[&str], cwd: &Path) -> Run {
    run(Path::new(env!("CARGO_BIN_EXE_floe")), args, cwd)
}

fn s(path: &Path) -> &str {
    path.to_str().expect("UTF-8 temporary path")
}

/// A temporary folder outside this workspace (a crate inside it would be taken for an
/// undeclared member of the workspace).
fn temp() -> tempfile::TempDir {
    tempfile::Builder::new()
        .prefix("floe-build-test-")
        .tempdir_in(std::env::temp_dir())
        .expect("temporary folder")
}

/// This checkout's floe-registry, as a Cargo.toml dependency value.
fn registry_dependency() -> String {
    let path = floe_workspace().join("floe-registry");
    format!("{{ path = {:?} }}", path.to_str().expect("UTF-8 path"))
}

/// Writes a small plugin crate (`lib` is its src/lib.rs).
fn plugin_crate(root: &Path, package: &str, lib: &str) -> PathBuf {
    let dir = root.join(package);
    std::fs::create_dir_all(dir.join("src")).expect("create crate");
    std::fs::write(
        dir.join("Cargo.toml"),
        format!(
            "[package]\nname = \"{package}\"\nversion = \"0.1.0\"\nedition = \"2024\"\n\n[dependencies]\nfloe-registry = {}\n",
            registry_dependency()
        ),
    )
    .expect("write Cargo.toml");
    std::fs::write(dir.join("src/lib.rs"), lib).expect("write lib.rs");
    dir
}

fn list(binary: &Path, cwd: &Path) -> Vec<(String, String, String)> {
    let out = run(binary, &["plugins", "list", "--json"], cwd);
    out.assert_code(0, "plugins list --json");
    let infos: Vec<Value> = serde_json::from_str(&out.stdout).expect("a JSON array");
    let mut ids: Vec<(String, String, String)> = infos
        .iter()
        .map(|i| {
            (
                i["plugin_type"].as_str().unwrap_or_default().to_owned(),
                i["name"].as_str().unwrap_or_default().to_owned(),
                i["crate_name"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    ids.sort();
    ids
}

#[test]
fn a_scaffolded_plugin_builds_into_a_custom_floe_that_lists_checks_and_describes_it() {
    let tmp = temp();
    let plugin_dir = tmp.path().join("acme-engine");
    floe(
        &[
            "plugins",
            "new",
            "compute",
            "acme-engine",
            "--path",
            s(&plugin_dir),
        ],
        tmp.path(),
    )
    .assert_code(0, "plugins new");

    let output = tmp.path().join("floe");
    let built = floe(
        &[
            "build",
            "--with-path",
            "acme-engine",
            "--builtins",
            BUILTINS,
        ],
        tmp.path(),
    );
    built.assert_code(0, "floe build");
    assert!(
        built.stdout.contains(
            "floe-plugin-acme-engine (--with-path acme-engine): compute/acme-engine 0.1.0"
        ),
        "the summary names what the crate contributed:\n{}",
        built.stdout
    );
    assert!(
        output.is_file(),
        "the binary is written to ./floe by default"
    );

    assert_eq!(
        list(&output, tmp.path()),
        [
            (
                "compute".into(),
                "acme-engine".into(),
                "floe-plugin-acme-engine".into()
            ),
            (
                "compute".into(),
                "duckdb".into(),
                "floe-plugins-builtin".into()
            ),
            (
                "secrets".into(),
                "env".into(),
                "floe-plugins-builtin".into()
            ),
        ],
        "the new floe holds the plugin and exactly the two built-ins"
    );

    let manifest = tmp.path().join("platform.yaml");
    std::fs::write(
        &manifest,
        "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: acme}\nplugins:\n  compute: {type: acme-engine, config: {endpoint: \"http://engine:8080\"}}\n  secrets: {type: env}\n",
    )
    .expect("write manifest");
    let checked = run(&output, &["plugins", "check", "platform.yaml"], tmp.path());
    checked.assert_code(0, "check of a manifest selecting the new plugin");

    let schema = run(&output, &["plugins", "manifest-schema"], tmp.path());
    schema.assert_code(0, "manifest-schema");
    let schema: Value = serde_json::from_str(&schema.stdout).expect("JSON schema");
    let choices: Vec<&str> = schema["properties"]["plugins"]["properties"]["compute"]["properties"]
        ["type"]["oneOf"]
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["const"].as_str())
        .collect();
    assert_eq!(
        choices,
        ["acme-engine", "duckdb"],
        "the custom floe's schema covers its own plugin"
    );
    assert!(schema["$defs"]["compute.acme-engine"].is_object());

    // The same build from a committed floe-build.toml.
    std::fs::write(
        tmp.path().join("floe-build.toml"),
        "with-path = [\"acme-engine\"]\nbuiltins = [\"duckdb\", \"env-secrets\"]\noutput = \"bin/floe\"\n",
    )
    .expect("write floe-build.toml");
    std::fs::create_dir(tmp.path().join("bin")).expect("mkdir bin");
    floe(&["build", "--config", "floe-build.toml"], tmp.path()).assert_code(0, "build --config");
    assert_eq!(list(&tmp.path().join("bin/floe"), tmp.path()).len(), 3);
}

#[test]
fn a_crate_without_plugins_fails_the_build_and_says_why() {
    let tmp = temp();
    plugin_crate(tmp.path(), "acme-nothing", "//! No plugins here.\n");
    let out = floe(
        &[
            "build",
            "--with-path",
            "acme-nothing",
            "--builtins",
            BUILTINS,
        ],
        tmp.path(),
    );
    out.assert_code(1, "a crate with no plugin");
    assert!(
        out.stderr.contains(
            "floe: error: crate `acme-nothing` (--with-path acme-nothing) contributes no plugin: it is linked, but no `#[floe_plugin]` registration from it reached the binary"
        ),
        "{}",
        out.stderr
    );
    assert!(
        !tmp.path().join("floe").exists(),
        "no binary is written for a failed build"
    );
}

#[test]
fn a_duplicate_of_a_builtin_fails_the_build_naming_both() {
    let tmp = temp();
    plugin_crate(
        tmp.path(),
        "my-duck",
        "use floe_registry::prelude::*;\n\n/// Another duckdb.\n#[floe_plugin(type = Compute, name = \"duckdb\", version = \"9.0.0\")]\n#[derive(Default)]\npub struct MyDuck;\nimpl ComputePlugin for MyDuck {}\n",
    );
    let out = floe(
        &["build", "--with-path", "my-duck", "--builtins", BUILTINS],
        tmp.path(),
    );
    out.assert_code(1, "a duplicate identity");
    assert!(
        out.stderr.contains("floe: error: duplicate plugin compute:duckdb: registered by the built-in compute/duckdb (crate `floe-plugins-builtin`"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr
            .contains("and by --with-path my-duck (crate `my-duck`"),
        "{}",
        out.stderr
    );
}

#[test]
fn a_plugin_needing_a_newer_api_fails_to_compile_with_the_attributes_message() {
    let tmp = temp();
    plugin_crate(
        tmp.path(),
        "acme-future",
        "use floe_registry::prelude::*;\n\n/// From the future.\n#[floe_plugin(type = Secrets, name = \"future\", version = \"1.0.0\", floe_api_version = \"1.9\")]\n#[derive(Default)]\npub struct Future;\nimpl SecretsPlugin for Future {}\n",
    );
    let out = floe(
        &[
            "build",
            "--with-path",
            "acme-future",
            "--builtins",
            BUILTINS,
        ],
        tmp.path(),
    );
    out.assert_code(1, "a plugin needing a newer API");
    assert!(
        out.stderr.contains("plugin `future` needs floe plugin API 1.9 (`floe_api_version = \"1.9\"`), but the floe-registry it is built against implements API 1.0"),
        "cargo's output shows the attribute's message as is:\n{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("floe: error: the build failed"),
        "{}",
        out.stderr
    );
}

#[test]
fn bad_inputs_are_refused_before_building() {
    let tmp = temp();
    let not_floe = tmp.path().join("util");
    std::fs::create_dir_all(not_floe.join("src")).expect("mkdir");
    std::fs::write(
        not_floe.join("Cargo.toml"),
        "[package]\nname = \"util\"\nversion = \"0.1.0\"\n",
    )
    .expect("write");
    std::fs::write(not_floe.join("src/lib.rs"), "").expect("write");
    std::fs::create_dir(tmp.path().join("empty")).expect("mkdir");
    let cases: &[(&[&str], &str)] = &[
        (
            &["build", "--with-path", "missing"],
            "floe: error: --with-path missing: no such folder",
        ),
        (
            &["build", "--with-path", "empty"],
            "floe: error: --with-path empty: not a crate: there is no Cargo.toml in it",
        ),
        (
            &["build", "--with-path", "util"],
            "floe: error: --with-path util: crate `util` does not depend on floe-registry",
        ),
        (
            &["build", "--builtins", "duckbd"],
            "floe: error: --builtins: unknown built-in `duckbd` (did you mean `duckdb`?); built-ins: duckdb, dagster,",
        ),
        (
            &["build", "--with", "acme@one"],
            "floe: error: --with acme@one: `one` is not a version requirement",
        ),
        (
            &["build", "--config", "nope.toml"],
            "floe: error: cannot read nope.toml:",
        ),
        (
            &["build", "--output", "empty"],
            "floe: error: --output empty: is a folder",
        ),
    ];
    for (args, expected) in cases {
        let out = floe(args, tmp.path());
        out.assert_code(2, &args.join(" "));
        assert!(
            out.stderr.starts_with(expected),
            "{args:?}: expected `{expected}`, got:\n{}",
            out.stderr
        );
    }
}
