//! Telemetry backend plugins: where OTLP telemetry goes.

use serde_json::{Map, Value};

use super::unsupported;
use crate::{PluginError, PluginMetadata};

/// A telemetry backend (Jaeger, console, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = TelemetryBackend` but does not implement `TelemetryBackendPlugin`",
    label = "`type = TelemetryBackend` needs `impl TelemetryBackendPlugin for {Self}`",
    note = "add `impl TelemetryBackendPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = TelemetryBackend` in `#[floe_plugin(...)]` to that kind"
)]
pub trait TelemetryBackendPlugin: PluginMetadata {
    /// The OTLP collector config (`exporters`, `service.pipelines`).
    fn get_otlp_exporter_config(&self) -> Result<Value, PluginError> {
        Err(unsupported(self, "get_otlp_exporter_config"))
    }

    /// Helm values (`{}` for SaaS backends).
    fn get_helm_values(&self) -> Value {
        Value::Object(Map::new())
    }

    /// Whether the backend can be reached.
    fn validate_connection(&self) -> Result<bool, PluginError> {
        Err(unsupported(self, "validate_connection"))
    }

    lifecycle_hooks!();
}
