use floe_registry::prelude::*;

#[floe_plugin]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
