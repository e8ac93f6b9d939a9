//! The `infisical` secrets backend against a loopback fake of Infisical's REST API.
#![cfg(feature = "infisical-secrets")]

mod support;

use std::collections::BTreeMap;

use floe_registry::prelude::*;
use floe_registry::{HealthState, PluginRegistry};
use serde_json::{Value, json};
use support::alerts::logs_of;
use support::canary::{CANARY, assert_no_canary};
use support::http_fake::{FakeServer, Reply, Request, closed_port};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const TOKEN: &str = "tok-123";

/// A fake Infisical holding `DB_PASSWORD` (value: the canary) and `API_KEY`.
fn infisical(extra: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static) -> FakeServer {
    FakeServer::start(move |r| {
        if let Some(reply) = extra(r) {
            return reply;
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("POST", "/api/v1/auth/universal-auth/login") => Reply::json(
                200,
                json!({"accessToken": TOKEN, "expiresIn": 7200, "accessTokenMaxTTL": 7200, "tokenType": "Bearer"}),
            ),
            ("GET", "/api/v3/secrets/raw/DB_PASSWORD") => Reply::json(
                200,
                json!({"secret": {"secretKey": "DB_PASSWORD", "secretValue": CANARY, "type": "shared"}}),
            ),
            ("GET", "/api/v3/secrets/raw") => Reply::json(
                200,
                json!({"secrets": [{"secretKey": "DB_PASSWORD"}, {"secretKey": "API_KEY"}, {"secretKey": "DB_USER"}]}),
            ),
            ("POST" | "PATCH" | "DELETE", _) => Reply::json(200, json!({"secret": {}})),
            _ => Reply::json(404, json!({"message": "Secret not found"})),
        }
    })
}

fn started(server: &FakeServer, extra: Value) -> PluginRegistry {
    let registry = registry();
    let mut config = json!({
        "client_id": "machine-1",
        "client_secret": CANARY,
        "site_url": format!("{}/", server.url()),
        "project_id": "proj-9",
        "environment": "prod",
        "secret_path": "app",
        "allow_insecure_http": true,
        "timeout_seconds": 2,
    });
    for (k, v) in extra.as_object().into_iter().flatten() {
        config[k] = v.clone();
    }
    registry
        .configure(PluginType::Secrets, "infisical", config)
        .expect("valid config");
    registry
        .activate(PluginType::Secrets, "infisical")
        .expect("startup");
    registry
}

fn plugin(registry: &PluginRegistry) -> &dyn SecretsPlugin {
    registry
        .get_as::<dyn SecretsPlugin>("infisical")
        .expect("registered")
}

fn no_meta() -> BTreeMap<String, String> {
    BTreeMap::new()
}

#[test]
fn metadata_matches_the_reference() {
    let info = registry()
        .info(PluginType::Secrets, "infisical")
        .expect("registered");
    assert_eq!(info.name, "infisical");
    assert_eq!(info.version, "0.1.0");
    assert_eq!(
        info.description,
        "Infisical secrets backend for floe platform"
    );
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::Secrets, "infisical");
}

#[test]
fn startup_logs_in_with_universal_auth() {
    let server = infisical(|_| None);
    let _registry = started(&server, json!({}));
    let login = &server.requests()[0];
    assert_eq!(login.method, "POST");
    assert_eq!(login.path, "/api/v1/auth/universal-auth/login");
    assert_eq!(login.header("content-type"), Some("application/json"));
    assert_eq!(
        login.json(),
        json!({"clientId": "machine-1", "clientSecret": CANARY})
    );
}

#[test]
fn get_sends_the_sdk_query_with_the_bearer_token() {
    let server = infisical(|_| None);
    let registry = started(&server, json!({}));
    let value = plugin(&registry)
        .get_secret("DB_PASSWORD")
        .expect("get")
        .expect("found");
    assert_eq!(value.expose(), CANARY);
    let r = server
        .requests()
        .into_iter()
        .find(|r| r.method == "GET")
        .expect("a GET");
    assert_eq!(r.path, "/api/v3/secrets/raw/DB_PASSWORD");
    assert_eq!(
        r.query,
        "workspaceId=proj-9&environment=prod&secretPath=%2Fapp&type=shared"
    );
    assert_eq!(r.header("authorization"), Some("Bearer tok-123"));
    assert_eq!(r.header("accept"), Some("application/json"));
}

