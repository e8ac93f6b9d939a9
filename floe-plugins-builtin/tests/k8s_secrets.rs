//! The k8s secrets plugin against a fake Kubernetes API server on 127.0.0.1 that keeps
//! core/v1 Secrets in memory.
#![cfg(feature = "k8s-secrets")]
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD as B64;
use floe_plugins_builtin as _;
use floe_plugins_builtin::k8s_secrets::SecretsError;
use floe_registry::ConfigErrorKind;
use floe_registry::prelude::*;
use serde_json::{Value, json};
use support::canary::{CANARY, assert_no_canary};
use support::deadline::assert_no_hang;
use support::http_fake::{FakeServer, Reply, Request, decode};

const COLLECTION: &str = "/api/v1/namespaces/floe-jobs/secrets";

type Store = Arc<Mutex<BTreeMap<String, Value>>>;

fn status(code: u16, reason: &str, message: &str) -> Reply {
    Reply::json(
        code,
        json!({"kind": "Status", "apiVersion": "v1", "status": "Failure", "message": message, "reason": reason, "code": code}),
    )
}

fn selector_matches(item: &Value, selector: &str) -> bool {
    selector.split(',').filter(|s| !s.is_empty()).all(|pair| {
        let (k, v) = pair.split_once('=').unwrap();
        item["metadata"]["labels"][k] == v
    })
}

/// A fake API server for namespace `floe-jobs` that wants `Bearer <token>`, where
/// `token` is read from `token_file` at each request; `overrides` answers first.
struct Cluster {
    server: FakeServer,
    store: Store,
}

fn cluster(
    expected_token: Arc<Mutex<String>>,
    overrides: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static,
) -> Cluster {
    let store: Store = Arc::default();
    let s = Arc::clone(&store);
    let server = FakeServer::start(move |r| {
        if let Some(reply) = overrides(r) {
            return reply;
        }
        let wanted = format!("Bearer {}", expected_token.lock().unwrap());
        if r.header("authorization") != Some(wanted.as_str()) {
            return status(401, "Unauthorized", "Unauthorized");
        }
        let mut store = s.lock().unwrap();
        let name = r
            .path
            .strip_prefix(&format!("{COLLECTION}/"))
            .map(str::to_owned);
        match (r.method.as_str(), name) {
            ("GET", None) if r.path == COLLECTION => {
                let q = r.query_pairs();
                let selector = q.get("labelSelector").cloned().unwrap_or_default();
                let mut items: Vec<Value> = store
                    .values()
                    .filter(|i| selector_matches(i, &selector))
                    .cloned()
                    .collect();
                if let Some(limit) = q.get("limit") {
                    items.truncate(limit.parse().unwrap());
                }
                Reply::json(
                    200,
                    json!({"kind": "SecretList", "apiVersion": "v1", "items": items}),
                )
            }
            ("POST", None) if r.path == COLLECTION => {
                let mut body = r.json();
                let name = body["metadata"]["name"].as_str().unwrap().to_owned();
                if store.contains_key(&name) {
                    return status(
                        409,
                        "AlreadyExists",
                        &format!("secrets \"{name}\" already exists"),
                    );
                }
                body["metadata"]["resourceVersion"] = json!("1");
                store.insert(name, body.clone());
                Reply::json(201, body)
            }
            ("GET", Some(name)) => match store.get(&name) {
                Some(secret) => Reply::json(200, secret.clone()),
                None => status(404, "NotFound", &format!("secrets \"{name}\" not found")),
            },
            ("PUT", Some(name)) => {
                let mut body = r.json();
                let Some(current) = store.get(&name) else {
                    return status(404, "NotFound", "not found");
                };
                if body["metadata"]["resourceVersion"] != current["metadata"]["resourceVersion"] {
                    return status(409, "Conflict", "the object has been modified");
                }
                let version: u64 = current["metadata"]["resourceVersion"]
                    .as_str()
                    .unwrap()
                    .parse()
                    .unwrap();
                body["metadata"]["resourceVersion"] = json!((version + 1).to_string());
                store.insert(name, body.clone());
                Reply::json(200, body)
            }
            _ => status(
                404,
                "NotFound",
                "the server could not find the requested resource",
            ),
        }
    });
    Cluster { server, store }
}

/// A service-account directory holding `token`.
fn service_account(token: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("token"), format!("{token}\n")).unwrap();
    dir
}

