//! The plugin registry: discovery, registration, lazy loading and lookup.
//!
//! This file holds the type and the operations that find and load plugins; each
//! other concern has a file of its own:
//!
//! - `id.rs`: plugin identity ([`PluginId`]); `entry.rs`: one registration and its
//!   runtime state; `provider.rs`: where registrations come from; `sync.rs`: locks.
//! - `check.rs`: the metadata rules at run time, checked once per registration.
//! - `config.rs`: the configure API; `config_errors.rs`: validation failures as
//!   field errors; `schema.rs`: finding a place in a config schema; `redact.rs`:
//!   a config as JSON without its secrets. Where a config is stored, and why there:
//!   `config_slot.rs` in the crate root.
//! - `graph.rs`: dependency strings, the startup order and dependency problems.
//! - `settings.rs`: timeouts; `lifecycle.rs`: activation and shutdown;
//!   `health.rs`: concurrent health checks; `guard.rs`: running plugin code on a
//!   pooled thread, panics caught, within a deadline.

mod check;
mod coercion;
mod config;
mod config_errors;
mod entry;
mod graph;
mod guard;
mod health;
mod id;
mod lax;
mod lax_range;
mod lax_schema;
mod lax_walk;
mod lifecycle;
mod provider;
mod redact;
mod schema;
mod settings;
mod sync;
mod unportable;

use std::collections::hash_map::Entry::{Occupied, Vacant};
use std::collections::{BTreeMap, HashMap};
use std::sync::{Mutex, OnceLock, RwLock};

pub use self::coercion::ConfigCoercion;
pub(crate) use self::config_errors::deserialize_typed;
pub use self::graph::parse_dependency;
pub(crate) use self::guard::dispatch_noop_jobs;
pub use self::health::HealthReport;
pub use self::id::PluginId;
pub use self::lifecycle::{ActivationReport, ShutdownReport};
pub use self::provider::{Linked, PluginProvider};
pub use self::settings::{DEFAULT_HEALTH_TIMEOUT, DEFAULT_LIFECYCLE_TIMEOUT, Timeouts};
pub use self::unportable::{REJECTED_BY, UnportableField};

use self::entry::Entry;
use self::sync::{lock, read, write};
use crate::descriptor::Text;
use crate::{
    Descriptor, PluginDescriptor, PluginError, PluginInfo, PluginInstance, PluginKind, PluginType,
};

/// What a registration whose identity is taken already does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Taken {
    /// It is kept beside the other, and the identity is a duplicate.
    Duplicates,
    /// The earlier registration is used; this one is recorded as shadowed.
    Shadows,
}

/// What an identity resolves to. Entry indexes are `u32` (a registry holds far fewer
/// registrations) to keep the maps within the memory goal (BENCHMARKS.md).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Slot {
    /// One registration: its entry index.
    One(u32),
    /// Several registrations claim the identity: the two first by source, which the
    /// error names.
    Duplicate(u32, u32),
}

impl Slot {
    /// The entry index of the registration the identity answers with.
    fn first(self) -> usize {
        let (Slot::One(at) | Slot::Duplicate(at, _)) = self;
        at as usize
    }
}

