//! Today's manifests: the quality block, the implied dbt default, top-level sections,
//! scope rules and severities. Each bad input is pinned with its exact message. These
//! tests link every built-in.

use floe_registry::PluginRegistry;

use super::{Problem, Report, Severity, check_document, render};
use crate::manifest;
use crate::output::Style;

const HEADER: &str = "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: acme, version: 1.0.0, owner: data@acme.example}\n";

fn check(body: &str) -> Report {
    let text = format!("{HEADER}{body}");
    check_document(
        PluginRegistry::global(),
        &manifest::parse(&text).expect("parses"),
    )
}

/// The only problem of `body`: its path, severity and message.
fn only(body: &str) -> (String, Severity, String) {
    let report = check(body);
    assert_eq!(
        report.problems.len(),
        1,
        "one problem in {body:?}: {:#?}",
        report.problems
    );
    let Problem {
        path,
        severity,
        message,
        ..
    } = report.problems[0].clone();
    (path, severity, message)
}

fn error(path: &str, message: &str) -> (String, Severity, String) {
    (path.to_owned(), Severity::Error, message.to_owned())
}

fn warning(path: &str, message: &str) -> (String, Severity, String) {
    (path.to_owned(), Severity::Warning, message.to_owned())
}

#[test]
fn floes_demo_manifest_passes_with_one_warning_for_the_marquez_pin() {
    let text = include_str!("../../tests/manifests/floe-demo.yaml");
    let report = check_document(
        PluginRegistry::global(),
        &manifest::parse(text).expect("parses"),
    );
    assert!(!report.has_errors(), "{:#?}", report.problems);
    assert_eq!(report.count(Severity::Warning), 1, "{:#?}", report.problems);
    let pin = &report.problems[0];
    assert_eq!(
        (pin.path.as_str(), pin.kind),
        ("plugins.lineage_backend.version", "version_mismatch")
    );
    assert_eq!(report.selected.len(), 5);
    let shown = render("demo.yaml", &report, Style::plain());
    assert!(shown.contains("demo.yaml:41:5: warning: plugins.lineage_backend.version: the installed marquez is version 0.20.0, which does not satisfy `0.1.0`"), "{shown}");
    assert!(shown.ends_with("no problems, 1 warning; 5 plugins selected (startup order: compute/duckdb, orchestrator/dagster, catalog/polaris, storage/s3, lineage_backend/marquez)\n"), "{shown}");
}

#[test]
fn a_quality_block_is_the_quality_config() {
    let report = check(
        "plugins:\n  quality:\n    provider: great_expectations\n    quality_gates: {gold: {min_test_coverage: 95}}\n    dimension_weights: {completeness: 0.3, accuracy: 0.2}\n    calculation: {baseline_score: 60}\n    thresholds: {min_score: 60, warn_score: 80}\n    check_timeout_seconds: 120\n    enabled: true\n",
    );
    assert!(!report.has_errors(), "{:#?}", report.problems);
}

#[test]
fn an_uninstalled_provider_floe_accepts_is_a_warning() {
    assert_eq!(
        only("plugins:\n  quality: {provider: soda}\n"),
        warning(
            "plugins.quality.provider",
            "floe accepts the provider `soda`, but no quality plugin of that name is installed in this floe (installed: dbt_expectations, great_expectations)"
        )
    );
}

#[test]
fn an_unknown_provider_is_dq001_with_a_suggestion() {
    assert_eq!(
        only("plugins:\n  quality: {provider: great_expectation}\n"),
        error(
            "plugins.quality.provider",
            "[FLOE-DQ001] Invalid quality provider 'great_expectation'. Available providers: [dbt_expectations, great_expectations, soda]. Resolution: Check manifest.yaml plugins.quality.provider; valid providers: dbt_expectations, great_expectations, soda (did you mean `great_expectations`?)"
        )
    );
}

#[test]
fn quality_weights_must_sum_to_one() {
    assert_eq!(
        check("plugins:\n  quality: {provider: soda, dimension_weights: {completeness: 0.35}}\n")
            .problems
            .iter()
            .filter(|p| p.severity == Severity::Error)
            .map(|p| (p.path.as_str(), p.message.as_str()))
            .collect::<Vec<_>>(),
        [(
            "plugins.quality.dimension_weights",
            "Dimension weights must sum to 1.0, got 1.1"
        )]
    );
}

#[test]
fn quality_bounds_are_checked_at_their_paths() {
    assert_eq!(
        check("plugins:\n  quality: {provider: great_expectations, check_timeout_seconds: 4000, quality_gates: {silver: {min_score: 101}}}\n")
            .problems
            .iter()
            .map(|p| (p.path.as_str(), p.message.as_str()))
            .filter(|(p, _)| *p != "plugins.quality.provider")
            .collect::<Vec<_>>(),
        [
            ("plugins.quality.quality_gates.silver.min_score", "must be between 0 and 100, got 101"),
            ("plugins.quality.check_timeout_seconds", "must be between 1 and 3600, got 4000"),
        ]
    );
}

