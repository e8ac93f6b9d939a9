//! The plugin types and their names, derived from the one declaration in
//! `floe-registry-rules`.

use std::fmt;
use std::str::FromStr;

use floe_registry_rules::{PLUGIN_TYPES, PluginTypeNames, UnknownPluginType};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

macro_rules! declare_plugin_type {
    ($($variant:ident $snake:ident $upper:ident $group:literal $tr:ident [$($alias:ident)*] $doc:literal;)*) => {
        /// The kind of a plugin: one of the categories of the floe platform.
        ///
        /// Declared once, by [`floe_registry_rules::for_each_plugin_type!`]: its
        /// spellings, [`ALL`](PluginType::ALL), [`COUNT`](PluginType::COUNT), the
        /// instance enum and the attribute's `type =` values all come from that list.
        ///
        /// Each type has a trait that its plugins implement (`Compute` ->
        /// [`ComputePlugin`](crate::ComputePlugin)), an entry point group inherited from
        /// the Python registry (`floe.computes`) and a snake_case name used in manifests
        /// and JSON (`telemetry_backend`).
        ///
        /// It parses from the snake_case name, the upper-case name, the variant name,
        /// the entry point group and the aliases (`lineage` is lineage_backend):
        ///
        /// ```
        /// use floe_registry::PluginType;
        ///
        /// for s in ["compute", "COMPUTE", "Compute", "floe.computes"] {
        ///     assert_eq!(s.parse::<PluginType>().unwrap(), PluginType::Compute);
        /// }
        /// assert_eq!("lineage".parse::<PluginType>().unwrap(), PluginType::LineageBackend);
        /// assert_eq!(PluginType::TelemetryBackend.to_string(), "telemetry_backend");
        /// let err = "computer".parse::<PluginType>().unwrap_err();
        /// assert!(err.to_string().contains("did you mean `compute`?"));
        /// ```
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub enum PluginType {
            $(
                #[doc = $doc]
                $variant,
            )*
        }

        impl PluginType {
            /// Every type, in the platform's canonical order.
            pub const ALL: [PluginType; PluginType::COUNT] = [$(PluginType::$variant),*];
        }
    };
}

floe_registry_rules::for_each_plugin_type!(declare_plugin_type);

impl PluginType {
    /// How many plugin types there are.
    pub const COUNT: usize = floe_registry_rules::PLUGIN_TYPE_COUNT;

    /// The position of this type in [`PluginType::ALL`].
    pub const fn index(self) -> usize {
        self as usize
    }

    const fn row(self) -> &'static PluginTypeNames {
        &PLUGIN_TYPES[self as usize]
    }

    /// The Rust variant name, as written in `#[floe_plugin(type = ...)]`: `TelemetryBackend`.
    pub const fn variant_name(self) -> &'static str {
        self.row().variant
    }

    /// The snake_case name used in manifests, JSON and the CLI: `telemetry_backend`.
    pub const fn as_str(self) -> &'static str {
        self.row().snake
    }

    /// The upper-case name used in error texts and health keys: `TELEMETRY_BACKEND`.
    pub const fn upper_name(self) -> &'static str {
        self.row().upper
    }

    /// The entry point group of the Python registry: `floe.telemetry_backends`.
    ///
    /// ```
    /// use floe_registry::PluginType;
    /// assert_eq!(PluginType::Compute.entry_point_group(), "floe.computes");
    /// assert_eq!(PluginType::from_entry_point_group("floe.computes"), Ok(PluginType::Compute));
    /// ```
    pub const fn entry_point_group(self) -> &'static str {
        self.row().group
    }

    /// The name of the trait that plugins of this type implement: `ComputePlugin`.
    pub const fn trait_name(self) -> &'static str {
        self.row().trait_name
    }

    /// Other snake_case names of this type: `["lineage"]` for lineage_backend.
    pub const fn aliases(self) -> &'static [&'static str] {
        self.row().aliases
    }

    /// One line on what the type is for.
    pub const fn description(self) -> &'static str {
        self.row().doc
    }

    /// The type whose entry point group is exactly `group`; the error lists the valid
    /// groups (the Python registry's `Unknown entry point group: ...` text).
    ///
    /// ```
    /// use floe_registry::PluginType;
    /// assert_eq!(PluginType::from_entry_point_group("floe.storage"), Ok(PluginType::Storage));
    /// let err = PluginType::from_entry_point_group("floe.nope").unwrap_err();
    /// assert!(err.to_string().contains("Valid groups: floe.computes, "));
    /// ```
    pub fn from_entry_point_group(group: &str) -> Result<PluginType, UnknownPluginType> {
        floe_registry_rules::plugin_type_for_group(group).map(PluginType::of_names)
    }

    /// The type whose variant name is exactly `name` (`Compute`), if any.
    pub fn from_variant_name(name: &str) -> Option<PluginType> {
        PluginType::ALL
            .into_iter()
            .find(|t| t.variant_name() == name)
    }
}

