//! The new crate's files other than `src/lib.rs`: Cargo.toml, the registry test,
//! README.md and .gitignore.

use super::names::Names;
use crate::source::toml_string;

/// `Cargo.toml`: the package, and floe-registry as its only dependency, given as the
/// inline TOML value `floe_registry` (from the same source as the running floe).
pub fn cargo_toml(names: &Names, floe_registry: &str) -> String {
    format!(
        "\
[package]
name = {package}
version = \"0.1.0\"
edition = \"2024\"
description = {description}

[dependencies]
# The floe plugin API: everything a plugin needs, from the same source as the floe
# that wrote this crate (a path into its checkout, or its exact released version).
floe-registry = {floe_registry}
",
        package = toml_string(&names.package),
        description = toml_string(&format!(
            "{}: a {} plugin for the floe data platform",
            names.plugin,
            names.type_words()
        )),
    )
}

/// `tests/registry.rs`: the plugin through the registry, as floe runs it.
pub fn registry_test(names: &Names) -> String {
    let t = names.plugin_type;
    format!(
        r#"//! {plugin} as floe runs it: found by the registry, configured, started,
//! health-checked and stopped.

use floe_registry::PluginId;
use floe_registry::prelude::*;
use floe_registry::serde_json::json;

// A plugin crate that nothing references is not linked into the program, and its
// plugins are not found: this line keeps {plugin} in the test binary.
use {lib} as _;

/// The plugin's type.
const TYPE: PluginType = PluginType::{variant};
/// The plugin's name.
const NAME: &str = "{plugin}";

#[test]
fn the_registry_finds_configures_starts_checks_and_stops_it() -> Result<(), PluginError> {{
    let registry = PluginRegistry::new();
    registry.discover_all();
    assert!(
        registry.list_all()[&TYPE].contains(&NAME),
        "discover_all should find {{NAME}}"
    );

    let config = json!({{"endpoint": "https://acme.example.com", "token": "example-token"}});
    registry.configure(TYPE, NAME, config)?;
    registry.activate(TYPE, NAME)?;

    let plugin = registry.get_as::<dyn {trait_name}>(NAME)?;
    assert_eq!(plugin.name(), NAME);
    // Call the {trait_name} methods on `plugin` here as you write them.

    let health = registry.health_check(TYPE, NAME)?;
    assert_eq!(
        health.state,
        HealthState::Healthy,
        "health_check said: {{}}",
        health.message
    );

    let report = registry.shutdown_all();
    assert!(
        report.failed.is_empty(),
        "shutdown failed: {{:?}}",
        report.failed
    );
    assert_eq!(report.stopped, [PluginId::new(TYPE, NAME)]);
    Ok(())
}}

#[test]
fn a_config_without_its_endpoint_is_refused_naming_the_field() {{
    let registry = PluginRegistry::new();
    registry.discover_all();
    let err = registry
        .configure(TYPE, NAME, json!({{"token": "example-token"}}))
        .expect_err("a config without `endpoint` must be refused");
    let PluginError::Configuration {{ errors, .. }} = &err else {{
        panic!("expected a configuration error, got: {{err}}");
    }};
    assert!(
        errors.iter().any(|e| e.field == "endpoint"),
        "the error should name `endpoint`: {{err}}"
    );
    assert!(
        !err.to_string().contains("example-token"),
        "a secret must never be echoed: {{err}}"
    );
}}
"#,
        plugin = names.plugin,
        lib = names.lib,
        variant = t.variant_name(),
        trait_name = t.trait_name(),
    )
}

/// `README.md`: what the crate is, how to test it, and the next two commands.
/// `folder` is the crate's folder name, as a command run beside it names it.
pub fn readme(names: &Names, folder: &str) -> String {
    let t = names.plugin_type;
    let kind = names.type_words();
    format!(
        "\
# {package}

A {kind} plugin for the floe data platform: `{plugin}`. In `src/lib.rs`,
`{plugin_struct}` implements `{trait_name}` and takes its settings as
`{config_struct}`. Every method of `{trait_name}` is there: those still to write
answer \"not implemented yet\", the optional ones are commented out with the trait's
defaults.

## Test

```sh
cargo test
```

`tests/registry.rs` runs the plugin through floe's registry the way floe does: found,
configured (and a bad config refused), started, health-checked and stopped.

## Use it in floe

From the folder that holds `{folder}/`:

```sh
{commands}```
",
        package = names.package,
        plugin = names.plugin,
        plugin_struct = names.plugin_struct,
        config_struct = names.config_struct,
        trait_name = t.trait_name(),
        commands = commented_commands(&[
            (
                format!("floe build --with-path {}", super::shell_word(folder)),
                "writes ./floe, a floe with this plugin linked in".to_owned(),
            ),
            (
                "./floe plugins list".to_owned(),
                format!("{} is listed under {t}", names.plugin),
            ),
        ]),
    )
}

/// Shell commands, one a line, each followed by its `# comment`, the comments aligned.
pub fn commented_commands(commands: &[(String, String)]) -> String {
    let width = commands
        .iter()
        .map(|(command, _)| command.chars().count())
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (command, comment) in commands {
        let pad = " ".repeat(width - command.chars().count());
        out.push_str(&format!("{command}{pad}  # {comment}\n"));
    }
    out
}

/// `.gitignore`: cargo's build output.
pub const GITIGNORE: &str = "/target\n";

#[cfg(test)]
mod tests {
    use super::*;
    use floe_registry::PluginType;

    #[test]
    fn cargo_toml_depends_on_floe_registry_alone() {
        let names = Names::new(PluginType::Secrets, "vault");
        let text = cargo_toml(&names, "{ path = \"/src/floe/floe-registry\" }");
        let manifest: toml::Table = text.parse().expect("Cargo.toml is valid TOML");
        assert_eq!(
            manifest["package"]["name"].as_str(),
            Some("floe-plugin-vault")
        );
        let deps = manifest["dependencies"]
            .as_table()
            .expect("a [dependencies] table");
        assert_eq!(
            deps.keys().collect::<Vec<_>>(),
            ["floe-registry"],
            "a plugin crate needs floe-registry and nothing else"
        );
        assert_eq!(
            deps["floe-registry"]["path"].as_str(),
            Some("/src/floe/floe-registry")
        );
        for other in ["dev-dependencies", "build-dependencies"] {
            assert!(!manifest.contains_key(other), "no [{other}]");
        }
    }

    #[test]
    fn the_readme_tells_the_next_two_commands() {
        let names = Names::new(PluginType::Storage, "acme-store");
        let text = readme(&names, "acme-store");
        assert!(text.contains("floe build --with-path acme-store"), "{text}");
        assert!(text.contains("./floe plugins list"), "{text}");
    }

    #[test]
    fn the_test_reaches_the_plugin_through_its_trait() {
        let names = Names::new(PluginType::TelemetryBackend, "my_otel");
        let text = registry_test(&names);
        assert!(text.contains("use floe_plugin_my_otel as _;"), "{text}");
        assert!(text.contains("const TYPE: PluginType = PluginType::TelemetryBackend;"));
        assert!(text.contains("get_as::<dyn TelemetryBackendPlugin>(NAME)"));
    }
}
