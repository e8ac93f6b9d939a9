//! The one error type of the command line. Commands return it; [`crate::main`] prints
//! it once and exits with its code.

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
