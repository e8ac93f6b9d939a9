//! A fresh registry with every linked built-in discovered.

use floe_plugins_builtin as _;
use floe_registry::PluginRegistry;

/// A fresh registry with every linked plugin discovered.
pub fn registry() -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
}
