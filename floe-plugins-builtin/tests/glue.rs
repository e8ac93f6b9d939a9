//! The `glue` catalog plugin: its config and metadata as floe-catalog-glue 0.1.0a1
//! has them (validators included), and its namespace and table operations,
//! credential modes (IRSA through STS too) against moto's Glue, S3 and STS on
//! 127.0.0.1.

#![cfg(feature = "glue")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod python_tools;
mod support;

use std::collections::BTreeMap;

use floe_plugins_builtin::aws::CredentialMode;
use floe_plugins_builtin::glue::{GlueCatalogConfig, GluePlugin};
use floe_registry::{
    CATALOG_HEALTH_NOT_IMPLEMENTED, CatalogPlugin, ConfigErrorKind, HealthState, PluginType,
    TableOperation,
};
use python_tools::MotoServer;
use serde_json::{Value, json};
use support::config_errors::{assert_has, refused_config};
use support::http_fake::closed_port;
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::Catalog;

fn minimal() -> Value {
    json!({"region": "eu-west-1", "service_account_ref": "floe-catalog"})
}

fn stored(config: Value) -> GlueCatalogConfig {
    let registry = registry();
    registry.configure(T, "glue", config).unwrap();
    GlueCatalogConfig::clone(
        &registry
            .config::<GlueCatalogConfig>(T, "glue")
            .unwrap()
            .unwrap(),
    )
}

/// The plugin configured with `config` (checked by the registry first), reading
/// exactly `variables` as its environment.
fn with_env(config: Value, variables: &[(&str, &str)]) -> GluePlugin {
    GluePlugin::with_variables(Some(stored(config)), variables)
}

fn server_config(server: &MotoServer) -> Value {
    json!({
        "region": "us-east-1",
        "endpoint_override": server.endpoint,
        "credential_mode": "environment",
        "max_retries": 1,
    })
}

/// The plugin on the moto server in environment mode, connected with the S3
/// endpoint of the table files.
fn connected(server: &MotoServer, config: Value) -> GluePlugin {
    let plugin = with_env(
        config,
        &[
            ("AWS_ACCESS_KEY_ID", &server.access_key_id),
            ("AWS_SECRET_ACCESS_KEY", &server.secret_access_key),
        ],
    );
    plugin
        .connect(&json!({"s3.endpoint": server.endpoint, "s3.path-style-access": "true"}))
        .unwrap();
    plugin
}

fn orders_schema() -> Value {
    json!({"type": "struct", "fields": [
        {"id": 1, "name": "order_id", "required": true, "type": "long"},
        {"id": 2, "name": "amount", "required": false, "type": "decimal(10,2)", "doc": "EUR"},
        {"id": 3, "name": "placed_at", "required": false, "type": "timestamptz"}
    ]})
}

fn props(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

#[test]
fn metadata_matches_the_published_plugin() {
    // floe_catalog_glue/plugin.py: name, version, floe_api_version, description.
    let info = registry().info(T, "glue").unwrap();
    assert_eq!(info.name, "glue");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "AWS Glue catalog plugin for Iceberg table management"
    );
    assert!(info.dependencies.is_empty());
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "glue");
}

#[test]
fn schema_has_the_published_fields_defaults_and_bounds() {
    let schema = registry().config_schema(T, "glue").unwrap().unwrap();
    let p = &schema["properties"];
    let mut fields: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    let mut expected = vec![
        "region",
        "catalog_id",
        "warehouse",
        "database_prefix",
        "endpoint_override",
        "credential_mode",
        "credential_secret_name",
        "credential_secret_namespace",
        "access_key_secret_key",
        "secret_key_secret_key",
        "session_token_secret_key",
        "service_account_ref",
        "skip_archive",
        "max_retries",
        "retry_mode",
    ];
    expected.sort_unstable();
    assert_eq!(fields, expected);
    assert_eq!(schema["required"], json!(["region"]));
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(p["catalog_id"]["pattern"], "^\\d{12}$");
    assert_eq!(p["warehouse"]["pattern"], "^s3://");
    assert_eq!(p["endpoint_override"]["pattern"], "^https?://");
    assert_eq!(p["skip_archive"]["default"], true);
    assert_eq!(p["max_retries"]["minimum"], 1);
    assert_eq!(p["credential_mode"]["default"], "workload-identity");
    assert_eq!(p["credential_secret_namespace"]["default"], "floe-system");
    assert_eq!(
        schema["$defs"]["RetryMode"]["enum"],
        json!(["standard", "adaptive", "legacy"])
    );
    assert_eq!(schema["title"], "GlueCatalogConfig");
}

