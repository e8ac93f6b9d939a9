//! Runs a real floe binary, `floe-fixture` (the floe-cli library with this crate's test
//! plugins linked), on manifests written to temporary directories.
//!
//! `cargo test -p floe-cli-fixture-plugins` (the built-ins of floe-cli's enabled
//! features are linked too: the tests only assert about the `fx-` plugins).

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

/// A value put in secret and ordinary config fields: it must never be printed.
const CANARY: &str = "CANARY-9f2c-hunter2";

struct Run {
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

impl Run {
    fn json(&self) -> Value {
        serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("stdout is not JSON ({e}):\n{}", self.stdout))
    }

    fn assert_no_canary(&self) {
        assert!(
            !self.stdout.contains(CANARY),
            "secret on stdout:\n{}",
            self.stdout
        );
        assert!(
            !self.stderr.contains(CANARY),
            "secret on stderr:\n{}",
            self.stderr
        );
        assert!(!self.stdout.contains("hunter2") && !self.stderr.contains("hunter2"));
    }
}

fn command() -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_floe-fixture"));
    cmd.env("NO_COLOR", "1").env_remove("FLOE_CLI_FIXTURE_LOG");
    cmd
}

fn floe(args: &[&str]) -> Run {
    let out: Output = command().args(args).output().expect("run floe");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn floe_with_log(args: &[&str], log: &Path) -> Run {
    let out = command()
        .args(args)
        .env("FLOE_CLI_FIXTURE_LOG", log)
        .output()
        .expect("run floe");
    Run {
        code: out.status.code(),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

fn write(dir: &tempfile::TempDir, name: &str, text: &str) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, text).expect("write manifest");
    path
}

fn s(path: &Path) -> &str {
    path.to_str().expect("utf-8 temp path")
}

fn clean_manifest() -> String {
    format!(
        r#"apiVersion: floe.dev/v1
kind: Manifest
metadata: {{name: acme-platform, version: 2.0.0, owner: platform-team@acme.com}}
plugins:
  compute:
    type: fx-engine
    version: "0.2"
    config: {{threads: 4, memory_limit: "8GB", token: "{CANARY}"}}
  storage:
    type: fx-store
    version: ">=1.4, <2"
    config:
      bucket: lakehouse
      secret_key: {CANARY}
  catalog:
    type: fx-catalog
    connection_secret_ref: polaris-credentials
  secrets:
    type: fx-vault
  lineage_backend:
    type: fx-lineage
governance: {{retention: 30d}}
"#
    )
}

/// One problem of each kind, each on a known line.
fn broken_manifest() -> String {
    format!(
        r#"apiVersion: floe.dev/v1
kind: Manifest
metadata: {{name: acme}}
plugins:
  compute:
    type: fx-engine
    version: "0.1.0"
    config:
      threads: 0
      token: 12345
      colour: "{CANARY}"
      extensions:
        - name: ""
  computer:
    type: fx-engine
  catalog:
    type: fx-catalog
    verison: 1
    connection_secret_ref: Bad_Ref
  ingestion:
    type: fx-future
  secrets:
    type: fx-vlt
  dbt: {{type: fx-cycle-a}}
  semantic_layer: {{type: fx-cycle-b}}
  identity:
    type: fx-broken
    config: {{password: "{CANARY}"}}
"#
    )
}

// ---------------------------------------------------------------- version, help

#[test]
fn version_and_help_with_examples() {
    let version = floe(&["--version"]);
    assert_eq!(version.code, Some(0));
    assert!(version.stdout.starts_with("floe "), "{}", version.stdout);
    for args in [
        vec!["--help"],
        vec!["plugins", "--help"],
        vec!["plugins", "list", "--help"],
        vec!["plugins", "info", "--help"],
        vec!["plugins", "schema", "--help"],
        vec!["plugins", "check", "--help"],
        vec!["plugins", "health", "--help"],
    ] {
        let help = floe(&args);
        assert_eq!(help.code, Some(0), "{args:?}");
        assert!(
            help.stdout.contains("Examples:"),
            "{args:?}: {}",
            help.stdout
        );
    }
    let usage = floe(&["plugins", "frobnicate"]);
    assert_eq!(usage.code, Some(2));
}

// ---------------------------------------------------------------- list

#[test]
fn list_groups_every_type_in_order() {
    let run = floe(&["plugins", "list"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    assert!(
        run.stdout.starts_with("Installed plugins:\n"),
        "{}",
        run.stdout
    );
    let mut at = 0;
    for t in [
        "compute",
        "orchestrator",
        "catalog",
        "storage",
        "telemetry_backend",
        "lineage_backend",
        "dbt",
        "semantic_layer",
        "ingestion",
        "secrets",
        "identity",
    ] {
        let heading = format!("\n{t}\n");
        let found = run.stdout[at..]
            .find(&heading)
            .unwrap_or_else(|| panic!("group {t} missing or out of order:\n{}", run.stdout));
        at += found + heading.len();
    }
    assert!(run.stdout.contains("  fx-engine (0.2.0)"));
    assert!(
        run.stdout
            .contains("Fixture compute engine: validates its config and is always healthy.")
    );
    // The built-ins are linked when floe-cli's features are on (as in a workspace
    // build); the empty-group layout can only be checked without them.
    let builtins_linked = run.stdout.contains("\n  dagster (");
    if !builtins_linked {
        // No fixture plugin is an orchestrator: the empty group is shown.
        assert!(
            run.stdout.contains("\norchestrator\n  (none)\n"),
            "{}",
            run.stdout
        );
        // Descriptions start in one column.
        let columns: Vec<usize> = run
            .stdout
            .lines()
            .filter(|l| l.starts_with("  fx-") && !l.contains("[incompatible"))
            .map(|l| l.find("Fixture").expect("description"))
            .collect();
        assert!(
            columns.len() > 5 && columns.iter().all(|c| *c == columns[0]),
            "{}",
            run.stdout
        );
    }
    assert!(
        run.stdout
            .contains("[incompatible: needs plugin API v2.0, platform provides v1.0]")
    );
}

#[test]
fn list_filters_by_type() {
    let run = floe(&["plugins", "list", "--type", "lineage_backend"]);
    assert_eq!(run.code, Some(0));
    assert!(run.stdout.contains("\nlineage_backend\n"));
    assert!(run.stdout.contains("fx-sick (1.0.0)") && run.stdout.contains("fx-lineage (1.0.0)"));
    assert!(!run.stdout.contains("compute") && !run.stdout.contains("fx-engine"));
    // Any spelling of a type works.
    let upper = floe(&["plugins", "list", "--type", "LINEAGE_BACKEND"]);
    assert_eq!(upper.stdout, run.stdout);
}

#[test]
fn list_unknown_type_lists_the_valid_ones() {
    let run = floe(&["plugins", "list", "--type", "compte"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("unknown plugin type `compte` (did you mean `compute`?)"),
        "{}",
        run.stderr
    );
    assert!(
        run.stderr
            .contains("valid types: compute, orchestrator, catalog, storage"),
        "{}",
        run.stderr
    );
    assert!(run.stdout.is_empty());
}

#[test]
fn list_json_is_an_array_of_plugin_info() {
    let run = floe(&["plugins", "list", "--json"]);
    assert_eq!(run.code, Some(0));
    let all = run.json();
    let items = all.as_array().expect("array");
    let engine = items
        .iter()
        .find(|i| i["name"] == "fx-engine")
        .expect("fx-engine listed");
    assert_eq!(engine["plugin_type"], "compute");
    assert_eq!(engine["version"], "0.2.0");
    assert_eq!(engine["has_config"], true);
    assert_eq!(engine["floe_api_version"], "1.0");
    let catalog = items
        .iter()
        .find(|i| i["name"] == "fx-catalog")
        .expect("catalog");
    assert_eq!(
        catalog["dependencies"],
        serde_json::json!(["storage:fx-store"])
    );

    let storage = floe(&["plugins", "list", "--type", "storage", "--json"]).json();
    let storage = storage.as_array().expect("array");
    assert!(!storage.is_empty());
    assert!(storage.iter().all(|i| i["plugin_type"] == "storage"));
    assert!(storage.iter().any(|i| i["name"] == "fx-store"));
}

// ---------------------------------------------------------------- info, schema

#[test]
fn info_shows_metadata_and_config_fields() {
    let run = floe(&["plugins", "info", "compute", "fx-engine"]);
    assert_eq!(run.code, Some(0), "{}", run.stderr);
    let out = &run.stdout;
    assert!(out.starts_with("fx-engine 0.2.0 (compute)\n"), "{out}");
    assert!(out.contains("dependencies  none"));
    assert!(out.contains("source        crate `floe-cli-fixture-plugins`"));
    assert!(out.contains("plugin API    1.0 (platform provides 1.0: compatible)"));
    let line = |field: &str| {
        out.lines()
            .find(|l| l.trim_start().starts_with(&format!("{field} ")))
            .unwrap_or_else(|| panic!("no row for {field}:\n{out}"))
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    assert!(
        line("threads").starts_with("threads integer yes - no Worker threads. [1..=64]"),
        "{}",
        line("threads")
    );
    assert!(line("memory_limit").starts_with("memory_limit string no \"4GB\" no"));
    assert!(
        line("token").starts_with("token string | null no (hidden) yes"),
        "{}",
        line("token")
    );
    assert!(line("extensions[].name").starts_with("extensions[].name string yes"));

    let catalog = floe(&["plugins", "info", "catalog", "fx-catalog"]);
    assert!(catalog.stdout.contains("dependencies  storage:fx-store"));
    assert!(
        catalog
            .stdout
            .contains("Config: none (this plugin takes no configuration)")
    );
}

#[test]
fn info_json_and_secret_fields() {
    let run = floe(&["plugins", "info", "storage", "fx-store", "--json"]);
    assert_eq!(run.code, Some(0));
    let info = run.json();
    assert_eq!(info["name"], "fx-store");
    assert_eq!(info["version"], "1.4.2");
    assert_eq!(info["api_compatible"], true);
    let fields = info["config_fields"].as_array().expect("fields");
    let secret_key = fields
        .iter()
        .find(|f| f["name"] == "secret_key")
        .expect("secret_key");
    assert_eq!(secret_key["secret"], true);
    assert_eq!(secret_key["required"], true);
    let bucket = fields
        .iter()
        .find(|f| f["name"] == "bucket")
        .expect("bucket");
    assert_eq!(bucket["secret"], false);
    assert_eq!(bucket["constraints"], serde_json::json!(["length 3..=63"]));

    let future = floe(&["plugins", "info", "ingestion", "fx-future", "--json"]).json();
    assert_eq!(future["api_compatible"], false);
    assert_eq!(future["floe_api_version"], "2.0");
}

#[test]
fn unknown_plugin_suggests_and_exits_2() {
    let run = floe(&["plugins", "info", "compute", "fx-engin"]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stderr
            .contains("Plugin not found: COMPUTE:fx-engin (did you mean `fx-engine`?)"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("installed compute plugins: "));
    assert!(run.stdout.is_empty());
    let schema = floe(&["plugins", "schema", "secrets", "fx-vlt"]);
    assert_eq!(schema.code, Some(2));
    assert!(
        schema.stderr.contains("did you mean `fx-vault`?"),
        "{}",
        schema.stderr
    );
    let bad_type = floe(&["plugins", "info", "computer", "fx-engine"]);
    assert_eq!(bad_type.code, Some(2));
    assert!(bad_type.stderr.contains("did you mean `compute`?"));
}

#[test]
fn schema_prints_the_json_schema() {
    let run = floe(&["plugins", "schema", "compute", "fx-engine"]);
    assert_eq!(run.code, Some(0));
    let schema = run.json();
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["properties"]["threads"]["maximum"], 64);
    assert!(
        run.stdout.contains("\n  \"properties\": {"),
        "pretty-printed"
    );
    let none = floe(&["plugins", "schema", "secrets", "fx-vault"]);
    assert_eq!(none.code, Some(0));
    assert!(
        none.stdout
            .contains("Plugin secrets/fx-vault takes no configuration")
    );
}

// ---------------------------------------------------------------- check

#[test]
fn check_clean_manifest() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "platform.yaml", &clean_manifest());
    let run = floe(&["plugins", "check", s(&path)]);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    assert!(
        // Without built-ins, the absent `plugins.dbt` (floe's `{type: core}`) is a warning.
        run.stdout.contains("no problems") && run.stdout.contains("; 5 plugins selected"),
        "{}",
        run.stdout
    );
    let order = run.stdout.find("storage/fx-store").expect("store in order");
    let catalog = run
        .stdout
        .find("catalog/fx-catalog")
        .expect("catalog in order");
    assert!(
        order < catalog,
        "storage starts before the catalog that needs it"
    );
    run.assert_no_canary();

    let json = floe(&["plugins", "check", s(&path), "--json"]);
    assert_eq!(json.code, Some(0));
    let report = json.json();
    assert_eq!(report["valid"], true);
    assert_eq!(report["errors"], 0);
    assert!(
        report["problems"]
            .as_array()
            .expect("problems")
            .iter()
            .all(|p| p["severity"] == "warning" && p["path"] == "plugins.dbt"),
        "only the implied dbt default may be said: {report}"
    );
    assert_eq!(report["plugins"].as_array().map(Vec::len), Some(5));
    let order: Vec<&str> = report["startup_order"]
        .as_array()
        .expect("order")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let pos = |id: &str| order.iter().position(|o| *o == id).expect(id);
    assert!(pos("STORAGE:fx-store") < pos("CATALOG:fx-catalog"));
    json.assert_no_canary();
}

#[test]
fn check_reports_every_problem_with_path_and_line() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "broken.yaml", &broken_manifest());
    let run = floe(&["plugins", "check", s(&path)]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let p = s(&path);
    let expected = [
        format!(
            "{p}:7:5: warning: plugins.compute.version: the installed fx-engine is version 0.2.0, which does not satisfy `0.1.0`, read as `^0.1.0` like a Cargo requirement; floe checks only the pin's format, so it runs anyway"
        ),
        format!("{p}:9:7: error: plugins.compute.config.threads: must be >= 1"),
        format!(
            "{p}:10:7: error: plugins.compute.config.token: expected null or string, got integer"
        ),
        format!(
            "{p}:11:7: error: plugins.compute.config.colour: unknown field; expected one of: extensions, memory_limit, threads, token"
        ),
        format!(
            "{p}:13:11: error: plugins.compute.config.extensions.0.name: must have at least 1 character"
        ),
        format!(
            "{p}:14:3: error: plugins.computer: unknown plugin category `computer` (did you mean `compute`?); valid categories: compute, orchestrator, catalog, storage, semantic_layer, ingestion, secrets, telemetry_backend, lineage_backend, identity, dbt, quality"
        ),
        format!(
            "{p}:17:5: error: plugins.catalog.type: Plugin 'fx-catalog' has missing dependencies: storage:fx-store; select plugins.storage.type: fx-store"
        ),
        format!(
            "{p}:18:5: error: plugins.catalog.verison: unknown key `verison` (did you mean `version`?); a selection has: type, version, config, connection_secret_ref"
        ),
        format!(
            "{p}:19:5: error: plugins.catalog.connection_secret_ref: must be a Secret name: lowercase letters, digits and `-`, starting and ending with a letter or digit (pattern `^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$`)"
        ),
        format!(
            "{p}:21:5: error: plugins.ingestion.type: Plugin 'fx-future' requires API v2.0, but platform provides v1.0"
        ),
        format!(
            "{p}:23:5: error: plugins.secrets.type: Plugin not found: SECRETS:fx-vlt (did you mean `fx-vault`?); installed secrets plugins: "
        ),
        format!(
            "{p}:24:9: error: plugins.dbt.type: Circular dependency: fx-cycle-a -> fx-cycle-b -> fx-cycle-a"
        ),
        format!(
            "{p}:28:14: error: plugins.identity.config.password: unknown field: plugin 'fx-broken' takes no configuration"
        ),
    ];
    for line in &expected {
        assert!(
            run.stdout.contains(line.as_str()),
            "missing:\n{line}\nin:\n{}",
            run.stdout
        );
    }
    assert!(
        run.stdout.contains(&format!(
            "failed: {p}: {} problems found, 1 warning",
            expected.len() - 1
        )),
        "{}",
        run.stdout
    );
    run.assert_no_canary();
}

#[test]
fn check_json_report() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "broken.yaml", &broken_manifest());
    let run = floe(&["plugins", "check", s(&path), "--json"]);
    assert_eq!(run.code, Some(1));
    run.assert_no_canary();
    let report = run.json();
    assert_eq!(report["valid"], false);
    let problems = report["problems"].as_array().expect("problems");
    assert_eq!(problems.len(), 13);
    let find = |path: &str| {
        problems
            .iter()
            .find(|p| p["path"] == path)
            .unwrap_or_else(|| panic!("no problem at {path}: {problems:#?}"))
    };
    let threads = find("plugins.compute.config.threads");
    assert_eq!(threads["message"], "must be >= 1");
    assert_eq!(threads["kind"], "config");
    assert_eq!(threads["config_kind"], "range");
    assert_eq!(threads["line"], 9);
    assert_eq!(threads["column"], 7);
    assert_eq!(find("plugins.computer")["kind"], "unknown_category");
    assert_eq!(find("plugins.catalog.verison")["kind"], "unknown_key");
    assert_eq!(find("plugins.secrets.type")["kind"], "unknown_plugin");
    assert_eq!(find("plugins.compute.version")["kind"], "version_mismatch");
    assert_eq!(find("plugins.compute.version")["severity"], "warning");
    assert_eq!(find("plugins.computer")["severity"], "error");
    assert_eq!(
        (report["errors"].as_u64(), report["warnings"].as_u64()),
        (Some(12), Some(1))
    );
    assert_eq!(
        find("plugins.catalog.connection_secret_ref")["kind"],
        "secret_ref"
    );
    assert_eq!(find("plugins.ingestion.type")["kind"], "incompatible_api");
    assert_eq!(find("plugins.catalog.type")["kind"], "missing_dependency");
    assert_eq!(find("plugins.dbt.type")["kind"], "circular_dependency");
    assert_eq!(
        find("plugins.compute.config.colour")["config_kind"],
        "unknown_field"
    );
    let lines: Vec<u64> = problems.iter().filter_map(|p| p["line"].as_u64()).collect();
    assert_eq!(lines.len(), problems.len(), "every problem has a line");
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "in document order");
}

