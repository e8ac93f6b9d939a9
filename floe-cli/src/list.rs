//! `floe plugins list`: every installed plugin, grouped by type.

use floe_registry::{PluginInfo, PluginRegistry, PluginType};

use std::process::ExitCode;

use crate::CliError;
use crate::cli::ListArgs;
use crate::error;
use crate::output::{self, Style};

/// Runs the command.
pub fn run(registry: &PluginRegistry, args: &ListArgs) -> Result<ExitCode, CliError> {
    let infos: Vec<PluginInfo> = registry
        .infos()
        .into_iter()
        .filter(|i| args.plugin_type.is_none_or(|t| t == i.plugin_type))
        .collect();
    for problem in registry.duplicates().into_iter().chain(registry.shadowed()) {
        output::warning(&error::chain(&problem));
    }
    if args.json {
        output::print_json(&infos);
        return Ok(ExitCode::SUCCESS);
    }
    let types: Vec<PluginType> = match args.plugin_type {
        Some(t) => vec![t],
        None => PluginType::ALL.to_vec(),
    };
    output::print(&render(&infos, &types, Style::stdout()));
    if infos.is_empty() && args.plugin_type.is_none() {
        output::warning(
            "no plugins are linked into this floe binary; a plugin crate that nothing references is not linked",
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Where a plugin comes from, in a word or two: `linked`, or the provider and package
/// (`python package `floe-catalog-glue 0.1.0a1``).
pub fn origin(info: &PluginInfo) -> &str {
    if info.linked {
        "linked"
    } else {
        info.source.split(" (").next().unwrap_or(&info.source)
    }
}

/// The human listing: a heading per type, `name (version)` aligned across all groups,
/// then the description.
fn render(infos: &[PluginInfo], types: &[PluginType], style: Style) -> String {
    // Where each plugin comes from, when not every one is linked.
    let mixed = infos.iter().any(|i| !i.linked);
    let label = |i: &PluginInfo| format!("{} ({})", i.name, i.version);
    let column = infos
        .iter()
        .map(|i| label(i).chars().count())
        .max()
        .unwrap_or(0);
    let mut out = format!("{}\n", style.bold("Installed plugins:"));
    for t in types {
        out.push('\n');
        out.push_str(&style.bold(t.as_str()));
        out.push('\n');
        let of_type: Vec<&PluginInfo> = infos.iter().filter(|i| i.plugin_type == *t).collect();
        if of_type.is_empty() {
            out.push_str(&format!("  {}\n", style.dim("(none)")));
        }
        for info in of_type {
            let text = label(info);
            let pad = " ".repeat(column - text.chars().count());
            let mut description = output::one_line(&info.description);
            if !info.api_compatible {
                let note = format!(
                    "[incompatible: needs plugin API v{}, platform provides v{}]",
                    info.floe_api_version,
                    floe_registry::FLOE_API_VERSION
                );
                description = format!("{} {description}", style.red(&note));
            }
            if mixed {
                description = format!(
                    "{} {description}",
                    style.dim(&format!("[{}]", origin(info)))
                );
            }
            let line = format!("  {text}{pad}  {description}");
            out.push_str(line.trim_end());
            out.push('\n');
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn info(t: PluginType, name: &str, version: &str, description: &str) -> PluginInfo {
        serde_json::from_value(serde_json::json!({
            "name": name,
            "version": version,
            "floe_api_version": "1.0",
            "plugin_type": t,
            "description": description,
            "dependencies": [],
            "is_loaded": false,
            "is_configured": false,
            "has_config": false,
            "source": "",
        }))
        .expect("a PluginInfo")
    }

    #[test]
    fn every_type_is_a_group_and_names_align() {
        let infos = [
            info(PluginType::Compute, "duckdb", "1.0.0", "Embedded\nDuckDB."),
            info(PluginType::Secrets, "env", "0.1.0", ""),
        ];
        let text = render(&infos, &PluginType::ALL, Style::plain());
        assert!(
            text.starts_with("Installed plugins:\n\ncompute\n  duckdb (1.0.0)  Embedded DuckDB.\n")
        );
        assert!(text.contains("\nsecrets\n  env (0.1.0)\n"));
        assert_eq!(text.matches("(none)").count(), PluginType::COUNT - 2);
        assert!(
            !text.contains("[linked]"),
            "no sources while every plugin is linked"
        );
    }

    #[test]
    fn a_listing_with_python_plugins_shows_every_source() {
        let mut glue: PluginInfo = serde_json::from_value(serde_json::json!({
            "name": "glue", "version": "0.1.0", "floe_api_version": "1.0",
            "plugin_type": "catalog", "description": "AWS Glue", "dependencies": [],
            "is_loaded": false, "is_configured": false, "has_config": true,
            "source": "python package `floe-catalog-glue 0.1.0a1` (floe_catalog_glue.plugin:GlueCatalogPlugin)",
            "crate_name": "floe-catalog-glue 0.1.0a1", "linked": false,
        }))
        .expect("a PluginInfo");
        glue.api_compatible = true;
        let infos = [
            info(PluginType::Catalog, "polaris", "0.1.0", "Polaris"),
            glue,
        ];
        let text = render(&infos, &[PluginType::Catalog], Style::plain());
        assert!(
            text.contains(
                "  glue (0.1.0)     [python package `floe-catalog-glue 0.1.0a1`] AWS Glue\n"
            ),
            "{text}"
        );
        assert!(
            text.contains("  polaris (0.1.0)  [linked] Polaris\n"),
            "{text}"
        );
    }
}
