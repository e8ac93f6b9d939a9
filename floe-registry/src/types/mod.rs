//! The plugin type traits, one file each, and the result types their methods return.
//!
//! The models and default algorithms of the newer interfaces (quality, RBAC, alerts,
//! network security, secret scanning, sinks) live in the `floe-interfaces` crate,
//! re-exported here as [`crate::quality`], [`crate::rbac`], ...; these files hold only the
//! traits, whose supertrait [`PluginMetadata`](crate::PluginMetadata) and error
//! [`PluginError`](crate::PluginError) belong to the registry.
//!
//! Every trait has [`PluginMetadata`](crate::PluginMetadata) as supertrait and the
//! same three lifecycle hooks with defaults, declared by `lifecycle_hooks!` so they are
//! written once: override them inside the type's one impl block. Every `health_check`
//! defaults to healthy except the catalog's, which follows floe in reporting unhealthy
//! until the plugin overrides it (see [`CatalogPlugin::health_check`]).

/// Declares the lifecycle hooks inside a type trait. `lifecycle_hooks!()` gives every
/// hook its common default; a trait whose `health_check` default differs (the catalog's,
/// as in floe) passes its own `fn health_check`, and the start and stop hooks stay
/// declared here once.
macro_rules! lifecycle_hooks {
    () => {
        lifecycle_hooks! {
            /// Checks the plugin's health. Runs on a pooled thread, never the caller's,
            /// with a timeout (5 s by default); a panic or timeout makes the plugin
            /// `Unhealthy`. Default: healthy.
            fn health_check(&self) -> $crate::HealthStatus {
                $crate::HealthStatus::healthy()
            }
        }
    };
    ($(#[$doc:meta])* fn health_check(&self) -> $status:ty $body:block) => {
        $(#[$doc])*
        fn health_check(&self) -> $status $body

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

mod alert_channel;
mod catalog;
mod common;
mod compute;
mod dbt;
mod identity;
mod ingestion;
mod lineage_backend;
mod network_security;
mod orchestrator;
mod quality;
mod rbac;
mod secret_scanner;
mod secrets;
mod semantic_layer;
mod sink;
mod storage;
mod telemetry_backend;

pub use alert_channel::AlertChannelPlugin;
pub use catalog::{
    CATALOG_HEALTH_NOT_IMPLEMENTED, CatalogHandle, CatalogPlugin, TableOperation, VendedCredentials,
};
pub use common::{ResourceSpec, UnknownWorkloadSize, ValidationResult, WorkloadSize};
pub use compute::{
    CatalogConfig, ComputeConfig, ComputePlugin, ConnectionResult, ConnectionStatus,
};
pub use dbt::{DbtNodeResult, DbtPlugin, DbtRunResult, LintResult, LintViolation};
pub use identity::{IdentityPlugin, OidcConfig, TokenValidationResult, UserInfo};
pub use ingestion::{
    IngestionConfig, IngestionPipeline, IngestionPlugin, IngestionResult, SchemaContract, WriteMode,
};
pub use lineage_backend::LineageBackendPlugin;
pub use network_security::NetworkSecurityPlugin;
pub use orchestrator::{
    DEFAULT_LINEAGE_PRODUCER, LineageDataset, LineageEmitter, LineageEvent, OrchestratorPlugin,
    RunState, TransformConfig,
};
pub use quality::QualityPlugin;
pub use rbac::RbacPlugin;
pub use secret_scanner::SecretScannerPlugin;
pub use secrets::SecretsPlugin;
pub use semantic_layer::SemanticLayerPlugin;
pub use sink::SinkConnector;
pub use storage::{FileIo, StoragePlugin};
pub use telemetry_backend::TelemetryBackendPlugin;

/// The error of a method that a plugin does not implement.
pub(crate) fn unsupported<P: crate::PluginMetadata + ?Sized>(
    plugin: &P,
    method: &str,
) -> crate::PluginError {
    crate::PluginError::Unsupported {
        id: plugin.id(),
        method: method.to_owned(),
    }
}

/// The error of a method given a model that breaks floe's rules.
pub(crate) fn invalid(errors: crate::ModelErrors) -> crate::PluginError {
    crate::PluginError::InvalidModel(errors)
}
