//! The config of the quality plugins (`great_expectations`, `dbt_expectations`):
//! floe's `QualityConfig`, whose `calculation.severity_weights` takes only the
//! severities, as floe-core 0.1.0a1 does. No Python needed.

#![cfg(all(feature = "quality-gx", feature = "quality-dbt"))]

mod support;

use floe_plugins_builtin as _;
use floe_registry::ConfigErrorKind;
use floe_registry::prelude::*;
use serde_json::json;
use support::config_errors::config_errors;
use support::registry::registry;

const PLUGINS: [&str; 2] = ["great_expectations", "dbt_expectations"];

#[test]
fn severity_weights_take_critical_warning_and_info() {
    for name in PLUGINS {
        registry()
            .configure(
                PluginType::Quality,
                name,
                json!({"provider": name, "calculation": {"severity_weights": {"critical": 5, "warning": 2, "info": 0.1}}}),
            )
            .unwrap_or_else(|e| panic!("{name}: {e}"));
    }
}

#[test]
fn a_severity_weight_of_another_key_is_refused_at_its_path() {
    for name in PLUGINS {
        let err = registry()
            .configure(
                PluginType::Quality,
                name,
                json!({"provider": name, "calculation": {"severity_weights": {"critical": 5, "Critical": 1, "blocker": 9}}}),
            )
            .expect_err("keys other than the severities");
        assert_eq!(
            config_errors(err),
            [
                (
                    "calculation.severity_weights.Critical".to_owned(),
                    ConfigErrorKind::UnknownField,
                    "key not allowed; must be one of: critical, warning, info".to_owned()
                ),
                (
                    "calculation.severity_weights.blocker".to_owned(),
                    ConfigErrorKind::UnknownField,
                    "key not allowed; must be one of: critical, warning, info".to_owned()
                ),
            ],
            "{name}"
        );
    }
}

#[test]
fn the_schema_names_the_severities() {
    let schema = registry()
        .config_schema(PluginType::Quality, "great_expectations")
        .expect("registered")
        .expect("has a schema");
    let weights = &schema["$defs"]["CalculationParameters"]["properties"]["severity_weights"];
    assert_eq!(
        weights["propertyNames"],
        json!({"enum": ["critical", "warning", "info"]}),
        "{weights}"
    );
}
