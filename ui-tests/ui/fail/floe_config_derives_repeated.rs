use floe_registry::prelude::*;

#[floe_config]
#[derive(Debug, serde::Deserialize, JsonSchema)]
struct DuckDbConfig {
    threads: u32,
}

fn main() {
    println!("{:?}", DuckDbConfig { threads: 4 });
}
