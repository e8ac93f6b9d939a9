//! The `aws-s3` storage plugin: its config and metadata as floe-storage-aws-s3
//! 0.1.0a1 has them (validators included), the settings it hands out, and its three
//! credential modes (IRSA through STS too) and health against moto's S3 and STS on
//! 127.0.0.1.

#![cfg(feature = "aws-s3")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod python_tools;
mod support;

use floe_plugins_builtin::aws::CredentialMode;
use floe_plugins_builtin::aws_s3::{AwsS3StorageConfig, AwsS3StoragePlugin, CreatePolicy};
use floe_registry::{ConfigErrorKind, HealthState, PluginRegistry, PluginType, StoragePlugin};
use python_tools::MotoServer;
use serde_json::{Value, json};
use support::canary::CANARY;
use support::config_errors::{assert_has, config_errors, refused_config};
use support::http_fake::{FakeServer, Reply, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::Storage;

fn minimal() -> Value {
    json!({"bucket": "floe-lake", "region": "eu-west-1", "service_account_ref": "floe-runner"})
}

fn configured(config: Value) -> PluginRegistry {
    let registry = registry();
    registry.configure(T, "aws-s3", config).unwrap();
    registry
}

fn stored(config: Value) -> AwsS3StorageConfig {
    let registry = configured(config);
    AwsS3StorageConfig::clone(
        &registry
            .config::<AwsS3StorageConfig>(T, "aws-s3")
            .unwrap()
            .unwrap(),
    )
}

/// The plugin configured with `config` (checked by the registry first), reading
/// exactly `variables` as its environment.
fn with_env(config: Value, variables: &[(&str, &str)]) -> AwsS3StoragePlugin {
    AwsS3StoragePlugin::with_variables(Some(stored(config)), variables)
}

/// A config of the moto server's bucket in `mode`.
fn server_config(server: &MotoServer, mode: &str) -> Value {
    let mut config = json!({
        "bucket": server.bucket,
        "region": "us-east-1",
        "endpoint_override": server.endpoint,
        "path_style_access": true,
        "credential_mode": mode,
    });
    match mode {
        "workload-identity" => config["service_account_ref"] = json!("floe-runner"),
        "kubernetes-secret" => config["credential_secret_name"] = json!("floe-aws"),
        _ => {}
    }
    config
}

fn round_trip(plugin: &AwsS3StoragePlugin, key: &str) {
    let fileio = plugin.open_fileio().unwrap();
    fileio.write(key, b"payload").unwrap();
    assert_eq!(fileio.read(key).unwrap(), b"payload");
    assert_eq!(plugin.open_s3().unwrap().list(key).unwrap(), [key]);
    fileio.delete(key).unwrap();
    assert!(plugin.open_s3().unwrap().list(key).unwrap().is_empty());
}

#[test]
fn metadata_matches_the_published_plugin() {
    // floe_storage_aws_s3/plugin.py: name, version, floe_api_version, description.
    let info = registry().info(T, "aws-s3").unwrap();
    assert_eq!(info.name, "aws-s3");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "AWS S3 object storage plugin for Iceberg data"
    );
    assert!(info.dependencies.is_empty());
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "aws-s3");
}

