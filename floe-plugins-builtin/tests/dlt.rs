//! The `dlt` ingestion plugin through the registry, with fixture runner scripts.
#![cfg(feature = "dlt")]

mod support;

use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::Duration;

use floe_plugins_builtin as _;
use floe_plugins_builtin::dlt::DltPlugin;
use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, PluginRegistry};
use serde_json::{Map, Value, json};
use support::canary::{CANARY, assert_no_canary};
use support::config_errors::{assert_has_error, config_errors};
use support::deadline::assert_no_hang;
use support::registry::registry;
use support::schema::assert_schema_snapshot;
use tempfile::TempDir;

fn source(name: &str) -> Value {
    json!({"name": name, "source_type": "rest_api", "destination_table": format!("bronze.{name}")})
}

fn configured(config: Value) -> PluginRegistry {
    let registry = registry();
    registry
        .configure(PluginType::Ingestion, "dlt", config)
        .expect("valid config");
    registry
}

fn started(config: Value) -> PluginRegistry {
    let registry = configured(config);
    registry
        .activate(PluginType::Ingestion, "dlt")
        .expect("starts");
    registry
}

fn dlt(registry: &PluginRegistry) -> &dyn IngestionPlugin {
    registry
        .get_as::<dyn IngestionPlugin>("dlt")
        .expect("dlt is registered")
}

fn errors_of(config: Value) -> Vec<(String, ConfigErrorKind, String)> {
    config_errors(
        registry()
            .configure(PluginType::Ingestion, "dlt", config)
            .expect_err("invalid config"),
    )
}

fn ingestion(source_type: &str, table: &str, write_mode: WriteMode) -> IngestionConfig {
    IngestionConfig {
        source_type: source_type.to_owned(),
        source_config: Map::new(),
        destination_table: table.to_owned(),
        write_mode,
        schema_contract: SchemaContract::Evolve,
    }
}

/// A runner script in a temp dir: saves its stdin to `request.json`, counts its
/// attempts in `attempts`, then runs `body`.
fn runner(body: &str) -> (TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let script = dir.path().join("runner.sh");
    let text = format!(
        "#!/bin/sh\nD='{}'\ncat > \"$D/request.json\"\necho x >> \"$D/attempts\"\n{body}\n",
        dir.path().display()
    );
    fs::write(&script, text).expect("write script");
    fs::set_permissions(&script, fs::Permissions::from_mode(0o755)).expect("chmod");
    (dir, script)
}

fn attempts(dir: &Path) -> usize {
    fs::read_to_string(dir.join("attempts"))
        .map(|s| s.lines().count())
        .unwrap_or(0)
}

fn request(dir: &Path) -> Value {
    serde_json::from_str(&fs::read_to_string(dir.join("request.json")).expect("request"))
        .expect("request is JSON")
}

fn with_runner(script: &Path, sources: Value, retry: Value) -> Value {
    json!({
        "sources": sources,
        "catalog_config": {"uri": "http://polaris:8181/api/catalog", "warehouse": "floe_warehouse"},
        "retry_config": retry,
        "runner": {"command": [script]}
    })
}

#[test]
fn metadata_matches_the_reference() {
    let info = registry()
        .info(PluginType::Ingestion, "dlt")
        .expect("registered");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "dlt-based data ingestion plugin for loading from REST APIs, SQL databases, and filesystems into Iceberg tables"
    );
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::Ingestion, "dlt");
}

#[test]
fn defaults_apply() {
    let registry = configured(json!({"sources": [source("orders")]}));
    let config = registry
        .config::<floe_plugins_builtin::dlt::DltIngestionConfig>(PluginType::Ingestion, "dlt")
        .expect("typed")
        .expect("stored");
    let s = &config.sources[0];
    assert_eq!(s.write_mode, WriteMode::Append);
    assert_eq!(s.schema_contract, SchemaContract::Evolve);
    assert!(s.primary_key.is_none() && s.cursor_field.is_none() && s.credentials.is_none());
    assert_eq!(config.retry_config.max_retries, 3);
    assert_eq!(config.retry_config.initial_delay_seconds, 1.0);
    assert!(config.catalog_config.is_empty() && config.runner.is_none());
}

