//! The methods of each plugin type's trait, as a new plugin crate shows them.
//!
//! Each method carries the trait's own doc (what floe expects of it), its signature and
//! the body the scaffold writes. A [`Method::stub`] is written live: it compiles, never
//! panics, and answers "not implemented yet" (an error where the method returns a
//! `Result`, a result saying so otherwise). A [`Method::optional`] has a meaningful
//! default in the trait (`true`, `{}`, `None`); it is written commented out, with the
//! trait's default as its body, so the author sees every method and uncomments the
//! ones to change.
//!
//! The lifecycle hooks (`startup`, `health_check`, `shutdown`) are the same for every
//! type and written by `plugin_source`. The unit tests check these lists against the
//! trait declarations in `floe-registry/src/types/`, and the integration test compiles
//! and tests a crate of every type.

use floe_registry::PluginType;

/// The scaffold's view of one plugin type's trait.
#[derive(Debug)]
pub struct TraitStubs {
    /// `use` lines the live stubs need beyond `floe_registry::prelude::*`.
    pub imports: &'static [&'static str],
    /// Every method of the trait except the lifecycle hooks, in the trait's order.
    pub methods: &'static [Method],
}

/// One trait method.
#[derive(Debug)]
pub struct Method {
    /// The trait's doc of the method: what floe expects of it.
    pub doc: &'static str,
    /// `fn name(&self, ...) -> T`, without the body.
    pub signature: &'static str,
    /// The body's lines, without braces.
    pub body: &'static str,
    /// Whether it is written commented out, because the trait's default is a real answer.
    pub optional: bool,
}

impl Method {
    /// A method to write, stubbed to answer "not implemented yet".
    const fn stub(doc: &'static str, signature: &'static str, body: &'static str) -> Self {
        Method {
            doc,
            signature,
            body,
            optional: false,
        }
    }

    /// A method whose default is a real answer, shown commented out with that default.
    const fn optional(doc: &'static str, signature: &'static str, body: &'static str) -> Self {
        Method {
            doc,
            signature,
            body,
            optional: true,
        }
    }

    /// The method's name, from its signature.
    #[cfg(test)]
    pub fn name(&self) -> &'static str {
        let after_fn = self.signature.trim_start_matches("fn ");
        let end = after_fn.find(['(', '<']).unwrap_or(after_fn.len());
        &after_fn[..end]
    }
}

/// The trait's methods for `plugin_type`. Exhaustive on purpose: a new plugin type does
/// not compile until its stubs are written here.
pub fn for_type(plugin_type: PluginType) -> TraitStubs {
    match plugin_type {
        PluginType::Compute => TraitStubs {
            imports: VALUE,
            methods: COMPUTE,
        },
        PluginType::Orchestrator => TraitStubs {
            imports: &[
                "use std::path::Path;",
                "use floe_registry::serde_json::Value;",
                "use floe_registry::uuid::Uuid;",
            ],
            methods: ORCHESTRATOR,
        },
        PluginType::Catalog => TraitStubs {
            imports: &[
                "use std::collections::BTreeMap;",
                "use floe_registry::serde_json::Value;",
            ],
            methods: CATALOG,
        },
        PluginType::Storage => TraitStubs {
            imports: &[
                "use std::collections::BTreeMap;",
                "use floe_registry::serde_json::Value;",
            ],
            methods: STORAGE,
        },
        PluginType::TelemetryBackend => TraitStubs {
            imports: VALUE,
            methods: TELEMETRY_BACKEND,
        },
        PluginType::LineageBackend => TraitStubs {
            imports: VALUE,
            methods: LINEAGE_BACKEND,
        },
        PluginType::Dbt => TraitStubs {
            imports: &[
                "use std::path::{Path, PathBuf};",
                "use floe_registry::serde_json::Value;",
            ],
            methods: DBT,
        },
        PluginType::SemanticLayer => TraitStubs {
            imports: &[
                "use std::collections::BTreeMap;",
                "use std::path::{Path, PathBuf};",
                "use floe_registry::serde_json::Value;",
            ],
            methods: SEMANTIC_LAYER,
        },
        PluginType::Ingestion => TraitStubs {
            imports: &["use floe_registry::serde_json::{Map, Value};"],
            methods: INGESTION,
        },
        PluginType::Secrets => TraitStubs {
            imports: &["use std::collections::BTreeMap;"],
            methods: SECRETS,
        },
        PluginType::Identity => TraitStubs {
            imports: &["use std::collections::BTreeMap;"],
            methods: IDENTITY,
        },
        PluginType::Quality => TraitStubs {
            imports: &[
                "use floe_registry::quality::{QualityCheckResult, QualitySuite, QualitySuiteResult};",
                "use floe_registry::serde_json::{Map, Value};",
            ],
            methods: QUALITY,
        },
        PluginType::Rbac => TraitStubs {
            imports: &[],
            methods: RBAC,
        },
        PluginType::AlertChannel => TraitStubs {
            imports: &["use floe_registry::alert::ContractViolationEvent;"],
            methods: ALERT_CHANNEL,
        },
        PluginType::NetworkSecurity => TraitStubs {
            imports: &[
                "use floe_registry::network::NetworkPolicyConfig;",
                "use floe_registry::serde_json::Value;",
            ],
            methods: NETWORK_SECURITY,
        },
        PluginType::SecretScanner => TraitStubs {
            imports: &[
                "use std::path::Path;",
                "use floe_registry::secret_scan::SecretFinding;",
            ],
            methods: SECRET_SCANNER,
        },
    }
}

