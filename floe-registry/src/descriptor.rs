//! What the registry knows about a plugin before loading it: [`PluginDescriptor`], and
//! [`Descriptor`], the form the registry keeps it in (a linked static or an owned
//! value registered at run time).

use std::any::Any;
use std::borrow::Cow;
use std::fmt;
use std::ops::Deref;
use std::sync::Arc;

use serde::Serialize;
use serde_json::Value;

use crate::{ConfigFieldError, PluginError, PluginId, PluginInstance, PluginType};

/// A text of a descriptor: borrowed from the program (`'static`, what `#[floe_plugin]`
/// writes) or owned (a plugin registered at run time). Reads as a `&str`.
pub type Text = Cow<'static, str>;

/// Where a registration comes from. Named on both sides of a duplicate.
///
/// ```
/// use floe_registry::PluginSource;
///
/// struct MyPlugin;
/// let linked = floe_registry::plugin_source!(MyPlugin);
/// assert!(linked.to_string().starts_with("crate `floe-registry` ("));
///
/// let python = PluginSource::provided("python", "floe-catalog-glue 0.1.0a1", "floe_catalog_glue:GlueCatalogPlugin");
/// assert_eq!(python.to_string(), "python package `floe-catalog-glue 0.1.0a1` (floe_catalog_glue:GlueCatalogPlugin)");
/// assert_eq!(python.package(), "floe-catalog-glue 0.1.0a1");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[non_exhaustive]
pub enum PluginSource {
    /// Linked into the program (`#[floe_plugin]`, or a descriptor written by hand).
    Linked {
        /// The Cargo package that registered the plugin (`CARGO_PKG_NAME`).
        crate_name: &'static str,
        /// The module path of the registration (`module_path!()`).
        module_path: &'static str,
        /// The name of the plugin's Rust type.
        type_name: &'static str,
    },
    /// Registered at run time by a [`PluginProvider`](crate::PluginProvider).
    Provided {
        /// The kind of provider (`python`, ...).
        provider: Text,
        /// The package that holds the plugin, with its version.
        package: String,
        /// Where in the package (an entry point, a path).
        entry: String,
    },
}

impl PluginSource {
    /// A linked source; what [`plugin_source!`](crate::plugin_source) writes.
    pub const fn linked(
        crate_name: &'static str,
        module_path: &'static str,
        type_name: &'static str,
    ) -> Self {
        PluginSource::Linked {
            crate_name,
            module_path,
            type_name,
        }
    }

    /// A source of a plugin registered at run time by the provider `provider`.
    pub fn provided(
        provider: impl Into<Text>,
        package: impl Into<String>,
        entry: impl Into<String>,
    ) -> Self {
        PluginSource::Provided {
            provider: provider.into(),
            package: package.into(),
            entry: entry.into(),
        }
    }

    /// The package the plugin comes from: the crate of a linked plugin, the package
    /// (with its version) of a provided one.
    pub fn package(&self) -> &str {
        match self {
            PluginSource::Linked { crate_name, .. } => crate_name,
            PluginSource::Provided { package, .. } => package,
        }
    }

    /// Whether the plugin is linked into the program.
    pub fn is_linked(&self) -> bool {
        matches!(self, PluginSource::Linked { .. })
    }
}

impl fmt::Display for PluginSource {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PluginSource::Linked {
                crate_name,
                module_path,
                type_name,
            } => write!(f, "crate `{crate_name}` ({module_path}::{type_name})"),
            PluginSource::Provided {
                provider,
                package,
                entry,
            } => write!(f, "{provider} package `{package}` ({entry})"),
        }
    }
}

/// A typed configuration value, shared between the registry and the plugin.
pub type AnyConfig = Arc<dyn Any + Send + Sync>;

/// How to handle one plugin's configuration: its JSON Schema, and what the plugin
/// receives once a config passed it.
///
/// Two kinds: [`ConfigSpec::of`] a Rust type (schema derived by schemars, the validated
/// value deserialized into the type), and [`ConfigSpec::json`], a schema brought at run
/// time (the plugin receives the validated JSON as a [`serde_json::Value`]).
#[derive(Clone)]
pub struct ConfigSpec(Spec);

#[derive(Clone)]
enum Spec {
    Typed {
        type_name: fn() -> &'static str,
        schema: fn() -> Value,
        deserialize: fn(&Value) -> Result<AnyConfig, ConfigFieldError>,
    },
    Json {
        schema: Arc<Value>,
        check: Option<ConfigCheck>,
    },
}

