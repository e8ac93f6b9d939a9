//! The `minio` storage plugin: its config and metadata as floe-storage-minio 0.1.0a1
//! has them, the key lookup (config, `MINIO_*`, `AWS_*`), and objects and health
//! against moto's S3 server on 127.0.0.1.

#![cfg(feature = "minio")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod python_tools;
mod support;

use std::any::Any;

use floe_plugins_builtin::minio::{MinioStorageConfig, MinioStoragePlugin};
use floe_registry::{ConfigErrorKind, HealthState, PluginRegistry, PluginType, StoragePlugin};
use python_tools::MotoServer;
use serde_json::{Value, json};
use support::canary::CANARY;
use support::config_errors::{assert_has, refused_config};
use support::http_fake::closed_port;
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::Storage;

fn minimal() -> Value {
    json!({"endpoint": "http://floe-platform-minio:9000", "bucket": "floe-data"})
}

fn configured(config: Value) -> PluginRegistry {
    let registry = registry();
    registry.configure(T, "minio", config).unwrap();
    registry
}

/// The plugin configured with `config`, reading exactly `variables` as its environment.
fn with_env(config: Value, variables: &[(&str, &str)]) -> MinioStoragePlugin {
    let config: MinioStorageConfig = serde_json::from_value(config).unwrap();
    MinioStoragePlugin::with_variables(Some(config), variables)
}

fn server_config(server: &MotoServer) -> Value {
    json!({
        "endpoint": server.endpoint,
        "bucket": server.bucket,
        "access_key_id": server.access_key_id,
        "secret_access_key": server.secret_access_key,
    })
}

#[test]
fn metadata_matches_the_published_plugin() {
    // floe_storage_minio/plugin.py: name, version, floe_api_version, description.
    let info = registry().info(T, "minio").unwrap();
    assert_eq!(info.name, "minio");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "MinIO object storage plugin for Iceberg data"
    );
    assert!(info.dependencies.is_empty());
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "minio");
}

#[test]
fn schema_has_the_published_fields_defaults_secrets_and_bounds() {
    let schema = registry().config_schema(T, "minio").unwrap().unwrap();
    let p = &schema["properties"];
    let fields: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = vec![
        "endpoint",
        "bucket",
        "region",
        "path_style_access",
        "artifact_bucket",
        "credential_secret_name",
        "credential_secret_namespace",
        "access_key_secret_key",
        "secret_key_secret_key",
        "external_endpoint",
        "access_key_id",
        "secret_access_key",
    ];
    let mut fields_sorted = fields.clone();
    fields_sorted.sort_unstable();
    expected.sort_unstable();
    assert_eq!(fields_sorted, expected);
    assert_eq!(schema["required"], json!(["endpoint", "bucket"]));
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(p["endpoint"]["pattern"], "^https?://");
    assert_eq!(p["endpoint"]["minLength"], 1);
    assert_eq!(p["region"]["default"], "us-east-1");
    assert_eq!(p["path_style_access"]["default"], true);
    assert_eq!(p["artifact_bucket"]["default"], "floe-artifacts");
    assert_eq!(
        p["credential_secret_name"]["default"],
        "floe-platform-minio-credentials"
    );
    assert_eq!(p["credential_secret_namespace"]["default"], "floe-system");
    assert_eq!(p["access_key_secret_key"]["default"], "root-user");
    assert_eq!(p["secret_key_secret_key"]["default"], "root-password");
    for secret in ["access_key_id", "secret_access_key"] {
        assert_eq!(p[secret]["writeOnly"], true, "{secret} is a secret");
    }
}

