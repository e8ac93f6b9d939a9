//! The `alertmanager` alert channel against a loopback fake of Alertmanager's v2 API.
#![cfg(feature = "alertmanager")]

mod support;

use floe_plugins_builtin::alertmanager::AlertmanagerConfig;
use floe_registry::prelude::*;
use serde_json::json;
use support::alerts::*;
use support::canary::{CANARY, assert_no_canary};
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

fn accepting() -> FakeServer {
    FakeServer::start(|_| Reply::text(200, ""))
}

#[test]
fn registers_under_its_entry_point_name_with_a_schema() {
    let info = registry()
        .info(PluginType::AlertChannel, "alertmanager")
        .expect("registered");
    assert_eq!(
        (info.name.as_str(), info.version.as_str()),
        ("alertmanager", "1.0.0")
    );
    assert!(info.has_config, "a real config schema, unlike floe's");
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::AlertChannel, "alertmanager");
}

#[test]
fn a_config_without_api_url_is_refused() {
    let err = registry()
        .configure(PluginType::AlertChannel, "alertmanager", json!({}))
        .expect_err("api_url is required");
    assert!(err.to_string().contains("api_url"), "{err}");
}

#[test]
fn an_unconfigured_channel_reports_the_missing_url_and_delivers_nothing() {
    let registry = registry();
    let am = channel(&registry, "alertmanager");
    assert_eq!(am.validate_config(), ["api_url is required"]);
    assert!(!am.send_alert(&event()));
}

#[test]
fn posts_one_alert_array_to_the_v2_alerts_api() {
    let server = accepting();
    let registry = configured(
        "alertmanager",
        json!({"api_url": format!("{}/", server.url())}),
    );
    let am = channel(&registry, "alertmanager");
    assert!(am.validate_config().is_empty());
    assert!(am.send_alert(&event()), "a 200 answer is delivered");
    let requests = server.requests();
    assert_eq!(requests.len(), 1);
    let r = &requests[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/api/v2/alerts")
    );
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(r.header("authorization"), None);
    assert_eq!(
        r.json(),
        json!([{
            "labels": {
                "alertname": "ContractViolation",
                "severity": "error",
                "contract": "orders",
                "contract_version": "2.1.0",
                "violation_type": "freshness",
            },
            "annotations": {
                "summary": "late by 2h",
                "description": "Contract orders v2.1.0 has a freshness violation (severity: error)",
            },
            "startsAt": "2026-05-02T10:00:00+00:00",
        }])
    );
}

#[test]
fn an_accepted_status_is_delivered() {
    let server = FakeServer::start(|_| Reply::text(202, ""));
    let registry = configured("alertmanager", json!({"api_url": server.url()}));
    assert!(channel(&registry, "alertmanager").send_alert(&event()));
}

#[test]
fn client_and_server_errors_are_not_delivered() {
    for status in [400, 404, 500, 503] {
        let server = FakeServer::start(move |_| Reply::text(status, "no"));
        let registry = configured("alertmanager", json!({"api_url": server.url()}));
        assert!(
            !channel(&registry, "alertmanager").send_alert(&event()),
            "status {status} must give false"
        );
        assert_eq!(server.count("POST", "/api/v2/alerts"), 1, "no retry");
    }
}

#[test]
fn a_silent_server_gives_false_at_the_timeout() {
    let server = FakeServer::start(|_| Reply::hang());
    let registry = configured(
        "alertmanager",
        json!({"api_url": server.url(), "timeout_seconds": 0.3}),
    );
    assert!(!channel(&registry, "alertmanager").send_alert(&event()));
}

#[test]
fn a_refused_connection_gives_false() {
    let registry = configured(
        "alertmanager",
        json!({"api_url": format!("http://{}", closed_port())}),
    );
    assert!(!channel(&registry, "alertmanager").send_alert(&event()));
}

#[test]
fn the_bearer_token_is_sent_and_never_shown() {
    let server = FakeServer::start(|_| Reply::text(500, "down"));
    let registry = configured(
        "alertmanager",
        json!({"api_url": server.url(), "bearer_token": CANARY}),
    );
    let am = channel(&registry, "alertmanager");
    let (delivered, logs) = logs_of(|| am.send_alert(&event()));
    assert!(!delivered);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {CANARY}").as_str())
    );
    assert!(
        logs.contains("alert refused"),
        "the failure is logged: {logs}"
    );
    assert_no_canary("logs", &logs);
    assert_no_canary("validate_config", &format!("{:?}", am.validate_config()));
    let config = registry
        .config::<AlertmanagerConfig>(PluginType::AlertChannel, "alertmanager")
        .expect("typed")
        .expect("stored");
    assert_no_canary("config Debug", &format!("{config:?}"));
    let (_, refused_logs) = logs_of(|| {
        let refused = configured(
            "alertmanager",
            json!({"api_url": format!("http://{}", closed_port()), "bearer_token": CANARY}),
        );
        channel(&refused, "alertmanager").send_alert(&event())
    });
    assert_no_canary("connection failure logs", &refused_logs);
}
