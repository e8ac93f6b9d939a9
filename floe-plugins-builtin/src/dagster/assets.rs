//! The asset graph: one Dagster asset per dbt model, from transforms or from a dbt
//! manifest, checked for duplicates and cycles and put in execution order.

use std::collections::{BTreeSet, HashMap};

use floe_registry::{PluginError, TransformConfig};
use serde_json::{Map, Value, json};

/// The resources every dbt asset needs.
pub const REQUIRED_RESOURCES: [&str; 2] = ["dbt", "lineage"];

/// One asset before it is placed in the graph.
#[derive(Debug, Clone, PartialEq)]
pub struct AssetNode {
    /// The asset key (the model name).
    pub key: String,
    /// Keys of the assets it reads.
    pub deps: Vec<String>,
    /// Its description.
    pub description: String,
    /// Its metadata.
    pub metadata: Map<String, Value>,
}

fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
        Value::Number(_) => true,
    }
}

/// Metadata with only the truthy values, in the given order.
fn metadata(pairs: [(&str, Value); 5]) -> Map<String, Value> {
    pairs
        .into_iter()
        .filter(|(_, v)| truthy(v))
        .map(|(k, v)| (k.to_owned(), v))
        .collect()
}

/// The asset of a transform: key = name, deps = `depends_on`, description
/// `dbt model: <name>`, metadata `compute` (from `meta.compute`), `schema`,
/// `materialization`, `tags`, `path` when non-empty.
pub fn from_transform(t: &TransformConfig) -> AssetNode {
    AssetNode {
        key: t.name.clone(),
        deps: t.depends_on.clone(),
        description: format!("dbt model: {}", t.name),
        metadata: metadata([
            (
                "compute",
                t.meta.get("compute").cloned().unwrap_or(Value::Null),
            ),
            ("schema", json!(t.schema_name)),
            ("materialization", json!(t.materialization)),
            ("tags", json!(t.tags)),
            ("path", json!(t.path)),
        ]),
    }
}

fn text<'a>(node: &'a Value, key: &str) -> &'a str {
    node.get(key).and_then(Value::as_str).unwrap_or("")
}

/// The assets of the models of a dbt manifest (`nodes` with `resource_type`
/// `model`). Dependencies on other models become edges; dependencies on sources,
/// seeds and snapshots become external assets (`<source>.<table>` for sources, the
/// node name otherwise).
pub fn from_manifest(manifest: &Value) -> Result<Vec<AssetNode>, PluginError> {
    let nodes = manifest
        .get("nodes")
        .and_then(Value::as_object)
        .ok_or_else(|| PluginError::failed("dbt manifest has no 'nodes' object"))?;
    let sources = manifest.get("sources").and_then(Value::as_object);
    let name_of = |id: &str| -> String {
        if let Some(node) = nodes.get(id).filter(|n| !text(n, "name").is_empty()) {
            return text(node, "name").to_owned();
        }
        if let Some(source) = sources.and_then(|s| s.get(id)) {
            let (group, table) = (text(source, "source_name"), text(source, "name"));
            if !group.is_empty() && !table.is_empty() {
                return format!("{group}.{table}");
            }
        }
        id.to_owned()
    };
    let mut out = Vec::new();
    for (id, node) in nodes {
        if text(node, "resource_type") != "model" {
            continue;
        }
        let name = text(node, "name");
        if name.is_empty() {
            return Err(PluginError::failed(format!(
                "dbt manifest node '{id}' has no name"
            )));
        }
        let deps: Vec<String> = node
            .pointer("/depends_on/nodes")
            .and_then(Value::as_array)
            .map(|ids| ids.iter().filter_map(Value::as_str).map(name_of).collect())
            .unwrap_or_default();
        let description = match text(node, "description") {
            "" => format!("dbt model: {name}"),
            d => d.to_owned(),
        };
        let path = match text(node, "original_file_path") {
            "" => text(node, "path"),
            p => p,
        };
        let mut meta = metadata([
            (
                "compute",
                node.pointer("/meta/compute")
                    .cloned()
                    .unwrap_or(Value::Null),
            ),
            ("schema", json!(text(node, "schema"))),
            (
                "materialization",
                node.pointer("/config/materialized")
                    .cloned()
                    .unwrap_or(Value::Null),
            ),
            ("tags", node.get("tags").cloned().unwrap_or(Value::Null)),
            ("path", json!(path)),
        ]);
        meta.insert("unique_id".into(), json!(id));
        out.push(AssetNode {
            key: name.to_owned(),
            deps,
            description,
            metadata: meta,
        });
    }
    Ok(out)
}

