//! Fields a plugin accepts that another floe refuses: declared once, in the config
//! type, with the schema annotation [`REJECTED_BY`], and found in a config by
//! [`PluginRegistry::unportable_fields`].

use std::fmt;

use serde::Serialize;
use serde_json::Value;

use super::PluginRegistry;
use super::schema::deref;
use crate::{PluginError, PluginType};

/// The schema annotation of a config field another floe refuses; its value names that
/// floe (`"floe 0.1.0a1"`). Written on the field with schemars' `extend`:
/// `#[schemars(extend("x-floe-rejected-by" = "floe 0.1.0a1"))]`. Tools and editors
/// ignore it; `floe plugins check` warns where a manifest sets such a field.
pub const REJECTED_BY: &str = "x-floe-rejected-by";

/// How deep a config is followed.
const MAX_DEPTH: usize = 64;

/// A field set in a config that another floe refuses (see [`REJECTED_BY`]).
///
/// ```
/// use floe_registry::prelude::*;
/// use serde_json::json;
///
/// #[floe_config]
/// struct Conf {
///     uri: String,
///     /// Ours alone: published floe refuses the config when it is set.
///     #[serde(default)]
///     #[schemars(extend("x-floe-rejected-by" = "floe 0.1.0a1"))]
///     timeout_seconds: Option<f64>,
/// }
/// #[floe_plugin(type = Catalog, name = "unportable-doc", version = "1.0.0", config = Conf)]
/// #[derive(Default)]
/// struct P;
/// impl CatalogPlugin for P {}
///
/// let registry = PluginRegistry::new();
/// registry.discover_all();
/// let config = json!({"uri": "http://c", "timeout_seconds": 2});
/// let fields = registry.unportable_fields(PluginType::Catalog, "unportable-doc", &config)?;
/// assert_eq!(fields.len(), 1);
/// assert_eq!(fields[0].field, "timeout_seconds");
/// assert_eq!(fields[0].to_string(), "floe 0.1.0a1 rejects this field");
/// # Ok::<(), PluginError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct UnportableField {
    /// The dotted path of the field (`destination`, `sources.0.extra`).
    pub field: String,
    /// The floe that refuses it, as the annotation names it (`floe 0.1.0a1`).
    pub rejected_by: String,
}

impl fmt::Display for UnportableField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} rejects this field", self.rejected_by)
    }
}

impl PluginRegistry {
    /// The fields set in `config` whose schema carries [`REJECTED_BY`]: accepted
    /// here, refused by the floe the annotation names. Empty for a plugin without a
    /// config type. Does not validate `config`.
    pub fn unportable_fields(
        &self,
        plugin_type: PluginType,
        name: &str,
        config: &Value,
    ) -> Result<Vec<UnportableField>, PluginError> {
        let Some(schema) = self.config_schema(plugin_type, name)? else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        visit(&schema, &schema, config, &mut Vec::new(), &mut found);
        Ok(found)
    }
}

fn visit(
    root: &Value,
    node: &Value,
    value: &Value,
    path: &mut Vec<String>,
    out: &mut Vec<UnportableField>,
) {
    if path.len() > MAX_DEPTH {
        return;
    }
    // The annotation may sit beside a `$ref` (a field of a struct type).
    let annotation = |n: &Value| {
        n.get(REJECTED_BY)
            .and_then(Value::as_str)
            .map(str::to_owned)
    };
    let here = annotation(node);
    let Some(node) = deref(root, node) else {
        return;
    };
    if let Some(rejected_by) = here.or_else(|| annotation(node))
        && !path.is_empty()
    {
        out.push(UnportableField {
            field: path.join("."),
            rejected_by,
        });
        return;
    }
    // An optional object (`anyOf: [{$ref}, {type: null}]`): its object branch.
    let node = node
        .get("anyOf")
        .and_then(Value::as_array)
        .and_then(|branches| {
            branches
                .iter()
                .filter_map(|b| deref(root, b))
                .find(|b| b.get("properties").is_some() || b.get("items").is_some())
        })
        .unwrap_or(node);
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                let next = node
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()));
                if let Some(next) = next {
                    path.push(key.clone());
                    visit(root, next, field, path, out);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            if let Some(next) = node.get("items").filter(|v| v.is_object()) {
                for (index, item) in items.iter().enumerate() {
                    path.push(index.to_string());
                    visit(root, next, item, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}
