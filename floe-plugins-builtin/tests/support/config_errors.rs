//! A refused configuration's field errors, and assertions on them.

use floe_registry::{ConfigErrorKind, PluginError, PluginRegistry, PluginType};
use serde_json::Value;

/// The `(field, kind)` pairs of a failed configure, and the full error text.
pub fn refused_config(
    registry: &PluginRegistry,
    plugin_type: PluginType,
    name: &str,
    config: Value,
) -> (Vec<(String, ConfigErrorKind)>, String) {
    let err = registry
        .configure(plugin_type, name, config)
        .expect_err("the config must be refused");
    let text = err.to_string();
    let PluginError::Configuration { errors, .. } = err else {
        panic!("expected a configuration error, got {text}");
    };
    (
        errors.into_iter().map(|e| (e.field, e.kind)).collect(),
        text,
    )
}

/// Asserts that `(field, kind)` is among the errors.
pub fn assert_has(errors: &[(String, ConfigErrorKind)], field: &str, kind: ConfigErrorKind) {
    assert!(
        errors.iter().any(|(f, k)| f == field && *k == kind),
        "expected a {kind} error at '{field}', got {errors:?}"
    );
}

/// The field errors of a configuration failure as (field, kind) pairs.
pub fn config_errors(err: PluginError) -> Vec<(String, ConfigErrorKind, String)> {
    match err {
        PluginError::Configuration { errors, .. } => errors
            .into_iter()
            .map(|e| (e.field, e.kind, e.message))
            .collect(),
        other => panic!("expected a configuration error, got {other}"),
    }
}

/// Asserts that `errors` holds an error of `kind` at `field`.
pub fn assert_has_error(
    errors: &[(String, ConfigErrorKind, String)],
    field: &str,
    kind: ConfigErrorKind,
) {
    assert!(
        errors.iter().any(|(f, k, _)| f == field && *k == kind),
        "expected a {kind} error at `{field}`, got {errors:?}"
    );
}
