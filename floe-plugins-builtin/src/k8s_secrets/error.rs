//! The errors of the k8s secrets plugin, with the floe secrets texts.

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
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SecretsError {
    /// The API server refused access (403).
    #[error(
        "Access denied to secret '{name}' in namespace '{namespace}'{}",
        crate::error::suffix(": ", reason)
    )]
    AccessDenied {
        /// The Kubernetes Secret name (empty for a listing).
        name: String,
        /// The namespace.
        namespace: String,
        /// What the API server said.
        reason: Option<String>,
    },
    /// The API server cannot be reached, is not configured, or failed.
    #[error(
        "Kubernetes API server unavailable{}{}",
        crate::error::suffix(" at ", endpoint),
        crate::error::suffix(": ", reason)
    )]
    Unavailable {
        /// The API server URL, when known.
        endpoint: Option<String>,
        /// Why.
        reason: Option<String>,
    },
    /// The request itself is wrong (an invalid key) or the stored data is unusable.
    #[error("{message}")]
    Invalid {
        /// What is wrong.
        message: String,
    },
}

impl From<SecretsError> for PluginError {
    fn from(err: SecretsError) -> Self {
        crate::error::failure("Kubernetes secret request failed", err)
    }
}
