//! The configuration of the `duckdb` plugin, and its translation into the
//! [`ComputeConfig`] the compute methods take.

use std::collections::BTreeMap;

use floe_registry::prelude::JsonSchema;
use floe_registry::{ComputeConfig, floe_config, schemars};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

/// The embedded DuckDB engine: where the database lives and how it runs.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DuckDbConfig {
    /// Database file, or `:memory:`.
    #[serde(default = "default_path")]
    #[schemars(length(min = 1))]
    pub path: String,
    /// Worker threads.
    #[serde(default = "default_threads")]
    #[schemars(range(min = 1, max = 64))]
    pub threads: u32,
    /// Query timeout in seconds, for whatever runs dbt: not written into the dbt
    /// profile, because dbt-duckdb and DuckDB have no query timeout to set.
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 1, max = 86400))]
    pub timeout_seconds: u32,
    /// Memory limit: a number followed by `GB` or `MB` (`4GB`, `512 MB`).
    #[serde(default = "default_memory_limit")]
    #[schemars(regex(pattern = r"^[0-9]+(\.[0-9]+)? ?(GB|MB)$"))]
    pub memory_limit: String,
    /// How the database file is opened; DuckDB's default when unset.
    #[serde(default)]
    pub access_mode: Option<AccessMode>,
    /// Extensions to install and load (`iceberg`, `httpfs`, ...).
    #[serde(default)]
    pub extensions: Vec<String>,
    /// Databases to attach next to the main one.
    #[serde(default)]
    pub attach: Vec<AttachConfig>,
    /// Further DuckDB settings (`SET <name> = <value>`); these win over `memory_limit`
    /// and `access_mode`.
    #[serde(default)]
    pub settings: BTreeMap<String, Value>,
}

/// A database attached with `ATTACH`, in the shape dbt-duckdb accepts.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct AttachConfig {
    /// What to attach: a file, a URL or an Iceberg catalog name.
    #[schemars(length(min = 1))]
    pub path: String,
    /// The name it is attached as.
    #[schemars(regex(pattern = r"^[a-zA-Z_][a-zA-Z0-9_]*$"))]
    pub alias: String,
    /// The database type (`duckdb`, `iceberg`, `sqlite`, `postgres`, ...).
    #[serde(default = "default_attach_type", rename = "type")]
    #[schemars(length(min = 1))]
    pub kind: String,
    /// The name of a DuckDB secret to attach with.
    #[serde(default)]
    pub secret: Option<String>,
    /// Attach read-only.
    #[serde(default)]
    pub read_only: Option<bool>,
    /// Whether the database is a DuckLake catalog.
    #[serde(default)]
    pub is_ducklake: Option<bool>,
    /// Further `ATTACH` options (`endpoint`, `schema`, ...), each a string, number or
    /// boolean. `read_only`, `access_mode`, `type` and `catalog_uri` are also accepted
    /// here and moved where dbt-duckdb reads them.
    #[serde(default)]
    #[schemars(schema_with = "attach_options_schema")]
    pub options: BTreeMap<String, Value>,
}

fn attach_options_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "additionalProperties": {"type": ["string", "number", "boolean"]},
        "default": {}
    })
}

/// DuckDB's `access_mode` setting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AccessMode {
    /// Read-write unless the file is read-only.
    Automatic,
    /// No writes.
    ReadOnly,
    /// Reads and writes.
    ReadWrite,
}

impl JsonSchema for AccessMode {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AccessMode".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "enum": ["automatic", "read_only", "read_write"] })
    }
}

impl AccessMode {
    /// The setting's value.
    pub fn as_str(self) -> &'static str {
        match self {
            AccessMode::Automatic => "automatic",
            AccessMode::ReadOnly => "read_only",
            AccessMode::ReadWrite => "read_write",
        }
    }
}

fn default_path() -> String {
    ":memory:".to_owned()
}

fn default_threads() -> u32 {
    4
}

fn default_timeout() -> u32 {
    3600
}

fn default_memory_limit() -> String {
    "4GB".to_owned()
}

fn default_attach_type() -> String {
    "iceberg".to_owned()
}

impl Default for DuckDbConfig {
    fn default() -> Self {
        Self {
            path: default_path(),
            threads: default_threads(),
            timeout_seconds: default_timeout(),
            memory_limit: default_memory_limit(),
            access_mode: None,
            extensions: Vec::new(),
            attach: Vec::new(),
            settings: BTreeMap::new(),
        }
    }
}

impl DuckDbConfig {
    /// The platform's compute config for this engine: `threads` and `timeout_seconds`
    /// lifted out, everything else under `connection` (empty lists and maps left out).
    pub fn to_compute_config(&self) -> ComputeConfig {
        let mut connection = Map::new();
        connection.insert("path".into(), json!(self.path));
        connection.insert("memory_limit".into(), json!(self.memory_limit));
        if let Some(mode) = self.access_mode {
            connection.insert("access_mode".into(), json!(mode.as_str()));
        }
        if !self.extensions.is_empty() {
            connection.insert("extensions".into(), json!(self.extensions));
        }
        if !self.settings.is_empty() {
            connection.insert("settings".into(), json!(self.settings));
        }
        if !self.attach.is_empty() {
            let items: Vec<Value> = self
                .attach
                .iter()
                .map(|a| {
                    let mut item = json!({"path": a.path, "alias": a.alias, "type": a.kind, "options": a.options});
                    if let Some(secret) = &a.secret {
                        item["secret"] = json!(secret);
                    }
                    if let Some(read_only) = a.read_only {
                        item["read_only"] = json!(read_only);
                    }
                    if let Some(is_ducklake) = a.is_ducklake {
                        item["is_ducklake"] = json!(is_ducklake);
                    }
                    item
                })
                .collect();
            connection.insert("attach".into(), Value::Array(items));
        }
        let mut config = ComputeConfig::new("duckdb");
        config.threads = self.threads;
        config.timeout_seconds = self.timeout_seconds;
        config.connection = connection;
        config
    }
}