#[test]
fn schema_has_the_published_fields_defaults_and_bounds() {
    let schema = registry().config_schema(T, "aws-s3").unwrap().unwrap();
    let p = &schema["properties"];
    let mut fields: Vec<&str> = p.as_object().unwrap().keys().map(String::as_str).collect();
    fields.sort_unstable();
    let mut expected = vec![
        "bucket",
        "warehouse_prefix",
        "artifact_bucket",
        "artifact_prefix",
        "region",
        "endpoint_override",
        "path_style_access",
        "credential_mode",
        "credential_secret_name",
        "credential_secret_namespace",
        "access_key_secret_key",
        "secret_key_secret_key",
        "session_token_secret_key",
        "service_account_ref",
        "create_policy",
        "sts_supported",
    ];
    expected.sort_unstable();
    assert_eq!(fields, expected, "no raw key field, as in floe");
    assert_eq!(schema["required"], json!(["bucket", "region"]));
    assert_eq!(schema["additionalProperties"], false);
    assert_eq!(p["warehouse_prefix"]["default"], "warehouse/");
    assert_eq!(p["artifact_prefix"]["default"], "artifacts/");
    assert_eq!(p["path_style_access"]["default"], false);
    assert_eq!(p["credential_mode"]["default"], "workload-identity");
    assert_eq!(p["create_policy"]["default"], "must-exist");
    assert_eq!(p["sts_supported"]["default"], true);
    assert_eq!(p["endpoint_override"]["pattern"], "^https?://");
    assert_eq!(p["access_key_secret_key"]["default"], "accessKeyId");
    assert_eq!(p["session_token_secret_key"]["default"], "sessionToken");
    assert_eq!(
        schema["$defs"]["CredentialMode"]["enum"],
        json!(["environment", "workload-identity", "kubernetes-secret"])
    );
    assert_eq!(
        schema["$defs"]["CreatePolicy"]["enum"],
        json!(["must-exist", "never-create"])
    );
    assert_eq!(schema["title"], "AwsS3StorageConfig");
}

#[test]
fn a_minimal_config_gets_the_published_defaults() {
    let c = stored(minimal());
    assert_eq!(c.warehouse_prefix, "warehouse/");
    assert_eq!(c.artifact_prefix, "artifacts/");
    assert_eq!(c.artifact_bucket(), "floe-lake", "defaults to bucket");
    assert!(!c.path_style_access);
    assert_eq!(c.credential_mode, CredentialMode::WorkloadIdentity);
    assert_eq!(c.credential_secret_namespace, "floe-system");
    assert_eq!(c.create_policy, CreatePolicy::MustExist);
    assert!(c.sts_supported);
    assert_eq!(c.endpoint(), "https://s3.eu-west-1.amazonaws.com");
}

#[test]
fn prefixes_are_normalized_and_artifact_bucket_kept() {
    let mut config = minimal();
    config["warehouse_prefix"] = json!("/lake//");
    config["artifact_prefix"] = json!("/");
    config["artifact_bucket"] = json!(null);
    let c = stored(config);
    assert_eq!(c.warehouse_prefix, "lake/");
    assert_eq!(c.artifact_prefix, "");
    assert_eq!(c.artifact_bucket(), "floe-lake", "null defaults to bucket");
    let mut config = minimal();
    config["artifact_bucket"] = json!("floe-artifacts");
    config["warehouse_prefix"] = json!("");
    let plugin = with_env(config, &[]);
    assert_eq!(
        plugin.artifact_uri().unwrap(),
        "s3://floe-artifacts/artifacts/"
    );
    assert_eq!(plugin.warehouse_uri().unwrap(), "s3://floe-lake");
    assert_eq!(
        plugin.get_warehouse_uri("bronze").unwrap(),
        "s3://floe-lake/bronze/"
    );
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let (errors, _) = refused_config(
        &registry(),
        T,
        "aws-s3",
        json!({
            "bucket": "",
            "warehouse_prefix": 5,
            "artifact_bucket": "",
            "endpoint_override": "s3.local:9000",
            "path_style_access": [],
            "credential_mode": "iam-user",
            "credential_secret_namespace": "",
            "create_policy": "create-if-missing",
            "sts_supported": {},
            "service_account_ref": "",
            "access_key_id": CANARY,
        }),
    );
    assert_has(&errors, "region", ConfigErrorKind::Missing);
    assert_has(&errors, "bucket", ConfigErrorKind::Length);
    assert_has(&errors, "warehouse_prefix", ConfigErrorKind::Type);
    assert_has(&errors, "artifact_bucket", ConfigErrorKind::Length);
    assert_has(&errors, "endpoint_override", ConfigErrorKind::Pattern);
    assert_has(&errors, "path_style_access", ConfigErrorKind::Type);
    assert_has(&errors, "credential_mode", ConfigErrorKind::Enum);
    assert_has(
        &errors,
        "credential_secret_namespace",
        ConfigErrorKind::Length,
    );
    assert_has(&errors, "create_policy", ConfigErrorKind::Enum);
    assert_has(&errors, "sts_supported", ConfigErrorKind::Type);
    assert_has(&errors, "service_account_ref", ConfigErrorKind::Length);
    assert_has(&errors, "access_key_id", ConfigErrorKind::UnknownField);
}

