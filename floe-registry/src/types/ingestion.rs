//! Ingestion plugins: loading data from sources.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{SinkConnector, unsupported};
use crate::{PluginError, PluginMetadata};

/// How loaded rows meet existing ones.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum WriteMode {
    /// Add rows.
    #[default]
    Append,
    /// Replace the table.
    Replace,
    /// Upsert by primary key.
    Merge,
}

/// How schema changes are handled.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SchemaContract {
    /// Accept new columns.
    #[default]
    Evolve,
    /// Refuse changes.
    Freeze,
    /// Drop values that do not fit.
    DiscardValue,
}

/// What to ingest and where.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestionConfig {
    /// The source kind.
    pub source_type: String,
    /// Source settings.
    #[serde(default)]
    pub source_config: Map<String, Value>,
    /// `namespace.table` to load into.
    #[serde(default)]
    pub destination_table: String,
    /// How rows are written.
    #[serde(default)]
    pub write_mode: WriteMode,
    /// How schema changes are handled.
    #[serde(default)]
    pub schema_contract: SchemaContract,
}

/// A pipeline created by an ingestion plugin, ready to run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IngestionPipeline {
    /// The pipeline's name.
    pub pipeline_name: String,
    /// The dataset (namespace) it loads into.
    pub dataset_name: String,
    /// The table it loads into.
    pub table_name: String,
    /// The config it was created from.
    pub config: IngestionConfig,
}

/// The outcome of running a pipeline.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct IngestionResult {
    /// Whether the load succeeded.
    pub success: bool,
    /// Rows loaded.
    pub rows_loaded: u64,
    /// Bytes written.
    pub bytes_written: u64,
    /// Wall time in seconds.
    pub duration_seconds: f64,
    /// What went wrong (never containing credentials).
    #[serde(default)]
    pub errors: Vec<String>,
}

/// An ingestion engine (dlt, Airbyte, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Ingestion` but does not implement `IngestionPlugin`",
    label = "`type = Ingestion` needs `impl IngestionPlugin for {Self}`",
    note = "add `impl IngestionPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Ingestion` in `#[floe_plugin(...)]` to that kind"
)]
pub trait IngestionPlugin: PluginMetadata {
    /// Whether the engine runs outside floe.
    fn is_external(&self) -> bool {
        false
    }

    /// Creates a pipeline.
    fn create_pipeline(&self, config: &IngestionConfig) -> Result<IngestionPipeline, PluginError> {
        let _ = config;
        Err(unsupported(self, "create_pipeline"))
    }

    /// Runs a pipeline. Load failures are reported in the result, not as an error.
    fn run(&self, pipeline: &IngestionPipeline) -> IngestionResult {
        let _ = pipeline;
        IngestionResult {
            errors: vec![unsupported(self, "run").to_string()],
            ..IngestionResult::default()
        }
    }

    /// The destination settings for an Iceberg catalog config.
    fn get_destination_config(
        &self,
        catalog_config: &Map<String, Value>,
    ) -> Result<Value, PluginError> {
        let _ = catalog_config;
        Err(unsupported(self, "get_destination_config"))
    }

    /// The plugin as a sink connector, when it can also write data out (floe's
    /// `isinstance(plugin, SinkConnector)`). Default: it cannot.
    fn as_sink_connector(&self) -> Option<&dyn SinkConnector> {
        None
    }

    lifecycle_hooks!();
}
