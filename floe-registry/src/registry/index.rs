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
#[inline]
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

/// A registration as discovery sorts a batch: the [`name_key`] of its name, its entry
/// index and its type, in 16 bytes, so that sorting thousands moves little and compares
/// names only where their first 8 bytes are equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Named {
    pub(crate) key: u64,
    pub(crate) at: u32,
    /// Its plugin type's index.
    pub(crate) ty: u8,
}

impl Named {
    /// Whether `other` is another registration of the same identity.
    #[inline]
    pub(crate) fn same(&self, other: &Named, name_of: impl Fn(usize) -> &'static str) -> bool {
        self.key == other.key
            && self.ty == other.ty
            && name_of(self.at as usize) == name_of(other.at as usize)
    }

    /// Orders by the key, then the type, then the name: restricted to one type, that
    /// is name order, and two registrations of one identity are neighbours.
    #[inline]
    pub(crate) fn cmp_by(
        &self,
        other: &Named,
        name_of: impl Fn(usize) -> &'static str,
    ) -> std::cmp::Ordering {
        (self.key, self.ty)
            .cmp(&(other.key, other.ty))
            .then_with(|| name_of(self.at as usize).cmp(name_of(other.at as usize)))
    }
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

    /// Adds the names of a batch of this type: `fresh`, the entry index of one
    /// registration of each name in the batch, sorted by name, and `extra`, each other
    /// registration of a name in the batch as (the one in `fresh`, it).
    /// A name already present is a duplicate too. For each extra registration
    /// `duplicate` gets what the name resolved to and the extra entry index, and
    /// returns the pair to report from now on.
    fn add(
        &mut self,
        fresh: Vec<u32>,
        extra: &[(u32, u32)],
        name_of: impl Fn(usize) -> &'static str,
        mut duplicate: impl FnMut(Slot, usize) -> (usize, usize),
    ) {
        // Rebuilt from the names on the next lookup.
        self.by_name = OnceLock::new();
        // The batch's registrations whose name was present already: to the one kept.
        let mut taken: HashMap<u32, u32, FixedState> = HashMap::default();
        if self.names.is_empty() {
            // The usual case, a first batch: the names are the batch's.
            self.names = fresh;
        } else {
            // A later batch: one merge; a name already present keeps its first entry
            // and the batch's registrations of it are duplicates of that one.
            let old = std::mem::take(&mut self.names);
            let mut names = Vec::with_capacity(old.len() + fresh.len());
            let mut o = 0;
            for &new in &fresh {
                let name = name_of(new as usize);
                while o < old.len() && name_of(old[o] as usize) < name {
                    names.push(old[o]);
                    o += 1;
                }
                if o < old.len() && name_of(old[o] as usize) == name {
                    taken.insert(new, old[o]);
                    self.add_duplicate(old[o], new, &mut duplicate);
                } else {
                    names.push(new);
                }
            }
            names.extend_from_slice(&old[o..]);
            self.names = names;
        }
        for &(first, at) in extra {
            let first = taken.get(&first).copied().unwrap_or(first);
            self.add_duplicate(first, at, &mut duplicate);
        }
    }

    /// Records the entry `at` as another registration of the name that the entry
    /// `first` holds; `duplicate` gives the pair to report.
    fn add_duplicate(
        &mut self,
        first: u32,
        at: u32,
        duplicate: &mut impl FnMut(Slot, usize) -> (usize, usize),
    ) {
        let pair = duplicate(self.slot_of(first), at as usize);
        self.duplicates.insert(first, pair);
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

    /// Adds the names of a batch of one type; see [`TypeIndex::add`].
    pub(crate) fn add(
        &mut self,
        plugin_type: PluginType,
        fresh: Vec<u32>,
        extra: &[(u32, u32)],
        name_of: impl Fn(usize) -> &'static str,
        duplicate: impl FnMut(Slot, usize) -> (usize, usize),
    ) {
        self.types[plugin_type.index()].add(fresh, extra, name_of, duplicate);
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
