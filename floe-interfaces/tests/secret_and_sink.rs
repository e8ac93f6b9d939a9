//! Secret findings and the sink config's limits.

use std::collections::BTreeMap;

use floe_interfaces::secret_scan::*;
use floe_interfaces::sink::*;
use floe_interfaces::{Validate, from_value};
use serde_json::{Map, Value, json};

#[test]
fn a_finding_has_floes_defaults() {
    let f: SecretFinding = from_value(json!({
        "file_path": "a.py", "line_number": 1, "pattern_name": "api_token",
        "error_code": "E603", "matched_content": "TOKEN = 'x'"
    }))
    .expect("valid");
    assert_eq!(
        (f.severity, f.confidence, f.allow_secrets),
        (SecretSeverity::Error, Confidence::High, false)
    );
    assert_eq!(f.match_context, "");
}

#[test]
fn a_finding_needs_a_line_from_one() {
    let mut f = SecretFinding::new("a.py", 0, "aws_access_key", "E701", "x");
    assert_eq!(
        f.validate().expect_err("bad").to_string(),
        "line_number: Input should be greater than or equal to 1"
    );
    f.line_number = 1;
    assert!(f.validate().is_ok(), "any error code, as floe");
    assert!(from_value::<SecretFinding>(json!({"file_path": "a", "line_number": 1, "pattern_name": "p", "error_code": "E601", "matched_content": "", "severity": "critical"})).is_err());
}

#[test]
fn a_custom_pattern_needs_a_valid_regex_and_code() {
    let p: Result<SecretPattern, _> =
        from_value(json!({"name": "internal", "regex": "(", "error_code": "E650"}));
    assert!(
        p.expect_err("regex")
            .to_string()
            .starts_with("regex: Invalid regex:")
    );
    assert!(
        from_value::<SecretPattern>(
            json!({"name": "internal", "regex": "tok_[a-z]+", "error_code": "E650"})
        )
        .is_ok()
    );
    for (code, ok) in [
        ("E600", true),
        ("E699", true),
        ("E6100", false),
        ("e610", false),
        ("E610\n", false),
    ] {
        let p = from_value::<SecretPattern>(
            json!({"name": "", "regex": "x", "description": "", "error_code": code}),
        );
        assert_eq!(p.is_ok(), ok, "{code}");
    }
    assert_eq!(
        from_value::<SecretPattern>(json!({"name": "x", "regex": "x", "error_code": "E7"}))
            .expect_err("code")
            .to_string(),
        r"error_code: String should match pattern '^E6\d{2}$'"
    );
}

#[test]
fn sink_type_must_not_be_blank() {
    assert_eq!(
        SinkConfig::try_new("  ").expect_err("blank").to_string(),
        "sink_type must be a non-empty string"
    );
    assert_eq!(
        SinkConfig::try_new("rest_api").expect("ok").sink_type(),
        "rest_api"
    );
}

#[test]
fn connection_config_has_at_most_fifty_keys() {
    let keys = |n: usize| {
        (0..n)
            .map(|i| (format!("k{i}"), Value::Null))
            .collect::<Map<_, _>>()
    };
    assert!(
        SinkConfig::new("s")
            .with_connection_config(keys(50))
            .is_ok()
    );
    assert_eq!(
        SinkConfig::new("s")
            .with_connection_config(keys(51))
            .expect_err("51")
            .to_string(),
        "connection_config has 51 keys, max 50"
    );
}

#[test]
fn mapped_destinations_are_identifiers() {
    let map = BTreeMap::from([("email".to_owned(), "e-mail".to_owned())]);
    assert_eq!(
        SinkConfig::new("s")
            .with_field_mapping(map)
            .expect_err("dash")
            .to_string(),
        "field_mapping destination 'e-mail' for source 'email' must be a valid identifier (alphanumeric + underscore)"
    );
    let ok = BTreeMap::from([("email".to_owned(), "contact_email".to_owned())]);
    assert!(SinkConfig::new("s").with_field_mapping(ok).is_ok());
}

#[test]
fn batch_size_is_one_to_one_hundred_thousand() {
    assert_eq!(
        SinkConfig::new("s")
            .with_batch_size(0)
            .expect_err("0")
            .to_string(),
        "batch_size must be >= 1, got 0"
    );
    assert_eq!(
        SinkConfig::new("s")
            .with_batch_size(100_001)
            .expect_err("big")
            .to_string(),
        "batch_size must be <= 100_000, got 100001"
    );
    assert_eq!(
        SinkConfig::new("s")
            .with_batch_size(100_000)
            .expect("max")
            .batch_size(),
        Some(100_000)
    );
}

#[test]
fn egress_result_defaults() {
    let r: EgressResult = serde_json::from_value(json!({"success": true})).expect("shape");
    assert_eq!(
        (r.rows_delivered, r.bytes_transmitted, r.duration_seconds),
        (0, 0, 0.0)
    );
    assert!(r.destination_record_ids.is_empty() && r.errors.is_empty() && r.checksum.is_empty());
}
