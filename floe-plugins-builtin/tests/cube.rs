//! The `cube` semantic layer through the registry: configuration, the schema
//! generator on a realistic dbt manifest, and the `/readyz` health check.
#![cfg(feature = "cube")]

mod support;

use std::fs;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use floe_plugins_builtin as _;
use floe_plugins_builtin::cube::{CubePlugin, CubeSemanticConfig};
use floe_registry::prelude::*;
use floe_registry::{
    ConfigErrorKind, PluginDescriptor, PluginInstance, PluginRegistry, plugin_source,
};
use serde_json::{Value, json};
use support::canary::{CANARY, assert_no_canary, assert_value_has_no_canary};
use support::config_errors::{assert_has_error, config_errors};
use support::deadline::assert_no_hang;
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

fn manifest() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/part1b/cube_manifest.json")
}

fn configured(config: Value) -> PluginRegistry {
    let registry = registry();
    registry
        .configure(PluginType::SemanticLayer, "cube", config)
        .expect("valid config");
    registry
}

fn cube(registry: &PluginRegistry) -> &dyn SemanticLayerPlugin {
    registry
        .get_as::<dyn SemanticLayerPlugin>("cube")
        .expect("cube is registered")
}

fn concrete(registry: &PluginRegistry) -> &CubePlugin {
    let any: &dyn std::any::Any = cube(registry);
    any.downcast_ref::<CubePlugin>().expect("the cube plugin")
}

fn names(files: &[PathBuf]) -> Vec<String> {
    files
        .iter()
        .filter_map(|f| f.file_name()?.to_str().map(str::to_owned))
        .collect()
}

/// A compute plugin that is not registered, only passed to `get_datasource_config`.
struct FakeCompute(&'static PluginDescriptor);

impl PluginMetadata for FakeCompute {
    fn descriptor(&self) -> &'static PluginDescriptor {
        self.0
    }
}

impl ComputePlugin for FakeCompute {}

static FAKE_DUCKDB: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "duckdb",
    "1.0.0",
    plugin_source!(FakeCompute),
    || PluginInstance::compute(FakeCompute(&FAKE_DUCKDB)),
);

static FAKE_SPARK: PluginDescriptor = PluginDescriptor::new(
    PluginType::Compute,
    "spark",
    "1.0.0",
    plugin_source!(FakeCompute),
    || PluginInstance::compute(FakeCompute(&FAKE_SPARK)),
);

#[test]
fn metadata_matches_the_reference() {
    let info = registry()
        .info(PluginType::SemanticLayer, "cube")
        .expect("registered");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "Cube semantic layer plugin for business intelligence APIs"
    );
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::SemanticLayer, "cube");
}

#[test]
fn defaults_apply_and_the_url_loses_trailing_slashes() {
    let registry =
        configured(json!({"api_secret": CANARY, "server_url": "https://cube.example.com//"}));
    let config = registry
        .config::<CubeSemanticConfig>(PluginType::SemanticLayer, "cube")
        .expect("typed")
        .expect("stored");
    assert_eq!(config.server_url, "https://cube.example.com");
    assert_eq!(config.database_name, "analytics");
    assert_eq!(config.schema_path, None);
    assert_eq!(config.health_check_timeout, 5.0);
    assert!(config.model_filter_tags.is_empty() && config.model_filter_schemas.is_empty());
    assert_no_canary("the output", &format!("{config:?}"));
    let default = configured(json!({"api_secret": "s"}));
    assert_eq!(
        concrete(&default).get_api_endpoints().expect("endpoints")["rest"],
        "http://cube:4000/cubejs-api/v1"
    );
}

