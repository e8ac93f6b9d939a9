//! Dependency order, startup and shutdown.

use std::cmp::Reverse;
use std::collections::{BTreeMap, BTreeSet, BinaryHeap};
use std::fmt;
use std::time::Duration;

use serde::Serialize;

use super::PluginRegistry;
use super::entry::{Lifecycle, lock};
use super::guard::{self, Outcome};
use super::index::Slot;
use crate::{Hook, HookFailure, PluginError, PluginInstance, PluginType};

/// How long `startup()` and `shutdown()` may take unless told otherwise: 30 s.
pub const DEFAULT_LIFECYCLE_TIMEOUT: Duration = Duration::from_secs(30);

/// A plugin's identity: its type and name.
///
/// ```
/// use floe_registry::{PluginId, PluginType};
/// let id = PluginId::new(PluginType::Compute, "duckdb");
/// assert_eq!(id.to_string(), "COMPUTE:duckdb");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PluginId {
    /// The type.
    pub plugin_type: PluginType,
    /// The name.
    pub name: String,
}

impl PluginId {
    /// An identity.
    pub fn new(plugin_type: PluginType, name: impl Into<String>) -> Self {
        Self {
            plugin_type,
            name: name.into(),
        }
    }
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.plugin_type.upper_name(), self.name)
    }
}

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

/// Parses a declared dependency: a plain name (matching that name under any type) or
/// `type:name`, the name checked against the name rule.
///
/// ```
/// use floe_registry::{PluginType, parse_dependency};
///
/// assert_eq!(parse_dependency("polaris"), Ok((None, "polaris")));
/// assert_eq!(parse_dependency("storage:s3"), Ok((Some(PluginType::Storage), "s3")));
/// assert!(parse_dependency("warehouse:s3").is_err());
/// ```
pub fn parse_dependency(dep: &str) -> Result<(Option<PluginType>, &str), String> {
    let (ty, name) = match dep.split_once(':') {
        Some((ty, name)) => {
            let ty: PluginType = ty.parse().map_err(|e| format!("dependency `{dep}`: {e}"))?;
            (Some(ty), name)
        }
        None => (None, dep),
    };
    floe_registry_rules::check_name(name).map_err(|e| format!("dependency `{dep}`: {e}"))?;
    Ok((ty, name))
}

/// A declared dependency split into its optional type and its name, without checking
/// the name (an invalid name is simply never found).
fn split_dependency(dep: &str) -> Result<(Option<PluginType>, &str), String> {
    // A byte search: `split_once` runs a general pattern searcher.
    match dep.bytes().position(|b| b == b':') {
        Some(at) => {
            let (ty, name) = (&dep[..at], &dep[at + 1..]);
            let ty = match PluginType::from_variant_name(ty) {
                Some(t) => t,
                None => ty.parse().map_err(|e| format!("dependency `{dep}`: {e}"))?,
            };
            Ok((Some(ty), name))
        }
        None => Ok((None, dep)),
    }
}

