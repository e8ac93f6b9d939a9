//! Ingestion plugin `dlt`: loads REST APIs, SQL databases and file systems into Iceberg
//! tables with [dlt](https://dlthub.com).
//!
//! dlt is a Python library, so pipelines run in a runner program (see [`runner`] for
//! its stdin/stdout protocol). The plugin ships one ([`RUNNER_SOURCE`]): with
//! `runner: {python: "/opt/venv/bin/python"}` (an environment with dlt) it writes the
//! runner to [`default_runner_dir`] and runs it there; `runner.command` runs one of
//! your own instead. The configured source's `source_config`, `cursor_field` and
//! `primary_key` travel with each run, and `destination` names the dlt destination:
//! `{"type": "duckdb", "path": ...}` or `{"type": "filesystem", "bucket_url": ...,
//! "file_format": ..., "table_format": ...}`. Without a runner, pipelines can be
//! created and destinations computed, and `run` reports why it cannot load.
//!
//! Filesystem sources are read as published floe reads them (see [`filesystem`]):
//! `source_config: {path, format, file_glob | include_glob, reader_options}`, with
//! `path` a file or folder relative to the project folder (the runner's
//! `working_dir`, else the current folder) or an `s3://`, `gs://`, `az://` URL, read
//! by dlt's own `filesystem` source and its csv, jsonl or parquet reader. As in floe,
//! these rules are checked when the pipeline runs, with floe's texts; an `s3://` folder
//! takes its keys from the environment (`AWS_ACCESS_KEY_ID`, ...) and its endpoint and
//! region from `catalog_config` ([`filesystem::OBJECT_STORE_KEYS`]). Run errors start
//! with `source=<name>, path=<path>: `, as floe's do.
//!
//! Sources are checked as floe 0.1.0a1 checks them: unique names, then unique
//! destination tables (`Duplicate destination tables found: ['bronze.orders']`).
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::Ingestion, "dlt", serde_json::json!({
//!     "sources": [{"name": "orders", "source_type": "rest_api", "destination_table": "bronze.orders"}]
//! }))?;
//! registry.activate(PluginType::Ingestion, "dlt")?;
//! let dlt = registry.get_as::<dyn IngestionPlugin>("dlt")?;
//! let pipeline = dlt.create_pipeline(&IngestionConfig {
//!     source_type: "rest_api".into(),
//!     source_config: Default::default(),
//!     destination_table: "bronze.orders".into(),
//!     write_mode: WriteMode::Append,
//!     schema_contract: SchemaContract::Evolve,
//! })?;
//! assert_eq!((pipeline.pipeline_name.as_str(), pipeline.dataset_name.as_str()), ("ingest_orders", "bronze"));
//! # Ok::<(), PluginError>(())
//! ```

mod config;
pub mod filesystem;
pub mod runner;
mod shipped;

use crate::support::{clock, process, sanitize};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use floe_registry::prelude::*;
use serde_json::{Map, Value, json};

pub use shipped::{RUNNER_FILE, RUNNER_SOURCE, default_runner_dir, install_runner};

pub use config::{
    DESTINATION_TYPES, DestinationConfig, DltIngestionConfig, IngestionSourceConfig, PrimaryKey,
    RetryConfig, RunnerConfig, SCHEMA_CONTRACTS, SOURCE_TYPES, Sources, WRITE_MODES,
};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.ingestion.dlt";

/// The timeout reported in health details, in seconds.
pub const HEALTH_TIMEOUT_SECONDS: f64 = 5.0;

/// dlt ingestion: REST APIs, SQL databases and file systems into Iceberg tables.
#[floe_plugin(
    type = Ingestion,
    name = "dlt",
    version = "0.1.0",
    description = "dlt-based data ingestion plugin for loading from REST APIs, SQL databases, and filesystems into Iceberg tables",
    config = DltIngestionConfig
)]
#[derive(Default)]
pub struct DltPlugin {
    #[config]
    config: ConfigCell<DltIngestionConfig>,
    started: AtomicBool,
}

fn not_started(action: &str) -> PluginError {
    PluginError::failed(format!(
        "Plugin must be started before {action} — call startup() first"
    ))
}

/// ` [source_type=..., destination_table=..., pipeline=...]` with the non-empty parts.
fn context(parts: &[(&str, &str)]) -> String {
    let shown: Vec<String> = parts
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    shown.join(", ")
}

fn with_context(message: String, parts: &[(&str, &str)]) -> String {
    let ctx = context(parts);
    if ctx.is_empty() {
        message
    } else {
        format!("{message} [{ctx}]")
    }
}

