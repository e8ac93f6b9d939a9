use floe_registry::prelude::*;

// `X.Y.Z` is accepted for the API version; the patch is ignored by the check.
#[floe_plugin(type = Dbt, name = "dbt-core", version = "1.0.0", floe_api_version = "1.0.7")]
#[derive(Default)]
struct DbtCore;

impl DbtPlugin for DbtCore {}

fn main() {
    assert_eq!(DbtCore.floe_api_version(), "1.0.7");
}
