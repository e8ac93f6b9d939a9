//! `floe plugins schema`: a plugin's config JSON Schema, pretty-printed.

use floe_registry::PluginRegistry;

use crate::cli::PluginArgs;
use crate::info::lookup_error;
use crate::output;

/// Runs the command; returns the exit code.
pub fn run(registry: &PluginRegistry, args: &PluginArgs) -> u8 {
    let (t, name) = (args.plugin_type, args.name.as_str());
    match registry.config_schema(t, name) {
        Ok(Some(schema)) => {
            output::print_json(&schema);
            0
        }
        Ok(None) => {
            output::print(&format!(
                "Plugin {t}/{name} takes no configuration (its config must be empty or absent).\n"
            ));
            0
        }
        Err(e) => {
            output::error(&lookup_error(registry, t, &e));
            2
        }
    }
}
