//! The `webhook` alert channel (CloudEvents 1.0, structured mode) against a loopback
//! fake endpoint.
#![cfg(feature = "webhook-alerts")]

mod support;

use floe_plugins_builtin::webhook::WebhookConfig;
use floe_registry::prelude::*;
use serde_json::{Value, json};
use support::alerts::*;
use support::canary::{CANARY, assert_no_canary};
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

#[test]
fn registers_under_its_entry_point_name_with_a_schema() {
    let info = registry()
        .info(PluginType::AlertChannel, "webhook")
        .expect("registered");
    assert_eq!(
        (info.name.as_str(), info.version.as_str()),
        ("webhook", "1.0.0")
    );
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::AlertChannel, "webhook");
}

#[test]
fn an_unconfigured_channel_reports_the_missing_url() {
    let registry = registry();
    let hook = channel(&registry, "webhook");
    assert_eq!(hook.validate_config(), ["webhook_url is required"]);
    assert!(!hook.send_alert(&event()));
}

#[test]
fn posts_a_structured_cloud_event() {
    let server = FakeServer::start(|_| Reply::text(202, ""));
    let registry = configured(
        "webhook",
        json!({"webhook_url": format!("{}/hooks/floe", server.url())}),
    );
    assert!(channel(&registry, "webhook").send_alert(&event()));
    let r = &server.requests()[0];
    assert_eq!(
        (r.method.as_str(), r.path.as_str()),
        ("POST", "/hooks/floe")
    );
    assert_eq!(
        r.header("content-type"),
        Some("application/cloudevents+json")
    );
    let mut body = r.json();
    let id = body["id"].as_str().unwrap_or_default().to_owned();
    let parsed = uuid::Uuid::parse_str(&id).expect("the id is a UUID");
    assert_eq!(parsed.get_version_num(), 4, "a random (v4) UUID");
    body["id"] = Value::Null;
    assert_eq!(
        body,
        json!({
            "specversion": "1.0",
            "type": "com.floe.contract.violation",
            "source": "/floe/contract-monitor",
            "id": null,
            "time": "2026-05-02T10:00:00+00:00",
            "datacontenttype": "application/json",
            "data": {
                "contract_name": "orders",
                "contract_version": "2.1.0",
                "violation_type": "freshness",
                "severity": "error",
                "message": "late by 2h",
                "element": null,
                "expected_value": null,
                "actual_value": null,
                "timestamp": "2026-05-02T10:00:00+00:00",
                "check_duration_seconds": 1.25,
                "metadata": {"team": "data"},
            },
        })
    );
}

#[test]
fn every_event_gets_a_fresh_id() {
    let server = FakeServer::start(|_| Reply::text(200, ""));
    let registry = configured("webhook", json!({"webhook_url": server.url()}));
    let hook = channel(&registry, "webhook");
    assert!(hook.send_alert(&event()) && hook.send_alert(&event()));
    let ids: Vec<Value> = server
        .requests()
        .iter()
        .map(|r| r.json()["id"].clone())
        .collect();
    assert_ne!(ids[0], ids[1]);
}

#[test]
fn client_and_server_errors_are_not_delivered() {
    for status in [400, 410, 500, 502] {
        let server = FakeServer::start(move |_| Reply::text(status, "no"));
        let registry = configured("webhook", json!({"webhook_url": server.url()}));
        assert!(
            !channel(&registry, "webhook").send_alert(&event()),
            "{status}"
        );
    }
}

#[test]
fn a_silent_server_gives_false_at_the_timeout() {
    let server = FakeServer::start(|_| Reply::hang());
    let registry = configured(
        "webhook",
        json!({"webhook_url": server.url(), "timeout_seconds": 0.3}),
    );
    assert!(!channel(&registry, "webhook").send_alert(&event()));
}

#[test]
fn a_refused_connection_gives_false() {
    let registry = configured(
        "webhook",
        json!({"webhook_url": format!("http://{}/x", closed_port())}),
    );
    assert!(!channel(&registry, "webhook").send_alert(&event()));
}

#[test]
fn the_bearer_token_is_sent_and_never_shown() {
    let server = FakeServer::start(|_| Reply::text(503, "busy"));
    let registry = configured(
        "webhook",
        json!({"webhook_url": server.url(), "bearer_token": CANARY}),
    );
    let hook = channel(&registry, "webhook");
    let (delivered, logs) = logs_of(|| hook.send_alert(&event()));
    assert!(!delivered);
    assert_eq!(
        server.requests()[0].header("authorization"),
        Some(format!("Bearer {CANARY}").as_str())
    );
    assert!(!logs.is_empty(), "the failure is logged");
    assert_no_canary("logs", &logs);
    let config = registry
        .config::<WebhookConfig>(PluginType::AlertChannel, "webhook")
        .expect("typed")
        .expect("stored");
    assert_no_canary("config Debug", &format!("{config:?}"));
}
