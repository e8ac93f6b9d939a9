//! `PluginInfo`: what `info` and the CLI show about a plugin.

use serde::{Deserialize, Serialize};

use crate::PluginType;

/// Serializable facts about one registered plugin. Never contains config values.
///
/// ```
/// use floe_registry::prelude::*;
///
/// /// Reads secrets from the environment.
/// #[floe_plugin(type = Secrets, name = "info-doc", version = "1.2.0")]
/// #[derive(Default)]
/// struct EnvSecrets;
/// impl SecretsPlugin for EnvSecrets {}
///
/// let registry = PluginRegistry::new();
/// registry.discover_all();
/// let info = registry.info(PluginType::Secrets, "info-doc")?;
/// assert_eq!(info.version, "1.2.0");
/// assert!(!info.is_loaded);
/// let json = serde_json::to_value(&info).unwrap();
/// assert_eq!(json["plugin_type"], "secrets");
/// assert_eq!(info.crate_name, "floe-registry");
/// # Ok::<(), PluginError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[non_exhaustive]
pub struct PluginInfo {
    /// Name.
    pub name: String,
    /// SemVer version.
    pub version: String,
    /// The plugin API version it needs.
    pub floe_api_version: String,
    /// Type.
    pub plugin_type: PluginType,
    /// Description.
    pub description: String,
    /// Declared dependencies.
    pub dependencies: Vec<String>,
    /// Whether it has been built.
    pub is_loaded: bool,
    /// Whether a config has been stored.
    pub is_configured: bool,
    /// Whether it takes a config.
    pub has_config: bool,
    /// Where it comes from: crate and Rust path.
    pub source: String,
    /// The Cargo package that registered it (`floe-plugins-builtin`, `acme-plugins`):
    /// what `floe build` attributes each plugin to.
    #[serde(default)]
    pub crate_name: String,
    /// Whether the plugin needs a plugin API this registry implements (the check every
    /// load makes; see [`PluginRegistry::check_plugin`](crate::PluginRegistry::check_plugin)).
    #[serde(default = "yes")]
    pub api_compatible: bool,
    /// Whether the plugin is linked into the program (`false`: registered at run time,
    /// by a provider such as a Python environment; `source` says which).
    #[serde(default = "yes")]
    pub linked: bool,
}

fn yes() -> bool {
    true
}
