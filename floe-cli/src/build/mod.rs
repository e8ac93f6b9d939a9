//! `floe build`: a custom floe binary with the user's plugin crates and the chosen
//! built-ins.
//!
//! plan (flags + floe-build.toml, every input checked) -> generate (a crate: Cargo.toml
//! with the choices, main.rs calling `floe_cli::main()`) -> cargo build (progress shown
//! as it comes) -> report (the new binary's own `plugins list --json`: what each crate
//! contributed; a crate with no plugin or a duplicated identity fails the build) ->
//! the binary is copied to `--output` only when all of that passed.

mod cargo;
mod generate;
mod inspect;
mod plan;
mod report;

use std::fs;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use crate::CliError;
use crate::cli::BuildArgs;
use crate::output::{self, Style};
use crate::source::FloeSource;

pub use plan::BuildPlan;

/// Runs the command: 0 when the binary is written; 2 for bad input; 1 when the build
/// fails or its result is unusable (cargo's errors, a crate without plugins, a
/// duplicated identity).
pub fn run(args: &BuildArgs) -> Result<ExitCode, CliError> {
    let plan = BuildPlan::from_args(args)?;
    let source = FloeSource::current();
    let target_dir = target_dir(&plan)?;
    let crate_dir = match &plan.keep {
        Some(dir) => dir.clone(),
        None => target_dir.join("floe-build").join(plan_key(&plan, &source)),
    };
    check_output(&plan.output)?;
    generate::write(&plan, &crate_dir, &source)?;
    let style = Style::stderr();
    output::status(&format!(
        "{} floe with {} plugin crate{} and {} built-in{} (crate in {}, target {})",
        style.bold("Building"),
        plan.plugins.len(),
        plural(plan.plugins.len()),
        plan.builtins.len(),
        plural(plan.builtins.len()),
        crate_dir.display(),
        target_dir.display(),
    ));
    let binary = cargo::build(&crate_dir, &target_dir, plan.release)?;
    let linked = report::linked_plugins(&binary)?;
    let found = report::contributions(&plan, &linked)?;
    copy_binary(&binary, &plan.output)?;

    let mut summary = format!(
        "{} {} ({}) with:\n",
        style.green("Built"),
        plan.output.display(),
        if plan.release { "release" } else { "debug" }
    );
    for (plugin, plugins) in &found {
        let names: Vec<String> = plugins
            .iter()
            .map(|i| format!("{}/{} {}", i.plugin_type, i.name, i.version))
            .collect();
        summary.push_str(&format!(
            "  {} ({}): {}\n",
            plugin.package(),
            plugin.origin(),
            names.join(", ")
        ));
    }
    let builtins: Vec<&str> = plan.builtins.iter().map(|b| b.feature).collect();
    summary.push_str(&format!(
        "  built-ins: {}\n",
        if builtins.is_empty() {
            "none".to_owned()
        } else {
            builtins.join(", ")
        }
    ));
    summary.push_str(&format!(
        "Next: {} plugins list\n",
        command_path(&plan.output)
    ));
    output::print(&summary);
    Ok(ExitCode::SUCCESS)
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// `./floe` for a bare file name, so the printed command runs as shown.
fn command_path(path: &Path) -> String {
    if path.components().count() == 1 && path.is_relative() {
        format!("./{}", path.display())
    } else {
        path.display().to_string()
    }
}

/// `--target-dir`, else `$CARGO_TARGET_DIR`, else a cache folder shared by every
/// `floe build` of this user, so a rebuild after a change recompiles only that change.
fn target_dir(plan: &BuildPlan) -> Result<PathBuf, CliError> {
    if let Some(dir) = &plan.target_dir {
        return Ok(dir.clone());
    }
    if let Some(dir) = std::env::var_os("CARGO_TARGET_DIR").filter(|d| !d.is_empty()) {
        return Ok(PathBuf::from(dir));
    }
    let cache = std::env::var_os("XDG_CACHE_HOME")
        .filter(|d| !d.is_empty())
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME")
                .filter(|d| !d.is_empty())
                .map(|h| PathBuf::from(h).join(".cache"))
        })
        .ok_or_else(|| {
            CliError::new(
                "no cache folder for the build (neither XDG_CACHE_HOME nor HOME is set); pass --target-dir DIR",
            )
        })?;
    Ok(cache.join("floe").join("build-target"))
}

/// A folder name for the generated crate of this plan, stable across runs so cargo's
/// fingerprints stay valid: different plans never share (and so never rewrite) one
/// crate.
fn plan_key(plan: &BuildPlan, source: &FloeSource) -> String {
    use std::hash::{Hash, Hasher};
    // FNV-1a: stable across Rust versions, unlike `DefaultHasher`.
    struct Fnv(u64);
    impl Hasher for Fnv {
        fn finish(&self) -> u64 {
            self.0
        }
        fn write(&mut self, bytes: &[u8]) {
            for b in bytes {
                self.0 = (self.0 ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3);
            }
        }
    }
    let mut hasher = Fnv(0xcbf2_9ce4_8422_2325);
    generate::cargo_toml(plan, source).hash(&mut hasher);
    format!("{:016x}", hasher.finish())
}

/// Refuses an output path that cannot be written before spending minutes building.
fn check_output(output: &Path) -> Result<(), CliError> {
    if output.is_dir() {
        return Err(CliError::new(format!(
            "--output {}: is a folder; give the path of the binary to write (e.g. {}/floe)",
            output.display(),
            output.display()
        )));
    }
    if let Some(parent) = output.parent().filter(|p| !p.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(CliError::new(format!(
            "--output {}: the folder {} does not exist",
            output.display(),
            parent.display()
        )));
    }
    Ok(())
}

/// Copies the binary next to its destination, then renames it into place, so a
/// running floe at that path is never half-written.
fn copy_binary(binary: &Path, output: &Path) -> Result<(), CliError> {
    let file_name = output
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "floe".to_owned());
    let partial = output.with_file_name(format!(".{file_name}.partial"));
    let fail = |e: std::io::Error| CliError::new(format!("cannot write {}: {e}", output.display()));
    fs::copy(binary, &partial).map_err(fail)?;
    fs::rename(&partial, output).map_err(|e| {
        let _ = fs::remove_file(&partial);
        fail(e)
    })
}
