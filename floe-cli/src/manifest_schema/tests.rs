//! The manifest schema gives the same verdict as `floe plugins check` on manifests
//! without dependency problems, judged by an independent validator (the `jsonschema`
//! crate) over documents read by an independent YAML reader (serde-saphyr straight
//! into JSON, not the CLI's located tree). These tests link every built-in.

use serde_json::Value;

use super::manifest_schema;
use crate::{check, manifest};
use floe_registry::PluginRegistry;

const HEADER: &str = "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: acme, version: 1.0.0, owner: data@acme.example}\n";

/// Each case: a name, the manifest, and whether it is valid.
const CASES: &[(&str, &str, bool)] = &[
    ("no plugins", "", true),
    ("null plugins", "plugins:\n", true),
    (
        "duckdb with config",
        "plugins:\n  compute: {type: duckdb, config: {threads: 8, attach: [{path: other.duckdb, alias: other}]}}\n",
        true,
    ),
    (
        "lax config values (a warning in check)",
        "plugins:\n  compute: {type: duckdb, config: {threads: \"8\", timeout_seconds: 30.0}}\n",
        true,
    ),
    (
        "a lax config value out of its range",
        "plugins:\n  compute: {type: duckdb, config: {threads: \"0\", timeout_seconds: false}}\n",
        false,
    ),
    (
        "a lax config value lax mode refuses",
        "plugins:\n  compute: {type: duckdb, config: {threads: \"8.5\"}}\n",
        false,
    ),
    (
        "duckdb without config (all defaults)",
        "plugins:\n  compute: {type: duckdb}\n",
        true,
    ),
    (
        "duckdb with null config",
        "plugins:\n  compute: {type: duckdb, config: null}\n",
        true,
    ),
    (
        "s3 with a pin and a secret ref",
        "plugins:\n  storage: {type: s3, version: \">=0.1, <2\", connection_secret_ref: minio-creds, config: {endpoint: \"http://minio:9000\", bucket: lake, secret_access_key: CANARY-hunter2}}\n",
        true,
    ),
    (
        "a plugin without config, given {}",
        "plugins:\n  telemetry_backend: {type: console, config: {}}\n",
        true,
    ),
    (
        "other top-level sections",
        "governance: {policy: strict}\nplugins: {}\n",
        true,
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
        "unknown selection key",
        "plugins:\n  compute: {type: duckdb, verison: \"1\"}\n",
        false,
    ),
    (
        "missing type",
        "plugins:\n  compute: {config: {threads: 2}}\n",
        false,
    ),
    (
        "type of the wrong kind",
        "plugins:\n  compute: {type: 3}\n",
        false,
    ),
    (
        "config out of range",
        "plugins:\n  compute: {type: duckdb, config: {threads: 0}}\n",
        false,
    ),
    (
        "config field misspelt",
        "plugins:\n  compute: {type: duckdb, config: {thread: 2}}\n",
        false,
    ),
    (
        "nested config error",
        "plugins:\n  compute: {type: duckdb, config: {attach: [{alias: x}]}}\n",
        false,
    ),
    (
        "required config missing",
        "plugins:\n  storage: {type: s3}\n",
        false,
    ),
    (
        "config for a plugin without config",
        "plugins:\n  telemetry_backend: {type: console, config: {verbose: true}}\n",
        false,
    ),
    (
        "bad secret ref",
        "plugins:\n  storage: {type: s3, connection_secret_ref: Minio_Creds, config: {endpoint: e, bucket: b}}\n",
        false,
    ),
    (
        "unparseable version pin",
        "plugins:\n  compute: {type: duckdb, version: \"one.two\"}\n",
        false,
    ),
    ("plugins not a mapping", "plugins: [duckdb]\n", false),
    (
        "a quality block floe accepts (its provider not installed here: a warning)",
        "plugins:\n  quality: {provider: great_expectations, check_timeout_seconds: 60, thresholds: {min_score: 60}}\n",
        true,
    ),
    (
        "a quality provider floe does not know",
        "plugins:\n  quality: {provider: great_expectation}\n",
        false,
    ),
    (
        "a quality block with an unknown nested key",
        "plugins:\n  quality: {provider: soda, quality_gates: {platinum: {}}}\n",
        false,
    ),
    (
        "a quality timeout out of range",
        "plugins:\n  quality: {provider: soda, check_timeout_seconds: 0}\n",
        false,
    ),
    (
        "a quality block without provider",
        "plugins:\n  quality: {enabled: false}\n",
        false,
    ),
    (
        "an unknown top-level section (a warning)",
        "monitoring: {enabled: true}\nplugins: {}\n",
        true,
    ),
    (
        "an environment-specific key",
        "env: prod\nplugins: {}\n",
        false,
    ),
    (
        "approved_plugins without enterprise scope",
        "approved_plugins: {compute: [duckdb]}\nplugins: {}\n",
        false,
    ),
    (
        "approved_plugins in an enterprise manifest",
        "scope: enterprise\napproved_plugins: {compute: [duckdb]}\nplugins:\n  compute: {type: duckdb}\n",
        true,
    ),
    (
        "a domain manifest without parent",
        "scope: domain\nplugins: {}\n",
        false,
    ),
    (
        "a domain manifest with its parent",
        "scope: domain\nparent_manifest: oci://acme/enterprise:1.0\napproved_products: [orders]\nplugins: {}\n",
        true,
    ),
    ("an unknown scope", "scope: global\nplugins: {}\n", false),
];

