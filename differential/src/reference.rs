//! Published floe, run: a test's Python script over a batch of inputs, in the pinned
//! environment of floe-core 0.1.0a1 and its plugin packages
//! (`floe-python/tests/published-requirements.txt`, created under `target/` on first
//! use and shared with floe-python's tests).
//!
//! One interpreter per batch: the script reads a JSON array from standard input and
//! writes one JSON array of the same length to standard output. A case that raises in
//! floe should be caught by the script and written as data (for example
//! `{"raised": "TypeError", "message": "..."}`), so the comparison can see it.

#![allow(dead_code)] // the shared venv module serves other crates' tests too

#[path = "../../floe-plugins-builtin/tests/python_tools/venv.rs"]
mod venv;

use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::OnceLock;

use serde_json::Value;

pub use venv::PythonEnv;

/// The pinned requirements of the published packages.
pub const PUBLISHED: &str = include_str!("../../floe-python/tests/published-requirements.txt");

/// Lines every reference script starts with: floe's structlog and logging silenced, so
/// that standard output carries only the answer.
pub const PRELUDE: &str = r#"
import json, logging, sys
logging.disable(logging.CRITICAL)
import structlog
structlog.configure(wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL))
"#;

/// The environment of the published packages. Panics (a test failure, never a skip)
/// with the reason when it cannot be created.
pub fn published() -> &'static PythonEnv {
    static ENV: OnceLock<Result<PythonEnv, String>> = OnceLock::new();
    match ENV.get_or_init(|| venv::pinned_env("floe-published", PUBLISHED)) {
        Ok(env) => env,
        Err(e) => panic!("the differential tests need the published floe packages: {e}"),
    }
}

/// Runs [`PRELUDE`] followed by `script` in the published environment with `inputs`
/// (a JSON array) on standard input, and returns the JSON array it prints.
///
/// Panics, as a test failure, when Python fails, prints something that is not JSON, or
/// answers with another number of outputs than inputs: each panic message carries
/// Python's standard error.
pub fn run(script: &str, inputs: &[Value]) -> Vec<Value> {
    let env = published();
    let program = format!("{PRELUDE}\n{script}");
    let mut child = Command::new(env.python())
        .arg("-c")
        .arg(&program)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("the published environment's python did not start: {e}"));
    let input = serde_json::to_vec(inputs).unwrap_or_else(|e| panic!("inputs as JSON: {e}"));
    // A Python that dies early (an ImportError) closes its stdin: the write fails, and
    // its standard error, below, says why.
    let written = child.stdin.take().map(|mut stdin| stdin.write_all(&input));
    let out = child
        .wait_with_output()
        .unwrap_or_else(|e| panic!("waiting for python: {e}"));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        out.status.success(),
        "the reference script failed ({}):\n{stderr}",
        out.status
    );
    if let Some(Err(e)) = written {
        panic!("writing the inputs to python failed ({e}):\n{stderr}");
    }
    let outputs: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!(
            "the reference script printed no JSON array ({e}):\n{}\n{stderr}",
            String::from_utf8_lossy(&out.stdout)
        )
    });
    assert_eq!(
        outputs.len(),
        inputs.len(),
        "the reference script answered {} of {} inputs:\n{stderr}",
        outputs.len(),
        inputs.len()
    );
    outputs
}
