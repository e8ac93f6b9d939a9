//! The `dlt` ingestion plugin with its shipped runner and the real dlt 1.31 of the
//! pinned Python environment: append, replace, merge and incremental loads into
//! DuckDB (row counts read back with duckdb), a filesystem destination, and errors;
//! filesystem sources as floe reads them, through dlt's `filesystem` source and its
//! csv, jsonl and parquet readers: local files, a folder with `file_glob`, and an
//! `s3://` folder on moto's S3 server.

#![cfg(feature = "dlt")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod python_tools;
mod support;

use std::fs;
use std::path::{Path, PathBuf};

use floe_registry::{
    IngestionConfig, IngestionPlugin, IngestionResult, PluginRegistry, PluginType, SchemaContract,
    WriteMode,
};
use python_tools::{MotoServer, duckdb_query, python_env};
use serde_json::{Value, json};
use support::registry::registry;

/// A temporary lake: source files in `data/`, the DuckDB destination `lake.duckdb`.
struct Lake {
    dir: tempfile::TempDir,
}

impl Lake {
    fn new() -> Lake {
        let lake = Lake {
            dir: tempfile::tempdir().unwrap(),
        };
        fs::create_dir_all(lake.dir.path().join("data")).unwrap();
        lake
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes the source file `data/orders.jsonl` with `rows`.
    fn orders(&self, rows: &[Value]) {
        let lines: Vec<String> = rows.iter().map(Value::to_string).collect();
        fs::write(self.path("data/orders.jsonl"), lines.join("\n") + "\n").unwrap();
    }

    /// A started dlt plugin whose source `orders` reads the `*.jsonl` files of the
    /// project's `data/` folder into `bronze.orders` of `destination`, with `extra`
    /// merged into the source.
    fn plugin(&self, extra: Value, destination: Value) -> PluginRegistry {
        let files = json!({"path": "data/", "format": "jsonl", "file_glob": "*.jsonl"});
        self.plugin_reading(files, extra, destination)
    }

    /// A started dlt plugin whose source `orders` reads `source_config` (relative
    /// paths from this project folder, the runner's `working_dir`).
    fn plugin_reading(
        &self,
        source_config: Value,
        extra: Value,
        destination: Value,
    ) -> PluginRegistry {
        let runner = json!({"python": python_env().python(), "working_dir": self.dir.path()});
        self.plugin_with(source_config, extra, destination, runner, json!({}))
    }

    fn plugin_with(
        &self,
        source_config: Value,
        extra: Value,
        destination: Value,
        runner: Value,
        catalog_config: Value,
    ) -> PluginRegistry {
        let mut source = json!({
            "name": "orders",
            "source_type": "filesystem",
            "destination_table": "bronze.orders",
            "source_config": source_config,
        });
        for (k, v) in extra.as_object().unwrap() {
            source[k] = v.clone();
        }
        let registry = registry();
        registry
            .configure(
                PluginType::Ingestion,
                "dlt",
                json!({
                    "sources": [source],
                    "runner": runner,
                    "destination": destination,
                    "catalog_config": catalog_config,
                    "retry_config": {"max_retries": 0},
                }),
            )
            .unwrap();
        registry.activate(PluginType::Ingestion, "dlt").unwrap();
        registry
    }

    fn duckdb(&self) -> Value {
        json!({"type": "duckdb", "path": self.path("lake.duckdb")})
    }

    fn count(&self, sql: &str) -> Value {
        duckdb_query(&self.path("lake.duckdb"), sql)[0][0].clone()
    }
}

/// Runs the `orders` pipeline with `mode`; the pipeline's own source config is empty,
/// so the plugin's configured source settings must reach the runner.
fn load(registry: &PluginRegistry, mode: WriteMode) -> IngestionResult {
    let dlt = registry.get_as::<dyn IngestionPlugin>("dlt").unwrap();
    let pipeline = dlt
        .create_pipeline(&IngestionConfig {
            source_type: "filesystem".into(),
            source_config: Default::default(),
            destination_table: "bronze.orders".into(),
            write_mode: mode,
            schema_contract: SchemaContract::Evolve,
        })
        .unwrap();
    dlt.run(&pipeline)
}

fn rows(ids: &[(i64, &str, i64)]) -> Vec<Value> {
    ids.iter()
        .map(|(id, status, at)| json!({"id": id, "status": status, "updated_at": at}))
        .collect()
}

#[test]
fn append_loads_every_run_again() {
    let lake = Lake::new();
    lake.orders(&rows(&[(1, "new", 1), (2, "new", 1), (3, "new", 1)]));
    let registry = lake.plugin(json!({}), lake.duckdb());
    for _ in 0..2 {
        let result = load(&registry, WriteMode::Append);
        assert!(result.success, "{result:?}");
        assert_eq!(result.rows_loaded, 3);
    }
    assert_eq!(lake.count("select count(*) from bronze.orders"), json!(6));
}

#[test]
fn replace_keeps_only_the_last_load() {
    let lake = Lake::new();
    lake.orders(&rows(&[(1, "new", 1), (2, "new", 1), (3, "new", 1)]));
    let registry = lake.plugin(json!({}), lake.duckdb());
    assert!(load(&registry, WriteMode::Replace).success);
    lake.orders(&rows(&[(1, "new", 1), (2, "new", 1)]));
    let result = load(&registry, WriteMode::Replace);
    assert!(result.success, "{result:?}");
    assert_eq!(lake.count("select count(*) from bronze.orders"), json!(2));
}

#[test]
fn merge_updates_rows_by_primary_key() {
    let lake = Lake::new();
    lake.orders(&rows(&[(1, "new", 1), (2, "new", 1), (3, "new", 1)]));
    let registry = lake.plugin(
        json!({"primary_key": "id", "write_mode": "merge"}),
        lake.duckdb(),
    );
    assert!(load(&registry, WriteMode::Merge).success);
    lake.orders(&rows(&[(2, "shipped", 2), (4, "new", 2)]));
    let result = load(&registry, WriteMode::Merge);
    assert!(result.success, "{result:?}");
    assert_eq!(lake.count("select count(*) from bronze.orders"), json!(4));
    assert_eq!(
        lake.count("select status from bronze.orders where id = 2"),
        json!("shipped")
    );
}

#[test]
fn incremental_loads_only_rows_past_the_cursor() {
    let lake = Lake::new();
    lake.orders(&rows(&[(1, "new", 1), (2, "new", 2), (3, "new", 3)]));
    let registry = lake.plugin(json!({"cursor_field": "updated_at"}), lake.duckdb());
    let first = load(&registry, WriteMode::Append);
    assert!(first.success, "{first:?}");
    assert_eq!(first.rows_loaded, 3);
    lake.orders(&rows(&[
        (1, "new", 1),
        (2, "new", 2),
        (3, "new", 3),
        (4, "new", 4),
    ]));
    let second = load(&registry, WriteMode::Append);
    assert!(second.success, "{second:?}");
    assert_eq!(second.rows_loaded, 1, "only the row past the cursor is new");
    assert_eq!(lake.count("select count(*) from bronze.orders"), json!(4));
}

#[test]
fn a_filesystem_destination_gets_the_table_files() {
    let lake = Lake::new();
    lake.orders(&rows(&[(1, "new", 1), (2, "new", 1), (3, "new", 1)]));
    let out = lake.path("files");
    let registry = lake.plugin(
        json!({}),
        json!({"type": "filesystem", "bucket_url": format!("file://{}", out.display()), "file_format": "jsonl"}),
    );
    let result = load(&registry, WriteMode::Append);
    assert!(result.success, "{result:?}");
    let table: &Path = &out.join("bronze").join("orders");
    let query = format!(
        "select count(*) from read_json_auto('{}/*')",
        table.display()
    );
    let counted = duckdb_query(Path::new(":memory:"), &query);
    assert_eq!(counted[0][0], json!(3));
}

#[test]
fn errors_keep_the_full_text_after_a_summary_cut_at_a_line_end() {
    let lake = Lake::new();
    // A line that is not JSON: the read fails inside dlt, with a long traceback.
    fs::write(lake.path("data/orders.jsonl"), "{\"id\": 1}\nnot json\n").unwrap();
    let registry = lake.plugin(json!({}), lake.duckdb());
    let result = load(&registry, WriteMode::Append);
    assert!(!result.success);
    assert_eq!(
        result.errors.len(),
        2,
        "summary, then full text: {result:?}"
    );
    let (summary, full) = (&result.errors[0], &result.errors[1]);
    assert!(
        summary.starts_with("source=orders, path=data/: "),
        "floe's prefix: {summary}"
    );
    assert!(
        summary.ends_with("[... the full error follows]"),
        "{summary}"
    );
    let kept = summary.trim_end_matches(" [... the full error follows]");
    assert!(
        full.starts_with(kept),
        "the summary is a prefix of the full text"
    );
    let next = &full[kept.len()..];
    assert!(
        next.starts_with('\n'),
        "the summary stops at a line end, not mid-line: {next:?}"
    );
    assert!(full.contains("Traceback"), "{full}");
    assert!(full.contains("read_jsonl"), "the reader is named: {full}");
}

#[test]
fn a_folder_without_matching_files_fails_as_in_floe() {
    let lake = Lake::new();
    fs::write(lake.path("data/orders.csv"), "id\n1\n").unwrap();
    let registry = lake.plugin(json!({}), lake.duckdb());
    let result = load(&registry, WriteMode::Append);
    assert!(!result.success);
    assert_eq!(
        result.errors,
        ["source=orders, path=data/: filesystem source matched no files"]
    );
}

#[test]
fn one_csv_file_loads_through_read_csv() {
    let lake = Lake::new();
    fs::write(
        lake.path("data/orders.csv"),
        "id;status;amount\n1;new;2.5\n2;shipped;4\n3;new;\n",
    )
    .unwrap();
    let registry = lake.plugin_reading(
        json!({"path": "data/orders.csv", "format": "csv", "reader_options": {"sep": ";"}}),
        json!({}),
        lake.duckdb(),
    );
    let result = load(&registry, WriteMode::Append);
    assert!(result.success, "{result:?}");
    assert_eq!(result.rows_loaded, 3);
    assert_eq!(
        lake.count("select sum(amount) from bronze.orders"),
        json!(6.5)
    );
    assert_eq!(
        lake.count("select status from bronze.orders where id = 2"),
        json!("shipped")
    );
}

#[test]
fn one_jsonl_file_loads_through_read_jsonl() {
    let lake = Lake::new();
    lake.orders(&rows(&[(1, "new", 1), (2, "new", 1)]));
    fs::write(lake.path("data/other.jsonl"), "{\"id\": 9}\n").unwrap();
    let registry = lake.plugin_reading(
        json!({"path": "data/orders.jsonl", "format": "jsonl", "reader_options": {"chunksize": 1}}),
        json!({}),
        lake.duckdb(),
    );
    let result = load(&registry, WriteMode::Append);
    assert!(result.success, "{result:?}");
    assert_eq!(lake.count("select count(*) from bronze.orders"), json!(2));
}

/// Writes a parquet file of `n` rows (`id` 1..=n, `name`) with pyarrow.
const WRITE_PARQUET: &str = "import pyarrow as pa, pyarrow.parquet as pq, sys\n\
n = int(sys.argv[2])\n\
pq.write_table(pa.table({'id': list(range(1, n + 1)), 'name': [f'n{i}' for i in range(n)]}), sys.argv[1])";

#[test]
fn one_parquet_file_loads_through_read_parquet() {
    let lake = Lake::new();
    let file = lake.path("data/orders.parquet");
    python_env().run_python(WRITE_PARQUET, &[file.to_str().unwrap(), "4"]);
    let registry = lake.plugin_reading(
        json!({"path": "data/orders.parquet", "format": "parquet"}),
        json!({}),
        lake.duckdb(),
    );
    let result = load(&registry, WriteMode::Append);
    assert!(result.success, "{result:?}");
    assert_eq!(result.rows_loaded, 4);
    assert_eq!(lake.count("select sum(id) from bronze.orders"), json!(10));
}

#[test]
fn a_folder_is_read_with_its_file_glob() {
    let lake = Lake::new();
    fs::create_dir_all(lake.path("data/2026")).unwrap();
    fs::write(lake.path("data/2026/a.jsonl"), "{\"id\": 1}\n{\"id\": 2}\n").unwrap();
    fs::write(lake.path("data/2026/b.jsonl"), "{\"id\": 3}\n").unwrap();
    fs::write(lake.path("data/2026/skip.csv"), "id\n99\n").unwrap();
    fs::write(lake.path("data/top.jsonl"), "{\"id\": 100}\n").unwrap();
    let registry = lake.plugin_reading(
        json!({"path": "data", "format": "jsonl", "include_glob": "**/*.jsonl"}),
        json!({}),
        lake.duckdb(),
    );
    let result = load(&registry, WriteMode::Append);
    assert!(result.success, "{result:?}");
    assert_eq!(lake.count("select sum(id) from bronze.orders"), json!(106));
    let registry = lake.plugin_reading(
        json!({"path": "data/2026/", "format": "jsonl", "file_glob": "*.jsonl"}),
        json!({}),
        lake.duckdb(),
    );
    let result = load(&registry, WriteMode::Replace);
    assert!(result.success, "{result:?}");
    assert_eq!(lake.count("select sum(id) from bronze.orders"), json!(6));
}

/// Puts local files into the bucket with boto3: endpoint, key, secret, bucket, then
/// pairs of local file and object key.
const UPLOAD: &str = "import boto3, sys\n\
ep, key, secret, bucket = sys.argv[1:5]\n\
s3 = boto3.client('s3', endpoint_url=ep, aws_access_key_id=key, aws_secret_access_key=secret, region_name='us-east-1')\n\
for local, name in zip(sys.argv[5::2], sys.argv[6::2]):\n    s3.upload_file(local, bucket, name)";

/// The shipped runner run with the server's keys in its environment, as floe reads
/// S3 credentials (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`).
fn runner_with_keys(server: &MotoServer, secret: &str, dir: &Path) -> Value {
    let script =
        floe_plugins_builtin::dlt::install_runner(&floe_plugins_builtin::dlt::default_runner_dir())
            .unwrap();
    json!({
        "command": [
            "env",
            format!("AWS_ACCESS_KEY_ID={}", server.access_key_id),
            format!("AWS_SECRET_ACCESS_KEY={secret}"),
            python_env().python(),
            script,
        ],
        "working_dir": dir,
    })
}

#[test]
fn an_s3_folder_loads_through_dlts_filesystem_source() {
    let lake = Lake::new();
    let server = MotoServer::start("lake");
    let local = lake.path("orders.parquet");
    python_env().run_python(WRITE_PARQUET, &[local.to_str().unwrap(), "5"]);
    fs::write(lake.path("other.csv"), "id\n1\n").unwrap();
    python_env().run_python(
        UPLOAD,
        &[
            &server.endpoint,
            &server.access_key_id,
            &server.secret_access_key,
            "lake",
            local.to_str().unwrap(),
            "raw/orders/part-1.parquet",
            local.to_str().unwrap(),
            "raw/orders/part-2.parquet",
            lake.path("other.csv").to_str().unwrap(),
            "raw/orders/other.csv",
        ],
    );
    let catalog = json!({"s3_endpoint": server.endpoint, "s3_region": "us-east-1"});
    let files =
        json!({"path": "s3://lake/raw/orders", "format": "parquet", "file_glob": "*.parquet"});
    let registry = lake.plugin_with(
        files.clone(),
        json!({}),
        lake.duckdb(),
        runner_with_keys(&server, &server.secret_access_key, lake.dir.path()),
        catalog.clone(),
    );
    let result = load(&registry, WriteMode::Append);
    assert!(result.success, "{result:?}");
    assert_eq!(result.rows_loaded, 10);
    assert_eq!(lake.count("select sum(id) from bronze.orders"), json!(30));

    // A glob that matches nothing in the bucket: floe's error, before dlt runs.
    let none = json!({"path": "s3://lake/raw/orders", "format": "jsonl", "file_glob": "*.jsonl"});
    let registry = lake.plugin_with(
        none,
        json!({}),
        lake.duckdb(),
        runner_with_keys(&server, &server.secret_access_key, lake.dir.path()),
        catalog.clone(),
    );
    let result = load(&registry, WriteMode::Append);
    assert_eq!(
        result.errors,
        ["source=orders, path=s3://lake/raw/orders: filesystem source matched no files"]
    );

    // A wrong secret: S3 refuses the listing and the run fails.
    let registry = lake.plugin_with(
        files,
        json!({}),
        lake.duckdb(),
        runner_with_keys(&server, "not-the-secret", lake.dir.path()),
        catalog,
    );
    let result = load(&registry, WriteMode::Append);
    assert!(!result.success);
    assert!(
        result.errors[0].starts_with("source=orders, path=s3://lake/raw/orders: "),
        "{result:?}"
    );
    assert!(
        result
            .errors
            .iter()
            .any(|e| e.contains("SignatureDoesNotMatch")
                || e.contains("AccessDenied")
                || e.contains("InvalidAccessKeyId")
                || e.contains("Forbidden")),
        "{result:?}"
    );
}
