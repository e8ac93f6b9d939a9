//! The lookup table from identity to entry: an immutable snapshot swapped on change,
//! so lookups take no lock.

use std::collections::HashMap;
use std::hash::BuildHasher;
use std::sync::OnceLock;

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
/// The names list is what discovery builds, in one pass and one sort: entry indexes
/// sorted by name. The hash table that finds a name is built from it on the first
/// lookup (once, however many threads look first; a plain load afterwards), so that
/// discovering thousands of plugins does not pay for hashing them. It holds only
/// entry indexes (4 bytes a registration, plus hashbrown's one control byte): a probe
/// compares the name of the entry it finds, given by `name_of`.
#[derive(Debug, Clone, Default)]
pub(crate) struct TypeIndex {
    /// The entry index of each name's first registration, by name; built on first use.
    by_name: OnceLock<HashTable<u32>>,
    /// Identities registered more than once, by the entry index in `names`: the two
    /// registrations to report, ordered by source.
    duplicates: HashMap<u32, (usize, usize), FixedState>,
    /// The entry index of each name's first registration, sorted by name: 4 bytes a
    /// registration where the name itself would take 16 (BENCHMARKS.md, memory).
    names: Vec<u32>,
}

/// The first 8 bytes of a name as a big-endian number, zero-padded. Ordering by it
/// and then by the name is ordering by the name (names hold no NUL), with a string
/// comparison only between names that share their first 8 bytes.
pub(crate) fn name_key(name: &str) -> u64 {
    let bytes = name.as_bytes();
    let n = bytes.len();
    if let Some(head) = bytes.first_chunk::<8>() {
        return u64::from_be_bytes(*head);
    }
    // 4 to 7 bytes: the first four and the last four (they overlap with equal bytes
    // in equal places), each shifted to its place; no copy of a variable length.
    if let (Some(first), Some(last)) = (bytes.first_chunk::<4>(), bytes.last_chunk::<4>()) {
        let first = u64::from(u32::from_be_bytes(*first)) << 32;
        let last = u64::from(u32::from_be_bytes(*last)) << (64 - 8 * n);
        return first | last;
    }
    let packed = bytes.iter().fold(0u64, |k, &b| (k << 8) | u64::from(b));
    packed.checked_shl(8 * (8 - n as u32)).unwrap_or(0)
}

