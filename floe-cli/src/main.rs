//! The `floe` binary: the command line of `floe_cli` with the built-ins chosen by its
//! cargo features.

fn main() -> std::process::ExitCode {
    floe_cli::main()
}
