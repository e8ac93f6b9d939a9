//! `minio` (storage): MinIO object storage for Iceberg data, as floe-storage-minio
//! 0.1.0a1 has it. The same Iceberg, dbt and Dagster settings as [`crate::s3`] (which
//! older manifests still use), plus the names floe's deployment needs (the credential
//! Secret, the artifact bucket, an external endpoint), keys also from
//! `MINIO_ACCESS_KEY_ID` / `MINIO_SECRET_ACCESS_KEY`, and a health check that lists
//! the bucket.

mod config;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use floe_registry::Secret;
use floe_registry::prelude::*;
use serde_json::{Map, Value, json};

use crate::aws::{Credentials, S3FileIo, S3Location};
use crate::support::environment::Environment;

pub use config::MinioStorageConfig;

/// How long the health check's bucket listing may take.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(4);

/// What to say when the server refuses the keys.
const CREDENTIAL_HINT: &str = "check `access_key_id` and `secret_access_key` in the minio \
     config or its secrets (else MINIO_ACCESS_KEY_ID / MINIO_SECRET_ACCESS_KEY, then \
     AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY)";

/// MinIO object storage plugin for Iceberg data.
///
/// Must be configured ([`MinioStorageConfig`]); before that every method fails with
/// the registry's not-configured error.
#[floe_plugin(
    type = Storage,
    name = "minio",
    version = "0.1.0",
    description = "MinIO object storage plugin for Iceberg data",
    config = MinioStorageConfig
)]
#[derive(Debug, Default)]
pub struct MinioStoragePlugin {
    #[config]
    config: ConfigCell<MinioStorageConfig>,
    /// Where the `MINIO_*` and `AWS_*` variables are read: the process environment
    /// unless a test gave a set.
    environment: Environment,
}

impl MinioStoragePlugin {
    /// A plugin that reads exactly `variables` instead of the process environment,
    /// configured with `config` (or unconfigured).
    pub fn with_variables(config: Option<MinioStorageConfig>, variables: &[(&str, &str)]) -> Self {
        MinioStoragePlugin {
            config: config.map(ConfigCell::with_value).unwrap_or_default(),
            environment: Environment::fixed(variables),
        }
    }

    fn settings(&self) -> Result<Arc<MinioStorageConfig>, PluginError> {
        self.config.get()
    }

    /// The configured secret when non-empty, else the first non-empty variable.
    fn key(&self, configured: Option<&Secret>, variables: [&str; 2]) -> Option<Secret> {
        configured.filter(|s| !s.is_empty()).cloned().or_else(|| {
            variables.iter().find_map(|name| {
                self.environment
                    .var(name)
                    .filter(|v| !v.is_empty())
                    .map(Secret::new)
            })
        })
    }

    /// The access key id and secret: the config's, else `MINIO_ACCESS_KEY_ID` /
    /// `MINIO_SECRET_ACCESS_KEY`, else `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY`,
    /// each looked up on its own (empty counts as unset).
    fn keys(&self, c: &MinioStorageConfig) -> (Option<Secret>, Option<Secret>) {
        (
            self.key(
                c.access_key_id.as_ref(),
                ["MINIO_ACCESS_KEY_ID", "AWS_ACCESS_KEY_ID"],
            ),
            self.key(
                c.secret_access_key.as_ref(),
                ["MINIO_SECRET_ACCESS_KEY", "AWS_SECRET_ACCESS_KEY"],
            ),
        )
    }

    /// `s3.endpoint`, `s3.region`, `s3.path-style-access` and, when found, the keys.
    fn properties(&self) -> Result<BTreeMap<String, String>, PluginError> {
        let c = self.settings()?;
        let mut props = BTreeMap::from([
            ("s3.endpoint".to_owned(), c.endpoint.clone()),
            ("s3.region".to_owned(), c.region.clone()),
            (
                "s3.path-style-access".to_owned(),
                c.path_style_access.to_string(),
            ),
        ]);
        let (key, secret) = self.keys(&c);
        if let Some(key) = key {
            props.insert("s3.access-key-id".to_owned(), key.expose().to_owned());
        }
        if let Some(secret) = secret {
            props.insert(
                "s3.secret-access-key".to_owned(),
                secret.expose().to_owned(),
            );
        }
        Ok(props)
    }

    /// The configured bucket as an [`S3FileIo`], signed with the keys of
    /// [`StoragePlugin::get_fileio_properties`]; anonymous when there are none. Half a
    /// key pair is an error naming the missing half.
    pub fn open_s3(&self) -> Result<S3FileIo, PluginError> {
        let c = self.settings()?;
        let credentials = match self.keys(&c) {
            (Some(k), Some(s)) => Some(Credentials::new(k.expose(), s.expose())),
            (None, None) => None,
            (Some(_), None) => {
                return Err(PluginError::failed(
                    "the minio storage has an access key id but no secret: set \
                     secret_access_key (or MINIO_SECRET_ACCESS_KEY / AWS_SECRET_ACCESS_KEY)",
                ));
            }
            (None, Some(_)) => {
                return Err(PluginError::failed(
                    "the minio storage has a secret access key but no key id: set \
                     access_key_id (or MINIO_ACCESS_KEY_ID / AWS_ACCESS_KEY_ID)",
                ));
            }
        };
        Ok(S3FileIo::new(
            &S3Location {
                endpoint: &c.endpoint,
                bucket: &c.bucket,
                region: &c.region,
                path_style: c.path_style_access,
            },
            credentials,
        )?
        .with_credential_hint(CREDENTIAL_HINT))
    }
}

