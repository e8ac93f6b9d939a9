//! The lookup table from identity to entry: an immutable snapshot swapped on change,
//! so lookups take no lock.

use std::collections::HashMap;

use foldhash::fast::FixedState;

use crate::PluginType;

/// What one identity resolves to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Slot {
    /// One registration: its entry index.
    One(usize),
    /// Two registrations claim the identity: both entry indexes, ordered by source.
    Duplicate(usize, usize),
}

impl Slot {
    /// The entry indexes behind this slot.
    pub(crate) fn first(self) -> usize {
        match self {
            Slot::One(i) | Slot::Duplicate(i, _) => i,
        }
    }
}

/// Names are short and not attacker-chosen (they come from linked code), so a fast
/// fixed-seed hash is fine.
type NameMap = HashMap<&'static str, Slot, FixedState>;

#[derive(Debug, Clone, Default)]
pub(crate) struct TypeIndex {
    pub(crate) by_name: NameMap,
    /// Names, sorted.
    pub(crate) names: Vec<&'static str>,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub(crate) types: [TypeIndex; PluginType::COUNT],
}

impl Index {
    pub(crate) fn of(&self, plugin_type: PluginType) -> &TypeIndex {
        &self.types[plugin_type.index()]
    }

    pub(crate) fn slot(&self, plugin_type: PluginType, name: &str) -> Option<Slot> {
        self.of(plugin_type).by_name.get(name).copied()
    }

    /// Inserts a name known not to be present, keeping `names` sorted.
    pub(crate) fn insert_new(&mut self, plugin_type: PluginType, name: &'static str, slot: Slot) {
        let t = &mut self.types[plugin_type.index()];
        t.by_name.insert(name, slot);
        let at = t.names.binary_search(&name).unwrap_or_else(|i| i);
        t.names.insert(at, name);
    }

    /// Sorts the names of every type, after a batch of unsorted pushes.
    pub(crate) fn sort_names(&mut self) {
        for t in &mut self.types {
            t.names.sort_unstable();
        }
    }

    /// Makes room for `additional` more names of each type in `counts`.
    pub(crate) fn reserve(&mut self, counts: &[usize; PluginType::COUNT]) {
        for (t, n) in self.types.iter_mut().zip(counts) {
            t.by_name.reserve(*n);
            t.names.reserve(*n);
        }
    }
}