#[test]
fn unicode_names_with_underscores_and_hyphens_are_valid() {
    configured(json!({"sources": [source("données_2024-raw"), source("_x-")]}));
}

#[test]
fn every_field_error_is_reported_with_its_path() {
    let errors = errors_of(json!({
        "sources": [{
            "name": "bad name!",
            "source_type": "ftp",
            "destination_table": "",
            "write_mode": "upsert",
            "schema_contract": "loose",
            "credentials": 42,
            "extra": 1
        }],
        "retry_config": {"max_retries": 11, "initial_delay_seconds": 0},
        "colour": "red"
    }));
    assert_has_error(&errors, "sources.0.name", ConfigErrorKind::Pattern);
    assert_has_error(&errors, "sources.0.source_type", ConfigErrorKind::Enum);
    assert_has_error(
        &errors,
        "sources.0.destination_table",
        ConfigErrorKind::Length,
    );
    assert_has_error(&errors, "sources.0.write_mode", ConfigErrorKind::Enum);
    assert_has_error(&errors, "sources.0.schema_contract", ConfigErrorKind::Enum);
    assert_has_error(&errors, "sources.0.credentials", ConfigErrorKind::Type);
    assert_has_error(&errors, "sources.0.extra", ConfigErrorKind::UnknownField);
    assert_has_error(&errors, "retry_config.max_retries", ConfigErrorKind::Range);
    assert_has_error(
        &errors,
        "retry_config.initial_delay_seconds",
        ConfigErrorKind::Range,
    );
    assert_has_error(&errors, "colour", ConfigErrorKind::UnknownField);
}

#[test]
fn sources_are_required_and_not_empty() {
    assert_has_error(&errors_of(json!({})), "sources", ConfigErrorKind::Missing);
    assert_has_error(
        &errors_of(json!({"sources": []})),
        "sources",
        ConfigErrorKind::Length,
    );
    let long = "n".repeat(101);
    assert_has_error(
        &errors_of(json!({"sources": [source(&long)]})),
        "sources.0.name",
        ConfigErrorKind::Length,
    );
    assert_has_error(
        &errors_of(json!({"sources": [source("__--")]})),
        "sources.0.name",
        ConfigErrorKind::Pattern,
    );
}

#[test]
fn retry_delay_above_sixty_is_out_of_range() {
    assert_has_error(
        &errors_of(
            json!({"sources": [source("a")], "retry_config": {"initial_delay_seconds": 60.5}}),
        ),
        "retry_config.initial_delay_seconds",
        ConfigErrorKind::Range,
    );
}

#[test]
fn merge_requires_a_primary_key() {
    let merge = |extra: Value| {
        let mut s = source("orders");
        s["write_mode"] = json!("merge");
        if let (Some(obj), Some(more)) = (s.as_object_mut(), extra.as_object()) {
            obj.extend(more.clone());
        }
        json!({"sources": [s]})
    };
    let missing = errors_of(merge(json!({})));
    assert_has_error(&missing, "sources.0.primary_key", ConfigErrorKind::Missing);
    assert_eq!(missing.len(), 1, "{missing:?}");
    for empty in [json!(null), json!(""), json!([])] {
        assert_has_error(
            &errors_of(merge(json!({"primary_key": empty}))),
            "sources.0.primary_key",
            ConfigErrorKind::Invalid,
        );
    }
    configured(merge(json!({"primary_key": "id"})));
    configured(merge(json!({"primary_key": ["id", "day"]})));
}

