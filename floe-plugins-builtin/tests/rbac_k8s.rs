//! The rbac plugin `k8s`: every validation rule and manifest shape of floe's RBAC
//! models, through the registry, and each manifest read back into k8s-openapi's types.

#![allow(clippy::unwrap_used)]

mod k8s;
mod support;

use floe_registry::prelude::*;
use floe_registry::rbac::{
    NamespaceConfig, PodSecurityConfig, PssLevel, RoleBindingConfig, RoleBindingSubject,
    RoleConfig, RoleRule, SeccompProfile, ServiceAccountConfig, WritableVolumeMount,
};
use k8s::assert_round_trips;
use k8s_openapi::api::core::v1::{
    Namespace, PodSecurityContext, SecurityContext, ServiceAccount, Volume, VolumeMount,
};
use k8s_openapi::api::rbac::v1::{Role, RoleBinding};
use serde_json::{Value, json};

fn with_rbac<R>(f: impl FnOnce(&dyn RbacPlugin) -> R) -> R {
    let registry = support::registry::registry();
    let rbac = registry.get_as::<dyn RbacPlugin>("k8s").unwrap();
    f(rbac)
}

fn error_of(result: Result<Value, PluginError>) -> String {
    result.expect_err("the config must be refused").to_string()
}

#[test]
fn the_plugin_name_is_its_registry_identity() {
    let registry = support::registry::registry();
    let info = registry.info(PluginType::Rbac, "k8s").unwrap();
    assert_eq!(info.name, "k8s");
    assert!(registry.info(PluginType::Rbac, "k8s-rbac").is_err());
    assert!(
        registry
            .config_schema(PluginType::Rbac, "k8s")
            .unwrap()
            .is_none()
    );
}

#[test]
fn service_account_manifest_has_floes_shape_and_reads_back() {
    with_rbac(|rbac| {
        let m = rbac
            .generate_service_account(&ServiceAccountConfig::new("floe-runner", "floe-jobs"))
            .unwrap();
        assert_eq!(
            m,
            json!({"apiVersion": "v1", "kind": "ServiceAccount",
                "metadata": {"name": "floe-runner", "namespace": "floe-jobs",
                    "labels": {"app.kubernetes.io/managed-by": "floe"}, "annotations": {}},
                "automountServiceAccountToken": false})
        );
        assert_round_trips::<ServiceAccount>(&m);
    });
}

#[test]
fn service_account_names_and_namespaces_are_checked() {
    with_rbac(|rbac| {
        let e = error_of(
            rbac.generate_service_account(&ServiceAccountConfig::new("runner", "floe-jobs")),
        );
        assert!(e.contains("^floe-[a-z0-9-]+$"), "{e}");
        let e = error_of(
            rbac.generate_service_account(&ServiceAccountConfig::new("floe-runner", "-jobs")),
        );
        assert!(e.contains("namespace"), "{e}");
    });
}

#[test]
fn role_manifest_has_resource_names_only_when_set_and_reads_back() {
    with_rbac(|rbac| {
        let mut named = RoleRule::new(&["secrets"], &["get"]);
        named.resource_names = Some(vec!["db-password".into()]);
        let config = RoleConfig::new(
            "floe-reader-role",
            "floe-jobs",
            vec![RoleRule::new(&["pods"], &["get", "list"]), named],
        );
        let m = rbac.generate_role(&config).unwrap();
        assert_eq!(m["apiVersion"], "rbac.authorization.k8s.io/v1");
        assert_eq!(m["kind"], "Role");
        assert_eq!(
            m["rules"],
            json!([{"apiGroups": [""], "resources": ["pods"], "verbs": ["get", "list"]},
                   {"apiGroups": [""], "resources": ["secrets"], "verbs": ["get"], "resourceNames": ["db-password"]}])
        );
        assert_round_trips::<Role>(&m);
    });
}

#[test]
fn wildcards_are_refused_in_groups_resources_and_verbs() {
    with_rbac(|rbac| {
        for rule in [
            RoleRule::new(&["*"], &["get"]),
            RoleRule::new(&["pods"], &["*"]),
            {
                let mut r = RoleRule::new(&["pods"], &["get"]);
                r.api_groups = vec!["*".into()];
                r
            },
        ] {
            let config = RoleConfig::new("floe-x-role", "floe-jobs", vec![rule]);
            let e = error_of(rbac.generate_role(&config));
            assert!(
                e.contains("Wildcard permissions (*) are forbidden per FR-070"),
                "{e}"
            );
        }
    });
}

#[test]
fn role_names_need_the_role_suffix_and_rules() {
    with_rbac(|rbac| {
        let e = error_of(rbac.generate_role(&RoleConfig::new(
            "floe-reader",
            "floe-jobs",
            vec![RoleRule::new(&["pods"], &["get"])],
        )));
        assert!(e.contains("-role$"), "{e}");
        let e = error_of(rbac.generate_role(&RoleConfig::new("floe-x-role", "floe-jobs", vec![])));
        assert!(e.contains("at least 1"), "{e}");
    });
}

