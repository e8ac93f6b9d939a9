use floe_registry::prelude::*;

#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0")]
trait DuckDb {}

fn main() {}
