//! The plugin registry: discovery, registration, lazy loading and lookup.
//!
//! This file holds the type and the operations that find and load plugins; each
//! other concern has a file of its own:
//!
//! - `id.rs`: plugin identity ([`PluginId`]).
//! - `check.rs`: the metadata rules at run time, checked once per registration.
//! - `entry.rs`: the store of registrations (descriptors, and runtime state allocated
//!   on first use); `group.rs`: discovery's grouping of a batch by type and name;
//!   `index.rs`: the sorted names and the lookup tables.
//! - `config.rs`: the configure API; `config_errors.rs`: validation failures as
//!   field errors; `schema.rs`: finding a place in a config schema; `redact.rs`:
//!   a config as JSON without its secrets. Where a config is stored, and why there:
//!   `config_slot.rs` in the crate root.
//! - `graph.rs`: dependency strings, the startup order and dependency problems.
//! - `lifecycle.rs`: activation and shutdown, hooks within a deadline.
//! - `health.rs`: concurrent health checks; `guard.rs`: running plugin code on a
//!   pooled thread, panics caught, within a deadline; `batch.rs`: many such calls
//!   dispatched as one queue, with the caller as supervisor.

mod batch;
mod check;
mod config;
mod config_errors;
mod entry;
mod graph;
mod group;
mod guard;
mod health;
mod id;
mod index;
mod lifecycle;
mod redact;
mod schema;

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, OnceLock};

use arc_swap::ArcSwap;

pub(crate) use self::config_errors::deserialize_typed;
pub use self::graph::parse_dependency;
pub(crate) use self::guard::dispatch_noop_jobs;
pub use self::health::{DEFAULT_HEALTH_TIMEOUT, HealthReport};
pub use self::id::PluginId;
pub use self::lifecycle::{ActivationReport, DEFAULT_LIFECYCLE_TIMEOUT, ShutdownReport};

use self::entry::{Entries, Entry, Runtime, lock};
use self::group::Grouped;
use self::index::{Index, Slot};
use crate::{PluginDescriptor, PluginError, PluginInfo, PluginInstance, PluginKind, PluginType};

/// The plugin registry: finds the plugins linked into the program, builds each on first
/// use, validates and stores their configuration, starts and stops them in dependency
/// order and checks their health.
///
/// It is `Send + Sync` and every operation takes `&self`: share one registry between
/// threads (or use [`PluginRegistry::global`]). Lookups of loaded plugins take no lock.
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
    entries: Entries,
    index: ArcSwap<Index>,
    /// Serialises changes to `index`.
    write: Mutex<()>,
    /// Set once the linked registrations are all added: racing callers of
    /// `discover_all` wait for it instead of returning early.
    discovered: OnceLock<()>,
    /// Entry indexes in the order their `startup()` succeeded.
    started: Mutex<Vec<usize>>,
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
            .finish_non_exhaustive()
    }
}

