//! Where the API server is and how to authenticate: the in-cluster service account,
//! or a kubeconfig (bearer token, token file or client certificate).

use std::fmt;
use std::path::{Path, PathBuf};

use base64::Engine as _;
use floe_registry::Secret;
use serde_json::Value;

use super::config::{K8sSecretsConfig, expand_home};
use super::transport::{Tls, Transport};

/// How requests authenticate.
pub(crate) enum Credential {
    /// No credential (anonymous, or a client certificate in the TLS layer).
    None,
    /// A fixed bearer token.
    Token(Secret),
    /// A bearer token read from a file at each request (service-account tokens rotate).
    TokenFile(PathBuf),
}

/// A resolved connection to the API server.
pub(crate) struct Connection {
    /// The API server URL without a trailing `/`.
    pub server: String,
    /// The credential.
    pub credential: Credential,
    /// The HTTP client with the cluster's TLS settings.
    pub transport: Transport,
    /// Where the settings came from, for logs.
    pub source: String,
}

impl fmt::Debug for Connection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Connection")
            .field("server", &self.server)
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl Connection {
    /// The `Authorization` header value, if any.
    pub(crate) fn authorization(&self) -> Result<Option<String>, String> {
        match &self.credential {
            Credential::None => Ok(None),
            Credential::Token(t) => Ok(Some(format!("Bearer {}", t.expose()))),
            Credential::TokenFile(path) => {
                let token = std::fs::read_to_string(path)
                    .map_err(|e| format!("cannot read the token file {}: {e}", path.display()))?;
                Ok(Some(format!("Bearer {}", token.trim())))
            }
        }
    }
}

/// The connection `config` describes: its kubeconfig when set; else the in-cluster
/// service account when its token file exists; else `$KUBECONFIG` / `~/.kube/config`.
pub(crate) fn resolve(config: &K8sSecretsConfig) -> Result<Connection, String> {
    if let Some(path) = config.kubeconfig() {
        return from_kubeconfig(config, &path);
    }
    let sa_dir = Path::new(&config.service_account_dir);
    let token_path = sa_dir.join("token");
    if token_path.is_file() {
        return in_cluster(config, sa_dir, token_path);
    }
    let default = std::env::var_os("KUBECONFIG")
        .and_then(|v| std::env::split_paths(&v).next())
        .unwrap_or_else(|| expand_home("~/.kube/config"));
    if default.is_file() {
        return from_kubeconfig(config, &default);
    }
    Err(format!(
        "no in-cluster service account token at {} and no kubeconfig at {}",
        token_path.display(),
        default.display()
    ))
}

fn in_cluster(
    config: &K8sSecretsConfig,
    sa_dir: &Path,
    token_path: PathBuf,
) -> Result<Connection, String> {
    let server = match &config.api_server {
        Some(s) => s.trim_end_matches('/').to_owned(),
        None => {
            let host = std::env::var("KUBERNETES_SERVICE_HOST").map_err(|_| {
                "in-cluster: KUBERNETES_SERVICE_HOST is not set (and no api_server configured)"
                    .to_owned()
            })?;
            let port = std::env::var("KUBERNETES_SERVICE_PORT").unwrap_or_else(|_| "443".into());
            if host.contains(':') {
                format!("https://[{host}]:{port}")
            } else {
                format!("https://{host}:{port}")
            }
        }
    };
    let ca_path = sa_dir.join("ca.crt");
    let ca_pem = if ca_path.is_file() {
        Some(
            std::fs::read(&ca_path)
                .map_err(|e| format!("cannot read {}: {e}", ca_path.display()))?,
        )
    } else {
        None
    };
    let tls = Tls {
        ca_pem,
        ..Tls::default()
    };
    Ok(Connection {
        server,
        credential: Credential::TokenFile(token_path),
        transport: Transport::new(config.timeout(), &tls)?,
        source: format!("in-cluster service account ({})", sa_dir.display()),
    })
}

/// The entry named `name` of a kubeconfig list (`clusters`, `contexts`, `users`).
fn named<'a>(doc: &'a Value, list: &str, name: &str) -> Option<&'a Value> {
    doc.get(list)?
        .as_array()?
        .iter()
        .find(|e| e.get("name").and_then(Value::as_str) == Some(name))
}

fn names(doc: &Value, list: &str) -> String {
    let all: Vec<&str> = doc
        .get(list)
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|e| e.get("name").and_then(Value::as_str))
        .collect();
    if all.is_empty() {
        "none".to_owned()
    } else {
        all.join(", ")
    }
}

