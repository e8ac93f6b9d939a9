//! The `jaeger` telemetry backend through the registry.

#![cfg(feature = "jaeger")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod support;

use floe_plugins_builtin::jaeger::{JaegerConfig, JaegerPlugin, OtlpProtocol, parse_endpoint};
use floe_registry::{ConfigErrorKind, HealthState, PluginType, TelemetryBackendPlugin};
use serde_json::json;
use support::config_errors::{assert_has, refused_config};
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::TelemetryBackend;

#[test]
fn metadata_matches_the_reference() {
    let registry = registry();
    let info = registry.info(T, "jaeger").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "Jaeger telemetry backend for production distributed tracing"
    );
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "jaeger");
}

#[test]
fn schema_has_defaults_and_constraints() {
    let schema = registry().config_schema(T, "jaeger").unwrap().unwrap();
    let p = &schema["properties"];
    assert_eq!(p["connect_timeout_seconds"]["default"], 5.0);
    assert_eq!(p["connect_timeout_seconds"]["minimum"], 0.1);
    assert_eq!(p["connect_timeout_seconds"]["maximum"], 60.0);
    assert_eq!(p["protocol"]["default"], "grpc");
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_full_config_is_accepted_with_defaults_filled() {
    let registry = registry();
    registry
        .configure(
            T,
            "jaeger",
            json!({"endpoint": "collector:4317", "insecure": false}),
        )
        .unwrap();
    let config = registry
        .config::<JaegerConfig>(T, "jaeger")
        .unwrap()
        .unwrap();
    assert_eq!(config.endpoint.as_deref(), Some("collector:4317"));
    assert_eq!(config.insecure, Some(false));
    assert_eq!(config.protocol, OtlpProtocol::Grpc);
    assert_eq!(config.connect_timeout_seconds, 5.0);
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let (errors, _) = refused_config(
        &registry(),
        T,
        "jaeger",
        json!({
            "endpoint": "",
            "insecure": "maybe",
            "protocol": "thrift",
            "connect_timeout_seconds": 0,
            "endpont": "x",
        }),
    );
    assert_has(&errors, "endpoint", ConfigErrorKind::Length);
    assert_has(&errors, "insecure", ConfigErrorKind::Type);
    assert_has(&errors, "protocol", ConfigErrorKind::Enum);
    assert_has(&errors, "connect_timeout_seconds", ConfigErrorKind::Range);
    assert_has(&errors, "endpont", ConfigErrorKind::UnknownField);
}

#[test]
fn exporter_config_falls_back_to_the_reference_default() {
    let jaeger = JaegerPlugin::with_variables(None, &[]);
    assert_eq!(
        jaeger.get_otlp_exporter_config().unwrap(),
        json!({"exporter_type": "otlp", "endpoint": "jaeger-collector:4317", "insecure": true, "protocol": "grpc"})
    );
}

#[test]
fn exporter_config_reads_the_otel_environment() {
    let jaeger = JaegerPlugin::with_variables(
        None,
        &[
            ("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4317"),
            ("OTEL_EXPORTER_OTLP_INSECURE", "FALSE"),
        ],
    );
    let config = jaeger.get_otlp_exporter_config().unwrap();
    assert_eq!(
        config,
        json!({"exporter_type": "otlp", "endpoint": "http://otel:4317", "insecure": false, "protocol": "grpc"})
    );
}

#[test]
fn configured_values_win_over_the_environment() {
    let configured: JaegerConfig = serde_json::from_value(
        json!({"endpoint": "jaeger:4318", "insecure": false, "protocol": "http/protobuf"}),
    )
    .unwrap();
    let jaeger = JaegerPlugin::with_variables(
        Some(configured),
        &[("OTEL_EXPORTER_OTLP_ENDPOINT", "http://otel:4317")],
    );
    let config = jaeger.get_otlp_exporter_config().unwrap();
    assert_eq!(
        config,
        json!({"exporter_type": "otlp", "endpoint": "jaeger:4318", "insecure": false, "protocol": "http/protobuf"})
    );
}

#[test]
fn helm_values_match_the_reference() {
    let registry = registry();
    let jaeger = registry
        .get_as::<dyn TelemetryBackendPlugin>("jaeger")
        .unwrap();
    assert_eq!(
        jaeger.get_helm_values(),
        json!({
            "collector": {"resources": {"limits": {"cpu": "500m", "memory": "512Mi"}, "requests": {"cpu": "100m", "memory": "128Mi"}}},
            "query": {"resources": {"limits": {"cpu": "250m", "memory": "256Mi"}, "requests": {"cpu": "50m", "memory": "64Mi"}}},
            "storage": {"type": "memory"},
        })
    );
}

fn configured(endpoint: &str) -> floe_registry::PluginRegistry {
    let registry = registry();
    registry
        .configure(
            T,
            "jaeger",
            json!({"endpoint": endpoint, "connect_timeout_seconds": 2.0}),
        )
        .unwrap();
    registry
}

#[test]
fn endpoints_with_a_path_or_trailing_slash_connect() {
    let server = FakeServer::start(|_| Reply::text(200, ""));
    let addr = server.addr();
    for endpoint in [
        format!("{addr}"),
        format!("http://{addr}/"),
        format!("http://{addr}/v1/traces"),
        format!("grpc://user@{addr}"),
    ] {
        let registry = configured(&endpoint);
        let jaeger = registry
            .get_as::<dyn TelemetryBackendPlugin>("jaeger")
            .unwrap();
        assert!(
            jaeger.validate_connection().unwrap(),
            "{endpoint} should connect"
        );
    }
}

#[test]
fn a_closed_port_is_not_reachable() {
    let registry = configured(&closed_port().to_string());
    let jaeger = registry
        .get_as::<dyn TelemetryBackendPlugin>("jaeger")
        .unwrap();
    assert!(!jaeger.validate_connection().unwrap());
}

#[test]
fn a_malformed_endpoint_is_an_error() {
    let registry = configured("jaeger-collector:grpc/");
    let jaeger = registry
        .get_as::<dyn TelemetryBackendPlugin>("jaeger")
        .unwrap();
    let err = jaeger.validate_connection().unwrap_err().to_string();
    assert!(err.contains("port 'grpc' is not a number"), "{err}");
}

#[test]
fn endpoint_parsing_handles_every_form() {
    let cases = [
        ("jaeger-collector:4317", "jaeger-collector", 4317),
        ("jaeger-collector", "jaeger-collector", 4317),
        ("http://jaeger-collector:4317/", "jaeger-collector", 4317),
        ("https://jaeger:14250/api/traces?x=1", "jaeger", 14250),
        ("[::1]:4318", "::1", 4318),
        ("http://[::1]/", "::1", 4317),
    ];
    for (endpoint, host, port) in cases {
        let a = parse_endpoint(endpoint, 4317).unwrap();
        assert_eq!((a.host.as_str(), a.port), (host, port), "{endpoint}");
    }
    for bad in ["", ":4317", "host:0", "host:99999", "::1", "[::1"] {
        assert!(parse_endpoint(bad, 4317).is_err(), "{bad} must be refused");
    }
}

#[test]
fn health_check_reports_a_reachable_collector() {
    let server = FakeServer::start(|_| Reply::text(200, ""));
    let addr = server.addr();
    let registry = configured(&format!("http://{addr}/"));
    let status = registry.health_check(T, "jaeger").unwrap();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.details["collector"], addr.to_string());
}

#[test]
fn health_check_gives_the_reason_of_an_unreachable_collector() {
    let endpoint = closed_port().to_string();
    let registry = configured(&endpoint);
    let status = registry.health_check(T, "jaeger").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .starts_with(&format!("cannot connect to Jaeger collector at {endpoint}")),
        "{}",
        status.message
    );
}