/// The graph as JSON: `assets` (input order), `external_assets` (keys depended on
/// but not defined, sorted) and `execution_order` (every asset after its
/// dependencies; ties in input order). Duplicate keys and cycles are errors.
pub fn graph(nodes: &[AssetNode]) -> Result<Value, PluginError> {
    let mut index: HashMap<&str, usize> = HashMap::new();
    for (i, n) in nodes.iter().enumerate() {
        if n.key.is_empty() {
            return Err(PluginError::failed("an asset has an empty name"));
        }
        if index.insert(n.key.as_str(), i).is_some() {
            return Err(PluginError::failed(format!(
                "duplicate asset '{}': every model name must be unique",
                n.key
            )));
        }
    }
    let external: BTreeSet<&str> = nodes
        .iter()
        .flat_map(|n| n.deps.iter().map(String::as_str))
        .filter(|d| !index.contains_key(d))
        .collect();
    let order = execution_order(nodes, &index)?;
    let assets: Vec<Value> = nodes
        .iter()
        .map(|n| {
            json!({
                "key": n.key,
                "deps": n.deps,
                "description": n.description,
                "required_resource_keys": REQUIRED_RESOURCES,
                "metadata": n.metadata,
            })
        })
        .collect();
    Ok(json!({
        "assets": assets,
        "external_assets": external,
        "execution_order": order,
    }))
}

/// Kahn's algorithm over the defined assets; the smallest ready input index first.
fn execution_order(
    nodes: &[AssetNode],
    index: &HashMap<&str, usize>,
) -> Result<Vec<String>, PluginError> {
    let mut pending: Vec<usize> = nodes
        .iter()
        .map(|n| {
            n.deps
                .iter()
                .filter(|d| index.contains_key(d.as_str()))
                .collect::<BTreeSet<_>>()
                .len()
        })
        .collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); nodes.len()];
    for (i, n) in nodes.iter().enumerate() {
        let unique: BTreeSet<usize> = n
            .deps
            .iter()
            .filter_map(|d| index.get(d.as_str()).copied())
            .collect();
        for d in unique {
            dependents[d].push(i);
        }
    }
    let mut ready: BTreeSet<usize> = (0..nodes.len()).filter(|&i| pending[i] == 0).collect();
    let mut order = Vec::with_capacity(nodes.len());
    while let Some(i) = ready.pop_first() {
        order.push(nodes[i].key.clone());
        for &j in &dependents[i] {
            pending[j] -= 1;
            if pending[j] == 0 {
                ready.insert(j);
            }
        }
    }
    if order.len() == nodes.len() {
        return Ok(order);
    }
    // Every asset left waits on another left one: walk dependencies until one repeats.
    let left: Vec<usize> = (0..nodes.len()).filter(|&i| pending[i] > 0).collect();
    let mut path: Vec<usize> = Vec::new();
    let Some(&first) = left.first() else {
        return Ok(order);
    };
    let mut current = first;
    while !path.contains(&current) {
        path.push(current);
        current = nodes[current]
            .deps
            .iter()
            .filter_map(|d| index.get(d.as_str()).copied())
            .find(|d| pending[*d] > 0)
            .unwrap_or(current);
    }
    let start = path.iter().position(|&p| p == current).unwrap_or(0);
    let mut cycle: Vec<&str> = path[start..]
        .iter()
        .rev()
        .map(|&i| nodes[i].key.as_str())
        .collect();
    if let Some(&head) = cycle.first() {
        cycle.push(head);
    }
    Err(PluginError::failed(format!(
        "dependency cycle among assets: {}",
        cycle.join(" -> ")
    )))
}
