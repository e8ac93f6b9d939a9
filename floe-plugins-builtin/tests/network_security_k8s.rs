//! The network_security plugin `k8s`: policies, rules, PSS labels, security contexts
//! and writable volumes, through the registry, each manifest read back into
//! k8s-openapi's types.

#![allow(clippy::unwrap_used)]

mod k8s;
mod support;

use std::collections::BTreeMap;

use floe_plugins_builtin::network_security_k8s::{K8sNetworkSecurityPlugin, volume_name};
use floe_registry::from_value;
use floe_registry::network::NetworkPolicyConfig;
use floe_registry::prelude::*;
use k8s::assert_round_trips;
use k8s_openapi::api::core::v1::{
    Namespace, PodSecurityContext, SecurityContext, Volume, VolumeMount,
};
use k8s_openapi::api::networking::v1::{
    NetworkPolicy, NetworkPolicyEgressRule, NetworkPolicyIngressRule,
};
use serde_json::json;

fn with_net<R>(f: impl FnOnce(&dyn NetworkSecurityPlugin) -> R) -> R {
    let registry = support::registry::registry();
    let net = registry.get_as::<dyn NetworkSecurityPlugin>("k8s").unwrap();
    f(net)
}

const PLUGIN: K8sNetworkSecurityPlugin = K8sNetworkSecurityPlugin;

#[test]
fn the_plugin_name_is_its_registry_identity() {
    let registry = support::registry::registry();
    assert_eq!(
        registry
            .info(PluginType::NetworkSecurity, "k8s")
            .unwrap()
            .name,
        "k8s"
    );
    assert!(
        registry
            .info(PluginType::NetworkSecurity, "k8s-network-security")
            .is_err()
    );
}

#[test]
fn a_policy_wraps_match_labels_honours_policy_types_and_reads_back() {
    let config: NetworkPolicyConfig = from_value(json!({
        "name": "floe-jobs-policy", "namespace": "floe-jobs",
        "pod_selector": {"app": "runner"}, "policy_types": ["Ingress", "Egress"],
        "ingress_rules": [{"from_namespace": "floe-platform", "from_pod_labels": {"role": "api"}, "ports": [{"port": 8080}]}, {}],
        "egress_rules": [{"to_cidr": "10.1.2.3/8", "ports": [{"port": 5432}]},
                         {"to_namespace": "floe-platform", "ports": [{"port": 53, "protocol": "UDP"}]}]
    })).unwrap();
    with_net(|net| {
        let m = net.generate_network_policy(&config).unwrap();
        assert_eq!(
            m["metadata"]["labels"],
            json!({"app.kubernetes.io/managed-by": "floe"})
        );
        assert_eq!(
            m["spec"]["podSelector"],
            json!({"matchLabels": {"app": "runner"}})
        );
        assert_eq!(m["spec"]["policyTypes"], json!(["Ingress", "Egress"]));
        assert_eq!(
            m["spec"]["ingress"],
            json!([{"from": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "floe-platform"}}},
                             {"podSelector": {"matchLabels": {"role": "api"}}}],
                    "ports": [{"port": 8080, "protocol": "TCP"}]}, {}]),
            "a namespace and pod labels are two peers, as floe writes them: from either"
        );
        assert_eq!(
            m["spec"]["egress"][0],
            json!({"to": [{"ipBlock": {"cidr": "10.1.2.3/8"}}], "ports": [{"port": 5432, "protocol": "TCP"}]})
        );
        assert_round_trips::<NetworkPolicy>(&m);
    });
}

#[test]
fn an_egress_only_policy_has_no_ingress_list() {
    let config: NetworkPolicyConfig = from_value(json!({
        "name": "floe-out", "namespace": "floe-jobs", "policy_types": ["Egress"],
        "egress_rules": [{"to_namespace": "kube-system", "ports": [{"port": 53}]}]
    }))
    .unwrap();
    let m = with_net(|net| net.generate_network_policy(&config).unwrap());
    assert!(m["spec"].get("ingress").is_none(), "{m}");
    assert_eq!(m["spec"]["podSelector"], json!({}));
    assert_round_trips::<NetworkPolicy>(&m);
}

