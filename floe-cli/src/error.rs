//! The one error type of the command line. Commands return it; [`crate::main`] prints
//! it once and exits with its code.

use std::error::Error;
use std::process::ExitCode;

/// Why a `floe` command failed, and with which exit code.
///
/// Usage errors (bad flags, unknown plugin types) exit with 2, as do unreadable files
/// and failed builds; a command that ran but found problems (a manifest with errors,
/// an unhealthy plugin) returns its exit code as `Ok` instead.
///
/// ```
/// let error = floe_cli::CliError::new("cannot read platform.yaml: not found");
/// assert_eq!(error.to_string(), "cannot read platform.yaml: not found");
/// assert_eq!(error.exit_code(), 2);
/// ```
#[derive(Debug, thiserror::Error)]
pub enum CliError {
    /// The arguments do not parse (clap's error, printed in clap's own format).
    #[error("{0}")]
    Usage(#[from] clap::Error),
    /// Anything else: a message for the operator, with an exit code.
    #[error("{message}")]
    Failed {
        /// What went wrong and how to fix it.
        message: String,
        /// The process exit code (never 0).
        code: u8,
    },
}

impl CliError {
    /// A failure with exit code 2.
    pub fn new(message: impl Into<String>) -> Self {
        CliError::Failed {
            message: message.into(),
            code: 2,
        }
    }

    /// A failure with another exit code (0 is raised to 1).
    pub fn with_code(message: impl Into<String>, code: u8) -> Self {
        CliError::Failed {
            message: message.into(),
            code: code.max(1),
        }
    }

    /// The exit code this error ends the process with.
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Usage(e) => u8::try_from(e.exit_code()).unwrap_or(2),
            CliError::Failed { code, .. } => *code,
        }
    }

    /// Prints the error to standard error, once, in the CLI's format, and gives the
    /// exit code.
    pub fn report(&self) -> ExitCode {
        match self {
            CliError::Usage(e) => {
                // clap colours and formats its own errors (and help, which is not an
                // error but travels the same way).
                let _ = e.print();
            }
            CliError::Failed { message, .. } => crate::output::error(message),
        }
        ExitCode::from(self.exit_code())
    }
}

/// An error for a person, with every cause: `context: cause: cause's cause`.
///
/// The registry's and the built-ins' errors keep their cause in
/// [`source()`](Error::source) and show only their context, so printing one with `{}`
/// alone would drop the cause. This is the registry's [`floe_registry::ErrorChain`]:
/// each message once, a cause already shown not repeated. Every error from the registry or a plugin that the CLI
/// shows goes through here: `Polaris catalog request failed: connection refused`.
pub fn chain(error: &(dyn Error + 'static)) -> String {
    floe_registry::ErrorChain(error).to_string()
}

#[cfg(test)]
mod tests {
    use super::chain;
    use floe_registry::PluginError;

    /// An error that shows only its context and keeps its cause in `source()`.
    #[derive(Debug, thiserror::Error)]
    #[error("{context}")]
    struct Context {
        context: &'static str,
        #[source]
        cause: Option<Box<dyn std::error::Error + Send + Sync>>,
    }

    fn context(
        text: &'static str,
        cause: impl std::error::Error + Send + Sync + 'static,
    ) -> Context {
        Context {
            context: text,
            cause: Some(Box::new(cause)),
        }
    }

    #[test]
    fn chain_joins_context_and_every_cause_in_order() {
        let io = std::io::Error::other("connection refused");
        let error = context(
            "Polaris catalog request failed",
            context("token request", io),
        );
        assert_eq!(
            chain(&error),
            "Polaris catalog request failed: token request: connection refused",
            "context first, then each cause, joined by `: `"
        );
    }

    #[test]
    fn chain_shows_a_plugin_errors_source_exactly_once() {
        let io = std::io::Error::other("connection refused");
        let error = PluginError::with_source("Polaris catalog request failed", io);
        let text = chain(&error);
        assert_eq!(
            text.matches("connection refused").count(),
            1,
            "the cause appears exactly once in {text:?}"
        );
        assert!(
            text.contains("Polaris catalog request failed"),
            "the context is shown: {text:?}"
        );
    }

    #[test]
    fn chain_does_not_repeat_a_cause_the_message_already_shows() {
        #[derive(Debug, thiserror::Error)]
        #[error("cannot start: {0}")]
        struct Repeats(#[source] std::io::Error);
        let error = Repeats(std::io::Error::other("port in use"));
        assert_eq!(chain(&error), "cannot start: port in use");
    }

    #[test]
    fn chain_reaches_the_plugins_cause_under_a_failed_startup() {
        let auth = context(
            "Infisical authentication failed",
            std::io::Error::other("401"),
        );
        let failure = floe_registry::HookFailure::Error {
            hook: floe_registry::Hook::Startup,
            error: Box::new(PluginError::with_source("Infisical request failed", auth)),
        };
        let error = PluginError::Startup {
            id: floe_registry::PluginId::new(floe_registry::PluginType::Secrets, "infisical"),
            cause: failure,
        };
        let text = chain(&error);
        assert!(
            text.ends_with("Infisical request failed: Infisical authentication failed: 401"),
            "the startup message, then the plugin's causes: {text:?}"
        );
        assert_eq!(
            text.matches("Infisical request failed").count(),
            1,
            "the plugin's message appears exactly once in {text:?}"
        );
    }

    #[test]
    fn chain_of_an_error_without_a_source_is_its_message() {
        let plain = std::io::Error::other("plain");
        assert_eq!(chain(&plain), "plain", "nothing is added without a source");
    }
}
