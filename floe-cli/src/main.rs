//! The `floe` command line: what plugins are installed, what they take as config, and
//! whether a platform manifest will work.
//!
//! ```text
//! floe plugins list [--type T] [--json]
//! floe plugins info TYPE NAME [--json]
//! floe plugins schema TYPE NAME
//! floe plugins check MANIFEST [--json]
//! floe plugins health MANIFEST [--timeout SECONDS] [--json]
//! ```
//!
//! It works on whatever plugins are linked into the binary, through the process-wide
//! registry. The built-ins come with the default `builtins` feature; the CLI's own test
//! plugins with the `fixture-plugins` feature.

mod check;
mod cli;
#[cfg(test)]
mod fault_tests;
mod health;
mod info;
mod list;
mod manifest;
mod output;
mod schema;

use std::process::ExitCode;

use clap::Parser;
use floe_registry::PluginRegistry;

// Referenced so their plugins are linked into the binary.
#[cfg(feature = "fixture-plugins")]
use floe_cli_fixture_plugins as _;
#[cfg(feature = "builtins")]
use floe_plugins_builtin as _;

use crate::cli::{Cli, Command, PluginsCommand};

fn main() -> ExitCode {
    // clap exits with 2 on a usage error, 0 for --help and --version.
    let cli = Cli::parse();
    let registry = PluginRegistry::global();
    let code = match &cli.command {
        Command::Plugins { command } => match command {
            PluginsCommand::List(args) => list::run(registry, args),
            PluginsCommand::Info(args) => info::run(registry, args),
            PluginsCommand::Schema(args) => schema::run(registry, args),
            PluginsCommand::Check(args) => check::run(registry, args),
            PluginsCommand::Health(args) => health::run(registry, args),
        },
    };
    ExitCode::from(code)
}
