//! Kubernetes network security: the models of network policies and their manifests
//! ([`NetworkPolicyConfig::to_manifest`]), the platform's network policy settings
//! ([`NetworkPoliciesConfig`]), with floe's rules for namespaces, labels and CIDRs.
//!
//! ```
//! use floe_interfaces::network::{validate_cidr, validate_namespace};
//! assert!(validate_cidr("10.0.0.1/8").is_ok()); // lenient, like Python's strict=False
//! assert_eq!(validate_namespace("Floe").unwrap_err(), "Invalid namespace: Floe");
//! ```

mod policies;
mod policy;
mod rules;

pub use policies::{EgressAllowRule, NetworkPoliciesConfig};
pub use policy::{NETWORK_POLICY_LABELS, NetworkPolicyConfig, PolicyType};
pub use rules::{
    EgressRule, IngressRule, PortRule, Protocol, validate_cidr, validate_label_key,
    validate_label_value, validate_namespace,
};