#[test]
fn check_yaml_syntax_error_has_line_and_column_and_no_source() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        &dir,
        "syntax.yaml",
        &format!(
            "apiVersion: floe.dev/v1\nplugins:\n  compute:\n    config: {{token: \"{CANARY}\n"
        ),
    );
    let run = floe(&["plugins", "check", s(&path)]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let p = s(&path);
    assert!(run.stdout.contains(&format!("{p}:4:")), "{}", run.stdout);
    assert!(
        run.stdout.contains("error: invalid YAML: "),
        "{}",
        run.stdout
    );
    run.assert_no_canary();

    let json = floe(&["plugins", "check", s(&path), "--json"]).json();
    assert_eq!(json["problems"][0]["kind"], "syntax");
    assert_eq!(json["problems"][0]["line"], 4);

    let dup = write(
        &dir,
        "dup.yaml",
        "apiVersion: floe.dev/v1\nkind: Manifest\nkind: Manifest\n",
    );
    let run = floe(&["plugins", "check", s(&dup)]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.contains(&format!(
            "{}:3:1: error: invalid YAML: duplicate mapping key",
            s(&dup)
        )),
        "{}",
        run.stdout
    );
}

#[test]
fn check_json_manifest_with_lines() {
    let dir = tempfile::tempdir().expect("tempdir");
    let text = format!(
        "{{\n  \"apiVersion\": \"floe.dev/v1\",\n  \"kind\": \"Manifest\",\n  \"plugins\": {{\n    \"storage\": {{\n      \"type\": \"fx-store\",\n      \"config\": {{\"bucket\": \"ab\", \"secret_key\": \"{CANARY}\"}}\n    }}\n  }}\n}}\n"
    );
    let path = write(&dir, "platform.json", &text);
    let run = floe(&["plugins", "check", s(&path)]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    assert!(
        run.stdout.contains(&format!(
            "{}:7:18: error: plugins.storage.config.bucket: must have at least 3 characters",
            s(&path)
        )),
        "{}",
        run.stdout
    );
    run.assert_no_canary();
    let fixed = write(&dir, "fixed.json", &text.replace("\"ab\"", "\"abc\""));
    assert_eq!(floe(&["plugins", "check", s(&fixed)]).code, Some(0));
}

#[test]
fn check_structure_problems() {
    let dir = tempfile::tempdir().expect("tempdir");
    let list = write(&dir, "list.yaml", "- a\n- b\n");
    let run = floe(&["plugins", "check", s(&list)]);
    assert_eq!(run.code, Some(1));
    assert!(run.stdout.contains("the manifest must be a mapping with apiVersion, kind, metadata and plugins; found a sequence"));

    let empty = write(&dir, "empty.yaml", "");
    assert!(
        floe(&["plugins", "check", s(&empty)])
            .stdout
            .contains("the manifest is empty")
    );

    let header = write(
        &dir,
        "header.yaml",
        "apiVersion: floe.dev/v9\nplugins:\n  compute: {version: \"1\"}\n  storage: fx-store\n  secrets: {type: [fx-vault]}\n",
    );
    let run = floe(&["plugins", "check", s(&header)]);
    assert_eq!(run.code, Some(1));
    let p = s(&header);
    for line in [
        format!(
            "{p}:1:1: error: apiVersion: unsupported apiVersion `floe.dev/v9`; this floe reads `floe.dev/v1`"
        ),
        format!("{p}:1:1: error: missing `kind` (expected `kind: Manifest`)"),
        format!(
            "{p}:3:3: error: plugins.compute: missing `type`: the name of the compute plugin to use (installed: "
        ),
        format!("{p}:4:3: error: plugins.storage: a plugin selection must be a mapping"),
        format!(
            "{p}:5:13: error: plugins.secrets.type: must be the plugin name, a string; found a sequence"
        ),
    ] {
        assert!(
            run.stdout.contains(line.as_str()),
            "missing:\n{line}\nin:\n{}",
            run.stdout
        );
    }
}

#[test]
fn check_version_pins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let manifest = |pin: &str| {
        format!(
            "apiVersion: floe.dev/v1\nkind: Manifest\nplugins:\n  storage:\n    type: fx-store\n    version: {pin}\n    config: {{bucket: abc, secret_key: x}}\n"
        )
    };
    for (pin, ok) in [
        ("\"1.4.2\"", true),
        ("\"1\"", true),
        ("\"=1.4.2\"", true),
        ("\"~1.4\"", true),
        ("\">=1.5\"", false),
        ("\"1.3\"", true),
        ("\"1.5\"", false),
        ("\"2\"", false),
        ("1.4", true),
    ] {
        let path = write(&dir, "pin.yaml", &manifest(pin));
        // floe checks only a pin's format: an unsatisfied pin is a warning, which
        // fails only with --deny-warnings.
        let run = floe(&["plugins", "check", s(&path)]);
        assert_eq!(run.code, Some(0), "pin {pin}: {}", run.stdout);
        assert_eq!(
            run.stdout.contains("plugins.storage.version"),
            !ok,
            "pin {pin}: {}",
            run.stdout
        );
        if !ok {
            let strict = floe(&["plugins", "check", s(&path), "--deny-warnings"]);
            assert_eq!(
                strict.code,
                Some(1),
                "pin {pin} with --deny-warnings: {}",
                strict.stdout
            );
            assert!(run.stdout.contains(":6:5: warning: plugins.storage.version: the installed fx-store is version 1.4.2, which does not satisfy"), "{}", run.stdout);
            let json = floe(&["plugins", "check", s(&path), "--json"]).json();
            assert_eq!(json["valid"], true);
            let pin_problem = json["problems"]
                .as_array()
                .and_then(|ps| ps.iter().find(|p| p["path"] == "plugins.storage.version"))
                .cloned()
                .unwrap_or_default();
            assert_eq!(pin_problem["severity"], "warning");
        }
    }
    let path = write(&dir, "pin.yaml", &manifest("\"not a version\""));
    let run = floe(&["plugins", "check", s(&path)]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout
            .contains("plugins.storage.version: `not a version` is not a version requirement"),
        "{}",
        run.stdout
    );
}

