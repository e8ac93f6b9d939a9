//! The lifecycle: starting plugins in dependency order and stopping them in reverse.
//!
//! Each hook runs on a pooled thread within the registry's lifecycle timeout, and no
//! lock is held while it runs. The plugin's [`Phase`] says where it is: a retry while
//! a hook still runs (after the caller's deadline passed) gets an error saying so,
//! and the hook's own thread moves the phase on when the hook ends, however late.

use std::collections::BTreeSet;
use std::sync::Arc;

use super::PluginRegistry;
use super::entry::{Entry, Hooks, Phase};
use super::graph::parse_dependency;
use super::guard::{self, Outcome};
use super::id::PluginId;
use crate::{Hook, HookFailure, PluginError, PluginInstance, PluginType};

/// What [`PluginRegistry::activate_all`] did: the plugins started, in order, and those
/// that did not start, each with its reason.
#[derive(Debug, Default)]
#[non_exhaustive]
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
#[non_exhaustive]
pub struct ShutdownReport {
    /// Stopped cleanly, in shutdown order (the reverse of startup).
    pub stopped: Vec<PluginId>,
    /// Whose `shutdown()` failed, panicked or timed out (they count as stopped), and
    /// those whose `startup()` was still running: each is stopped by its hook's thread
    /// as soon as its startup ends.
    pub failed: Vec<(PluginId, PluginError)>,
}

/// Runs `hook` of a plugin on a pooled thread within `timeout`: `job` calls the hook
/// (its panic caught) and moves the plugin's phase on when it ends, however late; the
/// caller only waits. When no thread could run it, `never_ran` moves the phase back.
fn run_hook(
    hook: Hook,
    timeout: std::time::Duration,
    job: impl FnOnce() -> Result<Result<(), PluginError>, String> + Send + 'static,
    never_ran: impl FnOnce(),
) -> Result<(), HookFailure> {
    match guard::run_with_timeout(timeout, job) {
        Outcome::Done(Ok(Ok(()))) => Ok(()),
        Outcome::Done(Ok(Err(error))) => Err(HookFailure::Error {
            hook,
            error: Box::new(error),
        }),
        Outcome::Done(Err(message)) | Outcome::Panicked(message) => {
            Err(HookFailure::Panicked { hook, message })
        }
        Outcome::TimedOut => Err(HookFailure::TimedOut { hook, timeout }),
        Outcome::NoThread(reason) => {
            never_ran();
            Err(HookFailure::NoThread { hook, reason })
        }
    }
}

/// Runs `startup()`: started when it succeeds, and stopped at once by its own thread
/// if a shutdown asked for the plugin while it ran.
fn run_startup(
    instance: PluginInstance,
    hooks: Arc<Hooks>,
    timeout: std::time::Duration,
) -> Result<(), HookFailure> {
    let on_thread = Arc::clone(&hooks);
    let job = move || {
        let result = guard::catch(|| instance.startup());
        if on_thread.started(matches!(result, Ok(Ok(())))) {
            let _ = guard::catch(|| instance.shutdown());
            on_thread.stopped();
        }
        result
    };
    run_hook(Hook::Startup, timeout, job, || hooks.stopped())
}

/// Runs `shutdown()`: stopped when it ends, whatever its outcome.
fn run_shutdown(
    instance: PluginInstance,
    hooks: Arc<Hooks>,
    timeout: std::time::Duration,
) -> Result<(), HookFailure> {
    let on_thread = Arc::clone(&hooks);
    let job = move || {
        let result = guard::catch(|| instance.shutdown());
        on_thread.stopped();
        result
    };
    run_hook(Hook::Shutdown, timeout, job, || hooks.stopped())
}

impl PluginRegistry {
    /// Starts one plugin (loading it first), once: later calls return at once.
    /// `startup()` runs on a pooled thread within the registry's lifecycle timeout
    /// ([`Timeouts`](crate::Timeouts)); the call returns at the deadline even if the hook
    /// hangs, and a panic in the hook is caught. Either way the error is
    /// [`PluginError::Startup`] with the cause.
    ///
    /// `startup()` is never run twice at once: while it still runs (a call that timed
    /// out left it on its thread), another call fails with
    /// [`HookFailure::StillRunning`]. When it ends, the plugin is started (or not)
    /// as the hook says, however late.
    pub fn activate(&self, plugin_type: PluginType, name: &str) -> Result<(), PluginError> {
        let entry = self.entry(plugin_type, name)?;
        self.activate_entry(entry)
    }

