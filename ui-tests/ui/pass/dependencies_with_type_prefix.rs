use floe_registry::prelude::*;

// A type prefix takes any spelling the registry accepts. The same name under another
// type is not a self-dependency.
#[floe_plugin(
    type = Catalog,
    name = "duckdb",
    version = "1.0.0",
    dependencies = ["compute:duckdb", "storage:s3", "TELEMETRY_BACKEND:otel", "Secrets:vault", "polaris"]
)]
#[derive(Default)]
struct DuckDbCatalog;

impl CatalogPlugin for DuckDbCatalog {}

fn main() {
    assert_eq!(
        DuckDbCatalog.dependencies(),
        [
            "compute:duckdb",
            "storage:s3",
            "TELEMETRY_BACKEND:otel",
            "Secrets:vault",
            "polaris"
        ]
    );
}
