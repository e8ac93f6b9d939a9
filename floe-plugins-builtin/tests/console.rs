//! The `console` telemetry backend through the registry.

#![cfg(feature = "console")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod support;

use floe_registry::{ConfigErrorKind, HealthState, PluginType, TelemetryBackendPlugin};
use serde_json::json;
use support::config_errors::{assert_has, refused_config};
use support::registry::registry;

#[test]
fn metadata_matches_the_reference() {
    let registry = registry();
    let info = registry
        .info(PluginType::TelemetryBackend, "console")
        .unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "Console telemetry backend for local development and debugging"
    );
    assert!(info.dependencies.is_empty());
    assert!(!info.has_config, "console takes no configuration");
    assert!(
        registry
            .config_schema(PluginType::TelemetryBackend, "console")
            .unwrap()
            .is_none()
    );
}

#[test]
fn configure_accepts_only_nothing() {
    let registry = registry();
    registry
        .configure(PluginType::TelemetryBackend, "console", json!({}))
        .unwrap();
    registry
        .configure(PluginType::TelemetryBackend, "console", json!(null))
        .unwrap();
    let (errors, _) = refused_config(
        &registry,
        PluginType::TelemetryBackend,
        "console",
        json!({"endpoint": "x"}),
    );
    assert_has(&errors, "endpoint", ConfigErrorKind::UnknownField);
}

#[test]
fn exporter_config_is_console() {
    let registry = registry();
    let console = registry
        .get_as::<dyn TelemetryBackendPlugin>("console")
        .unwrap();
    assert_eq!(
        console.get_otlp_exporter_config().unwrap(),
        json!({"exporter_type": "console"})
    );
}

#[test]
fn helm_values_are_empty() {
    let registry = registry();
    let console = registry
        .get_as::<dyn TelemetryBackendPlugin>("console")
        .unwrap();
    assert_eq!(console.get_helm_values(), json!({}));
}

#[test]
fn validate_connection_is_always_true() {
    let registry = registry();
    let console = registry
        .get_as::<dyn TelemetryBackendPlugin>("console")
        .unwrap();
    assert!(console.validate_connection().unwrap());
}

#[test]
fn health_check_is_healthy() {
    let registry = registry();
    let status = registry
        .health_check(PluginType::TelemetryBackend, "console")
        .unwrap();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
}
