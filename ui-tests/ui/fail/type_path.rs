use floe_registry::prelude::*;

#[floe_plugin(type = PluginType::Compute, name = "duckdb", version = "1.0.0")]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