#[test]
fn a_missing_project_is_left_out_of_the_query() {
    let server = infisical(|_| None);
    let registry = started(&server, json!({"project_id": null}));
    let _ = plugin(&registry).get_secret("DB_PASSWORD").expect("get");
    let r = server
        .requests()
        .into_iter()
        .find(|r| r.method == "GET")
        .expect("GET");
    assert_eq!(r.query, "environment=prod&secretPath=%2Fapp&type=shared");
}

#[test]
fn a_missing_secret_is_none() {
    let server = infisical(|_| None);
    let registry = started(&server, json!({}));
    assert!(plugin(&registry).get_secret("NOPE").expect("get").is_none());
}

#[test]
fn list_filters_by_prefix_and_sorts() {
    let server = infisical(|_| None);
    let registry = started(&server, json!({}));
    assert_eq!(
        plugin(&registry).list_secrets("DB_").expect("list"),
        ["DB_PASSWORD", "DB_USER"]
    );
    let r = server
        .requests()
        .into_iter()
        .find(|r| r.method == "GET" && r.path == "/api/v3/secrets/raw")
        .expect("list request");
    assert_eq!(
        r.query,
        "environment=prod&workspaceId=proj-9&expandSecretReferences=true&recursive=false&secretPath=%2Fapp&include_imports=false"
    );
}

#[test]
fn set_creates_a_new_secret_with_the_metadata_as_comment() {
    let server = infisical(|_| None);
    let registry = started(&server, json!({}));
    let meta = BTreeMap::from([
        ("owner".to_owned(), "data".to_owned()),
        ("tier".to_owned(), "1".to_owned()),
    ]);
    plugin(&registry)
        .set_secret("NEW_KEY", &Secret::new("v1"), &meta)
        .expect("set");
    let r = server
        .requests()
        .into_iter()
        .find(|r| r.method == "POST" && r.path.starts_with("/api/v3"))
        .expect("create");
    assert_eq!(r.path, "/api/v3/secrets/raw/NEW_KEY");
    assert_eq!(
        r.json(),
        json!({"environment": "prod", "workspaceId": "proj-9", "secretValue": "v1", "type": "shared",
               "secretPath": "/app", "secretComment": "owner=data, tier=1", "skipMultilineEncoding": false})
    );
}

#[test]
fn set_updates_an_existing_secret_without_comment() {
    let server = infisical(|_| None);
    let registry = started(&server, json!({}));
    plugin(&registry)
        .set_secret("DB_PASSWORD", &Secret::new("v2"), &no_meta())
        .expect("set");
    let r = server
        .requests()
        .into_iter()
        .find(|r| r.method == "PATCH")
        .expect("update");
    assert_eq!(r.path, "/api/v3/secrets/raw/DB_PASSWORD");
    assert_eq!(
        r.json(),
        json!({"environment": "prod", "workspaceId": "proj-9", "secretValue": "v2", "type": "shared",
               "secretPath": "/app", "skipMultilineEncoding": false})
    );
}

#[test]
fn forbidden_is_access_denied() {
    let server =
        infisical(|r| (r.method == "GET").then(|| Reply::json(403, json!({"message": "no"}))));
    let registry = started(&server, json!({}));
    let err = plugin(&registry)
        .get_secret("DB_PASSWORD")
        .expect_err("denied");
    assert_eq!(
        infisical_cause(&err),
        "Infisical access denied to secret 'DB_PASSWORD' in project 'proj-9': no"
    );
}

#[test]
fn server_errors_are_unavailable() {
    let server =
        infisical(|r| (r.method == "GET").then(|| Reply::json(500, json!({"message": "boom"}))));
    let registry = started(&server, json!({}));
    let err = plugin(&registry).list_secrets("").expect_err("500");
    assert!(
        infisical_cause(&err).starts_with("Infisical API unavailable at http://"),
        "{err}"
    );
    assert!(infisical_cause(&err).contains("status 500"), "{err}");
}

