//! The sink capability: plugins that can also write data out.

use std::any::Any;

use serde_json::{Map, Value};

use crate::PluginError;
use crate::sink::{EgressResult, SinkConfig};

/// A capability, not a plugin type: a plugin that can write data to external
/// systems implements it and answers `Some(self)` from
/// [`IngestionPlugin::as_sink_connector`](crate::IngestionPlugin::as_sink_connector)
/// (floe detects it with `isinstance`). Every method is the connector's own work;
/// there are no defaults.
///
/// ```
/// use std::any::Any;
/// use floe_registry::prelude::*;
/// use floe_registry::sink::{EgressResult, SinkConfig};
///
/// struct Rest;
/// impl SinkConnector for Rest {
///     fn list_available_sinks(&self) -> Vec<String> { vec!["rest_api".into()] }
///     fn create_sink(&self, config: &SinkConfig) -> Result<Box<dyn Any + Send + Sync>, PluginError> {
///         Ok(Box::new(config.sink_type().to_owned()))
///     }
///     fn write(&self, _sink: &(dyn Any + Send + Sync), _data: &serde_json::Value,
///              _options: &serde_json::Map<String, serde_json::Value>) -> Result<EgressResult, PluginError> {
///         Ok(EgressResult { success: true, ..EgressResult::default() })
///     }
///     fn get_source_config(&self, catalog_config: &serde_json::Map<String, serde_json::Value>)
///         -> Result<serde_json::Value, PluginError> {
///         Ok(serde_json::Value::Object(catalog_config.clone()))
///     }
/// }
/// assert_eq!(Rest.list_available_sinks(), ["rest_api"]);
/// ```
pub trait SinkConnector: Send + Sync {
    /// The sink types it can create.
    fn list_available_sinks(&self) -> Vec<String>;

    /// A sink for a valid config.
    fn create_sink(&self, config: &SinkConfig) -> Result<Box<dyn Any + Send + Sync>, PluginError>;

    /// Writes rows (a JSON array of objects; an Arrow table in floe) to a sink.
    fn write(
        &self,
        sink: &(dyn Any + Send + Sync),
        data: &Value,
        options: &Map<String, Value>,
    ) -> Result<EgressResult, PluginError>;

    /// The source settings to read from the Iceberg catalog.
    fn get_source_config(&self, catalog_config: &Map<String, Value>) -> Result<Value, PluginError>;
}
