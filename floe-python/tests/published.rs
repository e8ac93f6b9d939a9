//! The published floe plugins (PyPI, 0.1.0a1), hosted by our registry, report what
//! floe-core's own `PluginRegistry` reports in the same environment: metadata, config
//! schema, configure verdicts on generated configs, health. And listing an unchanged
//! environment with a warm cache starts no Python.

mod support;

use std::collections::BTreeMap;
use std::process::{Command, Stdio};

use floe_differential::configs::generated;
use floe_python::PythonEnvironment;
use floe_registry::{PluginError, PluginRegistry, PluginType, Timeouts};
use serde_json::{Value, json};

/// The published plugin packages the environment holds, by type and name.
const PUBLISHED_PLUGINS: [(PluginType, &str, &str); 7] = [
    (PluginType::Compute, "duckdb", "floe-compute-duckdb"),
    (PluginType::Catalog, "polaris", "floe-catalog-polaris"),
    (PluginType::Catalog, "glue", "floe-catalog-glue"),
    (PluginType::Storage, "minio", "floe-storage-minio"),
    (PluginType::Storage, "aws-s3", "floe-storage-aws-s3"),
    (
        PluginType::LineageBackend,
        "marquez",
        "floe-lineage-marquez",
    ),
    (
        PluginType::TelemetryBackend,
        "jaeger",
        "floe-telemetry-jaeger",
    ),
];

/// floe-core's own registry, run in the environment: for each plugin asked for, its
/// metadata, schema, health before configuration, and the verdict on each config.
const REFERENCE: &str = r#"
import json, logging, sys
logging.disable(logging.CRITICAL)
import structlog
structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
from floe_core.plugin_errors import PluginConfigurationError
from floe_core.plugin_registry import PluginRegistry
from floe_core.plugin_types import PluginType

asked = json.load(sys.stdin)
registry = PluginRegistry()
registry.discover_all()
out = {}
for group, name, configs in asked:
    plugin_type = next(t for t in PluginType if t.value == group)
    plugin = registry.get(plugin_type, name)
    schema = plugin.get_config_schema()
    health = plugin.health_check()
    verdicts = []
    for config in configs:
        try:
            registry.configure(plugin_type, name, config)
            verdicts.append(None)
        except PluginConfigurationError as e:
            verdicts.append(sorted([str(x["field"]), str(x["message"])] for x in e.errors))
    out[f"{group}:{name}"] = {
        "name": plugin.name,
        "version": plugin.version,
        "floe_api_version": plugin.floe_api_version,
        "description": plugin.description,
        "dependencies": list(plugin.dependencies),
        "schema": schema.model_json_schema() if schema is not None else None,
        "health": [health.state.value, health.message or ""],
        "verdicts": verdicts,
    }
print(json.dumps(out))
"#;

fn python_env() -> PythonEnvironment {
    PythonEnvironment::open(support::published().root())
        .expect("the published environment")
        .with_cache_dir(support::private_cache())
}

#[test]
fn the_published_plugins_are_found_without_starting_python() {
    let env = python_env();
    let found: Vec<(PluginType, String, String)> = env
        .entry_points()
        .iter()
        .map(|e| {
            (
                e.plugin_type,
                e.name.clone(),
                format!("{} {}", e.distribution, e.version),
            )
        })
        .collect();
    for (t, name, distribution) in PUBLISHED_PLUGINS {
        assert!(
            found.contains(&(t, name.to_owned(), format!("{distribution} 0.1.0a1"))),
            "{t}:{name} in {found:?}"
        );
    }
    assert!(!env.worker_running(), "opening reads files only");
    assert_eq!(env.worker_starts(), 0);
}

