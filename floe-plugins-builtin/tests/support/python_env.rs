//! A pinned Python virtual environment under the target folder, created on first use
//! and reused: `python_env("aiosmtpd", "1.4.6")` gives the venv's `python`. A missing
//! `python3` or `venv` module fails the test with the install command; it never skips.

#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::{Mutex, PoisonError};

/// One creation at a time: the tests of a binary run on threads, and two
/// `python3 -m venv` into one folder at once fail (seen in CI). Only email.rs uses
/// this helper, so a lock within the process is enough.
static CREATING: Mutex<()> = Mutex::new(());

/// The target folder of this build (`$CARGO_TARGET_DIR`, else `<workspace>/target`).
fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The `python` of a venv holding exactly `package==version`, at
/// `<target>/python-envs/<package>-<version>`.
pub fn python_env(package: &str, version: &str) -> PathBuf {
    let dir = target_dir()
        .join("python-envs")
        .join(format!("{package}-{version}"));
    let python = dir.join("bin").join("python");
    let marker = dir.join(".installed");
    let _creating = CREATING.lock().unwrap_or_else(PoisonError::into_inner);
    if marker.exists() {
        return python;
    }
    let status = Command::new("python3")
        .args(["-m", "venv"])
        .arg(&dir)
        .status()
        .unwrap_or_else(|e| {
            panic!(
                "python3 is needed to run {package} ({e}): apt-get install -y python3 python3-venv"
            )
        });
    assert!(
        status.success(),
        "python3 -m venv {} failed: apt-get install -y python3-venv",
        dir.display()
    );
    let status = Command::new(&python)
        .args([
            "-m",
            "pip",
            "install",
            "--quiet",
            &format!("{package}=={version}"),
        ])
        .status()
        .expect("run pip");
    assert!(
        status.success(),
        "pip install {package}=={version} into {} failed",
        dir.display()
    );
    std::fs::write(&marker, "").expect("write the venv marker");
    python
}
