//! What the new binary holds: each plugin crate's contribution, read from its own
//! `plugins list --json`, and the problems that make a build unusable.

use std::path::Path;
use std::process::Command;

use floe_registry::PluginInfo;

use super::plan::{BuildPlan, PluginCrate};
use crate::CliError;

/// The package that holds the built-ins.
const BUILTIN_PACKAGE: &str = "floe-plugins-builtin";

/// Runs `BINARY plugins list --json` and reads the plugins it reports.
pub fn linked_plugins(binary: &Path) -> Result<Vec<PluginInfo>, CliError> {
    let output = Command::new(binary)
        .args(["plugins", "list", "--json"])
        .env("NO_COLOR", "1")
        .output()
        .map_err(|e| {
            CliError::with_code(
                format!("cannot run the new binary {}: {e}", binary.display()),
                1,
            )
        })?;
    if !output.status.success() {
        return Err(CliError::with_code(
            format!(
                "the new binary failed `plugins list --json` ({}): {}",
                output.status,
                String::from_utf8_lossy(&output.stderr).trim()
            ),
            1,
        ));
    }
    serde_json::from_slice(&output.stdout).map_err(|e| {
        CliError::with_code(
            format!("the new binary's `plugins list --json` is not a plugin list: {e}"),
            1,
        )
    })
}

/// Where a plugin came from, for a person: the `--with` that brought it or the
/// built-in feature.
fn origin_of(info: &PluginInfo, plan: &BuildPlan) -> String {
    if info.crate_name == BUILTIN_PACKAGE {
        return format!(
            "the built-in {}/{} ({})",
            info.plugin_type, info.name, info.source
        );
    }
    match plan.plugins.iter().find(|p| p.package() == info.crate_name) {
        Some(p) => format!("{} ({})", p.origin(), info.source),
        None => info.source.clone(),
    }
}

/// Checks the build: every plugin crate contributes a plugin, and no identity is
/// registered twice. Returns each plugin crate with its plugins, in the plan's order.
pub fn contributions<'p, 'l>(
    plan: &'p BuildPlan,
    linked: &'l [PluginInfo],
) -> Result<Vec<(&'p PluginCrate, Vec<&'l PluginInfo>)>, CliError> {
    let mut problems = Vec::new();
    for (i, info) in linked.iter().enumerate() {
        let first = linked[..i]
            .iter()
            .find(|o| o.plugin_type == info.plugin_type && o.name == info.name);
        if let Some(first) = first {
            problems.push(format!(
                "duplicate plugin {}:{}: registered by {} and by {}; rename one of them or leave the built-in out with --builtins",
                info.plugin_type,
                info.name,
                origin_of(first, plan),
                origin_of(info, plan)
            ));
        }
    }
    let mut out = Vec::new();
    for plugin in &plan.plugins {
        let own: Vec<&PluginInfo> = linked
            .iter()
            .filter(|i| i.crate_name == plugin.package())
            .collect();
        if own.is_empty() {
            problems.push(format!(
                "crate `{}` ({}) contributes no plugin: it is linked, but no `#[floe_plugin]` registration from it reached the binary. A plugin is a struct in the crate's library with `#[floe_plugin(type = ..., name = ...)]`; check that it has one and that it is not behind a cargo feature or `#[cfg]` that is off",
                plugin.package(),
                plugin.origin()
            ));
        }
        out.push((plugin, own));
    }
    match problems.len() {
        0 => Ok(out),
        1 => Err(CliError::with_code(problems.remove(0), 1)),
        n => Err(CliError::with_code(
            format!(
                "{n} problems with this build:\n  - {}",
                problems.join("\n  - ")
            ),
            1,
        )),
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use floe_registry::PluginType;

    use super::*;
    use crate::builtins;

    fn info(t: PluginType, name: &str, krate: &str) -> PluginInfo {
        serde_json::from_value(serde_json::json!({
            "name": name,
            "version": "0.1.0",
            "floe_api_version": "1.0",
            "plugin_type": t,
            "description": "",
            "dependencies": [],
            "is_loaded": false,
            "is_configured": false,
            "has_config": false,
            "source": format!("crate `{krate}` ({}::X)", krate.replace('-', "_")),
            "crate_name": krate,
        }))
        .expect("a PluginInfo")
    }

    fn plan(packages: &[&str]) -> BuildPlan {
        BuildPlan {
            plugins: packages
                .iter()
                .map(|p| PluginCrate::Path {
                    given: format!("./{p}"),
                    dir: PathBuf::from(format!("/src/{p}")),
                    package: (*p).into(),
                    lib: p.replace('-', "_"),
                    registry_from_crates_io: false,
                })
                .collect(),
            builtins: builtins::select("duckdb").expect("valid"),
            output: PathBuf::from("floe"),
            release: false,
            keep: None,
            target_dir: None,
        }
    }

    #[test]
    fn each_crate_gets_its_own_plugins() {
        let linked = [
            info(PluginType::Compute, "duckdb", BUILTIN_PACKAGE),
            info(PluginType::Storage, "acme", "acme-store"),
            info(PluginType::Secrets, "acme", "acme-store"),
        ];
        let plan = plan(&["acme-store"]);
        let found = contributions(&plan, &linked).expect("no problems");
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].1.len(), 2);
    }

    #[test]
    fn a_crate_without_plugins_is_an_error_that_says_why() {
        let linked = [info(PluginType::Compute, "duckdb", BUILTIN_PACKAGE)];
        let plan = plan(&["empty-crate"]);
        let e = contributions(&plan, &linked).expect_err("an error");
        assert_eq!(e.exit_code(), 1);
        let text = e.to_string();
        assert!(
            text.starts_with(
                "crate `empty-crate` (--with-path ./empty-crate) contributes no plugin"
            ),
            "{text}"
        );
        assert!(text.contains("`#[floe_plugin]`"), "{text}");
    }

    #[test]
    fn a_duplicate_names_both_sources() {
        let linked = [
            info(PluginType::Compute, "duckdb", BUILTIN_PACKAGE),
            info(PluginType::Compute, "duckdb", "my-duck"),
        ];
        let plan = plan(&["my-duck"]);
        let text = contributions(&plan, &linked)
            .expect_err("an error")
            .to_string();
        assert!(text.starts_with("duplicate plugin compute:duckdb: registered by the built-in compute/duckdb (crate `floe-plugins-builtin`"), "{text}");
        assert!(
            text.contains("and by --with-path ./my-duck (crate `my-duck`"),
            "{text}"
        );
    }
}
