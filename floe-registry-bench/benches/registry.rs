//! The runtime goals of the registry, each against its baseline in the same run:
//! `cargo bench -p floe-registry-bench --bench registry`, or `scripts/bench-ratios`
//! for the ratios and whether each goal is met. Goals and figures: BENCHMARKS.md.
//!
//! Each group holds a registry row and the row it is measured against; the workloads
//! and baselines are in the crate's library, whose constructors check what each row
//! measures.

use std::hint::black_box;

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use floe_registry::prelude::*;
use floe_registry_bench::*;

/// `get` of a loaded plugin among 1,000 and 10,000, against a bare `HashMap` probe
/// that clones an `Arc`.
fn hot_get(c: &mut Criterion) {
    let mut group = c.benchmark_group("hot_get");
    for n in [1_000, GENERATED] {
        let hot = HotGet::new(n);
        group.bench_function(BenchmarkId::new("registry", n), |b| b.iter(|| hot.get()));
        group.bench_function(BenchmarkId::new("baseline_hash_probe", n), |b| {
            b.iter(|| hot.baseline())
        });
    }
    group.finish();
}

/// `discover_from` of the 10,000 generated descriptors into a new registry, against
/// building and sorting their names.
///
/// One setup and one drop around each timed call (`PerIteration`): with batches,
/// criterion keeps a batch of outputs alive (hundreds of registries or name vectors)
/// and frees them together, and whether the next batch then reuses the heap or takes
/// fresh pages from the kernel made both rows bimodal.
fn discover_10000(c: &mut Criterion) {
    let descriptors = generated(GENERATED);
    check_discovery(&descriptors);
    let mut group = c.benchmark_group("discover");
    group.bench_function(BenchmarkId::new("registry", GENERATED), |b| {
        b.iter_batched(
            || (),
            |()| discover(black_box(&descriptors)),
            BatchSize::PerIteration,
        )
    });
    group.bench_function(BenchmarkId::new("baseline_sorted_names", GENERATED), |b| {
        b.iter_batched(
            || (),
            |()| sorted_names(black_box(&descriptors)),
            BatchSize::PerIteration,
        )
    });
    group.finish();
}

/// `resolve_dependencies` of the chain of 50, against a plain Kahn sort.
fn resolve(c: &mut Criterion) {
    let chain = Chain::new();
    let mut group = c.benchmark_group("resolve");
    group.bench_function("registry_chain_50", |b| b.iter(|| chain.resolve()));
    group.bench_function("baseline_kahn_50", |b| b.iter(|| chain.baseline()));
    group.finish();
}

/// `health_check_all` of 11 instant checks, against 11 no-op pool jobs.
fn health(c: &mut Criterion) {
    let health = Health::new();
    let mut group = c.benchmark_group("health");
    group.bench_function("registry_11_instant", |b| b.iter(|| health.check_all()));
    group.bench_function("baseline_11_noop_jobs", |b| b.iter(|| health.baseline()));
    group.finish();
}

/// `configure` of a valid config against [`ConfigureFloor`], and of an invalid one
/// (3 errors) against the valid one. Each call's input is a fresh clone, made
/// outside the timing.
fn configure(c: &mut Criterion) {
    let registry = duck_registry();
    let mut floor = ConfigureFloor::new(&registry);
    let (valid, invalid) = (valid_config(), invalid_config());
    let mut group = c.benchmark_group("configure");
    group.bench_function("valid", |b| {
        b.iter_batched(
            || valid.clone(),
            |v| registry.configure(PluginType::Compute, DUCK, v).is_ok(),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("floor", |b| {
        b.iter_batched(
            || valid.clone(),
            |v| floor.configure(v),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("invalid_3_errors", |b| {
        b.iter_batched(
            || invalid.clone(),
            |v| registry.configure(PluginType::Compute, DUCK, v).is_err(),
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

criterion_group!(benches, hot_get, discover_10000, resolve, health, configure);
criterion_main!(benches);
