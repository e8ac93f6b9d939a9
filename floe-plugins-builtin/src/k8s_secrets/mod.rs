//! `k8s`: secrets stored as Kubernetes Secrets (core/v1) in one namespace.
//!
//! `startup()` finds the API server: the kubeconfig of `kubeconfig_path`, else the
//! in-cluster service account (`service_account_dir`: `token`, re-read at each request
//! because it rotates, and `ca.crt`), else `$KUBECONFIG` / `~/.kube/config`. Kubeconfig
//! users may authenticate with a token, a token file or a client certificate.
//!
//! Key `name` is data key `value` of the Secret `<secret_prefix>name`; `name/key` is
//! data key `key` of it. Values are base64-encoded in the Secret's `data`, as
//! Kubernetes requires. `set_secret` creates the Secret (with the configured labels)
//! or updates that one key, keeping the others.

mod api;
mod auth;
mod config;
mod error;
mod keys;
mod transport;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as BASE64;
use floe_registry::prelude::*;
use serde_json::{Map, Value, json};

pub use self::config::K8sSecretsConfig;
pub use self::error::SecretsError;

use self::api::{SecretApi, Write};
use self::keys::{Location, locate};

/// How many times `set_secret` re-reads and re-writes a Secret that changed under it.
const WRITE_ATTEMPTS: usize = 3;

/// Kubernetes Secrets backend for floe platform.
#[floe_plugin(
    type = Secrets,
    name = "k8s",
    version = "0.1.0",
    config = K8sSecretsConfig,
    description = "Kubernetes Secrets backend for floe platform"
)]
#[derive(Default)]
pub struct K8sSecretsPlugin {
    #[config]
    config: ConfigCell<K8sSecretsConfig>,
    api: RwLock<Option<Arc<SecretApi>>>,
}

impl std::fmt::Debug for K8sSecretsPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("K8sSecretsPlugin")
            .field("configured", &self.config.is_set())
            .field("started", &self.current().is_some())
            .finish()
    }
}

impl K8sSecretsPlugin {
    fn current(&self) -> Option<Arc<SecretApi>> {
        self.api
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn started(&self) -> Result<(Arc<K8sSecretsConfig>, Arc<SecretApi>), PluginError> {
        let config = self.config.get()?;
        let api = self.current().ok_or_else(|| SecretsError::Unavailable {
            endpoint: None,
            reason: Some("Plugin not initialized - call startup() first".to_owned()),
        })?;
        Ok((config, api))
    }
}

/// The decoded text of `data[data_key]` of a Secret object.
fn decode_value(secret: &Value, loc: &Location) -> Result<Option<Secret>, SecretsError> {
    let Some(encoded) = secret
        .get("data")
        .and_then(|d| d.get(&loc.data_key))
        .and_then(Value::as_str)
    else {
        return Ok(None);
    };
    let bad = |what: &str| SecretsError::Invalid {
        message: format!(
            "data key '{}' of secret '{}' is not {what}",
            loc.data_key, loc.secret
        ),
    };
    let bytes = BASE64
        .decode(encoded.trim())
        .map_err(|_| bad("valid base64"))?;
    let text = String::from_utf8(bytes).map_err(|_| bad("UTF-8 text"))?;
    Ok(Some(Secret::new(text)))
}

/// A new Secret object holding one key.
fn new_secret(
    namespace: &str,
    loc: &Location,
    value: &Secret,
    labels: &BTreeMap<String, String>,
    annotations: &Map<String, Value>,
) -> Value {
    let mut metadata = json!({ "name": loc.secret, "namespace": namespace, "labels": labels });
    if !annotations.is_empty() {
        metadata["annotations"] = Value::Object(annotations.clone());
    }
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": metadata,
        "type": "Opaque",
        "data": { loc.data_key.clone(): BASE64.encode(value.expose()) }
    })
}

/// Sets one key of an existing Secret object, merging labels and annotations.
fn update_secret(
    secret: &mut Value,
    loc: &Location,
    value: &Secret,
    labels: &BTreeMap<String, String>,
    annotations: &Map<String, Value>,
) {
    let Some(object) = secret.as_object_mut() else {
        return;
    };
    let object_field = |object: &mut Map<String, Value>, key: &str| {
        let entry = object.entry(key.to_owned()).or_insert_with(|| json!({}));
        if !entry.is_object() {
            *entry = json!({});
        }
    };
    object_field(object, "data");
    object_field(object, "metadata");
    if let Some(data) = object.get_mut("data").and_then(Value::as_object_mut) {
        data.insert(
            loc.data_key.clone(),
            Value::String(BASE64.encode(value.expose())),
        );
    }
    if let Some(metadata) = object.get_mut("metadata").and_then(Value::as_object_mut) {
        object_field(metadata, "labels");
        if let Some(l) = metadata.get_mut("labels").and_then(Value::as_object_mut) {
            for (k, v) in labels {
                l.insert(k.clone(), Value::String(v.clone()));
            }
        }
        if !annotations.is_empty() {
            object_field(metadata, "annotations");
            if let Some(a) = metadata
                .get_mut("annotations")
                .and_then(Value::as_object_mut)
            {
                a.extend(annotations.clone());
            }
        }
    }
}

