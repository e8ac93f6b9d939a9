//! The `dagster` orchestrator plugin through the registry.

#![cfg(feature = "dagster")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod support;

use std::any::Any;
use std::time::{Duration, Instant};

use floe_plugins_builtin::dagster::{DagsterConfig, DagsterPlugin, validate_cron};
use floe_registry::{
    ConfigErrorKind, HealthState, LineageDataset, LineageEvent, OrchestratorPlugin, PluginRegistry,
    PluginType, ResourceSpec, RunState, TransformConfig,
};
use serde_json::{Map, Value, json};
use support::canary::CANARY;
use support::config_errors::{assert_has, refused_config};
use support::deadline::assert_no_hang;
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::Orchestrator;

fn dagster(registry: &PluginRegistry) -> &dyn OrchestratorPlugin {
    registry
        .get_as::<dyn OrchestratorPlugin>("dagster")
        .unwrap()
}

fn concrete(registry: &PluginRegistry) -> &DagsterPlugin {
    let meta = registry.get(T, "dagster").unwrap().metadata();
    (meta as &dyn Any).downcast_ref::<DagsterPlugin>().unwrap()
}

fn configured(config: Value) -> PluginRegistry {
    let registry = registry();
    registry.configure(T, "dagster", config).unwrap();
    registry
}

fn transform(name: &str, deps: &[&str]) -> TransformConfig {
    TransformConfig {
        name: name.into(),
        path: format!("models/{name}.sql"),
        schema_name: "analytics".into(),
        materialization: "table".into(),
        tags: Vec::new(),
        depends_on: deps.iter().map(|d| d.to_string()).collect(),
        meta: Map::new(),
    }
}

#[test]
fn metadata_matches_the_reference() {
    let info = registry().info(T, "dagster").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "Dagster orchestrator for floe data pipelines"
    );
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "dagster");
}