/// The import most types need: free-form JSON values.
const VALUE: &[&str] = &["use floe_registry::serde_json::Value;"];

/// An empty JSON object, written without importing `Map`.
macro_rules! empty_object {
    () => {
        "Value::Object(Default::default())"
    };
}

const COMPUTE: &[Method] = &[
    Method::optional(
        "Whether floe runs the engine itself (vs. a managed service).",
        "fn is_self_hosted(&self) -> bool",
        "true",
    ),
    Method::stub(
        "The dbt `profiles.yml` target for this engine.",
        "fn generate_dbt_profile(&self, config: &ComputeConfig) -> Result<Value, PluginError>",
        "let _ = config;\nErr(not_implemented(\"generate_dbt_profile\"))",
    ),
    Method::stub(
        "The dbt `profiles.yml` target of the plugin's own configuration.",
        "fn configured_dbt_profile(&self) -> Result<Value, PluginError>",
        "Err(not_implemented(\"configured_dbt_profile\"))",
    ),
    Method::optional(
        "The pip specifiers dbt needs for this engine (`dbt-duckdb>=1.7.0`).",
        "fn get_required_dbt_packages(&self) -> Vec<String>",
        "Vec::new()",
    ),
    Method::stub(
        "Checks that the engine can be reached with `config`.",
        "fn validate_connection(&self, config: &ComputeConfig) -> Result<ConnectionResult, PluginError>",
        "let _ = config;\nErr(not_implemented(\"validate_connection\"))",
    ),
    Method::stub(
        "Resource requests and limits for a workload size (`small`, `medium`, `large`).",
        "fn get_resource_requirements(&self, size: &str) -> Result<ResourceSpec, PluginError>",
        "let _ = size;\nErr(not_implemented(\"get_resource_requirements\"))",
    ),
    Method::optional(
        "SQL statements that attach an Iceberg catalog, or `None` if not needed.",
        "fn get_catalog_attachment_sql(&self, catalog: &CatalogConfig) -> Result<Option<Vec<String>>, PluginError>",
        "let _ = catalog;\nOk(None)",
    ),
    Method::optional(
        "Folders of dbt macros the engine ships. Default: none.",
        "fn get_dbt_macro_paths(&self) -> Vec<PathBuf>",
        "Vec::new()",
    ),
];

