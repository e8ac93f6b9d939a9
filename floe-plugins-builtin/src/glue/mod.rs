//! `glue` (catalog): the AWS Glue Data Catalog for Iceberg tables, as
//! floe-catalog-glue 0.1.0a1 has it (which drives pyiceberg's Glue catalog; here the
//! Glue JSON API is called directly, SigV4-signed).
//!
//! - Credentials: the config holds no keys; `credential_mode` says where they come
//!   from (see [`crate::aws::CredentialMode`]; a workload identity through IRSA is
//!   exchanged at STS). They are read when `connect` is called.
//! - Namespaces are Glue databases (one level: `a.b` is refused); tables are Glue
//!   tables with `table_type=ICEBERG` and `metadata_location`, whose first metadata
//!   file `create_table` writes to S3 (endpoint from the `s3.*` properties given to
//!   `connect`, else AWS's) before registering the table.
//! - A table's default location is its database's location URI + `/<table>`, else
//!   `<warehouse><database>.db/<table>`.
//! - `vend_credentials` is not supported (Glue vends none), as in floe.
//! - `health_check` is floe's catalog default, as the published plugin has no probe:
//!   unhealthy, "health_check not implemented - subclass must override".
//! - `database_prefix` is accepted and kept in the config, but, as in floe 0.1.0a1,
//!   only floe's deployment binding reads it: namespaces are used as given.

mod catalog;
mod client;
mod config;
mod metadata;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use floe_registry::prelude::*;
use floe_registry::{CatalogHandle, TableOperation, VendedCredentials};
use serde_json::{Map, Value, json};

pub use self::catalog::GlueCatalog;
pub use self::config::{GlueCatalogConfig, GlueCatalogFields, RetryMode};

use self::catalog::Session;
use self::client::GlueClient;
use crate::aws::credentials::{self, CredentialSettings};
use crate::support::environment::Environment;

/// AWS Glue catalog plugin for Iceberg table management.
///
/// Must be configured ([`GlueCatalogConfig`]) and connected (`connect`) before the
/// namespace and table operations.
#[floe_plugin(
    type = Catalog,
    name = "glue",
    version = "0.1.0",
    config = GlueCatalogConfig,
    description = "AWS Glue catalog plugin for Iceberg table management"
)]
#[derive(Default)]
pub struct GluePlugin {
    #[config]
    config: ConfigCell<GlueCatalogConfig>,
    /// Where the `AWS_*` variables are read: the process environment unless a test
    /// gave a set.
    environment: Environment,
    session: RwLock<Option<Arc<Session>>>,
}

impl std::fmt::Debug for GluePlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GluePlugin")
            .field("configured", &self.config.is_set())
            .field("connected", &self.current().is_some())
            .finish()
    }
}

impl GluePlugin {
    /// A plugin that reads exactly `variables` instead of the process environment,
    /// configured with `config` (or unconfigured).
    pub fn with_variables(config: Option<GlueCatalogConfig>, variables: &[(&str, &str)]) -> Self {
        GluePlugin {
            config: config.map(ConfigCell::with_value).unwrap_or_default(),
            environment: Environment::fixed(variables),
            session: RwLock::default(),
        }
    }

    /// floe's pyiceberg catalog properties of the config (no secret): `type`,
    /// `glue.region`, `glue.skip-archive`, and when set `warehouse`, `glue.id`,
    /// `glue.endpoint`, `glue.max-retries`, `glue.retry-mode`.
    pub fn catalog_properties(&self) -> Result<Map<String, Value>, PluginError> {
        let c = self.config.get()?;
        let mut props = Map::new();
        props.insert("type".to_owned(), json!("glue"));
        props.insert("glue.region".to_owned(), json!(c.region));
        props.insert(
            "glue.skip-archive".to_owned(),
            json!(c.skip_archive.to_string()),
        );
        if let Some(warehouse) = &c.warehouse {
            props.insert("warehouse".to_owned(), json!(warehouse));
        }
        if let Some(id) = &c.catalog_id {
            props.insert("glue.id".to_owned(), json!(id));
        }
        if let Some(endpoint) = &c.endpoint_override {
            props.insert("glue.endpoint".to_owned(), json!(endpoint));
        }
        if let Some(retries) = c.max_retries {
            props.insert("glue.max-retries".to_owned(), json!(retries));
        }
        if let Some(mode) = c.retry_mode {
            props.insert("glue.retry-mode".to_owned(), json!(mode.as_str()));
        }
        Ok(props)
    }

