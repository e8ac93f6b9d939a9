//! The `marquez` lineage backend through the registry.
#![cfg(feature = "marquez")]

mod support;

use std::time::{Duration, Instant};

use floe_plugins_builtin as _;
use floe_plugins_builtin::marquez::MarquezConfig;
use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, HealthState};
use serde_json::{Value, json};
use support::canary::{CANARY, assert_no_canary, assert_value_has_no_canary};
use support::config_errors::{assert_has_error, config_errors};
use support::deadline::assert_no_hang;
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

fn configured(config: Value) -> floe_registry::PluginRegistry {
    let registry = registry();
    registry
        .configure(PluginType::LineageBackend, "marquez", config)
        .expect("valid config");
    registry
}

fn marquez(registry: &floe_registry::PluginRegistry) -> &dyn LineageBackendPlugin {
    registry
        .get_as::<dyn LineageBackendPlugin>("marquez")
        .expect("marquez is registered")
}

#[test]
fn metadata_matches_the_reference() {
    let registry = registry();
    let info = registry
        .info(PluginType::LineageBackend, "marquez")
        .expect("registered");
    assert_eq!(info.name, "marquez");
    assert_eq!(info.version, "0.20.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(info.description, "");
    assert!(info.dependencies.is_empty());
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::LineageBackend, "marquez");
}

#[test]
fn defaults_apply_to_an_empty_config() {
    let registry = configured(json!({}));
    let config = registry
        .config::<MarquezConfig>(PluginType::LineageBackend, "marquez")
        .expect("typed")
        .expect("stored");
    assert_eq!(config.url, "https://marquez:5000");
    assert!(config.api_key.is_none());
    assert_eq!(config.environment, "prod");
    assert!(config.verify_ssl);
    assert_eq!(config.drain_timeout, 30.0);
    assert!(!config.allow_insecure_http);
}

#[test]
fn trailing_slashes_are_removed_from_the_url() {
    let registry = configured(json!({"url": "https://m.example.com:5000///"}));
    let transport = marquez(&registry)
        .get_transport_config()
        .expect("transport");
    assert_eq!(
        transport["url"],
        "https://m.example.com:5000/api/v1/lineage"
    );
}

#[test]
fn unknown_fields_are_ignored_like_the_reference() {
    configured(json!({"colour": "red"}));
}

#[test]
fn http_is_accepted_for_localhost_and_loopback() {
    for url in [
        "http://localhost:5000",
        "http://LOCALHOST",
        "http://localhost.localdomain:5000/",
        "http://127.0.0.1:5000",
        "http://127.10.0.3",
        "http://[::1]:5000",
        "http://[::ffff:127.0.0.1]:5000",
    ] {
        let registry = registry();
        registry
            .configure(PluginType::LineageBackend, "marquez", json!({"url": url}))
            .unwrap_or_else(|e| panic!("{url} should be accepted: {e}"));
    }
}

#[test]
fn http_to_a_remote_host_needs_allow_insecure_http() {
    let registry = registry();
    let err = registry
        .configure(
            PluginType::LineageBackend,
            "marquez",
            json!({"url": "http://marquez.example.com:5000"}),
        )
        .expect_err("plain http to a remote host");
    let errors = config_errors(err);
    assert_has_error(&errors, "url", ConfigErrorKind::Pattern);
    assert_eq!(errors.len(), 1, "{errors:?}");
    for url in ["http://localhost.evil.com", "http://127.0.0.1.evil.com"] {
        let err = registry
            .configure(PluginType::LineageBackend, "marquez", json!({"url": url}))
            .expect_err(url);
        assert_has_error(&config_errors(err), "url", ConfigErrorKind::Pattern);
    }
    configured(json!({"url": "http://marquez.example.com:5000", "allow_insecure_http": true}));
}

