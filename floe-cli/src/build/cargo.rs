//! Running cargo on the generated crate, with its progress shown as it comes.

use std::path::{Path, PathBuf};
use std::process::Command;

use super::generate::BIN_NAME;
use crate::CliError;

/// The cargo to run: `$CARGO` (set when floe itself runs under cargo), else `cargo`.
fn cargo() -> PathBuf {
    std::env::var_os("CARGO").map_or_else(|| PathBuf::from("cargo"), PathBuf::from)
}

/// Builds the crate in `dir` into `target_dir`; returns the binary's path. Cargo's
/// progress and errors go straight to this process's standard error.
pub fn build(dir: &Path, target_dir: &Path, release: bool) -> Result<PathBuf, CliError> {
    let cargo = cargo();
    let mut command = Command::new(&cargo);
    command
        .arg("build")
        .arg("--manifest-path")
        .arg(dir.join("Cargo.toml"))
        .arg("--target-dir")
        .arg(target_dir)
        .arg("--bin")
        .arg(BIN_NAME);
    if release {
        command.arg("--release");
    }
    let status = command.status().map_err(|e| {
        CliError::new(format!(
            "cannot run `{}` ({e}): `floe build` needs the Rust toolchain; install it with rustup, or set CARGO to the cargo to use",
            cargo.display()
        ))
    })?;
    if !status.success() {
        return Err(CliError::with_code(
            format!(
                "the build failed ({status}); cargo's errors are above. The generated crate is in {}",
                dir.display()
            ),
            1,
        ));
    }
    let binary = target_dir
        .join(if release { "release" } else { "debug" })
        .join(format!("{BIN_NAME}{}", std::env::consts::EXE_SUFFIX));
    if !binary.is_file() {
        return Err(CliError::with_code(
            format!("cargo reported success but {} is missing", binary.display()),
            1,
        ));
    }
    Ok(binary)
}
