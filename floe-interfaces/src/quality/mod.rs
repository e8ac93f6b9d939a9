//! Data quality: checks, suites, results, the quality config (also the manifest's
//! `plugins.quality` block), quality gates and the three-layer quality score.
//!
//! ```
//! use floe_interfaces::quality::*;
//!
//! let config = QualityConfig::new("dbt_expectations");
//! let check = |passed| QualityCheckResult::new("not_null_id", passed, Dimension::Completeness, SeverityLevel::Warning);
//! let results = QualitySuiteResult::new("s", "orders", false, vec![check(true), check(false)]);
//! let score = calculate_quality_score(&results, &config);
//! assert_eq!(score.checks_failed, 1);
//! assert!(score.overall < 100.0);
//! ```

mod config;
mod errors;
mod facets;
mod gates;
mod models;
pub(crate) mod pyjson;
mod read;
mod score;

pub use config::{
    CalculationParameters, DimensionWeights, GateTier, OverrideConfig, QualityConfig, QualityGates,
    QualityThresholds,
};
pub use errors::QualityError;
pub use facets::{DEPRECATED_LINEAGE_EMITTER, QUALITY_FACET_SCHEMA_URL, quality_facets};
pub use gates::{GateResult, GateTierName, validate_quality_gates, validate_quality_gates_json};
pub use models::{
    Dimension, QualityCheck, QualityCheckResult, QualityScore, QualitySuite, QualitySuiteResult,
    QualityValidationResult, SeverityLevel,
};
pub use score::calculate_quality_score;
