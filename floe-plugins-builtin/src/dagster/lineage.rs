//! OpenLineage run events: their JSON shape, run ids, and sending them over HTTP.

use std::time::Duration;

use floe_registry::uuid::Uuid;
use floe_registry::{LineageDataset, LineageEvent, PluginError, Secret};
use serde_json::{Value, json};

use crate::http::{HttpClient, redact_url};

/// The OpenLineage spec the events follow.
pub const SCHEMA_URL: &str = "https://openlineage.io/spec/2-0-2/OpenLineage.json";
/// The `producer` of an event that names none.
pub const PRODUCER: &str = "floe-orchestrator-dagster/0.1.0";

fn dataset(d: &LineageDataset) -> Value {
    json!({ "namespace": d.namespace, "name": d.name, "facets": d.facets })
}

/// A run event: `schemaURL`, `eventType`, `eventTime` (UTC, milliseconds), `run`
/// (`runId`, `facets`), `job` (`namespace`, `name`, `facets`), `inputs`, `outputs`,
/// `producer`. The event's own job namespace and producer win over
/// `default_namespace` and [`PRODUCER`]; unset facets and datasets are empty.
pub fn lineage_event(event: &LineageEvent, default_namespace: &str, run_id: Uuid) -> Value {
    json!({
        "schemaURL": SCHEMA_URL,
        "eventType": event.event_type.as_str(),
        "eventTime": format!("{:.3}", jiff::Timestamp::now()),
        "run": {
            "runId": run_id.to_string(),
            "facets": event.run_facets.clone().unwrap_or_default(),
        },
        "job": {
            "namespace": event.job_namespace.as_deref().unwrap_or(default_namespace),
            "name": event.job_name,
            "facets": event.job_facets.clone().unwrap_or_default(),
        },
        "inputs": event.input_datasets().iter().map(dataset).collect::<Vec<_>>(),
        "outputs": event.output_datasets().iter().map(dataset).collect::<Vec<_>>(),
        "producer": event.producer.as_deref().unwrap_or(PRODUCER),
    })
}

/// POSTs an event to an OpenLineage HTTP endpoint; anything but a 2xx answer is an
/// error. The API key goes in a Bearer header and in no message.
pub fn send(
    url: &str,
    api_key: Option<&Secret>,
    timeout: Duration,
    event: &Value,
) -> Result<(), PluginError> {
    let bearer = api_key.map(|k| format!("Bearer {}", k.expose()));
    let mut headers = vec![("Content-Type", "application/json")];
    if let Some(b) = bearer.as_deref() {
        headers.push(("Authorization", b));
    }
    let client = HttpClient::with_timeout(timeout);
    let response = client
        .post_json(url, &headers, event)
        .map_err(|e| crate::error::failure("cannot send lineage event", e))?;
    if response.is_success() {
        Ok(())
    } else {
        Err(PluginError::failed(format!(
            "lineage endpoint {} answered HTTP {}",
            redact_url(url),
            response.status
        )))
    }
}
