//! RBAC models: rules, patterns and manifests.

use floe_interfaces::rbac::*;
use floe_interfaces::{Validate, from_value};
use serde_json::json;

#[test]
fn wildcards_are_forbidden_in_groups_resources_and_verbs() {
    for rule in [
        json!({"api_groups": ["*"], "resources": ["pods"], "verbs": ["get"]}),
        json!({"resources": ["*"], "verbs": ["get"]}),
        json!({"resources": ["pods"], "verbs": ["*"]}),
    ] {
        let err = from_value::<RoleRule>(rule).expect_err("wildcard");
        assert_eq!(
            err.messages(),
            ["Wildcard permissions (*) are forbidden per FR-070"]
        );
    }
}

#[test]
fn a_rule_defaults_to_the_core_group_and_needs_resources_and_verbs() {
    let rule: RoleRule =
        from_value(json!({"resources": ["pods"], "verbs": ["get"]})).expect("valid");
    assert_eq!(rule.api_groups, [""]);
    let err = from_value::<RoleRule>(json!({"resources": [], "verbs": []})).expect_err("empty");
    assert_eq!(
        err.messages(),
        [
            "List should have at least 1 item",
            "List should have at least 1 item"
        ]
    );
}

#[test]
fn names_follow_floes_patterns() {
    let sa = ServiceAccountConfig::new("runner", "floe-jobs");
    assert_eq!(
        sa.validate().expect_err("no prefix").to_string(),
        "name: String should match pattern '^floe-[a-z0-9-]+$'"
    );
    let role = RoleConfig::new(
        "floe-reader",
        "floe-jobs",
        vec![RoleRule::new(&["pods"], &["get"])],
    );
    assert_eq!(
        role.validate().expect_err("no suffix").to_string(),
        "name: String should match pattern '^floe-[a-z0-9-]+-role$'"
    );
    let binding = RoleBindingConfig::new(
        "floe-x",
        "floe-jobs",
        vec![RoleBindingSubject::new("a", "floe-jobs")],
        "floe-x-role",
    );
    assert_eq!(
        binding.validate().expect_err("no suffix").to_string(),
        "name: String should match pattern '^floe-[a-z0-9-]+-binding$'"
    );
    let bad_ns = ServiceAccountConfig::new("floe-runner", "Floe_Jobs");
    assert!(
        bad_ns
            .validate()
            .expect_err("namespace")
            .to_string()
            .starts_with("namespace: String should match pattern")
    );
}

#[test]
fn subjects_must_come_from_allowed_namespaces() {
    let mut b = RoleBindingConfig::new(
        "floe-read-binding",
        "floe-jobs",
        vec![
            RoleBindingSubject::new("floe-a", "floe-jobs"),
            RoleBindingSubject::new("floe-b", "default"),
        ],
        "floe-read-role",
    );
    assert!(b.validate().is_ok(), "no restriction by default");
    b.allowed_subject_namespaces = Some(vec!["floe-platform".into(), "floe-jobs".into()]);
    assert_eq!(
        b.validate().expect_err("default").messages(),
        [
            "Subject 'floe-b' is from namespace 'default' which is not in allowed namespaces: ['floe-jobs', 'floe-platform']"
        ]
    );
}

#[test]
fn service_account_manifest() {
    let m = ServiceAccountConfig::new("floe-runner", "floe-jobs").to_manifest();
    assert_eq!(
        m,
        json!({
            "apiVersion": "v1", "kind": "ServiceAccount",
            "metadata": {"name": "floe-runner", "namespace": "floe-jobs",
                         "labels": {"app.kubernetes.io/managed-by": "floe"}, "annotations": {}},
            "automountServiceAccountToken": false
        })
    );
}

#[test]
fn role_manifest_adds_resource_names_only_when_non_empty() {
    let mut named = RoleRule::new(&["secrets"], &["get"]);
    named.resource_names = Some(vec!["db".into()]);
    let mut empty = RoleRule::new(&["pods"], &["list"]);
    empty.resource_names = Some(vec![]);
    let m = RoleConfig::new("floe-r-role", "floe-jobs", vec![named, empty]).to_manifest();
    assert_eq!(m["apiVersion"], "rbac.authorization.k8s.io/v1");
    assert_eq!(m["rules"][0]["resourceNames"], json!(["db"]));
    assert!(m["rules"][1].get("resourceNames").is_none());
}

