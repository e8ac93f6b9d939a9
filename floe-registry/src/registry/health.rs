//! Concurrent health checks with a deadline.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use super::PluginRegistry;
use super::entry::Entry;
use super::guard::{self, Outcome, Pending};
use super::id::PluginId;
use crate::{HealthState, HealthStatus, Hook, HookFailure, PluginError, PluginType};

/// How long `health_check()` may take unless told otherwise: 5 s.
pub const DEFAULT_HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

/// Health of every loaded plugin, keyed by its identity (which displays as
/// `COMPUTE:duckdb`), like the activation and shutdown reports.
pub type HealthReport = BTreeMap<PluginId, HealthStatus>;

/// Clears the "check running" flag when the check ends, even by panic.
struct Running(Arc<AtomicBool>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

enum Check {
    Now(HealthStatus),
    Later(Pending<HealthStatus>),
}

fn unhealthy(failure: HookFailure, kind: &str) -> HealthStatus {
    HealthStatus::new(HealthState::Unhealthy, failure.to_string())
        .with_detail("exception_type", kind)
}

fn start_check(entry: Entry<'_>) -> Check {
    let Some(instance) = entry.instance() else {
        return Check::Now(HealthStatus::unhealthy("plugin is not loaded"));
    };
    let flag = entry.health_flag();
    if flag.swap(true, Ordering::AcqRel) {
        return Check::Now(unhealthy(
            HookFailure::StillRunning {
                hook: Hook::HealthCheck,
            },
            "still_running",
        ));
    }
    let instance = instance.clone();
    let running = Running(flag);
    Check::Later(guard::spawn(move || {
        let _running = running;
        instance.health_check()
    }))
}

fn finish(check: Check, deadline: Instant, timeout: Duration) -> HealthStatus {
    match check {
        Check::Now(status) => status,
        Check::Later(pending) => match pending.wait_until(deadline) {
            Outcome::Done(status) => status,
            Outcome::Panicked(message) => unhealthy(
                HookFailure::Panicked {
                    hook: Hook::HealthCheck,
                    message,
                },
                "panic",
            ),
            Outcome::TimedOut => unhealthy(
                HookFailure::TimedOut {
                    hook: Hook::HealthCheck,
                    timeout,
                },
                "timeout",
            ),
            Outcome::NoThread(reason) => HealthStatus::unhealthy(format!(
                "no thread could be started for health_check(): {reason}"
            )),
        },
    }
}

impl PluginRegistry {
    /// Checks every loaded plugin concurrently, each within 5 s; see
    /// [`health_check_all_within`](Self::health_check_all_within).
    pub fn health_check_all(&self) -> HealthReport {
        self.health_check_all_within(DEFAULT_HEALTH_TIMEOUT)
    }

    /// Checks every loaded plugin concurrently: the call takes as long as the slowest
    /// check, at most `timeout`. A check that panics or times out gives `Unhealthy`
    /// with the reason; a plugin whose previous check still runs (hung) is reported as
    /// such and not checked again, so hung checks never pile up. Never fails; `{}` when
    /// nothing is loaded.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use floe_registry::PluginId;
    ///
    /// #[floe_plugin(type = Identity, name = "health-doc", version = "1.0.0")]
    /// #[derive(Default)]
    /// struct Flaky;
    /// impl IdentityPlugin for Flaky {
    ///     fn health_check(&self) -> HealthStatus {
    ///         HealthStatus::degraded("token endpoint slow")
    ///     }
    /// }
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// assert!(registry.health_check_all().is_empty(), "nothing loaded yet");
    /// registry.get(PluginType::Identity, "health-doc")?;
    /// let report = registry.health_check_all();
    /// let id = PluginId::new(PluginType::Identity, "health-doc");
    /// assert_eq!(report[&id].state, HealthState::Degraded);
    /// assert_eq!(id.to_string(), "IDENTITY:health-doc");
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn health_check_all_within(&self, timeout: Duration) -> HealthReport {
        let deadline = Instant::now() + timeout;
        let checks: Vec<(PluginId, Check)> = self
            .entries
            .iter()
            .filter(|(_, e)| e.instance().is_some())
            .map(|(_, e)| {
                (
                    PluginId::new(e.desc.plugin_type, e.desc.name),
                    start_check(e),
                )
            })
            .collect();
        let report: HealthReport = checks
            .into_iter()
            .map(|(key, check)| (key, finish(check, deadline, timeout)))
            .collect();
        tracing::debug!(checked = report.len(), "health_check_all");
        report
    }

    /// Checks one plugin (loading it first) within 5 s; see
    /// [`health_check_within`](Self::health_check_within).
    pub fn health_check(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<HealthStatus, PluginError> {
        self.health_check_within(plugin_type, name, DEFAULT_HEALTH_TIMEOUT)
    }

    /// Checks one plugin (loading it first) within `timeout`: a check that panics or
    /// times out gives `Unhealthy` with the reason. Fails only when the plugin cannot
    /// be found or loaded.
    ///
    /// ```
    /// use std::time::Duration;
    /// use floe_registry::prelude::*;
    ///
    /// #[floe_plugin(type = Secrets, name = "health-one-doc", version = "1.0.0")]
    /// #[derive(Default)]
    /// struct Vault;
    /// impl SecretsPlugin for Vault {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let status = registry.health_check_within(PluginType::Secrets, "health-one-doc", Duration::from_secs(1))?;
    /// assert_eq!(status.state, HealthState::Healthy);
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn health_check_within(
        &self,
        plugin_type: PluginType,
        name: &str,
        timeout: Duration,
    ) -> Result<HealthStatus, PluginError> {
        self.get(plugin_type, name)?;
        let (_, entry) = self.entry(plugin_type, name)?;
        let deadline = Instant::now() + timeout;
        Ok(finish(start_check(entry), deadline, timeout))
    }
}
