//! Checking a database path, and recognising a DuckDB database file by its header.

use std::fs::File;
use std::io::Read;

use floe_registry::PluginError;

/// The in-memory database.
pub const MEMORY: &str = ":memory:";

/// DuckDB's file magic, at byte offset 8 of every database file.
pub const MAGIC: &[u8; 4] = b"DUCK";
const MAGIC_OFFSET: usize = 8;

/// Refuses paths with `..` and paths that name no file (`""`, `/`, `./`).
pub fn validate_path(path: &str) -> Result<(), PluginError> {
    if path.contains("..") {
        return Err(PluginError::failed(
            "Database path must not contain '..' (path traversal)",
        ));
    }
    if path == MEMORY {
        return Ok(());
    }
    let meaningful = path
        .chars()
        .any(|c| !matches!(c, '/' | '\\' | '.' | '_' | '-' | ':'));
    if !meaningful {
        return Err(PluginError::failed(format!(
            "Invalid database path: '{path}'"
        )));
    }
    Ok(())
}

/// What a database file turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FileCheck {
    /// A DuckDB database file.
    DuckDb,
    /// No file at the path.
    Missing,
    /// Something that is not a DuckDB database; the reason.
    NotDuckDb(String),
}

/// Reads the first bytes of `path` and looks for DuckDB's magic.
pub fn check_file(path: &str) -> FileCheck {
    let mut file = match File::open(path) {
        Ok(f) => f,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return FileCheck::Missing,
        Err(e) => return FileCheck::NotDuckDb(format!("cannot open it: {e}")),
    };
    match file.metadata() {
        Ok(meta) if meta.is_dir() => return FileCheck::NotDuckDb("it is a directory".into()),
        Ok(_) => {}
        Err(e) => return FileCheck::NotDuckDb(format!("cannot inspect it: {e}")),
    }
    let mut header = [0u8; MAGIC_OFFSET + 4];
    let mut filled = 0;
    while filled < header.len() {
        match file.read(&mut header[filled..]) {
            Ok(0) => break,
            Ok(n) => filled += n,
            Err(e) => return FileCheck::NotDuckDb(format!("cannot read it: {e}")),
        }
    }
    if filled < header.len() {
        return FileCheck::NotDuckDb(format!(
            "it is {filled} bytes long, too short for a DuckDB header"
        ));
    }
    if &header[MAGIC_OFFSET..] == MAGIC {
        FileCheck::DuckDb
    } else {
        FileCheck::NotDuckDb("it has no DuckDB header (\"DUCK\" at byte 8)".into())
    }
}