/// The catalog keys copied into a destination or source config, and their new names.
const CATALOG_KEYS: [(&str, &str); 6] = [
    ("uri", "catalog_uri"),
    ("warehouse", "warehouse"),
    ("s3_endpoint", "s3_endpoint"),
    ("s3_access_key", "s3_access_key"),
    ("s3_secret_key", "s3_secret_key"),
    ("s3_region", "s3_region"),
];

fn iceberg_config(first: (&str, &str), catalog_config: &Map<String, Value>) -> Value {
    let mut out = Map::new();
    out.insert(first.0.to_owned(), json!(first.1));
    out.insert("catalog_type".to_owned(), json!("rest"));
    for (from, to) in CATALOG_KEYS {
        if let Some(value) = catalog_config.get(from) {
            out.insert(to.to_owned(), value.clone());
        }
    }
    if catalog_config.contains_key("s3_access_key") {
        tracing::warn!(
            plugin = "dlt",
            "s3_access_key passed in catalog_config: prefer credentials from the environment"
        );
    }
    Value::Object(out)
}

/// A destination has what its type needs: `path` for duckdb, `bucket_url` for
/// filesystem.
fn check_destination(d: &DestinationConfig) -> Result<(), PluginError> {
    match (d.kind.as_str(), &d.path, &d.bucket_url) {
        ("duckdb", Some(_), _) | ("filesystem", _, Some(_)) => Ok(()),
        ("duckdb", None, _) => Err(PluginError::failed(
            "the dlt destination of type duckdb needs `path` (the database file)",
        )),
        ("filesystem", _, None) => Err(PluginError::failed(
            "the dlt destination of type filesystem needs `bucket_url` (file:///dir or s3://bucket/dir)",
        )),
        (other, _, _) => Err(PluginError::failed(format!(
            "unknown dlt destination type '{other}': use duckdb or filesystem"
        ))),
    }
}

/// The run request's destination for a configured dlt destination:
/// `{"destination": "duckdb", "credentials": <path>}` or `{"destination":
/// "filesystem", "bucket_url", "file_format", "table_format"}` (the last two when set).
fn dlt_destination(d: &DestinationConfig) -> Value {
    let mut out = Map::new();
    out.insert("destination".to_owned(), json!(d.kind));
    if let Some(path) = &d.path {
        out.insert("credentials".to_owned(), json!(path));
    }
    for (key, value) in [
        ("bucket_url", &d.bucket_url),
        ("file_format", &d.file_format),
        ("table_format", &d.table_format),
    ] {
        if let Some(v) = value {
            out.insert(key.to_owned(), json!(v));
        }
    }
    Value::Object(out)
}

/// The project folder relative filesystem paths are read from: the runner's
/// `working_dir` (made absolute against the current folder), else the current folder.
fn project_dir(runner: &RunnerConfig) -> Result<std::path::PathBuf, String> {
    let current = std::env::current_dir().map_err(|e| {
        format!("cannot read the current folder, the project folder of filesystem sources: {e} (set `runner.working_dir` to the project folder)")
    })?;
    Ok(match &runner.working_dir {
        Some(dir) => current.join(dir),
        None => current,
    })
}

/// The dlt filesystem source of a run, checked as floe checks it
/// ([`filesystem::resolve`]); floe names an unnamed source `unnamed`.
fn filesystem_source(
    name: Option<&str>,
    spec: &IngestionConfig,
    source_config: &Map<String, Value>,
    runner: &RunnerConfig,
) -> Result<filesystem::FilesystemSource, String> {
    filesystem::resolve(
        name.unwrap_or("unnamed"),
        &spec.destination_table,
        source_config,
        &project_dir(runner)?,
    )
}

/// `source=<name>, path=<where>: `, the prefix floe puts on a run's errors: the
/// source's name and the first of `path`, `url`, `base_url`, `uri` in its
/// `source_config` that is a non-empty string (each part only when known).
fn error_origin(name: Option<&str>, source_config: &Map<String, Value>) -> String {
    let place = ["path", "url", "base_url", "uri"].iter().find_map(|k| {
        source_config
            .get(*k)
            .and_then(Value::as_str)
            .filter(|p| !p.is_empty())
    });
    let parts: Vec<String> = [("source", name.filter(|n| !n.is_empty())), ("path", place)]
        .into_iter()
        .filter_map(|(k, v)| v.map(|v| format!("{k}={v}")))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("{}: ", parts.join(", "))
    }
}

impl DltPlugin {
    fn is_started(&self) -> bool {
        self.started.load(Ordering::Acquire)
    }

    /// What the plugin can do: source types, write modes, schema contracts.
    pub fn capabilities(&self) -> Value {
        json!({
            "source_types": SOURCE_TYPES,
            "write_modes": WRITE_MODES,
            "schema_contracts": SCHEMA_CONTRACTS,
            "incremental_loading": true,
            "in_process": false,
        })
    }

