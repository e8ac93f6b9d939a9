// A crate that reaches floe-registry under another name says so with `crate = ...`.
use floe_registry as reg;
use reg::prelude::{ComputePlugin, PluginMetadata};

#[reg::floe_plugin(
    type = Compute,
    name = "renamed",
    version = "1.0.0",
    floe_api_version = "1.0",
    config = Settings,
    crate = reg
)]
#[derive(Default)]
struct Renamed {
    #[config]
    settings: reg::ConfigCell<Settings>,
}

#[derive(serde::Deserialize, reg::schemars::JsonSchema)]
#[schemars(crate = "reg::schemars")]
struct Settings {
    threads: u8,
}

impl ComputePlugin for Renamed {}

fn main() {
    let plugin = Renamed::default();
    assert_eq!(plugin.name(), "renamed");
    assert!(!plugin.settings.is_set());
}
