//! The `file` secrets backend through the registry.
#![cfg(feature = "file-secrets")]

mod support;

use std::collections::BTreeMap;
use std::fs;
use std::os::unix::fs::PermissionsExt;
use std::path::Path;

use floe_plugins_builtin as _;
use floe_plugins_builtin::file_secrets::FileSecretsPlugin;
use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, HealthState, PluginRegistry};
use serde_json::json;
use support::canary::{CANARY, assert_no_canary};
use support::config_errors::{assert_has_error, config_errors};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

fn configured(dir: &Path) -> PluginRegistry {
    let registry = registry();
    registry
        .configure(PluginType::Secrets, "file", json!({"directory": dir}))
        .expect("valid config");
    registry
}

fn files(registry: &PluginRegistry) -> &dyn SecretsPlugin {
    registry
        .get_as::<dyn SecretsPlugin>("file")
        .expect("file is registered")
}

fn no_meta() -> BTreeMap<String, String> {
    BTreeMap::new()
}

#[test]
fn metadata_is_declared() {
    let info = registry()
        .info(PluginType::Secrets, "file")
        .expect("registered");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "Files in a directory, one per key, as Kubernetes mounts Secrets; atomic writes with owner-only permissions."
    );
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::Secrets, "file");
}

#[test]
fn invalid_configs_report_every_field() {
    let errors = config_errors(
        registry()
            .configure(
                PluginType::Secrets,
                "file",
                json!({"create_directory": 2, "extra": true}),
            )
            .expect_err("invalid"),
    );
    assert_has_error(&errors, "directory", ConfigErrorKind::Missing);
    assert_has_error(&errors, "create_directory", ConfigErrorKind::Type);
    assert_has_error(&errors, "extra", ConfigErrorKind::UnknownField);
    let errors = config_errors(
        registry()
            .configure(PluginType::Secrets, "file", json!({"directory": ""}))
            .expect_err("empty"),
    );
    assert_has_error(&errors, "directory", ConfigErrorKind::Length);
}

#[test]
fn unconfigured_use_is_a_not_configured_error() {
    let registry = registry();
    let err = files(&registry).get_secret("x").expect_err("unconfigured");
    assert!(
        err.to_string().contains("Plugin 'file' not configured"),
        "{err}"
    );
}

#[test]
fn set_then_get_round_trips_with_owner_only_permissions() {
    let dir = tempfile::tempdir().expect("tempdir");
    let registry = configured(dir.path());
    files(&registry)
        .set_secret("db-password", &Secret::new(CANARY), &no_meta())
        .expect("write");
    let path = dir.path().join("db-password");
    assert_eq!(fs::read_to_string(&path).expect("file"), CANARY);
    assert_eq!(
        fs::metadata(&path).expect("meta").permissions().mode() & 0o777,
        0o600
    );
    let value = files(&registry)
        .get_secret("db-password")
        .expect("read")
        .expect("present");
    assert_eq!(value.expose(), CANARY);
    files(&registry)
        .set_secret("db-password", &Secret::new("second"), &no_meta())
        .expect("overwrite");
    assert_eq!(fs::read_to_string(&path).expect("file"), "second");
    let leftovers: Vec<_> = fs::read_dir(dir.path())
        .expect("dir")
        .filter_map(Result::ok)
        .map(|e| e.file_name())
        .collect();
    assert_eq!(leftovers, ["db-password"], "no temporary files are left");
}

#[test]
fn missing_keys_are_none() {
    let dir = tempfile::tempdir().expect("tempdir");
    let registry = configured(dir.path());
    assert!(
        files(&registry)
            .get_secret("nothing")
            .expect("read")
            .is_none()
    );
}

#[test]
fn keys_that_could_escape_the_directory_are_refused() {
    let dir = tempfile::tempdir().expect("tempdir");
    let registry = configured(dir.path());
    for key in [
        "../x",
        "a/b",
        "..",
        ".",
        ".hidden",
        "",
        "a\\b",
        "a b",
        &"k".repeat(254),
    ] {
        assert!(files(&registry).get_secret(key).is_err(), "get {key:?}");
        assert!(
            files(&registry)
                .set_secret(key, &Secret::new(CANARY), &no_meta())
                .is_err(),
            "set {key:?}"
        );
    }
    assert!(files(&registry).get_secret(&"k".repeat(253)).is_ok());
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 0);
}

#[test]
fn symlinks_out_of_the_directory_are_refused() {
    let outside = tempfile::tempdir().expect("tempdir");
    fs::write(outside.path().join("target"), CANARY).expect("write");
    let dir = tempfile::tempdir().expect("tempdir");
    std::os::unix::fs::symlink(outside.path().join("target"), dir.path().join("leak"))
        .expect("symlink");
    let registry = configured(dir.path());
    let err = files(&registry).get_secret("leak").expect_err("outside");
    assert!(err.to_string().contains("outside"), "{err}");
    assert_no_canary("the output", &err.to_string());
}

