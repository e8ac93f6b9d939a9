// `#[floe_config]` gives exactly the schema and the behaviour of serde's and
// schemars' own derives, for every attribute a config uses: the same items, once
// with the attribute and once with the derives, compared.
use floe_registry::prelude::*;
use floe_registry::schemars::schema_for;
use floe_registry::serde_json::{self, json};

macro_rules! shapes {
    (config: [$($config:tt)*], mode: [$($mode:tt)*]) => {
        /// A warehouse's settings.
        $($config)*
        #[derive(Debug)]
        #[serde(deny_unknown_fields)]
        pub struct WarehouseConfig {
            /// Worker threads.
            #[schemars(range(min = 1, max = 64))]
            pub threads: u32,
            /// Memory limit such as `4GB`.
            #[serde(default = "crate::default_memory")]
            #[schemars(regex(pattern = r"^[0-9]+(GB|MB)$"))]
            pub memory: String,
            /// Where to connect.
            pub connection: Connection,
            /// How queries run.
            #[serde(default)]
            pub mode: Mode,
            /// The access token.
            #[serde(default)]
            pub token: Option<Secret>,
        }

        /// A connection target.
        $($config)*
        #[derive(Debug)]
        #[serde(deny_unknown_fields)]
        pub struct Connection {
            /// Host name.
            pub host: String,
            /// Port.
            #[schemars(range(min = 1, max = 65535))]
            pub port: u32,
        }

        /// How queries run.
        $($mode)*
        #[derive(Debug, Clone, Copy, Default, PartialEq)]
        #[serde(rename_all = "snake_case")]
        pub enum Mode {
            /// One at a time.
            #[default]
            Serial,
            /// Spread over the threads.
            Parallel,
        }
    };
}

fn default_memory() -> String {
    "4GB".to_owned()
}

mod attribute {
    use floe_registry::prelude::*;
    shapes!(config: [#[floe_config]], mode: [#[floe_config(serialize)]]);
}

#[allow(dead_code)] // compared by schema only
mod derives {
    use floe_registry::prelude::*;
    shapes!(
        config: [#[derive(serde::Deserialize, JsonSchema)]],
        mode: [#[derive(serde::Deserialize, serde::Serialize, JsonSchema)]]
    );
}

use attribute::{Mode, WarehouseConfig};

#[floe_plugin(type = Compute, name = "warehouse", version = "1.0.0", config = WarehouseConfig)]
#[derive(Default)]
struct Warehouse {
    #[config]
    config: ConfigCell<WarehouseConfig>,
}

impl ComputePlugin for Warehouse {
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.config.get()?;
        assert_eq!((config.threads, config.connection.host.as_str()), (4, "db"));
        assert_eq!(config.memory, "4GB", "`default = \"fn\"` fills the field");
        assert_eq!(config.mode, Mode::Parallel);
        assert_eq!(config.connection.port, 5432);
        assert_eq!(config.token.as_ref().map(Secret::expose), Some("hunter2"));
        Ok(())
    }
}

fn main() -> Result<(), PluginError> {
    assert_eq!(
        schema_for!(attribute::WarehouseConfig),
        schema_for!(derives::WarehouseConfig),
        "#[floe_config] gives the schema the derives give"
    );

    let schema = serde_json::to_value(schema_for!(WarehouseConfig)).expect("serializes");
    assert_eq!(schema["description"], "A warehouse's settings.");
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(schema["properties"]["threads"]["description"], "Worker threads.");
    assert_eq!(schema["properties"]["threads"]["maximum"], 64);
    assert_eq!(schema["properties"]["memory"]["default"], "4GB");
    assert_eq!(schema["$defs"]["Connection"]["additionalProperties"], false);
    assert_eq!(schema["$defs"]["Mode"]["oneOf"][1]["const"], "parallel");
    assert!(
        schema["properties"]["token"].to_string().contains("writeOnly"),
        "Option<Secret> is writeOnly: {schema}"
    );
    assert_eq!(serde_json::to_value(Mode::Parallel).ok(), Some(json!("parallel")));

    let registry = PluginRegistry::new();
    registry.discover_all();
    let Err(PluginError::Configuration { errors, .. }) = registry.configure(
        PluginType::Compute,
        "warehouse",
        json!({"threads": 0, "connection": {"host": "db", "port": 0}, "mode": "fast", "extra": 1}),
    ) else {
        panic!("a config with four mistakes is refused");
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for field in ["threads", "connection.port", "mode", "extra"] {
        assert!(fields.contains(&field), "an error on `{field}`: {fields:?}");
    }

    registry.configure(
        PluginType::Compute,
        "warehouse",
        json!({
            "threads": 4,
            "connection": {"host": "db", "port": 5432},
            "mode": "parallel",
            "token": "hunter2",
        }),
    )?;
    registry.activate(PluginType::Compute, "warehouse")?;
    registry.shutdown_all();
    Ok(())
}
