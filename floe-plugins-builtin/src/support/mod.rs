//! Helpers shared by several plugins of this crate, each compiled only with a feature
//! that uses it.

#[cfg(any(
    feature = "alertmanager",
    feature = "slack-alerts",
    feature = "webhook-alerts",
    feature = "email-alerts"
))]
pub(crate) mod alert;
#[cfg(any(feature = "cube", feature = "dlt"))]
pub(crate) mod clock;
#[cfg(any(feature = "dbt-core", feature = "dbt-fusion"))]
pub(crate) mod dbt_results;
#[cfg(any(
    feature = "env-secrets",
    feature = "jaeger",
    feature = "s3",
    feature = "aws-s3",
    feature = "minio",
    feature = "glue"
))]
pub(crate) mod environment;
#[cfg(any(
    feature = "dbt-core",
    feature = "dlt",
    feature = "dbt-fusion",
    feature = "quality-dbt",
    feature = "quality-gx"
))]
pub(crate) mod process;
#[cfg(any(feature = "quality-dbt", feature = "quality-gx"))]
pub(crate) mod quality;
#[cfg(any(feature = "dbt-core", feature = "dlt"))]
pub(crate) mod sanitize;
