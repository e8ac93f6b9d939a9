//! Fault suite: arbitrary JSON fed to `configure()` of every linked built-in never
//! panics, and every failure is a structured configuration error.

use floe_plugins_builtin as _;
use floe_registry::{PluginError, PluginRegistry};
use proptest::prelude::*;
use serde_json::{Value, json};

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        "\\PC{0,16}".prop_map(Value::String),
        Just(json!("http://localhost:1")),
        Just(json!("merge")),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..5).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    // Field names the built-ins use, so values reach their validators.
                    Just("url".to_owned()),
                    Just("endpoint".to_owned()),
                    Just("threads".to_owned()),
                    Just("path".to_owned()),
                    Just("bucket".to_owned()),
                    Just("sources".to_owned()),
                    Just("name".to_owned()),
                    Just("write_mode".to_owned()),
                    Just("client_secret".to_owned()),
                    Just("namespace".to_owned()),
                    Just("default_schedule".to_owned()),
                    "[a-z_]{1,10}",
                ],
                inner,
                0..6
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn configure_of_every_builtin_never_panics(config in json_value()) {
        let registry = PluginRegistry::new();
        registry.discover_all();
        for info in registry.infos() {
            match registry.validate_config(info.plugin_type, &info.name, config.clone()) {
                Ok(()) => {}
                Err(PluginError::Configuration { errors, .. }) => prop_assert!(!errors.is_empty()),
                Err(other) => prop_assert!(false, "{}: unexpected error kind: {other}", info.name),
            }
        }
    }
}