#[test]
fn check_connection_secret_ref_length() {
    let dir = tempfile::tempdir().expect("tempdir");
    let long = "a".repeat(254);
    let path = write(
        &dir,
        "ref.yaml",
        &format!(
            "apiVersion: floe.dev/v1\nkind: Manifest\nplugins:\n  secrets: {{type: fx-vault, connection_secret_ref: {long}}}\n"
        ),
    );
    let run = floe(&["plugins", "check", s(&path)]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stdout.contains(
            "plugins.secrets.connection_secret_ref: must be at most 253 characters; found 254"
        ),
        "{}",
        run.stdout
    );
    assert!(!run.stdout.contains(&long), "the value is not echoed");
}

#[test]
fn check_unreadable_file_exits_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let missing = dir.path().join("missing.yaml");
    let run = floe(&["plugins", "check", s(&missing)]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("cannot read"), "{}", run.stderr);
    assert!(run.stdout.is_empty());
    let run = floe(&["plugins", "check", s(dir.path())]);
    assert_eq!(run.code, Some(2));
    assert!(run.stderr.contains("it is a directory"));
    let binary = dir.path().join("binary.yaml");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("write");
    assert_eq!(floe(&["plugins", "check", s(&binary)]).code, Some(2));
}

// ---------------------------------------------------------------- health