fn in_cluster_config(c: &Cluster, sa: &Path) -> Value {
    json!({
        "service_account_dir": sa.to_str().unwrap(),
        "api_server": c.server.url(),
        "timeout_seconds": 2.0
    })
}

fn configured(config: Value) -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
        .configure(PluginType::Secrets, "k8s", config)
        .expect("valid k8s config");
    registry
}

fn started(config: Value) -> PluginRegistry {
    let registry = configured(config);
    registry
        .activate(PluginType::Secrets, "k8s")
        .expect("startup");
    registry
}

fn plugin(registry: &PluginRegistry) -> &dyn SecretsPlugin {
    registry.get_as::<dyn SecretsPlugin>("k8s").unwrap()
}

fn token(t: &str) -> Arc<Mutex<String>> {
    Arc::new(Mutex::new(t.to_owned()))
}

fn no_meta() -> BTreeMap<String, String> {
    BTreeMap::new()
}

#[test]
fn metadata_matches_the_reference() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let info = registry.info(PluginType::Secrets, "k8s").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(
        info.description,
        "Kubernetes Secrets backend for floe platform"
    );
}

#[test]
fn config_schema_matches_the_snapshot() {
    support::schema::assert_schema_snapshot(PluginType::Secrets, "k8s");
}

#[test]
fn defaults_follow_the_reference() {
    let registry = configured(json!({}));
    let config = registry
        .config::<floe_plugins_builtin::k8s_secrets::K8sSecretsConfig>(PluginType::Secrets, "k8s")
        .unwrap()
        .unwrap();
    assert_eq!(config.namespace, "floe-jobs");
    assert_eq!(
        config.labels,
        BTreeMap::from([("managed-by".into(), "floe".into())])
    );
    assert_eq!(config.secret_prefix, "floe-");
    assert_eq!(config.kubeconfig_path, None);
}

#[test]
fn invalid_config_reports_every_problem() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let err = registry
        .configure(
            PluginType::Secrets,
            "k8s",
            json!({"namespace": "Bad_NS", "labels": {"app": "x".repeat(64)}, "secret_prefix": "p".repeat(51), "extra": 1}),
        )
        .unwrap_err();
    let PluginError::Configuration { errors, .. } = err else {
        panic!("expected a configuration error")
    };
    let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
    for f in ["namespace", "labels.app", "secret_prefix", "extra"] {
        assert!(fields.contains(&f), "{f} missing from {errors:?}");
    }
    assert!(
        errors
            .iter()
            .any(|e| e.field == "extra" && e.kind == ConfigErrorKind::UnknownField)
    );
}

#[test]
fn methods_before_startup_say_so() {
    let registry = configured(json!({}));
    let p = plugin(&registry);
    assert_eq!(
        secrets_cause(&p.get_secret("db").unwrap_err()),
        "Kubernetes API server unavailable: Plugin not initialized - call startup() first"
    );
    assert_eq!(
        p.health_check().message,
        "Plugin not initialized - call startup() first"
    );
}

#[test]
fn set_creates_a_labelled_opaque_secret_and_get_reads_it() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| None);
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    let meta = BTreeMap::from([("owner".to_owned(), "ops".to_owned())]);
    p.set_secret("db/password", &Secret::new("hunter2"), &meta)
        .unwrap();

    let stored = c.store.lock().unwrap()["floe-db"].clone();
    assert_eq!(stored["type"], "Opaque");
    assert_eq!(stored["metadata"]["labels"], json!({"managed-by": "floe"}));
    assert_eq!(
        stored["metadata"]["annotations"],
        json!({"floe.dev/owner": "ops"})
    );
    assert_eq!(stored["data"]["password"], B64.encode("hunter2"));

    let got = p.get_secret("db/password").unwrap().unwrap();
    assert_eq!(got.expose(), "hunter2");
    assert!(
        p.get_secret("db/user").unwrap().is_none(),
        "missing data key"
    );
    assert!(
        p.get_secret("nope").unwrap().is_none(),
        "missing secret (404)"
    );
}

#[test]
fn set_updates_one_key_and_keeps_the_others() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| None);
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    p.set_secret("db/user", &Secret::new("alice"), &no_meta())
        .unwrap();
    p.set_secret("db/password", &Secret::new("one"), &no_meta())
        .unwrap();
    p.set_secret("db/password", &Secret::new("two"), &no_meta())
        .unwrap();
    assert_eq!(p.get_secret("db/user").unwrap().unwrap().expose(), "alice");
    assert_eq!(
        p.get_secret("db/password").unwrap().unwrap().expose(),
        "two"
    );
    let put = c
        .server
        .requests()
        .into_iter()
        .find(|r| r.method == "PUT")
        .unwrap();
    assert_eq!(put.path, format!("{COLLECTION}/floe-db"));
    assert!(
        put.json()["metadata"]["resourceVersion"].is_string(),
        "the read version is sent back"
    );
    assert_eq!(
        c.store.lock().unwrap()["floe-db"]["metadata"]["resourceVersion"],
        "3"
    );
}

