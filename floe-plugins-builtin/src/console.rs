//! `console` (telemetry backend): telemetry printed by the OpenTelemetry console
//! exporter, for local development. Nothing to deploy, nothing to reach.

use floe_registry::prelude::*;
use serde_json::{Value, json};

/// Console telemetry backend for local development and debugging.
///
/// Takes no configuration. Its exporter config is `{"exporter_type": "console"}`, it
/// needs no Helm chart, and there is no connection to validate.
#[floe_plugin(
    type = TelemetryBackend,
    name = "console",
    version = "0.1.0",
    description = "Console telemetry backend for local development and debugging"
)]
#[derive(Debug, Default)]
pub struct ConsolePlugin;

impl TelemetryBackendPlugin for ConsolePlugin {
    /// `{"exporter_type": "console"}`.
    fn get_otlp_exporter_config(&self) -> Result<Value, PluginError> {
        Ok(json!({ "exporter_type": "console" }))
    }

    /// `{}`: the console exporter runs inside each process.
    fn get_helm_values(&self) -> Value {
        json!({})
    }

    /// Always `true`: standard output needs no connection.
    fn validate_connection(&self) -> Result<bool, PluginError> {
        Ok(true)
    }

    /// Healthy: the console exporter has nothing that can fail.
    fn health_check(&self) -> HealthStatus {
        HealthStatus::new(HealthState::Healthy, "console exporter writes to stdout")
    }
}