fn health_manifest(plugins: &str) -> String {
    format!("apiVersion: floe.dev/v1\nkind: Manifest\nplugins:\n{plugins}")
}

#[test]
fn health_healthy_plugins_exit_0_and_stop_in_reverse_order() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "platform.yaml", &clean_manifest());
    let log = dir.path().join("lifecycle.log");
    let run = floe_with_log(&["plugins", "health", s(&path)], &log);
    assert_eq!(run.code, Some(0), "{}{}", run.stdout, run.stderr);
    run.assert_no_canary();
    let header = run.stdout.lines().next().expect("header");
    let words: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(words, ["PLUGIN", "STATE", "MESSAGE", "TIME"]);
    for plugin in [
        "compute/fx-engine",
        "storage/fx-store",
        "catalog/fx-catalog",
        "secrets/fx-vault",
    ] {
        let row = run
            .stdout
            .lines()
            .find(|l| l.starts_with(plugin))
            .expect(plugin);
        assert!(row.contains(" healthy "), "{row}");
        assert!(row.ends_with(" ms"), "{row}");
    }
    let events = std::fs::read_to_string(&log).expect("log");
    let events: Vec<&str> = events.lines().collect();
    let pos = |e: &str| {
        events
            .iter()
            .position(|x| *x == e)
            .unwrap_or_else(|| panic!("{e}: {events:?}"))
    };
    assert!(pos("start fx-store") < pos("start fx-catalog"));
    assert!(
        pos("stop fx-catalog") < pos("stop fx-store"),
        "reverse order: {events:?}"
    );
    assert!(pos("start fx-engine") < pos("stop fx-engine"));
}

