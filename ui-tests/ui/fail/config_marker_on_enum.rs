use floe_registry::prelude::*;

#[derive(serde::Deserialize, JsonSchema)]
struct DuckDbConfig {
    threads: u32,
}

#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0", config = DuckDbConfig)]
#[derive(Default)]
enum DuckDb {
    #[default]
    Memory,
    File(#[config] ConfigCell<DuckDbConfig>),
}

impl ComputePlugin for DuckDb {}

fn main() {}
