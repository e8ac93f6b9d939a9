//! One session with an Iceberg REST catalog: the token, the catalog's `/v1/config`
//! answer (prefix, endpoint), and authenticated requests with retries.

use std::sync::Arc;

use floe_registry::Secret;
use serde_json::{Map, Value};

use super::config::PolarisConfig;
use super::error::{CatalogError, Target, from_status, from_transport};
use super::retry::Retry;
use super::token::TokenSource;
use crate::http::{Body, HttpClient, HttpResponse};

/// A connected catalog session.
pub(crate) struct Session {
    pub(crate) config: Arc<PolarisConfig>,
    http: HttpClient,
    retry: Retry,
    token: Arc<TokenSource>,
    /// `<uri>/v1/<prefix>` (or `<uri>/v1`), without a trailing `/`.
    base: String,
    /// The `s3.endpoint` given to `connect`, re-applied to loaded tables.
    pub(crate) s3_endpoint: Option<String>,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("base", &self.base)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Fetches a token and the catalog config: a session ready for requests.
    pub(crate) fn open(
        config: Arc<PolarisConfig>,
        properties: &Map<String, Value>,
        http: HttpClient,
        retry: Retry,
    ) -> Result<Session, CatalogError> {
        let scope = properties
            .get("scope")
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
            .or_else(|| config.oauth2.scope.clone().filter(|s| !s.is_empty()))
            .unwrap_or_else(|| "catalog".to_owned());
        let token = Arc::new(TokenSource::new(&config, scope));
        let s3_endpoint = properties
            .get("s3.endpoint")
            .and_then(Value::as_str)
            .map(str::to_owned);
        let mut session = Session {
            base: String::new(),
            config,
            http,
            retry,
            token,
            s3_endpoint,
        };
        session.base = session.discover_base()?;
        tracing::info!(base = %session.base, "polaris_connected");
        Ok(session)
    }

    /// The same session (token cache and resource base shared) over another client
    /// and retry policy: for health probes with their own timeout.
    pub(crate) fn with_transport(&self, http: HttpClient, retry: Retry) -> Session {
        Session {
            config: Arc::clone(&self.config),
            http,
            retry,
            token: Arc::clone(&self.token),
            base: self.base.clone(),
            s3_endpoint: self.s3_endpoint.clone(),
        }
    }

    /// The catalog URI, for messages.
    pub(crate) fn uri(&self) -> &str {
        self.config.base_uri()
    }

    /// `GET /v1/config?warehouse=...`: the resource base from the catalog's overrides.
    fn discover_base(&self) -> Result<String, CatalogError> {
        let uri = self.uri().to_owned();
        let url = format!(
            "{uri}/v1/config?warehouse={}",
            encode_component(&self.config.warehouse)
        );
        let target = Target {
            operation: "connect",
            resource: "warehouse",
            identifier: &self.config.warehouse,
        };
        let answer = self.send("GET", &url, None, target)?;
        let pick = |key: &str| {
            ["overrides", "defaults"].iter().find_map(|section| {
                answer
                    .get(*section)
                    .and_then(|s| s.get(key))
                    .and_then(Value::as_str)
                    .map(str::to_owned)
            })
        };
        let root = pick("uri").unwrap_or(uri);
        let root = root.trim_end_matches('/');
        Ok(match pick("prefix").filter(|p| !p.is_empty()) {
            Some(prefix) => format!("{root}/v1/{}", encode_component(&prefix)),
            None => format!("{root}/v1"),
        })
    }

    /// A resource URL: `<base>/<path>`.
    pub(crate) fn url(&self, path: &str) -> String {
        format!("{}/{path}", self.base)
    }

    /// `GET`s a resource (retried on transient failures) and parses the JSON answer.
    pub(crate) fn get(&self, url: &str, target: Target<'_>) -> Result<Value, CatalogError> {
        self.send("GET", url, None, target)
    }

    /// `POST`s JSON (never retried) and parses the JSON answer (`null` when empty).
    pub(crate) fn post(
        &self,
        url: &str,
        body: &Value,
        target: Target<'_>,
    ) -> Result<Value, CatalogError> {
        self.send("POST", url, Some(body), target)
    }

    /// Sends an authenticated request; a refused token (401/419) is refreshed once.
    fn send(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
        target: Target<'_>,
    ) -> Result<Value, CatalogError> {
        let mut response = self.send_once(method, url, body, target)?;
        if matches!(response.0.status, 401 | 419) {
            self.token.invalidate(&response.1);
            response = self.send_once(method, url, body, target)?;
        }
        let (response, _) = response;
        if !response.is_success() {
            return Err(from_status(self.uri(), target, &response));
        }
        if response.body.trim().is_empty() {
            return Ok(Value::Null);
        }
        response.json().map_err(|e| CatalogError::Unexpected {
            operation: target.operation,
            message: e.to_string(),
        })
    }

    fn send_once(
        &self,
        method: &str,
        url: &str,
        body: Option<&Value>,
        target: Target<'_>,
    ) -> Result<(HttpResponse, Secret), CatalogError> {
        let token = self
            .token
            .token(&self.http, &self.retry, target.operation)?;
        let bearer = format!("Bearer {}", token.expose());
        let mut headers = vec![
            ("Authorization", bearer.as_str()),
            ("Accept", "application/json"),
            ("X-Client-Version", "floe-polaris 0.1.0"),
        ];
        if self.config.credential_vending_enabled {
            headers.push(("X-Iceberg-Access-Delegation", "vended-credentials"));
        }
        let idempotent = method == "GET";
        let response = self
            .retry
            .run(idempotent, || {
                let body = match body {
                    Some(v) => Body::Json(v),
                    None => Body::Empty,
                };
                self.http.request(method, url, &headers, body)
            })
            .map_err(|e| from_transport(self.uri(), &e))?;
        Ok((response, token))
    }
}

pub(crate) use crate::http::encode_component;

/// A namespace as one path segment: its `.`-separated parts joined by the unit
/// separator (`%1F`).
pub(crate) fn encode_namespace(namespace: &str) -> String {
    namespace
        .split('.')
        .map(encode_component)
        .collect::<Vec<_>>()
        .join("%1F")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn namespaces_join_parts_with_the_unit_separator() {
        assert_eq!(encode_namespace("a.b c"), "a%1Fb%20c");
        assert_eq!(encode_component("x/y"), "x%2Fy");
    }
}
