//! The dependency graph: declared dependencies, the startup order and the problems
//! (missing dependencies, cycles) that prevent one. Kahn's algorithm over the graph
//! is in `graph/order.rs`.

mod order;

use super::PluginRegistry;
use super::id::PluginId;
use super::index::name_key;
use crate::{DependencyError, PluginDescriptor, PluginError, PluginType};

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
                plugin_name: graph.nodes[*i].2.to_owned(),
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
        if let Err(cycle) = graph.order(|i| usable[i]) {
            problems.push(cycle);
        }
        problems
    }

    /// The dependency graph of `selection`, nodes in (type, name) order.
    fn graph<'s>(&self, selection: &'s [PluginId]) -> Result<Graph<'s>, PluginError> {
        let mut nodes: Vec<(PluginType, u64, &str)> = selection
            .iter()
            .map(|id| (id.plugin_type, name_key(&id.name), &*id.name))
            .collect();
        nodes.sort_unstable();
        nodes.dedup();
        // Nodes by the key of their name alone ([`name_key`], then node index), for
        // dependencies declared without a type; built on the first such dependency.
        let mut by_name: Vec<(u64, usize)> = Vec::new();
        let mut ends = Vec::with_capacity(nodes.len());
        let mut dep_list: Vec<usize> = Vec::with_capacity(nodes.len());
        let mut missing: Vec<(usize, Vec<String>)> = Vec::new();
        let index = self.index.load();
        for (i, &(plugin_type, _, name)) in nodes.iter().enumerate() {
            let entry = match self.only_entry(&index, plugin_type, name) {
                Some(entry) => entry,
                None => self.entry_in(&index, plugin_type, name)?.1,
            };
            let desc = entry.desc;
            // A descriptor that passed the rules (checked once, kept in the entry) has
            // valid dependency strings: they are only split, not checked again.
            let checked = !desc.dependencies.is_empty() && entry.checked().is_ok();
            let start = dep_list.len();
            for dep in desc.dependencies {
                let (ty, dep_name) =
                    split_dependency(dep, checked).map_err(|e| PluginError::InvalidMetadata {
                        plugin_type,
                        name: name.to_owned(),
                        reason: e.to_string(),
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
                            by_name = nodes.iter().enumerate().map(|(j, n)| (n.1, j)).collect();
                            by_name.sort_unstable();
                        }
                        let key = name_key(dep_name);
                        let from = by_name.partition_point(|&(k, _)| k < key);
                        for &(_, j) in by_name[from..].iter().take_while(|&&(k, _)| k == key) {
                            if same_name_of_key(nodes[j].2, dep_name) {
                                dep_list.push(j);
                            }
                        }
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
            ends.push((desc, dep_list.len()));
        }
        Ok(Graph {
            nodes,
            ends,
            dep_list,
            missing,
        })
    }
}

/// Whether two names with the same [`name_key`] are the same: the key holds the
/// whole of a name of at most 8 bytes, so then only the lengths are compared.
fn same_name_of_key(a: &str, b: &str) -> bool {
    a.len() == b.len() && (a.len() <= 8 || a == b)
}

/// [`parse_dependency`], the name's check left out when `checked` says the
/// descriptor holding `dep` already passed the rules.
#[inline]
fn split_dependency(
    dep: &str,
    checked: bool,
) -> Result<(Option<PluginType>, &str), DependencyError> {
    if checked {
        match dep.bytes().position(|b| b == b':') {
            None => return Ok((None, dep)),
            Some(at) => {
                if let Ok(names) = floe_registry_rules::parse_plugin_type(&dep[..at]) {
                    return Ok((Some(PluginType::of_names(names)), &dep[at + 1..]));
                }
            }
        }
    }
    parse_dependency(dep)
}

/// A dependency graph in flat arrays: node `i` needs the nodes
/// `dep_list[ends[i - 1].1..ends[i].1]` first (from 0 for node 0); `missing` lists the
/// nodes with dependencies that are not in the graph, in node order, with those
/// dependencies.
struct Graph<'s> {
    /// Type, [`name_key`], name: sorted by type then name.
    nodes: Vec<(PluginType, u64, &'s str)>,
    /// Each node's descriptor (its `'static` name goes into the order) and the end of
    /// its dependencies in `dep_list`.
    ends: Vec<(&'static PluginDescriptor, usize)>,
    dep_list: Vec<usize>,
    missing: Vec<(usize, Vec<String>)>,
}

impl Graph<'_> {
    /// The nodes node `i` needs first.
    fn deps(&self, i: usize) -> &[usize] {
        let start = match i.checked_sub(1) {
            Some(before) => self.ends[before].1,
            None => 0,
        };
        &self.dep_list[start..self.ends[i].1]
    }

    /// Every node with the nodes it needs first, in node order.
    fn each_deps(&self) -> impl Iterator<Item = (usize, &[usize])> {
        let mut start = 0;
        self.ends.iter().enumerate().map(move |(i, &(_, end))| {
            let deps = self.dep_list.get(start..end).unwrap_or_default();
            start = end;
            (i, deps)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PluginInstance;

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

    /// Dependencies of a checked descriptor are split without the name check; an
    /// unchecked or failing one still reports its invalid dependency, every time.
    #[test]
    fn dependency_strings_are_checked_until_the_descriptor_passed_the_rules() {
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

    /// Between names of one key, comparing lengths (and the text past 8 bytes) is
    /// comparing the names, NUL bytes included.
    #[test]
    fn names_of_one_key_compare_as_names() {
        let names = [
            "ab",
            "ab\0",
            "abcdefgh",
            "abcdefgh\0",
            "abcdefghi",
            "abcdefghj",
            "chain-01",
            "",
            "\0",
        ];
        for a in names {
            for b in names {
                if name_key(a) == name_key(b) {
                    assert_eq!(same_name_of_key(a, b), a == b, "{a:?} {b:?}");
                }
            }
        }
    }
}
