//! Discovery's grouping of a batch of registrations: per plugin type, the entry index
//! of one registration of each name, in name order, and the other registrations of a
//! name (duplicates; which one is kept first does not matter, the pair reported is
//! ordered by source).
//!
//! Reading thousands of descriptors is most of discovery's cost, so each is read once.
//! A batch whose (name key, type) pairs strictly increase (for example a batch in name
//! order with no name repeated and no two names sharing their first 8 bytes) is
//! grouped in that one pass: it is in order and has no duplicate. Any other batch is copied into 16-byte [`Named`]s,
//! sorted (a string comparison only between names sharing their first 8 bytes) and
//! scanned; either way the result is the same (a test checks both).

use super::index::{Named, key, name_key};
use crate::{PluginDescriptor, PluginType};

/// A batch, grouped.
pub(crate) struct Grouped {
    /// Per type (by [`PluginType::index`]), the entry index of one registration of
    /// each name, in name order.
    pub(crate) fresh: [Vec<u32>; PluginType::COUNT],
    /// Per type, each other registration of a name: (the one in `fresh`, it).
    pub(crate) extra: [Vec<(u32, u32)>; PluginType::COUNT],
}

/// Groups `batch`, whose entry indexes start at `start`; `name_of` gives the name of
/// an entry index of the batch.
pub(crate) fn group(
    batch: &[&'static PluginDescriptor],
    start: usize,
    name_of: impl Fn(usize) -> &'static str,
) -> Grouped {
    in_order(batch, start).unwrap_or_else(|| sorted(batch, start, name_of))
}

/// How many descriptors ahead [`read_ahead`] reads (8 measured best of 8, 16, 32).
const AHEAD: usize = 8;

/// The descriptors of `batch` with their positions, each read a few ahead of its
/// turn, so that its cache line is on the way while the ones before it are worked on:
/// a loop's own reads of a descriptor wait behind its name's bytes, and thousands of
/// descriptors do not fit in the cache (BENCHMARKS.md, change 15: 84 -> 53 µs at
/// N = 10,000).
fn read_ahead<'b>(
    batch: &'b [&'static PluginDescriptor],
) -> impl Iterator<Item = (usize, &'static PluginDescriptor)> + 'b {
    batch.iter().enumerate().map(|(k, &desc)| {
        if let Some(ahead) = batch.get(k + AHEAD) {
            std::hint::black_box(ahead.plugin_type);
        }
        (k, desc)
    })
}

/// The one-pass grouping of a batch whose (name key, type) pairs strictly increase;
/// `None` as soon as one does not.
fn in_order(batch: &[&'static PluginDescriptor], start: usize) -> Option<Grouped> {
    let mut fresh: [Vec<u32>; PluginType::COUNT] = Default::default();
    let mut last: Option<(u64, usize)> = None;
    for (k, desc) in read_ahead(batch) {
        let this = (name_key(desc.name), desc.plugin_type.index());
        if last.is_some_and(|last| last >= this) {
            return None;
        }
        last = Some(this);
        fresh.get_mut(this.1)?.push(key(start + k));
    }
    Some(Grouped {
        fresh,
        extra: Default::default(),
    })
}

/// The general grouping: copy, sort by (key, type, name), scan.
fn sorted(
    batch: &[&'static PluginDescriptor],
    start: usize,
    name_of: impl Fn(usize) -> &'static str,
) -> Grouped {
    let mut all: Vec<Named> = read_ahead(batch)
        .map(|(k, desc)| Named {
            key: name_key(desc.name),
            at: key(start + k),
            ty: desc.plugin_type.index() as u8,
        })
        .collect();
    all.sort_unstable_by(|a, b| a.cmp_by(b, &name_of));
    let mut grouped = Grouped {
        fresh: Default::default(),
        extra: Default::default(),
    };
    let mut first: Option<Named> = None;
    for &named in &all {
        match first {
            Some(run) if run.same(&named, &name_of) => {
                if let Some(extra) = grouped.extra.get_mut(usize::from(named.ty)) {
                    extra.push((run.at, named.at));
                }
            }
            _ => {
                first = Some(named);
                if let Some(names) = grouped.fresh.get_mut(usize::from(named.ty)) {
                    names.push(named.at);
                }
            }
        }
    }
    grouped
}

#[cfg(test)]
mod tests {
    use super::*;

    fn never() -> crate::PluginInstance {
        unreachable!("nothing is built")
    }

    macro_rules! descs {
        ($($ty:ident $name:literal),* $(,)?) => {{
            let all: Vec<&'static PluginDescriptor> = vec![$(
                Box::leak(Box::new(PluginDescriptor::new(
                    PluginType::$ty,
                    $name,
                    "1.0.0",
                    crate::plugin_source!(X),
                    never,
                ))),
            )*];
            all
        }};
    }

    /// The one-pass and the general grouping agree wherever the first applies, and
    /// the first declines every batch that is not strictly in order.
    #[test]
    fn both_groupings_agree_and_the_fast_one_declines_what_it_cannot_do() {
        let in_order_batch =
            descs![Dbt "a", Compute "b", Dbt "b", Dbt "c", Compute "longer-than-8-bytes"];
        let fast = in_order(&in_order_batch, 10).expect("strictly in order");
        let slow = sorted(&in_order_batch, 10, name_of(&in_order_batch, 10));
        assert_eq!(fast.fresh, slow.fresh);
        assert!(fast.extra.iter().chain(&slow.extra).all(Vec::is_empty));
        let dbt = PluginType::Dbt.index();
        assert_eq!(fast.fresh[dbt], [10, 12, 13]);

        // Out of order, a duplicate, and two names sharing their first 8 bytes.
        let cases = [
            descs![Dbt "b", Dbt "a"],
            descs![Dbt "a", Dbt "a"],
            descs![Dbt "same-prefix-2", Dbt "same-prefix-1"],
        ];
        for batch in &cases {
            assert!(in_order(batch, 0).is_none());
        }
        let grouped = sorted(&cases[0], 0, name_of(&cases[0], 0));
        assert_eq!(grouped.fresh[dbt], [1, 0]);
        let grouped = sorted(&cases[1], 0, name_of(&cases[1], 0));
        assert_eq!(
            (grouped.fresh[dbt].clone(), grouped.extra[dbt].clone()),
            (vec![0], vec![(0, 1)])
        );
        let grouped = sorted(&cases[2], 0, name_of(&cases[2], 0));
        assert_eq!(grouped.fresh[dbt], [1, 0]);
    }

    /// The names of `batch`, whose entry indexes start at `start`.
    fn name_of(
        batch: &[&'static PluginDescriptor],
        start: usize,
    ) -> impl Fn(usize) -> &'static str {
        let batch = batch.to_vec();
        move |at| batch.get(at.wrapping_sub(start)).map_or("", |d| d.name)
    }
}
