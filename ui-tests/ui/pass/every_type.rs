use floe_registry::prelude::*;

#[floe_plugin(type = Compute, name = "a-compute", version = "1.0.0")]
#[derive(Default)]
struct A;
impl ComputePlugin for A {}

#[floe_plugin(type = Orchestrator, name = "an-orchestrator", version = "1.0.0")]
#[derive(Default)]
struct B;
impl OrchestratorPlugin for B {}

#[floe_plugin(type = Catalog, name = "a-catalog", version = "1.0.0")]
#[derive(Default)]
struct C;
impl CatalogPlugin for C {}

#[floe_plugin(type = Storage, name = "a-storage", version = "1.0.0")]
#[derive(Default)]
struct D;
impl StoragePlugin for D {}

#[floe_plugin(type = TelemetryBackend, name = "a-telemetry-backend", version = "1.0.0")]
#[derive(Default)]
struct E;
impl TelemetryBackendPlugin for E {}

#[floe_plugin(type = LineageBackend, name = "a-lineage-backend", version = "1.0.0")]
#[derive(Default)]
struct F;
impl LineageBackendPlugin for F {}

#[floe_plugin(type = Dbt, name = "a-dbt", version = "1.0.0")]
#[derive(Default)]
struct G;
impl DbtPlugin for G {}

#[floe_plugin(type = SemanticLayer, name = "a-semantic-layer", version = "1.0.0")]
#[derive(Default)]
struct H;
impl SemanticLayerPlugin for H {}

#[floe_plugin(type = Ingestion, name = "an-ingestion", version = "1.0.0")]
#[derive(Default)]
struct I;
impl IngestionPlugin for I {}

#[floe_plugin(type = Secrets, name = "a-secrets", version = "1.0.0")]
#[derive(Default)]
struct J;
impl SecretsPlugin for J {}

#[floe_plugin(type = Identity, name = "an-identity", version = "1.0.0")]
#[derive(Default)]
struct K;
impl IdentityPlugin for K {}

#[floe_plugin(type = Quality, name = "l", version = "1.0.0")]
#[derive(Default)]
struct L;
impl QualityPlugin for L {}

#[floe_plugin(type = Rbac, name = "m", version = "1.0.0")]
#[derive(Default)]
struct M;
impl RbacPlugin for M {}

#[floe_plugin(type = AlertChannel, name = "n", version = "1.0.0")]
#[derive(Default)]
struct N;
impl AlertChannelPlugin for N {}

#[floe_plugin(type = NetworkSecurity, name = "o", version = "1.0.0")]
#[derive(Default)]
struct O;
impl NetworkSecurityPlugin for O {}

#[floe_plugin(type = SecretScanner, name = "p", version = "1.0.0")]
#[derive(Default)]
struct P;
impl SecretScannerPlugin for P {}

fn main() {
    let registry = PluginRegistry::new();
    assert_eq!(
        registry.discover_all(),
        PluginType::COUNT,
        "one plugin of each type"
    );
    for plugin_type in PluginType::ALL {
        assert_eq!(
            registry.list(plugin_type).len(),
            1,
            "one {plugin_type} plugin"
        );
    }
}
