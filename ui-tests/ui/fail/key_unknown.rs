use floe_registry::prelude::*;

#[floe_plugin(type = Compute, name = "duckdb", verison = "1.0.0")]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