/// Bytes of a `<field>-data` (base64) or `<field>` (a path, relative to the
/// kubeconfig's directory) entry.
fn data_or_file(entry: &Value, field: &str, base: &Path) -> Result<Option<Vec<u8>>, String> {
    let text = |k: &str| {
        entry
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(data) = text(&format!("{field}-data")) {
        let compact: String = data.split_whitespace().collect();
        return base64::engine::general_purpose::STANDARD
            .decode(compact)
            .map(Some)
            .map_err(|_| format!("{field}-data is not valid base64"));
    }
    match text(field) {
        Some(path) => {
            let path = base.join(expand_home(path));
            std::fs::read(&path)
                .map(Some)
                .map_err(|e| format!("cannot read {field} {}: {e}", path.display()))
        }
        None => Ok(None),
    }
}

fn from_kubeconfig(config: &K8sSecretsConfig, path: &Path) -> Result<Connection, String> {
    let shown = path.display();
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read kubeconfig {shown}: {e}"))?;
    let doc: serde_json::Value = serde_saphyr::from_str(&text)
        .map_err(|e| format!("cannot parse kubeconfig {shown}: {e}"))?;
    let base = path.parent().unwrap_or(Path::new("."));
    let context_name = config
        .context
        .clone()
        .or_else(|| {
            doc.get("current-context")
                .and_then(Value::as_str)
                .filter(|s| !s.is_empty())
                .map(str::to_owned)
        })
        .ok_or_else(|| format!("kubeconfig {shown} has no current-context; set `context`"))?;
    let context = named(&doc, "contexts", &context_name)
        .and_then(|c| c.get("context"))
        .ok_or_else(|| {
            format!(
                "context '{context_name}' not found in kubeconfig {shown} (available: {})",
                names(&doc, "contexts")
            )
        })?;
    let cluster_name = context.get("cluster").and_then(Value::as_str).unwrap_or("");
    let cluster = named(&doc, "clusters", cluster_name)
        .and_then(|c| c.get("cluster"))
        .ok_or_else(|| format!("cluster '{cluster_name}' of context '{context_name}' not found in kubeconfig {shown}"))?;
    let server = config
        .api_server
        .clone()
        .or_else(|| {
            cluster
                .get("server")
                .and_then(Value::as_str)
                .map(str::to_owned)
        })
        .ok_or_else(|| format!("cluster '{cluster_name}' has no server"))?
        .trim_end_matches('/')
        .to_owned();
    let mut tls = Tls {
        ca_pem: data_or_file(cluster, "certificate-authority", base)?,
        client: None,
        insecure: cluster.get("insecure-skip-tls-verify") == Some(&Value::Bool(true)),
    };
    if tls.insecure {
        tracing::warn!(cluster = cluster_name, "k8s_tls_verification_disabled");
    }
    let user_name = context.get("user").and_then(Value::as_str).unwrap_or("");
    let user = named(&doc, "users", user_name)
        .and_then(|u| u.get("user"))
        .cloned()
        .unwrap_or(Value::Null);
    let credential = user_credential(&user, user_name, base, &mut tls)?;
    Ok(Connection {
        server,
        credential,
        transport: Transport::new(config.timeout(), &tls)?,
        source: format!("kubeconfig {shown}, context '{context_name}'"),
    })
}

fn user_credential(
    user: &Value,
    user_name: &str,
    base: &Path,
    tls: &mut Tls,
) -> Result<Credential, String> {
    let text = |k: &str| {
        user.get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    if let Some(token) = text("token") {
        return Ok(Credential::Token(Secret::new(token)));
    }
    if let Some(file) = text("tokenFile") {
        return Ok(Credential::TokenFile(base.join(expand_home(file))));
    }
    let cert = data_or_file(user, "client-certificate", base)?;
    let key = data_or_file(user, "client-key", base)?;
    match (cert, key) {
        (Some(cert), Some(key)) => {
            tls.client = Some((cert, key));
            return Ok(Credential::None);
        }
        (Some(_), None) | (None, Some(_)) => {
            return Err(format!(
                "kubeconfig user '{user_name}' needs both client-certificate and client-key"
            ));
        }
        (None, None) => {}
    }
    for unsupported in ["exec", "auth-provider", "username"] {
        if user.get(unsupported).is_some() {
            return Err(format!(
                "kubeconfig user '{user_name}' authenticates with `{unsupported}`, which the k8s \
                 secrets plugin does not support; use a token, tokenFile or client certificate"
            ));
        }
    }
    tracing::warn!(user = user_name, "k8s_anonymous_requests");
    Ok(Credential::None)
}
