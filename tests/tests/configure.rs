//! Configuration: every problem reported at once with its dotted path and kind.

// The config types exist to be validated and deserialized; most fields are never read.
#![allow(dead_code)]

use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, ConfigFieldError, PluginInstance};
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct EngineConfig {
    #[schemars(range(min = 1, max = 64))]
    threads: u32,
    #[schemars(regex(pattern = r"^[0-9]+(GB|MB)$"))]
    #[serde(default = "four_gb")]
    memory_limit: String,
    connection: Connection,
    #[serde(default)]
    attach: Vec<Attach>,
    #[serde(default)]
    mode: Mode,
    #[serde(default)]
    password: Option<Secret>,
    #[serde(default)]
    budget: u32,
}

fn four_gb() -> String {
    "4GB".into()
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Connection {
    host: String,
    #[schemars(range(min = 1, max = 65535))]
    port: u32,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct Attach {
    path: String,
    #[schemars(length(min = 1, max = 8))]
    alias: String,
    #[serde(default)]
    size: u32,
}

#[derive(Debug, Default, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Mode {
    #[default]
    ReadWrite,
    ReadOnly,
}

#[floe_plugin(type = Compute, name = "engine", version = "1.0.0", config = EngineConfig)]
#[derive(Default)]
struct Engine;
impl ComputePlugin for Engine {}

#[floe_plugin(type = Compute, name = "bare", version = "1.0.0")]
#[derive(Default)]
struct Bare;
impl ComputePlugin for Bare {}

fn registry() -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.register(Engine.descriptor()).expect("registers");
    registry.register(Bare.descriptor()).expect("registers");
    registry
}

fn problems(name: &str, config: Value) -> Vec<ConfigFieldError> {
    match registry().configure(PluginType::Compute, name, config) {
        Err(PluginError::Configuration { id, errors }) => {
            assert_eq!(id.name, name);
            errors
        }
        other => panic!("expected a configuration error, got {other:?}"),
    }
}

fn has(errors: &[ConfigFieldError], field: &str, kind: ConfigErrorKind, message: &str) {
    assert!(
        errors
            .iter()
            .any(|e| e.field == field && e.kind == kind && e.message == message),
        "expected {field} / {kind} / {message:?} among {errors:#?}"
    );
}

const VALID: fn() -> Value = || json!({"threads": 4, "connection": {"host": "db", "port": 5432}});

#[test]
fn every_problem_is_reported_at_once_with_its_path() {
    let errors = problems(
        "engine",
        json!({
            "threads": 0,
            "memory_limit": "lots",
            "connection": {"port": 70000, "tls": true},
            "attach": [{"path": "/a", "alias": "ok"}, {"alias": "much-too-long"}],
            "mode": "write_only",
            "colour": "red"
        }),
    );
    has(&errors, "threads", ConfigErrorKind::Range, "must be >= 1");
    has(
        &errors,
        "memory_limit",
        ConfigErrorKind::Pattern,
        "must match the pattern `^[0-9]+(GB|MB)$`",
    );
    has(
        &errors,
        "connection.host",
        ConfigErrorKind::Missing,
        "field required",
    );
    has(
        &errors,
        "connection.port",
        ConfigErrorKind::Range,
        "must be <= 65535",
    );
    has(
        &errors,
        "connection.tls",
        ConfigErrorKind::UnknownField,
        "unknown field; expected one of: host, port",
    );
    has(
        &errors,
        "attach.1.path",
        ConfigErrorKind::Missing,
        "field required",
    );
    has(
        &errors,
        "attach.1.alias",
        ConfigErrorKind::Length,
        "must have at most 8 characters",
    );
    has(
        &errors,
        "mode",
        ConfigErrorKind::Enum,
        "must be one of: read_write, read_only",
    );
    assert!(
        errors
            .iter()
            .any(|e| e.field == "colour" && e.kind == ConfigErrorKind::UnknownField)
    );
    assert_eq!(errors.len(), 9, "{errors:#?}");
}

#[test]
fn a_wrong_json_type_is_a_type_error() {
    let errors = problems("engine", json!({"threads": "four", "connection": []}));
    has(
        &errors,
        "threads",
        ConfigErrorKind::Type,
        "expected integer, got string",
    );
    has(
        &errors,
        "connection",
        ConfigErrorKind::Type,
        "expected object, got array",
    );
}

#[test]
fn a_misspelt_field_gets_a_suggestion() {
    let mut config = VALID();
    config["thread"] = json!(4);
    let errors = problems("engine", config);
    has(
        &errors,
        "thread",
        ConfigErrorKind::UnknownField,
        "unknown field (did you mean `threads`?)",
    );
}

#[test]
fn what_only_serde_refuses_is_reported_with_its_path() {
    // 1.0e10 is an integer for JSON Schema (no upper bound on `budget`), not for a
    // `u32`: only serde refuses it.
    let errors = problems(
        "engine",
        json!({"threads": 4, "connection": {"host": "db", "port": 1}, "budget": 1.0e10}),
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].field, "budget");
    assert_eq!(errors[0].kind, ConfigErrorKind::Type);
    assert!(
        !errors[0].message.contains("10000000000"),
        "serde's quoted value removed: {}",
        errors[0].message
    );
}

