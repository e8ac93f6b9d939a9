//! The one secret value of the tests and the checks that it never leaks.

use serde_json::Value;

/// The one secret value of the tests: it must never show up in any output, log line,
/// error or Debug text of a plugin. Letters and digits only, so it passes as a value
/// anywhere (an env variable, a URL, a YAML scalar, a header) and looks like a secret to
/// the secret scanner.
pub const CANARY: &str = "canaryS3cretVa1ueQ9x7Zk2";

/// Fails when [`CANARY`] occurs in `text`, naming `what` the text is.
pub fn assert_no_canary(what: &str, text: &str) {
    assert!(
        !text.contains(CANARY),
        "the canary secret leaked in {what}: {text}"
    );
}

/// Fails when [`CANARY`] occurs anywhere in `value`, serialized.
pub fn assert_value_has_no_canary(value: &Value) {
    assert_no_canary("a JSON value", &value.to_string());
}
