//! [`S3FileIo`]: reads, writes, lists and deletes objects of one bucket over the S3
//! REST API, signed with SigV4, through a blocking HTTP client. Shared by the `s3`,
//! `aws-s3` and `minio` storage plugins.

use std::fmt;
use std::time::{Duration, SystemTime};

use floe_registry::{FileIo, PluginError};

use super::sigv4::{self, Credentials, Request};
use super::xml::xml_values;
use super::{agent, endpoint_parts};

/// How long one S3 request may take.
pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(60);

/// Objects of one bucket. Paths are object keys (`bronze/t/data.parquet`), or
/// `s3://<bucket>/<key>` URIs of the same bucket.
#[derive(Clone)]
pub struct S3FileIo {
    agent: ureq::Agent,
    scheme: String,
    host: String,
    bucket: String,
    region: String,
    path_style: bool,
    credentials: Option<Credentials>,
    /// Where the credentials come from, said when the server refuses them.
    credential_hint: String,
}

impl fmt::Debug for S3FileIo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("S3FileIo")
            .field("endpoint", &format!("{}://{}", self.scheme, self.host))
            .field("bucket", &self.bucket)
            .field("region", &self.region)
            .field("path_style", &self.path_style)
            .finish_non_exhaustive()
    }
}

/// The settings an [`S3FileIo`] is opened with.
#[derive(Debug, Clone)]
pub struct S3Location<'a> {
    /// `http(s)://host[:port]`.
    pub endpoint: &'a str,
    /// The bucket.
    pub bucket: &'a str,
    /// The signing region.
    pub region: &'a str,
    /// `true`: `endpoint/bucket/key`; `false`: `bucket.endpoint/key`.
    pub path_style: bool,
}

impl S3FileIo {
    /// A handle on `location`, signing with `credentials` when given (anonymous
    /// requests otherwise). Fails when the endpoint is not an `http(s)://` URL.
    pub fn new(
        location: &S3Location<'_>,
        credentials: Option<Credentials>,
    ) -> Result<Self, PluginError> {
        let (scheme, host) = endpoint_parts("S3", location.endpoint)?;
        Ok(S3FileIo {
            agent: agent(REQUEST_TIMEOUT),
            scheme,
            host,
            bucket: location.bucket.to_owned(),
            region: location.region.to_owned(),
            path_style: location.path_style,
            credentials,
            credential_hint: "check `access_key_id` and `secret_access_key` in the storage \
                              config or its secrets (else AWS_ACCESS_KEY_ID / \
                              AWS_SECRET_ACCESS_KEY)"
                .to_owned(),
        })
    }

    /// The same handle with every request bounded by `timeout` instead of
    /// [`REQUEST_TIMEOUT`] (health checks use a short one).
    pub fn with_timeout(mut self, timeout: Duration) -> Self {
        self.agent = agent(timeout);
        self
    }

    /// The same handle, saying `hint` (where the credentials come from and how to fix
    /// them) when the server refuses its credentials.
    pub fn with_credential_hint(mut self, hint: impl Into<String>) -> Self {
        self.credential_hint = hint.into();
        self
    }

    /// `http(s)://host[:port]` of the server.
    pub fn endpoint(&self) -> String {
        format!("{}://{}", self.scheme, self.host)
    }

