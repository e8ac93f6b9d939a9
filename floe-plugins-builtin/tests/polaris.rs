//! The polaris catalog plugin against a fake Iceberg REST catalog on 127.0.0.1.
#![cfg(feature = "polaris")]
#![allow(clippy::unwrap_used)]

mod support;

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use floe_plugins_builtin as _;
use floe_plugins_builtin::polaris::CatalogError;
use floe_registry::prelude::*;
use floe_registry::{ConfigErrorKind, TableOperation};
use serde_json::{Value, json};
use support::canary::{CANARY, assert_no_canary};
use support::deadline::assert_no_hang;
use support::http_fake::{FakeServer, Reply, Request};

const TOKEN_PATH: &str = "/api/catalog/v1/oauth/tokens";
const NS_PATH: &str = "/api/catalog/v1/wh/namespaces";

/// A fake Polaris: token endpoint, `/v1/config` with prefix `wh`, two pages of
/// namespaces, tables of `bronze`, the table `bronze.events` with vended credentials.
/// `overrides` answers first when it returns `Some`.
fn polaris(overrides: impl Fn(&Request) -> Option<Reply> + Send + Sync + 'static) -> FakeServer {
    FakeServer::start(move |r| {
        if let Some(reply) = overrides(r) {
            return reply;
        }
        if r.method == "POST" && r.path == TOKEN_PATH {
            return Reply::json(
                200,
                json!({"access_token": "tok-1", "token_type": "bearer", "expires_in": 3600}),
            );
        }
        if r.header("authorization") != Some("Bearer tok-1") {
            return Reply::json(
                401,
                json!({"error": {"message": "bad token", "type": "NotAuthorizedException", "code": 401}}),
            );
        }
        match (r.method.as_str(), r.path.as_str()) {
            ("GET", "/api/catalog/v1/config") => {
                Reply::json(200, json!({"defaults": {}, "overrides": {"prefix": "wh"}}))
            }
            ("GET", NS_PATH) if !r.query_pairs().contains_key("pageToken") => Reply::json(
                200,
                json!({"namespaces": [["bronze"]], "next-page-token": "p2"}),
            ),
            ("GET", NS_PATH) => {
                Reply::json(200, json!({"namespaces": [["silver"], ["gold", "daily"]]}))
            }
            ("POST", NS_PATH) => {
                let ns = r.json()["namespace"].clone();
                if ns == json!(["bronze"]) {
                    Reply::json(
                        409,
                        json!({"error": {"message": "Namespace already exists: bronze", "type": "AlreadyExistsException", "code": 409}}),
                    )
                } else {
                    Reply::json(
                        200,
                        json!({"namespace": ns, "properties": r.json()["properties"]}),
                    )
                }
            }
            ("GET", "/api/catalog/v1/wh/namespaces/bronze/tables") => Reply::json(
                200,
                json!({"identifiers": [{"namespace": ["bronze"], "name": "events"}, {"namespace": ["bronze"], "name": "users"}]}),
            ),
            ("GET", "/api/catalog/v1/wh/namespaces/bronze/tables/events") => {
                let vended = r.header("x-iceberg-access-delegation") == Some("vended-credentials");
                let mut config = json!({"s3.endpoint": "http://minio-internal:9000"});
                if vended {
                    config["s3.access-key-id"] = json!("AKIAVENDED");
                    config["s3.secret-access-key"] = json!(CANARY);
                    config["s3.session-token"] = json!("session-tok");
                    config["s3.session-token-expires-at"] = json!("1700000000000");
                }
                Reply::json(
                    200,
                    json!({
                        "metadata-location": "s3://b/wh/bronze/events/metadata/v1.json",
                        "metadata": {"format-version": 2, "location": "s3://b/wh/bronze/events", "properties": {}},
                        "config": config
                    }),
                )
            }
            _ => Reply::json(
                404,
                json!({"error": {"message": "Table does not exist", "type": "NoSuchTableException", "code": 404}}),
            ),
        }
    })
}

fn config_for(server: &FakeServer) -> Value {
    json!({
        "uri": format!("{}/api/catalog", server.url()),
        "warehouse": "lake",
        "oauth2": {
            "client_id": "floe",
            "client_secret": CANARY,
            "token_url": format!("{}{TOKEN_PATH}", server.url()),
            "scope": "PRINCIPAL_ROLE:ALL"
        },
        "connect_timeout_seconds": 2,
        "read_timeout_seconds": 2,
        "max_retries": 0
    })
}

