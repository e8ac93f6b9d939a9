//! The registrations of a registry: their descriptors, written once at discovery, and
//! their runtime state, allocated on first use.
//!
//! Discovering thousands of plugins stores one pointer a registration (its
//! descriptor); the runtime part ([`Runtime`]: the instance, the locks, the configuration)
//! is allocated per group of [`CHUNK`] registrations on the first use of one of them,
//! so that plugins never used cost nothing beyond their descriptor pointer
//! (BENCHMARKS.md, memory and discovery).

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
    pub(crate) redaction: OnceLock<super::redact::Redaction>,
    /// The compiled validator of the config schema, built on first configure.
    pub(crate) validator: OnceLock<Result<jsonschema::Validator, String>>,
}

impl Configuration {
    fn new(plugin: &'static str) -> Self {
        Configuration {
            slot: Arc::new(ConfigSlot::new(plugin)),
            schema: OnceLock::new(),
            redaction: OnceLock::new(),
            validator: OnceLock::new(),
        }
    }
}

/// The runtime state of a registration beyond its instance, allocated on first use.
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

/// The runtime part of a registration: the instance inline, so that a lookup of a
/// loaded plugin follows no pointer beyond its group of runtimes, and the rest of the
/// state behind one pointer allocated on first use.
#[derive(Default)]
pub(crate) struct Runtime {
    /// Set once, by the first successful load (or by `register_instance`).
    instance: OnceLock<PluginInstance>,
    state: OnceLock<Box<State>>,
}

impl Runtime {
    /// A runtime holding `instance` already (`register_instance`).
    pub(crate) fn with_instance(instance: PluginInstance) -> Self {
        Runtime {
            instance: OnceLock::from(instance),
            state: OnceLock::new(),
        }
    }

    fn state(&self) -> &State {
        self.state.get_or_init(Default::default)
    }

    /// Whether `desc`, the descriptor of this runtime, follows the rules: checked on the
    /// first call only.
    pub(crate) fn checked(&self, desc: &'static PluginDescriptor) -> Result<(), PluginError> {
        self.state()
            .checked
            .get_or_init(|| check::check(desc))
            .clone()
            .map_err(|fault| fault.error(desc))
    }
}

/// How many registrations share one allocation of runtimes.
pub(crate) const CHUNK: usize = 64;

/// One registration, as a view into [`Entries`]: its descriptor and the way to its
/// runtime. Copying it is free; the runtime's group is allocated on the first call that
/// needs it (never by [`instance`](Self::instance) or the other read-only questions).
#[derive(Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub(crate) desc: &'static PluginDescriptor,
    at: usize,
    entries: &'a Entries,
}

impl<'a> Entry<'a> {
    /// The runtime, allocated (with its group) on first call.
    #[inline]
    fn runtime(self) -> &'a Runtime {
        self.entries.runtime(self.at)
    }

    /// The runtime if it exists already.
    #[inline]
    fn peek(self) -> Option<&'a Runtime> {
        self.entries.peek(self.at)
    }

    /// The runtime state, allocated on first call.
    pub(crate) fn state(self) -> &'a State {
        self.runtime().state()
    }

    /// Whether the descriptor follows the rules: checked on the first call only.
    pub(crate) fn checked(self) -> Result<(), PluginError> {
        self.runtime().checked(self.desc)
    }

    /// The loaded instance, if any. Takes no lock and allocates nothing.
    #[inline]
    pub(crate) fn instance(self) -> Option<&'a PluginInstance> {
        self.peek()?.instance.get()
    }

    /// Keeps `instance` as the loaded one unless one is set already; returns the kept
    /// one.
    pub(crate) fn keep_instance(self, instance: PluginInstance) -> &'a PluginInstance {
        self.runtime().instance.get_or_init(|| instance)
    }

    pub(crate) fn configuration(self) -> &'a Configuration {
        self.state()
            .configuration
            .get_or_init(|| Box::new(Configuration::new(self.desc.name)))
    }

    fn stored_configuration(self) -> Option<&'a Configuration> {
        self.peek()?.state.get()?.configuration.get().map(|c| &**c)
    }

    pub(crate) fn is_configured(self) -> bool {
        self.stored_configuration().is_some_and(|c| c.slot.is_set())
    }

    /// The stored config, if any. Takes no lock.
    pub(crate) fn stored_config(self) -> Option<Arc<Stored>> {
        self.stored_configuration()?.slot.load()
    }

    pub(crate) fn health_flag(self) -> Arc<AtomicBool> {
        Arc::clone(self.state().health_running.get_or_init(Default::default))
    }
}

