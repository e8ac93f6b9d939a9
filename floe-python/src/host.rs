//! One Python environment as a plugin source: its layout, its installed plugins, its
//! worker and its metadata cache, behind [`PythonEnvironment`].

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use floe_registry::{
    ConfigCheckError, ConfigSpec, Descriptor, PluginDescriptor, PluginError, PluginProvider,
    PluginSource, Timeouts,
};
use serde_json::{Map, Value, json};

use crate::PythonError;
use crate::cache::{self, Cache, Described, Outcome};
use crate::distributions::{self, EntryPoint, Installed};
use crate::environment::Layout;
use crate::plugin::{PythonPlugin, field_errors};
use crate::worker::{Worker, WorkerError};

/// What every plugin of one environment shares: where it is, its worker, its timeouts.
pub(crate) struct Host {
    pub(crate) worker: Worker,
    pub(crate) timeouts: Timeouts,
}

impl Host {
    /// Sends `op` about the plugin `group`/`name` to the worker.
    pub(crate) fn request(
        &self,
        op: &str,
        group: &str,
        name: &str,
        mut fields: Map<String, Value>,
        timeout: Duration,
    ) -> Result<(Value, u64), WorkerError> {
        fields.insert("group".into(), json!(group));
        fields.insert("name".into(), json!(name));
        self.worker.request(op, fields, timeout)
    }
}

/// A Python environment whose floe plugins a registry hosts out of process.
///
/// Opening one reads its installed distributions (the `entry_points.txt` of every
/// `*.dist-info`) for floe's 16 entry point groups, without starting Python when the
/// path is a virtual environment. Added to a registry with
/// [`PluginRegistry::add_provider`](floe_registry::PluginRegistry::add_provider), its
/// plugins are listed, configured (by their own pydantic models), started, checked and
/// stopped like linked ones; one worker process per environment runs their code,
/// started on first need.
///
/// ```no_run
/// use floe_registry::{PluginRegistry, PluginType};
/// use floe_python::PythonEnvironment;
///
/// let registry = PluginRegistry::new();
/// registry.discover_all();
/// registry.add_provider(&PythonEnvironment::open("/srv/floe-venv")?)?;
/// let glue = registry.info(PluginType::Catalog, "glue")?;
/// assert_eq!(glue.source, "python package `floe-catalog-glue 0.1.0a1` (floe_catalog_glue.plugin:GlueCatalogPlugin)");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone)]
pub struct PythonEnvironment {
    root: PathBuf,
    python: PathBuf,
    installed: Installed,
    cache: Cache,
    host: Arc<Host>,
}

impl std::fmt::Debug for PythonEnvironment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PythonEnvironment")
            .field("root", &self.root)
            .field("python", &self.python)
            .field("plugins", &self.installed.entry_points.len())
            .finish_non_exhaustive()
    }
}

/// The environment variable naming a Python environment: `FLOE_PYTHON`.
pub const FLOE_PYTHON: &str = "FLOE_PYTHON";

impl PythonEnvironment {
    /// The environment at `path`: a virtual environment's folder, its interpreter, or
    /// another Python interpreter (asked once where its packages are). Starts no
    /// worker.
    pub fn open(path: impl AsRef<Path>) -> Result<Self, PythonError> {
        let path = path.as_ref();
        let layout = Layout::find(path)?;
        let mut installed = distributions::scan(&layout.site_packages)?;
        // What the worker reports depends on its script too: a new floe-python rebuilds
        // the cache.
        installed.fingerprint.push(crate::worker::host_script_key());
        let root = if path.is_dir() {
            path.to_owned()
        } else {
            layout.python.clone()
        };
        let label = root.display().to_string();
        Ok(PythonEnvironment {
            cache: Cache::of(&root),
            python: layout.python.clone(),
            host: Arc::new(Host {
                worker: Worker::new(layout.python, label),
                timeouts: Timeouts::default(),
            }),
            installed,
            root,
        })
    }

    /// The environment named by `FLOE_PYTHON`, if it is set.
    pub fn from_env() -> Result<Option<Self>, PythonError> {
        match std::env::var_os(FLOE_PYTHON).filter(|v| !v.is_empty()) {
            Some(path) => Self::open(PathBuf::from(path)).map(Some),
            None => Ok(None),
        }
    }

    /// Sets how long the worker may take for each call: `lifecycle` for loading,
    /// configuring, `startup()`, `shutdown()` and methods, `health` for
    /// `health_check()`. Give the registry's timeouts, so that the worker stops
    /// waiting when the registry does.
    pub fn with_timeouts(mut self, timeouts: Timeouts) -> Self {
        let host = Host {
            worker: Worker::new(self.python.clone(), self.root.display().to_string()),
            timeouts,
        };
        self.host = Arc::new(host);
        self
    }