#[test]
fn a_minimal_config_gets_the_published_defaults() {
    let c = stored(minimal());
    assert_eq!(c.credential_mode, CredentialMode::WorkloadIdentity);
    assert!(c.skip_archive);
    assert_eq!(c.access_key_secret_key, "accessKeyId");
    assert_eq!(c.secret_key_secret_key, "secretAccessKey");
    assert_eq!(c.session_token_secret_key, "sessionToken");
    assert!(c.max_retries.is_none() && c.retry_mode.is_none() && c.warehouse.is_none());
    assert_eq!(c.endpoint(), "https://glue.eu-west-1.amazonaws.com");
    assert_eq!(c.attempts(), 10, "pyiceberg's default max attempts");

    let mut config = minimal();
    config["warehouse"] = json!("s3://lake/warehouse");
    assert_eq!(
        stored(config).warehouse.as_deref(),
        Some("s3://lake/warehouse/"),
        "floe adds the trailing slash"
    );
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let (errors, _) = refused_config(
        &registry(),
        T,
        "glue",
        json!({
            "catalog_id": "12345",
            "warehouse": "gs://lake",
            "database_prefix": "",
            "endpoint_override": "glue.local",
            "credential_mode": "static",
            "skip_archive": "sometimes",
            "max_retries": 0,
            "retry_mode": "fast",
            "service_account_ref": "sa",
        }),
    );
    assert_has(&errors, "region", ConfigErrorKind::Missing);
    assert_has(&errors, "catalog_id", ConfigErrorKind::Pattern);
    assert_has(&errors, "warehouse", ConfigErrorKind::Pattern);
    assert_has(&errors, "database_prefix", ConfigErrorKind::Length);
    assert_has(&errors, "endpoint_override", ConfigErrorKind::Pattern);
    assert_has(&errors, "credential_mode", ConfigErrorKind::Enum);
    assert_has(&errors, "skip_archive", ConfigErrorKind::Type);
    assert_has(&errors, "max_retries", ConfigErrorKind::Range);
    assert!(
        errors.iter().any(|(f, _)| f == "retry_mode"),
        "retry_mode: {errors:?}"
    );
}

#[test]
fn raw_keys_are_refused_and_the_credential_rules_hold() {
    let (errors, _) = refused_config(
        &registry(),
        T,
        "glue",
        json!({"region": "r", "service_account_ref": "sa", "access_key_id": "AKIA", "secret_access_key": "s", "session_token": "t"}),
    );
    for raw in ["access_key_id", "secret_access_key", "session_token"] {
        assert_has(&errors, raw, ConfigErrorKind::UnknownField);
    }
    let (errors, text) = refused_config(&registry(), T, "glue", json!({"region": "r"}));
    assert_eq!(errors.len(), 1);
    assert_eq!(
        errors[0].0, "",
        "floe's model validator: the config's error"
    );
    assert!(
        text.contains("workload-identity credential_mode requires service_account_ref"),
        "{text}"
    );
    let (_, text) = refused_config(
        &registry(),
        T,
        "glue",
        json!({"region": "r", "credential_mode": "kubernetes-secret", "service_account_ref": "sa"}),
    );
    assert!(
        text.contains("kubernetes-secret credential_mode requires credential_secret_name"),
        "{text}"
    );
    stored(
        json!({"region": "r", "credential_mode": "kubernetes-secret", "credential_secret_name": "glue-keys"}),
    );
    stored(json!({"region": "r", "credential_mode": "environment"}));
}

