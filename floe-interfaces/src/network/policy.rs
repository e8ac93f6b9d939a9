//! Network policies.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::rules::{TOO_SHORT, check_labels};
use super::{EgressRule, IngressRule, validate_namespace};
use crate::validation::{FieldError, Validate, join, pattern};

/// Which direction a policy governs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub enum PolicyType {
    /// Traffic in.
    Ingress,
    /// Traffic out.
    Egress,
}

impl PolicyType {
    /// `Ingress` or `Egress`, as Kubernetes writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            PolicyType::Ingress => "Ingress",
            PolicyType::Egress => "Egress",
        }
    }
}

/// The labels of every NetworkPolicy a [`NetworkPolicyConfig`] builds, as floe writes
/// them.
pub const NETWORK_POLICY_LABELS: [(&str, &str); 2] = [
    ("app.kubernetes.io/managed-by", "floe"),
    ("floe.dev/component", "network-security"),
];

/// A network policy for floe pods.
///
/// ```
/// use floe_interfaces::{Validate, from_value, network::NetworkPolicyConfig};
/// let policy: NetworkPolicyConfig = from_value(serde_json::json!({
///     "name": "floe-jobs-egress", "namespace": "floe-jobs", "policy_types": ["Egress"],
///     "egress_rules": [{"to_cidr": "10.0.0.0/8", "ports": [{"port": 5432}]}]
/// })).unwrap();
/// assert_eq!(policy.egress_rules.len(), 1);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkPolicyConfig {
    /// `floe-...`.
    pub name: String,
    /// The namespace.
    pub namespace: String,
    /// Labels of the pods it applies to (all when empty).
    #[serde(default)]
    pub pod_selector: BTreeMap<String, String>,
    /// Directions (at least one).
    pub policy_types: Vec<PolicyType>,
    /// Allowed traffic in.
    #[serde(default)]
    pub ingress_rules: Vec<IngressRule>,
    /// Allowed traffic out.
    #[serde(default)]
    pub egress_rules: Vec<EgressRule>,
}

impl NetworkPolicyConfig {
    /// The Kubernetes NetworkPolicy (`networking.k8s.io/v1`), as floe's model builds it:
    ///
    /// * `metadata`: the name, the namespace and the labels [`NETWORK_POLICY_LABELS`]
    ///   (`app.kubernetes.io/managed-by: floe`, `floe.dev/component: network-security`);
    /// * `spec.podSelector`: `{"matchLabels": pod_selector}`, or `{}` (every pod) when
    ///   the selector is empty;
    /// * `spec.policyTypes`: the config's `policy_types`, as given;
    /// * `spec.ingress` when `Ingress` is a policy type and `spec.egress` when `Egress`
    ///   is, each the list of its rules ([`IngressRule::to_manifest`],
    ///   [`EgressRule::to_manifest`]), empty when there are none (deny all).
    ///
    /// The config is not validated here; call [`Validate::validate`] first.
    ///
    /// ```
    /// use floe_interfaces::{from_value, network::NetworkPolicyConfig};
    /// let policy: NetworkPolicyConfig = from_value(serde_json::json!({
    ///     "name": "floe-jobs-egress", "namespace": "floe-jobs", "policy_types": ["Egress"],
    ///     "egress_rules": [{"to_cidr": "10.0.0.0/8", "ports": [{"port": 5432}]}]
    /// })).unwrap();
    /// let manifest = policy.to_manifest();
    /// assert_eq!(manifest["kind"], "NetworkPolicy");
    /// assert_eq!(
    ///     manifest["spec"]["egress"][0],
    ///     serde_json::json!({"to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}], "ports": [{"port": 5432, "protocol": "TCP"}]})
    /// );
    /// ```
    pub fn to_manifest(&self) -> Value {
        let labels: serde_json::Map<String, Value> = NETWORK_POLICY_LABELS
            .iter()
            .map(|(k, v)| ((*k).to_owned(), Value::String((*v).to_owned())))
            .collect();
        let pod_selector = if self.pod_selector.is_empty() {
            json!({})
        } else {
            json!({"matchLabels": self.pod_selector})
        };
        let mut spec = serde_json::Map::new();
        spec.insert("podSelector".into(), pod_selector);
        spec.insert(
            "policyTypes".into(),
            self.policy_types.iter().map(|t| t.as_str()).collect(),
        );
        if self.policy_types.contains(&PolicyType::Ingress) {
            let rules = self.ingress_rules.iter().map(IngressRule::to_manifest);
            spec.insert("ingress".into(), rules.collect());
        }
        if self.policy_types.contains(&PolicyType::Egress) {
            let rules = self.egress_rules.iter().map(EgressRule::to_manifest);
            spec.insert("egress".into(), rules.collect());
        }
        json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": self.name, "namespace": self.namespace, "labels": labels},
            "spec": spec,
        })
    }
}

impl Validate for NetworkPolicyConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        pattern(errors, path, "name", &self.name, "^floe-[a-z0-9-]+$");
        if let Err(e) = validate_namespace(&self.namespace) {
            errors.push(FieldError::new(join(path, "namespace"), e));
        }
        check_labels(&self.pod_selector, &join(path, "pod_selector"), errors);
        if self.policy_types.is_empty() {
            errors.push(FieldError::new(join(path, "policy_types"), TOO_SHORT));
        }
        for (i, r) in self.ingress_rules.iter().enumerate() {
            r.check(&join(path, &format!("ingress_rules.{i}")), errors);
        }
        for (i, r) in self.egress_rules.iter().enumerate() {
            r.check(&join(path, &format!("egress_rules.{i}")), errors);
        }
    }
}
