//! OpenLineage run events: their JSON shape, run ids, and sending them over HTTP.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use floe_registry::{Dataset, LineageEventType, PluginError, Secret};
use serde_json::{Value, json};

use crate::http::{HttpClient, redact_url};

/// The OpenLineage spec the events follow.
pub const SCHEMA_URL: &str = "https://openlineage.io/spec/2-0-2/OpenLineage.json";
/// The `producer` of every event.
pub const PRODUCER: &str = "floe-orchestrator-dagster/0.1.0";

/// The name of an event type (`START`, `COMPLETE`, `FAIL`).
pub fn event_type_name(event_type: LineageEventType) -> &'static str {
    match event_type {
        LineageEventType::Start => "START",
        LineageEventType::Complete => "COMPLETE",
        LineageEventType::Fail => "FAIL",
    }
}

fn dataset(d: &Dataset) -> Value {
    json!({ "namespace": d.namespace, "name": d.name, "facets": d.facets })
}

/// A run event: `schemaURL`, `eventType`, `eventTime` (UTC, milliseconds), `run`
/// (`runId`, `facets`), `job` (`namespace`, `name`, `facets`), `inputs`, `outputs`,
/// `producer`.
pub fn lineage_event(
    event_type: LineageEventType,
    namespace: &str,
    job: &str,
    run_id: &str,
    inputs: &[Dataset],
    outputs: &[Dataset],
) -> Value {
    json!({
        "schemaURL": SCHEMA_URL,
        "eventType": event_type_name(event_type),
        "eventTime": format!("{:.3}", jiff::Timestamp::now()),
        "run": { "runId": run_id, "facets": {} },
        "job": { "namespace": namespace, "name": job, "facets": {} },
        "inputs": inputs.iter().map(dataset).collect::<Vec<_>>(),
        "outputs": outputs.iter().map(dataset).collect::<Vec<_>>(),
        "producer": PRODUCER,
    })
}

static RUN_COUNTER: AtomicU64 = AtomicU64::new(0);

/// A random (version 4) UUID for a run, from the process's randomly keyed hasher,
/// the clock and a counter.
pub fn new_run_id() -> String {
    let nanos = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_nanos())
        .unwrap_or_default();
    let count = RUN_COUNTER.fetch_add(1, Ordering::Relaxed);
    let half = |salt: u64| {
        let mut h = RandomState::new().build_hasher();
        h.write_u128(nanos);
        h.write_u64(count);
        h.write_u64(salt);
        h.finish()
    };
    let mut bytes = [0u8; 16];
    bytes[..8].copy_from_slice(&half(1).to_le_bytes());
    bytes[8..].copy_from_slice(&half(2).to_le_bytes());
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
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
        .map_err(|e| PluginError::with_source(format!("cannot send lineage event: {e}"), e))?;
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
