//! Routing rules, deduplication and rate limits.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::ViolationSeverity;
use crate::validation::{FieldError, Validate, at_least};

/// Sends events of at least `min_severity`, whose contract matches the optional glob
/// `contract_filter`, to the channel `channel_name`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertChannelRoutingRule {
    /// A key of the channels given to the router.
    pub channel_name: String,
    /// The least severity sent.
    pub min_severity: ViolationSeverity,
    /// A glob over contract names (`orders_*`), matched as Python's `fnmatch` does
    /// ([`fnmatch`](super::fnmatch)).
    #[serde(default)]
    pub contract_filter: Option<String>,
}

impl AlertChannelRoutingRule {
    /// A rule for every contract.
    pub fn new(channel_name: impl Into<String>, min_severity: ViolationSeverity) -> Self {
        AlertChannelRoutingRule {
            channel_name: channel_name.into(),
            min_severity,
            contract_filter: None,
        }
    }
}

fn thirty() -> u32 {
    30
}
fn ten() -> u32 {
    10
}
fn sixty() -> u32 {
    60
}

/// How alerts are routed (floe's `MonitoringConfig.alerts`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct AlertConfig {
    /// The rules, each tried.
    #[serde(default)]
    pub routing_rules: Vec<AlertChannelRoutingRule>,
    /// One alert per contract and violation type in this window (30, at least 1).
    #[serde(default = "thirty")]
    pub dedup_window_minutes: u32,
    /// At most this many alerts per contract per rate window (10, at least 1).
    #[serde(default = "ten")]
    pub rate_limit_per_contract: u32,
    /// The rate window (60, at least 1).
    #[serde(default = "sixty")]
    pub rate_limit_window_minutes: u32,
}

impl Default for AlertConfig {
    fn default() -> Self {
        AlertConfig {
            routing_rules: Vec::new(),
            dedup_window_minutes: 30,
            rate_limit_per_contract: 10,
            rate_limit_window_minutes: 60,
        }
    }
}

impl Validate for AlertConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        at_least(
            errors,
            path,
            "dedup_window_minutes",
            self.dedup_window_minutes,
            1,
        );
        at_least(
            errors,
            path,
            "rate_limit_per_contract",
            self.rate_limit_per_contract,
            1,
        );
        at_least(
            errors,
            path,
            "rate_limit_window_minutes",
            self.rate_limit_window_minutes,
            1,
        );
    }
}
