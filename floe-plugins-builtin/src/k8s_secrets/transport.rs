//! HTTP to the API server. Like [`crate::http::HttpClient`] (same timeouts, same
//! response and error types, no credentials in messages) but with the cluster's TLS
//! settings: its CA instead of the public roots, and a client certificate when the
//! kubeconfig user has one. `HttpClient` has no TLS options, hence this small twin.

use std::time::Duration;

use serde_json::Value;
use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};

use crate::http::{HttpError, HttpResponse, redact_url};

/// The TLS settings of a cluster.
#[derive(Default)]
pub(crate) struct Tls {
    /// PEM of the CA bundle; `None`: the public web roots.
    pub ca_pem: Option<Vec<u8>>,
    /// PEM of the client certificate chain and of its key.
    pub client: Option<(Vec<u8>, Vec<u8>)>,
    /// Skip server certificate checks (kubeconfig `insecure-skip-tls-verify`).
    pub insecure: bool,
}

/// A blocking client with a connect and an overall timeout per request.
pub(crate) struct Transport {
    agent: ureq::Agent,
    timeout: Duration,
}

impl Transport {
    /// A client for a cluster; fails when a PEM cannot be read.
    pub(crate) fn new(timeout: Duration, tls: &Tls) -> Result<Self, String> {
        let mut builder = TlsConfig::builder().disable_verification(tls.insecure);
        if let Some(pem) = &tls.ca_pem {
            let certs = certificates(pem).map_err(|e| format!("invalid CA certificate: {e}"))?;
            builder = builder.root_certs(RootCerts::new_with_certs(&certs));
        }
        if let Some((cert_pem, key_pem)) = &tls.client {
            let chain =
                certificates(cert_pem).map_err(|e| format!("invalid client certificate: {e}"))?;
            let key = PrivateKey::from_pem(key_pem)
                .map_err(|_| "invalid client key: not a PEM private key".to_owned())?;
            builder = builder.client_cert(Some(ClientCert::new_with_certs(&chain, key)));
        }
        let config = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .timeout_connect(Some(timeout))
            .timeout_global(Some(timeout))
            .tls_config(builder.build())
            .build();
        Ok(Transport {
            agent: ureq::Agent::new_with_config(config),
            timeout,
        })
    }

    /// Sends one request with an optional JSON body and reads the whole answer.
    pub(crate) fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<HttpResponse, HttpError> {
        let shown = redact_url(url);
        let result = match (method, body) {
            ("GET", _) => {
                let mut req = self.agent.get(url);
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                req.call()
            }
            (_, body) => {
                let mut req = match method {
                    "PUT" => self.agent.put(url),
                    _ => self.agent.post(url),
                };
                for (k, v) in headers {
                    req = req.header(*k, *v);
                }
                match body {
                    Some(v) => req.send_json(v),
                    None => req.send_empty(),
                }
            }
        };
        let mut response = result.map_err(|e| self.map_error(&shown, e))?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .read_to_string()
            .map_err(|e| self.map_error(&shown, e))?;
        Ok(HttpResponse { status, body })
    }

    fn map_error(&self, url: &str, e: ureq::Error) -> HttpError {
        let timed_out = match &e {
            ureq::Error::Timeout(_) => true,
            ureq::Error::Io(io) => matches!(
                io.kind(),
                std::io::ErrorKind::TimedOut | std::io::ErrorKind::WouldBlock
            ),
            _ => false,
        };
        if timed_out {
            HttpError::Timeout {
                url: url.to_owned(),
                after: self.timeout,
            }
        } else {
            HttpError::Unreachable {
                url: url.to_owned(),
                reason: e.to_string(),
            }
        }
    }
}

/// Every certificate of a PEM bundle.
fn certificates(pem: &[u8]) -> Result<Vec<Certificate<'static>>, String> {
    let certs: Vec<Certificate<'static>> = ureq::tls::parse_pem(pem)
        .filter_map(|item| match item {
            Ok(ureq::tls::PemItem::Certificate(c)) => Some(Ok(c)),
            Ok(_) => None,
            Err(e) => Some(Err(e.to_string())),
        })
        .collect::<Result<_, _>>()?;
    if certs.is_empty() {
        return Err("no certificate in the PEM data".to_owned());
    }
    Ok(certs)
}
