//! Orchestrator plugins: job scheduling and execution.

use std::fmt;
use std::path::Path;
use std::sync::Arc;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use uuid::Uuid;

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

/// The state an OpenLineage run event reports (floe's `RunState`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum RunState {
    /// The run started.
    Start,
    /// The run is in progress.
    Running,
    /// The run completed.
    Complete,
    /// The run was aborted.
    Abort,
    /// The run failed.
    Fail,
    /// Any other state.
    Other,
}

impl RunState {
    /// Every state, in floe's order.
    pub const ALL: [RunState; 6] = [
        RunState::Start,
        RunState::Running,
        RunState::Complete,
        RunState::Abort,
        RunState::Fail,
        RunState::Other,
    ];

    /// The OpenLineage `eventType`: `START`, `RUNNING`, `COMPLETE`, `ABORT`, `FAIL` or
    /// `OTHER`.
    pub const fn as_str(self) -> &'static str {
        match self {
            RunState::Start => "START",
            RunState::Running => "RUNNING",
            RunState::Complete => "COMPLETE",
            RunState::Abort => "ABORT",
            RunState::Fail => "FAIL",
            RunState::Other => "OTHER",
        }
    }

    /// Whether the state ends a run (`COMPLETE`, `ABORT`, `FAIL`).
    pub const fn is_terminal(self) -> bool {
        matches!(self, RunState::Complete | RunState::Abort | RunState::Fail)
    }
}

impl fmt::Display for RunState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A dataset read or written by a job (floe's `LineageDataset`, which replaced the
/// orchestrator's `Dataset`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LineageDataset {
    /// Its namespace (`s3://bucket`, `floe`, ...).
    pub namespace: String,
    /// Its name (`raw.customers`).
    pub name: String,
    /// OpenLineage dataset facets, by facet name.
    #[serde(default)]
    pub facets: Map<String, Value>,
}

impl LineageDataset {
    /// A dataset without facets.
    pub fn new(namespace: impl Into<String>, name: impl Into<String>) -> Self {
        LineageDataset {
            namespace: namespace.into(),
            name: name.into(),
            facets: Map::new(),
        }
    }

    /// The dataset with one more facet (replacing one of the same name).
    #[must_use]
    pub fn with_facet(mut self, name: impl Into<String>, facet: Value) -> Self {
        self.facets.insert(name.into(), facet);
        self
    }
}

/// The arguments of [`OrchestratorPlugin::emit_lineage_event`]: floe's nine parameters
/// as one value. [`LineageEvent::new`] takes the two required ones (state and job
/// name); the builder methods set the optional ones, each of which is `None` until set,
/// as in floe, where the plugin chooses the default:
///
/// | field | when `None` |
/// |---|---|
/// | `job_namespace` | the plugin's namespace |
/// | `run_id` | a new random (version 4) UUID; see [`LineageEvent::run_id_or_new`] |
/// | `inputs`, `outputs` | no datasets |
/// | `run_facets`, `job_facets` | no facets |
/// | `producer` | the plugin's producer; floe documents `"floe"` ([`DEFAULT_LINEAGE_PRODUCER`]) |
///
/// ```
/// use floe_registry::{LineageDataset, LineageEvent, RunState};
///
/// let event = LineageEvent::new(RunState::Complete, "dbt_run_stg_customers")
///     .with_inputs([LineageDataset::new("floe", "raw.customers")])
///     .with_outputs([LineageDataset::new("floe", "staging.stg_customers")]);
/// assert_eq!(event.input_datasets().len(), 1);
/// assert_eq!(event.run_id, None);
/// ```
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct LineageEvent {
    /// The run's state.
    pub event_type: RunState,
    /// The job's name (`dbt_run_customers`).
    pub job_name: String,
    /// The job's namespace.
    pub job_namespace: Option<String>,
    /// The run's id.
    pub run_id: Option<Uuid>,
    /// Datasets the job read.
    pub inputs: Option<Vec<LineageDataset>>,
    /// Datasets the job wrote.
    pub outputs: Option<Vec<LineageDataset>>,
    /// Extra OpenLineage run facets.
    pub run_facets: Option<Map<String, Value>>,
    /// Extra OpenLineage job facets.
    pub job_facets: Option<Map<String, Value>>,
    /// Who produced the event.
    pub producer: Option<String>,
}