#[test]
fn kubernetes_mount_layout_is_read_and_listed() {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("..2024_01_01_00_00_00.123");
    fs::create_dir(&data).expect("data dir");
    fs::write(data.join("username"), "floe").expect("write");
    fs::write(data.join("password"), CANARY).expect("write");
    std::os::unix::fs::symlink("..2024_01_01_00_00_00.123", dir.path().join("..data"))
        .expect("symlink");
    for key in ["username", "password"] {
        std::os::unix::fs::symlink(format!("..data/{key}"), dir.path().join(key)).expect("link");
    }
    let registry = configured(dir.path());
    assert_eq!(
        files(&registry).list_secrets("").expect("list"),
        ["password", "username"]
    );
    assert_eq!(
        files(&registry)
            .get_secret("username")
            .expect("read")
            .expect("present")
            .expose(),
        "floe"
    );
}

#[test]
fn list_secrets_filters_by_prefix_and_skips_hidden_and_directories() {
    let dir = tempfile::tempdir().expect("tempdir");
    let registry = configured(dir.path());
    for key in ["db-b", "db-a", "api-token"] {
        files(&registry)
            .set_secret(key, &Secret::new("v"), &no_meta())
            .expect("write");
    }
    fs::write(dir.path().join(".tmp-junk"), "x").expect("write");
    fs::create_dir(dir.path().join("db-subdir")).expect("dir");
    assert_eq!(
        files(&registry).list_secrets("").expect("list"),
        ["api-token", "db-a", "db-b"]
    );
    assert_eq!(
        files(&registry).list_secrets("db-").expect("list"),
        ["db-a", "db-b"]
    );
}

#[test]
fn metadata_is_stored_beside_and_removed_when_empty() {
    let dir = tempfile::tempdir().expect("tempdir");
    let registry = configured(dir.path());
    let meta = BTreeMap::from([("owner".to_owned(), "platform".to_owned())]);
    files(&registry)
        .set_secret("token", &Secret::new(CANARY), &meta)
        .expect("write");
    let plugin: &dyn std::any::Any = files(&registry);
    let plugin = plugin
        .downcast_ref::<FileSecretsPlugin>()
        .expect("the file plugin");
    assert_eq!(plugin.get_metadata("token").expect("meta"), meta);
    let meta_file = dir.path().join(".floe-metadata/token.json");
    assert_eq!(
        fs::metadata(&meta_file)
            .expect("meta file")
            .permissions()
            .mode()
            & 0o777,
        0o600
    );
    assert_no_canary("the output", &fs::read_to_string(&meta_file).expect("read"));
    files(&registry)
        .set_secret("token", &Secret::new(CANARY), &no_meta())
        .expect("write");
    assert!(!meta_file.exists());
    assert_eq!(files(&registry).list_secrets("").expect("list"), ["token"]);
    assert!(plugin.delete_secret("token").expect("delete"));
    assert!(!plugin.delete_secret("token").expect("delete again"));
}

#[test]
fn non_utf8_content_is_an_error_without_content() {
    let dir = tempfile::tempdir().expect("tempdir");
    fs::write(dir.path().join("bin"), [0xff, 0xfe, 0x00]).expect("write");
    let registry = configured(dir.path());
    let err = files(&registry).get_secret("bin").expect_err("not utf-8");
    assert_eq!(err.to_string(), "secret 'bin' is not valid UTF-8");
}

#[test]
fn startup_creates_the_directory_only_when_asked() {
    let parent = tempfile::tempdir().expect("tempdir");
    let dir = parent.path().join("secrets");
    let registry = configured(&dir);
    let err = registry
        .activate(PluginType::Secrets, "file")
        .expect_err("missing directory");
    assert!(err.to_string().contains("create_directory"), "{err}");

    let registry = registry_with(json!({"directory": dir, "create_directory": true}));
    registry
        .activate(PluginType::Secrets, "file")
        .expect("starts");
    assert_eq!(
        fs::metadata(&dir).expect("created").permissions().mode() & 0o777,
        0o700
    );
}

fn registry_with(config: serde_json::Value) -> PluginRegistry {
    let registry = registry();
    registry
        .configure(PluginType::Secrets, "file", config)
        .expect("valid config");
    registry
}

#[test]
fn health_check_reports_the_directory() {
    let dir = tempfile::tempdir().expect("tempdir");
    let registry = configured(dir.path());
    files(&registry)
        .set_secret("a", &Secret::new(CANARY), &no_meta())
        .expect("write");
    let status = files(&registry).health_check();
    assert_eq!(status.state, HealthState::Healthy);
    assert_eq!(status.details["secrets"], 1);
    assert_no_canary("the output", &format!("{status:?}"));

    let registry = configured(&dir.path().join("missing"));
    let status = files(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("is not available"),
        "{}",
        status.message
    );
}
