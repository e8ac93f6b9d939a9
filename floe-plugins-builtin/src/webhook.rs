//! Alert channel `webhook`: contract violations go to any HTTP endpoint as CloudEvents
//! 1.0 in structured mode (`Content-Type: application/cloudevents+json`, the event
//! attributes and its `data` in one JSON body).
//!
//! Better than floe: floe's channel has no config schema, so one loaded through the
//! registry runs with an empty URL and never delivers. This one has a schema with
//! `webhook_url` required, and can send a bearer token (a secret, never printed).
//!
//! ```
//! use floe_plugins_builtin::webhook::cloud_event;
//! use floe_registry::alert::*;
//!
//! let event = ContractViolationEvent::new("orders", "2.1.0", ViolationType::SchemaDrift,
//!     ViolationSeverity::Warning, "column dropped", "2026-05-02T10:00:00Z");
//! let body = cloud_event(&event, "3f0c2a4e-8d8b-4c1e-9f57-0d2a6f1b9e11");
//! assert_eq!(body["specversion"], "1.0");
//! assert_eq!(body["type"], "com.floe.contract.violation");
//! assert_eq!(body["data"]["element"], serde_json::Value::Null);
//! ```

use std::time::Duration;

use floe_registry::alert::ContractViolationEvent;
use floe_registry::prelude::*;
use serde_json::{Value, json};

use crate::http::{Body, HttpClient, redact_url};
use crate::support::alert::{delivered, python_isoformat, severity_name};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.alert.webhook";

/// The CloudEvents `type` of every event.
pub const EVENT_TYPE: &str = "com.floe.contract.violation";

/// The CloudEvents `source` of every event.
pub const EVENT_SOURCE: &str = "/floe/contract-monitor";

/// Webhook: posts each contract violation as a structured-mode CloudEvent.
#[floe_plugin(
    type = AlertChannel,
    name = "webhook",
    version = "1.0.0",
    description = "",
    config = WebhookConfig
)]
#[derive(Default)]
pub struct WebhookPlugin {
    #[config]
    config: ConfigCell<WebhookConfig>,
}

/// The settings of the webhook channel. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct WebhookConfig {
    /// The endpoint, `https://...` or `http://...`; events are POSTed to it as is.
    #[schemars(regex(pattern = r"^https?://[^/]"))]
    pub webhook_url: String,
    /// Seconds one delivery may take, connecting included (10).
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.001, max = 300.0))]
    pub timeout_seconds: f64,
    /// A bearer token sent as `Authorization: Bearer <token>`.
    #[serde(default)]
    pub bearer_token: Option<Secret>,
}

fn default_timeout() -> f64 {
    10.0
}

/// The structured-mode CloudEvent for `event` with the given `id`: the envelope
/// (`specversion`, `type`, `source`, `id`, `time`, `datacontenttype`) and `data`
/// with the violation's fields, nulls kept.
pub fn cloud_event(event: &ContractViolationEvent, id: &str) -> Value {
    let timestamp = python_isoformat(&event.timestamp);
    json!({
        "specversion": "1.0",
        "type": EVENT_TYPE,
        "source": EVENT_SOURCE,
        "id": id,
        "time": timestamp,
        "datacontenttype": "application/json",
        "data": {
            "contract_name": event.contract_name,
            "contract_version": event.contract_version,
            "violation_type": event.violation_type.as_str(),
            "severity": severity_name(event.severity),
            "message": event.message,
            "element": event.element,
            "expected_value": event.expected_value,
            "actual_value": event.actual_value,
            "timestamp": timestamp,
            "check_duration_seconds": event.check_duration_seconds,
            "metadata": event.metadata,
        },
    })
}

impl AlertChannelPlugin for WebhookPlugin {
    /// Posts the CloudEvent with a fresh UUID v4 id; true when the endpoint answered
    /// with a status below 400. A 4xx or 5xx answer, no answer within
    /// `timeout_seconds`, a refused connection or an unconfigured channel give false
    /// (logged, without the token).
    fn send_alert(&self, event: &ContractViolationEvent) -> bool {
        let Ok(config) = self.config.get() else {
            tracing::warn!(
                alert.channel = "webhook",
                "webhook is not configured: set webhook_url"
            );
            return false;
        };
        let body = cloud_event(event, &uuid::Uuid::new_v4().to_string());
        let bearer = config
            .bearer_token
            .as_ref()
            .map(|t| format!("Bearer {}", t.expose()));
        let mut headers = vec![("Content-Type", "application/cloudevents+json")];
        if let Some(b) = bearer.as_deref() {
            headers.push(("Authorization", b));
        }
        let client = HttpClient::with_timeout(Duration::from_secs_f64(config.timeout_seconds));
        let result = client.request("POST", &config.webhook_url, &headers, Body::Json(&body));
        delivered("webhook", &redact_url(&config.webhook_url), result)
    }

    /// `["webhook_url is required"]` when the channel is not configured; empty
    /// otherwise.
    fn validate_config(&self) -> Vec<String> {
        match self.config.get() {
            Ok(config) if !config.webhook_url.is_empty() => Vec::new(),
            _ => vec!["webhook_url is required".to_owned()],
        }
    }
}
