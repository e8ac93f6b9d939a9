//! Secrets backend `infisical`: secrets in an Infisical project, through its REST API
//! with a Universal Auth machine identity (`client_id` and `client_secret`).
//!
//! Requests are the ones floe's SDK sends: `POST /api/v1/auth/universal-auth/login`,
//! then `GET|POST|PATCH|DELETE /api/v3/secrets/raw[/<key>]` with the bearer token;
//! empty query parameters (a missing `project_id`) are left out. `startup` logs in;
//! the token is renewed when it expires or the server answers 401.
//!
//! Where this differs from floe, on purpose: every request has a timeout
//! (`timeout_seconds`); `get_secret` reports a refused login (401) or a bad request
//! (400) as an error instead of "no such secret"; `http://` site URLs are allowed only
//! with `allow_insecure_http` (tests, development).

use std::collections::BTreeMap;
use std::sync::{PoisonError, RwLock};
use std::time::{Duration, Instant};

use floe_registry::prelude::*;
use floe_registry::{HealthState, HealthStatus};
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use crate::http::{Body, HttpClient, HttpResponse, encode_component};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.secrets.infisical";

/// Infisical: secrets in an Infisical project.
#[floe_plugin(
    type = Secrets,
    name = "infisical",
    version = "0.1.0",
    description = "Infisical secrets backend for floe platform",
    config = InfisicalConfig
)]
#[derive(Default)]
pub struct InfisicalPlugin {
    #[config]
    config: ConfigCell<InfisicalConfig>,
    session: RwLock<Option<Session>>,
}

/// The settings of the Infisical backend. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct InfisicalConfig {
    /// The Universal Auth client id of the machine identity.
    #[schemars(length(min = 1))]
    pub client_id: String,
    /// The Universal Auth client secret.
    pub client_secret: Secret,
    /// The Infisical server, `https://host[:port]` without a path (trailing `/`
    /// removed); `https://app.infisical.com` by default. `http://` only with
    /// `allow_insecure_http`.
    #[serde(
        default = "default_site",
        deserialize_with = "without_trailing_slashes"
    )]
    #[schemars(regex(pattern = r"^https?://[a-zA-Z0-9][a-zA-Z0-9.-]*[a-zA-Z0-9](:\d+)?/*$"))]
    pub site_url: String,
    /// The project (workspace) id; left out of requests when absent.
    #[serde(default)]
    pub project_id: Option<String>,
    /// The environment slug (`dev`).
    #[serde(default = "default_environment")]
    #[schemars(length(min = 1))]
    pub environment: String,
    /// The folder of the secrets (`/`); a leading `/` is added when missing.
    #[serde(default = "default_path", deserialize_with = "with_leading_slash")]
    pub secret_path: String,
    /// Seconds each request may take (30).
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.001, max = 300.0))]
    pub timeout_seconds: f64,
    /// Allows an `http://` site URL (tests and development only).
    #[serde(default)]
    pub allow_insecure_http: bool,
}

fn default_site() -> String {
    "https://app.infisical.com".to_owned()
}
fn default_environment() -> String {
    "dev".to_owned()
}
fn default_path() -> String {
    "/".to_owned()
}
fn default_timeout() -> f64 {
    30.0
}

fn without_trailing_slashes<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(String::deserialize(d)?.trim_end_matches('/').to_owned())
}

fn with_leading_slash<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let path = String::deserialize(d)?;
    Ok(if path.starts_with('/') {
        path
    } else {
        format!("/{path}")
    })
}

/// What went wrong with Infisical, in floe's texts. Every [`PluginError`] of the
/// plugin carries one as its source.
///
/// ```
/// use floe_plugins_builtin::infisical::InfisicalError;
/// let err = InfisicalError::Unavailable { site: None, reason: Some("Plugin not initialized - call startup() first".into()) };
/// assert_eq!(err.to_string(), "Infisical API unavailable: Plugin not initialized - call startup() first");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum InfisicalError {
    /// Infisical refused access (403).
    #[error(
        "Infisical access denied{}{}{}",
        crate::error::suffix(" to secret ", &key.as_ref().map(|k| format!("'{k}'"))),
        crate::error::suffix(" in project ", &project.as_ref().map(|p| format!("'{p}'"))),
        crate::error::suffix(": ", reason)
    )]
    AccessDenied {
        /// The secret, when one was asked for.
        key: Option<String>,
        /// The project.
        project: Option<String>,
        /// What the server said.
        reason: Option<String>,
    },
    /// Infisical cannot be reached, is not started, or failed.
    #[error(
        "Infisical API unavailable{}{}",
        crate::error::suffix(" at ", site),
        crate::error::suffix(": ", reason)
    )]
    Unavailable {
        /// The site URL, when known.
        site: Option<String>,
        /// Why.
        reason: Option<String>,
    },
    /// The login was refused (401 or 400 at login, a 401 afterwards).
    #[error(
        "Infisical authentication failed{}",
        crate::error::suffix(": ", reason)
    )]
    Auth {
        /// Why.
        reason: Option<String>,
    },
    /// `delete_secret` of a key that does not exist.
    #[error("Secret '{key}' not found at path '{path}' in environment '{environment}'")]
    NotFound {
        /// The key.
        key: String,
        /// The secret path.
        path: String,
        /// The environment.
        environment: String,
    },
}

