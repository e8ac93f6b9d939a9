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
        ["Tuple should have at least 1 item after validation, not 0"]
    );
}

#[test]
fn egress_checks_its_fields_first_and_its_target_only_when_they_hold() {
    let err = from_value::<EgressRule>(json!({
        "to_namespace": "Bad", "to_cidr": "10.0.0.0/8", "ports": [{"port": 0}, {"port": 70000}]
    }))
    .expect_err("fields");
    let found: Vec<(&str, &str)> = err
        .0
        .iter()
        .map(|e| (e.path.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("to_namespace", "Invalid namespace: Bad"),
            ("ports.0.port", "Input should be greater than or equal to 1"),
            (
                "ports.1.port",
                "Input should be less than or equal to 65535"
            ),
            // pydantic counts the valid items: none.
            (
                "ports",
                "Tuple should have at least 1 item after validation, not 0"
            ),
        ],
        "no target problem while a field is invalid"
    );
    let one_valid = from_value::<EgressRule>(
        json!({"to_namespace": "a", "ports": [{"port": 0}, {"port": 80}]}),
    )
    .expect_err("port");
    assert_eq!(
        one_valid.messages(),
        ["Input should be greater than or equal to 1"]
    );
}

#[test]
fn cidrs_are_read_as_floe_reads_them_less_what_kubernetes_refuses() {
    assert_eq!(
        validate_cidr("010.0.0.0/8").expect_err("leading zero"),
        "Invalid CIDR: 010.0.0.0/8"
    );
    assert_eq!(
        validate_cidr("10.0.0.0/08")
            .expect("a zero before the prefix")
            .to_string(),
        "10.0.0.0/8"
    );
    for refused in [
        "10.0.0.1",
        "10.0.0.0/255.0.0.0",
        "fe80::1%eth0/64",
        "10.0.0.0/+8",
    ] {
        assert!(validate_cidr(refused).is_err(), "{refused}");
    }
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
    assert_eq!(
        validate_label_key(&"k".repeat(254)).expect_err("long"),
        "Label key too long: 254 > 253"
    );
    assert!(validate_label_key("app-").is_err());
    assert!(validate_label_key(&"k".repeat(253)).is_ok());
    assert!(validate_label_value("").is_ok());
    assert_eq!(
        validate_label_value(&"v".repeat(64)).expect_err("long"),
        "Label value too long: 64 > 63"
    );
    assert!(
        validate_label_value("web\n").is_err(),
        "no trailing newline"
    );
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
            "Tuple should have at least 1 item after validation, not 0",
            "Invalid namespace: Bad",
            "Invalid label value: -x",
        ]
    );
    assert_eq!(
        err.0[3].path, "ingress_rules.0.from_pod_labels",
        "a label problem is reported at its map, the first one only"
    );
    let ok: NetworkPolicyConfig = from_value(json!({"name": "floe-jobs", "namespace": "floe-jobs", "policy_types": ["Ingress", "Egress"]})).expect("valid");
    assert!(ok.validate().is_ok());
}

fn policy(value: serde_json::Value) -> NetworkPolicyConfig {
    from_value(value).expect("valid policy")
}

#[test]
fn a_policy_manifest_has_floes_metadata_and_labels() {
    let m = policy(
        json!({"name": "floe-jobs-default", "namespace": "floe-jobs", "policy_types": ["Ingress"]}),
    )
    .to_manifest();
    assert_eq!(m["apiVersion"], "networking.k8s.io/v1");
    assert_eq!(m["kind"], "NetworkPolicy");
    assert_eq!(
        m["metadata"],
        json!({
            "name": "floe-jobs-default",
            "namespace": "floe-jobs",
            "labels": {
                "app.kubernetes.io/managed-by": "floe",
                "floe.dev/component": "network-security"
            }
        })
    );
}

#[test]
fn an_empty_pod_selector_selects_every_pod_and_labels_are_wrapped_in_match_labels() {
    let all =
        policy(json!({"name": "floe-a", "namespace": "floe-jobs", "policy_types": ["Egress"]}));
    assert_eq!(all.to_manifest()["spec"]["podSelector"], json!({}));
    let some = policy(json!({
        "name": "floe-a", "namespace": "floe-jobs", "policy_types": ["Egress"],
        "pod_selector": {"app": "runner"}
    }));
    assert_eq!(
        some.to_manifest()["spec"]["podSelector"],
        json!({"matchLabels": {"app": "runner"}})
    );
}