/// An entry index as a [`Slot`] holds it.
fn index(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

/// Each plugin type's identities, by name. foldhash rather than std's SipHash: the
/// plain maps missed the discover and resolve goals (BENCHMARKS.md), and names are not
/// chosen by an adversary (they come from the program and its installed packages).
type Ids = [HashMap<Text, Slot, foldhash::fast::RandomState>; PluginType::COUNT];

/// The plugin registry: finds the plugins linked into the program (and those of any
/// other [`PluginProvider`]), builds each on first use, validates and stores their
/// configuration, starts and stops them in dependency order and checks their health.
///
/// It is `Send + Sync` and every operation takes `&self`: share one registry between
/// threads (or use [`PluginRegistry::global`]).
///
/// ```
/// use floe_registry::prelude::*;
///
/// /// In-memory compute for tests.
/// #[floe_plugin(type = Compute, name = "memory", version = "1.0.0")]
/// #[derive(Default)]
/// struct Memory;
/// impl ComputePlugin for Memory {}
///
/// let registry = PluginRegistry::new();
/// registry.discover_all();
/// let compute = registry.get_as::<dyn ComputePlugin>("memory")?;
/// assert_eq!(compute.version(), "1.0.0");
/// assert!(registry.list_all()[&PluginType::Compute].contains(&"memory"));
/// # Ok::<(), PluginError>(())
/// ```
pub struct PluginRegistry {
    /// Every registration, in the order added; never moved or removed, so that a
    /// plugin handed out by reference stays put.
    entries: boxcar::Vec<Entry>,
    /// Each type's identities, by name. Written (under the lock) only when
    /// registrations are added.
    ids: RwLock<Ids>,
    /// Set once the linked registrations are all added: racing callers of
    /// `discover_all` wait for it instead of returning early.
    discovered: OnceLock<()>,
    /// Plugins of providers whose identity was taken already, with the entry used.
    shadowed: Mutex<Vec<(usize, Descriptor)>>,
    timeouts: Timeouts,
}

impl Default for PluginRegistry {
    fn default() -> Self {
        Self::new()
    }
}

impl std::fmt::Debug for PluginRegistry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PluginRegistry")
            .field("registrations", &self.entries.count())
            .field("discovered", &self.discovered.get().is_some())
            .field("timeouts", &self.timeouts)
            .finish_non_exhaustive()
    }
}

impl PluginRegistry {
    /// An empty registry with the default [`Timeouts`]. Call
    /// [`discover_all`](Self::discover_all) to read the plugins linked into the
    /// program, or [`register`](Self::register) to add some.
    pub fn new() -> Self {
        Self::with_timeouts(Timeouts::default())
    }

    /// An empty registry whose hooks run within `timeouts`.
    pub fn with_timeouts(timeouts: Timeouts) -> Self {
        PluginRegistry {
            entries: boxcar::Vec::new(),
            ids: RwLock::new(Default::default()),
            discovered: OnceLock::new(),
            shadowed: Mutex::new(Vec::new()),
            timeouts,
        }
    }

    /// The timeouts of this registry's hooks.
    pub fn timeouts(&self) -> Timeouts {
        self.timeouts
    }

