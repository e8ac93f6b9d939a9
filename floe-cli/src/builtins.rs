//! The built-in plugins, by the cargo feature that links each one.
//!
//! `floe build --builtins LIST` takes these feature names (and each plugin's own name
//! where it is unambiguous, such as `core` for `dbt-core`). This table, floe-cli's
//! `[features]` and floe-plugins-builtin's `[features]` must agree; a test reads both
//! Cargo.toml files to keep them so.

use floe_registry::PluginType;

/// One built-in plugin: the cargo feature of floe-cli (and floe-plugins-builtin) that
/// links it, and the identity it registers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Builtin {
    /// The cargo feature name: `duckdb`, `dbt-core`, `k8s-secrets`, ...
    pub feature: &'static str,
    /// The plugin's type.
    pub plugin_type: PluginType,
    /// The plugin's registry name: `duckdb`, `core`, `k8s`, ...
    pub name: &'static str,
}

const fn builtin(feature: &'static str, plugin_type: PluginType, name: &'static str) -> Builtin {
    Builtin {
        feature,
        plugin_type,
        name,
    }
}

/// Every built-in plugin, in floe-plugins-builtin's feature order.
///
/// ```
/// let dbt = floe_cli::builtins::BUILTINS.iter().find(|b| b.feature == "dbt-core").unwrap();
/// assert_eq!(dbt.name, "core");
/// ```
pub const BUILTINS: &[Builtin] = &[
    builtin("duckdb", PluginType::Compute, "duckdb"),
    builtin("dagster", PluginType::Orchestrator, "dagster"),
    builtin("s3", PluginType::Storage, "s3"),
    builtin("local-storage", PluginType::Storage, "local"),
    builtin("jaeger", PluginType::TelemetryBackend, "jaeger"),
    builtin("console", PluginType::TelemetryBackend, "console"),
    builtin("marquez", PluginType::LineageBackend, "marquez"),
    builtin("dbt-core", PluginType::Dbt, "core"),
    builtin("cube", PluginType::SemanticLayer, "cube"),
    builtin("dlt", PluginType::Ingestion, "dlt"),
    builtin("env-secrets", PluginType::Secrets, "env"),
    builtin("file-secrets", PluginType::Secrets, "file"),
    builtin("polaris", PluginType::Catalog, "polaris"),
    builtin("keycloak", PluginType::Identity, "keycloak"),
    builtin("k8s-secrets", PluginType::Secrets, "k8s"),
    builtin("rbac-k8s", PluginType::Rbac, "k8s"),
    builtin("network-security-k8s", PluginType::NetworkSecurity, "k8s"),
    builtin("dbt-fusion", PluginType::Dbt, "fusion"),
    builtin("secret-scanner", PluginType::SecretScanner, "builtin"),
    builtin("alertmanager", PluginType::AlertChannel, "alertmanager"),
    builtin("slack-alerts", PluginType::AlertChannel, "slack"),
    builtin("webhook-alerts", PluginType::AlertChannel, "webhook"),
    builtin("email-alerts", PluginType::AlertChannel, "email"),
    builtin("infisical-secrets", PluginType::Secrets, "infisical"),
    builtin("quality-dbt", PluginType::Quality, "dbt_expectations"),
    builtin("quality-gx", PluginType::Quality, "great_expectations"),
    builtin("glue", PluginType::Catalog, "glue"),
    builtin("aws-s3", PluginType::Storage, "aws-s3"),
    builtin("minio", PluginType::Storage, "minio"),
];

/// Why a `--builtins` list was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BuiltinsError {
    /// A name that is no built-in.
    #[error("unknown built-in `{name}`{}; built-ins: {}", suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default(), feature_names().join(", "))]
    Unknown {
        /// The name given.
        name: String,
        /// The closest built-in name.
        suggestion: Option<String>,
    },
    /// A plugin name that several built-ins share.
    #[error("`{name}` names several built-ins ({}); use the feature name", candidates.join(", "))]
    Ambiguous {
        /// The name given.
        name: String,
        /// The features it could mean.
        candidates: Vec<&'static str>,
    },
    /// `all` or `none` mixed with names.
    #[error("`{0}` stands alone: write `--builtins {0}` or a list of names, not both")]
    Mixed(&'static str),
    /// An empty list or an empty item (`duckdb,,s3`).
    #[error("empty built-in name in `{0}`; write a comma list of names, `all` or `none`")]
    Empty(String),
}

/// The feature names, in table order.
pub fn feature_names() -> Vec<&'static str> {
    BUILTINS.iter().map(|b| b.feature).collect()
}

