//! Secret keys: `name` is data key `value` of the Secret `<prefix>name`;
//! `name/key` is data key `key` of the Secret `<prefix>name`.

use super::error::SecretsError;

/// The data key used when a secret key names no data key.
pub(crate) const DEFAULT_DATA_KEY: &str = "value";

/// Where a secret key lives.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Location {
    /// The Kubernetes Secret name, prefix included.
    pub secret: String,
    /// The data key inside it.
    pub data_key: String,
}

/// Splits `key` at its first `/` and checks both parts against Kubernetes' rules.
pub(crate) fn locate(key: &str, prefix: &str) -> Result<Location, SecretsError> {
    let (name, data_key) = key.split_once('/').unwrap_or((key, DEFAULT_DATA_KEY));
    let secret = format!("{prefix}{name}");
    let invalid = |why: &str| SecretsError::Invalid {
        message: format!("invalid secret key '{key}': {why}"),
    };
    if name.is_empty() {
        return Err(invalid("the secret name is empty"));
    }
    if !is_dns_subdomain(&secret) {
        return Err(invalid(&format!(
            "'{secret}' is not a valid Kubernetes Secret name (lower-case letters, digits, \
             '-' and '.', starting and ending with a letter or digit, at most 253 characters)"
        )));
    }
    let valid_data_key = !data_key.is_empty()
        && data_key.len() <= 253
        && data_key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    if !valid_data_key {
        return Err(invalid(&format!(
            "'{data_key}' is not a valid data key (letters, digits, '-', '_' and '.')"
        )));
    }
    Ok(Location {
        secret,
        data_key: data_key.to_owned(),
    })
}

fn is_dns_subdomain(name: &str) -> bool {
    let bytes = name.as_bytes();
    let edge = |b: Option<&u8>| b.is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit());
    name.len() <= 253
        && edge(bytes.first())
        && edge(bytes.last())
        && bytes
            .iter()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'-' | b'.'))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn keys_split_at_the_first_slash() {
        let l = locate("db/password", "floe-").unwrap();
        assert_eq!(
            (l.secret.as_str(), l.data_key.as_str()),
            ("floe-db", "password")
        );
        let l = locate("token", "").unwrap();
        assert_eq!((l.secret.as_str(), l.data_key.as_str()), ("token", "value"));
        let l = locate("a/b/c", "").unwrap_err();
        assert!(
            l.to_string().contains("'b/c' is not a valid data key"),
            "{l}"
        );
        assert!(locate("DB", "").is_err());
        assert!(locate("/x", "").is_err());
    }
}
