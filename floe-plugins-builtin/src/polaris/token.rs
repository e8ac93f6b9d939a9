//! The OAuth2 client-credentials token: fetched from the token endpoint, cached until
//! `refresh_margin_seconds` before it expires, then fetched again.

use std::sync::Mutex;
use std::time::{Duration, Instant};

use floe_registry::Secret;
use serde_json::Value;

use super::config::PolarisConfig;
use super::error::CatalogError;
use super::retry::Retry;
use crate::http::{Body, HttpClient};

/// A fetched token and when to stop using it.
struct Cached {
    token: Secret,
    /// `None`: the endpoint gave no `expires_in`; used until the catalog answers 401.
    refresh_at: Option<Instant>,
}

/// The token of one catalog session. Concurrent callers wait for one fetch.
pub(crate) struct TokenSource {
    token_url: String,
    client_id: String,
    client_secret: Secret,
    scope: String,
    margin: Duration,
    cached: Mutex<Option<Cached>>,
}

impl TokenSource {
    /// A source for `config`'s client, asking for `scope`.
    pub(crate) fn new(config: &PolarisConfig, scope: String) -> Self {
        TokenSource {
            token_url: config.oauth2.token_url.clone(),
            client_id: config.oauth2.client_id.clone(),
            client_secret: config.oauth2.client_secret.clone(),
            scope,
            margin: Duration::from_secs(u64::from(config.oauth2.refresh_margin_seconds)),
            cached: Mutex::new(None),
        }
    }

    /// The current token, fetching one when there is none or it is due for refresh.
    pub(crate) fn token(
        &self,
        http: &HttpClient,
        retry: &Retry,
        operation: &'static str,
    ) -> Result<Secret, CatalogError> {
        let mut cached = self
            .cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if let Some(c) = cached.as_ref()
            && c.refresh_at.is_none_or(|at| Instant::now() < at)
        {
            return Ok(c.token.clone());
        }
        let fresh = self.fetch(http, retry, operation)?;
        let token = fresh.token.clone();
        *cached = Some(fresh);
        Ok(token)
    }

    /// Forgets the cached token (after the catalog refused it).
    pub(crate) fn invalidate(&self, refused: &Secret) {
        let mut cached = self
            .cached
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        if cached.as_ref().is_some_and(|c| c.token == *refused) {
            *cached = None;
        }
    }

    fn fetch(
        &self,
        http: &HttpClient,
        retry: &Retry,
        operation: &'static str,
    ) -> Result<Cached, CatalogError> {
        let form = [
            ("grant_type", "client_credentials"),
            ("client_id", self.client_id.as_str()),
            ("client_secret", self.client_secret.expose()),
            ("scope", self.scope.as_str()),
        ];
        let started = Instant::now();
        let unavailable = |cause: String| CatalogError::Unavailable {
            uri: crate::http::redact_url(&self.token_url),
            cause: Some(cause),
        };
        // A client-credentials grant creates nothing: safe to retry.
        let response = retry
            .run(true, || {
                http.request(
                    "POST",
                    &self.token_url,
                    &[("Accept", "application/json")],
                    Body::Form(&form),
                )
            })
            .map_err(|e| unavailable(format!("token endpoint: {e}")))?;
        let body: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        if matches!(response.status, 400 | 401 | 403) {
            let text = |k: &str| body.get(k).and_then(Value::as_str).map(str::to_owned);
            let mut message = text("error").unwrap_or_else(|| format!("HTTP {}", response.status));
            if let Some(d) = text("error_description") {
                message.push_str(&format!(": {d}"));
            }
            if let Some(u) = text("error_uri") {
                message.push_str(&format!(" ({u})"));
            }
            return Err(CatalogError::Authentication {
                operation,
                message: format!("OAuth2 authentication failed: {message}"),
            });
        }
        if !response.is_success() {
            return Err(unavailable(format!(
                "token endpoint returned HTTP {}",
                response.status
            )));
        }
        let token = body
            .get("access_token")
            .and_then(Value::as_str)
            .filter(|t| !t.is_empty())
            .ok_or_else(|| CatalogError::Authentication {
                operation,
                message: "OAuth2 authentication failed: the token endpoint answered without an access_token".to_owned(),
            })?;
        let refresh_at = body
            .get("expires_in")
            .and_then(|v| {
                v.as_u64()
                    .or_else(|| v.as_str().and_then(|s| s.parse().ok()))
            })
            .map(|secs| started + refresh_after(Duration::from_secs(secs), self.margin));
        tracing::debug!(operation, "polaris_token_fetched");
        Ok(Cached {
            token: Secret::new(token),
            refresh_at,
        })
    }
}

/// How long to use a token that lives `lifetime`: until `margin` before it expires,
/// but at least half its life when the margin is longer than that.
fn refresh_after(lifetime: Duration, margin: Duration) -> Duration {
    lifetime
        .checked_sub(margin)
        .filter(|d| *d >= lifetime / 2)
        .unwrap_or(lifetime / 2)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn refresh_leaves_the_margin_or_half_the_lifetime() {
        let s = Duration::from_secs;
        assert_eq!(refresh_after(s(3600), s(60)), s(3540));
        assert_eq!(refresh_after(s(30), s(60)), s(15));
        assert_eq!(refresh_after(s(100), s(60)), s(50));
    }
}
