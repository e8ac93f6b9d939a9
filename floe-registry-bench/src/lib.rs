//! Benchmarks of `floe-registry` (in `benches/`): each goal's row against its
//! baseline measured in the same run, and the heap bytes per registration. Run them
//! with `scripts/bench-ratios`; the goals and figures are in BENCHMARKS.md.
//!
//! A crate of its own so that `cargo test -p floe-registry` does not build the
//! 10,000-plugin fixture. This library holds what the benchmarks and the profiling
//! driver share: one workload type per goal, whose constructor checks that the
//! registry call and its baseline do the work they are named for (so that a row
//! never measures an error path by mistake), and each baseline, written once.

use std::any::Any;
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
use std::hint::black_box;
use std::sync::Arc;

use bench_plugins as _;
use floe_registry::__private::FLOE_REGISTRY_PLUGINS;
use floe_registry::prelude::*;
use floe_registry::{PluginDescriptor, PluginId};
use serde::Deserialize;
use serde_json::{Value, json};

/// How many generated plugins the fixture declares (and discovery is measured on).
pub const GENERATED: usize = bench_plugins::COUNT;

/// The name of a linked descriptor, for as long as the descriptor.
pub fn name(d: &'static PluginDescriptor) -> &'static str {
    &d.name
}

/// The first `n` generated plugins of `tests/fixtures/bench-plugins` (`p00000`...,
/// spread over every type), by name.
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

/// A registry of `descriptors` (`discover_from`), nothing loaded: the work of the
/// discovery row.
pub fn discover(descriptors: &[&'static PluginDescriptor]) -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_from(descriptors.iter().copied());
    registry
}

/// Baseline of discovery: build and sort the names of `descriptors`.
pub fn sorted_names(descriptors: &[&'static PluginDescriptor]) -> Vec<&'static str> {
    let mut names: Vec<&'static str> = descriptors.iter().map(|&d| name(d)).collect();
    names.sort_unstable();
    names
}

/// Checks that [`discover`] registers every one of `descriptors` and loads none, and
/// that [`sorted_names`] names them all, in order.
pub fn check_discovery(descriptors: &[&'static PluginDescriptor]) {
    let registry = discover(descriptors);
    let listed: usize = registry.list_all().values().map(Vec::len).sum();
    assert_eq!(listed, descriptors.len(), "every descriptor is registered");
    assert!(
        registry.infos().iter().all(|i| !i.is_loaded),
        "discovery builds nothing"
    );
    let names = sorted_names(descriptors);
    assert_eq!(names.len(), descriptors.len());
    assert!(names.is_sorted(), "the baseline sorts");
}

/// A plugin handle as the baseline of `get` holds it: reference-counted.
pub type Handle = Arc<dyn Any + Send + Sync>;

/// The hot-get row: `registry.get(type, name)` of a loaded plugin among `n`, and its
/// baseline, a bare `HashMap` (std's, with its default hasher, as the registry's)
/// from the same names to handles, probed and the handle cloned.
pub struct HotGet {
    registry: PluginRegistry,
    map: HashMap<&'static str, Handle>,
    target: &'static PluginDescriptor,
}

impl HotGet {
    /// `n` generated plugins, all loaded; the target is the middle one.
    pub fn new(n: usize) -> Self {
        let descriptors = generated(n);
        let registry = discover(&descriptors);
        for d in &descriptors {
            registry.get(d.plugin_type, &d.name).expect("loads");
        }
        let map: HashMap<&'static str, Handle> = descriptors
            .iter()
            .map(|&d| (name(d), Arc::new(d.name.len()) as Handle))
            .collect();
        let hot = HotGet {
            registry,
            map,
            target: descriptors[n / 2],
        };
        let info = hot
            .registry
            .info(hot.target.plugin_type, &hot.target.name)
            .expect("found");
        assert!(info.is_loaded, "the target is loaded before it is measured");
        let instance = hot
            .registry
            .get(hot.target.plugin_type, &hot.target.name)
            .expect("found");
        assert_eq!(instance.metadata().name(), name(hot.target));
        assert!(hot.get() && hot.baseline(), "both find the target");
        hot
    }

    /// One `get` of the target: whether it was found.
    pub fn get(&self) -> bool {
        self.registry
            .get(
                black_box(self.target.plugin_type),
                black_box(&*self.target.name),
            )
            .is_ok()
    }

    /// Baseline: one probe of the map for the target's name, its handle cloned (and
    /// dropped): whether it was found.
    pub fn baseline(&self) -> bool {
        self.map
            .get(black_box(name(self.target)))
            .cloned()
            .is_some()
    }
}

/// The resolve row: `resolve_dependencies` of the fixture's chain of 50 compute
/// plugins (`chain-i` needs `chain-(i-1)`), given last first, and its baseline, a
/// plain Kahn sort of the same graph as vectors of indices.
pub struct Chain {
    registry: PluginRegistry,
    selection: Vec<PluginId>,
    deps: Vec<Vec<usize>>,
}

impl Chain {
    /// The length of the fixture's chain.
    pub const LEN: usize = bench_plugins::CHAIN;

    /// A registry of the chain; both sorts checked to give the chain's order.
    pub fn new() -> Self {
        let mut chain: Vec<&'static PluginDescriptor> = FLOE_REGISTRY_PLUGINS
            .iter()
            .filter(|d| d.name.starts_with("chain-"))
            .collect();
        chain.sort_by_key(|&d| name(d));
        assert_eq!(chain.len(), Self::LEN);
        let registry = discover(&chain);
        // Last first: the worst order for a naive sort.
        let selection: Vec<PluginId> = chain
            .iter()
            .rev()
            .map(|d| PluginId::new(d.plugin_type, &*d.name))
            .collect();
        let deps = (0..Self::LEN)
            .map(|i| if i == 0 { Vec::new() } else { vec![i - 1] })
            .collect();
        let c = Chain {
            registry,
            selection,
            deps,
        };
        let order = c
            .registry
            .resolve_dependencies(&c.selection)
            .expect("the chain resolves");
        let names: Vec<&str> = order.iter().map(|id| &*id.name).collect();
        let expected: Vec<&str> = chain.iter().map(|&d| name(d)).collect();
        assert_eq!(names, expected, "every plugin after its dependency");
        assert!(
            kahn(&c.deps).into_iter().eq(0..Self::LEN),
            "the baseline orders the chain"
        );
        c
    }

    /// One `resolve_dependencies` of the chain: the length of the order.
    pub fn resolve(&self) -> usize {
        self.registry
            .resolve_dependencies(black_box(&self.selection))
            .map_or(0, |order| order.len())
    }

    /// Baseline: [`kahn`] of the chain: the length of the order.
    pub fn baseline(&self) -> usize {
        kahn(black_box(&self.deps)).len()
    }
}

impl Default for Chain {
    fn default() -> Self {
        Self::new()
    }
}

/// A plain Kahn sort with std's `BinaryHeap`: node `i` after the nodes `deps[i]`,
/// the smallest ready node first.
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

macro_rules! instant_plugins {
    ($($ty:ident $name:literal;)*) => {
        $(
            #[floe_plugin(type = Identity, name = $name, version = "1.0.0")]
            #[derive(Default)]
            struct $ty;
            impl IdentityPlugin for $ty {
                fn health_check(&self) -> HealthStatus {
                    HealthStatus::healthy()
                }
            }
        )*
    };
}

instant_plugins! {
    I0 "instant-0"; I1 "instant-1"; I2 "instant-2"; I3 "instant-3"; I4 "instant-4"; I5 "instant-5";
    I6 "instant-6"; I7 "instant-7"; I8 "instant-8"; I9 "instant-9"; I10 "instant-10";
}

/// The health row: `health_check_all` of 11 loaded plugins whose check answers at
/// once, and its baseline, 11 no-op jobs through the registry's thread pool
/// (`floe_registry::__private::dispatch_noop_jobs`).
pub struct Health {
    registry: PluginRegistry,
}

impl Health {
    /// How many plugins are checked.
    pub const PLUGINS: usize = 11;

    /// A registry of the 11 instant plugins, all loaded, each checked healthy once.
    pub fn new() -> Self {
        let descriptors: Vec<&'static PluginDescriptor> = FLOE_REGISTRY_PLUGINS
            .iter()
            .filter(|d| d.name.starts_with("instant-"))
            .collect();
        assert_eq!(descriptors.len(), Self::PLUGINS);
        let registry = discover(&descriptors);
        for d in &descriptors {
            registry.get(d.plugin_type, &d.name).expect("loads");
        }
        let report = registry.health_check_all();
        assert_eq!(report.len(), Self::PLUGINS, "every plugin is checked");
        assert!(
            report.values().all(|s| s.state == HealthState::Healthy),
            "every check answers, in time: {report:?}"
        );
        let health = Health { registry };
        assert_eq!(health.baseline(), Self::PLUGINS, "every job ends");
        health
    }

    /// One `health_check_all`: how many plugins it reports on.
    pub fn check_all(&self) -> usize {
        self.registry.health_check_all().len()
    }

    /// Baseline: 11 no-op jobs through the pool, each waited for: how many ended.
    pub fn baseline(&self) -> usize {
        floe_registry::__private::dispatch_noop_jobs(black_box(Self::PLUGINS))
    }
}

impl Default for Health {
    fn default() -> Self {
        Self::new()
    }
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

/// A registry holding [`BenchDuck`], its validator built: the valid config is
/// stored and the invalid one refused with its 3 errors.
pub fn duck_registry() -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry
        .register(BenchDuck.descriptor())
        .expect("registers");
    registry
        .configure(PluginType::Compute, DUCK, valid_config())
        .expect("valid");
    assert_eq!(
        registry
            .config_json(PluginType::Compute, DUCK)
            .ok()
            .flatten(),
        Some(valid_config()),
        "the valid config is stored"
    );
    let errors = match registry.configure(PluginType::Compute, DUCK, invalid_config()) {
        Err(PluginError::Configuration { errors, .. }) => errors,
        _ => Vec::new(),
    };
    assert_eq!(errors.len(), 3, "the invalid config carries 3 errors");
    registry
}

/// The baseline of configure valid: the least work `configure` is asked to do, done
/// by the plainest code: the schema checked (every keyword, as the registry's
/// validator is built), serde from the borrowed value, and both kept (the JSON for
/// `config_json`, the typed value shared as an `Arc` as `config` hands it out), the
/// previous pair dropped. No lookup, no lock-free store, no redaction: the
/// registry's own costs are its distance to this.
pub struct ConfigureFloor {
    validator: jsonschema::Validator,
    kept: Option<(Value, Arc<DuckDbSized>)>,
}

impl ConfigureFloor {
    /// The floor of [`BenchDuck`]'s configure, its validator built from the schema
    /// `registry` (a [`duck_registry`]) derives for it; checked to accept the valid
    /// config and refuse the invalid one.
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
        let mut floor = ConfigureFloor {
            validator,
            kept: None,
        };
        assert!(
            floor.configure(valid_config()) && !floor.configure(invalid_config()),
            "the floor accepts the valid config and enforces the schema on the invalid one"
        );
        floor
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
