//! Cube YAML files from a dbt `manifest.json`: one `<model>.yaml` per model, holding
//! `{"cubes": [cube]}`.
//!
//! - numeric columns become measures (`count` for `id` and `*_id`, else `sum`, or
//!   the column's `meta.cube_measure_type`); other columns become dimensions (`time`,
//!   `boolean` or `string` by data type, or `meta.cube_type`);
//! - a model's dependencies on other kept models become `belongs_to` joins (or
//!   `meta.cube_join_relationship[<dep>]`);
//! - `meta.cube_pre_aggregation` becomes pre-aggregations.

use std::fs;
use std::path::{Path, PathBuf};

use floe_registry::PluginError;

use super::node::Node;

/// Which models to keep: a model passes when its schema is one of `schemas` (exact
/// match) and one of its tags is in `tags`; an empty list does not filter.
#[derive(Debug, Clone, Default)]
pub struct ModelFilter {
    /// Schemas to keep.
    pub schemas: Vec<String>,
    /// Tags to keep.
    pub tags: Vec<String>,
}

const NUMERIC: [&str; 11] = [
    "integer", "int", "bigint", "smallint", "tinyint", "float", "double", "real", "decimal",
    "numeric", "number",
];
const TIME: [&str; 7] = [
    "date",
    "timestamp",
    "timestamp_tz",
    "timestamp_ntz",
    "timestamptz",
    "datetime",
    "time",
];
const BOOLEAN: [&str; 2] = ["boolean", "bool"];
const PRE_AGGREGATION_KEYS: [&str; 6] = [
    "measures",
    "dimensions",
    "time_dimension",
    "granularity",
    "refresh_key",
    "partition_granularity",
];

fn error(message: impl Into<String>) -> PluginError {
    PluginError::failed(message)
}

/// A model of the manifest: its `nodes` key and the node.
struct Model<'a> {
    unique_id: &'a str,
    name: &'a str,
    node: &'a Node,
}

/// Reads the manifest, keeps the filtered models, empties `output_dir` of `*.yaml`
/// and `*.yml` files (creating it when missing), and writes one file per model.
/// Returns the files written, in manifest order.
pub fn generate(
    manifest_path: &Path,
    output_dir: &Path,
    filter: &ModelFilter,
) -> Result<Vec<PathBuf>, PluginError> {
    let text = match fs::read(manifest_path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(error(format!(
                "Manifest file not found: {}",
                manifest_path.display()
            )));
        }
        Err(e) => {
            return Err(crate::error::failure(
                format!("cannot read manifest {}", manifest_path.display()),
                e,
            ));
        }
    };
    let manifest: Node = serde_json::from_slice(&text)
        .map_err(|e| error(format!("Invalid JSON in manifest: {e}")))?;
    let nodes = manifest
        .get("nodes")
        .ok_or_else(|| error("Manifest missing required 'nodes' key"))?;
    let mut models = Vec::new();
    for (unique_id, node) in nodes.entries() {
        if node.get("resource_type").and_then(Node::as_str) != Some("model") {
            continue;
        }
        let name = node
            .get("name")
            .and_then(Node::as_str)
            .ok_or_else(|| error(format!("Model '{unique_id}' has no name")))?;
        if keep(node, filter) {
            models.push(Model {
                unique_id,
                name,
                node,
            });
        }
    }
    prepare_dir(output_dir)?;
    let mut written = Vec::with_capacity(models.len());
    for model in &models {
        let path = file_for(output_dir, model.name)?;
        let document = Node::Map(vec![(
            "cubes".to_owned(),
            Node::List(vec![cube(model, &models)]),
        )]);
        let yaml = document.to_yaml().map_err(|e| {
            crate::error::failure(format!("cannot write the cube of model {}", model.name), e)
        })?;
        fs::write(&path, yaml).map_err(|e| {
            crate::error::failure(
                format!("cannot write {} (model: {})", path.display(), model.name),
                e,
            )
        })?;
        written.push(path);
    }
    tracing::info!(
        plugin = "cube",
        models = written.len(),
        "cube_schema_generated"
    );
    Ok(written)
}

fn keep(node: &Node, filter: &ModelFilter) -> bool {
    let schema_ok = filter.schemas.is_empty()
        || node
            .get("schema")
            .and_then(Node::as_str)
            .is_some_and(|s| filter.schemas.iter().any(|f| f == s));
    let tags_ok = filter.tags.is_empty()
        || node.get("tags").is_some_and(|tags| {
            tags.items()
                .iter()
                .filter_map(Node::as_str)
                .any(|t| filter.tags.iter().any(|f| f == t))
        });
    schema_ok && tags_ok
}

/// Creates `dir` when missing and removes the `*.yaml` / `*.yml` files directly in
/// it.
fn prepare_dir(dir: &Path) -> Result<(), PluginError> {
    fs::create_dir_all(dir)
        .map_err(|e| crate::error::failure(format!("cannot create {}", dir.display()), e))?;
    let entries = fs::read_dir(dir)
        .map_err(|e| crate::error::failure(format!("cannot list {}", dir.display()), e))?;
    for entry in entries.filter_map(Result::ok) {
        let path = entry.path();
        let is_yaml = path.extension().is_some_and(|e| e == "yaml" || e == "yml");
        if is_yaml && entry.file_type().is_ok_and(|t| t.is_file()) {
            fs::remove_file(&path).map_err(|e| {
                crate::error::failure(format!("cannot remove {}", path.display()), e)
            })?;
        }
    }
    Ok(())
}

