use floe_registry::prelude::*;

#[floe_plugin(
    type = Compute,
    name = "duckdb-with-a-name-that-goes-on-and-on-well-past-the-sixty-four-limit",
    version = "1.0.0"
)]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