#[test]
fn a_warm_cache_lists_an_unchanged_environment_without_python() {
    // The first listing fills the cache (the worker loads every plugin once).
    let cold = python_env();
    let registry = PluginRegistry::new();
    registry.add_provider(&cold).expect("listed");
    let first = registry.infos();
    // A second environment of the same folder: the cache answers.
    let warm = python_env();
    let again = PluginRegistry::new();
    again.add_provider(&warm).expect("listed");
    assert_eq!(warm.worker_starts(), 0, "no Python started");
    assert_eq!(again.infos(), first);
    let glue = again.info(PluginType::Catalog, "glue").expect("listed");
    assert_eq!(
        glue.source,
        "python package `floe-catalog-glue 0.1.0a1` (floe_catalog_glue.plugin:GlueCatalogPlugin)"
    );
    assert!(!glue.linked && !glue.is_loaded);
}

/// Our verdict on `config`: accepted, or the sorted (field, message) pairs.
fn verdict(result: Result<(), PluginError>) -> Value {
    match result {
        Ok(()) => Value::Null,
        Err(PluginError::Configuration { errors, .. }) => {
            let mut pairs: Vec<Vec<String>> = errors
                .into_iter()
                .map(|e| vec![e.field, e.message])
                .collect();
            pairs.sort();
            json!(pairs)
        }
        Err(other) => json!(["not a configuration error", other.to_string()]),
    }
}

#[test]
fn our_registry_reports_what_floe_cores_registry_reports() {
    let env = python_env().with_timeouts(Timeouts::default());
    let registry = PluginRegistry::new();
    registry.add_provider(&env).expect("listed");
    let mut asked = Vec::new();
    let mut ours = BTreeMap::new();
    for (t, name, _) in PUBLISHED_PLUGINS {
        let schema = registry.config_schema(t, name).expect("listed");
        let info = registry.info(t, name).expect("listed");
        let health = registry.health_check(t, name).expect("loads");
        let configs = generated(schema.as_ref().filter(|s| s.get("properties").is_some()));
        assert!(configs.len() >= 30);
        let verdicts: Vec<Value> = configs
            .iter()
            .map(|c| verdict(registry.validate_config(t, name, c.clone())))
            .collect();
        let key = format!("{}:{name}", t.entry_point_group());
        asked.push(json!([t.entry_point_group(), name, configs]));
        ours.insert(
            key,
            json!({
                "name": name,
                "version": info.version,
                "floe_api_version": info.floe_api_version,
                "description": info.description,
                "dependencies": info.dependencies,
                // pydantic marks a SecretStr `writeOnly`, as our registry's secrets are.
                "schema": schema.filter(|s| s != &json!({})),
                "health": [health.state.to_string(), health.message],
                "verdicts": verdicts,
            }),
        );
    }
    let mut child = Command::new(support::published().python())
        .args(["-c", REFERENCE])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("python starts");
    serde_json::to_writer(child.stdin.take().expect("stdin"), &asked).expect("asked");
    let out = child.wait_with_output().expect("python ends");
    assert!(
        out.status.success(),
        "floe-core's registry failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let theirs: BTreeMap<String, Value> = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(theirs.len(), PUBLISHED_PLUGINS.len());
    for (key, expected) in &theirs {
        let got = &ours[key];
        for field in [
            "name",
            "version",
            "floe_api_version",
            "description",
            "dependencies",
            "schema",
            "health",
        ] {
            assert_eq!(got[field], expected[field], "{key} {field}");
        }
        let (got_v, expected_v) = (got["verdicts"].as_array(), expected["verdicts"].as_array());
        assert_eq!(got_v.map(Vec::len), expected_v.map(Vec::len), "{key}");
        for (i, (g, e)) in got_v
            .into_iter()
            .flatten()
            .zip(expected_v.into_iter().flatten())
            .enumerate()
        {
            assert_eq!(g, e, "{key} config {i}: {}", asked_config(&asked, key, i));
        }
    }
}

fn asked_config(asked: &[Value], key: &str, i: usize) -> Value {
    asked
        .iter()
        .find(|a| {
            format!(
                "{}:{}",
                a[0].as_str().unwrap_or(""),
                a[1].as_str().unwrap_or("")
            ) == key
        })
        .map_or(Value::Null, |a| a[2][i].clone())
}
