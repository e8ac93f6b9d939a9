//! What only the Python code knows about each plugin (its own version, API version,
//! description, dependencies, config schema), kept on disk per environment so that
//! listing an unchanged environment starts no Python.
//!
//! The cache of an environment is one JSON file under the cache folder
//! (`$FLOE_CACHE_DIR`, else `$XDG_CACHE_HOME/floe`, else `~/.cache/floe`), keyed by the
//! environment's folder and by every installed distribution with its version: installing,
//! upgrading or removing a distribution makes it stale, and it is then rebuilt.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// A plugin's metadata, as the worker's `describe` gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Described {
    pub(crate) name: String,
    pub(crate) version: String,
    pub(crate) floe_api_version: String,
    #[serde(default)]
    pub(crate) description: String,
    #[serde(default)]
    pub(crate) dependencies: Vec<String>,
    #[serde(default)]
    pub(crate) config_schema: Option<Value>,
}

/// What describing one plugin gave: its metadata, or why it could not be loaded.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum Outcome {
    Described(Described),
    Failed { kind: String, message: String },
}

impl Outcome {
    /// Whether to keep this until the environment changes: a description, yes; a
    /// failure, no: it may depend on more than the installed packages (a variable of
    /// the environment, a worker that could not start), so it is tried again.
    pub(crate) fn is_fact(&self) -> bool {
        matches!(self, Outcome::Described(_))
    }
}

/// The cache of one environment.
#[derive(Debug, Default, Serialize, Deserialize)]
struct File {
    environment: PathBuf,
    fingerprint: Vec<String>,
    /// By `group:name`.
    plugins: BTreeMap<String, Outcome>,
}

/// The key of a plugin in the cache.
pub(crate) fn key(group: &str, name: &str) -> String {
    format!("{group}:{name}")
}

/// The cache of one environment on disk.
#[derive(Debug, Clone)]
pub(crate) struct Cache {
    /// `None` when no cache folder can be found: nothing is kept.
    path: Option<PathBuf>,
    environment: PathBuf,
}

impl Cache {
    /// The cache of the environment rooted at `environment`, in the cache folder.
    pub(crate) fn of(environment: &Path) -> Self {
        Self::in_folder(folder(), environment)
    }

    /// The cache of the environment rooted at `environment`, in `folder` (`None`: no
    /// cache).
    pub(crate) fn in_folder(folder: Option<PathBuf>, environment: &Path) -> Self {
        let path = folder.map(|dir| dir.join(format!("python-{:016x}.json", fnv1a(environment))));
        Cache {
            path,
            environment: environment.to_owned(),
        }
    }

    /// The cached outcomes, if the cache is for this environment as it is now.
    pub(crate) fn load(&self, fingerprint: &[String]) -> Option<BTreeMap<String, Outcome>> {
        let text = std::fs::read_to_string(self.path.as_ref()?).ok()?;
        let file: File = serde_json::from_str(&text).ok()?;
        (file.environment == self.environment && file.fingerprint == fingerprint)
            .then_some(file.plugins)
    }

    /// Keeps `plugins` for the environment as `fingerprint` describes it. A cache that
    /// cannot be written is only logged: it makes the next listing slower, nothing
    /// else.
    pub(crate) fn store(&self, fingerprint: &[String], plugins: &BTreeMap<String, Outcome>) {
        let Some(path) = &self.path else { return };
        let file = File {
            environment: self.environment.clone(),
            fingerprint: fingerprint.to_vec(),
            plugins: plugins.clone(),
        };
        let written = (|| -> std::io::Result<()> {
            if let Some(dir) = path.parent() {
                std::fs::create_dir_all(dir)?;
            }
            let text = serde_json::to_string(&file).map_err(std::io::Error::other)?;
            // Written aside, then renamed: a reader never sees half a file.
            let partial = path.with_extension(format!("json.{}", std::process::id()));
            std::fs::write(&partial, text)?;
            std::fs::rename(&partial, path)
        })();
        if let Err(error) = written {
            tracing::warn!(path = %path.display(), %error, "python_metadata_cache_not_written");
        }
    }
}

/// The cache folder.
fn folder() -> Option<PathBuf> {
    let var = |name| {
        std::env::var_os(name)
            .filter(|v| !v.is_empty())
            .map(PathBuf::from)
    };
    var("FLOE_CACHE_DIR")
        .or_else(|| var("XDG_CACHE_HOME").map(|d| d.join("floe")))
        .or_else(|| var("HOME").map(|d| d.join(".cache").join("floe")))
}

/// FNV-1a of a path's bytes: a stable file name per environment (the file also holds
/// the path, so a collision only costs a rebuild).
fn fnv1a(path: &Path) -> u64 {
    path.as_os_str()
        .as_encoded_bytes()
        .iter()
        .fold(0xcbf2_9ce4_8422_2325, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cache_serves_only_the_environment_as_it_was() {
        let dir = tempfile::tempdir().expect("temp dir");
        let cache = Cache {
            path: Some(dir.path().join("c.json")),
            environment: PathBuf::from("/srv/venv"),
        };
        let before = ["floe-core==0.1.0a1".to_owned()];
        assert!(cache.load(&before).is_none(), "nothing yet");
        let mut plugins = BTreeMap::new();
        plugins.insert(
            key("floe.catalogs", "glue"),
            Outcome::Described(Described {
                name: "glue".into(),
                version: "0.1.0".into(),
                floe_api_version: "1.0".into(),
                description: String::new(),
                dependencies: Vec::new(),
                config_schema: None,
            }),
        );
        cache.store(&before, &plugins);
        assert_eq!(cache.load(&before), Some(plugins));
        let upgraded = ["floe-core==0.1.0a2".to_owned()];
        assert!(cache.load(&upgraded).is_none(), "an upgrade invalidates it");
        let elsewhere = Cache {
            environment: PathBuf::from("/srv/other"),
            ..cache
        };
        assert!(
            elsewhere.load(&before).is_none(),
            "another environment's file"
        );
    }
}
