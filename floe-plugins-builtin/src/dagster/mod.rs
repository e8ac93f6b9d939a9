//! `dagster` (orchestrator): asset graphs from dbt transforms and manifests, validated
//! schedules, OpenLineage run events, Helm values, and a GraphQL check of the
//! webserver.
//!
//! Its config is checked against this plugin's own schema, which this floe keeps
//! although floe-orchestrator-dagster 0.1.0a1 validates nothing: its
//! `get_config_schema()` is `None`, so published floe passes any config through. A
//! field this schema refuses (unknown, mistyped, out of range) may pass published
//! floe's `platform compile` and fail here. Lax values (`"4"` for an integer) are read
//! as published floe's validated configs read them.

mod assets;
mod config;
mod connection;
mod cron;
mod lineage;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use floe_registry::prelude::*;
use floe_registry::uuid::Uuid;
use serde_json::{Value, json};

pub use assets::{AssetNode, REQUIRED_RESOURCES, from_manifest, from_transform, graph};
pub use config::{CronExpression, DEFAULT_CRON, DEFAULT_URL, DagsterConfig, TimeZoneName};
pub use connection::py_seconds;
pub use cron::{validate_cron, validate_timezone};
pub use lineage::{PRODUCER, SCHEMA_URL, lineage_event};

/// The longest a health check waits for the webserver, under the registry's 5 s budget.
const HEALTH_TIMEOUT_SECONDS: f64 = 4.0;

/// Dagster orchestrator for floe data pipelines.
///
/// Works unconfigured (webserver from `$DAGSTER_URL`, else `http://localhost:3000`;
/// no lineage endpoint); a config ([`DagsterConfig`]) sets the webserver, the default
/// schedule and the OpenLineage endpoint.
#[floe_plugin(
    type = Orchestrator,
    name = "dagster",
    version = "0.1.0",
    description = "Dagster orchestrator for floe data pipelines",
    config = DagsterConfig
)]
#[derive(Debug, Default)]
pub struct DagsterPlugin {
    #[config]
    config: ConfigCell<DagsterConfig>,
    /// Schedules created by `schedule_job`, by name.
    schedules: Mutex<Vec<Value>>,
    /// The run id of each job's open run (between START and COMPLETE, ABORT or FAIL).
    open_runs: Mutex<HashMap<String, Uuid>>,
}

fn check_job_name(job: &str) -> Result<(), PluginError> {
    let ok = !job.is_empty() && job.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if ok {
        Ok(())
    } else {
        Err(PluginError::failed(format!(
            "Invalid job name '{job}': Dagster names contain only letters, digits and underscores"
        )))
    }
}

impl DagsterPlugin {
    fn settings(&self) -> Arc<DagsterConfig> {
        self.config.get().unwrap_or_default()
    }

    /// The webserver URL: the config's; unconfigured, `$DAGSTER_URL`, else
    /// `http://localhost:3000`.
    pub fn url(&self) -> String {
        match self.config.get() {
            Ok(c) => c.url.clone(),
            Err(_) => std::env::var("DAGSTER_URL")
                .ok()
                .filter(|u| !u.trim().is_empty())
                .unwrap_or_else(|| DEFAULT_URL.to_owned()),
        }
    }

    /// The schedules created so far by `schedule_job`, oldest first.
    pub fn schedules(&self) -> Vec<Value> {
        self.schedules
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clone()
    }

    /// The default schedule of a job: the configured cron and time zone (every ten
    /// minutes in UTC by default, named `<job>_recurring_10min`; otherwise
    /// `<job>_default_schedule`).
    pub fn get_default_schedule(&self, job_name: &str) -> Result<Value, PluginError> {
        check_job_name(job_name)?;
        let c = self.settings();
        let cron = c.default_schedule.as_str();
        let name = if cron == DEFAULT_CRON {
            format!("{job_name}_recurring_10min")
        } else {
            format!("{job_name}_default_schedule")
        };
        Ok(schedule(&name, job_name, cron, c.timezone.as_str()))
    }

    /// The OpenLineage event `emit_lineage_event` sends, without sending it: for a
    /// given run id, in the configured `lineage_namespace` unless the event names one.
    pub fn build_lineage_event(&self, event: &LineageEvent, run_id: Uuid) -> Value {
        lineage_event(event, &self.settings().lineage_namespace, run_id)
    }

    /// The run id for an event. An id the event carries is used as is; otherwise START
    /// opens a new run for the job, RUNNING and OTHER continue the job's open run, and
    /// COMPLETE, ABORT and FAIL use the open run (a new id when none is open). START
    /// records the run as the job's open run; COMPLETE, ABORT and FAIL close it.
    fn run_id_for(&self, event: &LineageEvent) -> Uuid {
        let job = event.job_name.as_str();
        let mut runs = self
            .open_runs
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        let id = match (event.run_id, event.event_type) {
            (Some(id), _) => id,
            (None, RunState::Start) => Uuid::new_v4(),
            (None, _) => runs.get(job).copied().unwrap_or_else(Uuid::new_v4),
        };
        if event.event_type == RunState::Start {
            runs.insert(job.to_owned(), id);
        } else if event.event_type.is_terminal() {
            runs.remove(job);
        }
        id
    }

    fn timeout(&self) -> Duration {
        Duration::try_from_secs_f64(self.settings().timeout_seconds)
            .unwrap_or(Duration::from_secs(10))
    }
}

fn schedule(name: &str, job: &str, cron: &str, timezone: &str) -> Value {
    json!({
        "name": name,
        "job_name": job,
        "cron_schedule": cron,
        "execution_timezone": timezone,
    })
}

