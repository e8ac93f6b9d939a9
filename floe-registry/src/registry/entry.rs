//! One registration inside a registry: its descriptor and, from its first use, its
//! runtime state.

use std::sync::atomic::AtomicBool;
use std::sync::{Arc, Mutex, OnceLock};

use super::check::{self, Fault};
use crate::config_slot::{ConfigSlot, Stored};
use crate::{PluginDescriptor, PluginError, PluginInstance};

/// Where a plugin is in its lifecycle.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Lifecycle {
    /// Not started (or shut down).
    #[default]
    Stopped,
    /// `startup()` succeeded.
    Started,
}

/// The configuration state of one plugin.
pub(crate) struct Configuration {
    /// The config: its one store, shared with the plugin's `ConfigCell` (see
    /// `config_slot.rs` for why the entry owns it).
    pub(crate) slot: Arc<ConfigSlot>,
    /// The config schema, derived on first use.
    pub(crate) schema: OnceLock<serde_json::Value>,
    /// What redacting a config of this schema takes (secrets, depth), found on first use.
    pub(crate) secrets: OnceLock<super::redact::Redaction>,
    /// The compiled validator of the config schema, built on first configure.
    pub(crate) validator: OnceLock<Result<jsonschema::Validator, String>>,
}

impl Configuration {
    fn new(plugin: &'static str) -> Self {
        Configuration {
            slot: Arc::new(ConfigSlot::new(plugin)),
            schema: OnceLock::new(),
            secrets: OnceLock::new(),
            validator: OnceLock::new(),
        }
    }
}

/// The runtime state of a registration, allocated on its first use.
#[derive(Default)]
pub(crate) struct State {
    /// Serialises loading, so that a plugin is built once.
    pub(crate) init: Mutex<()>,
    /// Everything about configuration, allocated on first configure.
    configuration: OnceLock<Box<Configuration>>,
    /// The lifecycle state, held while a hook of this plugin runs.
    pub(crate) lifecycle: Mutex<Lifecycle>,
    /// Set while a health check of this plugin runs (possibly hung on its thread).
    health_running: OnceLock<Arc<AtomicBool>>,
    /// The outcome of checking the descriptor against the rules, once.
    checked: OnceLock<Result<(), Fault>>,
}

/// A registration: 56 bytes until it is first used, so that discovering thousands of
/// plugins stays cheap (BENCHMARKS.md, memory). The instance is inline, so that a
/// lookup of a loaded plugin follows no pointer from the entry; the rest of the
/// runtime state is allocated on first use.
pub(crate) struct Entry {
    pub(crate) desc: &'static PluginDescriptor,
    /// Set once, by the first successful load (or by `register_instance`).
    pub(crate) instance: OnceLock<PluginInstance>,
    state: OnceLock<Box<State>>,
}

impl Entry {
    pub(crate) fn new(desc: &'static PluginDescriptor) -> Self {
        Entry {
            desc,
            instance: OnceLock::new(),
            state: OnceLock::new(),
        }
    }

    /// The runtime state, allocated on first call.
    pub(crate) fn state(&self) -> &State {
        self.state.get_or_init(Default::default)
    }

    /// Whether the descriptor follows the rules: checked on the first call only.
    pub(crate) fn checked(&self) -> Result<(), PluginError> {
        self.state()
            .checked
            .get_or_init(|| check::check(self.desc))
            .clone()
            .map_err(|fault| fault.error(self.desc))
    }

    /// The loaded instance, if any. Takes no lock.
    #[inline]
    pub(crate) fn instance(&self) -> Option<&PluginInstance> {
        self.instance.get()
    }

    pub(crate) fn configuration(&self) -> &Configuration {
        self.state()
            .configuration
            .get_or_init(|| Box::new(Configuration::new(self.desc.name)))
    }

    fn stored_configuration(&self) -> Option<&Configuration> {
        self.state.get()?.configuration.get().map(|c| &**c)
    }

    pub(crate) fn is_configured(&self) -> bool {
        self.stored_configuration().is_some_and(|c| c.slot.is_set())
    }

    /// The stored config, if any. Takes no lock.
    pub(crate) fn stored_config(&self) -> Option<Arc<Stored>> {
        self.stored_configuration()?.slot.load()
    }

    pub(crate) fn health_flag(&self) -> Arc<AtomicBool> {
        Arc::clone(self.state().health_running.get_or_init(Default::default))
    }
}

/// Every registration of a registry, by entry index, readable without a lock while
/// more are added.
///
/// The first batch added (normally the whole of `discover_all`) is one allocation of
/// exactly its size, written in one pass; everything added after it goes to an
/// append-only `boxcar::Vec`, whose elements never move. An entry index below the
/// first batch's length is in it, the others follow in the `boxcar::Vec`. Adding
/// takes the registry's write lock; reading takes none.
pub(crate) struct Entries {
    /// The first batch, set by the first addition of any kind (empty when that is a
    /// single registration), so that the indexes of later entries never change.
    first: OnceLock<Box<[Entry]>>,
    /// Everything added after the first batch.
    more: boxcar::Vec<Entry>,
}

impl Entries {
    pub(crate) fn new() -> Self {
        Entries {
            first: OnceLock::new(),
            more: boxcar::Vec::new(),
        }
    }

    #[inline]
    fn first(&self) -> &[Entry] {
        self.first.get().map_or(&[], |b| &b[..])
    }

    /// The entry at `at`. Takes no lock.
    #[inline]
    pub(crate) fn get(&self, at: usize) -> Option<&Entry> {
        let first = self.first();
        match first.get(at) {
            Some(entry) => Some(entry),
            None => self.more.get(at - first.len()),
        }
    }

    /// How many entries there are.
    pub(crate) fn count(&self) -> usize {
        self.first().len() + self.more.count()
    }

    /// Every entry with its index.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, &Entry)> {
        let first = self.first();
        first.iter().enumerate().chain(
            self.more
                .iter()
                .map(move |(at, entry)| (first.len() + at, entry)),
        )
    }

    /// Adds a batch, returning the index of its first entry. The caller holds the
    /// registry's write lock.
    pub(crate) fn extend(&self, batch: Vec<Entry>) -> usize {
        if self.first.get().is_none() {
            // Under the write lock: nothing else sets it.
            let _ = self.first.set(batch.into_boxed_slice());
            return 0;
        }
        let start = self.count();
        for entry in batch {
            self.more.push(entry);
        }
        start
    }

    /// Adds one entry, returning its index. The caller holds the registry's write
    /// lock.
    pub(crate) fn push(&self, entry: Entry) -> usize {
        let first = self.first.get_or_init(Default::default).len();
        first + self.more.push(entry)
    }
}

/// Locks a mutex, taking it back if a previous holder panicked: plugin code never runs
/// while our locks are held without a `catch_unwind` around it, so the data is sound.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}