    /// The Iceberg source settings for reading back (reverse ETL): like
    /// [`get_destination_config`](IngestionPlugin::get_destination_config) with
    /// `"source": "iceberg"` first.
    pub fn get_source_config(
        &self,
        catalog_config: &Map<String, Value>,
    ) -> Result<Value, PluginError> {
        if !self.is_started() {
            return Err(not_started("getting source config"));
        }
        Ok(iceberg_config(("source", "iceberg"), catalog_config))
    }

    /// The configured source that loads into `table` from `source_type`.
    fn source_for(
        config: &DltIngestionConfig,
        source_type: &str,
        table: &str,
    ) -> Option<IngestionSourceConfig> {
        config
            .sources
            .iter()
            .find(|s| s.destination_table == table && s.source_type == source_type)
            .cloned()
    }

    fn runner_status(&self, config: Option<&DltIngestionConfig>) -> HealthStatus {
        let Some(runner) = config.and_then(|c| c.runner.as_ref()) else {
            return HealthStatus::degraded(
                "no dlt runner configured: pipelines can be created but not run",
            )
            .with_detail("reason", "no_runner");
        };
        let program = match runner::command_line(runner) {
            Ok(line) => line.first().cloned().unwrap_or_default(),
            Err(e) => {
                return HealthStatus::unhealthy(e).with_detail("reason", "runner_misconfigured");
            }
        };
        match process::find_program(&program) {
            Some(path) => {
                HealthStatus::new(HealthState::Healthy, "dlt ingestion plugin is healthy")
                    .with_detail("runner", path.display().to_string())
                    .with_detail("started", true)
            }
            None => HealthStatus::unhealthy(format!("dlt runner not found: '{program}'"))
                .with_detail("reason", "runner_not_found"),
        }
    }
}

impl IngestionPlugin for DltPlugin {
    /// `false`: floe runs the pipelines.
    fn is_external(&self) -> bool {
        false
    }

    /// A pipeline `ingest_<table>` loading into the dataset before the first `.` of
    /// `destination_table` (`default` without one).
    fn create_pipeline(&self, config: &IngestionConfig) -> Result<IngestionPipeline, PluginError> {
        if !self.is_started() {
            return Err(not_started("creating pipelines"));
        }
        let source_type = config.source_type.as_str();
        let table = config.destination_table.as_str();
        if !SOURCE_TYPES.contains(&source_type) {
            return Err(PluginError::failed(with_context(
                format!(
                    "Invalid source_type '{source_type}'. Must be one of: ['filesystem', 'rest_api', 'sql_database']"
                ),
                &[("source_type", source_type), ("destination_table", table)],
            )));
        }
        if table.is_empty() {
            return Err(PluginError::failed(with_context(
                "destination_table is required and cannot be empty".to_owned(),
                &[("source_type", source_type)],
            )));
        }
        let (dataset, table_name) = table.split_once('.').unwrap_or(("default", table));
        Ok(IngestionPipeline {
            pipeline_name: format!("ingest_{table_name}"),
            dataset_name: dataset.to_owned(),
            table_name: table_name.to_owned(),
            config: config.clone(),
        })
    }