#[test]
fn duplicate_source_names_are_refused_at_sources() {
    let errors =
        errors_of(json!({"sources": [source("b"), source("a"), source("b"), source("a")]}));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "sources");
    assert!(
        errors[0]
            .2
            .contains("Duplicate source names found: ['a', 'b']"),
        "{}",
        errors[0].2
    );
}

#[test]
fn duplicate_destination_tables_are_refused_at_sources() {
    let mut a = source("a");
    a["destination_table"] = json!("bronze.x");
    let mut b = source("b");
    b["destination_table"] = json!("bronze.x");
    let mut c = source("c");
    c["destination_table"] = json!("bronze.it's");
    let errors = errors_of(json!({"sources": [a, b, c.clone(), c.clone()]}));
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].0, "sources");
    // Names first, as floe checks them first.
    assert!(
        errors[0].2.contains("Duplicate source names found: ['c']"),
        "{}",
        errors[0].2
    );
    c["name"] = json!("d");
    let mut e = source("e");
    e["destination_table"] = json!("bronze.it's");
    let errors = errors_of(json!({"sources": [source("a"), c, e, source("f")]}));
    assert!(
        errors[0]
            .2
            .contains(r#"Duplicate destination tables found: ["bronze.it's"]"#),
        "{}",
        errors[0].2
    );
    let mut one = source("one");
    one["destination_table"] = json!("bronze.one");
    let mut two = source("two");
    two["destination_table"] = json!("bronze.two");
    configured(json!({"sources": [one, two]}));
}

#[test]
fn credentials_never_show_in_config_errors_or_debug() {
    let mut s = source("orders");
    s["credentials"] = json!(CANARY);
    let err = registry()
        .configure(
            PluginType::Ingestion,
            "dlt",
            json!({"sources": [s.clone(), s]}),
        )
        .expect_err("duplicates");
    assert_no_canary("the output", &err.to_string());
    let mut s = source("orders");
    s["credentials"] = json!(CANARY);
    let registry = configured(json!({"sources": [s]}));
    let config = registry
        .config::<floe_plugins_builtin::dlt::DltIngestionConfig>(PluginType::Ingestion, "dlt")
        .expect("typed")
        .expect("stored");
    assert_no_canary("the output", &format!("{config:?}"));
}

#[test]
fn methods_before_startup_say_so() {
    let registry = configured(json!({"sources": [source("orders")]}));
    let err = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Append))
        .expect_err("not started");
    assert_eq!(
        err.to_string(),
        "Plugin must be started before creating pipelines — call startup() first"
    );
    let pipeline = IngestionPipeline {
        pipeline_name: "ingest_orders".into(),
        dataset_name: "bronze".into(),
        table_name: "orders".into(),
        config: ingestion("rest_api", "bronze.orders", WriteMode::Append),
    };
    let result = dlt(&registry).run(&pipeline);
    assert!(!result.success);
    assert_eq!(
        result.errors,
        ["Plugin must be started before running pipelines — call startup() first"]
    );
}

#[test]
fn create_pipeline_splits_the_destination() {
    let registry = started(json!({"sources": [source("orders")]}));
    let p = dlt(&registry)
        .create_pipeline(&ingestion(
            "rest_api",
            "bronze.raw.orders",
            WriteMode::Append,
        ))
        .expect("pipeline");
    assert_eq!(
        (
            p.pipeline_name.as_str(),
            p.dataset_name.as_str(),
            p.table_name.as_str()
        ),
        ("ingest_raw.orders", "bronze", "raw.orders")
    );
    let p = dlt(&registry)
        .create_pipeline(&ingestion("filesystem", "orders", WriteMode::Append))
        .expect("pipeline");
    assert_eq!(
        (
            p.pipeline_name.as_str(),
            p.dataset_name.as_str(),
            p.table_name.as_str()
        ),
        ("ingest_orders", "default", "orders")
    );
}