/// The first batch of registrations: descriptors in one exact-size allocation, runtimes
/// in groups of [`CHUNK`] allocated on first use.
struct Batch {
    descs: Box<[&'static PluginDescriptor]>,
    runtimes: Box<[OnceLock<Box<[Runtime; CHUNK]>>]>,
}

impl Batch {
    fn new(descs: Vec<&'static PluginDescriptor>) -> Self {
        let groups = descs.len().div_ceil(CHUNK);
        Batch {
            descs: descs.into_boxed_slice(),
            runtimes: (0..groups).map(|_| OnceLock::new()).collect(),
        }
    }

    /// The group of runtimes holding `at`, allocated on first call.
    #[cold]
    #[inline(never)]
    fn group(&self, at: usize) -> Option<&[Runtime; CHUNK]> {
        let group = self.runtimes.get(at / CHUNK)?;
        Some(group.get_or_init(|| Box::new(std::array::from_fn(|_| Runtime::default()))))
    }
}

/// Every registration of a registry, by entry index, readable without a lock while
/// more are added.
///
/// The first batch added (normally the whole of `discover_all`) is a [`Batch`];
/// everything added after it goes to an append-only `boxcar::Vec` of descriptor and
/// runtime, whose elements never move. An entry index below the first batch's length is
/// in it, the others follow in the `boxcar::Vec`. Adding takes the registry's write
/// lock; reading takes none.
pub(crate) struct Entries {
    /// The first batch, set by the first addition of any kind (empty when that is a
    /// single registration), so that the indexes of later entries never change.
    first: OnceLock<Batch>,
    /// Everything added after the first batch.
    more: boxcar::Vec<(&'static PluginDescriptor, Runtime)>,
    /// See [`fallback`](Self::fallback).
    spare: OnceLock<Runtime>,
}

impl Entries {
    pub(crate) fn new() -> Self {
        Entries {
            first: OnceLock::new(),
            more: boxcar::Vec::new(),
            spare: OnceLock::new(),
        }
    }

    #[inline]
    fn first(&self) -> &[&'static PluginDescriptor] {
        self.first.get().map_or(&[], |b| &b.descs[..])
    }

    /// The descriptor of entry `at`. Takes no lock.
    #[inline(always)]
    pub(crate) fn desc(&self, at: usize) -> Option<&'static PluginDescriptor> {
        let first = self.first();
        match first.get(at) {
            Some(desc) => Some(desc),
            None => self.more.get(at - first.len()).map(|(desc, _)| *desc),
        }
    }

    /// The loaded instance of entry `at`, if any: the hot path of a lookup. Takes no
    /// lock and allocates nothing.
    #[inline(always)]
    pub(crate) fn instance(&self, at: usize) -> Option<&PluginInstance> {
        self.peek(at)?.instance.get()
    }

    /// The entry at `at`. Takes no lock and allocates nothing.
    #[inline]
    pub(crate) fn get(&self, at: usize) -> Option<Entry<'_>> {
        let desc = self.desc(at)?;
        Some(Entry {
            desc,
            at,
            entries: self,
        })
    }

    /// The runtime of entry `at` if it exists already.
    #[inline(always)]
    fn peek(&self, at: usize) -> Option<&Runtime> {
        match self.first.get() {
            Some(batch) if at < batch.descs.len() => {
                Some(&batch.runtimes.get(at / CHUNK)?.get()?[at % CHUNK])
            }
            first => {
                let len = first.map_or(0, |b| b.descs.len());
                self.more.get(at - len).map(|(_, runtime)| runtime)
            }
        }
    }

