//! Unit tests of the filesystem source rules: each refused input with floe's text, and
//! the resolution of relative paths.

#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

use std::fs;
use std::path::Path;

use serde_json::{Map, Value, json};

use super::{FilesystemSource, object_store_config, real_path, resolve};

fn config(value: Value) -> Map<String, Value> {
    value.as_object().cloned().unwrap()
}

/// A project folder with `data/orders.csv`, `data/more/` and `data/noext`.
fn project() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    fs::create_dir_all(dir.path().join("data/more")).unwrap();
    fs::write(dir.path().join("data/orders.csv"), "id\n1\n").unwrap();
    fs::write(dir.path().join("data/noext"), "").unwrap();
    dir
}

fn resolved(dir: &Path, source_config: Value) -> Result<FilesystemSource, String> {
    resolve("orders", "bronze.orders", &config(source_config), dir)
}

fn refused(source_config: Value) -> String {
    let dir = project();
    resolved(dir.path(), source_config).unwrap_err()
}

fn root(dir: &Path) -> String {
    real_path(dir).display().to_string()
}

#[test]
fn a_relative_file_is_read_from_its_folder_of_the_project() {
    let dir = project();
    let got = resolved(
        dir.path(),
        json!({"path": "data/orders.csv", "format": "csv"}),
    )
    .unwrap();
    assert_eq!(
        got,
        FilesystemSource {
            bucket_url: format!("{}/data", root(dir.path())),
            file_glob: "orders.csv".into(),
            format: "csv".into(),
            reader_options: Map::new(),
        }
    );
}

#[test]
fn a_relative_folder_is_read_with_the_glob() {
    let dir = project();
    let data = format!("{}/data", root(dir.path()));
    for (source_config, glob) in [
        (json!({"path": "data/", "format": "csv"}), "*"),
        (
            json!({"path": "data", "format": "csv", "file_glob": "*.csv"}),
            "*.csv",
        ),
        (
            json!({"path": "./data/more/..", "format": "csv", "include_glob": "**/*.csv"}),
            "**/*.csv",
        ),
        (
            json!({"path": "data", "format": "csv", "file_glob": "a*", "include_glob": "a*"}),
            "a*",
        ),
    ] {
        let got = resolved(dir.path(), source_config.clone()).unwrap();
        assert_eq!(
            (got.bucket_url.as_str(), got.file_glob.as_str()),
            (data.as_str(), glob),
            "{source_config}"
        );
    }
    // A folder that does not exist yet, named without an extension.
    let got = resolved(dir.path(), json!({"path": "later", "format": "jsonl"})).unwrap();
    assert_eq!(got.bucket_url, format!("{}/later", root(dir.path())));
    // An existing folder whose name has a dot is still a folder.
    fs::create_dir(dir.path().join("v1.2")).unwrap();
    let got = resolved(
        dir.path(),
        json!({"path": "v1.2", "format": "jsonl", "file_glob": "*.jsonl"}),
    )
    .unwrap();
    assert_eq!(got.bucket_url, format!("{}/v1.2", root(dir.path())));
}

#[test]
fn a_symbolic_link_inside_the_project_is_followed() {
    let dir = project();
    std::os::unix::fs::symlink(dir.path().join("data"), dir.path().join("link")).unwrap();
    let got = resolved(
        dir.path(),
        json!({"path": "link/orders.csv", "format": "csv"}),
    )
    .unwrap();
    assert_eq!(got.bucket_url, format!("{}/data", root(dir.path())));
}

#[test]
fn object_store_urls_pass_as_given() {
    let dir = project();
    for url in [
        "s3://lake/raw",
        "gs://lake/raw/",
        "az://lake/raw",
        "S3://lake/x.csv",
    ] {
        let got = resolved(
            dir.path(),
            json!({"path": url, "format": "parquet", "reader_options": {"use_pyarrow": true}}),
        )
        .unwrap();
        assert_eq!(
            (got.bucket_url.as_str(), got.file_glob.as_str()),
            (url, "*")
        );
        assert_eq!(got.reader_options, config(json!({"use_pyarrow": true})));
    }
}

#[test]
fn paths_out_of_the_project_are_refused() {
    assert_eq!(
        refused(json!({"path": "/data/orders.csv", "format": "csv"})),
        "absolute local paths are not portable for 'orders'"
    );
    assert_eq!(
        refused(json!({"path": "../orders.csv", "format": "csv"})),
        "path escapes project_dir for 'orders'"
    );
    assert_eq!(
        refused(json!({"path": "data/../../x/", "format": "csv"})),
        "path escapes project_dir for 'orders'"
    );
    let dir = project();
    let outside = tempfile::tempdir().unwrap();
    std::os::unix::fs::symlink(outside.path(), dir.path().join("away")).unwrap();
    assert_eq!(
        resolved(dir.path(), json!({"path": "away/x.csv", "format": "csv"})).unwrap_err(),
        "path escapes project_dir for 'orders'"
    );
}

