//! The lifecycle: starting plugins in dependency order, running their hooks within a
//! deadline, and stopping them in reverse order.

use std::collections::BTreeSet;
use std::time::Duration;

use super::PluginRegistry;
use super::entry::{Lifecycle, lock};
use super::graph::parse_dependency;
use super::guard::{self, Outcome};
use super::id::PluginId;
use super::index::Slot;
use crate::{Hook, HookFailure, PluginError, PluginInstance, PluginType};

/// How long `startup()` and `shutdown()` may take unless told otherwise: 30 s.
pub const DEFAULT_LIFECYCLE_TIMEOUT: Duration = Duration::from_secs(30);

/// What [`PluginRegistry::activate_all`] did: the plugins started, in order, and those
/// that did not start, each with its reason.
#[derive(Debug, Default)]
pub struct ActivationReport {
    /// Started, in startup order.
    pub started: Vec<PluginId>,
    /// Not started, with why (a dependency that failed is named).
    pub failed: Vec<(PluginId, PluginError)>,
}

impl ActivationReport {
    /// Whether every plugin started.
    pub fn is_success(&self) -> bool {
        self.failed.is_empty()
    }
}

/// What [`PluginRegistry::shutdown_all`] did, in shutdown order.
#[derive(Debug, Default)]
pub struct ShutdownReport {
    /// Stopped cleanly, in shutdown order (the reverse of startup).
    pub stopped: Vec<PluginId>,
    /// Whose `shutdown()` failed, panicked or timed out; they count as stopped.
    pub failed: Vec<(PluginId, PluginError)>,
}

/// Runs one lifecycle hook of `instance` on its own thread, within `timeout`.
pub(crate) fn run_hook(
    instance: &PluginInstance,
    hook: Hook,
    timeout: Duration,
) -> Result<(), HookFailure> {
    let plugin = instance.clone();
    let outcome = guard::run_with_timeout(timeout, move || match hook {
        Hook::Startup => plugin.startup(),
        Hook::Shutdown => plugin.shutdown(),
        // A health check is a status, never an error: it is never "failed", and
        // `health_check_all` runs it on its own path. Asked for here, it counts as
        // success unless the plugin reports itself unhealthy.
        Hook::HealthCheck => match plugin.health_check() {
            status if status.state == crate::HealthState::Unhealthy => {
                Err(PluginError::failed(status.message))
            }
            _ => Ok(()),
        },
    });
    match outcome {
        Outcome::Done(Ok(())) => Ok(()),
        Outcome::Done(Err(error)) => Err(HookFailure::Error {
            hook,
            error: Box::new(error),
        }),
        Outcome::Panicked(message) => Err(HookFailure::Panicked { hook, message }),
        Outcome::TimedOut => Err(HookFailure::TimedOut { hook, timeout }),
        Outcome::NoThread(reason) => Err(HookFailure::NoThread { hook, reason }),
    }
}

impl PluginRegistry {
    /// Every registered identity, by type then name, skipping duplicated ones.
    fn all_ids(&self) -> (Vec<PluginId>, Vec<(PluginId, PluginError)>) {
        let index = self.index.load();
        let mut ok = Vec::new();
        let mut dup = Vec::new();
        for t in PluginType::ALL {
            let ti = index.of(t);
            for name in ti.names(self.name_of()) {
                let id = PluginId::new(t, name);
                match ti.get(name, self.name_of()) {
                    Some(Slot::Duplicate(a, b)) => {
                        if let Some(err) = self.duplicate_error(a, b) {
                            dup.push((id, err));
                        }
                    }
                    _ => ok.push(id),
                }
            }
        }
        (ok, dup)
    }

    /// Starts one plugin (loading it first), once: later calls return at once. Runs
    /// `startup()` with the default 30 s timeout; see
    /// [`activate_within`](Self::activate_within).
    pub fn activate(&self, plugin_type: PluginType, name: &str) -> Result<(), PluginError> {
        self.activate_within(plugin_type, name, DEFAULT_LIFECYCLE_TIMEOUT)
    }

    /// Starts one plugin with a timeout. The call returns at the deadline even if
    /// `startup()` hangs (the hook is left on its own thread); a panic in the hook is
    /// caught. Either way the error is [`PluginError::Startup`] with the cause.
    pub fn activate_within(
        &self,
        plugin_type: PluginType,
        name: &str,
        timeout: Duration,
    ) -> Result<(), PluginError> {
        let startup_error = |cause| PluginError::Startup {
            plugin_type,
            name: name.to_owned(),
            cause,
        };
        let (at, entry) = self.entry(plugin_type, name)?;
        let instance = self
            .get(plugin_type, name)
            .map_err(|e| startup_error(HookFailure::NotReady(Box::new(e))))?;
        let mut state = lock(&entry.state().lifecycle);
        if *state == Lifecycle::Started {
            return Ok(());
        }
        tracing::info!(plugin_type = %plugin_type, name, "plugin_activating");
        match run_hook(instance, Hook::Startup, timeout) {
            Ok(()) => {
                *state = Lifecycle::Started;
                lock(&self.started).push(at);
                tracing::info!(plugin_type = %plugin_type, name, "plugin_activated");
                Ok(())
            }
            Err(cause) => {
                let err = startup_error(cause);
                tracing::error!(error = %err, "plugin_activation_failed");
                Err(err)
            }
        }
    }

