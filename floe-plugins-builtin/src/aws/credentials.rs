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

/// How an AWS plugin gets its keys (floe's `credential_mode`): `environment`
/// (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN), `workload-identity`
/// (the default: the pod's service account, through EKS IRSA and STS or EKS Pod
/// Identity) or `kubernetes-secret` (a Secret's keys, given to the process as
/// AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
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

/// floe's model validator of the credential fields of `aws-s3` and `glue`, with its
/// texts (and the fix): `workload-identity` (the default) needs `service_account_ref`
/// and no `credential_secret_name`; `kubernetes-secret` needs `credential_secret_name`
/// and no `service_account_ref`; `environment` takes neither. As in floe it runs only
/// once every field is valid, and its error is the config's, not one field's.
pub(crate) fn check_references(
    mode: CredentialMode,
    secret_name: Option<&str>,
    service_account_ref: Option<&str>,
) -> Result<(), String> {
    let problem = match mode {
        CredentialMode::WorkloadIdentity if service_account_ref.is_none() => {
            "workload-identity credential_mode requires service_account_ref: set \
             service_account_ref, or choose credential_mode environment or kubernetes-secret"
        }
        CredentialMode::WorkloadIdentity if secret_name.is_some() => {
            "workload-identity credential_mode only accepts service_account_ref: remove \
             credential_secret_name, or choose credential_mode kubernetes-secret"
        }
        CredentialMode::KubernetesSecret if secret_name.is_none() => {
            "kubernetes-secret credential_mode requires credential_secret_name: set \
             credential_secret_name, or choose credential_mode environment or workload-identity"
        }
        CredentialMode::KubernetesSecret if service_account_ref.is_some() => {
            "kubernetes-secret credential_mode only accepts credential_secret_name: remove \
             service_account_ref, or choose credential_mode workload-identity"
        }
        CredentialMode::Environment if secret_name.is_some() || service_account_ref.is_some() => {
            "environment credential_mode only accepts environment variable names: remove \
             credential_secret_name and service_account_ref, or choose the credential_mode \
             they belong to"
        }
        _ => return Ok(()),
    };
    Err(problem.to_owned())
}

// The defaults of the credential reference fields, which floe-catalog-glue and
// floe-storage-aws-s3 0.1.0a1 share (one place for both plugins' configs).

/// `credential_secret_namespace`'s default.
pub(crate) fn default_namespace() -> String {
    "floe-system".to_owned()
}

/// `access_key_secret_key`'s default.
pub(crate) fn default_access_key_secret_key() -> String {
    "accessKeyId".to_owned()
}

/// `secret_key_secret_key`'s default.
pub(crate) fn default_secret_key_secret_key() -> String {
    "secretAccessKey".to_owned()
}

/// `session_token_secret_key`'s default.
pub(crate) fn default_session_token_secret_key() -> String {
    "sessionToken".to_owned()
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

    #[test]
    fn each_mode_takes_only_its_own_reference() {
        use CredentialMode::*;
        assert!(check_references(WorkloadIdentity, None, Some("sa")).is_ok());
        assert!(check_references(KubernetesSecret, Some("s"), None).is_ok());
        assert!(check_references(Environment, None, None).is_ok());
        for (mode, secret, account, text) in [
            (WorkloadIdentity, None, None, "requires service_account_ref"),
            (
                WorkloadIdentity,
                Some("s"),
                Some("sa"),
                "only accepts service_account_ref",
            ),
            (
                KubernetesSecret,
                None,
                None,
                "requires credential_secret_name",
            ),
            (
                KubernetesSecret,
                Some("s"),
                Some("sa"),
                "only accepts credential_secret_name",
            ),
            (
                Environment,
                None,
                Some("sa"),
                "only accepts environment variable names",
            ),
        ] {
            let err = check_references(mode, secret, account)
                .err()
                .unwrap_or_default();
            assert!(err.contains(text), "{mode:?}: {err}");
            assert!(!err.contains('`'), "the registry drops quoted text: {err}");
        }
    }
}
