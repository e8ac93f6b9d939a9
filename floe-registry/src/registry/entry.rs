//! One registration: its descriptor, and its runtime state (the plugin once built, its
//! config, where it is in its lifecycle).

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use super::check::{self, Fault};
use super::sync::lock;
use crate::config_slot::{ConfigSlot, Stored};
use crate::{Descriptor, PluginError, PluginId, PluginInstance};

/// Where a plugin is in its lifecycle. A hook runs on a pooled thread and moves the
/// plugin out of `Starting` or `Stopping` when it ends, even after the caller stopped
/// waiting for it: a hook still running is always known as running.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Phase {
    /// Not started, or stopped.
    #[default]
    Stopped,
    /// `startup()` is running; `stop` is set when a shutdown asked for the plugin
    /// meanwhile: the hook's thread then stops it as soon as it has started.
    Starting { stop: bool },
    /// `startup()` succeeded; `seq` orders the starts of every plugin.
    Started { seq: u64 },
    /// `shutdown()` is running.
    Stopping,
}

/// The lifecycle state of one plugin, shared with the pooled threads that run its
/// hooks (which outlive a call that timed out).
#[derive(Debug, Default)]
pub(crate) struct Hooks {
    phase: Mutex<Phase>,
    /// Set while a health check of the plugin runs (possibly hung on its thread).
    pub(crate) health_running: AtomicBool,
}

/// Orders the starts of every plugin of every registry: shutdown goes in reverse.
static STARTS: AtomicU64 = AtomicU64::new(0);

impl Hooks {
    /// The current phase.
    pub(crate) fn phase(&self) -> Phase {
        *lock(&self.phase)
    }

    /// Moves the phase with `f`, which returns what the caller learns.
    pub(crate) fn update<R>(&self, f: impl FnOnce(&mut Phase) -> R) -> R {
        f(&mut lock(&self.phase))
    }

    /// The end of `startup()`: started when it succeeded, stopped otherwise. Returns
    /// whether a shutdown was asked for while it ran and the plugin must be stopped now.
    pub(crate) fn started(&self, ok: bool) -> bool {
        self.update(|phase| {
            let stop = matches!(*phase, Phase::Starting { stop: true });
            *phase = if ok && !stop {
                Phase::Started {
                    seq: STARTS.fetch_add(1, Ordering::Relaxed),
                }
            } else if ok {
                Phase::Stopping
            } else {
                Phase::Stopped
            };
            ok && stop
        })
    }

    /// The end of `shutdown()`, whatever its outcome.
    pub(crate) fn stopped(&self) {
        self.update(|phase| *phase = Phase::Stopped);
    }
}

/// The configuration state of one plugin.
pub(crate) struct Configuration {
    /// The config: its one store, shared with the plugin's `ConfigCell` (see
    /// `config_slot.rs` for why the entry owns it).
    pub(crate) slot: Arc<ConfigSlot>,
    /// The config schema, derived on first use.
    pub(crate) schema: OnceLock<serde_json::Value>,
    /// Whether some node of the schema is a secret (`writeOnly`), found on first use.
    pub(crate) has_secrets: OnceLock<bool>,
    /// The compiled validator of the config schema, built on first use.
    pub(crate) validator: OnceLock<Result<jsonschema::Validator, String>>,
}

/// One registration: its descriptor, and its runtime state in a `OnceLock`, allocated
/// on first use, so that thousands of registrations never used cost 32 bytes each in
/// the store (the memory and discover goals, BENCHMARKS.md).
pub(crate) struct Entry {
    /// What the registry knows without building the plugin.
    pub(crate) desc: Descriptor,
    /// Everything else, allocated on first use.
    runtime: OnceLock<Box<Runtime>>,
}

