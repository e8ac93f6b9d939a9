use floe_registry::prelude::*;

#[floe_config]
union DuckDbConfig {
    threads: u32,
}

fn main() {}
