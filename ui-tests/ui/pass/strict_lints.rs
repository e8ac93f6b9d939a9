//! A plugin crate with strict lints: the generated code must add no warning of its own.
#![deny(
    warnings,
    unused_qualifications,
    unused_results,
    unused_extern_crates,
    unreachable_pub,
    non_upper_case_globals,
    non_snake_case,
    missing_debug_implementations,
    missing_docs,
    trivial_casts,
    trivial_numeric_casts,
    single_use_lifetimes
)]

use floe_registry::prelude::*;

/// The config.
#[floe_config]
#[derive(Debug)]
pub struct StrictConfig {
    /// How many.
    pub threads: u32,
}

/// A plugin with a config and a dependency.
#[floe_plugin(
    type = Compute,
    name = "strict",
    version = "1.0.0",
    config = StrictConfig,
    dependencies = ["catalog:polaris"],
)]
#[derive(Debug, Default)]
pub struct Strict {
    #[config]
    config: ConfigCell<StrictConfig>,
}

impl ComputePlugin for Strict {
    fn startup(&self) -> Result<(), PluginError> {
        self.config.get().map(|_| ())
    }
}

fn main() {}