#[test]
fn a_minimal_config_gets_the_published_defaults() {
    let registry = configured(minimal());
    let c = registry
        .config::<MinioStorageConfig>(T, "minio")
        .unwrap()
        .unwrap();
    assert_eq!(c.region, "us-east-1");
    assert!(c.path_style_access);
    assert_eq!(c.artifact_bucket, "floe-artifacts");
    assert_eq!(c.credential_secret_name, "floe-platform-minio-credentials");
    assert_eq!(c.credential_secret_namespace, "floe-system");
    assert_eq!(c.access_key_secret_key, "root-user");
    assert_eq!(c.secret_key_secret_key, "root-password");
    assert!(c.external_endpoint.is_none());
    assert!(c.access_key_id.is_none() && c.secret_access_key.is_none());
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let (errors, text) = refused_config(
        &registry(),
        T,
        "minio",
        json!({
            "bucket": "",
            "region": "",
            "path_style_access": [],
            "artifact_bucket": 5,
            "credential_secret_namespace": "",
            "external_endpoint": 9000,
            "secret_access_key": CANARY,
            "acess_key_id": CANARY,
        }),
    );
    assert_has(&errors, "endpoint", ConfigErrorKind::Missing);
    assert_has(&errors, "bucket", ConfigErrorKind::Length);
    assert_has(&errors, "region", ConfigErrorKind::Length);
    assert_has(&errors, "path_style_access", ConfigErrorKind::Type);
    assert_has(&errors, "artifact_bucket", ConfigErrorKind::Type);
    assert_has(
        &errors,
        "credential_secret_namespace",
        ConfigErrorKind::Length,
    );
    assert_has(&errors, "external_endpoint", ConfigErrorKind::Type);
    assert_has(&errors, "acess_key_id", ConfigErrorKind::UnknownField);
    assert!(!text.contains(CANARY), "secret in the error: {text}");

    let (errors, _) = refused_config(
        &registry(),
        T,
        "minio",
        json!({"endpoint": "minio:9000", "bucket": "b"}),
    );
    assert_eq!(
        errors,
        [("endpoint".to_owned(), ConfigErrorKind::Pattern)],
        "an endpoint without http(s):// is refused, as floe refuses it"
    );
}

#[test]
fn unconfigured_methods_give_the_not_configured_error() {
    let registry = registry();
    let minio = registry.get_as::<dyn StoragePlugin>("minio").unwrap();
    let expected = "Configuration error for plugin 'minio': _config: Plugin 'minio' not configured";
    assert_eq!(
        minio.get_warehouse_uri("bronze").unwrap_err().to_string(),
        expected
    );
    assert_eq!(
        minio.get_fileio_properties().unwrap_err().to_string(),
        expected
    );
    assert_eq!(
        minio.get_helm_values_override().unwrap_err().to_string(),
        expected
    );
    assert!(minio.get_pyiceberg_catalog_config().is_empty());
}

#[test]
fn keys_come_from_the_config_then_minio_then_aws_variables() {
    let env = [
        ("MINIO_ACCESS_KEY_ID", "minio-id"),
        ("MINIO_SECRET_ACCESS_KEY", "minio-secret"),
        ("AWS_ACCESS_KEY_ID", "aws-id"),
        ("AWS_SECRET_ACCESS_KEY", "aws-secret"),
    ];
    let mut config = minimal();
    config["access_key_id"] = json!("config-id");
    let props = with_env(config, &env).get_fileio_properties().unwrap();
    assert_eq!(props["s3.access-key-id"], "config-id");
    assert_eq!(
        props["s3.secret-access-key"], "minio-secret",
        "each key is looked up on its own"
    );

    let props = with_env(minimal(), &env[2..])
        .get_fileio_properties()
        .unwrap();
    assert_eq!(props["s3.access-key-id"], "aws-id");
    assert_eq!(props["s3.secret-access-key"], "aws-secret");

    let empty_minio = [
        ("MINIO_ACCESS_KEY_ID", ""),
        ("AWS_ACCESS_KEY_ID", "aws-id"),
        ("MINIO_SECRET_ACCESS_KEY", "minio-secret"),
    ];
    let props = with_env(minimal(), &empty_minio)
        .get_fileio_properties()
        .unwrap();
    assert_eq!(
        props["s3.access-key-id"], "aws-id",
        "an empty MINIO_ variable falls through"
    );
    assert_eq!(props["s3.secret-access-key"], "minio-secret");

    let props = with_env(minimal(), &[]).get_fileio_properties().unwrap();
    let expected: Vec<(&str, &str)> = vec![
        ("s3.endpoint", "http://floe-platform-minio:9000"),
        ("s3.path-style-access", "true"),
        ("s3.region", "us-east-1"),
    ];
    let actual: Vec<(&str, &str)> = props
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    assert_eq!(actual, expected, "no key: none is sent");
    let plugin = with_env(minimal(), &[]);
    let catalog = plugin.get_pyiceberg_catalog_config();
    assert_eq!(catalog["s3.endpoint"], "http://floe-platform-minio:9000");
}

