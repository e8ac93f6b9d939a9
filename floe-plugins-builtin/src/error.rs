//! How the built-ins turn their failures into [`PluginError`]s, in one place.
//!
//! The rule (thiserror's): a [`PluginError`] states what this plugin was doing, and the
//! failure underneath is its `source()`, never repeated in its message, so reporters that
//! walk the chain (`{:#}`, anyhow, eyre) print each cause once. Where one line of text must
//! carry the whole story (a health status, a validation result), [`chain`] writes it.

use floe_registry::{BoxError, PluginError};

/// A failure whose message is `context` alone; `cause` stays reachable through
/// `source()`, so callers can match on it.
// Unused by a build whose only plugins never fail with a cause (console, the alerts).
#[allow(dead_code)]
pub(crate) fn failure(context: impl Into<String>, cause: impl Into<BoxError>) -> PluginError {
    PluginError::with_source(context, cause)
}

/// The messages of `err` and of every source under it, joined with `": "`, for text
/// that has no source chain of its own (a health message, an error list).
// Unused by a build whose only plugins report no health from a failure.
#[allow(dead_code)]
pub(crate) fn chain(err: &(dyn std::error::Error + 'static)) -> String {
    floe_registry::ErrorChain(err).to_string()
}

/// `separator` and `text`, or nothing when there is no text: the optional tail of a
/// typed error's message.
// Used by the plugins with typed errors (polaris, k8s-secrets, infisical-secrets).
#[allow(dead_code)]
pub(crate) fn suffix(separator: &str, text: &Option<String>) -> String {
    text.as_ref()
        .map_or_else(String::new, |t| format!("{separator}{t}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_states_only_its_context_and_keeps_the_cause_as_source() {
        let cause = std::io::Error::new(std::io::ErrorKind::NotFound, "no such file");
        let err = failure("cannot read /x", cause);
        assert_eq!(err.to_string(), "cannot read /x");
        let source = std::error::Error::source(&err).expect("the cause is the source");
        assert_eq!(source.to_string(), "no such file");
        assert_eq!(chain(&err), "cannot read /x: no such file");
    }
}
