//! The k8s secrets plugin's configuration.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use floe_registry::floe_config;
use floe_registry::schemars;

/// Where the Kubernetes Secrets live and how to reach the API server.
#[floe_config]
#[derive(Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct K8sSecretsConfig {
    /// The namespace of the secrets (a DNS label).
    #[serde(default = "default_namespace")]
    #[schemars(
        length(min = 1, max = 63),
        regex(pattern = r"^[a-z0-9]([a-z0-9-]*[a-z0-9])?$")
    )]
    pub namespace: String,
    /// A kubeconfig file (`~` expanded). When absent: the in-cluster service account,
    /// else `$KUBECONFIG` or `~/.kube/config`.
    #[serde(default)]
    pub kubeconfig_path: Option<String>,
    /// The kubeconfig context; its `current-context` when absent.
    #[serde(default)]
    pub context: Option<String>,
    /// Labels put on created secrets and used as the label selector of `list_secrets`
    /// (keys up to 253 characters, values up to 63).
    #[serde(default = "default_labels")]
    #[schemars(schema_with = "labels_schema")]
    pub labels: BTreeMap<String, String>,
    /// Prefix of the Kubernetes Secret names: key `db/password` is data key `password`
    /// of the Secret `<secret_prefix>db`; `list_secrets` only sees Secrets with it.
    #[serde(default = "default_prefix")]
    #[schemars(length(max = 50), regex(pattern = r"^([a-z0-9][a-z0-9.-]*)?$"))]
    pub secret_prefix: String,
    /// The service account directory (`token`, `ca.crt`) used in-cluster.
    #[serde(default = "default_service_account_dir")]
    pub service_account_dir: String,
    /// The API server URL; overrides `https://$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT`
    /// in-cluster and the kubeconfig cluster's `server`.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https?://"))]
    pub api_server: Option<String>,
    /// Seconds each request to the API server may take.
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.1, max = 300.0))]
    pub timeout_seconds: f64,
}

impl K8sSecretsConfig {
    /// The request timeout.
    pub fn timeout(&self) -> Duration {
        Duration::from_secs_f64(self.timeout_seconds.clamp(0.1, 300.0))
    }

    /// `kubeconfig_path` with a leading `~` expanded.
    pub fn kubeconfig(&self) -> Option<PathBuf> {
        self.kubeconfig_path.as_deref().map(expand_home)
    }
}

/// `~` and `~/...` with the home directory.
pub(crate) fn expand_home(path: &str) -> PathBuf {
    let home = std::env::var_os("HOME");
    match (path.strip_prefix('~'), home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            PathBuf::from(home).join(rest.trim_start_matches('/'))
        }
        _ => PathBuf::from(path),
    }
}

fn default_namespace() -> String {
    "floe-jobs".to_owned()
}
fn default_labels() -> BTreeMap<String, String> {
    BTreeMap::from([("managed-by".to_owned(), "floe".to_owned())])
}
fn default_prefix() -> String {
    "floe-".to_owned()
}
fn default_service_account_dir() -> String {
    "/var/run/secrets/kubernetes.io/serviceaccount".to_owned()
}
fn default_timeout() -> f64 {
    30.0
}

fn labels_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
    schemars::json_schema!({
        "type": "object",
        "propertyNames": { "minLength": 1, "maxLength": 253 },
        "additionalProperties": { "type": "string", "maxLength": 63 },
        "default": { "managed-by": "floe" }
    })
}
