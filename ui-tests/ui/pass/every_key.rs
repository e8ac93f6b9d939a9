use floe_registry::FLOE_API_VERSION;
use floe_registry::prelude::*;

#[derive(serde::Deserialize, JsonSchema)]
struct DuckDbConfig {
    threads: u32,
}

/// This doc comment is not the description: the `description` key wins.
#[floe_plugin(
    type = Compute,
    name = "duckdb",
    version = "1.2.0-rc.1+build.5",
    floe_api_version = "1.0",
    description = "Embedded DuckDB",
    dependencies = ["polaris", "storage:s3"],
    config = DuckDbConfig,
    crate = ::floe_registry,
)]
#[derive(Default)]
pub struct DuckDb {
    #[config]
    config: ConfigCell<DuckDbConfig>,
}

impl ComputePlugin for DuckDb {
    fn startup(&self) -> Result<(), PluginError> {
        self.config.get().map(|_| ())
    }
}

fn main() {
    let plugin = DuckDb::default();
    assert_eq!(plugin.plugin_type(), PluginType::Compute);
    assert_eq!(plugin.name(), "duckdb");
    assert_eq!(plugin.version(), "1.2.0-rc.1+build.5");
    assert_eq!(plugin.floe_api_version(), FLOE_API_VERSION);
    assert_eq!(plugin.description(), "Embedded DuckDB");
    assert_eq!(plugin.dependencies(), ["polaris", "storage:s3"]);
    let descriptor = plugin.descriptor();
    assert!(matches!(
        descriptor.source,
        floe_registry::PluginSource::Linked {
            type_name: "DuckDb",
            ..
        }
    ));
    let config = descriptor
        .config
        .as_ref()
        .expect("`config = DuckDbConfig` gives a config spec");
    assert!(config.type_name().ends_with("DuckDbConfig"));
}
