//! The 11 plugin types and their names.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// The kind of a plugin: one of the 11 categories of the floe platform.
///
/// Each type has a trait that its plugins implement (`Compute` ->
/// [`ComputePlugin`](crate::ComputePlugin)), an entry point group inherited from the
/// Python registry (`floe.computes`) and a snake_case name used in manifests and
/// JSON (`telemetry_backend`).
///
/// It parses from the snake_case name, the upper-case name, the variant name and the
/// entry point group:
///
/// ```
/// use floe_registry::PluginType;
///
/// for s in ["compute", "COMPUTE", "Compute", "floe.computes"] {
///     assert_eq!(s.parse::<PluginType>().unwrap(), PluginType::Compute);
/// }
/// assert_eq!(PluginType::TelemetryBackend.to_string(), "telemetry_backend");
/// let err = "computer".parse::<PluginType>().unwrap_err();
/// assert!(err.to_string().contains("did you mean `compute`?"));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum PluginType {
    /// Where dbt transforms execute.
    Compute,
    /// Job scheduling and execution.
    Orchestrator,
    /// Iceberg table catalog.
    Catalog,
    /// Object storage for Iceberg data.
    Storage,
    /// OTLP telemetry backend.
    TelemetryBackend,
    /// OpenLineage backend.
    LineageBackend,
    /// dbt compilation environment.
    Dbt,
    /// Business intelligence API.
    SemanticLayer,
    /// Data loading from sources.
    Ingestion,
    /// Credential management.
    Secrets,
    /// Authentication provider.
    Identity,
}

/// The facts of each type, in declaration order: variant, snake_case, upper-case, group, trait.
const TABLE: [(PluginType, &str, &str, &str, &str, &str); 11] = [
    (
        PluginType::Compute,
        "Compute",
        "compute",
        "COMPUTE",
        "floe.computes",
        "ComputePlugin",
    ),
    (
        PluginType::Orchestrator,
        "Orchestrator",
        "orchestrator",
        "ORCHESTRATOR",
        "floe.orchestrators",
        "OrchestratorPlugin",
    ),
    (
        PluginType::Catalog,
        "Catalog",
        "catalog",
        "CATALOG",
        "floe.catalogs",
        "CatalogPlugin",
    ),
    (
        PluginType::Storage,
        "Storage",
        "storage",
        "STORAGE",
        "floe.storage",
        "StoragePlugin",
    ),
    (
        PluginType::TelemetryBackend,
        "TelemetryBackend",
        "telemetry_backend",
        "TELEMETRY_BACKEND",
        "floe.telemetry_backends",
        "TelemetryBackendPlugin",
    ),
    (
        PluginType::LineageBackend,
        "LineageBackend",
        "lineage_backend",
        "LINEAGE_BACKEND",
        "floe.lineage_backends",
        "LineageBackendPlugin",
    ),
    (
        PluginType::Dbt,
        "Dbt",
        "dbt",
        "DBT",
        "floe.dbt",
        "DbtPlugin",
    ),
    (
        PluginType::SemanticLayer,
        "SemanticLayer",
        "semantic_layer",
        "SEMANTIC_LAYER",
        "floe.semantic_layers",
        "SemanticLayerPlugin",
    ),
    (
        PluginType::Ingestion,
        "Ingestion",
        "ingestion",
        "INGESTION",
        "floe.ingestion",
        "IngestionPlugin",
    ),
    (
        PluginType::Secrets,
        "Secrets",
        "secrets",
        "SECRETS",
        "floe.secrets",
        "SecretsPlugin",
    ),
    (
        PluginType::Identity,
        "Identity",
        "identity",
        "IDENTITY",
        "floe.identity",
        "IdentityPlugin",
    ),
];

impl PluginType {
    /// All 11 types, in the platform's canonical order.
    pub const ALL: [PluginType; 11] = [
        PluginType::Compute,
        PluginType::Orchestrator,
        PluginType::Catalog,
        PluginType::Storage,
        PluginType::TelemetryBackend,
        PluginType::LineageBackend,
        PluginType::Dbt,
        PluginType::SemanticLayer,
        PluginType::Ingestion,
        PluginType::Secrets,
        PluginType::Identity,
    ];

