//! OpenLineage data quality facets.

use serde_json::{Value, json};

use super::QualityCheckResult;

/// The schema URL of the facet [`quality_facets`] builds.
pub const QUALITY_FACET_SCHEMA_URL: &str =
    "https://openlineage.io/spec/facets/1-0-0/DataQualityAssertionsDatasetFacet.json";

/// The deprecation text of `get_lineage_emitter`.
pub const DEPRECATED_LINEAGE_EMITTER: &str = "get_lineage_emitter() is deprecated. Quality lineage now flows through the unified LineageEmitter. Use get_quality_facets() instead.";

/// The DataQualityAssertions facet of some results: `{}` for none, else one assertion
/// per result (`column` is always null, as in floe).
///
/// ```
/// use floe_interfaces::quality::*;
/// assert_eq!(quality_facets(&[]), serde_json::json!({}));
/// let r = QualityCheckResult::new("c", true, Dimension::Validity, SeverityLevel::Info);
/// assert_eq!(quality_facets(&[r])["assertions"][0]["assertion"], "c");
/// ```
pub fn quality_facets(results: &[QualityCheckResult]) -> Value {
    if results.is_empty() {
        return json!({});
    }
    let assertions: Vec<Value> = results
        .iter()
        .map(|r| json!({"assertion": r.check_name, "success": r.passed, "column": null}))
        .collect();
    json!({
        "_producer": "floe",
        "_schemaURL": QUALITY_FACET_SCHEMA_URL,
        "assertions": assertions,
    })
}
