//! `aws-s3` (storage): AWS S3 object storage for Iceberg data, as floe-storage-aws-s3
//! 0.1.0a1 has it. The bucket is external (never created); its warehouse lives under
//! `warehouse_prefix`, artifacts under `artifact_prefix` of `artifact_bucket`. The
//! config holds no keys: they come from the credential mode (see
//! [`crate::aws::CredentialMode`]), and the settings handed to Iceberg, dbt and
//! Dagster are secret-free, as floe's are. [`crate::s3`] is the older plugin with keys
//! in the config.

mod config;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use floe_registry::prelude::*;
use serde_json::{Map, Value, json};

use crate::aws::credentials::{self, CredentialSettings};
use crate::aws::{Credentials, S3FileIo, S3Location};
use crate::support::environment::Environment;

pub use config::{AwsS3StorageConfig, AwsS3StorageFields, CreatePolicy};

/// How long the health check's bucket listing may take.
const HEALTH_TIMEOUT: Duration = Duration::from_secs(4);

/// AWS S3 object storage plugin for Iceberg data.
///
/// Must be configured ([`AwsS3StorageConfig`]); before that every method fails with
/// the registry's not-configured error.
#[floe_plugin(
    type = Storage,
    name = "aws-s3",
    version = "0.1.0",
    description = "AWS S3 object storage plugin for Iceberg data",
    config = AwsS3StorageConfig
)]
#[derive(Debug, Default)]
pub struct AwsS3StoragePlugin {
    #[config]
    config: ConfigCell<AwsS3StorageConfig>,
    /// Where the `AWS_*` variables are read: the process environment unless a test
    /// gave a set.
    environment: Environment,
}

/// `s3://<bucket>/<prefix>`, or `s3://<bucket>` for an empty prefix.
fn s3_uri(bucket: &str, prefix: &str) -> String {
    if prefix.is_empty() {
        format!("s3://{bucket}")
    } else {
        format!("s3://{bucket}/{prefix}")
    }
}

impl AwsS3StoragePlugin {
    /// A plugin that reads exactly `variables` instead of the process environment,
    /// configured with `config` (or unconfigured).
    pub fn with_variables(config: Option<AwsS3StorageConfig>, variables: &[(&str, &str)]) -> Self {
        AwsS3StoragePlugin {
            config: config.map(ConfigCell::with_value).unwrap_or_default(),
            environment: Environment::fixed(variables),
        }
    }

    fn settings(&self) -> Result<Arc<AwsS3StorageConfig>, PluginError> {
        self.config.get()
    }

    /// The keys of the configured credential mode, read now (for a workload identity
    /// through IRSA, exchanged at STS now).
    pub fn credentials(&self) -> Result<Credentials, PluginError> {
        let c = self.settings()?;
        credentials::resolve(
            &CredentialSettings {
                mode: c.credential_mode,
                secret_name: c.credential_secret_name.as_deref(),
                secret_namespace: &c.credential_secret_namespace,
                access_key_secret_key: &c.access_key_secret_key,
                secret_key_secret_key: &c.secret_key_secret_key,
                service_account_ref: c.service_account_ref.as_deref(),
                region: &c.region,
                sts_allowed: c.sts_supported,
            },
            &self.environment,
        )
    }

    /// The warehouse bucket as an [`S3FileIo`] on the configured endpoint (AWS's
    /// regional one unless `endpoint_override`), signed with [`Self::credentials`].
    /// Keys are bucket keys (`warehouse/bronze/t/...`), not relative to the prefix.
    pub fn open_s3(&self) -> Result<S3FileIo, PluginError> {
        let c = self.settings()?;
        let credentials = self.credentials()?;
        Ok(S3FileIo::new(
            &S3Location {
                endpoint: &c.endpoint(),
                bucket: &c.bucket,
                region: &c.region,
                path_style: c.path_style_access,
            },
            Some(credentials),
        )?
        .with_credential_hint(credentials::hint(c.credential_mode)))
    }

