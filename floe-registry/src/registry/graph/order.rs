//! The startup order of a [`Graph`]: Kahn's algorithm, the smallest ready node first,
//! with its working arrays in one allocation; the cycle when some nodes cannot be
//! ordered.

use std::collections::BTreeMap;

use super::Graph;
use crate::{PluginError, PluginId};

impl Graph<'_> {
    /// Kahn's algorithm over the nodes `within` accepts, always taking the smallest
    /// ready node; the cycle as an error when some cannot be ordered. The identities
    /// borrow the descriptors' names: nothing is allocated for them.
    pub(super) fn order(
        &self,
        within: impl Fn(usize) -> bool,
    ) -> Result<Vec<PluginId>, PluginError> {
        let n = self.nodes.len();
        // One buffer for: how many dependencies each node waits for (`waiting`), where
        // each node's dependents start (`first`: those of `j` are
        // `dependents[first[j]..first[j + 1]]`), the dependents, and the heap of ready
        // nodes (each node enters it once).
        let mut buffer = vec![0usize; n + (n + 2) + self.dep_list.len() + n];
        let (waiting, rest) = buffer.split_at_mut(n);
        let (first, rest) = rest.split_at_mut(n + 2);
        let (dependents, heap) = rest.split_at_mut(self.dep_list.len());
        // Count each node's dependents into `first[j + 2]`, so that after the running
        // sum `first[j + 1]` is where the dependents of `j` start; filling them moves
        // it to where they end, which is where those of `j + 1` start.
        for (i, deps) in self.each_deps().filter(|&(i, _)| within(i)) {
            for &j in deps.iter().filter(|&&j| within(j)) {
                waiting[i] += 1;
                first[j + 2] += 1;
            }
        }
        for j in 0..=n {
            first[j + 1] += first[j];
        }
        for (i, deps) in self.each_deps().filter(|&(i, _)| within(i)) {
            for &j in deps.iter().filter(|&&j| within(j)) {
                dependents[first[j + 1]] = i;
                first[j + 1] += 1;
            }
        }
        let mut ready = MinHeap {
            items: heap,
            len: 0,
        };
        let mut expected = 0;
        for i in (0..n).filter(|&i| within(i)) {
            expected += 1;
            if waiting[i] == 0 {
                ready.push(i);
            }
        }
        let mut order = Vec::with_capacity(expected);
        while let Some(i) = ready.pop() {
            order.push(PluginId::from_static(self.nodes[i].0, self.ends[i].0.name));
            for &k in &dependents[first[i]..first[i + 1]] {
                waiting[k] -= 1;
                if waiting[k] == 0 {
                    ready.push(k);
                }
            }
        }
        if order.len() < expected {
            let cycle = find_cycle(self, waiting)
                .into_iter()
                .map(|i| self.nodes[i].2.to_owned())
                .collect();
            return Err(PluginError::CircularDependency { cycle });
        }
        Ok(order)
    }
}

/// A binary min-heap of node indexes in a borrowed slice, which holds every node
/// pushed (each node is pushed at most once).
struct MinHeap<'a> {
    items: &'a mut [usize],
    len: usize,
}

impl MinHeap<'_> {
    fn push(&mut self, node: usize) {
        let mut at = self.len;
        self.len += 1;
        while at > 0 {
            let parent = (at - 1) / 2;
            if self.items[parent] <= node {
                break;
            }
            self.items[at] = self.items[parent];
            at = parent;
        }
        self.items[at] = node;
    }

    #[inline]
    fn pop(&mut self) -> Option<usize> {
        if self.len == 0 {
            return None;
        }
        let top = self.items[0];
        self.len -= 1;
        let last = self.items[self.len];
        let mut at = 0;
        loop {
            let mut child = 2 * at + 1;
            if child >= self.len {
                break;
            }
            if child + 1 < self.len && self.items[child + 1] < self.items[child] {
                child += 1;
            }
            if last <= self.items[child] {
                break;
            }
            self.items[at] = self.items[child];
            at = child;
        }
        self.items[at] = last;
        Some(top)
    }
}

/// A cycle among the nodes Kahn's algorithm could not order (`waiting > 0`): walk from
/// the smallest such node along its smallest waiting dependency until a node repeats.
fn find_cycle(graph: &Graph<'_>, waiting: &[usize]) -> Vec<usize> {
    let Some(start) = (0..waiting.len()).find(|&i| waiting[i] > 0) else {
        return Vec::new();
    };
    let mut path = vec![start];
    let mut seen = BTreeMap::from([(start, 0usize)]);
    let mut at = start;
    loop {
        let Some(&next) = graph.deps(at).iter().find(|&&j| waiting[j] > 0) else {
            return path;
        };
        if let Some(&first) = seen.get(&next) {
            let mut cycle = path[first..].to_vec();
            cycle.push(next);
            return cycle;
        }
        seen.insert(next, path.len());
        path.push(next);
        at = next;
    }
}

#[cfg(test)]
mod tests {
    use super::MinHeap;

    /// The heap gives back what it was given, smallest first, pushes and pops mixed.
    #[test]
    fn the_heap_pops_the_smallest_node() {
        let mut slots = [0usize; 16];
        let mut heap = MinHeap {
            items: &mut slots,
            len: 0,
        };
        let mut popped = Vec::new();
        for node in [9, 3, 12, 0, 7, 15, 1] {
            heap.push(node);
        }
        popped.push(heap.pop());
        popped.push(heap.pop());
        for node in [2, 14, 5, 11, 4, 13, 6, 10, 8] {
            heap.push(node);
        }
        while let Some(node) = heap.pop() {
            popped.push(Some(node));
        }
        let expected: Vec<Option<usize>> = [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15]
            .into_iter()
            .map(Some)
            .collect();
        assert_eq!(popped, expected);
        assert_eq!(heap.pop(), None);
    }
}
