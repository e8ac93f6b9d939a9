//! The keycloak identity plugin against a fake Keycloak realm on 127.0.0.1: OIDC
//! discovery, JWKS, token and userinfo endpoints, tokens signed with test RSA keys.
#![cfg(feature = "keycloak")]
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine as _;
use floe_plugins_builtin as _;
use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, TokenValidationResult};
use jsonwebtoken::{Algorithm, EncodingKey, Header};
use serde_json::{Value, json};
use support::canary::{CANARY, assert_no_canary};
use support::deadline::assert_no_hang;
use support::http_fake::{FakeServer, Reply, Request};

const REALM: &str = "/realms/floe";
const DISCOVERY: &str = "/realms/floe/.well-known/openid-configuration";
const CERTS: &str = "/realms/floe/protocol/openid-connect/certs";
const TOKEN: &str = "/realms/floe/protocol/openid-connect/token";
const USERINFO: &str = "/realms/floe/protocol/openid-connect/userinfo";
const PASSWORD: &str = "alice-pw-canary-2";

fn fixture(name: &str) -> String {
    let path = format!("{}/tests/fixtures/part2/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap()
}

fn jwk(name: &str) -> Value {
    serde_json::from_str(&fixture(&format!("{name}-jwk.json"))).unwrap()
}

/// The PKCS#1 DER inside a PEM file.
fn signing_key(name: &str) -> EncodingKey {
    let pem = fixture(&format!("{name}-key.pem"));
    let b64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    let der = base64::engine::general_purpose::STANDARD
        .decode(b64)
        .unwrap();
    EncodingKey::from_rsa_der(&der)
}

fn now() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_secs() as i64
}

/// A token signed by key `key` (`realm`, `rotated`, `attacker`) announcing `kid`.
fn sign(key: &str, kid: Option<&str>, claims: &Value) -> String {
    let mut header = Header::new(Algorithm::RS256);
    header.kid = kid.map(str::to_owned);
    jsonwebtoken::encode(&header, claims, &signing_key(key)).unwrap()
}

fn claims(issuer: &str) -> Value {
    json!({
        "iss": issuer, "aud": "floe-app", "sub": "user-1", "iat": now(), "exp": now() + 300,
        "email": "alice@example.com", "name": "Alice",
        "realm_access": {"roles": ["admin"]},
        "resource_access": {"floe-app": {"roles": ["reader"]}}
    })
}

struct Realm {
    server: FakeServer,
    rotated: Arc<AtomicBool>,
}

impl Realm {
    fn issuer(&self) -> String {
        format!("{}{REALM}", self.server.url())
    }
    fn token(&self) -> String {
        sign("realm", Some("realm-kid"), &claims(&self.issuer()))
    }
}

