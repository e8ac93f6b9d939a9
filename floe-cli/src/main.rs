//! The `floe` command line (not written yet).

use floe_plugins_builtin as _;

fn main() {
    let registry = floe_registry::PluginRegistry::global();
    for (plugin_type, names) in registry.list_all() {
        println!("{plugin_type}: {}", names.join(", "));
    }
}
