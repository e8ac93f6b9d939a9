//! Orchestrator plugins: job scheduling and execution.

use std::path::Path;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ResourceSpec, ValidationResult, unsupported};
use crate::{PluginError, PluginMetadata};

/// One dbt transform, as the orchestrator turns it into an asset.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TransformConfig {
    /// Model name.
    pub name: String,
    /// Path of the model file.
    pub path: String,
    /// Target schema.
    pub schema_name: String,
    /// dbt materialization.
    #[serde(default = "default_materialization")]
    pub materialization: String,
    /// Tags.
    #[serde(default)]
    pub tags: Vec<String>,
    /// Upstream model names.
    #[serde(default)]
    pub depends_on: Vec<String>,
    /// Free-form metadata.
    #[serde(default)]
    pub meta: Map<String, Value>,
}

fn default_materialization() -> String {
    "table".to_owned()
}

/// The kind of an OpenLineage run event.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum LineageEventType {
    /// A run started.
    Start,
    /// A run completed.
    Complete,
    /// A run failed.
    Fail,
}

/// A dataset read or written by a job.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Dataset {
    /// Its namespace.
    pub namespace: String,
    /// Its name.
    pub name: String,
    /// OpenLineage facets.
    #[serde(default)]
    pub facets: Map<String, Value>,
}

/// An orchestrator (Dagster, Airflow, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Orchestrator` but does not implement `OrchestratorPlugin`",
    label = "`type = Orchestrator` needs `impl OrchestratorPlugin for {Self}`",
    note = "add `impl OrchestratorPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Orchestrator` in `#[floe_plugin(...)]` to that kind"
)]
pub trait OrchestratorPlugin: PluginMetadata {
    /// Builds the orchestrator's definitions from compiled artifacts.
    fn create_definitions(&self, artifacts: &Value) -> Result<Value, PluginError> {
        let _ = artifacts;
        Err(unsupported(self, "create_definitions"))
    }

    /// Builds assets from dbt transforms.
    fn create_assets_from_transforms(
        &self,
        transforms: &[TransformConfig],
    ) -> Result<Value, PluginError> {
        let _ = transforms;
        Err(unsupported(self, "create_assets_from_transforms"))
    }

    /// Helm values for deploying the orchestrator.
    fn get_helm_values(&self) -> Value {
        Value::Object(Map::new())
    }

    /// Checks that the orchestrator can be reached.
    fn validate_connection(&self) -> ValidationResult {
        ValidationResult {
            success: false,
            message: format!("{} does not support validate_connection()", self.name()),
            ..ValidationResult::default()
        }
    }

    /// Resource requests and limits for a workload size.
    fn get_resource_requirements(&self, size: &str) -> Result<ResourceSpec, PluginError> {
        let _ = size;
        Err(unsupported(self, "get_resource_requirements"))
    }

    /// Emits an OpenLineage event for a job run.
    fn emit_lineage_event(
        &self,
        event_type: LineageEventType,
        job: &str,
        inputs: &[Dataset],
        outputs: &[Dataset],
    ) -> Result<(), PluginError> {
        let _ = (event_type, job, inputs, outputs);
        Err(unsupported(self, "emit_lineage_event"))
    }

    /// Schedules a job with a cron expression in an IANA time zone; returns the
    /// schedule as the orchestrator records it.
    fn schedule_job(
        &self,
        job_name: &str,
        cron: &str,
        timezone: &str,
    ) -> Result<Value, PluginError> {
        let _ = (job_name, cron, timezone);
        Err(unsupported(self, "schedule_job"))
    }

    /// The definition of a sensor that triggers runs, if the orchestrator has one.
    /// Default: none.
    fn sensor_definition(&self) -> Option<Value> {
        None
    }

    /// The source of the entry point module for a data product, written under
    /// `output_dir` by the caller. floe made this abstract after the fact; here it
    /// defaults to a "does not support" error rather than being required, so existing
    /// orchestrators keep compiling and a caller learns which plugin lacks it (empty
    /// code would deploy a product that silently does nothing).
    fn generate_entry_point_code(
        &self,
        product_name: &str,
        output_dir: &Path,
        lineage_enabled: bool,
        iceberg_enabled: bool,
    ) -> Result<String, PluginError> {
        let _ = (product_name, output_dir, lineage_enabled, iceberg_enabled);
        Err(unsupported(self, "generate_entry_point_code"))
    }

    lifecycle_hooks!();
}