impl SecretsPlugin for K8sSecretsPlugin {
    /// The value of a key; `None` when the Secret or its data key does not exist.
    fn get_secret(&self, key: &str) -> Result<Option<Secret>, PluginError> {
        let (config, api) = self.started()?;
        let loc = locate(key, &config.secret_prefix)?;
        let value = match api.get(&loc.secret)? {
            Some(secret) => decode_value(&secret, &loc)?,
            None => None,
        };
        tracing::info!(plugin = self.name(), operation = "GET", namespace = api.namespace(), secret = %loc.secret, found = value.is_some(), "secret_access");
        Ok(value)
    }

    /// Creates the Secret with the configured labels, or updates that one key of it
    /// (other keys kept, labels merged); each metadata item becomes the annotation
    /// `floe.dev/<k>`.
    fn set_secret(
        &self,
        key: &str,
        value: &Secret,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let (config, api) = self.started()?;
        let loc = locate(key, &config.secret_prefix)?;
        let annotations: Map<String, Value> = metadata
            .iter()
            .map(|(k, v)| (format!("floe.dev/{k}"), Value::String(v.clone())))
            .collect();
        for _ in 0..WRITE_ATTEMPTS {
            let (outcome, action) = match api.get(&loc.secret)? {
                Some(mut existing) => {
                    update_secret(&mut existing, &loc, value, &config.labels, &annotations);
                    (api.replace(&loc.secret, &existing)?, "updated")
                }
                None => {
                    let fresh =
                        new_secret(api.namespace(), &loc, value, &config.labels, &annotations);
                    (api.create(&loc.secret, &fresh)?, "created")
                }
            };
            if outcome == Write::Done {
                tracing::info!(plugin = self.name(), operation = "SET", namespace = api.namespace(), secret = %loc.secret, action, "secret_access");
                return Ok(());
            }
        }
        Err(SecretsError::Unavailable {
            endpoint: Some(api.server().to_owned()),
            reason: Some(format!(
                "secret '{}' kept changing during the update; gave up after {WRITE_ATTEMPTS} attempts",
                loc.secret
            )),
        }
        .into())
    }

    /// `<name>/<data key>` of every key of the Secrets that carry the configured labels
    /// and the name prefix, starting with `prefix`, sorted.
    fn list_secrets(&self, prefix: &str) -> Result<Vec<String>, PluginError> {
        let (config, api) = self.started()?;
        let selector = config
            .labels
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect::<Vec<_>>()
            .join(",");
        let items = api.list(&selector, None)?;
        let mut keys: Vec<String> = items
            .iter()
            .filter_map(|item| {
                let name = item.get("metadata")?.get("name")?.as_str()?;
                let logical = name.strip_prefix(config.secret_prefix.as_str())?;
                let data = item.get("data")?.as_object()?;
                Some(
                    data.keys()
                        .map(|k| format!("{logical}/{k}"))
                        .collect::<Vec<_>>(),
                )
            })
            .flatten()
            .filter(|k| k.starts_with(prefix))
            .collect();
        keys.sort();
        keys.dedup();
        tracing::info!(
            plugin = self.name(),
            operation = "LIST",
            namespace = api.namespace(),
            count = keys.len(),
            "secret_access"
        );
        Ok(keys)
    }

    /// Lists at most one Secret of the namespace.
    fn health_check(&self) -> HealthStatus {
        let Some(api) = self.current() else {
            return HealthStatus::unhealthy("Plugin not initialized - call startup() first");
        };
        match api.list("", Some(1)) {
            Ok(_) => HealthStatus::new(
                HealthState::Healthy,
                format!("Connected to K8s API, namespace: {}", api.namespace()),
            ),
            Err(e) => HealthStatus::unhealthy(format!(
                "K8s API check failed: {}",
                crate::error::chain(&e)
            )),
        }
    }

    /// Resolves the API server and credentials (replacing an earlier connection).
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.config.get()?;
        let conn = auth::resolve(&config).map_err(|reason| SecretsError::Unavailable {
            endpoint: None,
            reason: Some(reason),
        })?;
        tracing::info!(plugin = self.name(), server = %conn.server, source = %conn.source, "k8s_connected");
        let api = SecretApi::new(conn, config.namespace.clone());
        *self
            .api
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner) = Some(Arc::new(api));
        Ok(())
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        self.api
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        Ok(())
    }
}
