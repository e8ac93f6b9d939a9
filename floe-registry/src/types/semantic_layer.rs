//! Semantic layer plugins: business intelligence APIs.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde_json::{Map, Value};

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

    /// The layer's API endpoints by name (`sql`, `rest`, ...). floe made this abstract
    /// after the fact; here it defaults to a "does not support" error rather than being
    /// required, so existing plugins keep compiling, and an empty map would wrongly
    /// claim the layer serves no API.
    fn get_api_endpoints(&self) -> Result<BTreeMap<String, String>, PluginError> {
        Err(unsupported(self, "get_api_endpoints"))
    }

    /// Overrides of the layer's Helm chart values. floe made this abstract after the
    /// fact; here the default is `{}`, no override, which is always a correct answer
    /// (the chart's own values apply).
    fn get_helm_values_override(&self) -> Result<Value, PluginError> {
        Ok(Value::Object(Map::new()))
    }

    lifecycle_hooks!();
}