/// A plugin's own validation of its config, for a plugin registered at run time whose
/// rules live outside the schema (a Python plugin's pydantic model): given the config,
/// every problem found, or the value the plugin accepts (coerced as its rules coerce).
/// See [`ConfigSpec::with_check`].
pub type ConfigCheck = Arc<dyn Fn(&Value) -> Result<Value, ConfigCheckError> + Send + Sync>;

/// Why a [`ConfigCheck`] did not accept a config.
#[derive(Debug)]
pub enum ConfigCheckError {
    /// The config breaks the plugin's rules: every problem, each with its field path.
    Invalid(Vec<ConfigFieldError>),
    /// The check itself could not run (a worker that did not answer); the message says
    /// why.
    Failed(PluginError),
}

impl fmt::Debug for ConfigSpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ConfigSpec")
            .field("type_name", &self.type_name())
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

fn schema_of<T: PluginConfig>() -> Value {
    schemars::SchemaGenerator::default()
        .into_root_schema_for::<T>()
        .to_value()
}

fn deserialize_as<T: PluginConfig>(value: &Value) -> Result<AnyConfig, ConfigFieldError> {
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
    /// assert_eq!(SPEC.schema()["properties"]["threads"]["type"], "integer");
    /// assert!(SPEC.type_name().ends_with("Conf"));
    /// ```
    pub const fn of<T: PluginConfig>() -> Self {
        ConfigSpec(Spec::Typed {
            type_name: type_name_of::<T>,
            schema: schema_of::<T>,
            deserialize: deserialize_as::<T>,
        })
    }

    /// A config described by a JSON Schema (draft 2020-12) known only at run time: a
    /// config that passes it reaches the plugin as the validated
    /// [`serde_json::Value`] (read it with a `ConfigCell<serde_json::Value>`).
    /// Properties marked `"writeOnly": true` are secrets, redacted as
    /// [`Secret`](crate::Secret)'s are.
    ///
    /// ```
    /// use floe_registry::ConfigSpec;
    /// use serde_json::json;
    ///
    /// let spec = ConfigSpec::json(json!({"type": "object", "properties": {"uri": {"type": "string"}}}));
    /// assert_eq!(spec.type_name(), std::any::type_name::<serde_json::Value>());
    /// assert_eq!(spec.schema()["properties"]["uri"]["type"], "string");
    /// ```
    pub fn json(schema: Value) -> Self {
        ConfigSpec(Spec::Json {
            schema: Arc::new(schema),
            check: None,
        })
    }

    /// A [`json`](Self::json) config judged by the plugin's own `check` instead of the
    /// schema (on a typed spec, [`of`](Self::of), it has no effect): the schema still describes the config (to tools, editors and for
    /// redaction), but what `check` accepts is accepted, and the plugin receives the
    /// value `check` returns. For plugins whose rules are code (a Python plugin's
    /// pydantic model, with its lax coercions).
    ///
    /// ```
    /// use std::sync::Arc;
    /// use floe_registry::{ConfigCheckError, ConfigErrorKind, ConfigFieldError, ConfigSpec};
    /// use serde_json::{json, Value};
    ///
    /// let spec = ConfigSpec::json(json!({"type": "object"})).with_check(Arc::new(|config: &Value| {
    ///     match config.get("port") {
    ///         Some(Value::String(s)) => Ok(json!({"port": s.parse::<u16>().unwrap_or(0)})),
    ///         _ => Err(ConfigCheckError::Invalid(vec![ConfigFieldError {
    ///             field: "port".into(),
    ///             message: "Field required".into(),
    ///             kind: ConfigErrorKind::Missing,
    ///         }])),
    ///     }
    /// }));
    /// assert!(spec.has_check());
    /// ```
    pub fn with_check(self, check: ConfigCheck) -> Self {
        match self.0 {
            Spec::Json { schema, .. } => ConfigSpec(Spec::Json {
                schema,
                check: Some(check),
            }),
            typed => ConfigSpec(typed),
        }
    }

    /// Whether the plugin judges its config itself ([`with_check`](Self::with_check)).
    pub fn has_check(&self) -> bool {
        matches!(self.0, Spec::Json { check: Some(_), .. })
    }

    /// The plugin's own check, if it has one.
    pub(crate) fn check(&self) -> Option<&ConfigCheck> {
        match &self.0 {
            Spec::Json { check, .. } => check.as_ref(),
            Spec::Typed { .. } => None,
        }
    }

    /// The Rust name of the type the plugin receives.
    pub fn type_name(&self) -> &'static str {
        match &self.0 {
            Spec::Typed { type_name, .. } => type_name(),
            Spec::Json { .. } => std::any::type_name::<Value>(),
        }
    }

    /// The config's JSON Schema (draft 2020-12).
    pub fn schema(&self) -> Value {
        match &self.0 {
            Spec::Typed { schema, .. } => schema(),
            Spec::Json { schema, .. } => Value::clone(schema),
        }
    }

    /// The value the plugin receives for `value`, which passed the schema.
    pub(crate) fn deserialize(&self, value: &Value) -> Result<AnyConfig, ConfigFieldError> {
        match &self.0 {
            Spec::Typed { deserialize, .. } => deserialize(value),
            Spec::Json { .. } => Ok(Arc::new(value.clone())),
        }
    }
}