#[test]
fn catalog_properties_are_the_published_pyiceberg_ones() {
    let plugin = with_env(minimal(), &[]);
    assert_eq!(
        Value::Object(plugin.catalog_properties().unwrap()),
        json!({"type": "glue", "glue.region": "eu-west-1", "glue.skip-archive": "true"})
    );
    let mut config = minimal();
    config["catalog_id"] = json!("123456789012");
    config["warehouse"] = json!("s3://lake/wh/");
    config["endpoint_override"] = json!("http://glue.local:5000");
    config["skip_archive"] = json!(false);
    config["max_retries"] = json!(4);
    config["retry_mode"] = json!("adaptive");
    let plugin = with_env(config, &[]);
    assert_eq!(
        Value::Object(plugin.catalog_properties().unwrap()),
        json!({
            "type": "glue", "glue.region": "eu-west-1", "glue.skip-archive": "false",
            "warehouse": "s3://lake/wh/", "glue.id": "123456789012",
            "glue.endpoint": "http://glue.local:5000", "glue.max-retries": 4,
            "glue.retry-mode": "adaptive"
        })
    );
    let err = plugin
        .connect(&json!({"glue.region": "us-east-1", "glue.id": "123456789012", "type": "rest"}))
        .err()
        .unwrap()
        .to_string();
    assert_eq!(
        err,
        "connect() config conflicts with plugin config: ['glue.region', 'type']"
    );
}

#[test]
fn before_connect_and_unsupported_operations_say_so() {
    let registry = registry();
    let glue = registry.get_as::<dyn CatalogPlugin>("glue").unwrap();
    let err = glue.list_namespaces(None).unwrap_err().to_string();
    assert_eq!(
        err,
        "Configuration error for plugin 'glue': _config: Plugin 'glue' not configured"
    );
    let plugin = with_env(minimal(), &[]);
    let err = plugin.list_tables("db").unwrap_err().to_string();
    assert!(err.contains("call connect() first"), "{err}");
    let err = plugin
        .vend_credentials("db.t", &[TableOperation::Read])
        .unwrap_err()
        .to_string();
    assert_eq!(
        err,
        "Operation 'vend_credentials' not supported by catalog 'glue': AWS Glue does not vend \
         credentials; use AWS identity or references."
    );
    // The published plugin has no probe: floe's catalog default answers.
    let status = registry.health_check(T, "glue").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, CATALOG_HEALTH_NOT_IMPLEMENTED);
}