fn registry_with(config: Value) -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
        .configure(PluginType::Catalog, "polaris", config)
        .expect("valid polaris config");
    registry
}

fn plugin(registry: &PluginRegistry) -> &dyn CatalogPlugin {
    registry.get_as::<dyn CatalogPlugin>("polaris").unwrap()
}

fn kind(err: &PluginError) -> Option<&CatalogError> {
    std::error::Error::source(err).and_then(|s| s.downcast_ref::<CatalogError>())
}

#[test]
fn metadata_matches_the_reference() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let info = registry.info(PluginType::Catalog, "polaris").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(
        info.description,
        "Apache Polaris catalog plugin for Iceberg table management"
    );
}

#[test]
fn config_schema_matches_the_snapshot() {
    support::schema::assert_schema_snapshot(PluginType::Catalog, "polaris");
}

#[test]
fn invalid_config_reports_every_problem() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let err = registry
        .configure(
            PluginType::Catalog,
            "polaris",
            json!({"uri": "ftp://x", "warehouse": "", "oauth2": {"client_id": "c", "client_secret": CANARY, "token_url": "http://t", "refresh_margin_seconds": 5}, "read_timeout_seconds": 0, "colour": 1}),
        )
        .unwrap_err();
    assert_no_canary("the configuration error", &err.to_string());
    let PluginError::Configuration { errors, .. } = err else {
        panic!("expected a configuration error")
    };
    let found: Vec<(&str, ConfigErrorKind)> =
        errors.iter().map(|e| (e.field.as_str(), e.kind)).collect();
    for expected in [
        ("uri", ConfigErrorKind::Pattern),
        ("warehouse", ConfigErrorKind::Length),
        ("oauth2.refresh_margin_seconds", ConfigErrorKind::Range),
        ("read_timeout_seconds", ConfigErrorKind::Range),
        ("colour", ConfigErrorKind::UnknownField),
    ] {
        assert!(
            found.contains(&expected),
            "{expected:?} missing from {found:?}"
        );
    }
}

#[test]
fn connect_lists_namespaces_over_every_page_and_tables() {
    let server = polaris(|_| None);
    let registry = registry_with(config_for(&server));
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    assert_eq!(
        catalog.list_namespaces().unwrap(),
        ["bronze", "silver", "gold.daily"]
    );
    assert_eq!(
        catalog.list_tables("bronze").unwrap(),
        ["bronze.events", "bronze.users"]
    );
    let config_req = server
        .requests()
        .into_iter()
        .find(|r| r.path == "/api/catalog/v1/config")
        .unwrap();
    assert_eq!(config_req.query, "warehouse=lake");
}

#[test]
fn the_token_is_fetched_once_for_many_requests() {
    let server = polaris(|_| None);
    let registry = registry_with(config_for(&server));
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    for _ in 0..3 {
        catalog.list_namespaces().unwrap();
        catalog.load_table("bronze.events").unwrap();
    }
    assert_eq!(
        server.count("POST", TOKEN_PATH),
        1,
        "one token for all requests"
    );
    let token_req = server
        .requests()
        .into_iter()
        .find(|r| r.path == TOKEN_PATH)
        .unwrap();
    let form = token_req.form();
    assert_eq!(form["grant_type"], "client_credentials");
    assert_eq!(form["client_id"], "floe");
    assert_eq!(form["client_secret"], CANARY);
    assert_eq!(form["scope"], "PRINCIPAL_ROLE:ALL");
}

#[test]
fn a_token_is_refreshed_before_it_expires() {
    // expires_in 1 s with a 10 s margin: used for half its life, then refetched.
    let server = polaris(|r| {
        (r.path == TOKEN_PATH).then(|| {
            Reply::json(
                200,
                json!({"access_token": "tok-1", "token_type": "bearer", "expires_in": 1}),
            )
        })
    });
    let mut config = config_for(&server);
    config["oauth2"]["refresh_margin_seconds"] = json!(10);
    let registry = registry_with(config);
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    catalog.list_namespaces().unwrap();
    assert_eq!(server.count("POST", TOKEN_PATH), 1);
    std::thread::sleep(Duration::from_millis(700));
    catalog.list_namespaces().unwrap();
    assert_eq!(
        server.count("POST", TOKEN_PATH),
        2,
        "refetched after half its life"
    );
}

