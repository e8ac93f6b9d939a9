//! The configuration of the `s3` plugin.

use floe_registry::{Secret, floe_config};

/// An S3-compatible bucket (AWS S3, MinIO, ...) holding the Iceberg data.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct S3StorageConfig {
    /// The S3 API endpoint, e.g. `http://floe-platform-minio:9000`.
    #[schemars(length(min = 1))]
    pub endpoint: String,
    /// The bucket.
    #[schemars(length(min = 1))]
    pub bucket: String,
    /// The region.
    #[serde(default = "default_region")]
    #[schemars(length(min = 1))]
    pub region: String,
    /// Address buckets as `<endpoint>/<bucket>` (MinIO) instead of `<bucket>.<endpoint>`.
    #[serde(default = "default_path_style")]
    pub path_style_access: bool,
    /// Access key id. Unset or empty: `$AWS_ACCESS_KEY_ID`.
    #[serde(default)]
    pub access_key_id: Option<Secret>,
    /// Secret access key. Unset or empty: `$AWS_SECRET_ACCESS_KEY`.
    #[serde(default)]
    pub secret_access_key: Option<Secret>,
}

fn default_region() -> String {
    "us-east-1".to_owned()
}

fn default_path_style() -> bool {
    true
}
