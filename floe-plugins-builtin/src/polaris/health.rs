//! The health probe: list namespaces, bounded by the health timeout.

use std::sync::{Arc, mpsc};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use floe_registry::{HealthState, HealthStatus};
use serde_json::{Map, Value};

use super::catalog::list_namespaces;
use super::client::Session;
use super::config::PolarisConfig;
use super::credentials::rfc3339_utc;
use super::retry::Retry;
use crate::http::HttpClient;

/// Probes the catalog; returns within the configured health timeout.
pub(crate) fn check(config: Arc<PolarisConfig>, session: Option<Arc<Session>>) -> HealthStatus {
    let timeout = config.health_timeout();
    let connected = session.is_some();
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let probe_config = Arc::clone(&config);
    // The probe's own requests time out at the same deadline, so the thread ends soon
    // after an abandoned wait.
    let spawned = std::thread::Builder::new()
        .name("polaris-health".to_owned())
        .spawn(move || {
            let http = HttpClient::with_timeout(timeout);
            let result = match session {
                Some(s) => list_namespaces(&s.with_transport(http, Retry::none())),
                None => Session::open(probe_config, &Map::new(), http, Retry::none())
                    .and_then(|s| list_namespaces(&s)),
            };
            let _ = tx.send(result);
        });
    let outcome = match spawned {
        Ok(_) => rx.recv_timeout(timeout).ok(),
        Err(e) => Some(Err(super::CatalogError::Unexpected {
            operation: "health_check",
            message: e.to_string(),
        })),
    };
    let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
    let checked_at = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs() as i64);
    let status = match outcome {
        Some(Ok(_)) => {
            HealthStatus::new(HealthState::Healthy, "Polaris catalog responding normally")
        }
        None => HealthStatus::unhealthy(format!(
            "Health check timed out after {}s",
            timeout.as_secs_f64()
        ))
        .with_detail("reason", "timeout"),
        Some(Err(e)) => HealthStatus::unhealthy(format!("Health check failed: {e}"))
            .with_detail("reason", "probe_failed")
            .with_detail("error", e.to_string()),
    };
    status
        .with_detail("response_time_ms", Value::from(elapsed_ms.round()))
        .with_detail("checked_at", rfc3339_utc(checked_at))
        .with_detail("timeout", timeout.as_secs_f64())
        .with_detail("connected", connected)
}
