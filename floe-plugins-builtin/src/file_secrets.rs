//! Secrets backend `file`: a directory with one file per key, the way Kubernetes
//! mounts a Secret into a pod.
//!
//! - A key is 1 to 253 of `A-Z a-z 0-9 . _ -`, not starting with `.` (Kubernetes'
//!   Secret key rule; hidden names are the mount's own `..data` links and this
//!   plugin's temporary files), so no key can name a path outside the directory.
//! - Reads follow the mount's symlinks but refuse a file that resolves outside the
//!   directory.
//! - Writes are atomic (a hidden temporary file in the same directory, then a rename)
//!   and the file is `0600`. Metadata is kept beside, in `.floe-metadata/<key>.json`.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//! use std::collections::BTreeMap;
//!
//! let dir = tempfile::tempdir().unwrap();
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! registry.configure(PluginType::Secrets, "file", serde_json::json!({"directory": dir.path()}))?;
//! let files = registry.get_as::<dyn SecretsPlugin>("file")?;
//! files.set_secret("db-password", &Secret::new("s3cr3t"), &BTreeMap::new())?;
//! assert_eq!(files.get_secret("db-password")?.unwrap().expose(), "s3cr3t");
//! assert_eq!(files.list_secrets("db")?, ["db-password"]);
//! # Ok::<(), PluginError>(())
//! ```

use std::collections::BTreeMap;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use floe_registry::prelude::*;

/// The hidden directory holding the metadata of each key.
pub const METADATA_DIR: &str = ".floe-metadata";

/// Longest key, as for Kubernetes Secret keys.
pub const MAX_KEY_LEN: usize = 253;

/// Files in a directory, one per key, as Kubernetes mounts Secrets; atomic writes
/// with owner-only permissions.
#[floe_plugin(type = Secrets, name = "file", version = "0.1.0", config = FileSecretsConfig)]
#[derive(Default)]
pub struct FileSecretsPlugin {
    #[config]
    config: ConfigCell<FileSecretsConfig>,
}

/// The settings of the file secrets backend.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct FileSecretsConfig {
    /// The directory holding one file per secret key (a Kubernetes Secret mount, or a
    /// local directory).
    #[schemars(length(min = 1))]
    pub directory: PathBuf,
    /// Create the directory (mode `0700`) at startup when it does not exist.
    #[serde(default)]
    pub create_directory: bool,
}

static TEMP_COUNTER: AtomicU64 = AtomicU64::new(0);

/// Checks that `key` is a valid key: 1 to 253 of `A-Z a-z 0-9 . _ -`, not starting
/// with `.`.
pub fn check_key(key: &str) -> Result<(), PluginError> {
    let valid = !key.is_empty()
        && key.len() <= MAX_KEY_LEN
        && !key.starts_with('.')
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-'));
    if valid {
        Ok(())
    } else {
        Err(PluginError::failed(format!(
            "invalid secret key '{}': a key is 1 to {MAX_KEY_LEN} of A-Z a-z 0-9 . _ - and does not start with '.'",
            key.escape_debug()
        )))
    }
}

fn io_error(what: String, e: io::Error) -> PluginError {
    crate::error::failure(what, e)
}

impl FileSecretsPlugin {
    fn settings(&self) -> Result<Arc<FileSecretsConfig>, PluginError> {
        self.config.get()
    }

    /// The directory, which must exist.
    fn directory(&self) -> Result<PathBuf, PluginError> {
        let dir = self.settings()?.directory.clone();
        match fs::metadata(&dir) {
            Ok(m) if m.is_dir() => Ok(dir),
            Ok(_) => Err(PluginError::failed(format!(
                "secrets directory {} is not a directory",
                dir.display()
            ))),
            Err(e) => Err(io_error(
                format!("secrets directory {} is not available", dir.display()),
                e,
            )),
        }
    }

    /// The metadata stored with `key`, empty when there is none.
    pub fn get_metadata(&self, key: &str) -> Result<BTreeMap<String, String>, PluginError> {
        check_key(key)?;
        let path = self
            .directory()?
            .join(METADATA_DIR)
            .join(format!("{key}.json"));
        match fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| {
                crate::error::failure(
                    format!("metadata of secret '{key}' is not a JSON object of strings"),
                    e,
                )
            }),
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(io_error(
                format!("cannot read metadata of secret '{key}'"),
                e,
            )),
        }
    }

    /// Removes the secret `key` and its metadata; `false` when it did not exist.
    pub fn delete_secret(&self, key: &str) -> Result<bool, PluginError> {
        check_key(key)?;
        let dir = self.directory()?;
        let _ = fs::remove_file(dir.join(METADATA_DIR).join(format!("{key}.json")));
        match fs::remove_file(dir.join(key)) {
            Ok(()) => {
                sync_dir(&dir);
                Ok(true)
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
            Err(e) => Err(io_error(format!("cannot delete secret '{key}'"), e)),
        }
    }
}