/// The producer floe documents for a lineage event that names none.
pub const DEFAULT_LINEAGE_PRODUCER: &str = "floe";

impl LineageEvent {
    /// An event of `event_type` for the job `job_name`, every optional field unset.
    pub fn new(event_type: RunState, job_name: impl Into<String>) -> Self {
        LineageEvent {
            event_type,
            job_name: job_name.into(),
            job_namespace: None,
            run_id: None,
            inputs: None,
            outputs: None,
            run_facets: None,
            job_facets: None,
            producer: None,
        }
    }

    /// Sets the job's namespace.
    #[must_use]
    pub fn with_job_namespace(mut self, namespace: impl Into<String>) -> Self {
        self.job_namespace = Some(namespace.into());
        self
    }

    /// Sets the run's id (to continue a run an earlier event started).
    #[must_use]
    pub fn with_run_id(mut self, run_id: Uuid) -> Self {
        self.run_id = Some(run_id);
        self
    }

    /// Sets the datasets the job read.
    #[must_use]
    pub fn with_inputs(mut self, inputs: impl IntoIterator<Item = LineageDataset>) -> Self {
        self.inputs = Some(inputs.into_iter().collect());
        self
    }

    /// Sets the datasets the job wrote.
    #[must_use]
    pub fn with_outputs(mut self, outputs: impl IntoIterator<Item = LineageDataset>) -> Self {
        self.outputs = Some(outputs.into_iter().collect());
        self
    }

    /// Sets the extra run facets.
    #[must_use]
    pub fn with_run_facets(mut self, facets: Map<String, Value>) -> Self {
        self.run_facets = Some(facets);
        self
    }

    /// Sets the extra job facets.
    #[must_use]
    pub fn with_job_facets(mut self, facets: Map<String, Value>) -> Self {
        self.job_facets = Some(facets);
        self
    }

    /// Sets the producer.
    #[must_use]
    pub fn with_producer(mut self, producer: impl Into<String>) -> Self {
        self.producer = Some(producer.into());
        self
    }

    /// The run id given, else a new random (version 4) UUID: what floe's
    /// `emit_lineage_event` returns.
    pub fn run_id_or_new(&self) -> Uuid {
        self.run_id.unwrap_or_else(Uuid::new_v4)
    }

    /// The input datasets; none when unset.
    pub fn input_datasets(&self) -> &[LineageDataset] {
        self.inputs.as_deref().unwrap_or_default()
    }

    /// The output datasets; none when unset.
    pub fn output_datasets(&self) -> &[LineageDataset] {
        self.outputs.as_deref().unwrap_or_default()
    }
}

/// Sends lineage events on a plugin's behalf: what
/// [`OrchestratorPlugin::get_lineage_emitter`] hands out (floe's unified
/// `LineageEmitter`).
pub trait LineageEmitter: Send + Sync {
    /// Sends one event; returns its run id (the one given, or a new one).
    fn emit(&self, event: &LineageEvent) -> Result<Uuid, PluginError>;
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

    /// Emits an OpenLineage event for a job run and returns its run id: the event's
    /// `run_id` when given, else a new one ([`LineageEvent::run_id_or_new`]). Unset
    /// optional fields take the plugin's defaults (see [`LineageEvent`]).
    ///
    /// floe declares this abstract, with no default; here it defaults to a "does not
    /// support" error, like the other methods floe requires, so a plugin without
    /// lineage still compiles and a caller learns which plugin lacks it.
    fn emit_lineage_event(&self, event: &LineageEvent) -> Result<Uuid, PluginError> {
        let _ = event;
        Err(unsupported(self, "emit_lineage_event"))
    }

    /// The emitter that sends this plugin's lineage, if it has one. Default: none, as
    /// in floe.
    fn get_lineage_emitter(&self) -> Option<Arc<dyn LineageEmitter>> {
        None
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
