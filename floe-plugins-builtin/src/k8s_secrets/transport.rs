//! HTTP to the API server: the shared [`crate::http::HttpClient`] with the cluster's
//! TLS settings (its CA instead of the public roots, and a client certificate when the
//! kubeconfig user has one).

use std::time::Duration;

use serde_json::Value;
use ureq::tls::{Certificate, ClientCert, PrivateKey, RootCerts, TlsConfig};

use crate::http::{Body, HttpClient, HttpError, HttpResponse};

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

/// The shared HTTP client, set up with a cluster's TLS settings.
pub(crate) struct Transport(HttpClient);

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
        Ok(Transport(HttpClient::with_tls(
            timeout,
            timeout,
            builder.build(),
        )))
    }

    /// Sends one request with an optional JSON body and reads the whole answer.
    pub(crate) fn send(
        &self,
        method: &str,
        url: &str,
        headers: &[(&str, &str)],
        body: Option<&Value>,
    ) -> Result<HttpResponse, HttpError> {
        self.0
            .request(method, url, headers, body.map_or(Body::Empty, Body::Json))
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
