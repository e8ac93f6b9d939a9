//! Lineage backend plugins: where OpenLineage events go.

use serde_json::{Map, Value};

use super::unsupported;
use crate::{PluginError, PluginMetadata};

/// An OpenLineage backend (Marquez, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = LineageBackend` but does not implement `LineageBackendPlugin`",
    label = "`type = LineageBackend` needs `impl LineageBackendPlugin for {Self}`",
    note = "add `impl LineageBackendPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = LineageBackend` in `#[floe_plugin(...)]` to that kind"
)]
pub trait LineageBackendPlugin: PluginMetadata {
    /// The OpenLineage transport (`{"type": "http", "url": ..., "timeout": ...}`).
    fn get_transport_config(&self) -> Result<Value, PluginError> {
        Err(unsupported(self, "get_transport_config"))
    }

    /// How lineage namespaces are named.
    fn get_namespace_strategy(&self) -> Result<Value, PluginError> {
        Err(unsupported(self, "get_namespace_strategy"))
    }

    /// Helm values.
    fn get_helm_values(&self) -> Value {
        Value::Object(Map::new())
    }

    /// Whether the backend can be reached.
    fn validate_connection(&self) -> Result<bool, PluginError> {
        Err(unsupported(self, "validate_connection"))
    }

    lifecycle_hooks!();
}