    /// Starts every registered plugin in dependency order with the default timeout;
    /// see [`activate_plugins_within`](Self::activate_plugins_within).
    pub fn activate_all(&self) -> Result<ActivationReport, PluginError> {
        self.activate_all_within(DEFAULT_LIFECYCLE_TIMEOUT)
    }

    /// [`activate_all`](Self::activate_all) with a timeout for each `startup()`.
    pub fn activate_all_within(&self, timeout: Duration) -> Result<ActivationReport, PluginError> {
        let (ids, duplicates) = self.all_ids();
        let mut report = self.activate_plugins_within(&ids, timeout)?;
        report.failed.extend(duplicates);
        Ok(report)
    }

    /// Starts `selection` in dependency order, each `startup()` with the default
    /// 30 s timeout; see [`activate_plugins_within`](Self::activate_plugins_within).
    pub fn activate_plugins(
        &self,
        selection: &[PluginId],
    ) -> Result<ActivationReport, PluginError> {
        self.activate_plugins_within(selection, DEFAULT_LIFECYCLE_TIMEOUT)
    }

    /// Starts `selection` in dependency order. A missing dependency or a cycle stops
    /// everything before anything starts (the error). Otherwise each plugin is started
    /// in turn, its `startup()` given `timeout`; one that fails is recorded and the
    /// others go on, except its dependents, which are not started and say which
    /// dependency failed.
    pub fn activate_plugins_within(
        &self,
        selection: &[PluginId],
        timeout: Duration,
    ) -> Result<ActivationReport, PluginError> {
        let order = self.resolve_dependencies(selection)?;
        let mut report = ActivationReport::default();
        let mut failed: BTreeSet<PluginId> = BTreeSet::new();
        for id in order {
            let desc = self.descriptor(id.plugin_type, &id.name)?;
            let broken = desc.dependencies.iter().find_map(|dep| {
                let (ty, name) = parse_dependency(dep).ok()?;
                failed
                    .iter()
                    .find(|f| f.name == name && ty.is_none_or(|t| t == f.plugin_type))
                    .map(|_| (*dep).to_owned())
            });
            let result = match broken {
                Some(dependency) => Err(PluginError::Startup {
                    plugin_type: id.plugin_type,
                    name: id.name.to_string(),
                    cause: HookFailure::DependencyFailed { dependency },
                }),
                None => self.activate_within(id.plugin_type, &id.name, timeout),
            };
            match result {
                Ok(()) => report.started.push(id),
                Err(err) => {
                    failed.insert(id.clone());
                    report.failed.push((id, err));
                }
            }
        }
        Ok(report)
    }

    /// Stops every started plugin in exact reverse order of startup, with the default
    /// timeout; see [`shutdown_all_within`](Self::shutdown_all_within).
    pub fn shutdown_all(&self) -> ShutdownReport {
        self.shutdown_all_within(DEFAULT_LIFECYCLE_TIMEOUT)
    }

    /// Stops every started plugin in exact reverse order of startup. Each `shutdown()`
    /// gets `timeout`; failures, panics and timeouts are recorded and the rest go on.
    /// Afterwards no plugin counts as started.
    pub fn shutdown_all_within(&self, timeout: Duration) -> ShutdownReport {
        let started = std::mem::take(&mut *lock(&self.started));
        let mut report = ShutdownReport::default();
        for at in started.into_iter().rev() {
            let Some(entry) = self.entries.get(at) else {
                continue;
            };
            let id = PluginId::from_static(entry.desc.plugin_type, entry.desc.name);
            let mut state = lock(&entry.state().lifecycle);
            *state = Lifecycle::Stopped;
            let Some(instance) = entry.instance() else {
                continue;
            };
            match run_hook(instance, Hook::Shutdown, timeout) {
                Ok(()) => {
                    tracing::info!(plugin = %id, "plugin_shutdown");
                    report.stopped.push(id);
                }
                Err(cause) => {
                    let err = PluginError::Shutdown {
                        plugin_type: id.plugin_type,
                        name: id.name.to_string(),
                        cause,
                    };
                    tracing::error!(error = %err, "plugin_shutdown_failed");
                    report.failed.push((id, err));
                }
            }
        }
        report
    }

    /// The plugins started so far, in startup order.
    pub fn started(&self) -> Vec<PluginId> {
        lock(&self.started)
            .iter()
            .filter_map(|&at| self.entries.get(at))
            .map(|e| PluginId::from_static(e.desc.plugin_type, e.desc.name))
            .collect()
    }
}
