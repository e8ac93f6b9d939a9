//! The `attach` entries of a dbt-duckdb profile, in the shape dbt-duckdb accepts.
//!
//! dbt-duckdb validates each entry against a fixed schema: `path`, `type`, `alias`,
//! `secret`, `read_only` (a boolean), `options` (a nested map of further `ATTACH`
//! options) and `is_ducklake`. Any other key, or a `read_only` of another type, makes
//! dbt refuse the whole profile, so every entry is rebuilt here from typed parts.

use floe_registry::PluginError;
use serde_json::{Map, Value};

/// The keys an attach entry may carry, in dbt-duckdb's order.
pub const ATTACH_KEYS: [&str; 7] = [
    "path",
    "type",
    "alias",
    "secret",
    "read_only",
    "options",
    "is_ducklake",
];

/// The `attach` list of the profile built from `connection.attach`.
///
/// Besides the keys of [`ATTACH_KEYS`], an entry's `options` may hold the older flat
/// keys, which are moved to where dbt-duckdb reads them: `read_only` (a boolean or
/// `"true"`/`"false"`) and `access_mode` (`read_only`, `read_write`, `automatic`)
/// become the boolean `read_only`; `type` becomes the entry's `type`; `catalog_uri`
/// becomes the Iceberg `ATTACH` option `endpoint`. Every other option stays nested
/// and must be a string, number or boolean.
pub fn attachments(attach: &Value) -> Result<Value, PluginError> {
    let Value::Array(items) = attach else {
        return Err(PluginError::failed(
            "connection.attach must be a list of objects with a 'path'",
        ));
    };
    items
        .iter()
        .enumerate()
        .map(|(i, item)| entry(i, item))
        .collect::<Result<Vec<_>, _>>()
        .map(Value::Array)
}

fn entry(i: usize, item: &Value) -> Result<Value, PluginError> {
    let Value::Object(item) = item else {
        return Err(PluginError::failed(format!(
            "connection.attach.{i} must be an object with a 'path'"
        )));
    };
    if let Some(key) = item.keys().find(|k| !ATTACH_KEYS.contains(&k.as_str())) {
        return Err(PluginError::failed(format!(
            "connection.attach.{i} has the key '{key}', which dbt-duckdb does not accept: \
             use path, type, alias, secret, read_only, options or is_ducklake \
             (other ATTACH options go under 'options')"
        )));
    }
    let path = item
        .get("path")
        .ok_or_else(|| PluginError::failed(format!("connection.attach.{i} has no 'path'")))?;
    let mut kind = item.get("type").cloned();
    let mut read_only = match item.get("read_only") {
        None | Some(Value::Null) => None,
        Some(v) => Some(boolean(v, &format!("connection.attach.{i}.read_only"))?),
    };
    let mut options = Map::new();
    match item.get("options") {
        None | Some(Value::Null) => {}
        Some(Value::Object(given)) => {
            for (key, value) in given {
                let at = format!("connection.attach.{i}.options.{key}");
                match key.as_str() {
                    "read_only" => read_only = Some(boolean(value, &at)?),
                    "access_mode" => {
                        if let Some(ro) = access_mode_read_only(value, &at)? {
                            read_only = Some(ro);
                        }
                    }
                    "type" => kind = Some(value.clone()),
                    "catalog_uri" => {
                        options.insert("endpoint".into(), scalar(value, &at)?);
                    }
                    _ => {
                        options.insert(key.clone(), scalar(value, &at)?);
                    }
                }
            }
        }
        Some(_) => {
            return Err(PluginError::failed(format!(
                "connection.attach.{i}.options must be an object of ATTACH options"
            )));
        }
    }
    let mut out = Map::new();
    out.insert("path".into(), path.clone());
    if let Some(kind) = kind.filter(|k| !k.is_null()) {
        out.insert("type".into(), kind);
    }
    for key in ["alias", "secret"] {
        if let Some(v) = item.get(key).filter(|v| !v.is_null()) {
            out.insert(key.into(), v.clone());
        }
    }
    if let Some(ro) = read_only {
        out.insert("read_only".into(), Value::Bool(ro));
    }
    if !options.is_empty() {
        out.insert("options".into(), Value::Object(options));
    }
    if let Some(v) = item.get("is_ducklake").filter(|v| !v.is_null()) {
        let at = format!("connection.attach.{i}.is_ducklake");
        out.insert("is_ducklake".into(), Value::Bool(boolean(v, &at)?));
    }
    Ok(Value::Object(out))
}

/// A boolean, or the strings `true` / `false` in any case.
fn boolean(value: &Value, at: &str) -> Result<bool, PluginError> {
    match value {
        Value::Bool(b) => Ok(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Ok(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Ok(false),
        other => Err(PluginError::failed(format!(
            "{at} must be true or false, not {other}"
        ))),
    }
}

/// `read_only` → read-only, `read_write` → writable, `automatic` → DuckDB decides.
fn access_mode_read_only(value: &Value, at: &str) -> Result<Option<bool>, PluginError> {
    match value.as_str().map(str::to_ascii_lowercase).as_deref() {
        Some("read_only") => Ok(Some(true)),
        Some("read_write") => Ok(Some(false)),
        Some("automatic") => Ok(None),
        _ => Err(PluginError::failed(format!(
            "{at} must be read_only, read_write or automatic, not {value}"
        ))),
    }
}

/// A string, number or boolean, kept with its type.
fn scalar(value: &Value, at: &str) -> Result<Value, PluginError> {
    match value {
        Value::String(_) | Value::Number(_) | Value::Bool(_) => Ok(value.clone()),
        other => Err(PluginError::failed(format!(
            "{at} must be a string, number or boolean (an ATTACH option value), not {other}"
        ))),
    }
}
