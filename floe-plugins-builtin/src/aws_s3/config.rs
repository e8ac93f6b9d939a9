//! The configuration of the `aws-s3` plugin: floe-storage-aws-s3 0.1.0a1's
//! `AwsS3ObjectStoreConfig`, field for field, with its validators: prefixes
//! normalized to `""` or `prefix/`, `artifact_bucket` defaulting to `bucket`, and the
//! credential-mode rules of [`crate::aws::CredentialMode`] (checked, as floe checks
//! them, once every field is valid).

use std::ops::Deref;

use floe_registry::floe_config;
use serde::{Deserialize, Deserializer};

use crate::aws::CredentialMode;
use crate::aws::credentials::check_references;

/// An AWS S3 bucket holding the Iceberg data. Raw keys are not accepted: credentials
/// come from the environment, a Kubernetes Secret or a workload identity
/// (`credential_mode`: `workload-identity`, the default, needs `service_account_ref`;
/// `kubernetes-secret` needs `credential_secret_name`; `environment` takes neither).
/// Unknown keys are refused, as floe refuses them.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(try_from = "AwsS3StorageFields")]
pub struct AwsS3StorageConfig(AwsS3StorageFields);

impl TryFrom<AwsS3StorageFields> for AwsS3StorageConfig {
    type Error = String;

    fn try_from(fields: AwsS3StorageFields) -> Result<Self, String> {
        check_references(
            fields.credential_mode,
            fields.credential_secret_name.as_deref(),
            fields.service_account_ref.as_deref(),
        )?;
        Ok(AwsS3StorageConfig(fields))
    }
}

impl Deref for AwsS3StorageConfig {
    type Target = AwsS3StorageFields;

    fn deref(&self) -> &AwsS3StorageFields {
        &self.0
    }
}

/// The fields of an [`AwsS3StorageConfig`], each checked on its own; the config is
/// these once floe's credential-mode rules passed, and reads them through `Deref`
/// (`config.bucket`).
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
#[schemars(title = "AwsS3StorageConfig")]
pub struct AwsS3StorageFields {
    /// Warehouse bucket name.
    #[schemars(length(min = 1))]
    pub bucket: String,
    /// Warehouse prefix within the bucket (normalized to `""` or `prefix/`).
    #[serde(default = "default_warehouse_prefix", deserialize_with = "prefix")]
    pub warehouse_prefix: String,
    /// Artifact bucket. Defaults to bucket when unset.
    #[serde(default)]
    #[schemars(length(min = 1))]
    pub artifact_bucket: Option<String>,
    /// Artifact prefix within artifact_bucket (normalized like `warehouse_prefix`).
    #[serde(default = "default_artifact_prefix", deserialize_with = "prefix")]
    pub artifact_prefix: String,
    /// AWS region.
    #[schemars(length(min = 1))]
    pub region: String,
    /// Optional S3 endpoint override for local emulation.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https?://"))]
    pub endpoint_override: Option<String>,
    /// Use path-style access. False for native AWS S3.
    #[serde(default)]
    pub path_style_access: bool,
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
    /// Whether floe may create the buckets: `must-exist` (default) or `never-create`.
    #[serde(default)]
    pub create_policy: CreatePolicy,
    /// Whether temporary (STS) credentials may be used: with `false`, a workload
    /// identity that needs STS (IRSA) is refused.
    #[serde(default = "default_true")]
    pub sts_supported: bool,
}

/// Whether floe may create the buckets (it never does for AWS S3: they are external):
/// `must-exist` (the default) or `never-create`.
#[floe_config(serialize)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // described on the type: variant docs would make the schema a `oneOf`
pub enum CreatePolicy {
    #[default]
    MustExist,
    NeverCreate,
}

impl AwsS3StorageFields {
    /// The artifact bucket: `artifact_bucket`, else `bucket`.
    pub fn artifact_bucket(&self) -> &str {
        self.artifact_bucket.as_deref().unwrap_or(&self.bucket)
    }

    /// The S3 endpoint: `endpoint_override`, else `https://s3.<region>.amazonaws.com`.
    pub fn endpoint(&self) -> String {
        self.endpoint_override
            .clone()
            .unwrap_or_else(|| format!("https://s3.{}.amazonaws.com", self.region))
    }
}

/// A prefix as floe normalizes it: `/` trimmed from both ends, then `""` or
/// `prefix/`.
pub(crate) fn normalize_prefix(value: &str) -> String {
    let trimmed = value.trim_matches('/');
    if trimmed.is_empty() {
        String::new()
    } else {
        format!("{trimmed}/")
    }
}

fn prefix<'de, D: Deserializer<'de>>(deserializer: D) -> Result<String, D::Error> {
    String::deserialize(deserializer).map(|v| normalize_prefix(&v))
}

fn default_warehouse_prefix() -> String {
    "warehouse/".to_owned()
}

fn default_artifact_prefix() -> String {
    "artifacts/".to_owned()
}

fn default_true() -> bool {
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn prefixes_are_normalized_as_floe_does() {
        assert_eq!(normalize_prefix("warehouse"), "warehouse/");
        assert_eq!(normalize_prefix("/a/b//"), "a/b/");
        assert_eq!(normalize_prefix("///"), "");
        assert_eq!(normalize_prefix(""), "");
    }
}
