//! Network security plugin `k8s`: Kubernetes NetworkPolicies (default deny, DNS egress,
//! platform, ingress-controller and custom rules), Pod Security Standards labels,
//! hardened security contexts and writable emptyDir volumes. Pure: it builds manifests
//! (as JSON values) and never talks to a cluster; only [`K8sNetworkSecurityPlugin::
//! k8s_api_egress_rule`] reads `KUBERNETES_SERVICE_HOST`.
//!
//! Rules are NetworkPolicy rule objects: an egress rule is `{"to": [peer], "ports":
//! [...]}`, an ingress rule `{"from": [peers], "ports": [...]}`, a namespace peer
//! selects on the `kubernetes.io/metadata.name` label. An ingress rule with both a
//! namespace and pod labels has two peers, as floe writes it: traffic from that
//! namespace or from those pods (of the policy's own namespace) is allowed.
//!
//! Everything else is floe-network-security-k8s 0.1.0a1's output, texts included
//! (`differential/tests/network.rs` compares them): CIDRs are written as given, the
//! custom egress rules check their namespace's pattern before its length (the models
//! check the length first), the Kubernetes API rule refuses and warns with floe's
//! words.
//!
//! Where floe is broken, this does better, and says so here (and in
//! `docs/deliberate-differences.md`, family `network`):
//! - floe's plugin is registered under the entry point `k8s` but reports the name
//!   `k8s-network-security`, so a registry never finds it under its own name and
//!   `activate_all` skips it. Here the name is the registry identity, `k8s`.
//! - floe writes a policy's `pod_selector` straight into `podSelector`, which is no
//!   valid LabelSelector, and ignores the config's `policy_types`. Here the labels are
//!   wrapped in `matchLabels` and `policyTypes` is the config's, with the rule lists of
//!   those types.
//! - floe ignores the config of the security-context methods. Here a
//!   [`PodSecurityConfig`] given as JSON is honoured (without one: the hardened
//!   defaults, uid/gid/fsGroup 1000, seccomp RuntimeDefault).
//! - floe's writable volume names can repeat (`/tmp` and `/tmp/` both give
//!   `writable-tmp`). Here a repeated name gets `-2`, `-3`, ...; after floe's check of
//!   the blocked paths, relative paths and paths with `..` are refused, and a blocked
//!   path is also found under another spelling (`//`, `/./etc`, `//proc`).
//! - floe accepts CIDRs that Kubernetes refuses (a bare address, a netmask, an IPv6
//!   zone): refused here ([`floe_registry::network::validate_cidr`]). An IPv6
//!   `KUBERNETES_SERVICE_HOST` gives `/128`, where floe writes `/32`.
//! - floe writes any protocol text into a custom egress rule (`tcp`); here it must be
//!   `TCP` or `UDP`, as floe's signature says. floe writes any name into a Namespace
//!   manifest; here it must be a namespace name.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! let net = registry.get_as::<dyn NetworkSecurityPlugin>("k8s")?;
//! let deny = net.generate_default_deny_policies("floe-jobs")?;
//! assert_eq!(deny[0]["metadata"]["name"], "default-deny-all");
//! assert_eq!(deny[0]["spec"]["policyTypes"], serde_json::json!(["Ingress", "Egress"]));
//! # Ok::<(), PluginError>(())
//! ```

mod helpers;
mod volumes;

use std::collections::BTreeMap;

use floe_registry::network::{
    EgressRule, IngressRule, NetworkPolicyConfig, PolicyType, PortRule, validate_namespace,
};
use floe_registry::prelude::*;
use floe_registry::rbac::{MANAGED_BY, PodSecurityConfig};
use floe_registry::{Validate, from_value};
use serde_json::{Map, Value, json};

pub use helpers::{BLOCKED_PATHS, PLATFORM_PORTS, namespace_pss_level};
pub use volumes::volume_name;

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.security.network";

/// The label a namespace peer selects on.
pub const NAMESPACE_LABEL: &str = "kubernetes.io/metadata.name";

/// Kubernetes NetworkPolicies and security contexts.
#[floe_plugin(type = NetworkSecurity, name = "k8s", version = "0.1.0", description = "")]
#[derive(Default)]
pub struct K8sNetworkSecurityPlugin;

/// `{"app.kubernetes.io/managed-by": "floe"}`.
fn managed_by() -> Value {
    json!({ MANAGED_BY: "floe" })
}

/// A peer selecting the namespace `ns`.
pub(crate) fn namespace_peer(ns: &str) -> Value {
    json!({"namespaceSelector": {"matchLabels": { NAMESPACE_LABEL: ns }}})
}

/// `[{"port", "protocol"}]`.
pub(crate) fn ports(rules: &[PortRule]) -> Value {
    rules
        .iter()
        .map(|p| json!({"port": p.port, "protocol": p.protocol}))
        .collect()
}

