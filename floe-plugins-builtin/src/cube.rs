//! Semantic layer plugin `cube`: [Cube](https://cube.dev) in front of the lakehouse.
//!
//! It generates Cube's YAML data model from a dbt manifest (see [`generator`]),
//! gives row-level security contexts and data source settings, and checks the Cube
//! API with `GET <server_url>/readyz`.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::SemanticLayer, "cube", serde_json::json!({"api_secret": "s"}))?;
//! let cube = registry.get_as::<dyn SemanticLayerPlugin>("cube")?;
//! let ctx = cube.get_security_context("acme", &["admin".to_owned()])?;
//! assert_eq!(ctx["bypass_rls"], true);
//! # Ok::<(), PluginError>(())
//! ```

pub mod generator;
mod node;

use crate::support::clock;
use std::path::{Path, PathBuf};
use std::sync::{Arc, RwLock};
use std::time::{Duration, Instant};

use floe_registry::prelude::*;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use crate::http::{HttpClient, HttpError};

pub use generator::ModelFilter;

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.semantic.cube";

/// Cube: generates the semantic model from dbt and checks the Cube API.
#[floe_plugin(
    type = SemanticLayer,
    name = "cube",
    version = "0.1.0",
    description = "Cube semantic layer plugin for business intelligence APIs",
    config = CubeSemanticConfig
)]
#[derive(Default)]
pub struct CubePlugin {
    #[config]
    config: ConfigCell<CubeSemanticConfig>,
    /// The HTTP client, present between startup and shutdown.
    client: RwLock<Option<HttpClient>>,
}

/// The settings of the Cube semantic layer. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct CubeSemanticConfig {
    /// The Cube API server, `http://` or `https://` (trailing `/` removed).
    #[serde(
        default = "default_server_url",
        deserialize_with = "without_trailing_slashes"
    )]
    #[schemars(regex(pattern = r"^https?://"))]
    pub server_url: String,
    /// The Cube API secret.
    pub api_secret: Secret,
    /// The database Cube queries.
    #[serde(default = "default_database_name")]
    pub database_name: String,
    /// Where the Cube schema files live (informational).
    #[serde(default)]
    pub schema_path: Option<PathBuf>,
    /// Seconds the health check waits for `/readyz`, 0.1 to 10.
    #[serde(default = "default_health_timeout")]
    #[schemars(range(min = 0.1, max = 10.0))]
    pub health_check_timeout: f64,
    /// Only models with one of these tags are synced (empty: all).
    #[serde(default)]
    pub model_filter_tags: Vec<String>,
    /// Only models in one of these schemas (exact names) are synced (empty: all).
    #[serde(default)]
    pub model_filter_schemas: Vec<String>,
}

fn default_server_url() -> String {
    "http://cube:4000".to_owned()
}

fn default_database_name() -> String {
    "analytics".to_owned()
}

fn default_health_timeout() -> f64 {
    5.0
}

fn without_trailing_slashes<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let url = String::deserialize(d)?;
    Ok(url.trim_end_matches('/').to_owned())
}

impl CubePlugin {
    fn settings(&self) -> Result<Arc<CubeSemanticConfig>, PluginError> {
        self.config.get()
    }

    /// The Cube API's endpoints: REST, GraphQL, SQL and health.
    pub fn get_api_endpoints(&self) -> Result<Value, PluginError> {
        let url = &self.settings()?.server_url;
        Ok(json!({
            "rest": format!("{url}/cubejs-api/v1"),
            "graphql": format!("{url}/cubejs-api/graphql"),
            "sql": format!("{url}/cubejs-api/sql"),
            "health": format!("{url}/readyz"),
        }))
    }

    /// Helm values of the Cube chart.
    pub fn get_helm_values_override(&self) -> Result<Value, PluginError> {
        let config = self.settings()?;
        Ok(json!({
            "cube": {
                "enabled": true,
                "api": {"env": {"CUBEJS_DB_TYPE": "duckdb", "CUBEJS_DB_NAME": config.database_name}}
            }
        }))
    }

