//! The one small blocking HTTP client every network-facing built-in uses (ureq, with
//! rustls), with timeouts always set and messages that never carry credentials.

use std::fmt;
use std::time::Duration;

use serde_json::Value;

/// An HTTP response: the status and the body as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// The body, decoded as UTF-8 (lossy).
    pub body: String,
}

impl HttpResponse {
    /// Whether the status is 2xx.
    pub fn is_success(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The body parsed as JSON.
    pub fn json(&self) -> Result<Value, HttpError> {
        serde_json::from_str(&self.body).map_err(|e| HttpError::BadBody {
            reason: e.to_string(),
        })
    }
}

/// Why a request got no HTTP response.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HttpError {
    /// No answer within the timeout.
    #[error("no answer from {url} within {}s", .after.as_secs_f64())]
    Timeout {
        /// The URL, without credentials.
        url: String,
        /// The timeout.
        after: Duration,
    },
    /// The server could not be reached (refused, unknown host, TLS failure, ...).
    #[error("cannot reach {url}: {reason}")]
    Unreachable {
        /// The URL, without credentials.
        url: String,
        /// What the client said.
        reason: String,
    },
    /// The response body was not what was expected.
    #[error("unexpected response body: {reason}")]
    BadBody {
        /// Why.
        reason: String,
    },
}

/// A URL with any `user:password@` part replaced by `<REDACTED>@`, for messages.
///
/// ```
/// use floe_plugins_builtin::http::redact_url;
/// assert_eq!(redact_url("https://u:p@host/x"), "https://<REDACTED>@host/x");
/// assert_eq!(redact_url("http://host:8080/x"), "http://host:8080/x");
/// assert_eq!(redact_url("http://u@h st/x"), "<REDACTED>");
/// ```
pub fn redact_url(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(parsed) if parsed.username().is_empty() && parsed.password().is_none() => url.to_owned(),
        Ok(parsed) if parsed.has_host() => format!(
            "{}://<REDACTED>@{}",
            parsed.scheme(),
            &parsed[url::Position::BeforeHost..]
        ),
        // Not a URL the client could use: shown whole unless it may hold a credential.
        _ if url.contains('@') => "<REDACTED>".to_owned(),
        _ => url.to_owned(),
    }
}

/// The bytes [`encode_component`] escapes: all but RFC 3986's unreserved characters.
const COMPONENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Percent-encodes one URL path segment or query value: RFC 3986 unreserved
/// characters are kept, every other byte becomes `%XX`.
///
/// ```
/// use floe_plugins_builtin::http::encode_component;
/// assert_eq!(encode_component("a b/c~"), "a%20b%2Fc~");
/// ```
pub fn encode_component(s: &str) -> String {
    percent_encoding::utf8_percent_encode(s, COMPONENT).to_string()
}

