//! What the registry knows about a plugin before loading it.

use std::any::Any;
use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::{PluginInstance, PluginType};

/// Where a registration comes from: the crate and the Rust path of the plugin type.
/// Named on both sides of a duplicate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct PluginSource {
    /// The Cargo package that registered the plugin (`CARGO_PKG_NAME`).
    pub crate_name: &'static str,
    /// The module path of the registration (`module_path!()`).
    pub module_path: &'static str,
    /// The name of the plugin's Rust type.
    pub type_name: &'static str,
}

impl fmt::Display for PluginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "crate `{}` ({}::{})",
            self.crate_name, self.module_path, self.type_name
        )
    }
}

/// A typed configuration value, shared between the registry and the plugin.
pub type AnyConfig = Arc<dyn Any + Send + Sync>;

/// How to handle one plugin's configuration type: derive its schema and turn a
/// validated JSON value into the typed value. Built by [`ConfigSpec::of`].
#[derive(Clone, Copy)]
pub struct ConfigSpec {
    /// The Rust name of the config type.
    pub type_name: fn() -> &'static str,
    /// Its JSON Schema (draft 2020-12), derived by schemars.
    pub schema: fn() -> serde_json::Value,
    /// Deserializes a value that passed the schema into the typed config.
    /// It borrows the value, which the registry keeps (redacted) for `config_json`.
    pub deserialize: fn(&serde_json::Value) -> Result<AnyConfig, crate::ConfigFieldError>,
}

impl fmt::Debug for ConfigSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigSpec")
            .field("type_name", &(self.type_name)())
            .finish_non_exhaustive()
    }
}

/// What a config type must implement: serde's `Deserialize` (to read it) and
/// schemars' `JsonSchema` (to validate it and show it), shareable across threads.
///
/// Implemented for every such type; you never implement it by hand.
#[diagnostic::on_unimplemented(
    message = "`{Self}` cannot be a floe plugin config",
    label = "a config type must implement `serde::Deserialize` and `schemars::JsonSchema`",
    note = "annotate `{Self}` with `#[floe_config]` (in `floe_registry::prelude`), which derives both; a crate that depends on serde and schemars may write `#[derive(serde::Deserialize, JsonSchema)]` instead"
)]
pub trait PluginConfig:
    serde::de::DeserializeOwned + schemars::JsonSchema + Send + Sync + 'static
{
}

impl<T> PluginConfig for T where
    T: serde::de::DeserializeOwned + schemars::JsonSchema + Send + Sync + 'static
{
}

fn type_name_of<T>() -> &'static str {
    std::any::type_name::<T>()
}

fn schema_of<T: PluginConfig>() -> serde_json::Value {
    schemars::SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value()
}

fn deserialize_as<T: PluginConfig>(
    value: &serde_json::Value,
) -> Result<AnyConfig, crate::ConfigFieldError> {
    crate::registry::deserialize_typed::<T>(value)
}

impl ConfigSpec {
    /// The spec of config type `T`.
    ///
    /// ```
    /// use floe_registry::ConfigSpec;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct Conf { threads: u8 }
    ///
    /// const SPEC: ConfigSpec = ConfigSpec::of::<Conf>();
    /// assert_eq!((SPEC.schema)()["properties"]["threads"]["type"], "integer");
    /// ```
    pub const fn of<T: PluginConfig>() -> Self {
        ConfigSpec {
            type_name: type_name_of::<T>,
            schema: schema_of::<T>,
            deserialize: deserialize_as::<T>,
        }
    }
}

/// Everything the registry needs to know about a plugin without loading it: its
/// identity, metadata, where it comes from, how to build it and its config type.
///
/// `#[floe_plugin]` writes one for you. To register a plugin by hand, build one in a
/// `static` with the `const` builder and pass it to
/// [`PluginRegistry::register`](crate::PluginRegistry::register):
///
/// ```
/// use floe_registry::prelude::*;
/// use floe_registry::{PluginDescriptor, PluginInstance, plugin_source};
///
/// #[derive(Default)]
/// struct Quiet;
/// impl PluginMetadata for Quiet {
///     fn descriptor(&self) -> &'static PluginDescriptor { &QUIET }
/// }
/// impl TelemetryBackendPlugin for Quiet {}
///
/// static QUIET: PluginDescriptor = PluginDescriptor::new(
///     PluginType::TelemetryBackend,
///     "quiet",
///     "1.0.0",
///     plugin_source!(Quiet),
///     || PluginInstance::telemetry_backend(Quiet),
/// )
/// .with_description("Drops all telemetry");
///
/// let registry = PluginRegistry::new();
/// registry.register(&QUIET).unwrap();
/// assert_eq!(registry.info(PluginType::TelemetryBackend, "quiet").unwrap().description, "Drops all telemetry");
/// ```
// `repr(C)`: the type and the name, which discovery reads from every descriptor, in
// the first 24 bytes (left to itself, the compiler put the type 160 bytes after the
// name, so discovery read two cache lines a descriptor; BENCHMARKS.md).
#[derive(Debug)]
#[repr(C)]
pub struct PluginDescriptor {
    /// The plugin's type.
    pub plugin_type: PluginType,
    /// Its name, unique within its type.
    pub name: &'static str,
    /// Its SemVer version.
    pub version: &'static str,
    /// The plugin API version it needs (`X.Y`).
    pub floe_api_version: &'static str,
    /// A one-paragraph description.
    pub description: &'static str,
    /// Plugins it needs started first: `"name"` or `"type:name"`.
    pub dependencies: &'static [&'static str],
    /// Where it comes from.
    pub source: PluginSource,
    /// Builds the plugin; called at most once per registry, on first use.
    pub constructor: fn() -> PluginInstance,
    /// Its config type, if it takes configuration.
    pub config: Option<ConfigSpec>,
}

impl PluginDescriptor {
    /// A descriptor with no description, no dependencies, no config and the
    /// platform's API version.
    pub const fn new(
        plugin_type: PluginType,
        name: &'static str,
        version: &'static str,
        source: PluginSource,
        constructor: fn() -> PluginInstance,
    ) -> Self {
        PluginDescriptor {
            plugin_type,
            name,
            version,
            floe_api_version: crate::FLOE_API_VERSION,
            description: "",
            dependencies: &[],
            source,
            constructor,
            config: None,
        }
    }

    /// Sets the description.
    pub const fn with_description(mut self, description: &'static str) -> Self {
        self.description = description;
        self
    }

    /// Sets the dependencies.
    pub const fn with_dependencies(mut self, dependencies: &'static [&'static str]) -> Self {
        self.dependencies = dependencies;
        self
    }

    /// Sets the plugin API version the plugin needs.
    pub const fn with_api_version(mut self, floe_api_version: &'static str) -> Self {
        self.floe_api_version = floe_api_version;
        self
    }

    /// Sets the config type.
    pub const fn with_config<T: PluginConfig>(mut self) -> Self {
        self.config = Some(ConfigSpec::of::<T>());
        self
    }
}

/// A [`PluginSource`] for a type named at the call site: this crate, this module.
///
/// ```
/// struct MyPlugin;
/// let source = floe_registry::plugin_source!(MyPlugin);
/// assert_eq!(source.type_name, "MyPlugin");
/// assert_eq!(source.crate_name, "floe-registry");
/// ```
#[macro_export]
macro_rules! plugin_source {
    ($ty:ident) => {
        $crate::PluginSource {
            crate_name: ::core::env!("CARGO_PKG_NAME"),
            module_path: ::core::module_path!(),
            type_name: ::core::stringify!($ty),
        }
    };
}
