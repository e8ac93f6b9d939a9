//! `floe plugins schema`: a plugin's config JSON Schema, pretty-printed: the lax one
//! (`PluginRegistry::config_schema_lax`), which takes every config `configure` accepts.

use floe_registry::PluginRegistry;

use std::process::ExitCode;

use crate::CliError;
use crate::cli::PluginArgs;
use crate::info::lookup_error;
use crate::output;

/// Runs the command.
pub fn run(registry: &PluginRegistry, args: &PluginArgs) -> Result<ExitCode, CliError> {
    let (t, name) = (args.plugin_type, args.name.as_str());
    match registry.config_schema_lax(t, name) {
        Ok(Some(schema)) => {
            output::print_json(&schema);
            Ok(ExitCode::SUCCESS)
        }
        Ok(None) => {
            output::print(&format!(
                "Plugin {t}/{name} takes no configuration (its config must be empty or absent).\n"
            ));
            Ok(ExitCode::SUCCESS)
        }
        Err(e) => Err(CliError::new(lookup_error(registry, t, &e))),
    }
}
