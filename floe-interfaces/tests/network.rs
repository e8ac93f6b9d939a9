//! Network policy models: ports, targets, namespaces, labels and CIDRs.

use floe_interfaces::network::*;
use floe_interfaces::{Validate, from_value};
use serde_json::json;

#[test]
fn ports_are_one_to_65535_and_default_to_tcp() {
    let p: PortRule = from_value(json!({"port": 443})).expect("valid");
    assert_eq!(p.protocol, Protocol::Tcp);
    assert!(from_value::<PortRule>(json!({"port": 65536})).is_err());
    assert!(from_value::<PortRule>(json!({"port": 53, "protocol": "UDP"})).is_ok());
    assert!(from_value::<PortRule>(json!({"port": 53, "protocol": "SCTP"})).is_err());
}

#[test]
fn egress_needs_exactly_one_target() {
    for rule in [
        json!({"ports": [{"port": 443}]}),
        json!({"to_namespace": "floe-platform", "to_cidr": "10.0.0.0/8", "ports": [{"port": 443}]}),
    ] {
        assert_eq!(
            from_value::<EgressRule>(rule)
                .expect_err("targets")
                .messages(),
            ["Exactly one of to_namespace or to_cidr must be set"]
        );
    }
    assert!(
        from_value::<EgressRule>(json!({"to_cidr": "10.0.0.0/8", "ports": [{"port": 443}]}))
            .is_ok()
    );
    assert_eq!(
        from_value::<EgressRule>(json!({"to_namespace": "floe-platform", "ports": []}))
            .expect_err("ports")
            .messages(),
        ["List should have at least 1 item"]
    );
}

#[test]
fn cidrs_are_parsed_leniently() {
    assert_eq!(
        validate_cidr("10.1.2.3/8")
            .expect("host bits allowed")
            .to_string(),
        "10.0.0.0/8"
    );
    assert!(validate_cidr("::1/128").is_ok());
    assert_eq!(
        validate_cidr("10.0.0.0/33").expect_err("prefix"),
        "Invalid CIDR: 10.0.0.0/33"
    );
    assert_eq!(
        validate_cidr("not-a-cidr").expect_err("text"),
        "Invalid CIDR: not-a-cidr"
    );
    let err = from_value::<EgressRule>(json!({"to_cidr": "300.0.0.0/8", "ports": [{"port": 1}]}))
        .expect_err("octet");
    assert_eq!(err.to_string(), "to_cidr: Invalid CIDR: 300.0.0.0/8");
}

#[test]
fn namespaces_are_dns_labels_of_at_most_63() {
    assert!(validate_namespace("floe-jobs").is_ok());
    assert!(validate_namespace(&"a".repeat(63)).is_ok());
    assert_eq!(
        validate_namespace(&"a".repeat(64)).expect_err("long"),
        "Namespace too long: 64 > 63"
    );
    for bad in ["-floe", "floe-", "Floe", "floe_jobs", ""] {
        assert_eq!(
            validate_namespace(bad).expect_err(bad),
            format!("Invalid namespace: {bad}")
        );
    }
}

#[test]
fn label_keys_and_values() {
    assert!(validate_label_key("").is_err());
    assert!(validate_label_key(&"k".repeat(254)).is_err());
    assert!(validate_label_key("app-").is_err());
    assert!(validate_label_key(&"k".repeat(253)).is_ok());
    assert!(validate_label_value("").is_ok());
    assert!(validate_label_value(&"v".repeat(64)).is_err());
    assert!(validate_label_value("a.b-c_d").is_ok());
    assert!(validate_label_value("a b").is_err());
}

#[test]
fn a_policy_checks_its_name_namespace_types_and_rules() {
    let err = from_value::<NetworkPolicyConfig>(json!({
        "name": "jobs", "namespace": "floe-jobs", "policy_types": [],
        "ingress_rules": [{"from_namespace": "Bad", "from_pod_labels": {"app": "-x"}}]
    }))
    .expect_err("bad");
    assert_eq!(
        err.messages(),
        [
            "String should match pattern '^floe-[a-z0-9-]+$'",
            "List should have at least 1 item",
            "Invalid namespace: Bad",
            "Invalid label value: -x",
        ]
    );
    let ok: NetworkPolicyConfig = from_value(json!({"name": "floe-jobs", "namespace": "floe-jobs", "policy_types": ["Ingress", "Egress"]})).expect("valid");
    assert!(ok.validate().is_ok());
}
