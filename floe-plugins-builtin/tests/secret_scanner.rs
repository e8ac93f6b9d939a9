//! The secret scanner `builtin`: each pattern on a fixture tree the test writes, the
//! finding order, excluded folders, binary and non-UTF-8 files skipped, and secrets
//! never shown in full.

#![allow(clippy::unwrap_used)]

mod support;

use std::path::Path;

use floe_registry::prelude::*;
use floe_registry::secret_scan::SecretSeverity;
use serde_json::json;
use support::canary::CANARY;

fn configured(config: serde_json::Value) -> PluginRegistry {
    let registry = support::registry::registry();
    registry
        .configure(PluginType::SecretScanner, "builtin", config)
        .unwrap();
    registry
}

fn fixture_tree(root: &Path) {
    let w = |rel: &str, bytes: &[u8]| {
        let p = root.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
    };
    w("app/aws.py", b"import os\nKEY = 'AKIAABCDEFGHIJKLMNOP'\n");
    w(
        "app/db.yaml",
        format!("user: floe\npassword: \"{CANARY}\"\n").as_bytes(),
    );
    w("app/token.env", b"API_TOKEN=ghp_abcdefghijklmnop1234\n");
    w("keys/id_rsa", b"-----BEGIN RSA PRIVATE KEY-----\nMIIE\n");
    w("app/random.py", b"seed = \"q8Zr4Lp2Xv9Kt6Wm3Yb7\"\n");
    w("vendor/lib/aws.py", b"KEY = 'AKIAZZZZZZZZZZZZZZZZ'\n");
    w("app/blob.bin", b"AKIAABCDEFGHIJKLMNOP\0\x01\x02");
    w("app/latin1.txt", b"password = \"caf\xe9-secret\"\n");
}

#[test]
fn schema_matches_the_snapshot() {
    support::schema::assert_schema_snapshot(PluginType::SecretScanner, "builtin");
}

#[test]
fn supported_patterns_are_the_four_then_custom_then_entropy() {
    let registry = configured(
        json!({"custom_patterns": [{"name": "slack", "regex": "xox[bp]-[0-9a-z-]+", "error_code": "E610"}]}),
    );
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    assert_eq!(
        scanner.get_supported_patterns(),
        [
            "aws_access_key",
            "hardcoded_password",
            "api_token",
            "private_key",
            "slack",
            "high_entropy"
        ]
    );
}

#[test]
fn a_tree_is_scanned_pattern_by_pattern_skipping_excluded_binary_and_non_utf8_files() {
    let dir = tempfile::tempdir().unwrap();
    fixture_tree(dir.path());
    let registry = support::registry::registry();
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    let findings = scanner
        .scan_directory(dir.path(), &["vendor".to_owned()])
        .unwrap();
    let got: Vec<(&str, u32, &str, &str)> = findings
        .iter()
        .map(|f| {
            (
                f.file_path.as_str(),
                f.line_number,
                f.pattern_name.as_str(),
                f.error_code.as_str(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            ("app/aws.py", 2, "aws_access_key", "E601"),
            ("app/db.yaml", 2, "hardcoded_password", "E602"),
            ("app/random.py", 1, "high_entropy", "E605"),
            ("app/token.env", 1, "api_token", "E603"),
            ("keys/id_rsa", 1, "private_key", "E604"),
        ],
        "file by file in path order; vendor/, blob.bin and latin1.txt skipped"
    );
    assert!(
        findings
            .iter()
            .all(|f| f.severity == SecretSeverity::Error && !f.allow_secrets)
    );
}

#[test]
fn excludes_match_from_the_right() {
    let dir = tempfile::tempdir().unwrap();
    fixture_tree(dir.path());
    let registry = support::registry::registry();
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    let findings = scanner
        .scan_directory(dir.path(), &["*.py".to_owned(), "app/*.env".to_owned()])
        .unwrap();
    let files: Vec<&str> = findings.iter().map(|f| f.file_path.as_str()).collect();
    assert_eq!(files, ["app/db.yaml", "keys/id_rsa"]);
}

#[test]
fn findings_show_the_line_with_the_secret_masked() {
    let dir = tempfile::tempdir().unwrap();
    fixture_tree(dir.path());
    let registry = support::registry::registry();
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    let findings = scanner.scan_directory(dir.path(), &[]).unwrap();
    let text = serde_json::to_string(&findings).unwrap();
    assert!(!text.contains(CANARY), "a secret shown in full: {text}");
    assert!(!text.contains("AKIAABCDEFGHIJKLMNOP"), "{text}");
    let db = findings
        .iter()
        .find(|f| f.pattern_name == "hardcoded_password")
        .unwrap();
    assert_eq!(db.matched_content, "password: \"cana********\"");
    let key = findings
        .iter()
        .find(|f| f.pattern_name == "private_key")
        .unwrap();
    assert_eq!(
        key.matched_content, "-----BEGIN RSA PRIVATE KEY-----",
        "a header is no secret"
    );
}

#[test]
fn custom_patterns_come_after_the_built_ins_and_allow_secrets_makes_warnings() {
    let registry = configured(json!({
        "allow_secrets": true,
        "custom_patterns": [{"name": "slack", "regex": "(?P<secret>xoxb-[0-9a-z-]+)", "error_code": "E610"}]
    }));
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    let findings = scanner
        .scan_file(
            Path::new("bot.cfg"),
            "t = xoxb-123-abc\nKEY = 'AKIAABCDEFGHIJKLMNOP'\n",
        )
        .unwrap();
    let got: Vec<(&str, u32)> = findings
        .iter()
        .map(|f| (f.error_code.as_str(), f.line_number))
        .collect();
    assert_eq!(got, [("E601", 2), ("E610", 1)]);
    assert_eq!(findings[1].matched_content, "t = ********");
    assert!(
        findings
            .iter()
            .all(|f| f.severity == SecretSeverity::Warning && f.allow_secrets)
    );
}

#[test]
fn invalid_custom_patterns_are_reported() {
    let registry = configured(
        json!({"custom_patterns": [{"name": "bad", "regex": "(", "error_code": "E610"}]}),
    );
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    let e = scanner
        .scan_file(Path::new("x"), "")
        .unwrap_err()
        .to_string();
    assert!(e.contains("custom_patterns.0 ('bad')"), "{e}");
    let registry = configured(
        json!({"custom_patterns": [{"name": "code", "regex": "x", "error_code": "E700"}]}),
    );
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    assert!(scanner.scan_file(Path::new("x"), "").is_err());
}

#[test]
fn low_entropy_and_short_values_are_not_secrets() {
    let registry = support::registry::registry();
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>("builtin")
        .unwrap();
    let findings = scanner
        .scan_file(
            Path::new("a.py"),
            "name = \"aaaaaaaaaaaaaaaaaaaaaaaa\"\nx = \"Zq8\"\n",
        )
        .unwrap();
    assert!(findings.is_empty(), "{findings:?}");
}
