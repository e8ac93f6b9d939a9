//! `floe plugins new`, through the real binary: a crate of every plugin type compiles
//! and passes its own tests, and bad input is refused with exit code 2.
//!
//! The crates are written under the system's temporary folder (inside this workspace,
//! cargo would take them for its members) and tested as one workspace that shares this
//! workspace's target folder, profiles and lockfile, so the dependencies built for
//! floe-cli are reused. cargo runs `--offline`.

use std::path::PathBuf;
use std::process::{Command, Output};

use floe_registry::PluginType;

mod common;
use common::{floe_workspace, target_dir};

/// The floe binary under test.
fn floe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_floe"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("run the floe binary")
}

/// The `[profile.dev...]` sections of the floe workspace's Cargo.toml, so that a
/// workspace using them builds its dependencies exactly as this one did.
fn dev_profiles() -> String {
    let text = std::fs::read_to_string(floe_workspace().join("Cargo.toml"))
        .expect("the workspace's Cargo.toml");
    let mut out = String::new();
    let mut copying = false;
    for line in text.lines() {
        if line.starts_with('[') {
            copying = line.starts_with("[profile.dev");
        }
        if copying {
            out.push_str(line);
            out.push('\n');
        }
    }
    out
}

/// A plugin name for each type: some start with a digit, some hold `_`, to exercise
/// the identifiers derived from them.
fn name_for(index: usize, plugin_type: PluginType) -> String {
    if index.is_multiple_of(2) {
        format!("acme-{plugin_type}")
    } else {
        format!("{index}{plugin_type}")
    }
}

/// The cargo running this test, else the one on the PATH.
fn cargo() -> std::ffi::OsString {
    std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into())
}

/// Output bytes as text.
fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_crate_of_every_type_compiles_and_passes_its_tests() {
    let root = tempfile::Builder::new()
        .prefix("floe-scaffold-")
        .tempdir()
        .expect("a temporary folder");
    let mut members = Vec::new();
    let mut members_dirs = Vec::new();
    for (index, plugin_type) in PluginType::ALL.into_iter().enumerate() {
        let name = name_for(index, plugin_type);
        let dir = root.path().join(&name);
        let out = floe(&[
            "plugins",
            "new",
            plugin_type.as_str(),
            &name,
            "--path",
            &dir.to_string_lossy(),
        ]);
        assert!(
            out.status.success(),
            "floe plugins new {plugin_type} {name} failed:\n{}",
            text(&out.stderr)
        );
        let stdout = text(&out.stdout);
        for expected in ["src/lib.rs", "tests/registry.rs", "floe build --with-path"] {
            assert!(
                stdout.contains(expected),
                "the summary names {expected}:\n{stdout}"
            );
        }
        members.push(format!("{name:?}"));
        members_dirs.push(dir);
    }
    std::fs::write(
        root.path().join("Cargo.toml"),
        format!(
            "[workspace]\nresolver = \"3\"\nmembers = [{}]\n\n{}",
            members.join(", "),
            dev_profiles()
        ),
    )
    .expect("write the workspace's Cargo.toml");
    std::fs::copy(
        floe_workspace().join("Cargo.lock"),
        root.path().join("Cargo.lock"),
    )
    .expect("copy the lockfile");

    let out = Command::new(cargo())
        .args(["test", "--workspace", "--offline"])
        .current_dir(root.path())
        .env("CARGO_TARGET_DIR", target_dir())
        .output()
        .expect("run cargo test");
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(
        out.status.success(),
        "cargo test failed in the scaffolded crates:\n{stdout}\n{stderr}"
    );
    let per_crate = [
        "test the_registry_finds_configures_starts_checks_and_stops_it ... ok",
        "test a_config_without_its_endpoint_is_refused_naming_the_field ... ok",
    ];
    for line in per_crate {
        assert_eq!(
            stdout.matches(line).count(),
            PluginType::ALL.len(),
            "every crate's test should pass: `{line}`\n{stdout}"
        );
    }
    let sources: Vec<PathBuf> = members_dirs
        .iter()
        .flat_map(|dir| [dir.join("src/lib.rs"), dir.join("tests/registry.rs")])
        .collect();
    let fmt = Command::new("rustfmt")
        .args(["--check", "--edition", "2024"])
        .args(&sources)
        .output()
        .expect("run rustfmt (install it with `rustup component add rustfmt`)");
    assert!(
        fmt.status.success(),
        "the scaffolded code should be rustfmt-clean:\n{}{}",
        text(&fmt.stdout),
        text(&fmt.stderr)
    );
    let warnings: Vec<&str> = stderr
        .lines()
        .filter(|l| l.starts_with("warning"))
        .collect();
    assert!(
        warnings.is_empty(),
        "the scaffolded crates should compile without warnings:\n{stderr}"
    );
}

#[test]
fn an_unknown_type_is_a_usage_error_with_a_suggestion() {
    let out = floe(&["plugins", "new", "computer", "acme"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("did you mean `compute`?"), "{stderr}");
}

#[test]
fn a_name_breaking_the_rule_is_refused_with_the_rule_and_a_suggestion() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let target = dir.path().join("duck");
    let out = floe(&[
        "plugins",
        "new",
        "compute",
        "DuckDB",
        "--path",
        &target.to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("plugin name may contain only lowercase letters"),
        "the name rule's message: {stderr}"
    );
    assert!(stderr.contains("did you mean `duckdb`?"), "{stderr}");
    assert!(!target.exists(), "nothing is written for a bad name");
}

#[test]
fn a_non_empty_folder_is_refused_and_nothing_is_overwritten() {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let readme = dir.path().join("README.md");
    std::fs::write(&readme, "my notes").expect("write a file");
    let out = floe(&[
        "plugins",
        "new",
        "storage",
        "acme-store",
        "--path",
        &dir.path().to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains(&dir.path().display().to_string()) && stderr.contains("not empty"),
        "the error names the folder: {stderr}"
    );
    assert_eq!(
        std::fs::read_to_string(&readme).ok().as_deref(),
        Some("my notes")
    );
    assert!(!dir.path().join("Cargo.toml").exists(), "nothing written");
}