#[test]
fn schema_has_the_defaults() {
    let schema = registry().config_schema(T, "dagster").unwrap().unwrap();
    let p = &schema["properties"];
    assert_eq!(p["url"]["default"], "http://localhost:3000");
    assert_eq!(p["default_schedule"]["default"], "*/10 * * * *");
    assert_eq!(p["timezone"]["default"], "UTC");
    assert_eq!(p["lineage_api_key"]["writeOnly"], true);
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_full_config_is_accepted() {
    let registry = configured(json!({
        "url": "http://dagster:3000/",
        "default_schedule": " 0 8 * * MON-FRI ",
        "timezone": "Europe/London",
        "timeout_seconds": 2.5,
        "lineage_url": "http://marquez:5000/api/v1/lineage",
        "lineage_namespace": "acme",
        "lineage_api_key": CANARY,
    }));
    let c = registry
        .config::<DagsterConfig>(T, "dagster")
        .unwrap()
        .unwrap();
    assert_eq!(c.default_schedule.as_str(), "0 8 * * MON-FRI");
    assert_eq!(c.timezone.as_str(), "Europe/London");
    assert_eq!(c.lineage_namespace, "acme");
    assert!(!format!("{c:?}").contains(CANARY), "Debug shows the key");
    let info = serde_json::to_string(&registry.info(T, "dagster").unwrap()).unwrap();
    assert!(!info.contains(CANARY));
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let (errors, text) = refused_config(
        &registry(),
        T,
        "dagster",
        json!({"url": "dagster:3000", "timeout_seconds": 0, "lineage_namespace": "", "lineage_api_key": 5, "schedule": "x"}),
    );
    assert_has(&errors, "url", ConfigErrorKind::Pattern);
    assert_has(&errors, "timeout_seconds", ConfigErrorKind::Range);
    assert_has(&errors, "lineage_namespace", ConfigErrorKind::Length);
    assert_has(&errors, "lineage_api_key", ConfigErrorKind::Type);
    assert_has(&errors, "schedule", ConfigErrorKind::UnknownField);
    assert!(!text.contains(CANARY));
}

#[test]
fn a_bad_default_schedule_is_refused_with_the_grammar_reason() {
    let (errors, text) = refused_config(
        &registry(),
        T,
        "dagster",
        json!({"default_schedule": "0 8 * * 7"}),
    );
    assert_eq!(errors[0].0, "default_schedule");
    assert!(
        text.contains("day-of-week field '7': 7 is outside 0-6"),
        "{text}"
    );
    let (errors, text) = refused_config(
        &registry(),
        T,
        "dagster",
        json!({"default_schedule": "* * * *"}),
    );
    assert_has(&errors, "default_schedule", ConfigErrorKind::Pattern);
    assert!(text.contains("default_schedule"), "{text}");
    let (errors, text) = refused_config(
        &registry(),
        T,
        "dagster",
        json!({"timezone": "Mars/Olympus"}),
    );
    assert_eq!(errors[0].0, "timezone");
    assert!(text.contains("Invalid timezone: 'Mars/Olympus'"), "{text}");
}

#[test]
fn helm_values_match_the_reference() {
    let registry = registry();
    let service = json!({"enabled": true, "replicaCount": 1, "resources": {"requests": {"cpu": "100m", "memory": "256Mi"}, "limits": {"cpu": "500m", "memory": "512Mi"}}});
    assert_eq!(
        dagster(&registry).get_helm_values(),
        json!({
            "dagster-webserver": service,
            "dagster-daemon": service,
            "dagster-user-code": {"enabled": true, "replicaCount": 1, "resources": {"requests": {"cpu": "250m", "memory": "512Mi"}, "limits": {"cpu": "1000m", "memory": "1Gi"}}},
            "postgresql": {"enabled": true},
        })
    );
}

#[test]
fn resource_requirements_match_the_reference_table() {
    let registry = registry();
    let plugin = dagster(&registry);
    let cases = [
        ("small", ["100m", "500m", "256Mi", "512Mi", "100Mi", "1Gi"]),
        ("medium", ["250m", "1000m", "512Mi", "1Gi", "100Mi", "1Gi"]),
        ("large", ["500m", "2000m", "1Gi", "2Gi", "100Mi", "1Gi"]),
    ];
    for (size, values) in cases {
        assert_eq!(
            plugin.get_resource_requirements(size).unwrap(),
            ResourceSpec::new(values)
        );
    }
    assert_eq!(
        plugin
            .get_resource_requirements("xl")
            .unwrap_err()
            .to_string(),
        "Invalid workload_size 'xl'. Must be one of: large, medium, small"
    );
}

#[test]
fn cron_grammar_accepts_the_standard_forms() {
    for ok in [
        "* * * * *",
        "0 8 * * *",
        "*/15 * * * *",
        "0-59/5 0-23 1-31 1-12 0-6",
        "5,10,15 1,2 * * *",
        "00 08 01 01 00",
        "0 9 * JAN-MAR mon-fri",
        "0 0 1 dec sun",
        "  0 8 * * *  ",
        "30/10 * * * *",
        "0 1-5/2 * * *",
    ] {
        assert!(
            validate_cron(ok).is_ok(),
            "{ok:?} must be valid: {:?}",
            validate_cron(ok).err()
        );
    }
}

#[test]
fn cron_grammar_refuses_everything_else() {
    for bad in [
        "* * * *",
        "* * * * * *",
        "60 * * * *",
        "* 24 * * *",
        "* * 0 * *",
        "* * 32 * *",
        "* * * 13 *",
        "* * * * 7",
        "*/0 * * * *",
        "5-1 * * * *",
        "* * ? * *",
        "* * L * *",
        "* * * * 1#2",
        "a * * * *",
        "1,,2 * * * *",
        "* * * JANUARY *",
        "* * * * MON-",
        "*/ * * * *",
        "-1 * * * *",
    ] {
        let err = validate_cron(bad).expect_err(bad).to_string();
        assert!(
            err.starts_with(&format!(
                "Invalid cron expression: '{bad}'. Expected format: 'minute hour day month weekday' (e.g., '0 8 * * *'). Each field supports: numbers, *, */N, N-M, N,M ("
            )),
            "{bad}: {err}"
        );
    }
}

#[test]
fn cron_errors_name_the_wrong_field() {
    for (bad, field) in [
        ("60 * * * *", "minute field '60'"),
        ("* 24 * * *", "hour field '24'"),
        ("* * L * *", "day-of-month field 'L'"),
        ("* * * JANUARY *", "month field 'JANUARY'"),
        ("* * * * 7", "day-of-week field '7'"),
        ("* * * * 1#2", "day-of-week field '1#2'"),
    ] {
        let err = validate_cron(bad).expect_err(bad).to_string();
        assert!(
            err.contains(field),
            "{bad}: the error should name {field:?}: {err}"
        );
    }
}

#[test]
fn schedule_job_validates_and_records_the_schedule() {
    let registry = registry();
    let plugin = dagster(&registry);
    let schedule = plugin
        .schedule_job("daily_orders", " 0 8 * * * ", "America/New_York")
        .unwrap();
    let expected = json!({"name": "daily_orders_schedule", "job_name": "daily_orders", "cron_schedule": "0 8 * * *", "execution_timezone": "America/New_York"});
    assert_eq!(schedule, expected);
    plugin
        .schedule_job("daily_orders", "0 9 * * *", "UTC")
        .unwrap();
    plugin
        .schedule_job("hourly", "0 * * * *", "Asia/Tokyo")
        .unwrap();
    let recorded = concrete(&registry).schedules();
    assert_eq!(recorded.len(), 2, "same name replaces: {recorded:?}");
    assert_eq!(recorded[0]["cron_schedule"], "0 9 * * *");
}

#[test]
fn schedule_job_errors_match_the_reference() {
    let registry = registry();
    let plugin = dagster(&registry);
    let cases = [
        (
            "  ",
            "UTC",
            "Invalid cron expression: empty string. Expected format: 'minute hour day month weekday' (e.g., '0 8 * * *')",
        ),
        (
            "0 8 * * *",
            " ",
            "Invalid timezone: empty string. Expected IANA timezone (e.g., 'UTC', 'America/New_York', 'Europe/London')",
        ),
        (
            "0 8 * * *",
            "Europe/Atlantis",
            "Invalid timezone: 'Europe/Atlantis'. Expected valid IANA timezone. Examples: 'UTC', 'America/New_York', 'Europe/London', 'Asia/Tokyo'",
        ),
    ];
    for (cron, tz, expected) in cases {
        assert_eq!(
            plugin
                .schedule_job("job", cron, tz)
                .unwrap_err()
                .to_string(),
            expected
        );
    }
    let err = plugin
        .schedule_job("bad job", "0 8 * * *", "UTC")
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("Invalid job name 'bad job'"), "{err}");
    assert!(concrete(&registry).schedules().is_empty());
}