impl From<InfisicalError> for PluginError {
    fn from(err: InfisicalError) -> Self {
        crate::error::failure("Infisical request failed", err)
    }
}

/// A logged-in connection.
struct Session {
    client: HttpClient,
    token: Secret,
    expires: Instant,
}

/// An answer of the API, classified.
enum Outcome {
    Ok(Value),
    NotFound,
    Denied(String),
    Unauthorized(String),
    Other(String),
}

/// The `message` of an error body, or the status line.
fn server_message(response: &HttpResponse) -> String {
    response
        .json()
        .ok()
        .and_then(|v| v.get("message").and_then(Value::as_str).map(str::to_owned))
        .unwrap_or_else(|| format!("status {}", response.status))
}

fn classify(response: HttpResponse) -> Outcome {
    match response.status {
        200..=299 => Outcome::Ok(response.json().unwrap_or(Value::Null)),
        404 => Outcome::NotFound,
        403 => Outcome::Denied(server_message(&response)),
        401 => Outcome::Unauthorized(format!(
            "Failed to authenticate: {}",
            server_message(&response)
        )),
        400 => Outcome::Other(format!("[Bad request]: {}", server_message(&response))),
        status => Outcome::Other(format!(
            "Received error message from server: (status {status}), {}",
            server_message(&response)
        )),
    }
}

/// `?a=1&b=2` of the non-empty pairs.
fn query(pairs: &[(&str, &str)]) -> String {
    let kept: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode_component(v)))
        .collect();
    if kept.is_empty() {
        String::new()
    } else {
        format!("?{}", kept.join("&"))
    }
}

impl InfisicalPlugin {
    fn settings(&self) -> Result<std::sync::Arc<InfisicalConfig>, InfisicalError> {
        self.config.get().map_err(|_| not_started())
    }

    fn project(config: &InfisicalConfig) -> &str {
        config.project_id.as_deref().unwrap_or("")
    }

    fn unavailable(config: &InfisicalConfig, reason: impl Into<String>) -> InfisicalError {
        InfisicalError::Unavailable {
            site: Some(config.site_url.clone()),
            reason: Some(reason.into()),
        }
    }