    fn http_client(&self) -> Option<HttpClient> {
        self.client.read().ok().and_then(|c| c.clone())
    }
}

impl SemanticLayerPlugin for CubePlugin {
    /// Writes `<output_dir>/<model>.yaml` for each dbt model kept by the configured
    /// tag and schema filters, after removing the YAML files already there.
    fn sync_from_dbt_manifest(
        &self,
        manifest_path: &Path,
        output_dir: &Path,
    ) -> Result<Vec<PathBuf>, PluginError> {
        let config = self.settings()?;
        let filter = ModelFilter {
            schemas: config.model_filter_schemas.clone(),
            tags: config.model_filter_tags.clone(),
        };
        generator::generate(manifest_path, output_dir, &filter)
    }

    /// `{"tenant_id": namespace, "allowed_roles": roles}`, plus `"bypass_rls": true`
    /// when `admin` is one of the roles.
    fn get_security_context(
        &self,
        namespace: &str,
        roles: &[String],
    ) -> Result<Value, PluginError> {
        let mut context = json!({"tenant_id": namespace, "allowed_roles": roles});
        if roles.iter().any(|r| r == "admin") {
            context["bypass_rls"] = json!(true);
        }
        Ok(context)
    }

    /// DuckDB: `{"type": "duckdb", "database_path": ":memory:"}`; any other engine:
    /// `{"type": <engine>, "database_name": <database_name>}`.
    fn get_datasource_config(&self, compute: &dyn ComputePlugin) -> Result<Value, PluginError> {
        if compute.name() == "duckdb" {
            return Ok(json!({"type": "duckdb", "database_path": ":memory:"}));
        }
        let config = self.settings()?;
        Ok(json!({"type": compute.name(), "database_name": config.database_name}))
    }

    /// Creates the HTTP client, with `health_check_timeout` as its timeout.
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.settings()?;
        let client = HttpClient::with_timeout(Duration::from_secs_f64(config.health_check_timeout));
        if let Ok(mut slot) = self.client.write() {
            *slot = Some(client);
        }
        Ok(())
    }

    /// Drops the HTTP client.
    fn shutdown(&self) -> Result<(), PluginError> {
        if let Ok(mut slot) = self.client.write() {
            *slot = None;
        }
        Ok(())
    }

    /// `GET <server_url>/readyz`: healthy on 200, unhealthy otherwise with the status,
    /// the timeout or the connection error.
    fn health_check(&self) -> HealthStatus {
        let (Some(client), Ok(config)) = (self.http_client(), self.settings()) else {
            return HealthStatus::unhealthy("Plugin not started")
                .with_detail("reason", "not_started");
        };
        let timeout = config.health_check_timeout;
        let began = Instant::now();
        let answer = client.get(&format!("{}/readyz", config.server_url), &[]);
        let elapsed_ms = began.elapsed().as_secs_f64() * 1000.0;
        let status = match answer {
            Ok(r) if r.status == 200 => {
                HealthStatus::new(HealthState::Healthy, "Cube API is healthy")
                    .with_detail("status_code", 200)
            }
            Ok(r) => HealthStatus::unhealthy(format!("Cube API returned status {}", r.status))
                .with_detail("status_code", r.status)
                .with_detail("reason", "unhealthy_response"),
            Err(HttpError::Timeout { .. }) => HealthStatus::unhealthy(format!(
                "Cube API health check timed out after {}s",
                floe_registry::python::float(timeout)
            ))
            .with_detail("reason", "timeout"),
            Err(e) => HealthStatus::unhealthy(format!(
                "Cube API health check failed: {}",
                crate::error::chain(&e)
            ))
            .with_detail("reason", "connection_error"),
        };
        status
            .with_detail("response_time_ms", elapsed_ms)
            .with_detail("checked_at", clock::utc_now_rfc3339())
            .with_detail("timeout", timeout)
    }
}
