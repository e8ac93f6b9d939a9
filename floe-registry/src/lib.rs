//! # floe-registry
//!
//! The plugin system of the floe data platform: one attribute declares a plugin, and
//! one registry discovers, lazily builds, configures (validated against a JSON Schema,
//! every problem reported), starts in dependency order, health-checks and stops the
//! plugins linked into a program.
//!
//! # Writing a plugin
//!
//! A plugin is a struct (or enum) that is `Default`, annotated with `#[floe_plugin]`,
//! implementing the trait of its type in one impl block:
//!
//! ```
//! use floe_registry::prelude::*;
//!
//! /// Embedded DuckDB: runs dbt transforms in-process.
//! #[floe_plugin(type = Compute, name = "duckdb-guide", version = "1.0.0", config = DuckDbConfig)]
//! #[derive(Default)]
//! pub struct DuckDbPlugin {
//!     #[config]
//!     config: ConfigCell<DuckDbConfig>,
//! }
//!
//! /// Settings of the embedded engine.
//! #[floe_config]
//! #[serde(deny_unknown_fields)]
//! pub struct DuckDbConfig {
//!     /// Database file, or `:memory:`.
//!     #[serde(default = "memory")]
//!     path: String,
//!     /// Worker threads.
//!     #[schemars(range(min = 1, max = 64))]
//!     threads: u32,
//!     /// MotherDuck token.
//!     token: Option<Secret>,
//! }
//! fn memory() -> String { ":memory:".into() }
//!
//! impl ComputePlugin for DuckDbPlugin {
//!     fn get_required_dbt_packages(&self) -> Vec<String> {
//!         vec!["dbt-duckdb>=1.7.0".into()]
//!     }
//!
//!     // Lifecycle hooks are optional and live in the same impl block.
//!     fn startup(&self) -> Result<(), PluginError> {
//!         let config = self.config.get()?; // typed, no downcasting
//!         assert!(config.threads >= 1);
//!         Ok(())
//!     }
//! }
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::Compute, "duckdb-guide", serde_json::json!({"threads": 4}))?;
//! registry.activate(PluginType::Compute, "duckdb-guide")?;
//! let duckdb = registry.get_as::<dyn ComputePlugin>("duckdb-guide")?;
//! assert_eq!(duckdb.get_required_dbt_packages(), ["dbt-duckdb>=1.7.0"]);
//! assert_eq!(duckdb.description(), "Embedded DuckDB: runs dbt transforms in-process.");
//! registry.shutdown_all();
//! # Ok::<(), PluginError>(())
//! ```
//!
//! The attribute's keys:
//!
//! | key | required | value | default |
//! |---|---|---|---|
//! | `type` | yes | any variant of [`PluginType`] (every one in [`PluginType::ALL`], [`PluginType::COUNT`] of them), or the alias `Lineage`, as an identifier | |
//! | `name` | yes | string: 1 to 64 of `a-z 0-9 - _`, starting with a letter or digit | |
//! | `version` | no | string, SemVer 2.0 | the crate's `CARGO_PKG_VERSION` |
//! | `floe_api_version` | no | `"X.Y"` | [`FLOE_API_VERSION`] |
//! | `description` | no | string | the doc comment's first paragraph |
//! | `dependencies` | no | `["name", "type:name"]` | none |
//! | `config` | no | a `Deserialize + JsonSchema` type | no config |
//! | `crate` | no | path to `floe_registry` if renamed | `::floe_registry` |
//!
//! Every rule is checked at compile time, with the error on the offending token. A
//! plugin that needs a newer plugin API than the `floe-registry` it is built against
//! does not compile.
//!
//! # Config
//!
//! A config type is a struct or enum annotated with [`#[floe_config]`](floe_config),
//! which derives serde's `Deserialize` and schemars' `JsonSchema` through this crate:
//! a plugin crate depends on `floe-registry` alone, with no `serde` or `schemars` of
//! its own. `#[floe_config(serialize)]` also derives `Serialize`, for a config that is
//! written back out; `#[floe_config(crate = path)]` names this crate when it is
//! renamed. Types nested in a config take `#[floe_config]` too. Write it above the
//! item's `#[serde(...)]` and `#[schemars(...)]` attributes, which then work as usual.
//!
//! The config's JSON Schema is what [`PluginRegistry::configure`] validates against,
//! reporting every problem at once with its dotted path; schemars attributes
//! (`range`, `length`, `regex`) and serde's `default` and `deny_unknown_fields` become
//! constraints, and doc comments become descriptions. Secret values use [`Secret`]:
//! never printed, never echoed in an error. A field of type [`ConfigCell`] marked
//! `#[config]` receives the validated config.
//!
//! ```
//! use floe_registry::prelude::*;
//!
//! #[floe_plugin(type = Storage, name = "lake-guide", version = "1.0.0", config = LakeConfig)]
//! #[derive(Default)]
//! pub struct Lake {
//!     #[config]
//!     config: ConfigCell<LakeConfig>,
//! }
//!
//! #[floe_config]
//! #[serde(deny_unknown_fields)]
//! pub struct LakeConfig {
//!     /// Bucket to write to.
//!     bucket: String,
//!     /// How objects are laid out.
//!     #[serde(default)]
//!     layout: Layout,
//! }
//!
//! #[floe_config(serialize)]
//! #[derive(Debug, Default, PartialEq)]
//! #[serde(rename_all = "snake_case")]
//! pub enum Layout {
//!     #[default]
//!     Flat,
//!     Partitioned,
//! }
//!
//! impl StoragePlugin for Lake {
//!     fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError> {
//!         let config = self.config.get()?;
//!         Ok(match config.layout {
//!             Layout::Flat => format!("s3://{}/{namespace}", config.bucket),
//!             Layout::Partitioned => format!("s3://{}/{namespace}/date=*", config.bucket),
//!         })
//!     }
//! }
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! let schema = registry.config_schema(PluginType::Storage, "lake-guide")?.expect("a config");
//! assert_eq!(schema["properties"]["bucket"]["description"], "Bucket to write to.");
//! let bad = registry.configure(PluginType::Storage, "lake-guide", serde_json::json!({"layout": "deep"}));
//! assert!(bad.is_err(), "`bucket` is missing and `deep` is not a layout");
//! registry.configure(PluginType::Storage, "lake-guide", serde_json::json!({"bucket": "b", "layout": "partitioned"}))?;
//! let lake = registry.get_as::<dyn StoragePlugin>("lake-guide")?;
//! assert_eq!(lake.get_warehouse_uri("raw")?, "s3://b/raw/date=*");
//! // `serialize` writes it back out the way it is read.
//! assert_eq!(serde_json::to_value(Layout::Partitioned).ok(), Some(serde_json::json!("partitioned")));
//! # Ok::<(), PluginError>(())
//! ```
//!
//! A crate that already depends on serde and schemars may derive them itself instead,
//! `#[derive(serde::Deserialize, JsonSchema)]`: the registry takes any
//! `Deserialize + JsonSchema` type. Functions for `deserialize_with` or `schema_with`
//! reach both crates as [`floe_registry::serde`](serde) and
//! [`floe_registry::schemars`](schemars).
//!
//! # Linking
//!
//! Registrations are collected at link time. A plugin crate that nothing in the
//! program references is not linked, and its plugins silently vanish; reference it:
//!
//! ```ignore
//! use my_plugin_crate as _; // keeps its plugins in the binary
//! ```
//!
//! [`PluginRegistry::discover_all`] logs a warning when it finds no plugin at all.
//!
//! # Lifecycle
//!
//! `startup()`, `shutdown()` and `health_check()` run on pooled threads, never the
//! caller's, with timeouts (30 s, 30 s, 5 s by default, set once per registry with
//! [`PluginRegistry::with_timeouts`]): a hung hook cannot hang the caller, and a
//! panicking one becomes an error. A hook still running after its deadline is known
//! as running: `startup()` is never run twice at once. See
//! [`PluginRegistry::activate_all`], [`PluginRegistry::shutdown_all`] and
//! [`PluginRegistry::health_check_all`]. Reports of several plugins are keyed by
//! [`PluginId`], and every error that concerns a plugin carries its `PluginId`
//! ([`PluginError::plugin`]).
//!
//! # Plugin sources
//!
//! The registry holds [`Descriptor`]s: linked `'static` ones, which
//! [`PluginRegistry::discover_all`] reads, and owned ones registered at run time
//! ([`PluginDescriptor::runtime`]), whose [`Factory`] may capture data. A
//! [`PluginProvider`] discovers descriptors (the linked slice is one, [`Linked`]);
//! [`PluginRegistry::add_provider`] adds what it finds. Every guarantee above holds for
//! both kinds.

