//! Benchmarks of `floe-registry` (in `benches/`): every runtime figure against a
//! baseline measured in the same run, and the heap bytes per registration. Run them
//! with `scripts/bench-ratios`; figures and targets are in BENCHMARKS.md.
//!
//! A crate of its own so that `cargo test -p floe-registry` does not build the
//! 10,000-plugin fixture. This library holds what the benchmarks and the profiling
//! driver share: the fixtures, the workloads and their baselines, each written once.

use std::any::Any;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::sync::Arc;
use std::time::Duration;

use bench_plugins as _;
use floe_registry::__private::FLOE_REGISTRY_PLUGINS;
use floe_registry::prelude::*;
use floe_registry::{PluginDescriptor, PluginId};
use serde::Deserialize;
use serde_json::{Value, json};

/// The name of a linked descriptor, for as long as the descriptor.
pub fn name(d: &'static PluginDescriptor) -> &'static str {
    &d.name
}

/// The first `n` generated plugins (`p00000`...), by name.
pub fn generated(n: usize) -> Vec<&'static PluginDescriptor> {
    let mut all: Vec<&'static PluginDescriptor> = FLOE_REGISTRY_PLUGINS
        .iter()
        .filter(|d| d.name.starts_with('p'))
        .collect();
    all.sort_by_key(|&d| name(d));
    all.truncate(n);
    assert_eq!(all.len(), n, "the fixture has enough plugins");
    all
}

/// The same registrations as [`generated`], in a fixed scrambled order (step 7,919
/// modulo `n`, a prime not dividing the sizes used): the order of a linked slice
/// is link order, not name order, so discovery cannot count on sorted input.
pub fn scrambled(n: usize) -> Vec<&'static PluginDescriptor> {
    let sorted = generated(n);
    assert!(!n.is_multiple_of(7_919), "7,919 must not divide n");
    (0..n).map(|i| sorted[i * 7_919 % n]).collect()
}