    /// The position of this type in [`PluginType::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    const fn row(
        self,
    ) -> &'static (
        PluginType,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
        &'static str,
    ) {
        &TABLE[self as usize]
    }

    /// The Rust variant name, as written in `#[floe_plugin(type = ...)]`: `TelemetryBackend`.
    pub const fn variant_name(self) -> &'static str {
        self.row().1
    }

    /// The snake_case name used in manifests, JSON and the CLI: `telemetry_backend`.
    pub const fn as_str(self) -> &'static str {
        self.row().2
    }

    /// The upper-case name used in error texts and health keys: `TELEMETRY_BACKEND`.
    pub const fn upper_name(self) -> &'static str {
        self.row().3
    }

    /// The entry point group of the Python registry: `floe.telemetry_backends`.
    ///
    /// ```
    /// use floe_registry::PluginType;
    /// assert_eq!(PluginType::Compute.entry_point_group(), "floe.computes");
    /// assert_eq!(PluginType::from_entry_point_group("floe.computes"), Some(PluginType::Compute));
    /// ```
    pub const fn entry_point_group(self) -> &'static str {
        self.row().4
    }

    /// The name of the trait that plugins of this type implement: `ComputePlugin`.
    pub const fn trait_name(self) -> &'static str {
        self.row().5
    }

    /// The type whose entry point group is `group`, if any.
    pub fn from_entry_point_group(group: &str) -> Option<PluginType> {
        TABLE.iter().find(|row| row.4 == group).map(|row| row.0)
    }

    /// The type whose variant name is exactly `name` (`Compute`), if any.
    pub fn from_variant_name(name: &str) -> Option<PluginType> {
        TABLE.iter().find(|row| row.1 == name).map(|row| row.0)
    }
}

/// A string that names none of the 11 plugin types.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown plugin type `{input}`{}; valid types: {}", suggestion_text(.suggestion), valid_list())]
pub struct UnknownPluginType {
    /// The string as given.
    pub input: String,
    /// The closest valid snake_case name, if one is close.
    pub suggestion: Option<&'static str>,
}

fn suggestion_text(s: &Option<&'static str>) -> String {
    s.map(|s| format!(" (did you mean `{s}`?)"))
        .unwrap_or_default()
}

fn valid_list() -> String {
    PluginType::ALL.map(PluginType::as_str).join(", ")
}

impl FromStr for PluginType {
    type Err = UnknownPluginType;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let found = TABLE.iter().find(|row| {
            row.1 == s || row.2 == s || row.3 == s || row.4 == s || row.2.eq_ignore_ascii_case(s)
        });
        if let Some(row) = found {
            return Ok(row.0);
        }
        let snake = s.to_ascii_lowercase().replace('-', "_");
        if let Some(row) = TABLE.iter().find(|row| row.2 == snake) {
            return Ok(row.0);
        }
        let suggestion = floe_registry_rules::closest(&snake, TABLE.iter().map(|r| r.2))
            .first()
            .copied();
        Err(UnknownPluginType {
            input: s.to_owned(),
            suggestion,
        })
    }
}

impl fmt::Display for PluginType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl Serialize for PluginType {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for PluginType {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = std::borrow::Cow::<'de, str>::deserialize(deserializer)?;
        s.parse().map_err(serde::de::Error::custom)
    }
}

impl schemars::JsonSchema for PluginType {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "PluginType".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "enum": PluginType::ALL.map(PluginType::as_str),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn all_is_in_index_order_and_complete() {
        for (i, t) in PluginType::ALL.iter().enumerate() {
            assert_eq!(t.index(), i);
            assert_eq!(TABLE[i].0, *t, "TABLE row {i} is out of order");
        }
    }

    #[test]
    fn variants_match_the_attribute_list() {
        let ours = PluginType::ALL.map(PluginType::variant_name);
        assert_eq!(ours, floe_registry_rules::PLUGIN_TYPE_VARIANTS);
        for t in PluginType::ALL {
            assert_eq!(
                floe_registry_rules::snake_case(t.variant_name()),
                t.as_str()
            );
        }
    }

    #[test]
    fn every_spelling_round_trips() {
        for t in PluginType::ALL {
            for s in [
                t.as_str(),
                t.upper_name(),
                t.variant_name(),
                t.entry_point_group(),
            ] {
                assert_eq!(s.parse::<PluginType>(), Ok(t), "{s}");
            }
            assert_eq!(
                PluginType::from_entry_point_group(t.entry_point_group()),
                Some(t)
            );
            let json = serde_json::to_string(&t).expect("serialize");
            assert_eq!(json, format!("\"{}\"", t.as_str()));
            assert_eq!(
                serde_json::from_str::<PluginType>(&json).expect("deserialize"),
                t
            );
        }
    }

    #[test]
    fn unknown_type_lists_valid_ones_and_suggests() {
        let err = "telemetry".parse::<PluginType>().expect_err("unknown");
        assert_eq!(err.suggestion, Some("telemetry_backend"));
        assert!(
            err.to_string()
                .contains("valid types: compute, orchestrator, catalog")
        );
        assert_eq!(PluginType::from_entry_point_group("floe.nope"), None);
        assert!(serde_json::from_str::<PluginType>("\"nope\"").is_err());
    }
}