const ORCHESTRATOR: &[Method] = &[
    Method::stub(
        "Builds the orchestrator's definitions from compiled artifacts.",
        "fn create_definitions(&self, artifacts: &Value) -> Result<Value, PluginError>",
        "let _ = artifacts;\nErr(not_implemented(\"create_definitions\"))",
    ),
    Method::stub(
        "Builds assets from dbt transforms.",
        "fn create_assets_from_transforms(&self, transforms: &[TransformConfig]) -> Result<Value, PluginError>",
        "let _ = transforms;\nErr(not_implemented(\"create_assets_from_transforms\"))",
    ),
    Method::optional(
        "Helm values for deploying the orchestrator.",
        "fn get_helm_values(&self) -> Value",
        empty_object!(),
    ),
    Method::stub(
        "Checks that the orchestrator can be reached.",
        "fn validate_connection(&self) -> ValidationResult",
        "ValidationResult {\n    success: false,\n    message: not_implemented(\"validate_connection\").to_string(),\n    ..ValidationResult::default()\n}",
    ),
    Method::stub(
        "Resource requests and limits for a workload size (`small`, `medium`, `large`).",
        "fn get_resource_requirements(&self, size: &str) -> Result<ResourceSpec, PluginError>",
        "let _ = size;\nErr(not_implemented(\"get_resource_requirements\"))",
    ),
    Method::stub(
        "Emits an OpenLineage event for a job run and returns its run id: the event's\n`run_id` when given, else a new one (`event.run_id_or_new()`).",
        "fn emit_lineage_event(&self, event: &LineageEvent) -> Result<Uuid, PluginError>",
        "let _ = event;\nErr(not_implemented(\"emit_lineage_event\"))",
    ),
    Method::optional(
        "The emitter that sends this plugin's lineage, if it has one.",
        "fn get_lineage_emitter(&self) -> Option<Arc<dyn LineageEmitter>>",
        "None",
    ),
    Method::stub(
        "Schedules a job with a cron expression in an IANA time zone; returns the\nschedule as the orchestrator records it.",
        "fn schedule_job(&self, job_name: &str, cron: &str, timezone: &str) -> Result<Value, PluginError>",
        "let _ = (job_name, cron, timezone);\nErr(not_implemented(\"schedule_job\"))",
    ),
    Method::optional(
        "The definition of a sensor that triggers runs, if any.",
        "fn sensor_definition(&self) -> Option<Value>",
        "None",
    ),
    Method::stub(
        "The source of the entry point module for a data product.",
        "fn generate_entry_point_code(&self, product_name: &str, output_dir: &Path, lineage_enabled: bool, iceberg_enabled: bool) -> Result<String, PluginError>",
        "let _ = (product_name, output_dir, lineage_enabled, iceberg_enabled);\nErr(not_implemented(\"generate_entry_point_code\"))",
    ),
];

const CATALOG: &[Method] = &[
    Method::stub(
        "Connects to the catalog.",
        "fn connect(&self, config: &Value) -> Result<Box<dyn CatalogHandle>, PluginError>",
        "let _ = config;\nErr(not_implemented(\"connect\"))",
    ),
    Method::stub(
        "Creates a namespace with properties.",
        "fn create_namespace(&self, namespace: &str, properties: &BTreeMap<String, String>) -> Result<(), PluginError>",
        "let _ = (namespace, properties);\nErr(not_implemented(\"create_namespace\"))",
    ),
    Method::stub(
        "Vends short-lived storage credentials for a table.",
        "fn vend_credentials(&self, table_path: &str, operations: &[TableOperation]) -> Result<VendedCredentials, PluginError>",
        "let _ = (table_path, operations);\nErr(not_implemented(\"vend_credentials\"))",
    ),
    Method::stub(
        "The namespaces, under `parent` when given.",
        "fn list_namespaces(&self, parent: Option<&str>) -> Result<Vec<String>, PluginError>",
        "let _ = parent;\nErr(not_implemented(\"list_namespaces\"))",
    ),
    Method::stub(
        "Deletes an empty namespace.",
        "fn delete_namespace(&self, namespace: &str) -> Result<(), PluginError>",
        "let _ = namespace;\nErr(not_implemented(\"delete_namespace\"))",
    ),
    Method::stub(
        "Creates a table (`namespace.table`) with an Iceberg schema, optional location and properties.",
        "fn create_table(&self, identifier: &str, schema: &Value, location: Option<&str>, properties: &BTreeMap<String, String>) -> Result<(), PluginError>",
        "let _ = (identifier, schema, location, properties);\nErr(not_implemented(\"create_table\"))",
    ),
    Method::stub(
        "The tables of a namespace.",
        "fn list_tables(&self, namespace: &str) -> Result<Vec<String>, PluginError>",
        "let _ = namespace;\nErr(not_implemented(\"list_tables\"))",
    ),
    Method::stub(
        "Drops a table; `purge` also deletes its data.",
        "fn drop_table(&self, identifier: &str, purge: bool) -> Result<(), PluginError>",
        "let _ = (identifier, purge);\nErr(not_implemented(\"drop_table\"))",
    ),
];

const STORAGE: &[Method] = &[
    Method::stub(
        "The FileIO property map Iceberg clients take (`s3.endpoint`, ...).",
        "fn get_fileio_properties(&self) -> Result<BTreeMap<String, String>, PluginError>",
        "Err(not_implemented(\"get_fileio_properties\"))",
    ),
    Method::stub(
        "A FileIO working in this process: reads, writes and deletes files in the warehouse.",
        "fn open_fileio(&self) -> Result<Box<dyn FileIo>, PluginError>",
        "Err(not_implemented(\"open_fileio\"))",
    ),
    Method::stub(
        "The warehouse URI of a namespace (`s3://bucket/bronze/`).",
        "fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError>",
        "let _ = namespace;\nErr(not_implemented(\"get_warehouse_uri\"))",
    ),
    Method::stub(
        "Storage settings for the dbt profile.",
        "fn get_dbt_profile_config(&self) -> Result<Value, PluginError>",
        "Err(not_implemented(\"get_dbt_profile_config\"))",
    ),
    Method::stub(
        "Settings for Dagster's IO manager.",
        "fn get_dagster_io_manager_config(&self) -> Result<Value, PluginError>",
        "Err(not_implemented(\"get_dagster_io_manager_config\"))",
    ),
    Method::optional(
        "Helm values overrides (`{}` for external storage).",
        "fn get_helm_values_override(&self) -> Result<Value, PluginError>",
        concat!("Ok(", empty_object!(), ")"),
    ),
    Method::optional(
        "Extra properties for a PyIceberg catalog using this storage. Default: none.",
        "fn get_pyiceberg_catalog_config(&self) -> Map<String, Value>",
        "Default::default()",
    ),
];

