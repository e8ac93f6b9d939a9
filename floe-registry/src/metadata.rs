//! The metadata every plugin carries, and the config cell plugins read their config from.

use std::any::Any;
use std::sync::Arc;

use arc_swap::ArcSwapOption;

use crate::{AnyConfig, PluginDescriptor, PluginError, PluginType};

/// What every plugin of every type has: its descriptor. The supertrait of the type
/// traits. `#[floe_plugin]` implements it; by hand, return a `static` descriptor.
///
/// ```
/// use floe_registry::prelude::*;
///
/// /// Prints spans to stdout.
/// #[floe_plugin(type = TelemetryBackend, name = "stdout", version = "1.0.0")]
/// #[derive(Default)]
/// struct Stdout;
/// impl TelemetryBackendPlugin for Stdout {}
///
/// assert_eq!(Stdout.name(), "stdout");
/// assert_eq!(Stdout.description(), "Prints spans to stdout.");
/// ```
pub trait PluginMetadata: Any + Send + Sync {
    /// The plugin's static descriptor.
    fn descriptor(&self) -> &'static PluginDescriptor;

    /// Receives the validated config after `configure` (and again after each later
    /// `configure`). The attribute implements it when a field is marked `#[config]`;
    /// by hand, hand the value to a [`ConfigCell`] with [`ConfigCell::accept`].
    fn accept_config(&self, config: &AnyConfig) -> Result<(), PluginError> {
        let _ = config;
        Ok(())
    }

    /// The plugin's name.
    fn name(&self) -> &'static str {
        self.descriptor().name
    }

    /// The plugin's SemVer version.
    fn version(&self) -> &'static str {
        self.descriptor().version
    }

    /// The plugin API version it needs.
    fn floe_api_version(&self) -> &'static str {
        self.descriptor().floe_api_version
    }

    /// Its description.
    fn description(&self) -> &'static str {
        self.descriptor().description
    }

    /// Its dependencies (`"name"` or `"type:name"`).
    fn dependencies(&self) -> &'static [&'static str] {
        self.descriptor().dependencies
    }

    /// Its type.
    fn plugin_type(&self) -> PluginType {
        self.descriptor().plugin_type
    }
}

/// Where a plugin keeps its typed configuration. Empty until the registry configures
/// the plugin; then [`get`](ConfigCell::get) returns the config, with no downcasting
/// in plugin code.
///
/// Mark the field `#[config]` and `#[floe_plugin]` fills it:
///
/// ```
/// use floe_registry::prelude::*;
///
/// #[floe_config]
/// struct Conf { bucket: String }
///
/// #[floe_plugin(type = Storage, name = "mem", version = "0.1.0", config = Conf)]
/// #[derive(Default)]
/// struct Mem {
///     #[config]
///     config: ConfigCell<Conf>,
/// }
/// impl StoragePlugin for Mem {
///     fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError> {
///         Ok(format!("mem://{}/{namespace}", self.config.get()?.bucket))
///     }
/// }
///
/// let registry = PluginRegistry::new();
/// registry.discover_all();
/// registry.configure(PluginType::Storage, "mem", serde_json::json!({"bucket": "b"})).unwrap();
/// let mem = registry.get_as::<dyn StoragePlugin>("mem").unwrap();
/// assert_eq!(mem.get_warehouse_uri("raw").unwrap(), "mem://b/raw");
/// ```
pub struct ConfigCell<T> {
    value: ArcSwapOption<T>,
}

impl<T> Default for ConfigCell<T> {
    fn default() -> Self {
        Self {
            value: ArcSwapOption::empty(),
        }
    }
}

impl<T: Send + Sync + 'static> std::fmt::Debug for ConfigCell<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The config may hold secrets, and Debug of T might show them: never print it.
        f.debug_struct("ConfigCell")
            .field("configured", &self.is_set())
            .finish()
    }
}

impl<T: Send + Sync + 'static> ConfigCell<T> {
    /// An empty cell.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cell already holding `value` (for tests and hand-built plugins).
    pub fn with_value(value: T) -> Self {
        Self {
            value: ArcSwapOption::from_pointee(value),
        }
    }

    /// The current config, or an error saying the plugin is not configured yet.
    pub fn get(&self) -> Result<Arc<T>, PluginError> {
        self.value.load_full().ok_or_else(|| {
            PluginError::failed(format!(
                "plugin not configured: call `PluginRegistry::configure` with its `{}` before using it",
                short_type_name::<T>()
            ))
        })
    }

    /// The current config, or the registry's "not configured" error naming `plugin`.
    pub fn require(&self, plugin: &str) -> Result<Arc<T>, PluginError> {
        self.value
            .load_full()
            .ok_or_else(|| PluginError::not_configured(plugin))
    }

    /// Whether a config has been set.
    pub fn is_set(&self) -> bool {
        self.value.load().is_some()
    }

    /// Replaces the config.
    pub fn set(&self, value: Arc<T>) {
        self.value.store(Some(value));
    }

    /// Takes a config from the registry. Fails only if the registry's config is not a
    /// `T`, which means the plugin declared a different config type than this cell's.
    pub fn accept(&self, config: &AnyConfig) -> Result<(), PluginError> {
        let typed = Arc::clone(config).downcast::<T>().map_err(|_| {
            PluginError::failed(format!(
                "the registry's config is not a `{}`: the plugin's `config = ...` and its `ConfigCell` type differ",
                std::any::type_name::<T>()
            ))
        })?;
        self.set(typed);
        Ok(())
    }
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}
