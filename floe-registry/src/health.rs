//! Health states reported by plugins.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// How well a plugin works right now.
///
/// Ordered from best to worst, so the worst of several states is their maximum:
///
/// ```
/// use floe_registry::HealthState;
/// let worst = [HealthState::Healthy, HealthState::Unhealthy, HealthState::Degraded]
///     .into_iter().max();
/// assert_eq!(worst, Some(HealthState::Unhealthy));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum HealthState {
    /// Fully operational.
    Healthy,
    /// Operational with reduced capability.
    Degraded,
    /// Not operational.
    Unhealthy,
}

impl HealthState {
    /// `healthy`, `degraded` or `unhealthy`.
    pub const fn as_str(self) -> &'static str {
        match self {
            HealthState::Healthy => "healthy",
            HealthState::Degraded => "degraded",
            HealthState::Unhealthy => "unhealthy",
        }
    }
}

impl std::fmt::Display for HealthState {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A plugin's answer to a health check: a state, a message and free-form details.
///
/// ```
/// use floe_registry::{HealthState, HealthStatus};
///
/// let status = HealthStatus::degraded("replica lag 30s").with_detail("lag_seconds", 30);
/// assert_eq!(status.state, HealthState::Degraded);
/// assert_eq!(status.details["lag_seconds"], 30);
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthStatus {
    /// The state.
    pub state: HealthState,
    /// A human-readable explanation (empty when healthy and nothing to say).
    #[serde(default)]
    pub message: String,
    /// Extra diagnostic information.
    #[serde(default)]
    pub details: Map<String, Value>,
}

impl HealthStatus {
    /// A status with the given state and message and no details.
    pub fn new(state: HealthState, message: impl Into<String>) -> Self {
        Self {
            state,
            message: message.into(),
            details: Map::new(),
        }
    }

    /// `Healthy` with an empty message: the default answer of a plugin.
    pub fn healthy() -> Self {
        Self::new(HealthState::Healthy, "")
    }

    /// `Degraded` with a message.
    pub fn degraded(message: impl Into<String>) -> Self {
        Self::new(HealthState::Degraded, message)
    }

    /// `Unhealthy` with a message.
    pub fn unhealthy(message: impl Into<String>) -> Self {
        Self::new(HealthState::Unhealthy, message)
    }

    /// Adds one detail.
    pub fn with_detail(mut self, key: impl Into<String>, value: impl Into<Value>) -> Self {
        self.details.insert(key.into(), value.into());
        self
    }
}

impl Default for HealthStatus {
    fn default() -> Self {
        Self::healthy()
    }
}
