use floe_registry::FLOE_API_VERSION;
use floe_registry::prelude::*;

/// Prints spans to stdout,
/// one per line.
///
/// Everything after the first paragraph stays out of the description.
#[floe_plugin(type = TelemetryBackend, name = "stdout")]
#[derive(Default)]
struct Stdout;

impl TelemetryBackendPlugin for Stdout {}

/// No doc paragraph and no `description`: the description is empty.
#[floe_plugin(type = LineageBackend, name = "quiet")]
#[derive(Default)]
struct Quiet;

impl LineageBackendPlugin for Quiet {}

fn main() {
    // `version` defaults to the annotated crate's own version.
    assert_eq!(Stdout.version(), env!("CARGO_PKG_VERSION"));
    assert_eq!(Stdout.floe_api_version(), FLOE_API_VERSION);
    assert_eq!(
        Stdout.description(),
        "Prints spans to stdout, one per line."
    );
    assert!(Stdout.dependencies().is_empty());
    assert!(Stdout.descriptor().config.is_none());
    assert_eq!(
        Quiet.description(),
        "No doc paragraph and no `description`: the description is empty."
    );
}
