//! One line for an error and every cause under it.

use std::fmt;

/// Displays an error followed by each of its causes (`source()`), joined with `": "`:
/// the whole story on one line, for places that keep no source chain (a hook failure's
/// message, a health status, a command line's error output).
///
/// Errors that follow the rule of this crate (a message never repeats its source)
/// print each cause exactly once.
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
        write!(f, "{}", self.0)?;
        let mut next = self.0.source();
        while let Some(cause) = next {
            write!(f, ": {cause}")?;
            next = cause.source();
        }
        Ok(())
    }
}

impl fmt::Debug for ErrorChain<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}
