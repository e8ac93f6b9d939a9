//! Heap bytes per registration: `cargo bench -p floe-registry-bench --bench memory`.
//!
//! A counting global allocator measures the live heap a registry holds after
//! discovering N registrations of the `bench-plugins` fixture (before any is used;
//! the goal), then after every one is loaded (for information). One line per N,
//! read by `scripts/bench-ratios`.

// A global allocator is an `unsafe impl`; it only counts and forwards to `System`.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::hint::black_box;
use std::sync::atomic::{AtomicIsize, Ordering};

use floe_registry_bench::{GENERATED, discover, generated};

/// Live heap bytes of the process.
static LIVE: AtomicIsize = AtomicIsize::new(0);

struct Counting;

// SAFETY: every call forwards to `System` with the caller's arguments unchanged.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's contract is `System`'s.
        unsafe { System.alloc(layout) }
    }
    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.alloc_zeroed(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: as above.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: as above.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

fn main() {
    // `cargo bench` passes `--bench`; a filter, if any, is ignored: this is quick.
    for n in [1_000, GENERATED] {
        let descriptors = generated(n);
        let before = live();
        let registry = discover(&descriptors);
        let discovered = live() - before;
        for d in &descriptors {
            assert!(black_box(registry.get(d.plugin_type, &d.name).is_ok()));
        }
        let loaded = live() - before;
        println!(
            "memory/registration/{n}: {:.1} bytes per registration before first use, {:.1} after every plugin is loaded",
            discovered as f64 / n as f64,
            loaded as f64 / n as f64
        );
        drop(registry);
    }
}
