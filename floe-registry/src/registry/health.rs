//! Concurrent health checks with a deadline: one pooled job per check, their answers
//! gathered from one channel until the deadline.

use std::collections::BTreeMap;
use std::sync::atomic::Ordering;
use std::sync::{Arc, mpsc};
use std::time::{Duration, Instant};

use super::PluginRegistry;
use super::entry::{Entry, Hooks};
use super::guard::{self, Outcome};
use super::id::PluginId;
use crate::{HealthState, HealthStatus, Hook, HookFailure, PluginError, PluginType};

/// Health of every loaded plugin, keyed by its identity (which displays as
/// `COMPUTE:duckdb`), like the activation and shutdown reports.
pub type HealthReport = BTreeMap<PluginId, HealthStatus>;

/// Clears the "check running" flag when the check ends, even by panic, or is
/// dropped without having started.
struct Running(Arc<Hooks>);

impl Drop for Running {
    fn drop(&mut self) {
        self.0.health_running.store(false, Ordering::Release);
    }
}

fn unhealthy(failure: HookFailure, kind: &str) -> HealthStatus {
    HealthStatus::new(HealthState::Unhealthy, failure.to_string())
        .with_detail("exception_type", kind)
}

/// The check of a loaded plugin, to run on a pool thread, with the plugin marked as
/// being checked until the call ends (or is dropped unstarted); or, when it cannot
/// be checked now, its status.
fn claim(entry: &Entry) -> Result<impl FnOnce() -> HealthStatus + Send + 'static, HealthStatus> {
    let Some(instance) = entry.instance() else {
        return Err(HealthStatus::unhealthy("plugin is not loaded"));
    };
    let hooks = entry.hooks();
    if hooks.health_running.swap(true, Ordering::AcqRel) {
        return Err(unhealthy(
            HookFailure::StillRunning {
                hook: Hook::HealthCheck,
            },
            "still_running",
        ));
    }
    let instance = instance.clone();
    let running = Running(Arc::clone(hooks));
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
    /// Checks every loaded plugin concurrently, each on a pooled thread, within the
    /// registry's health timeout ([`Timeouts`](crate::Timeouts)): the call takes about as
    /// long as the slowest check, at most the timeout. A check that panics or times
    /// out gives `Unhealthy` with the reason; a plugin whose previous check still runs
    /// (hung) is reported as such and not checked again, so hung checks never pile up.
    /// Never fails; `{}` when nothing is loaded.
    ///
    /// The deadline is the same for every check: the timeout after the call starts. A
    /// check still running then is reported as `health_check() timed out after
    /// {timeout}` and left to finish on its thread; until it ends, later calls report
    /// it as still running.
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
    pub fn health_check_all(&self) -> HealthReport {
        let timeout = self.timeouts.health;
        let deadline = guard::deadline_after(timeout);
        let (answers, answered) = mpsc::channel::<(usize, Result<HealthStatus, String>)>();
        let mut report = HealthReport::new();
        let mut waiting: BTreeMap<usize, PluginId> = BTreeMap::new();
        for (at, entry) in self.entries.iter() {
            if entry.instance().is_none() {
                continue;
            }
            let id = entry.id();
            match claim(entry) {
                Ok(check) => {
                    let answers = answers.clone();
                    let job = Box::new(move || {
                        // The receiver is gone once the deadline passed: nothing to do.
                        let _ = answers.send((at, guard::catch(check)));
                    });
                    match guard::submit(job) {
                        Ok(()) => {
                            waiting.insert(at, id);
                        }
                        Err(reason) => {
                            report.insert(id, status_of(Outcome::NoThread(reason), timeout));
                        }
                    }
                }
                Err(status) => {
                    report.insert(id, status);
                }
            }
        }
        drop(answers);
        while !waiting.is_empty() {
            let left = deadline.saturating_duration_since(Instant::now());
            let Ok((at, result)) = answered.recv_timeout(left) else {
                break;
            };
            if let Some(id) = waiting.remove(&at) {
                let outcome = match result {
                    Ok(status) => Outcome::Done(status),
                    Err(message) => Outcome::Panicked(message),
                };
                report.insert(id, status_of(outcome, timeout));
            }
        }
        for (_, id) in waiting {
            report.insert(id, status_of(Outcome::TimedOut, timeout));
        }
        tracing::debug!(checked = report.len(), "health_check_all");
        report
    }

    /// Checks one plugin (loading it first) within the registry's health timeout: a
    /// check that panics or times out gives `Unhealthy` with the reason. Fails only
    /// when the plugin cannot be found or loaded.
    ///
    /// ```
    /// use std::time::Duration;
    /// use floe_registry::prelude::*;
    /// use floe_registry::Timeouts;
    ///
    /// #[floe_plugin(type = Secrets, name = "health-one-doc", version = "1.0.0")]
    /// #[derive(Default)]
    /// struct Vault;
    /// impl SecretsPlugin for Vault {}
    ///
    /// let registry = PluginRegistry::with_timeouts(Timeouts::default().with_health(Duration::from_secs(1)));
    /// registry.discover_all();
    /// let status = registry.health_check(PluginType::Secrets, "health-one-doc")?;
    /// assert_eq!(status.state, HealthState::Healthy);
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn health_check(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<HealthStatus, PluginError> {
        let entry = self.entry(plugin_type, name)?;
        self.load(entry)?;
        let timeout = self.timeouts.health;
        Ok(match claim(entry) {
            Ok(check) => status_of(guard::run_with_timeout(timeout, check), timeout),
            Err(status) => status,
        })
    }
}
