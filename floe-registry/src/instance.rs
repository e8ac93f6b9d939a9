//! A loaded plugin, typed by its kind, and typed access to it.

use std::sync::Arc;

use crate::types::*;
use crate::{HealthStatus, PluginError, PluginMetadata, PluginType};

/// Writes the enum, its constructors, its dispatch and the `PluginKind` impls from the
/// one list of plugin types in `floe-registry-rules`.
macro_rules! plugin_instance {
    ($($variant:ident $ctor:ident $upper:ident $group:literal $tr:ident [$($alias:ident)*] $doc:literal;)*) => {
        /// A loaded plugin: the trait object of its type.
        ///
        /// ```
        /// use std::sync::Arc;
        /// use floe_registry::prelude::*;
        /// use floe_registry::PluginInstance;
        ///
        /// #[floe_plugin(type = Secrets, name = "none", version = "1.0.0")]
        /// #[derive(Default)]
        /// struct NoSecrets;
        /// impl SecretsPlugin for NoSecrets {}
        ///
        /// let instance = PluginInstance::secrets(NoSecrets);
        /// assert_eq!(instance.plugin_type(), PluginType::Secrets);
        /// assert_eq!(instance.metadata().name(), "none");
        /// ```
        #[derive(Clone)]
        #[non_exhaustive]
        pub enum PluginInstance {
            $(
                #[doc = concat!("A [`", stringify!($tr), "`].")]
                $variant(Arc<dyn $tr>),
            )*
        }

        impl PluginInstance {
            $(
                #[doc = concat!("Wraps a [`", stringify!($tr), "`].")]
                pub fn $ctor(plugin: impl $tr) -> Self {
                    PluginInstance::$variant(Arc::new(plugin))
                }
            )*

            /// The plugin's type.
            pub fn plugin_type(&self) -> PluginType {
                match self {
                    $(PluginInstance::$variant(_) => PluginType::$variant,)*
                }
            }

            /// The plugin's metadata.
            pub fn metadata(&self) -> &dyn PluginMetadata {
                match self {
                    $(PluginInstance::$variant(p) => &**p,)*
                }
            }

            pub(crate) fn health_check(&self) -> HealthStatus {
                match self {
                    $(PluginInstance::$variant(p) => p.health_check(),)*
                }
            }

            pub(crate) fn startup(&self) -> Result<(), PluginError> {
                match self {
                    $(PluginInstance::$variant(p) => p.startup(),)*
                }
            }

            pub(crate) fn shutdown(&self) -> Result<(), PluginError> {
                match self {
                    $(PluginInstance::$variant(p) => p.shutdown(),)*
                }
            }
        }

        $(
            impl PluginKind for dyn $tr {
                const TYPE: PluginType = PluginType::$variant;

                fn from_instance(instance: &PluginInstance) -> Option<&Self> {
                    match instance {
                        PluginInstance::$variant(p) => Some(&**p),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }

                fn arc_from_instance(instance: &PluginInstance) -> Option<Arc<Self>> {
                    match instance {
                        PluginInstance::$variant(p) => Some(Arc::clone(p)),
                        #[allow(unreachable_patterns)]
                        _ => None,
                    }
                }
            }
        )*
    };
}

floe_registry_rules::for_each_plugin_type!(plugin_instance);

impl std::fmt::Debug for PluginInstance {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "PluginInstance({}:{})",
            self.plugin_type().upper_name(),
            self.metadata().name()
        )
    }
}

/// The trait object of one plugin type (`dyn ComputePlugin`, ...), for the typed
/// accessors [`PluginRegistry::get_as`](crate::PluginRegistry::get_as) and
/// [`PluginRegistry::get_arc`](crate::PluginRegistry::get_arc).
pub trait PluginKind: PluginMetadata {
    /// The plugin type of this trait.
    const TYPE: PluginType;

    /// The plugin, if `instance` is of this type.
    fn from_instance(instance: &PluginInstance) -> Option<&Self>;

    /// A shared handle to the plugin, if `instance` is of this type.
    fn arc_from_instance(instance: &PluginInstance) -> Option<Arc<Self>>;
}
