//! The dlt plugin's configuration: sources, catalog, retries and the runner.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::PathBuf;

use floe_registry::schemars::{self, Schema, SchemaGenerator, json_schema};
use floe_registry::{SchemaContract, Secret, WriteMode, floe_config};
use serde::Deserialize;
use serde_json::{Map, Value, json};

use floe_registry::python;

/// The source kinds, sorted.
pub const SOURCE_TYPES: [&str; 3] = ["filesystem", "rest_api", "sql_database"];
/// The write modes, sorted.
pub const WRITE_MODES: [&str; 3] = ["append", "merge", "replace"];
/// The schema contracts, sorted.
pub const SCHEMA_CONTRACTS: [&str; 3] = ["discard_value", "evolve", "freeze"];

/// The settings of the dlt ingestion plugin. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct DltIngestionConfig {
    /// The sources to load: at least one, with unique names and unique destination
    /// tables.
    pub sources: Sources,
    /// The Iceberg catalog to load into (`uri`, `warehouse`, `s3_endpoint`,
    /// `s3_access_key`, `s3_secret_key`, `s3_region`).
    #[serde(default)]
    #[schemars(extend("x-floe-rejected-by" = "floe 0.1.0a1"))]
    pub catalog_config: Map<String, Value>,
    /// How failed runs are retried.
    #[serde(default)]
    pub retry_config: RetryConfig,
    /// The program that runs dlt pipelines; without it pipelines can be created but
    /// not run.
    #[serde(default)]
    #[schemars(extend("x-floe-rejected-by" = "floe 0.1.0a1"))]
    pub runner: Option<RunnerConfig>,
    /// The dlt destination pipelines load into. Without it the run request carries the
    /// Iceberg catalog settings, which the shipped runner refuses (dlt has no
    /// `iceberg` destination).
    #[serde(default)]
    #[schemars(extend("x-floe-rejected-by" = "floe 0.1.0a1"))]
    pub destination: Option<DestinationConfig>,
}

/// A dlt destination. Unknown fields are refused.
#[floe_config]
#[derive(Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct DestinationConfig {
    /// `duckdb` or `filesystem`.
    #[serde(rename = "type")]
    #[schemars(schema_with = "destination_type_schema")]
    pub kind: String,
    /// `duckdb`: the database file.
    #[serde(default)]
    pub path: Option<String>,
    /// `filesystem`: where tables are written (`file:///data/lake`, `s3://bucket/lake`).
    #[serde(default)]
    pub bucket_url: Option<String>,
    /// `filesystem`: the file format (`parquet`, `jsonl`, `csv`).
    #[serde(default)]
    pub file_format: Option<String>,
    /// `filesystem`: a table format (`iceberg` or `delta`; each needs its Python
    /// package, `pyiceberg` or `deltalake`, in the runner's environment).
    #[serde(default)]
    pub table_format: Option<String>,
}

/// The destination types, sorted.
pub const DESTINATION_TYPES: [&str; 2] = ["duckdb", "filesystem"];

fn destination_type_schema(_: &mut SchemaGenerator) -> Schema {
    string_enum(&DESTINATION_TYPES)
}

/// One source to ingest. Unknown fields are refused; `write_mode: merge` needs a
/// `primary_key`.
#[floe_config]
#[derive(Debug, Clone)]
#[serde(deny_unknown_fields)]
#[schemars(transform = merge_needs_primary_key)]
pub struct IngestionSourceConfig {
    /// A unique name: 1 to 100 letters, digits, `_` and `-`, with at least one letter
    /// or digit.
    #[schemars(
        length(min = 1, max = 100),
        regex(pattern = r"^[\p{L}\p{N}_-]*[\p{L}\p{N}][\p{L}\p{N}_-]*$")
    )]
    pub name: String,
    /// `rest_api`, `sql_database` or `filesystem`.
    #[schemars(schema_with = "source_type_schema")]
    pub source_type: String,
    /// Settings of the source, passed to the runner.
    #[serde(default)]
    pub source_config: Map<String, Value>,
    /// `namespace.table` to load into.
    #[schemars(length(min = 1))]
    pub destination_table: String,
    /// `append`, `replace` or `merge`.
    #[serde(default)]
    #[schemars(schema_with = "write_mode_schema")]
    pub write_mode: WriteMode,
    /// `evolve`, `freeze` or `discard_value`.
    #[serde(default)]
    #[schemars(schema_with = "schema_contract_schema")]
    pub schema_contract: SchemaContract,
    /// The column that marks new rows for incremental loading.
    #[serde(default)]
    pub cursor_field: Option<String>,
    /// The key column, or columns, for `merge`.
    #[serde(default)]
    #[schemars(schema_with = "primary_key_schema")]
    pub primary_key: Option<PrimaryKey>,
    /// Credentials of the source, handed to the runner only.
    #[serde(default)]
    pub credentials: Option<Secret>,
}

/// A primary key: one column or several.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize, serde::Serialize)]
#[serde(untagged)]
pub enum PrimaryKey {
    /// One column.
    One(String),
    /// Several columns.
    Many(Vec<String>),
}

impl PrimaryKey {
    /// Whether it names no column at all.
    pub fn is_empty(&self) -> bool {
        match self {
            PrimaryKey::One(s) => s.is_empty(),
            PrimaryKey::Many(v) => v.is_empty(),
        }
    }
}