#[test]
fn half_a_key_pair_is_an_error_naming_the_missing_half() {
    let plugin = with_env(minimal(), &[("MINIO_ACCESS_KEY_ID", "id")]);
    let err = plugin.open_fileio().err().unwrap().to_string();
    assert!(err.contains("no secret"), "{err}");
    assert!(err.contains("MINIO_SECRET_ACCESS_KEY"), "{err}");
}

#[test]
fn warehouse_dbt_dagster_and_helm_settings_match_the_published_plugin() {
    let registry = configured(minimal());
    let minio = registry.get_as::<dyn StoragePlugin>("minio").unwrap();
    assert_eq!(
        minio.get_warehouse_uri("bronze").unwrap(),
        "s3://floe-data/bronze/"
    );
    assert_eq!(
        minio.get_dbt_profile_config().unwrap(),
        json!({
            "s3_region": "us-east-1",
            "s3_access_key_id": "{{ env_var(\"AWS_ACCESS_KEY_ID\") }}",
            "s3_secret_access_key": "{{ env_var(\"AWS_SECRET_ACCESS_KEY\") }}",
            "s3_endpoint": "http://floe-platform-minio:9000",
            "s3_path_style_access": true,
        })
    );
    assert_eq!(
        minio.get_dagster_io_manager_config().unwrap(),
        json!({"bucket": "floe-data", "endpoint_url": "http://floe-platform-minio:9000", "region_name": "us-east-1", "path_style_access": true})
    );
    let helm = minio.get_helm_values_override().unwrap();
    assert_eq!(helm["minio"]["defaultBuckets"], "floe-data,floe-artifacts");
    assert_eq!(
        helm["minio"]["auth"]["existingSecret"],
        "floe-platform-minio-credentials"
    );
    assert_eq!(
        helm["polaris"]["storage"]["s3"]["accessKeySecretKey"],
        "root-user"
    );
    assert_eq!(
        helm["polaris"]["bootstrap"]["allowedLocations"],
        json!(["s3://floe-data"])
    );
}

#[test]
fn secrets_never_show_outside_the_fileio_properties() {
    let mut config = minimal();
    config["access_key_id"] = json!(CANARY);
    config["secret_access_key"] = json!(CANARY);
    let registry = configured(config);
    let stored = registry
        .config::<MinioStorageConfig>(T, "minio")
        .unwrap()
        .unwrap();
    let minio = registry.get_as::<dyn StoragePlugin>("minio").unwrap();
    let outputs = [
        format!("{stored:?}"),
        serde_json::to_string(&registry.info(T, "minio").unwrap()).unwrap(),
        minio.get_dbt_profile_config().unwrap().to_string(),
        minio.get_helm_values_override().unwrap().to_string(),
        format!("{:?}", minio.open_fileio().unwrap().read("x").err()),
    ];
    for out in outputs {
        assert!(!out.contains(CANARY), "secret leaked: {out}");
    }
}