#[test]
fn default_schedule_follows_the_config() {
    let registry = registry();
    assert_eq!(
        concrete(&registry)
            .get_default_schedule("demo_pipeline")
            .unwrap(),
        json!({"name": "demo_pipeline_recurring_10min", "job_name": "demo_pipeline", "cron_schedule": "*/10 * * * *", "execution_timezone": "UTC"})
    );
    let registry = configured(json!({"default_schedule": "0 6 * * *", "timezone": "Europe/Paris"}));
    assert_eq!(
        concrete(&registry).get_default_schedule("etl").unwrap(),
        json!({"name": "etl_default_schedule", "job_name": "etl", "cron_schedule": "0 6 * * *", "execution_timezone": "Europe/Paris"})
    );
}

#[test]
fn assets_from_transforms_form_an_ordered_graph() {
    let registry = registry();
    let mut orders = transform("orders", &["stg_orders", "customers"]);
    orders.tags = vec!["finance".into()];
    orders.meta.insert("compute".into(), json!("duckdb"));
    let mut stg = transform("stg_orders", &["raw_orders"]);
    stg.schema_name = String::new();
    stg.path = String::new();
    let graph = dagster(&registry)
        .create_assets_from_transforms(&[orders, stg, transform("customers", &[])])
        .unwrap();
    assert_eq!(
        graph["execution_order"],
        json!(["stg_orders", "customers", "orders"])
    );
    assert_eq!(graph["external_assets"], json!(["raw_orders"]));
    assert_eq!(
        graph["assets"][0],
        json!({
            "key": "orders",
            "deps": ["stg_orders", "customers"],
            "description": "dbt model: orders",
            "required_resource_keys": ["dbt", "lineage"],
            "metadata": {"compute": "duckdb", "schema": "analytics", "materialization": "table", "tags": ["finance"], "path": "models/orders.sql"},
        })
    );
    assert_eq!(
        graph["assets"][1]["metadata"],
        json!({"materialization": "table"}),
        "empty values are left out"
    );
}

