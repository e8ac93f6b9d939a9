//! Plugin identity: a type and a name.

use std::borrow::Cow;
use std::fmt;

use serde::Serialize;

use crate::PluginType;

/// A plugin's identity: its type and name.
///
/// The name is a [`Cow`]: an identity the registry hands out (a startup order, a
/// report) borrows the `'static` name of the plugin's descriptor, so building one
/// allocates nothing; one built from any other string owns a copy. Both compare,
/// hash, order and serialize as the name's text, whichever they hold.
///
/// ```
/// use floe_registry::{PluginId, PluginType};
/// let id = PluginId::new(PluginType::Compute, "duckdb");
/// assert_eq!(id.to_string(), "COMPUTE:duckdb");
/// assert_eq!(id.name, "duckdb");
/// assert_eq!(id, PluginId::from_static(PluginType::Compute, "duckdb"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PluginId {
    /// The type.
    pub plugin_type: PluginType,
    /// The name: borrowed when it is a `'static` string (a descriptor's), owned
    /// otherwise. Reads as a `&str` (`&*id.name`, `id.name == "duckdb"`).
    pub name: Cow<'static, str>,
}

impl PluginId {
    /// An identity owning a copy of `name`.
    pub fn new(plugin_type: PluginType, name: impl Into<String>) -> Self {
        Self {
            plugin_type,
            name: Cow::Owned(name.into()),
        }
    }

    /// An identity borrowing a `'static` name (a descriptor's, a literal): nothing is
    /// allocated.
    ///
    /// ```
    /// use floe_registry::{PluginId, PluginType};
    /// const STORE: PluginId = PluginId::from_static(PluginType::Storage, "s3");
    /// assert_eq!(STORE.to_string(), "STORAGE:s3");
    /// ```
    pub const fn from_static(plugin_type: PluginType, name: &'static str) -> Self {
        Self {
            plugin_type,
            name: Cow::Borrowed(name),
        }
    }
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.plugin_type.upper_name(), self.name)
    }
}