#[test]
fn namespaces_and_tables_round_trip_through_glue_and_s3() {
    let server = MotoServer::start("floe-glue-lake");
    let mut config = server_config(&server);
    config["warehouse"] = json!("s3://floe-glue-lake/warehouse");
    let glue = connected(&server, config);

    glue.create_namespace(
        "bronze",
        &props(&[("Description", "raw data"), ("owner", "data-eng")]),
    )
    .unwrap();
    glue.create_namespace(
        "silver",
        &props(&[("location", "s3://floe-glue-lake/silver-db")]),
    )
    .unwrap();
    let err = glue.create_namespace("bronze", &props(&[])).unwrap_err();
    assert_eq!(err.to_string(), "Database bronze already exists");
    let err = glue.create_namespace("a.b", &props(&[])).unwrap_err();
    assert!(
        err.to_string()
            .contains("hierarchical namespaces are not supported"),
        "{err}"
    );
    let mut namespaces = glue.list_namespaces(None).unwrap();
    namespaces.sort();
    assert_eq!(namespaces, ["bronze", "silver"]);
    assert!(glue.list_namespaces(Some("bronze")).unwrap().is_empty());

    glue.create_table(
        "bronze.orders",
        &orders_schema(),
        None,
        &props(&[("write.format.default", "parquet")]),
    )
    .unwrap();
    glue.create_table("silver.orders", &orders_schema(), None, &props(&[]))
        .unwrap();
    let err = glue
        .create_table("bronze.orders", &orders_schema(), None, &props(&[]))
        .unwrap_err();
    assert_eq!(err.to_string(), "Table bronze.orders already exists");
    let err = glue
        .create_table("nowhere.orders", &orders_schema(), None, &props(&[]))
        .unwrap_err();
    assert_eq!(err.to_string(), "Database does not exist: nowhere");

    // boto3 sees a Glue Iceberg table whose metadata file is in S3.
    let seen = server.boto3(
        "import boto3, json, sys\n\
         kw = dict(endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])\n\
         glue = boto3.client('glue', **kw); s3 = boto3.client('s3', **kw)\n\
         t = glue.get_table(DatabaseName='bronze', Name='orders')['Table']\n\
         s = glue.get_table(DatabaseName='silver', Name='orders')['Table']\n\
         loc = t['Parameters']['metadata_location']\n\
         meta = json.loads(s3.get_object(Bucket='floe-glue-lake', Key=loc.split('/', 3)[3])['Body'].read())\n\
         glue.create_table(DatabaseName='bronze', TableInput={'Name': 'hive_events', 'Parameters': {'table_type': 'HIVE'}})\n\
         print(json.dumps({'params': t['Parameters'], 'columns': t['StorageDescriptor']['Columns'], 'location': t['StorageDescriptor']['Location'], 'silver': s['StorageDescriptor']['Location'], 'meta': meta}))",
    );
    let seen: Value = serde_json::from_str(seen.trim()).unwrap();
    assert_eq!(seen["params"]["table_type"], "ICEBERG");
    assert_eq!(seen["params"]["write.format.default"], "parquet");
    assert_eq!(
        seen["location"], "s3://floe-glue-lake/warehouse/bronze.db/orders",
        "the warehouse default location, Hive style"
    );
    assert_eq!(
        seen["silver"], "s3://floe-glue-lake/silver-db/orders",
        "the database's location comes first"
    );
    assert!(
        seen["params"]["metadata_location"]
            .as_str()
            .unwrap()
            .starts_with("s3://floe-glue-lake/warehouse/bronze.db/orders/metadata/00000-")
    );
    assert_eq!(seen["columns"][0]["Type"], "bigint");
    assert_eq!(seen["columns"][1]["Comment"], "EUR");
    assert_eq!(seen["meta"]["format-version"], 2);
    assert_eq!(seen["meta"]["last-column-id"], 3);
    assert_eq!(seen["meta"]["schemas"][0]["fields"][0]["name"], "order_id");

    assert_eq!(
        glue.list_tables("bronze").unwrap(),
        ["bronze.orders"],
        "only Iceberg tables are listed, as pyiceberg lists them"
    );
    let handle = glue
        .connect(&json!({"s3.endpoint": server.endpoint, "s3.path-style-access": true}))
        .unwrap();
    let loaded = handle.load_table("bronze.orders").unwrap();
    assert_eq!(
        loaded["metadata"]["location"],
        "s3://floe-glue-lake/warehouse/bronze.db/orders"
    );
    assert_eq!(handle.list_tables("silver").unwrap(), ["silver.orders"]);
    let err = handle
        .load_table("bronze.hive_events")
        .unwrap_err()
        .to_string();
    assert!(err.contains("not an Iceberg table"), "{err}");

    let err = glue.delete_namespace("silver").unwrap_err().to_string();
    assert!(err.contains("still contains Iceberg tables"), "{err}");
    glue.drop_table("silver.orders", false).unwrap();
    glue.delete_namespace("silver").unwrap();
    let err = glue
        .drop_table("silver.orders", false)
        .unwrap_err()
        .to_string();
    assert!(err.contains("does not exist"), "{err}");

    glue.drop_table("bronze.orders", true).unwrap();
    let left = server.boto3(
        "import boto3, sys\n\
         s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])\n\
         print(s3.list_objects_v2(Bucket='floe-glue-lake', Prefix='warehouse/bronze.db/orders/').get('KeyCount'))",
    );
    assert_eq!(left.trim(), "0", "purge deletes the table's files");
    assert!(glue.list_tables("bronze").unwrap().is_empty());
    let err = glue.delete_namespace("gone").unwrap_err().to_string();
    assert_eq!(err, "Database does not exist: gone");
}

