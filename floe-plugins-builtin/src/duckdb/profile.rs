//! The dbt-duckdb profile target built from a [`ComputeConfig`].

use floe_registry::{ComputeConfig, PluginError};
use serde_json::{Map, Value, json};

use super::attach::attachments;
use super::path::{MEMORY, validate_path};

/// The DuckDB settings that can only be given when the database is opened. dbt-duckdb
/// applies `settings` with `SET` on an open connection, where DuckDB refuses to change
/// these ("Cannot change access_mode setting while database is running"), so they go
/// under `config_options`, which dbt-duckdb passes to `duckdb.connect(config=...)`.
pub const OPEN_TIME_SETTINGS: [&str; 1] = ["access_mode"];

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

/// The profile target, with only keys dbt-duckdb knows: `type`, `path`, `threads`,
/// then `extensions`, `settings`, `config_options` and `attach` when given.
///
/// - `settings` (applied with `SET` after opening): `memory_limit`, overlaid by
///   `connection.settings` (explicit settings win).
/// - `config_options` (given to DuckDB when it opens the database): `access_mode`,
///   from `connection.access_mode` or `connection.settings.access_mode` (the latter
///   wins); see [`OPEN_TIME_SETTINGS`].
/// - `attach`: see [`attachments`](super::attach::attachments).
///
/// `timeout_seconds` is not written: dbt-duckdb has no such profile key (dbt ignores
/// it silently) and DuckDB has no query timeout setting to map it to, so the
/// platform's timeout belongs to whatever runs dbt (the orchestrator's run timeout).
pub fn dbt_profile(config: &ComputeConfig) -> Result<Value, PluginError> {
    let path = database_path(config)?;
    validate_path(&path)?;
    let conn = &config.connection;
    let mut profile = Map::new();
    profile.insert("type".into(), json!("duckdb"));
    profile.insert("path".into(), json!(path));
    profile.insert("threads".into(), json!(config.threads));
    if let Some(ext) = conn.get("extensions").filter(|v| truthy(v)) {
        profile.insert("extensions".into(), ext.clone());
    }
    let mut settings = settings(conn)?;
    let mut open_time = Map::new();
    for key in OPEN_TIME_SETTINGS {
        if let Some(v) = settings.remove(key) {
            open_time.insert(key.into(), v);
        }
    }
    if !settings.is_empty() {
        profile.insert("settings".into(), Value::Object(settings));
    }
    if !open_time.is_empty() {
        profile.insert("config_options".into(), Value::Object(open_time));
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
