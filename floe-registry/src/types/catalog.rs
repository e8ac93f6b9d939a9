//! Catalog plugins: Iceberg table catalogs.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

use super::unsupported;
use crate::{PluginError, PluginMetadata, Secret};

/// A connection to a catalog.
pub trait CatalogHandle: Send + Sync {
    /// The namespaces.
    fn list_namespaces(&self) -> Result<Vec<String>, PluginError>;
    /// The tables of a namespace.
    fn list_tables(&self, namespace: &str) -> Result<Vec<String>, PluginError>;
    /// A table's metadata, by `namespace.table` identifier.
    fn load_table(&self, identifier: &str) -> Result<Value, PluginError>;
}

/// An operation credentials are vended for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "UPPERCASE")]
pub enum TableOperation {
    /// Read.
    Read,
    /// Write.
    Write,
}

/// Short-lived storage credentials for one table.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VendedCredentials {
    /// Access key id.
    pub access_key: String,
    /// Secret key.
    pub secret_key: Secret,
    /// Session token.
    #[serde(default)]
    pub token: Option<Secret>,
    /// When they expire (RFC 3339).
    #[serde(default)]
    pub expiration: Option<String>,
}

/// An Iceberg catalog (Polaris, Glue, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Catalog` but does not implement `CatalogPlugin`",
    label = "`type = Catalog` needs `impl CatalogPlugin for {Self}`",
    note = "add `impl CatalogPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Catalog` in `#[floe_plugin(...)]` to that kind"
)]
pub trait CatalogPlugin: PluginMetadata {
    /// Connects to the catalog.
    fn connect(&self, config: &Value) -> Result<Box<dyn CatalogHandle>, PluginError> {
        let _ = config;
        Err(unsupported(self, "connect"))
    }

    /// Creates a namespace with properties.
    fn create_namespace(
        &self,
        namespace: &str,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let _ = (namespace, properties);
        Err(unsupported(self, "create_namespace"))
    }

    /// Vends credentials for a table.
    fn vend_credentials(
        &self,
        table_path: &str,
        operations: &[TableOperation],
    ) -> Result<VendedCredentials, PluginError> {
        let _ = (table_path, operations);
        Err(unsupported(self, "vend_credentials"))
    }

    /// The namespaces, under `parent` when given. floe made this and the four table
    /// operations below abstract after the fact; here each defaults to a "does not
    /// support" error rather than being required: a read-only or namespace-less catalog
    /// has no honest answer to give, existing catalogs keep compiling, and the caller
    /// gets an error naming the plugin and the operation.
    fn list_namespaces(&self, parent: Option<&str>) -> Result<Vec<String>, PluginError> {
        let _ = parent;
        Err(unsupported(self, "list_namespaces"))
    }

    /// Deletes an empty namespace.
    fn delete_namespace(&self, namespace: &str) -> Result<(), PluginError> {
        let _ = namespace;
        Err(unsupported(self, "delete_namespace"))
    }

    /// Creates a table (`namespace.table`) with an Iceberg schema, optional location
    /// and properties.
    fn create_table(
        &self,
        identifier: &str,
        schema: &Value,
        location: Option<&str>,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let _ = (identifier, schema, location, properties);
        Err(unsupported(self, "create_table"))
    }

    /// The tables of a namespace.
    fn list_tables(&self, namespace: &str) -> Result<Vec<String>, PluginError> {
        let _ = namespace;
        Err(unsupported(self, "list_tables"))
    }

    /// Drops a table; `purge` also deletes its data.
    fn drop_table(&self, identifier: &str, purge: bool) -> Result<(), PluginError> {
        let _ = (identifier, purge);
        Err(unsupported(self, "drop_table"))
    }

    lifecycle_hooks! {
        /// Checks that the catalog can be reached. Runs on a pooled thread, never the
        /// caller's, with a timeout (5 s by default); a panic or timeout makes the
        /// plugin `Unhealthy`.
        ///
        /// Default: **unhealthy**, `health_check not implemented - subclass must
        /// override`, with the detail `timeout: null`. This is floe's catalog default,
        /// adopted on purpose: unlike the other types' "healthy" default, a catalog is
        /// a remote service every data product depends on, so an unchecked catalog
        /// should not be reported healthy. A catalog plugin overrides this with a real
        /// probe (as `polaris` does). floe's hook takes an optional timeout and puts
        /// it in the detail; its registry never passes one, and neither does this one
        /// (the registry bounds the hook instead), so the detail is always `null`.
        fn health_check(&self) -> crate::HealthStatus {
            crate::HealthStatus::unhealthy(CATALOG_HEALTH_NOT_IMPLEMENTED)
                .with_detail("timeout", Value::Null)
        }
    }
}

/// The message of [`CatalogPlugin::health_check`]'s default: floe's text.
pub const CATALOG_HEALTH_NOT_IMPLEMENTED: &str =
    "health_check not implemented - subclass must override";