/// `<dir>/<name>.yaml`, refusing names that would put the file anywhere else.
fn file_for(dir: &Path, name: &str) -> Result<PathBuf, PluginError> {
    let escapes = name.is_empty()
        || name == "."
        || name == ".."
        || name.contains(['/', '\\', '\0'])
        || Path::new(name).is_absolute();
    if escapes {
        return Err(error(format!(
            "Model name contains path traversal: {name} (model: {name})"
        )));
    }
    Ok(dir.join(format!("{name}.yaml")))
}

fn entry(key: &str, value: Node) -> (String, Node) {
    (key.to_owned(), value)
}

fn meta_str<'a>(node: &'a Node, key: &str) -> Option<&'a str> {
    node.get("meta")
        .and_then(|m| m.get(key))
        .filter(|v| v.is_truthy())
        .and_then(Node::as_str)
}

fn cube(model: &Model<'_>, kept: &[Model<'_>]) -> Node {
    let node = model.node;
    let schema = node
        .get("schema")
        .and_then(Node::as_str)
        .filter(|s| !s.is_empty())
        .unwrap_or("public");
    let mut measures = Vec::new();
    let mut dimensions = Vec::new();
    if let Some(columns) = node.get("columns") {
        for (column, spec) in columns.entries() {
            let data_type = spec
                .get("data_type")
                .and_then(Node::as_str)
                .unwrap_or_default()
                .to_lowercase();
            let (list, kind) = if NUMERIC.contains(&data_type.as_str()) {
                let kind = meta_str(spec, "cube_measure_type").unwrap_or(
                    if column == "id" || column.ends_with("_id") {
                        "count"
                    } else {
                        "sum"
                    },
                );
                (&mut measures, kind)
            } else {
                let default = if TIME.contains(&data_type.as_str()) {
                    "time"
                } else if BOOLEAN.contains(&data_type.as_str()) {
                    "boolean"
                } else {
                    "string"
                };
                (
                    &mut dimensions,
                    meta_str(spec, "cube_type").unwrap_or(default),
                )
            };
            list.push(Node::Map(vec![
                entry("name", Node::str(column)),
                entry("type", Node::str(kind)),
                entry("sql", Node::str(column)),
            ]));
        }
    }
    let mut cube = vec![
        entry("name", Node::str(model.name)),
        entry("sql_table", Node::str(format!("{schema}.{}", model.name))),
        entry("measures", Node::List(measures)),
        entry("dimensions", Node::List(dimensions)),
    ];
    let joins = joins(model, kept);
    if !joins.is_empty() {
        cube.push(entry("joins", Node::List(joins)));
    }
    let pre_aggregations = pre_aggregations(node);
    if !pre_aggregations.is_empty() {
        cube.push(entry("pre_aggregations", Node::List(pre_aggregations)));
    }
    Node::Map(cube)
}

fn joins(model: &Model<'_>, kept: &[Model<'_>]) -> Vec<Node> {
    let relationships = model
        .node
        .get("meta")
        .and_then(|m| m.get("cube_join_relationship"));
    let Some(depends_on) = model.node.get("depends_on").and_then(|d| d.get("nodes")) else {
        return Vec::new();
    };
    depends_on
        .items()
        .iter()
        .filter_map(Node::as_str)
        .filter_map(|dep_id| kept.iter().find(|m| m.unique_id == dep_id))
        .map(|dep| {
            let relationship = relationships
                .and_then(|r| r.get(dep.name))
                .filter(|v| v.is_truthy())
                .and_then(Node::as_str)
                .unwrap_or("belongs_to");
            Node::Map(vec![
                entry("name", Node::str(dep.name)),
                entry(
                    "sql",
                    Node::str(format!(
                        "{{{model}}}.{dep}_id = {{{dep}}}.{dep}_id",
                        model = model.name,
                        dep = dep.name
                    )),
                ),
                entry("relationship", Node::str(relationship)),
            ])
        })
        .collect()
}

fn pre_aggregations(node: &Node) -> Vec<Node> {
    let Some(configs) = node.get("meta").and_then(|m| m.get("cube_pre_aggregation")) else {
        return Vec::new();
    };
    configs
        .entries()
        .iter()
        .map(|(name, config)| {
            let kind = config
                .get("type")
                .filter(|v| v.is_truthy())
                .and_then(Node::as_str)
                .unwrap_or("rollup");
            let mut out = vec![
                entry("name", Node::str(name)),
                entry("type", Node::str(kind)),
            ];
            for key in PRE_AGGREGATION_KEYS {
                if let Some(value) = config.get(key) {
                    out.push(entry(key, value.clone()));
                }
            }
            Node::Map(out)
        })
        .collect()
}
