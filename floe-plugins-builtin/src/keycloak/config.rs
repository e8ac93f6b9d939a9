//! The keycloak plugin's configuration, and the realm URLs derived from it.

use std::net::IpAddr;
use std::time::Duration;

use floe_registry::{Secret, floe_config};

/// How to reach a Keycloak realm, as written in a manifest. Checked and normalised
/// into [`KeycloakConfig`] (strings trimmed, trailing `/` of `server_url` removed,
/// HTTPS required except for localhost unless `allow_insecure_http`).
#[floe_config]
#[serde(deny_unknown_fields)]
#[schemars(rename = "KeycloakConfig")]
pub struct KeycloakConfigInput {
    /// The Keycloak base URL, e.g. `https://auth.example.com` (HTTPS; plain HTTP only
    /// for localhost, or anywhere with `allow_insecure_http`).
    #[schemars(length(min = 1), regex(pattern = r"^\s*[hH][tT][tT][pP][sS]?://"))]
    server_url: String,
    /// The realm.
    #[schemars(length(min = 1))]
    realm: String,
    /// The OIDC client id; also the expected token audience unless `audience` is set.
    #[schemars(length(min = 1))]
    client_id: String,
    /// The OIDC client secret.
    #[schemars(length(min = 1))]
    client_secret: Secret,
    /// The audience (`aud`) a token must carry; the client id when absent.
    #[serde(default)]
    audience: Option<String>,
    /// Seconds of clock skew tolerated when checking `exp` and `nbf`.
    #[serde(default)]
    #[schemars(range(max = 300))]
    leeway: u32,
    /// Seconds each request to Keycloak may take.
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.1, max = 300.0))]
    timeout: f64,
    /// Scopes asked for by `authenticate`.
    #[serde(default = "default_scopes")]
    scopes: Vec<String>,
    /// Allow plain `http://` for hosts other than localhost (development only).
    #[serde(default)]
    allow_insecure_http: bool,
}

/// How to reach a Keycloak realm and check its tokens: the configuration as checked
/// and normalised from [`KeycloakConfigInput`].
#[floe_config]
#[derive(Debug, Clone)]
#[serde(try_from = "KeycloakConfigInput")]
pub struct KeycloakConfig {
    /// The Keycloak base URL without a trailing `/`.
    pub server_url: String,
    /// The realm.
    pub realm: String,
    /// The OIDC client id.
    pub client_id: String,
    /// The OIDC client secret.
    pub client_secret: Secret,
    /// The audience a token must carry.
    pub audience: String,
    /// Tolerated clock skew, in seconds.
    pub leeway: u32,
    /// Per-request timeout.
    pub timeout: Duration,
    /// Scopes asked for by `authenticate`.
    pub scopes: Vec<String>,
    /// Whether plain HTTP is allowed for non-localhost hosts.
    pub allow_insecure_http: bool,
}

fn default_timeout() -> f64 {
    30.0
}

fn default_scopes() -> Vec<String> {
    ["openid", "profile", "email"].map(str::to_owned).to_vec()
}

impl TryFrom<KeycloakConfigInput> for KeycloakConfig {
    type Error = String;

    fn try_from(input: KeycloakConfigInput) -> Result<Self, String> {
        let trimmed = |field: &str, v: &str| {
            let t = v.trim();
            if t.is_empty() {
                Err(format!("{field} cannot be empty"))
            } else {
                Ok(t.to_owned())
            }
        };
        let server_url = trimmed("server_url", &input.server_url)?
            .trim_end_matches('/')
            .to_owned();
        check_scheme(&server_url, input.allow_insecure_http)?;
        let client_id = trimmed("client_id", &input.client_id)?;
        if input.client_secret.expose().trim().is_empty() {
            return Err("client_secret cannot be empty".to_owned());
        }
        let audience = match input.audience {
            Some(a) => trimmed("audience", &a)?,
            None => client_id.clone(),
        };
        if !(input.timeout.is_finite() && input.timeout > 0.0) {
            return Err("timeout must be greater than 0".to_owned());
        }
        Ok(KeycloakConfig {
            server_url,
            realm: trimmed("realm", &input.realm)?,
            client_id,
            client_secret: input.client_secret,
            audience,
            leeway: input.leeway,
            timeout: Duration::from_secs_f64(input.timeout),
            scopes: input
                .scopes
                .iter()
                .map(|s| s.trim().to_owned())
                .filter(|s| !s.is_empty())
                .collect(),
            allow_insecure_http: input.allow_insecure_http,
        })
    }
}

/// HTTPS, or HTTP to localhost, or HTTP anywhere when explicitly allowed.
fn check_scheme(url: &str, allow_insecure_http: bool) -> Result<(), String> {
    let lower = url.to_ascii_lowercase();
    if lower.starts_with("https://") {
        return Ok(());
    }
    let Some(rest) = lower.strip_prefix("http://") else {
        return Err("server_url must start with https:// or http://localhost".to_owned());
    };
    let host = host_of(rest);
    if allow_insecure_http || is_local(host) {
        return Ok(());
    }
    Err(format!(
        "HTTP not allowed for '{host}'. server_url must use HTTPS for non-localhost URLs. \
         HTTP is only allowed for localhost development (or set allow_insecure_http)."
    ))
}

/// The host of `authority/path`, without user info, port or IPv6 brackets.
fn host_of(rest: &str) -> &str {
    let authority = rest.split(['/', '?', '#']).next().unwrap_or("");
    let authority = authority.rsplit_once('@').map_or(authority, |(_, h)| h);
    if let Some(v6) = authority.strip_prefix('[') {
        return v6.split(']').next().unwrap_or("");
    }
    authority.split(':').next().unwrap_or("")
}

fn is_local(host: &str) -> bool {
    matches!(host, "localhost" | "localhost.localdomain")
        || host.parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

impl KeycloakConfig {
    /// `<server_url>/realms/<realm>`: the issuer of the realm's tokens.
    pub fn issuer(&self) -> String {
        format!("{}/realms/{}", self.server_url, self.realm)
    }

    /// The OIDC discovery document.
    pub fn discovery_url(&self) -> String {
        format!("{}/.well-known/openid-configuration", self.issuer())
    }

    /// The token endpoint.
    pub fn token_url(&self) -> String {
        format!("{}/protocol/openid-connect/token", self.issuer())
    }

    /// The userinfo endpoint.
    pub fn userinfo_url(&self) -> String {
        format!("{}/protocol/openid-connect/userinfo", self.issuer())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn http_is_only_for_loopback_unless_allowed() {
        assert!(check_scheme("https://auth.example.com", false).is_ok());
        assert!(check_scheme("http://localhost:8080", false).is_ok());
        assert!(check_scheme("http://127.0.0.1:8080", false).is_ok());
        assert!(check_scheme("http://[::1]:8080/x", false).is_ok());
        let err = check_scheme("http://auth.example.com:8080", false).unwrap_err();
        assert!(
            err.starts_with("HTTP not allowed for 'auth.example.com'"),
            "{err}"
        );
        assert!(check_scheme("http://auth.example.com", true).is_ok());
        assert!(check_scheme("ftp://x", true).is_err());
        assert_eq!(host_of("user@Host:1/p"), "Host");
    }
}