    /// Keeps the metadata cache in `folder` instead of the default cache folder
    /// (`$FLOE_CACHE_DIR`, else `$XDG_CACHE_HOME/floe`, else `~/.cache/floe`).
    pub fn with_cache_dir(mut self, folder: impl Into<PathBuf>) -> Self {
        self.cache = Cache::in_folder(Some(folder.into()), &self.root);
        self
    }

    /// The interpreter the worker runs.
    pub fn python(&self) -> &Path {
        &self.python
    }

    /// Every floe plugin entry point installed, in `site-packages` then name order.
    pub fn entry_points(&self) -> &[EntryPoint] {
        &self.installed.entry_points
    }

    /// Whether the worker process runs now.
    pub fn worker_running(&self) -> bool {
        self.host.worker.is_running()
    }

    /// How many worker processes were started so far (a crash or a hang replaces the
    /// worker on next use).
    pub fn worker_starts(&self) -> u64 {
        self.host.worker.starts()
    }

    /// One round trip to the worker that runs no plugin code (the protocol's `ping`),
    /// starting the worker if none runs: what every call to a Python plugin costs
    /// beyond the plugin's own work. For health checks of the environment and for
    /// measuring that cost.
    pub fn ping(&self) -> Result<(), PluginError> {
        self.host
            .worker
            .request("ping", Map::new(), self.host.timeouts.lifecycle)
            .map(drop)
            .map_err(|e| {
                PluginError::failed(format!(
                    "the Python worker of {} did not answer a ping: {e}",
                    self.root.display()
                ))
            })
    }

    /// What only the Python code knows of each plugin: from the cache when the
    /// environment is unchanged, else from the worker (which loads every plugin once),
    /// then cached.
    fn outcomes(&self) -> BTreeMap<String, Outcome> {
        let fingerprint = &self.installed.fingerprint;
        let mut outcomes = self.cache.load(fingerprint).unwrap_or_default();
        let mut learned = false;
        let began = std::time::Instant::now();
        let mut shown = false;
        // A worker that cannot start fails every plugin alike: tried once a listing.
        let mut no_worker: Option<Outcome> = None;
        for entry in &self.installed.entry_points {
            let key = cache::key(entry.group(), &entry.name);
            if let std::collections::btree_map::Entry::Vacant(vacant) = outcomes.entry(key) {
                // A cold cache loads every plugin once: say so on a terminal when it
                // takes long.
                if !shown && began.elapsed() > Duration::from_secs(1) {
                    shown = true;
                    if std::io::stderr().is_terminal() {
                        eprintln!(
                            "floe: reading the Python plugins of {} (once; kept until a package changes)...",
                            self.root.display()
                        );
                    }
                }
                let outcome = match &no_worker {
                    Some(failed) => failed.clone(),
                    None => self.describe(entry),
                };
                if matches!(&outcome, Outcome::Failed { kind, .. } if kind == "worker_start") {
                    no_worker.get_or_insert_with(|| outcome.clone());
                }
                learned |= outcome.is_fact();
                vacant.insert(outcome);
            }
        }
        if learned {
            let facts: BTreeMap<String, Outcome> = outcomes
                .iter()
                .filter(|(_, o)| o.is_fact())
                .map(|(k, o)| (k.clone(), o.clone()))
                .collect();
            self.cache.store(fingerprint, &facts);
        }
        outcomes
    }

    /// Asks the worker for one plugin's metadata.
    fn describe(&self, entry: &EntryPoint) -> Outcome {
        let answer = self.host.request(
            "describe",
            entry.group(),
            &entry.name,
            Map::new(),
            self.host.timeouts.lifecycle,
        );
        match answer {
            Ok((value, _)) => match serde_json::from_value::<Described>(value) {
                Ok(described) => Outcome::Described(described),
                Err(e) => Outcome::Failed {
                    kind: "protocol".into(),
                    message: format!("the worker's description is not readable: {e}"),
                },
            },
            Err(WorkerError::Python { kind, message, .. }) => Outcome::Failed { kind, message },
            Err(other) => Outcome::Failed {
                kind: if matches!(other, WorkerError::Start(_)) {
                    "worker_start".into()
                } else {
                    "worker".into()
                },
                message: crate::plugin::error(
                    &floe_registry::PluginId::new(entry.plugin_type, &*entry.name),
                    "describe",
                    other,
                )
                .to_string(),
            },
        }
    }

