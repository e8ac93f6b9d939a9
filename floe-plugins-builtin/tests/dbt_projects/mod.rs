//! Small dbt projects on disk for the real-tool tests, and a registry whose `duckdb`
//! compute and `core` dbt plugins use the pinned environment's dbt and sqlfluff.

#![allow(dead_code, clippy::unwrap_used)]

use std::fs;
use std::path::{Path, PathBuf};

use floe_registry::{ComputePlugin, DbtPlugin, PluginRegistry, PluginType};
use serde_json::{Value, json};

use crate::python_tools::python_env;
use crate::support::registry::registry;

/// A dbt project `shop` (profile `shop`) in a temporary directory, with its
/// `profiles.yml` directory beside it.
pub struct DbtProject {
    dir: tempfile::TempDir,
}

impl DbtProject {
    /// An empty project whose dbt sends no usage statistics.
    pub fn new() -> DbtProject {
        let project = DbtProject {
            dir: tempfile::tempdir().unwrap(),
        };
        project.file(
            "dbt_project.yml",
            "name: shop\nversion: '1.0'\nconfig-version: 2\nprofile: shop\n\
             flags:\n  send_anonymous_usage_stats: false\n",
        );
        fs::create_dir_all(project.root().join("models")).unwrap();
        project
    }

    /// The project directory.
    pub fn root(&self) -> PathBuf {
        self.dir.path().join("project")
    }

    /// Where `profiles.yml` is written.
    pub fn profiles(&self) -> PathBuf {
        self.dir.path().join("profiles")
    }

    /// The DuckDB file `name` next to the project.
    pub fn database(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    /// Writes `text` to the project file `relative` (creating directories).
    pub fn file(&self, relative: &str, text: &str) -> &DbtProject {
        let path = self.root().join(relative);
        fs::create_dir_all(path.parent().unwrap()).unwrap();
        fs::write(path, text).unwrap();
        self
    }

    /// A registry with `duckdb` configured by `duckdb_config` and `core` pointed at
    /// the pinned dbt and sqlfluff, both activated; `profiles.yml` written from the
    /// compute plugin's profile (target `dev`).
    pub fn registry(&self, duckdb_config: Value) -> PluginRegistry {
        let env = python_env();
        let registry = registry();
        registry
            .configure(PluginType::Compute, "duckdb", duckdb_config)
            .unwrap();
        registry.activate(PluginType::Compute, "duckdb").unwrap();
        registry
            .configure(
                PluginType::Dbt,
                "core",
                json!({
                    "dbt_executable": env.bin("dbt"),
                    "sqlfluff_executable": env.bin("sqlfluff"),
                }),
            )
            .unwrap();
        registry.activate(PluginType::Dbt, "core").unwrap();
        let output = compute(&registry).configured_dbt_profile().unwrap();
        dbt(&registry)
            .write_profiles(&self.root(), &self.profiles(), "dev", &output)
            .unwrap();
        registry
    }
}

/// The `core` dbt plugin.
pub fn dbt(registry: &PluginRegistry) -> &dyn DbtPlugin {
    registry.get_as::<dyn DbtPlugin>("core").unwrap()
}

/// The `duckdb` compute plugin.
pub fn compute(registry: &PluginRegistry) -> &dyn ComputePlugin {
    registry.get_as::<dyn ComputePlugin>("duckdb").unwrap()
}

/// `path` as a string for JSON configs.
pub fn text(path: &Path) -> String {
    path.to_str().unwrap().to_owned()
}