#[test]
fn objects_round_trip_through_the_registry() {
    let server = MotoServer::start("floe-minio-data");
    let registry = configured(server_config(&server));
    registry.activate(T, "minio").unwrap();
    let fileio = registry
        .get_as::<dyn StoragePlugin>("minio")
        .unwrap()
        .open_fileio()
        .unwrap();
    let data: Vec<u8> = (0..=255u8).cycle().take(10_000).collect();
    fileio.write("bronze/orders/part 1.bin", &data).unwrap();
    fileio
        .write("s3://floe-minio-data/bronze/orders/part-2.bin", b"two")
        .unwrap();
    assert_eq!(fileio.read("bronze/orders/part 1.bin").unwrap(), data);
    let meta = registry.get(T, "minio").unwrap().metadata();
    let plugin = (meta as &dyn Any)
        .downcast_ref::<MinioStoragePlugin>()
        .unwrap();
    assert_eq!(
        plugin.open_s3().unwrap().list("bronze/").unwrap(),
        ["bronze/orders/part 1.bin", "bronze/orders/part-2.bin"]
    );
    fileio.delete("bronze/orders/part 1.bin").unwrap();
    let err = fileio.read("bronze/orders/part 1.bin").unwrap_err();
    assert!(err.to_string().contains("no such object"), "{err}");
    // boto3 sees what the plugin wrote.
    let listed = server.boto3(
        "import boto3, sys\n\
         s3 = boto3.client('s3', endpoint_url=sys.argv[1], region_name='us-east-1', aws_access_key_id=sys.argv[2], aws_secret_access_key=sys.argv[3])\n\
         print(s3.get_object(Bucket='floe-minio-data', Key='bronze/orders/part-2.bin')['Body'].read().decode())",
    );
    assert_eq!(listed.trim(), "two");
}

#[test]
fn keys_from_minio_variables_sign_the_requests() {
    let server = MotoServer::start("floe-minio-env");
    let plugin = with_env(
        json!({"endpoint": server.endpoint, "bucket": server.bucket}),
        &[
            ("MINIO_ACCESS_KEY_ID", &server.access_key_id),
            ("MINIO_SECRET_ACCESS_KEY", &server.secret_access_key),
            ("AWS_ACCESS_KEY_ID", "AKIAWRONG00000000000"),
            ("AWS_SECRET_ACCESS_KEY", "wrong"),
        ],
    );
    let fileio = plugin.open_fileio().unwrap();
    fileio.write("a.txt", b"a").unwrap();
    assert_eq!(fileio.read("a.txt").unwrap(), b"a");
    assert_eq!(plugin.health_check().state, HealthState::Healthy);
}

#[test]
fn health_is_healthy_when_the_bucket_can_be_listed() {
    let server = MotoServer::start("floe-minio-health");
    let registry = configured(server_config(&server));
    let status = registry.health_check(T, "minio").unwrap();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(
        status.message,
        format!(
            "bucket 'floe-minio-health' reachable at {}",
            server.endpoint
        )
    );
    assert_eq!(status.details["bucket"], "floe-minio-health");
}

#[test]
fn health_is_unhealthy_with_wrong_keys_a_missing_bucket_or_no_server() {
    let server = MotoServer::start("floe-minio-present");
    let mut config = server_config(&server);
    config["secret_access_key"] = json!(CANARY);
    let status = configured(config).health_check(T, "minio").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("refused the credentials")
            && status.message.contains("SignatureDoesNotMatch")
            && status.message.contains("MINIO_SECRET_ACCESS_KEY"),
        "{}",
        status.message
    );
    assert!(!status.message.contains(CANARY));

    let mut config = server_config(&server);
    config["bucket"] = json!("floe-minio-absent");
    let status = configured(config).health_check(T, "minio").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .contains("bucket 'floe-minio-absent' does not exist"),
        "{}",
        status.message
    );

    let closed = closed_port();
    let status = configured(json!({"endpoint": format!("http://{closed}"), "bucket": "b"}))
        .health_check(T, "minio")
        .unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("cannot reach the S3 endpoint"),
        "{}",
        status.message
    );

    let status = registry().health_check(T, "minio").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("not configured"),
        "{}",
        status.message
    );
}

#[test]
fn a_listing_that_repeats_its_continuation_token_stops_with_an_error() {
    use support::http_fake::{FakeServer, Reply};
    let page = "<ListBucketResult><Key>a</Key><IsTruncated>true</IsTruncated>\
                <NextContinuationToken>same</NextContinuationToken></ListBucketResult>";
    let server = FakeServer::start(move |_| Reply::text(200, page));
    let plugin = with_env(
        json!({"endpoint": format!("http://{}", server.addr()), "bucket": "b",
               "access_key_id": "k", "secret_access_key": "s"}),
        &[],
    );
    let err = plugin.open_s3().unwrap().list("").unwrap_err().to_string();
    assert!(
        err.contains("the server returned the same continuation token twice"),
        "{err}"
    );
}
