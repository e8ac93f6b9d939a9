//! The command line's shape: clap types only, no behaviour.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};
use floe_registry::PluginType;

/// The floe command line: see which plugins are installed and check a platform
/// manifest before deploying it.
#[derive(Debug, Parser)]
#[command(
    name = "floe",
    version,
    about = "The floe command line: installed plugins and platform manifest checks",
    after_help = "Examples:\n  floe plugins list\n  floe plugins info compute duckdb\n  floe plugins check platform.yaml\n  floe plugins health platform.yaml --timeout 10"
)]
pub struct Cli {
    /// What to do.
    #[command(subcommand)]
    pub command: Command,
}

/// Top-level commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Inspect installed plugins and check platform manifests.
    #[command(
        after_help = "Examples:\n  floe plugins list --type compute\n  floe plugins schema storage s3\n  floe plugins check platform.yaml --json"
    )]
    Plugins {
        /// A Python environment whose floe plugins (floe-core entry points) are hosted
        /// beside the linked ones: a virtual environment's folder or a Python
        /// interpreter. Default: the FLOE_PYTHON environment variable.
        #[arg(long, global = true, value_name = "PATH")]
        python: Option<PathBuf>,
        /// The plugins subcommand.
        #[command(subcommand)]
        command: PluginsCommand,
    },
    /// Build a custom floe binary with your plugin crates and the built-ins you choose.
    #[command(
        after_help = "Examples:\n  floe build --with-path ./acme-store --builtins duckdb,s3\n  floe build --with acme-floe-plugins@1.2 --output bin/floe --release\n  floe build --config floe-build.toml"
    )]
    Build(BuildArgs),
    /// Find secrets committed to files.
    #[command(
        after_help = "Examples:\n  floe secrets scan .\n  floe secrets scan . --exclude 'target' --exclude '*.lock' --json"
    )]
    Secrets {
        /// The secrets subcommand.
        #[command(subcommand)]
        command: SecretsCommand,
    },
}

/// `floe secrets ...`.
#[derive(Debug, Subcommand)]
pub enum SecretsCommand {
    /// Scan a folder (or one file) for secrets; findings show each line with the
    /// secret masked.
    #[command(
        after_help = "Exit codes: 0 no error-severity finding, 1 secrets found, 2 bad path or usage error.\n\nExamples:\n  floe secrets scan .\n  floe secrets scan src --exclude 'fixtures' --exclude '*.pem'\n  floe secrets scan . --json | jq '.[].file_path'"
    )]
    Scan(ScanArgs),
}

/// Arguments of `floe secrets scan`.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// The folder (or file) to scan.
    #[arg(value_name = "PATH")]
    pub path: PathBuf,
    /// A glob of paths to skip, matched from the right (`*.lock`, `vendor`); a folder
    /// it matches is skipped whole (repeatable).
    #[arg(long, value_name = "GLOB")]
    pub exclude: Vec<String>,
    /// Print a JSON array of findings instead.
    #[arg(long)]
    pub json: bool,
    /// The secret scanner plugin to use.
    #[arg(long, value_name = "NAME", default_value = "builtin")]
    pub scanner: String,
}

/// `floe plugins ...`.
#[derive(Debug, Subcommand)]
pub enum PluginsCommand {
    /// List the installed plugins, grouped by type (every type is shown).
    #[command(
        after_help = "Examples:\n  floe plugins list\n  floe plugins list --type compute\n  floe plugins list --json | jq '.[].name'"
    )]
    List(ListArgs),
    /// Show one plugin: metadata, dependencies, source and config fields.
    #[command(
        after_help = "Examples:\n  floe plugins info compute duckdb\n  floe plugins info telemetry_backend console --json"
    )]
    Info(InfoArgs),
    /// Print the JSON Schema of a plugin's config.
    #[command(
        after_help = "Examples:\n  floe plugins schema compute duckdb\n  floe plugins schema storage s3 > s3.schema.json"
    )]
    Schema(PluginArgs),
    /// Check a platform manifest (YAML or JSON) and report every problem at once.
    #[command(
        after_help = "Exit codes: 0 clean, 1 problems found, 2 usage error or unreadable file.\n\nExamples:\n  floe plugins check platform.yaml\n  floe plugins check platform.json --json"
    )]
    Check(CheckArgs),
    /// Configure, start, health-check and stop the plugins a manifest selects.
    #[command(
        after_help = "Exit codes: 0 healthy, 1 degraded, 2 unhealthy, failed to start or usage error.\n\nExamples:\n  floe plugins health platform.yaml\n  floe plugins health platform.yaml --timeout 2 --json"
    )]
    Health(HealthArgs),
    /// Create a new plugin crate that compiles and whose tests pass, ready to edit.
    #[command(
        after_help = "Examples:\n  floe plugins new storage acme-store\n  floe plugins new secrets vault --path plugins/vault"
    )]
    New(NewArgs),
    /// Print the JSON Schema of a platform manifest for the plugins of this floe, for
    /// editors (yaml-language-server) and CI validators.
    #[command(
        name = "manifest-schema",
        after_help = "Examples:\n  floe plugins manifest-schema > floe-manifest.schema.json\n  # then, first line of platform.yaml:\n  # yaml-language-server: $schema=./floe-manifest.schema.json"
    )]
    ManifestSchema(ManifestSchemaArgs),
}

