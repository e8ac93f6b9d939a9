//! Vended storage credentials: picked from a LoadTable answer, and kept out of every
//! other output.

use floe_registry::{Secret, VendedCredentials};
use serde_json::{Map, Value};

/// What secret table properties print as.
const REDACTED: &str = "[REDACTED]";

/// Whether a storage property holds a secret (keys, tokens, passwords).
fn is_secret_key(key: &str) -> bool {
    let k = key.to_ascii_lowercase();
    if k.ends_with("expires-at") || k.ends_with("expires-at-ms") || k.ends_with("access-key-id") {
        return false;
    }
    [
        "secret",
        "token",
        "password",
        "account-key",
        "sas",
        "credential",
    ]
    .iter()
    .any(|s| k.contains(s))
}

fn redact_map(map: &mut Map<String, Value>) {
    for (k, v) in map.iter_mut() {
        if is_secret_key(k) && v.is_string() {
            *v = Value::String(REDACTED.to_owned());
        }
    }
}

/// Replaces the secret values of a LoadTable answer's `config` and
/// `storage-credentials[].config` by `[REDACTED]`.
pub(crate) fn redact_table_secrets(table: &mut Value) {
    if let Some(config) = table.get_mut("config").and_then(Value::as_object_mut) {
        redact_map(config);
    }
    if let Some(creds) = table
        .get_mut("storage-credentials")
        .and_then(Value::as_array_mut)
    {
        for c in creds {
            if let Some(config) = c.get_mut("config").and_then(Value::as_object_mut) {
                redact_map(config);
            }
        }
    }
}

/// The storage properties that apply to the table: table metadata properties, then the
/// answer's `config`, then the `storage-credentials` entry whose prefix is the longest
/// match of the table location.
fn effective_properties(table: &Value) -> Map<String, Value> {
    let mut props = Map::new();
    let metadata = table.get("metadata");
    if let Some(p) = metadata
        .and_then(|m| m.get("properties"))
        .and_then(Value::as_object)
    {
        props.extend(p.clone());
    }
    if let Some(c) = table.get("config").and_then(Value::as_object) {
        props.extend(c.clone());
    }
    let location = metadata
        .and_then(|m| m.get("location"))
        .and_then(Value::as_str)
        .unwrap_or("");
    let best = table
        .get("storage-credentials")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|c| {
            let prefix = c.get("prefix").and_then(Value::as_str)?;
            let config = c.get("config").and_then(Value::as_object)?;
            location
                .starts_with(prefix)
                .then_some((prefix.len(), config))
        })
        .max_by_key(|(len, _)| *len);
    if let Some((_, config)) = best {
        props.extend(config.clone());
    }
    props
}

/// The S3 credentials of a LoadTable answer, or `None` when it vended none.
pub(crate) fn vended_s3_credentials(table: &Value) -> Option<VendedCredentials> {
    let props = effective_properties(table);
    let text = |k: &str| {
        props
            .get(k)
            .and_then(Value::as_str)
            .filter(|s| !s.is_empty())
    };
    let access_key = text("s3.access-key-id")?;
    let secret_key = text("s3.secret-access-key")?;
    Some(VendedCredentials {
        access_key: access_key.to_owned(),
        secret_key: Secret::new(secret_key),
        token: text("s3.session-token").map(Secret::new),
        expiration: text("s3.session-token-expires-at")
            .or_else(|| text("s3.session-token-expires-at-ms"))
            .map(normalize_expiration),
    })
}

/// An expiration as RFC 3339: epoch milliseconds (13 digits) and seconds (10 digits)
/// are converted; anything else (already ISO-8601) is kept.
pub(crate) fn normalize_expiration(value: &str) -> String {
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    let seconds = match (digits, value.len()) {
        (true, 13) => value.parse::<i64>().ok().map(|ms| ms / 1000),
        (true, 10) => value.parse::<i64>().ok(),
        _ => None,
    };
    seconds.map_or_else(|| value.to_owned(), rfc3339_utc)
}

/// Unix seconds as `YYYY-MM-DDTHH:MM:SSZ`; a count out of jiff's range (beyond year
/// 9999) is kept as the number it was.
pub(crate) fn rfc3339_utc(secs: i64) -> String {
    jiff::Timestamp::from_second(secs).map_or_else(|_| secs.to_string(), |t| format!("{t:.0}"))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn expirations_become_rfc3339() {
        assert_eq!(
            normalize_expiration("1700000000000"),
            "2023-11-14T22:13:20Z"
        );
        assert_eq!(normalize_expiration("1700000000"), "2023-11-14T22:13:20Z");
        assert_eq!(
            normalize_expiration("2030-01-01T00:00:00Z"),
            "2030-01-01T00:00:00Z"
        );
        assert_eq!(rfc3339_utc(0), "1970-01-01T00:00:00Z");
        assert_eq!(rfc3339_utc(951_782_400), "2000-02-29T00:00:00Z");
    }

    #[test]
    fn the_longest_matching_storage_credential_wins() {
        let table = json!({
            "metadata": {"location": "s3://b/wh/ns/t", "properties": {}},
            "config": {"s3.access-key-id": "base", "s3.secret-access-key": "base-s"},
            "storage-credentials": [
                {"prefix": "s3://b/", "config": {"s3.access-key-id": "short", "s3.secret-access-key": "s1"}},
                {"prefix": "s3://b/wh/ns", "config": {"s3.access-key-id": "long", "s3.secret-access-key": "s2"}},
                {"prefix": "s3://other/", "config": {"s3.access-key-id": "no", "s3.secret-access-key": "s3"}}
            ]
        });
        let creds = vended_s3_credentials(&table).expect("credentials");
        assert_eq!(creds.access_key, "long");
        assert_eq!(creds.secret_key.expose(), "s2");
    }

    #[test]
    fn redaction_keeps_ids_and_expiry() {
        let mut table = json!({"config": {
            "s3.access-key-id": "AKIA", "s3.secret-access-key": "x", "s3.session-token": "y",
            "s3.session-token-expires-at": "1700000000000", "s3.endpoint": "http://minio"
        }});
        redact_table_secrets(&mut table);
        let c = &table["config"];
        assert_eq!(c["s3.access-key-id"], "AKIA");
        assert_eq!(c["s3.secret-access-key"], REDACTED);
        assert_eq!(c["s3.session-token"], REDACTED);
        assert_eq!(c["s3.session-token-expires-at"], "1700000000000");
        assert_eq!(c["s3.endpoint"], "http://minio");
    }
}
