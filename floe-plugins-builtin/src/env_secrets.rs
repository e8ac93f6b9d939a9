//! Secrets backend `env`: reads secrets from the process environment, read-only.
//!
//! The secret `key` is the environment variable `<prefix><KEY>`, where `KEY` is the key
//! upper-cased with `-`, `.` and `/` turned into `_` (unless `normalize_keys` is
//! `false`, then the key is used as is). `list_secrets` answers the names after the
//! prefix, which read back to the same variables.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::Secrets, "env", serde_json::json!({"prefix": "DOCTEST_ENV_"}))?;
//! let env = registry.get_as::<dyn SecretsPlugin>("env")?;
//! assert!(env.get_secret("polaris/client-secret")?.is_none()); // DOCTEST_ENV_POLARIS_CLIENT_SECRET
//! # Ok::<(), PluginError>(())
//! ```

use std::collections::BTreeMap;
use std::sync::Arc;

use floe_registry::prelude::*;

use crate::support::environment::Environment;

/// Environment variables: each secret is one variable with a common prefix. Read-only.
#[floe_plugin(type = Secrets, name = "env", version = "0.1.0", config = EnvSecretsConfig)]
#[derive(Default)]
pub struct EnvSecretsPlugin {
    #[config]
    config: ConfigCell<EnvSecretsConfig>,
    /// Where the variables are read: the process environment unless a test gave a set.
    environment: Environment,
}

/// The settings of the environment secrets backend.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct EnvSecretsConfig {
    /// The prefix of every secret variable: letters, digits and `_`, up to 128.
    #[serde(default = "default_prefix")]
    #[schemars(regex(pattern = r"^[A-Za-z0-9_]*$"), length(max = 128))]
    pub prefix: String,
    /// Upper-case keys and turn `-`, `.` and `/` into `_` to form the variable name.
    #[serde(default = "default_true")]
    pub normalize_keys: bool,
}

impl Default for EnvSecretsConfig {
    fn default() -> Self {
        EnvSecretsConfig {
            prefix: default_prefix(),
            normalize_keys: true,
        }
    }
}

fn default_prefix() -> String {
    "FLOE_SECRET_".to_owned()
}

fn default_true() -> bool {
    true
}

impl EnvSecretsConfig {
    /// The part of the variable name after the prefix for `key`.
    fn suffix_of(&self, key: &str) -> String {
        if self.normalize_keys {
            key.chars()
                .map(|c| match c {
                    '-' | '.' | '/' => '_',
                    other => other.to_ascii_uppercase(),
                })
                .collect()
        } else {
            key.to_owned()
        }
    }

    /// The environment variable that holds `key`.
    pub fn variable_for(&self, key: &str) -> String {
        format!("{}{}", self.prefix, self.suffix_of(key))
    }
}

impl EnvSecretsPlugin {
    /// A plugin that reads exactly `variables` instead of the process environment,
    /// configured with `config` (or unconfigured, with the default prefix): tests give
    /// their variables this way instead of changing the process environment.
    pub fn with_variables(config: Option<EnvSecretsConfig>, variables: &[(&str, &str)]) -> Self {
        EnvSecretsPlugin {
            config: config.map(ConfigCell::with_value).unwrap_or_default(),
            environment: Environment::fixed(variables),
        }
    }

    /// The configured settings, or the defaults before `configure`.
    fn settings(&self) -> Arc<EnvSecretsConfig> {
        self.config
            .get()
            .unwrap_or_else(|_| Arc::new(EnvSecretsConfig::default()))
    }

    /// The names after the prefix of every variable that has it, sorted.
    fn names(&self, config: &EnvSecretsConfig) -> Vec<String> {
        let mut names: Vec<String> = self
            .environment
            .names()
            .into_iter()
            .filter_map(|name| name.strip_prefix(&config.prefix).map(str::to_owned))
            .filter(|rest| !rest.is_empty())
            .collect();
        names.sort();
        names
    }
}

fn check_key(key: &str) -> Result<(), PluginError> {
    if key.is_empty() || key.contains('=') || key.contains('\0') {
        return Err(PluginError::failed(format!(
            "invalid secret key '{}': a key is not empty and has no '=' or NUL",
            key.escape_debug()
        )));
    }
    Ok(())
}

impl SecretsPlugin for EnvSecretsPlugin {
    /// The value of `<prefix><KEY>`, or `None` when unset. A value that is not UTF-8
    /// is an error (which never shows the value).
    fn get_secret(&self, key: &str) -> Result<Option<Secret>, PluginError> {
        check_key(key)?;
        let variable = self.settings().variable_for(key);
        match self.environment.var_os(&variable) {
            None => Ok(None),
            Some(value) => value
                .into_string()
                .map(|v| Some(Secret::new(v)))
                .map_err(|_| {
                    PluginError::failed(format!(
                        "environment variable {variable} (secret '{key}') is not valid UTF-8"
                    ))
                }),
        }
    }

    /// Always an error: the process environment is read-only for this backend.
    fn set_secret(
        &self,
        key: &str,
        _value: &Secret,
        _metadata: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        check_key(key)?;
        Err(PluginError::failed(format!(
            "secrets plugin 'env' is read-only: set the environment variable {} before the process starts, or use a writable secrets backend (file, k8s)",
            self.settings().variable_for(key)
        )))
    }

    /// The names after the prefix of the variables whose name continues with
    /// `prefix` (normalised like keys), sorted.
    fn list_secrets(&self, prefix: &str) -> Result<Vec<String>, PluginError> {
        let config = self.settings();
        let wanted = config.suffix_of(prefix);
        Ok(self
            .names(&config)
            .into_iter()
            .filter(|name| name.starts_with(&wanted))
            .collect())
    }

    /// Healthy, with the prefix and how many secret variables are set.
    fn health_check(&self) -> HealthStatus {
        let config = self.settings();
        let count = self.names(&config).len();
        HealthStatus::healthy()
            .with_detail("prefix", config.prefix.clone())
            .with_detail("secrets", count)
    }
}
