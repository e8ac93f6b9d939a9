//! `floe secrets scan` end to end with the real `floe` binary: masked findings, exit
//! codes 1/0/2 and the `--json` shape.

#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::process::{Command, Output};

const SECRET: &str = "AKIAQWERTYUIOPASDFGH";

fn floe(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_floe"))
        .args(args)
        .env("NO_COLOR", "1")
        .output()
        .expect("floe runs")
}

fn tree(root: &Path) {
    std::fs::create_dir_all(root.join("src")).unwrap();
    std::fs::create_dir_all(root.join("vendor")).unwrap();
    std::fs::write(root.join("src/aws.py"), format!("KEY = '{SECRET}'\n")).unwrap();
    std::fs::write(root.join("vendor/x.py"), format!("KEY = '{SECRET}'\n")).unwrap();
}

#[test]
fn findings_are_printed_masked_and_exit_1() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = floe(&[
        "secrets",
        "scan",
        dir.path().to_str().unwrap(),
        "--exclude",
        "vendor",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{stdout}");
    assert!(stdout.contains("src/aws.py:1"), "{stdout}");
    assert!(
        stdout.contains("E601") && stdout.contains("aws_access_key"),
        "{stdout}"
    );
    assert!(stdout.contains("KEY = 'AKIA********'"), "{stdout}");
    assert!(
        !stdout.contains(SECRET),
        "the secret is printed in full: {stdout}"
    );
    assert!(!stdout.contains("vendor/x.py"), "{stdout}");
}

#[test]
fn a_clean_tree_exits_0() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("ok.py"), "print('hello')\n").unwrap();
    let out = floe(&["secrets", "scan", dir.path().to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("no secrets found"));
}

#[test]
fn a_bad_path_exits_2() {
    let out = floe(&["secrets", "scan", "/nonexistent/floe/scan/path"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot scan /nonexistent/floe/scan/path")
    );
}

#[test]
fn json_is_an_array_of_findings() {
    let dir = tempfile::tempdir().unwrap();
    tree(dir.path());
    let out = floe(&["secrets", "scan", dir.path().to_str().unwrap(), "--json"]);
    assert_eq!(out.status.code(), Some(1));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(!stdout.contains(SECRET), "{stdout}");
    let findings: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let first = &findings[0];
    assert_eq!(findings.as_array().unwrap().len(), 2);
    assert_eq!(first["file_path"], "src/aws.py");
    assert_eq!(first["line_number"], 1);
    assert_eq!(first["pattern_name"], "aws_access_key");
    assert_eq!(first["error_code"], "E601");
    assert_eq!(first["severity"], "error");
    assert_eq!(first["matched_content"], "KEY = 'AKIA********'");
}

#[test]
fn an_unknown_scanner_is_a_usage_error() {
    let dir = tempfile::tempdir().unwrap();
    let out = floe(&[
        "secrets",
        "scan",
        dir.path().to_str().unwrap(),
        "--scanner",
        "nope",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("builtin"));
}
