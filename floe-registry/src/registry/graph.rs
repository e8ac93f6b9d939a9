//! The dependency graph: declared dependencies, the startup order and the problems
//! (missing dependencies, cycles) that prevent one.

use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};

use super::PluginRegistry;
use super::id::PluginId;
use crate::{DependencyError, PluginError, PluginType};

/// Parses a declared dependency with the rule of `floe-registry-rules` (the one the
/// attribute applies at compile time): a plain name, matching that name under any
/// type, or `type:name` with the type in any of its spellings.
///
/// ```
/// use floe_registry::{PluginType, parse_dependency};
///
/// assert_eq!(parse_dependency("polaris"), Ok((None, "polaris")));
/// assert_eq!(parse_dependency("storage:s3"), Ok((Some(PluginType::Storage), "s3")));
/// assert_eq!(parse_dependency("floe.storage:s3"), Ok((Some(PluginType::Storage), "s3")));
/// let err = parse_dependency("warehouse:s3").unwrap_err();
/// assert!(err.to_string().contains("write \"type:name\" with one of: compute, "));
/// ```
pub fn parse_dependency(dep: &str) -> Result<(Option<PluginType>, &str), DependencyError> {
    let parsed = floe_registry_rules::parse_dependency(dep)?;
    Ok((parsed.plugin_type.map(PluginType::of_names), parsed.name))
}

impl PluginRegistry {
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
                id: graph.nodes[*i].clone(),
                missing: missing.clone(),
            });
        }
        graph.order(|_| true)
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
                id: graph.nodes[*i].clone(),
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
        if let Err(cycle) = graph.order(|i| usable[i]) {
            problems.push(cycle);
        }
        problems
    }

    /// The dependency graph of `selection`, nodes in (type, name) order.
    fn graph(&self, selection: &[PluginId]) -> Result<Graph, PluginError> {
        let mut asked: Vec<&PluginId> = selection.iter().collect();
        asked.sort_unstable();
        asked.dedup();
        let entries = self.entries_of(&asked)?;
        // The identities of the order borrow the descriptors' names when they are
        // `'static` (linked plugins): no copy.
        let nodes: Vec<PluginId> = entries
            .iter()
            .map(|e| PluginId {
                plugin_type: e.desc.plugin_type,
                name: e.desc.name.clone(),
            })
            .collect();
        // Nodes by name alone, for dependencies that name no type, made on first need:
        // the first node of each name, and `next_named[j]` the next node named as node
        // `j` (a name may be used by several types).
        let mut by_name: HashMap<&str, usize, foldhash::fast::RandomState> = HashMap::default();
        let mut next_named: Vec<usize> = Vec::new();
        let mut dep_list = Vec::with_capacity(nodes.len());
        let mut ends = Vec::with_capacity(nodes.len());
        let mut missing = Vec::new();
        for (i, entry) in entries.iter().enumerate() {
            let declared = entry
                .dependencies()
                .map_err(|reason| PluginError::InvalidMetadata {
                    id: nodes[i].clone(),
                    reason: reason.to_owned(),
                })?;
            let start = dep_list.len();
            let needs = &mut dep_list;
            let mut absent = Vec::new();
            for (at, (ty, name)) in declared.iter().enumerate() {
                let before = needs.len();
                match ty {
                    Some(ty) => needs.extend(
                        nodes
                            .binary_search_by(|n| (n.plugin_type, &*n.name).cmp(&(*ty, &**name)))
                            .ok(),
                    ),
                    None => {
                        if next_named.is_empty() {
                            next_named = vec![usize::MAX; nodes.len()];
                            by_name.reserve(nodes.len());
                            for (j, node) in nodes.iter().enumerate().rev() {
                                if let Some(later) = by_name.insert(&node.name, j) {
                                    next_named[j] = later;
                                }
                            }
                        }
                        let mut at = by_name.get(&**name).copied().unwrap_or(usize::MAX);
                        while let Some(&next) = next_named.get(at) {
                            needs.push(at);
                            at = next;
                        }
                    }
                }
                if needs.len() == before {
                    absent.extend(entry.desc.dependencies.iter().nth(at).map(str::to_owned));
                }
            }
            let mine = &mut dep_list[start..];
            mine.sort_unstable();
            let kept = dedup_in_place(mine);
            dep_list.truncate(start + kept);
            ends.push(dep_list.len());
            if !absent.is_empty() {
                missing.push((i, absent));
            }
        }
        Ok(Graph {
            nodes,
            dep_list,
            ends,
            missing,
        })
    }
}

/// Moves the distinct values of sorted `items` to its front; how many there are.
fn dedup_in_place(items: &mut [usize]) -> usize {
    let mut kept = 0;
    for i in 0..items.len() {
        if kept == 0 || items[i] != items[kept - 1] {
            items[kept] = items[i];
            kept += 1;
        }
    }
    kept
}

