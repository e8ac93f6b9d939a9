//! AWS Signature Version 4, signed in the `Authorization` header, for any service:
//! S3 (every S3-compatible server checks it), STS and Glue's JSON API. The payload's
//! SHA-256 is always sent and signed in `x-amz-content-sha256` (S3 requires it, the
//! other services accept it), as is the session token of temporary credentials.

use std::fmt;
use std::time::SystemTime;

use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};

/// An AWS key pair, with the session token of temporary (STS) credentials.
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    /// The access key id (`AKIA...`, `ASIA...` for temporary ones).
    pub access_key_id: String,
    /// The secret access key.
    pub secret_access_key: String,
    /// The session token of temporary credentials, sent as `x-amz-security-token`.
    pub session_token: Option<String>,
}

impl Credentials {
    /// A long-lived key pair (no session token).
    pub fn new(access_key_id: impl Into<String>, secret_access_key: impl Into<String>) -> Self {
        Credentials {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
        }
    }
}

impl fmt::Debug for Credentials {
    /// The key id only: the secret and the token are never shown.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field(
                "session_token",
                &self.session_token.as_ref().map(|_| "[REDACTED]"),
            )
            .finish_non_exhaustive()
    }
}

/// One request to sign: the parts of its canonical form.
pub(crate) struct Request<'a> {
    pub(crate) method: &'a str,
    /// `host` or `host:port`, as the `Host` header carries it.
    pub(crate) host: &'a str,
    /// The path, already percent-encoded (`/bucket/a%20b.txt`).
    pub(crate) path: &'a str,
    /// Query parameters, not encoded.
    pub(crate) query: &'a [(&'a str, &'a str)],
    /// Further headers to sign (the caller sends them too), names in lower case:
    /// `content-type`, `x-amz-target`.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    pub(crate) payload: &'a [u8],
}

