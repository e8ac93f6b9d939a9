//! What the AWS-speaking plugins share (`s3`, `aws-s3`, `minio` and `glue`): SigV4
//! signing for any service, the S3 object store, the credential modes and STS.

#[cfg(any(feature = "aws-s3", feature = "glue"))]
pub(crate) mod credentials;
mod object_store;
pub(crate) mod sigv4;
#[cfg(any(feature = "aws-s3", feature = "glue"))]
mod sts;
pub(crate) mod xml;

use std::time::Duration;

#[cfg(any(feature = "aws-s3", feature = "glue"))]
pub use credentials::CredentialMode;
pub use object_store::{REQUEST_TIMEOUT, S3FileIo, S3Location};
pub use sigv4::Credentials;

/// The blocking HTTP client of the AWS requests: every status is an answer (the body
/// names the service's error), and `timeout` bounds a whole request.
pub(crate) fn agent(timeout: Duration) -> ureq::Agent {
    let config = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_global(Some(timeout))
        .build();
    ureq::Agent::new_with_config(config)
}

/// The scheme (`http` or `https`, lower case) and the `host[:port]` of an
/// `http(s)://` endpoint of `service` (named in the errors); a default port is
/// dropped, as the `Host` header leaves it out.
pub(crate) fn endpoint_parts(
    service: &str,
    endpoint: &str,
) -> Result<(String, String), floe_registry::PluginError> {
    let failed = |why: &str| {
        floe_registry::PluginError::failed(format!("{service} endpoint '{endpoint}' {why}"))
    };
    let (scheme, rest) = endpoint
        .split_once("://")
        .ok_or_else(|| failed("has no scheme: write it as http://host:port or https://host"))?;
    let scheme = scheme.to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Err(failed("must start with http:// or https://"));
    }
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let authority = authority.rsplit_once('@').map_or(authority, |(_, a)| a);
    let default_port = if scheme == "https" { ":443" } else { ":80" };
    let host = authority.strip_suffix(default_port).unwrap_or(authority);
    if host.is_empty() {
        return Err(failed("has no host"));
    }
    Ok((scheme, host.to_owned()))
}
