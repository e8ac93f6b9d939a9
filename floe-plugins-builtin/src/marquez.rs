//! Lineage backend `marquez`: OpenLineage events go to a Marquez server over HTTP.
//!
//! The transport config, namespace strategy and Helm values are pure; the connection
//! check and the health check call `GET <url>/api/v1/namespaces` on the server.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(
//!     PluginType::LineageBackend,
//!     "marquez",
//!     serde_json::json!({"url": "https://lineage.example.com/", "environment": "staging"}),
//! )?;
//! let marquez = registry.get_as::<dyn LineageBackendPlugin>("marquez")?;
//! let transport = marquez.get_transport_config()?;
//! assert_eq!(transport["url"], "https://lineage.example.com/api/v1/lineage");
//! # Ok::<(), PluginError>(())
//! ```

use std::sync::Arc;
use std::time::{Duration, Instant};

use floe_registry::prelude::*;
use floe_registry::schemars::Schema;
use serde::{Deserialize, Deserializer};
use serde_json::{Value, json};

use crate::http::{HttpClient, redact_url};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.lineage.marquez";

/// How long `validate_connection` waits for the server.
pub const VALIDATE_TIMEOUT: Duration = Duration::from_secs(10);

/// How long `health_check` waits for the server: below the registry's 5 s health
/// deadline, so a slow server is reported by this plugin, with its reason.
pub const HEALTH_TIMEOUT: Duration = Duration::from_secs(4);

/// The pattern an `http://` URL must match unless `allow_insecure_http` is set:
/// `localhost`, `localhost.localdomain` (any case) or a loopback IP, with an optional
/// port.
pub const LOCAL_HTTP_PATTERN: &str = r"^http://([lL][oO][cC][aA][lL][hH][oO][sS][tT](\.[lL][oO][cC][aA][lL][dD][oO][mM][aA][iI][nN])?|127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}|\[::1\]|\[0:0:0:0:0:0:0:1\]|\[::[fF]{4}:127\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\])(:[0-9]*)?([/?#]|$)";

/// Marquez: sends OpenLineage events to a Marquez server over HTTP.
#[floe_plugin(
    type = LineageBackend,
    name = "marquez",
    version = "0.20.0",
    description = "",
    config = MarquezConfig
)]
#[derive(Default)]
pub struct MarquezPlugin {
    #[config]
    config: ConfigCell<MarquezConfig>,
}

/// The settings of the Marquez lineage backend. Unknown fields are ignored.
///
/// `url` must use HTTPS unless it names localhost or a loopback address,
/// `allow_insecure_http` is `true`, or the environment has
/// `FLOE_ALLOW_INSECURE_HTTP=true` (any case, as floe-lineage-marquez 0.1.0a1 reads
/// it; read when the registry first builds this schema, once a registry).
#[floe_config]
#[derive(Debug)]
#[schemars(transform = insecure_http_rule)]
pub struct MarquezConfig {
    /// The Marquez server, `https://...` (trailing `/` removed). `http://` only for
    /// localhost or loopback addresses, or with `allow_insecure_http`.
    #[serde(default = "default_url", deserialize_with = "without_trailing_slashes")]
    #[schemars(regex(pattern = r"^https?://"))]
    pub url: String,
    /// Bearer token sent to Marquez.
    #[serde(default)]
    pub api_key: Option<Secret>,
    /// The deployment environment, part of the namespace strategy.
    #[serde(default = "default_environment")]
    pub environment: String,
    /// Whether TLS certificates are verified. Certificates are always verified by the
    /// shared HTTP client; `false` is accepted and logged as not honoured.
    #[serde(default = "default_true")]
    pub verify_ssl: bool,
    /// Seconds to wait for queued events to be sent at shutdown; greater than 0.
    #[serde(default = "default_drain_timeout")]
    #[schemars(transform = exclusive_minimum_zero)]
    pub drain_timeout: f64,
    /// Allows `http://` URLs to hosts other than localhost (not recommended); so does
    /// `FLOE_ALLOW_INSECURE_HTTP=true` in the environment.
    #[serde(default)]
    pub allow_insecure_http: bool,
}