#[test]
fn a_refused_token_is_refetched_once() {
    let fetches = Arc::new(AtomicUsize::new(0));
    let f = Arc::clone(&fetches);
    let server = polaris(move |r| {
        if r.path == TOKEN_PATH {
            // First token is stale: the catalog only accepts tok-1, handed out second.
            let n = f.fetch_add(1, Ordering::SeqCst);
            let token = if n == 0 { "stale" } else { "tok-1" };
            return Some(Reply::json(
                200,
                json!({"access_token": token, "token_type": "bearer"}),
            ));
        }
        None
    });
    let registry = registry_with(config_for(&server));
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    assert_eq!(catalog.list_namespaces().unwrap().len(), 3);
    assert_eq!(fetches.load(Ordering::SeqCst), 2);
}

#[test]
fn refused_client_credentials_are_an_authentication_error() {
    let server = polaris(|r| {
        (r.path == TOKEN_PATH).then(|| {
            Reply::json(
                401,
                json!({"error": "invalid_client", "error_description": "Invalid credentials"}),
            )
        })
    });
    let registry = registry_with(config_for(&server));
    let err = plugin(&registry).connect(&json!({})).err().unwrap();
    assert_eq!(
        catalog_cause(&err),
        "Authentication failed for 'connect': OAuth2 authentication failed: invalid_client: Invalid credentials"
    );
    assert!(matches!(
        kind(&err),
        Some(CatalogError::Authentication { .. })
    ));
}

#[test]
fn statuses_map_to_catalog_errors() {
    let server = polaris(|r| {
        let error = |status: u16, kind: &str| {
            Some(Reply::json(
                status,
                json!({"error": {"message": format!("{kind} happened"), "type": kind, "code": status}}),
            ))
        };
        match r.path.as_str() {
            "/api/catalog/v1/wh/namespaces/forbidden/tables" => error(403, "ForbiddenException"),
            "/api/catalog/v1/wh/namespaces/missing/tables" => {
                error(404, "NoSuchNamespaceException")
            }
            "/api/catalog/v1/wh/namespaces/bad/tables" => error(400, "BadRequestException"),
            "/api/catalog/v1/wh/namespaces/broken/tables" => error(500, "ServerError"),
            "/api/catalog/v1/wh/namespaces/expired/tables" => error(419, "AuthorizationExpired"),
            _ => None,
        }
    });
    let registry = registry_with(config_for(&server));
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    let uri = format!("{}/api/catalog", server.url());

    let err = catalog.list_tables("forbidden").unwrap_err();
    assert_eq!(
        catalog_cause(&err),
        "Authentication failed for 'list_tables': Permission denied: ForbiddenException: ForbiddenException happened"
    );
    let err = catalog.list_tables("missing").unwrap_err();
    assert_eq!(catalog_cause(&err), "namespace not found: missing");
    assert!(matches!(kind(&err), Some(CatalogError::NotFound { .. })));
    let err = catalog.load_table("bronze.nope").unwrap_err();
    assert_eq!(catalog_cause(&err), "table not found: bronze.nope");
    let err = catalog.list_tables("bad").unwrap_err();
    assert_eq!(
        catalog_cause(&err),
        format!(
            "Operation 'list_tables' not supported by catalog '{uri}': Invalid request: BadRequestException: BadRequestException happened"
        )
    );
    let err = catalog.list_tables("broken").unwrap_err();
    assert!(
        catalog_cause(&err).starts_with(&format!(
            "Catalog unavailable: {uri} - list_tables returned HTTP 500"
        )),
        "{err}"
    );
    let err = catalog.list_tables("expired").unwrap_err();
    assert_eq!(
        catalog_cause(&err),
        "Authentication failed for 'list_tables': Authorization expired - token refresh required"
    );
    let err = catalog.load_table("no_namespace").unwrap_err();
    assert!(
        catalog_cause(&err).starts_with("identifier not found:"),
        "{err}"
    );

    let err = plugin(&registry)
        .create_namespace("bronze", &BTreeMap::new())
        .unwrap_err();
    assert_eq!(catalog_cause(&err), "namespace already exists: bronze");
    assert!(matches!(kind(&err), Some(CatalogError::Conflict { .. })));
    plugin(&registry)
        .create_namespace(
            "gold.daily",
            &BTreeMap::from([("owner".into(), "ops".into())]),
        )
        .unwrap();
    let created = server
        .requests()
        .into_iter()
        .find(|r| {
            r.method == "POST"
                && r.path == NS_PATH
                && r.json()["namespace"] == json!(["gold", "daily"])
        })
        .expect("create request sent");
    assert_eq!(created.json()["properties"], json!({"owner": "ops"}));
}