fn workload(size: &str) -> Result<ResourceSpec, PluginError> {
    let values = match size {
        "small" => ["100m", "500m", "256Mi", "512Mi", "100Mi", "1Gi"],
        "medium" => ["250m", "1000m", "512Mi", "1Gi", "100Mi", "1Gi"],
        "large" => ["500m", "2000m", "1Gi", "2Gi", "100Mi", "1Gi"],
        other => {
            return Err(PluginError::failed(format!(
                "Invalid workload_size '{other}'. Must be one of: large, medium, small"
            )));
        }
    };
    Ok(ResourceSpec::new(values))
}

impl OrchestratorPlugin for DagsterPlugin {
    /// The asset graph of a dbt manifest (`{"nodes": ...}`, or `{"manifest": {...}}`)
    /// or of `{"transforms": [...]}`, plus the schedules created so far.
    fn create_definitions(&self, artifacts: &Value) -> Result<Value, PluginError> {
        let nodes = if artifacts.get("nodes").is_some() {
            from_manifest(artifacts)?
        } else if let Some(manifest) = artifacts.get("manifest").filter(|m| m.is_object()) {
            from_manifest(manifest)?
        } else if let Some(transforms) = artifacts.get("transforms") {
            let transforms: Vec<TransformConfig> = serde_json::from_value(transforms.clone())
                .map_err(|e| PluginError::failed(format!("invalid transforms: {e}")))?;
            transforms.iter().map(from_transform).collect()
        } else {
            return Err(PluginError::failed(
                "create_definitions() needs a dbt manifest ('nodes', or 'manifest': {...}) or a 'transforms' list",
            ));
        };
        let mut definitions = graph(&nodes)?;
        definitions["schedules"] = Value::Array(self.schedules());
        definitions["resources"] = json!(REQUIRED_RESOURCES);
        Ok(definitions)
    }

    /// One asset per transform (see [`from_transform`]), in a checked graph.
    fn create_assets_from_transforms(
        &self,
        transforms: &[TransformConfig],
    ) -> Result<Value, PluginError> {
        let nodes: Vec<AssetNode> = transforms.iter().map(from_transform).collect();
        graph(&nodes)
    }

    fn get_helm_values(&self) -> Value {
        let service = json!({
            "enabled": true,
            "replicaCount": 1,
            "resources": {
                "requests": {"cpu": "100m", "memory": "256Mi"},
                "limits": {"cpu": "500m", "memory": "512Mi"},
            },
        });
        json!({
            "dagster-webserver": service,
            "dagster-daemon": service,
            "dagster-user-code": {
                "enabled": true,
                "replicaCount": 1,
                "resources": {
                    "requests": {"cpu": "250m", "memory": "512Mi"},
                    "limits": {"cpu": "1000m", "memory": "1Gi"},
                },
            },
            "postgresql": {"enabled": true},
        })
    }

    /// `POST <url>/graphql` with `{ __typename }` within the configured timeout.
    fn validate_connection(&self) -> ValidationResult {
        connection::validate(&self.url(), self.settings().timeout_seconds)
    }

    /// CPU and memory per size; ephemeral storage `100Mi` / `1Gi`.
    fn get_resource_requirements(&self, size: &str) -> Result<ResourceSpec, PluginError> {
        workload(size)
    }

    /// Sends an OpenLineage run event to the configured `lineage_url` and returns its
    /// run id; an error when no endpoint is configured or it does not accept the
    /// event. Defaults: the job namespace is `lineage_namespace`, the producer
    /// [`PRODUCER`].
    fn emit_lineage_event(&self, event: &LineageEvent) -> Result<Uuid, PluginError> {
        let c = self.settings();
        let Some(url) = c.lineage_url.as_deref() else {
            return Err(PluginError::failed(
                "dagster: no lineage endpoint configured: set `lineage_url` (an OpenLineage HTTP endpoint such as http://marquez:5000/api/v1/lineage) to emit lineage events",
            ));
        };
        let run_id = self.run_id_for(event);
        let body = self.build_lineage_event(event, run_id);
        lineage::send(url, c.lineage_api_key.as_ref(), self.timeout(), &body)?;
        tracing::debug!(
            plugin = "dagster",
            job = event.job_name,
            run_id = %run_id,
            event_type = event.event_type.as_str(),
            "lineage_event_sent"
        );
        Ok(run_id)
    }

    /// Validates the cron expression and the IANA time zone, then records the
    /// schedule `<job>_schedule` (replacing one of the same name) and returns it.
    fn schedule_job(
        &self,
        job_name: &str,
        cron: &str,
        timezone: &str,
    ) -> Result<Value, PluginError> {
        validate_cron(cron)?;
        validate_timezone(timezone)?;
        check_job_name(job_name)?;
        let name = format!("{job_name}_schedule");
        let created = schedule(&name, job_name, cron.trim(), timezone);
        let mut schedules = self
            .schedules
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        schedules.retain(|s| s.get("name").and_then(Value::as_str) != Some(name.as_str()));
        schedules.push(created.clone());
        Ok(created)
    }

    /// Healthy when the webserver answers GraphQL (within 4 s at most); unhealthy with
    /// the reason otherwise.
    fn health_check(&self) -> HealthStatus {
        let timeout = self.settings().timeout_seconds.min(HEALTH_TIMEOUT_SECONDS);
        let result = connection::validate(&self.url(), timeout);
        if result.success {
            HealthStatus::new(HealthState::Healthy, result.message)
        } else {
            let reason = result.errors.join("; ");
            HealthStatus::unhealthy(format!("{}: {reason}", result.message))
        }
    }
}