#[test]
fn policy_types_are_honoured_and_decide_which_rule_lists_are_written() {
    let ingress_only = policy(json!({
        "name": "floe-a", "namespace": "floe-jobs", "policy_types": ["Ingress"],
        "egress_rules": [{"to_cidr": "10.0.0.0/8", "ports": [{"port": 443}]}]
    }))
    .to_manifest();
    assert_eq!(ingress_only["spec"]["policyTypes"], json!(["Ingress"]));
    assert_eq!(
        ingress_only["spec"]["ingress"],
        json!([]),
        "no rules: deny all in"
    );
    assert!(
        ingress_only["spec"].get("egress").is_none(),
        "egress rules are not written without the Egress type"
    );
    let both = policy(
        json!({"name": "floe-a", "namespace": "floe-jobs", "policy_types": ["Egress", "Ingress"]}),
    )
    .to_manifest();
    assert_eq!(both["spec"]["policyTypes"], json!(["Egress", "Ingress"]));
    assert_eq!(both["spec"]["egress"], json!([]));
    assert_eq!(both["spec"]["ingress"], json!([]));
}

#[test]
fn egress_rules_select_a_namespace_by_its_metadata_name_or_a_cidr_by_ip_block() {
    let m = policy(json!({
        "name": "floe-a", "namespace": "floe-jobs", "policy_types": ["Egress"],
        "egress_rules": [
            {"to_namespace": "kube-system", "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53}]},
            {"to_cidr": "10.0.0.0/8", "ports": [{"port": 5432}]}
        ]
    }))
    .to_manifest();
    assert_eq!(
        m["spec"]["egress"],
        json!([
            {
                "to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
                "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]
            },
            {
                "to": [{"ipBlock": {"cidr": "10.0.0.0/8"}}],
                "ports": [{"port": 5432, "protocol": "TCP"}]
            }
        ])
    );
}

#[test]
fn ingress_rules_write_only_the_selectors_and_ports_they_have() {
    let m = policy(json!({
        "name": "floe-a", "namespace": "floe-platform", "policy_types": ["Ingress"],
        "ingress_rules": [
            {"from_namespace": "floe-jobs", "from_pod_labels": {"app": "runner"}, "ports": [{"port": 8181}]},
            {"from_pod_labels": {"app": "web"}},
            {}
        ]
    }))
    .to_manifest();
    assert_eq!(
        m["spec"]["ingress"],
        json!([
            {
                "from": [
                    {"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "floe-jobs"}}},
                    {"podSelector": {"matchLabels": {"app": "runner"}}}
                ],
                "ports": [{"port": 8181, "protocol": "TCP"}]
            },
            {"from": [{"podSelector": {"matchLabels": {"app": "web"}}}]},
            {}
        ])
    );
}

#[test]
fn network_policies_config_defaults_to_enabled_with_default_deny_and_external_https() {
    let c: NetworkPoliciesConfig = from_value(json!({})).expect("all defaults");
    assert_eq!(c, NetworkPoliciesConfig::default());
    assert!(c.enabled, "the security model is enabled by default");
    assert!(c.default_deny);
    assert!(c.allow_external_https);
    assert_eq!(c.ingress_controller_namespace, "ingress-nginx");
    assert!(c.jobs_egress_allow.is_empty() && c.platform_egress_allow.is_empty());
    assert!(from_value::<NetworkPoliciesConfig>(json!({"custom_egress_rules": []})).is_err());
}

#[test]
fn network_policies_config_checks_its_allow_rules_and_ingress_namespace() {
    let err = from_value::<NetworkPoliciesConfig>(json!({
        "ingress_controller_namespace": "Ingress",
        "jobs_egress_allow": [{"name": "db", "to_cidr": "10.0.0.0/33", "port": 5432}],
        "platform_egress_allow": [{"name": "x", "port": 443}]
    }))
    .expect_err("three problems");
    let found: Vec<(&str, &str)> = err
        .0
        .iter()
        .map(|e| (e.path.as_str(), e.message.as_str()))
        .collect();
    assert_eq!(
        found,
        [
            ("ingress_controller_namespace", "Invalid namespace: Ingress"),
            // floe checks an allow rule's CIDR in its model validator: at the rule.
            ("jobs_egress_allow.0", "Invalid CIDR: 10.0.0.0/33"),
            (
                "platform_egress_allow.0",
                "Exactly one of to_namespace or to_cidr must be set"
            ),
        ]
    );
}

#[test]
fn an_egress_allow_rule_is_one_target_on_one_port() {
    let r: EgressAllowRule =
        from_value(json!({"name": "platform", "to_namespace": "floe-platform", "port": 8181}))
            .expect("valid");
    assert_eq!(r.protocol, Protocol::Tcp);
    assert_eq!(
        from_value::<EgressAllowRule>(json!({
            "name": "both", "to_namespace": "floe-platform", "to_cidr": "10.0.0.0/8", "port": 443
        }))
        .expect_err("two targets")
        .messages(),
        ["Exactly one of to_namespace or to_cidr must be set"]
    );
    assert!(
        from_value::<EgressAllowRule>(json!({"name": "p", "to_cidr": "10.0.0.0/8", "port": 0}))
            .is_err()
    );
    assert!(
        from_value::<EgressAllowRule>(
            json!({"name": "p", "to_cidr": "10.0.0.0/8", "port": 443, "extra": 1})
        )
        .is_err()
    );
}