    /// Logs in with Universal Auth.
    fn login(config: &InfisicalConfig) -> Result<Session, InfisicalError> {
        if config.site_url.starts_with("http://") && !config.allow_insecure_http {
            return Err(InfisicalError::Auth {
                reason: Some("site_url must use HTTPS for security".to_owned()),
            });
        }
        let client = HttpClient::with_timeout(Duration::from_secs_f64(config.timeout_seconds));
        let url = format!("{}/api/v1/auth/universal-auth/login", config.site_url);
        let body = json!({
            "clientId": config.client_id,
            "clientSecret": config.client_secret.expose(),
        });
        let response = client
            .request(
                "POST",
                &url,
                &[
                    ("Accept", "application/json"),
                    ("Content-Type", "application/json"),
                ],
                Body::Json(&body),
            )
            .map_err(|e| Self::unavailable(config, e.to_string()))?;
        let value = match classify(response) {
            Outcome::Ok(v) => v,
            Outcome::NotFound => {
                return Err(Self::unavailable(
                    config,
                    "Failed to authenticate, did you provide the correct site URL?",
                ));
            }
            Outcome::Denied(r) | Outcome::Unauthorized(r) | Outcome::Other(r) => {
                return Err(InfisicalError::Auth { reason: Some(r) });
            }
        };
        let token = value
            .get("accessToken")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| InfisicalError::Auth {
                reason: Some("the login answer has no accessToken".to_owned()),
            })?;
        let ttl = value
            .get("expiresIn")
            .and_then(Value::as_f64)
            .unwrap_or(0.0);
        // Renew a little early; a token without a lifetime is used until refused.
        let ttl = if ttl > 0.0 {
            Duration::from_secs_f64((ttl * 0.9).min(1e9))
        } else {
            Duration::from_secs(365 * 24 * 3600)
        };
        Ok(Session {
            client,
            token: Secret::new(token),
            expires: Instant::now() + ttl,
        })
    }

    /// One API call with the session's token; logs in again once on expiry or 401.
    fn call(
        &self,
        method: &str,
        path_and_query: &str,
        body: Option<&Value>,
    ) -> Result<Outcome, InfisicalError> {
        let config = self.settings()?;
        for attempt in 0..2 {
            let (client, token) = {
                let mut guard = self.session.write().unwrap_or_else(PoisonError::into_inner);
                let Some(session) = guard.as_mut() else {
                    return Err(not_started());
                };
                if attempt > 0 || Instant::now() >= session.expires {
                    *session = Self::login(&config)?;
                }
                (session.client.clone(), session.token.clone())
            };
            let url = format!("{}{path_and_query}", config.site_url);
            let bearer = format!("Bearer {}", token.expose());
            let headers = [
                ("Accept", "application/json"),
                ("Content-Type", "application/json"),
                ("Authorization", bearer.as_str()),
            ];
            let body = match body {
                Some(v) => Body::Json(v),
                None => Body::Empty,
            };
            let response = client
                .request(method, &url, &headers, body)
                .map_err(|e| Self::unavailable(&config, e.to_string()))?;
            match classify(response) {
                Outcome::Unauthorized(_) if attempt == 0 => continue,
                outcome => return Ok(outcome),
            }
        }
        Err(InfisicalError::Auth {
            reason: Some("the server refused a fresh token".to_owned()),
        })
    }

    fn secret_url(key: &str, query_pairs: &[(&str, &str)]) -> String {
        format!(
            "/api/v3/secrets/raw/{}{}",
            encode_component(key),
            query(query_pairs)
        )
    }

    fn read(&self, key: &str) -> Result<Option<Secret>, InfisicalError> {
        let config = self.settings()?;
        let path = Self::secret_url(
            key,
            &[
                ("workspaceId", Self::project(&config)),
                ("environment", &config.environment),
                ("secretPath", &config.secret_path),
                ("type", "shared"),
            ],
        );
        let outcome = self.call("GET", &path, None)?;
        audit("GET", &config, key);
        match outcome {
            Outcome::Ok(v) => Ok(v
                .pointer("/secret/secretValue")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(Secret::new)),
            Outcome::NotFound => Ok(None),
            Outcome::Denied(r) => Err(InfisicalError::AccessDenied {
                key: Some(key.to_owned()),
                project: config.project_id.clone(),
                reason: Some(r),
            }),
            Outcome::Unauthorized(r) => Err(InfisicalError::Auth { reason: Some(r) }),
            Outcome::Other(r) => Err(Self::unavailable(&config, r)),
        }
    }

    /// Deletes `key`: floe's extra operation. A missing key is
    /// [`InfisicalError::NotFound`].
    pub fn delete_secret(&self, key: &str) -> Result<(), PluginError> {
        let config = self.settings()?;
        let body = json!({
            "workspaceId": Self::project(&config),
            "environment": config.environment,
            "type": "shared",
            "secretPath": config.secret_path,
        });
        let outcome = self.call("DELETE", &Self::secret_url(key, &[]), Some(&body))?;
        audit("DELETE", &config, key);
        match outcome {
            Outcome::Ok(_) => Ok(()),
            Outcome::NotFound => Err(InfisicalError::NotFound {
                key: key.to_owned(),
                path: config.secret_path.clone(),
                environment: config.environment.clone(),
            }
            .into()),
            Outcome::Denied(r) => Err(InfisicalError::AccessDenied {
                key: Some(key.to_owned()),
                project: config.project_id.clone(),
                reason: Some(r),
            }
            .into()),
            Outcome::Unauthorized(r) | Outcome::Other(r) => {
                Err(Self::unavailable(&config, r).into())
            }
        }
    }
}

fn not_started() -> InfisicalError {
    InfisicalError::Unavailable {
        site: None,
        reason: Some("Plugin not initialized - call startup() first".to_owned()),
    }
}

/// floe's audit record of one operation (requester `system`), as a log event.
fn audit(operation: &str, config: &InfisicalConfig, key: &str) {
    tracing::info!(
        target: "floe::audit",
        requester = "system",
        operation,
        plugin = "infisical",
        namespace = %config.environment,
        secret = key,
        path = %config.secret_path,
        "secret access"
    );
}