/// A fake realm; `overrides` answers first when it returns `Some`.
fn realm(overrides: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static) -> Realm {
    let rotated = Arc::new(AtomicBool::new(false));
    let rot = Arc::clone(&rotated);
    let base = Arc::new(std::sync::OnceLock::<String>::new());
    let b = Arc::clone(&base);
    let server = FakeServer::start(move |r| {
        if let Some(reply) = overrides(r) {
            return reply;
        }
        let base = b.get().cloned().unwrap_or_default();
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", DISCOVERY) => Reply::json(
                200,
                json!({
                    "issuer": format!("{base}{REALM}"),
                    "jwks_uri": format!("{base}{CERTS}"),
                    "token_endpoint": format!("{base}{TOKEN}"),
                    "userinfo_endpoint": format!("{base}{USERINFO}")
                }),
            ),
            ("GET", CERTS) => {
                let mut keys = vec![jwk("realm")];
                if rot.load(Ordering::SeqCst) {
                    keys.push(jwk("rotated"));
                }
                Reply::json(200, json!({ "keys": keys }))
            }
            ("POST", TOKEN) => {
                let form = r.form();
                let ok = match form.get("grant_type").map(String::as_str) {
                    Some("password") => {
                        form.get("username").map(String::as_str) == Some("alice")
                            && form.get("password").map(String::as_str) == Some(PASSWORD)
                    }
                    Some("client_credentials") => {
                        form.get("client_secret").map(String::as_str) == Some(CANARY)
                    }
                    _ => false,
                };
                if ok {
                    Reply::json(
                        200,
                        json!({"access_token": "issued-access-token", "token_type": "Bearer", "expires_in": 300}),
                    )
                } else {
                    Reply::json(
                        401,
                        json!({"error": "invalid_grant", "error_description": "Invalid user credentials"}),
                    )
                }
            }
            ("GET", USERINFO) => {
                if r.header("authorization") == Some("Bearer issued-access-token") {
                    Reply::json(
                        200,
                        json!({"sub": "user-1", "email": "alice@example.com", "name": "Alice",
                               "realm_access": {"roles": ["admin"]}, "groups": ["/eng"]}),
                    )
                } else {
                    Reply::json(401, json!({"error": "invalid_token"}))
                }
            }
            _ => Reply::json(404, json!({"error": "not found"})),
        }
    });
    let _ = base.set(server.url());
    Realm { server, rotated }
}

fn config_for(url: &str) -> Value {
    json!({
        "server_url": format!("  {url}/ "),
        "realm": "floe",
        "client_id": "floe-app",
        "client_secret": CANARY,
        "timeout": 2.0
    })
}

fn started(config: Value) -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
        .configure(PluginType::Identity, "keycloak", config)
        .expect("valid keycloak config");
    registry
        .activate(PluginType::Identity, "keycloak")
        .expect("startup");
    registry
}

fn plugin(registry: &PluginRegistry) -> &dyn IdentityPlugin {
    registry.get_as::<dyn IdentityPlugin>("keycloak").unwrap()
}

fn creds(pairs: &[(&str, &str)]) -> BTreeMap<String, Secret> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), Secret::new(*v)))
        .collect()
}

fn error_of(result: &TokenValidationResult) -> &str {
    assert!(!result.valid, "expected an invalid token: {result:?}");
    result.error.as_deref().unwrap_or("")
}

#[test]
fn metadata_matches_the_reference() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let info = registry.info(PluginType::Identity, "keycloak").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(
        info.description,
        "Keycloak OIDC identity provider for floe platform"
    );
}

#[test]
fn config_schema_matches_the_snapshot() {
    support::schema::assert_schema_snapshot(PluginType::Identity, "keycloak");
}

fn configure_error(config: Value) -> PluginError {
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
        .configure(PluginType::Identity, "keycloak", config)
        .unwrap_err()
}

#[test]
fn plain_http_is_refused_except_for_localhost_or_when_allowed() {
    let mut config = config_for("http://auth.example.com");
    let err = configure_error(config.clone());
    assert!(
        err.to_string()
            .contains("HTTP not allowed for 'auth.example.com'. server_url must use HTTPS"),
        "{err}"
    );
    assert_no_canary("configuration error", &err.to_string());
    config["allow_insecure_http"] = json!(true);
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
        .configure(PluginType::Identity, "keycloak", config)
        .unwrap();
    registry
        .configure(
            PluginType::Identity,
            "keycloak",
            config_for("http://localhost:8080"),
        )
        .unwrap();
    let stored = registry
        .config::<floe_plugins_builtin::keycloak::KeycloakConfig>(PluginType::Identity, "keycloak")
        .unwrap()
        .unwrap();
    assert_eq!(
        stored.server_url, "http://localhost:8080",
        "trimmed, no trailing slash"
    );
    assert_eq!(
        stored.audience, "floe-app",
        "audience defaults to the client id"
    );
    assert_eq!(stored.scopes, ["openid", "profile", "email"]);
}

