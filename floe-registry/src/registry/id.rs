//! Plugin identity: a type and a name.

use std::fmt;

use serde::Serialize;

use crate::PluginType;

/// A plugin's identity: its type and name.
///
/// ```
/// use floe_registry::{PluginId, PluginType};
/// let id = PluginId::new(PluginType::Compute, "duckdb");
/// assert_eq!(id.to_string(), "COMPUTE:duckdb");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct PluginId {
    /// The type.
    pub plugin_type: PluginType,
    /// The name.
    pub name: String,
}

impl PluginId {
    /// An identity.
    pub fn new(plugin_type: PluginType, name: impl Into<String>) -> Self {
        Self {
            plugin_type,
            name: name.into(),
        }
    }
}

impl fmt::Display for PluginId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.plugin_type.upper_name(), self.name)
    }
}
