//! `type = Lineage` is another spelling of `type = LineageBackend`.

use floe_registry::prelude::*;

#[floe_plugin(type = Lineage, name = "marquez-alias", version = "1.0.0")]
#[derive(Default)]
struct Marquez;
impl LineageBackendPlugin for Marquez {}

fn main() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    assert_eq!(
        registry.list_all()[&PluginType::LineageBackend],
        ["marquez-alias"]
    );
}