/// A registry of `descriptors`, nothing loaded.
pub fn registry_of(descriptors: &[&'static PluginDescriptor]) -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_from(descriptors.iter().copied());
    registry
}

/// A registry of `descriptors`, every plugin loaded.
pub fn loaded_registry_of(descriptors: &[&'static PluginDescriptor]) -> PluginRegistry {
    let registry = registry_of(descriptors);
    for d in descriptors {
        let _ = registry.get(d.plugin_type, &d.name);
    }
    registry
}

/// Baseline of `discover_all`: build and sort the same number of names.
pub fn sorted_names(descriptors: &[&'static PluginDescriptor]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = descriptors.iter().map(|&d| name(d)).collect();
    names.sort_unstable();
    names
}

/// A plugin handle as the baseline of `get` holds it: reference-counted.
pub type Handle = Arc<dyn Any + Send + Sync>;

/// The map the baseline of `get` probes: name to handle, with the registry's
/// fixed-seed hash.
pub type ProbeMap = HashMap<&'static str, Handle, foldhash::fast::FixedState>;

/// Baseline of `get`: the same names in a bare hash map.
pub fn probe_map(descriptors: &[&'static PluginDescriptor]) -> ProbeMap {
    descriptors
        .iter()
        .map(|&d| (name(d), Arc::new(d.name.len()) as Handle))
        .collect()
}

/// A config the size of DuckDB's: 6 fields, a nested object, a list.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct DuckDbSized {
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

/// The nested object of [`DuckDbSized`].
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct Connection {
    host: String,
    #[schemars(range(min = 1, max = 65535))]
    port: u32,
}

/// The plugin configured in the benchmarks.
#[floe_plugin(type = Compute, name = "bench-duckdb", version = "1.0.0", config = DuckDbSized)]
#[derive(Default)]
pub struct BenchDuck;
impl ComputePlugin for BenchDuck {}

/// The name of [`BenchDuck`].
pub const DUCK: &str = "bench-duckdb";

/// A valid config of [`BenchDuck`].
pub fn valid_config() -> Value {
    json!({
        "threads": 4, "timeout_seconds": 3600, "path": "/data/a.duckdb", "memory_limit": "4GB",
        "connection": {"host": "db", "port": 5432}, "extensions": ["iceberg", "httpfs"]
    })
}

/// A config of [`BenchDuck`] with 3 problems: a range, a pattern, an unknown field.
pub fn invalid_config() -> Value {
    json!({
        "threads": 0, "timeout_seconds": 3600, "path": "/data/a.duckdb", "memory_limit": "lots",
        "connection": {"host": "db", "port": 5432}, "extensions": ["iceberg", "httpfs"], "colour": "red"
    })
}

/// A registry holding [`BenchDuck`], its validator built.
pub fn duck_registry() -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry
        .register(BenchDuck.descriptor())
        .expect("registers");
    registry
        .configure(PluginType::Compute, DUCK, valid_config())
        .expect("valid");
    let errors = match registry.configure(PluginType::Compute, DUCK, invalid_config()) {
        Err(PluginError::Configuration { errors, .. }) => errors,
        _ => Vec::new(),
    };
    assert_eq!(errors.len(), 3, "the invalid config carries 3 errors");
    registry
}

/// Baseline of `configure`: serde alone into the same struct, nothing validated or
/// stored.
pub fn from_value(config: Value) -> bool {
    serde_json::from_value::<DuckDbSized>(config).is_ok()
}

/// The least work `configure` is asked to do, done by the plainest code: the schema
/// checked (every keyword, as the registry's validator is built), serde from the
/// borrowed value, and both kept (the JSON for `config_json`, the typed value shared
/// as an `Arc` as `config` hands it out), the previous pair dropped. No lookup, no
/// lock-free store, no redaction: the registry's own costs are its distance to this.
pub struct ConfigureFloor {
    validator: jsonschema::Validator,
    kept: Option<(Value, Arc<DuckDbSized>)>,
}

impl ConfigureFloor {
    /// The floor of [`BenchDuck`]'s configure, its validator built from the schema
    /// `registry` (a [`duck_registry`]) derives for it.
    pub fn new(registry: &PluginRegistry) -> Self {
        let schema = registry
            .config_schema(PluginType::Compute, DUCK)
            .ok()
            .flatten()
            .expect("the plugin has a schema");
        let validator = jsonschema::options()
            .with_draft(jsonschema::Draft::Draft202012)
            .build(&schema)
            .expect("the derived schema compiles");
        ConfigureFloor {
            validator,
            kept: None,
        }
    }

    /// Validates, deserializes and keeps `config`; whether it was valid.
    pub fn configure(&mut self, config: Value) -> bool {
        if !self.validator.is_valid(&config) {
            return false;
        }
        match DuckDbSized::deserialize(&config) {
            Ok(typed) => {
                self.kept = Some((config, Arc::new(typed)));
                true
            }
            Err(_) => false,
        }
    }
}

/// The 50 plugins of the fixture's chain.
pub fn chain() -> Vec<&'static PluginDescriptor> {
    let chain: Vec<&'static PluginDescriptor> = FLOE_REGISTRY_PLUGINS
        .iter()
        .filter(|d| d.name.starts_with("chain-"))
        .collect();
    assert_eq!(chain.len(), 50);
    chain
}

/// The chain's identities, last first (the worst order for a naive sort).
pub fn chain_selection(chain: &[&'static PluginDescriptor]) -> Vec<PluginId> {
    let mut selection: Vec<PluginId> = chain
        .iter()
        .map(|d| PluginId::new(d.plugin_type, &*d.name))
        .collect();
    selection.reverse();
    selection
}

/// Baseline of `resolve_dependencies`: the chain as vectors of indices (node `i`
/// needs `i - 1`).
pub fn chain_deps(n: usize) -> Vec<Vec<usize>> {
    (0..n)
        .map(|i| if i == 0 { Vec::new() } else { vec![i - 1] })
        .collect()
}

/// Baseline of `resolve_dependencies`: a plain Kahn sort, every node after the nodes
/// it needs, the smallest ready node first.
pub fn kahn(deps: &[Vec<usize>]) -> Vec<usize> {
    let n = deps.len();
    let mut waiting: Vec<usize> = deps.iter().map(Vec::len).collect();
    let mut dependents: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (i, d) in deps.iter().enumerate() {
        for &j in d {
            dependents[j].push(i);
        }
    }
    let mut ready: BinaryHeap<Reverse<usize>> =
        (0..n).filter(|&i| waiting[i] == 0).map(Reverse).collect();
    let mut order = Vec::with_capacity(n);
    while let Some(Reverse(i)) = ready.pop() {
        order.push(i);
        for &k in &dependents[i] {
            waiting[k] -= 1;
            if waiting[k] == 0 {
                ready.push(Reverse(k));
            }
        }
    }
    order
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

/// A registry of the 11 health plugins whose names start with `prefix` (`instant-`
/// or `sleepy-`, which sleep 200 ms), all loaded.
pub fn health_registry(prefix: &str) -> PluginRegistry {
    let descriptors: Vec<&'static PluginDescriptor> = FLOE_REGISTRY_PLUGINS
        .iter()
        .filter(|d| d.name.starts_with(prefix))
        .collect();
    assert_eq!(descriptors.len(), 11);
    loaded_registry_of(&descriptors)
}

/// Baseline of `health_check_all`: 11 no-op jobs through the registry's thread pool.
pub fn noop_jobs(n: usize) -> usize {
    floe_registry::__private::dispatch_noop_jobs(n)
}
