//! One line for an error and every cause under it.

use std::fmt;

/// Displays an error followed by each of its causes (`source()`), joined with `": "`:
/// the whole story on one line, for places that keep no source chain (a hook failure's
/// message, a health status, a command line's error output).
///
/// Each cause is shown once: a cause whose text is already on the line (an error that
/// writes its source into its own message as well as returning it) is not repeated, and
/// an empty one adds nothing.
///
/// ```
/// use floe_registry::{ErrorChain, PluginError};
///
/// let io = std::io::Error::other("connection refused");
/// let err = PluginError::with_source("could not reach the catalog", io);
/// assert_eq!(err.to_string(), "could not reach the catalog");
/// assert_eq!(
///     ErrorChain(&err).to_string(),
///     "could not reach the catalog: connection refused"
/// );
/// ```
#[derive(Clone, Copy)]
pub struct ErrorChain<'a>(pub &'a (dyn std::error::Error + 'static));

impl fmt::Display for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut text = self.0.to_string();
        let mut next = self.0.source();
        while let Some(cause) = next {
            let shown = cause.to_string();
            if !shown.is_empty() && !text.contains(&shown) {
                text.push_str(": ");
                text.push_str(&shown);
            }
            next = cause.source();
        }
        f.write_str(&text)
    }
}

impl fmt::Debug for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

#[cfg(test)]
mod tests {
    use super::ErrorChain;

    /// An error that writes its source into its own message and also returns it.
    #[derive(Debug)]
    struct Repeats(std::io::Error);

    impl std::fmt::Display for Repeats {
        fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            write!(f, "cannot start: {}", self.0)
        }
    }

    impl std::error::Error for Repeats {
        fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
            Some(&self.0)
        }
    }

    #[test]
    fn a_cause_already_on_the_line_is_not_repeated() {
        let error = Repeats(std::io::Error::other("port in use"));
        assert_eq!(ErrorChain(&error).to_string(), "cannot start: port in use");
    }

    #[test]
    fn an_error_without_a_source_is_its_message() {
        let plain = std::io::Error::other("plain");
        assert_eq!(ErrorChain(&plain).to_string(), "plain");
    }
}
