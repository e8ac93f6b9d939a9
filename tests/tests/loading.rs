//! Registration by hand, lazy loading, lookups and their errors.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier};
use std::time::Duration;

use floe_integration_tests::{FINE, probe};
use floe_registry::prelude::*;
use floe_registry::{PluginDescriptor, PluginInstance, plugin_source};

static BUILT: AtomicUsize = AtomicUsize::new(0);

#[derive(Default)]
struct Counted;

impl PluginMetadata for Counted {
    fn descriptor(&self) -> &'static PluginDescriptor {
        &COUNTED
    }
}

impl ComputePlugin for Counted {}

fn build_counted() -> PluginInstance {
    BUILT.fetch_add(1, Ordering::SeqCst);
    // Widen the window in which racing first calls could both construct.
    std::thread::sleep(Duration::from_millis(50));
    PluginInstance::compute(Counted)
}

static COUNTED: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "counted",
    "1.0.0",
    plugin_source!(Counted),
    build_counted,
);

#[test]
fn get_constructs_once_under_concurrent_first_calls() {
    let registry = Arc::new(PluginRegistry::new());
    registry.register(&COUNTED).expect("registers");
    assert_eq!(
        BUILT.load(Ordering::SeqCst),
        0,
        "register constructs nothing"
    );
    let barrier = Arc::new(Barrier::new(8));
    let threads: Vec<_> = (0..8)
        .map(|_| {
            let registry = Arc::clone(&registry);
            let barrier = Arc::clone(&barrier);
            std::thread::spawn(move || {
                barrier.wait();
                let plugin = registry.get(PluginType::Compute, "counted").expect("loads");
                std::ptr::from_ref(plugin.metadata()).cast::<()>() as usize
            })
        })
        .collect();
    let addresses: Vec<usize> = threads
        .into_iter()
        .map(|t| t.join().expect("thread"))
        .collect();
    assert_eq!(BUILT.load(Ordering::SeqCst), 1, "constructed exactly once");
    assert!(
        addresses.windows(2).all(|w| w[0] == w[1]),
        "every caller got the same instance"
    );
    registry
        .get(PluginType::Compute, "counted")
        .expect("cached");
    assert_eq!(BUILT.load(Ordering::SeqCst), 1, "later calls use the cache");
    assert!(
        registry
            .info(PluginType::Compute, "counted")
            .expect("info")
            .is_loaded
    );
}

probe!(Duckdb, "duckdb", [], FINE);
probe!(Dagster, "dagster-like", [], FINE);

#[test]
fn not_found_suggests_the_closest_names() {
    let registry = PluginRegistry::new();
    registry.register(Duckdb.descriptor()).expect("registers");
    registry.register(Dagster.descriptor()).expect("registers");
    let err = registry
        .get(PluginType::Compute, "duckbd")
        .expect_err("typo");
    assert_eq!(
        err.to_string(),
        "Plugin not found: COMPUTE:duckbd (did you mean `duckdb`?)"
    );
    let err = registry
        .get(PluginType::Storage, "duckdb")
        .expect_err("other type");
    assert_eq!(err.to_string(), "Plugin not found: STORAGE:duckdb");
}

#[test]
fn registering_an_identity_twice_names_both_sources() {
    let registry = PluginRegistry::new();
    registry.register(Duckdb.descriptor()).expect("first");
    let err = registry.register(Duckdb.descriptor()).expect_err("second");
    let text = err.to_string();
    assert!(
        text.starts_with("Duplicate plugin: COMPUTE:duckdb"),
        "{text}"
    );
    assert_eq!(
        text.matches("loading::Duckdb").count(),
        2,
        "both sources named: {text}"
    );
}

fn quiet_ctor() -> PluginInstance {
    PluginInstance::compute(Counted)
}

