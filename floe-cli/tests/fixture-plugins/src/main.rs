//! `floe-fixture`: the floe command line with the CLI's test plugins linked, built
//! exactly as a custom floe is (`floe_cli::main()` plus a `use` of the plugin crate).
//! The built-ins linked are those of floe-cli's enabled features.

use floe_cli_fixture_plugins as _;

fn main() -> std::process::ExitCode {
    floe_cli::main()
}