/// A plugin's declared dependencies, `"name"` or `"type:name"`: written in the program
/// or built at run time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Dependencies {
    /// Written in the program (what `#[floe_plugin]` writes).
    Static(&'static [&'static str]),
    /// Built at run time.
    Owned(Vec<String>),
}

impl Dependencies {
    /// Each dependency, in declaration order.
    ///
    /// ```
    /// use floe_registry::Dependencies;
    /// let deps = Dependencies::Owned(vec!["storage:s3".into()]);
    /// assert_eq!(deps.iter().collect::<Vec<_>>(), ["storage:s3"]);
    /// ```
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &str> + '_ {
        let (statics, owned): (&[&str], &[String]) = match self {
            Dependencies::Static(s) => (s, &[]),
            Dependencies::Owned(o) => (&[], o),
        };
        DepIter { statics, owned }
    }

    /// How many there are.
    pub fn len(&self) -> usize {
        self.iter().len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// [`Dependencies::iter`]: one of the two slices is empty.
struct DepIter<'a> {
    statics: &'a [&'static str],
    owned: &'a [String],
}

impl<'a> Iterator for DepIter<'a> {
    type Item = &'a str;

    fn next(&mut self) -> Option<&'a str> {
        if let Some((first, rest)) = self.statics.split_first() {
            self.statics = rest;
            return Some(first);
        }
        let (first, rest) = self.owned.split_first()?;
        self.owned = rest;
        Some(first)
    }

    fn size_hint(&self) -> (usize, Option<usize>) {
        let n = self.statics.len() + self.owned.len();
        (n, Some(n))
    }
}

impl ExactSizeIterator for DepIter<'_> {}

impl Serialize for Dependencies {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

/// A factory of a plugin registered at run time: builds the plugin on first use, with
/// whatever data it captured. It is given the plugin's descriptor, so that the plugin
/// it builds can keep a copy to report from
/// [`PluginMetadata::descriptor`](crate::PluginMetadata::descriptor).
pub type Factory =
    Arc<dyn Fn(&PluginDescriptor) -> Result<PluginInstance, PluginError> + Send + Sync>;

/// How a plugin is built: a plain function (linked plugins) or a factory that carries
/// its own data (plugins registered at run time).
#[derive(Clone)]
pub enum Constructor {
    /// A function of the program; `#[floe_plugin]` writes one that calls `Default`.
    Fn(fn() -> PluginInstance),
    /// A factory with data of its own; its error is the plugin's load error.
    Factory(Factory),
}

impl fmt::Debug for Constructor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Constructor::Fn(_) => "Constructor::Fn",
            Constructor::Factory(_) => "Constructor::Factory",
        })
    }
}

impl Constructor {
    /// Builds the plugin of `descriptor`.
    pub(crate) fn build(
        &self,
        descriptor: &PluginDescriptor,
    ) -> Result<PluginInstance, PluginError> {
        match self {
            Constructor::Fn(f) => Ok(f()),
            Constructor::Factory(f) => f(descriptor),
        }
    }
}