#[doc = include_str!("../../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;

mod config_slot;
mod descriptor;
mod error;
mod error_chain;
mod health;
mod info;
mod instance;
mod metadata;
mod plugin_type;
mod registry;
mod secret;
mod types;

#[doc(hidden)]
#[path = "private.rs"]
pub mod __private;
pub(crate) use __private as private;

pub use descriptor::{
    AnyConfig, ConfigCheck, ConfigCheckError, ConfigSpec, Constructor, Dependencies, Descriptor,
    Factory, PluginConfig, PluginDescriptor, PluginSource, Text,
};
pub use error::{BoxError, ConfigErrorKind, ConfigFieldError, Hook, HookFailure, PluginError};
pub use error_chain::ErrorChain;
pub use floe_interfaces::{
    FieldError, ModelErrors, Validate, alert, fnmatch, from_value, network, python, quality, rbac,
    secret_scan, sink,
};
pub use floe_registry_macros::{floe_config, floe_plugin};
pub use floe_registry_rules::{
    ApiVersion, ApiVersionError, NameError, SemverError, check_name, check_semver,
};
pub use floe_registry_rules::{DependencyError, UnknownPluginType, for_each_plugin_type};
pub use health::{HealthState, HealthStatus};
pub use info::PluginInfo;
pub use instance::{PluginInstance, PluginKind};
pub use metadata::{ConfigCell, FloePlugin, PluginMetadata};
pub use plugin_type::PluginType;
pub use registry::{
    ActivationReport, ConfigCoercion, DEFAULT_HEALTH_TIMEOUT, DEFAULT_LIFECYCLE_TIMEOUT,
    HealthReport, Linked, PluginId, PluginProvider, PluginRegistry, REJECTED_BY, ShutdownReport,
    Timeouts, UnportableField, parse_dependency,
};
pub use secret::{REDACTED, Secret};
pub use types::*;

pub use schemars;
pub use serde;
pub use serde_json;
pub use uuid;

/// The plugin API version this registry implements: `"1.0"`.
pub const FLOE_API_VERSION: &str = crate::__floe_api_version!();

/// [`FLOE_API_VERSION`] as numbers.
pub const PLATFORM_API_VERSION: ApiVersion = ApiVersion::parse_const(FLOE_API_VERSION);

/// Everything a plugin crate needs: `use floe_registry::prelude::*;`.
pub mod prelude {
    pub use crate::types::*;
    pub use crate::{
        ConfigCell, FloePlugin, HealthState, HealthStatus, PluginError, PluginMetadata,
        PluginRegistry, PluginType, Secret, floe_config, floe_plugin,
    };
    pub use schemars::JsonSchema;
}
