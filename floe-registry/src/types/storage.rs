//! Storage plugins: object storage for Iceberg data.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use super::unsupported;
use crate::{PluginError, PluginMetadata};

/// Reads, writes and deletes files in the warehouse.
pub trait FileIo: Send + Sync {
    /// Reads a whole file.
    fn read(&self, path: &str) -> Result<Vec<u8>, PluginError>;
    /// Writes a whole file, replacing it atomically.
    fn write(&self, path: &str, data: &[u8]) -> Result<(), PluginError>;
    /// Deletes a file.
    fn delete(&self, path: &str) -> Result<(), PluginError>;
}

/// Object storage (S3, local files, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Storage` but does not implement `StoragePlugin`",
    label = "`type = Storage` needs `impl StoragePlugin for {Self}`",
    note = "add `impl StoragePlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Storage` in `#[floe_plugin(...)]` to that kind"
)]
pub trait StoragePlugin: PluginMetadata {
    /// The FileIO property map Iceberg clients take (`s3.endpoint`, ...).
    fn get_fileio_properties(&self) -> Result<BTreeMap<String, String>, PluginError> {
        Err(unsupported(self, "get_fileio_properties"))
    }

    /// A FileIO working in this process.
    fn open_fileio(&self) -> Result<Box<dyn FileIo>, PluginError> {
        Err(unsupported(self, "open_fileio"))
    }

    /// The warehouse URI of a namespace (`s3://bucket/bronze/`).
    fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError> {
        let _ = namespace;
        Err(unsupported(self, "get_warehouse_uri"))
    }

    /// Storage settings for the dbt profile.
    fn get_dbt_profile_config(&self) -> Result<Value, PluginError> {
        Err(unsupported(self, "get_dbt_profile_config"))
    }

    /// Settings for Dagster's IO manager.
    fn get_dagster_io_manager_config(&self) -> Result<Value, PluginError> {
        Err(unsupported(self, "get_dagster_io_manager_config"))
    }

    /// Helm values overrides (`{}` for external storage).
    fn get_helm_values_override(&self) -> Result<Value, PluginError> {
        Ok(Value::Object(Map::new()))
    }

    /// Extra properties for a PyIceberg catalog using this storage. Default: none.
    fn get_pyiceberg_catalog_config(&self) -> Map<String, Value> {
        Map::new()
    }

    lifecycle_hooks!();
}