#[test]
fn every_field_error_is_reported_with_its_path() {
    let err = registry()
        .configure(
            PluginType::SemanticLayer,
            "cube",
            json!({
                "server_url": "ftp://cube",
                "database_name": 1,
                "health_check_timeout": 0,
                "model_filter_tags": "daily",
                "model_filter_schemas": [1],
                "colour": "red"
            }),
        )
        .expect_err("invalid");
    let errors = config_errors(err);
    assert_has_error(&errors, "api_secret", ConfigErrorKind::Missing);
    assert_has_error(&errors, "server_url", ConfigErrorKind::Pattern);
    assert_has_error(&errors, "database_name", ConfigErrorKind::Type);
    assert_has_error(&errors, "health_check_timeout", ConfigErrorKind::Range);
    assert_has_error(&errors, "model_filter_tags", ConfigErrorKind::Type);
    assert_has_error(&errors, "model_filter_schemas.0", ConfigErrorKind::Type);
    assert_has_error(&errors, "colour", ConfigErrorKind::UnknownField);
    let err = registry()
        .configure(
            PluginType::SemanticLayer,
            "cube",
            json!({"api_secret": CANARY, "health_check_timeout": 10.5}),
        )
        .expect_err("too long");
    assert_no_canary("the output", &err.to_string());
    assert_has_error(
        &config_errors(err),
        "health_check_timeout",
        ConfigErrorKind::Range,
    );
}

#[test]
fn security_context_bypasses_rls_only_for_admins() {
    let registry = configured(json!({"api_secret": "s"}));
    let roles = ["analyst".to_owned(), "viewer".to_owned()];
    assert_eq!(
        cube(&registry)
            .get_security_context("acme", &roles)
            .expect("context"),
        json!({"tenant_id": "acme", "allowed_roles": ["analyst", "viewer"]})
    );
    let roles = ["admin".to_owned()];
    assert_eq!(
        cube(&registry)
            .get_security_context("acme", &roles)
            .expect("context"),
        json!({"tenant_id": "acme", "allowed_roles": ["admin"], "bypass_rls": true})
    );
}

#[test]
fn datasource_config_depends_on_the_compute_engine() {
    let registry = configured(json!({"api_secret": "s", "database_name": "lake"}));
    assert_eq!(
        cube(&registry)
            .get_datasource_config(&FakeCompute(&FAKE_DUCKDB))
            .expect("duckdb"),
        json!({"type": "duckdb", "database_path": ":memory:"})
    );
    assert_eq!(
        cube(&registry)
            .get_datasource_config(&FakeCompute(&FAKE_SPARK))
            .expect("spark"),
        json!({"type": "spark", "database_name": "lake"})
    );
}

#[test]
fn api_endpoints_and_helm_values_are_exact() {
    let registry = configured(
        json!({"api_secret": CANARY, "server_url": "https://cube:4000/", "database_name": "lake"}),
    );
    let plugin = concrete(&registry);
    assert_eq!(
        plugin.get_api_endpoints().expect("endpoints"),
        json!({
            "rest": "https://cube:4000/cubejs-api/v1",
            "graphql": "https://cube:4000/cubejs-api/graphql",
            "sql": "https://cube:4000/cubejs-api/sql",
            "health": "https://cube:4000/readyz"
        })
    );
    let helm = plugin.get_helm_values_override().expect("helm");
    assert_eq!(
        helm,
        json!({"cube": {"enabled": true, "api": {"env": {"CUBEJS_DB_TYPE": "duckdb", "CUBEJS_DB_NAME": "lake"}}}})
    );
    assert_value_has_no_canary(&helm);
}

#[test]
fn unconfigured_use_is_a_not_configured_error() {
    let registry = registry();
    let dir = tempfile::tempdir().expect("tempdir");
    let err = cube(&registry)
        .sync_from_dbt_manifest(&manifest(), dir.path())
        .expect_err("unconfigured");
    assert!(
        err.to_string().contains("Plugin 'cube' not configured"),
        "{err}"
    );
}

