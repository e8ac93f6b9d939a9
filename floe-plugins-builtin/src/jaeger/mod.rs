//! `jaeger` (telemetry backend): OTLP export to a Jaeger collector, the Helm values of
//! an in-cluster Jaeger, and a TCP reachability check of the collector.
//!
//! Its config is checked against this plugin's own schema, which this floe keeps
//! although floe-telemetry-jaeger 0.1.0a1 validates nothing: its
//! `get_config_schema()` is `None`, so published floe passes any config through. A
//! field this schema refuses (unknown, mistyped, out of range) may pass published
//! floe's `platform compile` and fail here. Lax values (`"4"` for an integer) are read
//! as published floe's validated configs read them.

mod config;
mod endpoint;

use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use floe_registry::prelude::*;
use serde_json::{Value, json};

use crate::support::environment::Environment;

pub use config::{DEFAULT_ENDPOINT, JaegerConfig, OtlpProtocol};
pub use endpoint::{CollectorAddress, parse_endpoint};

/// The longest a health check waits for the collector, under the registry's 5 s budget.
const HEALTH_CONNECT_BUDGET: Duration = Duration::from_secs(4);

/// Jaeger telemetry backend for production distributed tracing.
///
/// Works unconfigured (environment variables, then `jaeger-collector:4317`); a config
/// ([`JaegerConfig`]) overrides the endpoint, TLS, protocol and connect timeout.
#[floe_plugin(
    type = TelemetryBackend,
    name = "jaeger",
    version = "0.1.0",
    description = "Jaeger telemetry backend for production distributed tracing",
    config = JaegerConfig
)]
#[derive(Debug, Default)]
pub struct JaegerPlugin {
    #[config]
    config: ConfigCell<JaegerConfig>,
    /// Where the `OTEL_*` variables are read: the process environment unless a test
    /// gave a set.
    environment: Environment,
}

impl JaegerPlugin {
    /// A plugin that reads exactly `variables` instead of the process environment,
    /// configured with `config` (or unconfigured): tests give their variables this way
    /// instead of changing the process environment.
    pub fn with_variables(config: Option<JaegerConfig>, variables: &[(&str, &str)]) -> Self {
        JaegerPlugin {
            config: config.map(ConfigCell::with_value).unwrap_or_default(),
            environment: Environment::fixed(variables),
        }
    }

    fn settings(&self) -> JaegerConfig {
        self.config.get().map(|c| (*c).clone()).unwrap_or_default()
    }

    /// The endpoint in use: the config's, else `$OTEL_EXPORTER_OTLP_ENDPOINT`, else
    /// [`DEFAULT_ENDPOINT`]. Returned as written (a scheme is kept).
    pub fn endpoint(&self) -> String {
        self.settings()
            .endpoint
            .or_else(|| self.environment.var("OTEL_EXPORTER_OTLP_ENDPOINT"))
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
    }

    /// Whether the exporter sends without TLS: the config's value, else whether
    /// `$OTEL_EXPORTER_OTLP_INSECURE` is `true` (case-insensitive; unset counts as
    /// `true`).
    pub fn insecure(&self) -> bool {
        self.settings().insecure.unwrap_or_else(|| {
            self.environment
                .var("OTEL_EXPORTER_OTLP_INSECURE")
                .is_none_or(|v| v.eq_ignore_ascii_case("true"))
        })
    }

    /// Connects to the collector over TCP within `timeout`, trying every address the
    /// host resolves to. The error says which endpoint and why.
    pub fn probe_collector(&self, timeout: Duration) -> Result<CollectorAddress, PluginError> {
        let settings = self.settings();
        let endpoint = self.endpoint();
        let address = parse_endpoint(&endpoint, settings.protocol.default_port())
            .map_err(PluginError::failed)?;
        let resolved = (address.host.as_str(), address.port)
            .to_socket_addrs()
            .map_err(|e| {
                PluginError::failed(format!(
                    "cannot resolve Jaeger collector host '{}': {e}",
                    address.host
                ))
            })?;
        let mut last_error = None;
        for socket in resolved {
            match TcpStream::connect_timeout(&socket, timeout) {
                Ok(_) => return Ok(address),
                Err(e) => last_error = Some(e),
            }
        }
        let reason = last_error
            .map(|e| e.to_string())
            .unwrap_or_else(|| "the host resolved to no address".to_owned());
        Err(PluginError::failed(format!(
            "cannot connect to Jaeger collector at {address}: {reason}"
        )))
    }

    fn connect_timeout(&self) -> Duration {
        Duration::try_from_secs_f64(self.settings().connect_timeout_seconds)
            .unwrap_or(Duration::from_secs(5))
    }
}

impl TelemetryBackendPlugin for JaegerPlugin {
    /// `{"exporter_type": "otlp", "endpoint": ..., "insecure": ..., "protocol": "grpc"}`.
    fn get_otlp_exporter_config(&self) -> Result<Value, PluginError> {
        Ok(json!({
            "exporter_type": "otlp",
            "endpoint": self.endpoint(),
            "insecure": self.insecure(),
            "protocol": self.settings().protocol.as_str(),
        }))
    }

    /// Resources of the collector and query services, in-memory storage.
    fn get_helm_values(&self) -> Value {
        json!({
            "collector": {"resources": {
                "limits": {"cpu": "500m", "memory": "512Mi"},
                "requests": {"cpu": "100m", "memory": "128Mi"},
            }},
            "query": {"resources": {
                "limits": {"cpu": "250m", "memory": "256Mi"},
                "requests": {"cpu": "50m", "memory": "64Mi"},
            }},
            "storage": {"type": "memory"},
        })
    }

    /// `Ok(true)` when a TCP connection to the collector opens within the connect
    /// timeout, `Ok(false)` when it does not (the reason is logged), an error when the
    /// endpoint cannot be parsed.
    fn validate_connection(&self) -> Result<bool, PluginError> {
        let endpoint = self.endpoint();
        parse_endpoint(&endpoint, self.settings().protocol.default_port())
            .map_err(PluginError::failed)?;
        match self.probe_collector(self.connect_timeout()) {
            Ok(_) => Ok(true),
            Err(e) => {
                tracing::warn!(plugin = "jaeger", error = %e, "jaeger_collector_unreachable");
                Ok(false)
            }
        }
    }

    /// Healthy when the collector accepts a TCP connection; unhealthy with the reason
    /// otherwise.
    fn health_check(&self) -> HealthStatus {
        let timeout = self.connect_timeout().min(HEALTH_CONNECT_BUDGET);
        match self.probe_collector(timeout) {
            Ok(address) => HealthStatus::new(
                HealthState::Healthy,
                format!("Jaeger collector reachable at {address}"),
            )
            .with_detail("collector", address.to_string()),
            Err(e) => HealthStatus::unhealthy(crate::error::chain(&e)),
        }
    }
}
