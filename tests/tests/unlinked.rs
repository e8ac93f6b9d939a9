//! A plugin crate that nothing references is not linked, so its plugins are not found.
//! This test binary has fixture-alpha and fixture-beta available (dev-dependencies)
//! but never names them: discovery must find none of their plugins.

use floe_registry::{PluginRegistry, PluginType};

#[test]
fn an_unreferenced_plugin_crate_contributes_no_plugins() {
    let registry = PluginRegistry::new();
    assert_eq!(registry.discover_all(), 0, "no crate here is referenced");
    assert!(
        registry
            .descriptor(PluginType::Storage, "shared-store")
            .is_err()
    );
    assert!(registry.list_all().values().all(Vec::is_empty));
}