/// Everything the registry needs to know about a plugin without loading it: its
/// identity, metadata, where it comes from, how to build it and its config.
///
/// `#[floe_plugin]` writes one for you, in a `static`. To register a plugin by hand,
/// build one with the `const` builder and pass it to
/// [`PluginRegistry::register`](crate::PluginRegistry::register):
///
/// ```
/// use floe_registry::prelude::*;
/// use floe_registry::{PluginDescriptor, PluginInstance, plugin_source};
///
/// #[derive(Default)]
/// struct Quiet;
/// impl PluginMetadata for Quiet {
///     fn descriptor(&self) -> &PluginDescriptor { &QUIET }
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
///
/// A plugin known only at run time (discovered in a Python environment, say) owns its
/// texts and builds its instance with a [`Factory`] that captures what it needs; see
/// [`PluginDescriptor::runtime`].
#[derive(Debug, Clone)]
#[non_exhaustive]
pub struct PluginDescriptor {
    /// The plugin's type.
    pub plugin_type: PluginType,
    /// Its name, unique within its type.
    pub name: Text,
    /// Its SemVer version.
    pub version: Text,
    /// The plugin API version it needs (`X.Y`).
    pub floe_api_version: Text,
    /// A one-paragraph description.
    pub description: Text,
    /// Plugins it needs started first: `"name"` or `"type:name"`.
    pub dependencies: Dependencies,
    /// Where it comes from.
    pub source: PluginSource,
    /// Builds the plugin; called at most once per registry, on first use.
    pub constructor: Constructor,
    /// Its config, if it takes configuration.
    pub config: Option<ConfigSpec>,
}

/// Replaces `*slot` with `value` in a `const fn`, where the old value may not be
/// dropped: it is forgotten. On a descriptor from [`PluginDescriptor::new`] every
/// value replaced is a `'static` borrow or `None`; on a run-time one, use the
/// `with_owned_*` and `with_config_spec` builders, which drop what they replace.
const fn set<T>(slot: &mut T, value: T) {
    std::mem::forget(std::mem::replace(slot, value));
}

impl PluginDescriptor {
    /// A descriptor of a linked plugin with no description, no dependencies, no config
    /// and the platform's API version.
    pub const fn new(
        plugin_type: PluginType,
        name: &'static str,
        version: &'static str,
        source: PluginSource,
        constructor: fn() -> PluginInstance,
    ) -> Self {
        linked_descriptor(
            plugin_type,
            name,
            version,
            crate::FLOE_API_VERSION,
            "",
            &[],
            source,
            constructor,
            None,
        )
    }

    /// A descriptor of a plugin registered at run time: owned texts, and a factory that
    /// may capture data. No description, dependencies or config until set with the
    /// `with_*` builders; the platform's API version.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use floe_registry::{ConfigSpec, PluginDescriptor, PluginInstance, PluginSource};
    ///
    /// struct Remote { descriptor: PluginDescriptor, endpoint: String }
    /// impl PluginMetadata for Remote {
    ///     fn descriptor(&self) -> &PluginDescriptor { &self.descriptor }
    /// }
    /// impl CatalogPlugin for Remote {}
    ///
    /// let endpoint = String::from("http://127.0.0.1:9");
    /// let descriptor = PluginDescriptor::runtime(
    ///     PluginType::Catalog,
    ///     "remote",
    ///     "0.3.0",
    ///     PluginSource::provided("example", "remote-catalog 0.3.0", "remote:Catalog"),
    ///     move |descriptor| {
    ///         let remote = Remote { descriptor: descriptor.clone(), endpoint: endpoint.clone() };
    ///         Ok(PluginInstance::catalog(remote))
    ///     },
    /// )
    /// .with_config_spec(ConfigSpec::json(serde_json::json!({"type": "object"})));
    ///
    /// let registry = PluginRegistry::new();
    /// registry.register(&descriptor)?;
    /// assert_eq!(registry.get_as::<dyn CatalogPlugin>("remote")?.version(), "0.3.0");
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn runtime(
        plugin_type: PluginType,
        name: impl Into<Text>,
        version: impl Into<Text>,
        source: PluginSource,
        factory: impl Fn(&PluginDescriptor) -> Result<PluginInstance, PluginError>
        + Send
        + Sync
        + 'static,
    ) -> Self {
        PluginDescriptor {
            plugin_type,
            name: name.into(),
            version: version.into(),
            floe_api_version: Cow::Borrowed(crate::FLOE_API_VERSION),
            description: Cow::Borrowed(""),
            dependencies: Dependencies::Static(&[]),
            source,
            constructor: Constructor::Factory(Arc::new(factory)),
            config: None,
        }
    }

    /// The plugin's identity.
    pub fn id(&self) -> PluginId {
        PluginId::new(self.plugin_type, &*self.name)
    }

    /// Sets the description.
    pub const fn with_description(mut self, description: &'static str) -> Self {
        set(&mut self.description, Cow::Borrowed(description));
        self
    }