    /// The runtime of entry `at`, its group allocated on first call. `at` is an index this
    /// registry gave out, so the runtime exists; `Entry` is only built for those.
    fn runtime(&self, at: usize) -> &Runtime {
        if let Some(runtime) = self.peek(at) {
            return runtime;
        }
        let group = self.first.get().and_then(|b| b.group(at));
        match group {
            Some(group) => &group[at % CHUNK],
            // Unreachable for an index from `get`: every entry index has a runtime.
            None => self.fallback(),
        }
    }

    /// A runtime for an index that has none, which `get` never gives out: rather than
    /// panic, this registry's spare one.
    #[cold]
    fn fallback(&self) -> &Runtime {
        self.spare.get_or_init(Runtime::default)
    }

    /// How many entries there are.
    pub(crate) fn count(&self) -> usize {
        self.first().len() + self.more.count()
    }

    /// Every entry with its index.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (usize, Entry<'_>)> {
        (0..self.count()).filter_map(move |at| self.get(at).map(|e| (at, e)))
    }

    /// Adds a batch of descriptors, returning the index of its first entry. The
    /// caller holds the registry's write lock.
    pub(crate) fn extend(&self, batch: Vec<&'static PluginDescriptor>) -> usize {
        if self.first.get().is_none() {
            // Under the write lock: nothing else sets it.
            let _ = self.first.set(Batch::new(batch));
            return 0;
        }
        let start = self.count();
        for desc in batch {
            self.more.push((desc, Runtime::default()));
        }
        start
    }

    /// Adds one registration, returning its index. The caller holds the registry's
    /// write lock.
    pub(crate) fn push(&self, desc: &'static PluginDescriptor, runtime: Runtime) -> usize {
        let first = self
            .first
            .get_or_init(|| Batch::new(Vec::new()))
            .descs
            .len();
        first + self.more.push((desc, runtime))
    }
}

/// Locks a mutex, taking it back if a previous holder panicked: plugin code never runs
/// while our locks are held without a `catch_unwind` around it, so the data is sound.
pub(crate) fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PluginType;

    fn never() -> PluginInstance {
        unreachable!("nothing is built")
    }

    fn descs(n: usize) -> Vec<&'static PluginDescriptor> {
        (0..n)
            .map(|i| {
                let name: &'static str = Box::leak(format!("p{i:03}").into_boxed_str());
                let desc = PluginDescriptor::new(
                    PluginType::Dbt,
                    name,
                    "1.0.0",
                    crate::plugin_source!(X),
                    never,
                );
                &*Box::leak(Box::new(desc))
            })
            .collect()
    }

    /// Runtimes exist only for the groups of 64 that were used, the last (partial)
    /// group included, and entries added after the first batch have theirs inline.
    #[test]
    fn runtimes_are_allocated_per_group_on_first_use() {
        let entries = Entries::new();
        assert_eq!(entries.extend(descs(130)), 0);
        assert_eq!(entries.push(descs(1)[0], Runtime::default()), 130);
        assert_eq!(entries.count(), 131);
        assert!((0..131).all(|at| entries.peek(at).is_none() || at == 130));

        let last = entries.get(129).expect("in the first batch");
        assert_eq!(last.desc.name, "p129");
        assert!(last.instance().is_none(), "asking allocates nothing");
        assert!(entries.peek(129).is_none());
        let _ = last.state();
        assert!(entries.peek(128).is_some() && entries.peek(129).is_some());
        assert!(
            entries.peek(127).is_none(),
            "another group stays unallocated"
        );

        let added = entries.get(130).expect("after the first batch");
        assert!(std::ptr::eq(
            added.state(),
            entries.get(130).expect("still there").state()
        ));
        assert!(entries.get(131).is_none());
    }
}
