//! floe's quality errors, each with its code and resolution.

use crate::python;

/// A quality failure. Every message starts with `[<code>] ` and ends with what to do.
///
/// The codes are floe's, each with its `FLOE-` prefix: `FLOE-DQ001` and `FLOE-DQ102`
/// to `FLOE-DQ107`. Numbers inside the texts are written as Python writes them.
///
/// ```
/// use floe_interfaces::quality::QualityError;
/// let e = QualityError::ProviderNotFound {
///     provider: "sodaa".into(),
///     available: vec!["dbt_expectations".into(), "great_expectations".into()],
/// };
/// assert_eq!(e.code(), "FLOE-DQ001");
/// assert!(e.to_string().ends_with("valid providers: dbt_expectations, great_expectations"));
/// ```
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[non_exhaustive]
pub enum QualityError {
    /// `plugins.quality.provider` names no quality plugin.
    #[error("[FLOE-DQ001] Invalid quality provider '{provider}'. Available providers: [{}]. Resolution: Check manifest.yaml plugins.quality.provider; valid providers: {}", available.join(", "), available.join(", "))]
    ProviderNotFound {
        /// The provider asked for.
        provider: String,
        /// The providers there are.
        available: Vec<String>,
    },
    /// Checks failed and the score is below the minimum.
    #[error(
        "[FLOE-DQ102] Quality checks failed for '{model}': {failed}/{total} checks failed. Score {score:.1} < minimum {minimum:.1}. Resolution: Review failed checks in run output; fix data issues"
    )]
    CheckFailed {
        /// The model.
        model: String,
        /// Failed checks.
        failed: usize,
        /// All checks.
        total: usize,
        /// The score.
        score: f64,
        /// The minimum.
        minimum: f64,
    },
    /// Test coverage is below the tier's minimum.
    #[error("[FLOE-DQ103] Coverage violation for '{model}' ({tier} tier): {actual:.1}% < {required:.1}% required. Resolution: Add more tests to meet {tier} tier minimum of {}%", python::float(*.required))]
    Coverage {
        /// The model.
        model: String,
        /// Its tier.
        tier: String,
        /// Its coverage.
        actual: f64,
        /// The tier's minimum.
        required: f64,
    },
    /// Test types the tier requires are missing.
    #[error("[FLOE-DQ104] Missing required tests for '{model}' ({tier} tier): [{}]. Resolution: Add required tests: {}", missing.join(", "), missing.join(", "))]
    MissingTests {
        /// The model.
        model: String,
        /// Its tier.
        tier: String,
        /// The missing test types, sorted.
        missing: Vec<String>,
    },
    /// A check names a column the model lacks.
    #[error("[FLOE-DQ105] Invalid column reference in check '{check}' for model '{model}': column '{column}' not found.{} Resolution: Verify column '{column}' exists in model schema", available.as_ref().filter(|a| !a.is_empty()).map(|a| format!(" Available columns: [{}].", a.join(", "))).unwrap_or_default())]
    ColumnReference {
        /// The check.
        check: String,
        /// The model.
        model: String,
        /// The missing column.
        column: String,
        /// The model's columns, when known (an empty list is not shown).
        available: Option<Vec<String>>,
    },
    /// Checks ran past their timeout.
    #[error("[FLOE-DQ106] Quality check timeout for '{model}' after {seconds}s.{} Resolution: Increase check_timeout_seconds or optimize checks", if pending.is_empty() { String::new() } else { format!(" Pending checks: [{}].", pending.join(", ")) })]
    Timeout {
        /// The model.
        model: String,
        /// The timeout.
        seconds: u32,
        /// Checks still running.
        pending: Vec<String>,
    },
    /// A lower level tried to override a locked setting.
    #[error(
        "[FLOE-DQ107] Cannot override locked setting '{setting}': locked by {locked_by} level, attempted by {attempted_by} level. Resolution: Remove '{setting}' override from {attempted_by}-level configuration"
    )]
    Override {
        /// The setting.
        setting: String,
        /// The level that locked it.
        locked_by: String,
        /// The level that tried.
        attempted_by: String,
    },
}

impl QualityError {
    /// The code: `FLOE-DQ001`, or `FLOE-DQ102` to `FLOE-DQ107`.
    pub fn code(&self) -> &'static str {
        match self {
            QualityError::ProviderNotFound { .. } => "FLOE-DQ001",
            QualityError::CheckFailed { .. } => "FLOE-DQ102",
            QualityError::Coverage { .. } => "FLOE-DQ103",
            QualityError::MissingTests { .. } => "FLOE-DQ104",
            QualityError::ColumnReference { .. } => "FLOE-DQ105",
            QualityError::Timeout { .. } => "FLOE-DQ106",
            QualityError::Override { .. } => "FLOE-DQ107",
        }
    }
}
