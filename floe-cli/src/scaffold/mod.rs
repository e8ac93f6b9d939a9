//! `floe plugins new`: placeholder, being written.

use std::process::ExitCode;

use crate::CliError;
use crate::cli::NewArgs;

/// Runs the command.
pub fn run(_args: &NewArgs) -> Result<ExitCode, CliError> {
    Err(CliError::new("floe plugins new: not written yet"))
}