impl Default for MarquezConfig {
    fn default() -> Self {
        MarquezConfig {
            url: default_url(),
            api_key: None,
            environment: default_environment(),
            verify_ssl: true,
            drain_timeout: default_drain_timeout(),
            allow_insecure_http: false,
        }
    }
}

fn default_url() -> String {
    "https://marquez:5000".to_owned()
}

fn default_environment() -> String {
    "prod".to_owned()
}

fn default_true() -> bool {
    true
}

fn default_drain_timeout() -> f64 {
    30.0
}

fn without_trailing_slashes<'de, D: Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    let url = String::deserialize(d)?;
    Ok(url.trim_end_matches('/').to_owned())
}

fn exclusive_minimum_zero(schema: &mut Schema) {
    schema.insert("exclusiveMinimum".to_owned(), json!(0));
}

/// The environment variable that allows `http://` to any host, as
/// floe-lineage-marquez 0.1.0a1 reads it: the value `true`, in any case.
pub const ALLOW_INSECURE_HTTP_ENV: &str = "FLOE_ALLOW_INSECURE_HTTP";

/// Whether [`ALLOW_INSECURE_HTTP_ENV`] is `true` (any case) in this process's
/// environment.
pub fn insecure_http_allowed_by_env() -> bool {
    std::env::var(ALLOW_INSECURE_HTTP_ENV).is_ok_and(|v| v.to_lowercase() == "true")
}

/// `http://` to a host other than localhost needs `allow_insecure_http: true`, or
/// `FLOE_ALLOW_INSECURE_HTTP=true` in the environment when the registry first reads
/// the schema (once a registry, at its first configure or schema of marquez).
fn insecure_http_rule(schema: &mut Schema) {
    if insecure_http_allowed_by_env() {
        return;
    }
    schema.insert(
        "if".to_owned(),
        json!({
            "properties": {
                "allow_insecure_http": {"const": false},
                "url": {"pattern": "^http://"}
            },
            "required": ["url"]
        }),
    );
    schema.insert(
        "then".to_owned(),
        json!({
            "properties": {
                "url": {
                    "description": "HTTP is only allowed for localhost development: use https://, or set allow_insecure_http to true (not recommended)",
                    "pattern": LOCAL_HTTP_PATTERN
                }
            }
        }),
    );
}

impl MarquezPlugin {
    /// The configured settings, or the defaults before `configure`.
    fn settings(&self) -> Arc<MarquezConfig> {
        self.config
            .get()
            .unwrap_or_else(|_| Arc::new(MarquezConfig::default()))
    }

    /// The API key, for a transport that sends events (never printed).
    pub fn api_key(&self) -> Option<Secret> {
        self.settings().api_key.clone()
    }

    /// `GET <url>/api/v1/namespaces`: the status code, or why there was none.
    fn probe(&self, timeout: Duration) -> Result<u16, String> {
        let config = self.settings();
        if !config.verify_ssl {
            tracing::warn!(
                plugin = "marquez",
                "verify_ssl=false is not honoured: the shared HTTP client always verifies certificates"
            );
        }
        let url = format!("{}/api/v1/namespaces", config.url);
        let bearer = config
            .api_key
            .as_ref()
            .map(|key| format!("Bearer {}", key.expose()));
        let headers: Vec<(&str, &str)> = bearer
            .as_deref()
            .map(|b| vec![("Authorization", b)])
            .unwrap_or_default();
        HttpClient::with_timeout(timeout)
            .get(&url, &headers)
            .map(|response| response.status)
            .map_err(|e| e.to_string())
    }
}

