//! Secrets plugins: credential management.

use std::collections::BTreeMap;

use serde_json::Value;

use super::unsupported;
use crate::{PluginError, PluginMetadata, Secret};

/// A secrets backend (environment, files, Kubernetes, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Secrets` but does not implement `SecretsPlugin`",
    label = "`type = Secrets` needs `impl SecretsPlugin for {Self}`",
    note = "add `impl SecretsPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Secrets` in `#[floe_plugin(...)]` to that kind"
)]
pub trait SecretsPlugin: PluginMetadata {
    /// The secret stored under `key`, or `None`.
    fn get_secret(&self, key: &str) -> Result<Option<Secret>, PluginError> {
        let _ = key;
        Err(unsupported(self, "get_secret"))
    }

    /// Stores a secret with metadata.
    fn set_secret(
        &self,
        key: &str,
        value: &Secret,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let _ = (key, value, metadata);
        Err(unsupported(self, "set_secret"))
    }

    /// The keys that start with `prefix`, sorted.
    fn list_secrets(&self, prefix: &str) -> Result<Vec<String>, PluginError> {
        let _ = prefix;
        Err(unsupported(self, "list_secrets"))
    }

    /// The pod spec fragment that exposes the Kubernetes secret `secret_name` as
    /// environment variables: `{"envFrom": [{"secretRef": {"name": ...}}]}`.
    fn generate_pod_env_spec(&self, secret_name: &str) -> Value {
        serde_json::json!({"envFrom": [{"secretRef": {"name": secret_name}}]})
    }

    /// Every key of a multi-key secret. Default: the error `Multi-key secrets not supported`.
    fn get_multi_key_secret(&self, name: &str) -> Result<BTreeMap<String, Secret>, PluginError> {
        let _ = name;
        Err(PluginError::failed("Multi-key secrets not supported"))
    }

    lifecycle_hooks!();
}
