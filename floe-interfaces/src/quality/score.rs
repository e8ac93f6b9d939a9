//! The three-layer quality score: dimension scores, their weighted sum, then capping
//! around a baseline.

use std::collections::BTreeMap;

use super::{Dimension, QualityConfig, QualityScore, QualitySuiteResult};

/// floe's default score of a suite's results.
///
/// 1. Each dimension scores the severity-weighted share of its passed checks × 100
///    (weights from `calculation.severity_weights`, 1.0 for a severity not listed);
///    a dimension whose weights total zero (no checks, or weights that cancel) scores
///    100; a negative total divides like any other, as in floe.
/// 2. The raw score is the sum of dimension scores × `dimension_weights`.
/// 3. With baseline B, +P and −N: at or above B the score moves up by
///    (raw−B)/(100−B)·P (0 when B = 100), below it down by (B−raw)/B·N (0 when B = 0);
///    it is clamped to [B−N, B+P], then to [0, 100].
///
/// With no checks at all every score is 100. With the defaults raw 100 → 100, raw 0 → 20
/// and raw 85 → 85.
///
/// ```
/// use floe_interfaces::quality::*;
/// let config = QualityConfig::new("great_expectations");
/// let failing = QualityCheckResult::new("c", false, Dimension::Completeness, SeverityLevel::Critical);
/// let score = calculate_quality_score(&QualitySuiteResult::new("s", "m", false, vec![failing]), &config);
/// // completeness 0, the other four 100: raw 75 -> 70 + 5/30·30 = 75
/// assert!((score.overall - 75.0).abs() < 1e-9);
/// ```
pub fn calculate_quality_score(
    results: &QualitySuiteResult,
    config: &QualityConfig,
) -> QualityScore {
    let passed = results.checks.iter().filter(|c| c.passed).count() as u64;
    let failed = results.checks.len() as u64 - passed;
    let mut score = QualityScore {
        overall: 100.0,
        dimension_scores: Dimension::ALL.iter().map(|d| (*d, 100.0)).collect(),
        checks_passed: passed,
        checks_failed: failed,
        dbt_tests_passed: 0,
        dbt_tests_failed: 0,
        model_name: results.model_name.clone(),
        timestamp: None,
    };
    if results.checks.is_empty() {
        return score;
    }
    let weights = &config.calculation.severity_weights;
    let mut totals: BTreeMap<Dimension, (f64, f64)> = BTreeMap::new();
    for check in &results.checks {
        let w = weights.get(check.severity.as_str()).copied().unwrap_or(1.0);
        let entry = totals.entry(check.dimension).or_insert((0.0, 0.0));
        entry.1 += w;
        if check.passed {
            entry.0 += w;
        }
    }
    for (dimension, (passed_w, total_w)) in totals {
        // floe divides whenever the total is not zero, negative totals included.
        let value = if total_w != 0.0 {
            passed_w / total_w * 100.0
        } else {
            100.0
        };
        score.dimension_scores.insert(dimension, value);
    }
    let raw: f64 = score
        .dimension_scores
        .iter()
        .map(|(d, s)| s * config.dimension_weights.of(*d))
        .sum();
    score.overall = cap(raw, config);
    score
}

fn cap(raw: f64, config: &QualityConfig) -> f64 {
    let b = f64::from(config.calculation.baseline_score);
    let p = f64::from(config.calculation.max_positive_influence);
    let n = f64::from(config.calculation.max_negative_influence);
    let delta = if raw >= b {
        if b >= 100.0 {
            0.0
        } else {
            (raw - b) / (100.0 - b) * p
        }
    } else if b <= 0.0 {
        0.0
    } else {
        -(b - raw) / b * n
    };
    (b + delta).clamp(b - n, b + p).clamp(0.0, 100.0)
}
