//! The Glue JSON API (`POST /` with `X-Amz-Target: AWSGlue.<Action>`), signed with
//! SigV4 for service `glue`, retried as botocore retries.

use std::time::{Duration, SystemTime};

use floe_registry::PluginError;
use serde_json::Value;

use super::GlueCatalogConfig;
use crate::aws::sigv4::{self, Request};
use crate::aws::xml::xml_values;
use crate::aws::{Credentials, agent, endpoint_parts};

/// How long one Glue request may take.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

/// The first wait before a retry; each later one doubles, up to [`MAX_BACKOFF`].
const FIRST_BACKOFF: Duration = Duration::from_millis(50);
const MAX_BACKOFF: Duration = Duration::from_secs(1);

/// A refused or failed Glue call.
#[derive(Debug)]
pub(crate) enum GlueError {
    /// Glue answered with an error: its code (`EntityNotFoundException`, ...) and
    /// message.
    Service {
        code: String,
        message: String,
        status: u16,
    },
    /// No answer: the endpoint could not be reached.
    Transport(String),
}

impl GlueError {
    /// The error code of a service error (empty for a transport failure).
    pub(crate) fn code(&self) -> &str {
        match self {
            GlueError::Service { code, .. } => code,
            GlueError::Transport(_) => "",
        }
    }

    /// A plugin error for `action`, naming the fix where there is one.
    pub(crate) fn into_plugin_error(self, action: &str, hint: &str) -> PluginError {
        match self {
            GlueError::Transport(message) => PluginError::failed(format!(
                "cannot reach AWS Glue for {action}: {message}; check the glue plugin's \
                 `region` / `endpoint_override` and the network"
            )),
            GlueError::Service {
                code,
                message,
                status,
            } => match code.as_str() {
                "UnrecognizedClientException"
                | "InvalidClientTokenId"
                | "SignatureDoesNotMatch"
                | "InvalidSignatureException"
                | "AccessDeniedException"
                | "AccessDenied"
                | "ExpiredTokenException" => PluginError::failed(format!(
                    "AWS Glue refused the credentials for {action} ({code}: {message}); {hint}"
                )),
                _ => PluginError::failed(format!(
                    "AWS Glue refused {action}: {code}: {message} (HTTP {status})"
                )),
            },
        }
    }
}

/// A signed client of one Glue endpoint.
pub(crate) struct GlueClient {
    agent: ureq::Agent,
    url: String,
    host: String,
    region: String,
    credentials: Credentials,
    catalog_id: Option<String>,
    attempts: u64,
}

impl std::fmt::Debug for GlueClient {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GlueClient")
            .field("url", &self.url)
            .field("region", &self.region)
            .field("credentials", &self.credentials)
            .finish_non_exhaustive()
    }
}

impl GlueClient {
    /// A client of the configured endpoint, signing with `credentials`.
    pub(crate) fn new(
        config: &GlueCatalogConfig,
        credentials: Credentials,
    ) -> Result<Self, PluginError> {
        let endpoint = config.endpoint();
        let (scheme, host) = endpoint_parts("Glue", &endpoint)?;
        Ok(GlueClient {
            agent: agent(REQUEST_TIMEOUT),
            url: format!("{scheme}://{host}/"),
            host,
            region: config.region.clone(),
            credentials,
            catalog_id: config.catalog_id.clone(),
            attempts: config.attempts(),
        })
    }

    /// The credentials the client signs with (the table files are written with them).
    pub(crate) fn credentials(&self) -> &Credentials {
        &self.credentials
    }

    /// Calls `action` with `body` (a JSON object; `CatalogId` is added when
    /// configured) and returns the answer, trying again after a connection failure,
    /// a 5xx answer or throttling.
    pub(crate) fn call(&self, action: &str, mut body: Value) -> Result<Value, GlueError> {
        if let (Some(id), Some(map)) = (&self.catalog_id, body.as_object_mut()) {
            map.insert("CatalogId".to_owned(), Value::String(id.clone()));
        }
        let payload = body.to_string();
        let mut backoff = FIRST_BACKOFF;
        let mut attempt = 1;
        loop {
            let result = self.send(action, payload.as_bytes());
            let retry = match &result {
                Err(GlueError::Transport(_)) => true,
                Err(GlueError::Service { code, status, .. }) => {
                    *status >= 500
                        || *status == 429
                        || code.contains("Throttling")
                        || code == "TooManyRequestsException"
                }
                Ok(_) => false,
            };
            if !retry || attempt >= self.attempts {
                return result;
            }
            tracing::debug!(action, attempt, "glue_retry");
            std::thread::sleep(backoff);
            backoff = (backoff * 2).min(MAX_BACKOFF);
            attempt += 1;
        }
    }

    fn send(&self, action: &str, payload: &[u8]) -> Result<Value, GlueError> {
        let target = format!("AWSGlue.{action}");
        let content_type = "application/x-amz-json-1.1";
        let extra = [
            ("content-type", content_type),
            ("x-amz-target", target.as_str()),
        ];
        let signed = sigv4::sign(
            &Request {
                method: "POST",
                host: &self.host,
                path: "/",
                query: &[],
                headers: &extra,
                payload,
            },
            &self.credentials,
            &self.region,
            "glue",
            SystemTime::now(),
        );
        let mut request = self.agent.post(&self.url);
        for (name, value) in extra.iter().copied() {
            request = request.header(name, value);
        }
        for (name, value) in &signed {
            request = request.header(*name, value);
        }
        let mut response = request
            .send(payload)
            .map_err(|e| GlueError::Transport(format!("{} ({e})", self.url)))?;
        let status = response.status().as_u16();
        let text = response
            .body_mut()
            .with_config()
            .limit(64 * 1024 * 1024)
            .read_to_string()
            .map_err(|e| GlueError::Transport(format!("reading the answer failed: {e}")))?;
        if (200..300).contains(&status) {
            return Ok(serde_json::from_str(&text).unwrap_or(Value::Null));
        }
        Err(service_error(status, &text))
    }
}

/// The code and message of an error answer: Glue's JSON (`__type`, `Message`), or
/// the XML `ErrorResponse` of a refused signature.
fn service_error(status: u16, text: &str) -> GlueError {
    let (code, message) = match serde_json::from_str::<Value>(text) {
        Ok(json) => {
            let code = json
                .get("__type")
                .or_else(|| json.get("code"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            let message = json
                .get("Message")
                .or_else(|| json.get("message"))
                .and_then(Value::as_str)
                .unwrap_or_default();
            (
                code.rsplit(['#', ':']).next().unwrap_or(code).to_owned(),
                message.to_owned(),
            )
        }
        Err(_) => (
            xml_values(text, "Code")
                .into_iter()
                .next()
                .unwrap_or_default(),
            xml_values(text, "Message")
                .into_iter()
                .next()
                .unwrap_or_default(),
        ),
    };
    let code = if code.is_empty() {
        format!("HTTP {status}")
    } else {
        code
    };
    GlueError::Service {
        code,
        message,
        status,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn error_answers_give_their_code_and_message() {
        let json = service_error(
            400,
            r#"{"__type": "com.amazonaws.glue#EntityNotFoundException", "Message": "Database x not found."}"#,
        );
        assert_eq!(json.code(), "EntityNotFoundException");
        let xml = service_error(
            403,
            "<ErrorResponse><Errors><Error><Code>SignatureDoesNotMatch</Code><Message>no</Message></Error></Errors></ErrorResponse>",
        );
        assert_eq!(xml.code(), "SignatureDoesNotMatch");
        assert_eq!(service_error(502, "").code(), "HTTP 502");
    }
}