#[test]
fn invalid_config_reports_every_problem() {
    let err = configure_error(
        json!({"server_url": "ftp://x", "realm": "", "client_secret": "", "leeway": 9999, "verify": true}),
    );
    let PluginError::Configuration { errors, .. } = err else {
        panic!("expected a configuration error")
    };
    let found: Vec<(&str, ConfigErrorKind)> =
        errors.iter().map(|e| (e.field.as_str(), e.kind)).collect();
    for expected in [
        ("server_url", ConfigErrorKind::Pattern),
        ("realm", ConfigErrorKind::Length),
        ("client_id", ConfigErrorKind::Missing),
        ("client_secret", ConfigErrorKind::Length),
        ("leeway", ConfigErrorKind::Range),
        ("verify", ConfigErrorKind::UnknownField),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:?}"
        );
    }
    let err = configure_error(
        json!({"server_url": "https://a", "realm": "r", "client_id": "c", "client_secret": "   "}),
    );
    assert!(
        err.to_string().contains("client_secret cannot be empty"),
        "{err}"
    );
}

#[test]
fn methods_before_startup_say_so() {
    let r = realm(|_| None);
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
        .configure(
            PluginType::Identity,
            "keycloak",
            config_for(&r.server.url()),
        )
        .unwrap();
    let p = plugin(&registry);
    let err = p.authenticate(&creds(&[])).unwrap_err();
    assert_eq!(err.to_string(), "Plugin not started. Call startup() first.");
    assert_eq!(
        error_of(&p.validate_token(&Secret::new(r.token()))),
        "Plugin not started. Call startup() first."
    );
    assert_eq!(
        p.health_check().message,
        "Plugin not started or client not initialized"
    );
}

#[test]
fn password_and_client_credentials_grants() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    let p = plugin(&registry);
    let token = p
        .authenticate(&creds(&[("username", "alice"), ("password", PASSWORD)]))
        .unwrap()
        .expect("a token for good credentials");
    assert_eq!(token.expose(), "issued-access-token");
    let sent = r
        .server
        .requests()
        .into_iter()
        .find(|q| q.path == TOKEN)
        .unwrap()
        .form();
    assert_eq!(sent["grant_type"], "password");
    assert_eq!(sent["client_id"], "floe-app");
    assert_eq!(sent["scope"], "openid profile email");

    assert!(
        p.authenticate(&creds(&[])).unwrap().is_some(),
        "client credentials"
    );
    let refused = p
        .authenticate(&creds(&[("username", "alice"), ("password", "wrong")]))
        .unwrap();
    assert!(refused.is_none(), "refused credentials give None");
}

#[test]
fn token_endpoint_failures_are_errors_not_refusals() {
    let r = realm(|q| (q.path == TOKEN).then(|| Reply::text(502, "bad gateway")));
    let registry = started(config_for(&r.server.url()));
    let err = plugin(&registry).authenticate(&creds(&[])).unwrap_err();
    assert_eq!(err.to_string(), "Keycloak token endpoint returned HTTP 502");
}

#[test]
fn a_silent_keycloak_times_out_at_the_configured_timeout() {
    let r = realm(|q| (q.path == TOKEN || q.path == DISCOVERY).then(Reply::hang));
    let mut config = config_for(&r.server.url());
    config["timeout"] = json!(0.5);
    let registry = started(config);
    let p = plugin(&registry);
    let start = Instant::now();
    let err = p.authenticate(&creds(&[])).unwrap_err();
    assert_no_hang(start, Duration::from_millis(500));
    assert_eq!(err.to_string(), "Keycloak token request failed");
    assert!(
        support::error_chain::chain_text(&err).contains("within 0.5s"),
        "the cause names the deadline: {err:?}"
    );
    let start = Instant::now();
    let status = p.health_check();
    assert_no_hang(start, Duration::from_millis(500));
    assert!(
        status
            .message
            .starts_with("Failed to connect to Keycloak: no answer"),
        "{status:?}"
    );
    let start = Instant::now();
    let result = p.validate_token(&Secret::new(r.token()));
    assert_no_hang(start, Duration::from_millis(500));
    assert!(
        error_of(&result).starts_with("Failed to fetch JWKS: no answer"),
        "{result:?}"
    );
}

