use floe_registry::prelude::*;

#[floe_plugin(type = Compute, name = "duckdb", version = "1.0.0")]
union DuckDb {
    threads: u32,
}

fn main() {}