impl LineageBackendPlugin for MarquezPlugin {
    /// `{"type": "http", "url": "<url>/api/v1/lineage", "timeout": 5.0,
    /// "drain_timeout": ..., "api_key": ...}`. The API key is never put into this
    /// value: it reads `"[REDACTED]"` when one is set (take it from
    /// [`MarquezPlugin::api_key`]) and `null` otherwise.
    fn get_transport_config(&self) -> Result<Value, PluginError> {
        let config = self.settings();
        Ok(json!({
            "type": "http",
            "url": format!("{}/api/v1/lineage", config.url),
            "timeout": 5.0,
            "drain_timeout": config.drain_timeout,
            "api_key": config.api_key.as_ref().map(|_| floe_registry::REDACTED),
        }))
    }

    /// `{"strategy": "centralized", "environment": ..., "platform": "floe",
    /// "default_namespace": "floe-<environment>"}`.
    fn get_namespace_strategy(&self) -> Result<Value, PluginError> {
        let config = self.settings();
        Ok(json!({
            "strategy": "centralized",
            "environment": config.environment,
            "platform": "floe",
            "default_namespace": format!("floe-{}", config.environment),
        }))
    }

    /// Helm values of the Marquez chart with its PostgreSQL.
    fn get_helm_values(&self) -> Value {
        let resources = json!({
            "limits": {"cpu": "500m", "memory": "512Mi"},
            "requests": {"cpu": "250m", "memory": "256Mi"}
        });
        json!({
            "marquez": {
                "enabled": true,
                "image": {
                    "repository": "marquezproject/marquez",
                    "tag": "0.20.0",
                    "pullPolicy": "IfNotPresent"
                },
                "service": {"type": "ClusterIP", "port": 5000},
                "resources": resources,
                "env": {"MARQUEZ_PORT": "5000", "MARQUEZ_ADMIN_PORT": "5001"}
            },
            "postgresql": {
                "enabled": true,
                "auth": {
                    "username": "marquez",
                    "existingSecret": "marquez-postgresql-credentials",
                    "secretKeys": {
                        "adminPasswordKey": "postgres-password",
                        "userPasswordKey": "password"
                    },
                    "database": "marquez"
                },
                "primary": {
                    "persistence": {"enabled": true, "size": "8Gi"},
                    "resources": resources
                }
            }
        })
    }

    /// `GET <url>/api/v1/namespaces` within 10 s: `true` only for status 200. Any
    /// other status, timeout or connection failure is `false`, logged with its reason.
    fn validate_connection(&self) -> Result<bool, PluginError> {
        match self.probe(VALIDATE_TIMEOUT) {
            Ok(200) => Ok(true),
            Ok(status) => {
                tracing::warn!(
                    plugin = "marquez",
                    status,
                    "marquez_validate_connection_failed"
                );
                Ok(false)
            }
            Err(reason) => {
                tracing::warn!(plugin = "marquez", %reason, "marquez_validate_connection_failed");
                Ok(false)
            }
        }
    }

    /// Healthy when `GET <url>/api/v1/namespaces` answers 200 within 4 s; otherwise
    /// unhealthy with the status or the reason.
    fn health_check(&self) -> HealthStatus {
        let url = redact_url(&self.settings().url);
        let started = Instant::now();
        let result = self.probe(HEALTH_TIMEOUT);
        let elapsed_ms = started.elapsed().as_secs_f64() * 1000.0;
        let status = match result {
            Ok(200) => HealthStatus::healthy().with_detail("status_code", 200),
            Ok(code) => HealthStatus::unhealthy(format!("Marquez API returned status {code}"))
                .with_detail("status_code", code)
                .with_detail("reason", "unhealthy_response"),
            Err(reason) => {
                HealthStatus::unhealthy(format!("Marquez API health check failed: {reason}"))
                    .with_detail("reason", "connection_error")
            }
        };
        status
            .with_detail("url", url)
            .with_detail("response_time_ms", elapsed_ms)
    }
}
