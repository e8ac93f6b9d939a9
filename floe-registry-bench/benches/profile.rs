//! A fixed number of calls of one workload of the `registry` benchmarks, for a
//! profiler or for instruction counts under callgrind (deterministic where times on
//! a shared machine are not):
//!
//! ```sh
//! cargo bench -p floe-registry-bench --bench profile --no-run
//! valgrind --tool=callgrind <that binary> configure_valid 1000
//! perf record -g <that binary> discover_10000 200
//! ```
//!
//! Instructions per call = (Ir at 2 x ITERS - Ir at ITERS) / ITERS, which removes the
//! setup; `scripts/bench-instructions` does that for every workload.

use std::hint::black_box;

use floe_registry::prelude::*;
use floe_registry_bench::*;

/// The workloads, each a registry row or its baseline (the names
/// `scripts/bench-instructions` passes).
const WORKLOADS: &[&str] = &[
    "hot_get",
    "baseline_hash_probe",
    "discover_10000",
    "baseline_sorted_names_10000",
    "resolve_chain_50",
    "baseline_kahn_50",
    "health_11",
    "baseline_11_noop_jobs",
    "configure_valid",
    "floor_valid",
    "configure_invalid",
    "clone_config",
];

/// Calls `f` `iters` times.
fn repeat(iters: usize, mut f: impl FnMut()) {
    for _ in 0..iters {
        f();
    }
}

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(workload), Some(iters)) = (args.first(), args.get(1)) else {
        // `cargo bench` runs every bench target without arguments: nothing to do.
        eprintln!(
            "usage: profile WORKLOAD ITERS; workloads: {}",
            WORKLOADS.join(" ")
        );
        return;
    };
    let iters: usize = iters.parse().expect("ITERS is a number");
    match workload.as_str() {
        "hot_get" | "baseline_hash_probe" => {
            let hot = HotGet::new(1_000);
            let base = workload.starts_with("baseline");
            repeat(iters, || {
                black_box(if base { hot.baseline() } else { hot.get() });
            });
        }
        "discover_10000" | "baseline_sorted_names_10000" => {
            let descriptors = generated(GENERATED);
            check_discovery(&descriptors);
            let base = workload.starts_with("baseline");
            repeat(iters, || {
                if base {
                    black_box(sorted_names(&descriptors));
                } else {
                    black_box(discover(&descriptors));
                }
            });
        }
        "resolve_chain_50" | "baseline_kahn_50" => {
            let chain = Chain::new();
            let base = workload.starts_with("baseline");
            repeat(iters, || {
                black_box(if base {
                    chain.baseline()
                } else {
                    chain.resolve()
                });
            });
        }
        "health_11" | "baseline_11_noop_jobs" => {
            let health = Health::new();
            let base = workload.starts_with("baseline");
            repeat(iters, || {
                black_box(if base {
                    health.baseline()
                } else {
                    health.check_all()
                });
            });
        }
        // Each call gets a clone of its input, as criterion's batched setup gives it:
        // measure `clone_config` and subtract it.
        "configure_valid" | "configure_invalid" => {
            let registry = duck_registry();
            let input = if workload == "configure_invalid" {
                invalid_config()
            } else {
                valid_config()
            };
            repeat(iters, || {
                black_box(
                    registry
                        .configure(PluginType::Compute, DUCK, input.clone())
                        .is_ok(),
                );
            });
        }
        "floor_valid" => {
            let registry = duck_registry();
            let mut floor = ConfigureFloor::new(&registry);
            let input = valid_config();
            repeat(iters, || {
                black_box(floor.configure(input.clone()));
            });
        }
        "clone_config" => {
            let input = valid_config();
            repeat(iters, || {
                black_box(input.clone());
            });
        }
        other => {
            eprintln!(
                "unknown workload {other}; workloads: {}",
                WORKLOADS.join(" ")
            );
            std::process::exit(2);
        }
    }
}