#[test]
fn create_pipeline_refuses_bad_input_with_the_reference_texts() {
    let registry = started(json!({"sources": [source("orders")]}));
    let err = dlt(&registry)
        .create_pipeline(&ingestion("ftp", "bronze.orders", WriteMode::Append))
        .expect_err("bad type");
    assert_eq!(
        err.to_string(),
        "Invalid source_type 'ftp'. Must be one of: ['filesystem', 'rest_api', 'sql_database'] [source_type=ftp, destination_table=bronze.orders]"
    );
    let err = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "", WriteMode::Append))
        .expect_err("empty table");
    assert_eq!(
        err.to_string(),
        "destination_table is required and cannot be empty [source_type=rest_api]"
    );
}

#[test]
fn run_without_a_runner_fails_with_the_reason() {
    let registry = started(json!({"sources": [source("orders")]}));
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Append))
        .expect("pipeline");
    let result = dlt(&registry).run(&p);
    assert!(!result.success);
    assert_eq!(result.rows_loaded, 0);
    assert!(
        result.errors[0].contains("no dlt runner is configured"),
        "{:?}",
        result.errors
    );
}

#[test]
fn run_sends_the_request_to_the_runner_and_reads_its_report() {
    let (dir, script) =
        runner(r#"echo "loading..."; echo '{"rows_loaded": 42, "bytes_written": 4096}'"#);
    let mut s = source("orders");
    s["cursor_field"] = json!("updated_at");
    s["credentials"] = json!(CANARY);
    s["source_config"] = json!({"base_url": "https://api.example.com"});
    let registry = started(with_runner(&script, json!([s]), json!({})));
    let mut spec = ingestion("rest_api", "bronze.orders", WriteMode::Replace);
    spec.schema_contract = SchemaContract::DiscardValue;
    spec.source_config = json!({"base_url": "https://api.example.com"})
        .as_object()
        .cloned()
        .unwrap_or_default();
    let p = dlt(&registry).create_pipeline(&spec).expect("pipeline");
    let result = dlt(&registry).run(&p);
    assert!(result.success, "{result:?}");
    assert_eq!((result.rows_loaded, result.bytes_written), (42, 4096));
    assert!(result.errors.is_empty());
    assert!(result.duration_seconds > 0.0);
    assert_eq!(
        request(dir.path()),
        json!({
            "pipeline_name": "ingest_orders",
            "dataset_name": "bronze",
            "table_name": "orders",
            "source": {
                "name": "orders",
                "source_type": "rest_api",
                "source_config": {"base_url": "https://api.example.com"}
            },
            "write_disposition": "replace",
            "schema_contract": {"columns": "discard_value", "tables": "evolve", "data_type": "discard_value"},
            "cursor_field": "updated_at",
            "destination": {
                "destination": "iceberg",
                "catalog_type": "rest",
                "catalog_uri": "http://polaris:8181/api/catalog",
                "warehouse": "floe_warehouse"
            },
            "credentials": CANARY
        })
    );
    assert_no_canary("the output", &format!("{result:?}"));
}

#[test]
fn schema_contracts_map_to_dlt_settings() {
    let (dir, script) = runner(r#"echo '{}'"#);
    let registry = started(with_runner(&script, json!([source("orders")]), json!({})));
    for (contract, expected) in [
        (
            SchemaContract::Evolve,
            json!({"columns": "evolve", "tables": "evolve", "data_type": "evolve"}),
        ),
        (
            SchemaContract::Freeze,
            json!({"columns": "freeze", "tables": "freeze", "data_type": "freeze"}),
        ),
    ] {
        let mut spec = ingestion("rest_api", "bronze.orders", WriteMode::Append);
        spec.schema_contract = contract;
        let p = dlt(&registry).create_pipeline(&spec).expect("pipeline");
        assert!(dlt(&registry).run(&p).success);
        assert_eq!(request(dir.path())["schema_contract"], expected);
        assert!(request(dir.path()).get("primary_key").is_none());
    }
}

#[test]
fn merge_runs_pass_the_primary_key() {
    let (dir, script) = runner(r#"echo '{"rows_loaded": 1}'"#);
    let mut s = source("orders");
    s["write_mode"] = json!("merge");
    s["primary_key"] = json!(["id", "day"]);
    let registry = started(with_runner(&script, json!([s]), json!({})));
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Merge))
        .expect("pipeline");
    assert!(dlt(&registry).run(&p).success);
    let sent = request(dir.path());
    assert_eq!(sent["write_disposition"], "merge");
    assert_eq!(sent["primary_key"], json!(["id", "day"]));
}

#[test]
fn merge_without_a_configured_key_fails_before_running() {
    let (dir, script) = runner("echo '{}'");
    let registry = started(with_runner(&script, json!([source("orders")]), json!({})));
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Merge))
        .expect("pipeline");
    let result = dlt(&registry).run(&p);
    assert!(!result.success);
    assert_eq!(
        result.errors,
        [
            "primary_key is required when write_mode is 'merge' [destination_table=bronze.orders, pipeline=ingest_orders]"
        ]
    );
    assert_eq!(attempts(dir.path()), 0);
}

