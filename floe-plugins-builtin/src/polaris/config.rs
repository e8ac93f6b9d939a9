//! The polaris plugin's configuration.

use std::time::Duration;

use floe_registry::{Secret, floe_config};

/// How to reach an Apache Polaris (Iceberg REST) catalog.
#[floe_config]
#[derive(Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct PolarisConfig {
    /// The catalog's REST base URL, e.g. `http://polaris:8181/api/catalog`.
    #[schemars(regex(pattern = r"^https?://"))]
    pub uri: String,
    /// The warehouse (Polaris catalog name) sent as `?warehouse=` to `GET /v1/config`.
    #[schemars(length(min = 1))]
    pub warehouse: String,
    /// OAuth2 client-credentials settings.
    pub oauth2: OAuth2Config,
    /// Seconds to wait for a TCP/TLS connection.
    #[serde(default = "default_connect_timeout")]
    #[schemars(range(min = 1, max = 60))]
    pub connect_timeout_seconds: u32,
    /// Seconds a whole request (connect included) may take.
    #[serde(default = "default_read_timeout")]
    #[schemars(range(min = 1, max = 300))]
    pub read_timeout_seconds: u32,
    /// Retries of idempotent requests (GET) after a timeout, a refused connection or
    /// a 5xx answer (501 excepted), with exponential backoff.
    #[serde(default = "default_max_retries")]
    #[schemars(range(min = 0, max = 10))]
    pub max_retries: u32,
    /// Whether to ask the catalog for vended storage credentials
    /// (`X-Iceberg-Access-Delegation: vended-credentials`).
    #[serde(default = "default_true")]
    pub credential_vending_enabled: bool,
    /// Seconds `health_check` waits for the catalog to list its namespaces. This
    /// floe's own: floe-catalog-polaris 0.1.0a1 refuses a config that sets it
    /// (`floe plugins check` warns).
    #[serde(default = "default_health_timeout")]
    #[schemars(range(min = 0.1, max = 10.0))]
    #[schemars(extend("x-floe-rejected-by" = "floe 0.1.0a1"))]
    pub health_check_timeout_seconds: f64,
}

/// OAuth2 client-credentials settings of the catalog.
#[floe_config]
#[derive(Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct OAuth2Config {
    /// The client id.
    #[schemars(length(min = 1))]
    pub client_id: String,
    /// The client secret.
    pub client_secret: Secret,
    /// The token endpoint, e.g. `http://polaris:8181/api/catalog/v1/oauth/tokens`.
    #[schemars(regex(pattern = r"^https?://"))]
    pub token_url: String,
    /// The scope asked for (`catalog` when absent), e.g. `PRINCIPAL_ROLE:ALL`.
    #[serde(default)]
    pub scope: Option<String>,
    /// A token is refreshed this many seconds before it expires.
    #[serde(default = "default_refresh_margin")]
    #[schemars(range(min = 10, max = 300))]
    pub refresh_margin_seconds: u32,
}

impl PolarisConfig {
    /// The catalog URI without a trailing `/`.
    pub fn base_uri(&self) -> &str {
        self.uri.trim_end_matches('/')
    }

    /// The connect timeout.
    pub fn connect_timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.connect_timeout_seconds))
    }

    /// The overall timeout of one request.
    pub fn request_timeout(&self) -> Duration {
        Duration::from_secs(u64::from(self.read_timeout_seconds))
    }

    /// The health check's timeout.
    pub fn health_timeout(&self) -> Duration {
        Duration::from_secs_f64(self.health_check_timeout_seconds.clamp(0.1, 10.0))
    }
}

fn default_connect_timeout() -> u32 {
    10
}
fn default_read_timeout() -> u32 {
    30
}
fn default_max_retries() -> u32 {
    5
}
fn default_true() -> bool {
    true
}
fn default_health_timeout() -> f64 {
    1.0
}
fn default_refresh_margin() -> u32 {
    60
}