#[test]
fn binding_manifest_refers_to_its_role() {
    let b = RoleBindingConfig::new(
        "floe-r-binding",
        "floe-jobs",
        vec![RoleBindingSubject::new("floe-a", "floe-jobs")],
        "floe-r-role",
    );
    let m = b.to_manifest();
    assert_eq!(
        m["roleRef"],
        json!({"kind": "Role", "name": "floe-r-role", "apiGroup": "rbac.authorization.k8s.io"})
    );
    assert_eq!(m["subjects"][0]["kind"], "ServiceAccount");
}

#[test]
fn namespace_labels_with_pss_levels_and_extras_overriding() {
    let mut ns = NamespaceConfig::new("floe-platform", "3");
    ns.pss_enforce = PssLevel::Baseline;
    ns.labels.insert("floe.dev/layer".into(), "x".into());
    ns.labels.insert("team".into(), "data".into());
    let labels = ns.to_manifest()["metadata"]["labels"].clone();
    assert_eq!(labels.as_object().map(|m| m.len()), Some(7));
    assert_eq!(labels["app.kubernetes.io/part-of"], "floe");
    assert_eq!(labels["team"], "data");
    assert_eq!(labels["floe.dev/layer"], "x");
    assert_eq!(labels["pod-security.kubernetes.io/enforce"], "baseline");
    let bad = NamespaceConfig::new("floe-x", "5");
    assert_eq!(
        bad.validate().expect_err("layer").to_string(),
        "layer: Input should be '3' or '4'"
    );
}

