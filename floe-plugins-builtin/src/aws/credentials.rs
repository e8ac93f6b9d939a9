//! Where the AWS plugins (`aws-s3`, `glue`) get their keys: floe's three credential
//! modes, resolved in this process from the variables the deployment gives it.
//!
//! | `credential_mode` | what floe deploys | what this process reads |
//! |---|---|---|
//! | `environment` | nothing: the operator exports the keys | `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` (optional) |
//! | `kubernetes-secret` | the Secret `credential_secret_name` (in `credential_secret_namespace`), its keys `access_key_secret_key` / `secret_key_secret_key` mapped to `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` | those two variables |
//! | `workload-identity` | pods run as `service_account_ref` (EKS IRSA or Pod Identity); no key anywhere | IRSA: `AWS_ROLE_ARN` + `AWS_WEB_IDENTITY_TOKEN_FILE`, exchanged at STS (`AssumeRoleWithWebIdentity`) for temporary keys; Pod Identity: `AWS_CONTAINER_CREDENTIALS_FULL_URI` (+ `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` or `_TOKEN`) |
//!
//! The STS endpoint is `AWS_ENDPOINT_URL_STS`, else `AWS_ENDPOINT_URL`, else
//! `https://sts.<region>.amazonaws.com` (as the AWS SDKs choose it).

use std::time::Duration;

use floe_registry::{PluginError, floe_config};

use super::sigv4::Credentials;
use super::sts;
use crate::support::environment::Environment;

/// How long one STS or Pod Identity request may take.
const CREDENTIAL_REQUEST_TIMEOUT: Duration = Duration::from_secs(10);

/// How an AWS plugin gets its keys (floe's `credential_mode`): `environment`,
/// `workload-identity` (the default) or `kubernetes-secret`; see the module
/// documentation for what each reads.
#[floe_config(serialize)]
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
#[serde(rename_all = "kebab-case")]
#[allow(missing_docs)] // the variants are described on the type: doc comments on them
// would make the schema a `oneOf` instead of floe's plain `enum`.
pub enum CredentialMode {
    Environment,
    #[default]
    WorkloadIdentity,
    KubernetesSecret,
}

impl CredentialMode {
    /// The name floe's manifests use: `environment`, `workload-identity`,
    /// `kubernetes-secret`.
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialMode::Environment => "environment",
            CredentialMode::WorkloadIdentity => "workload-identity",
            CredentialMode::KubernetesSecret => "kubernetes-secret",
        }
    }
}

/// The credential settings of an `aws-s3` or `glue` config.
#[derive(Debug, Clone, Copy)]
pub(crate) struct CredentialSettings<'a> {
    pub(crate) mode: CredentialMode,
    pub(crate) secret_name: Option<&'a str>,
    pub(crate) secret_namespace: &'a str,
    pub(crate) access_key_secret_key: &'a str,
    pub(crate) secret_key_secret_key: &'a str,
    pub(crate) service_account_ref: Option<&'a str>,
    /// The region of the STS endpoint.
    pub(crate) region: &'a str,
    /// Whether STS may be called (`aws-s3`'s `sts_supported`; always for `glue`).
    pub(crate) sts_allowed: bool,
}

/// The keys of `settings`' mode, read (and for workload identity exchanged) now.
pub(crate) fn resolve(
    settings: &CredentialSettings<'_>,
    env: &Environment,
) -> Result<Credentials, PluginError> {
    match settings.mode {
        CredentialMode::Environment => env_keys(env, true).ok_or_else(|| {
            PluginError::failed(
                "credential_mode 'environment' reads the keys from AWS_ACCESS_KEY_ID and \
                 AWS_SECRET_ACCESS_KEY, which are not both set: export them (and \
                 AWS_SESSION_TOKEN for temporary keys)",
            )
        }),
        CredentialMode::KubernetesSecret => env_keys(env, false).ok_or_else(|| {
            PluginError::failed(format!(
                "credential_mode 'kubernetes-secret': the keys '{}' and '{}' of Secret {}/{} \
                 reach the process as AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, which are \
                 not both set: deploy with that Secret mapped to them, or set them",
                settings.access_key_secret_key,
                settings.secret_key_secret_key,
                settings.secret_namespace,
                settings.secret_name.unwrap_or("<credential_secret_name>"),
            ))
        }),
        CredentialMode::WorkloadIdentity => workload_identity(settings, env),
    }
}

/// A hint for a refused request: where the keys of `mode` came from.
pub(crate) fn hint(mode: CredentialMode) -> String {
    match mode {
        CredentialMode::Environment => {
            "check AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN) \
             (credential_mode 'environment')"
                .to_owned()
        }
        CredentialMode::KubernetesSecret => "check the keys of the credential Secret, given as \
             AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (credential_mode 'kubernetes-secret')"
            .to_owned(),
        CredentialMode::WorkloadIdentity => "check the IAM role of the service account \
             (credential_mode 'workload-identity')"
            .to_owned(),
    }
}