#[test]
fn model_rules_are_enforced() {
    let cases = [
        (
            json!({"name": "jobs", "namespace": "floe-jobs", "policy_types": ["Egress"]}),
            "^floe-[a-z0-9-]+$",
        ),
        (
            json!({"name": "floe-x", "namespace": "a".repeat(64), "policy_types": ["Egress"]}),
            "Namespace too long: 64 > 63",
        ),
        (
            json!({"name": "floe-x", "namespace": "Floe", "policy_types": ["Egress"]}),
            "Invalid namespace: Floe",
        ),
        (
            json!({"name": "floe-x", "namespace": "floe-jobs", "policy_types": []}),
            "at least 1",
        ),
        (
            json!({"name": "floe-x", "namespace": "floe-jobs", "policy_types": ["Egress"],
                "egress_rules": [{"ports": [{"port": 1}]}]}),
            "Exactly one of to_namespace or to_cidr must be set",
        ),
        (
            json!({"name": "floe-x", "namespace": "floe-jobs", "policy_types": ["Egress"],
                "egress_rules": [{"to_cidr": "10.0.0.0/33", "ports": [{"port": 1}]}]}),
            "Invalid CIDR: 10.0.0.0/33",
        ),
        (
            json!({"name": "floe-x", "namespace": "floe-jobs", "policy_types": ["Egress"],
                "egress_rules": [{"to_cidr": "10.0.0.0/8", "ports": [{"port": 70000}]}]}),
            "Input should be less than or equal to 65535",
        ),
        (
            json!({"name": "floe-x", "namespace": "floe-jobs", "policy_types": ["Egress"],
                "pod_selector": {"-app": "x"}}),
            "-app",
        ),
        (
            json!({"name": "floe-x", "namespace": "floe-jobs", "policy_types": ["Egress"],
                "pod_selector": {"app": "_x"}}),
            "_x",
        ),
    ];
    for (value, expected) in cases {
        let e = from_value::<NetworkPolicyConfig>(value.clone())
            .unwrap_err()
            .to_string();
        assert!(
            e.contains(expected),
            "{value}: expected '{expected}' in '{e}'"
        );
    }
}

#[test]
fn default_deny_is_one_policy_for_both_directions_that_reads_back() {
    with_net(|net| {
        let policies = net.generate_default_deny_policies("floe-jobs").unwrap();
        assert_eq!(policies.len(), 1);
        let spec = &policies[0]["spec"];
        assert_eq!(
            *spec,
            json!({"podSelector": {}, "policyTypes": ["Ingress", "Egress"], "ingress": [], "egress": []})
        );
        assert_round_trips::<NetworkPolicy>(&policies[0]);
        let e = net
            .generate_default_deny_policies("Bad_NS")
            .unwrap_err()
            .to_string();
        assert!(e.contains("Invalid namespace: Bad_NS"), "{e}");
    });
}