    fn activate_entry(&self, entry: &Entry) -> Result<(), PluginError> {
        let id = entry.id();
        let startup_error = |cause| PluginError::Startup {
            id: id.clone(),
            cause,
        };
        let instance = self
            .load(entry)
            .map_err(|e| startup_error(HookFailure::NotReady(Box::new(e))))?;
        let hooks = entry.hooks();
        let busy = hooks.update(|phase| match *phase {
            Phase::Started { .. } => Some(Ok(())),
            Phase::Starting { .. } => Some(Err(Hook::Startup)),
            Phase::Stopping => Some(Err(Hook::Shutdown)),
            Phase::Stopped => {
                *phase = Phase::Starting { stop: false };
                None
            }
        });
        match busy {
            Some(Ok(())) => return Ok(()),
            Some(Err(hook)) => return Err(startup_error(HookFailure::StillRunning { hook })),
            None => {}
        }
        tracing::info!(plugin = %id, "plugin_activating");
        match run_startup(instance.clone(), Arc::clone(hooks), self.timeouts.lifecycle) {
            Ok(()) => {
                tracing::info!(plugin = %id, "plugin_activated");
                Ok(())
            }
            Err(cause) => {
                let err = startup_error(cause);
                tracing::error!(error = %err, "plugin_activation_failed");
                Err(err)
            }
        }
    }

    /// Starts every registered plugin in dependency order; see
    /// [`activate_plugins`](Self::activate_plugins). Duplicated identities are
    /// reported as failed.
    pub fn activate_all(&self) -> Result<ActivationReport, PluginError> {
        let (entries, duplicates) = self.all_entries();
        let ids: Vec<PluginId> = entries.iter().map(|e| e.id()).collect();
        let mut report = self.activate_plugins(&ids)?;
        report.failed.extend(duplicates);
        Ok(report)
    }

    /// Starts `selection` in dependency order. A missing dependency or a cycle stops
    /// everything before anything starts (the error). Otherwise each plugin is started
    /// in turn, as by [`activate`](Self::activate); one that fails is recorded and the
    /// others go on, except its dependents, which are not started and say which
    /// dependency failed.
    pub fn activate_plugins(
        &self,
        selection: &[PluginId],
    ) -> Result<ActivationReport, PluginError> {
        let order = self.resolve_dependencies(selection)?;
        let mut report = ActivationReport::default();
        let mut failed: BTreeSet<PluginId> = BTreeSet::new();
        for id in order {
            let entry = self.entry(id.plugin_type, &id.name)?;
            let broken = entry.desc.dependencies.iter().find_map(|dep| {
                let (ty, name) = parse_dependency(dep).ok()?;
                failed
                    .iter()
                    .find(|f| f.name == name && ty.is_none_or(|t| t == f.plugin_type))
                    .map(|_| dep.to_owned())
            });
            let result = match broken {
                Some(dependency) => Err(PluginError::Startup {
                    id: id.clone(),
                    cause: HookFailure::DependencyFailed { dependency },
                }),
                None => self.activate_entry(entry),
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

    /// Stops every started plugin in exact reverse order of startup. Each `shutdown()`
    /// runs within the registry's lifecycle timeout; failures, panics and timeouts are
    /// recorded and the rest go on. Afterwards no plugin counts as started.
    ///
    /// A plugin whose `startup()` is still running is not waited for: it is reported
    /// in `failed` ([`HookFailure::StopDeferred`]) and stopped by its hook's thread as
    /// soon as its startup ends.
    pub fn shutdown_all(&self) -> ShutdownReport {
        let mut report = ShutdownReport::default();
        let mut started: Vec<(u64, &Entry)> = Vec::new();
        for (_, entry) in self.entries.iter() {
            match entry.phase() {
                Phase::Started { seq } => started.push((seq, entry)),
                Phase::Starting { .. } => {
                    entry.hooks().update(|phase| {
                        if let Phase::Starting { stop } = phase {
                            *stop = true;
                        }
                    });
                    let id = entry.id();
                    report.failed.push((
                        id.clone(),
                        PluginError::Shutdown {
                            id,
                            cause: HookFailure::StopDeferred,
                        },
                    ));
                }
                Phase::Stopped | Phase::Stopping => {}
            }
        }
        started.sort_by_key(|&(seq, _)| std::cmp::Reverse(seq));
        for (_, entry) in started {
            let id = entry.id();
            let hooks = entry.hooks();
            let claimed = hooks.update(|phase| {
                let was_started = matches!(*phase, Phase::Started { .. });
                if was_started {
                    *phase = Phase::Stopping;
                }
                was_started
            });
            let Some(instance) = entry.instance().filter(|_| claimed) else {
                continue;
            };
            match run_shutdown(instance.clone(), Arc::clone(hooks), self.timeouts.lifecycle) {
                Ok(()) => {
                    tracing::info!(plugin = %id, "plugin_shutdown");
                    report.stopped.push(id);
                }
                Err(cause) => {
                    let err = PluginError::Shutdown {
                        id: id.clone(),
                        cause,
                    };
                    tracing::error!(error = %err, "plugin_shutdown_failed");
                    report.failed.push((id, err));
                }
            }
        }
        report
    }

    /// The plugins started now, in startup order.
    pub fn started(&self) -> Vec<PluginId> {
        let mut started: Vec<(u64, PluginId)> = self
            .entries
            .iter()
            .filter_map(|(_, e)| match e.phase() {
                Phase::Started { seq } => Some((seq, e.id())),
                _ => None,
            })
            .collect();
        started.sort();
        started.into_iter().map(|(_, id)| id).collect()
    }
}
