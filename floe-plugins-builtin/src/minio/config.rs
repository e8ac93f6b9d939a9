//! The configuration of the `minio` plugin: floe-storage-minio 0.1.0a1's
//! `MinIOStorageConfig`, field for field.

use floe_registry::{Secret, floe_config};

/// A MinIO (or other S3-compatible) server and the bucket holding the Iceberg data.
/// Unknown keys are refused, as floe refuses them.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct MinioStorageConfig {
    /// MinIO endpoint URL, e.g. `http://floe-platform-minio:9000`.
    #[schemars(length(min = 1), regex(pattern = r"^https?://"))]
    pub endpoint: String,
    /// Bucket name for data storage.
    #[schemars(length(min = 1))]
    pub bucket: String,
    /// S3-compatible region.
    #[serde(default = "default_region")]
    #[schemars(length(min = 1))]
    pub region: String,
    /// Use path-style access (required for MinIO, LocalStack).
    #[serde(default = "default_true")]
    pub path_style_access: bool,
    /// Bucket for platform artifacts and run outputs.
    #[serde(default = "default_artifact_bucket")]
    #[schemars(length(min = 1))]
    pub artifact_bucket: String,
    /// Kubernetes Secret name holding MinIO credentials.
    #[serde(default = "default_secret_name")]
    #[schemars(length(min = 1))]
    pub credential_secret_name: String,
    /// Kubernetes namespace containing the MinIO credential Secret.
    #[serde(default = "default_namespace")]
    #[schemars(length(min = 1))]
    pub credential_secret_namespace: String,
    /// Secret key containing the MinIO access key.
    #[serde(default = "default_access_key_secret_key")]
    #[schemars(length(min = 1))]
    pub access_key_secret_key: String,
    /// Secret key containing the MinIO secret key.
    #[serde(default = "default_secret_key_secret_key")]
    #[schemars(length(min = 1))]
    pub secret_key_secret_key: String,
    /// Optional endpoint for local tools or users outside the cluster.
    #[serde(default)]
    pub external_endpoint: Option<String>,
    /// Access key ID (falls back to MINIO_ACCESS_KEY_ID, then AWS_ACCESS_KEY_ID).
    #[serde(default)]
    pub access_key_id: Option<Secret>,
    /// Secret access key (falls back to MINIO_SECRET_ACCESS_KEY, then
    /// AWS_SECRET_ACCESS_KEY).
    #[serde(default)]
    pub secret_access_key: Option<Secret>,
}

fn default_region() -> String {
    "us-east-1".to_owned()
}

fn default_true() -> bool {
    true
}

fn default_artifact_bucket() -> String {
    "floe-artifacts".to_owned()
}

fn default_secret_name() -> String {
    "floe-platform-minio-credentials".to_owned()
}

fn default_namespace() -> String {
    "floe-system".to_owned()
}

fn default_access_key_secret_key() -> String {
    "root-user".to_owned()
}

fn default_secret_key_secret_key() -> String {
    "root-password".to_owned()
}