const TELEMETRY_BACKEND: &[Method] = &[
    Method::stub(
        "The OTLP collector config (`exporters`, `service.pipelines`).",
        "fn get_otlp_exporter_config(&self) -> Result<Value, PluginError>",
        "Err(not_implemented(\"get_otlp_exporter_config\"))",
    ),
    Method::optional(
        "Helm values (`{}` for SaaS backends).",
        "fn get_helm_values(&self) -> Value",
        empty_object!(),
    ),
    Method::stub(
        "Whether the backend can be reached.",
        "fn validate_connection(&self) -> Result<bool, PluginError>",
        "Err(not_implemented(\"validate_connection\"))",
    ),
];

const LINEAGE_BACKEND: &[Method] = &[
    Method::stub(
        "The OpenLineage transport (`{\"type\": \"http\", \"url\": ..., \"timeout\": ...}`).",
        "fn get_transport_config(&self) -> Result<Value, PluginError>",
        "Err(not_implemented(\"get_transport_config\"))",
    ),
    Method::stub(
        "How lineage namespaces are named.",
        "fn get_namespace_strategy(&self) -> Result<Value, PluginError>",
        "Err(not_implemented(\"get_namespace_strategy\"))",
    ),
    Method::optional(
        "Helm values.",
        "fn get_helm_values(&self) -> Value",
        empty_object!(),
    ),
    Method::stub(
        "Whether the backend can be reached.",
        "fn validate_connection(&self) -> Result<bool, PluginError>",
        "Err(not_implemented(\"validate_connection\"))",
    ),
];

const DBT: &[Method] = &[
    Method::stub(
        "Compiles the project; returns the manifest path.",
        "fn compile_project(&self, project_dir: &Path, profiles_dir: &Path, target: &str) -> Result<PathBuf, PluginError>",
        "let _ = (project_dir, profiles_dir, target);\nErr(not_implemented(\"compile_project\"))",
    ),
    Method::stub(
        "Runs models.",
        "fn run_models(&self, project_dir: &Path, profiles_dir: &Path, target: &str, select: Option<&str>, exclude: Option<&str>, full_refresh: bool) -> Result<DbtRunResult, PluginError>",
        "let _ = (\n    project_dir,\n    profiles_dir,\n    target,\n    select,\n    exclude,\n    full_refresh,\n);\nErr(not_implemented(\"run_models\"))",
    ),
    Method::stub(
        "Runs tests.",
        "fn test_models(&self, project_dir: &Path, profiles_dir: &Path, target: &str, select: Option<&str>) -> Result<DbtRunResult, PluginError>",
        "let _ = (project_dir, profiles_dir, target, select);\nErr(not_implemented(\"test_models\"))",
    ),
    Method::stub(
        "Lints the project's SQL, fixing it when `fix` is set.",
        "fn lint_project(&self, project_dir: &Path, profiles_dir: &Path, target: &str, fix: bool) -> Result<LintResult, PluginError>",
        "let _ = (project_dir, profiles_dir, target, fix);\nErr(not_implemented(\"lint_project\"))",
    ),
    Method::stub(
        "The parsed `target/manifest.json`.",
        "fn get_manifest(&self, project_dir: &Path) -> Result<Value, PluginError>",
        "let _ = project_dir;\nErr(not_implemented(\"get_manifest\"))",
    ),
    Method::stub(
        "The parsed `target/run_results.json`.",
        "fn get_run_results(&self, project_dir: &Path) -> Result<Value, PluginError>",
        "let _ = project_dir;\nErr(not_implemented(\"get_run_results\"))",
    ),
    Method::stub(
        "Loads the project's seeds (`dbt seed`).",
        "fn seed_data(&self, project_dir: &Path, profiles_dir: &Path, target: &str, select: Option<&str>, full_refresh: bool) -> Result<DbtRunResult, PluginError>",
        "let _ = (project_dir, profiles_dir, target, select, full_refresh);\nErr(not_implemented(\"seed_data\"))",
    ),
    Method::stub(
        "Seeds, runs, snapshots and tests in dependency order (`dbt build`).",
        "fn build_project(&self, project_dir: &Path, profiles_dir: &Path, target: &str, select: Option<&str>, exclude: Option<&str>, full_refresh: bool) -> Result<DbtRunResult, PluginError>",
        "let _ = (\n    project_dir,\n    profiles_dir,\n    target,\n    select,\n    exclude,\n    full_refresh,\n);\nErr(not_implemented(\"build_project\"))",
    ),
    Method::stub(
        "Installs the packages of `packages.yml` (`dbt deps`).",
        "fn install_deps(&self, project_dir: &Path, profiles_dir: &Path) -> Result<(), PluginError>",
        "let _ = (project_dir, profiles_dir);\nErr(not_implemented(\"install_deps\"))",
    ),
    Method::stub(
        "Generates the docs (`dbt docs generate`); returns the path of `catalog.json`.",
        "fn generate_docs(&self, project_dir: &Path, profiles_dir: &Path, target: &str) -> Result<PathBuf, PluginError>",
        "let _ = (project_dir, profiles_dir, target);\nErr(not_implemented(\"generate_docs\"))",
    ),
    Method::stub(
        "Writes `profiles.yml` with `output` as the `target` output; returns its path.",
        "fn write_profiles(&self, project_dir: &Path, profiles_dir: &Path, target: &str, output: &Value) -> Result<PathBuf, PluginError>",
        "let _ = (project_dir, profiles_dir, target, output);\nErr(not_implemented(\"write_profiles\"))",
    ),
    Method::optional(
        "Whether several dbt invocations may run at once.",
        "fn supports_parallel_execution(&self) -> bool",
        "false",
    ),
    Method::optional(
        "Whether `lint_project` works.",
        "fn supports_sql_linting(&self) -> bool",
        "false",
    ),
    Method::optional(
        "Facts about the runtime.",
        "fn get_runtime_metadata(&self) -> Value",
        empty_object!(),
    ),
];

