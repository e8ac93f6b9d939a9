use floe_registry::prelude::*;

#[floe_config]
fn duckdb_config() {}

fn main() {}
