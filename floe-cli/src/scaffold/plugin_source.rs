//! The new crate's `src/lib.rs`: the annotated struct, its config, and the type's trait
//! with every method, laid out as rustfmt would so that `cargo fmt` changes nothing.

use std::fmt::Write as _;

use super::names::Names;
use super::trait_stubs::{self, Method};

/// rustfmt's default line width.
const MAX_WIDTH: usize = 100;

/// Indentation of an impl block's items.
const ITEM: &str = "    ";

/// The text of `src/lib.rs`.
pub fn lib_rs(names: &Names) -> String {
    let t = names.plugin_type;
    let stubs = trait_stubs::for_type(t);
    let (live, optional): (Vec<&Method>, Vec<&Method>) =
        stubs.methods.iter().partition(|m| !m.optional);
    let uses_not_implemented = live.iter().any(|m| m.body.contains("not_implemented("));

    let kind = names.type_words();
    let mut out = String::new();
    let _ = write!(
        out,
        "\
//! `{plugin}`: a floe {kind} plugin.
//!
//! - [`{plugin_struct}`]: the plugin, implementing [`{trait_name}`];
//! - [`{config_struct}`]: its settings, validated by the registry.
//!
//! `tests/registry.rs` runs it through the registry the way floe does, and README.md
//! says how to build a `floe` with it.

",
        plugin = names.plugin,
        plugin_struct = names.plugin_struct,
        config_struct = names.config_struct,
        trait_name = t.trait_name(),
    );
    out.push_str(&imports(stubs.imports));
    let _ = write!(
        out,
        "
/// The {plugin} {kind} plugin.
///
/// The first paragraph of this comment is the plugin's description, which
/// `floe plugins list` and `floe plugins info` show: say there what it does.
#[floe_plugin(type = {variant}, name = \"{plugin}\", config = {config_struct})]
#[derive(Default)]
pub struct {plugin_struct} {{
    /// The settings, filled in by the registry when the plugin is configured.
    #[config]
    config: ConfigCell<{config_struct}>,
}}

/// The plugin's settings: the `config` of its entry in a platform manifest.
///
/// The registry checks them against this struct's JSON Schema (which `floe plugins
/// schema` prints) before the plugin sees them, and reports every problem at once, each
/// with the field's name.
#[floe_config]
#[serde(deny_unknown_fields)]
pub struct {config_struct} {{
    /// The address of the service the plugin works with, like `https://acme.example.com`.
    pub endpoint: String,
    /// The token to authenticate with, when the service needs one. A `Secret` is never
    /// printed: not in logs, errors, `floe plugins info` or health reports.
    pub token: Option<Secret>,
}}

/// Every method of [`{trait_name}`]. Those still to write answer \"not implemented
/// yet\"; the optional ones, commented out at the end, show the trait's defaults.
impl {trait_name} for {plugin_struct} {{
",
        plugin = names.plugin,
        variant = t.variant_name(),
        plugin_struct = names.plugin_struct,
        config_struct = names.config_struct,
        trait_name = t.trait_name(),
    );
    for method in &live {
        let note = if method.body.contains("Err(not_implemented(") {
            "Not written yet: returns an error saying so."
        } else {
            "Not written yet: answers with a result saying so."
        };
        write_method(&mut out, method, note, "");
        out.push('\n');
    }
    out.push_str(LIFECYCLE_HOOKS);
    if !optional.is_empty() {
        out.push_str(
            "
    // Optional: the trait's defaults, shown so that every method is in view. Uncomment
    // one to answer differently.
",
        );
        for method in &optional {
            out.push_str("    //\n");
            write_method(&mut out, method, "", "// ");
        }
    }
    out.push_str("}\n");
    if uses_not_implemented {
        let _ = write!(
            out,
            "
/// The error of a method not written yet, naming the plugin and the method.
fn not_implemented(method: &str) -> PluginError {{
    PluginError::failed(format!(
        \"{upper} plugin '{plugin}': {{method}}() is not implemented yet\"
    ))
}}
",
            upper = t.upper_name(),
            plugin = names.plugin,
        );
    }
    out
}

/// The `use` lines: the standard library's first, then floe-registry's, each group
/// sorted as rustfmt sorts it.
fn imports(extra: &[&str]) -> String {
    let (mut std, mut floe): (Vec<&str>, Vec<&str>) =
        extra.iter().partition(|line| line.starts_with("use std::"));
    floe.push("use floe_registry::prelude::*;");
    std.sort_unstable();
    floe.sort_unstable();
    let mut out = String::new();
    for group in [std, floe] {
        if !group.is_empty() {
            out.push_str(&group.join("\n"));
            out.push_str("\n\n");
        }
    }
    out.pop();
    out
}

/// The hooks every type shares, written live: they use the typed config.
const LIFECYCLE_HOOKS: &str =
    "    /// Starts the plugin: open connections, warm caches. Called once, after its
    /// dependencies started, with a timeout (30 s by default). An error here stops the
    /// plugins that depend on this one from starting, with this error as the reason.
    fn startup(&self) -> Result<(), PluginError> {
        // The typed settings, no downcasting: an error until the plugin is configured.
        let config = self.config.get()?;
        // Connect to `config.endpoint` here.
        if config.endpoint.trim().is_empty() {
            return Err(PluginError::failed(\"endpoint must not be empty\"));
        }
        Ok(())
    }

    /// Checks the plugin's health. Runs on its own thread with a timeout (5 s by
    /// default); a panic or timeout makes the plugin `Unhealthy`.
    fn health_check(&self) -> HealthStatus {
        let config = match self.config.get() {
            Ok(config) => config,
            Err(e) => return HealthStatus::unhealthy(e.to_string()),
        };
        // Replace with a real check: can `config.endpoint` be reached?
        HealthStatus::healthy().with_detail(\"endpoint\", config.endpoint.as_str())
    }

    /// Stops the plugin, in exact reverse order of startup, with a timeout (30 s by
    /// default): close what `startup` opened.
    fn shutdown(&self) -> Result<(), PluginError> {
        Ok(())
    }
";

/// Writes one method at impl-item indentation: its doc (plus `note` as a second
/// paragraph when not empty), signature and body, each line after `prefix` (`// ` to
/// comment it out).
fn write_method(out: &mut String, method: &Method, note: &str, prefix: &str) {
    let mut lines: Vec<String> = Vec::new();
    for line in method.doc.lines() {
        lines.push(format!("/// {line}"));
    }
    if !note.is_empty() {
        lines.push("///".to_owned());
        lines.push(format!("/// {note}"));
    }
    // Laid out for the uncommented method, so that uncommenting gives rustfmt's layout.
    lines.extend(signature_lines(method.signature, ITEM.len()));
    for line in method.body.lines() {
        lines.push(format!("{ITEM}{line}"));
    }
    lines.push("}".to_owned());
    for line in lines {
        let text = format!("{ITEM}{prefix}{line}");
        out.push_str(text.trim_end());
        out.push('\n');
    }
}

/// A signature and the body's opening brace, as rustfmt lays it out at `indent`: on
/// one line when it fits, otherwise one parameter a line.
fn signature_lines(signature: &str, indent: usize) -> Vec<String> {
    let one_line = format!("{signature} {{");
    if indent + one_line.len() <= MAX_WIDTH {
        return vec![one_line];
    }
    let open = signature.find('(').unwrap_or(signature.len());
    let close = matching_paren(signature, open);
    let mut lines = vec![signature[..=open].to_owned()];
    for param in split_top_level(&signature[open + 1..close]) {
        lines.push(format!("{ITEM}{param},"));
    }
    lines.push(format!("{} {{", &signature[close..]));
    lines
}

/// The index of the `)` closing the `(` at `open`.
fn matching_paren(text: &str, open: usize) -> usize {
    let mut depth = 0usize;
    for (i, c) in text.char_indices().skip_while(|(i, _)| *i < open) {
        match c {
            '(' => depth += 1,
            ')' => {
                depth -= 1;
                if depth == 0 {
                    return i;
                }
            }
            _ => {}
        }
    }
    text.len()
}

/// The comma-separated parts of `params` outside any brackets, trimmed.
fn split_top_level(params: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut depth, mut start) = (0i32, 0);
    for (i, c) in params.char_indices() {
        match c {
            '(' | '<' | '[' => depth += 1,
            ')' | '>' | ']' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(params[start..i].trim());
                start = i + 1;
            }
            _ => {}
        }
    }
    let last = params[start..].trim();
    if !last.is_empty() {
        parts.push(last);
    }
    parts
}

#[cfg(test)]
mod tests {
    use super::*;
    use floe_registry::PluginType;

    #[test]
    fn a_long_signature_puts_one_parameter_a_line() {
        let lines = signature_lines(
            "fn f(&self, a: &BTreeMap<String, String>, b: Option<&str>) -> Result<Vec<(u8, u8)>, PluginError>",
            4,
        );
        assert_eq!(
            lines,
            [
                "fn f(",
                "    &self,",
                "    a: &BTreeMap<String, String>,",
                "    b: Option<&str>,",
                ") -> Result<Vec<(u8, u8)>, PluginError> {",
            ]
        );
        assert_eq!(
            signature_lines("fn f(&self) -> bool", 4),
            ["fn f(&self) -> bool {"]
        );
    }

    #[test]
    fn the_struct_config_and_trait_are_named_after_the_plugin() {
        let text = lib_rs(&Names::new(PluginType::Storage, "acme-store"));
        for expected in [
            "#[floe_plugin(type = Storage, name = \"acme-store\", config = AcmeStoreConfig)]",
            "pub struct AcmeStorePlugin {",
            "config: ConfigCell<AcmeStoreConfig>,",
            "#[floe_config]",
            "pub token: Option<Secret>,",
            "impl StoragePlugin for AcmeStorePlugin {",
            "let config = self.config.get()?;",
            "\"STORAGE plugin 'acme-store': {method}() is not implemented yet\"",
        ] {
            assert!(
                text.contains(expected),
                "lib.rs should contain {expected:?}:\n{text}"
            );
        }
    }

    #[test]
    fn optional_methods_are_shown_commented_out_with_their_docs() {
        let text = lib_rs(&Names::new(PluginType::Dbt, "my-dbt"));
        assert!(text.contains("    // /// Whether several dbt invocations may run at once.\n"));
        assert!(text.contains("    // fn supports_parallel_execution(&self) -> bool {\n"));
        assert!(text.contains("    //     false\n    // }\n"));
    }

    #[test]
    fn no_line_is_wider_than_rustfmt_allows() {
        for plugin_type in PluginType::ALL {
            let text = lib_rs(&Names::new(plugin_type, "a-rather-long-plugin-name"));
            for line in text.lines() {
                // A commented-out method is laid out for when it is uncommented; rustfmt
                // leaves doc comments and attributes as they are written.
                let code = line.replacen("// ", "", 1);
                let trimmed = code.trim_start();
                if trimmed.starts_with("//") || trimmed.starts_with("#[") {
                    continue;
                }
                assert!(
                    code.chars().count() <= MAX_WIDTH,
                    "{plugin_type}: line longer than {MAX_WIDTH}: {line}"
                );
            }
        }
    }
}
