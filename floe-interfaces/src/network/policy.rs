//! Network policies.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::rules::check_labels;
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

impl Validate for NetworkPolicyConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        pattern(errors, path, "name", &self.name, "^floe-[a-z0-9-]+$");
        if let Err(e) = validate_namespace(&self.namespace) {
            errors.push(FieldError::new(join(path, "namespace"), e));
        }
        check_labels(&self.pod_selector, &join(path, "pod_selector"), errors);
        if self.policy_types.is_empty() {
            errors.push(FieldError::new(
                join(path, "policy_types"),
                "List should have at least 1 item",
            ));
        }
        for (i, r) in self.ingress_rules.iter().enumerate() {
            r.check(&join(path, &format!("ingress_rules.{i}")), errors);
        }
        for (i, r) in self.egress_rules.iter().enumerate() {
            r.check(&join(path, &format!("egress_rules.{i}")), errors);
        }
    }
}
