//! Semantic layer plugins: business intelligence APIs.

use std::path::{Path, PathBuf};

use serde_json::Value;

use super::unsupported;
use crate::{ComputePlugin, PluginError, PluginMetadata};

/// A semantic layer (Cube, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = SemanticLayer` but does not implement `SemanticLayerPlugin`",
    label = "`type = SemanticLayer` needs `impl SemanticLayerPlugin for {Self}`",
    note = "add `impl SemanticLayerPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = SemanticLayer` in `#[floe_plugin(...)]` to that kind"
)]
pub trait SemanticLayerPlugin: PluginMetadata {
    /// Writes the semantic model generated from a dbt manifest; returns the files written.
    fn sync_from_dbt_manifest(
        &self,
        manifest_path: &Path,
        output_dir: &Path,
    ) -> Result<Vec<PathBuf>, PluginError> {
        let _ = (manifest_path, output_dir);
        Err(unsupported(self, "sync_from_dbt_manifest"))
    }

    /// The row-level security context for a namespace and roles.
    fn get_security_context(
        &self,
        namespace: &str,
        roles: &[String],
    ) -> Result<Value, PluginError> {
        let _ = (namespace, roles);
        Err(unsupported(self, "get_security_context"))
    }

    /// The data source settings for a compute engine.
    fn get_datasource_config(&self, compute: &dyn ComputePlugin) -> Result<Value, PluginError> {
        let _ = compute;
        Err(unsupported(self, "get_datasource_config"))
    }

    lifecycle_hooks!();
}
