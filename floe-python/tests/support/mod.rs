//! Helpers of floe-python's tests: the pinned environment of the published floe
//! packages, and small environments the tests write their own plugins into.

#![allow(dead_code, clippy::unwrap_used)]

#[path = "../../../floe-plugins-builtin/tests/python_tools/venv.rs"]
mod venv;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

pub use venv::PythonEnv;

/// floe-core 0.1.0a1 and seven published plugin packages, every dependency pinned.
pub const PUBLISHED: &str = include_str!("../published-requirements.txt");

/// The environment of the published packages, created on first use under `target/`
/// and reused. Panics (never skips) when it cannot be made.
pub fn published() -> &'static PythonEnv {
    static ENV: OnceLock<Result<PythonEnv, String>> = OnceLock::new();
    match ENV.get_or_init(|| venv::pinned_env("floe-published", PUBLISHED)) {
        Ok(env) => env,
        Err(e) => panic!("the Python host tests need the published floe packages: {e}"),
    }
}

/// A metadata cache folder of this test process's own.
pub fn private_cache() -> &'static Path {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("a temp dir"))
        .path()
}

/// The site-packages folder of a venv.
pub fn site_packages(root: &Path) -> PathBuf {
    let lib = root.join("lib");
    std::fs::read_dir(&lib)
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.path().join("site-packages"))
        .find(|p| p.is_dir())
        .unwrap_or_else(|| panic!("no site-packages under {}", lib.display()))
}

/// A new virtual environment in `dir` (no pip), whose Python can import what the
/// published environment has (through a `.pth` file) when `with_floe` is set, but whose
/// own `site-packages` holds only what the test installs.
pub fn bare_venv(dir: &Path, with_floe: bool) -> PathBuf {
    let root = dir.join("venv");
    let python = published().python();
    let status = Command::new(&python)
        .args(["-m", "venv", "--without-pip"])
        .arg(&root)
        .status()
        .unwrap();
    assert!(status.success(), "python -m venv failed");
    if with_floe {
        let published_site = site_packages(published().root());
        std::fs::write(
            site_packages(&root).join("floe-published.pth"),
            format!("{}\n", published_site.display()),
        )
        .unwrap();
    }
    root
}

/// Installs a one-module distribution `name` into the venv at `root`: the module's
/// source, and a `*.dist-info` with `entry_points` (`[group]` then `name = value`
/// lines), as pip installs a pure-Python wheel.
pub fn install(
    root: &Path,
    name: &str,
    version: &str,
    module: &str,
    source: &str,
    entry_points: &str,
) {
    let site = site_packages(root);
    std::fs::write(site.join(format!("{module}.py")), source).unwrap();
    let dist_info = site.join(format!("{}-{version}.dist-info", name.replace('-', "_")));
    std::fs::create_dir_all(&dist_info).unwrap();
    std::fs::write(
        dist_info.join("METADATA"),
        format!("Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n\n"),
    )
    .unwrap();
    std::fs::write(dist_info.join("entry_points.txt"), entry_points).unwrap();
    std::fs::write(dist_info.join("RECORD"), "").unwrap();
}
