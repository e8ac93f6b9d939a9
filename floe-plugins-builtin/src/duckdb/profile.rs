//! The dbt-duckdb profile target built from a [`ComputeConfig`].

use floe_registry::{ComputeConfig, PluginError};
use serde_json::{Map, Value, json};

use super::path::{MEMORY, validate_path};

/// The option keys an `attach` entry may carry, sorted.
pub const ATTACH_OPTION_KEYS: [&str; 5] =
    ["access_mode", "catalog_uri", "read_only", "schema", "type"];

/// Python truthiness of a JSON value: null, false, 0, "", [] and {} are false.
fn truthy(v: &Value) -> bool {
    match v {
        Value::Null => false,
        Value::Bool(b) => *b,
        Value::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
        Value::String(s) => !s.is_empty(),
        Value::Array(a) => !a.is_empty(),
        Value::Object(o) => !o.is_empty(),
    }
}

/// The database path of a compute config: `connection.path`, `:memory:` when absent.
pub fn database_path(config: &ComputeConfig) -> Result<String, PluginError> {
    match config.connection.get("path") {
        None | Some(Value::Null) => Ok(MEMORY.to_owned()),
        Some(Value::String(s)) => Ok(s.clone()),
        Some(_) => Err(PluginError::failed("connection.path must be a string")),
    }
}

/// The profile target: `type`, `path`, `threads`, `timeout_seconds`, then
/// `extensions`, `settings` and `attach` when given.
pub fn dbt_profile(config: &ComputeConfig) -> Result<Value, PluginError> {
    let path = database_path(config)?;
    validate_path(&path)?;
    let conn = &config.connection;
    let mut profile = Map::new();
    profile.insert("type".into(), json!("duckdb"));
    profile.insert("path".into(), json!(path));
    profile.insert("threads".into(), json!(config.threads));
    profile.insert("timeout_seconds".into(), json!(config.timeout_seconds));
    if let Some(ext) = conn.get("extensions").filter(|v| truthy(v)) {
        profile.insert("extensions".into(), ext.clone());
    }
    let settings = settings(conn)?;
    if !settings.is_empty() {
        profile.insert("settings".into(), Value::Object(settings));
    }
    if let Some(attach) = conn.get("attach").filter(|v| truthy(v)) {
        profile.insert("attach".into(), attachments(attach)?);
    }
    Ok(Value::Object(profile))
}

/// `memory_limit` and `access_mode` from the connection, overlaid by
/// `connection.settings` (explicit settings win).
fn settings(conn: &Map<String, Value>) -> Result<Map<String, Value>, PluginError> {
    let mut out = Map::new();
    for key in ["memory_limit", "access_mode"] {
        if let Some(v) = conn.get(key).filter(|v| !v.is_null()) {
            out.insert(key.into(), v.clone());
        }
    }
    match conn.get("settings") {
        None | Some(Value::Null) => {}
        Some(Value::Object(explicit)) => {
            out.extend(explicit.iter().map(|(k, v)| (k.clone(), v.clone())));
        }
        Some(_) => {
            return Err(PluginError::failed(
                "connection.settings must be an object of DuckDB settings",
            ));
        }
    }
    Ok(out)
}

/// The `attach` list: `path`, `alias` and `type` when given, options merged flat.
fn attachments(attach: &Value) -> Result<Value, PluginError> {
    let Value::Array(items) = attach else {
        return Err(PluginError::failed("connection.attach must be a list"));
    };
    let mut out = Vec::with_capacity(items.len());
    for (i, item) in items.iter().enumerate() {
        let Value::Object(item) = item else {
            return Err(PluginError::failed(format!(
                "connection.attach.{i} must be an object with a 'path'"
            )));
        };
        let path = item
            .get("path")
            .ok_or_else(|| PluginError::failed(format!("connection.attach.{i} has no 'path'")))?;
        let mut entry = Map::new();
        entry.insert("path".into(), path.clone());
        for key in ["alias", "type"] {
            if let Some(v) = item.get(key) {
                entry.insert(key.into(), v.clone());
            }
        }
        match item.get("options") {
            Some(Value::Object(options)) => {
                for (key, value) in options {
                    if !ATTACH_OPTION_KEYS.contains(&key.as_str()) {
                        return Err(PluginError::failed(format!(
                            "Invalid attach option key: '{key}'. Allowed keys: ['access_mode', 'catalog_uri', 'read_only', 'schema', 'type']"
                        )));
                    }
                    entry.insert(key.clone(), value.clone());
                }
            }
            None | Some(Value::Null) => {}
            Some(_) => {
                return Err(PluginError::failed(format!(
                    "connection.attach.{i}.options must be an object"
                )));
            }
        }
        out.push(Value::Object(entry));
    }
    Ok(Value::Array(out))
}