const ORDERS_YAML: &str = "\
cubes:
- name: orders
  sql_table: marts.orders
  measures:
  - name: order_id
    type: count
    sql: order_id
  - name: customer_id
    type: count
    sql: customer_id
  - name: amount
    type: sum
    sql: amount
  dimensions:
  - name: order_date
    type: time
    sql: order_date
  - name: status
    type: string
    sql: status
  - name: credit_card_amount
    type: string
    sql: credit_card_amount
  - name: is_paid
    type: boolean
    sql: is_paid
  joins:
  - name: stg_orders
    sql: \"{orders}.stg_orders_id = {stg_orders}.stg_orders_id\"
    relationship: belongs_to
  - name: stg_payments
    sql: \"{orders}.stg_payments_id = {stg_payments}.stg_payments_id\"
    relationship: belongs_to
  - name: customers
    sql: \"{orders}.customers_id = {customers}.customers_id\"
    relationship: belongs_to
  pre_aggregations:
  - name: orders_by_day
    type: rollup
    measures:
    - orders.count
    - orders.amount
    dimensions:
    - orders.status
    time_dimension: orders.order_date
    granularity: day
    refresh_key:
      every: 1 hour
  - name: main
    type: original_sql
";

const CUSTOMERS_YAML: &str = "\
cubes:
- name: customers
  sql_table: marts.customers
  measures:
  - name: customer_id
    type: count
    sql: customer_id
  - name: number_of_orders
    type: sum
    sql: number_of_orders
  - name: customer_lifetime_value
    type: max
    sql: customer_lifetime_value
  dimensions:
  - name: first_name
    type: string
    sql: first_name
  - name: first_order
    type: time
    sql: first_order
  - name: most_recent_order
    type: time
    sql: most_recent_order
  - name: is_active
    type: boolean
    sql: is_active
  - name: notes
    type: string
    sql: notes
  joins:
  - name: stg_customers
    sql: \"{customers}.stg_customers_id = {stg_customers}.stg_customers_id\"
    relationship: belongs_to
  - name: stg_orders
    sql: \"{customers}.stg_orders_id = {stg_orders}.stg_orders_id\"
    relationship: has_many
  - name: stg_payments
    sql: \"{customers}.stg_payments_id = {stg_payments}.stg_payments_id\"
    relationship: has_many
";

const DAILY_REVENUE_YAML: &str = "\
cubes:
- name: daily_revenue
  sql_table: reporting.daily_revenue
  measures:
  - name: total_revenue
    type: sum
    sql: total_revenue
  - name: order_count
    type: count
    sql: order_count
  - name: 2024_target
    type: sum
    sql: 2024_target
  dimensions:
  - name: revenue_date
    type: time
    sql: revenue_date
  - name: \"true\"
    type: string
    sql: \"true\"
  joins:
  - name: orders
    sql: \"{daily_revenue}.orders_id = {orders}.orders_id\"
    relationship: belongs_to
";

const CUSTOMER_LTV_YAML: &str = "\
cubes:
- name: customer_ltv
  sql_table: public.customer_ltv
  measures: []
  dimensions: []
  joins:
  - name: customers
    sql: \"{customer_ltv}.customers_id = {customers}.customers_id\"
    relationship: belongs_to
";

fn read(dir: &Path, file: &str) -> String {
    fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"))
}

