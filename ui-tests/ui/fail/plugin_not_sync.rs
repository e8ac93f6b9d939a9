use std::cell::Cell;

use floe_registry::prelude::*;

#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0")]
#[derive(Default)]
struct DuckDb {
    queries: Cell<u32>,
}

impl ComputePlugin for DuckDb {}

fn main() {}