/// Runs one lifecycle hook of `instance` on its own thread, within `timeout`.
pub(crate) fn run_hook(
    instance: &PluginInstance,
    hook: Hook,
    timeout: Duration,
) -> Result<(), HookFailure> {
    let plugin = instance.clone();
    let outcome = guard::run_with_timeout(timeout, move || match hook {
        Hook::Shutdown => plugin.shutdown(),
        _ => plugin.startup(),
    });
    match outcome {
        Outcome::Done(Ok(())) => Ok(()),
        Outcome::Done(Err(error)) => Err(HookFailure::Error {
            hook,
            error: Box::new(error),
        }),
        Outcome::Panicked(message) => Err(HookFailure::Panicked { hook, message }),
        Outcome::TimedOut => Err(HookFailure::TimedOut { hook, timeout }),
        Outcome::NoThread(reason) => Err(HookFailure::Error {
            hook,
            error: Box::new(PluginError::failed(format!(
                "no thread could be started for the hook: {reason}"
            ))),
        }),
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
            for name in &ti.names {
                let id = PluginId::new(t, *name);
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

    /// The startup order of `selection`: every plugin after its dependencies, ties
    /// broken by type then name. Dependencies are looked for among `selection` only.
    ///
    /// Missing dependencies are reported before cycles; a cycle is reported as its own
    /// path (`a -> b -> a`), leaving independent plugins out.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use floe_registry::PluginId;
    ///
    /// #[floe_plugin(type = Catalog, name = "cat", version = "1.0.0", dependencies = ["storage:store"])]
    /// #[derive(Default)]
    /// struct Cat;
    /// impl CatalogPlugin for Cat {}
    /// #[floe_plugin(type = Storage, name = "store", version = "1.0.0")]
    /// #[derive(Default)]
    /// struct Store;
    /// impl StoragePlugin for Store {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let order = registry.resolve_dependencies(&[
    ///     PluginId::new(PluginType::Catalog, "cat"),
    ///     PluginId::new(PluginType::Storage, "store"),
    /// ])?;
    /// assert_eq!(order[0].name, "store");
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn resolve_dependencies(
        &self,
        selection: &[PluginId],
    ) -> Result<Vec<PluginId>, PluginError> {
        let graph = self.graph(selection)?;
        if let Some((i, missing)) = graph.missing.first() {
            return Err(PluginError::MissingDependency {
                plugin_name: graph.nodes[*i].2.to_owned(),
                missing: missing.clone(),
            });
        }
        let everyone = vec![true; graph.nodes.len()];
        graph.order(&everyone)
    }

    /// Every dependency problem of `selection` at once, for checking a manifest: one
    /// [`PluginError::MissingDependency`] per plugin with missing dependencies (in type
    /// then name order), then the cycle, if any, among the plugins whose dependencies
    /// are all there. Empty when [`resolve_dependencies`](Self::resolve_dependencies)
    /// would succeed.
    ///
    /// ```standalone_crate
    /// use floe_registry::prelude::*;
    /// use floe_registry::PluginId;
    ///
    /// #[floe_plugin(type = Dbt, name = "lonely", version = "1.0.0", dependencies = ["gone", "compute:absent"])]
    /// #[derive(Default)]
    /// struct Lonely;
    /// impl DbtPlugin for Lonely {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let problems = registry.dependency_problems(&[PluginId::new(PluginType::Dbt, "lonely")]);
    /// assert_eq!(problems.len(), 1);
    /// assert_eq!(problems[0].to_string(), "Plugin 'lonely' has missing dependencies: gone, compute:absent");
    /// ```
    pub fn dependency_problems(&self, selection: &[PluginId]) -> Vec<PluginError> {
        let graph = match self.graph(selection) {
            Ok(graph) => graph,
            Err(e) => return vec![e],
        };
        let mut problems: Vec<PluginError> = graph
            .missing
            .iter()
            .map(|(i, m)| PluginError::MissingDependency {
                plugin_name: graph.nodes[*i].2.to_owned(),
                missing: m.clone(),
            })
            .collect();
        // Leave out plugins with missing dependencies and, in turn, their dependents.
        let mut usable = vec![true; graph.nodes.len()];
        for (i, _) in &graph.missing {
            usable[*i] = false;
        }
        loop {
            let mut changed = false;
            for i in 0..usable.len() {
                if usable[i] && graph.deps(i).iter().any(|&j| !usable[j]) {
                    usable[i] = false;
                    changed = true;
                }
            }
            if !changed {
                break;
            }
        }
        if let Err(cycle) = graph.order(&usable) {
            problems.push(cycle);
        }
        problems
    }

    /// The dependency graph of `selection`, nodes in (type, name) order.
    fn graph<'s>(&self, selection: &'s [PluginId]) -> Result<Graph<'s>, PluginError> {
        let mut nodes: Vec<(PluginType, u64, &str)> = selection
            .iter()
            .map(|id| (id.plugin_type, name_key(&id.name), id.name.as_str()))
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        // Nodes by name alone, for dependencies declared without a type; built on
        // the first such dependency.
        let mut by_name: Vec<(u64, &str, usize)> = Vec::new();
        let mut dep_start = Vec::with_capacity(nodes.len() + 1);
        dep_start.push(0);
        let mut dep_list: Vec<usize> = Vec::with_capacity(nodes.len());
        let mut missing: Vec<(usize, Vec<String>)> = Vec::new();
        let index = self.index.load();
        for (i, &(plugin_type, _, name)) in nodes.iter().enumerate() {
            let desc = match self.only_entry(&index, plugin_type, name) {
                Some(entry) => entry.desc,
                None => self.entry_in(&index, plugin_type, name)?.1.desc,
            };
            let start = dep_list.len();
            for dep in desc.dependencies {
                let (ty, dep_name) =
                    split_dependency(dep).map_err(|reason| PluginError::InvalidMetadata {
                        plugin_type,
                        name: name.to_owned(),
                        reason,
                    })?;
                let before = dep_list.len();
                match ty {
                    Some(ty) => {
                        if let Ok(j) = nodes.binary_search(&(ty, name_key(dep_name), dep_name)) {
                            dep_list.push(j);
                        }
                    }
                    None => {
                        if by_name.is_empty() {
                            by_name = nodes
                                .iter()
                                .enumerate()
                                .map(|(j, n)| (n.1, n.2, j))
                                .collect();
                            by_name.sort_unstable();
                        }
                        let key = (name_key(dep_name), dep_name);
                        let from = by_name.partition_point(|(k, n, _)| (*k, *n) < key);
                        dep_list.extend(
                            by_name[from..]
                                .iter()
                                .take_while(|(k, n, _)| (*k, *n) == key)
                                .map(|(_, _, j)| *j),
                        );
                    }
                }
                if dep_list.len() == before {
                    match missing.last_mut() {
                        Some((at, list)) if *at == i => list.push((*dep).to_owned()),
                        _ => missing.push((i, vec![(*dep).to_owned()])),
                    }
                }
            }
            if dep_list.len() - start > 1 {
                dep_list[start..].sort_unstable();
                let mut kept = start + 1;
                for r in start + 1..dep_list.len() {
                    if dep_list[r] != dep_list[kept - 1] {
                        dep_list[kept] = dep_list[r];
                        kept += 1;
                    }
                }
                dep_list.truncate(kept);
            }
            dep_start.push(dep_list.len());
        }
        Ok(Graph {
            nodes,
            dep_start,
            dep_list,
            missing,
        })
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
    /// see [`activate_plugins`](Self::activate_plugins).
    pub fn activate_all(&self) -> Result<ActivationReport, PluginError> {
        self.activate_all_within(DEFAULT_LIFECYCLE_TIMEOUT)
    }

    /// [`activate_all`](Self::activate_all) with a timeout for each `startup()`.
    pub fn activate_all_within(&self, timeout: Duration) -> Result<ActivationReport, PluginError> {
        let (ids, duplicates) = self.all_ids();
        let mut report = self.activate_plugins(&ids, timeout)?;
        report.failed.extend(duplicates);
        Ok(report)
    }

    /// Starts `selection` in dependency order. A missing dependency or a cycle stops
    /// everything before anything starts (the error). Otherwise each plugin is started
    /// in turn; one that fails is recorded and the others go on, except its dependents,
    /// which are not started and say which dependency failed.
    pub fn activate_plugins(
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
                    name: id.name.clone(),
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
            let id = PluginId::new(entry.desc.plugin_type, entry.desc.name);
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
                        name: id.name.clone(),
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
            .map(|e| PluginId::new(e.desc.plugin_type, e.desc.name))
            .collect()
    }
}

/// The first 8 bytes of a name as a big-endian number, zero-padded. Ordering by it
/// and then by the name is ordering by the name (names hold no NUL), with a string
/// comparison only between names that share their first 8 bytes.
fn name_key(name: &str) -> u64 {
    let mut head = [0u8; 8];
    let n = name.len().min(8);
    head[..n].copy_from_slice(&name.as_bytes()[..n]);
    u64::from_be_bytes(head)
}

/// A dependency graph in flat arrays: node `i` needs the nodes
/// `dep_list[dep_start[i]..dep_start[i + 1]]` first; `missing` lists the nodes with
/// dependencies that are not in the graph, in node order, with those dependencies.
struct Graph<'s> {
    /// Type, [`name_key`], name: sorted by type then name.
    nodes: Vec<(PluginType, u64, &'s str)>,
    dep_start: Vec<usize>,
    dep_list: Vec<usize>,
    missing: Vec<(usize, Vec<String>)>,
}

impl Graph<'_> {
    /// The nodes node `i` needs first.
    fn deps(&self, i: usize) -> &[usize] {
        &self.dep_list[self.dep_start[i]..self.dep_start[i + 1]]
    }

    /// Kahn's algorithm over the nodes marked in `within`, always taking the smallest
    /// ready node; the cycle as an error when some cannot be ordered.
    fn order(&self, within: &[bool]) -> Result<Vec<PluginId>, PluginError> {
        let n = self.nodes.len();
        // How many dependencies each node waits for, and its dependents, flat: the
        // dependents of `j` are `dependents[first[j]..first[j + 1]]`.
        let mut waiting = vec![0usize; n];
        let mut first = vec![0usize; n + 1];
        for i in (0..n).filter(|&i| within[i]) {
            for &j in self.deps(i).iter().filter(|&&j| within[j]) {
                waiting[i] += 1;
                first[j + 1] += 1;
            }
        }
        for j in 0..n {
            first[j + 1] += first[j];
        }
        let mut dependents = vec![0usize; first[n]];
        let mut fill = first.clone();
        for i in (0..n).filter(|&i| within[i]) {
            for &j in self.deps(i).iter().filter(|&&j| within[j]) {
                dependents[fill[j]] = i;
                fill[j] += 1;
            }
        }
        let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
            .filter(|&i| within[i] && waiting[i] == 0)
            .map(Reverse)
            .collect();
        let mut order = Vec::with_capacity(n);
        while let Some(Reverse(i)) = ready.pop() {
            order.push(i);
            for &k in &dependents[first[i]..first[i + 1]] {
                waiting[k] -= 1;
                if waiting[k] == 0 {
                    ready.push(Reverse(k));
                }
            }
        }
        if order.len() < within.iter().filter(|w| **w).count() {
            let cycle = find_cycle(self, &waiting)
                .into_iter()
                .map(|i| self.nodes[i].2.to_owned())
                .collect();
            return Err(PluginError::CircularDependency { cycle });
        }
        Ok(order
            .into_iter()
            .map(|i| PluginId::new(self.nodes[i].0, self.nodes[i].2))
            .collect())
    }
}

/// A cycle among the nodes Kahn's algorithm could not order (`waiting > 0`): walk from
/// the smallest such node along its smallest waiting dependency until a node repeats.
fn find_cycle(graph: &Graph<'_>, waiting: &[usize]) -> Vec<usize> {
    let Some(start) = (0..waiting.len()).find(|&i| waiting[i] > 0) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut seen = BTreeMap::from([(start, 0usize)]);
    let mut at = start;
    loop {
        let Some(&next) = graph.deps(at).iter().find(|&&j| waiting[j] > 0) else {
            return path;
        };
        if let Some(&first) = seen.get(&next) {
            let mut cycle = path[first..].to_vec();
            cycle.push(next);
            return cycle;
        }
        seen.insert(next, path.len());
        path.push(next);
        at = next;
    }
}
