//! Plugins of two fixture crates, declared with `#[floe_plugin]` and linked only
//! through `use ... as _;`, are discovered, loaded, configured, started in dependency
//! order and health-checked through the registry.

use fixture_alpha as _;
use fixture_beta as _;

use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, PluginId};
use serde_json::json;

fn registry() -> PluginRegistry {
    let registry = PluginRegistry::new();
    let found = registry.discover_all();
    assert_eq!(found, 6, "fixture-alpha has 4 plugins, fixture-beta 2");
    registry
}

#[test]
fn crates_linked_by_use_as_underscore_are_discovered() {
    let registry = registry();
    let all = registry.list_all();
    assert_eq!(all.len(), PluginType::COUNT, "every type is a key");
    assert_eq!(all[&PluginType::Compute], ["alpha-compute", "dupe"]);
    assert_eq!(all[&PluginType::Storage], ["shared-store"]);
    assert_eq!(all[&PluginType::Catalog], ["beta-catalog"]);
    assert_eq!(all[&PluginType::Orchestrator], ["alpha-orch"]);
    assert!(all[&PluginType::Identity].is_empty());
}

/// Several threads call `discover_all` on one registry at once: whichever returns, and
/// whatever count it got, the registry is complete by then. Repeated on fresh
/// registries so the threads really race the first call.
#[test]
fn every_racing_discover_all_returns_only_once_discovery_is_complete() {
    const THREADS: usize = 8;
    for _ in 0..50 {
        let registry = PluginRegistry::new();
        let start = std::sync::Barrier::new(THREADS);
        let counts: Vec<usize> = std::thread::scope(|scope| {
            let handles: Vec<_> = (0..THREADS)
                .map(|_| {
                    scope.spawn(|| {
                        start.wait();
                        let added = registry.discover_all();
                        let found = registry.info(PluginType::Catalog, "beta-catalog");
                        assert!(
                            found.is_ok(),
                            "a linked plugin after discover_all returned: {found:?}"
                        );
                        added
                    })
                })
                .collect();
            handles
                .into_iter()
                .map(|h| h.join().expect("no thread panics"))
                .collect()
        });
        let mut sorted = counts.clone();
        sorted.sort_unstable();
        assert_eq!(
            sorted.last(),
            Some(&6),
            "one caller added all six: {counts:?}"
        );
        assert_eq!(
            sorted.iter().sum::<usize>(),
            6,
            "the others added nothing: {counts:?}"
        );
    }
}

#[test]
fn discovery_constructs_nothing_and_is_idempotent() {
    let registry = registry();
    assert_eq!(registry.discover_all(), 0, "second call adds nothing");
    assert!(
        registry.infos().iter().all(|i| !i.is_loaded),
        "nothing loaded by discovery"
    );
}

#[test]
fn generated_metadata_is_what_the_attribute_said() {
    let registry = registry();
    let compute = registry
        .info(PluginType::Compute, "alpha-compute")
        .expect("alpha-compute");
    assert_eq!(
        compute.version, "0.3.1",
        "default version is the crate's Cargo version"
    );
    assert_eq!(
        compute.floe_api_version, "1.0",
        "default API version is the platform's"
    );
    assert_eq!(
        compute.description, "Alpha's compute engine, for tests.",
        "first doc paragraph"
    );
    assert!(compute.has_config);
    assert!(
        compute.source.contains("fixture-alpha") && compute.source.contains("AlphaCompute"),
        "{}",
        compute.source
    );

    let orch = registry
        .info(PluginType::Orchestrator, "alpha-orch")
        .expect("alpha-orch");
    assert_eq!(orch.version, "1.0.0-rc.1+build.5");
    assert_eq!(orch.description, "Orchestrates alpha");
    assert_eq!(orch.dependencies, ["alpha-compute", "storage:shared-store"]);
    assert!(!orch.has_config);

    let schema = registry
        .config_schema(PluginType::Compute, "alpha-compute")
        .expect("known")
        .expect("has a schema");
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert_eq!(schema["properties"]["threads"]["minimum"], 1);
    assert_eq!(schema["properties"]["threads"]["maximum"], 64);
    assert_eq!(schema["additionalProperties"], false);
    let token = &schema["properties"]["token"];
    assert!(
        token.to_string().contains("writeOnly"),
        "secret is write-only: {token}"
    );
}