#[test]
fn what_only_serde_refuses_in_a_nested_object_keeps_its_dotted_path() {
    // Plain serde runs first; its failure is read again with the path tracked.
    let errors = problems(
        "engine",
        json!({"threads": 4, "connection": {"host": "db", "port": 1},
               "attach": [{"path": "/a", "alias": "a", "size": 1.0e10}]}),
    );
    assert_eq!(errors.len(), 1, "{errors:#?}");
    assert_eq!(errors[0].field, "attach.0.size", "the path into the array");
    assert_eq!(errors[0].kind, ConfigErrorKind::Type);
}

#[test]
fn defaults_apply_and_the_typed_config_is_stored() {
    let registry = registry();
    assert!(
        registry
            .config::<EngineConfig>(PluginType::Compute, "engine")
            .expect("known")
            .is_none()
    );
    registry
        .configure(PluginType::Compute, "engine", VALID())
        .expect("valid");
    let config = registry
        .config::<EngineConfig>(PluginType::Compute, "engine")
        .expect("known")
        .expect("stored");
    assert_eq!(config.memory_limit, "4GB");
    assert!(matches!(config.mode, Mode::ReadWrite));
    assert!(
        registry
            .info(PluginType::Compute, "engine")
            .expect("info")
            .is_configured
    );
    let wrong = registry
        .config::<Connection>(PluginType::Compute, "engine")
        .expect_err("wrong type");
    assert!(wrong.to_string().contains("EngineConfig"), "{wrong}");
}

#[test]
fn null_means_an_empty_object() {
    let errors = problems("engine", Value::Null);
    has(
        &errors,
        "threads",
        ConfigErrorKind::Missing,
        "field required",
    );
    has(
        &errors,
        "connection",
        ConfigErrorKind::Missing,
        "field required",
    );
}

#[test]
fn a_plugin_without_config_accepts_only_null_or_empty() {
    let registry = registry();
    registry
        .configure(PluginType::Compute, "bare", Value::Null)
        .expect("null");
    registry
        .configure(PluginType::Compute, "bare", json!({}))
        .expect("{}");
    let errors = problems("bare", json!({"threads": 4}));
    has(
        &errors,
        "threads",
        ConfigErrorKind::UnknownField,
        "unknown field: plugin 'bare' takes no configuration",
    );
    let errors = problems("bare", json!("x"));
    has(
        &errors,
        "",
        ConfigErrorKind::Type,
        "expected null or {}, got string: plugin 'bare' takes no configuration",
    );
}

#[test]
fn configure_of_an_unknown_plugin_is_not_found() {
    let err = registry()
        .configure(PluginType::Compute, "engin", VALID())
        .expect_err("unknown");
    assert_eq!(
        err.to_string(),
        "Plugin not found: COMPUTE:engin (did you mean `engine`?)"
    );
}

#[test]
fn validate_config_checks_without_storing() {
    let registry = registry();
    registry
        .validate_config(PluginType::Compute, "engine", VALID())
        .expect("valid");
    assert!(
        !registry
            .info(PluginType::Compute, "engine")
            .expect("info")
            .is_configured
    );
}

#[test]
fn a_plugin_without_config_is_configured_after_configure() {
    let registry = registry();
    let configured = || {
        registry
            .info(PluginType::Compute, "bare")
            .expect("registered")
            .is_configured
    };
    assert!(!configured(), "not before");
    registry
        .configure(PluginType::Compute, "bare", json!({}))
        .expect("{}");
    assert!(configured(), "configure succeeded, so it is configured");
    assert_eq!(
        registry
            .config_json(PluginType::Compute, "bare")
            .expect("known"),
        Some(json!({}))
    );
}

#[test]
fn the_stored_config_has_one_owner_that_a_loaded_plugin_sees_at_once() {
    #[floe_plugin(type = Catalog, name = "viewer", version = "1.0.0", config = Connection)]
    #[derive(Default)]
    struct Viewer {
        #[config]
        config: ConfigCell<Connection>,
    }
    impl CatalogPlugin for Viewer {}

    let registry = PluginRegistry::new();
    registry.register_plugin::<Viewer>().expect("registers");
    let loaded = registry
        .get(PluginType::Catalog, "viewer")
        .expect("loads")
        .clone();
    let PluginInstance::Catalog(plugin) = &loaded else {
        panic!("a catalog plugin")
    };
    let viewer = plugin.as_ref() as &dyn std::any::Any;
    let viewer = viewer.downcast_ref::<Viewer>().expect("the viewer");
    let early = viewer.config.get().expect_err("not configured yet");
    assert_eq!(
        early.to_string(),
        "Configuration error for plugin 'viewer': _config: Plugin 'viewer' not configured",
        "the cell names its own plugin"
    );
    for port in [5432, 6543] {
        registry
            .configure(
                PluginType::Catalog,
                "viewer",
                json!({"host": "db", "port": port}),
            )
            .expect("valid");
        assert_eq!(viewer.config.get().expect("configured").port, port);
        let stored = registry
            .config::<Connection>(PluginType::Catalog, "viewer")
            .expect("its type")
            .expect("configured");
        assert_eq!(stored.port, port, "the registry reads the same config");
    }
    let wrong = registry
        .config::<EngineConfig>(PluginType::Catalog, "viewer")
        .expect_err("not its type");
    assert!(matches!(wrong, PluginError::ConfigType { .. }), "{wrong:?}");
}
