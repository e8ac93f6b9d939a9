//! Config warnings: lax values read as published floe reads them, and fields published
//! floe refuses. Each pinned with its exact path, line and message.

use floe_registry::PluginRegistry;

use super::{Problem, Report, Severity, check_document};
use crate::manifest;

const HEADER: &str = "apiVersion: floe.dev/v1\nkind: Manifest\nmetadata: {name: acme, version: 1.0.0, owner: data@acme.example}\n";

const POLARIS: &str = "  catalog:\n    type: polaris\n    config:\n      uri: http://polaris:8181/api/catalog\n      warehouse: demo\n      oauth2: {client_id: a, client_secret: b, token_url: \"http://polaris:8181/t\"}\n";

fn check(body: &str) -> Report {
    check_document(
        PluginRegistry::global(),
        &manifest::parse(&format!("{HEADER}{body}")).expect("parses"),
    )
}

/// Every problem: path, line, severity, kind and message.
fn problems(report: &Report) -> Vec<(&str, Option<u64>, Severity, &str, &str)> {
    report
        .problems
        .iter()
        .map(|p: &Problem| {
            (
                p.path.as_str(),
                p.line,
                p.severity,
                p.kind,
                p.message.as_str(),
            )
        })
        .collect()
}

#[test]
fn each_lax_value_is_a_warning_naming_the_plugin_the_field_and_what_it_became() {
    let report = check(&format!(
        "plugins:\n{POLARIS}      max_retries: \"3\"\n      credential_vending_enabled: \"yes\"\n      connect_timeout_seconds: 5.0\n"
    ));
    assert_eq!(
        problems(&report),
        [
            (
                "plugins.catalog.config.max_retries",
                Some(11),
                Severity::Warning,
                "lax_value",
                "plugin `catalog:polaris`: a string, read as the integer 3 (pydantic's lax mode, as floe 0.1.0a1 reads plugin configs); write `3` to say so plainly"
            ),
            (
                "plugins.catalog.config.credential_vending_enabled",
                Some(12),
                Severity::Warning,
                "lax_value",
                "plugin `catalog:polaris`: a string, read as the boolean true (pydantic's lax mode, as floe 0.1.0a1 reads plugin configs); write `true` to say so plainly"
            ),
            (
                "plugins.catalog.config.connect_timeout_seconds",
                Some(13),
                Severity::Warning,
                "lax_value",
                "plugin `catalog:polaris`: a number with no fractional part, read as the integer 5 (pydantic's lax mode, as floe 0.1.0a1 reads plugin configs); write `5` to say so plainly"
            ),
        ]
    );
    assert!(!report.has_errors());
}

#[test]
fn a_lax_value_out_of_bounds_is_an_error_on_the_value_read() {
    let report = check(&format!(
        "plugins:\n{POLARIS}      connect_timeout_seconds: \"0\"\n"
    ));
    assert_eq!(
        problems(&report),
        [(
            "plugins.catalog.config.connect_timeout_seconds",
            Some(11),
            Severity::Error,
            "config",
            "must be >= 1"
        )]
    );
}

#[test]
fn a_polaris_field_published_floe_refuses_is_a_warning() {
    let report = check(&format!(
        "plugins:\n{POLARIS}      health_check_timeout_seconds: 2\n"
    ));
    assert_eq!(
        problems(&report),
        [(
            "plugins.catalog.config.health_check_timeout_seconds",
            Some(11),
            Severity::Warning,
            "unportable_field",
            "floe 0.1.0a1 rejects this field: this floe's plugin `catalog:polaris` accepts it, but `floe platform compile` there fails on a manifest that sets it (COMPOSITION_PLUGIN_CONFIG_INVALID); remove it where the manifest must also work with floe 0.1.0a1"
        )]
    );
}

#[test]
fn dlts_fields_published_floe_refuses_are_warnings() {
    let report = check(
        "plugins:\n  ingestion:\n    type: dlt\n    config:\n      sources:\n        - {name: orders, source_type: rest_api, source_config: {}, destination_table: raw.orders}\n      catalog_config: {uri: http://polaris:8181}\n      destination: {type: duckdb, path: lake.duckdb}\n      runner: {python: python3}\n",
    );
    let warned: Vec<(&str, &str)> = report
        .problems
        .iter()
        .filter(|p| p.kind == "unportable_field")
        .map(|p| (p.path.as_str(), p.message.split(':').next().unwrap_or("")))
        .collect();
    assert_eq!(
        warned,
        [
            (
                "plugins.ingestion.config.catalog_config",
                "floe 0.1.0a1 rejects this field"
            ),
            (
                "plugins.ingestion.config.destination",
                "floe 0.1.0a1 rejects this field"
            ),
            (
                "plugins.ingestion.config.runner",
                "floe 0.1.0a1 rejects this field"
            ),
        ],
        "{:#?}",
        report.problems
    );
}

#[test]
fn a_config_in_its_schema_types_has_no_warnings() {
    let report = check(&format!(
        "plugins:\n{POLARIS}      max_retries: 3\n      credential_vending_enabled: true\n"
    ));
    assert!(report.problems.is_empty(), "{:#?}", report.problems);
}

#[test]
fn a_quality_severity_weight_of_another_key_is_refused_with_floes_text() {
    let report = check(
        "plugins:\n  quality:\n    provider: great_expectations\n    calculation:\n      severity_weights: {critical: 3.0, blocker: 9}\n",
    );
    let errors: Vec<(&str, &str)> = report
        .problems
        .iter()
        .filter(|p| p.severity == Severity::Error)
        .map(|p| (p.path.as_str(), p.message.as_str()))
        .collect();
    assert_eq!(
        errors,
        [(
            "plugins.quality.calculation.severity_weights.blocker",
            "Input should be 'critical', 'warning' or 'info'"
        )]
    );
}