#[test]
fn a_duplicate_identity_names_both_crates_and_spares_the_rest() {
    let registry = registry();
    let err = registry
        .get(PluginType::Compute, "dupe")
        .expect_err("duplicate");
    let text = err.to_string();
    assert!(text.starts_with("Duplicate plugin: COMPUTE:dupe"), "{text}");
    assert!(
        text.contains("fixture-alpha") && text.contains("AlphaDupe"),
        "{text}"
    );
    assert!(
        text.contains("fixture-beta") && text.contains("BetaDupe"),
        "{text}"
    );
    assert_eq!(registry.duplicates().len(), 1);
    // Every other plugin is unaffected.
    registry
        .get(PluginType::Storage, "shared-store")
        .expect("storage still loads");
    registry
        .get(PluginType::Compute, "alpha-compute")
        .expect("compute still loads");
}

#[test]
fn typed_access_reaches_the_plugin() {
    let registry = registry();
    let store = registry
        .get_as::<dyn StoragePlugin>("shared-store")
        .expect("storage");
    assert_eq!(
        store.get_warehouse_uri("bronze").expect("uri"),
        "mem://shared/bronze/"
    );
    let catalog = registry
        .get_as::<dyn CatalogPlugin>("beta-catalog")
        .expect("an enum plugin");
    assert_eq!(catalog.name(), "beta-catalog");
}

#[test]
fn configure_validates_and_the_plugin_reads_its_typed_config() {
    let registry = registry();
    let err = registry
        .configure(
            PluginType::Compute,
            "alpha-compute",
            json!({"threads": 0, "connection": {"host": "h", "port": 70000}, "attach": [{"alias": ""}]}),
        )
        .expect_err("invalid");
    let PluginError::Configuration { errors, .. } = err else {
        panic!("expected a configuration error")
    };
    let got: Vec<(&str, ConfigErrorKind)> =
        errors.iter().map(|e| (e.field.as_str(), e.kind)).collect();
    for expected in [
        ("threads", ConfigErrorKind::Range),
        ("connection.port", ConfigErrorKind::Range),
        ("attach.0.path", ConfigErrorKind::Missing),
        ("attach.0.alias", ConfigErrorKind::Length),
    ] {
        assert!(got.contains(&expected), "missing {expected:?} in {got:?}");
    }

    registry
        .configure(
            PluginType::Compute,
            "alpha-compute",
            json!({"threads": 8, "connection": {"host": "h", "port": 5432}}),
        )
        .expect("valid");
    let compute = registry
        .get_as::<dyn ComputePlugin>("alpha-compute")
        .expect("compute");
    assert_eq!(
        compute.get_required_dbt_packages(),
        ["threads=8"],
        "config pushed at load"
    );
    registry
        .configure(
            PluginType::Compute,
            "alpha-compute",
            json!({"threads": 9, "connection": {"host": "h", "port": 1}}),
        )
        .expect("valid");
    assert_eq!(
        compute.get_required_dbt_packages(),
        ["threads=9"],
        "config pushed to the loaded plugin"
    );
}

#[test]
fn start_in_dependency_order_then_health_check() {
    let registry = registry();
    registry
        .configure(
            PluginType::Compute,
            "alpha-compute",
            json!({"threads": 2, "connection": {"host": "h", "port": 1}}),
        )
        .expect("valid");
    let selection = [
        PluginId::new(PluginType::Orchestrator, "alpha-orch"),
        PluginId::new(PluginType::Catalog, "beta-catalog"),
        PluginId::new(PluginType::Compute, "alpha-compute"),
        PluginId::new(PluginType::Storage, "shared-store"),
    ];
    let report = registry.activate_plugins(&selection).expect("resolves");
    assert!(report.is_success(), "{:?}", report.failed);
    let order: Vec<String> = report.started.iter().map(ToString::to_string).collect();
    assert_eq!(
        order,
        [
            "COMPUTE:alpha-compute",
            "STORAGE:shared-store",
            "ORCHESTRATOR:alpha-orch",
            "CATALOG:beta-catalog"
        ]
    );
    let health = registry.health_check_all();
    let catalog = &health[&PluginId::new(PluginType::Catalog, "beta-catalog")];
    assert_eq!(catalog.state, HealthState::Degraded);
    assert_eq!(catalog.message, "replica lag");
    let store = &health[&PluginId::new(PluginType::Storage, "shared-store")];
    assert_eq!(store.state, HealthState::Healthy);
    let stopped = registry.shutdown_all();
    let stopped: Vec<String> = stopped.stopped.iter().map(ToString::to_string).collect();
    assert_eq!(
        stopped,
        [
            "CATALOG:beta-catalog",
            "ORCHESTRATOR:alpha-orch",
            "STORAGE:shared-store",
            "COMPUTE:alpha-compute"
        ]
    );
}

#[test]
fn the_global_registry_discovers_on_first_use() {
    let global = PluginRegistry::global();
    assert!(
        global
            .descriptor(PluginType::Storage, "shared-store")
            .is_ok()
    );
}
