//! `floe plugins info`: one plugin's metadata, dependencies, source and config fields.

use floe_registry::{PluginError, PluginInfo, PluginRegistry, PluginType};
use serde::Serialize;
use serde_json::Value;

use std::process::ExitCode;

use crate::CliError;
use crate::cli::InfoArgs;
use crate::error;
use crate::output::{self, Style, Table};

/// An error about a plugin looked up by type and name, for a person: a not-found
/// error also lists the installed plugins of that type.
pub fn lookup_error(
    registry: &PluginRegistry,
    plugin_type: PluginType,
    error: &PluginError,
) -> String {
    if !matches!(error, PluginError::NotFound { .. }) {
        return error::chain(error);
    }
    let installed = registry.list_all().remove(&plugin_type).unwrap_or_default();
    if installed.is_empty() {
        format!(
            "{}; no {plugin_type} plugins are installed",
            error::chain(error)
        )
    } else {
        format!(
            "{}; installed {plugin_type} plugins: {}",
            error::chain(error),
            installed.join(", ")
        )
    }
}

/// One field of a config schema, as `info` shows it. Never holds a configured value:
/// only what the plugin's schema declares.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FieldSummary {
    /// Dotted path: `connection.port`, `attach[].path`.
    pub name: String,
    /// JSON types: `integer`, `string | null`, `array of object`.
    #[serde(rename = "type")]
    pub type_name: String,
    /// Whether the field must be given.
    pub required: bool,
    /// The schema's default; never shown for a secret field.
    pub default: Option<Value>,
    /// Whether the schema marks it `writeOnly` or `format: password`.
    pub secret: bool,
    /// Limits from the schema: `1..=64`, `length 3..=63`, `pattern ^a`.
    pub constraints: Vec<String>,
    /// The field's documentation.
    pub description: String,
}

/// Follows `$ref`s inside the schema (`#/$defs/...`), at most 32 deep.
fn deref<'a>(root: &'a Value, mut node: &'a Value) -> &'a Value {
    for _ in 0..32 {
        let Some(pointer) = node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix('#'))
        else {
            break;
        };
        match root.pointer(pointer) {
            Some(next) => node = next,
            None => break,
        }
    }
    node
}

/// The alternatives of a node (`anyOf`, `oneOf`), each dereferenced; else the node.
fn variants<'a>(root: &'a Value, node: &'a Value) -> Vec<&'a Value> {
    let node = deref(root, node);
    for key in ["anyOf", "oneOf"] {
        if let Some(list) = node.get(key).and_then(Value::as_array) {
            return list.iter().map(|v| deref(root, v)).collect();
        }
    }
    vec![node]
}

fn is_secret(node: &Value) -> bool {
    node.get("writeOnly").and_then(Value::as_bool) == Some(true)
        || node.get("format").and_then(Value::as_str) == Some("password")
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "boolean",
        Value::Number(n) if n.is_f64() => "number",
        Value::Number(_) => "integer",
        Value::String(_) => "string",
        Value::Array(_) => "array",
        Value::Object(_) => "object",
    }
}