#[test]
fn dns_egress_goes_to_kube_system_on_53_udp_and_tcp() {
    let rule = with_net(|net| net.generate_dns_egress_rule().unwrap());
    assert_eq!(
        rule,
        json!({"to": [{"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}}],
               "ports": [{"port": 53, "protocol": "UDP"}, {"port": 53, "protocol": "TCP"}]})
    );
    assert_round_trips::<NetworkPolicyEgressRule>(&rule);
}

#[test]
fn security_contexts_are_hardened_and_read_back() {
    with_net(|net| {
        let pod = net.generate_pod_security_context(None).unwrap();
        assert_eq!(
            pod,
            json!({"runAsNonRoot": true, "runAsUser": 1000, "runAsGroup": 1000, "fsGroup": 1000,
                               "seccompProfile": {"type": "RuntimeDefault"}})
        );
        assert_round_trips::<PodSecurityContext>(&pod);
        let container = net.generate_container_security_context(None).unwrap();
        assert_eq!(
            container,
            json!({"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
            "capabilities": {"drop": ["ALL"]}, "runAsNonRoot": true, "seccompProfile": {"type": "RuntimeDefault"}})
        );
        assert_round_trips::<SecurityContext>(&container);
        let custom = net
            .generate_pod_security_context(Some(&json!({"run_as_user": 2000})))
            .unwrap();
        assert_eq!(custom["runAsUser"], 2000);
    });
}

#[test]
fn writable_volumes_pair_up_with_unique_names_and_read_back() {
    let paths: Vec<String> = ["/tmp", "/tmp/", "/var/cache/App", "/etc/app"]
        .map(String::from)
        .to_vec();
    let (volumes, mounts) = with_net(|net| net.generate_writable_volumes(&paths).unwrap());
    assert_eq!(volumes.len(), mounts.len());
    let names: Vec<&str> = volumes
        .iter()
        .map(|v| v["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "writable-tmp",
            "writable-tmp-2",
            "writable-var-cache-app",
            "writable-etc-app"
        ]
    );
    assert_eq!(
        mounts[2],
        json!({"name": "writable-var-cache-app", "mountPath": "/var/cache/App"})
    );
    for v in &volumes {
        assert_eq!(v["emptyDir"], json!({}));
        assert_round_trips::<Volume>(v);
    }
    for m in &mounts {
        assert_round_trips::<VolumeMount>(m);
    }
    assert_eq!(volume_name("/"), "writable-root");
}

#[test]
fn blocked_paths_are_refused_also_with_a_trailing_slash() {
    with_net(|net| {
        for p in [
            "/proc",
            "/sys",
            "/dev",
            "/etc",
            "/var/run",
            "/var/run/docker.sock",
            "/run",
            "/",
            "/etc/",
        ] {
            let e = net
                .generate_writable_volumes(&[p.to_owned()])
                .unwrap_err()
                .to_string();
            assert!(
                e.contains(&format!("Mount path blocked for security: {p}")),
                "{e}"
            );
        }
        assert!(
            net.generate_writable_volumes(&["/tmp/../etc".to_owned()])
                .is_err()
        );
        // Beyond floe: the blocked folders under another spelling.
        for p in ["//", "/./etc", "//proc", "/proc/."] {
            let e = net
                .generate_writable_volumes(&["/tmp".to_owned(), p.to_owned()])
                .unwrap_err()
                .to_string();
            assert_eq!(e, format!("Mount path blocked for security: {p}"));
        }
        // floe checks every path against the blocked ones first.
        let e = net
            .generate_writable_volumes(&["relative".to_owned(), "/proc".to_owned()])
            .unwrap_err()
            .to_string();
        assert_eq!(e, "Mount path blocked for security: /proc");
    });
}

#[test]
fn platform_and_jobs_rules_use_the_platform_ports() {
    let rules = PLUGIN.platform_egress_rules();
    assert_eq!(rules.len(), 4);
    let ports: Vec<u64> = rules
        .iter()
        .map(|r| r["ports"][0]["port"].as_u64().unwrap())
        .collect();
    assert_eq!(ports, [8181, 4317, 4318, 9000]);
    for r in &rules {
        assert_round_trips::<NetworkPolicyEgressRule>(r);
    }
    let jobs = PLUGIN.jobs_ingress_rule();
    assert_eq!(
        jobs["from"][0]["namespaceSelector"]["matchLabels"]["kubernetes.io/metadata.name"],
        "floe-jobs"
    );
    assert_round_trips::<NetworkPolicyIngressRule>(&jobs);
    let ingress = PLUGIN.ingress_controller_rule("ingress-nginx").unwrap();
    assert_eq!(
        ingress["ports"],
        json!([{"port": 80, "protocol": "TCP"}, {"port": 443, "protocol": "TCP"}, {"port": 8080, "protocol": "TCP"}])
    );
    assert_round_trips::<NetworkPolicyIngressRule>(&ingress);
    let intra = PLUGIN.intra_namespace_rule("floe-jobs").unwrap();
    assert_eq!(intra, json!({"from": [{"podSelector": {}}]}));
    assert_round_trips::<NetworkPolicyIngressRule>(&intra);
}

#[test]
fn k8s_api_egress_uses_the_service_host_or_refuses_in_strict_mode() {
    let rule = PLUGIN
        .k8s_api_egress_rule_for(None, Some("10.96.0.1"), true)
        .unwrap();
    assert_eq!(rule["to"][0]["ipBlock"]["cidr"], "10.96.0.1/32");
    assert_eq!(
        rule["ports"],
        json!([{"port": 443, "protocol": "TCP"}, {"port": 6443, "protocol": "TCP"}])
    );
    assert_round_trips::<NetworkPolicyEgressRule>(&rule);
    assert_eq!(
        PLUGIN
            .k8s_api_egress_rule_for(None, None, true)
            .unwrap_err(),
        "K8s API CIDR not specified and KUBERNETES_SERVICE_HOST not set. Either set \
         k8s_api_cidr explicitly, run in-cluster, or use strict_mode=False to allow \
         permissive 0.0.0.0/0 fallback."
    );
    let lax = PLUGIN.k8s_api_egress_rule_for(None, None, false).unwrap();
    assert_eq!(lax["to"][0]["ipBlock"]["cidr"], "0.0.0.0/0");
    let v6 = PLUGIN
        .k8s_api_egress_rule_for(None, Some("fd00::1"), true)
        .unwrap();
    assert_eq!(
        v6["to"][0]["ipBlock"]["cidr"], "fd00::1/128",
        "one IPv6 host"
    );
    assert_eq!(
        PLUGIN
            .k8s_api_egress_rule_for(None, Some("kubernetes"), true)
            .unwrap_err(),
        "Invalid CIDR: kubernetes/32"
    );
    let given = PLUGIN
        .k8s_api_egress_rule_for(Some("10.0.0.1/8"), Some("10.96.0.1"), true)
        .unwrap();
    assert_eq!(given["to"][0]["ipBlock"]["cidr"], "10.0.0.1/8", "as given");
}

#[test]
fn external_https_excludes_private_ranges_and_can_be_disabled() {
    let rule = PLUGIN.external_https_egress_rule(true).unwrap();
    assert_eq!(
        rule["to"][0]["ipBlock"]["except"].as_array().unwrap().len(),
        5
    );
    assert_round_trips::<NetworkPolicyEgressRule>(&rule);
    assert!(PLUGIN.external_https_egress_rule(false).is_none());
}

#[test]
fn custom_egress_rules_check_target_port_and_cidr() {
    let r = PLUGIN
        .custom_egress_rule(Some("10.0.0.5/8"), Some("floe-x"), 443, "TCP")
        .unwrap();
    assert_eq!(
        r["to"],
        json!([{"ipBlock": {"cidr": "10.0.0.5/8"}}]),
        "the CIDR wins, written as given"
    );
    assert_round_trips::<NetworkPolicyEgressRule>(&r);
    let ns = PLUGIN
        .custom_egress_rules(None, Some("floe-x"), &[80, 443], "UDP")
        .unwrap();
    assert_eq!(ns["ports"][1], json!({"port": 443, "protocol": "UDP"}));
    assert_eq!(
        PLUGIN
            .custom_egress_rule(None, None, 443, "TCP")
            .unwrap_err(),
        "Either cidr or namespace must be provided"
    );
    assert_eq!(
        PLUGIN
            .custom_egress_rule(Some("10.0.0.0/8"), None, 0, "TCP")
            .unwrap_err(),
        "Port 0 out of range (1-65535)"
    );
    assert_eq!(
        PLUGIN
            .custom_egress_rule(Some("nope"), None, 1, "TCP")
            .unwrap_err(),
        "Invalid CIDR: nope"
    );
    assert_eq!(
        PLUGIN
            .custom_egress_rule(None, Some("Bad"), 1, "TCP")
            .unwrap_err(),
        "Invalid namespace: Bad"
    );
    // floe's plugin checks a namespace's pattern before its length.
    assert_eq!(
        PLUGIN
            .custom_egress_rule(None, Some(&"A".repeat(64)), 1, "TCP")
            .unwrap_err(),
        format!("Invalid namespace: {}", "A".repeat(64))
    );
    assert_eq!(
        PLUGIN
            .custom_egress_rule(None, Some(&"a".repeat(64)), 1, "TCP")
            .unwrap_err(),
        "Namespace too long: 64 > 63"
    );
    assert_eq!(
        PLUGIN
            .custom_egress_rule(None, Some("floe-x"), 1, "tcp")
            .unwrap_err(),
        "Invalid protocol: tcp. Must be TCP or UDP"
    );
    assert_eq!(
        PLUGIN
            .custom_egress_rules(None, Some("floe-x"), &[], "TCP")
            .unwrap()["ports"],
        json!([])
    );
}

#[test]
fn pss_labels_and_namespaces() {
    let labels = PLUGIN
        .pss_labels("baseline", Some("restricted"), None)
        .unwrap();
    assert_eq!(labels["pod-security.kubernetes.io/enforce"], "baseline");
    assert_eq!(labels["pod-security.kubernetes.io/audit"], "restricted");
    assert_eq!(labels["pod-security.kubernetes.io/warn"], "baseline");
    assert_eq!(
        PLUGIN.pss_labels("strict", None, None).unwrap_err(),
        "Invalid PSS level: 'strict'. Must be one of: baseline, privileged, restricted"
    );
    assert!(
        PLUGIN
            .pss_labels("baseline", None, Some("x"))
            .unwrap_err()
            .starts_with("Invalid PSS warn_level: 'x'")
    );
    let extra = BTreeMap::from([("team".to_owned(), "data".to_owned())]);
    let ns = PLUGIN
        .namespace_manifest("floe-jobs", "restricted", &extra)
        .unwrap();
    assert_eq!(
        ns["metadata"]["labels"],
        json!({"pod-security.kubernetes.io/enforce": "restricted",
        "pod-security.kubernetes.io/audit": "restricted", "pod-security.kubernetes.io/warn": "restricted",
        "app.kubernetes.io/managed-by": "floe", "team": "data"})
    );
    assert_round_trips::<Namespace>(&ns);
}