    /// Sets the dependencies.
    pub const fn with_dependencies(mut self, dependencies: &'static [&'static str]) -> Self {
        set(&mut self.dependencies, Dependencies::Static(dependencies));
        self
    }

    /// Sets the plugin API version the plugin needs.
    pub const fn with_api_version(mut self, floe_api_version: &'static str) -> Self {
        set(&mut self.floe_api_version, Cow::Borrowed(floe_api_version));
        self
    }

    /// Sets the config type.
    pub const fn with_config<T: PluginConfig>(mut self) -> Self {
        set(&mut self.config, Some(ConfigSpec::of::<T>()));
        self
    }

    /// Sets the config spec (a run-time one, [`ConfigSpec::json`], or none).
    pub fn with_config_spec(mut self, config: impl Into<Option<ConfigSpec>>) -> Self {
        self.config = config.into();
        self
    }

    /// Sets the description, owned.
    pub fn with_owned_description(mut self, description: impl Into<Text>) -> Self {
        self.description = description.into();
        self
    }

    /// Sets the dependencies, owned.
    pub fn with_owned_dependencies(mut self, dependencies: Vec<String>) -> Self {
        self.dependencies = Dependencies::Owned(dependencies);
        self
    }

    /// Sets the plugin API version the plugin needs, owned.
    pub fn with_owned_api_version(mut self, floe_api_version: impl Into<Text>) -> Self {
        self.floe_api_version = floe_api_version.into();
        self
    }
}

/// The descriptor of a linked plugin, every field given: what `#[floe_plugin]` writes
/// (a `const fn`, so that it builds a `static`). Not public API: reached through
/// `__private`.
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub const fn linked_descriptor(
    plugin_type: PluginType,
    name: &'static str,
    version: &'static str,
    floe_api_version: &'static str,
    description: &'static str,
    dependencies: &'static [&'static str],
    source: PluginSource,
    constructor: fn() -> PluginInstance,
    config: Option<ConfigSpec>,
) -> PluginDescriptor {
    PluginDescriptor {
        plugin_type,
        name: Cow::Borrowed(name),
        version: Cow::Borrowed(version),
        floe_api_version: Cow::Borrowed(floe_api_version),
        description: Cow::Borrowed(description),
        dependencies: Dependencies::Static(dependencies),
        source,
        constructor: Constructor::Fn(constructor),
        config,
    }
}

/// A descriptor as the registry keeps it: a linked `'static` one, borrowed, or one
/// registered at run time, owned and shared. Reads as a [`PluginDescriptor`].
///
/// ```
/// use floe_registry::{Descriptor, PluginType};
///
/// fn describe(descriptor: &Descriptor) -> String {
///     format!("{} {}", descriptor.name, descriptor.version)
/// }
/// # let _ = describe;
/// ```
#[derive(Debug, Clone)]
pub enum Descriptor {
    /// A linked descriptor, borrowed.
    Static(&'static PluginDescriptor),
    /// A descriptor registered at run time.
    Owned(Arc<PluginDescriptor>),
}

impl Deref for Descriptor {
    type Target = PluginDescriptor;

    fn deref(&self) -> &PluginDescriptor {
        match self {
            Descriptor::Static(d) => d,
            Descriptor::Owned(d) => d,
        }
    }
}

impl From<&'static PluginDescriptor> for Descriptor {
    fn from(descriptor: &'static PluginDescriptor) -> Self {
        Descriptor::Static(descriptor)
    }
}

impl From<PluginDescriptor> for Descriptor {
    fn from(descriptor: PluginDescriptor) -> Self {
        Descriptor::Owned(Arc::new(descriptor))
    }
}

impl From<Arc<PluginDescriptor>> for Descriptor {
    fn from(descriptor: Arc<PluginDescriptor>) -> Self {
        Descriptor::Owned(descriptor)
    }
}

/// A [`PluginSource`] for a type named at the call site: this crate, this module.
///
/// ```
/// use floe_registry::PluginSource;
/// struct MyPlugin;
/// let source = floe_registry::plugin_source!(MyPlugin);
/// assert!(matches!(source, PluginSource::Linked { type_name: "MyPlugin", crate_name: "floe-registry", .. }));
/// ```
#[macro_export]
macro_rules! plugin_source {
    ($ty:ident) => {
        $crate::PluginSource::linked(
            ::core::env!("CARGO_PKG_NAME"),
            ::core::module_path!(),
            ::core::stringify!($ty),
        )
    };
}