#[test]
fn health_degraded_exits_1() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        &dir,
        "m.yaml",
        &health_manifest("  telemetry_backend: {type: fx-degraded}\n  secrets: {type: fx-vault}\n"),
    );
    let run = floe(&["plugins", "health", s(&path)]);
    assert_eq!(run.code, Some(1), "{}", run.stdout);
    let row = run
        .stdout
        .lines()
        .find(|l| l.starts_with("telemetry_backend/fx-degraded"))
        .expect("row");
    let cells: Vec<&str> = row
        .split("  ")
        .filter(|c| !c.is_empty())
        .map(str::trim)
        .collect();
    assert_eq!(cells[1], "degraded");
    assert_eq!(cells[2], "collector queue is 90% full");
}

#[test]
fn health_unhealthy_failed_and_timeout_exit_2() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        &dir,
        "m.yaml",
        &health_manifest(
            "  compute: {type: fx-engine, config: {threads: 1}}\n  lineage_backend: {type: fx-slow}\n  identity: {type: fx-broken}\n",
        ),
    );
    let begin = Instant::now();
    let run = floe(&["plugins", "health", s(&path), "--timeout", "0.5", "--json"]);
    let took = begin.elapsed();
    assert_eq!(run.code, Some(2), "{}{}", run.stdout, run.stderr);
    // Only a guard against a hang, not a measurement: fx-slow's check sleeps 30 s,
    // so a run that waited for it would take at least that; the 0.5 s deadline
    // leaves the whole run (process start-up included) 29 s to spare. The timeout
    // outcome itself is asserted below.
    assert!(
        took < Duration::from_secs(29),
        "the hung check (30 s) was waited for: {took:?}"
    );
    let report = run.json();
    assert_eq!(report["state"], "failed");
    let rows = report["plugins"].as_array().expect("rows");
    let row = |plugin: &str| {
        rows.iter()
            .find(|r| r["plugin"] == plugin)
            .unwrap_or_else(|| panic!("{plugin}: {rows:?}"))
    };
    assert_eq!(row("compute/fx-engine")["state"], "healthy");
    assert_eq!(row("lineage_backend/fx-slow")["state"], "unhealthy");
    assert_eq!(
        row("lineage_backend/fx-slow")["message"],
        "health_check() timed out after 0.5s"
    );
    assert_eq!(row("identity/fx-broken")["state"], "failed");
    assert_eq!(
        row("identity/fx-broken")["message"],
        "Plugin startup failed: IDENTITY:fx-broken - startup() raised exception: cannot reach the token endpoint"
    );
    assert!(row("identity/fx-broken")["time_ms"].is_null());

    let sick = write(
        &dir,
        "sick.yaml",
        &health_manifest("  lineage_backend: {type: fx-sick}\n"),
    );
    let run = floe(&["plugins", "health", s(&sick)]);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stdout.contains("unhealthy  connection refused"),
        "{}",
        run.stdout
    );
}

