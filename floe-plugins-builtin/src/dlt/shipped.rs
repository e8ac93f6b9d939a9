//! The dlt runner shipped with the plugin (`floe_dlt_runner.py`), and where it is
//! written for the interpreter the plugin is given.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// The source of the shipped runner.
pub const RUNNER_SOURCE: &str = include_str!("floe_dlt_runner.py");

/// The runner's file name.
pub const RUNNER_FILE: &str = "floe_dlt_runner.py";

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// FNV-1a of the runner's source, so a changed runner gets a new directory.
fn source_hash() -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in RUNNER_SOURCE.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

/// Writes the runner into `dir` (created if needed) unless it is there with the same
/// content; returns its path. The file is written under a temporary name and renamed,
/// so concurrent callers never see half a file.
pub fn install_runner(dir: &Path) -> Result<PathBuf, String> {
    let path = dir.join(RUNNER_FILE);
    if std::fs::read_to_string(&path).is_ok_and(|text| text == RUNNER_SOURCE) {
        return Ok(path);
    }
    std::fs::create_dir_all(dir)
        .map_err(|e| format!("cannot create {} for the dlt runner: {e}", dir.display()))?;
    let temp = dir.join(format!(
        ".{RUNNER_FILE}.{}.{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    std::fs::write(&temp, RUNNER_SOURCE)
        .and_then(|()| std::fs::rename(&temp, &path))
        .map_err(|e| format!("cannot write the dlt runner to {}: {e}", path.display()))?;
    Ok(path)
}

/// The default place of the runner: `<temp dir>/floe-dlt-runner-<hash>/`.
pub fn default_runner_dir() -> PathBuf {
    std::env::temp_dir().join(format!("floe-dlt-runner-{}", source_hash()))
}
