//! A plugin that needs plugin API 2.0, which `#[floe_plugin]` refuses to compile: it is
//! registered by hand in the registry's link-time slice, as a plugin built against a
//! newer floe-registry would be.

use floe_registry::prelude::*;
use floe_registry::{PluginDescriptor, PluginInstance, plugin_source};

/// Fixture ingestion plugin built for a newer platform.
#[derive(Default)]
pub struct Future;

impl PluginMetadata for Future {
    fn descriptor(&self) -> &'static PluginDescriptor {
        &FUTURE
    }
}

impl IngestionPlugin for Future {}

fn construct() -> PluginInstance {
    PluginInstance::ingestion(Future)
}

#[floe_registry::__private::linkme::distributed_slice(
    floe_registry::__private::FLOE_REGISTRY_PLUGINS
)]
#[linkme(crate = floe_registry::__private::linkme)]
static FUTURE: PluginDescriptor = PluginDescriptor::new(
    PluginType::Ingestion,
    "fx-future",
    "3.0.0",
    plugin_source!(Future),
    construct,
)
.with_description("Fixture ingestion plugin that needs plugin API 2.0.")
.with_api_version("2.0");
