//! The plugin types, declared once.
//!
//! [`for_each_plugin_type!`](crate::for_each_plugin_type) holds the one list of plugin
//! types; everything else is derived from it: this crate's [`PLUGIN_TYPES`] table
//! (used by the `#[floe_plugin]` attribute for its `type =` values and did-you-mean),
//! the runtime's `PluginType` enum, its `ALL` and `COUNT`, the `PluginInstance` enum and
//! the `get_as` kinds, the CLI's lists and the benchmark fixture's build script.

/// Calls `$callback! { ... }` with the list of plugin types, one line each:
///
/// ```text
/// Variant snake_case SCREAMING_CASE "entry.point.group" TraitName [aliases] "doc";
/// ```
///
/// An alias is another snake_case name of the type (`lineage` for `lineage_backend`),
/// accepted wherever a type is parsed; its CamelCase form (`Lineage`) is accepted by
/// the attribute's `type =`. Adding a plugin type is adding one line here, plus its
/// trait file in `floe-registry/src/types/` (and its stubs in the CLI's scaffold).
///
/// ```
/// macro_rules! count {
///     ($($variant:ident $snake:ident $upper:ident $group:literal $tr:ident [$($alias:ident)*] $doc:literal;)*) => {
///         [$(stringify!($variant)),*].len()
///     };
/// }
/// assert_eq!(floe_registry_rules::for_each_plugin_type!(count), floe_registry_rules::PLUGIN_TYPE_COUNT);
/// ```
#[macro_export]
macro_rules! for_each_plugin_type {
    ($callback:ident) => {
        $callback! {
            Compute compute COMPUTE "floe.computes" ComputePlugin [] "Where dbt transforms execute.";
            Orchestrator orchestrator ORCHESTRATOR "floe.orchestrators" OrchestratorPlugin [] "Job scheduling and execution.";
            Catalog catalog CATALOG "floe.catalogs" CatalogPlugin [] "Iceberg table catalog.";
            Storage storage STORAGE "floe.storage" StoragePlugin [] "Object storage for Iceberg data.";
            TelemetryBackend telemetry_backend TELEMETRY_BACKEND "floe.telemetry_backends" TelemetryBackendPlugin [] "OTLP telemetry backend.";
            LineageBackend lineage_backend LINEAGE_BACKEND "floe.lineage_backends" LineageBackendPlugin [lineage] "OpenLineage backend.";
            Dbt dbt DBT "floe.dbt" DbtPlugin [] "dbt compilation environment.";
            SemanticLayer semantic_layer SEMANTIC_LAYER "floe.semantic_layers" SemanticLayerPlugin [] "Business intelligence API.";
            Ingestion ingestion INGESTION "floe.ingestion" IngestionPlugin [] "Data loading from sources.";
            Secrets secrets SECRETS "floe.secrets" SecretsPlugin [] "Credential management.";
            Identity identity IDENTITY "floe.identity" IdentityPlugin [] "Authentication provider.";
            Quality quality QUALITY "floe.quality" QualityPlugin [] "Data quality checks, gates and scoring.";
            Rbac rbac RBAC "floe.rbac" RbacPlugin [] "Kubernetes RBAC manifests.";
            AlertChannel alert_channel ALERT_CHANNEL "floe.alert_channels" AlertChannelPlugin [] "Delivery of contract violation alerts.";
            NetworkSecurity network_security NETWORK_SECURITY "floe.network_security" NetworkSecurityPlugin [] "Kubernetes network policies and security contexts.";
            SecretScanner secret_scanner SECRET_SCANNER "floe.secret_scanners" SecretScannerPlugin [] "Finds secrets committed to files.";
        }
    };
}

/// Every spelling of one plugin type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct PluginTypeNames {
    /// The Rust variant name, as written in `#[floe_plugin(type = ...)]`: `TelemetryBackend`.
    pub variant: &'static str,
    /// The snake_case name of manifests, JSON and the CLI: `telemetry_backend`.
    pub snake: &'static str,
    /// The upper-case name of error texts and health keys: `TELEMETRY_BACKEND`.
    pub upper: &'static str,
    /// The entry point group of the Python registry: `floe.telemetry_backends`.
    pub group: &'static str,
    /// The trait its plugins implement: `TelemetryBackendPlugin`.
    pub trait_name: &'static str,
    /// Other snake_case names of the type (`lineage`).
    pub aliases: &'static [&'static str],
    /// One line on what the type is for.
    pub doc: &'static str,
    /// Its position in [`PLUGIN_TYPES`] (and in the runtime's `PluginType::ALL`).
    pub index: usize,
}