#[test]
fn role_binding_manifest_has_subjects_and_role_ref_and_reads_back() {
    with_rbac(|rbac| {
        let config = RoleBindingConfig::new(
            "floe-reader-binding",
            "floe-jobs",
            vec![RoleBindingSubject::new("floe-runner", "floe-jobs")],
            "floe-reader-role",
        );
        let m = rbac.generate_role_binding(&config).unwrap();
        assert_eq!(
            m["subjects"],
            json!([{"kind": "ServiceAccount", "name": "floe-runner", "namespace": "floe-jobs"}])
        );
        assert_eq!(
            m["roleRef"],
            json!({"kind": "Role", "name": "floe-reader-role", "apiGroup": "rbac.authorization.k8s.io"})
        );
        assert_round_trips::<RoleBinding>(&m);
    });
}

#[test]
fn subjects_outside_the_allowed_namespaces_are_refused_with_the_sorted_list() {
    with_rbac(|rbac| {
        let mut config = RoleBindingConfig::new(
            "floe-reader-binding",
            "floe-jobs",
            vec![RoleBindingSubject::new("floe-runner", "default")],
            "floe-reader-role",
        );
        config.allowed_subject_namespaces = Some(vec!["floe-platform".into(), "floe-jobs".into()]);
        let e = error_of(rbac.generate_role_binding(&config));
        assert!(
            e.contains("Subject 'floe-runner' is from namespace 'default' which is not in allowed namespaces: ['floe-jobs', 'floe-platform']"),
            "{e}"
        );
    });
}

#[test]
fn namespace_manifest_has_floes_labels_and_reads_back() {
    with_rbac(|rbac| {
        let mut config = NamespaceConfig::new("floe-platform", "3");
        config.pss_enforce = PssLevel::Baseline;
        config.labels.insert("team".into(), "data".into());
        let m = rbac.generate_namespace(&config).unwrap();
        assert_eq!(
            m["metadata"]["labels"],
            json!({
                "app.kubernetes.io/part-of": "floe",
                "app.kubernetes.io/managed-by": "floe",
                "floe.dev/layer": "3",
                "pod-security.kubernetes.io/enforce": "baseline",
                "pod-security.kubernetes.io/audit": "restricted",
                "pod-security.kubernetes.io/warn": "restricted",
                "team": "data"
            })
        );
        assert_eq!(
            m["metadata"]["labels"]["pod-security.kubernetes.io/enforce"],
            "baseline"
        );
        assert_eq!(
            m["metadata"]["labels"]["pod-security.kubernetes.io/warn"],
            "restricted"
        );
        assert_round_trips::<Namespace>(&m);
    });
}

#[test]
fn namespace_layers_are_3_or_4() {
    with_rbac(|rbac| {
        let e = error_of(rbac.generate_namespace(&NamespaceConfig::new("floe-jobs", "5")));
        assert!(e.contains("'3' or '4'"), "{e}");
    });
}

#[test]
fn pod_security_context_has_four_keys_that_read_back() {
    with_rbac(|rbac| {
        let mut config = PodSecurityConfig {
            seccomp_profile_type: SeccompProfile::Localhost,
            ..Default::default()
        };
        let mut cache = WritableVolumeMount::new("cache", "/var/cache");
        cache.medium = "Memory".into();
        cache.size_limit = Some("100Mi".into());
        config.writable_volume_mounts.push(cache);
        let m = rbac.generate_pod_security_context(&config).unwrap();
        let mut keys: Vec<&String> = m.as_object().unwrap().keys().collect();
        keys.sort();
        assert_eq!(keys, ["container", "pod", "volumeMounts", "volumes"]);
        assert_eq!(
            m["pod"],
            json!({"runAsNonRoot": true, "runAsUser": 1000, "runAsGroup": 1000, "fsGroup": 1000,
                   "seccompProfile": {"type": "Localhost"}})
        );
        assert_eq!(
            m["container"],
            json!({"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true,
                   "capabilities": {"drop": ["ALL"]}})
        );
        assert_eq!(
            m["volumes"],
            json!([{"name": "tmp", "emptyDir": {}},
                   {"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "100Mi"}}])
        );
        assert_round_trips::<PodSecurityContext>(&m["pod"]);
        assert_round_trips::<SecurityContext>(&m["container"]);
        for v in m["volumes"].as_array().unwrap() {
            assert_round_trips::<Volume>(v);
        }
        for v in m["volumeMounts"].as_array().unwrap() {
            assert_round_trips::<VolumeMount>(v);
        }
    });
}

#[test]
fn mount_paths_must_be_absolute_without_traversal_and_ids_at_least_1() {
    with_rbac(|rbac| {
        let config = PodSecurityConfig {
            writable_volume_mounts: vec![WritableVolumeMount::new("x", "/tmp/../etc")],
            ..Default::default()
        };
        let e = error_of(rbac.generate_pod_security_context(&config));
        assert!(
            e.contains("Mount path cannot contain '..' (path traversal not allowed)"),
            "{e}"
        );
        let config = PodSecurityConfig {
            run_as_user: 0,
            ..Default::default()
        };
        let e = error_of(rbac.generate_pod_security_context(&config));
        assert!(e.contains("run_as_user"), "{e}");
    });
}