#[test]
fn a_plain_key_is_the_value_entry() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| None);
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    p.set_secret("api-token", &Secret::new("t"), &no_meta())
        .unwrap();
    assert_eq!(
        c.store.lock().unwrap()["floe-api-token"]["data"]["value"],
        B64.encode("t")
    );
    assert_eq!(
        p.get_secret("api-token/value").unwrap().unwrap().expose(),
        "t"
    );
}

#[test]
fn a_concurrent_change_is_retried() {
    let sa = service_account("sa-token");
    let conflicts = Arc::new(AtomicUsize::new(0));
    let n = Arc::clone(&conflicts);
    let c = cluster(token("sa-token"), move |r| {
        (r.method == "PUT" && n.fetch_add(1, Ordering::SeqCst) == 0)
            .then(|| status(409, "Conflict", "the object has been modified"))
    });
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    p.set_secret("db/a", &Secret::new("1"), &no_meta()).unwrap();
    p.set_secret("db/b", &Secret::new("2"), &no_meta()).unwrap();
    assert_eq!(
        conflicts.load(Ordering::SeqCst),
        2,
        "first PUT refused, second accepted"
    );
    assert_eq!(p.get_secret("db/b").unwrap().unwrap().expose(), "2");
}

#[test]
fn list_uses_the_labels_and_the_prefix() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| None);
    {
        let mut store = c.store.lock().unwrap();
        let secret = |name: &str, labels: Value, keys: &[&str]| {
            let data: serde_json::Map<String, Value> = keys
                .iter()
                .map(|k| ((*k).to_owned(), json!(B64.encode("x"))))
                .collect();
            json!({"metadata": {"name": name, "labels": labels, "resourceVersion": "1"}, "data": data})
        };
        let ours = json!({"managed-by": "floe"});
        store.insert(
            "floe-db".into(),
            secret("floe-db", ours.clone(), &["user", "password"]),
        );
        store.insert(
            "floe-api".into(),
            secret("floe-api", ours.clone(), &["value"]),
        );
        store.insert("other".into(), secret("other", ours, &["value"]));
        store.insert(
            "floe-foreign".into(),
            secret("floe-foreign", json!({"app": "x"}), &["value"]),
        );
    }
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    assert_eq!(
        p.list_secrets("").unwrap(),
        ["api/value", "db/password", "db/user"]
    );
    assert_eq!(p.list_secrets("db/").unwrap(), ["db/password", "db/user"]);
    let list = c
        .server
        .requests()
        .into_iter()
        .find(|r| r.method == "GET" && r.path == COLLECTION)
        .unwrap();
    assert_eq!(decode(&list.query), "labelSelector=managed-by=floe");
}

#[test]
fn forbidden_is_access_denied() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| {
        Some(status(
            403,
            "Forbidden",
            "secrets \"floe-db\" is forbidden: User \"system:serviceaccount:floe:runner\" cannot get resource \"secrets\"",
        ))
    });
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    let err = p.get_secret("db/password").unwrap_err();
    assert!(
        secrets_cause(&err).starts_with(
            "Access denied to secret 'floe-db' in namespace 'floe-jobs': secrets \"floe-db\" is forbidden"
        ),
        "{err}"
    );
    let kind = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<SecretsError>());
    assert!(matches!(kind, Some(SecretsError::AccessDenied { .. })));
    let err = p.list_secrets("").unwrap_err();
    assert!(
        secrets_cause(&err).starts_with("Access denied to secret '' in namespace 'floe-jobs'"),
        "{err}"
    );
    let err = p
        .set_secret("db/x", &Secret::new("v"), &no_meta())
        .unwrap_err();
    assert!(
        secrets_cause(&err).starts_with("Access denied to secret 'floe-db'"),
        "{err}"
    );
}