#[test]
fn user_info_comes_from_the_userinfo_endpoint() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    let p = plugin(&registry);
    let info = p
        .get_user_info(&Secret::new("issued-access-token"))
        .unwrap()
        .expect("user info for a good token");
    assert_eq!(info.subject, "user-1");
    assert_eq!(info.email.as_deref(), Some("alice@example.com"));
    assert_eq!(info.roles, ["admin"]);
    assert_eq!(info.groups, ["/eng"]);
    assert!(p.get_user_info(&Secret::new("bad")).unwrap().is_none());
}

#[test]
fn a_valid_token_gives_its_user() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    let result = plugin(&registry).validate_token(&Secret::new(r.token()));
    assert!(result.valid, "{result:?}");
    let user = result.user_info.unwrap();
    assert_eq!(user.subject, "user-1");
    assert_eq!(user.roles, ["admin", "reader"]);
    assert!(result.expires_at.unwrap() > now());
}

#[test]
fn the_jwks_is_fetched_once_for_many_tokens() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    for _ in 0..4 {
        assert!(
            plugin(&registry)
                .validate_token(&Secret::new(r.token()))
                .valid
        );
    }
    assert_eq!(r.server.count("GET", CERTS), 1);
    assert_eq!(r.server.count("GET", DISCOVERY), 1);
}

#[test]
fn a_rotated_key_is_found_by_refetching_the_jwks() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    let p = plugin(&registry);
    assert!(p.validate_token(&Secret::new(r.token())).valid);
    r.rotated.store(true, Ordering::SeqCst);
    std::thread::sleep(Duration::from_millis(1100));
    let rotated = sign("rotated", Some("rotated-kid"), &claims(&r.issuer()));
    let result = p.validate_token(&Secret::new(rotated));
    assert!(result.valid, "{result:?}");
    assert_eq!(r.server.count("GET", CERTS), 2);
}

#[test]
fn an_unknown_key_id_is_refused() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    let token = sign("attacker", Some("mystery"), &claims(&r.issuer()));
    assert_eq!(
        error_of(&plugin(&registry).validate_token(&Secret::new(token))),
        "Key with ID 'mystery' not found in JWKS"
    );
}

#[test]
fn forged_and_broken_tokens_are_refused() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    let p = plugin(&registry);
    let check = |token: String| error_of(&p.validate_token(&Secret::new(token))).to_owned();
    let iss = r.issuer();
    // Signed by another key under the realm key's id.
    assert_eq!(
        check(sign("attacker", Some("realm-kid"), &claims(&iss))),
        "Invalid token signature"
    );
    // A valid token with its payload swapped.
    let good = r.token();
    let evil = sign("attacker", Some("realm-kid"), &json!({"sub": "root"}));
    let parts: Vec<&str> = good.split('.').collect();
    let evil_parts: Vec<&str> = evil.split('.').collect();
    assert_eq!(
        check(format!("{}.{}.{}", parts[0], evil_parts[1], parts[2])),
        "Invalid token signature"
    );
    let mut c = claims(&iss);
    c["exp"] = json!(now() - 120);
    assert_eq!(
        check(sign("realm", Some("realm-kid"), &c)),
        "Token has expired"
    );
    let mut c = claims(&iss);
    c["iss"] = json!("https://evil.example.com/realms/floe");
    assert_eq!(
        check(sign("realm", Some("realm-kid"), &c)),
        "Invalid token issuer"
    );
    let mut c = claims(&iss);
    c["aud"] = json!("someone-else");
    assert_eq!(
        check(sign("realm", Some("realm-kid"), &c)),
        "Invalid token audience"
    );
    let mut c = claims(&iss);
    c.as_object_mut().unwrap().remove("sub");
    assert_eq!(
        check(sign("realm", Some("realm-kid"), &c)),
        "Missing required claim: sub"
    );
    let mut c = claims(&iss);
    c.as_object_mut().unwrap().remove("iat");
    assert_eq!(
        check(sign("realm", Some("realm-kid"), &c)),
        "Missing required claim: iat"
    );
    assert_eq!(
        check(sign("realm", None, &claims(&iss))),
        "Token missing required 'kid' header"
    );
    let mut header = Header::new(Algorithm::HS256);
    header.kid = Some("realm-kid".into());
    let hs = jsonwebtoken::encode(&header, &claims(&iss), &EncodingKey::from_secret(b"k")).unwrap();
    assert_eq!(
        check(hs),
        "Algorithm 'HS256' not allowed. Allowed: ['RS256']"
    );
    assert!(check("not-a-jwt".into()).starts_with("Malformed token:"));
    assert_eq!(check(String::new()), "Token is required");
}