/// Writes `bytes` to `dir/name` atomically: a hidden temporary file created `0600`
/// in `dir`, flushed to disk, then renamed over the target.
fn write_atomic(dir: &Path, name: &str, bytes: &[u8]) -> io::Result<()> {
    let temp = dir.join(format!(
        ".{name}.tmp-{}-{}",
        std::process::id(),
        TEMP_COUNTER.fetch_add(1, Ordering::Relaxed)
    ));
    let result = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(&temp)?;
        #[cfg(unix)]
        fs::set_permissions(&temp, std::os::unix::fs::PermissionsExt::from_mode(0o600))?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, dir.join(name))
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
    } else {
        sync_dir(dir);
    }
    result
}

/// Flushes a directory's entries to disk (best effort: not every platform allows it).
fn sync_dir(dir: &Path) {
    if let Ok(handle) = fs::File::open(dir) {
        let _ = handle.sync_all();
    }
}

impl SecretsPlugin for FileSecretsPlugin {
    /// The content of `<directory>/<key>` as UTF-8, or `None` when there is no such
    /// file. A file that resolves outside the directory, or is not UTF-8, is an error.
    fn get_secret(&self, key: &str) -> Result<Option<Secret>, PluginError> {
        check_key(key)?;
        let dir = self.directory()?;
        let path = dir.join(key);
        let resolved = match fs::canonicalize(&path) {
            Ok(p) => p,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(io_error(format!("cannot read secret '{key}'"), e)),
        };
        let root = fs::canonicalize(&dir)
            .map_err(|e| io_error(format!("cannot resolve {}", dir.display()), e))?;
        if !resolved.starts_with(&root) {
            return Err(PluginError::failed(format!(
                "secret '{key}' resolves outside the secrets directory {}; refused",
                dir.display()
            )));
        }
        if !resolved.is_file() {
            return Err(PluginError::failed(format!(
                "secret '{key}' is not a regular file"
            )));
        }
        let bytes =
            fs::read(&resolved).map_err(|e| io_error(format!("cannot read secret '{key}'"), e))?;
        String::from_utf8(bytes)
            .map(|value| Some(Secret::new(value)))
            .map_err(|_| PluginError::failed(format!("secret '{key}' is not valid UTF-8")))
    }

    /// Writes `<directory>/<key>` atomically with mode `0600`; non-empty metadata goes
    /// to `.floe-metadata/<key>.json` (also `0600`), empty metadata removes it.
    fn set_secret(
        &self,
        key: &str,
        value: &Secret,
        metadata: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        check_key(key)?;
        let dir = self.directory()?;
        write_atomic(&dir, key, value.expose().as_bytes())
            .map_err(|e| io_error(format!("cannot write secret '{key}'"), e))?;
        let meta_dir = dir.join(METADATA_DIR);
        let meta_name = format!("{key}.json");
        if metadata.is_empty() {
            let _ = fs::remove_file(meta_dir.join(&meta_name));
            return Ok(());
        }
        create_private_dir(&meta_dir)
            .map_err(|e| io_error(format!("cannot create {}", meta_dir.display()), e))?;
        let json = serde_json::to_vec_pretty(metadata)
            .map_err(|e| crate::error::failure("cannot encode secret metadata", e))?;
        write_atomic(&meta_dir, &meta_name, &json)
            .map_err(|e| io_error(format!("cannot write metadata of secret '{key}'"), e))
    }

    /// The keys (file names that are valid keys, hidden entries skipped) starting
    /// with `prefix`, sorted.
    fn list_secrets(&self, prefix: &str) -> Result<Vec<String>, PluginError> {
        let dir = self.directory()?;
        let entries = fs::read_dir(&dir)
            .map_err(|e| io_error(format!("cannot list {}", dir.display()), e))?;
        let mut keys: Vec<String> = entries
            .filter_map(Result::ok)
            .filter_map(|entry| {
                let name = entry.file_name().into_string().ok()?;
                let is_file = fs::metadata(entry.path()).ok()?.is_file();
                (is_file && check_key(&name).is_ok() && name.starts_with(prefix)).then_some(name)
            })
            .collect();
        keys.sort();
        Ok(keys)
    }

    /// Creates the directory when `create_directory` is set; fails when it is missing.
    fn startup(&self) -> Result<(), PluginError> {
        let config = self.settings()?;
        if config.create_directory && !config.directory.exists() {
            create_private_dir(&config.directory).map_err(|e| {
                io_error(format!("cannot create {}", config.directory.display()), e)
            })?;
        }
        self.directory().map(drop).map_err(|e| {
            PluginError::failed(format!(
                "{e} (set create_directory to true to create it at startup)"
            ))
        })
    }

    /// Healthy when the directory can be listed, with how many keys it holds.
    fn health_check(&self) -> HealthStatus {
        let dir = match self.settings() {
            Ok(config) => config.directory.display().to_string(),
            Err(e) => return HealthStatus::unhealthy(crate::error::chain(&e)),
        };
        match self.list_secrets("") {
            Ok(keys) => HealthStatus::healthy()
                .with_detail("directory", dir)
                .with_detail("secrets", keys.len()),
            Err(e) => {
                HealthStatus::unhealthy(crate::error::chain(&e)).with_detail("directory", dir)
            }
        }
    }
}

fn create_private_dir(dir: &Path) -> io::Result<()> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir)
}