/// How failed runs are retried. Unknown fields are refused.
#[floe_config]
#[derive(Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RetryConfig {
    /// Retries after the first attempt, 0 to 10.
    #[serde(default = "default_max_retries")]
    #[schemars(range(min = 0, max = 10))]
    pub max_retries: u32,
    /// The first wait in seconds (then doubling, at most 60), greater than 0 and at
    /// most 60.
    #[serde(default = "default_initial_delay")]
    #[schemars(range(max = 60.0), transform = exclusive_minimum_zero)]
    pub initial_delay_seconds: f64,
}

impl Default for RetryConfig {
    fn default() -> Self {
        RetryConfig {
            max_retries: default_max_retries(),
            initial_delay_seconds: default_initial_delay(),
        }
    }
}

/// The program that runs a pipeline: it reads the run request (JSON) on standard
/// input and writes its report (JSON) as the last line of standard output. Either
/// `python` (the shipped runner, written next to the plugin's temporary files and run
/// with that interpreter) or `command` (a runner of your own).
#[floe_config]
#[derive(Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct RunnerConfig {
    /// A runner of your own: the program and its arguments.
    #[serde(default)]
    #[schemars(inner(length(min = 1)))]
    pub command: Vec<String>,
    /// The Python interpreter of an environment with dlt installed
    /// (`/opt/venv/bin/python`): runs the runner shipped with this plugin.
    #[serde(default)]
    pub python: Option<String>,
    /// Seconds one attempt may take, 1 to 86400.
    #[serde(default = "default_runner_timeout")]
    #[schemars(range(min = 1, max = 86400))]
    pub timeout_seconds: u64,
    /// The directory the runner starts in (default: the current one).
    #[serde(default)]
    pub working_dir: Option<PathBuf>,
}

/// The configured sources; their names are unique, and so are their destination
/// tables (as floe 0.1.0a1 requires: two sources cannot load one table).
#[derive(Debug, Deserialize)]
#[serde(try_from = "Vec<IngestionSourceConfig>")]
pub struct Sources(pub Vec<IngestionSourceConfig>);

impl TryFrom<Vec<IngestionSourceConfig>> for Sources {
    type Error = String;

    fn try_from(sources: Vec<IngestionSourceConfig>) -> Result<Self, String> {
        let names = duplicates(sources.iter().map(|s| s.name.as_str()));
        if !names.is_empty() {
            return Err(format!(
                "Duplicate source names found: {}",
                python::repr_list(names)
            ));
        }
        let tables = duplicates(sources.iter().map(|s| s.destination_table.as_str()));
        if !tables.is_empty() {
            return Err(format!(
                "Duplicate destination tables found: {}",
                python::repr_list(tables)
            ));
        }
        Ok(Sources(sources))
    }
}

/// The values that occur more than once, sorted.
fn duplicates<'a>(values: impl Iterator<Item = &'a str>) -> BTreeSet<&'a str> {
    let mut seen = BTreeSet::new();
    values.filter(|v| !seen.insert(*v)).collect()
}

impl std::ops::Deref for Sources {
    type Target = [IngestionSourceConfig];

    fn deref(&self) -> &Self::Target {
        &self.0
    }
}

impl schemars::JsonSchema for Sources {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Sources".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let item = generator.subschema_for::<IngestionSourceConfig>();
        json_schema!({
            "type": "array",
            "items": item,
            "minItems": 1,
            "description": "The sources to load: at least one; names and destination tables must be unique (checked after the schema: `Duplicate source names found: [...]`, `Duplicate destination tables found: [...]`)."
        })
    }
}

fn default_max_retries() -> u32 {
    3
}

fn default_initial_delay() -> f64 {
    1.0
}

fn default_runner_timeout() -> u64 {
    3600
}

fn exclusive_minimum_zero(schema: &mut Schema) {
    schema.insert("exclusiveMinimum".to_owned(), json!(0));
}

fn string_enum(values: &[&str]) -> Schema {
    json_schema!({"type": "string", "enum": values})
}

fn source_type_schema(_: &mut SchemaGenerator) -> Schema {
    string_enum(&SOURCE_TYPES)
}

fn write_mode_schema(_: &mut SchemaGenerator) -> Schema {
    let mut schema = string_enum(&WRITE_MODES);
    schema.insert("default".to_owned(), json!("append"));
    schema
}

fn schema_contract_schema(_: &mut SchemaGenerator) -> Schema {
    let mut schema = string_enum(&SCHEMA_CONTRACTS);
    schema.insert("default".to_owned(), json!("evolve"));
    schema
}

fn primary_key_schema(_: &mut SchemaGenerator) -> Schema {
    json_schema!({
        "type": ["string", "array", "null"],
        "items": {"type": "string"},
        "default": null
    })
}

/// `write_mode: merge` requires a non-empty `primary_key`.
fn merge_needs_primary_key(schema: &mut Schema) {
    schema.insert(
        "if".to_owned(),
        json!({"properties": {"write_mode": {"const": "merge"}}, "required": ["write_mode"]}),
    );
    schema.insert(
        "then".to_owned(),
        json!({
            "required": ["primary_key"],
            "properties": {
                "primary_key": {
                    "description": "primary_key is required when write_mode is 'merge'",
                    "not": {"enum": [null, "", []]}
                }
            }
        }),
    );
}