const SEMANTIC_LAYER: &[Method] = &[
    Method::stub(
        "Writes the semantic model generated from a dbt manifest; returns the files written.",
        "fn sync_from_dbt_manifest(&self, manifest_path: &Path, output_dir: &Path) -> Result<Vec<PathBuf>, PluginError>",
        "let _ = (manifest_path, output_dir);\nErr(not_implemented(\"sync_from_dbt_manifest\"))",
    ),
    Method::stub(
        "The row-level security context for a namespace and roles.",
        "fn get_security_context(&self, namespace: &str, roles: &[String]) -> Result<Value, PluginError>",
        "let _ = (namespace, roles);\nErr(not_implemented(\"get_security_context\"))",
    ),
    Method::stub(
        "The data source settings for a compute engine.",
        "fn get_datasource_config(&self, compute: &dyn ComputePlugin) -> Result<Value, PluginError>",
        "let _ = compute;\nErr(not_implemented(\"get_datasource_config\"))",
    ),
    Method::stub(
        "The layer's API endpoints by name (`sql`, `rest`, ...).",
        "fn get_api_endpoints(&self) -> Result<BTreeMap<String, String>, PluginError>",
        "Err(not_implemented(\"get_api_endpoints\"))",
    ),
    Method::optional(
        "Overrides of the layer's Helm chart values. Default: none.",
        "fn get_helm_values_override(&self) -> Result<Value, PluginError>",
        "Ok(Value::Object(Default::default()))",
    ),
];

const INGESTION: &[Method] = &[
    Method::optional(
        "Whether the engine runs outside floe.",
        "fn is_external(&self) -> bool",
        "false",
    ),
    Method::stub(
        "Creates a pipeline.",
        "fn create_pipeline(&self, config: &IngestionConfig) -> Result<IngestionPipeline, PluginError>",
        "let _ = config;\nErr(not_implemented(\"create_pipeline\"))",
    ),
    Method::stub(
        "Runs a pipeline. Load failures are reported in the result, not as an error\n(never containing credentials).",
        "fn run(&self, pipeline: &IngestionPipeline) -> IngestionResult",
        "let _ = pipeline;\nIngestionResult {\n    errors: vec![not_implemented(\"run\").to_string()],\n    ..IngestionResult::default()\n}",
    ),
    Method::stub(
        "The destination settings for an Iceberg catalog config.",
        "fn get_destination_config(&self, catalog_config: &Map<String, Value>) -> Result<Value, PluginError>",
        "let _ = catalog_config;\nErr(not_implemented(\"get_destination_config\"))",
    ),
    Method::optional(
        "The plugin as a sink connector, when it can also write data out.",
        "fn as_sink_connector(&self) -> Option<&dyn SinkConnector>",
        "None",
    ),
];

