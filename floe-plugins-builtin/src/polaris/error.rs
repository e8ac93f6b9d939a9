//! Catalog errors with the floe catalog texts, and the mapping of HTTP answers to them.

use floe_registry::PluginError;
use serde_json::Value;

use crate::http::{HttpError, HttpResponse};

/// What went wrong talking to the catalog. Every [`PluginError`] the plugin returns
/// carries one as its `source`, so callers can tell the kinds apart:
///
/// ```
/// use floe_plugins_builtin::polaris::CatalogError;
/// use floe_registry::PluginError;
///
/// let err: PluginError = CatalogError::NotFound { resource: "table", identifier: "raw.x".into() }.into();
/// assert_eq!(err.to_string(), "Polaris catalog request failed");
/// let kind = std::error::Error::source(&err).and_then(|s| s.downcast_ref::<CatalogError>());
/// assert!(matches!(kind, Some(CatalogError::NotFound { .. })));
/// assert_eq!(kind.map(ToString::to_string).as_deref(), Some("table not found: raw.x"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum CatalogError {
    /// The catalog cannot be reached or answered with a server error.
    #[error("Catalog unavailable: {uri}{}", crate::error::suffix(" - ", cause))]
    Unavailable {
        /// The catalog URI.
        uri: String,
        /// Why, when known.
        cause: Option<String>,
    },
    /// The credentials were refused, expired or lack a permission.
    #[error("Authentication failed for '{operation}': {message}")]
    Authentication {
        /// The operation.
        operation: &'static str,
        /// What the catalog or token endpoint said.
        message: String,
    },
    /// The catalog does not support the request, or refused it as invalid.
    #[error(
        "Operation '{operation}' not supported by catalog '{catalog}'{}",
        crate::error::suffix(": ", reason)
    )]
    NotSupported {
        /// The operation.
        operation: &'static str,
        /// The catalog (its URI or name).
        catalog: String,
        /// Why.
        reason: Option<String>,
    },
    /// The resource already exists.
    #[error("{resource} already exists: {identifier}")]
    Conflict {
        /// `namespace` or `table`.
        resource: &'static str,
        /// Which one.
        identifier: String,
    },
    /// The resource does not exist.
    #[error("{resource} not found: {identifier}")]
    NotFound {
        /// `namespace`, `table` or `identifier`.
        resource: &'static str,
        /// Which one.
        identifier: String,
    },
    /// Anything else.
    #[error("Unexpected catalog error during {operation}: {message}")]
    Unexpected {
        /// The operation.
        operation: &'static str,
        /// What happened.
        message: String,
    },
}

impl From<CatalogError> for PluginError {
    fn from(err: CatalogError) -> Self {
        crate::error::failure("Polaris catalog request failed", err)
    }
}

/// What a failed request was about, to name the resource of a 404 or 409.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Target<'a> {
    /// The operation, for messages.
    pub operation: &'static str,
    /// `namespace` or `table`.
    pub resource: &'static str,
    /// Its identifier.
    pub identifier: &'a str,
}

/// The error text of an Iceberg REST error body: `<type>: <message>`, else the body.
fn rest_message(response: &HttpResponse) -> String {
    let parsed: Option<Value> = serde_json::from_str(&response.body).ok();
    let error = parsed.as_ref().and_then(|v| v.get("error"));
    let message = error.and_then(|e| e.get("message")).and_then(Value::as_str);
    let kind = error.and_then(|e| e.get("type")).and_then(Value::as_str);
    match (kind, message) {
        (Some(k), Some(m)) => format!("{k}: {m}"),
        (None, Some(m)) => m.to_owned(),
        _ => {
            let body: String = response.body.chars().take(200).collect();
            if body.trim().is_empty() {
                format!("HTTP {}", response.status)
            } else {
                format!("HTTP {}: {}", response.status, body.trim())
            }
        }
    }
}

/// Maps a non-2xx catalog answer to an error.
pub(crate) fn from_status(uri: &str, target: Target<'_>, response: &HttpResponse) -> CatalogError {
    let message = rest_message(response);
    let op = target.operation;
    match response.status {
        400 => CatalogError::NotSupported {
            operation: op,
            catalog: uri.to_owned(),
            reason: Some(format!("Invalid request: {message}")),
        },
        401 => CatalogError::Authentication {
            operation: op,
            message: format!("Unauthorized: {message}"),
        },
        403 => CatalogError::Authentication {
            operation: op,
            message: format!("Permission denied: {message}"),
        },
        404 => CatalogError::NotFound {
            // A table request can fail on its namespace: the error type says which.
            resource: if message.starts_with("NoSuchNamespace") {
                "namespace"
            } else {
                target.resource
            },
            identifier: if message.starts_with("NoSuchNamespace") && target.resource == "table" {
                target
                    .identifier
                    .rsplit_once('.')
                    .map_or(target.identifier, |(ns, _)| ns)
                    .to_owned()
            } else {
                target.identifier.to_owned()
            },
        },
        409 => CatalogError::Conflict {
            resource: target.resource,
            identifier: target.identifier.to_owned(),
        },
        419 => CatalogError::Authentication {
            operation: op,
            message: "Authorization expired - token refresh required".to_owned(),
        },
        501 => CatalogError::NotSupported {
            operation: op,
            catalog: uri.to_owned(),
            reason: Some(message),
        },
        status => CatalogError::Unavailable {
            uri: uri.to_owned(),
            cause: Some(format!("{op} returned HTTP {status}: {message}")),
        },
    }
}

/// Maps a request that got no answer to an error.
pub(crate) fn from_transport(uri: &str, err: &HttpError) -> CatalogError {
    CatalogError::Unavailable {
        uri: uri.to_owned(),
        cause: Some(err.to_string()),
    }
}
