use floe_registry::prelude::*;

#[floe_plugin(type = telemetry_backend, name = "stdout", version = "1.0.0")]
#[derive(Default)]
struct Stdout;

impl TelemetryBackendPlugin for Stdout {}

fn main() {}