fn type_of(root: &Value, node: &Value, depth: usize) -> String {
    let mut names: Vec<String> = Vec::new();
    for v in variants(root, node) {
        let mut push = |s: String| {
            if !names.contains(&s) {
                names.push(s);
            }
        };
        if let Some(values) = v.get("enum").and_then(Value::as_array) {
            for value in values {
                push(json_type(value).to_owned());
            }
            continue;
        }
        if v.get("const").is_some() {
            push("constant".to_owned());
            continue;
        }
        let types: Vec<&str> = match v.get("type") {
            Some(Value::String(s)) => vec![s.as_str()],
            Some(Value::Array(a)) => a.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        if types.is_empty() {
            push("any".to_owned());
        }
        for t in types {
            match (t, v.get("items")) {
                ("array", Some(items)) if depth < 4 => {
                    push(format!("array of {}", type_of(root, items, depth + 1)))
                }
                _ => push(t.to_owned()),
            }
        }
    }
    names.join(" | ")
}

fn constraints_of(root: &Value, node: &Value) -> Vec<String> {
    let mut out = Vec::new();
    for v in variants(root, node) {
        let num = |k: &str| v.get(k).filter(|x| x.is_number()).map(Value::to_string);
        match (num("minimum"), num("maximum")) {
            (Some(a), Some(b)) => out.push(format!("{a}..={b}")),
            (Some(a), None) => out.push(format!(">= {a}")),
            (None, Some(b)) => out.push(format!("<= {b}")),
            (None, None) => {}
        }
        if let Some(a) = num("exclusiveMinimum") {
            out.push(format!("> {a}"));
        }
        if let Some(b) = num("exclusiveMaximum") {
            out.push(format!("< {b}"));
        }
        match (num("minLength"), num("maxLength")) {
            (Some(a), Some(b)) => out.push(format!("length {a}..={b}")),
            (Some(a), None) => out.push(format!("length >= {a}")),
            (None, Some(b)) => out.push(format!("length <= {b}")),
            (None, None) => {}
        }
        if let Some(p) = v.get("pattern").and_then(Value::as_str) {
            out.push(format!("pattern {p}"));
        }
        // Number widths (`uint32`) and `password` (the SECRET column) say nothing new.
        const QUIET_FORMATS: [&str; 11] = [
            "int8", "int16", "int32", "int64", "uint", "uint8", "uint16", "uint32", "uint64",
            "double", "password",
        ];
        if let Some(f) = v.get("format").and_then(Value::as_str)
            && !QUIET_FORMATS.contains(&f)
            && f != "float"
        {
            out.push(format!("format {f}"));
        }
        if let Some(list) = v.get("enum").and_then(Value::as_array) {
            let items: Vec<String> = list
                .iter()
                .map(|x| match x {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect();
            out.push(format!("one of {}", items.join(", ")));
        }
    }
    out.dedup();
    out
}

/// Every field of a config schema, nested objects flattened with dotted names.
pub fn summarize(schema: &Value) -> Vec<FieldSummary> {
    let mut out = Vec::new();
    walk(schema, schema, "", &mut out, 0);
    out
}

fn walk(root: &Value, node: &Value, prefix: &str, out: &mut Vec<FieldSummary>, depth: usize) {
    if depth > 6 {
        return;
    }
    for v in variants(root, node) {
        let Some(properties) = v.get("properties").and_then(Value::as_object) else {
            if let Some(items) = v.get("items").filter(|_| !prefix.is_empty()) {
                let name = format!("{}[]", prefix.trim_end_matches('.'));
                walk(root, items, &format!("{name}."), out, depth + 1);
            }
            continue;
        };
        let required: Vec<&str> = v
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        for (name, prop) in properties {
            let target = deref(root, prop);
            let alternatives = variants(root, prop);
            let secret = is_secret(prop) || alternatives.iter().any(|a| is_secret(a));
            let description = prop
                .get("description")
                .or_else(|| target.get("description"))
                .and_then(Value::as_str)
                .map(output::one_line)
                .unwrap_or_default();
            let default = if secret {
                None
            } else {
                prop.get("default")
                    .or_else(|| target.get("default"))
                    .cloned()
            };
            let path = format!("{prefix}{name}");
            out.push(FieldSummary {
                name: path.clone(),
                type_name: type_of(root, prop, 0),
                required: required.contains(&name.as_str()),
                default,
                secret,
                constraints: constraints_of(root, prop),
                description,
            });
            for a in alternatives {
                if a.get("properties").is_some() {
                    walk(root, a, &format!("{path}."), out, depth + 1);
                } else if let Some(items) = a.get("items") {
                    walk(root, items, &format!("{path}[]."), out, depth + 1);
                }
            }
        }
    }
}

/// What `info --json` prints.
#[derive(Debug, Serialize)]
struct InfoJson {
    #[serde(flatten)]
    info: PluginInfo,
    platform_api_version: &'static str,
    config_fields: Option<Vec<FieldSummary>>,
}

/// Runs the command.
pub fn run(registry: &PluginRegistry, args: &InfoArgs) -> Result<ExitCode, CliError> {
    let (t, name) = (args.plugin.plugin_type, args.plugin.name.as_str());
    let info = registry
        .info(t, name)
        .map_err(|e| CliError::new(lookup_error(registry, t, &e)))?;
    let schema = registry
        .config_schema(t, name)
        .map_err(|e| CliError::new(error::chain(&e)))?;
    let fields = schema.as_ref().map(summarize);
    if args.json {
        output::print_json(&InfoJson {
            platform_api_version: floe_registry::FLOE_API_VERSION,
            info,
            config_fields: fields,
        });
        return Ok(ExitCode::SUCCESS);
    }
    output::print(&render(&info, fields.as_deref(), Style::stdout()));
    Ok(ExitCode::SUCCESS)
}

fn render(info: &PluginInfo, fields: Option<&[FieldSummary]>, style: Style) -> String {
    let mut out = format!(
        "{} {} ({})\n",
        style.bold(&info.name),
        info.version,
        info.plugin_type
    );
    if !info.description.is_empty() {
        out.push_str(&format!("{}\n", output::one_line(&info.description)));
    }
    let api = if info.api_compatible {
        format!(
            "{} (platform provides {}: compatible)",
            info.floe_api_version,
            floe_registry::FLOE_API_VERSION
        )
    } else {
        style.red(&format!(
            "{} (platform provides {}: INCOMPATIBLE)",
            info.floe_api_version,
            floe_registry::FLOE_API_VERSION
        ))
    };
    let yes_no = |b: bool| if b { "yes" } else { "no" };
    let dependencies = if info.dependencies.is_empty() {
        "none".to_owned()
    } else {
        info.dependencies.join(", ")
    };
    let rows = [
        ("type", info.plugin_type.to_string()),
        ("version", info.version.clone()),
        ("plugin API", api),
        ("dependencies", dependencies),
        ("source", info.source.clone()),
        ("loaded", yes_no(info.is_loaded).to_owned()),
    ];
    out.push('\n');
    for (key, value) in rows {
        out.push_str(&format!("  {key:<13} {value}\n"));
    }
    out.push('\n');
    match fields {
        None => out.push_str("Config: none (this plugin takes no configuration)\n"),
        Some([]) => out.push_str("Config: no fields\n"),
        Some(fields) => {
            out.push_str(&format!("{}\n", style.bold("Config fields:")));
            let mut table = Table::new(&[
                "FIELD",
                "TYPE",
                "REQUIRED",
                "DEFAULT",
                "SECRET",
                "DESCRIPTION",
            ]);
            for f in fields {
                let default = match (&f.default, f.secret) {
                    (_, true) => "(hidden)".to_owned(),
                    (Some(v), false) => v.to_string(),
                    (None, false) => "-".to_owned(),
                };
                let mut description = f.description.clone();
                if !f.constraints.is_empty() {
                    description = format!("{description} [{}]", f.constraints.join("; "))
                        .trim()
                        .to_owned();
                }
                table.row(vec![
                    f.name.clone(),
                    f.type_name.clone(),
                    yes_no(f.required).to_owned(),
                    default,
                    yes_no(f.secret).to_owned(),
                    description,
                ]);
            }
            for line in table.render(style, |_, s| s.to_owned()).lines() {
                out.push_str(&format!("  {line}\n"));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn fields_types_defaults_and_secrets() {
        let schema = json!({
            "type": "object",
            "required": ["threads"],
            "properties": {
                "threads": {"type": "integer", "minimum": 1, "maximum": 64, "description": "Worker threads."},
                "path": {"type": "string", "default": ":memory:"},
                "token": {"anyOf": [{"$ref": "#/$defs/Secret"}, {"type": "null"}], "default": "x"},
                "conn": {"$ref": "#/$defs/Conn"},
                "attach": {"type": "array", "items": {"$ref": "#/$defs/Conn"}}
            },
            "$defs": {
                "Secret": {"type": "string", "writeOnly": true, "format": "password"},
                "Conn": {"type": "object", "required": ["port"], "properties": {"port": {"type": "integer"}}}
            }
        });
        let fields = summarize(&schema);
        let mut names: Vec<&str> = fields.iter().map(|f| f.name.as_str()).collect();
        names.sort_unstable();
        assert_eq!(
            names,
            [
                "attach",
                "attach[].port",
                "conn",
                "conn.port",
                "path",
                "threads",
                "token"
            ]
        );
        let field = |name: &str| {
            fields
                .iter()
                .find(|f| f.name == name)
                .unwrap_or_else(|| panic!("{name}"))
        };
        assert!(field("threads").required);
        assert_eq!(field("threads").constraints, ["1..=64"]);
        assert_eq!(field("path").default, Some(json!(":memory:")));
        assert!(field("token").secret);
        assert_eq!(
            field("token").default,
            None,
            "a secret's default is never shown"
        );
        assert_eq!(field("token").type_name, "string | null");
        assert_eq!(field("attach").type_name, "array of object");
        assert!(field("conn.port").required);
        assert!(field("attach[].port").required);
        assert!(!field("path").required);
    }
}
