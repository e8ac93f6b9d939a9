//! Runtime benchmarks of the registry: `cargo bench -p floe-registry`.
//!
//! Registries of N = 11, 1,000 and 10,000 registrations come from the `bench-plugins`
//! fixture (generated at build time through the real attribute). Figures and targets
//! are in BENCHMARKS.md.

use std::hint::black_box;
use std::sync::{Arc, Barrier};
use std::time::{Duration, Instant};

use bench_plugins as _;
use criterion::{BatchSize, BenchmarkId, Criterion, criterion_group, criterion_main};
use floe_registry::__private::FLOE_REGISTRY_PLUGINS;
use floe_registry::prelude::*;
use floe_registry::{PluginDescriptor, PluginId};
use serde::Deserialize;
use serde_json::json;

const SIZES: [usize; 3] = [11, 1_000, 10_000];

/// The first `n` generated plugins (`p00000`...), by name.
fn generated(n: usize) -> Vec<&'static PluginDescriptor> {
    let mut all: Vec<&'static PluginDescriptor> = FLOE_REGISTRY_PLUGINS
        .iter()
        .filter(|d| d.name.starts_with('p'))
        .collect();
    all.sort_by_key(|d| d.name);
    all.truncate(n);
    assert_eq!(all.len(), n, "the fixture has enough plugins");
    all
}

