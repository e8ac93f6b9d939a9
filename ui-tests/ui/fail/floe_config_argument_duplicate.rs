use floe_registry::prelude::*;

#[floe_config(serialize, serialize)]
struct DuckDbConfig {
    threads: u32,
}

fn main() {}