/// A request body.
pub enum Body<'a> {
    /// No body.
    Empty,
    /// A JSON document.
    Json(&'a Value),
    /// `application/x-www-form-urlencoded` pairs.
    Form(&'a [(&'a str, &'a str)]),
}

/// A blocking HTTP client with a connect timeout and an overall timeout per request.
#[derive(Clone)]
pub struct HttpClient {
    agent: ureq::Agent,
    timeout: Duration,
}

impl fmt::Debug for HttpClient {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("HttpClient")
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl HttpClient {
    /// A client whose requests connect within `connect` and finish within `total`.
    pub fn new(connect: Duration, total: Duration) -> Self {
        Self::with_tls(connect, total, ureq::tls::TlsConfig::default())
    }

    /// Like [`HttpClient::new`], with TLS settings of its own (a private CA, a client
    /// certificate), as a Kubernetes API server needs.
    pub fn with_tls(connect: Duration, total: Duration, tls: ureq::tls::TlsConfig) -> Self {
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(connect))
            .timeout_global(Some(total))
            .tls_config(tls)
            .build();
        HttpClient {
            agent: ureq::Agent::new_with_config(config),
            timeout: total,
        }
    }

    /// A client with one timeout for connecting and for the whole request.
    pub fn with_timeout(timeout: Duration) -> Self {
        Self::new(timeout, timeout)
    }

    /// The overall timeout of a request.
    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// `GET url`.
    pub fn get(&self, url: &str, headers: &[(&str, &str)]) -> Result<HttpResponse, HttpError> {
        self.request("GET", url, headers, Body::Empty)
    }

    /// `POST url` with a JSON body.
    pub fn post_json(
        &self,
        url: &str,
        headers: &[(&str, &str)],
        body: &Value,
    ) -> Result<HttpResponse, HttpError> {
        self.request("POST", url, headers, Body::Json(body))
    }

    /// Sends one request and reads the whole response.
    pub fn request(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Body<'_>,
    ) -> Result<HttpResponse, HttpError> {
        let shown = redact_url(url);
        let failed = |e: ureq::Error| self.map_error(&shown, e);
        let bodiless = matches!(body, Body::Empty);
        let result = match method {
            "GET" | "HEAD" => {
                let mut req = match method {
                    "GET" => self.agent.get(url),
                    _ => self.agent.head(url),
                };
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                req.call()
            }
            "DELETE" if bodiless => {
                let mut req = self.agent.delete(url);
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                req.call()
            }
            _ => {
                let mut req = match method {
                    "PUT" => self.agent.put(url),
                    "PATCH" => self.agent.patch(url),
                    // A DELETE with a body (Infisical's API wants one).
                    "DELETE" => self.agent.delete(url).force_send_body(),
                    _ => self.agent.post(url),
                };
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                match body {
                    Body::Empty => req.send_empty(),
                    Body::Json(v) => req.send_json(v),
                    Body::Form(pairs) => req.send_form(pairs.iter().copied()),
                }
            }
        };
        let mut response = result.map_err(failed)?;
        let status = response.status().as_u16();
        let body = response.body_mut().read_to_string().map_err(failed)?;
        Ok(HttpResponse { status, body })
    }

    fn map_error(&self, url: &str, e: ureq::Error) -> HttpError {
        match e {
            ureq::Error::Timeout(_) => HttpError::Timeout {
                url: url.to_owned(),
                after: self.timeout,
            },
            ureq::Error::Io(io)
                if io.kind() == std::io::ErrorKind::TimedOut
                    || io.kind() == std::io::ErrorKind::WouldBlock =>
            {
                HttpError::Timeout {
                    url: url.to_owned(),
                    after: self.timeout,
                }
            }
            other => HttpError::Unreachable {
                url: url.to_owned(),
                reason: other.to_string(),
            },
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Write};
    use std::net::TcpListener;
    use std::time::Instant;

    #[test]
    fn reads_status_and_body_of_any_status() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = std::thread::spawn(move || {
            let (mut s, _) = listener.accept().expect("accept");
            let mut buf = [0u8; 1024];
            let _ = s.read(&mut buf);
            let _ = s.write_all(
                b"HTTP/1.1 404 Not Found\r\ncontent-length: 2\r\nconnection: close\r\n\r\nno",
            );
        });
        let client = HttpClient::with_timeout(Duration::from_secs(5));
        let r = client
            .get(&format!("http://{addr}/x"), &[])
            .expect("response");
        assert_eq!((r.status, r.body.as_str()), (404, "no"));
        server.join().expect("server");
    }

    #[test]
    fn a_silent_server_times_out_at_the_deadline() {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
        let addr = listener.local_addr().expect("addr");
        let server = std::thread::spawn(move || {
            let (s, _) = listener.accept().expect("accept");
            std::thread::sleep(Duration::from_millis(1500));
            drop(s);
        });
        let client = HttpClient::with_timeout(Duration::from_millis(300));
        let start = Instant::now();
        let err = client
            .get(&format!("http://{addr}/"), &[])
            .expect_err("timeout");
        assert!(matches!(err, HttpError::Timeout { .. }), "{err}");
        assert!(
            start.elapsed() < Duration::from_millis(1200),
            "took {:?}",
            start.elapsed()
        );
        server.join().expect("server");
    }

    #[test]
    fn refused_connections_are_unreachable_without_credentials() {
        let client = HttpClient::with_timeout(Duration::from_secs(2));
        let err = client
            .get("http://user:hunter2@127.0.0.1:9/x", &[])
            .expect_err("refused");
        assert!(matches!(err, HttpError::Unreachable { .. }), "{err}");
        assert!(!err.to_string().contains("hunter2"), "{err}");
    }
}
