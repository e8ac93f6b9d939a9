//! The directory walk: which files are scanned, and under which relative path.

use std::path::{Component, Path};

use floe_registry::prelude::*;
use glob::{MatchOptions, Pattern};

/// A text file to scan.
pub(super) struct TextFile {
    /// Its path relative to the scanned directory, `/`-separated.
    pub relative: String,
    /// Its content.
    pub content: String,
}

/// The exclude globs, each split into path components and matched from the right.
pub(super) struct Excludes {
    globs: Vec<Vec<Pattern>>,
}

const OPTIONS: MatchOptions = MatchOptions {
    case_sensitive: true,
    require_literal_separator: true,
    require_literal_leading_dot: false,
};

impl Excludes {
    /// Compiles the globs; an invalid one is an error naming it.
    pub(super) fn new(globs: &[String]) -> Result<Self, PluginError> {
        let globs = globs
            .iter()
            .map(|g| {
                g.split('/')
                    .filter(|part| !part.is_empty() && *part != ".")
                    .map(|part| {
                        Pattern::new(part).map_err(|e| {
                            PluginError::failed(format!("invalid exclude pattern '{g}': {e}"))
                        })
                    })
                    .collect::<Result<Vec<_>, _>>()
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Excludes { globs })
    }

    /// Whether some glob matches `path`, compared from its last component backwards.
    pub(super) fn matches(&self, path: &Path) -> bool {
        let parts: Vec<String> = path
            .components()
            .filter_map(|c| match c {
                Component::Normal(s) => Some(s.to_string_lossy().into_owned()),
                _ => None,
            })
            .collect();
        self.globs.iter().any(|glob| {
            !glob.is_empty()
                && glob.len() <= parts.len()
                && glob
                    .iter()
                    .rev()
                    .zip(parts.iter().rev())
                    .all(|(pattern, part)| pattern.matches_with(part, OPTIONS))
        })
    }
}

/// Every text file below `directory` that no glob excludes, in path order.
pub(super) fn text_files(
    directory: &Path,
    excludes: &Excludes,
) -> Result<Vec<TextFile>, PluginError> {
    if !directory.is_dir() {
        return Err(PluginError::failed(format!(
            "cannot scan {}: not a directory",
            directory.display()
        )));
    }
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(directory)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| entry.depth() == 0 || !excludes.matches(entry.path()));
    for entry in walker.filter_map(Result::ok) {
        if !entry.file_type().is_file() {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        if bytes.contains(&0) {
            continue;
        }
        let Ok(content) = String::from_utf8(bytes) else {
            continue;
        };
        let relative = entry
            .path()
            .strip_prefix(directory)
            .unwrap_or(entry.path())
            .components()
            .map(|c| c.as_os_str().to_string_lossy())
            .collect::<Vec<_>>()
            .join("/");
        files.push(TextFile { relative, content });
    }
    Ok(files)
}
