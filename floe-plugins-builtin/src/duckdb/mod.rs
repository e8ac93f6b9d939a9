//! `duckdb` (compute): DuckDB embedded in the dbt process. Builds dbt-duckdb profiles
//! and Iceberg `ATTACH` statements, sizes workloads, and checks database files
//! without linking DuckDB (by their file header).
//!
//! Its config is checked against this plugin's own schema, which this floe keeps
//! although floe-compute-duckdb 0.1.0a1 validates nothing: its
//! `get_config_schema()` is `None`, so published floe passes any config through. A
//! field this schema refuses (unknown, mistyped, out of range) may pass published
//! floe's `platform compile` and fail here. Lax values (`"4"` for an integer) are read
//! as published floe's validated configs read them.

mod attach;
mod config;
mod macros;
mod path;
mod profile;
mod sql;

use std::time::Instant;

use floe_registry::prelude::*;
use serde_json::Value;

pub use attach::{ATTACH_KEYS, attachments};
pub use config::{AccessMode, AttachConfig, DuckDbConfig};
pub use macros::{DBT_MACROS, TABLE_MATERIALIZATION, write_dbt_macros};
pub use path::{FileCheck, MAGIC, MEMORY, check_file, validate_path};
pub use profile::{OPEN_TIME_SETTINGS, database_path, dbt_profile};
pub use sql::{catalog_attachment_sql, cube_datasource};

/// DuckDB in-process analytical database for floe dbt transforms.
///
/// Works unconfigured (in-memory defaults); a config ([`DuckDbConfig`]) sets the
/// database file, threads, limits, extensions, attachments and settings, and is
/// checked at startup and by the health check.
#[floe_plugin(
    type = Compute,
    name = "duckdb",
    version = "0.1.0",
    description = "DuckDB in-process analytical database for floe dbt transforms",
    config = DuckDbConfig
)]
#[derive(Debug, Default)]
pub struct DuckDbPlugin {
    #[config]
    config: ConfigCell<DuckDbConfig>,
}

impl DuckDbPlugin {
    /// The configured settings, or the defaults when unconfigured.
    pub fn settings(&self) -> DuckDbConfig {
        self.config.get().map(|c| (*c).clone()).unwrap_or_default()
    }

    /// The dbt profile target of the plugin's own config.
    pub fn own_dbt_profile(&self) -> Result<Value, PluginError> {
        dbt_profile(&self.settings().to_compute_config())
    }

    /// The Cube datasource for the configured database file (`:memory:` when
    /// unconfigured), with the catalog's `init_sql` when one is given.
    pub fn get_cube_datasource_config(
        &self,
        catalog: Option<&CatalogConfig>,
    ) -> Result<Value, PluginError> {
        cube_datasource(catalog, &self.settings().path)
    }
}

impl ComputePlugin for DuckDbPlugin {
    /// `true`: DuckDB runs inside the dbt process.
    fn is_self_hosted(&self) -> bool {
        true
    }

    fn generate_dbt_profile(&self, config: &ComputeConfig) -> Result<Value, PluginError> {
        dbt_profile(config)
    }

    /// The profile target of the plugin's own config (see [`dbt_profile`]).
    fn configured_dbt_profile(&self) -> Result<Value, PluginError> {
        self.own_dbt_profile()
    }

    fn get_required_dbt_packages(&self) -> Vec<String> {
        vec!["dbt-duckdb>=1.7.0".to_owned(), "duckdb>=1.4.0".to_owned()]
    }

    /// `:memory:` needs nothing; a file must exist and carry DuckDB's header. An
    /// invalid path is an error; an absent or foreign file is `Unhealthy` with the
    /// reason.
    fn validate_connection(&self, config: &ComputeConfig) -> Result<ConnectionResult, PluginError> {
        let start = Instant::now();
        let path = database_path(config)?;
        validate_path(&path)?;
        let (status, message) = if path == MEMORY {
            (
                ConnectionStatus::Healthy,
                "In-memory DuckDB database: nothing to open".to_owned(),
            )
        } else {
            match check_file(&path) {
                FileCheck::DuckDb => (
                    ConnectionStatus::Healthy,
                    format!("DuckDB database file validated: {path}"),
                ),
                FileCheck::Missing => (
                    ConnectionStatus::Unhealthy,
                    format!("DuckDB database file not found: {path}"),
                ),
                FileCheck::NotDuckDb(reason) => (
                    ConnectionStatus::Unhealthy,
                    format!("Not a DuckDB database file: {path}: {reason}"),
                ),
            }
        };
        Ok(ConnectionResult {
            status,
            latency_ms: start.elapsed().as_secs_f64() * 1000.0,
            message,
            warnings: Vec::new(),
        })
    }

    fn get_resource_requirements(&self, size: &str) -> Result<ResourceSpec, PluginError> {
        let values = match size.parse::<WorkloadSize>()? {
            WorkloadSize::Small => ["100m", "500m", "256Mi", "512Mi", "100Mi", "1Gi"],
            WorkloadSize::Medium => ["500m", "2000m", "1Gi", "4Gi", "100Mi", "1Gi"],
            WorkloadSize::Large => ["2000m", "8000m", "4Gi", "16Gi", "100Mi", "1Gi"],
        };
        Ok(ResourceSpec::new(values))
    }

    fn get_catalog_attachment_sql(
        &self,
        catalog: &CatalogConfig,
    ) -> Result<Option<Vec<String>>, PluginError> {
        catalog_attachment_sql(catalog).map(Some)
    }

    /// Checks the configured path and builds the profile once, so a bad config fails
    /// at activation rather than at the first dbt run.
    fn startup(&self) -> Result<(), PluginError> {
        self.own_dbt_profile().map(drop)
    }

    /// The result of [`validate_connection`](ComputePlugin::validate_connection) on the
    /// configured database.
    fn health_check(&self) -> HealthStatus {
        match self.validate_connection(&self.settings().to_compute_config()) {
            Ok(result) => {
                let state = match result.status {
                    ConnectionStatus::Healthy => HealthState::Healthy,
                    ConnectionStatus::Degraded => HealthState::Degraded,
                    ConnectionStatus::Unhealthy => HealthState::Unhealthy,
                };
                HealthStatus::new(state, result.message)
                    .with_detail("latency_ms", result.latency_ms)
            }
            Err(e) => HealthStatus::unhealthy(crate::error::chain(&e)),
        }
    }
}