#[test]
fn cycles_and_duplicates_are_refused() {
    let registry = registry();
    let err = dagster(&registry)
        .create_assets_from_transforms(&[
            transform("a", &["c"]),
            transform("b", &["a"]),
            transform("c", &["b"]),
            transform("d", &[]),
        ])
        .unwrap_err()
        .to_string();
    assert!(err.starts_with("dependency cycle among assets: "), "{err}");
    for name in ["a", "b", "c"] {
        assert!(err.contains(name), "{err}");
    }
    let cycle = err.trim_start_matches("dependency cycle among assets: ");
    assert_eq!(
        cycle.split(" -> ").count(),
        4,
        "only the cycle is named: {err}"
    );
    assert!(!cycle.contains('d'), "only the cycle is named: {err}");
    let err = dagster(&registry)
        .create_assets_from_transforms(&[transform("a", &[]), transform("a", &[])])
        .unwrap_err()
        .to_string();
    assert_eq!(err, "duplicate asset 'a': every model name must be unique");
}

fn manifest() -> Value {
    json!({
        "nodes": {
            "model.shop.orders": {
                "resource_type": "model", "name": "orders", "schema": "marts", "tags": ["daily"],
                "original_file_path": "models/orders.sql", "config": {"materialized": "incremental"},
                "depends_on": {"nodes": ["model.shop.stg_orders", "seed.shop.countries"]},
                "description": "All orders",
            },
            "model.shop.stg_orders": {
                "resource_type": "model", "name": "stg_orders", "schema": "staging",
                "depends_on": {"nodes": ["source.shop.raw.orders"]},
            },
            "seed.shop.countries": {"resource_type": "seed", "name": "countries"},
            "test.shop.not_null": {"resource_type": "test", "name": "not_null", "depends_on": {"nodes": ["model.shop.orders"]}},
        },
        "sources": {"source.shop.raw.orders": {"source_name": "raw", "name": "orders"}},
    })
}

#[test]
fn definitions_come_from_a_dbt_manifest() {
    let registry = registry();
    let plugin = dagster(&registry);
    plugin.schedule_job("shop", "0 2 * * *", "UTC").unwrap();
    let defs = plugin.create_definitions(&manifest()).unwrap();
    assert_eq!(defs["execution_order"], json!(["stg_orders", "orders"]));
    assert_eq!(defs["external_assets"], json!(["countries", "raw.orders"]));
    assert_eq!(defs["resources"], json!(["dbt", "lineage"]));
    assert_eq!(defs["schedules"][0]["name"], "shop_schedule");
    let orders = &defs["assets"][0];
    assert_eq!(orders["key"], "orders");
    assert_eq!(orders["deps"], json!(["stg_orders", "countries"]));
    assert_eq!(orders["description"], "All orders");
    assert_eq!(
        orders["metadata"],
        json!({"schema": "marts", "materialization": "incremental", "tags": ["daily"], "path": "models/orders.sql", "unique_id": "model.shop.orders"})
    );
    assert_eq!(defs["assets"][1]["description"], "dbt model: stg_orders");
    let wrapped = plugin
        .create_definitions(&json!({"manifest": manifest()}))
        .unwrap();
    assert_eq!(wrapped["execution_order"], defs["execution_order"]);
}

#[test]
fn definitions_come_from_transforms_too() {
    let registry = registry();
    let defs = dagster(&registry)
        .create_definitions(&json!({"transforms": [{"name": "a", "path": "", "schema_name": "s"}, {"name": "b", "path": "", "schema_name": "s", "depends_on": ["a"]}]}))
        .unwrap();
    assert_eq!(defs["execution_order"], json!(["a", "b"]));
}

#[test]
fn definitions_need_a_manifest_or_transforms() {
    let registry = registry();
    let err = dagster(&registry)
        .create_definitions(&json!({"version": "0.1"}))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("create_definitions() needs a dbt manifest"),
        "{err}"
    );
    let err = dagster(&registry)
        .create_definitions(&json!({"nodes": []}))
        .unwrap_err()
        .to_string();
    assert_eq!(err, "dbt manifest has no 'nodes' object");
}