    /// The registry's descriptor of one plugin.
    fn descriptor(&self, entry: &EntryPoint, outcome: Option<&Outcome>) -> PluginDescriptor {
        let source = PluginSource::provided(
            "python",
            format!("{} {}", entry.distribution, entry.version),
            entry.value.clone(),
        );
        let host = Arc::clone(&self.host);
        let load = entry.clone();
        let version = semver_of(match outcome {
            Some(Outcome::Described(d)) => &d.version,
            _ => &entry.version,
        });
        let descriptor = PluginDescriptor::runtime(
            entry.plugin_type,
            entry.name.clone(),
            version,
            source,
            move |descriptor| PythonPlugin::load(&host, &load, descriptor),
        );
        let Some(Outcome::Described(described)) = outcome else {
            // Not loadable: listed with its distribution's version; the load error
            // comes on first use.
            return descriptor.with_config_spec(ConfigSpec::json(json!({})));
        };
        let spec = match &described.config_schema {
            Some(schema) => {
                let host = Arc::clone(&self.host);
                let entry = entry.clone();
                ConfigSpec::json(schema.clone())
                    .with_check(Arc::new(move |config: &Value| check(&host, &entry, config)))
            }
            // floe-core accepts any config, unvalidated, for a plugin without a model.
            None => ConfigSpec::json(json!({})),
        };
        descriptor
            .with_owned_api_version(described.floe_api_version.clone())
            .with_owned_description(described.description.clone())
            .with_owned_dependencies(described.dependencies.clone())
            .with_config_spec(spec)
    }
}

/// A Python version (PEP 440) in SemVer form, which the registry's rules require:
/// SemVer as it is, `0.1.0a1` as `0.1.0-a1`, `1.2` as `1.2.0`, `1.0.post1` as
/// `1.0.0-post1`; anything else as `0.0.0`, so that a plugin with an odd version is
/// still listed and its real load error shown.
fn semver_of(version: &str) -> String {
    if floe_registry::check_semver(version).is_ok() {
        return version.to_owned();
    }
    let release_end = version
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(version.len());
    let (release, rest) = version.split_at(release_end);
    let mut parts: Vec<&str> = release.trim_end_matches('.').split('.').collect();
    while parts.len() < 3 {
        parts.push("0");
    }
    let suffix = rest
        .trim_start_matches(['.', '-', '_'])
        .to_ascii_lowercase();
    let candidate = match (parts.len(), suffix.is_empty()) {
        (3, true) => parts.join("."),
        (3, false) => format!("{}-{suffix}", parts.join(".")),
        _ => String::new(),
    };
    if floe_registry::check_semver(&candidate).is_ok() {
        candidate
    } else {
        "0.0.0".to_owned()
    }
}

/// Validates `config` with the plugin's own model in the worker, storing nothing there:
/// the config as given when it is accepted (the plugin gets it when it next runs).
fn check(host: &Host, entry: &EntryPoint, config: &Value) -> Result<Value, ConfigCheckError> {
    let mut fields = Map::new();
    fields.insert("config".into(), config.clone());
    fields.insert("apply".into(), json!(false));
    match host.request(
        "configure",
        entry.group(),
        &entry.name,
        fields,
        host.timeouts.lifecycle,
    ) {
        Ok(_) => Ok(config.clone()),
        Err(WorkerError::Python { kind, detail, .. }) if kind == "configuration" => {
            Err(ConfigCheckError::Invalid(field_errors(&detail)))
        }
        Err(other) => Err(ConfigCheckError::Failed(crate::plugin::error(
            &floe_registry::PluginId::new(entry.plugin_type, &*entry.name),
            "configure",
            other,
        ))),
    }
}

impl PluginProvider for PythonEnvironment {
    fn name(&self) -> Cow<'_, str> {
        Cow::Owned(format!("python {}", self.root.display()))
    }

    fn descriptors(&self) -> Result<Vec<Descriptor>, PluginError> {
        let outcomes = self.outcomes();
        Ok(self
            .installed
            .entry_points
            .iter()
            .map(|entry| {
                let outcome = outcomes.get(&cache::key(entry.group(), &entry.name));
                Descriptor::from(self.descriptor(entry, outcome))
            })
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::semver_of;

    #[test]
    fn python_versions_read_as_semver() {
        for (python, semver) in [
            ("0.1.0", "0.1.0"),
            ("0.1.0a1", "0.1.0-a1"),
            ("1.2", "1.2.0"),
            ("1.0.post1", "1.0.0-post1"),
            ("2.0.0rc2", "2.0.0-rc2"),
            ("1!2.0", "0.0.0"),
            ("", "0.0.0"),
        ] {
            assert_eq!(semver_of(python), semver, "{python}");
        }
    }
}