    /// Runs the pipeline through the configured runner, retrying transient failures
    /// as `retry_config` says. Never fails: problems are in the result's `errors`,
    /// sanitised of credentials.
    fn run(&self, pipeline: &IngestionPipeline) -> IngestionResult {
        let failure = |error: String| IngestionResult {
            errors: vec![error],
            ..IngestionResult::default()
        };
        if !self.is_started() {
            return failure(not_started("running pipelines").to_string());
        }
        let Ok(config) = self.config.get() else {
            return failure(
                "the dlt plugin is not configured: configure it with its sources and a runner to run pipelines".to_owned(),
            );
        };
        let Some(runner) = &config.runner else {
            return failure(
                "no dlt runner is configured: set `runner.command` in the dlt plugin config to run pipelines".to_owned(),
            );
        };
        let spec = &pipeline.config;
        let source = Self::source_for(&config, &spec.source_type, &spec.destination_table);
        let write_disposition = match spec.write_mode {
            WriteMode::Append => "append",
            WriteMode::Replace => "replace",
            WriteMode::Merge => "merge",
        };
        let ctx = context(&[
            ("destination_table", &spec.destination_table),
            ("pipeline", &pipeline.pipeline_name),
        ]);
        let primary_key = source.as_ref().and_then(|s| s.primary_key.clone());
        if spec.write_mode == WriteMode::Merge
            && primary_key.as_ref().is_none_or(PrimaryKey::is_empty)
        {
            return failure(format!(
                "primary_key is required when write_mode is 'merge' [{ctx}]"
            ));
        }
        // The configured source's settings, overlaid by the pipeline's own.
        let mut source_config = source
            .as_ref()
            .map(|s| s.source_config.clone())
            .unwrap_or_default();
        source_config.extend(spec.source_config.clone());
        let name = source.as_ref().map(|s| s.name.clone());
        let files = if spec.source_type == "filesystem" {
            match filesystem_source(name.as_deref(), spec, &source_config, runner) {
                Ok(files) => Some(files),
                Err(e) => return failure(e),
            }
        } else {
            None
        };
        let destination = match &config.destination {
            Some(d) => dlt_destination(d),
            None => iceberg_config(("destination", "iceberg"), &config.catalog_config),
        };
        let mut request = json!({
            "pipeline_name": pipeline.pipeline_name,
            "dataset_name": pipeline.dataset_name,
            "table_name": pipeline.table_name,
            "source": {
                "name": name,
                "source_type": spec.source_type,
                "source_config": source_config,
            },
            "write_disposition": write_disposition,
            "schema_contract": runner::dlt_schema_contract(spec.schema_contract),
            "cursor_field": source.as_ref().and_then(|s| s.cursor_field.clone()),
            "destination": destination,
        });
        if let Some(dir) = &runner.working_dir {
            request["pipelines_dir"] = json!(dir.join(".dlt-pipelines"));
        }
        if spec.write_mode == WriteMode::Merge {
            request["primary_key"] = json!(primary_key);
        }
        if let Some(files) = files {
            request["source"]["filesystem"] = json!(files);
            request["source"]["object_store"] =
                json!(filesystem::object_store_config(&config.catalog_config));
        }
        let credentials = source.as_ref().and_then(|s| s.credentials.clone());
        if let Some(secret) = &credentials {
            request["credentials"] = json!(secret.expose());
        }
        let secrets: Vec<&str> = credentials.iter().map(Secret::expose).collect();
        tracing::info!(plugin = "dlt", pipeline = %pipeline.pipeline_name, "dlt_run_started");
        let origin = error_origin(name.as_deref(), &source_config);
        let result = runner::run(
            runner,
            &config.retry_config,
            &request,
            &secrets,
            &runner::ErrorContext {
                origin: &origin,
                pipeline: &ctx,
            },
        );
        tracing::info!(
            plugin = "dlt",
            pipeline = %pipeline.pipeline_name,
            success = result.success,
            rows_loaded = result.rows_loaded,
            "dlt_run_finished"
        );
        result
    }

    /// `{"destination": "iceberg", "catalog_type": "rest"}` plus `catalog_uri` (from
    /// `uri`), `warehouse`, `s3_endpoint`, `s3_access_key`, `s3_secret_key` and
    /// `s3_region` when present.
    fn get_destination_config(
        &self,
        catalog_config: &Map<String, Value>,
    ) -> Result<Value, PluginError> {
        Ok(iceberg_config(("destination", "iceberg"), catalog_config))
    }

    /// Starts the plugin; fails when a configured runner program cannot be found.
    fn startup(&self) -> Result<(), PluginError> {
        if let Ok(config) = self.config.get() {
            if let Some(runner) = &config.runner {
                let line = runner::command_line(runner).map_err(PluginError::failed)?;
                let program = line.first().map(String::as_str).unwrap_or("");
                if process::find_program(program).is_none() {
                    return Err(PluginError::failed(format!(
                        "dlt runner not found: '{program}' is not an executable file or on PATH (runner.python or runner.command)"
                    )));
                }
                if let Some(d) = &config.destination {
                    check_destination(d)?;
                }
            } else {
                tracing::warn!(
                    plugin = "dlt",
                    "no dlt runner configured: pipelines cannot run"
                );
            }
        }
        self.started.store(true, Ordering::Release);
        Ok(())
    }

    /// Stops the plugin.
    fn shutdown(&self) -> Result<(), PluginError> {
        self.started.store(false, Ordering::Release);
        Ok(())
    }

    /// Unhealthy before startup or when the runner is missing; degraded without a
    /// runner; healthy when the runner program is there.
    fn health_check(&self) -> HealthStatus {
        let began = Instant::now();
        let config: Option<Arc<DltIngestionConfig>> = self.config.get().ok();
        let status = if self.is_started() {
            self.runner_status(config.as_deref())
        } else {
            HealthStatus::unhealthy("Plugin not started — call startup() first")
                .with_detail("reason", "not_started")
        };
        status
            .with_detail("response_time_ms", began.elapsed().as_secs_f64() * 1000.0)
            .with_detail("checked_at", clock::utc_now_rfc3339())
            .with_detail("timeout", HEALTH_TIMEOUT_SECONDS)
    }
}
