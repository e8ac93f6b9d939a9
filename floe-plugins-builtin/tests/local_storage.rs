//! The `local` storage plugin through the registry.

#![cfg(feature = "local-storage")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod support;

use floe_plugins_builtin::local_storage::LocalStorageConfig;
use floe_registry::{
    ConfigErrorKind, FileIo, HealthState, PluginRegistry, PluginType, StoragePlugin,
};
use serde_json::json;
use support::config_errors::{assert_has, refused_config};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::Storage;

fn configured(root: &std::path::Path) -> PluginRegistry {
    let registry = registry();
    registry
        .configure(T, "local", json!({"root": root.to_str().unwrap()}))
        .unwrap();
    registry
}

fn fileio(registry: &PluginRegistry) -> Box<dyn FileIo> {
    registry
        .get_as::<dyn StoragePlugin>("local")
        .unwrap()
        .open_fileio()
        .ok()
        .unwrap()
}

#[test]
fn metadata_is_declared() {
    let info = registry().info(T, "local").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert!(info.description.starts_with("Local filesystem storage"));
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "local");
}

#[test]
fn a_root_is_required_and_nothing_else_accepted() {
    let (errors, _) = refused_config(
        &registry(),
        T,
        "local",
        json!({"create_root": 2, "rot": "/x"}),
    );
    assert_has(&errors, "root", ConfigErrorKind::Missing);
    assert_has(&errors, "create_root", ConfigErrorKind::Type);
    assert_has(&errors, "rot", ConfigErrorKind::UnknownField);
    let (errors, _) = refused_config(&registry(), T, "local", json!({"root": ""}));
    assert_has(&errors, "root", ConfigErrorKind::Length);
}

#[test]
fn defaults_create_the_root() {
    let registry = registry();
    registry
        .configure(T, "local", json!({"root": "/tmp/x"}))
        .unwrap();
    let c = registry
        .config::<LocalStorageConfig>(T, "local")
        .unwrap()
        .unwrap();
    assert!(c.create_root);
}

#[test]
fn startup_creates_the_missing_root() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("a/b/warehouse");
    let registry = configured(&root);
    registry.activate(T, "local").unwrap();
    assert!(root.is_dir());
}

#[test]
fn warehouse_uri_is_a_file_uri_under_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let registry = configured(dir.path());
    let local = registry.get_as::<dyn StoragePlugin>("local").unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    assert_eq!(
        local.get_warehouse_uri("bronze").unwrap(),
        format!("file://{}/bronze/", root.display())
    );
    for bad in ["", "../x", "/etc", "a/../../b"] {
        assert!(
            local.get_warehouse_uri(bad).is_err(),
            "namespace {bad:?} must be refused"
        );
    }
}

#[test]
fn dbt_dagster_fileio_and_helm_settings_point_at_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let registry = configured(dir.path());
    let local = registry.get_as::<dyn StoragePlugin>("local").unwrap();
    let root = std::fs::canonicalize(dir.path()).unwrap();
    let root = root.to_str().unwrap();
    assert_eq!(
        local.get_dbt_profile_config().unwrap(),
        json!({"external_root": root})
    );
    assert_eq!(
        local.get_dagster_io_manager_config().unwrap(),
        json!({"base_dir": root})
    );
    assert!(local.get_fileio_properties().unwrap().is_empty());
    assert_eq!(local.get_helm_values_override().unwrap(), json!({}));
}

#[test]
fn unconfigured_methods_give_the_not_configured_error() {
    let registry = registry();
    let local = registry.get_as::<dyn StoragePlugin>("local").unwrap();
    assert_eq!(
        local.get_warehouse_uri("x").unwrap_err().to_string(),
        "Configuration error for plugin 'local': _config: Plugin 'local' not configured"
    );
    assert!(local.open_fileio().is_err());
}

#[test]
fn fileio_writes_reads_and_deletes() {
    let dir = tempfile::tempdir().unwrap();
    let io = fileio(&configured(dir.path()));
    io.write("bronze/orders/data/0001.parquet", b"PAR1")
        .unwrap();
    assert_eq!(io.read("bronze/orders/data/0001.parquet").unwrap(), b"PAR1");
    io.write("bronze/orders/data/0001.parquet", b"PAR2")
        .unwrap();
    assert_eq!(
        io.read("./bronze/orders/data/0001.parquet").unwrap(),
        b"PAR2"
    );
    let entries: Vec<_> = std::fs::read_dir(dir.path().join("bronze/orders/data"))
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries.len(), 1, "no temporary file is left: {entries:?}");
    io.delete("bronze/orders/data/0001.parquet").unwrap();
    let err = io
        .read("bronze/orders/data/0001.parquet")
        .unwrap_err()
        .to_string();
    assert!(err.contains("file not found"), "{err}");
    assert!(io.delete("bronze/orders/data/0001.parquet").is_err());
}

#[test]
fn fileio_accepts_absolute_and_file_uris_inside_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let io = fileio(&configured(dir.path()));
    let root = std::fs::canonicalize(dir.path()).unwrap();
    io.write(&format!("file://{}/m.json", root.display()), b"{}")
        .unwrap();
    assert_eq!(
        io.read(&format!("{}/m.json", root.display())).unwrap(),
        b"{}"
    );
}

#[test]
fn fileio_refuses_parent_components_and_outside_paths() {
    let dir = tempfile::tempdir().unwrap();
    let registry = configured(&dir.path().join("wh"));
    registry.activate(T, "local").unwrap();
    let io = fileio(&registry);
    for bad in [
        "../x",
        "a/../../x",
        "/etc/passwd",
        "file:///etc/passwd",
        "",
        ".",
    ] {
        let err = io.write(bad, b"x").unwrap_err().to_string();
        assert!(
            err.contains("path") && err.contains(bad.trim_start_matches("file://")),
            "{bad}: {err}"
        );
    }
    assert!(!dir.path().join("x").exists());
}

#[cfg(unix)]
#[test]
fn fileio_refuses_symbolic_links_that_leave_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let outside = dir.path().join("outside");
    std::fs::create_dir(&outside).unwrap();
    std::fs::write(outside.join("secret.txt"), b"s").unwrap();
    let root = dir.path().join("wh");
    std::fs::create_dir(&root).unwrap();
    std::os::unix::fs::symlink(&outside, root.join("escape")).unwrap();
    std::os::unix::fs::symlink(outside.join("secret.txt"), root.join("file-link")).unwrap();
    std::fs::create_dir(root.join("real")).unwrap();
    std::os::unix::fs::symlink(root.join("real"), root.join("inside")).unwrap();
    let io = fileio(&configured(&root));
    for bad in ["escape/secret.txt", "escape/new/file", "file-link"] {
        let err = io.read(bad).unwrap_err().to_string();
        assert!(
            err.contains("symbolic link leads outside the root"),
            "{bad}: {err}"
        );
    }
    let err = io.write("escape/new/file", b"x").unwrap_err().to_string();
    assert!(err.contains("symbolic link"), "{err}");
    assert!(
        !outside.join("new").exists(),
        "nothing created outside the root"
    );
    io.write("inside/ok.txt", b"ok").unwrap();
    assert_eq!(std::fs::read(root.join("real/ok.txt")).unwrap(), b"ok");
}

#[test]
fn health_check_reports_the_root() {
    let dir = tempfile::tempdir().unwrap();
    let registry = configured(dir.path());
    let status = registry.health_check(T, "local").unwrap();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    let registry = configured(&dir.path().join("missing"));
    let status = registry.health_check(T, "local").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.contains("is not usable"),
        "{}",
        status.message
    );
}