#[test]
fn runner_errors_are_sanitised_and_never_show_credentials() {
    let (dir, script) = runner(&format!(
        "echo 'connect postgresql://floe:hunter2@db/x failed password=hunter2 key {CANARY}' >&2; exit 1"
    ));
    let mut s = source("orders");
    s["credentials"] = json!(CANARY);
    let registry = started(with_runner(&script, json!([s]), json!({})));
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Append))
        .expect("pipeline");
    let result = dlt(&registry).run(&p);
    assert!(!result.success);
    assert_eq!(
        result.errors,
        [
            "source=orders: connect postgresql://<REDACTED>@db/x failed password=<REDACTED> key <REDACTED>"
        ]
    );
    assert_eq!(
        attempts(dir.path()),
        1,
        "a permanent failure is not retried"
    );
}

#[test]
fn schema_contract_violations_carry_the_pipeline_context() {
    let (_dir, script) = runner(
        r#"echo '{"success": false, "errors": ["schema contract violated: column new_col frozen"]}'"#,
    );
    let registry = started(with_runner(&script, json!([source("orders")]), json!({})));
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Append))
        .expect("pipeline");
    let result = dlt(&registry).run(&p);
    assert!(!result.success);
    assert_eq!(
        result.errors,
        [
            "source=orders: schema contract violated: column new_col frozen [destination_table=bronze.orders, pipeline=ingest_orders]"
        ]
    );
}

#[test]
fn transient_failures_are_retried_until_success() {
    let (dir, script) = runner(
        r#"n=$(wc -l < "$D/attempts"); if [ "$n" -lt 3 ]; then echo 'busy' >&2; exit 75; fi; echo '{"rows_loaded": 7}'"#,
    );
    let registry = started(with_runner(
        &script,
        json!([source("orders")]),
        json!({"max_retries": 3, "initial_delay_seconds": 0.01}),
    ));
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Append))
        .expect("pipeline");
    let result = dlt(&registry).run(&p);
    assert!(result.success, "{result:?}");
    assert_eq!(result.rows_loaded, 7);
    assert_eq!(attempts(dir.path()), 3);
}

#[test]
fn retries_stop_after_max_retries() {
    let (dir, script) =
        runner(r#"echo '{"retryable": true, "errors": ["429 too many requests"]}'; exit 1"#);
    let registry = started(with_runner(
        &script,
        json!([source("orders")]),
        json!({"max_retries": 2, "initial_delay_seconds": 0.01}),
    ));
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Append))
        .expect("pipeline");
    let result = dlt(&registry).run(&p);
    assert!(!result.success);
    assert_eq!(result.errors, ["source=orders: 429 too many requests"]);
    assert_eq!(attempts(dir.path()), 3);
}