macro_rules! names_table {
    ($($variant:ident $snake:ident $upper:ident $group:literal $tr:ident [$($alias:ident)*] $doc:literal;)*) => {
        const UNNUMBERED: [PluginTypeNames; PLUGIN_TYPE_COUNT] = [$(
            PluginTypeNames {
                variant: stringify!($variant),
                snake: stringify!($snake),
                upper: stringify!($upper),
                group: $group,
                trait_name: stringify!($tr),
                aliases: &[$(stringify!($alias)),*],
                doc: $doc,
                index: 0,
            },
        )*];

        /// Every plugin type's spellings, in the platform's canonical order.
        pub const PLUGIN_TYPES: [PluginTypeNames; PLUGIN_TYPE_COUNT] = {
            let mut table = UNNUMBERED;
            let mut i = 0;
            while i < PLUGIN_TYPE_COUNT {
                table[i].index = i;
                i += 1;
            }
            table
        };

        /// How many plugin types there are.
        pub const PLUGIN_TYPE_COUNT: usize = [$(stringify!($variant)),*].len();

        /// The `PluginType` variant names, in the platform's canonical order.
        pub const PLUGIN_TYPE_VARIANTS: [&str; PLUGIN_TYPE_COUNT] = [$(stringify!($variant)),*];
    };
}

crate::for_each_plugin_type!(names_table);

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

/// The CamelCase form of a snake_case name (`lineage_backend` -> `LineageBackend`), the
/// way an alias is written in `#[floe_plugin(type = ...)]`.
///
/// ```
/// assert_eq!(floe_registry_rules::camel_case("lineage"), "Lineage");
/// assert_eq!(floe_registry_rules::camel_case("alert_channel"), "AlertChannel");
/// ```
pub fn camel_case(snake: &str) -> String {
    snake
        .split('_')
        .map(|part| {
            let mut chars = part.chars();
            chars
                .next()
                .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// The variant an attribute's `type = ...` value names: a variant itself, or the
/// CamelCase form of an alias (`Lineage` -> `LineageBackend`).
///
/// ```
/// assert_eq!(floe_registry_rules::variant_for_attribute("Compute"), Some("Compute"));
/// assert_eq!(floe_registry_rules::variant_for_attribute("Lineage"), Some("LineageBackend"));
/// assert_eq!(floe_registry_rules::variant_for_attribute("compute"), None);
/// ```
pub fn variant_for_attribute(written: &str) -> Option<&'static str> {
    PLUGIN_TYPES
        .iter()
        .find(|t| t.variant == written || t.aliases.iter().any(|a| camel_case(a) == written))
        .map(|t| t.variant)
}

/// Every value the attribute's `type =` accepts: the variants, then the aliases'
/// CamelCase forms.
///
/// ```
/// let accepted = floe_registry_rules::attribute_type_values();
/// assert!(accepted.contains(&"Quality".to_owned()));
/// assert!(accepted.contains(&"Lineage".to_owned()));
/// ```
pub fn attribute_type_values() -> Vec<String> {
    let variants = PLUGIN_TYPES.iter().map(|t| t.variant.to_owned());
    let aliases = PLUGIN_TYPES
        .iter()
        .flat_map(|t| t.aliases.iter().map(|a| camel_case(a)));
    variants.chain(aliases).collect()
}

/// The variant named by a dependency's type prefix, in any spelling the runtime
/// accepts for it (`compute`, `COMPUTE`, `Compute`, `floe.computes`, an alias such as
/// `lineage`): [`parse_plugin_type`](crate::parse_plugin_type)'s variant.
///
/// ```
/// assert_eq!(floe_registry_rules::variant_for_prefix("storage"), Some("Storage"));
/// assert_eq!(floe_registry_rules::variant_for_prefix("TELEMETRY_BACKEND"), Some("TelemetryBackend"));
/// assert_eq!(floe_registry_rules::variant_for_prefix("lineage"), Some("LineageBackend"));
/// assert_eq!(floe_registry_rules::variant_for_prefix("store"), None);
/// ```
pub fn variant_for_prefix(prefix: &str) -> Option<&'static str> {
    crate::parse_plugin_type(prefix).ok().map(|t| t.variant)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_line_spells_its_type_consistently() {
        for t in PLUGIN_TYPES {
            assert_eq!(
                snake_case(t.variant),
                t.snake,
                "{}: snake_case name",
                t.variant
            );
            assert_eq!(
                t.snake.to_ascii_uppercase(),
                t.upper,
                "{}: upper-case name",
                t.variant
            );
            assert_eq!(
                format!("{}Plugin", t.variant),
                t.trait_name,
                "{}: trait name",
                t.variant
            );
            assert!(t.group.starts_with("floe."), "{}: group", t.variant);
            assert_eq!(PLUGIN_TYPES[t.index], t, "{}: index", t.variant);
        }
    }

    #[test]
    fn sixteen_types_with_unique_names() {
        assert_eq!(PLUGIN_TYPE_COUNT, 16);
        let mut names: Vec<&str> = PLUGIN_TYPES
            .iter()
            .flat_map(|t| std::iter::once(t.snake).chain(t.aliases.iter().copied()))
            .collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), 17, "snake names and aliases must not collide");
    }
}