    /// floe's secret-free PyIceberg properties: `s3.region`; `s3.endpoint` with an
    /// override; `s3.path-style-access` with an override or path-style access.
    fn properties(&self) -> Result<BTreeMap<String, String>, PluginError> {
        let c = self.settings()?;
        let mut props = BTreeMap::from([("s3.region".to_owned(), c.region.clone())]);
        if let Some(endpoint) = &c.endpoint_override {
            props.insert("s3.endpoint".to_owned(), endpoint.clone());
        }
        if c.endpoint_override.is_some() || c.path_style_access {
            props.insert(
                "s3.path-style-access".to_owned(),
                c.path_style_access.to_string(),
            );
        }
        Ok(props)
    }

    /// The warehouse URI of the bucket: `s3://<bucket>/<warehouse_prefix>`.
    pub fn warehouse_uri(&self) -> Result<String, PluginError> {
        let c = self.settings()?;
        Ok(s3_uri(&c.bucket, &c.warehouse_prefix))
    }

    /// The artifact location: `s3://<artifact_bucket>/<artifact_prefix>`.
    pub fn artifact_uri(&self) -> Result<String, PluginError> {
        let c = self.settings()?;
        Ok(s3_uri(c.artifact_bucket(), &c.artifact_prefix))
    }
}

impl StoragePlugin for AwsS3StoragePlugin {
    /// floe's PyIceberg properties, without keys (the FileIO takes them from the
    /// credential mode's environment, as floe's does): `s3.region`, and with
    /// `endpoint_override` `s3.endpoint` and `s3.path-style-access`.
    fn get_fileio_properties(&self) -> Result<BTreeMap<String, String>, PluginError> {
        self.properties()
    }

    /// The warehouse bucket, see [`AwsS3StoragePlugin::open_s3`].
    fn open_fileio(&self) -> Result<Box<dyn FileIo>, PluginError> {
        Ok(Box::new(self.open_s3()?))
    }

    /// `s3://<bucket>/<warehouse_prefix><namespace>/`.
    fn get_warehouse_uri(&self, namespace: &str) -> Result<String, PluginError> {
        let c = self.settings()?;
        Ok(s3_uri(
            &c.bucket,
            &format!("{}{namespace}/", c.warehouse_prefix),
        ))
    }

    /// floe's dbt profile fragment: `s3_region`, `s3_path_style_access`, and
    /// `s3_endpoint` with an override. No keys: dbt-duckdb finds them as the AWS SDKs
    /// do (floe's deployment gives it the environment variables of the mode).
    fn get_dbt_profile_config(&self) -> Result<Value, PluginError> {
        let c = self.settings()?;
        let mut fragment = json!({
            "s3_region": c.region,
            "s3_path_style_access": c.path_style_access,
        });
        if let Some(endpoint) = &c.endpoint_override {
            fragment["s3_endpoint"] = json!(endpoint);
        }
        Ok(fragment)
    }

    /// floe's Dagster resources: `bucket`, `region_name`, `path_style_access`, and
    /// `endpoint_url` with an override.
    fn get_dagster_io_manager_config(&self) -> Result<Value, PluginError> {
        let c = self.settings()?;
        let mut resources = json!({
            "bucket": c.bucket,
            "region_name": c.region,
            "path_style_access": c.path_style_access,
        });
        if let Some(endpoint) = &c.endpoint_override {
            resources["endpoint_url"] = json!(endpoint);
        }
        Ok(resources)
    }

    /// `{}`: AWS S3 is external, nothing to deploy. Needs the config, as floe's does.
    fn get_helm_values_override(&self) -> Result<Value, PluginError> {
        self.settings()?;
        Ok(json!({}))
    }

    /// The same properties as [`StoragePlugin::get_fileio_properties`]; empty when
    /// unconfigured.
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

    /// Healthy when the warehouse bucket can be listed with the credential mode's keys
    /// (within 4 s each for STS and S3); unhealthy when unconfigured, when no keys can
    /// be had, the endpoint is unreachable, the bucket is missing or the keys are
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
                format!("bucket '{}' reachable at {}", c.bucket, c.endpoint()),
            ),
            Err(e) => HealthStatus::unhealthy(crate::error::chain(&e)),
        }
        .with_detail("bucket", c.bucket.clone())
        .with_detail("endpoint", c.endpoint())
        .with_detail("credential_mode", c.credential_mode.as_str())
    }
}