#[test]
fn a_runner_over_its_timeout_is_killed() {
    let (_dir, script) = runner("exec sleep 30");
    let mut config = with_runner(
        &script,
        json!([source("orders")]),
        json!({"max_retries": 0}),
    );
    config["runner"]["timeout_seconds"] = json!(1);
    let registry = started(config);
    let p = dlt(&registry)
        .create_pipeline(&ingestion("rest_api", "bronze.orders", WriteMode::Append))
        .expect("pipeline");
    let began = std::time::Instant::now();
    let result = dlt(&registry).run(&p);
    // The runner sleeps 30 s: returning before the guard (15 s) shows it was killed.
    assert_no_hang(began, Duration::from_secs(1));
    assert!(!result.success);
    assert_eq!(
        result.errors,
        ["source=orders: the dlt runner did not finish within 1s"]
    );
}

#[test]
fn destination_config_maps_the_catalog_exactly() {
    let registry = configured(json!({"sources": [source("orders")]}));
    let catalog = json!({"uri": "http://polaris:8181/api/catalog", "warehouse": "floe_warehouse"});
    assert_eq!(
        dlt(&registry)
            .get_destination_config(catalog.as_object().expect("object"))
            .expect("config"),
        json!({
            "destination": "iceberg",
            "catalog_type": "rest",
            "catalog_uri": "http://polaris:8181/api/catalog",
            "warehouse": "floe_warehouse"
        })
    );
    let full = json!({
        "uri": "u", "warehouse": "w", "s3_endpoint": "e", "s3_access_key": "a",
        "s3_secret_key": "s", "s3_region": "r", "ignored": 1
    });
    assert_eq!(
        dlt(&registry)
            .get_destination_config(full.as_object().expect("object"))
            .expect("config"),
        json!({
            "destination": "iceberg", "catalog_type": "rest", "catalog_uri": "u", "warehouse": "w",
            "s3_endpoint": "e", "s3_access_key": "a", "s3_secret_key": "s", "s3_region": "r"
        })
    );
}

#[test]
fn capabilities_and_source_config() {
    let registry = started(json!({"sources": [source("orders")]}));
    let any: &dyn std::any::Any = dlt(&registry);
    let plugin = any.downcast_ref::<DltPlugin>().expect("the dlt plugin");
    assert_eq!(
        plugin.capabilities(),
        json!({
            "source_types": ["filesystem", "rest_api", "sql_database"],
            "write_modes": ["append", "merge", "replace"],
            "schema_contracts": ["discard_value", "evolve", "freeze"],
            "incremental_loading": true,
            "in_process": false
        })
    );
    let catalog = json!({"uri": "u"});
    assert_eq!(
        plugin
            .get_source_config(catalog.as_object().expect("object"))
            .expect("config"),
        json!({"source": "iceberg", "catalog_type": "rest", "catalog_uri": "u"})
    );
    assert!(!dlt(&registry).is_external());
}

#[test]
fn health_check_follows_startup_and_the_runner() {
    let registry = configured(json!({"sources": [source("orders")]}));
    let status = dlt(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, "Plugin not started — call startup() first");
    assert_eq!(status.details["reason"], "not_started");
    assert_eq!(status.details["timeout"], 5.0);
    assert!(
        status.details["checked_at"]
            .as_str()
            .is_some_and(|s| s.ends_with('Z'))
    );
    assert!(status.details.contains_key("response_time_ms"));

    registry
        .activate(PluginType::Ingestion, "dlt")
        .expect("starts");
    let status = dlt(&registry).health_check();
    assert_eq!(status.state, HealthState::Degraded);
    assert_eq!(status.details["reason"], "no_runner");

    let (_dir, script) = runner("echo '{}'");
    let registry = started(with_runner(&script, json!([source("orders")]), json!({})));
    let status = registry
        .health_check(PluginType::Ingestion, "dlt")
        .expect("health");
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.message, "dlt ingestion plugin is healthy");
    assert_eq!(status.details["started"], true);

    registry.shutdown_all();
    assert_eq!(dlt(&registry).health_check().state, HealthState::Unhealthy);
}

