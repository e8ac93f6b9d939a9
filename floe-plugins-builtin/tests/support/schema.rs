//! The config-schema snapshot check: a plugin's schema against `schemas/<name>.json`.

use std::path::PathBuf;

use floe_registry::PluginType;

use super::registry::registry;

/// Compares the config schema of `plugin_type:name` with the checked-in
/// `schemas/<name>.json`, exactly. `FLOE_UPDATE_SCHEMAS=1` rewrites the file from the
/// real output instead, so a schema change is always a visible diff in review.
pub fn assert_schema_snapshot(plugin_type: PluginType, name: &str) {
    let schema = registry()
        .config_schema(plugin_type, name)
        .expect("plugin is registered")
        .expect("plugin has a config schema");
    let actual = serde_json::to_string_pretty(&schema).expect("schema serializes") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(format!("{name}.json"));
    if std::env::var_os("FLOE_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &actual).expect("write the schema snapshot");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with FLOE_UPDATE_SCHEMAS=1 to write it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "the config schema of {plugin_type}:{name} differs from {}; rerun with FLOE_UPDATE_SCHEMAS=1 to accept it",
        path.display()
    );
}