#[test]
fn each_credential_mode_takes_only_its_own_reference() {
    // floe's model validator: its error is the config's (path ""), with floe's text,
    // and it runs only once every field is valid.
    let refused = |extra: Value| {
        let mut config = json!({"bucket": "b", "region": "us-east-1"});
        for (k, v) in extra.as_object().unwrap() {
            config[k] = v.clone();
        }
        let err = registry().configure(T, "aws-s3", config).unwrap_err();
        let text = err.to_string();
        (config_errors(err), text)
    };
    for (extra, floe_text) in [
        (
            json!({}),
            "workload-identity credential_mode requires service_account_ref",
        ),
        (
            json!({"service_account_ref": "sa", "credential_secret_name": "s"}),
            "workload-identity credential_mode only accepts service_account_ref",
        ),
        (
            json!({"credential_mode": "kubernetes-secret"}),
            "kubernetes-secret credential_mode requires credential_secret_name",
        ),
        (
            json!({"credential_mode": "kubernetes-secret", "credential_secret_name": "s", "service_account_ref": "sa"}),
            "kubernetes-secret credential_mode only accepts credential_secret_name",
        ),
        (
            json!({"credential_mode": "environment", "service_account_ref": "sa"}),
            "environment credential_mode only accepts environment variable names",
        ),
    ] {
        let (errors, text) = refused(extra.clone());
        assert_eq!(errors.len(), 1, "{extra}: {errors:?}");
        assert_eq!(errors[0].0, "", "{extra}: the config's error, as floe's");
        assert!(errors[0].2.contains(floe_text), "{extra}: {text}");
        assert!(errors[0].2.contains("choose"), "the fix is named: {text}");
    }
    let (errors, _) = refused(json!({"bucket": "", "credential_mode": "kubernetes-secret"}));
    assert_eq!(
        errors.iter().map(|e| e.0.as_str()).collect::<Vec<_>>(),
        ["bucket"],
        "field errors first, the credential rule only once they are fixed"
    );

    for accepted in [
        json!({"bucket": "b", "region": "r", "credential_mode": "environment", "service_account_ref": null}),
        json!({"bucket": "b", "region": "r", "credential_mode": "kubernetes-secret", "credential_secret_name": "s"}),
        json!({"bucket": "b", "region": "r", "credential_mode": "workload-identity", "service_account_ref": "sa", "credential_secret_name": null}),
    ] {
        registry().configure(T, "aws-s3", accepted).unwrap();
    }
}

#[test]
fn unconfigured_methods_give_the_not_configured_error() {
    let registry = registry();
    let s3 = registry.get_as::<dyn StoragePlugin>("aws-s3").unwrap();
    let expected =
        "Configuration error for plugin 'aws-s3': _config: Plugin 'aws-s3' not configured";
    assert_eq!(s3.get_warehouse_uri("x").unwrap_err().to_string(), expected);
    assert_eq!(
        s3.get_helm_values_override().unwrap_err().to_string(),
        expected,
        "as floe's, even the empty helm values need the config"
    );
    assert!(s3.get_pyiceberg_catalog_config().is_empty());
}