#[test]
fn quality_unknown_keys_are_refused_at_every_level() {
    assert_eq!(
        only("plugins:\n  quality: {provider: soda, quality_gates: {gold: {min_coverage: 90}}}\n"),
        error(
            "plugins.quality.quality_gates.gold.min_coverage",
            "unknown key `min_coverage`; allowed here: min_score, min_test_coverage, overridable, required_tests"
        )
    );
    assert_eq!(
        only("plugins:\n  quality: {provider: soda, tresholds: {}}\n").2,
        "unknown key `tresholds` (did you mean `thresholds`?); allowed here: calculation, check_timeout_seconds, dimension_weights, enabled, provider, quality_gates, thresholds"
    );
    assert_eq!(
        only("plugins:\n  quality: {type: soda}\n").0,
        "plugins.quality.type"
    );
}

#[test]
fn quality_without_provider_is_an_error() {
    let (path, severity, message) = only("plugins:\n  quality: {enabled: false}\n");
    assert_eq!(
        (path.as_str(), severity),
        ("plugins.quality", Severity::Error)
    );
    assert_eq!(message, "invalid quality config: missing field `provider`");
}

#[test]
fn a_missing_dbt_means_core() {
    let report = check("plugins:\n  compute: {type: duckdb}\n");
    assert!(
        report.problems.is_empty(),
        "dbt core is linked: {:#?}",
        report.problems
    );
}

#[test]
fn unknown_sections_warn_and_environment_keys_fail() {
    assert_eq!(
        only("monitoring: {enabled: true}\nplugins: {}\n"),
        warning(
            "monitoring",
            "unknown top-level section `monitoring`: floe keeps it but ignores it (a newer manifest version, or a typo)"
        )
    );
    assert_eq!(
        only("governence: {}\nplugins: {}\n").2,
        "unknown top-level section `governence` (did you mean `governance`?): floe keeps it but ignores it (a newer manifest version, or a typo)"
    );
    assert_eq!(
        only("env_overrides: {prod: {}}\nplugins: {}\n"),
        error(
            "env_overrides",
            "floe rejects environment-specific keys (env_overrides, environments, environment, env, dev, staging, prod, production, target_env, floe_env): the same manifest serves every environment; keep per-environment values outside it"
        )
    );
}

#[test]
fn scope_rules() {
    assert_eq!(
        only("approved_plugins: {compute: [duckdb]}\nplugins: {}\n"),
        error(
            "approved_plugins",
            "`approved_plugins` is allowed only in a manifest with `scope: enterprise`; this one has no scope"
        )
    );
    assert_eq!(
        only("scope: enterprise\nparent_manifest: x\nplugins: {}\n"),
        error(
            "parent_manifest",
            "`parent_manifest` is allowed only in a manifest with `scope: domain`; this one has `scope: enterprise`"
        )
    );
    assert_eq!(
        only("scope: domain\nparent_manifest: x\napproved_sinks: [rest_api]\nplugins: {}\n"),
        error(
            "approved_sinks",
            "`approved_sinks` is allowed only in a manifest with `scope: enterprise`; this one has `scope: domain`"
        )
    );
    assert_eq!(
        only("scope: enterprise\napproved_products: [orders]\nplugins: {}\n"),
        error(
            "approved_products",
            "`approved_products` is allowed only in a manifest with `scope: domain`; this one has `scope: enterprise`"
        )
    );
    assert_eq!(
        only("scope: domain\nplugins: {}\n"),
        error(
            "scope",
            "a `scope: domain` manifest needs `parent_manifest`: the enterprise manifest it inherits from"
        )
    );
    assert_eq!(
        only("scope: global\nplugins: {}\n"),
        error(
            "scope",
            "must be `enterprise`, `domain` or null; found `global`"
        )
    );
}

#[test]
fn a_selection_outside_the_whitelist_names_category_and_approved_names() {
    assert_eq!(
        only(
            "scope: enterprise\napproved_plugins: {compute: [spark, trino]}\nplugins:\n  compute: {type: duckdb}\n"
        ),
        error(
            "plugins.compute.type",
            "Plugin 'duckdb' is not in the approved whitelist for category 'compute'. Approved plugins: [spark, trino]"
        )
    );
    assert!(check("scope: enterprise\napproved_plugins: {compute: [duckdb]}\napproved_sinks: [rest_api]\nplugins:\n  compute: {type: duckdb}\n").problems.is_empty());
}

#[test]
fn new_types_without_a_manifest_key_are_unknown_categories() {
    let (path, _, message) = only("plugins:\n  rbac: {type: k8s}\n");
    assert_eq!(path, "plugins.rbac");
    assert!(
        message.starts_with("unknown plugin category `rbac`"),
        "{message}"
    );
    assert!(message.ends_with("valid categories: compute, orchestrator, catalog, storage, semantic_layer, ingestion, secrets, telemetry_backend, lineage_backend, identity, dbt, quality"), "{message}");
}

#[test]
fn a_version_pin_the_plugin_does_not_satisfy_is_a_warning() {
    let (path, severity, message) =
        only("plugins:\n  compute: {type: duckdb, version: \"9.0.0\"}\n");
    assert_eq!(
        (path.as_str(), severity),
        ("plugins.compute.version", Severity::Warning)
    );
    assert!(
        message.ends_with("floe checks only the pin's format, so it runs anyway"),
        "{message}"
    );
}