/// The headers to send besides the request's own: `x-amz-date`,
/// `x-amz-content-sha256`, `x-amz-security-token` (temporary credentials only) and
/// `authorization`, for `service` (`s3`, `sts`, `glue`) in `region`.
pub(crate) fn sign(
    request: &Request<'_>,
    credentials: &Credentials,
    region: &str,
    service: &str,
    now: SystemTime,
) -> Vec<(&'static str, String)> {
    let amz_date = amz_date(now);
    let day = &amz_date[..8];
    let payload_hash = hex(&Sha256::digest(request.payload));
    let mut signed: Vec<(String, String)> = vec![
        ("host".to_owned(), request.host.to_owned()),
        ("x-amz-content-sha256".to_owned(), payload_hash.clone()),
        ("x-amz-date".to_owned(), amz_date.clone()),
    ];
    if let Some(token) = &credentials.session_token {
        signed.push(("x-amz-security-token".to_owned(), token.clone()));
    }
    signed.extend(
        request
            .headers
            .iter()
            .map(|(name, value)| (name.to_ascii_lowercase(), value.trim().to_owned())),
    );
    signed.sort();
    let canonical_headers: String = signed
        .iter()
        .map(|(name, value)| format!("{name}:{value}\n"))
        .collect();
    let signed_headers = signed
        .iter()
        .map(|(name, _)| name.as_str())
        .collect::<Vec<_>>()
        .join(";");
    let canonical = format!(
        "{}\n{}\n{}\n{canonical_headers}\n{signed_headers}\n{payload_hash}",
        request.method,
        request.path,
        canonical_query(request.query)
    );
    let scope = format!("{day}/{region}/{service}/aws4_request");
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex(&Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(
        format!("AWS4{}", credentials.secret_access_key).as_bytes(),
        day.as_bytes(),
    );
    for part in [region, service, "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let signature = hex(&hmac(&key, string_to_sign.as_bytes()));
    let mut headers = vec![
        ("x-amz-date", amz_date.clone()),
        ("x-amz-content-sha256", payload_hash),
    ];
    if let Some(token) = &credentials.session_token {
        headers.push(("x-amz-security-token", token.clone()));
    }
    headers.push((
        "authorization",
        format!(
            "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
            credentials.access_key_id
        ),
    ));
    headers
}

/// The query string in canonical form: encoded, sorted by name then value.
pub(crate) fn canonical_query(query: &[(&str, &str)]) -> String {
    let mut pairs: Vec<(String, String)> = query
        .iter()
        .map(|(k, v)| (encode(k, true), encode(v, true)))
        .collect();
    pairs.sort();
    pairs
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&")
}

/// RFC 3986 percent-encoding of everything but the unreserved characters (and `/`
/// when `slash` is false, for paths).
pub(crate) fn encode(text: &str, slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || (byte == b'/' && !slash)
        {
            out.push(char::from(byte));
        } else {
            out.push_str(&format!("%{byte:02X}"));
        }
    }
    out
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail here.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => return Vec::new(),
    };
    mac.update(data);
    mac.finalize().into_bytes().to_vec()
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// `YYYYMMDDTHHMMSSZ` in UTC (a time outside jiff's range, years -9999 to 9999, signs
/// as the Unix epoch: the server then refuses the request as expired, naming the clock).
fn amz_date(now: SystemTime) -> String {
    let timestamp = jiff::Timestamp::try_from(now).unwrap_or(jiff::Timestamp::UNIX_EPOCH);
    timestamp.strftime("%Y%m%dT%H%M%SZ").to_string()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::{Duration, UNIX_EPOCH};

    fn example_credentials() -> Credentials {
        Credentials::new(
            "AKIAIOSFODNN7EXAMPLE",
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
        )
    }

    /// The GET Object example of the S3 SigV4 documentation ("Example: GET Object"),
    /// signature included.
    #[test]
    fn signs_the_documented_get_object_example() {
        let headers = sign(
            &Request {
                method: "GET",
                host: "examplebucket.s3.amazonaws.com",
                path: "/test.txt",
                query: &[],
                headers: &[("range", "bytes=0-9")],
                payload: b"",
            },
            &example_credentials(),
            "us-east-1",
            "s3",
            UNIX_EPOCH + Duration::from_secs(1_369_353_600),
        );
        assert_eq!(headers[0], ("x-amz-date", "20130524T000000Z".to_owned()));
        assert_eq!(
            headers[2].1,
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, \
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, \
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn temporary_credentials_sign_and_send_the_session_token() {
        let mut credentials = example_credentials();
        credentials.session_token = Some("token".to_owned());
        let headers = sign(
            &Request {
                method: "POST",
                host: "glue.eu-west-1.amazonaws.com",
                path: "/",
                query: &[],
                headers: &[("x-amz-target", "AWSGlue.GetDatabases")],
                payload: b"{}",
            },
            &credentials,
            "eu-west-1",
            "glue",
            UNIX_EPOCH,
        );
        assert_eq!(headers[2], ("x-amz-security-token", "token".to_owned()));
        assert!(
            headers[3].1.contains(
                "/19700101/eu-west-1/glue/aws4_request, SignedHeaders=host;x-amz-content-sha256;\
                 x-amz-date;x-amz-security-token;x-amz-target,"
            ),
            "{}",
            headers[3].1
        );
        assert!(
            !format!("{credentials:?}").contains("token\""),
            "{credentials:?}"
        );
    }

    #[test]
    fn dates_are_utc_calendar_dates() {
        let at = |secs: u64| amz_date(UNIX_EPOCH + Duration::from_secs(secs));
        assert_eq!(at(0), "19700101T000000Z");
        assert_eq!(at(951_782_400), "20000229T000000Z", "a leap day");
        assert_eq!(at(4_102_444_799), "20991231T235959Z");
        assert_eq!(
            amz_date(UNIX_EPOCH - Duration::from_secs(86_400)),
            "19691231T000000Z"
        );
    }

    #[test]
    fn encodes_like_sigv4() {
        assert_eq!(encode("a b/c~", false), "a%20b/c~");
        assert_eq!(encode("a b/c~", true), "a%20b%2Fc~");
        assert_eq!(
            canonical_query(&[("prefix", "x/"), ("list-type", "2")]),
            "list-type=2&prefix=x%2F"
        );
    }
}
