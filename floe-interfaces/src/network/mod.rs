//! Kubernetes network security: the models of network policies and their manifests
//! ([`NetworkPolicyConfig::to_manifest`]), the platform's network policy settings
//! ([`NetworkPoliciesConfig`]), with floe's rules for namespaces, labels and CIDRs.
//!
//! Validation reports what floe-core 0.1.0a1 reports, in its order, at its paths and in
//! its words: floe's own texts (`Namespace too long: 64 > 63`, `Invalid CIDR: ...`)
//! and pydantic's for its constraints (`Input should be greater than or equal to 1`,
//! `Tuple should have at least 1 item after validation, not 0`). As with pydantic, the
//! egress target rule is checked only when the rule's fields are valid, a label map
//! reports its first problem at the map, and an allow rule's CIDR is checked by the
//! rule (its path is the rule's). Beyond floe: CIDRs that Kubernetes refuses (see
//! [`validate_cidr`]) and names or label values ending in a newline (which Python's
//! `$` lets through) are refused.
//!
//! ```
//! use floe_interfaces::network::{validate_cidr, validate_namespace};
//! assert!(validate_cidr("10.0.0.1/8").is_ok()); // host bits allowed, as floe does
//! assert_eq!(validate_namespace("Floe").unwrap_err(), "Invalid namespace: Floe");
//! ```

mod cidr;
mod policies;
mod policy;
mod rules;

pub use policies::{EgressAllowRule, NetworkPoliciesConfig};
pub use policy::{NETWORK_POLICY_LABELS, NetworkPolicyConfig, PolicyType};
pub use rules::{
    EgressRule, IngressRule, PortRule, Protocol, host_cidr, validate_cidr, validate_label_key,
    validate_label_value, validate_namespace,
};
