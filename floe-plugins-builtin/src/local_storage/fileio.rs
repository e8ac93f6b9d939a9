//! A [`FileIo`] over a local directory that refuses every path leading outside it.

use std::fs;
use std::io::{self, Write};
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use floe_registry::{FileIo, PluginError};

/// Files under one root directory. Paths are relative to the root, or absolute /
/// `file://` paths inside it; `..` components and symbolic links that lead outside
/// the root are refused. Writes are atomic (a temporary file in the same directory,
/// then a rename).
#[derive(Debug, Clone)]
pub struct LocalFileIo {
    root: PathBuf,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

impl LocalFileIo {
    /// A FileIO confined to `root`, which must be an existing directory.
    pub fn new(root: impl AsRef<Path>) -> Result<Self, PluginError> {
        let given = root.as_ref();
        let root = fs::canonicalize(given).map_err(|e| {
            PluginError::failed(format!(
                "warehouse root '{}' is not usable: {e}",
                given.display()
            ))
        })?;
        if !root.is_dir() {
            return Err(PluginError::failed(format!(
                "warehouse root '{}' is not a directory",
                root.display()
            )));
        }
        Ok(Self { root })
    }

    /// The root directory (canonical).
    pub fn root(&self) -> &Path {
        &self.root
    }

    fn escape(&self, path: &str, why: &str) -> PluginError {
        PluginError::failed(format!(
            "path '{path}' is refused: {why}; files must stay inside the warehouse root '{}'",
            self.root.display()
        ))
    }

    /// The relative components of `path` inside the root.
    fn components(&self, path: &str) -> Result<Vec<String>, PluginError> {
        let raw = path.strip_prefix("file://").unwrap_or(path);
        let as_path = Path::new(raw);
        let relative = if as_path.is_absolute() {
            as_path
                .strip_prefix(&self.root)
                .map_err(|_| self.escape(path, "it is an absolute path outside the root"))?
        } else {
            as_path
        };
        let mut parts = Vec::new();
        for component in relative.components() {
            match component {
                Component::Normal(name) => match name.to_str() {
                    Some(n) => parts.push(n.to_owned()),
                    None => return Err(self.escape(path, "it is not valid UTF-8")),
                },
                Component::CurDir => {}
                Component::ParentDir => {
                    return Err(self.escape(path, "'..' components are not allowed"));
                }
                Component::RootDir | Component::Prefix(_) => {
                    return Err(self.escape(path, "it is an absolute path outside the root"));
                }
            }
        }
        if parts.is_empty() {
            return Err(PluginError::failed(format!(
                "path '{path}' names no file inside the warehouse root"
            )));
        }
        Ok(parts)
    }

    /// Checks that an existing `candidate` resolves (through any symbolic link) to a
    /// place inside the root.
    fn check_inside(&self, path: &str, candidate: &Path) -> Result<(), PluginError> {
        let resolved = fs::canonicalize(candidate)
            .map_err(|e| self.escape(path, &format!("its link cannot be resolved ({e})")))?;
        if resolved.starts_with(&self.root) {
            Ok(())
        } else {
            Err(self.escape(path, "a symbolic link leads outside the root"))
        }
    }

    /// The file `path` stands for, every existing step checked to stay inside the
    /// root; missing directories are created when `create_dirs`.
    fn resolve(&self, path: &str, create_dirs: bool) -> Result<PathBuf, PluginError> {
        let parts = self.components(path)?;
        let mut current = self.root.clone();
        let (last, dirs) = parts
            .split_last()
            .ok_or_else(|| self.escape(path, "it names no file"))?;
        for dir in dirs {
            current.push(dir);
            match fs::symlink_metadata(&current) {
                Ok(meta) => {
                    if meta.file_type().is_symlink() {
                        self.check_inside(path, &current)?;
                    }
                    if !current.is_dir() {
                        return Err(PluginError::failed(format!(
                            "path '{path}': '{}' is not a directory",
                            current.display()
                        )));
                    }
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound && create_dirs => {
                    fs::create_dir(&current)
                        .map_err(|e| io_error("create directory", &current, e))?;
                }
                Err(e) if e.kind() == io::ErrorKind::NotFound => {
                    return Err(not_found(path));
                }
                Err(e) => return Err(io_error("inspect", &current, e)),
            }
        }
        current.push(last);
        if let Ok(meta) = fs::symlink_metadata(&current)
            && meta.file_type().is_symlink()
        {
            self.check_inside(path, &current)?;
        }
        Ok(current)
    }
}

fn not_found(path: &str) -> PluginError {
    PluginError::failed(format!("file not found in the warehouse: '{path}'"))
}

fn io_error(action: &str, path: &Path, e: io::Error) -> PluginError {
    crate::error::failure(format!("cannot {action} '{}'", path.display()), e)
}

impl FileIo for LocalFileIo {
    fn read(&self, path: &str) -> Result<Vec<u8>, PluginError> {
        let file = self.resolve(path, false)?;
        fs::read(&file).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => not_found(path),
            _ => io_error("read", &file, e),
        })
    }

    fn write(&self, path: &str, data: &[u8]) -> Result<(), PluginError> {
        let file = self.resolve(path, true)?;
        if file.is_dir() {
            return Err(PluginError::failed(format!(
                "cannot write '{path}': it is a directory"
            )));
        }
        let dir = file.parent().unwrap_or(&self.root);
        let name = file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let temp = dir.join(format!(
            ".{name}.tmp-{}-{}",
            std::process::id(),
            TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut out = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&temp)?;
            out.write_all(data)?;
            out.sync_all()?;
            fs::rename(&temp, &file)
        })();
        written.map_err(|e| {
            let _ = fs::remove_file(&temp);
            io_error("write", &file, e)
        })
    }

    fn delete(&self, path: &str) -> Result<(), PluginError> {
        let file = self.resolve(path, false)?;
        fs::remove_file(&file).map_err(|e| match e.kind() {
            io::ErrorKind::NotFound => not_found(path),
            _ => io_error("delete", &file, e),
        })
    }
}
