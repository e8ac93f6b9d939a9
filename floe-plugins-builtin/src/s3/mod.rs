//! `s3` (storage): S3-compatible object storage for Iceberg data. Hands Iceberg
//! clients, dbt and Dagster the settings they need to read and write the bucket, and
//! opens the bucket itself ([`S3FileIo`]: read, write, list, delete).
//!
//! `s3` is the storage of floe's older manifests (`storage: {type: s3}`), kept so they
//! still work. Published floe 0.1.0a1 replaced it by two plugins, also built in here:
//! [`minio`](crate::minio) (`storage: minio`, the same fields and behaviour for MinIO
//! and other S3-compatible servers, plus the Kubernetes Secret and artifact-bucket
//! settings, keys also from `MINIO_ACCESS_KEY_ID` / `MINIO_SECRET_ACCESS_KEY`) and
//! [`aws_s3`](crate::aws_s3) (`storage: aws-s3`, AWS S3 itself: no raw keys in the
//! config, floe's credential modes, warehouse and artifact prefixes). New manifests
//! should choose one of those; all three share the S3 client of [`crate::aws`].

mod config;

use std::collections::BTreeMap;
use std::net::{TcpStream, ToSocketAddrs};
use std::time::Duration;

use floe_registry::Secret;
use floe_registry::prelude::*;
use serde_json::{Value, json};

use crate::aws::Credentials;
use crate::support::environment::Environment;

pub use crate::aws::{REQUEST_TIMEOUT, S3FileIo, S3Location};
pub use config::S3StorageConfig;

/// How long the health check waits for the endpoint's TCP connection.
const HEALTH_CONNECT_TIMEOUT: Duration = Duration::from_secs(3);

/// S3-compatible object storage plugin for Iceberg data.
///
/// Must be configured ([`S3StorageConfig`]); before that every method that needs the
/// config fails with the registry's not-configured error.
#[floe_plugin(
    type = Storage,
    name = "s3",
    version = "0.1.0",
    description = "S3-compatible object storage plugin for Iceberg data",
    config = S3StorageConfig
)]
#[derive(Debug, Default)]
pub struct S3StoragePlugin {
    #[config]
    config: ConfigCell<S3StorageConfig>,
    /// Where the `AWS_*` variables are read: the process environment unless a test gave
    /// a set.
    environment: Environment,
}

impl S3StoragePlugin {
    /// A plugin that reads exactly `variables` instead of the process environment,
    /// configured with `config` (or unconfigured): tests give their variables this way
    /// instead of changing the process environment.
    pub fn with_variables(config: Option<S3StorageConfig>, variables: &[(&str, &str)]) -> Self {
        S3StoragePlugin {
            config: config.map(ConfigCell::with_value).unwrap_or_default(),
            environment: Environment::fixed(variables),
        }
    }

    /// A configured secret when non-empty, else the environment variable when non-empty.
    fn secret_or_env(&self, configured: Option<&Secret>, var: &str) -> Option<Secret> {
        configured.filter(|s| !s.is_empty()).cloned().or_else(|| {
            self.environment
                .var(var)
                .filter(|v| !v.is_empty())
                .map(Secret::new)
        })
    }

    fn settings(&self) -> Result<std::sync::Arc<S3StorageConfig>, PluginError> {
        self.config.get()
    }

    /// The configured bucket as an [`S3FileIo`]: the endpoint, region and
    /// path-style setting of the config, signed with its `access_key_id` /
    /// `secret_access_key` (which a secrets plugin may supply), else with
    /// `$AWS_ACCESS_KEY_ID` / `$AWS_SECRET_ACCESS_KEY`; anonymous when neither is set.
    pub fn open_s3(&self) -> Result<S3FileIo, PluginError> {
        let c = self.settings()?;
        let key = self.secret_or_env(c.access_key_id.as_ref(), "AWS_ACCESS_KEY_ID");
        let secret = self.secret_or_env(c.secret_access_key.as_ref(), "AWS_SECRET_ACCESS_KEY");
        let credentials = match (&key, &secret) {
            (Some(k), Some(s)) => Some(Credentials::new(k.expose(), s.expose())),
            (None, None) => None,
            _ => {
                return Err(PluginError::failed(
                    "the S3 storage has only half a key pair: set both access_key_id and \
                     secret_access_key (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY)",
                ));
            }
        };
        S3FileIo::new(
            &S3Location {
                endpoint: &c.endpoint,
                bucket: &c.bucket,
                region: &c.region,
                path_style: c.path_style_access,
            },
            credentials,
        )
    }