static NEEDS_1_3: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "future",
    "1.0.0",
    plugin_source!(Counted),
    quiet_ctor,
)
.with_api_version("1.3");
static NEEDS_99: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "far-future",
    "1.0.0",
    plugin_source!(Counted),
    quiet_ctor,
)
.with_api_version("99.0");
static BAD_API: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "bad-api",
    "1.0.0",
    plugin_source!(Counted),
    quiet_ctor,
)
.with_api_version("1");
static BAD_NAME: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "DuckDB",
    "1.0.0",
    plugin_source!(Counted),
    quiet_ctor,
);
static BAD_VERSION: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "bad-version",
    "v1.0",
    plugin_source!(Counted),
    quiet_ctor,
);
static BAD_DEP: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "bad-dep",
    "1.0.0",
    plugin_source!(Counted),
    quiet_ctor,
)
.with_dependencies(&["warehouse:x"]);

#[test]
fn register_refuses_what_the_attribute_would_refuse() {
    let registry = PluginRegistry::new();
    let text =
        |d: &'static PluginDescriptor| registry.register(d).expect_err("refused").to_string();
    assert_eq!(
        text(&NEEDS_1_3),
        "Plugin 'future' requires API v1.3, but platform provides v1.0"
    );
    assert_eq!(
        text(&NEEDS_99),
        "Plugin 'far-future' requires API v99.0, but platform provides v1.0"
    );
    assert_eq!(
        text(&BAD_API),
        "Invalid plugin COMPUTE:bad-api: Invalid version format: '1'. Expected X.Y or X.Y.Z format (e.g., '1.0' or '1.0.0')."
    );
    assert!(text(&BAD_NAME).contains("plugin name may contain only lowercase letters"));
    assert!(text(&BAD_VERSION).contains("plugin version `v1.0` is not SemVer 2.0"));
    assert!(text(&BAD_DEP).contains("unknown plugin type `warehouse`"));
    assert!(
        registry.list_all().values().all(Vec::is_empty),
        "nothing was added"
    );
}

probe!(Today, "today", [], FINE);

/// Linked, but needing a newer API: never built.
static FUTURE_LINKED: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "future",
    "1.0.0",
    plugin_source!(Counted),
    quiet_ctor,
)
.with_api_version("1.3");

#[test]
fn an_incompatible_discovered_plugin_is_never_loaded_and_list_skips_it() {
    let registry = PluginRegistry::new();
    assert_eq!(
        registry.discover_from([&FUTURE_LINKED, Today.descriptor()]),
        2
    );
    let err = registry
        .get(PluginType::Compute, "future")
        .expect_err("incompatible");
    assert_eq!(
        err.to_string(),
        "Plugin 'future' requires API v1.3, but platform provides v1.0"
    );
    assert_eq!(
        registry.list(PluginType::Compute).len(),
        1,
        "list skips the incompatible plugin"
    );
    assert_eq!(
        registry.list_all()[&PluginType::Compute],
        ["future", "today"],
        "list_all names both"
    );
}

fn exploding_ctor() -> PluginInstance {
    panic!("no config file")
}

static EXPLODES: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "explodes",
    "1.0.0",
    plugin_source!(Counted),
    exploding_ctor,
);

#[test]
fn a_panicking_constructor_is_a_load_error() {
    let registry = PluginRegistry::new();
    registry.register(&EXPLODES).expect("registers");
    let err = registry
        .get(PluginType::Compute, "explodes")
        .expect_err("panics");
    assert_eq!(
        err.to_string(),
        "Plugin load failed: COMPUTE:explodes - constructor panicked: no config file"
    );
    assert!(registry.list(PluginType::Compute).is_empty());
}

fn storage_ctor() -> PluginInstance {
    PluginInstance::storage(Store)
}

#[derive(Default)]
struct Store;
impl PluginMetadata for Store {
    fn descriptor(&self) -> &'static PluginDescriptor {
        &LYING
    }
}
impl StoragePlugin for Store {}

static LYING: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "lying",
    "1.0.0",
    plugin_source!(Store),
    storage_ctor,
);

