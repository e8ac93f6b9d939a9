//! The 11 plugin type traits, one file each, and the result types their methods return.
//!
//! Every trait has [`PluginMetadata`](crate::PluginMetadata) as supertrait and the
//! same three lifecycle hooks with defaults, declared by `lifecycle_hooks!` so they are
//! written once: override them inside the type's one impl block.

/// Declares the lifecycle hooks inside a type trait.
macro_rules! lifecycle_hooks {
    () => {
        /// Checks the plugin's health. Runs on its own thread with a timeout (5 s by
        /// default); a panic or timeout makes the plugin `Unhealthy`. Default: healthy.
        fn health_check(&self) -> $crate::HealthStatus {
            $crate::HealthStatus::healthy()
        }

        /// Starts the plugin: open connections, warm caches. Called once, after its
        /// dependencies started, with a timeout (30 s by default). Default: nothing.
        fn startup(&self) -> ::core::result::Result<(), $crate::PluginError> {
            Ok(())
        }

        /// Stops the plugin, in exact reverse order of startup, with a timeout (30 s by
        /// default). Default: nothing.
        fn shutdown(&self) -> ::core::result::Result<(), $crate::PluginError> {
            Ok(())
        }
    };
}

mod catalog;
mod common;
mod compute;
mod dbt;
mod identity;
mod ingestion;
mod lineage_backend;
mod orchestrator;
mod secrets;
mod semantic_layer;
mod storage;
mod telemetry_backend;

pub use catalog::{CatalogHandle, CatalogPlugin, TableOperation, VendedCredentials};
pub use common::{ResourceSpec, ValidationResult, WorkloadSize};
pub use compute::{
    CatalogConfig, ComputeConfig, ComputePlugin, ConnectionResult, ConnectionStatus,
};
pub use dbt::{DbtNodeResult, DbtPlugin, DbtRunResult, LintResult, LintViolation};
pub use identity::{IdentityPlugin, TokenValidationResult, UserInfo};
pub use ingestion::{
    IngestionConfig, IngestionPipeline, IngestionPlugin, IngestionResult, SchemaContract, WriteMode,
};
pub use lineage_backend::LineageBackendPlugin;
pub use orchestrator::{Dataset, LineageEventType, OrchestratorPlugin, TransformConfig};
pub use secrets::SecretsPlugin;
pub use semantic_layer::SemanticLayerPlugin;
pub use storage::{FileIo, StoragePlugin};
pub use telemetry_backend::TelemetryBackendPlugin;

/// The error of a method that a plugin does not implement.
pub(crate) fn unsupported<P: crate::PluginMetadata + ?Sized>(
    plugin: &P,
    method: &str,
) -> crate::PluginError {
    crate::PluginError::failed(format!(
        "{} plugin '{}' does not support {method}()",
        plugin.plugin_type().upper_name(),
        plugin.name()
    ))
}