    fn current(&self) -> Option<Arc<Session>> {
        self.session
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    /// The connected session, or floe's "not connected" error.
    fn connected(&self) -> Result<Arc<Session>, PluginError> {
        self.config.get()?;
        self.current().ok_or_else(|| {
            PluginError::failed(
                "Catalog 'glue' unavailable: Catalog not connected; call connect() first.",
            )
        })
    }
}

impl CatalogPlugin for GluePlugin {
    /// Reads the credentials of the mode and returns a handle; the plugin keeps the
    /// session for the namespace and table operations, replacing any earlier one.
    /// `config` holds further catalog properties (pyiceberg's names; `s3.endpoint`,
    /// `s3.region`, `s3.path-style-access` are used for the table files); one that
    /// gives a plugin property another value is refused, as floe refuses it.
    fn connect(&self, config: &Value) -> Result<Box<dyn CatalogHandle>, PluginError> {
        let settings = self.config.get()?;
        let given = match config {
            Value::Null => Map::new(),
            Value::Object(map) => map.clone(),
            _ => {
                return Err(PluginError::failed(
                    "glue connect() takes an object of catalog properties",
                ));
            }
        };
        let mut properties = self.catalog_properties()?;
        let mut conflicts: Vec<String> = given
            .iter()
            .filter(|(k, v)| properties.get(*k).is_some_and(|own| own != *v))
            .map(|(k, _)| k.clone())
            .collect();
        if !conflicts.is_empty() {
            conflicts.sort();
            return Err(PluginError::failed(format!(
                "connect() config conflicts with plugin config: {}",
                floe_registry::python::repr_list(conflicts.iter().map(String::as_str))
            )));
        }
        properties.extend(given);
        let credentials = credentials::resolve(
            &CredentialSettings {
                mode: settings.credential_mode,
                secret_name: settings.credential_secret_name.as_deref(),
                secret_namespace: &settings.credential_secret_namespace,
                access_key_secret_key: &settings.access_key_secret_key,
                secret_key_secret_key: &settings.secret_key_secret_key,
                service_account_ref: settings.service_account_ref.as_deref(),
                region: &settings.region,
                sts_allowed: true,
            },
            &self.environment,
        )?;
        let client = GlueClient::new(&settings, credentials)?;
        let session = Arc::new(Session {
            client,
            credential_hint: credentials::hint(settings.credential_mode),
            config: settings,
            properties,
        });
        *self
            .session
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::clone(&session));
        Ok(Box::new(GlueCatalog { session }))
    }

    fn create_namespace(
        &self,
        namespace: &str,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        self.connected()?.create_namespace(namespace, properties)
    }

    /// Not supported, as in floe: Glue access is AWS identity, not vended keys.
    fn vend_credentials(
        &self,
        table_path: &str,
        operations: &[TableOperation],
    ) -> Result<VendedCredentials, PluginError> {
        let _ = (table_path, operations);
        Err(PluginError::failed(
            "Operation 'vend_credentials' not supported by catalog 'glue': AWS Glue does not \
             vend credentials; use AWS identity or references.",
        ))
    }

    /// The databases; none under a `parent` (Glue namespaces do not nest).
    fn list_namespaces(&self, parent: Option<&str>) -> Result<Vec<String>, PluginError> {
        self.connected()?.list_namespaces(parent)
    }

    /// Deletes an empty database (one holding any table is refused).
    fn delete_namespace(&self, namespace: &str) -> Result<(), PluginError> {
        self.connected()?.delete_namespace(namespace)
    }

    /// Writes the first metadata file and registers the table in Glue.
    fn create_table(
        &self,
        identifier: &str,
        schema: &Value,
        location: Option<&str>,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        self.connected()?
            .create_table(identifier, schema, location, properties)
    }

    /// The Iceberg tables of a database (other Glue tables are left out).
    fn list_tables(&self, namespace: &str) -> Result<Vec<String>, PluginError> {
        self.connected()?.list_tables(namespace)
    }

    /// Deletes the Glue table; `purge` also deletes every object under its location.
    fn drop_table(&self, identifier: &str, purge: bool) -> Result<(), PluginError> {
        self.connected()?.drop_table(identifier, purge)
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        self.session
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        Ok(())
    }
}