#[test]
fn a_constructor_of_the_wrong_type_is_refused() {
    let registry = PluginRegistry::new();
    registry.register(&LYING).expect("registers");
    let err = registry
        .get(PluginType::Compute, "lying")
        .expect_err("wrong type");
    assert_eq!(
        err.to_string(),
        "Plugin STORAGE:lying is not a compute plugin"
    );
}

#[test]
fn list_and_list_all_include_plugins_registered_by_hand() {
    let registry = PluginRegistry::new();
    registry.register(Dagster.descriptor()).expect("registers");
    registry
        .register_instance(PluginInstance::compute(Duckdb))
        .expect("registers an instance");
    let listed: Vec<&str> = registry
        .list(PluginType::Compute)
        .iter()
        .map(|p| p.metadata().name())
        .collect();
    assert_eq!(listed, ["dagster-like", "duckdb"]);
    assert_eq!(
        registry.list_all()[&PluginType::Compute],
        ["dagster-like", "duckdb"]
    );
    assert!(
        registry
            .info(PluginType::Compute, "duckdb")
            .expect("info")
            .is_loaded,
        "an instance is loaded"
    );
}

#[test]
fn typed_access_to_the_wrong_kind_is_not_found_for_that_kind() {
    let registry = PluginRegistry::new();
    registry.register(Duckdb.descriptor()).expect("registers");
    assert!(registry.get_as::<dyn ComputePlugin>("duckdb").is_ok());
    let err = registry
        .get_as::<dyn StoragePlugin>("duckdb")
        .map(|_| ())
        .expect_err("not storage");
    assert_eq!(err.to_string(), "Plugin not found: STORAGE:duckdb");
    let arc = registry
        .get_arc::<dyn ComputePlugin>("duckdb")
        .expect("shared handle");
    let name = std::thread::spawn(move || arc.name().to_owned())
        .join()
        .expect("thread");
    assert_eq!(name, "duckdb");
}

/// A plugin that reports another plugin's descriptor (`counted`'s).
#[derive(Default)]
struct Impostor;

impl PluginMetadata for Impostor {
    fn descriptor(&self) -> &'static PluginDescriptor {
        &COUNTED
    }
}

impl ComputePlugin for Impostor {}

static IMPOSTOR: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "impostor",
    "1.0.0",
    plugin_source!(Impostor),
    || PluginInstance::compute(Impostor),
);

#[test]
fn a_descriptor_whose_plugin_reports_another_is_refused() {
    let registry = PluginRegistry::new();
    registry
        .register(&IMPOSTOR)
        .expect("registers: nothing is built yet");
    let err = registry
        .get(PluginType::Compute, "impostor")
        .expect_err("the plugin built is another one");
    assert!(
        matches!(&err, PluginError::ForeignDescriptor { reported, .. } if reported.name == "counted"),
        "{err:?}"
    );
    assert!(
        err.to_string().starts_with(
            "Plugin COMPUTE:impostor was registered with a descriptor that is not its own: the plugin it builds reports COMPUTE:counted from crate `floe-integration-tests`"
        ),
        "{err}"
    );
    assert!(registry.list(PluginType::Compute).is_empty(), "never used");
}

/// A plugin declared with the attribute, so its type knows its descriptor.
#[floe_plugin(type = Orchestrator, name = "typed-registration", version = "1.2.3")]
#[derive(Default)]
struct Typed;
impl OrchestratorPlugin for Typed {}

#[test]
fn a_plugin_type_registers_by_its_own_descriptor_without_being_built() {
    assert_eq!(Typed::DESCRIPTOR.name, "typed-registration");
    assert!(std::ptr::eq(Typed::DESCRIPTOR, Typed.descriptor()));
    let registry = PluginRegistry::new();
    registry.register_plugin::<Typed>().expect("registers");
    let info = registry
        .info(PluginType::Orchestrator, "typed-registration")
        .expect("registered");
    assert_eq!(info.version, "1.2.3");
    assert!(!info.is_loaded, "register_plugin builds nothing");
    let again = registry.register_plugin::<Typed>().expect_err("taken");
    assert!(matches!(again, PluginError::Duplicate { .. }), "{again:?}");
}