impl PluginType {
    /// The type of one row of the rules crate's table.
    pub(crate) fn of_names(names: &PluginTypeNames) -> PluginType {
        // `index` is the row's position in a table of `COUNT` rows, in `ALL`'s order
        // (tested below): always in range.
        PluginType::ALL[names.index]
    }
}

impl FromStr for PluginType {
    type Err = UnknownPluginType;

    /// Reads any spelling of a type (see [`PluginType`]); the error lists the valid
    /// names, or the valid entry point groups for a string that starts with `floe.`.
    ///
    /// ```
    /// use floe_registry::PluginType;
    /// let err = "floe.unknown".parse::<PluginType>().unwrap_err();
    /// assert!(err.to_string().starts_with("Unknown entry point group: floe.unknown. Valid groups: floe.computes, floe.orchestrators"));
    /// ```
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        floe_registry_rules::parse_plugin_type(s).map(PluginType::of_names)
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
            assert_eq!(
                PLUGIN_TYPES[i].variant,
                t.variant_name(),
                "row {i} is out of order"
            );
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
                Ok(t)
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
    fn lineage_is_lineage_backend_everywhere() {
        for s in ["lineage", "LINEAGE", "Lineage"] {
            assert_eq!(
                s.parse::<PluginType>(),
                Ok(PluginType::LineageBackend),
                "{s}"
            );
        }
        assert_eq!(PluginType::LineageBackend.upper_name(), "LINEAGE_BACKEND");
        assert_eq!(
            serde_json::from_str::<PluginType>("\"lineage\"").expect("alias"),
            PluginType::LineageBackend
        );
    }

    #[test]
    fn sixteen_types_in_floes_order() {
        assert_eq!(PluginType::COUNT, 16);
        let groups: Vec<&str> = PluginType::ALL.map(PluginType::entry_point_group).to_vec();
        assert_eq!(
            groups[11..],
            [
                "floe.quality",
                "floe.rbac",
                "floe.alert_channels",
                "floe.network_security",
                "floe.secret_scanners"
            ]
        );
    }

    #[test]
    fn unknown_type_lists_valid_ones_and_suggests() {
        let err = "telemetry".parse::<PluginType>().expect_err("unknown");
        assert_eq!(err.suggestion, Some("telemetry_backend"));
        assert!(
            err.to_string()
                .contains("valid types: compute, orchestrator, catalog")
        );
        assert!(serde_json::from_str::<PluginType>("\"nope\"").is_err());
    }

    #[test]
    fn an_unknown_entry_point_group_lists_the_valid_groups() {
        let groups = PluginType::ALL
            .map(PluginType::entry_point_group)
            .join(", ");
        let expected = format!("Unknown entry point group: floe.unknown. Valid groups: {groups}");
        let parsed = "floe.unknown"
            .parse::<PluginType>()
            .expect_err("no such group");
        assert_eq!(parsed.to_string(), expected);
        let looked_up =
            PluginType::from_entry_point_group("floe.unknown").expect_err("no such group");
        assert_eq!(
            looked_up, parsed,
            "one error, whichever way the group is read"
        );
        assert!(serde_json::from_str::<PluginType>("\"nope\"").is_err());
    }
}
