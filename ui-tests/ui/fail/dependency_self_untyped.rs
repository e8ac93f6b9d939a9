use floe_registry::prelude::*;

#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0", dependencies = ["duckdb"])]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
