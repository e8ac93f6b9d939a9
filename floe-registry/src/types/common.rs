//! Result types shared by several plugin types.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::PluginError;

/// Kubernetes resource requests and limits for a workload.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResourceSpec {
    /// CPU request (`100m`).
    pub cpu_request: String,
    /// CPU limit.
    pub cpu_limit: String,
    /// Memory request (`256Mi`).
    pub memory_request: String,
    /// Memory limit.
    pub memory_limit: String,
    /// Ephemeral storage request.
    pub ephemeral_storage_request: String,
    /// Ephemeral storage limit.
    pub ephemeral_storage_limit: String,
}

impl ResourceSpec {
    /// A spec from the six values, in field order.
    pub fn new(values: [&str; 6]) -> Self {
        let [
            cpu_request,
            cpu_limit,
            memory_request,
            memory_limit,
            eph_req,
            eph_lim,
        ] = values.map(str::to_owned);
        Self {
            cpu_request,
            cpu_limit,
            memory_request,
            memory_limit,
            ephemeral_storage_request: eph_req,
            ephemeral_storage_limit: eph_lim,
        }
    }
}

/// A workload size preset.
///
/// ```
/// use floe_registry::WorkloadSize;
/// assert_eq!("medium".parse::<WorkloadSize>().unwrap(), WorkloadSize::Medium);
/// assert_eq!(
///     "huge".parse::<WorkloadSize>().unwrap_err().to_string(),
///     "Unknown workload size: huge. Valid sizes: large, medium, small"
/// );
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WorkloadSize {
    /// Small.
    Small,
    /// Medium.
    Medium,
    /// Large.
    Large,
}

impl FromStr for WorkloadSize {
    type Err = UnknownWorkloadSize;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "small" => Ok(WorkloadSize::Small),
            "medium" => Ok(WorkloadSize::Medium),
            "large" => Ok(WorkloadSize::Large),
            other => Err(UnknownWorkloadSize {
                size: other.to_owned(),
            }),
        }
    }
}

/// A workload size that is not `small`, `medium` or `large`. Becomes a
/// [`PluginError::Failed`] with the same text (and itself as the source) through `?`.
///
/// ```
/// use floe_registry::{PluginError, WorkloadSize};
/// fn size(s: &str) -> Result<WorkloadSize, PluginError> {
///     Ok(s.parse::<WorkloadSize>()?)
/// }
/// assert_eq!(size("huge").unwrap_err().to_string(), "Unknown workload size: huge. Valid sizes: large, medium, small");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("Unknown workload size: {size}. Valid sizes: large, medium, small")]
pub struct UnknownWorkloadSize {
    /// The size as given.
    pub size: String,
}

impl From<UnknownWorkloadSize> for PluginError {
    fn from(e: UnknownWorkloadSize) -> Self {
        PluginError::with_source(e.to_string(), e)
    }
}

impl fmt::Display for WorkloadSize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            WorkloadSize::Small => "small",
            WorkloadSize::Medium => "medium",
            WorkloadSize::Large => "large",
        })
    }
}

/// The outcome of a validation: success plus errors and warnings.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ValidationResult {
    /// Whether it passed.
    pub success: bool,
    /// A summary.
    pub message: String,
    /// What failed.
    #[serde(default)]
    pub errors: Vec<String>,
    /// What should be looked at.
    #[serde(default)]
    pub warnings: Vec<String>,
}