#[test]
fn server_errors_and_refused_tokens_are_unavailable() {
    let sa = service_account("wrong-token");
    let c = cluster(token("sa-token"), |r| {
        r.path
            .ends_with("/broken")
            .then(|| status(500, "InternalError", "etcd is down"))
    });
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    let err = p.get_secret("db").unwrap_err();
    assert_eq!(
        secrets_cause(&err),
        format!(
            "Kubernetes API server unavailable at {}: HTTP 401: Unauthorized",
            c.server.url()
        )
    );
    let mut config = in_cluster_config(&c, sa.path());
    config["secret_prefix"] = json!("");
    std::fs::write(sa.path().join("token"), "sa-token").unwrap();
    let registry = started(config);
    let err = plugin(&registry).get_secret("broken").unwrap_err();
    assert_eq!(
        secrets_cause(&err),
        format!(
            "Kubernetes API server unavailable at {}: HTTP 500: etcd is down",
            c.server.url()
        )
    );
}

#[test]
fn the_service_account_token_is_reread_after_rotation() {
    let sa = service_account("old-token");
    let expected = token("old-token");
    let c = cluster(Arc::clone(&expected), |_| None);
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    assert!(p.get_secret("db").unwrap().is_none());
    *expected.lock().unwrap() = "new-token".into();
    std::fs::write(sa.path().join("token"), "new-token\n").unwrap();
    assert!(
        p.get_secret("db").unwrap().is_none(),
        "the rotated token is used"
    );
}

#[test]
fn a_silent_api_server_times_out_at_the_configured_timeout() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| Some(Reply::hang()));
    let mut config = in_cluster_config(&c, sa.path());
    config["timeout_seconds"] = json!(0.5);
    let registry = started(config);
    let p = plugin(&registry);
    let start = Instant::now();
    let err = p.get_secret("db").unwrap_err();
    assert_no_hang(start, Duration::from_millis(500));
    assert!(secrets_cause(&err).contains("within 0.5s"), "{err}");
    let start = Instant::now();
    let status = p.health_check();
    assert_no_hang(start, Duration::from_millis(500));
    assert!(
        status
            .message
            .starts_with("K8s API check failed: Kubernetes API server unavailable"),
        "{status:?}"
    );
}

#[test]
fn health_lists_one_secret() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| None);
    let registry = started(in_cluster_config(&c, sa.path()));
    let status = plugin(&registry).health_check();
    assert_eq!(status.state, HealthState::Healthy);
    assert_eq!(status.message, "Connected to K8s API, namespace: floe-jobs");
    let req = c.server.requests().pop().unwrap();
    assert_eq!(
        (req.path.as_str(), req.query.as_str()),
        (COLLECTION, "limit=1")
    );
}

#[test]
fn invalid_keys_and_data_are_errors() {
    let sa = service_account("sa-token");
    let c = cluster(token("sa-token"), |_| None);
    c.store.lock().unwrap().insert(
        "floe-bad".into(),
        json!({"metadata": {"name": "floe-bad"}, "data": {"value": "%%%not-base64"}}),
    );
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    let err = p.get_secret("Bad Name").unwrap_err();
    assert!(
        secrets_cause(&err).starts_with("invalid secret key 'Bad Name'"),
        "{err}"
    );
    let err = p.get_secret("bad").unwrap_err();
    assert_eq!(
        secrets_cause(&err),
        "data key 'value' of secret 'floe-bad' is not valid base64"
    );
}

fn write_kubeconfig(dir: &Path, server: &str, user: &str) -> String {
    let text = format!(
        "apiVersion: v1\nkind: Config\nclusters:\n- cluster:\n    server: {server}\n  name: dev\n\
         contexts:\n- context:\n    cluster: dev\n    user: {user}\n  name: dev-ctx\n\
         - context:\n    cluster: dev\n    user: robot\n  name: robot-ctx\n\
         current-context: dev-ctx\npreferences: {{}}\nusers:\n\
         - name: admin\n  user:\n    token: \"{CANARY}\"\n\
         - name: robot\n  user:\n    tokenFile: robot-token\n\
         - name: eks\n  user:\n    exec:\n      command: aws\n      args: [\"eks\", \"get-token\"]\n\
         - name: certs\n  user:\n    client-certificate-data: {cert}\n    client-key-data: {key}\n\
         - name: broken-certs\n  user:\n    client-certificate-data: {bad}\n    client-key-data: {bad}\n",
        cert = B64.encode(std::fs::read(fixture("client-cert.pem")).unwrap()),
        key = B64.encode(std::fs::read(fixture("client-key.pem")).unwrap()),
        bad = B64.encode("not a pem"),
    );
    let path = dir.join("config");
    std::fs::write(&path, text).unwrap();
    std::fs::write(dir.join("robot-token"), "robot-secret-token\n").unwrap();
    path.to_str().unwrap().to_owned()
}

