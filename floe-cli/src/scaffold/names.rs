//! The names a new plugin crate is written with, all derived from the plugin's name.

use floe_registry::PluginType;

/// The prefix of every scaffolded package: `floe-plugin-<NAME>`.
const PACKAGE_PREFIX: &str = "floe-plugin-";

/// Put before a CamelCase name that would otherwise start with a digit or collide with
/// an item of `floe_registry::prelude`: `9lives` -> `Floe9livesPlugin`.
const IDENT_PREFIX: &str = "Floe";

/// Items of `floe_registry::prelude` named like a scaffolded struct (`<Camel>Config`)
/// other than the type traits: a struct of that name would shadow the glob import.
/// The unit tests check this list against the registry's `types/mod.rs`.
const PRELUDE_CONFIG_TYPES: &[&str] = &[
    "CatalogConfig",
    "ComputeConfig",
    "IngestionConfig",
    "OidcConfig",
    "TransformConfig",
];

/// Every name of a scaffolded plugin crate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Names {
    /// The plugin's type.
    pub plugin_type: PluginType,
    /// The plugin's name, as registered: `acme-store`.
    pub plugin: String,
    /// The cargo package: `floe-plugin-acme-store`.
    pub package: String,
    /// The library's crate name, as code names it: `floe_plugin_acme_store`.
    pub lib: String,
    /// The annotated struct: `AcmeStorePlugin`.
    pub plugin_struct: String,
    /// The config struct: `AcmeStoreConfig`.
    pub config_struct: String,
}

impl Names {
    /// The names for a plugin `name` (already checked against the name rule).
    pub fn new(plugin_type: PluginType, name: &str) -> Self {
        let package = format!("{PACKAGE_PREFIX}{name}");
        let mut camel = camel_case(name);
        let collides = |camel: &str| {
            let plugin_struct = format!("{camel}Plugin");
            let config_struct = format!("{camel}Config");
            PluginType::ALL
                .iter()
                .any(|t| t.trait_name() == plugin_struct)
                || PRELUDE_CONFIG_TYPES.contains(&config_struct.as_str())
        };
        if camel.starts_with(|c: char| c.is_ascii_digit()) || collides(&camel) {
            camel.insert_str(0, IDENT_PREFIX);
        }
        Names {
            plugin_type,
            plugin: name.to_owned(),
            lib: package.replace('-', "_"),
            package,
            plugin_struct: format!("{camel}Plugin"),
            config_struct: format!("{camel}Config"),
        }
    }
}

impl Names {
    /// The plugin type in words, for prose: `telemetry backend`.
    pub fn type_words(&self) -> String {
        self.plugin_type.as_str().replace('_', " ")
    }
}

/// `acme-store` -> `AcmeStore`, `k8s_secrets` -> `K8sSecrets`: each `-`/`_`-separated
/// part with its first letter upper-cased, the separators dropped.
pub fn camel_case(name: &str) -> String {
    name.split(['-', '_'])
        .filter(|part| !part.is_empty())
        .map(|part| {
            let mut chars = part.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect::<String>(),
                None => String::new(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_joins_the_parts_of_a_name() {
        assert_eq!(camel_case("acme-store"), "AcmeStore");
        assert_eq!(camel_case("k8s_secrets"), "K8sSecrets");
        assert_eq!(camel_case("a--b__c"), "ABC");
        assert_eq!(camel_case("duckdb"), "Duckdb");
        assert_eq!(camel_case("9lives"), "9lives");
    }

    #[test]
    fn every_name_derives_from_the_plugin_name() {
        let names = Names::new(PluginType::Storage, "acme-store");
        assert_eq!(names.package, "floe-plugin-acme-store");
        assert_eq!(names.lib, "floe_plugin_acme_store");
        assert_eq!(names.plugin_struct, "AcmeStorePlugin");
        assert_eq!(names.config_struct, "AcmeStoreConfig");
    }

    #[test]
    fn a_leading_digit_gets_a_prefix_so_the_identifier_is_valid() {
        let names = Names::new(PluginType::Compute, "9lives");
        assert_eq!(names.plugin_struct, "Floe9livesPlugin");
        assert_eq!(names.config_struct, "Floe9livesConfig");
        assert_eq!(
            names.package, "floe-plugin-9lives",
            "the package keeps the name"
        );
    }

    #[test]
    fn a_name_that_would_shadow_a_prelude_item_gets_a_prefix() {
        // `ComputePlugin` and `ComputeConfig` are in floe_registry::prelude.
        let names = Names::new(PluginType::Compute, "compute");
        assert_eq!(names.plugin_struct, "FloeComputePlugin");
        let names = Names::new(PluginType::Orchestrator, "transform");
        assert_eq!(names.config_struct, "FloeTransformConfig");
    }

    #[test]
    fn the_prelude_config_list_matches_the_registry() {
        let mod_rs = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../floe-registry/src/types/mod.rs");
        let text = std::fs::read_to_string(&mod_rs).expect("the registry's types/mod.rs");
        let mut exported: Vec<&str> = text
            .split("pub use ")
            .skip(1)
            .filter_map(|item| item.split(';').next())
            .flat_map(|item| item.split(|c: char| !c.is_alphanumeric() && c != '_'))
            .filter(|ident| ident.ends_with("Config"))
            .collect();
        exported.sort_unstable();
        assert_eq!(
            exported, PRELUDE_CONFIG_TYPES,
            "the `...Config` types of types/mod.rs, which a scaffolded struct must not shadow"
        );
    }
}