#[test]
fn startup_fails_when_the_runner_is_missing() {
    let registry = configured(json!({
        "sources": [source("orders")],
        "runner": {"command": ["/nonexistent/dlt-runner"]}
    }));
    let err = registry
        .activate(PluginType::Ingestion, "dlt")
        .expect_err("missing runner");
    assert!(err.to_string().contains("dlt runner not found"), "{err}");
}

/// A project folder with `data/orders.csv` and a started plugin whose filesystem source
/// `orders` has `source_config`, run by `script` in that folder.
fn filesystem_plugin(script: &Path, source_config: Value) -> (TempDir, PluginRegistry) {
    let project = tempfile::tempdir().expect("tempdir");
    fs::create_dir_all(project.path().join("data")).expect("data dir");
    fs::write(project.path().join("data/orders.csv"), "id\n1\n").expect("csv");
    let mut s = source("orders");
    s["source_type"] = json!("filesystem");
    s["source_config"] = source_config;
    let mut config = with_runner(script, json!([s]), json!({"max_retries": 0}));
    config["runner"]["working_dir"] = json!(project.path());
    config["catalog_config"]["s3_endpoint"] = json!("http://127.0.0.1:9000");
    (project, started(config))
}

fn run_filesystem(registry: &PluginRegistry) -> IngestionResult {
    let p = dlt(registry)
        .create_pipeline(&ingestion("filesystem", "bronze.orders", WriteMode::Append))
        .expect("pipeline");
    dlt(registry).run(&p)
}

#[test]
fn filesystem_sources_reach_the_runner_resolved_in_the_project_folder() {
    let (dir, script) = runner(r#"echo '{"rows_loaded": 1}'"#);
    let (project, registry) = filesystem_plugin(
        &script,
        json!({"path": "data/orders.csv", "format": "csv", "reader_options": {"sep": ","}}),
    );
    let result = run_filesystem(&registry);
    assert!(result.success, "{result:?}");
    let sent = request(dir.path());
    let folder = fs::canonicalize(project.path().join("data")).expect("canonical");
    assert_eq!(
        sent["source"]["filesystem"],
        json!({
            "bucket_url": folder,
            "file_glob": "orders.csv",
            "format": "csv",
            "reader_options": {"sep": ","},
        })
    );
    assert_eq!(
        sent["source"]["object_store"],
        json!({"s3_endpoint": "http://127.0.0.1:9000"})
    );
}

#[test]
fn refused_filesystem_sources_fail_the_run_with_floes_text_before_the_runner() {
    let (dir, script) = runner("echo '{}'");
    for (source_config, text) in [
        (
            json!({"path": "/srv/data/orders.csv", "format": "csv"}),
            "absolute local paths are not portable for 'orders'",
        ),
        (
            json!({"path": "../orders.csv", "format": "csv"}),
            "path escapes project_dir for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "xml"}),
            "Unsupported filesystem format 'xml' for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "jsonl", "reader_options": {"sep": ";"}}),
            "reader_options contains unsupported keys sep for jsonl source 'orders'",
        ),
    ] {
        let (_project, registry) = filesystem_plugin(&script, source_config);
        let result = run_filesystem(&registry);
        assert!(!result.success);
        assert_eq!(result.errors, [text]);
    }
    assert_eq!(attempts(dir.path()), 0, "the runner never ran");
}

#[test]
fn runner_errors_name_the_source_and_its_path() {
    let (_dir, script) = runner(
        r#"echo '{"success": false, "errors": ["filesystem source matched no files"]}'; exit 1"#,
    );
    let (_project, registry) =
        filesystem_plugin(&script, json!({"path": "data/", "format": "jsonl"}));
    let result = run_filesystem(&registry);
    assert_eq!(
        result.errors,
        ["source=orders, path=data/: filesystem source matched no files"]
    );
}
