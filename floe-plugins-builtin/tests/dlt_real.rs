//! The `dlt` ingestion plugin with its shipped runner and the real dlt 1.31 of the
//! pinned Python environment: append, replace, merge and incremental loads into
//! DuckDB (row counts read back with duckdb), a filesystem destination, and errors.

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
use python_tools::{duckdb_query, python_env};
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

    /// A started dlt plugin whose source `orders` reads `data/*.jsonl` into
    /// `bronze.orders` of `destination`, with `extra` merged into the source.
    fn plugin(&self, extra: Value, destination: Value) -> PluginRegistry {
        let mut source = json!({
            "name": "orders",
            "source_type": "filesystem",
            "destination_table": "bronze.orders",
            "source_config": {"path": self.path("data/*.jsonl")},
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
                    "runner": {"python": python_env().python(), "working_dir": self.dir.path()},
                    "destination": destination,
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
    // No source file: the runner's read fails inside dlt, with a long traceback.
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
        summary.contains("no file matches source_config.path"),
        "{summary}"
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
}
