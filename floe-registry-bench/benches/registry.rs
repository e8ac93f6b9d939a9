//! Runtime benchmarks of the registry: `cargo bench -p floe-registry-bench --bench
//! registry`, or `scripts/bench-ratios` for the ratios to the baselines.
//!
//! Registries of N = 11, 1,000 and 10,000 registrations come from the `bench-plugins`
//! fixture (generated at build time through the real attribute). Each registry
//! benchmark has a `baseline_*` beside it in the same group: the same work done by the
//! plainest code that could do it, measured in the same run, so that the ratio carries
//! over between machines. Figures and targets are in BENCHMARKS.md.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use floe_registry::prelude::*;
use floe_registry_bench::*;

const SIZES: [usize; 3] = [11, 1_000, 10_000];

/// Discovery and its baseline, one setup and one drop around each timed call
/// (`PerIteration`): with batches, criterion keeps a batch of outputs alive (up to
/// hundreds of registries or name vectors of 80-160 KB each) and frees them together,
/// so whether the next batch gets fresh pages from the kernel (a page fault per 4 KB)
/// or reuses the heap depended on glibc's trimming, and both the baseline and ours
/// came out bimodal (39.9 or 76.7 µs for the same baseline code in one sitting).
fn discovery(c: &mut Criterion) {
    let mut group = c.benchmark_group("discover_all");
    for n in SIZES {
        discover_and_baseline(
            &mut group,
            BenchmarkId::from_parameter(n),
            BenchmarkId::new("baseline_names", n),
            &generated(n),
        );
    }
    // In link order rather than name order: discovery then sorts, and so does the
    // baseline.
    let n = 10_000;
    discover_and_baseline(
        &mut group,
        BenchmarkId::new("scrambled", n),
        BenchmarkId::new("baseline_names_scrambled", n),
        &scrambled(n),
    );
    group.finish();
}

/// `discover_from` of `descriptors` into a new registry, and its baseline on the same
/// descriptors.
fn discover_and_baseline(
    group: &mut criterion::BenchmarkGroup<'_, criterion::measurement::WallTime>,
    ours: BenchmarkId,
    baseline: BenchmarkId,
    descriptors: &[&'static floe_registry::PluginDescriptor],
) {
    group.bench_with_input(ours, descriptors, |b, d| {
        b.iter_batched(
            PluginRegistry::new,
            |r| {
                r.discover_from(d.iter().copied());
                r
            },
            BatchSize::PerIteration,
        )
    });
    group.bench_with_input(baseline, descriptors, |b, d| {
        b.iter_batched(|| (), |()| sorted_names(d), BatchSize::PerIteration)
    });
}

fn lookups(c: &mut Criterion) {
    for n in SIZES {
        let descriptors = generated(n);
        let target = descriptors[n / 2];
        let mut group = c.benchmark_group(format!("lookups/N={n}"));
        group.bench_function("first_get", |b| {
            b.iter_batched(
                || registry_of(&descriptors),
                |r| {
                    black_box(r.get(target.plugin_type, &target.name).is_ok());
                    r
                },
                BatchSize::LargeInput,
            )
        });
        let registry = loaded_registry_of(&descriptors);
        group.bench_function("hot_get", |b| {
            b.iter(|| {
                registry
                    .get(black_box(target.plugin_type), black_box(&*target.name))
                    .is_ok()
            })
        });
        let map = probe_map(&descriptors);
        group.bench_function("baseline_hash_probe", |b| {
            b.iter(|| map.get(black_box(&*target.name)).cloned().is_some())
        });
        group.bench_function("list_type", |b| {
            b.iter(|| registry.list(black_box(PluginType::Storage)).len())
        });
        group.bench_function("list_all", |b| b.iter(|| registry.list_all().len()));
        group.bench_function("info", |b| {
            b.iter(|| {
                registry
                    .info(target.plugin_type, black_box(&*target.name))
                    .is_ok()
            })
        });
        group.finish();
    }
}

/// Hot gets from one thread, then from two: the ratio of throughputs is the scaling.
fn hot_get_scaling(c: &mut Criterion) {
    let descriptors = generated(1_000);
    let registry = Arc::new(registry_of(&descriptors));
    let target = descriptors[500];
    let _ = registry.get(target.plugin_type, &target.name);
    let mut group = c.benchmark_group("hot_get_threads");
    for threads in [1usize, 2] {
        group.bench_function(BenchmarkId::from_parameter(threads), |b| {
            b.iter_custom(|iters| {
                let barrier = Arc::new(Barrier::new(threads + 1));
                let workers: Vec<_> = (0..threads)
                    .map(|_| {
                        let registry = Arc::clone(&registry);
                        let barrier = Arc::clone(&barrier);
                        std::thread::spawn(move || {
                            barrier.wait();
                            for _ in 0..iters {
                                black_box(
                                    registry
                                        .get(target.plugin_type, black_box(&*target.name))
                                        .is_ok(),
                                );
                            }
                        })
                    })
                    .collect();
                barrier.wait();
                let start = Instant::now();
                for w in workers {
                    let _ = w.join();
                }
                // Time per get per thread: equal to the 1-thread figure when scaling is perfect.
                start.elapsed()
            })
        });
    }
    group.finish();
}

fn configure(c: &mut Criterion) {
    let registry = duck_registry();
    let (valid, invalid) = (valid_config(), invalid_config());
    let mut group = c.benchmark_group("configure");
    group.bench_function("valid", |b| {
        b.iter_batched(
            || valid.clone(),
            |v| registry.configure(PluginType::Compute, DUCK, v).is_ok(),
            BatchSize::SmallInput,
        )
    });
    group.bench_function("baseline_from_value", |b| {
        b.iter_batched(|| valid.clone(), from_value, BatchSize::SmallInput)
    });
    // Not a baseline: the contract's least work (`ConfigureFloor`), to tell the
    // registry's own cost from what the contract asks.
    let mut floor = ConfigureFloor::new(&registry);
    assert!(
        floor.configure(valid.clone()) && !floor.configure(invalid.clone()),
        "the floor accepts the valid config and enforces the schema on the invalid one"
    );
    group.bench_function("floor_validate_keep", |b| {
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

fn dependencies(c: &mut Criterion) {
    let chain = chain();
    let registry = registry_of(&chain);
    let selection = chain_selection(&chain);
    let deps = chain_deps(chain.len());
    let mut group = c.benchmark_group("resolve_dependencies");
    group.bench_function("chain_50", |b| {
        b.iter(|| {
            registry
                .resolve_dependencies(black_box(&selection))
                .map(|o| o.len())
        })
    });
    group.bench_function("baseline_kahn_50", |b| {
        b.iter(|| kahn(black_box(&deps)).len())
    });
    group.finish();
}

fn health(c: &mut Criterion) {
    let instant = health_registry("instant-");
    assert_eq!(instant.health_check_all().len(), 11);
    assert_eq!(noop_jobs(11), 11);
    let mut group = c.benchmark_group("health_check_all");
    group.bench_function("11_instant", |b| {
        b.iter(|| instant.health_check_all().len())
    });
    group.bench_function("baseline_11_noop_jobs", |b| {
        b.iter(|| noop_jobs(black_box(11)))
    });
    group.finish();
    let sleepy = health_registry("sleepy-");
    let mut group = c.benchmark_group("health_check_all_sleeping");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(5));
    group.bench_function("11_x_200ms", |b| b.iter(|| sleepy.health_check_all().len()));
    group.finish();
}

criterion_group!(
    benches,
    discovery,
    lookups,
    hot_get_scaling,
    configure,
    dependencies,
    health
);
criterion_main!(benches);
