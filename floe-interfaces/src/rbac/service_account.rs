//! Service accounts.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::validation::{DNS_LABEL, FieldError, Validate, pattern};

/// A service account for floe workloads.
///
/// ```
/// use floe_interfaces::rbac::ServiceAccountConfig;
/// let sa = ServiceAccountConfig::new("floe-job-runner", "floe-jobs");
/// let m = sa.to_manifest();
/// assert_eq!(m["kind"], "ServiceAccount");
/// assert_eq!(m["automountServiceAccountToken"], false);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ServiceAccountConfig {
    /// `floe-...`.
    pub name: String,
    /// A DNS label.
    pub namespace: String,
    /// Whether the token is mounted (false).
    #[serde(default)]
    pub automount_token: bool,
    /// Labels (managed by floe).
    #[serde(default = "super::managed_by_floe")]
    pub labels: BTreeMap<String, String>,
    /// Annotations.
    #[serde(default)]
    pub annotations: BTreeMap<String, String>,
}

impl ServiceAccountConfig {
    /// The defaults with a name and namespace.
    pub fn new(name: impl Into<String>, namespace: impl Into<String>) -> Self {
        ServiceAccountConfig {
            name: name.into(),
            namespace: namespace.into(),
            automount_token: false,
            labels: super::managed_by_floe(),
            annotations: BTreeMap::new(),
        }
    }

    /// The ServiceAccount manifest.
    pub fn to_manifest(&self) -> Value {
        json!({
            "apiVersion": "v1",
            "kind": "ServiceAccount",
            "metadata": {
                "name": self.name,
                "namespace": self.namespace,
                "labels": self.labels,
                "annotations": self.annotations,
            },
            "automountServiceAccountToken": self.automount_token,
        })
    }
}

impl Validate for ServiceAccountConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        pattern(errors, path, "name", &self.name, "^floe-[a-z0-9-]+$");
        pattern(errors, path, "namespace", &self.namespace, DNS_LABEL);
    }
}
