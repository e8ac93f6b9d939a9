//! Alert channel `slack`: contract violations go to a Slack incoming webhook as Block
//! Kit blocks (a header, the contract facts, the message and the detection time).
//!
//! Better than floe: floe's channel has no config schema, so one loaded through the
//! registry runs with an empty webhook URL and never delivers. This one has a schema
//! with `webhook_url` required. The URL is a secret (a Slack webhook URL is its own
//! credential): it is never printed, logged or put into an error.
//!
//! ```
//! use floe_plugins_builtin::slack::slack_body;
//! use floe_registry::alert::*;
//!
//! let event = ContractViolationEvent::new("orders", "2.1.0", ViolationType::Quality,
//!     ViolationSeverity::Critical, "3 rows failed", "2026-05-02T10:00:00Z");
//! let body = slack_body(&event);
//! assert_eq!(body["blocks"][0]["text"]["text"], ":rotating_light: Contract Violation: CRITICAL");
//! ```

use std::time::Duration;

use floe_registry::alert::{ContractViolationEvent, ViolationSeverity};
use floe_registry::prelude::*;
use serde_json::{Value, json};

use crate::http::HttpClient;
use crate::support::alert::{delivered, python_isoformat, severity_name};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.alert.slack";

/// What logs name as the destination, since the URL itself is a secret.
const DESTINATION: &str = "slack incoming webhook";

/// Slack: posts each contract violation to an incoming webhook.
#[floe_plugin(
    type = AlertChannel,
    name = "slack",
    version = "1.0.0",
    description = "",
    config = SlackConfig
)]
#[derive(Default)]
pub struct SlackPlugin {
    #[config]
    config: ConfigCell<SlackConfig>,
}

/// The settings of the Slack channel. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct SlackConfig {
    /// The incoming webhook URL, `https://hooks.slack.com/services/...`. A secret.
    pub webhook_url: Secret,
    /// Seconds one delivery may take, connecting included (10).
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.001, max = 300.0))]
    pub timeout_seconds: f64,
}

fn default_timeout() -> f64 {
    10.0
}

fn emoji(severity: ViolationSeverity) -> &'static str {
    match severity {
        ViolationSeverity::Info => ":information_source:",
        ViolationSeverity::Warning => ":warning:",
        ViolationSeverity::Error => ":x:",
        ViolationSeverity::Critical => ":rotating_light:",
    }
}

/// The webhook body for `event`: `{"blocks": [...]}` as floe sends it (no top-level
/// `text`).
pub fn slack_body(event: &ContractViolationEvent) -> Value {
    let severity = severity_name(event.severity);
    json!({
        "blocks": [
            {
                "type": "header",
                "text": {
                    "type": "plain_text",
                    "text": format!(
                        "{} Contract Violation: {}",
                        emoji(event.severity),
                        severity.to_uppercase()
                    ),
                },
            },
            {
                "type": "section",
                "fields": [
                    {"type": "mrkdwn", "text": format!("*Contract:*\n{}", event.contract_name)},
                    {"type": "mrkdwn", "text": format!("*Type:*\n{}", event.violation_type.as_str())},
                    {"type": "mrkdwn", "text": format!("*Severity:*\n{severity}")},
                    {"type": "mrkdwn", "text": format!("*Version:*\n{}", event.contract_version)},
                ],
            },
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": format!("*Message:*\n{}", event.message)},
            },
            {
                "type": "context",
                "elements": [
                    {"type": "mrkdwn", "text": format!("Detected at: {}", python_isoformat(&event.timestamp))},
                ],
            },
        ]
    })
}

fn url_problem(url: &Secret) -> Option<&'static str> {
    let url = url.expose();
    if url.is_empty() {
        Some("webhook_url is required")
    } else if !(url.starts_with("https://") || url.starts_with("http://")) {
        Some("webhook_url must start with https:// (or http://)")
    } else {
        None
    }
}

impl AlertChannelPlugin for SlackPlugin {
    /// Posts the blocks; true when Slack answered with a status below 400. A 4xx or
    /// 5xx answer, no answer within `timeout_seconds`, a refused connection or an
    /// unconfigured channel give false (logged, never with the URL).
    fn send_alert(&self, event: &ContractViolationEvent) -> bool {
        let Ok(config) = self.config.get() else {
            tracing::warn!(
                alert.channel = "slack",
                "slack is not configured: set webhook_url"
            );
            return false;
        };
        if let Some(problem) = url_problem(&config.webhook_url) {
            tracing::warn!(alert.channel = "slack", "{problem}");
            return false;
        }
        let client = HttpClient::with_timeout(Duration::from_secs_f64(config.timeout_seconds));
        let result = client
            .post_json(
                config.webhook_url.expose(),
                &[("Content-Type", "application/json")],
                &slack_body(event),
            )
            .map_err(hide_url);
        delivered("slack", DESTINATION, result)
    }

    /// `["webhook_url is required"]` when not configured or empty, or a note that the
    /// URL is not HTTP(S); empty otherwise.
    fn validate_config(&self) -> Vec<String> {
        match self.config.get() {
            Ok(config) => url_problem(&config.webhook_url)
                .map(|p| vec![p.to_owned()])
                .unwrap_or_default(),
            Err(_) => vec!["webhook_url is required".to_owned()],
        }
    }
}

/// The client's error with the secret URL replaced by the destination's name.
pub(crate) fn hide_url(e: crate::http::HttpError) -> crate::http::HttpError {
    use crate::http::HttpError;
    match e {
        HttpError::Timeout { after, .. } => HttpError::Timeout {
            url: DESTINATION.to_owned(),
            after,
        },
        HttpError::Unreachable { .. } => HttpError::Unreachable {
            url: DESTINATION.to_owned(),
            reason: "connection failed".to_owned(),
        },
        other => other,
    }
}
