//! The configuration of the `dagster` plugin.

use std::borrow::Cow;

use floe_registry::prelude::JsonSchema;
use floe_registry::{Secret, floe_config, schemars};
use serde::{Deserialize, Serialize};

use super::cron::{validate_cron, validate_timezone};

/// The Dagster webserver, the default schedule, and where lineage events go.
#[floe_config]
#[derive(Debug, Clone, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct DagsterConfig {
    /// The Dagster webserver (its GraphQL API is `<url>/graphql`).
    #[serde(default = "default_url")]
    #[schemars(regex(pattern = r"^https?://"))]
    pub url: String,
    /// Cron expression of the default schedule (five fields).
    #[serde(default = "default_cron")]
    pub default_schedule: CronExpression,
    /// IANA time zone of the default schedule.
    #[serde(default = "default_timezone")]
    pub timezone: TimeZoneName,
    /// Timeout of requests to the webserver and the lineage endpoint, in seconds.
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.1, max = 300.0))]
    pub timeout_seconds: f64,
    /// OpenLineage HTTP endpoint that receives run events
    /// (`http://marquez:5000/api/v1/lineage`). Unset: lineage events are refused.
    #[serde(default)]
    #[schemars(regex(pattern = r"^https?://"))]
    pub lineage_url: Option<String>,
    /// The OpenLineage job namespace.
    #[serde(default = "default_namespace")]
    #[schemars(length(min = 1))]
    pub lineage_namespace: String,
    /// Bearer token for the lineage endpoint.
    #[serde(default)]
    pub lineage_api_key: Option<Secret>,
}

/// The webserver URL when nothing is configured.
pub const DEFAULT_URL: &str = "http://localhost:3000";
/// The default schedule's cron expression: every ten minutes.
pub const DEFAULT_CRON: &str = "*/10 * * * *";

fn default_url() -> String {
    DEFAULT_URL.to_owned()
}

fn default_cron() -> CronExpression {
    CronExpression(DEFAULT_CRON.to_owned())
}

fn default_timezone() -> TimeZoneName {
    TimeZoneName("UTC".to_owned())
}

fn default_timeout() -> f64 {
    10.0
}

fn default_namespace() -> String {
    "floe".to_owned()
}

impl Default for DagsterConfig {
    fn default() -> Self {
        Self {
            url: default_url(),
            default_schedule: default_cron(),
            timezone: default_timezone(),
            timeout_seconds: default_timeout(),
            lineage_url: None,
            lineage_namespace: default_namespace(),
            lineage_api_key: None,
        }
    }
}

/// A cron expression that passed [`validate_cron`](super::validate_cron).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CronExpression(String);

impl CronExpression {
    /// The expression, trimmed.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for CronExpression {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        validate_cron(&value).map_err(|e| e.to_string())?;
        Ok(Self(value.trim().to_owned()))
    }
}

impl From<CronExpression> for String {
    fn from(value: CronExpression) -> Self {
        value.0
    }
}

impl JsonSchema for CronExpression {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "CronExpression".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "pattern": r"^\s*\S+(\s+\S+){4}\s*$",
        })
    }
}

/// An IANA time zone name known to the bundled time zone database.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct TimeZoneName(String);

impl TimeZoneName {
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for TimeZoneName {
    type Error = String;
    fn try_from(value: String) -> Result<Self, String> {
        validate_timezone(&value).map_err(|e| e.to_string())?;
        Ok(Self(value))
    }
}

impl From<TimeZoneName> for String {
    fn from(value: TimeZoneName) -> Self {
        value.0
    }
}

impl JsonSchema for TimeZoneName {
    fn inline_schema() -> bool {
        true
    }
    fn schema_name() -> Cow<'static, str> {
        "TimeZoneName".into()
    }
    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({ "type": "string", "minLength": 1 })
    }
}
