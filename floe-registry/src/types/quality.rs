//! Quality plugins: data quality checks, gates and scoring.

use serde_json::{Map, Value, json};

use super::unsupported;
use crate::quality::{
    GateResult, QualityCheck, QualityCheckResult, QualityConfig, QualityGates, QualityScore,
    QualitySuite, QualitySuiteResult, QualityValidationResult,
};
use crate::{PluginError, PluginMetadata};

/// A data quality tool (Great Expectations, dbt-expectations, ...).
///
/// Running checks is the plugin's own work: those methods default to a "does not
/// support" error, like every method floe declares abstract. Validating the config,
/// the gates, the score and the lineage facets have floe's default algorithms
/// ([`crate::quality`]), which a plugin may override.
///
/// ```
/// use floe_registry::prelude::*;
/// use floe_registry::quality::{QualityConfig, QualitySuiteResult};
///
/// #[floe_plugin(type = Quality, name = "gx", version = "1.0.0")]
/// #[derive(Default)]
/// struct Gx;
/// impl QualityPlugin for Gx {}
///
/// let other = QualityConfig::new("soda");
/// assert_eq!(Gx.validate_config(&other).errors, ["Provider mismatch: expected 'gx', got 'soda'"]);
/// let score = Gx.calculate_quality_score(&QualitySuiteResult::new("s", "m", true, vec![]), &other);
/// assert_eq!(score.overall, 100.0);
/// ```
///
/// floe's deprecated `get_lineage_emitter()` is not ported: quality lineage flows
/// through [`get_quality_facets`](QualityPlugin::get_quality_facets).
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Quality` but does not implement `QualityPlugin`",
    label = "`type = Quality` needs `impl QualityPlugin for {Self}`",
    note = "add `impl QualityPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Quality` in `#[floe_plugin(...)]` to that kind"
)]
pub trait QualityPlugin: PluginMetadata {
    /// Runs the named suite against a data source (`options`: timeout, connection).
    fn run_checks(
        &self,
        suite_name: &str,
        data_source: &str,
        options: &Map<String, Value>,
    ) -> Result<QualitySuiteResult, PluginError> {
        let _ = (suite_name, data_source, options);
        Err(unsupported(self, "run_checks"))
    }

    /// Runs an explicit suite.
    fn run_suite(
        &self,
        suite: &QualitySuite,
        connection_config: &Map<String, Value>,
    ) -> Result<QualitySuiteResult, PluginError> {
        let _ = (suite, connection_config);
        Err(unsupported(self, "run_suite"))
    }

    /// Runs ad-hoc expectations against a data source.
    fn validate_expectations(
        &self,
        data_source: &str,
        expectations: &[Value],
    ) -> Result<Vec<QualityCheckResult>, PluginError> {
        let _ = (data_source, expectations);
        Err(unsupported(self, "validate_expectations"))
    }

    /// The suites the plugin knows.
    fn list_suites(&self) -> Result<Vec<String>, PluginError> {
        Err(unsupported(self, "list_suites"))
    }

    /// Whether the plugin can check data of this SQL dialect. Default: none.
    fn supports_dialect(&self, dialect: &str) -> bool {
        let _ = dialect;
        false
    }

    /// Checks that `config` selects this plugin: `Provider mismatch: expected '<name>',
    /// got '<provider>'` when it does not.
    fn validate_config(&self, config: &QualityConfig) -> QualityValidationResult {
        if config.provider == self.name() {
            QualityValidationResult {
                success: true,
                ..QualityValidationResult::default()
            }
        } else {
            QualityValidationResult {
                success: false,
                errors: vec![format!(
                    "Provider mismatch: expected '{}', got '{}'",
                    self.name(),
                    config.provider
                )],
                warnings: Vec::new(),
            }
        }
    }

    /// floe's quality gates over dbt-style model dicts: [`crate::quality::validate_quality_gates`].
    fn validate_quality_gates(&self, models: &[Value], gates: &QualityGates) -> GateResult {
        crate::quality::validate_quality_gates(models, gates)
    }

    /// floe's three-layer score: [`crate::quality::calculate_quality_score`].
    fn calculate_quality_score(
        &self,
        results: &QualitySuiteResult,
        config: &QualityConfig,
    ) -> QualityScore {
        crate::quality::calculate_quality_score(results, config)
    }

    /// The OpenLineage data quality facet of some results: [`crate::quality::quality_facets`].
    fn get_quality_facets(&self, results: &[QualityCheckResult]) -> Value {
        crate::quality::quality_facets(results)
    }

    /// A check as the tool's expectation: `{name, type, column, parameters}`.
    fn map_check_to_expectation(&self, check: &QualityCheck) -> Value {
        json!({
            "name": check.name,
            "type": check.check_type,
            "column": check.column,
            "parameters": check.parameters,
        })
    }

    lifecycle_hooks!();
}
