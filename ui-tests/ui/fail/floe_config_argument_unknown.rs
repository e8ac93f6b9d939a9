use floe_registry::prelude::*;

#[floe_config(serialise)]
struct DuckDbConfig {
    threads: u32,
}

fn main() {}
