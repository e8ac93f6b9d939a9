//! The `env` secrets backend through the registry.
#![cfg(feature = "env-secrets")]

mod support;

use std::collections::BTreeMap;

use floe_plugins_builtin::env_secrets::{EnvSecretsConfig, EnvSecretsPlugin};
use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, HealthState, PluginRegistry};
use serde_json::json;
use support::canary::{CANARY, assert_no_canary};
use support::config_errors::{assert_has_error, config_errors};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

fn configured(prefix: &str) -> PluginRegistry {
    let registry = registry();
    registry
        .configure(PluginType::Secrets, "env", json!({"prefix": prefix}))
        .expect("valid config");
    registry
}

fn env(registry: &PluginRegistry) -> &dyn SecretsPlugin {
    registry
        .get_as::<dyn SecretsPlugin>("env")
        .expect("env is registered")
}

/// The plugin configured with `prefix`, reading exactly `variables` as its environment
/// (the process environment is never changed).
fn with_vars(prefix: &str, variables: &[(&str, &str)]) -> EnvSecretsPlugin {
    let config = EnvSecretsConfig {
        prefix: prefix.to_owned(),
        ..EnvSecretsConfig::default()
    };
    EnvSecretsPlugin::with_variables(Some(config), variables)
}

#[test]
fn metadata_is_declared() {
    let info = registry()
        .info(PluginType::Secrets, "env")
        .expect("registered");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "Environment variables: each secret is one variable with a common prefix. Read-only."
    );
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::Secrets, "env");
}

#[test]
fn invalid_configs_report_every_field() {
    let err = registry()
        .configure(
            PluginType::Secrets,
            "env",
            json!({"prefix": "FLOE-SECRET", "normalize_keys": "maybe", "colour": 1}),
        )
        .expect_err("invalid");
    let errors = config_errors(err);
    assert_has_error(&errors, "prefix", ConfigErrorKind::Pattern);
    assert_has_error(&errors, "normalize_keys", ConfigErrorKind::Type);
    assert_has_error(&errors, "colour", ConfigErrorKind::UnknownField);
    let err = registry()
        .configure(
            PluginType::Secrets,
            "env",
            json!({"prefix": "P".repeat(129)}),
        )
        .expect_err("too long");
    assert_has_error(&config_errors(err), "prefix", ConfigErrorKind::Length);
}

#[test]
fn get_secret_reads_the_normalised_variable() {
    let env = with_vars("T1_", &[("T1_POLARIS_CLIENT_SECRET", CANARY)]);
    let value = env
        .get_secret("polaris/client-secret")
        .expect("read")
        .expect("present");
    assert_eq!(value.expose(), CANARY);
    assert_no_canary("the output", &format!("{value:?} {value}"));
    assert!(env.get_secret("absent").expect("read").is_none());
}

#[test]
fn keys_are_used_as_is_without_normalisation() {
    let config = EnvSecretsConfig {
        prefix: "T2_".to_owned(),
        normalize_keys: false,
    };
    let env = EnvSecretsPlugin::with_variables(Some(config), &[("T2_db.password", "x")]);
    assert!(env.get_secret("db.password").expect("read").is_some());
    assert!(env.get_secret("DB_PASSWORD").expect("read").is_none());
}

#[test]
fn default_prefix_applies_before_configure() {
    let env = EnvSecretsPlugin::with_variables(None, &[("FLOE_SECRET_T3_TOKEN", "v")]);
    assert_eq!(
        env.get_secret("t3-token")
            .expect("read")
            .expect("present")
            .expose(),
        "v"
    );
}

#[test]
fn list_secrets_filters_by_prefix_and_sorts() {
    let env = with_vars(
        "T4_",
        &[
            ("T4_B_KEY", "1"),
            ("T4_A_KEY", "2"),
            ("T4_C", "3"),
            ("T4_", "4"),
        ],
    );
    assert_eq!(env.list_secrets("").expect("list"), ["A_KEY", "B_KEY", "C"]);
    assert_eq!(env.list_secrets("b-").expect("list"), ["B_KEY"]);
    for name in env.list_secrets("").expect("list") {
        assert!(env.get_secret(&name).expect("read").is_some());
    }
}

#[test]
fn set_secret_is_a_clear_error_that_hides_the_value() {
    let registry = configured("T5_");
    let err = env(&registry)
        .set_secret("db-password", &Secret::new(CANARY), &BTreeMap::new())
        .expect_err("read-only");
    let text = err.to_string();
    assert!(text.contains("read-only"), "{text}");
    assert!(text.contains("T5_DB_PASSWORD"), "{text}");
    assert_no_canary("the output", &text);
}

#[test]
fn invalid_keys_are_refused() {
    let registry = configured("T6_");
    for key in ["", "a=b", "a\0b"] {
        assert!(env(&registry).get_secret(key).is_err(), "{key:?}");
    }
}

#[test]
fn health_check_counts_the_secrets() {
    let env = with_vars("T7_", &[("T7_ONE", "1"), ("T7_TWO", "2")]);
    let status = env.health_check();
    assert_eq!(status.state, HealthState::Healthy);
    assert_eq!(status.details["prefix"], "T7_");
    assert_eq!(status.details["secrets"], 2);
    assert_no_canary("the output", &format!("{status:?}"));
}
