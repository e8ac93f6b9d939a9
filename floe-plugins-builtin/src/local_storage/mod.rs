//! `local` (storage): a warehouse in a local directory, for development and tests,
//! with an in-process FileIO confined to that directory.

mod fileio;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use floe_registry::prelude::*;
use serde_json::{Value, json};

pub use fileio::LocalFileIo;

/// Where the local warehouse lives.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct LocalStorageConfig {
    /// The warehouse root directory; a relative path is taken from the current
    /// directory.
    #[schemars(length(min = 1))]
    pub root: String,
    /// Create the root directory (and its parents) at startup when it is missing.
    #[serde(default = "default_create_root")]
    pub create_root: bool,
}

fn default_create_root() -> bool {
    true
}

/// Local filesystem storage: a `file://` warehouse under one root directory.
#[floe_plugin(
    type = Storage,
    name = "local",
    version = "0.1.0",
    description = "Local filesystem storage: a file:// Iceberg warehouse under one root directory, for development and tests",
    config = LocalStorageConfig
)]
#[derive(Debug, Default)]
pub struct LocalStoragePlugin {
    #[config]
    config: ConfigCell<LocalStorageConfig>,
}

impl LocalStoragePlugin {
    fn settings(&self) -> Result<Arc<LocalStorageConfig>, PluginError> {
        self.config.get()
    }

    /// The root as an absolute path: canonical when it exists.
    pub fn root(&self) -> Result<PathBuf, PluginError> {
        let given = PathBuf::from(&self.settings()?.root);
        if let Ok(canonical) = std::fs::canonicalize(&given) {
            return Ok(canonical);
        }
        std::path::absolute(&given).map_err(|e| {
            PluginError::failed(format!(
                "warehouse root '{}' cannot be made absolute: {e}",
                given.display()
            ))
        })
    }

    fn root_text(&self) -> Result<String, PluginError> {
        let root = self.root()?;
        root.to_str().map(str::to_owned).ok_or_else(|| {
            PluginError::failed(format!(
                "warehouse root '{}' is not valid UTF-8",
                root.display()
            ))
        })
    }
}

/// Checks that a namespace is a relative path without `..`.
fn check_namespace(namespace: &str) -> Result<(), PluginError> {
    let bad = namespace.is_empty()
        || Path::new(namespace).is_absolute()
        || namespace.split(['/', '\\']).any(|part| part == "..");
    if bad {
        return Err(PluginError::failed(format!(
            "invalid namespace '{namespace}': it must be a non-empty relative name without '..'"
        )));
    }
    Ok(())
}

impl StoragePlugin for LocalStoragePlugin {
    /// `{}`: Iceberg clients read `file://` locations with no properties.
    fn get_fileio_properties(&self) -> Result<BTreeMap<String, String>, PluginError> {
        self.settings()?;
        Ok(BTreeMap::new())
    }

    /// A [`LocalFileIo`] confined to the root (which must exist).
    fn open_fileio(&self) -> Result<Box<dyn FileIo>, PluginError> {
        Ok(Box::new(LocalFileIo::new(self.root()?)?))
    }

    /// `file://<absolute root>/<namespace>/`.
    fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError> {
        check_namespace(namespace)?;
        let root = self.root_text()?;
        let root = root.trim_end_matches('/');
        let namespace = namespace.trim_matches('/');
        if root.starts_with('/') {
            Ok(format!("file://{root}/{namespace}/"))
        } else {
            // Windows: file:///C:/...
            Ok(format!("file:///{}/{namespace}/", root.replace('\\', "/")))
        }
    }

    /// `{"external_root": <root>}`: where dbt-duckdb writes external materializations.
    fn get_dbt_profile_config(&self) -> Result<Value, PluginError> {
        Ok(json!({ "external_root": self.root_text()? }))
    }

    /// `{"base_dir": <root>}`: the setting of Dagster's filesystem IO manager.
    fn get_dagster_io_manager_config(&self) -> Result<Value, PluginError> {
        Ok(json!({ "base_dir": self.root_text()? }))
    }

    /// `{}`: nothing to deploy.
    fn get_helm_values_override(&self) -> Result<Value, PluginError> {
        Ok(json!({}))
    }

    /// Creates the root directory when configured to.
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.settings()?;
        let root = self.root()?;
        if config.create_root && !root.exists() {
            std::fs::create_dir_all(&root).map_err(|e| {
                crate::error::failure(
                    format!("cannot create warehouse root '{}'", root.display()),
                    e,
                )
            })?;
        }
        Ok(())
    }

    /// Healthy when the root is a writable directory.
    fn health_check(&self) -> HealthStatus {
        let root = match self.root() {
            Ok(r) => r,
            Err(e) => return HealthStatus::unhealthy(crate::error::chain(&e)),
        };
        match std::fs::metadata(&root) {
            Ok(meta) if meta.is_dir() && meta.permissions().readonly() => {
                HealthStatus::unhealthy(format!("warehouse root '{}' is read-only", root.display()))
            }
            Ok(meta) if meta.is_dir() => HealthStatus::new(
                HealthState::Healthy,
                format!(
                    "warehouse root '{}' is a writable directory",
                    root.display()
                ),
            ),
            Ok(_) => HealthStatus::unhealthy(format!(
                "warehouse root '{}' is not a directory",
                root.display()
            )),
            Err(e) => HealthStatus::unhealthy(format!(
                "warehouse root '{}' is not usable: {e}",
                root.display()
            )),
        }
    }
}