#[test]
fn a_refused_login_fails_startup_as_authentication() {
    let server = infisical(|r| {
        r.path
            .ends_with("/login")
            .then(|| Reply::json(401, json!({"message": "Invalid credentials"})))
    });
    let registry = registry();
    registry
        .configure(
            PluginType::Secrets,
            "infisical",
            json!({"client_id": "m", "client_secret": CANARY, "site_url": server.url(), "allow_insecure_http": true}),
        )
        .expect("config");
    let err = registry
        .activate(PluginType::Secrets, "infisical")
        .expect_err("login refused");
    let text = format!("{} {err:?}", support::error_chain::chain_text(&err));
    assert!(text.contains("Infisical authentication failed"), "{text}");
    assert_no_canary("startup error", &text);
}

#[test]
fn a_silent_server_times_out_as_unavailable() {
    let server = infisical(|r| (r.method == "GET").then(Reply::hang));
    let registry = started(&server, json!({"timeout_seconds": 0.3}));
    let err = plugin(&registry)
        .get_secret("DB_PASSWORD")
        .expect_err("timeout");
    assert!(
        infisical_cause(&err).contains("Infisical API unavailable"),
        "{err}"
    );
    assert!(infisical_cause(&err).contains("no answer"), "{err}");
}

#[test]
fn a_refused_connection_is_unavailable_at_startup() {
    let registry = registry();
    registry
        .configure(
            PluginType::Secrets,
            "infisical",
            json!({"client_id": "m", "client_secret": CANARY,
                   "site_url": format!("http://{}", closed_port()), "allow_insecure_http": true}),
        )
        .expect("config");
    let err = registry
        .activate(PluginType::Secrets, "infisical")
        .expect_err("refused");
    let text = format!("{} {err:?}", support::error_chain::chain_text(&err));
    assert!(text.contains("Infisical API unavailable"), "{text}");
    assert_no_canary("startup error", &text);
}

#[test]
fn http_needs_allow_insecure_http() {
    let server = infisical(|_| None);
    let registry = registry();
    registry
        .configure(
            PluginType::Secrets,
            "infisical",
            json!({"client_id": "m", "client_secret": CANARY, "site_url": server.url()}),
        )
        .expect("config");
    let err = registry
        .activate(PluginType::Secrets, "infisical")
        .expect_err("http");
    assert!(
        format!("{err:?}").contains("site_url must use HTTPS for security"),
        "{err:?}"
    );
    assert!(server.requests().is_empty(), "nothing is sent over http");
}

#[test]
fn health_reports_the_site() {
    let server = infisical(|_| None);
    let registry = started(&server, json!({}));
    let health = plugin(&registry).health_check();
    assert_eq!(health.state, HealthState::Healthy);
    assert_eq!(
        health.message,
        format!("Connected to Infisical at {}", server.url())
    );
}

#[test]
fn the_client_secret_and_values_never_show() {
    let server =
        infisical(|r| (r.method == "PATCH").then(|| Reply::json(500, json!({"message": "nope"}))));
    let registry = started(&server, json!({}));
    let p = plugin(&registry);
    let (result, logs) = logs_of(|| p.set_secret("DB_PASSWORD", &Secret::new(CANARY), &no_meta()));
    let err = result.expect_err("500 on update");
    assert_no_canary("set error", &format!("{err} {err:?}"));
    assert_no_canary("logs", &logs);
    assert_no_canary("health", &format!("{:?}", p.health_check()));
    let config = registry
        .config::<floe_plugins_builtin::infisical::InfisicalConfig>(
            PluginType::Secrets,
            "infisical",
        )
        .expect("typed")
        .expect("stored");
    assert_no_canary("config Debug", &format!("{config:?}"));
}

/// The typed error's text under a plugin error whose own message is "Infisical request failed".
fn infisical_cause(err: &PluginError) -> String {
    support::error_chain::typed_cause(err, "Infisical request failed")
}