const SECRETS: &[Method] = &[
    Method::stub(
        "The secret stored under `key`, or `None`.",
        "fn get_secret(&self, key: &str) -> Result<Option<Secret>, PluginError>",
        "let _ = key;\nErr(not_implemented(\"get_secret\"))",
    ),
    Method::stub(
        "Stores a secret with metadata.",
        "fn set_secret(&self, key: &str, value: &Secret, metadata: &BTreeMap<String, String>) -> Result<(), PluginError>",
        "let _ = (key, value, metadata);\nErr(not_implemented(\"set_secret\"))",
    ),
    Method::stub(
        "The keys that start with `prefix`, sorted.",
        "fn list_secrets(&self, prefix: &str) -> Result<Vec<String>, PluginError>",
        "let _ = prefix;\nErr(not_implemented(\"list_secrets\"))",
    ),
    Method::optional(
        "The pod spec fragment exposing a Kubernetes secret as environment variables.",
        "fn generate_pod_env_spec(&self, secret_name: &str) -> Value",
        "floe_registry::serde_json::json!({\n    \"envFrom\": [{\"secretRef\": {\"name\": secret_name}}],\n})",
    ),
    Method::stub(
        "Every key of a multi-key secret.",
        "fn get_multi_key_secret(&self, name: &str) -> Result<BTreeMap<String, Secret>, PluginError>",
        "let _ = name;\nErr(not_implemented(\"get_multi_key_secret\"))",
    ),
];

const IDENTITY: &[Method] = &[
    Method::stub(
        "Exchanges credentials (`username`/`password` or `client_id`/`client_secret`)\nfor an access token; `None` when they are refused.",
        "fn authenticate(&self, credentials: &BTreeMap<String, Secret>) -> Result<Option<Secret>, PluginError>",
        "let _ = credentials;\nErr(not_implemented(\"authenticate\"))",
    ),
    Method::stub(
        "The user behind a token; `None` when the token is refused.",
        "fn get_user_info(&self, token: &Secret) -> Result<Option<UserInfo>, PluginError>",
        "let _ = token;\nErr(not_implemented(\"get_user_info\"))",
    ),
    Method::stub(
        "Validates a token.",
        "fn validate_token(&self, token: &Secret) -> TokenValidationResult",
        "let _ = token;\nTokenValidationResult {\n    error: Some(not_implemented(\"validate_token\").to_string()),\n    ..TokenValidationResult::default()\n}",
    ),
    Method::stub(
        "The provider's OIDC endpoints, for `realm` when given.",
        "fn get_oidc_config(&self, realm: Option<&str>) -> Result<OidcConfig, PluginError>",
        "let _ = realm;\nErr(not_implemented(\"get_oidc_config\"))",
    ),
];

const QUALITY: &[Method] = &[
    Method::stub(
        "Runs the named suite against a data source.",
        "fn run_checks(&self, suite_name: &str, data_source: &str, options: &Map<String, Value>) -> Result<QualitySuiteResult, PluginError>",
        "let _ = (suite_name, data_source, options);\nErr(not_implemented(\"run_checks\"))",
    ),
    Method::stub(
        "Runs an explicit suite.",
        "fn run_suite(&self, suite: &QualitySuite, connection_config: &Map<String, Value>) -> Result<QualitySuiteResult, PluginError>",
        "let _ = (suite, connection_config);\nErr(not_implemented(\"run_suite\"))",
    ),
    Method::stub(
        "Runs ad-hoc expectations against a data source.",
        "fn validate_expectations(&self, data_source: &str, expectations: &[Value]) -> Result<Vec<QualityCheckResult>, PluginError>",
        "let _ = (data_source, expectations);\nErr(not_implemented(\"validate_expectations\"))",
    ),
    Method::stub(
        "The suites the plugin knows.",
        "fn list_suites(&self) -> Result<Vec<String>, PluginError>",
        "Err(not_implemented(\"list_suites\"))",
    ),
    Method::optional(
        "Whether the plugin can check data of this SQL dialect.",
        "fn supports_dialect(&self, dialect: &str) -> bool",
        "let _ = dialect;\nfalse",
    ),
    Method::optional(
        "Checks that the config selects this plugin (floe's default: provider = name).",
        "fn validate_config(&self, config: &QualityConfig) -> QualityValidationResult",
        "floe_registry::quality::QualityValidationResult {\n    success: config.provider == self.name(),\n    ..Default::default()\n}",
    ),
    Method::optional(
        "floe's quality gates over dbt-style model dicts.",
        "fn validate_quality_gates(&self, models: &[Value], gates: &QualityGates) -> GateResult",
        "floe_registry::quality::validate_quality_gates(models, gates)",
    ),
    Method::optional(
        "floe's three-layer quality score.",
        "fn calculate_quality_score(&self, results: &QualitySuiteResult, config: &QualityConfig) -> QualityScore",
        "floe_registry::quality::calculate_quality_score(results, config)",
    ),
    Method::optional(
        "The OpenLineage data quality facet of some results.",
        "fn get_quality_facets(&self, results: &[QualityCheckResult]) -> Value",
        "floe_registry::quality::quality_facets(results)",
    ),
    Method::optional(
        "A check as the tool's expectation: `{name, type, column, parameters}`.",
        "fn map_check_to_expectation(&self, check: &QualityCheck) -> Value",
        "floe_registry::serde_json::json!({\n    \"name\": check.name,\n    \"type\": check.check_type,\n    \"column\": check.column,\n    \"parameters\": check.parameters,\n})",
    ),
];

