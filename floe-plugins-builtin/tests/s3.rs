//! The `s3` storage plugin through the registry.

#![cfg(feature = "s3")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod support;

use floe_plugins_builtin::s3::{S3StorageConfig, S3StoragePlugin};
use floe_registry::{ConfigErrorKind, HealthState, PluginType, StoragePlugin};
use serde_json::{Value, json};
use support::canary::CANARY;
use support::config_errors::{assert_has, refused_config};
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::Storage;

fn minio() -> Value {
    json!({"endpoint": "http://floe-platform-minio:9000", "bucket": "floe-data"})
}

fn configured(config: Value) -> floe_registry::PluginRegistry {
    let registry = registry();
    registry.configure(T, "s3", config).unwrap();
    registry
}

/// The plugin configured with `config`, reading exactly `variables` as its environment.
fn with_env(config: Value, variables: &[(&str, &str)]) -> S3StoragePlugin {
    let config: S3StorageConfig = serde_json::from_value(config).unwrap();
    S3StoragePlugin::with_variables(Some(config), variables)
}

#[test]
fn metadata_matches_the_reference() {
    let registry = registry();
    let info = registry.info(T, "s3").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "S3-compatible object storage plugin for Iceberg data"
    );
    assert!(info.dependencies.is_empty());
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "s3");
}

