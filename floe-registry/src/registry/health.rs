//! Concurrent health checks with a deadline.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::PluginRegistry;
use super::batch;
use super::entry::Entry;
use super::guard::{self, Outcome};
use super::id::PluginId;
use crate::{HealthState, HealthStatus, Hook, HookFailure, PluginError, PluginType};

/// How long `health_check()` may take unless told otherwise: 5 s.
pub const DEFAULT_HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

/// Health of every loaded plugin, keyed by its identity (which displays as
/// `COMPUTE:duckdb`), like the activation and shutdown reports.
pub type HealthReport = BTreeMap<PluginId, HealthStatus>;

/// Clears the "check running" flag when the check ends, even by panic, or is
/// dropped without having started.
struct Running(Arc<AtomicBool>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.store(false, Ordering::Release);
    }
}

fn unhealthy(failure: HookFailure, kind: &str) -> HealthStatus {
    HealthStatus::new(HealthState::Unhealthy, failure.to_string())
        .with_detail("exception_type", kind)
}

/// The check of a loaded plugin, to run on a pool thread, with the plugin marked as
/// being checked until the call ends (or is dropped unstarted); or, when it cannot
/// be checked now, its status.
fn claim(entry: Entry<'_>) -> Result<impl FnOnce() -> HealthStatus + Send + 'static, HealthStatus> {
    let Some(instance) = entry.instance() else {
        return Err(HealthStatus::unhealthy("plugin is not loaded"));
    };
    let flag = entry.health_flag();
    if flag.swap(true, Ordering::AcqRel) {
        return Err(unhealthy(
            HookFailure::StillRunning {
                hook: Hook::HealthCheck,
            },
            "still_running",
        ));
    }
    let instance = instance.clone();
    let running = Running(flag);
    Ok(move || {
        let _running = running;
        instance.health_check()
    })
}

/// The status a check's outcome gives.
fn status_of(outcome: Outcome<HealthStatus>, timeout: Duration) -> HealthStatus {
    match outcome {
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
    }
}

impl PluginRegistry {
    /// Checks every loaded plugin concurrently, each within 5 s; see
    /// [`health_check_all_within`](Self::health_check_all_within).
    pub fn health_check_all(&self) -> HealthReport {
        self.health_check_all_within(DEFAULT_HEALTH_TIMEOUT)
    }

    /// Checks every loaded plugin concurrently: the call takes about as long as the
    /// slowest check (see below for the grace), at most `timeout` (see below for many
    /// slow checks). A check that panics or times out gives `Unhealthy`
    /// with the reason; a plugin whose previous check still runs (hung) is reported as
    /// such and not checked again, so hung checks never pile up. Never fails; `{}` when
    /// nothing is loaded.
    ///
    /// The checks are queued together and taken one after another by a pooled thread,
    /// so checks that return at once cost one thread wake-up in all, not one each.
    /// Checks still queued after a grace of 1 ms (half the timeout, if that is less)
    /// each get a thread of their own: every check starts within about the grace of
    /// the call, however slow the checks before it (a hung one included), and slow
    /// checks still run side by side.
    ///
    /// The deadline is the same for every check: `timeout` after the call starts. So
    /// the call returns within `timeout` plus the time to build the report, and a
    /// check that started late because of the grace has that much less of the
    /// timeout (at most 1 ms less). One more cost can pass the deadline: when checks
    /// are still queued after the grace, a thread is started for each of them before
    /// the call waits again (pooled threads are reused, but with thousands of slow
    /// checks most are new threads: tens of microseconds each), as checking one plugin
    /// per thread always did. A check still running at the deadline is reported
    /// as `health_check() timed out after {timeout}` and left to finish on its thread;
    /// a check not started by then (its thread not scheduled in time) is reported the
    /// same way and still runs later. Until either ends, later calls report it as
    /// still running.
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
        let deadline = guard::deadline_after(timeout);
        // Each loaded plugin in entry order, with its status if it is known now; the
        // others are checked as one batch, their outcomes in the same order.
        let mut known = Vec::new();
        let mut calls = Vec::new();
        for (_, entry) in self.entries.iter() {
            if entry.instance().is_none() {
                continue;
            }
            let id = PluginId::from_static(entry.desc.plugin_type, entry.desc.name);
            match claim(entry) {
                Ok(call) => {
                    calls.push(call);
                    known.push((id, None));
                }
                Err(status) => known.push((id, Some(status))),
            }
        }
        let mut outcomes = batch::run_all(calls, deadline).into_iter();
        let report: HealthReport = known
            .into_iter()
            .map(|(id, status)| {
                let status = status.unwrap_or_else(|| match outcomes.next() {
                    Some(outcome) => status_of(outcome, timeout),
                    // Not reached: there is one outcome per call.
                    None => status_of(Outcome::TimedOut, timeout),
                });
                (id, status)
            })
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
        Ok(match claim(entry) {
            Ok(call) => status_of(guard::run_with_timeout(timeout, call), timeout),
            Err(status) => status,
        })
    }
}