#[test]
fn iceberg_dbt_and_dagster_settings_are_the_published_secret_free_ones() {
    let registry = configured(minimal());
    let s3 = registry.get_as::<dyn StoragePlugin>("aws-s3").unwrap();
    let props = s3.get_fileio_properties().unwrap();
    assert_eq!(props.len(), 1);
    assert_eq!(props["s3.region"], "eu-west-1");
    assert_eq!(
        s3.get_dbt_profile_config().unwrap(),
        json!({"s3_region": "eu-west-1", "s3_path_style_access": false})
    );
    assert_eq!(
        s3.get_dagster_io_manager_config().unwrap(),
        json!({"bucket": "floe-lake", "region_name": "eu-west-1", "path_style_access": false})
    );
    assert_eq!(s3.get_helm_values_override().unwrap(), json!({}));
    assert_eq!(
        s3.get_warehouse_uri("silver").unwrap(),
        "s3://floe-lake/warehouse/silver/"
    );

    let mut config = minimal();
    config["endpoint_override"] = json!("http://localstack:4566");
    let registry = configured(config);
    let s3 = registry.get_as::<dyn StoragePlugin>("aws-s3").unwrap();
    let props: Vec<(String, String)> = s3.get_fileio_properties().unwrap().into_iter().collect();
    assert_eq!(
        props,
        [
            (
                "s3.endpoint".to_owned(),
                "http://localstack:4566".to_owned()
            ),
            ("s3.path-style-access".to_owned(), "false".to_owned()),
            ("s3.region".to_owned(), "eu-west-1".to_owned()),
        ]
    );
    assert_eq!(
        s3.get_dbt_profile_config().unwrap()["s3_endpoint"],
        "http://localstack:4566"
    );
    assert_eq!(
        s3.get_dagster_io_manager_config().unwrap()["endpoint_url"],
        "http://localstack:4566"
    );
    assert_eq!(
        s3.get_pyiceberg_catalog_config()["s3.endpoint"],
        "http://localstack:4566"
    );

    let mut config = minimal();
    config["path_style_access"] = json!(true);
    let props = with_env(config, &[]).get_fileio_properties().unwrap();
    assert_eq!(props["s3.path-style-access"], "true");
}

#[test]
fn environment_mode_signs_with_the_aws_variables() {
    let server = MotoServer::start("floe-aws-env");
    let plugin = with_env(
        server_config(&server, "environment"),
        &[
            ("AWS_ACCESS_KEY_ID", &server.access_key_id),
            ("AWS_SECRET_ACCESS_KEY", &server.secret_access_key),
        ],
    );
    round_trip(&plugin, "warehouse/bronze/orders/part-0.parquet");

    let err = with_env(server_config(&server, "environment"), &[])
        .open_fileio()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("credential_mode 'environment'") && err.contains("AWS_ACCESS_KEY_ID"),
        "{err}"
    );
}

#[test]
fn kubernetes_secret_mode_reads_the_keys_the_secret_is_mapped_to() {
    let server = MotoServer::start("floe-aws-k8s");
    let plugin = with_env(
        server_config(&server, "kubernetes-secret"),
        &[
            ("AWS_ACCESS_KEY_ID", &server.access_key_id),
            ("AWS_SECRET_ACCESS_KEY", &server.secret_access_key),
        ],
    );
    round_trip(&plugin, "warehouse/k8s.bin");

    let err = with_env(server_config(&server, "kubernetes-secret"), &[])
        .open_fileio()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("Secret floe-system/floe-aws")
            && err.contains("'accessKeyId'")
            && err.contains("AWS_SECRET_ACCESS_KEY"),
        "{err}"
    );
}