/// The state of a registration that is used.
#[derive(Default)]
struct Runtime {
    /// The plugin, set once by the first successful load (or by `register_instance`).
    instance: OnceLock<PluginInstance>,
    /// Serialises loading, so that a plugin is built once.
    loading: Mutex<()>,
    /// The outcome of checking the descriptor against the rules, once.
    checked: OnceLock<Result<(), Fault>>,
    /// The declared dependencies, parsed once: resolving the startup order reads them
    /// for every plugin of a selection (the resolve goal, BENCHMARKS.md).
    dependencies: OnceLock<Result<Vec<Dependency>, String>>,
    /// Everything about configuration.
    configuration: OnceLock<Configuration>,
    /// The lifecycle state, shared with the threads that run the hooks.
    hooks: Arc<Hooks>,
}

/// A parsed dependency: a type (or any type) and a name.
pub(crate) type Dependency = (Option<crate::PluginType>, crate::Text);

impl Entry {
    /// A registration of `desc`, holding `instance` if it is built already.
    pub(crate) fn new(desc: Descriptor, instance: Option<PluginInstance>) -> Self {
        let runtime = OnceLock::new();
        if let Some(instance) = instance {
            let _ = runtime.set(Box::new(Runtime {
                instance: OnceLock::from(instance),
                ..Runtime::default()
            }));
        }
        Entry { desc, runtime }
    }

    fn runtime(&self) -> &Runtime {
        self.runtime.get_or_init(Default::default)
    }

    /// The plugin's identity.
    pub(crate) fn id(&self) -> PluginId {
        self.desc.id()
    }

    /// Whether the descriptor follows the rules: checked on the first call only.
    pub(crate) fn checked(&self) -> Result<(), PluginError> {
        self.runtime()
            .checked
            .get_or_init(|| check::check(&self.desc))
            .clone()
            .map_err(|fault| fault.error(&self.desc))
    }

    /// The declared dependencies, parsed on the first call; the parser's message for
    /// an invalid one.
    pub(crate) fn dependencies(&self) -> Result<&[Dependency], &str> {
        self.runtime()
            .dependencies
            .get_or_init(|| check::dependencies(&self.desc.dependencies))
            .as_deref()
            .map_err(String::as_str)
    }

    /// The built plugin, if any. Takes no lock and allocates nothing.
    pub(crate) fn instance(&self) -> Option<&PluginInstance> {
        self.runtime.get()?.instance.get()
    }

    /// The built plugin, building it with `build` if no one has: `build` runs once,
    /// however many threads ask first, and a failure is not kept (the next call
    /// tries again).
    pub(crate) fn instance_or_build(
        &self,
        build: impl FnOnce() -> Result<PluginInstance, PluginError>,
    ) -> Result<&PluginInstance, PluginError> {
        let runtime = self.runtime();
        if let Some(instance) = runtime.instance.get() {
            return Ok(instance);
        }
        let _loading = lock(&runtime.loading);
        if let Some(instance) = runtime.instance.get() {
            return Ok(instance);
        }
        let instance = build()?;
        Ok(runtime.instance.get_or_init(|| instance))
    }

    /// The configuration state, allocated on first call.
    pub(crate) fn configuration(&self) -> &Configuration {
        self.runtime().configuration.get_or_init(|| Configuration {
            slot: Arc::new(ConfigSlot::new(self.id())),
            schema: OnceLock::new(),
            has_secrets: OnceLock::new(),
            validator: OnceLock::new(),
        })
    }

    /// The configuration state if it exists.
    fn stored_configuration(&self) -> Option<&Configuration> {
        self.runtime.get()?.configuration.get()
    }

    /// Whether a config is stored.
    pub(crate) fn is_configured(&self) -> bool {
        self.stored_configuration().is_some_and(|c| c.slot.is_set())
    }

    /// The stored config, if any. Takes no lock.
    pub(crate) fn stored_config(&self) -> Option<Arc<Stored>> {
        self.stored_configuration()?.slot.load()
    }

    /// The lifecycle state, allocated on first call.
    pub(crate) fn hooks(&self) -> &Arc<Hooks> {
        &self.runtime().hooks
    }

    /// The phase, without allocating the lifecycle state.
    pub(crate) fn phase(&self) -> Phase {
        self.runtime
            .get()
            .map_or(Phase::Stopped, |r| r.hooks.phase())
    }
}