fn fixture(name: &str) -> String {
    format!("{}/tests/fixtures/part2/{name}", env!("CARGO_MANIFEST_DIR"))
}

#[test]
fn a_kubeconfig_token_user_works() {
    let dir = tempfile::tempdir().unwrap();
    let c = cluster(token(CANARY), |_| None);
    let path = write_kubeconfig(dir.path(), &c.server.url(), "admin");
    let registry = started(json!({"kubeconfig_path": path, "service_account_dir": "/nonexistent"}));
    let p = plugin(&registry);
    p.set_secret("db", &Secret::new("v"), &no_meta()).unwrap();
    assert_eq!(p.get_secret("db").unwrap().unwrap().expose(), "v");
}

#[test]
fn a_kubeconfig_context_with_a_token_file_works() {
    let dir = tempfile::tempdir().unwrap();
    let c = cluster(token("robot-secret-token"), |_| None);
    let path = write_kubeconfig(dir.path(), &c.server.url(), "admin");
    let registry = started(json!({"kubeconfig_path": path, "context": "robot-ctx"}));
    assert!(plugin(&registry).get_secret("db").unwrap().is_none());
}

fn startup_error(config: Value) -> String {
    let registry = configured(config);
    let err = registry.activate(PluginType::Secrets, "k8s").unwrap_err();
    let text = support::error_chain::chain_text(&err);
    assert_no_canary("startup error", &text);
    assert_no_canary("startup error Debug", &format!("{err:?}"));
    text
}

#[test]
fn unsupported_or_broken_kubeconfigs_fail_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_kubeconfig(dir.path(), "https://k8s.example.com", "eks");
    let text = startup_error(json!({"kubeconfig_path": path}));
    assert!(
        text.contains(
            "Kubernetes API server unavailable: kubeconfig user 'eks' authenticates with `exec`"
        ),
        "{text}"
    );
    let text = startup_error(json!({"kubeconfig_path": path, "context": "missing"}));
    assert!(
        text.contains("context 'missing' not found in kubeconfig")
            && text.contains("dev-ctx, robot-ctx"),
        "{text}"
    );
    let path = write_kubeconfig(dir.path(), "https://k8s.example.com", "broken-certs");
    let text = startup_error(json!({"kubeconfig_path": path}));
    assert!(text.contains("invalid client certificate"), "{text}");
    let text = startup_error(json!({"kubeconfig_path": dir.path().join("nope").to_str().unwrap()}));
    assert!(text.contains("cannot read kubeconfig"), "{text}");
}

#[test]
fn a_client_certificate_user_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let path = write_kubeconfig(dir.path(), "https://k8s.example.com", "certs");
    let registry = configured(json!({"kubeconfig_path": path}));
    registry.activate(PluginType::Secrets, "k8s").unwrap();
}

#[test]
fn secrets_never_show() {
    let sa = service_account(CANARY);
    let c = cluster(token(CANARY), |r| {
        r.path
            .ends_with("/floe-denied")
            .then(|| status(403, "Forbidden", "no"))
    });
    let registry = started(in_cluster_config(&c, sa.path()));
    let p = plugin(&registry);
    p.set_secret("db/password", &Secret::new(CANARY), &no_meta())
        .unwrap();
    let value = p.get_secret("db/password").unwrap().unwrap();
    assert_eq!(value.expose(), CANARY);
    let outputs = [
        format!("{value:?}"),
        format!("{:?}", p.list_secrets("")),
        format!("{:?}", p.get_secret("denied")),
        serde_json::to_string(&p.health_check()).unwrap(),
        serde_json::to_string(&registry.info(PluginType::Secrets, "k8s").unwrap()).unwrap(),
    ];
    for out in &outputs {
        assert_no_canary("k8s output", out);
    }
    let any: &dyn std::any::Any = p;
    let concrete = any
        .downcast_ref::<floe_plugins_builtin::k8s_secrets::K8sSecretsPlugin>()
        .unwrap();
    assert_no_canary("plugin Debug", &format!("{concrete:?}"));
}

/// The typed error's text under a plugin error whose own message is "Kubernetes secret request failed".
fn secrets_cause(err: &PluginError) -> String {
    support::error_chain::typed_cause(err, "Kubernetes secret request failed")
}
