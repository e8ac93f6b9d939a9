//! The configuration of the `glue` plugin: floe-catalog-glue 0.1.0a1's
//! `GlueCatalogConfig`, field for field, with its validators: `warehouse` an `s3://`
//! URI ending in `/`, and the credential-mode rules of [`crate::aws::CredentialMode`]
//! (checked, as floe checks them, once every field is valid).

use std::ops::Deref;

use serde::{Deserialize, Deserializer};

use floe_registry::floe_config;

use crate::aws::CredentialMode;
use crate::aws::credentials::check_references;

/// An AWS Glue Data Catalog holding Iceberg tables. Raw keys are not accepted
/// (`access_key_id` and the like are unknown fields): credentials come from the
/// environment, a Kubernetes Secret or a workload identity (`credential_mode`:
/// `workload-identity`, the default, needs `service_account_ref`; `kubernetes-secret`
/// needs `credential_secret_name`; `environment` takes neither). Unknown keys are
/// refused, as floe refuses them.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(try_from = "GlueCatalogFields")]
pub struct GlueCatalogConfig(GlueCatalogFields);

impl TryFrom<GlueCatalogFields> for GlueCatalogConfig {
    type Error = String;

    fn try_from(fields: GlueCatalogFields) -> Result<Self, String> {
        check_references(
            fields.credential_mode,
            fields.credential_secret_name.as_deref(),
            fields.service_account_ref.as_deref(),
        )?;
        Ok(GlueCatalogConfig(fields))
    }
}

impl Deref for GlueCatalogConfig {
    type Target = GlueCatalogFields;

    fn deref(&self) -> &GlueCatalogFields {
        &self.0
    }
}

/// The fields of a [`GlueCatalogConfig`], each checked on its own; the config is
/// these once floe's credential-mode rules passed, and reads them through `Deref`
/// (`config.region`).
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
#[schemars(title = "GlueCatalogConfig")]
pub struct GlueCatalogFields {
    /// AWS region.
    #[schemars(length(min = 1))]
    pub region: String,
    /// Optional AWS account/catalog ID.
    #[serde(default)]
    #[schemars(regex(pattern = r"^\d{12}$"))]
    pub catalog_id: Option<String>,
    /// Optional warehouse URI override (an `s3://` URI; a trailing `/` is added).
    #[serde(default, deserialize_with = "warehouse")]
    #[schemars(length(min = 1), regex(pattern = r"^s3://"))]
    pub warehouse: Option<String>,
    /// Optional namespace prefix for Floe-created databases.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub database_prefix: Option<String>,
    /// Optional Glue endpoint override for tests or local emulation.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https?://"))]
    pub endpoint_override: Option<String>,
    /// Where the keys come from: `environment`, `workload-identity` (default) or
    /// `kubernetes-secret`.
    #[serde(default)]
    pub credential_mode: CredentialMode,
    /// Kubernetes Secret name for kubernetes-secret mode.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub credential_secret_name: Option<String>,
    /// Kubernetes namespace for credential_secret_name.
    #[serde(default = "crate::aws::credentials::default_namespace")]
    #[schemars(length(min = 1))]
    pub credential_secret_namespace: String,
    /// The Secret's key holding the access key id.
    #[serde(default = "crate::aws::credentials::default_access_key_secret_key")]
    #[schemars(length(min = 1))]
    pub access_key_secret_key: String,
    /// The Secret's key holding the secret access key.
    #[serde(default = "crate::aws::credentials::default_secret_key_secret_key")]
    #[schemars(length(min = 1))]
    pub secret_key_secret_key: String,
    /// The Secret's key holding the session token.
    #[serde(default = "crate::aws::credentials::default_session_token_secret_key")]
    #[schemars(length(min = 1))]
    pub session_token_secret_key: String,
    /// Kubernetes ServiceAccount reference for workload identity.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub service_account_ref: Option<String>,
    /// Whether Glue skips archiving the old table version on an update
    /// (`glue.skip-archive`).
    #[serde(default = "default_true")]
    pub skip_archive: bool,
    /// How many attempts one Glue request gets, the first included (`glue.max-retries`,
    /// botocore's `max_attempts`); unset: 10, as pyiceberg's.
    #[serde(default)]
    #[schemars(range(min = 1))]
    pub max_retries: Option<u64>,
    /// botocore's retry mode (`glue.retry-mode`): `standard` (unset), `adaptive` or
    /// `legacy`; here all three wait the same: 50 ms before the first retry, doubling,
    /// at most 1 s.
    #[serde(default)]
    pub retry_mode: Option<RetryMode>,
}

/// botocore's retry modes: `standard`, `adaptive`, `legacy`.
#[floe_config(serialize)]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
#[allow(missing_docs)] // described on the type: variant docs would make the schema a `oneOf`
pub enum RetryMode {
    Standard,
    Adaptive,
    Legacy,
}

impl RetryMode {
    /// The name botocore and floe use.
    pub fn as_str(self) -> &'static str {
        match self {
            RetryMode::Standard => "standard",
            RetryMode::Adaptive => "adaptive",
            RetryMode::Legacy => "legacy",
        }
    }
}

impl GlueCatalogFields {
    /// The Glue endpoint: `endpoint_override`, else `https://glue.<region>.amazonaws.com`.
    pub fn endpoint(&self) -> String {
        self.endpoint_override
            .clone()
            .unwrap_or_else(|| format!("https://glue.{}.amazonaws.com", self.region))
    }

    /// The attempts of one request: `max_retries`, else 10 (pyiceberg's default). A
    /// request is tried again after a connection failure, a 5xx answer or throttling,
    /// waiting 50 ms, then twice as long each time, at most 1 s.
    pub fn attempts(&self) -> u64 {
        self.max_retries.unwrap_or(10).max(1)
    }
}

/// floe's normalization: a warehouse ends in `/`. (The schema checks the `s3://`.)
fn warehouse<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<String>, D::Error> {
    Ok(Option::<String>::deserialize(deserializer)?
        .map(|w| if w.ends_with('/') { w } else { format!("{w}/") }))
}

fn default_true() -> bool {
    true
}
