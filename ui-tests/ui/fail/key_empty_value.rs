use floe_registry::prelude::*;

#[floe_plugin(type = Compute, name = "duckdb", version = , description = "in-process")]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
