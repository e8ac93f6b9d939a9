//! Plugin sources: a [`PluginProvider`] discovers descriptors; the registry adds what
//! it finds. The plugins linked into the program are one provider ([`Linked`]); a
//! Python environment or a directory of components can be others.

use std::borrow::Cow;

use crate::{Descriptor, PluginError};

/// Something that discovers plugins: the linked slice, a Python environment, ...
///
/// [`descriptors`](Self::descriptors) lists what it offers without building anything;
/// each descriptor's [`Constructor`](crate::Constructor) builds the plugin on first
/// use. Add one to a registry with [`PluginRegistry::add_provider`](crate::PluginRegistry::add_provider).
///
/// ```
/// use floe_registry::prelude::*;
/// use floe_registry::{Descriptor, PluginDescriptor, PluginInstance, PluginProvider, PluginSource};
///
/// struct Echo { descriptor: PluginDescriptor }
/// impl PluginMetadata for Echo {
///     fn descriptor(&self) -> &PluginDescriptor { &self.descriptor }
/// }
/// impl SecretsPlugin for Echo {}
///
/// /// Offers one secrets plugin per name it was given.
/// struct Names(Vec<String>);
/// impl PluginProvider for Names {
///     fn name(&self) -> std::borrow::Cow<'_, str> { "names".into() }
///     fn descriptors(&self) -> Result<Vec<Descriptor>, PluginError> {
///         Ok(self.0.iter().map(|name| {
///             PluginDescriptor::runtime(
///                 PluginType::Secrets, name.clone(), "1.0.0",
///                 PluginSource::provided("names", "names 1.0", name.clone()),
///                 |d| Ok(PluginInstance::secrets(Echo { descriptor: d.clone() })),
///             ).into()
///         }).collect())
///     }
/// }
///
/// let registry = PluginRegistry::new();
/// assert_eq!(registry.add_provider(&Names(vec!["a".into(), "b".into()]))?, 2);
/// assert_eq!(registry.list_all()[&PluginType::Secrets], ["a", "b"]);
/// # Ok::<(), PluginError>(())
/// ```
pub trait PluginProvider {
    /// A short name for logs: `linked`, `python /srv/venv`.
    fn name(&self) -> Cow<'_, str>;

    /// Every plugin this provider offers. An error means the provider could offer
    /// nothing (an environment that is not there); a problem of one plugin belongs in
    /// that plugin's descriptor or its load error, so that the others stay usable.
    fn descriptors(&self) -> Result<Vec<Descriptor>, PluginError>;
}

/// The plugins linked into the program: every `#[floe_plugin]` registration.
#[derive(Debug, Clone, Copy, Default)]
pub struct Linked;

impl PluginProvider for Linked {
    fn name(&self) -> Cow<'_, str> {
        Cow::Borrowed("linked")
    }

    fn descriptors(&self) -> Result<Vec<Descriptor>, PluginError> {
        Ok(crate::private::FLOE_REGISTRY_PLUGINS
            .iter()
            .map(Descriptor::Static)
            .collect())
    }
}