#[test]
fn health_refuses_a_manifest_with_problems() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(&dir, "broken.yaml", &broken_manifest());
    let log = dir.path().join("lifecycle.log");
    let run = floe_with_log(&["plugins", "health", s(&path)], &log);
    assert_eq!(run.code, Some(2));
    assert!(
        run.stdout
            .contains("plugins.compute.config.threads: must be >= 1")
    );
    assert!(run.stderr.contains("has problems"), "{}", run.stderr);
    assert!(!log.exists(), "nothing was started");
    run.assert_no_canary();
    assert_eq!(
        floe(&["plugins", "health", "/nonexistent/floe.yaml"]).code,
        Some(2)
    );
    assert_eq!(
        floe(&["plugins", "health", s(&path), "--timeout", "0"]).code,
        Some(2)
    );
}

#[test]
fn ctrl_c_stops_started_plugins() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = write(
        &dir,
        "slow.yaml",
        &health_manifest(
            "  lineage_backend: {type: fx-slow}\n  storage: {type: fx-store, config: {bucket: abc, secret_key: x}}\n",
        ),
    );
    let log = dir.path().join("lifecycle.log");
    let child = command()
        .args(["plugins", "health", s(&path), "--timeout", "25"])
        .env("FLOE_CLI_FIXTURE_LOG", &log)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn floe");
    let deadline = Instant::now() + Duration::from_secs(20);
    while !std::fs::read_to_string(&log)
        .unwrap_or_default()
        .contains("checking fx-slow")
    {
        assert!(Instant::now() < deadline, "the health check never started");
        std::thread::sleep(Duration::from_millis(50));
    }
    let kill = Command::new("kill")
        .args(["-INT", &child.id().to_string()])
        .status()
        .expect("kill");
    assert!(kill.success());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(130));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("interrupted: stopping the plugins started so far"),
        "{stderr}"
    );
    let events = std::fs::read_to_string(&log).expect("log");
    assert!(
        events.contains("stop fx-slow") && events.contains("stop fx-store"),
        "{events}"
    );
}