    /// The `host:port` of the endpoint (port from the scheme when absent: 443 for
    /// `https`, else 80).
    fn endpoint_address(endpoint: &str) -> Result<(String, u16), String> {
        let (scheme, rest) = endpoint.split_once("://").unwrap_or(("http", endpoint));
        let default_port = if scheme.eq_ignore_ascii_case("https") {
            443
        } else {
            80
        };
        let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
        let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
        let (host, port) = if let Some(v6) = authority.strip_prefix('[') {
            let (host, after) = v6
                .split_once(']')
                .ok_or_else(|| format!("invalid S3 endpoint '{endpoint}': unclosed '['"))?;
            (host, after.strip_prefix(':'))
        } else {
            match authority.rsplit_once(':') {
                Some((h, p)) => (h, Some(p)),
                None => (authority, None),
            }
        };
        if host.is_empty() {
            return Err(format!("invalid S3 endpoint '{endpoint}': no host"));
        }
        let port = match port {
            None => default_port,
            Some(p) => p.parse::<u16>().map_err(|_| {
                format!("invalid S3 endpoint '{endpoint}': port '{p}' is not a number")
            })?,
        };
        Ok((host.to_owned(), port))
    }
}

impl StoragePlugin for S3StoragePlugin {
    /// The FileIO properties of Iceberg clients: `s3.endpoint`, `s3.region`,
    /// `s3.path-style-access` (`"true"`/`"false"`), and the credentials
    /// `s3.access-key-id` / `s3.secret-access-key` (config value, else
    /// `$AWS_ACCESS_KEY_ID` / `$AWS_SECRET_ACCESS_KEY`, omitted when empty). The
    /// credentials are included on purpose: the client needs them.
    fn get_fileio_properties(&self) -> Result<BTreeMap<String, String>, PluginError> {
        let c = self.settings()?;
        let mut props = BTreeMap::from([
            ("s3.endpoint".to_owned(), c.endpoint.clone()),
            ("s3.region".to_owned(), c.region.clone()),
            (
                "s3.path-style-access".to_owned(),
                c.path_style_access.to_string(),
            ),
        ]);
        if let Some(key) = self.secret_or_env(c.access_key_id.as_ref(), "AWS_ACCESS_KEY_ID") {
            props.insert("s3.access-key-id".to_owned(), key.expose().to_owned());
        }
        if let Some(secret) =
            self.secret_or_env(c.secret_access_key.as_ref(), "AWS_SECRET_ACCESS_KEY")
        {
            props.insert(
                "s3.secret-access-key".to_owned(),
                secret.expose().to_owned(),
            );
        }
        Ok(props)
    }

    /// The configured bucket, see [`S3StoragePlugin::open_s3`] (which also lists).
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

    /// `{}`: the bucket is external, nothing to deploy. Works unconfigured.
    fn get_helm_values_override(&self) -> Result<Value, PluginError> {
        Ok(json!({}))
    }

    /// Unhealthy when unconfigured or when the endpoint does not accept a TCP
    /// connection within 3 s; healthy when it does (credentials are not checked).
    fn health_check(&self) -> HealthStatus {
        let c = match self.settings() {
            Ok(c) => c,
            Err(e) => return HealthStatus::unhealthy(crate::error::chain(&e)),
        };
        let (host, port) = match Self::endpoint_address(&c.endpoint) {
            Ok(hp) => hp,
            Err(e) => return HealthStatus::unhealthy(e),
        };
        let addrs = match (host.as_str(), port).to_socket_addrs() {
            Ok(a) => a,
            Err(e) => {
                return HealthStatus::unhealthy(format!(
                    "cannot resolve S3 endpoint host '{host}': {e}"
                ));
            }
        };
        let mut reason = "the host resolved to no address".to_owned();
        for addr in addrs {
            match TcpStream::connect_timeout(&addr, HEALTH_CONNECT_TIMEOUT) {
                Ok(_) => {
                    return HealthStatus::new(
                        HealthState::Healthy,
                        format!("S3 endpoint reachable at {host}:{port}"),
                    )
                    .with_detail("bucket", c.bucket.clone());
                }
                Err(e) => reason = crate::error::chain(&e),
            }
        }
        HealthStatus::unhealthy(format!(
            "cannot connect to S3 endpoint {host}:{port}: {reason}"
        ))
    }
}
