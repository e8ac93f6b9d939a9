use std::cell::Cell;

use floe_registry::prelude::*;

#[derive(serde::Deserialize, JsonSchema)]
struct DuckDbConfig {
    threads: Cell<u32>,
}

#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0", config = DuckDbConfig)]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
