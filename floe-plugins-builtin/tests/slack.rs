//! The `slack` alert channel against a loopback fake of an incoming webhook.
#![cfg(feature = "slack-alerts")]

mod support;

use floe_plugins_builtin::slack::SlackConfig;
use floe_registry::prelude::*;
use serde_json::json;
use support::alerts::*;
use support::canary::{CANARY, assert_no_canary};
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

/// A webhook URL on `server` whose path is the canary (Slack's URL is the credential).
fn secret_url(server: &FakeServer) -> String {
    format!("{}/services/{CANARY}", server.url())
}

#[test]
fn registers_under_its_entry_point_name_with_a_schema() {
    let info = registry()
        .info(PluginType::AlertChannel, "slack")
        .expect("registered");
    assert_eq!(
        (info.name.as_str(), info.version.as_str()),
        ("slack", "1.0.0")
    );
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::AlertChannel, "slack");
}

#[test]
fn an_unconfigured_channel_reports_the_missing_url() {
    let registry = registry();
    let slack = channel(&registry, "slack");
    assert_eq!(slack.validate_config(), ["webhook_url is required"]);
    assert!(!slack.send_alert(&event()));
}

#[test]
fn an_empty_url_is_reported_by_validate_config() {
    let registry = configured("slack", json!({"webhook_url": ""}));
    assert_eq!(
        channel(&registry, "slack").validate_config(),
        ["webhook_url is required"]
    );
}

#[test]
fn posts_the_four_blocks_to_the_webhook_url() {
    let server = FakeServer::start(|_| Reply::text(200, "ok"));
    let registry = configured("slack", json!({"webhook_url": secret_url(&server)}));
    let mut critical = event();
    critical.severity = floe_registry::alert::ViolationSeverity::Critical;
    assert!(channel(&registry, "slack").send_alert(&critical));
    let r = &server.requests()[0];
    assert_eq!(r.method, "POST");
    assert_eq!(r.path, format!("/services/{CANARY}"));
    assert_eq!(r.header("content-type"), Some("application/json"));
    assert_eq!(
        r.json(),
        json!({"blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": ":rotating_light: Contract Violation: CRITICAL"}},
            {"type": "section", "fields": [
                {"type": "mrkdwn", "text": "*Contract:*\norders"},
                {"type": "mrkdwn", "text": "*Type:*\nfreshness"},
                {"type": "mrkdwn", "text": "*Severity:*\ncritical"},
                {"type": "mrkdwn", "text": "*Version:*\n2.1.0"},
            ]},
            {"type": "section", "text": {"type": "mrkdwn", "text": "*Message:*\nlate by 2h"}},
            {"type": "context", "elements": [
                {"type": "mrkdwn", "text": "Detected at: 2026-05-02T10:00:00+00:00"},
            ]},
        ]})
    );
}

#[test]
fn each_severity_has_its_emoji() {
    use floe_registry::alert::ViolationSeverity::*;
    for (severity, emoji) in [
        (Info, ":information_source:"),
        (Warning, ":warning:"),
        (Error, ":x:"),
        (Critical, ":rotating_light:"),
    ] {
        let mut e = event();
        e.severity = severity;
        let body = floe_plugins_builtin::slack::slack_body(&e);
        let header = body["blocks"][0]["text"]["text"]
            .as_str()
            .unwrap_or_default();
        assert!(header.starts_with(emoji), "{severity:?}: {header}");
    }
}

#[test]
fn client_and_server_errors_are_not_delivered() {
    for status in [400, 403, 500] {
        let server = FakeServer::start(move |_| Reply::text(status, "invalid_payload"));
        let registry = configured("slack", json!({"webhook_url": server.url()}));
        assert!(
            !channel(&registry, "slack").send_alert(&event()),
            "{status}"
        );
    }
}

#[test]
fn a_silent_server_gives_false_at_the_timeout() {
    let server = FakeServer::start(|_| Reply::hang());
    let registry = configured(
        "slack",
        json!({"webhook_url": server.url(), "timeout_seconds": 0.3}),
    );
    assert!(!channel(&registry, "slack").send_alert(&event()));
}

#[test]
fn a_refused_connection_gives_false() {
    let registry = configured(
        "slack",
        json!({"webhook_url": format!("http://{}/services/x", closed_port())}),
    );
    assert!(!channel(&registry, "slack").send_alert(&event()));
}

#[test]
fn the_webhook_url_is_a_secret_never_shown() {
    let failing = FakeServer::start(|_| Reply::text(404, "no_service"));
    let hanging = FakeServer::start(|_| Reply::hang());
    let refused = format!("http://{}/services/{CANARY}", closed_port());
    for (url, timeout) in [
        (secret_url(&failing), 5.0),
        (secret_url(&hanging), 0.3),
        (refused, 5.0),
    ] {
        let registry = configured(
            "slack",
            json!({"webhook_url": url, "timeout_seconds": timeout}),
        );
        let slack = channel(&registry, "slack");
        let (delivered, logs) = logs_of(|| slack.send_alert(&event()));
        assert!(!delivered);
        assert!(!logs.is_empty(), "the failure is logged");
        assert_no_canary("logs", &logs);
        assert_no_canary("validate_config", &format!("{:?}", slack.validate_config()));
        let config = registry
            .config::<SlackConfig>(PluginType::AlertChannel, "slack")
            .expect("typed")
            .expect("stored");
        assert_no_canary("config Debug", &format!("{config:?}"));
    }
    let err = registry()
        .configure(
            PluginType::AlertChannel,
            "slack",
            json!({"webhook_url": CANARY, "extra": 1}),
        )
        .expect_err("unknown field");
    assert_no_canary("configure error", &format!("{err} {err:?}"));
}
