//! The metadata every plugin carries, and the config cell plugins read their config from.

use std::any::Any;
use std::marker::PhantomData;
use std::sync::Arc;

use arc_swap::ArcSwapOption;

use crate::config_slot::ConfigSlot;
use crate::{AnyConfig, PluginDescriptor, PluginError, PluginId, PluginType};

/// What every plugin of every type has: its descriptor. The supertrait of the type
/// traits. `#[floe_plugin]` implements it; by hand, return a `static` descriptor (or,
/// for a plugin registered at run time, the plugin's own copy).
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
    /// The plugin's descriptor: a `static` for a linked plugin, its own copy for one
    /// registered at run time.
    fn descriptor(&self) -> &PluginDescriptor;

    /// Receives, once, when the registry loads the plugin, a handle to the plugin's
    /// config as the registry stores it: pass it to a [`ConfigCell`] with
    /// [`ConfigCell::accept`], and the cell shows the config configured now or later.
    /// The attribute implements it when a field is marked `#[config]`.
    fn accept_config(&self, config: &AnyConfig) -> Result<(), PluginError> {
        let _ = config;
        Ok(())
    }

    /// The plugin's identity: its type and name.
    fn id(&self) -> PluginId {
        self.descriptor().id()
    }

    /// The plugin's name.
    fn name(&self) -> &str {
        &self.descriptor().name
    }

    /// The plugin's SemVer version.
    fn version(&self) -> &str {
        &self.descriptor().version
    }

    /// The plugin API version it needs.
    fn floe_api_version(&self) -> &str {
        &self.descriptor().floe_api_version
    }

    /// Its description.
    fn description(&self) -> &str {
        &self.descriptor().description
    }

    /// Its dependencies (`"name"` or `"type:name"`).
    fn dependencies(&self) -> Vec<&str> {
        self.descriptor().dependencies.iter().collect()
    }

    /// Its type.
    fn plugin_type(&self) -> PluginType {
        self.descriptor().plugin_type
    }
}

/// A plugin type that knows its descriptor without being built:
/// `<MyPlugin as FloePlugin>::DESCRIPTOR`, for tests and tools, and for
/// [`PluginRegistry::register_plugin`](crate::PluginRegistry::register_plugin).
///
/// `#[floe_plugin]` implements it; the descriptor is the same static the registry
/// discovers and [`PluginMetadata::descriptor`] returns. By hand, name your `static`.
///
/// ```
/// use floe_registry::prelude::*;
///
/// /// Local files as a warehouse.
/// #[floe_plugin(type = Storage, name = "descriptor-doc", version = "2.1.0")]
/// #[derive(Default)]
/// struct Files;
/// impl StoragePlugin for Files {}
///
/// assert_eq!(Files::DESCRIPTOR.name, "descriptor-doc");
/// assert_eq!(Files::DESCRIPTOR.version, "2.1.0");
/// assert!(std::ptr::eq(Files::DESCRIPTOR, Files.descriptor()), "one descriptor");
/// ```
pub trait FloePlugin {
    /// The plugin's descriptor.
    const DESCRIPTOR: &'static PluginDescriptor;
}

/// A plugin's typed view of its configuration. Empty until the registry configures
/// the plugin; then [`get`](ConfigCell::get) returns the config, with no downcasting
/// in plugin code.
///
/// The cell stores nothing itself: the registry owns the config and, when it loads
/// the plugin, connects the cell to it (see [`PluginMetadata::accept_config`]), so the
/// cell always shows the config last given to
/// [`PluginRegistry::configure`](crate::PluginRegistry::configure), and its
/// not-configured error names the plugin.
///
/// Mark the field `#[config]` and `#[floe_plugin]` connects it:
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
/// let mem = registry.get_as::<dyn StoragePlugin>("mem")?;
/// let early = mem.get_warehouse_uri("raw").unwrap_err();
/// assert_eq!(early.to_string(), "Configuration error for plugin 'mem': _config: Plugin 'mem' not configured");
/// registry.configure(PluginType::Storage, "mem", serde_json::json!({"bucket": "b"}))?;
/// assert_eq!(mem.get_warehouse_uri("raw")?, "mem://b/raw");
/// # Ok::<(), PluginError>(())
/// ```
pub struct ConfigCell<T> {
    view: ArcSwapOption<ConfigSlot>,
    config: PhantomData<fn() -> T>,
}

impl<T> Default for ConfigCell<T> {
    fn default() -> Self {
        Self {
            view: ArcSwapOption::empty(),
            config: PhantomData,
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
    /// An empty cell, not connected to any registry.
    pub fn new() -> Self {
        Self::default()
    }

    /// A cell already holding `value`, outside any registry (for tests and plugins
    /// built by hand).
    ///
    /// ```
    /// use floe_registry::ConfigCell;
    /// let cell = ConfigCell::with_value(4u32);
    /// assert_eq!(*cell.get().unwrap(), 4);
    /// ```
    pub fn with_value(value: T) -> Self {
        let slot = ConfigSlot::holding(Arc::new(value), std::any::type_name::<T>());
        Self {
            view: ArcSwapOption::from_pointee(slot),
            config: PhantomData,
        }
    }

    /// The current config. Before `configure`, the registry's "not configured" error
    /// naming the plugin ([`PluginError::not_configured`]); in a plugin no registry
    /// loaded, [`PluginError::Detached`].
    ///
    /// ```
    /// use floe_registry::{ConfigCell, PluginError};
    /// let cell: ConfigCell<u32> = ConfigCell::new();
    /// assert!(matches!(cell.get(), Err(PluginError::Detached { config_type: "u32" })));
    /// ```
    pub fn get(&self) -> Result<Arc<T>, PluginError> {
        let Some(slot) = self.view.load_full() else {
            return Err(PluginError::Detached {
                config_type: short_type_name::<T>(),
            });
        };
        let Some(stored) = slot.load() else {
            return Err(match &slot.plugin {
                Some(id) => PluginError::not_configured(id.clone()),
                None => PluginError::Detached {
                    config_type: short_type_name::<T>(),
                },
            });
        };
        Arc::clone(&stored.typed)
            .downcast::<T>()
            .map_err(|_| PluginError::ConfigType {
                id: slot.plugin.clone(),
                actual: stored.type_name,
                requested: std::any::type_name::<T>(),
            })
    }

    /// Whether a config has been set.
    pub fn is_set(&self) -> bool {
        self.view.load().as_ref().is_some_and(|slot| slot.is_set())
    }

    /// Connects the cell to what the registry hands a plugin in
    /// [`PluginMetadata::accept_config`]: the plugin's config store (the cell then
    /// shows whatever is configured there, now and later), or, from code that hands
    /// over a value directly, a `T`. Fails when given anything else.
    pub fn accept(&self, config: &AnyConfig) -> Result<(), PluginError> {
        if let Ok(slot) = Arc::clone(config).downcast::<ConfigSlot>() {
            self.view.store(Some(slot));
            return Ok(());
        }
        let typed = Arc::clone(config)
            .downcast::<T>()
            .map_err(|_| PluginError::ConfigType {
                id: None,
                actual: "a type that is neither this cell's nor the registry's config store",
                requested: std::any::type_name::<T>(),
            })?;
        let type_name = std::any::type_name::<T>();
        self.view
            .store(Some(Arc::new(ConfigSlot::holding(typed, type_name))));
        Ok(())
    }
}

fn short_type_name<T>() -> &'static str {
    let full = std::any::type_name::<T>();
    full.rsplit("::").next().unwrap_or(full)
}