    /// The process-wide registry, discovered on first use.
    ///
    /// ```
    /// let registry = floe_registry::PluginRegistry::global();
    /// assert!(std::ptr::eq(registry, floe_registry::PluginRegistry::global()));
    /// ```
    pub fn global() -> &'static PluginRegistry {
        static GLOBAL: OnceLock<PluginRegistry> = OnceLock::new();
        GLOBAL.get_or_init(|| {
            let registry = PluginRegistry::new();
            registry.discover_all();
            registry
        })
    }

    /// Reads every `#[floe_plugin]` registration linked into the program (the
    /// [`Linked`] provider). Constructs nothing. Idempotent: later calls do nothing and
    /// return 0. Every call returns only once discovery is complete: a caller racing
    /// the first one waits for it, so its next lookup finds every linked plugin.
    ///
    /// Returns how many registrations were added. Two registrations of one identity are
    /// both kept, and that identity answers [`PluginError::Duplicate`] naming both
    /// sources; every other plugin is unaffected.
    ///
    /// A plugin crate that nothing in the program references is not linked, and its
    /// plugins are not found: reference it with `use plugin_crate as _;`. When nothing is
    /// found, a warning event says so.
    pub fn discover_all(&self) -> usize {
        let mut added = 0;
        // Only the first caller runs the closure; the others block until it returns.
        self.discovered.get_or_init(|| {
            let linked = crate::private::FLOE_REGISTRY_PLUGINS.iter();
            added = self.add(linked.map(Descriptor::Static), Taken::Duplicates);
            if added == 0 {
                tracing::warn!(
                    "no floe plugins are linked into this program; a plugin crate that nothing references is not linked: add `use plugin_crate as _;`"
                );
            }
            tracing::debug!(count = added, "discover_all");
        });
        added
    }

    /// Adds registrations from a slice instead of the linked ones: for tests,
    /// benchmarks and programs that assemble plugins themselves. Same rules as
    /// [`discover_all`](Self::discover_all) for duplicates; may be called several times.
    pub fn discover_from<I>(&self, descriptors: I) -> usize
    where
        I: IntoIterator<Item = &'static PluginDescriptor>,
    {
        self.add(
            descriptors.into_iter().map(Descriptor::Static),
            Taken::Duplicates,
        )
    }

    /// Adds every plugin `provider` offers. A plugin whose identity is registered
    /// already (a linked plugin, or one of a provider added earlier) is not added: the
    /// earlier one is used, and [`shadowed`](Self::shadowed) names both sources. Two
    /// plugins of one identity in the same provider are a duplicate, as in
    /// [`discover_all`](Self::discover_all). Returns how many were added; fails only
    /// when the provider could list nothing.
    ///
    /// Linked plugins come first because they are the ones this program was built
    /// with: to use a provider's plugin instead, build the program without the linked
    /// one.
    pub fn add_provider(&self, provider: &dyn PluginProvider) -> Result<usize, PluginError> {
        let descriptors = provider.descriptors()?;
        let added = self.add(descriptors.into_iter(), Taken::Shadows);
        tracing::debug!(provider = %provider.name(), count = added, "add_provider");
        Ok(added)
    }

    /// The plugins of providers that are not used because a plugin registered before
    /// them has their identity: one [`PluginError::Shadowed`] each, naming both
    /// sources. Warnings: every identity still answers with the plugin registered
    /// first.
    pub fn shadowed(&self) -> Vec<PluginError> {
        lock(&self.shadowed)
            .iter()
            .map(|(used, ignored)| PluginError::Shadowed {
                id: ignored.id(),
                used: self
                    .at(*used)
                    .map(|e| e.desc.source.to_string())
                    .unwrap_or_default(),
                ignored: ignored.source.to_string(),
            })
            .collect()
    }

    /// Adds a batch of registrations; a duplicated identity within the batch keeps
    /// every registration and answers the error naming the two first by source. An
    /// identity registered before the batch is a duplicate too, or, with
    /// [`Taken::Shadows`], keeps its registration and shadows the new one.
    fn add(&self, descriptors: impl Iterator<Item = Descriptor>, taken: Taken) -> usize {
        let batch: Vec<Descriptor> = descriptors.collect();
        let mut ids = write(&self.ids);
        let mut per_type = [0usize; PluginType::COUNT];
        for desc in &batch {
            per_type[desc.plugin_type.index()] += 1;
        }
        for (map, n) in ids.iter_mut().zip(per_type) {
            map.reserve(n);
        }
        let before = self.entries.count();
        let mut added = 0;
        // Asked once for the batch rather than once a registration (the discover goal).
        let trace = tracing::enabled!(tracing::Level::TRACE);
        for desc in batch {
            let t = desc.plugin_type.index();
            if taken == Taken::Shadows
                && let Some(used) = ids[t].get(&desc.name).map(|s| s.first())
                && used < before
            {
                tracing::warn!(plugin_type = %desc.plugin_type, name = %desc.name, source = %desc.source, "plugin_shadowed");
                lock(&self.shadowed).push((used, desc));
                continue;
            }
            if trace {
                tracing::trace!(plugin_type = %desc.plugin_type, name = %desc.name, source = %desc.source, "plugin_discovered");
            }
            let name = desc.name.clone();
            let at = self.entries.push(Entry::new(desc, None));
            added += 1;
            match ids[t].entry(name) {
                Vacant(vacant) => {
                    vacant.insert(Slot::One(index(at)));
                }
                Occupied(mut taken) => {
                    let slot = match *taken.get() {
                        Slot::One(first) => self.report_duplicate(first as usize, at),
                        Slot::Duplicate(a, b) => self.report_duplicate3(a as usize, b as usize, at),
                    };
                    taken.insert(slot);
                }
            }
        }
        added
    }

    /// The entry at `at`, which this registry gave out.
    fn at(&self, at: usize) -> Option<&Entry> {
        self.entries.get(at)
    }

    /// The duplicate of `a` and `b`, ordered by source, logged.
    fn report_duplicate(&self, a: usize, b: usize) -> Slot {
        let (first, second) = match (self.at(a), self.at(b)) {
            (Some(x), Some(y)) if y.desc.source < x.desc.source => (b, a),
            _ => (a, b),
        };
        if let Some(err) = self.duplicate_error(first, second) {
            tracing::error!(error = %err, "duplicate_plugin");
        }
        Slot::Duplicate(index(first), index(second))
    }

    /// A third registration of a duplicated identity: the two first by source are kept,
    /// so the report is the same whatever order the registrations came in.
    fn report_duplicate3(&self, a: usize, b: usize, c: usize) -> Slot {
        let mut three = [a, b, c];
        three.sort_by(|&x, &y| {
            let source = |i| self.at(i).map(|e| &e.desc.source);
            source(x).cmp(&source(y))
        });
        self.report_duplicate(three[0], three[1])
    }

    fn duplicate_error(&self, first: usize, second: usize) -> Option<PluginError> {
        let a = self.at(first)?;
        let b = self.at(second)?;
        Some(PluginError::Duplicate {
            id: a.id(),
            first: a.desc.source.to_string(),
            second: b.desc.source.to_string(),
        })
    }

    /// Adds one plugin by hand: a linked descriptor, a copy of one, or one built at run
    /// time ([`PluginDescriptor::runtime`]). Its name, version, dependencies and API
    /// version are checked (the attribute's rules), and an identity that is already
    /// taken is refused with [`PluginError::Duplicate`] naming both sources.
    ///
    /// Nothing is built: the plugin is constructed on first use. If the plugin built
    /// then reports another identity, version or source than this descriptor (a
    /// descriptor copied from another plugin), it is refused there with
    /// [`PluginError::ForeignDescriptor`] and never used.
    /// [`register_plugin`](Self::register_plugin) cannot make that mistake: it takes
    /// the descriptor from the plugin's type.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use floe_registry::{PluginDescriptor, PluginInstance, plugin_source};
    ///
    /// #[derive(Default)]
    /// struct Env;
    /// impl PluginMetadata for Env {
    ///     fn descriptor(&self) -> &PluginDescriptor { &ENV }
    /// }
    /// impl SecretsPlugin for Env {}
    /// static ENV: PluginDescriptor = PluginDescriptor::new(
    ///     PluginType::Secrets, "env", "1.0.0", plugin_source!(Env),
    ///     || PluginInstance::secrets(Env),
    /// );
    ///
    /// let registry = PluginRegistry::new();
    /// registry.register(&ENV)?;
    /// let again = registry.register(&ENV).unwrap_err();
    /// assert!(again.to_string().starts_with("Duplicate plugin: SECRETS:env"));
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn register(&self, descriptor: &PluginDescriptor) -> Result<(), PluginError> {
        self.register_entry(Entry::new(Descriptor::from(descriptor.clone()), None))
    }

    /// Adds the plugin type `P` by hand, with its own descriptor
    /// ([`FloePlugin::DESCRIPTOR`](crate::FloePlugin::DESCRIPTOR)): the checks and
    /// errors of [`register`](Self::register), without naming a descriptor. Builds
    /// nothing. For a plugin type that is linked in, [`discover_all`](Self::discover_all)
    /// finds it anyway; this is for registries assembled plugin by plugin.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    ///
    /// #[floe_plugin(type = Dbt, name = "register-plugin-doc", version = "1.0.0")]
    /// #[derive(Default)]
    /// struct Core;
    /// impl DbtPlugin for Core {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.register_plugin::<Core>()?;
    /// assert_eq!(registry.list_all()[&PluginType::Dbt], ["register-plugin-doc"]);
    /// assert!(!registry.info(PluginType::Dbt, "register-plugin-doc")?.is_loaded, "built on first use");
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn register_plugin<P: crate::FloePlugin>(&self) -> Result<(), PluginError> {
        self.register_entry(Entry::new(Descriptor::Static(P::DESCRIPTOR), None))
    }

    /// Adds a plugin that is already built, by hand. Its metadata comes from its
    /// [`PluginMetadata::descriptor`](crate::PluginMetadata::descriptor); the same checks
    /// as [`register`](Self::register) apply, and the instance is used as is (the
    /// descriptor's constructor is never called).
    pub fn register_instance(&self, instance: PluginInstance) -> Result<(), PluginError> {
        let desc = instance.metadata().descriptor().clone();
        if desc.plugin_type != instance.plugin_type() {
            return Err(PluginError::WrongType {
                id: desc.id(),
                expected: instance.plugin_type(),
            });
        }
        let entry = Entry::new(Descriptor::from(desc), Some(instance.clone()));
        // Built already: connected to its config store now, as a load would.
        config::attach(&entry, &instance)?;
        self.register_entry(entry)
    }

    fn register_entry(&self, entry: Entry) -> Result<(), PluginError> {
        entry.checked()?;
        let mut ids = write(&self.ids);
        let t = entry.desc.plugin_type.index();
        if let Some(slot) = ids[t].get(&entry.desc.name) {
            let first = slot.first();
            return Err(PluginError::Duplicate {
                id: entry.id(),
                first: self
                    .at(first)
                    .map(|e| e.desc.source.to_string())
                    .unwrap_or_default(),
                second: entry.desc.source.to_string(),
            });
        }
        let name = entry.desc.name.clone();
        tracing::info!(plugin_type = %entry.desc.plugin_type, name = %name, version = %entry.desc.version, "plugin_registered");
        let at = self.entries.push(entry);
        ids[t].insert(name, Slot::One(index(at)));
        Ok(())
    }

    /// The entry of an identity: not found (with suggestions) and duplicates are errors.
    fn entry(&self, plugin_type: PluginType, name: &str) -> Result<&Entry, PluginError> {
        self.entry_in(&read(&self.ids), plugin_type, name)
    }

    /// The entries of `asked`, in order, under one read of the maps.
    fn entries_of(&self, asked: &[&PluginId]) -> Result<Vec<&Entry>, PluginError> {
        let ids = read(&self.ids);
        asked
            .iter()
            .map(|id| self.entry_in(&ids, id.plugin_type, &id.name))
            .collect()
    }

    /// [`entry`](Self::entry) in maps already read.
    fn entry_in(
        &self,
        ids: &Ids,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<&Entry, PluginError> {
        let of_type = &ids[plugin_type.index()];
        let slot = of_type.get(name).copied();
        let not_found = || PluginError::not_found(plugin_type, name, of_type.keys().map(|k| &**k));
        match slot {
            Some(Slot::One(at)) => self.at(at as usize).ok_or_else(not_found),
            Some(Slot::Duplicate(a, b)) => Err(self
                .duplicate_error(a as usize, b as usize)
                .unwrap_or_else(not_found)),
            None => Err(not_found()),
        }
    }

    /// The plugin `name` of `plugin_type`, built on first use (exactly once, even when
    /// several threads ask first at the same time) and cached.
    ///
    /// Errors: not found (with "did you mean" suggestions), duplicate identity, invalid
    /// metadata, incompatible API version, or a constructor that panicked (a factory
    /// that failed).
    pub fn get(&self, plugin_type: PluginType, name: &str) -> Result<&PluginInstance, PluginError> {
        self.load(self.entry(plugin_type, name)?)
    }

    /// The plugin `name` as its type's trait object, for example
    /// `registry.get_as::<dyn ComputePlugin>("duckdb")`.
    pub fn get_as<K: PluginKind + ?Sized>(&self, name: &str) -> Result<&K, PluginError> {
        let instance = self.get(K::TYPE, name)?;
        K::from_instance(instance).ok_or_else(|| wrong_type(instance, K::TYPE))
    }

    /// Like [`get_as`](Self::get_as), but a shared handle that outlives the borrow of
    /// the registry (to move into a thread).
    pub fn get_arc<K: PluginKind + ?Sized>(
        &self,
        name: &str,
    ) -> Result<std::sync::Arc<K>, PluginError> {
        let instance = self.get(K::TYPE, name)?;
        K::arc_from_instance(instance).ok_or_else(|| wrong_type(instance, K::TYPE))
    }

    /// The built plugin of `entry`, building it on first use: the rules checked, the
    /// constructor run with panics caught, the result checked against the descriptor
    /// and connected to its config store.
    fn load<'a>(&self, entry: &'a Entry) -> Result<&'a PluginInstance, PluginError> {
        entry.instance_or_build(|| {
            entry.checked()?;
            let desc = &entry.desc;
            let instance = match guard::catch(|| desc.constructor.build(desc)) {
                Ok(Ok(instance)) => instance,
                Ok(Err(error)) => {
                    return Err(PluginError::Load {
                        id: entry.id(),
                        message: crate::ErrorChain(&error).to_string(),
                    });
                }
                Err(panic) => {
                    return Err(PluginError::Load {
                        id: entry.id(),
                        message: format!("constructor panicked: {panic}"),
                    });
                }
            };
            check::instance_matches(desc, &instance)?;
            config::attach(entry, &instance)?;
            tracing::info!(plugin_type = %desc.plugin_type, name = %desc.name, version = %desc.version, "plugin_loaded");
            Ok(instance)
        })
    }

    /// Every plugin of `plugin_type`, loaded, sorted by name. Plugins that fail to load
    /// (duplicates, incompatible, panicking constructors) are skipped with a warning
    /// event; this never fails.
    pub fn list(&self, plugin_type: PluginType) -> Vec<&PluginInstance> {
        self.names(plugin_type)
            .into_iter()
            .filter_map(|name| match self.get(plugin_type, name) {
                Ok(instance) => Some(instance),
                Err(error) => {
                    tracing::warn!(%error, "plugin_list_skipped");
                    None
                }
            })
            .collect()
    }

    /// The names of `plugin_type`, sorted.
    fn names(&self, plugin_type: PluginType) -> Vec<&str> {
        let mut names: Vec<&str> = read(&self.ids)[plugin_type.index()]
            .values()
            .filter_map(|slot| self.at(slot.first()))
            .map(|e| &*e.desc.name)
            .collect();
        names.sort_unstable();
        names
    }

    /// The names of every registered plugin, by type: every type is a key, names are
    /// sorted, and nothing is loaded.
    pub fn list_all(&self) -> BTreeMap<PluginType, Vec<&str>> {
        PluginType::ALL
            .into_iter()
            .map(|t| (t, self.names(t)))
            .collect()
    }

    /// The descriptor of a plugin, without loading it.
    pub fn descriptor(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<Descriptor, PluginError> {
        self.entry(plugin_type, name).map(|e| e.desc.clone())
    }

    /// Whether a plugin follows the metadata rules and needs an API this registry
    /// implements: the check every load makes, without loading. The errors are
    /// [`PluginError::InvalidMetadata`] and [`PluginError::Incompatible`] (and those of
    /// a lookup).
    ///
    /// ```
    /// use floe_registry::prelude::*;
    ///
    /// #[floe_plugin(type = Compute, name = "check-doc", version = "1.0.0")]
    /// #[derive(Default)]
    /// struct Fine;
    /// impl ComputePlugin for Fine {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// registry.check_plugin(PluginType::Compute, "check-doc")?;
    /// assert!(!registry.info(PluginType::Compute, "check-doc")?.is_loaded);
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn check_plugin(&self, plugin_type: PluginType, name: &str) -> Result<(), PluginError> {
        self.entry(plugin_type, name)?.checked()
    }

    /// Serializable information about one plugin. Loads nothing.
    pub fn info(&self, plugin_type: PluginType, name: &str) -> Result<PluginInfo, PluginError> {
        Ok(info_of(self.entry(plugin_type, name)?))
    }

    /// Information about every registered plugin, by type then name. Duplicated
    /// identities appear once per registration. Loads nothing.
    pub fn infos(&self) -> Vec<PluginInfo> {
        let mut all: Vec<PluginInfo> = self.entries.iter().map(|(_, e)| info_of(e)).collect();
        all.sort_by(|a, b| {
            (a.plugin_type, &a.name, &a.source).cmp(&(b.plugin_type, &b.name, &b.source))
        });
        all
    }

    /// The problems of the registry as a whole: one [`PluginError::Duplicate`] per
    /// duplicated identity, by type then name.
    pub fn duplicates(&self) -> Vec<PluginError> {
        let mut pairs: Vec<(usize, usize)> = read(&self.ids)
            .iter()
            .flat_map(|of_type| of_type.values())
            .filter_map(|slot| match *slot {
                Slot::Duplicate(a, b) => Some((a as usize, b as usize)),
                Slot::One(_) => None,
            })
            .collect();
        pairs.sort_by_key(|&(a, _)| self.at(a).map(Entry::id));
        pairs
            .into_iter()
            .filter_map(|(a, b)| self.duplicate_error(a, b))
            .collect()
    }

    /// Every registered identity, by type then name, with the entry of those
    /// registered once; duplicated ones with their error.
    fn all_entries(&self) -> (Vec<&Entry>, Vec<(PluginId, PluginError)>) {
        let ids = read(&self.ids);
        let mut ok = Vec::new();
        let mut dup = Vec::new();
        for of_type in ids.iter() {
            for slot in of_type.values() {
                match *slot {
                    Slot::One(at) => ok.extend(self.at(at as usize)),
                    Slot::Duplicate(a, b) => {
                        let (a, b) = (a as usize, b as usize);
                        if let (Some(entry), Some(err)) = (self.at(a), self.duplicate_error(a, b)) {
                            dup.push((entry.id(), err));
                        }
                    }
                }
            }
        }
        ok.sort_by_key(|e| e.id());
        dup.sort_by(|a, b| a.0.cmp(&b.0));
        (ok, dup)
    }
}

