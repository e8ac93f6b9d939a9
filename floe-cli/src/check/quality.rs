//! `plugins.quality`: floe's quality config, whose plugin is chosen by `provider:`.

use floe_registry::quality::{QualityConfig, QualityError};
use floe_registry::{PluginId, PluginRegistry, PluginType, Validate};
use serde_json::Value;

use super::{Report, Selected};
use crate::error;
use crate::manifest::{self, Loc, Node};

/// The manifest key.
pub(crate) const CATEGORY: &str = "quality";

/// The providers floe's manifest accepts (its static list in `schemas/plugins.py`),
/// whether or not they are installed.
pub(crate) const FLOE_PROVIDERS: [&str; 3] = ["great_expectations", "soda", "dbt_expectations"];

/// The JSON Schema of the block (schemars, draft 2020-12).
pub(crate) fn schema() -> Value {
    floe_registry::schemars::schema_for!(QualityConfig).to_value()
}

/// Checks the block in full (unknown keys at every level, types, bounds, the weights'
/// sum) and its provider; the provider's plugin when it is installed.
pub(super) fn check_quality(
    registry: &PluginRegistry,
    report: &mut Report,
    key_loc: Loc,
    node: &Node,
) -> Option<Selected> {
    let path = "plugins.quality";
    if node.entries().is_none() {
        report.add(
            path,
            key_loc,
            "structure",
            format!(
                "the quality config must be a mapping with `provider` and optionally quality_gates, dimension_weights, calculation, thresholds, check_timeout_seconds and enabled; found {}",
                node.kind_name()
            ),
        );
        return None;
    }
    let schema = schema();
    let before = report.problems.len();
    unknown_keys(report, &schema, &schema, node, path);
    if report.problems.len() > before {
        return None;
    }
    let json = node.to_json();
    let config: QualityConfig = match serde_json::from_value(json.clone()) {
        Ok(config) => config,
        Err(e) => {
            report.add(
                path,
                key_loc,
                "quality",
                format!("invalid quality config: {e}"),
            );
            return None;
        }
    };
    if let Err(errors) = config.validate() {
        for error in errors.0 {
            let loc = node.locate(key_loc, &error.path);
            let full = if error.path.is_empty() {
                path.to_owned()
            } else {
                format!("{path}.{}", error.path)
            };
            report.add(full, loc, "quality", error.message);
        }
    }
    provider(registry, report, key_loc, node, config, json)
}

/// The provider must name an installed quality plugin; one floe accepts that this
/// floe lacks is a warning.
fn provider(
    registry: &PluginRegistry,
    report: &mut Report,
    key_loc: Loc,
    node: &Node,
    config: QualityConfig,
    json: Value,
) -> Option<Selected> {
    let loc = node.locate(key_loc, "provider");
    let path = "plugins.quality.provider";
    let installed = registry
        .list_all()
        .remove(&PluginType::Quality)
        .unwrap_or_default();
    let name = config.provider;
    if let Ok(info) = registry.info(PluginType::Quality, &name) {
        return Some(Selected {
            id: PluginId::new(PluginType::Quality, name),
            version: info.version,
            config: json,
            type_loc: loc,
        });
    }
    let listed = if installed.is_empty() {
        "no quality plugins are installed".to_owned()
    } else {
        format!("installed: {}", installed.join(", "))
    };
    if FLOE_PROVIDERS.contains(&name.as_str()) {
        report.warn(
            path,
            loc,
            "unknown_plugin",
            format!("floe accepts the provider `{name}`, but no quality plugin of that name is installed in this floe ({listed})"),
        );
        return None;
    }
    let mut available: Vec<String> = installed.iter().map(|n| (*n).to_owned()).collect();
    for p in FLOE_PROVIDERS {
        if !available.iter().any(|a| a == p) {
            available.push(p.to_owned());
        }
    }
    let hint = floe_registry_rules::closest(&name, available.iter().map(String::as_str))
        .first()
        .map(|b| format!(" (did you mean `{b}`?)"))
        .unwrap_or_default();
    let error = QualityError::ProviderNotFound {
        provider: name,
        available,
    };
    report.add(
        path,
        loc,
        "unknown_plugin",
        format!("{}{hint}", error::chain(&error)),
    );
    None
}

/// The properties a schema allows, following `$ref`s into `root`'s `$defs`; `None`
/// when it is not an object schema that forbids others.
fn properties<'a>(
    root: &'a Value,
    schema: &'a Value,
) -> Option<&'a serde_json::Map<String, Value>> {
    let resolved = resolve(root, schema);
    if resolved.get("additionalProperties") != Some(&Value::Bool(false)) {
        return None;
    }
    resolved.get("properties").and_then(Value::as_object)
}

fn resolve<'a>(root: &'a Value, schema: &'a Value) -> &'a Value {
    let reference = schema.get("$ref").and_then(Value::as_str).or_else(|| {
        schema
            .get("allOf")
            .and_then(|a| a.get(0))
            .and_then(|s| s.get("$ref"))
            .and_then(Value::as_str)
    });
    match reference.and_then(|r| r.strip_prefix("#/$defs/")) {
        Some(name) => root
            .get("$defs")
            .and_then(|d| d.get(name))
            .unwrap_or(schema),
        None => schema,
    }
}

/// Reports every key the schema does not allow, at every level.
fn unknown_keys(report: &mut Report, root: &Value, schema: &Value, node: &Node, path: &str) {
    let (Some(allowed), Some(entries)) = (properties(root, schema), node.entries()) else {
        return;
    };
    let names: Vec<&str> = allowed.keys().map(String::as_str).collect();
    for (key, key_loc, child) in entries {
        let child_path = format!("{path}.{key}");
        match allowed.get(&key) {
            Some(child_schema) => {
                if matches!(child.kind, manifest::Kind::Map(_)) {
                    unknown_keys(report, root, child_schema, child, &child_path);
                }
            }
            None => {
                let hint = floe_registry_rules::closest(&key, names.iter().copied())
                    .first()
                    .map(|b| format!(" (did you mean `{b}`?)"))
                    .unwrap_or_default();
                report.add(
                    child_path,
                    key_loc,
                    "unknown_key",
                    format!(
                        "unknown key `{key}`{hint}; allowed here: {}",
                        names.join(", ")
                    ),
                );
            }
        }
    }
}
