//! The event an alert channel delivers.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Validate};

/// What kind of contract violation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ViolationType {
    /// Data is late.
    Freshness,
    /// The schema changed.
    SchemaDrift,
    /// Quality checks failed.
    Quality,
    /// Data is unavailable.
    Availability,
    /// A deprecated contract is used.
    Deprecation,
}

impl ViolationType {
    /// The snake_case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            ViolationType::Freshness => "freshness",
            ViolationType::SchemaDrift => "schema_drift",
            ViolationType::Quality => "quality",
            ViolationType::Availability => "availability",
            ViolationType::Deprecation => "deprecation",
        }
    }
}

/// How bad a violation is, ordered `Info < Warning < Error < Critical`.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "lowercase")]
pub enum ViolationSeverity {
    /// For the record.
    Info,
    /// Worth a look.
    Warning,
    /// Broken.
    Error,
    /// Broken and urgent.
    Critical,
}

/// A data contract violation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ContractViolationEvent {
    /// The contract.
    pub contract_name: String,
    /// Its version.
    pub contract_version: String,
    /// What kind of violation.
    pub violation_type: ViolationType,
    /// How bad.
    pub severity: ViolationSeverity,
    /// What happened.
    pub message: String,
    /// The element concerned.
    #[serde(default)]
    pub element: Option<String>,
    /// What was expected.
    #[serde(default)]
    pub expected_value: Option<String>,
    /// What was found.
    #[serde(default)]
    pub actual_value: Option<String>,
    /// When (RFC 3339).
    pub timestamp: String,
    /// Who consumes the contract.
    #[serde(default)]
    pub affected_consumers: Vec<String>,
    /// How long the check took (required, as in floe).
    pub check_duration_seconds: f64,
    /// Free-form strings.
    #[serde(default)]
    pub metadata: BTreeMap<String, String>,
}

impl ContractViolationEvent {
    /// An event with the required fields and the rest empty.
    pub fn new(
        contract_name: impl Into<String>,
        contract_version: impl Into<String>,
        violation_type: ViolationType,
        severity: ViolationSeverity,
        message: impl Into<String>,
        timestamp: impl Into<String>,
    ) -> Self {
        ContractViolationEvent {
            contract_name: contract_name.into(),
            contract_version: contract_version.into(),
            violation_type,
            severity,
            message: message.into(),
            element: None,
            expected_value: None,
            actual_value: None,
            timestamp: timestamp.into(),
            affected_consumers: Vec::new(),
            check_duration_seconds: 0.0,
            metadata: BTreeMap::new(),
        }
    }
}

/// No rule beyond its shape (floe's model has none), so that it reads with
/// [`read_model`](crate::read_model).
impl Validate for ContractViolationEvent {
    fn check(&self, _path: &str, _errors: &mut Vec<FieldError>) {}
}
