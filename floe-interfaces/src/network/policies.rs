//! The network policy settings of a platform: floe's security-section
//! `NetworkPoliciesConfig` and its egress allow-list entries.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::rules::{EXACTLY_ONE, check_port};
use super::{Protocol, validate_cidr, validate_namespace};
use crate::validation::{FieldError, Validate, join};

/// One extra egress destination a namespace's pods may reach: a namespace or a CIDR
/// (exactly one) on one port.
///
/// ```
/// use floe_interfaces::{from_value, network::EgressAllowRule};
/// let rule: EgressAllowRule = from_value(serde_json::json!({
///     "name": "warehouse", "to_cidr": "10.20.0.0/16", "port": 5432
/// })).unwrap();
/// assert_eq!(rule.protocol.as_str(), "TCP");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EgressAllowRule {
    /// What the rule is for (documentation only).
    pub name: String,
    /// The destination namespace.
    #[serde(default)]
    pub to_namespace: Option<String>,
    /// The destination CIDR.
    #[serde(default)]
    pub to_cidr: Option<String>,
    /// The port, 1 to 65535.
    pub port: i64,
    /// Its protocol.
    #[serde(default)]
    pub protocol: Protocol,
}

impl Validate for EgressAllowRule {
    /// floe's order: the namespace, the port; then, only when both hold, the target
    /// rule and the CIDR, both reported at the rule itself (floe checks the CIDR in its
    /// model validator, not on the field).
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        let before = errors.len();
        if let Some(ns) = &self.to_namespace
            && let Err(e) = validate_namespace(ns)
        {
            errors.push(FieldError::new(join(path, "to_namespace"), e));
        }
        check_port(self.port, &join(path, "port"), errors);
        if errors.len() != before {
            return;
        }
        if self.to_namespace.is_some() == self.to_cidr.is_some() {
            errors.push(FieldError::new(path, EXACTLY_ONE));
        } else if let Some(c) = &self.to_cidr
            && let Err(e) = validate_cidr(c)
        {
            errors.push(FieldError::new(path, e));
        }
    }
}

/// Whether and how network policies are generated for the floe namespaces.
///
/// This is the *security* settings model. floe has a second model of the same name in
/// its governance section (`enabled` false, `default_deny` true, `custom_egress_rules`);
/// this one is enabled by default.
///
/// ```
/// use floe_interfaces::network::NetworkPoliciesConfig;
/// let c = NetworkPoliciesConfig::default();
/// assert!(c.enabled && c.default_deny && c.allow_external_https);
/// assert_eq!(c.ingress_controller_namespace, "ingress-nginx");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NetworkPoliciesConfig {
    /// Generate network policies (default true).
    #[serde(default = "yes")]
    pub enabled: bool,
    /// Generate a default-deny policy for every namespace (default true).
    #[serde(default = "yes")]
    pub default_deny: bool,
    /// Allow egress to external HTTPS, port 443 (default true).
    #[serde(default = "yes")]
    pub allow_external_https: bool,
    /// The namespace of the ingress controller (default `ingress-nginx`).
    #[serde(default = "ingress_nginx")]
    pub ingress_controller_namespace: String,
    /// Extra egress for the `floe-jobs` namespace.
    #[serde(default)]
    pub jobs_egress_allow: Vec<EgressAllowRule>,
    /// Extra egress for the `floe-platform` namespace.
    #[serde(default)]
    pub platform_egress_allow: Vec<EgressAllowRule>,
}

fn yes() -> bool {
    true
}

fn ingress_nginx() -> String {
    "ingress-nginx".to_owned()
}

impl Default for NetworkPoliciesConfig {
    fn default() -> Self {
        NetworkPoliciesConfig {
            enabled: true,
            default_deny: true,
            allow_external_https: true,
            ingress_controller_namespace: ingress_nginx(),
            jobs_egress_allow: Vec::new(),
            platform_egress_allow: Vec::new(),
        }
    }
}

impl Validate for NetworkPoliciesConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        if let Err(e) = validate_namespace(&self.ingress_controller_namespace) {
            errors.push(FieldError::new(
                join(path, "ingress_controller_namespace"),
                e,
            ));
        }
        for (i, r) in self.jobs_egress_allow.iter().enumerate() {
            r.check(&join(path, &format!("jobs_egress_allow.{i}")), errors);
        }
        for (i, r) in self.platform_egress_allow.iter().enumerate() {
            r.check(&join(path, &format!("platform_egress_allow.{i}")), errors);
        }
    }
}
