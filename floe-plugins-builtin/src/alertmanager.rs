//! Alert channel `alertmanager`: contract violations go to Prometheus Alertmanager's
//! v2 API (`POST <api_url>/api/v2/alerts`, a JSON array with one alert).
//!
//! Better than floe: floe's channel has no config schema, so one loaded through the
//! registry runs with an empty URL and never delivers. This one has a schema with
//! `api_url` required, so a registry-loaded channel is configured or refused with a
//! field error. It can also send a bearer token (a secret, never printed).
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(
//!     PluginType::AlertChannel,
//!     "alertmanager",
//!     serde_json::json!({"api_url": "http://alertmanager:9093/"}),
//! )?;
//! let channel = registry.get_as::<dyn AlertChannelPlugin>("alertmanager")?;
//! assert!(channel.validate_config().is_empty());
//! # Ok::<(), PluginError>(())
//! ```

use std::time::Duration;

use floe_registry::alert::ContractViolationEvent;
use floe_registry::prelude::*;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use crate::http::{HttpClient, redact_url};
use crate::support::alert::{delivered, python_isoformat, severity_name};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.alert.alertmanager";

/// Alertmanager: posts each contract violation as one alert to the v2 alerts API.
#[floe_plugin(
    type = AlertChannel,
    name = "alertmanager",
    version = "1.0.0",
    description = "",
    config = AlertmanagerConfig
)]
#[derive(Default)]
pub struct AlertmanagerPlugin {
    #[config]
    config: ConfigCell<AlertmanagerConfig>,
}

/// The settings of the Alertmanager channel. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct AlertmanagerConfig {
    /// The Alertmanager base URL, e.g. `http://alertmanager:9093` (trailing `/`
    /// removed); alerts go to `<api_url>/api/v2/alerts`.
    #[serde(deserialize_with = "without_trailing_slashes")]
    #[schemars(regex(pattern = r"^https?://[^/]"))]
    pub api_url: String,
    /// Seconds one delivery may take, connecting included (10).
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.001, max = 300.0))]
    pub timeout_seconds: f64,
    /// A bearer token sent as `Authorization: Bearer <token>`, for an Alertmanager
    /// behind an authenticating proxy.
    #[serde(default)]
    pub bearer_token: Option<Secret>,
}

fn default_timeout() -> f64 {
    10.0
}

fn without_trailing_slashes<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let url = String::deserialize(d)?;
    Ok(url.trim_end_matches('/').to_owned())
}

/// The request body for `event`: a JSON array with one alert, as floe sends it.
///
/// ```
/// use floe_plugins_builtin::alertmanager::alerts_body;
/// use floe_registry::alert::*;
///
/// let event = ContractViolationEvent::new("orders", "2.1.0", ViolationType::Freshness,
///     ViolationSeverity::Error, "late by 2h", "2026-05-02T10:00:00Z");
/// let body = alerts_body(&event);
/// assert_eq!(body[0]["labels"]["alertname"], "ContractViolation");
/// assert_eq!(body[0]["startsAt"], "2026-05-02T10:00:00+00:00");
/// ```
pub fn alerts_body(event: &ContractViolationEvent) -> Value {
    let severity = severity_name(event.severity);
    let violation_type = event.violation_type.as_str();
    json!([{
        "labels": {
            "alertname": "ContractViolation",
            "severity": severity,
            "contract": event.contract_name,
            "contract_version": event.contract_version,
            "violation_type": violation_type,
        },
        "annotations": {
            "summary": event.message,
            "description": format!(
                "Contract {} v{} has a {violation_type} violation (severity: {severity})",
                event.contract_name, event.contract_version
            ),
        },
        "startsAt": python_isoformat(&event.timestamp),
    }])
}

impl AlertChannelPlugin for AlertmanagerPlugin {
    /// Posts the alert; true when Alertmanager answered with a status below 400.
    /// A 4xx or 5xx answer, no answer within `timeout_seconds`, a refused connection
    /// or an unconfigured channel give false (logged, without the token).
    fn send_alert(&self, event: &ContractViolationEvent) -> bool {
        let Ok(config) = self.config.get() else {
            tracing::warn!(
                alert.channel = "alertmanager",
                "alertmanager is not configured: set api_url"
            );
            return false;
        };
        let url = format!("{}/api/v2/alerts", config.api_url);
        let bearer = config
            .bearer_token
            .as_ref()
            .map(|t| format!("Bearer {}", t.expose()));
        let mut headers = vec![("Content-Type", "application/json")];
        if let Some(b) = bearer.as_deref() {
            headers.push(("Authorization", b));
        }
        let client = HttpClient::with_timeout(Duration::from_secs_f64(config.timeout_seconds));
        let result = client.post_json(&url, &headers, &alerts_body(event));
        delivered("alertmanager", &redact_url(&url), result)
    }

    /// `["api_url is required"]` when the channel is not configured; empty otherwise
    /// (the schema already refused an empty or malformed URL).
    fn validate_config(&self) -> Vec<String> {
        match self.config.get() {
            Ok(config) if !config.api_url.is_empty() => Vec::new(),
            _ => vec!["api_url is required".to_owned()],
        }
    }
}
