use std::collections::BTreeMap;

use floe_registry::prelude::*;
use floe_registry::serde_json::json;

#[derive(serde::Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
struct WarehouseConfig {
    connection: Connection,
    #[serde(default)]
    attach: Vec<Attachment>,
    #[serde(default)]
    settings: BTreeMap<String, String>,
}

#[derive(serde::Deserialize, JsonSchema)]
struct Connection {
    host: String,
    #[schemars(range(min = 1, max = 65535))]
    port: u16,
    password: Secret,
    token: Option<Secret>,
}

#[derive(serde::Deserialize, JsonSchema)]
struct Attachment {
    path: String,
    #[serde(default)]
    read_only: bool,
}

#[floe_plugin(type = Compute, name = "warehouse", version = "1.0.0", config = WarehouseConfig)]
#[derive(Default)]
struct Warehouse {
    #[config]
    config: ConfigCell<WarehouseConfig>,
    queries: std::sync::atomic::AtomicU32,
}

impl ComputePlugin for Warehouse {
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.config.get()?;
        assert_eq!(config.connection.password.expose(), "hunter2");
        Ok(())
    }
}

fn main() -> Result<(), PluginError> {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let schema = registry
        .config_schema(PluginType::Compute, "warehouse")?
        .expect("a plugin with `config = ...` has a schema");
    assert!(
        schema.to_string().contains("writeOnly"),
        "Secret is writeOnly: {schema}"
    );
    registry.configure(
        PluginType::Compute,
        "warehouse",
        json!({
            "connection": {"host": "db", "port": 5432, "password": "hunter2"},
            "attach": [{"path": "lake.duckdb"}],
        }),
    )?;
    registry.activate(PluginType::Compute, "warehouse")?;
    let warehouse = registry.get_as::<dyn ComputePlugin>("warehouse")?;
    assert_eq!(warehouse.name(), "warehouse");
    registry.shutdown_all();
    Ok(())
}