#[test]
fn leeway_accepts_a_just_expired_token() {
    let r = realm(|_| None);
    let mut config = config_for(&r.server.url());
    config["leeway"] = json!(60);
    let registry = started(config);
    let mut c = claims(&r.issuer());
    c["exp"] = json!(now() - 20);
    let result =
        plugin(&registry).validate_token(&Secret::new(sign("realm", Some("realm-kid"), &c)));
    assert!(result.valid, "{result:?}");
}

#[test]
fn a_failing_jwks_endpoint_is_reported() {
    let r = realm(|q| (q.path == CERTS).then(|| Reply::text(500, "boom")));
    let registry = started(config_for(&r.server.url()));
    let result = plugin(&registry).validate_token(&Secret::new(r.token()));
    assert!(
        error_of(&result).starts_with("Failed to fetch JWKS:"),
        "{result:?}"
    );
}

#[test]
fn health_fetches_the_discovery_document() {
    let r = realm(|_| None);
    let registry = started(config_for(&r.server.url()));
    let status = plugin(&registry).health_check();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(r.server.count("GET", DISCOVERY), 1);

    let down = realm(|q| (q.path == DISCOVERY).then(|| Reply::text(503, "down")));
    let registry = started(config_for(&down.server.url()));
    assert_eq!(
        plugin(&registry).health_check().message,
        "Keycloak returned status 503"
    );

    let registry = started(config_for("http://127.0.0.1:9"));
    let status = plugin(&registry).health_check();
    assert!(
        status.message.starts_with("Failed to connect to Keycloak:"),
        "{status:?}"
    );
}

#[test]
fn secrets_never_show() {
    let r = realm(|q| (q.path == TOKEN).then(|| Reply::text(500, "boom")));
    let registry = started(config_for(&r.server.url()));
    let p = plugin(&registry);
    let outputs = [
        format!(
            "{:?}",
            p.authenticate(&creds(&[("username", "alice"), ("password", PASSWORD)]))
        ),
        format!("{:?}", p.authenticate(&creds(&[("client_secret", CANARY)]))),
        format!("{:?}", p.validate_token(&Secret::new(CANARY))),
        serde_json::to_string(&p.health_check()).unwrap(),
        serde_json::to_string(&registry.info(PluginType::Identity, "keycloak").unwrap()).unwrap(),
        format!(
            "{:?}",
            registry
                .config::<floe_plugins_builtin::keycloak::KeycloakConfig>(
                    PluginType::Identity,
                    "keycloak"
                )
                .unwrap()
        ),
    ];
    for out in &outputs {
        assert_no_canary("keycloak output", out);
        assert!(!out.contains(PASSWORD), "the password leaked: {out}");
    }
    let ok = realm(|_| None);
    let registry = started(config_for(&ok.server.url()));
    let token = plugin(&registry).authenticate(&creds(&[])).unwrap();
    assert!(!format!("{token:?}").contains("issued-access-token"));
}