#[test]
fn unauthorized_after_a_fresh_token_is_an_authentication_error() {
    let server = polaris(|r| {
        (r.path == NS_PATH).then(|| {
            Reply::json(
                401,
                json!({"error": {"message": "no", "type": "NotAuthorizedException", "code": 401}}),
            )
        })
    });
    let registry = registry_with(config_for(&server));
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    let err = catalog.list_namespaces().unwrap_err();
    assert_eq!(
        catalog_cause(&err),
        "Authentication failed for 'list_namespaces': Unauthorized: NotAuthorizedException: no"
    );
    assert_eq!(
        server.count("GET", NS_PATH),
        2,
        "retried once with a new token"
    );
}

#[test]
fn gets_are_retried_on_5xx_but_posts_are_not() {
    let server = polaris(|r| {
        (r.path == NS_PATH).then(|| {
            Reply::json(
                503,
                json!({"error": {"message": "busy", "type": "ServiceUnavailable", "code": 503}}),
            )
        })
    });
    let mut config = config_for(&server);
    config["max_retries"] = json!(2);
    let registry = registry_with(config);
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    let err = catalog.list_namespaces().unwrap_err();
    assert!(
        matches!(kind(&err), Some(CatalogError::Unavailable { .. })),
        "{err}"
    );
    assert_eq!(server.count("GET", NS_PATH), 3, "one try and two retries");
    plugin(&registry)
        .create_namespace("new", &BTreeMap::new())
        .unwrap_err();
    assert_eq!(server.count("POST", NS_PATH), 1, "a POST is never retried");
}

#[test]
fn a_silent_catalog_times_out_at_the_read_timeout() {
    let server = polaris(|r| (r.path == NS_PATH).then(Reply::hang));
    let mut config = config_for(&server);
    config["read_timeout_seconds"] = json!(1);
    let registry = registry_with(config);
    let catalog = plugin(&registry).connect(&json!({})).unwrap();
    let start = Instant::now();
    let err = catalog.list_namespaces().unwrap_err();
    assert_no_hang(start, Duration::from_secs(1));
    assert!(catalog_cause(&err).contains("within 1s"), "{err}");
    assert!(matches!(kind(&err), Some(CatalogError::Unavailable { .. })));
}

#[test]
fn credentials_are_vended_through_the_delegation_header() {
    let server = polaris(|_| None);
    let registry = registry_with(config_for(&server));
    plugin(&registry).connect(&json!({})).unwrap();
    let creds = plugin(&registry)
        .vend_credentials("bronze.events", &[TableOperation::Read])
        .unwrap();
    assert_eq!(creds.access_key, "AKIAVENDED");
    assert_eq!(creds.secret_key.expose(), CANARY);
    assert_eq!(
        creds.token.as_ref().map(Secret::expose),
        Some("session-tok")
    );
    assert_eq!(creds.expiration.as_deref(), Some("2023-11-14T22:13:20Z"));
    assert_no_canary("VendedCredentials Debug", &format!("{creds:?}"));
    assert_no_canary(
        "VendedCredentials JSON",
        &serde_json::to_string(&creds).unwrap(),
    );
}

#[test]
fn load_table_redacts_secrets_and_reapplies_the_client_endpoint() {
    let server = polaris(|_| None);
    let registry = registry_with(config_for(&server));
    let catalog = plugin(&registry)
        .connect(&json!({"s3.endpoint": "http://localhost:9000"}))
        .unwrap();
    let table = catalog.load_table("bronze.events").unwrap();
    assert_no_canary("load_table output", &table.to_string());
    assert_eq!(table["config"]["s3.access-key-id"], "AKIAVENDED");
    assert_eq!(table["config"]["s3.secret-access-key"], "[REDACTED]");
    assert_eq!(table["config"]["s3.endpoint"], "http://localhost:9000");
}