fn registry() -> &'static PluginRegistry {
    PluginRegistry::global()
}

fn document(body: &str) -> String {
    format!("{HEADER}{body}")
}

#[test]
fn the_schema_and_check_agree_on_every_case() {
    let schema = manifest_schema(registry());
    let validator = jsonschema::draft202012::new(&schema).expect("the manifest schema compiles");
    for (name, body, valid) in CASES {
        let text = document(body);
        let json: Value = serde_saphyr::from_str(&text).expect("test manifests parse");
        let errors: Vec<String> = validator
            .iter_errors(&json)
            .map(|e| e.to_string())
            .collect();
        let report = check::check_document(registry(), &manifest::parse(&text).expect("parses"));
        assert_eq!(
            errors.is_empty(),
            *valid,
            "schema verdict on `{name}`: errors {errors:?}"
        );
        assert_eq!(
            !report.has_errors(),
            *valid,
            "check verdict on `{name}`: {:?}",
            report.problems
        );
    }
}

#[test]
fn a_missing_header_is_rejected_by_both() {
    let schema = manifest_schema(registry());
    let validator = jsonschema::draft202012::new(&schema).expect("compiles");
    for text in [
        "kind: Manifest\n",
        "apiVersion: floe.dev/v2\nkind: Manifest\n",
    ] {
        let json: Value = serde_saphyr::from_str(text).expect("parses");
        assert!(!validator.is_valid(&json), "schema accepted {text:?}");
        let report = check::check_document(registry(), &manifest::parse(text).expect("parses"));
        assert!(!report.problems.is_empty(), "check accepted {text:?}");
    }
}

#[test]
fn each_category_offers_exactly_the_linked_plugins_with_their_descriptions() {
    let schema = manifest_schema(registry());
    let compute = &schema["properties"]["plugins"]["properties"]["compute"];
    let choices = compute["properties"]["type"]["oneOf"]
        .as_array()
        .expect("a list of choices");
    let names: Vec<&str> = choices.iter().filter_map(|c| c["const"].as_str()).collect();
    assert_eq!(names, ["duckdb"]);
    assert!(
        choices[0]["description"]
            .as_str()
            .is_some_and(|d| !d.is_empty()),
        "the description comes from the plugin's docs"
    );
    let secrets =
        &schema["properties"]["plugins"]["properties"]["secrets"]["properties"]["type"]["oneOf"];
    let names: Vec<&str> = secrets
        .as_array()
        .expect("choices")
        .iter()
        .filter_map(|c| c["const"].as_str())
        .collect();
    assert_eq!(names, ["env", "file", "infisical", "k8s"]);
}

#[test]
fn secrets_are_write_only_and_every_ref_resolves() {
    let schema = manifest_schema(registry());
    let s3 = &schema["$defs"]["storage.s3"];
    assert_eq!(s3["properties"]["secret_access_key"]["writeOnly"], true);
    assert_eq!(s3["properties"]["secret_access_key"]["format"], "password");
    assert!(s3.get("$schema").is_none());
    let mut refs = Vec::new();
    collect_refs(&schema, &mut refs);
    assert!(
        refs.iter()
            .any(|r| r == "#/$defs/compute.duckdb.AttachConfig")
    );
    for r in refs {
        let key = r
            .strip_prefix("#/$defs/")
            .unwrap_or_else(|| panic!("a local $defs ref, not {r}"));
        assert!(schema["$defs"].get(key).is_some(), "dangling {r}");
    }
    let version = &schema["$defs"];
    assert!(version.is_object());
}

fn collect_refs(value: &Value, out: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match v {
                    Value::String(s) if k == "$ref" => out.push(s.clone()),
                    other => collect_refs(other, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| collect_refs(v, out)),
        _ => {}
    }
}
