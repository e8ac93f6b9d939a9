//! The defaults of trait methods floe changed: the orchestrator's lineage methods and
//! the catalog's health check.

use floe_registry::prelude::*;
use floe_registry::uuid::Uuid;
use serde_json::{Value, json};

/// An orchestrator that overrides nothing.
#[floe_plugin(type = Orchestrator, name = "bare-orch", version = "1.0.0")]
#[derive(Default)]
struct BareOrchestrator;

impl OrchestratorPlugin for BareOrchestrator {}

/// A catalog that overrides nothing.
#[floe_plugin(type = Catalog, name = "bare-catalog", version = "1.0.0")]
#[derive(Default)]
struct BareCatalog;

impl CatalogPlugin for BareCatalog {}

#[test]
fn emit_lineage_event_defaults_to_a_does_not_support_error() {
    let err = BareOrchestrator
        .emit_lineage_event(&LineageEvent::new(RunState::Start, "orders"))
        .expect_err("no default lineage");
    assert_eq!(
        err.to_string(),
        "ORCHESTRATOR plugin 'bare-orch' does not support emit_lineage_event()"
    );
}

#[test]
fn get_lineage_emitter_defaults_to_none() {
    assert!(BareOrchestrator.get_lineage_emitter().is_none());
}

#[test]
fn run_states_are_floes_six_upper_case_names() {
    let names: Vec<&str> = RunState::ALL.iter().map(|s| s.as_str()).collect();
    assert_eq!(
        names,
        ["START", "RUNNING", "COMPLETE", "ABORT", "FAIL", "OTHER"]
    );
    for state in RunState::ALL {
        assert_eq!(
            serde_json::to_value(state).expect("serialises"),
            json!(state.as_str())
        );
        assert_eq!(state.to_string(), state.as_str());
    }
    let terminal: Vec<RunState> = RunState::ALL
        .into_iter()
        .filter(|s| s.is_terminal())
        .collect();
    assert_eq!(
        terminal,
        [RunState::Complete, RunState::Abort, RunState::Fail]
    );
}

#[test]
fn a_lineage_dataset_is_namespace_name_and_facets() {
    let d =
        LineageDataset::new("floe", "raw.customers").with_facet("schema", json!({"fields": []}));
    assert_eq!(
        serde_json::to_value(&d).expect("serialises"),
        json!({"namespace": "floe", "name": "raw.customers", "facets": {"schema": {"fields": []}}})
    );
    let bare: LineageDataset =
        serde_json::from_value(json!({"namespace": "floe", "name": "t"})).expect("facets default");
    assert_eq!(bare, LineageDataset::new("floe", "t"));
}

#[test]
fn a_lineage_event_leaves_every_optional_argument_unset_until_given() {
    let event = LineageEvent::new(RunState::Complete, "dbt_run_customers");
    assert_eq!(event.event_type, RunState::Complete);
    assert_eq!(event.job_name, "dbt_run_customers");
    assert_eq!(
        (
            &event.job_namespace,
            event.run_id,
            &event.inputs,
            &event.outputs,
            &event.run_facets,
            &event.job_facets,
            &event.producer
        ),
        (&None, None, &None, &None, &None, &None, &None)
    );
    assert!(event.input_datasets().is_empty() && event.output_datasets().is_empty());
    assert_eq!(DEFAULT_LINEAGE_PRODUCER, "floe");
}

#[test]
fn a_lineage_event_returns_the_given_run_id_else_a_new_version_4_one() {
    let given = Uuid::from_u128(0x1234);
    let event = LineageEvent::new(RunState::Fail, "j").with_run_id(given);
    assert_eq!(event.run_id_or_new(), given);
    let unset = LineageEvent::new(RunState::Fail, "j");
    let (a, b) = (unset.run_id_or_new(), unset.run_id_or_new());
    assert_ne!(a, b, "each call without a run id makes a new one");
    assert_eq!(a.get_version_num(), 4);
}

#[test]
fn a_lineage_event_builder_sets_each_optional_argument() {
    let facets: serde_json::Map<String, Value> = [("k".to_owned(), json!(1))].into_iter().collect();
    let event = LineageEvent::new(RunState::Running, "j")
        .with_job_namespace("finance")
        .with_inputs([LineageDataset::new("floe", "in")])
        .with_outputs([LineageDataset::new("floe", "out")])
        .with_run_facets(facets.clone())
        .with_job_facets(facets.clone())
        .with_producer("me");
    assert_eq!(event.job_namespace.as_deref(), Some("finance"));
    assert_eq!(event.input_datasets()[0].name, "in");
    assert_eq!(event.output_datasets()[0].name, "out");
    assert_eq!(event.run_facets.as_ref(), Some(&facets));
    assert_eq!(event.job_facets.as_ref(), Some(&facets));
    assert_eq!(event.producer.as_deref(), Some("me"));
}

#[test]
fn a_catalog_that_does_not_check_its_health_is_unhealthy_as_in_floe() {
    let status = BareCatalog.health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(
        status.message,
        "health_check not implemented - subclass must override"
    );
    assert_eq!(status.details.get("timeout"), Some(&Value::Null));

    let registry = PluginRegistry::new();
    registry.discover_all();
    let via_registry = registry
        .health_check(PluginType::Catalog, "bare-catalog")
        .expect("health");
    assert_eq!(via_registry.state, HealthState::Unhealthy);
    assert_eq!(via_registry.message, CATALOG_HEALTH_NOT_IMPLEMENTED);
}

#[test]
fn other_types_that_do_not_check_their_health_stay_healthy() {
    assert_eq!(BareOrchestrator.health_check().state, HealthState::Healthy);
}