#[test]
fn sync_writes_one_cube_per_model_in_manifest_order() {
    let registry = configured(json!({"api_secret": "s"}));
    let dir = tempfile::tempdir().expect("tempdir");
    let files = cube(&registry)
        .sync_from_dbt_manifest(&manifest(), dir.path())
        .expect("generated");
    assert_eq!(
        names(&files),
        [
            "stg_customers.yaml",
            "stg_orders.yaml",
            "stg_payments.yaml",
            "customers.yaml",
            "orders.yaml",
            "payments.yaml",
            "products.yaml",
            "supplies.yaml",
            "locations.yaml",
            "order_items.yaml",
            "daily_revenue.yaml",
            "customer_ltv.yaml",
        ]
    );
    assert!(files.iter().all(|f| f.parent() == Some(dir.path())));
    assert_eq!(read(dir.path(), "orders.yaml"), ORDERS_YAML);
    assert_eq!(read(dir.path(), "customers.yaml"), CUSTOMERS_YAML);
    assert_eq!(read(dir.path(), "daily_revenue.yaml"), DAILY_REVENUE_YAML);
    assert_eq!(read(dir.path(), "customer_ltv.yaml"), CUSTOMER_LTV_YAML);
    let order_items = read(dir.path(), "order_items.yaml");
    assert!(
        order_items.contains("  - name: unit_price\n    type: avg\n"),
        "{order_items}"
    );
    assert!(
        order_items.contains("  - name: quantity\n    type: sum\n"),
        "{order_items}"
    );
    assert!(
        order_items.contains("  - name: products\n    sql: \"{order_items}.products_id = {products}.products_id\"\n    relationship: many_to_one\n"),
        "{order_items}"
    );
    let stg_customers = read(dir.path(), "stg_customers.yaml");
    assert!(
        !stg_customers.contains("joins"),
        "seeds are not joined: {stg_customers}"
    );
    assert!(stg_customers.contains("  - name: last_name\n    type: string\n"));
}

#[test]
fn filters_keep_exact_schemas_and_intersecting_tags() {
    let registry = configured(
        json!({"api_secret": "s", "model_filter_schemas": ["marts"], "model_filter_tags": ["core"]}),
    );
    let dir = tempfile::tempdir().expect("tempdir");
    let files = cube(&registry)
        .sync_from_dbt_manifest(&manifest(), dir.path())
        .expect("generated");
    assert_eq!(
        names(&files),
        [
            "customers.yaml",
            "orders.yaml",
            "payments.yaml",
            "locations.yaml",
            "order_items.yaml"
        ]
    );
    // Joins only reach models that were kept.
    let orders = read(dir.path(), "orders.yaml");
    assert!(!orders.contains("stg_orders"), "{orders}");
    assert!(orders.contains("  - name: customers\n"), "{orders}");

    let registry = configured(json!({"api_secret": "s", "model_filter_schemas": ["mart"]}));
    let files = cube(&registry)
        .sync_from_dbt_manifest(&manifest(), dir.path())
        .expect("generated");
    assert!(files.is_empty(), "schema match is exact, not a prefix");
}

#[test]
fn old_yaml_files_are_removed_and_the_directory_is_created() {
    let registry = configured(json!({"api_secret": "s", "model_filter_tags": ["catalog"]}));
    let parent = tempfile::tempdir().expect("tempdir");
    let dir = parent.path().join("model/cubes");
    let files = cube(&registry)
        .sync_from_dbt_manifest(&manifest(), &dir)
        .expect("generated");
    assert_eq!(names(&files), ["products.yaml", "supplies.yaml"]);
    fs::write(dir.join("stale.yml"), "cubes: []\n").expect("write");
    fs::write(dir.join("keep.txt"), "x").expect("write");
    fs::create_dir(dir.join("nested.yaml")).expect("dir");
    let registry = configured(json!({"api_secret": "s", "model_filter_tags": ["nothing"]}));
    let files = cube(&registry)
        .sync_from_dbt_manifest(&manifest(), &dir)
        .expect("generated");
    assert!(files.is_empty());
    let mut left: Vec<String> = fs::read_dir(&dir)
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    left.sort();
    assert_eq!(left, ["keep.txt", "nested.yaml"]);
}

fn tiny_manifest(dir: &Path, text: &str) -> PathBuf {
    let path = dir.join("manifest.json");
    fs::write(&path, text).expect("write manifest");
    path
}

