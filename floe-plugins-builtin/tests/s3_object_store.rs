//! The `s3` storage plugin's FileIO against a real S3-compatible server (moto, from
//! the pinned Python environment) on 127.0.0.1: read, write, list, delete, wrong
//! credentials and a missing bucket.

#![cfg(feature = "s3")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod python_tools;
mod support;

use std::any::Any;

use floe_plugins_builtin::s3::S3StoragePlugin;
use floe_registry::{PluginRegistry, PluginType, StoragePlugin};
use python_tools::MotoServer;
use serde_json::{Value, json};
use support::registry::registry;

fn storage_config(server: &MotoServer) -> Value {
    json!({
        "endpoint": server.endpoint,
        "bucket": server.bucket,
        "region": "us-east-1",
        "path_style_access": true,
        "access_key_id": server.access_key_id,
        "secret_access_key": server.secret_access_key,
    })
}

fn configured(config: Value) -> PluginRegistry {
    let registry = registry();
    registry
        .configure(PluginType::Storage, "s3", config)
        .unwrap();
    registry.activate(PluginType::Storage, "s3").unwrap();
    registry
}

#[test]
fn fileio_writes_reads_lists_and_deletes_objects() {
    let server = MotoServer::start("floe-warehouse");
    let registry = configured(storage_config(&server));
    let storage = registry.get_as::<dyn StoragePlugin>("s3").unwrap();
    let fileio = storage.open_fileio().unwrap();
    let data: Vec<u8> = (0..=255u8).cycle().take(70_000).collect();
    fileio.write("bronze/orders/part 1.bin", &data).unwrap();
    fileio
        .write("s3://floe-warehouse/bronze/orders/part-2.bin", b"two")
        .unwrap();
    fileio.write("silver/other.bin", b"x").unwrap();
    assert_eq!(
        fileio.read("bronze/orders/part 1.bin").unwrap(),
        data,
        "the object reads back byte for byte"
    );
    assert_eq!(
        fileio
            .read("s3://floe-warehouse/bronze/orders/part-2.bin")
            .unwrap(),
        b"two"
    );

    let meta = registry.get(PluginType::Storage, "s3").unwrap().metadata();
    let plugin = (meta as &dyn Any)
        .downcast_ref::<S3StoragePlugin>()
        .unwrap();
    let s3 = plugin.open_s3().unwrap();
    assert_eq!(
        s3.list("bronze/").unwrap(),
        ["bronze/orders/part 1.bin", "bronze/orders/part-2.bin"],
        "listing a prefix gives its keys only"
    );

    fileio.delete("bronze/orders/part 1.bin").unwrap();
    assert_eq!(s3.list("bronze/").unwrap(), ["bronze/orders/part-2.bin"]);
    let err = fileio
        .read("bronze/orders/part 1.bin")
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("no such object"),
        "reading a deleted object: {err}"
    );
}

#[test]
fn wrong_credentials_are_refused_with_the_fix() {
    let server = MotoServer::start("floe-creds");
    let mut config = storage_config(&server);
    config["secret_access_key"] = json!("not-the-secret");
    let registry = configured(config);
    let fileio = registry
        .get_as::<dyn StoragePlugin>("s3")
        .unwrap()
        .open_fileio()
        .unwrap();
    let err = fileio.write("a.txt", b"a").unwrap_err().to_string();
    assert!(err.contains("refused the credentials"), "{err}");
    assert!(err.contains("SignatureDoesNotMatch"), "{err}");
    assert!(err.contains("secret_access_key"), "the fix is named: {err}");
    assert!(
        !err.contains("not-the-secret"),
        "the secret is not shown: {err}"
    );

    let mut config = storage_config(&server);
    config["access_key_id"] = json!("AKIAUNKNOWN000000000");
    let registry = configured(config);
    let fileio = registry
        .get_as::<dyn StoragePlugin>("s3")
        .unwrap()
        .open_fileio()
        .unwrap();
    let err = fileio.read("a.txt").unwrap_err().to_string();
    assert!(err.contains("InvalidAccessKeyId"), "{err}");
}

#[test]
fn a_missing_bucket_is_named_with_the_fix() {
    let server = MotoServer::start("floe-present");
    let mut config = storage_config(&server);
    config["bucket"] = json!("floe-absent");
    let registry = configured(config);
    let fileio = registry
        .get_as::<dyn StoragePlugin>("s3")
        .unwrap()
        .open_fileio()
        .unwrap();
    let err = fileio.write("a.txt", b"a").unwrap_err().to_string();
    assert!(err.contains("bucket 'floe-absent' does not exist"), "{err}");
    assert!(err.contains("create it or fix"), "{err}");
}
