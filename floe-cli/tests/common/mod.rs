//! Places the floe-cli integration tests share: this workspace and its target folder.
//! Each test binary compiles this module and uses part of it.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// The floe-registry workspace these tests belong to.
pub fn floe_workspace() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("floe-cli sits in the workspace")
        .to_path_buf()
}

/// This workspace's target folder: nested cargo runs build there, reusing what
/// `cargo test` already compiled (and npm packages are installed there once).
pub fn target_dir() -> PathBuf {
    Path::new(env!("CARGO_TARGET_TMPDIR"))
        .parent()
        .expect("CARGO_TARGET_TMPDIR is inside the target directory")
        .to_path_buf()
}