const RBAC: &[Method] = &[
    Method::optional(
        "The ServiceAccount manifest of a valid config (floe's default: the model's own).",
        "fn generate_service_account(&self, config: &ServiceAccountConfig) -> Result<Value, PluginError>",
        "floe_registry::Validate::validate(config)\n    .map_err(|e| PluginError::failed(e.to_string()))?;\nOk(config.to_manifest())",
    ),
    Method::optional(
        "The Role manifest of a valid config (floe's default: the model's own).",
        "fn generate_role(&self, config: &RoleConfig) -> Result<Value, PluginError>",
        "floe_registry::Validate::validate(config)\n    .map_err(|e| PluginError::failed(e.to_string()))?;\nOk(config.to_manifest())",
    ),
    Method::optional(
        "The RoleBinding manifest of a valid config (floe's default: the model's own).",
        "fn generate_role_binding(&self, config: &RoleBindingConfig) -> Result<Value, PluginError>",
        "floe_registry::Validate::validate(config)\n    .map_err(|e| PluginError::failed(e.to_string()))?;\nOk(config.to_manifest())",
    ),
    Method::optional(
        "The Namespace manifest of a valid config (floe's default: the model's own).",
        "fn generate_namespace(&self, config: &NamespaceConfig) -> Result<Value, PluginError>",
        "floe_registry::Validate::validate(config)\n    .map_err(|e| PluginError::failed(e.to_string()))?;\nOk(config.to_manifest())",
    ),
    Method::optional(
        "`{\"pod\": ..., \"container\": ...}`: the two security contexts of a valid config.",
        "fn generate_pod_security_context(&self, config: &PodSecurityConfig) -> Result<Value, PluginError>",
        "floe_registry::Validate::validate(config)\n    .map_err(|e| PluginError::failed(e.to_string()))?;\nOk(floe_registry::serde_json::json!({\n    \"pod\": config.pod_context(),\n    \"container\": config.container_context(),\n}))",
    ),
];

const ALERT_CHANNEL: &[Method] = &[
    Method::stub(
        "Delivers one alert; true when delivered. Fire and forget: no retry.",
        "fn send_alert(&self, event: &ContractViolationEvent) -> bool",
        "// Nothing is delivered until this is written.\nlet _ = (event, not_implemented(\"send_alert\"));\nfalse",
    ),
    Method::stub(
        "The problems of the channel's own settings; empty when it can deliver.",
        "fn validate_config(&self) -> Vec<String>",
        "vec![not_implemented(\"validate_config\").to_string()]",
    ),
];

