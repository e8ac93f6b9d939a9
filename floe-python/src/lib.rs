//! # floe-python
//!
//! The plugins floe users already have are Python packages (floe-core's entry points).
//! This crate hosts them out of process, beside the linked ones, behind the one
//! [`PluginRegistry`](floe_registry::PluginRegistry) API: a [`PythonEnvironment`] is a
//! [`PluginProvider`](floe_registry::PluginProvider).
//!
//! ```no_run
//! use floe_registry::{PluginRegistry, PluginType};
//! use floe_python::PythonEnvironment;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all(); // the linked plugins
//! if let Some(python) = PythonEnvironment::from_env()? { // FLOE_PYTHON=/srv/venv
//!     registry.add_provider(&python)?;
//! }
//! registry.configure(PluginType::Catalog, "glue", serde_json::json!({"region": "eu-west-1"}))?;
//! let status = registry.health_check(PluginType::Catalog, "glue")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! - Discovery reads the environment's `*.dist-info` folders: no Python runs to list
//!   the plugins of a virtual environment, and with the metadata cache warm (an
//!   unchanged environment) none runs to describe them either.
//! - One worker process per environment runs the plugins' code, started on first
//!   need and kept; it speaks the line protocol of [`protocol`] and loads plugins the
//!   way floe-core's registry does. A worker that hangs past its deadline is stopped,
//!   one that dies fails the call it was in; the next call starts a new one.
//! - What crosses the boundary, per method: see [`PythonPlugin`].
//! - A Python plugin with the identity of a linked one (or of an environment added
//!   before) is not used: the earlier one is, and
//!   [`PluginRegistry::shadowed`](floe_registry::PluginRegistry::shadowed) names both.
//! - The calls of every plugin of one environment run one after another in its worker
//!   (health checks included).
//! - Discovery reads `*.dist-info` folders in the environment's own `site-packages`:
//!   `*.egg-info` distributions and a venv's system site-packages
//!   (`include-system-site-packages = true`) are not read.
//! - Only what a plugin describes is cached; a plugin that fails to load is tried again
//!   by the next listing.

mod cache;
mod distributions;
mod environment;
mod error;
mod host;
mod plugin;
mod worker;

pub use distributions::EntryPoint;
pub use error::PythonError;
pub use host::{FLOE_PYTHON, PythonEnvironment};
pub use plugin::PythonPlugin;

/// The worker's line protocol.
#[doc = include_str!("../PROTOCOL.md")]
pub mod protocol {}

/// The Python plugin behind a loaded plugin, if it is one.
///
/// ```no_run
/// # let registry = floe_registry::PluginRegistry::new();
/// let glue = registry.get(floe_registry::PluginType::Catalog, "glue")?;
/// let python = floe_python::python_plugin(glue).expect("a Python plugin");
/// let namespaces = python.call("list_namespaces", vec![], Default::default())?;
/// # Ok::<(), floe_registry::PluginError>(())
/// ```
pub fn python_plugin(instance: &floe_registry::PluginInstance) -> Option<&PythonPlugin> {
    let any: &dyn std::any::Any = instance.metadata();
    any.downcast_ref::<PythonPlugin>()
}