impl PluginRegistry {
    /// An empty registry. Call [`discover_all`](Self::discover_all) to read the
    /// plugins linked into the program, or [`register`](Self::register) to add some.
    pub fn new() -> Self {
        PluginRegistry {
            entries: Entries::new(),
            index: ArcSwap::from_pointee(Index::default()),
            write: Mutex::new(()),
            discovered: OnceLock::new(),
            started: Mutex::new(Vec::new()),
        }
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

    /// Reads every `#[floe_plugin]` registration linked into the program. Constructs
    /// nothing. Idempotent: later calls do nothing and return 0. Every call returns only
    /// once discovery is complete: a caller racing the first one waits for it, so its
    /// next lookup finds every linked plugin.
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
            let linked: &'static [PluginDescriptor] = &crate::private::FLOE_REGISTRY_PLUGINS;
            added = self.add_all(linked.iter());
            if linked.is_empty() {
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
        self.add_all(descriptors.into_iter())
    }

    /// Adds a batch of registrations in one pass: the entries are written in one
    /// allocation when they are the registry's first, and each type's names are
    /// sorted and merged into its names list; the hash index of a type is built on
    /// its first lookup (`index.rs`).
    fn add_all(&self, descriptors: impl Iterator<Item = &'static PluginDescriptor>) -> usize {
        let batch: Vec<&'static PluginDescriptor> = descriptors.collect();
        let n = batch.len();
        let _w = lock(&self.write);
        // Under the write lock: the batch's first index is the count so far.
        let start = self.entries.count();
        let Grouped { fresh, extra } = group::group(&batch, start, |at| {
            batch
                .get(at.wrapping_sub(start))
                .map_or("", |desc| desc.name)
        });
        // One event a registration, when someone listens (checked once: the check per
        // registration was a tenth of discovery's cost).
        if tracing::enabled!(tracing::Level::TRACE) {
            for desc in &batch {
                tracing::trace!(plugin_type = %desc.plugin_type, name = desc.name, source = %desc.source, "plugin_discovered");
            }
        }
        let added = self.entries.extend(batch);
        debug_assert_eq!(added, start);
        let mut index = Index::clone(&self.index.load());
        for ((t, names), extra) in PluginType::ALL.into_iter().zip(fresh).zip(extra) {
            if names.is_empty() {
                // No registration of this type in the batch (nor, then, a duplicate).
                continue;
            }
            index.add(t, names, &extra, self.name_of(), |existing, at| {
                let pair = match existing {
                    Slot::One(other) => self.ordered_pair(other, at),
                    // Keep the two first by source, so the report is the same
                    // whatever the (unspecified) order of the linked slice.
                    Slot::Duplicate(a, b) => {
                        let mut three = [a, b, at];
                        three.sort_by_key(|&i| self.source_key(i));
                        (three[0], three[1])
                    }
                };
                self.report_duplicate(pair.0, pair.1);
                pair
            });
        }
        self.index.store(Arc::new(index));
        n
    }

    /// The name of an entry, by index: how the index compares names.
    fn name_of(&self) -> impl Fn(usize) -> &'static str + '_ {
        |at| self.entries.desc(at).map_or("", |desc| desc.name)
    }

    /// Where a registration comes from, as a sort key.
    fn source_key(&self, at: usize) -> (&'static str, &'static str, &'static str) {
        self.entries
            .desc(at)
            .map(|desc| {
                (
                    desc.source.crate_name,
                    desc.source.module_path,
                    desc.source.type_name,
                )
            })
            .unwrap_or_default()
    }

    /// Two entries of one identity, the one with the smaller source first.
    fn ordered_pair(&self, a: usize, b: usize) -> (usize, usize) {
        if self.source_key(b) < self.source_key(a) {
            (b, a)
        } else {
            (a, b)
        }
    }

    fn report_duplicate(&self, first: usize, second: usize) {
        if let Some(err) = self.duplicate_error(first, second) {
            tracing::error!(error = %err, "duplicate_plugin");
        }
    }

    fn duplicate_error(&self, first: usize, second: usize) -> Option<PluginError> {
        let a = self.entries.desc(first)?;
        let b = self.entries.desc(second)?;
        Some(PluginError::Duplicate {
            plugin_type: a.plugin_type,
            name: a.name.to_owned(),
            first: a.source.to_string(),
            second: b.source.to_string(),
        })
    }

    /// Adds one plugin by hand. Its name, version, dependencies and API version are
    /// checked (the attribute's rules), and an identity that is already taken is
    /// refused with [`PluginError::Duplicate`] naming both sources.
    ///
    /// Nothing is built: the plugin is constructed on first use. If the plugin built
    /// then reports another descriptor than this one (a descriptor copied from
    /// another plugin), it is refused there with [`PluginError::ForeignDescriptor`]
    /// and never used. [`register_plugin`](Self::register_plugin) cannot make that
    /// mistake: it takes the descriptor from the plugin's type.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use floe_registry::{PluginDescriptor, PluginInstance, plugin_source};
    ///
    /// #[derive(Default)]
    /// struct Env;
    /// impl PluginMetadata for Env {
    ///     fn descriptor(&self) -> &'static PluginDescriptor { &ENV }
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
    pub fn register(&self, descriptor: &'static PluginDescriptor) -> Result<(), PluginError> {
        self.register_entry(descriptor, Runtime::default())
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
        self.register(P::DESCRIPTOR)
    }

    /// Adds a plugin that is already built, by hand. Its metadata comes from its
    /// [`PluginMetadata::descriptor`](crate::PluginMetadata::descriptor); the same checks
    /// as [`register`](Self::register) apply, and the instance is used as is (the
    /// descriptor's constructor is never called).
    pub fn register_instance(&self, instance: PluginInstance) -> Result<(), PluginError> {
        let desc = instance.metadata().descriptor();
        if desc.plugin_type != instance.plugin_type() {
            return Err(PluginError::WrongType {
                plugin_type: desc.plugin_type,
                name: desc.name.to_owned(),
                expected: instance.plugin_type(),
            });
        }
        self.register_entry(desc, Runtime::with_instance(instance))
    }

    fn register_entry(
        &self,
        desc: &'static PluginDescriptor,
        runtime: Runtime,
    ) -> Result<(), PluginError> {
        runtime.checked(desc)?;
        let _w = lock(&self.write);
        let mut index = Index::clone(&self.index.load());
        if let Some(slot) = index.slot(desc.plugin_type, desc.name, self.name_of()) {
            let existing = self
                .entries
                .desc(slot.first())
                .map(|first| first.source.to_string());
            return Err(PluginError::Duplicate {
                plugin_type: desc.plugin_type,
                name: desc.name.to_owned(),
                first: existing.unwrap_or_default(),
                second: desc.source.to_string(),
            });
        }
        let at = self.entries.push(desc, runtime);
        index.insert_new(desc.plugin_type, desc.name, at, self.name_of());
        self.index.store(Arc::new(index));
        tracing::info!(plugin_type = %desc.plugin_type, name = desc.name, version = desc.version, "plugin_registered");
        Ok(())
    }

    /// The entry of an identity: not found (with suggestions) and duplicates are errors.
    fn entry(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<(usize, Entry<'_>), PluginError> {
        self.entry_in(&self.index.load(), plugin_type, name)
    }

    /// [`entry`](Self::entry) in an index already loaded.
    fn entry_in(
        &self,
        index: &Index,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<(usize, Entry<'_>), PluginError> {
        let Some(slot) = index.slot(plugin_type, name, self.name_of()) else {
            return Err(PluginError::not_found(
                plugin_type,
                name,
                index.of(plugin_type).names(self.name_of()),
            ));
        };
        match slot {
            Slot::One(i) => self
                .entries
                .get(i)
                .map(|e| (i, e))
                .ok_or_else(|| PluginError::not_found(plugin_type, name, [])),
            Slot::Duplicate(a, b) => Err(self
                .duplicate_error(a, b)
                .unwrap_or_else(|| PluginError::not_found(plugin_type, name, []))),
        }
    }

    /// The plugin `name` of `plugin_type`, built on first use (exactly once, even when
    /// several threads ask first at the same time) and cached.
    ///
    /// Errors: not found (with "did you mean" suggestions), duplicate identity, invalid
    /// metadata, incompatible API version, or a constructor that panicked.
    #[inline]
    pub fn get(&self, plugin_type: PluginType, name: &str) -> Result<&PluginInstance, PluginError> {
        match self.loaded(plugin_type, name) {
            Some(instance) => Ok(instance),
            None => self.get_slow(plugin_type, name),
        }
    }

    /// [`get`](Self::get) of a plugin not loaded yet, or an error: out of line, so that
    /// the hot path stays small.
    #[cold]
    #[inline(never)]
    fn get_slow(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<&PluginInstance, PluginError> {
        let (_, entry) = self.entry(plugin_type, name)?;
        match entry.instance() {
            Some(instance) => Ok(instance),
            None => self.load(entry),
        }
    }

    /// The hot path of [`get`](Self::get): a plugin already loaded, found in one probe
    /// that keeps the entry it compares. `None` sends the caller to the full lookup.
    // Always: the inliner otherwise decides per caller, and a caller with several
    // `get`s then pays a call and its prologue on the hot path (BENCHMARKS.md).
    #[inline(always)]
    fn loaded(&self, plugin_type: PluginType, name: &str) -> Option<&PluginInstance> {
        let at = self
            .index
            .load()
            .of(plugin_type)
            .unique(name, self.name_of(), |at| {
                self.entries.desc(at).is_some_and(|desc| desc.name == name)
            })?;
        self.entries.instance(at)
    }

    /// The entry of an identity registered once, in one probe that keeps the entry it
    /// compares; `None` (absent or duplicated) sends the caller to
    /// [`entry_in`](Self::entry_in) for the error.
    #[inline(always)]
    fn only_entry(&self, index: &Index, plugin_type: PluginType, name: &str) -> Option<Entry<'_>> {
        let mut found = None;
        index.of(plugin_type).unique(name, self.name_of(), |at| {
            found = self.entries.get(at).filter(|e| e.desc.name == name);
            found.is_some()
        })?;
        found
    }

    /// The plugin `name` as its type's trait object, for example
    /// `registry.get_as::<dyn ComputePlugin>("duckdb")`.
    pub fn get_as<K: PluginKind + ?Sized>(&self, name: &str) -> Result<&K, PluginError> {
        let instance = self.get(K::TYPE, name)?;
        K::from_instance(instance).ok_or_else(|| PluginError::WrongType {
            plugin_type: instance.plugin_type(),
            name: name.to_owned(),
            expected: K::TYPE,
        })
    }

    /// Like [`get_as`](Self::get_as), but a shared handle that outlives the borrow of
    /// the registry (to move into a thread).
    pub fn get_arc<K: PluginKind + ?Sized>(&self, name: &str) -> Result<Arc<K>, PluginError> {
        let instance = self.get(K::TYPE, name)?;
        K::arc_from_instance(instance).ok_or_else(|| PluginError::WrongType {
            plugin_type: instance.plugin_type(),
            name: name.to_owned(),
            expected: K::TYPE,
        })
    }

    fn load<'a>(&'a self, entry: Entry<'a>) -> Result<&'a PluginInstance, PluginError> {
        let state = entry.state();
        let _init = lock(&state.init);
        if let Some(instance) = entry.instance() {
            return Ok(instance);
        }
        let desc = entry.desc;
        entry.checked()?;
        let instance = guard::catch(desc.constructor).map_err(|message| PluginError::Load {
            plugin_type: desc.plugin_type,
            name: desc.name.to_owned(),
            message,
        })?;
        check::instance_matches(desc, &instance)?;
        config::attach(entry, &instance)?;
        tracing::info!(plugin_type = %desc.plugin_type, name = desc.name, version = desc.version, "plugin_loaded");
        Ok(entry.keep_instance(instance))
    }

    /// Every plugin of `plugin_type`, loaded, sorted by name. Plugins that fail to load
    /// (duplicates, incompatible, panicking constructors) are skipped with a warning
    /// event; this never fails.
    pub fn list(&self, plugin_type: PluginType) -> Vec<&PluginInstance> {
        let names: Vec<&'static str> = self
            .index
            .load()
            .of(plugin_type)
            .names(self.name_of())
            .collect();
        names
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

    /// The names of every registered plugin, by type: every type is a key, names are
    /// sorted, and nothing is loaded.
    pub fn list_all(&self) -> BTreeMap<PluginType, Vec<&'static str>> {
        let index = self.index.load();
        PluginType::ALL
            .into_iter()
            .map(|t| (t, index.of(t).names(self.name_of()).collect()))
            .collect()
    }

    /// The descriptor of a plugin, without loading it.
    pub fn descriptor(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<&'static PluginDescriptor, PluginError> {
        self.entry(plugin_type, name).map(|(_, e)| e.desc)
    }

    /// Serializable information about one plugin. Loads nothing.
    pub fn info(&self, plugin_type: PluginType, name: &str) -> Result<PluginInfo, PluginError> {
        let (_, entry) = self.entry(plugin_type, name)?;
        Ok(self.info_of(entry))
    }

    /// Information about every registered plugin, by type then name. Duplicated
    /// identities appear once per registration. Loads nothing.
    pub fn infos(&self) -> Vec<PluginInfo> {
        let mut all: Vec<PluginInfo> = self.entries.iter().map(|(_, e)| self.info_of(e)).collect();
        all.sort_by(|a, b| {
            (a.plugin_type, &a.name, &a.source).cmp(&(b.plugin_type, &b.name, &b.source))
        });
        all
    }

    fn info_of(&self, entry: Entry<'_>) -> PluginInfo {
        let d = entry.desc;
        PluginInfo {
            name: d.name.to_owned(),
            version: d.version.to_owned(),
            floe_api_version: d.floe_api_version.to_owned(),
            plugin_type: d.plugin_type,
            description: d.description.to_owned(),
            dependencies: d.dependencies.iter().map(|s| (*s).to_owned()).collect(),
            is_loaded: entry.instance().is_some(),
            is_configured: entry.is_configured(),
            has_config: d.config.is_some(),
            source: d.source.to_string(),
            crate_name: d.source.crate_name.to_owned(),
        }
    }

    /// The problems of the registry as a whole: one [`PluginError::Duplicate`] per
    /// duplicated identity.
    pub fn duplicates(&self) -> Vec<PluginError> {
        let index = self.index.load();
        let mut out = Vec::new();
        for t in PluginType::ALL {
            let ti = index.of(t);
            for name in ti.names(self.name_of()) {
                if let Some(Slot::Duplicate(a, b)) = ti.get(name, self.name_of()) {
                    out.extend(self.duplicate_error(a, b));
                }
            }
        }
        out
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

    /// Batches merge into the sorted names; duplicates within a batch, across
    /// batches and of three registrations are found, the two first by source kept.
    #[test]
    fn batches_merge_and_duplicates_are_found_within_and_across_them() {
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
        assert_eq!(
            registry
                .descriptor(PluginType::Dbt, "y")
                .ok()
                .map(|d| d.name),
            Some("y")
        );
        assert_eq!(
            registry
                .descriptor(PluginType::Dbt, "a")
                .ok()
                .map(|d| d.name),
            Some("a")
        );
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
