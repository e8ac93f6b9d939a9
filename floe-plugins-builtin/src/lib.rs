//! The built-in floe plugins. Each is behind a cargo feature named after it, all on by
//! default; a program that depends on this crate and references it
//! (`use floe_plugins_builtin as _;`) gets them discovered by
//! `floe_registry::PluginRegistry::discover_all`.
//!
//! | feature | type | plugin |
//! |---|---|---|
//! | `duckdb` | compute | `duckdb` |
//! | `dagster` | orchestrator | `dagster` |
//! | `polaris` | catalog | `polaris` |
//! | `s3` | storage | `s3` |
//! | `local-storage` | storage | `local` |
//! | `jaeger` | telemetry_backend | `jaeger` |
//! | `console` | telemetry_backend | `console` |
//! | `marquez` | lineage_backend | `marquez` |
//! | `dbt-core` | dbt | `core` |
//! | `cube` | semantic_layer | `cube` |
//! | `dlt` | ingestion | `dlt` |
//! | `env-secrets` | secrets | `env` |
//! | `file-secrets` | secrets | `file` |
//! | `k8s-secrets` | secrets | `k8s` |
//! | `keycloak` | identity | `keycloak` |
//! | `rbac-k8s` | rbac | `k8s` |
//! | `network-security-k8s` | network_security | `k8s` |
//! | `dbt-fusion` | dbt | `fusion` |
//! | `secret-scanner` | secret_scanner | `builtin` |
//! | `alertmanager` | alert_channel | `alertmanager` |
//! | `slack-alerts` | alert_channel | `slack` |
//! | `webhook-alerts` | alert_channel | `webhook` |
//! | `email-alerts` | alert_channel | `email` |
//! | `infisical-secrets` | secrets | `infisical` |
//! | `quality-dbt` | quality | `dbt_expectations` |
//! | `quality-gx` | quality | `great_expectations` |
//! | `glue` | catalog | `glue` |
//! | `aws-s3` | storage | `aws-s3` |
//! | `minio` | storage | `minio` |

#[cfg(any(
    feature = "s3",
    feature = "aws-s3",
    feature = "minio",
    feature = "glue"
))]
pub mod aws;
mod error;
#[cfg(feature = "http")]
pub mod http;
#[cfg(any(
    feature = "cube",
    feature = "dbt-core",
    feature = "dlt",
    feature = "dbt-fusion",
    feature = "alertmanager",
    feature = "slack-alerts",
    feature = "webhook-alerts",
    feature = "email-alerts",
    feature = "quality-dbt",
    feature = "quality-gx",
    feature = "env-secrets",
    feature = "jaeger",
    feature = "s3",
    feature = "aws-s3",
    feature = "minio",
    feature = "glue"
))]
mod support;

#[cfg(feature = "alertmanager")]
pub mod alertmanager;
#[cfg(feature = "aws-s3")]
pub mod aws_s3;
#[cfg(feature = "email-alerts")]
pub mod email;
#[cfg(feature = "infisical-secrets")]
pub mod infisical;
#[cfg(feature = "slack-alerts")]
pub mod slack;
#[cfg(feature = "webhook-alerts")]
pub mod webhook;

#[cfg(feature = "console")]
pub mod console;
#[cfg(feature = "cube")]
pub mod cube;
#[cfg(feature = "dagster")]
pub mod dagster;
#[cfg(feature = "dbt-core")]
pub mod dbt_core;
#[cfg(feature = "quality-dbt")]
pub mod dbt_expectations;
#[cfg(feature = "dbt-fusion")]
pub mod dbt_fusion;
#[cfg(feature = "dlt")]
pub mod dlt;
#[cfg(feature = "duckdb")]
pub mod duckdb;
#[cfg(feature = "env-secrets")]
pub mod env_secrets;
#[cfg(feature = "file-secrets")]
pub mod file_secrets;
#[cfg(feature = "glue")]
pub mod glue;
#[cfg(feature = "quality-gx")]
pub mod great_expectations;
#[cfg(feature = "jaeger")]
pub mod jaeger;
#[cfg(feature = "k8s-secrets")]
pub mod k8s_secrets;
#[cfg(feature = "keycloak")]
pub mod keycloak;
#[cfg(feature = "local-storage")]
pub mod local_storage;
#[cfg(feature = "marquez")]
pub mod marquez;
#[cfg(feature = "minio")]
pub mod minio;
#[cfg(feature = "network-security-k8s")]
pub mod network_security_k8s;
#[cfg(feature = "polaris")]
pub mod polaris;
#[cfg(feature = "rbac-k8s")]
pub mod rbac_k8s;
#[cfg(feature = "s3")]
pub mod s3;
#[cfg(feature = "secret-scanner")]
pub mod secret_scanner;
