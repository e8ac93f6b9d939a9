//! `polaris`: an Apache Polaris (Iceberg REST) catalog client over HTTP.
//!
//! `connect` fetches an OAuth2 client-credentials token (`POST <token_url>`, cached
//! until `refresh_margin_seconds` before it expires) and the catalog config
//! (`GET <uri>/v1/config?warehouse=...`), then serves namespace and table requests
//! under `<uri>/v1/<prefix>/`. Every request uses the configured connect and read
//! timeouts; GETs are retried `max_retries` times on timeouts, refused connections and
//! 5xx answers. Errors carry a [`CatalogError`] as their source.

mod catalog;
mod client;
mod config;
mod credentials;
mod error;
mod health;
mod retry;
mod token;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use floe_registry::prelude::*;
use floe_registry::{CatalogHandle, TableOperation, VendedCredentials};
use serde_json::{Map, Value};

pub use self::catalog::PolarisCatalog;
pub use self::config::{OAuth2Config, PolarisConfig};
pub use self::error::CatalogError;

use self::client::Session;
use self::retry::Retry;
use crate::http::HttpClient;

/// Apache Polaris catalog plugin for Iceberg table management.
#[floe_plugin(
    type = Catalog,
    name = "polaris",
    version = "0.1.0",
    config = PolarisConfig,
    description = "Apache Polaris catalog plugin for Iceberg table management"
)]
#[derive(Default)]
pub struct PolarisPlugin {
    #[config]
    config: ConfigCell<PolarisConfig>,
    session: RwLock<Option<Arc<Session>>>,
}

impl std::fmt::Debug for PolarisPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PolarisPlugin")
            .field("configured", &self.config.is_set())
            .field("connected", &self.current().is_some())
            .finish()
    }
}

impl PolarisPlugin {
    /// The connected session, if any.
    fn current(&self) -> Option<Arc<Session>> {
        self.session
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The connected session, or the "not connected" error.
    fn connected(&self) -> Result<Arc<Session>, PluginError> {
        let config = self.config.get()?;
        self.current().ok_or_else(|| {
            CatalogError::Unavailable {
                uri: config.base_uri().to_owned(),
                cause: Some("Catalog not connected. Call connect() first.".to_owned()),
            }
            .into()
        })
    }
}

impl CatalogPlugin for PolarisPlugin {
    /// Connects (token + `/v1/config`) and returns a handle; the plugin keeps the
    /// session for `create_namespace`, `vend_credentials` and `health_check`,
    /// replacing any earlier one. `config` holds extra catalog properties: `scope`
    /// overrides the OAuth2 scope, `s3.endpoint` is re-applied to loaded tables.
    fn connect(&self, config: &Value) -> Result<Box<dyn CatalogHandle>, PluginError> {
        let settings = self.config.get()?;
        let properties = match config {
            Value::Null => Map::new(),
            Value::Object(map) => map.clone(),
            other => {
                return Err(PluginError::failed(format!(
                    "polaris connect() takes an object of catalog properties, got {}",
                    match other {
                        Value::Array(_) => "an array",
                        Value::String(_) => "a string",
                        Value::Number(_) => "a number",
                        _ => "a boolean",
                    }
                )));
            }
        };
        let http = HttpClient::new(settings.connect_timeout(), settings.request_timeout());
        let retry = Retry::new(settings.max_retries);
        let session = Arc::new(Session::open(settings, &properties, http, retry)?);
        *self
            .session
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(&session));
        Ok(Box::new(PolarisCatalog { session }))
    }

    fn create_namespace(
        &self,
        namespace: &str,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let session = self.connected()?;
        Ok(catalog::create_namespace(&session, namespace, properties)?)
    }

    /// Loads `namespace.table` with `X-Iceberg-Access-Delegation: vended-credentials`
    /// and returns the S3 credentials of its answer. `operations` is only logged: the
    /// Iceberg REST protocol has no way to ask for read-only credentials.
    fn vend_credentials(
        &self,
        table_path: &str,
        operations: &[TableOperation],
    ) -> Result<VendedCredentials, PluginError> {
        let settings = self.config.get()?;
        if !settings.credential_vending_enabled {
            return Err(CatalogError::NotSupported {
                operation: "vend_credentials",
                catalog: self.name().to_owned(),
                reason: Some(
                    "Credential vending not supported. Configure storage credentials directly in compute plugin."
                        .to_owned(),
                ),
            }
            .into());
        }
        let session = self.connected()?;
        tracing::debug!(table = table_path, ?operations, "polaris_vend_credentials");
        let table = catalog::load_table(&session, table_path, "vend_credentials")?;
        credentials::vended_s3_credentials(&table).ok_or_else(|| {
            CatalogError::Unexpected {
                operation: "vend_credentials",
                message: format!(
                    "the catalog vended no S3 credentials for table '{table_path}' \
                     (no s3.access-key-id and s3.secret-access-key in its answer)"
                ),
            }
            .into()
        })
    }

    /// Lists namespaces within `health_check_timeout_seconds`, through the connected
    /// session, or through a throw-away one when `connect` was not called yet.
    fn health_check(&self) -> HealthStatus {
        match self.config.get() {
            Ok(config) => health::check(config, self.current()),
            Err(_) => HealthStatus::unhealthy("Polaris catalog not configured"),
        }
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        self.session
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        Ok(())
    }
}