/// An entry index as the index stores it. A registry holds far fewer than 2^32
/// registrations (each is a linked static).
pub(crate) fn key(at: usize) -> u32 {
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

    /// The hash table, built on the first call.
    #[inline]
    fn table(&self, name_of: impl Fn(usize) -> &'static str) -> &HashTable<u32> {
        match self.by_name.get() {
            Some(table) => table,
            None => self.build(name_of),
        }
    }

    #[cold]
    #[inline(never)]
    fn build(&self, name_of: impl Fn(usize) -> &'static str) -> &HashTable<u32> {
        self.by_name.get_or_init(|| {
            let mut table = HashTable::with_capacity(self.names.len());
            for &i in &self.names {
                table.insert_unique(hash(name_of(i as usize)), i, |&j| hash(name_of(j as usize)));
            }
            table
        })
    }

    fn find(&self, name: &str, name_of: impl Fn(usize) -> &'static str) -> Option<u32> {
        self.table(&name_of)
            .find(hash(name), |&i| name_of(i as usize) == name)
            .copied()
    }

    /// The entry index of `name`'s only registration, found with `is_it`, which gets
    /// each candidate entry index and says whether its name is `name`. `None` when
    /// the name is absent or duplicated: the caller takes the slow path for the error.
    #[inline(always)]
    pub(crate) fn unique(
        &self,
        name: &str,
        name_of: impl Fn(usize) -> &'static str,
        is_it: impl FnMut(usize) -> bool,
    ) -> Option<usize> {
        let mut is_it = is_it;
        let at = *self
            .table(name_of)
            .find(hash(name), |&i| is_it(i as usize))?;
        if !self.duplicates.is_empty() && self.duplicates.contains_key(&at) {
            return None;
        }
        Some(at as usize)
    }

    /// What `name` resolves to.
    pub(crate) fn get(&self, name: &str, name_of: impl Fn(usize) -> &'static str) -> Option<Slot> {
        let at = self.find(name, name_of)?;
        Some(self.slot_of(at))
    }

    fn slot_of(&self, at: u32) -> Slot {
        match self.duplicates.get(&at) {
            Some(&(a, b)) => Slot::Duplicate(a, b),
            None => Slot::One(at as usize),
        }
    }

    /// Adds the entry `at` under its name, known not to be present, keeping `names`
    /// sorted (and the table, if built).
    fn insert_new(
        &mut self,
        name: &'static str,
        at: usize,
        name_of: impl Fn(usize) -> &'static str,
    ) {
        if let Some(table) = self.by_name.get_mut() {
            table.insert_unique(hash(name), key(at), |&i| hash(name_of(i as usize)));
        }
        let to = self.names.partition_point(|&i| name_of(i as usize) < name);
        self.names.insert(to, key(at));
    }

    /// Adds a batch of ([`name_key`], name, entry index), sorted, whose entries are in
    /// the registry: one merge with the names already there. A name already present, or
    /// present more than once in the batch, is a duplicate: for each extra
    /// registration, in entry order, `duplicate` gets what the name resolved to and
    /// the extra entry index, and returns the pair to report from now on.
    fn merge(
        &mut self,
        batch: &[(u64, &'static str, u32)],
        name_of: impl Fn(usize) -> &'static str,
        mut duplicate: impl FnMut(Slot, usize) -> (usize, usize),
    ) {
        if self.names.is_empty() {
            // The usual case, a first batch: no names to merge with.
            self.first_batch(batch, duplicate);
            return;
        }
        let old = std::mem::take(&mut self.names);
        let mut names = Vec::with_capacity(old.len() + batch.len());
        let mut o = 0;
        let mut k = 0;
        while k < batch.len() {
            let (head, name, _) = batch[k];
            while o < old.len() && name_of(old[o] as usize) < name {
                names.push(old[o]);
                o += 1;
            }
            let first = if o < old.len() && name_of(old[o] as usize) == name {
                o += 1;
                old[o - 1]
            } else {
                k += 1;
                batch[k - 1].2
            };
            names.push(first);
            // Equal names have equal keys: most neighbours differ without a string
            // comparison.
            while k < batch.len() && batch[k].0 == head && batch[k].1 == name {
                let pair = duplicate(self.slot_of(first), batch[k].2 as usize);
                self.duplicates.insert(first, pair);
                k += 1;
            }
        }
        names.extend_from_slice(&old[o..]);
        self.names = names;
        // Rebuilt from the names on the next lookup.
        self.by_name = OnceLock::new();
    }
}

impl TypeIndex {
    /// [`merge`](Self::merge) into an empty type: the names are the batch's, each
    /// duplicate compared with its neighbour only.
    fn first_batch(
        &mut self,
        batch: &[(u64, &'static str, u32)],
        mut duplicate: impl FnMut(Slot, usize) -> (usize, usize),
    ) {
        let mut names = Vec::with_capacity(batch.len());
        let mut first = 0;
        for (k, &(head, name, at)) in batch.iter().enumerate() {
            if k > 0 && batch[first].0 == head && batch[first].1 == name {
                let pair = duplicate(self.slot_of(batch[first].2), at as usize);
                self.duplicates.insert(batch[first].2, pair);
            } else {
                first = k;
                names.push(at);
            }
        }
        self.names = names;
        self.by_name = OnceLock::new();
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

    /// Adds a sorted batch of ([`name_key`], name, entry index) of one type; see
    /// [`TypeIndex::merge`] for the duplicates.
    pub(crate) fn merge(
        &mut self,
        plugin_type: PluginType,
        batch: &[(u64, &'static str, u32)],
        name_of: impl Fn(usize) -> &'static str,
        duplicate: impl FnMut(Slot, usize) -> (usize, usize),
    ) {
        self.types[plugin_type.index()].merge(batch, name_of, duplicate);
    }
}

#[cfg(test)]
mod tests {
    use super::name_key;

    /// The key of a name is its first 8 bytes, zero-padded, big-endian, whatever its
    /// length; ordering by it then by the name orders by the name.
    #[test]
    fn name_key_is_the_zero_padded_head() {
        let names = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "abcde",
            "abcdef",
            "abcdefg",
            "abcdefgh",
            "abcdefghi",
            "b",
            "p00500",
        ];
        for name in names {
            let mut head = [0u8; 8];
            let n = name.len().min(8);
            head[..n].copy_from_slice(&name.as_bytes()[..n]);
            assert_eq!(name_key(name), u64::from_be_bytes(head), "{name:?}");
        }
        let mut by_key = names.to_vec();
        by_key.sort_by_key(|n| (name_key(n), *n));
        let mut by_name = names.to_vec();
        by_name.sort();
        assert_eq!(by_key, by_name);
    }
}
