//! Compute plugins: where dbt transforms execute.

use std::collections::BTreeMap;
use std::path::PathBuf;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::{ResourceSpec, unsupported};
use crate::{PluginError, PluginMetadata, Secret};

/// The compute settings a platform manifest gives: threads, timeout, and the
/// engine-specific `connection` map.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ComputeConfig {
    /// The compute plugin's name.
    pub plugin: String,
    /// Query timeout, 1 to 86400 s.
    #[serde(default = "default_timeout")]
    pub timeout_seconds: u32,
    /// Worker threads, 1 to 64.
    #[serde(default = "default_threads")]
    pub threads: u32,
    /// Engine-specific connection settings.
    #[serde(default)]
    pub connection: Map<String, Value>,
    /// Credentials by name.
    #[serde(default)]
    pub credentials: BTreeMap<String, Secret>,
}

fn default_timeout() -> u32 {
    3600
}

fn default_threads() -> u32 {
    4
}

impl ComputeConfig {
    /// A config for `plugin` with the default timeout (3600 s) and threads (4).
    pub fn new(plugin: impl Into<String>) -> Self {
        Self {
            plugin: plugin.into(),
            timeout_seconds: default_timeout(),
            threads: default_threads(),
            connection: Map::new(),
            credentials: BTreeMap::new(),
        }
    }
}

/// The Iceberg catalog a compute engine attaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CatalogConfig {
    /// Catalog kind (`rest`).
    pub catalog_type: String,
    /// Catalog endpoint.
    pub catalog_uri: String,
    /// Catalog name.
    pub catalog_name: String,
    /// Warehouse, if any.
    #[serde(default)]
    pub warehouse: Option<String>,
    /// Credentials (`client_id`, `client_secret`).
    #[serde(default)]
    pub credentials: BTreeMap<String, Secret>,
}

/// The state of a connection check.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ConnectionStatus {
    /// Works.
    Healthy,
    /// Works partly.
    Degraded,
    /// Does not work.
    Unhealthy,
}

/// The outcome of a compute connection check.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConnectionResult {
    /// The state.
    pub status: ConnectionStatus,
    /// How long the check took, in milliseconds.
    pub latency_ms: f64,
    /// A summary.
    #[serde(default)]
    pub message: String,
    /// Things to look at.
    #[serde(default)]
    pub warnings: Vec<String>,
}

/// A compute engine (DuckDB, Spark, Snowflake, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Compute` but does not implement `ComputePlugin`",
    label = "`type = Compute` needs `impl ComputePlugin for {Self}`",
    note = "add `impl ComputePlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Compute` in `#[floe_plugin(...)]` to that kind"
)]
pub trait ComputePlugin: PluginMetadata {
    /// Whether floe runs the engine itself (vs. a managed service).
    fn is_self_hosted(&self) -> bool {
        true
    }

    /// The dbt `profiles.yml` target for this engine.
    fn generate_dbt_profile(&self, config: &ComputeConfig) -> Result<Value, PluginError> {
        let _ = config;
        Err(unsupported(self, "generate_dbt_profile"))
    }

    /// The dbt `profiles.yml` target of the plugin's own configuration (for a plugin
    /// configured through the registry), ready for
    /// [`DbtPlugin::write_profiles`](crate::DbtPlugin::write_profiles).
    fn configured_dbt_profile(&self) -> Result<Value, PluginError> {
        Err(unsupported(self, "configured_dbt_profile"))
    }

    /// The pip specifiers dbt needs for this engine.
    fn get_required_dbt_packages(&self) -> Vec<String> {
        Vec::new()
    }

    /// Checks that the engine can be reached with `config`.
    fn validate_connection(&self, config: &ComputeConfig) -> Result<ConnectionResult, PluginError> {
        let _ = config;
        Err(unsupported(self, "validate_connection"))
    }

    /// Resource requests and limits for a workload size (`small`, `medium`, `large`).
    fn get_resource_requirements(&self, size: &str) -> Result<ResourceSpec, PluginError> {
        let _ = size;
        Err(unsupported(self, "get_resource_requirements"))
    }

    /// SQL statements that attach an Iceberg catalog, or `None` if not needed.
    fn get_catalog_attachment_sql(
        &self,
        catalog: &CatalogConfig,
    ) -> Result<Option<Vec<String>>, PluginError> {
        let _ = catalog;
        Ok(None)
    }

    /// Folders of dbt macros the engine ships, added to the project's macro paths.
    /// Default: none.
    fn get_dbt_macro_paths(&self) -> Vec<PathBuf> {
        Vec::new()
    }

    lifecycle_hooks!();
}
