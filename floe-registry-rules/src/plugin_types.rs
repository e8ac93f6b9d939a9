//! The names of the 11 plugin types, for the attribute's `type = ...` key.

/// The `PluginType` variant names, in the platform's canonical order. The runtime's
/// `PluginType` is checked against this list by a test, so they cannot drift apart.
pub const PLUGIN_TYPE_VARIANTS: [&str; 11] = [
    "Compute",
    "Orchestrator",
    "Catalog",
    "Storage",
    "TelemetryBackend",
    "LineageBackend",
    "Dbt",
    "SemanticLayer",
    "Ingestion",
    "Secrets",
    "Identity",
];

/// The snake_case name of a variant (`TelemetryBackend` -> `telemetry_backend`), used
/// by `type:name` dependencies.
///
/// ```
/// assert_eq!(floe_registry_rules::snake_case("TelemetryBackend"), "telemetry_backend");
/// ```
pub fn snake_case(variant: &str) -> String {
    let mut out = String::with_capacity(variant.len() + 4);
    for (i, ch) in variant.chars().enumerate() {
        if ch.is_ascii_uppercase() {
            if i > 0 {
                out.push('_');
            }
            out.push(ch.to_ascii_lowercase());
        } else {
            out.push(ch);
        }
    }
    out
}

/// The variant named by a dependency's type prefix, in any spelling the runtime
/// accepts for it (`compute`, `COMPUTE`, `Compute`).
///
/// ```
/// assert_eq!(floe_registry_rules::variant_for_prefix("storage"), Some("Storage"));
/// assert_eq!(floe_registry_rules::variant_for_prefix("TELEMETRY_BACKEND"), Some("TelemetryBackend"));
/// assert_eq!(floe_registry_rules::variant_for_prefix("store"), None);
/// ```
pub fn variant_for_prefix(prefix: &str) -> Option<&'static str> {
    PLUGIN_TYPE_VARIANTS
        .iter()
        .copied()
        .find(|v| *v == prefix || snake_case(v).eq_ignore_ascii_case(prefix))
}
