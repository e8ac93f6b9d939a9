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