/// Resolves a `--builtins` list: `all`, `none`, or comma-separated feature names (or
/// unambiguous plugin names, or `type:name`). The result is in table order, without
/// repeats.
///
/// ```
/// use floe_cli::builtins::select;
/// let chosen = select("s3, core").unwrap();
/// assert_eq!(chosen.iter().map(|b| b.feature).collect::<Vec<_>>(), ["s3", "dbt-core"]);
/// assert!(select("none").unwrap().is_empty());
/// assert!(select("duckbd").expect_err("an error").to_string().contains("did you mean `duckdb`"));
/// ```
pub fn select(list: &str) -> Result<Vec<Builtin>, BuiltinsError> {
    let items: Vec<&str> = list.split(',').map(str::trim).collect();
    if items.iter().any(|i| i.is_empty()) {
        return Err(BuiltinsError::Empty(list.to_owned()));
    }
    for word in ["all", "none"] {
        if items.contains(&word) {
            if items.len() > 1 {
                return Err(BuiltinsError::Mixed(word));
            }
            return Ok(if word == "all" {
                BUILTINS.to_vec()
            } else {
                Vec::new()
            });
        }
    }
    let mut chosen = vec![false; BUILTINS.len()];
    for item in items {
        chosen[index_of(item)?] = true;
    }
    Ok(BUILTINS
        .iter()
        .zip(chosen)
        .filter_map(|(b, on)| on.then_some(*b))
        .collect())
}

fn index_of(item: &str) -> Result<usize, BuiltinsError> {
    if let Some(i) = BUILTINS.iter().position(|b| b.feature == item) {
        return Ok(i);
    }
    // `type:name` or `name`, read by the rule every dependency string follows; an
    // item that breaks it matches nothing and gets the suggestions below.
    let (wanted_type, wanted_name) = floe_registry::parse_dependency(item).unwrap_or((None, ""));
    let matches: Vec<usize> = BUILTINS
        .iter()
        .enumerate()
        .filter(|(_, b)| b.name == wanted_name && wanted_type.is_none_or(|t| t == b.plugin_type))
        .map(|(i, _)| i)
        .collect();
    match matches.as_slice() {
        [one] => Ok(*one),
        [] => {
            let names = feature_names();
            Err(BuiltinsError::Unknown {
                name: item.to_owned(),
                suggestion: floe_registry_rules::closest(item, names.iter().copied())
                    .first()
                    .map(|s| (*s).to_owned()),
            })
        }
        many => Err(BuiltinsError::Ambiguous {
            name: item.to_owned(),
            candidates: many.iter().map(|i| BUILTINS[*i].feature).collect(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn features(section: &str, manifest: &str) -> Vec<String> {
        let doc: toml::Table = manifest.parse().expect("Cargo.toml parses");
        let table = doc[section].as_table().expect("[features]");
        table
            .keys()
            .filter(|k| !matches!(k.as_str(), "default" | "http"))
            .cloned()
            .collect()
    }

    #[test]
    fn the_table_matches_both_crates_features() {
        let mut ours: Vec<String> = feature_names().iter().map(|s| (*s).to_owned()).collect();
        ours.sort();
        let mut cli = features("features", include_str!("../Cargo.toml"));
        cli.sort();
        let mut builtin = features(
            "features",
            include_str!("../../floe-plugins-builtin/Cargo.toml"),
        );
        builtin.sort();
        assert_eq!(ours, cli, "builtins.rs and floe-cli's [features] differ");
        assert_eq!(
            ours, builtin,
            "builtins.rs and floe-plugins-builtin's [features] differ"
        );
    }

    /// Every built-in this binary links (whatever features are on) registers exactly
    /// the identity its table entry names, and with every feature on (the default, as
    /// in CI) every entry is linked.
    #[test]
    fn the_table_matches_what_the_builtins_register() {
        let registry = floe_registry::PluginRegistry::global();
        let linked: Vec<_> = registry
            .infos()
            .into_iter()
            .filter(|i| i.crate_name == "floe-plugins-builtin")
            .collect();
        for info in &linked {
            assert!(
                BUILTINS
                    .iter()
                    .any(|b| b.plugin_type == info.plugin_type && b.name == info.name),
                "the built-in {}:{} has no entry in BUILTINS",
                info.plugin_type,
                info.name
            );
        }
        if cfg!(feature = "default") {
            assert_eq!(
                linked.len(),
                BUILTINS.len(),
                "every feature's plugin is linked"
            );
        }
    }

    #[test]
    fn lists_resolve_in_table_order_without_repeats() {
        let chosen = select("k8s-secrets,duckdb,secrets:k8s").expect("valid list");
        let names: Vec<_> = chosen.iter().map(|b| b.feature).collect();
        assert_eq!(names, ["duckdb", "k8s-secrets"]);
        assert_eq!(select("all").expect("all").len(), BUILTINS.len());
    }

    #[test]
    fn bad_lists_say_what_to_write() {
        assert_eq!(
            select("all,duckdb").expect_err("an error").to_string(),
            "`all` stands alone: write `--builtins all` or a list of names, not both"
        );
        assert!(matches!(select("duckdb,"), Err(BuiltinsError::Empty(_))));
        let unknown = select("postgres").expect_err("an error").to_string();
        assert!(
            unknown.starts_with("unknown built-in `postgres`"),
            "{unknown}"
        );
        assert!(unknown.contains("built-ins: duckdb, dagster,"), "{unknown}");
    }
}
