//! Test plugins for the `floe` command line's own tests.
//!
//! Linked only into this crate's own `floe-fixture` binary (never into the shipped
//! `floe`), so the CLI tests never depend on the behaviour of the built-in plugins. Every name
//! starts with `fx-`. Health and startup behaviour is chosen by the plugin (healthy,
//! degraded, unhealthy, slow, failing), so one manifest per scenario is enough. No
//! plugin is an orchestrator, so the listing shows an empty group. Setting
//! `FLOE_CLI_FIXTURE_LOG` to a file path makes the plugins log startup and shutdown there.

use std::io::Write;
use std::time::Duration;

use floe_registry::prelude::*;
use serde::Deserialize;

/// Settings of the fixture engine.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EngineConfig {
    /// Worker threads.
    #[schemars(range(min = 1, max = 64))]
    pub threads: u32,
    /// Memory limit, like `8GB`.
    #[serde(default = "default_memory")]
    pub memory_limit: String,
    /// Access token for the remote service.
    #[serde(default)]
    pub token: Option<Secret>,
    /// Extensions to load.
    #[serde(default)]
    pub extensions: Vec<Extension>,
}

/// One extension of the fixture engine.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct Extension {
    /// Extension name.
    #[schemars(length(min = 1))]
    pub name: String,
}

/// Appends `event` to the file named by `FLOE_CLI_FIXTURE_LOG`, if set: the tests read
/// it to see the startup and shutdown order.
fn log(event: &str) {
    let Some(path) = std::env::var_os("FLOE_CLI_FIXTURE_LOG") else {
        return;
    };
    if let Ok(mut file) = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(path)
    {
        let _ = writeln!(file, "{event}");
    }
}

fn default_memory() -> String {
    "4GB".to_owned()
}

/// Fixture compute engine: validates its config and is always healthy.
#[floe_plugin(type = Compute, name = "fx-engine", version = "0.2.0", config = EngineConfig)]
#[derive(Default)]
pub struct Engine {
    #[config]
    config: ConfigCell<EngineConfig>,
}

impl ComputePlugin for Engine {
    fn startup(&self) -> Result<(), PluginError> {
        self.config.get()?;
        log("start fx-engine");
        Ok(())
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        log("stop fx-engine");
        Ok(())
    }
}

/// Settings of the fixture object store.
#[derive(Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct StoreConfig {
    /// Bucket name.
    #[schemars(length(min = 3, max = 63))]
    pub bucket: String,
    /// Endpoint URL.
    #[serde(default)]
    pub endpoint: Option<String>,
    /// Secret access key.
    pub secret_key: Secret,
}

/// Fixture object store.
#[floe_plugin(type = Storage, name = "fx-store", version = "1.4.2", config = StoreConfig)]
#[derive(Default)]
pub struct Store;

impl StoragePlugin for Store {
    fn startup(&self) -> Result<(), PluginError> {
        log("start fx-store");
        Ok(())
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        log("stop fx-store");
        Ok(())
    }
}

/// Fixture catalog: needs the fixture store started first.
#[floe_plugin(type = Catalog, name = "fx-catalog", version = "0.1.3", dependencies = ["storage:fx-store"])]
#[derive(Default)]
pub struct Catalog;

impl CatalogPlugin for Catalog {
    /// Healthy: a catalog must say so itself (the trait's default, as floe's, is unhealthy).
    fn health_check(&self) -> HealthStatus {
        HealthStatus::healthy()
    }

    fn startup(&self) -> Result<(), PluginError> {
        log("start fx-catalog");
        Ok(())
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        log("stop fx-catalog");
        Ok(())
    }
}

/// Fixture secrets backend: takes no configuration.
#[floe_plugin(type = Secrets, name = "fx-vault", version = "2.0.0")]
#[derive(Default)]
pub struct Vault;

impl SecretsPlugin for Vault {}

/// Fixture telemetry backend that always reports degraded.
#[floe_plugin(type = TelemetryBackend, name = "fx-degraded", version = "1.0.0")]
#[derive(Default)]
pub struct Degraded;

impl TelemetryBackendPlugin for Degraded {
    fn health_check(&self) -> HealthStatus {
        HealthStatus::degraded("collector queue is 90% full")
    }
}

/// Fixture lineage backend that always reports unhealthy.
#[floe_plugin(type = LineageBackend, name = "fx-sick", version = "1.0.0")]
#[derive(Default)]
pub struct Sick;

impl LineageBackendPlugin for Sick {
    fn health_check(&self) -> HealthStatus {
        HealthStatus::unhealthy("connection refused")
    }
}

/// Fixture lineage backend that is healthy.
#[floe_plugin(type = LineageBackend, name = "fx-lineage", version = "1.0.0")]
#[derive(Default)]
pub struct Lineage;

impl LineageBackendPlugin for Lineage {}

/// Fixture lineage backend whose health check hangs for 30 seconds.
#[floe_plugin(type = LineageBackend, name = "fx-slow", version = "1.0.0")]
#[derive(Default)]
pub struct Slow;

impl LineageBackendPlugin for Slow {
    fn startup(&self) -> Result<(), PluginError> {
        log("start fx-slow");
        Ok(())
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        log("stop fx-slow");
        Ok(())
    }

    fn health_check(&self) -> HealthStatus {
        log("checking fx-slow");
        std::thread::sleep(Duration::from_secs(30));
        HealthStatus::healthy()
    }
}

/// Fixture identity provider whose startup fails.
#[floe_plugin(type = Identity, name = "fx-broken", version = "1.0.0")]
#[derive(Default)]
pub struct Broken;

impl IdentityPlugin for Broken {
    fn startup(&self) -> Result<(), PluginError> {
        Err(PluginError::failed("cannot reach the token endpoint"))
    }
}

/// Fixture dbt environment that depends on `fx-cycle-b`, which depends back on it.
#[floe_plugin(type = Dbt, name = "fx-cycle-a", version = "1.0.0", dependencies = ["fx-cycle-b"])]
#[derive(Default)]
pub struct CycleA;

impl DbtPlugin for CycleA {}

/// Fixture semantic layer that depends on `fx-cycle-a`.
#[floe_plugin(type = SemanticLayer, name = "fx-cycle-b", version = "1.0.0", dependencies = ["dbt:fx-cycle-a"])]
#[derive(Default)]
pub struct CycleB;

impl SemanticLayerPlugin for CycleB {}

mod future;
