use floe_registry::prelude::*;

#[floe_config(deny_unknown_fields)]
struct DuckDbConfig {
    threads: u32,
}

fn main() {}
