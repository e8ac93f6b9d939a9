//! A fixed number of one workload, for instruction counts under callgrind (which are
//! deterministic where times on a shared machine are not):
//!
//! ```sh
//! cargo bench -p floe-registry-bench --bench profile --no-run
//! valgrind --tool=callgrind <that binary> configure_valid 1000
//! ```
//!
//! Instructions per call = (Ir at 2 x ITERS - Ir at ITERS) / ITERS, which removes the
//! setup; `scripts/bench-instructions` does that for every workload.

use std::hint::black_box;

use floe_registry::prelude::*;
use floe_registry_bench::*;

fn main() {
    let args: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| a != "--bench")
        .collect();
    let (Some(workload), Some(iters)) = (args.first(), args.get(1)) else {
        // `cargo bench` runs every bench target without arguments: nothing to do.
        eprintln!("usage: profile WORKLOAD ITERS");
        return;
    };
    let iters: usize = iters.parse().expect("ITERS is a number");
    match workload.as_str() {
        "configure_valid" | "configure_invalid" | "baseline_from_value" => {
            let registry = duck_registry();
            let input = if workload == "configure_invalid" {
                invalid_config()
            } else {
                valid_config()
            };
            for _ in 0..iters {
                let v = input.clone();
                let ok = match workload.as_str() {
                    "baseline_from_value" => from_value(v),
                    _ => registry.configure(PluginType::Compute, DUCK, v).is_ok(),
                };
                black_box(ok);
            }
            // The clones are counted too: measure `clone_config` and subtract it.
        }
        "floor_valid" => {
            let registry = duck_registry();
            let mut floor = ConfigureFloor::new(&registry);
            let input = valid_config();
            for _ in 0..iters {
                black_box(floor.configure(input.clone()));
            }
        }
        "clone_config" => {
            let input = valid_config();
            for _ in 0..iters {
                black_box(input.clone());
            }
        }
        "resolve_chain_50" => {
            let chain = chain();
            let registry = registry_of(&chain);
            let selection = chain_selection(&chain);
            for _ in 0..iters {
                black_box(registry.resolve_dependencies(black_box(&selection)).is_ok());
            }
        }
        "baseline_kahn_50" => {
            let deps = chain_deps(50);
            for _ in 0..iters {
                black_box(kahn(black_box(&deps)).len());
            }
        }
        "hot_get" | "baseline_hash_probe" => {
            let descriptors = generated(1_000);
            let target = descriptors[500];
            let registry = loaded_registry_of(&descriptors);
            let map = probe_map(&descriptors);
            for _ in 0..iters {
                let found = if workload == "hot_get" {
                    registry
                        .get(black_box(target.plugin_type), black_box(&*target.name))
                        .is_ok()
                } else {
                    map.get(black_box(&*target.name)).cloned().is_some()
                };
                black_box(found);
            }
        }
        "health_11" => {
            let registry = health_registry("instant-");
            for _ in 0..iters {
                black_box(registry.health_check_all().len());
            }
        }
        "baseline_11_noop_jobs" => {
            for _ in 0..iters {
                black_box(noop_jobs(11));
            }
        }
        "first_get_10000" => {
            // Discovery then one get: subtract `discover_10000` for the first get.
            let descriptors = generated(10_000);
            let target = descriptors[5_000];
            for _ in 0..iters {
                let registry = registry_of(&descriptors);
                black_box(
                    registry
                        .get(target.plugin_type, black_box(&*target.name))
                        .is_ok(),
                );
            }
        }
        "discover_10000"
        | "baseline_names_10000"
        | "discover_scrambled_10000"
        | "baseline_names_scrambled_10000" => {
            let descriptors = if workload.contains("scrambled") {
                scrambled(10_000)
            } else {
                generated(10_000)
            };
            for _ in 0..iters {
                if workload.starts_with("discover") {
                    black_box(registry_of(&descriptors));
                } else {
                    black_box(sorted_names(&descriptors));
                }
            }
        }
        other => {
            eprintln!("unknown workload {other}");
            std::process::exit(2);
        }
    }
}