#[test]
fn schema_marks_the_keys_as_secrets_and_has_the_defaults() {
    let schema = registry().config_schema(T, "s3").unwrap().unwrap();
    let p = &schema["properties"];
    assert_eq!(p["secret_access_key"]["writeOnly"], true);
    assert_eq!(p["access_key_id"]["format"], "password");
    assert_eq!(p["region"]["default"], "us-east-1");
    assert_eq!(p["path_style_access"]["default"], true);
    assert_eq!(p["bucket"]["minLength"], 1);
    assert_eq!(schema["required"], json!(["endpoint", "bucket"]));
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_minimal_config_gets_the_defaults() {
    let registry = configured(minio());
    let c = registry
        .config::<S3StorageConfig>(T, "s3")
        .unwrap()
        .unwrap();
    assert_eq!(c.region, "us-east-1");
    assert!(c.path_style_access);
    assert!(c.access_key_id.is_none() && c.secret_access_key.is_none());
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let (errors, text) = refused_config(
        &registry(),
        T,
        "s3",
        json!({"bucket": "", "region": 5, "path_style_access": "maybe", "secret_access_key": CANARY, "acess_key_id": CANARY}),
    );
    assert_has(&errors, "endpoint", ConfigErrorKind::Missing);
    assert_has(&errors, "bucket", ConfigErrorKind::Length);
    assert_has(&errors, "region", ConfigErrorKind::Type);
    assert_has(&errors, "path_style_access", ConfigErrorKind::Type);
    assert_has(&errors, "acess_key_id", ConfigErrorKind::UnknownField);
    assert!(!text.contains(CANARY), "secret in the error: {text}");
}

#[test]
fn unconfigured_methods_give_the_not_configured_error() {
    let registry = registry();
    let s3 = registry.get_as::<dyn StoragePlugin>("s3").unwrap();
    let expected = "Configuration error for plugin 's3': _config: Plugin 's3' not configured";
    assert_eq!(
        s3.get_warehouse_uri("bronze").unwrap_err().to_string(),
        expected
    );
    assert_eq!(
        s3.get_fileio_properties().unwrap_err().to_string(),
        expected
    );
    assert_eq!(
        s3.get_dbt_profile_config().unwrap_err().to_string(),
        expected
    );
    assert_eq!(
        s3.get_dagster_io_manager_config().unwrap_err().to_string(),
        expected
    );
    assert_eq!(
        s3.get_helm_values_override().unwrap(),
        json!({}),
        "works unconfigured"
    );
}

#[test]
fn warehouse_uri_is_bucket_and_namespace_with_a_trailing_slash() {
    let registry = configured(minio());
    let s3 = registry.get_as::<dyn StoragePlugin>("s3").unwrap();
    assert_eq!(
        s3.get_warehouse_uri("bronze").unwrap(),
        "s3://floe-data/bronze/"
    );
}

#[test]
fn fileio_properties_without_credentials_leave_the_keys_out() {
    let s3 = with_env(
        json!({"endpoint": "http://minio:9000", "bucket": "b", "region": "eu-west-1", "path_style_access": false}),
        &[],
    );
    let props = s3.get_fileio_properties().unwrap();
    let expected: Vec<(&str, &str)> = vec![
        ("s3.endpoint", "http://minio:9000"),
        ("s3.path-style-access", "false"),
        ("s3.region", "eu-west-1"),
    ];
    let actual: Vec<(&str, &str)> = props
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(actual, expected);
}

#[test]
fn fileio_properties_take_the_configured_keys_first() {
    let mut config = minio();
    config["access_key_id"] = json!("AKIA-config");
    config["secret_access_key"] = json!(CANARY);
    let s3 = with_env(
        config,
        &[
            ("AWS_ACCESS_KEY_ID", "env-id"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ],
    );
    let props = s3.get_fileio_properties().unwrap();
    assert_eq!(props["s3.access-key-id"], "AKIA-config");
    assert_eq!(
        props["s3.secret-access-key"], CANARY,
        "the client needs the key"
    );
    assert_eq!(props["s3.path-style-access"], "true");
    assert_eq!(props.len(), 5);
}

#[test]
fn fileio_properties_fall_back_to_the_environment() {
    let mut config = minio();
    config["access_key_id"] = json!("");
    let s3 = with_env(
        config,
        &[
            ("AWS_ACCESS_KEY_ID", "env-id"),
            ("AWS_SECRET_ACCESS_KEY", "env-secret"),
        ],
    );
    let props = s3.get_fileio_properties().unwrap();
    assert_eq!(props["s3.access-key-id"], "env-id");
    assert_eq!(props["s3.secret-access-key"], "env-secret");
}

#[test]
fn dbt_profile_config_reads_keys_from_the_environment() {
    let registry = configured(minio());
    let s3 = registry.get_as::<dyn StoragePlugin>("s3").unwrap();
    assert_eq!(
        s3.get_dbt_profile_config().unwrap(),
        json!({
            "s3_region": "us-east-1",
            "s3_access_key_id": "{{ env_var(\"AWS_ACCESS_KEY_ID\") }}",
            "s3_secret_access_key": "{{ env_var(\"AWS_SECRET_ACCESS_KEY\") }}",
            "s3_endpoint": "http://floe-platform-minio:9000",
            "s3_path_style_access": true,
        })
    );
}

#[test]
fn dagster_io_manager_config_matches_the_reference() {
    let registry = configured(minio());
    let s3 = registry.get_as::<dyn StoragePlugin>("s3").unwrap();
    assert_eq!(
        s3.get_dagster_io_manager_config().unwrap(),
        json!({"bucket": "floe-data", "endpoint_url": "http://floe-platform-minio:9000", "region_name": "us-east-1", "path_style_access": true})
    );
}

#[test]
fn open_fileio_refuses_an_endpoint_without_a_scheme() {
    let mut config = minio();
    config["endpoint"] = json!("minio:9000");
    let registry = configured(config);
    let s3 = registry.get_as::<dyn StoragePlugin>("s3").unwrap();
    let err = s3.open_fileio().err().unwrap().to_string();
    assert!(err.contains("write it as http://host:port"), "{err}");
}

#[test]
fn secrets_never_show_outside_the_fileio_properties() {
    let mut config = minio();
    config["access_key_id"] = json!(CANARY);
    config["secret_access_key"] = json!(CANARY);
    let registry = configured(config);
    let stored = registry
        .config::<S3StorageConfig>(T, "s3")
        .unwrap()
        .unwrap();
    let s3 = registry.get_as::<dyn StoragePlugin>("s3").unwrap();
    let outputs = [
        format!("{stored:?}"),
        format!("{s3:?}", s3 = registry.info(T, "s3").unwrap()),
        serde_json::to_string(&registry.info(T, "s3").unwrap()).unwrap(),
        s3.get_dbt_profile_config().unwrap().to_string(),
        s3.get_dagster_io_manager_config().unwrap().to_string(),
        s3.get_warehouse_uri("x").unwrap(),
        format!("{:?}", registry.health_check(T, "s3").unwrap()),
    ];
    for out in outputs {
        assert!(!out.contains(CANARY), "secret leaked: {out}");
    }
}

#[test]
fn health_check_connects_to_the_endpoint() {
    let server = FakeServer::start(|_| Reply::text(200, ""));
    let addr = server.addr();
    let registry = configured(json!({"endpoint": format!("http://{addr}/"), "bucket": "b"}));
    let status = registry.health_check(T, "s3").unwrap();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.message, format!("S3 endpoint reachable at {addr}"));
}

#[test]
fn health_check_reports_an_unreachable_endpoint() {
    let endpoint = closed_port();
    let registry = configured(json!({"endpoint": format!("http://{endpoint}"), "bucket": "b"}));
    let status = registry.health_check(T, "s3").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .starts_with(&format!("cannot connect to S3 endpoint {endpoint}")),
        "{}",
        status.message
    );
}

#[test]
fn health_check_of_an_unconfigured_plugin_says_so() {
    let status = registry().health_check(T, "s3").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("Plugin 's3' not configured"),
        "{}",
        status.message
    );
}