/// An ingress rule object, as floe's plugin writes it: `from` holds a namespace peer
/// and a pod peer, each when set (two peers: traffic from either is allowed), and is
/// left out when neither is; `ports` only when set.
fn ingress(rule: &IngressRule) -> Value {
    let mut from = Vec::new();
    if let Some(ns) = rule.from_namespace.as_deref().filter(|ns| !ns.is_empty()) {
        from.push(namespace_peer(ns));
    }
    if !rule.from_pod_labels.is_empty() {
        from.push(json!({"podSelector": {"matchLabels": rule.from_pod_labels}}));
    }
    let mut out = Map::new();
    if !from.is_empty() {
        out.insert("from".into(), Value::Array(from));
    }
    if !rule.ports.is_empty() {
        out.insert("ports".into(), ports(&rule.ports));
    }
    Value::Object(out)
}

/// An egress rule object: to a namespace or an ipBlock.
fn egress(rule: &EgressRule) -> Value {
    let peer = match (&rule.to_namespace, &rule.to_cidr) {
        (Some(ns), _) => namespace_peer(ns),
        (None, Some(cidr)) => json!({"ipBlock": {"cidr": cidr}}),
        (None, None) => json!({}),
    };
    json!({"to": [peer], "ports": ports(&rule.ports)})
}

fn invalid(errors: floe_registry::ModelErrors) -> PluginError {
    PluginError::failed(errors.to_string())
}

/// The pod security config given as JSON, or the defaults.
fn security_config(config: Option<&Value>) -> Result<PodSecurityConfig, PluginError> {
    match config {
        None | Some(Value::Null) => Ok(PodSecurityConfig::default()),
        Some(v) => from_value::<PodSecurityConfig>(v.clone()).map_err(invalid),
    }
}

impl NetworkSecurityPlugin for K8sNetworkSecurityPlugin {
    /// The NetworkPolicy of a valid config: `podSelector.matchLabels`, the config's
    /// `policyTypes`, and the rules of those types.
    fn generate_network_policy(&self, config: &NetworkPolicyConfig) -> Result<Value, PluginError> {
        let _span = tracing::info_span!("security.generate_network_policy").entered();
        config.validate().map_err(invalid)?;
        let mut spec = Map::new();
        let selector = if config.pod_selector.is_empty() {
            json!({})
        } else {
            json!({"matchLabels": config.pod_selector})
        };
        spec.insert("podSelector".into(), selector);
        let mut types: Vec<PolicyType> = Vec::new();
        for t in &config.policy_types {
            if !types.contains(t) {
                types.push(*t);
            }
        }
        spec.insert("policyTypes".into(), json!(types));
        if types.contains(&PolicyType::Ingress) {
            let rules: Vec<Value> = config.ingress_rules.iter().map(ingress).collect();
            spec.insert("ingress".into(), json!(rules));
        }
        if types.contains(&PolicyType::Egress) {
            let rules: Vec<Value> = config.egress_rules.iter().map(egress).collect();
            spec.insert("egress".into(), json!(rules));
        }
        Ok(json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": config.name, "namespace": config.namespace, "labels": managed_by()},
            "spec": spec,
        }))
    }

    /// One policy, `default-deny-all`: every pod, both directions, nothing allowed.
    fn generate_default_deny_policies(&self, namespace: &str) -> Result<Vec<Value>, PluginError> {
        validate_namespace(namespace).map_err(PluginError::failed)?;
        Ok(vec![json!({
            "apiVersion": "networking.k8s.io/v1",
            "kind": "NetworkPolicy",
            "metadata": {"name": "default-deny-all", "namespace": namespace, "labels": managed_by()},
            "spec": {"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "ingress": [], "egress": []},
        })])
    }

    /// Egress to kube-system on 53/UDP and 53/TCP.
    fn generate_dns_egress_rule(&self) -> Result<Value, PluginError> {
        Ok(json!({
            "to": [namespace_peer("kube-system")],
            "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}],
        }))
    }

    /// runAsNonRoot, uid/gid/fsGroup and seccomp, from a [`PodSecurityConfig`] as JSON
    /// (defaults: 1000 and RuntimeDefault).
    fn generate_pod_security_context(&self, config: Option<&Value>) -> Result<Value, PluginError> {
        Ok(security_config(config)?.pod_context())
    }

    /// No privilege escalation, read-only root, non-root, drop ALL, seccomp.
    fn generate_container_security_context(
        &self,
        config: Option<&Value>,
    ) -> Result<Value, PluginError> {
        let c = security_config(config)?;
        let mut context = c.container_context();
        if let Some(map) = context.as_object_mut() {
            map.insert("runAsNonRoot".into(), json!(c.run_as_non_root));
            map.insert(
                "seccompProfile".into(),
                json!({"type": c.seccomp_profile_type}),
            );
        }
        Ok(context)
    }

    /// An emptyDir volume and its mount per path; blocked system paths are refused.
    fn generate_writable_volumes(
        &self,
        paths: &[String],
    ) -> Result<(Vec<Value>, Vec<Value>), PluginError> {
        volumes::writable(paths).map_err(PluginError::failed)
    }
}

/// Labels of pod selectors, for the helpers' ingress rules.
pub(crate) type Labels = BTreeMap<String, String>;