fn wrong_type(instance: &PluginInstance, expected: PluginType) -> PluginError {
    PluginError::WrongType {
        id: instance.metadata().id(),
        expected,
    }
}

fn info_of(entry: &Entry) -> PluginInfo {
    let d = &entry.desc;
    PluginInfo {
        name: d.name.to_string(),
        version: d.version.to_string(),
        floe_api_version: d.floe_api_version.to_string(),
        plugin_type: d.plugin_type,
        description: d.description.to_string(),
        dependencies: d.dependencies.iter().map(str::to_owned).collect(),
        is_loaded: entry.instance().is_some(),
        is_configured: entry.is_configured(),
        has_config: d.config.is_some(),
        source: d.source.to_string(),
        crate_name: d.source.package().to_owned(),
        api_compatible: !matches!(entry.checked(), Err(PluginError::Incompatible { .. })),
        linked: d.source.is_linked(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> PluginInstance {
        unreachable!("nothing is built")
    }

    macro_rules! desc {
        ($name:literal, $source:ident) => {
            PluginDescriptor::new(
                PluginType::Dbt,
                $name,
                "1.0.0",
                crate::plugin_source!($source),
                never,
            )
        };
    }

    static X1: PluginDescriptor = desc!("x", X1);
    static Y: PluginDescriptor = desc!("y", Y);
    static X2: PluginDescriptor = desc!("x", X2);
    static Z3: PluginDescriptor = desc!("z", Z3);
    static Z1: PluginDescriptor = desc!("z", Z1);
    static Z2: PluginDescriptor = desc!("z", Z2);
    static A: PluginDescriptor = desc!("a", A);
    static Y2: PluginDescriptor = desc!("y", Y2);

    fn sources(err: PluginError) -> (String, String) {
        match err {
            PluginError::Duplicate { first, second, .. } => (first, second),
            other => panic!("not a duplicate: {other}"),
        }
    }

    /// Batches add up; duplicates within a batch, across batches and of three
    /// registrations are found, the two first by source kept.
    #[test]
    fn batches_add_up_and_duplicates_are_found_within_and_across_them() {
        let registry = PluginRegistry::new();
        assert_eq!(registry.discover_from([&X1, &Y]), 2);
        assert!(registry.descriptor(PluginType::Dbt, "x").is_ok());
        assert_eq!(registry.discover_from([&Z3, &X2, &Z2, &Z1]), 4);
        registry.register(&A).expect("a new name after discovery");
        assert!(matches!(
            registry.register(&Y2),
            Err(PluginError::Duplicate { .. })
        ));
        assert_eq!(registry.list_all()[&PluginType::Dbt], ["a", "x", "y", "z"]);
        for name in ["y", "a"] {
            let found = registry.descriptor(PluginType::Dbt, name).expect("found");
            assert_eq!(found.name, name);
        }
        for (name, a, b) in [("x", "::X1)", "::X2)"), ("z", "::Z1)", "::Z2)")] {
            let (first, second) = sources(
                registry
                    .descriptor(PluginType::Dbt, name)
                    .expect_err("duplicated"),
            );
            assert!(first.contains(a) && second.contains(b), "{first} {second}");
        }
        assert_eq!(registry.duplicates().len(), 2);
        assert_eq!(registry.infos().len(), 7);
    }
}
