//! The one store of a plugin's configuration.
//!
//! Who owns a config: the registry. Each registration's entry owns one [`ConfigSlot`]
//! (created on first use); `configure` writes the validated config there and nowhere
//! else, and `config`, `config_json` and `is_configured` read it there. A plugin's
//! [`ConfigCell`](crate::ConfigCell) holds no config of its own: when the registry
//! loads the plugin it hands the cell a shared handle to the slot, so the cell is a
//! typed view that always shows the slot's current value. There is nothing to keep
//! in sync, and a config stored before the plugin is loaded needs no second hand-over.
//!
//! The entry is the owner rather than the cell because a config exists before the
//! plugin does (it may be configured before its first load), because a plugin may
//! take a config without having a cell, and because tools read it without loading.

use std::sync::Arc;

use arc_swap::ArcSwapOption;
use serde_json::Value;

use crate::{AnyConfig, PluginId};

/// One stored configuration: the typed value and its JSON with every secret redacted.
pub(crate) struct Stored {
    /// The value the plugin reads.
    pub(crate) typed: AnyConfig,
    /// The validated JSON with `writeOnly` (secret) values replaced by
    /// [`REDACTED`](crate::REDACTED): never holds a secret.
    pub(crate) redacted: Value,
    /// The Rust name of the typed value's type.
    pub(crate) type_name: &'static str,
}

/// The store of one plugin's config, shared between the registry's entry and the
/// plugin's `ConfigCell`. Reads and writes take no lock.
pub(crate) struct ConfigSlot {
    /// The plugin, for its errors; `None` outside any registry.
    pub(crate) plugin: Option<PluginId>,
    value: ArcSwapOption<Stored>,
}

impl ConfigSlot {
    /// An empty slot of the plugin `plugin`.
    pub(crate) fn new(plugin: PluginId) -> Self {
        ConfigSlot {
            plugin: Some(plugin),
            value: ArcSwapOption::empty(),
        }
    }

    /// A slot already holding `typed`, outside any registry.
    pub(crate) fn holding(typed: AnyConfig, type_name: &'static str) -> Self {
        let slot = ConfigSlot {
            plugin: None,
            value: ArcSwapOption::empty(),
        };
        slot.store(Stored {
            typed,
            redacted: Value::Null,
            type_name,
        });
        slot
    }

    /// Replaces the config.
    pub(crate) fn store(&self, stored: Stored) {
        self.value.store(Some(Arc::new(stored)));
    }

    /// The current config, if any.
    pub(crate) fn load(&self) -> Option<Arc<Stored>> {
        self.value.load_full()
    }

    /// Whether a config is stored.
    pub(crate) fn is_set(&self) -> bool {
        self.value.load().is_some()
    }
}