impl SecretsPlugin for InfisicalPlugin {
    /// The value, or `None` when the secret does not exist or is empty. 403 is an
    /// access-denied error, 401 an authentication error, anything else (5xx, no
    /// answer) "unavailable".
    fn get_secret(&self, key: &str) -> Result<Option<Secret>, PluginError> {
        Ok(self.read(key)?)
    }

    /// Creates the secret (`POST`, with the metadata as the comment `k=v, ...`) or,
    /// when it exists, updates its value (`PATCH`, no comment, as floe).
    fn set_secret(
        &self,
        key: &str,
        value: &Secret,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let config = self.settings()?;
        let exists = self.read(key)?.is_some();
        let mut body = json!({
            "environment": config.environment,
            "workspaceId": Self::project(&config),
            "secretValue": value.expose(),
            "type": "shared",
            "secretPath": config.secret_path,
        });
        let method = if exists {
            "PATCH"
        } else {
            let comment: Vec<String> = metadata.iter().map(|(k, v)| format!("{k}={v}")).collect();
            body["secretComment"] = Value::String(comment.join(", "));
            "POST"
        };
        body["skipMultilineEncoding"] = Value::Bool(false);
        let outcome = self.call(method, &Self::secret_url(key, &[]), Some(&body))?;
        audit("SET", &config, key);
        match outcome {
            Outcome::Ok(_) => Ok(()),
            Outcome::Denied(r) => Err(InfisicalError::AccessDenied {
                key: Some(key.to_owned()),
                project: config.project_id.clone(),
                reason: Some(r),
            }
            .into()),
            Outcome::NotFound => Err(Self::unavailable(
                &config,
                format!("Secret with name '{key}' not found."),
            )
            .into()),
            Outcome::Unauthorized(r) | Outcome::Other(r) => {
                Err(Self::unavailable(&config, r).into())
            }
        }
    }

    /// The keys at the configured path that start with `prefix`, sorted.
    fn list_secrets(&self, prefix: &str) -> Result<Vec<String>, PluginError> {
        let config = self.settings()?;
        let path = format!(
            "/api/v3/secrets/raw{}",
            query(&[
                ("environment", &config.environment),
                ("workspaceId", Self::project(&config)),
                ("expandSecretReferences", "true"),
                ("recursive", "false"),
                ("secretPath", &config.secret_path),
                ("include_imports", "false"),
            ])
        );
        let outcome = self.call("GET", &path, None)?;
        audit("LIST", &config, prefix);
        match outcome {
            Outcome::Ok(v) => {
                let mut keys: Vec<String> = v
                    .get("secrets")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .filter_map(|s| s.get("secretKey").and_then(Value::as_str))
                    .filter(|k| k.starts_with(prefix))
                    .map(str::to_owned)
                    .collect();
                keys.sort();
                Ok(keys)
            }
            Outcome::Denied(r) => Err(InfisicalError::AccessDenied {
                key: None,
                project: config.project_id.clone(),
                reason: Some(r),
            }
            .into()),
            Outcome::NotFound => Err(Self::unavailable(&config, "status 404").into()),
            Outcome::Unauthorized(r) | Outcome::Other(r) => {
                Err(Self::unavailable(&config, r).into())
            }
        }
    }

    /// Logs in: a refused login is an authentication error, no answer "unavailable".
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.config.get()?;
        let session = Self::login(&config)?;
        tracing::info!(plugin = self.name(), site = %config.site_url, "infisical_connected");
        *self.session.write().unwrap_or_else(PoisonError::into_inner) = Some(session);
        Ok(())
    }

    /// Forgets the token.
    fn shutdown(&self) -> Result<(), PluginError> {
        self.session
            .write()
            .unwrap_or_else(PoisonError::into_inner)
            .take();
        Ok(())
    }

    /// Healthy when a listing works.
    fn health_check(&self) -> HealthStatus {
        let started = self
            .session
            .read()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some();
        if !started {
            return HealthStatus::unhealthy("Plugin not initialized - call startup() first");
        }
        let site = self
            .settings()
            .map(|c| c.site_url.clone())
            .unwrap_or_default();
        match self.list_secrets("") {
            Ok(_) => HealthStatus::new(
                HealthState::Healthy,
                format!("Connected to Infisical at {site}"),
            ),
            Err(e) => HealthStatus::unhealthy(format!(
                "Infisical health check failed: {}",
                crate::error::chain(&e)
            )),
        }
    }
}