/// A dependency graph: node `i` needs the nodes `deps(i)` started first; `missing`
/// lists the nodes with dependencies that are not in the graph, in node order, with
/// those dependencies. The dependencies of every node are in one list (node `i`'s end
/// at `ends[i]`): one allocation rather than one a node (the resolve goal,
/// BENCHMARKS.md).
struct Graph {
    /// Sorted by type then name.
    nodes: Vec<PluginId>,
    dep_list: Vec<usize>,
    ends: Vec<usize>,
    missing: Vec<(usize, Vec<String>)>,
}

impl Graph {
    /// The nodes node `i` needs first.
    fn deps(&self, i: usize) -> &[usize] {
        let start = if i == 0 { 0 } else { self.ends[i - 1] };
        &self.dep_list[start..self.ends[i]]
    }

    /// Kahn's algorithm over the nodes `within` accepts, always taking the smallest
    /// ready node (so ties go by type then name); the cycle as an error when some
    /// cannot be ordered.
    fn order(&self, within: impl Fn(usize) -> bool) -> Result<Vec<PluginId>, PluginError> {
        let n = self.nodes.len();
        let mut waiting = vec![0usize; n];
        let mut dependents = vec![Vec::new(); n];
        for i in (0..n).filter(|&i| within(i)) {
            for &j in self.deps(i).iter().filter(|&&j| within(j)) {
                waiting[i] += 1;
                dependents[j].push(i);
            }
        }
        let mut ready: BinaryHeap<Reverse<usize>> = (0..n)
            .filter(|&i| within(i) && waiting[i] == 0)
            .map(Reverse)
            .collect();
        let expected = (0..n).filter(|&i| within(i)).count();
        let mut order = Vec::with_capacity(expected);
        while let Some(Reverse(i)) = ready.pop() {
            order.push(self.nodes[i].clone());
            for &k in &dependents[i] {
                waiting[k] -= 1;
                if waiting[k] == 0 {
                    ready.push(Reverse(k));
                }
            }
        }
        if order.len() < expected {
            let cycle = self
                .cycle(&waiting)
                .into_iter()
                .map(|i| self.nodes[i].name.to_string())
                .collect();
            return Err(PluginError::CircularDependency { cycle });
        }
        Ok(order)
    }

    /// A cycle among the nodes Kahn's algorithm could not order (`waiting > 0`): walk
    /// from the smallest such node along its smallest waiting dependency until a node
    /// repeats.
    fn cycle(&self, waiting: &[usize]) -> Vec<usize> {
        let Some(start) = (0..waiting.len()).find(|&i| waiting[i] > 0) else {
            return Vec::new();
        };
        let mut path = vec![start];
        let mut at = start;
        loop {
            let Some(&next) = self.deps(at).iter().find(|&&j| waiting[j] > 0) else {
                return path;
            };
            if let Some(first) = path.iter().position(|&p| p == next) {
                let mut cycle = path.split_off(first);
                cycle.push(next);
                return cycle;
            }
            path.push(next);
            at = next;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{PluginDescriptor, PluginInstance};

    fn never() -> PluginInstance {
        unreachable!("ordering builds nothing")
    }

    const SOURCE: crate::PluginSource = crate::plugin_source!(Nothing);

    static STORE: PluginDescriptor =
        PluginDescriptor::new(PluginType::Storage, "store", "1.0.0", SOURCE, never);
    static TYPED: PluginDescriptor =
        PluginDescriptor::new(PluginType::Dbt, "typed", "1.0.0", SOURCE, never)
            .with_dependencies(&["floe.storage:store", "storage:store"]);
    static BAD_NAME: PluginDescriptor =
        PluginDescriptor::new(PluginType::Dbt, "bad-name", "1.0.0", SOURCE, never)
            .with_dependencies(&["store", "Not A Name"]);
    static BAD_VERSION: PluginDescriptor =
        PluginDescriptor::new(PluginType::Dbt, "bad-version", "1.0", SOURCE, never)
            .with_dependencies(&["warehouse:store"]);

    fn id(plugin_type: PluginType, name: &str) -> PluginId {
        PluginId::new(plugin_type, name)
    }

    /// Both spellings of a typed dependency name one node; an invalid dependency string
    /// is reported every time, whatever else the descriptor breaks.
    #[test]
    fn dependency_strings_are_parsed_by_the_one_rule() {
        let registry = PluginRegistry::new();
        registry.discover_from([&STORE, &TYPED, &BAD_NAME, &BAD_VERSION]);
        for _ in 0..2 {
            let order = registry
                .resolve_dependencies(&[
                    id(PluginType::Dbt, "typed"),
                    id(PluginType::Storage, "store"),
                ])
                .expect("orders");
            assert_eq!(order[0].name, "store");
            for (name, reason) in [
                ("bad-name", "Not A Name"),
                ("bad-version", "unknown plugin type `warehouse`"),
            ] {
                let err = registry
                    .resolve_dependencies(&[id(PluginType::Dbt, name)])
                    .expect_err("an invalid dependency");
                assert!(
                    matches!(&err, PluginError::InvalidMetadata { reason: r, .. } if r.contains(reason)),
                    "{err}"
                );
            }
        }
    }
}