#[test]
fn namespace_manifest_writes_floes_label_order_then_the_extras() {
    let mut ns = NamespaceConfig::new("floe-jobs", "4");
    ns.pss_warn = PssLevel::Baseline;
    ns.labels.insert("team".into(), "data".into());
    ns.labels.insert("app".into(), "etl".into());
    let json = serde_json::to_string(&ns.manifest()).expect("serialises");
    assert_eq!(
        json,
        concat!(
            r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"floe-jobs","labels":{"#,
            r#""app.kubernetes.io/part-of":"floe","#,
            r#""app.kubernetes.io/managed-by":"floe","#,
            r#""floe.dev/layer":"4","#,
            r#""pod-security.kubernetes.io/enforce":"restricted","#,
            r#""pod-security.kubernetes.io/audit":"restricted","#,
            r#""pod-security.kubernetes.io/warn":"baseline","#,
            r#""app":"etl","team":"data"}}}"#
        ),
        "floe's labels first, in floe's order, then the extra labels"
    );
}

#[test]
fn an_extra_label_overrides_floes_value_in_place() {
    let mut ns = NamespaceConfig::new("floe-platform", "3");
    ns.labels
        .insert("app.kubernetes.io/managed-by".into(), "helm".into());
    let manifest = ns.manifest();
    let labels: Vec<(&str, &str)> = manifest.metadata.labels.iter().collect();
    assert_eq!(labels.len(), 6, "an override adds no label: {labels:?}");
    assert_eq!(
        labels[1],
        ("app.kubernetes.io/managed-by", "helm"),
        "the override keeps floe's position"
    );
    assert_eq!(
        ns.to_manifest()["metadata"]["labels"]["app.kubernetes.io/managed-by"],
        "helm",
        "the JSON value has the same content"
    );
}

#[test]
fn mount_paths_may_not_traverse() {
    let m = WritableVolumeMount::new("cache", "/tmp/../etc");
    assert_eq!(
        m.validate().expect_err("..").messages(),
        ["Mount path cannot contain '..' (path traversal not allowed)"]
    );
}

#[test]
fn pod_security_contexts_and_volumes() {
    let mut c = PodSecurityConfig::default();
    let mut mem = WritableVolumeMount::new("cache", "/cache");
    mem.medium = "Memory".into();
    mem.size_limit = Some("64Mi".into());
    c.writable_volume_mounts.push(mem);
    assert_eq!(
        c.pod_context(),
        json!({"runAsNonRoot": true, "runAsUser": 1000, "runAsGroup": 1000, "fsGroup": 1000, "seccompProfile": {"type": "RuntimeDefault"}})
    );
    assert_eq!(
        c.container_context(),
        json!({"allowPrivilegeEscalation": false, "readOnlyRootFilesystem": true, "capabilities": {"drop": ["ALL"]}})
    );
    assert_eq!(
        c.volumes(),
        json!([{"name": "tmp", "emptyDir": {}}, {"name": "cache", "emptyDir": {"medium": "Memory", "sizeLimit": "64Mi"}}])
    );
    c.run_as_user = 0;
    assert_eq!(
        c.validate().expect_err("root").to_string(),
        "run_as_user: must be between 1 and 2147483647, got 0"
    );
    c.run_as_user = 2_147_483_648;
    assert_eq!(
        c.validate().expect_err("beyond Kubernetes").to_string(),
        "run_as_user: must be between 1 and 2147483647, got 2147483648"
    );
}

#[test]
fn a_wildcard_is_reported_at_its_list_once() {
    let err = from_value::<RoleConfig>(json!({"name": "floe-a-role", "namespace": "ns",
        "rules": [{"resources": ["*", "*"], "verbs": ["get", "*"]}]}))
    .expect_err("wildcards");
    let paths: Vec<&str> = err.0.iter().map(|e| e.path.as_str()).collect();
    assert_eq!(paths, ["rules.0.resources", "rules.0.verbs"]);
}

#[test]
fn an_empty_size_limit_is_no_limit_and_a_mount_path_is_one_line() {
    let mut m = WritableVolumeMount::new("tmp", "/tmp");
    m.size_limit = Some(String::new());
    let c = PodSecurityConfig {
        writable_volume_mounts: vec![m],
        ..PodSecurityConfig::default()
    };
    assert_eq!(c.volumes(), json!([{"name": "tmp", "emptyDir": {}}]));
    for bad in ["/tmp\n", "/a\nb", "tmp"] {
        let err = WritableVolumeMount::new("tmp", bad)
            .validate()
            .expect_err(bad);
        assert_eq!(
            err.messages(),
            ["String should match pattern '^/.*$'"],
            "{bad:?}"
        );
    }
}

#[test]
fn only_the_first_subject_from_elsewhere_is_named_once_the_fields_are_valid() {
    let mut b = RoleBindingConfig::new(
        "floe-x-binding",
        "a",
        vec![
            RoleBindingSubject::new("s", "q"),
            RoleBindingSubject::new("t", "z"),
        ],
        "r",
    );
    b.allowed_subject_namespaces = Some(vec!["it's".into(), "b".into()]);
    assert_eq!(
        b.validate().expect_err("outsiders").messages(),
        [r#"Subject 's' is from namespace 'q' which is not in allowed namespaces: ['b', "it's"]"#]
    );
    b.name = "bad".into();
    let err = b.validate().expect_err("bad name");
    assert_eq!(err.0.len(), 1);
    assert_eq!(err.0[0].path, "name");
}

#[test]
fn read_model_reports_every_problem_by_path() {
    let err = floe_interfaces::read_model::<PodSecurityConfig>(&json!({
        "run_as_user": "x", "fs_group": 0, "extra": 1,
        "writable_volume_mounts": [7, {"name": "tmp", "mount_path": "tmp"}],
    }))
    .expect_err("invalid");
    let mut paths: Vec<&str> = err.0.iter().map(|e| e.path.as_str()).collect();
    paths.sort_unstable();
    assert_eq!(
        paths,
        [
            "extra",
            "fs_group",
            "run_as_user",
            "writable_volume_mounts.0",
            "writable_volume_mounts.1.mount_path"
        ]
    );
    let ok: PodSecurityConfig =
        floe_interfaces::read_model(&json!({"run_as_user": 2000.0})).expect("integral float");
    assert_eq!(ok.run_as_user, 2000);
}