/// Runs `test` of this binary again in a child process with
/// `FLOE_ALLOW_INSECURE_HTTP` set to `value`; the child's own assertions decide.
fn in_child_with_env(test: &str, value: &str) {
    let output = std::process::Command::new(std::env::current_exe().expect("the test binary"))
        .args(["--exact", test, "--test-threads=1"])
        .env("FLOE_ALLOW_INSECURE_HTTP", value)
        .env("MARQUEZ_ENV_CHILD", "1")
        .output()
        .expect("the test binary runs again");
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success() && stdout.contains("1 passed"),
        "{test} with FLOE_ALLOW_INSECURE_HTTP={value:?}: {stdout}{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

#[test]
fn floe_allow_insecure_http_true_in_the_environment_allows_http_to_any_host() {
    if std::env::var_os("MARQUEZ_ENV_CHILD").is_none() {
        for value in ["true", "TRUE", "True"] {
            in_child_with_env(
                "floe_allow_insecure_http_true_in_the_environment_allows_http_to_any_host",
                value,
            );
        }
        return;
    }
    let registry = configured(json!({"url": "http://marquez.example.com:5000/"}));
    let config = registry
        .config::<MarquezConfig>(PluginType::LineageBackend, "marquez")
        .expect("its type")
        .expect("configured");
    assert_eq!(config.url, "http://marquez.example.com:5000");
    assert!(!config.allow_insecure_http, "the manifest did not set it");
}

#[test]
fn floe_allow_insecure_http_other_than_true_allows_nothing() {
    if std::env::var_os("MARQUEZ_ENV_CHILD").is_none() {
        for value in ["1", "yes", " true", ""] {
            in_child_with_env(
                "floe_allow_insecure_http_other_than_true_allows_nothing",
                value,
            );
        }
        return;
    }
    let err = registry()
        .configure(
            PluginType::LineageBackend,
            "marquez",
            json!({"url": "http://marquez.example.com:5000"}),
        )
        .expect_err("plain http to a remote host");
    assert_has_error(&config_errors(err), "url", ConfigErrorKind::Pattern);
}

#[test]
fn other_schemes_are_refused() {
    let err = registry()
        .configure(
            PluginType::LineageBackend,
            "marquez",
            json!({"url": "ftp://marquez", "allow_insecure_http": true}),
        )
        .expect_err("ftp");
    assert_has_error(&config_errors(err), "url", ConfigErrorKind::Pattern);
}

#[test]
fn every_invalid_field_is_reported_with_its_path() {
    let err = registry()
        .configure(
            PluginType::LineageBackend,
            "marquez",
            json!({
                "url": 5,
                "api_key": 12345,
                "environment": ["x"],
                "verify_ssl": "maybe",
                "drain_timeout": 0,
                "allow_insecure_http": 2
            }),
        )
        .expect_err("all wrong");
    let errors = config_errors(err);
    for field in [
        "url",
        "api_key",
        "environment",
        "verify_ssl",
        "allow_insecure_http",
    ] {
        assert_has_error(&errors, field, ConfigErrorKind::Type);
    }
    assert_has_error(&errors, "drain_timeout", ConfigErrorKind::Range);
}

#[test]
fn transport_config_is_exact_and_hides_the_api_key() {
    let registry = configured(json!({"url": "https://m:5000", "drain_timeout": 12.5}));
    assert_eq!(
        marquez(&registry)
            .get_transport_config()
            .expect("transport"),
        json!({
            "type": "http",
            "url": "https://m:5000/api/v1/lineage",
            "timeout": 5.0,
            "drain_timeout": 12.5,
            "api_key": null
        })
    );
    let registry = configured(json!({"url": "https://m:5000", "api_key": CANARY}));
    let transport = marquez(&registry)
        .get_transport_config()
        .expect("transport");
    assert_eq!(transport["api_key"], "[REDACTED]");
    assert_value_has_no_canary(&transport);
}

#[test]
fn namespace_strategy_is_centralized_with_a_default_namespace() {
    let registry = configured(json!({"environment": "staging"}));
    assert_eq!(
        marquez(&registry)
            .get_namespace_strategy()
            .expect("strategy"),
        json!({
            "strategy": "centralized",
            "environment": "staging",
            "platform": "floe",
            "default_namespace": "floe-staging"
        })
    );
}

#[test]
fn helm_values_are_exact() {
    let registry = configured(json!({}));
    let resources = json!({
        "limits": {"cpu": "500m", "memory": "512Mi"},
        "requests": {"cpu": "250m", "memory": "256Mi"}
    });
    let values = marquez(&registry).get_helm_values();
    assert_eq!(values["marquez"]["enabled"], true);
    assert_eq!(
        values["marquez"]["image"],
        json!({"repository": "marquezproject/marquez", "tag": "0.20.0", "pullPolicy": "IfNotPresent"})
    );
    assert_eq!(
        values["marquez"]["service"],
        json!({"type": "ClusterIP", "port": 5000})
    );
    assert_eq!(values["marquez"]["resources"], resources);
    assert_eq!(
        values["marquez"]["env"],
        json!({"MARQUEZ_PORT": "5000", "MARQUEZ_ADMIN_PORT": "5001"})
    );
    assert_eq!(values["postgresql"]["enabled"], true);
    assert_eq!(
        values["postgresql"]["auth"],
        json!({
            "username": "marquez",
            "existingSecret": "marquez-postgresql-credentials",
            "secretKeys": {"adminPasswordKey": "postgres-password", "userPasswordKey": "password"},
            "database": "marquez"
        })
    );
    assert_eq!(
        values["postgresql"]["primary"]["persistence"],
        json!({"enabled": true, "size": "8Gi"})
    );
    assert_eq!(values["postgresql"]["primary"]["resources"], resources);
    assert_eq!(values.as_object().map(|m| m.len()), Some(2));
}

#[test]
fn validate_connection_gets_namespaces_with_the_bearer_token() {
    let server = FakeServer::scripted([Reply::raw(200, r#"{"namespaces":[]}"#)]);
    let addr = server.addr();
    let registry = configured(json!({"url": format!("http://{addr}/"), "api_key": CANARY}));
    assert!(marquez(&registry).validate_connection().expect("checked"));
    let seen = server.request(0);
    assert_eq!(seen.request_line, "GET /api/v1/namespaces HTTP/1.1");
    assert_eq!(
        seen.header("authorization"),
        Some(format!("Bearer {CANARY}").as_str())
    );
}

#[test]
fn validate_connection_sends_no_authorization_without_api_key() {
    let server = FakeServer::scripted([Reply::raw(200, "{}")]);
    let addr = server.addr();
    let registry = configured(json!({"url": format!("http://{addr}")}));
    assert!(marquez(&registry).validate_connection().expect("checked"));
    assert_eq!(server.request(0).header("authorization"), None);
}

#[test]
fn validate_connection_is_false_for_any_other_status() {
    let server = FakeServer::scripted([Reply::raw(401, "{}"), Reply::raw(503, "{}")]);
    let addr = server.addr();
    let registry = configured(json!({"url": format!("http://{addr}")}));
    assert!(!marquez(&registry).validate_connection().expect("checked"));
    assert!(!marquez(&registry).validate_connection().expect("checked"));
}

#[test]
fn validate_connection_is_false_when_nothing_listens() {
    let registry = configured(json!({"url": format!("http://{}", closed_port())}));
    assert!(!marquez(&registry).validate_connection().expect("checked"));
}

#[test]
fn health_check_is_healthy_when_marquez_answers() {
    let server = FakeServer::scripted([Reply::raw(200, "{}")]);
    let addr = server.addr();
    let registry = configured(json!({"url": format!("http://{addr}")}));
    let status = marquez(&registry).health_check();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.details["status_code"], 200);
}

#[test]
fn health_check_reports_the_status_of_an_error_answer() {
    let server = FakeServer::scripted([Reply::raw(500, "{}")]);
    let addr = server.addr();
    let registry = configured(json!({"url": format!("http://{addr}")}));
    let status = marquez(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, "Marquez API returned status 500");
    assert_eq!(status.details["reason"], "unhealthy_response");
}

#[test]
fn health_check_times_out_on_a_silent_server() {
    let server = FakeServer::silent(Duration::from_secs(6));
    let addr = server.addr();
    let registry = configured(json!({"url": format!("http://{addr}"), "api_key": CANARY}));
    let started = Instant::now();
    let status = marquez(&registry).health_check();
    assert_no_hang(started, Duration::from_secs(5));
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .starts_with("Marquez API health check failed: no answer"),
        "{}",
        status.message
    );
    assert_no_canary("the output", &format!("{status:?}"));
}

#[test]
fn health_check_through_the_registry_is_unhealthy_when_unreachable() {
    let registry = configured(json!({"url": format!("http://{}", closed_port())}));
    let status = registry
        .health_check(PluginType::LineageBackend, "marquez")
        .expect("health");
    assert_eq!(status.state, HealthState::Unhealthy, "{status:?}");
    assert_eq!(status.details["reason"], "connection_error");
}

#[test]
fn the_api_key_never_shows_in_errors_or_debug_output() {
    let registry =
        configured(json!({"url": format!("http://{}", closed_port()), "api_key": CANARY}));
    let config = registry
        .config::<MarquezConfig>(PluginType::LineageBackend, "marquez")
        .expect("typed")
        .expect("stored");
    assert_no_canary("the output", &format!("{config:?}"));
    let status = marquez(&registry).health_check();
    assert_no_canary("the output", &format!("{status:?}"));
    let err = registry
        .configure(
            PluginType::LineageBackend,
            "marquez",
            json!({"api_key": CANARY, "drain_timeout": -1}),
        )
        .expect_err("invalid");
    assert_no_canary("the output", &err.to_string());
}