#[test]
fn a_table_without_location_or_warehouse_is_refused_with_the_fix() {
    let server = MotoServer::start("floe-glue-nowh");
    let glue = connected(&server, server_config(&server));
    glue.create_namespace("bronze", &props(&[])).unwrap();
    let err = glue
        .create_table("bronze.t", &orders_schema(), None, &props(&[]))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("No default path is set") && err.contains("`warehouse`"),
        "{err}"
    );
    glue.create_table(
        "bronze.t",
        &orders_schema(),
        Some("s3://floe-glue-nowh/explicit/t/"),
        &props(&[]),
    )
    .unwrap();
    assert_eq!(glue.list_tables("bronze").unwrap(), ["bronze.t"]);
    let err = glue
        .create_table(
            "bronze.u",
            &json!({"type": "struct"}),
            Some("s3://floe-glue-nowh/u"),
            &props(&[]),
        )
        .unwrap_err()
        .to_string();
    assert!(err.contains("invalid Iceberg schema"), "{err}");
}

#[test]
fn wrong_keys_missing_keys_and_no_server_are_named() {
    let server = MotoServer::start("floe-glue-keys");
    let glue = with_env(
        server_config(&server),
        &[
            ("AWS_ACCESS_KEY_ID", &server.access_key_id),
            ("AWS_SECRET_ACCESS_KEY", "not-the-secret"),
        ],
    );
    glue.connect(&Value::Null).unwrap();
    let err = glue.list_namespaces(None).unwrap_err().to_string();
    assert!(
        err.contains("refused the credentials") && err.contains("SignatureDoesNotMatch"),
        "{err}"
    );
    assert!(err.contains("AWS_SECRET_ACCESS_KEY"), "the fix: {err}");
    assert!(!err.contains("not-the-secret"));

    let err = with_env(server_config(&server), &[])
        .connect(&Value::Null)
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("credential_mode 'environment'"), "{err}");

    let mut config = server_config(&server);
    config["endpoint_override"] = json!(format!("http://{}", closed_port()));
    let glue = with_env(
        config,
        &[("AWS_ACCESS_KEY_ID", "a"), ("AWS_SECRET_ACCESS_KEY", "b")],
    );
    glue.connect(&Value::Null).unwrap();
    let err = glue.list_namespaces(None).unwrap_err().to_string();
    assert!(err.contains("cannot reach AWS Glue"), "{err}");
}

#[test]
fn workload_identity_through_irsa_signs_glue_with_sts_keys() {
    let server = MotoServer::start_for_web_identity("floe-glue-irsa");
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln").unwrap();
    let glue = with_env(
        json!({
            "region": "us-east-1",
            "endpoint_override": server.endpoint,
            "service_account_ref": "floe-catalog",
        }),
        &[
            ("AWS_ROLE_ARN", &server.role_arn),
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap()),
            ("AWS_ENDPOINT_URL", &server.endpoint),
        ],
    );
    glue.connect(&Value::Null).unwrap();
    glue.create_namespace("irsa", &props(&[])).unwrap();
    assert_eq!(glue.list_namespaces(None).unwrap(), ["irsa"]);
}