#[test]
fn manifest_problems_have_the_reference_texts() {
    let registry = configured(json!({"api_secret": "s"}));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    let missing = dir.path().join("absent.json");
    let err = cube(&registry)
        .sync_from_dbt_manifest(&missing, &out)
        .expect_err("missing");
    assert_eq!(
        err.to_string(),
        format!("Manifest file not found: {}", missing.display())
    );
    let err = cube(&registry)
        .sync_from_dbt_manifest(&tiny_manifest(dir.path(), "{not json"), &out)
        .expect_err("invalid");
    assert!(
        err.to_string().starts_with("Invalid JSON in manifest: "),
        "{err}"
    );
    let err = cube(&registry)
        .sync_from_dbt_manifest(&tiny_manifest(dir.path(), r#"{"sources": {}}"#), &out)
        .expect_err("no nodes");
    assert_eq!(err.to_string(), "Manifest missing required 'nodes' key");
}

#[test]
fn model_names_that_escape_the_output_dir_are_refused() {
    let registry = configured(json!({"api_secret": "s"}));
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out");
    for name in ["../evil", "/etc/evil", "a/b", "..", ""] {
        let text =
            json!({"nodes": {"model.x.y": {"name": name, "resource_type": "model"}}}).to_string();
        let err = cube(&registry)
            .sync_from_dbt_manifest(&tiny_manifest(dir.path(), &text), &out)
            .expect_err(name);
        assert_eq!(
            err.to_string(),
            format!("Model name contains path traversal: {name} (model: {name})")
        );
    }
    assert!(!dir.path().join("evil.yaml").exists());
}

fn started(server_url: String, timeout: f64) -> PluginRegistry {
    let registry = configured(
        json!({"api_secret": CANARY, "server_url": server_url, "health_check_timeout": timeout}),
    );
    registry
        .activate(PluginType::SemanticLayer, "cube")
        .expect("starts");
    registry
}

#[test]
fn health_check_before_startup_is_unhealthy() {
    let registry = configured(json!({"api_secret": "s"}));
    let status = cube(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, "Plugin not started");
    assert_eq!(
        status.details,
        *json!({"reason": "not_started"}).as_object().expect("map")
    );
}

#[test]
fn health_check_gets_readyz() {
    let server = FakeServer::scripted([Reply::raw(200, r#"{"health":"HEALTH"}"#)]);
    let addr = server.addr();
    let registry = started(format!("http://{addr}/"), 2.0);
    let status = registry
        .health_check(PluginType::SemanticLayer, "cube")
        .expect("health");
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.message, "Cube API is healthy");
    assert_eq!(status.details["status_code"], 200);
    assert_eq!(status.details["timeout"], 2.0);
    assert!(status.details["response_time_ms"].as_f64().is_some());
    assert!(
        status.details["checked_at"]
            .as_str()
            .is_some_and(|s| s.ends_with('Z'))
    );
    let seen = server.request(0);
    assert_eq!(seen.request_line, "GET /readyz HTTP/1.1");
    assert_eq!(seen.header("authorization"), None);
    assert_no_canary("the output", &format!("{status:?}"));
}

#[test]
fn health_check_reports_an_error_status() {
    let server = FakeServer::scripted([Reply::raw(503, "{}")]);
    let addr = server.addr();
    let registry = started(format!("http://{addr}"), 2.0);
    let status = cube(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, "Cube API returned status 503");
    assert_eq!(status.details["reason"], "unhealthy_response");
    assert_eq!(status.details["status_code"], 503);
}

#[test]
fn health_check_times_out_at_the_configured_timeout() {
    let server = FakeServer::silent(Duration::from_secs(3));
    let addr = server.addr();
    let registry = started(format!("http://{addr}"), 0.5);
    let began = Instant::now();
    let status = cube(&registry).health_check();
    assert_no_hang(began, Duration::from_millis(500));
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, "Cube API health check timed out after 0.5s");
    assert_eq!(status.details["reason"], "timeout");
}

#[test]
fn health_check_reports_connection_errors_and_stops_after_shutdown() {
    let registry = started(format!("http://{}", closed_port()), 1.0);
    let status = cube(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .starts_with("Cube API health check failed: cannot reach"),
        "{}",
        status.message
    );
    assert_eq!(status.details["reason"], "connection_error");
    registry.shutdown_all();
    assert_eq!(cube(&registry).health_check().message, "Plugin not started");
}
