//! Access-token validation: RS256 signature against the realm's JWKS, issuer,
//! audience, expiry (with the configured leeway) and the required claims.

use floe_registry::{TokenValidationResult, UserInfo};
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, Validation, decode, decode_header};
use serde_json::{Map, Value};

use super::config::KeycloakConfig;
use super::jwks::{KeyCache, KeyError};
use super::user::user_info_from_claims;
use crate::http::HttpClient;

/// Validates `token`; never fails, the reason is in the result's `error`.
pub(crate) fn validate(
    config: &KeycloakConfig,
    http: &HttpClient,
    keys: &KeyCache,
    token: &str,
) -> TokenValidationResult {
    match check(config, http, keys, token) {
        Ok(claims) => {
            let expires_at = claims.get("exp").and_then(Value::as_i64);
            TokenValidationResult {
                valid: true,
                user_info: Some(user_info_from_claims(claims)),
                error: None,
                expires_at,
            }
        }
        Err(error) => invalid(error),
    }
}

/// A failed validation with its reason.
pub(crate) fn invalid(error: impl Into<String>) -> TokenValidationResult {
    TokenValidationResult {
        valid: false,
        user_info: None::<UserInfo>,
        error: Some(error.into()),
        expires_at: None,
    }
}

fn check(
    config: &KeycloakConfig,
    http: &HttpClient,
    keys: &KeyCache,
    token: &str,
) -> Result<Map<String, Value>, String> {
    if token.trim().is_empty() {
        return Err("Token is required".to_owned());
    }
    let header = decode_header(token).map_err(|e| format!("Malformed token: {e}"))?;
    let kid = header
        .kid
        .as_deref()
        .ok_or("Token missing required 'kid' header")?;
    if header.alg != Algorithm::RS256 {
        return Err(format!(
            "Algorithm '{:?}' not allowed. Allowed: ['RS256']",
            header.alg
        ));
    }
    let key = keys.key(config, http, kid).map_err(|e| match e {
        KeyError::Fetch(reason) => format!("Failed to fetch JWKS: {reason}"),
        KeyError::Empty => "JWKS not available for signature verification".to_owned(),
        KeyError::UnknownKid(kid) => format!("Key with ID '{kid}' not found in JWKS"),
    })?;

    let mut validation = Validation::new(Algorithm::RS256);
    validation.leeway = u64::from(config.leeway);
    validation.validate_nbf = true;
    validation.set_audience(&[config.audience.as_str()]);
    validation.set_issuer(&[config.issuer()]);
    validation.set_required_spec_claims(&["exp", "iss", "aud", "sub"]);
    let data =
        decode::<Map<String, Value>>(token, &key, &validation).map_err(|e| match e.kind() {
            ErrorKind::ExpiredSignature => "Token has expired".to_owned(),
            ErrorKind::ImmatureSignature => "Token is not valid yet".to_owned(),
            ErrorKind::InvalidSignature => "Invalid token signature".to_owned(),
            ErrorKind::InvalidIssuer => "Invalid token issuer".to_owned(),
            ErrorKind::InvalidAudience => "Invalid token audience".to_owned(),
            ErrorKind::MissingRequiredClaim(claim) => format!("Missing required claim: {claim}"),
            ErrorKind::InvalidToken
            | ErrorKind::Base64(_)
            | ErrorKind::Json(_)
            | ErrorKind::Utf8(_) => {
                format!("Failed to decode token: {e}")
            }
            _ => format!("Token validation failed: {e}"),
        })?;
    // `iat` is required too; jsonwebtoken only knows exp, nbf, aud, iss and sub.
    if !data.claims.get("iat").is_some_and(Value::is_number) {
        return Err("Missing required claim: iat".to_owned());
    }
    Ok(data.claims)
}
