//! The directory walk: which files are scanned, under which relative path, and paths
//! written as Python's `pathlib` writes them.

use std::path::Path;

use floe_registry::fnmatch::Pattern;
use floe_registry::prelude::*;

/// A text file to scan.
pub(super) struct TextFile {
    /// Its path relative to the scanned directory, `/`-separated.
    pub relative: String,
    /// Its content, newlines read as Python's text mode reads them.
    pub content: String,
}

/// A path as Python's `PurePosixPath` parses it: its root (`""`, `/` or `//`) and its
/// parts, without empty and `.` parts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct PyPath {
    root: &'static str,
    parts: Vec<String>,
}

impl PyPath {
    /// Parses `text` (Python 3.11's `_PosixFlavour.splitroot` and `parse_parts`).
    pub(super) fn parse(text: &str) -> PyPath {
        let stripped = text.trim_start_matches('/');
        let root = match text.len() - stripped.len() {
            0 => "",
            2 => "//",
            _ => "/",
        };
        let parts = stripped
            .split('/')
            .filter(|p| !p.is_empty() && *p != ".")
            .map(str::to_owned)
            .collect();
        PyPath { root, parts }
    }

    /// `str(path)`: the root and the parts joined with `/`, or `.` when empty.
    pub(super) fn display(&self) -> String {
        let text = format!("{}{}", self.root, self.parts.join("/"));
        if text.is_empty() {
            ".".to_owned()
        } else {
            text
        }
    }

    /// This path with `child` parts appended.
    fn join(&self, child: &[String]) -> PyPath {
        let mut parts = self.parts.clone();
        parts.extend(child.iter().cloned());
        PyPath {
            root: self.root,
            parts,
        }
    }
}

/// `path` written as Python's `str(Path(path))` writes it: `./a/../b.py` is
/// `a/../b.py`, `a//b/` is `a/b`, an empty path is `.`.
pub(super) fn python_path(path: &Path) -> String {
    PyPath::parse(&path.to_string_lossy()).display()
}

/// One exclude glob: Python's `PurePath.match` pattern.
#[derive(Debug, Clone)]
struct Glob {
    root: &'static str,
    parts: Vec<Pattern>,
}

/// The exclude globs, matched as floe matches them (`Path.match` on the walked path).
pub(super) struct Excludes {
    globs: Vec<Glob>,
}

impl Excludes {
    /// The globs. An empty one (`""`, `.`), which floe fails on ("empty pattern"),
    /// excludes nothing.
    pub(super) fn new(globs: &[String]) -> Excludes {
        let globs = globs
            .iter()
            .map(|g| PyPath::parse(g))
            .filter(|p| !p.root.is_empty() || !p.parts.is_empty())
            .map(|p| Glob {
                root: p.root,
                parts: p.parts.iter().map(|part| Pattern::new(part)).collect(),
            })
            .collect();
        Excludes { globs }
    }

    /// Whether some glob matches `path` (Python 3.11's `PurePath.match`): a relative
    /// glob from the right, part by part; an absolute one the whole path.
    fn matches(&self, path: &PyPath) -> bool {
        self.globs.iter().any(|glob| {
            if !glob.root.is_empty() {
                if glob.root != path.root || glob.parts.len() != path.parts.len() {
                    return false;
                }
            } else if glob.parts.len() > path.parts.len() {
                return false;
            }
            glob.parts
                .iter()
                .rev()
                .zip(path.parts.iter().rev())
                .all(|(pattern, part)| pattern.matches(part))
        })
    }
}

/// Text as Python's text mode reads it (universal newlines): `\r\n` and `\r` are `\n`.
fn universal_newlines(text: String) -> String {
    if text.contains('\r') {
        text.replace("\r\n", "\n").replace('\r', "\n")
    } else {
        text
    }
}

/// The parts of `path` below `root`, as strings.
fn parts_below(path: &Path, root: &Path) -> Vec<String> {
    path.strip_prefix(root)
        .unwrap_or(path)
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect()
}

/// Every UTF-8 file below `directory` that no glob excludes, in path order. As floe:
/// hidden files are walked, symbolic links to files are read, links to folders are not
/// followed, a file that is not UTF-8 or cannot be read is skipped. Beyond floe, a
/// folder that a glob matches is not walked (`node_modules`, `**/tests/**`).
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
    let base = PyPath::parse(&directory.to_string_lossy());
    let walked = |path: &Path| base.join(&parts_below(path, directory));
    let mut files = Vec::new();
    let walker = walkdir::WalkDir::new(directory)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|entry| {
            entry.depth() == 0
                || !entry.file_type().is_dir()
                || !excludes.matches(&walked(entry.path()))
        });
    for entry in walker.filter_map(Result::ok) {
        let is_file = entry.file_type().is_file()
            || (entry.path_is_symlink()
                && std::fs::metadata(entry.path()).is_ok_and(|m| m.is_file()));
        if !is_file || excludes.matches(&walked(entry.path())) {
            continue;
        }
        let Ok(bytes) = std::fs::read(entry.path()) else {
            continue;
        };
        let Ok(content) = String::from_utf8(bytes) else {
            continue;
        };
        files.push(TextFile {
            relative: parts_below(entry.path(), directory).join("/"),
            content: universal_newlines(content),
        });
    }
    Ok(files)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_written_as_python_writes_them() {
        for (given, shown) in [
            ("./a/../b.py", "a/../b.py"),
            ("a//b/", "a/b"),
            ("", "."),
            (".", "."),
            ("//a", "//a"),
            ("///a/./b", "/a/b"),
            ("/", "/"),
        ] {
            assert_eq!(PyPath::parse(given).display(), shown, "{given}");
        }
    }

    #[test]
    fn fnmatch_reads_patterns_as_python() {
        let m = |p: &str, n: &str| Pattern::new(p).matches(n);
        assert!(m("*.py", "a.py"));
        assert!(m("*.py", ".py"));
        assert!(!m("*.py", "a.pyc"));
        assert!(m("a?c", "abc"));
        assert!(m("[!a]x", "bx"));
        assert!(!m("[!a]x", "ax"));
        assert!(m("[]]", "]"));
        assert!(m("[a-", "[a-"));
        assert!(!m("[z-a]", "z"));
        assert!(m("[!z-a]", "q"));
        assert!(m("[a-]", "-"));
        assert!(m("**", "anything"));
        assert!(m("a\\b", "a\\b"));
        assert!(m("*a*b*", "xxaybz"));
    }

    #[test]
    fn globs_match_from_the_right_or_whole_when_absolute() {
        let path = PyPath::parse("/tmp/proj/config/app.yaml");
        let ex = |g: &str| Excludes::new(&[g.to_owned()]).matches(&path);
        assert!(ex("*.yaml"));
        assert!(ex("config/*.yaml"));
        assert!(!ex("proj/*.yaml"));
        assert!(ex("/tmp/*/config/*"));
        assert!(!ex("/proj/config/*"));
        assert!(!ex(""));
        assert!(!ex("."));
    }
}