fn registry_of(descriptors: &[&'static PluginDescriptor]) -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_from(descriptors.iter().copied());
    registry
}

fn discovery(c: &mut Criterion) {
    let mut group = c.benchmark_group("discover_all");
    for n in SIZES {
        let descriptors = generated(n);
        group.bench_with_input(BenchmarkId::from_parameter(n), &descriptors, |b, d| {
            b.iter_batched(
                PluginRegistry::new,
                |r| {
                    r.discover_from(d.iter().copied());
                    r
                },
                BatchSize::SmallInput,
            )
        });
    }
    group.finish();
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
                    black_box(r.get(target.plugin_type, target.name).is_ok());
                    r
                },
                BatchSize::LargeInput,
            )
        });
        let registry = registry_of(&descriptors);
        for d in &descriptors {
            let _ = registry.get(d.plugin_type, d.name);
        }
        group.bench_function("hot_get", |b| {
            b.iter(|| {
                registry
                    .get(black_box(target.plugin_type), black_box(target.name))
                    .is_ok()
            })
        });
        group.bench_function("list_type", |b| {
            b.iter(|| registry.list(black_box(PluginType::Storage)).len())
        });
        group.bench_function("list_all", |b| b.iter(|| registry.list_all().len()));
        group.bench_function("info", |b| {
            b.iter(|| {
                registry
                    .info(target.plugin_type, black_box(target.name))
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
    let _ = registry.get(target.plugin_type, target.name);
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
                                        .get(target.plugin_type, black_box(target.name))
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

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct DuckDbSized {
    #[schemars(range(min = 1, max = 64))]
    threads: u32,
    #[schemars(range(min = 1, max = 86400))]
    timeout_seconds: u32,
    path: String,
    #[schemars(regex(pattern = r"^[0-9]+(GB|MB)$"))]
    memory_limit: String,
    connection: Connection,
    extensions: Vec<String>,
}

#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
struct Connection {
    host: String,
    #[schemars(range(min = 1, max = 65535))]
    port: u32,
}

#[floe_plugin(type = Compute, name = "bench-duckdb", version = "1.0.0", config = DuckDbSized)]
#[derive(Default)]
struct BenchDuck;
impl ComputePlugin for BenchDuck {}

fn configure(c: &mut Criterion) {
    let registry = PluginRegistry::new();
    registry
        .register(BenchDuck.descriptor())
        .expect("registers");
    let valid = json!({
        "threads": 4, "timeout_seconds": 3600, "path": "/data/a.duckdb", "memory_limit": "4GB",
        "connection": {"host": "db", "port": 5432}, "extensions": ["iceberg", "httpfs"]
    });
    let invalid = json!({
        "threads": 0, "timeout_seconds": 3600, "path": "/data/a.duckdb", "memory_limit": "lots",
        "connection": {"host": "db", "port": 5432}, "extensions": ["iceberg", "httpfs"], "colour": "red"
    });
    // Build the cached validator before measuring.
    registry
        .configure(PluginType::Compute, "bench-duckdb", valid.clone())
        .expect("valid");
    let errors = match registry.configure(PluginType::Compute, "bench-duckdb", invalid.clone()) {
        Err(PluginError::Configuration { errors, .. }) => errors.len(),
        _ => 0,
    };
    assert_eq!(errors, 3, "the invalid config carries 3 errors");
    let mut group = c.benchmark_group("configure");
    group.bench_function("valid", |b| {
        b.iter_batched(
            || valid.clone(),
            |v| {
                registry
                    .configure(PluginType::Compute, "bench-duckdb", v)
                    .is_ok()
            },
            BatchSize::SmallInput,
        )
    });
    group.bench_function("invalid_3_errors", |b| {
        b.iter_batched(
            || invalid.clone(),
            |v| {
                registry
                    .configure(PluginType::Compute, "bench-duckdb", v)
                    .is_err()
            },
            BatchSize::SmallInput,
        )
    });
    group.finish();
}

fn dependencies(c: &mut Criterion) {
    let chain: Vec<&'static PluginDescriptor> = FLOE_REGISTRY_PLUGINS
        .iter()
        .filter(|d| d.name.starts_with("chain-"))
        .collect();
    assert_eq!(chain.len(), 50);
    let registry = registry_of(&chain);
    let mut selection: Vec<PluginId> = chain
        .iter()
        .map(|d| PluginId::new(d.plugin_type, d.name))
        .collect();
    selection.reverse();
    c.bench_function("resolve_dependencies/chain_50", |b| {
        b.iter(|| {
            registry
                .resolve_dependencies(black_box(&selection))
                .map(|o| o.len())
        })
    });
}

macro_rules! health_plugins {
    ($($ty:ident $name:literal $sleep:literal;)*) => {
        $(
            #[floe_plugin(type = Identity, name = $name, version = "1.0.0")]
            #[derive(Default)]
            struct $ty;
            impl IdentityPlugin for $ty {
                fn health_check(&self) -> HealthStatus {
                    if $sleep > 0 {
                        std::thread::sleep(Duration::from_millis($sleep));
                    }
                    HealthStatus::healthy()
                }
            }
        )*
    };
}

health_plugins! {
    I0 "instant-0" 0; I1 "instant-1" 0; I2 "instant-2" 0; I3 "instant-3" 0; I4 "instant-4" 0; I5 "instant-5" 0;
    I6 "instant-6" 0; I7 "instant-7" 0; I8 "instant-8" 0; I9 "instant-9" 0; I10 "instant-10" 0;
    S0 "sleepy-0" 200; S1 "sleepy-1" 200; S2 "sleepy-2" 200; S3 "sleepy-3" 200; S4 "sleepy-4" 200; S5 "sleepy-5" 200;
    S6 "sleepy-6" 200; S7 "sleepy-7" 200; S8 "sleepy-8" 200; S9 "sleepy-9" 200; S10 "sleepy-10" 200;
}

fn health_registry(prefix: &str) -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_from(
        FLOE_REGISTRY_PLUGINS
            .iter()
            .filter(|d| d.name.starts_with(prefix)),
    );
    for d in FLOE_REGISTRY_PLUGINS
        .iter()
        .filter(|d| d.name.starts_with(prefix))
    {
        let _ = registry.get(d.plugin_type, d.name);
    }
    registry
}

fn health(c: &mut Criterion) {
    let instant = health_registry("instant-");
    assert_eq!(instant.health_check_all().len(), 11);
    c.bench_function("health_check_all/11_instant", |b| {
        b.iter(|| instant.health_check_all().len())
    });
    let sleepy = health_registry("sleepy-");
    let mut group = c.benchmark_group("health_check_all");
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
