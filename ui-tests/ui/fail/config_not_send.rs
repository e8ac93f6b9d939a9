use std::rc::Rc;

use floe_registry::prelude::*;

#[derive(serde::Deserialize, JsonSchema)]
struct DuckDbConfig {
    path: Rc<str>,
}

#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0", config = DuckDbConfig)]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