/// Arguments of `floe plugins list`.
#[derive(Debug, Args)]
pub struct ListArgs {
    /// Only this type (`compute`, `telemetry_backend`, ...).
    #[arg(long = "type", value_name = "TYPE", value_parser = parse_plugin_type)]
    pub plugin_type: Option<PluginType>,
    /// Print a JSON array of plugin information instead.
    #[arg(long)]
    pub json: bool,
}

/// A plugin's identity on the command line: `TYPE NAME`.
#[derive(Debug, Args)]
pub struct PluginArgs {
    /// The plugin's type (`compute`, `storage`, `telemetry_backend`, ...).
    #[arg(value_name = "TYPE", value_parser = parse_plugin_type)]
    pub plugin_type: PluginType,
    /// The plugin's name.
    #[arg(value_name = "NAME")]
    pub name: String,
}

/// Arguments of `floe plugins info`.
#[derive(Debug, Args)]
pub struct InfoArgs {
    /// Which plugin.
    #[command(flatten)]
    pub plugin: PluginArgs,
    /// Print JSON instead.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `floe plugins check`.
#[derive(Debug, Args)]
pub struct CheckArgs {
    /// The platform manifest, YAML or JSON.
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    /// Print a JSON report instead.
    #[arg(long)]
    pub json: bool,
    /// Fail (exit 1) on warnings too, as `-D warnings` does for rustc.
    #[arg(long)]
    pub deny_warnings: bool,
}

/// Arguments of `floe plugins health`.
#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The platform manifest, YAML or JSON.
    #[arg(value_name = "MANIFEST")]
    pub manifest: PathBuf,
    /// Seconds each health check may take.
    #[arg(long, value_name = "SECONDS", default_value = "5", value_parser = parse_seconds)]
    pub timeout: f64,
    /// Seconds each startup() and shutdown() may take.
    #[arg(long, value_name = "SECONDS", default_value = "30", value_parser = parse_seconds)]
    pub startup_timeout: f64,
    /// Print a JSON report instead.
    #[arg(long)]
    pub json: bool,
}

/// Arguments of `floe plugins new`.
#[derive(Debug, Args)]
pub struct NewArgs {
    /// The plugin's type (`compute`, `storage`, `secrets`, ...).
    #[arg(value_name = "TYPE", value_parser = parse_plugin_type)]
    pub plugin_type: PluginType,
    /// The plugin's name: 1 to 64 of `a-z 0-9 - _`, starting with a letter or digit.
    #[arg(value_name = "NAME")]
    pub name: String,
    /// The folder to create (default: `./NAME`); it must not exist or be empty.
    #[arg(long, value_name = "DIR")]
    pub path: Option<PathBuf>,
}

/// Arguments of `floe plugins manifest-schema`.
#[derive(Debug, Args)]
pub struct ManifestSchemaArgs {
    /// Write the schema to this file instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Arguments of `floe build`. Every choice can also come from `--config`; a flag given
/// on the command line adds to (lists) or overrides (single values) the file's.
#[derive(Debug, Args)]
pub struct BuildArgs {
    /// A plugin crate on disk to link in (repeatable).
    #[arg(long = "with-path", value_name = "DIR")]
    pub with_path: Vec<PathBuf>,
    /// A plugin crate from crates.io to link in, `CRATE` or `CRATE@VERSION` (repeatable).
    #[arg(long = "with", value_name = "CRATE[@VERSION]")]
    pub with: Vec<String>,
    /// The built-ins to link: a comma list of names, `all` or `none` [default: all].
    #[arg(long, value_name = "LIST")]
    pub builtins: Option<String>,
    /// Where to write the new binary [default: ./floe].
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Build with optimisations (slower to build, faster to run).
    #[arg(long)]
    pub release: bool,
    /// A floe-build.toml holding these choices, so the build can be committed and repeated.
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Write the generated crate to DIR and leave it there (default: a temporary folder).
    #[arg(long, value_name = "DIR")]
    pub keep: Option<PathBuf>,
    /// Cargo's target directory [default: $CARGO_TARGET_DIR, else a cache folder shared by
    /// every `floe build`, so rebuilds are incremental].
    #[arg(long, value_name = "DIR")]
    pub target_dir: Option<PathBuf>,
}

/// Parses a plugin type; an unknown one lists the valid ones with a "did you mean".
fn parse_plugin_type(s: &str) -> Result<PluginType, String> {
    s.parse::<PluginType>().map_err(|e| e.to_string())
}

/// Parses a positive, finite number of seconds (at most a day).
fn parse_seconds(s: &str) -> Result<f64, String> {
    match s.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && v > 0.0 && v <= 86_400.0 => Ok(v),
        Ok(_) => Err("must be a number of seconds above 0 and at most 86400".to_owned()),
        Err(_) => Err("must be a number of seconds, like 5 or 0.5".to_owned()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_cli_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn seconds_are_checked() {
        assert_eq!(parse_seconds("0.5"), Ok(0.5));
        assert!(parse_seconds("0").is_err());
        assert!(parse_seconds("NaN").is_err());
        assert!(parse_seconds("-1").is_err());
        assert!(parse_seconds("soon").is_err());
    }
}