#[test]
fn vending_disabled_is_not_supported() {
    let server = polaris(|_| None);
    let mut config = config_for(&server);
    config["credential_vending_enabled"] = json!(false);
    let registry = registry_with(config);
    plugin(&registry).connect(&json!({})).unwrap();
    let err = plugin(&registry)
        .vend_credentials("bronze.events", &[TableOperation::Read])
        .unwrap_err();
    assert_eq!(
        catalog_cause(&err),
        "Operation 'vend_credentials' not supported by catalog 'polaris': Credential vending not supported. Configure storage credentials directly in compute plugin."
    );
    assert_eq!(
        server.count("GET", "/api/catalog/v1/wh/namespaces/bronze/tables/events"),
        0,
        "no table load when vending is off"
    );
}

#[test]
fn a_table_without_vended_credentials_is_an_error_not_empty_credentials() {
    let server = polaris(|r| {
        r.path.ends_with("/tables/events").then(|| {
            Reply::json(200, json!({"metadata-location": "m", "metadata": {"location": "s3://b/x"}, "config": {}}))
        })
    });
    let registry = registry_with(config_for(&server));
    plugin(&registry).connect(&json!({})).unwrap();
    let err = plugin(&registry)
        .vend_credentials("bronze.events", &[TableOperation::Write])
        .unwrap_err();
    assert!(
        catalog_cause(&err).contains("vended no S3 credentials"),
        "{err}"
    );
}

#[test]
fn operations_before_connect_say_so() {
    let server = polaris(|_| None);
    let registry = registry_with(config_for(&server));
    let err = plugin(&registry)
        .create_namespace("x", &BTreeMap::new())
        .unwrap_err();
    assert_eq!(
        catalog_cause(&err),
        format!(
            "Catalog unavailable: {}/api/catalog - Catalog not connected. Call connect() first.",
            server.url()
        )
    );
}

#[test]
fn health_lists_namespaces_connected_or_not() {
    let server = polaris(|_| None);
    let registry = registry_with(config_for(&server));
    let status = plugin(&registry).health_check();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");
    assert_eq!(status.details["connected"], false);
    plugin(&registry).connect(&json!({})).unwrap();
    let status = plugin(&registry).health_check();
    assert_eq!(status.message, "Polaris catalog responding normally");
    assert_eq!(status.details["connected"], true);
}

#[test]
fn health_times_out_within_its_timeout() {
    let server = polaris(|r| (r.path == NS_PATH).then(Reply::hang));
    let mut config = config_for(&server);
    config["health_check_timeout_seconds"] = json!(0.5);
    let registry = registry_with(config);
    plugin(&registry).connect(&json!({})).unwrap();
    let start = Instant::now();
    let status = plugin(&registry).health_check();
    assert_no_hang(start, Duration::from_millis(500));
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, "Health check timed out after 0.5s");
    assert_eq!(status.details["reason"], "timeout");
}

#[test]
fn health_reports_a_failing_probe() {
    let server = polaris(|r| (r.path == NS_PATH).then(|| Reply::text(500, "down")));
    let registry = registry_with(config_for(&server));
    let status = plugin(&registry).health_check();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status
            .message
            .starts_with("Health check failed: Catalog unavailable"),
        "{status:?}"
    );
    assert_eq!(status.details["reason"], "probe_failed");
}

#[test]
fn the_client_secret_never_shows() {
    let server = polaris(|r| {
        (r.path == TOKEN_PATH).then(|| Reply::json(401, json!({"error": "invalid_client"})))
    });
    let registry = registry_with(config_for(&server));
    let p = plugin(&registry);
    let err = p.connect(&json!({})).err().unwrap();
    assert_no_canary("connect error", &err.to_string());
    assert_no_canary("connect error Debug", &format!("{err:?}"));
    assert_no_canary("health", &serde_json::to_string(&p.health_check()).unwrap());
    let any: &dyn std::any::Any = p;
    let concrete = any
        .downcast_ref::<floe_plugins_builtin::polaris::PolarisPlugin>()
        .unwrap();
    assert_no_canary("plugin Debug", &format!("{concrete:?}"));
    let info = registry.info(PluginType::Catalog, "polaris").unwrap();
    assert_no_canary("info", &serde_json::to_string(&info).unwrap());
    let config = registry
        .config::<floe_plugins_builtin::polaris::PolarisConfig>(PluginType::Catalog, "polaris")
        .unwrap()
        .unwrap();
    assert_no_canary("config Debug", &format!("{config:?}"));
}

/// The typed error's text under a plugin error whose own message is "Polaris catalog request failed".
fn catalog_cause(err: &PluginError) -> String {
    support::error_chain::typed_cause(err, "Polaris catalog request failed")
}
