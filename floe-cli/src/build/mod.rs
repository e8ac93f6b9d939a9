//! `floe build`: placeholder.
use std::process::ExitCode;

use crate::CliError;
use crate::cli::BuildArgs;

/// Runs the command.
pub fn run(_args: &BuildArgs) -> Result<ExitCode, CliError> {
    Err(CliError::new("not yet"))
}
