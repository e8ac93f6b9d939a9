//! `keycloak`: a Keycloak OIDC identity provider.
//!
//! `authenticate` uses the realm's token endpoint (password grant when `username` and
//! `password` are given, else client credentials), `get_user_info` its userinfo
//! endpoint, and `validate_token` checks an access token's RS256 signature against the
//! realm's JWKS (found through the OIDC discovery document, fetched again when a token
//! names an unknown key id), its issuer, audience and expiry (with `leeway`). Every
//! request is bounded by `timeout`; `startup()` must run first.

mod config;
mod jwks;
mod user;
mod validate;

use std::collections::BTreeMap;
use std::sync::{Arc, RwLock};

use floe_registry::prelude::*;
use floe_registry::{TokenValidationResult, UserInfo};
use serde_json::Value;

pub use self::config::{KeycloakConfig, KeycloakConfigInput};

use self::jwks::KeyCache;
use crate::http::{Body, HttpClient, HttpError};

const NOT_STARTED: &str = "Plugin not started. Call startup() first.";

/// What `startup()` builds.
struct Started {
    config: Arc<KeycloakConfig>,
    http: HttpClient,
    keys: KeyCache,
}

/// Keycloak OIDC identity provider for floe platform.
#[floe_plugin(
    type = Identity,
    name = "keycloak",
    version = "0.1.0",
    config = KeycloakConfig,
    description = "Keycloak OIDC identity provider for floe platform"
)]
#[derive(Default)]
pub struct KeycloakPlugin {
    #[config]
    config: ConfigCell<KeycloakConfig>,
    started: RwLock<Option<Arc<Started>>>,
}

impl std::fmt::Debug for KeycloakPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeycloakPlugin")
            .field("configured", &self.config.is_set())
            .field("started", &self.state().is_some())
            .finish()
    }
}

impl KeycloakPlugin {
    fn state(&self) -> Option<Arc<Started>> {
        self.started
            .read()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .clone()
    }

    fn require_started(&self) -> Result<Arc<Started>, PluginError> {
        self.state().ok_or_else(|| PluginError::failed(NOT_STARTED))
    }
}

/// A request that got no answer, as a plugin error.
fn unreachable(what: &str, e: HttpError) -> PluginError {
    crate::error::failure(format!("Keycloak {what} request failed"), e)
}

impl IdentityPlugin for KeycloakPlugin {
    /// Exchanges credentials for an access token at the realm's token endpoint.
    /// `Ok(None)` when Keycloak refuses them (400/401/403); an error when it cannot be
    /// reached or fails (5xx). `client_id` / `client_secret` in `credentials` override
    /// the configured client.
    fn authenticate(
        &self,
        credentials: &BTreeMap<String, Secret>,
    ) -> Result<Option<Secret>, PluginError> {
        let started = self.require_started()?;
        let config = &started.config;
        let client_id = credentials
            .get("client_id")
            .map_or(config.client_id.as_str(), Secret::expose);
        let client_secret = credentials
            .get("client_secret")
            .unwrap_or(&config.client_secret);
        let scope = config.scopes.join(" ");
        let mut form: Vec<(&str, &str)> = Vec::with_capacity(6);
        match (credentials.get("username"), credentials.get("password")) {
            (Some(user), Some(password)) => {
                form.push(("grant_type", "password"));
                form.push(("username", user.expose()));
                form.push(("password", password.expose()));
            }
            _ => form.push(("grant_type", "client_credentials")),
        }
        form.push(("client_id", client_id));
        form.push(("client_secret", client_secret.expose()));
        if !scope.is_empty() {
            form.push(("scope", scope.as_str()));
        }
        let response = started
            .http
            .request(
                "POST",
                &config.token_url(),
                &[("Accept", "application/json")],
                Body::Form(&form),
            )
            .map_err(|e| unreachable("token", e))?;
        match response.status {
            200..=299 => {
                let body = response.json().unwrap_or(Value::Null);
                Ok(body
                    .get("access_token")
                    .and_then(Value::as_str)
                    .filter(|t| !t.is_empty())
                    .map(Secret::new))
            }
            400 | 401 | 403 => {
                tracing::info!(status = response.status, "keycloak_authentication_refused");
                Ok(None)
            }
            status => Err(PluginError::failed(format!(
                "Keycloak token endpoint returned HTTP {status}"
            ))),
        }
    }

    /// The userinfo of a token; `Ok(None)` when Keycloak refuses the token (401/403).
    fn get_user_info(&self, token: &Secret) -> Result<Option<UserInfo>, PluginError> {
        let started = self.require_started()?;
        let bearer = format!("Bearer {}", token.expose());
        let response = started
            .http
            .get(
                &started.config.userinfo_url(),
                &[
                    ("Authorization", bearer.as_str()),
                    ("Accept", "application/json"),
                ],
            )
            .map_err(|e| unreachable("userinfo", e))?;
        match response.status {
            200..=299 => match response.json() {
                Ok(Value::Object(claims)) => Ok(Some(user::user_info_from_claims(claims))),
                Ok(_) => Err(PluginError::failed(
                    "Keycloak userinfo answer is not a JSON object",
                )),
                Err(e) => Err(crate::error::failure(
                    "Keycloak userinfo answer is not JSON",
                    e,
                )),
            },
            401 | 403 => Ok(None),
            status => Err(PluginError::failed(format!(
                "Keycloak userinfo endpoint returned HTTP {status}"
            ))),
        }
    }

    fn validate_token(&self, token: &Secret) -> TokenValidationResult {
        match self.state() {
            Some(s) => validate::validate(&s.config, &s.http, &s.keys, token.expose()),
            None => validate::invalid(NOT_STARTED),
        }
    }

    /// Fetches the OIDC discovery document.
    fn health_check(&self) -> HealthStatus {
        let Some(started) = self.state() else {
            return HealthStatus::unhealthy("Plugin not started or client not initialized");
        };
        match started.http.get(&started.config.discovery_url(), &[]) {
            Ok(r) if r.status == 200 => HealthStatus::healthy(),
            Ok(r) => HealthStatus::unhealthy(format!("Keycloak returned status {}", r.status)),
            Err(e) => HealthStatus::unhealthy(format!(
                "Failed to connect to Keycloak: {}",
                crate::error::chain(&e)
            )),
        }
    }

    /// Builds the HTTP client and the key cache. Idempotent.
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.config.get()?;
        let mut slot = self
            .started
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(Arc::new(Started {
                http: HttpClient::with_timeout(config.timeout),
                config,
                keys: KeyCache::default(),
            }));
        }
        Ok(())
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        self.started
            .write()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .take();
        Ok(())
    }
}
