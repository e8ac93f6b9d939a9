//! Identity plugins: authentication providers.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

use super::unsupported;
use crate::{PluginError, PluginMetadata, Secret};

/// Who a token belongs to.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct UserInfo {
    /// The subject (`sub`).
    pub subject: String,
    /// E-mail address.
    #[serde(default)]
    pub email: Option<String>,
    /// Display name.
    #[serde(default)]
    pub name: Option<String>,
    /// Roles.
    #[serde(default)]
    pub roles: Vec<String>,
    /// Groups.
    #[serde(default)]
    pub groups: Vec<String>,
    /// All claims.
    #[serde(default)]
    pub claims: Map<String, Value>,
}

/// The outcome of validating a token.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TokenValidationResult {
    /// Whether the token is valid.
    pub valid: bool,
    /// Its owner, when valid.
    #[serde(default)]
    pub user_info: Option<UserInfo>,
    /// Why it is not valid.
    #[serde(default)]
    pub error: Option<String>,
    /// When it expires (Unix seconds).
    #[serde(default)]
    pub expires_at: Option<i64>,
}

/// An OIDC provider's endpoints.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct OidcConfig {
    /// The issuer.
    pub issuer_url: String,
    /// The discovery document.
    pub discovery_url: String,
    /// The signing keys.
    pub jwks_uri: String,
    /// Where users log in.
    pub authorization_endpoint: String,
    /// Where tokens are issued.
    pub token_endpoint: String,
    /// Where user info is read.
    pub userinfo_endpoint: String,
}

/// An identity provider (Keycloak, ...).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Identity` but does not implement `IdentityPlugin`",
    label = "`type = Identity` needs `impl IdentityPlugin for {Self}`",
    note = "add `impl IdentityPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Identity` in `#[floe_plugin(...)]` to that kind"
)]
pub trait IdentityPlugin: PluginMetadata {
    /// Exchanges credentials (`username`/`password` or `client_id`/`client_secret`)
    /// for an access token; `None` when they are refused.
    fn authenticate(
        &self,
        credentials: &BTreeMap<String, Secret>,
    ) -> Result<Option<Secret>, PluginError> {
        let _ = credentials;
        Err(unsupported(self, "authenticate"))
    }

    /// The user behind a token; `None` when the token is refused.
    fn get_user_info(&self, token: &Secret) -> Result<Option<UserInfo>, PluginError> {
        let _ = token;
        Err(unsupported(self, "get_user_info"))
    }

    /// Validates a token.
    fn validate_token(&self, token: &Secret) -> TokenValidationResult {
        let _ = token;
        TokenValidationResult {
            error: Some(unsupported(self, "validate_token").to_string()),
            ..TokenValidationResult::default()
        }
    }

    /// The provider's OIDC endpoints, for `realm` when given. Default: the error
    /// `OIDC not supported by this plugin`.
    fn get_oidc_config(&self, realm: Option<&str>) -> Result<OidcConfig, PluginError> {
        let _ = realm;
        Err(PluginError::failed("OIDC not supported by this plugin"))
    }

    lifecycle_hooks!();
}