/// `AWS_ACCESS_KEY_ID` and `AWS_SECRET_ACCESS_KEY` when both are non-empty, with
/// `AWS_SESSION_TOKEN` when `with_token` and it is non-empty.
fn env_keys(env: &Environment, with_token: bool) -> Option<Credentials> {
    let non_empty = |name: &str| env.var(name).filter(|v| !v.is_empty());
    let mut credentials = Credentials::new(
        non_empty("AWS_ACCESS_KEY_ID")?,
        non_empty("AWS_SECRET_ACCESS_KEY")?,
    );
    if with_token {
        credentials.session_token = non_empty("AWS_SESSION_TOKEN");
    }
    Some(credentials)
}

fn workload_identity(
    settings: &CredentialSettings<'_>,
    env: &Environment,
) -> Result<Credentials, PluginError> {
    let non_empty = |name: &str| env.var(name).filter(|v| !v.is_empty());
    let account = settings
        .service_account_ref
        .unwrap_or("<service_account_ref>");
    if let (Some(role_arn), Some(token_file)) = (
        non_empty("AWS_ROLE_ARN"),
        non_empty("AWS_WEB_IDENTITY_TOKEN_FILE"),
    ) {
        if !settings.sts_allowed {
            return Err(PluginError::failed(
                "credential_mode 'workload-identity' found a web identity (AWS_ROLE_ARN), \
                 which is exchanged for keys at STS, but the config says sts_supported: \
                 false: set sts_supported: true, or use EKS Pod Identity or another \
                 credential_mode",
            ));
        }
        let token = std::fs::read_to_string(&token_file).map_err(|e| {
            PluginError::failed(format!(
                "cannot read the web identity token AWS_WEB_IDENTITY_TOKEN_FILE={token_file}: \
                 {e}; check that the pod runs as service account '{account}' with IRSA"
            ))
        })?;
        let session_name = non_empty("AWS_ROLE_SESSION_NAME").unwrap_or_else(|| "floe".to_owned());
        let endpoint = non_empty("AWS_ENDPOINT_URL_STS")
            .or_else(|| non_empty("AWS_ENDPOINT_URL"))
            .unwrap_or_else(|| format!("https://sts.{}.amazonaws.com", settings.region));
        return sts::assume_role_with_web_identity(
            &endpoint,
            &role_arn,
            &session_name,
            token.trim(),
            CREDENTIAL_REQUEST_TIMEOUT,
        );
    }
    if let Some(uri) = non_empty("AWS_CONTAINER_CREDENTIALS_FULL_URI") {
        let token = match non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            Some(file) => Some(std::fs::read_to_string(&file).map_err(|e| {
                PluginError::failed(format!(
                    "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE={file}: {e}; check \
                     the EKS Pod Identity association of service account '{account}'"
                ))
            })?),
            None => non_empty("AWS_CONTAINER_AUTHORIZATION_TOKEN"),
        };
        return sts::container_credentials(
            &uri,
            token.as_deref().map(str::trim),
            CREDENTIAL_REQUEST_TIMEOUT,
        );
    }
    Err(PluginError::failed(format!(
        "credential_mode 'workload-identity' (service account '{account}') found no workload \
         identity in the environment: neither IRSA's AWS_ROLE_ARN and \
         AWS_WEB_IDENTITY_TOKEN_FILE nor Pod Identity's AWS_CONTAINER_CREDENTIALS_FULL_URI \
         is set; run in a pod of that service account with IRSA or Pod Identity, or use \
         credential_mode 'environment' or 'kubernetes-secret'"
    )))
}

/// The rules floe's model validator adds to the credential fields of `aws-s3` and
/// `glue`, as JSON Schema (`allOf` of `if`/`then`, so the schema shown to editors and
/// the check of `configure` agree): `workload-identity` (the default) needs
/// `service_account_ref` and no `credential_secret_name`; `kubernetes-secret` needs
/// `credential_secret_name` and no `service_account_ref`; `environment` takes
/// neither. A field that is not allowed may still be given as `null`.
pub(crate) fn credential_mode_rules(schema: &mut floe_registry::schemars::Schema) {
    let mode_is = |mode: &str| {
        serde_json::json!({
            "properties": {"credential_mode": {"const": mode}},
            "required": ["credential_mode"]
        })
    };
    let rules = serde_json::json!([
        {
            "if": {"anyOf": [
                {"not": {"required": ["credential_mode"]}},
                mode_is("workload-identity")
            ]},
            "then": {
                "required": ["service_account_ref"],
                "properties": {
                    "service_account_ref": {"type": "string"},
                    "credential_secret_name": {"type": "null"}
                }
            }
        },
        {
            "if": mode_is("kubernetes-secret"),
            "then": {
                "required": ["credential_secret_name"],
                "properties": {
                    "credential_secret_name": {"type": "string"},
                    "service_account_ref": {"type": "null"}
                }
            }
        },
        {
            "if": mode_is("environment"),
            "then": {
                "properties": {
                    "credential_secret_name": {"type": "null"},
                    "service_account_ref": {"type": "null"}
                }
            }
        }
    ]);
    schema.insert("allOf".to_owned(), rules);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn modes_read_and_print_as_floe_spells_them() {
        for mode in [
            CredentialMode::Environment,
            CredentialMode::WorkloadIdentity,
            CredentialMode::KubernetesSecret,
        ] {
            let read: CredentialMode =
                serde_json::from_value(serde_json::json!(mode.as_str())).unwrap_or_default();
            assert_eq!(read, mode);
        }
        assert_eq!(CredentialMode::default(), CredentialMode::WorkloadIdentity);
    }
}
