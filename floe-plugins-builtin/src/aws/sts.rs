//! The two ways a workload identity becomes keys: STS's `AssumeRoleWithWebIdentity`
//! (EKS IRSA; an unsigned request, the web identity token is the proof) and the
//! container credentials endpoint (EKS Pod Identity).

use std::time::Duration;

use floe_registry::PluginError;
use serde_json::Value;

use super::agent;
use super::sigv4::{Credentials, encode};
use super::xml::xml_value;

/// Exchanges the web identity `token` for temporary keys of `role_arn` at the STS
/// `endpoint` (`https://sts.<region>.amazonaws.com`).
pub(crate) fn assume_role_with_web_identity(
    endpoint: &str,
    role_arn: &str,
    session_name: &str,
    token: &str,
    timeout: Duration,
) -> Result<Credentials, PluginError> {
    let form = [
        ("Action", "AssumeRoleWithWebIdentity"),
        ("Version", "2011-06-15"),
        ("RoleArn", role_arn),
        ("RoleSessionName", session_name),
        ("WebIdentityToken", token),
    ]
    .iter()
    .map(|(k, v)| format!("{k}={}", encode(v, true)))
    .collect::<Vec<_>>()
    .join("&");
    let url = format!("{}/", endpoint.trim_end_matches('/'));
    let mut response = agent(timeout)
        .post(&url)
        .header("content-type", "application/x-www-form-urlencoded")
        .send(form.as_bytes())
        .map_err(|e| {
            PluginError::failed(format!(
                "cannot reach STS at {url} to assume role '{role_arn}': {e}; check \
                 AWS_ENDPOINT_URL_STS (or the region) and the network"
            ))
        })?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    let field = |tag: &str| xml_value(&body, tag).filter(|v| !v.is_empty());
    if !(200..300).contains(&status) {
        return Err(PluginError::failed(format!(
            "STS at {url} refused to let the web identity assume role '{role_arn}' \
             ({}: {}, HTTP {status}); check the role's trust policy for the service account \
             and AWS_ROLE_ARN",
            field("Code").unwrap_or_else(|| "no error code".to_owned()),
            field("Message").unwrap_or_default(),
        )));
    }
    match (
        field("AccessKeyId"),
        field("SecretAccessKey"),
        field("SessionToken"),
    ) {
        (Some(id), Some(secret), token) => {
            let mut credentials = Credentials::new(id, secret);
            credentials.session_token = token;
            Ok(credentials)
        }
        _ => Err(PluginError::failed(format!(
            "the answer of STS at {url} to AssumeRoleWithWebIdentity holds no credentials"
        ))),
    }
}

/// The keys served by the container credentials endpoint `uri` (EKS Pod Identity),
/// asked with the authorization `token` when given.
pub(crate) fn container_credentials(
    uri: &str,
    token: Option<&str>,
    timeout: Duration,
) -> Result<Credentials, PluginError> {
    let mut request = agent(timeout).get(uri);
    if let Some(token) = token {
        request = request.header("authorization", token);
    }
    let mut response = request.call().map_err(|e| {
        PluginError::failed(format!(
            "cannot reach the container credentials endpoint \
             AWS_CONTAINER_CREDENTIALS_FULL_URI={uri}: {e}"
        ))
    })?;
    let status = response.status().as_u16();
    let body = response.body_mut().read_to_string().unwrap_or_default();
    if !(200..300).contains(&status) {
        return Err(PluginError::failed(format!(
            "the container credentials endpoint {uri} answered HTTP {status}; check the \
             EKS Pod Identity association and AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE"
        )));
    }
    let answer: Value = serde_json::from_str(&body).unwrap_or(Value::Null);
    let text = |key: &str| {
        answer
            .get(key)
            .and_then(Value::as_str)
            .filter(|v| !v.is_empty())
            .map(str::to_owned)
    };
    match (text("AccessKeyId"), text("SecretAccessKey")) {
        (Some(id), Some(secret)) => {
            let mut credentials = Credentials::new(id, secret);
            credentials.session_token = text("Token");
            Ok(credentials)
        }
        _ => Err(PluginError::failed(format!(
            "the container credentials endpoint {uri} answered without AccessKeyId and \
             SecretAccessKey"
        ))),
    }
}