const NETWORK_SECURITY: &[Method] = &[
    Method::stub(
        "The NetworkPolicy manifest of a config.",
        "fn generate_network_policy(&self, config: &NetworkPolicyConfig) -> Result<Value, PluginError>",
        "let _ = config;\nErr(not_implemented(\"generate_network_policy\"))",
    ),
    Method::stub(
        "At least one policy denying all ingress and egress in `namespace`.",
        "fn generate_default_deny_policies(&self, namespace: &str) -> Result<Vec<Value>, PluginError>",
        "let _ = namespace;\nErr(not_implemented(\"generate_default_deny_policies\"))",
    ),
    Method::stub(
        "An egress rule to cluster DNS (UDP 53, optionally TCP 53, kube-system).",
        "fn generate_dns_egress_rule(&self) -> Result<Value, PluginError>",
        "Err(not_implemented(\"generate_dns_egress_rule\"))",
    ),
    Method::stub(
        "A pod securityContext (runAsNonRoot, uid/gid/fsGroup, seccomp RuntimeDefault).",
        "fn generate_pod_security_context(&self, config: Option<&Value>) -> Result<Value, PluginError>",
        "let _ = config;\nErr(not_implemented(\"generate_pod_security_context\"))",
    ),
    Method::stub(
        "A container securityContext (no privilege escalation, read-only root, drop ALL).",
        "fn generate_container_security_context(&self, config: Option<&Value>) -> Result<Value, PluginError>",
        "let _ = config;\nErr(not_implemented(\"generate_container_security_context\"))",
    ),
    Method::stub(
        "emptyDir volumes and their mounts for writable paths: equal length, unique names.",
        "fn generate_writable_volumes(&self, paths: &[String]) -> Result<(Vec<Value>, Vec<Value>), PluginError>",
        "let _ = paths;\nErr(not_implemented(\"generate_writable_volumes\"))",
    ),
];

const SECRET_SCANNER: &[Method] = &[
    Method::stub(
        "The secrets in one file's content.",
        "fn scan_file(&self, file_path: &Path, content: &str) -> Result<Vec<SecretFinding>, PluginError>",
        "let _ = (file_path, content);\nErr(not_implemented(\"scan_file\"))",
    ),
    Method::stub(
        "The secrets in every file under `directory`, skipping paths that match an exclude glob.",
        "fn scan_directory(&self, directory: &Path, exclude_patterns: &[String]) -> Result<Vec<SecretFinding>, PluginError>",
        "let _ = (directory, exclude_patterns);\nErr(not_implemented(\"scan_directory\"))",
    ),
    Method::optional(
        "The names of the patterns it looks for.",
        "fn get_supported_patterns(&self) -> Vec<String>",
        "Vec::new()",
    ),
];

#[cfg(test)]
mod tests {
    use super::*;

    /// The signatures declared in the trait of `floe-registry/src/types/<type>.rs`, in
    /// order and with whitespace normalised, without the lifecycle hooks (declared by
    /// `lifecycle_hooks!()`, or `lifecycle_hooks! { fn health_check ... }` where a
    /// type's health default differs).
    fn declared_signatures(plugin_type: PluginType) -> Vec<String> {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../floe-registry/src/types")
            .join(format!("{}.rs", plugin_type.as_str()));
        let source = std::fs::read_to_string(&path)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
        let trait_start = format!("pub trait {}", plugin_type.trait_name());
        let (_, body) = source
            .split_once(&trait_start)
            .unwrap_or_else(|| panic!("{} declares `{trait_start}`", path.display()));
        let body = body.split("lifecycle_hooks!").next().unwrap_or(body);
        body.split("\n    fn ")
            .skip(1)
            .map(|rest| normalise(&format!("fn {}", rest.split('{').next().unwrap_or(rest))))
            .collect()
    }

    /// One space for every run of whitespace, none inside parentheses' edges, no
    /// trailing comma: a signature as rustfmt lays it out and as the table writes it
    /// compare equal.
    fn normalise(signature: &str) -> String {
        signature
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
            .replace("( ", "(")
            .replace(", )", ")")
    }

    #[test]
    fn every_trait_method_is_shown_with_the_traits_signature_and_order() {
        for plugin_type in PluginType::ALL {
            let shown: Vec<String> = for_type(plugin_type)
                .methods
                .iter()
                .map(|m| normalise(m.signature))
                .collect();
            assert_eq!(
                shown,
                declared_signatures(plugin_type),
                "the scaffold's {plugin_type} methods must be the trait's, in its order"
            );
        }
    }

    #[test]
    fn stubs_never_panic_and_say_not_implemented() {
        for plugin_type in PluginType::ALL {
            for method in for_type(plugin_type).methods {
                for forbidden in ["todo!", "unimplemented!", "panic!", "unwrap", "expect("] {
                    assert!(
                        !method.body.contains(forbidden),
                        "{plugin_type}::{} must not use {forbidden}",
                        method.name()
                    );
                }
                if !method.optional {
                    let call = format!("not_implemented(\"{}\")", method.name());
                    assert!(
                        method.body.contains(&call),
                        "the stub of {plugin_type}::{} must answer {call}",
                        method.name()
                    );
                }
            }
        }
    }

    #[test]
    fn a_method_name_comes_from_its_signature() {
        let m = Method::stub("", "fn run(&self) -> bool", "true");
        assert_eq!(m.name(), "run");
    }
}
