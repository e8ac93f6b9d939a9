//! The errors of the k8s secrets plugin, with the floe secrets texts.

use std::fmt;

use floe_registry::PluginError;

/// What went wrong with the Kubernetes Secret API. Every [`PluginError`] the plugin
/// returns carries one as its `source`.
///
/// ```
/// use floe_plugins_builtin::k8s_secrets::SecretsError;
///
/// let err = SecretsError::AccessDenied {
///     name: "floe-db".into(),
///     namespace: "floe-jobs".into(),
///     reason: None,
/// };
/// assert_eq!(err.to_string(), "Access denied to secret 'floe-db' in namespace 'floe-jobs'");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum SecretsError {
    /// The API server refused access (403).
    AccessDenied {
        /// The Kubernetes Secret name (empty for a listing).
        name: String,
        /// The namespace.
        namespace: String,
        /// What the API server said.
        reason: Option<String>,
    },
    /// The API server cannot be reached, is not configured, or failed.
    Unavailable {
        /// The API server URL, when known.
        endpoint: Option<String>,
        /// Why.
        reason: Option<String>,
    },
    /// The request itself is wrong (an invalid key) or the stored data is unusable.
    Invalid {
        /// What is wrong.
        message: String,
    },
}

impl fmt::Display for SecretsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            SecretsError::AccessDenied {
                name,
                namespace,
                reason,
            } => {
                write!(
                    f,
                    "Access denied to secret '{name}' in namespace '{namespace}'"
                )?;
                match reason {
                    Some(r) => write!(f, ": {r}"),
                    None => Ok(()),
                }
            }
            SecretsError::Unavailable { endpoint, reason } => {
                f.write_str("Kubernetes API server unavailable")?;
                if let Some(e) = endpoint {
                    write!(f, " at {e}")?;
                }
                match reason {
                    Some(r) => write!(f, ": {r}"),
                    None => Ok(()),
                }
            }
            SecretsError::Invalid { message } => f.write_str(message),
        }
    }
}

impl std::error::Error for SecretsError {}

impl From<SecretsError> for PluginError {
    fn from(err: SecretsError) -> Self {
        PluginError::with_source(err.to_string(), err)
    }
}
