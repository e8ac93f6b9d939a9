//! The lookup table from identity to entry: an immutable snapshot swapped on change,
//! so lookups take no lock.

use std::collections::HashMap;
use std::hash::BuildHasher;

use foldhash::fast::FixedState;
use hashbrown::HashTable;

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
#[inline]
fn hash(name: &str) -> u64 {
    FixedState::default().hash_one(name)
}

/// The entry indexes of one plugin type, found by name.
///
/// The table holds only entry indexes (4 bytes a registration, plus hashbrown's one
/// control byte): a probe compares the name of the entry it finds, given by `name_of`.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeIndex {
    /// The entry index of each name's first registration.
    by_name: HashTable<u32>,
    /// Identities registered more than once, by the index in `by_name`: the two
    /// registrations to report, ordered by source.
    duplicates: HashMap<u32, (usize, usize), FixedState>,
    /// The entry index of each name's first registration, sorted by name: 4 bytes a
    /// registration where the name itself would take 16 (BENCHMARKS.md, memory).
    names: Vec<u32>,
}

/// An entry index as the table stores it. A registry holds far fewer than 2^32
/// registrations (each is a linked static).
fn key(at: usize) -> u32 {
    u32::try_from(at).unwrap_or(u32::MAX)
}

impl TypeIndex {
    /// The names of this type, sorted.
    pub(crate) fn names<'a>(
        &'a self,
        name_of: impl Fn(usize) -> &'static str + 'a,
    ) -> impl Iterator<Item = &'static str> + 'a {
        self.names.iter().map(move |&i| name_of(i as usize))
    }

    fn find(&self, name: &str, name_of: impl Fn(usize) -> &'static str) -> Option<u32> {
        self.by_name
            .find(hash(name), |&i| name_of(i as usize) == name)
            .copied()
    }

    /// The entry index of `name`'s only registration, found with `is_it`, which gets
    /// each candidate entry index and says whether its name is `name`. `None` when
    /// the name is absent or duplicated: the caller takes the slow path for the error.
    #[inline]
    pub(crate) fn unique(&self, name: &str, is_it: impl FnMut(usize) -> bool) -> Option<usize> {
        let mut is_it = is_it;
        let at = *self.by_name.find(hash(name), |&i| is_it(i as usize))?;
        if !self.duplicates.is_empty() && self.duplicates.contains_key(&at) {
            return None;
        }
        Some(at as usize)
    }

    /// What `name` resolves to.
    pub(crate) fn get(&self, name: &str, name_of: impl Fn(usize) -> &'static str) -> Option<Slot> {
        let at = self.find(name, name_of)?;
        Some(match self.duplicates.get(&at) {
            Some(&(a, b)) => Slot::Duplicate(a, b),
            None => Slot::One(at as usize),
        })
    }

    /// Adds the entry `at` under its name, known not to be present, keeping `names`
    /// sorted.
    fn insert_new(
        &mut self,
        name: &'static str,
        at: usize,
        name_of: impl Fn(usize) -> &'static str,
    ) {
        self.by_name
            .insert_unique(hash(name), key(at), |&i| hash(name_of(i as usize)));
        let to = self.names.partition_point(|&i| name_of(i as usize) < name);
        self.names.insert(to, key(at));
    }

    /// Adds the entry `at` under its name in one probe, its name at the end of
    /// `names` (sort them afterwards); when the name is taken, adds nothing and
    /// returns what it resolves to.
    fn add(
        &mut self,
        name: &'static str,
        at: usize,
        name_of: impl Fn(usize) -> &'static str,
    ) -> Option<Slot> {
        let entry = self.by_name.entry(
            hash(name),
            |&i| name_of(i as usize) == name,
            |&i| hash(name_of(i as usize)),
        );
        match entry {
            hashbrown::hash_table::Entry::Occupied(o) => {
                let first = *o.get();
                Some(match self.duplicates.get(&first) {
                    Some(&(a, b)) => Slot::Duplicate(a, b),
                    None => Slot::One(first as usize),
                })
            }
            hashbrown::hash_table::Entry::Vacant(v) => {
                v.insert(key(at));
                self.names.push(key(at));
                None
            }
        }
    }

    /// Records that `name`, already present, resolves to the duplicate `pair`.
    fn set_duplicate(
        &mut self,
        name: &str,
        pair: (usize, usize),
        name_of: impl Fn(usize) -> &'static str,
    ) {
        if let Some(at) = self.find(name, name_of) {
            self.duplicates.insert(at, pair);
        }
    }
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Index {
    pub(crate) types: [TypeIndex; PluginType::COUNT],
}

impl Index {
    pub(crate) fn of(&self, plugin_type: PluginType) -> &TypeIndex {
        &self.types[plugin_type.index()]
    }

    pub(crate) fn slot(
        &self,
        plugin_type: PluginType,
        name: &str,
        name_of: impl Fn(usize) -> &'static str,
    ) -> Option<Slot> {
        self.of(plugin_type).get(name, name_of)
    }

    /// Inserts a name known not to be present, keeping `names` sorted.
    pub(crate) fn insert_new(
        &mut self,
        plugin_type: PluginType,
        name: &'static str,
        at: usize,
        name_of: impl Fn(usize) -> &'static str,
    ) {
        self.types[plugin_type.index()].insert_new(name, at, name_of);
    }

    /// Adds the entry `at` under its name, at the end of `names` (call
    /// [`sort_names`](Self::sort_names) after a batch), or, when the name is taken,
    /// adds nothing and returns what it resolves to.
    pub(crate) fn add(
        &mut self,
        plugin_type: PluginType,
        name: &'static str,
        at: usize,
        name_of: impl Fn(usize) -> &'static str,
    ) -> Option<Slot> {
        self.types[plugin_type.index()].add(name, at, name_of)
    }

    /// Records a duplicated identity and the two registrations to report.
    pub(crate) fn set_duplicate(
        &mut self,
        plugin_type: PluginType,
        name: &str,
        pair: (usize, usize),
        name_of: impl Fn(usize) -> &'static str,
    ) {
        self.types[plugin_type.index()].set_duplicate(name, pair, name_of);
    }

    /// Sorts the names of every type, after a batch of unsorted pushes: by name, each
    /// entry index next to its name so that comparisons do not look entries up.
    pub(crate) fn sort_names(&mut self, name_of: impl Fn(usize) -> &'static str) {
        for t in &mut self.types {
            let mut pairs: Vec<(&'static str, u32)> =
                t.names.iter().map(|&i| (name_of(i as usize), i)).collect();
            pairs.sort_unstable();
            t.names.clear();
            t.names.extend(pairs.into_iter().map(|(_, i)| i));
        }
    }

    /// Makes room for `additional` more names of each type in `counts`.
    pub(crate) fn reserve(
        &mut self,
        counts: &[usize; PluginType::COUNT],
        name_of: impl Fn(usize) -> &'static str,
    ) {
        for (t, n) in self.types.iter_mut().zip(counts) {
            t.by_name.reserve(*n, |&i| hash(name_of(i as usize)));
            t.names.reserve(*n);
        }
    }
}
