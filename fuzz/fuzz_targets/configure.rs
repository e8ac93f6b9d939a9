//! Feeds arbitrary bytes, read as JSON, to `configure()` of every linked plugin (all
//! built-ins): nothing may panic, and every failure must be a structured error.

#![no_main]

use std::sync::OnceLock;

use floe_plugins_builtin as _;
use floe_registry::{PluginError, PluginRegistry};
use libfuzzer_sys::fuzz_target;

fn registry() -> &'static PluginRegistry {
    static REGISTRY: OnceLock<PluginRegistry> = OnceLock::new();
    REGISTRY.get_or_init(|| {
        let registry = PluginRegistry::new();
        registry.discover_all();
        registry
    })
}

fuzz_target!(|data: &[u8]| {
    let Ok(value) = serde_json::from_slice::<serde_json::Value>(data) else {
        return;
    };
    let registry = registry();
    for info in registry.infos() {
        match registry.validate_config(info.plugin_type, &info.name, value.clone()) {
            Ok(()) | Err(PluginError::Configuration { .. }) => {}
            Err(other) => panic!("{}: unexpected error kind: {other}", info.name),
        }
    }
});
