//! The realm's signing keys: the JWKS at the discovery document's `jwks_uri`, cached,
//! and fetched again when a token names a key id the cache does not know (rotation).

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use jsonwebtoken::DecodingKey;
use jsonwebtoken::jwk::{AlgorithmParameters, Jwk, JwkSet, PublicKeyUse};
use serde_json::Value;

use super::config::KeycloakConfig;
use crate::http::HttpClient;

/// The shortest time between two JWKS fetches: a flood of tokens with made-up key ids
/// cannot turn into a flood of requests to Keycloak.
const MIN_REFETCH_INTERVAL: Duration = Duration::from_secs(1);

/// How long a fetched key set is trusted before it is fetched again.
const MAX_AGE: Duration = Duration::from_secs(600);

/// Why no key could be found for a token.
#[derive(Debug)]
pub(crate) enum KeyError {
    /// The discovery document or JWKS could not be fetched.
    Fetch(String),
    /// The JWKS holds no usable key.
    Empty,
    /// No key has this id.
    UnknownKid(String),
}

#[derive(Default)]
struct State {
    jwks_uri: Option<String>,
    keys: HashMap<String, DecodingKey>,
    fetched_at: Option<Instant>,
}

/// The cached keys of one realm.
#[derive(Default)]
pub(crate) struct KeyCache {
    state: Mutex<State>,
}

impl KeyCache {
    /// The key with id `kid`, fetching the JWKS first when it is not cached yet or the
    /// id is unknown (at most once per [`MIN_REFETCH_INTERVAL`]).
    pub(crate) fn key(
        &self,
        config: &KeycloakConfig,
        http: &HttpClient,
        kid: &str,
    ) -> Result<DecodingKey, KeyError> {
        let mut state = self
            .state
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        // Keys removed from the realm must stop validating tokens: refetch old sets,
        // but keep using them when Keycloak cannot be reached right now.
        let stale = state.fetched_at.is_some_and(|at| at.elapsed() >= MAX_AGE);
        if stale && let Err(KeyError::Fetch(reason)) = refresh(&mut state, config, http) {
            tracing::warn!(%reason, "keycloak_jwks_refresh_failed_using_cached_keys");
            state.fetched_at = Some(Instant::now());
        }
        if let Some(key) = state.keys.get(kid) {
            return Ok(key.clone());
        }
        let may_fetch = state
            .fetched_at
            .is_none_or(|at| at.elapsed() >= MIN_REFETCH_INTERVAL);
        if may_fetch {
            refresh(&mut state, config, http)?;
        }
        if state.keys.is_empty() {
            return Err(KeyError::Empty);
        }
        state
            .keys
            .get(kid)
            .cloned()
            .ok_or_else(|| KeyError::UnknownKid(kid.to_owned()))
    }
}

fn refresh(state: &mut State, config: &KeycloakConfig, http: &HttpClient) -> Result<(), KeyError> {
    let jwks_uri = match &state.jwks_uri {
        Some(uri) => uri.clone(),
        None => {
            let doc = get_json(http, &config.discovery_url())?;
            let uri = doc
                .get("jwks_uri")
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    KeyError::Fetch("the discovery document has no jwks_uri".to_owned())
                })?
                .to_owned();
            state.jwks_uri = Some(uri.clone());
            uri
        }
    };
    let jwks: JwkSet = serde_json::from_value(get_json(http, &jwks_uri)?)
        .map_err(|e| KeyError::Fetch(format!("the JWKS is not a JSON Web Key Set: {e}")))?;
    state.fetched_at = Some(Instant::now());
    state.keys = jwks.keys.iter().filter_map(rsa_signing_key).collect();
    tracing::debug!(keys = state.keys.len(), "keycloak_jwks_fetched");
    Ok(())
}

/// An RSA signing key of the set with its id: `(kid, key)`. Encryption keys, other key
/// types and keys without an id are skipped.
fn rsa_signing_key(jwk: &Jwk) -> Option<(String, DecodingKey)> {
    let rsa = matches!(jwk.algorithm, AlgorithmParameters::RSA(_));
    let signing = jwk
        .common
        .public_key_use
        .as_ref()
        .is_none_or(|u| *u == PublicKeyUse::Signature);
    if !rsa || !signing {
        return None;
    }
    let key = DecodingKey::from_jwk(jwk).ok()?;
    Some((jwk.common.key_id.clone()?, key))
}

fn get_json(http: &HttpClient, url: &str) -> Result<Value, KeyError> {
    let response = http
        .get(url, &[("Accept", "application/json")])
        .map_err(|e| KeyError::Fetch(e.to_string()))?;
    if !response.is_success() {
        return Err(KeyError::Fetch(format!(
            "{} returned HTTP {}",
            crate::http::redact_url(url),
            response.status
        )));
    }
    response.json().map_err(|e| KeyError::Fetch(e.to_string()))
}
