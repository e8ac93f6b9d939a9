//! The pinned Python environments of the tests: each created on first use under
//! `target/<prefix>-<hash of its requirements>`, then reused. The real-tool tests use
//! [`python_env`]; floe-python's tests (which include this file) use
//! [`pinned_env`] with the published floe packages.
//!
//! Several test binaries (and threads) may ask for it at once. One process creates it
//! while holding a lock file (created with `create_new`, so only one wins); the others
//! wait for the `ready` marker it writes last. A lock left by a process that died is
//! taken over. A venv cannot be moved after creation (its scripts carry absolute
//! paths), which is why a lock and not an atomic rename guards it.

use std::fs::{self, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;
use std::thread;
use std::time::Duration;

/// The pinned requirements (every package at an exact version).
pub const REQUIREMENTS: &str = include_str!("../python-requirements.txt");

/// What to run when python3 or its venv module is missing.
pub const INSTALL_HINT: &str = "install Python 3 with its venv module and pip: \
     `apt-get install -y python3 python3-venv python3-pip` (Debian/Ubuntu)";

/// A created Python environment with the pinned tools.
#[derive(Debug)]
pub struct PythonEnv {
    root: PathBuf,
}

impl PythonEnv {
    /// The environment's directory.
    pub fn root(&self) -> &Path {
        &self.root
    }

    /// An executable of the environment (`dbt`, `sqlfluff`, `python`, `moto_server`).
    pub fn bin(&self, name: &str) -> PathBuf {
        self.root.join("bin").join(name)
    }

    /// The environment's Python interpreter.
    pub fn python(&self) -> PathBuf {
        self.bin("python")
    }

    /// Runs `python -c <code> <args...>` and returns its standard output; panics with
    /// the standard error when it fails.
    pub fn run_python(&self, code: &str, args: &[&str]) -> String {
        let out = Command::new(self.python())
            .arg("-c")
            .arg(code)
            .args(args)
            .output()
            .expect("the environment's python starts");
        assert!(
            out.status.success(),
            "python failed ({}): {}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        );
        String::from_utf8_lossy(&out.stdout).into_owned()
    }
}

/// The shared environment, created on first use. Panics (a test failure, never a
/// skip) with the install command when python3 or venv is missing.
pub fn python_env() -> &'static PythonEnv {
    static ENV: OnceLock<Result<PythonEnv, String>> = OnceLock::new();
    match ENV.get_or_init(|| pinned_env("floe-pyenv", REQUIREMENTS)) {
        Ok(env) => env,
        Err(e) => panic!("the real-tool tests need their Python environment: {e}"),
    }
}

/// FNV-1a of the requirements: the environment's name changes with its pins.
fn requirements_hash(requirements: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in requirements.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// The cargo target directory: three levels above the test executable
/// (`target/debug/deps/<test>`), else the workspace's `target/`.
fn target_dir() -> PathBuf {
    std::env::current_exe()
        .ok()
        .and_then(|exe| Some(exe.parent()?.parent()?.parent()?.to_path_buf()))
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../target"))
}

/// The environment `target/<prefix>-<hash>` with `requirements` (every package pinned)
/// installed: created by the first caller of any test process, reused after.
pub fn pinned_env(prefix: &str, requirements: &str) -> Result<PythonEnv, String> {
    let hash = requirements_hash(requirements);
    let root = target_dir().join(format!("{prefix}-{hash}"));
    let ready = root.join("floe-ready");
    let lock = target_dir().join(format!("{prefix}-{hash}.lock"));
    loop {
        if ready.is_file() {
            return Ok(PythonEnv { root });
        }
        match OpenOptions::new().write(true).create_new(true).open(&lock) {
            Ok(mut file) => {
                let _ = writeln!(file, "{}", std::process::id());
                let result = create(&root, &ready, requirements);
                let _ = fs::remove_file(&lock);
                return result.map(|()| PythonEnv { root });
            }
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                if holder_is_gone(&lock) {
                    let _ = fs::remove_file(&lock);
                } else {
                    thread::sleep(Duration::from_millis(500));
                }
            }
            Err(e) => return Err(format!("cannot create the lock {}: {e}", lock.display())),
        }
    }
}

/// Whether the process named in the lock file no longer runs.
fn holder_is_gone(lock: &Path) -> bool {
    let Ok(text) = fs::read_to_string(lock) else {
        return false;
    };
    match text.trim().parse::<u32>() {
        Ok(pid) => !Path::new(&format!("/proc/{pid}")).exists(),
        // Written but not yet filled in by its creator: wait.
        Err(_) => false,
    }
}

fn create(root: &Path, ready: &Path, requirements_text: &str) -> Result<(), String> {
    let python =
        which("python3").ok_or_else(|| format!("python3 is not on PATH: {INSTALL_HINT}"))?;
    if root.exists() {
        // A half-made environment from an interrupted run.
        fs::remove_dir_all(root).map_err(|e| format!("cannot remove {}: {e}", root.display()))?;
    }
    run(
        Command::new(&python).args(["-m", "venv"]).arg(root),
        &format!("python3 -m venv failed: {INSTALL_HINT}"),
    )?;
    let requirements = root.join("requirements.txt");
    fs::write(&requirements, requirements_text)
        .map_err(|e| format!("cannot write {}: {e}", requirements.display()))?;
    run(
        Command::new(root.join("bin").join("pip"))
            .args([
                "install",
                "--disable-pip-version-check",
                "--no-input",
                "--progress-bar",
                "off",
                "--no-deps",
                "-r",
            ])
            .arg(&requirements),
        "pip could not install the pinned requirements (PyPI must be reachable)",
    )?;
    fs::write(ready, "ok\n").map_err(|e| format!("cannot write {}: {e}", ready.display()))
}

fn run(command: &mut Command, what: &str) -> Result<(), String> {
    let out = command
        .output()
        .map_err(|e| format!("{what}: cannot start it: {e}"))?;
    if out.status.success() {
        Ok(())
    } else {
        Err(format!(
            "{what} ({}):\n{}\n{}",
            out.status,
            String::from_utf8_lossy(&out.stderr),
            String::from_utf8_lossy(&out.stdout)
        ))
    }
}

fn which(program: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| {
        std::env::split_paths(&paths)
            .map(|dir| dir.join(program))
            .find(|p| p.is_file())
    })
}