#[test]
fn workload_identity_through_irsa_gets_temporary_keys_from_sts() {
    let server = MotoServer::start_for_web_identity("floe-aws-irsa");
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "eyJhbGciOiJSUzI1NiJ9.e30.c2ln\n").unwrap();
    let token_path = token_file.to_str().unwrap();
    let variables = [
        ("AWS_ROLE_ARN", server.role_arn.as_str()),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_path),
        ("AWS_ENDPOINT_URL_STS", server.endpoint.as_str()),
    ];
    let plugin = with_env(server_config(&server, "workload-identity"), &variables);
    let credentials = plugin.credentials().unwrap();
    assert!(
        credentials.access_key_id.starts_with("ASIA"),
        "temporary keys: {credentials:?}"
    );
    assert!(credentials.session_token.is_some());
    let s3 = floe_plugins_builtin::aws::S3FileIo::new(
        &floe_plugins_builtin::aws::S3Location {
            endpoint: &server.endpoint,
            bucket: &server.bucket,
            region: "us-east-1",
            path_style: true,
        },
        Some(credentials.clone()),
    )
    .unwrap();
    use floe_registry::FileIo;
    s3.write("warehouse/irsa.bin", b"irsa").unwrap();
    assert_eq!(s3.read("warehouse/irsa.bin").unwrap(), b"irsa");
    let mut without_token = credentials;
    without_token.session_token = None;
    let refused = floe_plugins_builtin::aws::S3FileIo::new(
        &floe_plugins_builtin::aws::S3Location {
            endpoint: &server.endpoint,
            bucket: &server.bucket,
            region: "us-east-1",
            path_style: true,
        },
        Some(without_token),
    )
    .unwrap()
    .read("warehouse/irsa.bin")
    .unwrap_err()
    .to_string();
    assert!(
        refused.contains("refused the credentials"),
        "the session token is what makes them valid: {refused}"
    );

    let mut config = server_config(&server, "workload-identity");
    config["sts_supported"] = json!(false);
    let err = with_env(config, &variables)
        .open_fileio()
        .err()
        .unwrap()
        .to_string();
    assert!(err.contains("sts_supported: false"), "{err}");
}

#[test]
fn workload_identity_through_pod_identity_asks_the_container_endpoint() {
    let server = MotoServer::start("floe-aws-pod");
    let (id, secret) = (
        server.access_key_id.clone(),
        server.secret_access_key.clone(),
    );
    let agent = FakeServer::start(move |_| {
        Reply::json(
            200,
            json!({"AccessKeyId": id, "SecretAccessKey": secret, "Expiration": "2099-01-01T00:00:00Z"}),
        )
    });
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("eks-pod-identity-token");
    std::fs::write(&token_file, "pod-token\n").unwrap();
    let uri = format!("{}/v1/credentials", agent.url().trim_end_matches('/'));
    let plugin = with_env(
        server_config(&server, "workload-identity"),
        &[
            ("AWS_CONTAINER_CREDENTIALS_FULL_URI", &uri),
            (
                "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
                token_file.to_str().unwrap(),
            ),
        ],
    );
    round_trip(&plugin, "warehouse/pod.bin");
    assert_eq!(agent.request(0).header("authorization"), Some("pod-token"));

    let err = with_env(server_config(&server, "workload-identity"), &[])
        .open_fileio()
        .err()
        .unwrap()
        .to_string();
    assert!(
        err.contains("service account 'floe-runner'")
            && err.contains("AWS_ROLE_ARN")
            && err.contains("AWS_CONTAINER_CREDENTIALS_FULL_URI"),
        "{err}"
    );
}

#[test]
fn health_is_healthy_when_the_bucket_can_be_listed_and_says_why_not() {
    let server = MotoServer::start("floe-aws-health");
    let keys = [
        ("AWS_ACCESS_KEY_ID", server.access_key_id.as_str()),
        ("AWS_SECRET_ACCESS_KEY", server.secret_access_key.as_str()),
    ];
    let status = with_env(server_config(&server, "environment"), &keys).health_check();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.details["credential_mode"], "environment");

    let wrong = [
        ("AWS_ACCESS_KEY_ID", server.access_key_id.as_str()),
        ("AWS_SECRET_ACCESS_KEY", CANARY),
    ];
    let status = with_env(server_config(&server, "environment"), &wrong).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("SignatureDoesNotMatch")
            && status.message.contains("AWS_SECRET_ACCESS_KEY"),
        "{}",
        status.message
    );
    assert!(!status.message.contains(CANARY));

    let mut config = server_config(&server, "environment");
    config["bucket"] = json!("floe-aws-absent");
    let status = with_env(config, &keys).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .contains("bucket 'floe-aws-absent' does not exist"),
        "{}",
        status.message
    );

    let mut config = server_config(&server, "environment");
    config["endpoint_override"] = json!(format!("http://{}", closed_port()));
    let status = with_env(config, &keys).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("cannot reach the S3 endpoint"),
        "{}",
        status.message
    );

    let status = with_env(server_config(&server, "workload-identity"), &[]).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("no workload identity"),
        "{}",
        status.message
    );
}