impl StoragePlugin for MinioStoragePlugin {
    /// The FileIO properties of Iceberg clients: `s3.endpoint`, `s3.region`,
    /// `s3.path-style-access` (`"true"`/`"false"`), and the keys `s3.access-key-id` /
    /// `s3.secret-access-key` (config, else `MINIO_*`, else `AWS_*` variables; omitted
    /// when none is set). The keys are included on purpose: the client needs them.
    fn get_fileio_properties(&self) -> Result<BTreeMap<String, String>, PluginError> {
        self.properties()
    }

    /// The configured bucket, see [`MinioStoragePlugin::open_s3`].
    fn open_fileio(&self) -> Result<Box<dyn FileIo>, PluginError> {
        Ok(Box::new(self.open_s3()?))
    }

    /// `s3://<bucket>/<namespace>/`.
    fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError> {
        Ok(format!("s3://{}/{namespace}/", self.settings()?.bucket))
    }

    /// The dbt-duckdb S3 settings; the keys are read by dbt from the environment
    /// (`{{ env_var("AWS_ACCESS_KEY_ID") }}`), never written into the profile.
    fn get_dbt_profile_config(&self) -> Result<Value, PluginError> {
        let c = self.settings()?;
        Ok(json!({
            "s3_region": c.region,
            "s3_access_key_id": "{{ env_var(\"AWS_ACCESS_KEY_ID\") }}",
            "s3_secret_access_key": "{{ env_var(\"AWS_SECRET_ACCESS_KEY\") }}",
            "s3_endpoint": c.endpoint,
            "s3_path_style_access": c.path_style_access,
        }))
    }

    /// `{"bucket", "endpoint_url", "region_name", "path_style_access"}`.
    fn get_dagster_io_manager_config(&self) -> Result<Value, PluginError> {
        let c = self.settings()?;
        Ok(json!({
            "bucket": c.bucket,
            "endpoint_url": c.endpoint,
            "region_name": c.region,
            "path_style_access": c.path_style_access,
        }))
    }

    /// floe's chart values for a MinIO deployed with the platform (deprecated in floe
    /// in favour of deployment bindings; kept for older callers): the `minio` release
    /// with its credential Secret and the data and artifact buckets, and the S3
    /// storage of `polaris`, by Secret reference, never by value.
    fn get_helm_values_override(&self) -> Result<Value, PluginError> {
        let c = self.settings()?;
        tracing::warn!(
            plugin = "minio",
            "get_helm_values_override() is deprecated in floe 0.1.0a1 (deployment bindings \
             replace it)"
        );
        Ok(json!({
            "minio": {
                "enabled": true,
                "fullnameOverride": "floe-platform-minio",
                "auth": {"existingSecret": c.credential_secret_name},
                "defaultBuckets": format!("{},{}", c.bucket, c.artifact_bucket),
                "provisioning": {"enabled": false, "fallbackJob": true},
            },
            "polaris": {
                "storage": {
                    "s3": {
                        "enabled": true,
                        "endpoint": c.endpoint,
                        "region": c.region,
                        "pathStyleAccess": c.path_style_access,
                        "credentialSecretName": c.credential_secret_name,
                        "accessKeySecretKey": c.access_key_secret_key,
                        "secretKeySecretKey": c.secret_key_secret_key,
                    }
                },
                "bootstrap": {
                    "defaultBaseLocation": format!("s3://{}", c.bucket),
                    "allowedLocations": [format!("s3://{}", c.bucket)],
                },
            },
        }))
    }

    /// The same keys as [`StoragePlugin::get_fileio_properties`], for a PyIceberg
    /// catalog loading tables of this bucket; empty when unconfigured.
    fn get_pyiceberg_catalog_config(&self) -> Map<String, Value> {
        self.properties()
            .map(|props| {
                props
                    .into_iter()
                    .map(|(k, v)| (k, Value::String(v)))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Healthy when the bucket can be listed with the configured keys (within 4 s);
    /// unhealthy when unconfigured, unreachable, the bucket is missing or the keys are
    /// refused, with the reason and its fix.
    fn health_check(&self) -> HealthStatus {
        let c = match self.settings() {
            Ok(c) => c,
            Err(e) => return HealthStatus::unhealthy(crate::error::chain(&e)),
        };
        let checked = self
            .open_s3()
            .and_then(|s3| s3.with_timeout(HEALTH_TIMEOUT).check_bucket());
        match checked {
            Ok(()) => HealthStatus::new(
                HealthState::Healthy,
                format!("bucket '{}' reachable at {}", c.bucket, c.endpoint),
            ),
            Err(e) => HealthStatus::unhealthy(crate::error::chain(&e)),
        }
        .with_detail("bucket", c.bucket.clone())
        .with_detail("endpoint", c.endpoint.clone())
    }
}
