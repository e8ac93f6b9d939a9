//! The `floe` command line as a library: what plugins are installed, what they take as
//! config, whether a platform manifest will work, and how to build a `floe` with your
//! own plugins in it.
//!
//! ```text
//! floe plugins list [--type T] [--json]
//! floe plugins info TYPE NAME [--json]
//! floe plugins schema TYPE NAME
//! floe plugins check MANIFEST [--json]
//! floe plugins health MANIFEST [--timeout SECONDS] [--json]
//! floe plugins new TYPE NAME [--path DIR]
//! floe plugins manifest-schema
//! floe secrets scan PATH [--exclude GLOB]... [--json] [--scanner NAME]
//! floe build [--with-path DIR]... [--with CRATE[@VERSION]]... [--builtins LIST] [--config FILE]
//! ```
//!
//! It works on whatever plugins are linked into the binary, through the process-wide
//! registry. The built-ins are chosen with this crate's cargo features, one per built-in
//! (`duckdb`, `s3`, `dbt-core`, ...; `default` = all of them). A `floe` with your own
//! plugins is three lines:
//!
//! ```no_run
//! // use acme_plugins as _;   // link your plugin crate
//! fn main() -> std::process::ExitCode {
//!     floe_cli::main()
//! }
//! ```
//!
//! `floe build` writes and builds exactly that crate for you. To embed the command line
//! in another program, [`run`] takes the arguments and returns the exit code or the
//! error, without printing the error or exiting:
//!
//! ```
//! let code = floe_cli::run(["floe", "plugins", "list", "--json"])?;
//! assert_eq!(code, std::process::ExitCode::SUCCESS);
//! # Ok::<(), floe_cli::CliError>(())
//! ```

mod build;
pub mod builtins;
mod check;
mod cli;
mod error;
#[cfg(test)]
mod fault_tests;
mod health;
mod info;
mod list;
pub mod manifest;
mod manifest_schema;
mod output;
mod scaffold;
mod schema;
mod secrets_scan;
mod source;

use std::ffi::OsString;
use std::process::ExitCode;

use clap::Parser;
use floe_python::PythonEnvironment;
use floe_registry::PluginRegistry;

// Referenced so that the built-ins chosen by this crate's features are linked.
use floe_plugins_builtin as _;

pub use crate::error::CliError;
pub use crate::source::FloeSource;

use crate::cli::{Cli, Command, PluginsCommand, SecretsCommand};

/// Runs `floe` with the process's arguments, prints any error once and returns the
/// exit code: the whole `main` of a custom floe.
///
/// ```no_run
/// fn main() -> std::process::ExitCode {
///     floe_cli::main()
/// }
/// ```
pub fn main() -> ExitCode {
    match run(std::env::args_os()) {
        Ok(code) => code,
        Err(e) => e.report(),
    }
}

/// Runs `floe` with these arguments (the first is the program name) on the
/// process-wide registry and returns the exit code, or the error for the caller to
/// print ([`CliError::report`]). `--help` and `--version` print and return success.
///
/// ```
/// let error = floe_cli::run(["floe", "plugins", "lsit"]).expect_err("an error");
/// assert_eq!(error.exit_code(), 2);
/// ```
pub fn run<I, T>(args: I) -> Result<ExitCode, CliError>
where
    I: IntoIterator<Item = T>,
    T: Into<OsString> + Clone,
{
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version: not errors.
            let _ = e.print();
            return Ok(ExitCode::SUCCESS);
        }
        Err(e) => return Err(CliError::Usage(e)),
    };
    match &cli.command {
        Command::Plugins { python, command } => {
            let python = python_environment(python.as_deref())?;
            // The process's registry, with the Python plugins when asked for.
            let registry = || -> Result<&'static PluginRegistry, CliError> {
                let registry = PluginRegistry::global();
                if let Some(python) = &python {
                    add_python(registry, python)?;
                }
                Ok(registry)
            };
            match command {
                PluginsCommand::List(args) => list::run(registry()?, args),
                PluginsCommand::Info(args) => info::run(registry()?, args),
                PluginsCommand::Schema(args) => schema::run(registry()?, args),
                PluginsCommand::Check(args) => check::run(registry()?, args),
                // A registry of its own, with the run's timeouts.
                PluginsCommand::Health(args) => health::run(args, python.as_ref()),
                PluginsCommand::New(args) => scaffold::run(args),
                PluginsCommand::ManifestSchema(args) => manifest_schema::run(registry()?, args),
            }
        }
        Command::Build(args) => build::run(args),
        Command::Secrets { command } => match command {
            SecretsCommand::Scan(args) => secrets_scan::run(PluginRegistry::global(), args),
        },
    }
}

/// The Python environment of `--python` (else of `FLOE_PYTHON`), if any; a path that is
/// no Python environment is a usage error saying what was expected.
fn python_environment(
    flag: Option<&std::path::Path>,
) -> Result<Option<PythonEnvironment>, CliError> {
    let opened = match flag {
        Some(path) => PythonEnvironment::open(path).map(Some),
        None => PythonEnvironment::from_env(),
    };
    opened.map_err(|e| {
        let given = match flag {
            Some(_) => "--python",
            None => floe_python::FLOE_PYTHON,
        };
        CliError::new(format!("{given}: {e}"))
    })
}

/// Hosts the plugins of `python` in `registry`.
pub(crate) fn add_python(
    registry: &PluginRegistry,
    python: &PythonEnvironment,
) -> Result<(), CliError> {
    registry
        .add_provider(python)
        .map(drop)
        .map_err(|e| CliError::new(error::chain(&e)))
}
