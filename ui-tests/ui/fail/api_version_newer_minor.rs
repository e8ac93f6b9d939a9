use floe_registry::prelude::*;

// The platform (this floe-registry) implements plugin API 1.0.
#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0", floe_api_version = "1.3")]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