    /// Checks that the bucket exists and that the credentials may list it (one
    /// `ListObjectsV2` of at most one key); the error names what is wrong and the fix.
    pub fn check_bucket(&self) -> Result<(), PluginError> {
        let (status, body) = self.send("GET", "", &[("list-type", "2"), ("max-keys", "1")], b"")?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            let uri = format!("s3://{}/", self.bucket);
            Err(self.refused("list", &uri, status, &body))
        }
    }

    /// The bucket.
    pub fn bucket(&self) -> &str {
        &self.bucket
    }

    /// The object key of `path`: an `s3://<bucket>/` prefix is removed, as is a
    /// leading `/`.
    fn key<'p>(&self, path: &'p str) -> Result<&'p str, PluginError> {
        let key = match path.strip_prefix("s3://") {
            Some(rest) => {
                let (bucket, key) = rest.split_once('/').unwrap_or((rest, ""));
                if bucket != self.bucket {
                    return Err(PluginError::failed(format!(
                        "'{path}' is in bucket '{bucket}', but this storage is bucket '{}'",
                        self.bucket
                    )));
                }
                key
            }
            None => path.trim_start_matches('/'),
        };
        if key.is_empty() {
            return Err(PluginError::failed(format!(
                "'{path}' names no object: give a key such as 'namespace/table/file'"
            )));
        }
        Ok(key)
    }

    /// Sends one signed request; returns the status and the body.
    fn send(
        &self,
        method: &str,
        key: &str,
        query: &[(&str, &str)],
        payload: &[u8],
    ) -> Result<(u16, Vec<u8>), PluginError> {
        let encoded_key = sigv4::encode(key, false);
        let (host, path) = if self.path_style {
            let path = if key.is_empty() {
                format!("/{}", self.bucket)
            } else {
                format!("/{}/{encoded_key}", self.bucket)
            };
            (self.host.clone(), path)
        } else {
            (
                format!("{}.{}", self.bucket, self.host),
                format!("/{encoded_key}"),
            )
        };
        let query_string = sigv4::canonical_query(query);
        let url = if query_string.is_empty() {
            format!("{}://{host}{path}", self.scheme)
        } else {
            format!("{}://{host}{path}?{query_string}", self.scheme)
        };
        let headers = match &self.credentials {
            Some(credentials) => sigv4::sign(
                &Request {
                    method,
                    host: &host,
                    path: &path,
                    query,
                    headers: &[],
                    payload,
                },
                credentials,
                &self.region,
                "s3",
                SystemTime::now(),
            ),
            None => Vec::new(),
        };
        let result = match method {
            "PUT" => {
                let mut request = self.agent.put(&url);
                for (name, value) in &headers {
                    request = request.header(*name, value);
                }
                request.send(payload)
            }
            _ => {
                let mut request = match method {
                    "DELETE" => self.agent.delete(&url),
                    _ => self.agent.get(&url),
                };
                for (name, value) in &headers {
                    request = request.header(*name, value);
                }
                request.call()
            }
        };
        let shown = format!("{}://{host}{path}", self.scheme);
        let mut response = result.map_err(|e| {
            PluginError::failed(format!(
                "cannot reach the S3 endpoint for {method} {shown}: {e}; check the storage \
                 plugin's `endpoint` and that the server is running"
            ))
        })?;
        let status = response.status().as_u16();
        let body = response
            .body_mut()
            .with_config()
            .limit(u64::MAX)
            .read_to_vec()
            .map_err(|e| {
                PluginError::failed(format!(
                    "reading the answer to {method} {shown} failed: {e}"
                ))
            })?;
        Ok((status, body))
    }

    /// The error of a non-2xx answer, naming what is wrong and how to fix it.
    fn refused(&self, action: &str, key: &str, status: u16, body: &[u8]) -> PluginError {
        let text = String::from_utf8_lossy(body);
        let code = xml_values(&text, "Code")
            .into_iter()
            .next()
            .unwrap_or_default();
        let detail = xml_values(&text, "Message")
            .into_iter()
            .next()
            .unwrap_or_default();
        let bucket = &self.bucket;
        let endpoint = format!("{}://{}", self.scheme, self.host);
        let message = match code.as_str() {
            "NoSuchBucket" => format!(
                "cannot {action} '{key}': bucket '{bucket}' does not exist at {endpoint}; \
                 create it or fix the storage plugin's `bucket`"
            ),
            "NoSuchKey" => format!("cannot {action} '{key}': no such object in bucket '{bucket}'"),
            "InvalidAccessKeyId"
            | "SignatureDoesNotMatch"
            | "AccessDenied"
            | "InvalidClientTokenId" => format!(
                "cannot {action} '{key}': {endpoint} refused the credentials ({code}: {detail}); \
                 {}",
                self.credential_hint
            ),
            "" => format!(
                "cannot {action} '{key}' in bucket '{bucket}': HTTP {status} from {endpoint}"
            ),
            _ => format!(
                "cannot {action} '{key}' in bucket '{bucket}': {code}: {detail} (HTTP {status})"
            ),
        };
        PluginError::failed(message)
    }

    /// The keys that start with `prefix`, in S3's order (all pages).
    pub fn list(&self, prefix: &str) -> Result<Vec<String>, PluginError> {
        let mut keys = Vec::new();
        let mut token: Option<String> = None;
        loop {
            let mut query = vec![("list-type", "2"), ("prefix", prefix)];
            if let Some(t) = &token {
                query.push(("continuation-token", t.as_str()));
            }
            let (status, body) = self.send("GET", "", &query, b"")?;
            if !(200..300).contains(&status) {
                return Err(self.refused("list", prefix, status, &body));
            }
            let text = String::from_utf8_lossy(&body);
            keys.extend(xml_values(&text, "Key"));
            let truncated =
                xml_values(&text, "IsTruncated").first().map(String::as_str) == Some("true");
            let next = xml_values(&text, "NextContinuationToken")
                .into_iter()
                .next();
            if !truncated || next.is_none() {
                return Ok(keys);
            }
            // A server that hands back the token it was given would page forever.
            if next == token {
                return Err(PluginError::failed(format!(
                    "cannot list '{prefix}' in bucket '{}': the server returned the same \
                     continuation token twice; check the endpoint ({})",
                    self.bucket,
                    self.endpoint()
                )));
            }
            token = next;
        }
    }
}

impl FileIo for S3FileIo {
    /// `GET` of the object.
    fn read(&self, path: &str) -> Result<Vec<u8>, PluginError> {
        let key = self.key(path)?;
        let (status, body) = self.send("GET", key, &[], b"")?;
        if (200..300).contains(&status) {
            Ok(body)
        } else {
            Err(self.refused("read", key, status, &body))
        }
    }

    /// `PUT` of the whole object (S3 replaces an object atomically).
    fn write(&self, path: &str, data: &[u8]) -> Result<(), PluginError> {
        let key = self.key(path)?;
        let (status, body) = self.send("PUT", key, &[], data)?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(self.refused("write", key, status, &body))
        }
    }

    /// `DELETE` of the object (deleting a missing key succeeds, as in S3).
    fn delete(&self, path: &str) -> Result<(), PluginError> {
        let key = self.key(path)?;
        let (status, body) = self.send("DELETE", key, &[], b"")?;
        if (200..300).contains(&status) {
            Ok(())
        } else {
            Err(self.refused("delete", key, status, &body))
        }
    }
}