#[test]
fn each_refused_input_has_floes_text() {
    let cases = [
        (json!({"path": "data/"}), "format is required for 'orders'"),
        (
            json!({"path": "data/", "format": ""}),
            "format is required for 'orders'",
        ),
        (
            json!({"path": "data/", "format": 1}),
            "format is required for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "xml"}),
            "Unsupported filesystem format 'xml' for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "Access-Key": "k", "password": "p"}),
            "source_config contains connection-like keys Access-Key, password for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "url": "x", "bucket_url": "y"}),
            "source_config contains unsupported keys bucket_url, url for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "file_glob": "*.csv", "include_glob": "*.txt"}),
            "file_glob and include_glob conflict for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "file_glob": ""}),
            "file_glob must be a non-empty string for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "include_glob": 3}),
            "file_glob must be a non-empty string for 'orders'",
        ),
        (json!({"format": "csv"}), "path is required for 'orders'"),
        (
            json!({"path": "", "format": "csv"}),
            "path is required for 'orders'",
        ),
        (
            json!({"path": ["a"], "format": "csv"}),
            "path is required for 'orders'",
        ),
        (
            json!({"path": "file:///data/x.csv", "format": "csv"}),
            "path URI scheme must be one of s3://, gs://, or az:// for 'orders'",
        ),
        (
            json!({"path": "https://host/x.csv", "format": "csv"}),
            "path URI scheme must be one of s3://, gs://, or az:// for 'orders'",
        ),
        (
            json!({"path": "data/orders.csv", "format": "csv", "file_glob": "*.csv"}),
            "file path cannot be combined with file_glob/include_glob for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "reader_options": null}),
            "reader_options must be a mapping for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "reader_options": [1]}),
            "reader_options must be a mapping for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "csv", "reader_options": {"token": "t", "sep": ";"}}),
            "reader_options contains connection-like keys token for 'orders'",
        ),
        (
            json!({"path": "data/", "format": "jsonl", "reader_options": {"sep": ";", "nrows": 1}}),
            "reader_options contains unsupported keys nrows, sep for jsonl source 'orders'",
        ),
        (
            json!({"path": "data/", "format": "parquet", "reader_options": {"columns": ["a"]}}),
            "reader_options contains unsupported keys columns for parquet source 'orders'",
        ),
    ];
    for (source_config, text) in cases {
        assert_eq!(refused(source_config.clone()), text, "{source_config}");
    }
}

#[test]
fn the_destination_table_is_namespace_dot_identifier() {
    let dir = project();
    let ok = json!({"path": "data/", "format": "csv"});
    for (table, text) in [
        (
            "orders",
            "destination_table must be exactly namespace.table for 'orders'",
        ),
        (
            "a.b.c",
            "destination_table must be exactly namespace.table for 'orders'",
        ),
        (
            "bronze. orders",
            "destination_table must be exactly namespace.table for 'orders'",
        ),
        (
            "bronze.",
            "destination_table must be exactly namespace.table for 'orders'",
        ),
        (
            "bronze.order-lines",
            "destination_table contains unsafe identifier characters for 'orders'",
        ),
        (
            "1bronze.orders",
            "destination_table contains unsafe identifier characters for 'orders'",
        ),
    ] {
        assert_eq!(
            resolve("orders", table, &config(ok.clone()), dir.path()).unwrap_err(),
            text,
            "{table}"
        );
    }
    assert!(resolve("orders", "_b.o_2", &config(ok), dir.path()).is_ok());
}

#[test]
fn the_source_name_is_quoted_as_python_does() {
    let dir = project();
    let err = resolve("it's", "bronze.orders", &config(json!({})), dir.path()).unwrap_err();
    assert_eq!(err, "format is required for \"it's\"");
}

#[test]
fn the_object_store_settings_come_from_the_catalog_config() {
    let catalog = config(json!({
        "uri": "http://polaris:8181",
        "s3_endpoint": "http://minio:9000",
        "s3_region": "eu-west-1",
        "s3_access_key": "never passed",
        "path_style_access": "true",
    }));
    assert_eq!(
        object_store_config(&catalog),
        config(json!({
            "s3_endpoint": "http://minio:9000",
            "s3_region": "eu-west-1",
            "path_style_access": "true",
        }))
    );
}
