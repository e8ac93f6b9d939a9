use floe_registry::prelude::*;

// Every mistake in the attribute is reported in the same compile.
#[floe_plugin(
    type = Compte,
    name = "DuckDB",
    version = "1.0",
    floe_api_version = "one",
    dependencies = ["Polaris", "store:s3"],
    descripton = "in-process"
)]
#[derive(Default)]
struct DuckDb;

impl ComputePlugin for DuckDb {}

fn main() {}