#[test]
fn validate_connection_posts_a_graphql_query() {
    let server = FakeServer::scripted([Reply::raw(200, r#"{"data":{"__typename":"Query"}}"#)]);
    let url = server.url();
    let registry = configured(json!({"url": format!("{url}/")}));
    let result = dagster(&registry).validate_connection();
    let request = server.request(0);
    assert!(result.success, "{result:?}");
    assert_eq!(result.message, "Successfully connected to Dagster service");
    assert!(result.errors.is_empty() && result.warnings.is_empty());
    assert_eq!(
        request.request_line, "POST /graphql HTTP/1.1",
        "{request:?}"
    );
    assert_eq!(request.json(), json!({"query": "{ __typename }"}));
}

#[test]
fn validate_connection_warns_about_a_non_graphql_answer() {
    let server = FakeServer::scripted([Reply::raw(200, "hello")]);
    let url = server.url();
    let registry = configured(json!({"url": url}));
    let result = dagster(&registry).validate_connection();
    server.request(0);
    assert!(result.success);
    assert_eq!(result.warnings.len(), 1, "{result:?}");
}

#[test]
fn validate_connection_reports_an_http_error() {
    let server = FakeServer::scripted([Reply::raw(503, "{}")]);
    let url = server.url();
    let registry = configured(json!({"url": url}));
    let result = dagster(&registry).validate_connection();
    server.request(0);
    assert!(!result.success);
    assert_eq!(result.message, "Dagster service returned status 503");
    assert_eq!(
        result.errors,
        [format!(
            "HTTP 503 from {url}/graphql. Ensure Dagster webserver is running and accessible."
        )]
    );
}

#[test]
fn validate_connection_times_out() {
    let server = FakeServer::silent(Duration::from_secs(3));
    let url = server.url();
    let registry = configured(json!({"url": url, "timeout_seconds": 0.5}));
    let start = Instant::now();
    let result = dagster(&registry).validate_connection();
    assert_no_hang(start, Duration::from_millis(500));
    assert!(!result.success);
    assert_eq!(result.message, "Connection to Dagster timed out after 0.5s");
    assert_eq!(
        result.errors,
        [format!(
            "Timeout connecting to {url}/graphql. Check network connectivity and ensure Dagster is running."
        )]
    );
}

#[test]
fn validate_connection_reports_a_refused_connection() {
    let url = format!("http://{}", closed_port());
    let registry = configured(json!({"url": url}));
    let result = dagster(&registry).validate_connection();
    assert!(!result.success);
    assert_eq!(result.message, "Failed to connect to Dagster service");
    assert!(
        result.errors[0].starts_with("Connection error: "),
        "{:?}",
        result.errors
    );
    assert!(result.errors[0].ends_with(&format!("Ensure Dagster webserver is running at {url}.")));
}

#[test]
fn lineage_without_an_endpoint_is_an_error() {
    let registry = registry();
    let err = dagster(&registry)
        .emit_lineage_event(&LineageEvent::new(RunState::Start, "job"))
        .unwrap_err()
        .to_string();
    assert!(
        err.starts_with("dagster: no lineage endpoint configured"),
        "{err}"
    );
}

fn dataset(name: &str) -> LineageDataset {
    LineageDataset::new("s3://floe-data", name)
}

#[test]
fn lineage_events_are_openlineage_run_events_sharing_a_run_id() {
    let server = FakeServer::scripted([Reply::raw(201, "")]);
    let url = server.url();
    let registry = configured(
        json!({"lineage_url": format!("{url}/api/v1/lineage"), "lineage_namespace": "acme", "lineage_api_key": CANARY}),
    );
    let run_id = dagster(&registry)
        .emit_lineage_event(
            &LineageEvent::new(RunState::Start, "orders")
                .with_inputs([dataset("raw.orders")])
                .with_outputs([dataset("marts.orders")]),
        )
        .unwrap();
    let start = server.request(0);
    assert_eq!(
        start.request_line, "POST /api/v1/lineage HTTP/1.1",
        "{start:?}"
    );
    assert_eq!(
        start.header("authorization").map(str::to_ascii_lowercase),
        Some(format!("bearer {CANARY}").to_ascii_lowercase()),
        "the API key is sent as a bearer token"
    );
    let event = start.json();
    assert_eq!(
        event["schemaURL"],
        "https://openlineage.io/spec/2-0-2/OpenLineage.json"
    );
    assert_eq!(event["eventType"], "START");
    assert_eq!(event["producer"], "floe-orchestrator-dagster/0.1.0");
    assert_eq!(
        event["job"],
        json!({"namespace": "acme", "name": "orders", "facets": {}})
    );
    assert_eq!(
        event["inputs"],
        json!([{"namespace": "s3://floe-data", "name": "raw.orders", "facets": {}}])
    );
    assert_eq!(event["outputs"][0]["name"], "marts.orders");
    assert_eq!(
        event["run"],
        json!({"runId": run_id.to_string(), "facets": {}}),
        "the returned run id is the event's"
    );
    let time = event["eventTime"].as_str().unwrap();
    assert_eq!(
        (time.len(), &time[10..11], &time[19..20], &time[23..]),
        (24, "T", ".", "Z"),
        "{time}"
    );
    assert!(!event.to_string().contains(CANARY));

    let server2 = FakeServer::scripted([Reply::raw(200, "")]);
    let url2 = server2.url();
    registry
        .configure(
            T,
            "dagster",
            json!({"lineage_url": url2, "lineage_namespace": "acme"}),
        )
        .unwrap();
    let complete_id = dagster(&registry)
        .emit_lineage_event(&LineageEvent::new(RunState::Complete, "orders"))
        .unwrap();
    assert_eq!(complete_id, run_id);
    let complete = server2.request(0).json();
    assert_eq!(complete["eventType"], "COMPLETE");
    assert_eq!(
        complete["run"]["runId"], event["run"]["runId"],
        "COMPLETE closes the run START opened"
    );
}

#[test]
fn a_refused_lineage_event_is_an_error_without_the_key() {
    let server = FakeServer::scripted([Reply::raw(400, r#"{"error":"bad"}"#)]);
    let url = server.url();
    let registry = configured(json!({"lineage_url": url, "lineage_api_key": CANARY}));
    let err = dagster(&registry)
        .emit_lineage_event(&LineageEvent::new(RunState::Fail, "orders"))
        .unwrap_err()
        .to_string();
    server.request(0);
    assert_eq!(err, format!("lineage endpoint {url} answered HTTP 400"));
    assert!(!err.contains(CANARY));
}

#[test]
fn a_new_run_gets_a_random_version_4_run_id() {
    let ids: Vec<_> = (0..2)
        .map(|_| {
            let server = FakeServer::scripted([Reply::raw(200, "")]);
            let url = server.url();
            let registry = configured(json!({"lineage_url": url}));
            let id = dagster(&registry)
                .emit_lineage_event(&LineageEvent::new(RunState::Start, "orders"))
                .unwrap();
            server.request(0);
            id
        })
        .collect();
    assert_ne!(ids[0], ids[1], "each START opens a new run");
    for id in &ids {
        assert_eq!(id.get_version_num(), 4, "{id} is not a version 4 UUID");
    }
}

#[test]
fn a_given_run_id_namespace_producer_and_facets_are_sent_as_given() {
    let server = FakeServer::scripted([Reply::raw(200, "")]);
    let url = server.url();
    let registry = configured(json!({"lineage_url": url, "lineage_namespace": "acme"}));
    let given = floe_registry::uuid::Uuid::from_u128(0x0123_4567_89ab_4def_8123_4567_89ab_cdef);
    let mut facets = Map::new();
    facets.insert(
        "nominalTime".into(),
        json!({"nominalStartTime": "2026-01-01T00:00:00Z"}),
    );
    let returned = dagster(&registry)
        .emit_lineage_event(
            &LineageEvent::new(RunState::Running, "orders")
                .with_run_id(given)
                .with_job_namespace("finance")
                .with_producer("floe")
                .with_run_facets(facets.clone())
                .with_job_facets(facets),
        )
        .unwrap();
    let event = server.request(0).json();
    assert_eq!(returned, given, "a given run id is returned unchanged");
    assert_eq!(event["eventType"], "RUNNING");
    assert_eq!(event["run"]["runId"], given.to_string());
    assert_eq!(
        event["job"]["namespace"], "finance",
        "the event's namespace wins"
    );
    assert_eq!(event["producer"], "floe", "the event's producer wins");
    assert_eq!(
        event["run"]["facets"]["nominalTime"]["nominalStartTime"],
        "2026-01-01T00:00:00Z"
    );
    assert_eq!(event["job"]["facets"], event["run"]["facets"]);
}

#[test]
fn health_check_asks_the_webserver() {
    let server = FakeServer::scripted([Reply::raw(200, r#"{"data":{"__typename":"Query"}}"#)]);
    let url = server.url();
    let registry = configured(json!({"url": url}));
    let status = registry.health_check(T, "dagster").unwrap();
    server.request(0);
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");

    let registry = configured(json!({"url": format!("http://{}", closed_port())}));
    let status = registry.health_check(T, "dagster").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .starts_with("Failed to connect to Dagster service: Connection error"),
        "{}",
        status.message
    );
}
