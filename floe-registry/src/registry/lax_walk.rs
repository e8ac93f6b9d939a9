//! Reading a config that failed its schema or its type as pydantic's lax mode reads
//! it: each scalar the schema types as integer, number or boolean, given as another
//! JSON type that lax mode reads (see [`ConfigCoercion`]), replaced by the value it
//! becomes. Runs only after a config failed, so a valid config costs nothing more.

use serde_json::Value;

use super::coercion::ConfigCoercion;
use super::lax::Target;
use super::schema::deref;

/// How deep a config is followed (a schema that refers to itself).
const MAX_DEPTH: usize = 64;

/// The config with every lax value replaced, and what was replaced; `None` when
/// nothing was.
pub(super) fn coerce(root: &Value, config: &Value) -> Option<(Value, Vec<ConfigCoercion>)> {
    let mut found = Vec::new();
    visit(root, root, config, &mut Vec::new(), &mut found);
    if found.is_empty() {
        return None;
    }
    let mut coerced = config.clone();
    let mut coercions = Vec::with_capacity(found.len());
    for Found {
        path,
        value,
        given,
        target,
        secret,
    } in found
    {
        let pointer: String = path
            .iter()
            .map(|s| format!("/{}", s.replace('~', "~0").replace('/', "~1")))
            .collect();
        if let Some(slot) = coerced.pointer_mut(&pointer) {
            *slot = value.clone();
        }
        coercions.push(ConfigCoercion {
            field: path.join("."),
            given,
            read_as: target.name(),
            value: (!secret).then_some(value),
        });
    }
    Some((coerced, coercions))
}

/// One value to replace.
struct Found {
    path: Vec<String>,
    value: Value,
    given: &'static str,
    target: Target,
    secret: bool,
}

fn visit(root: &Value, node: &Value, value: &Value, path: &mut Vec<String>, out: &mut Vec<Found>) {
    if path.len() > MAX_DEPTH {
        return;
    }
    let Some(node) = deref(root, node) else {
        return;
    };
    if let Some(branches) = node
        .get("anyOf")
        .or_else(|| node.get("oneOf"))
        .and_then(Value::as_array)
    {
        let branches: Vec<&Value> = branches.iter().filter_map(|b| deref(root, b)).collect();
        // A branch that takes the value as it is, else the first that reads it.
        let chosen = branches
            .iter()
            .find(|b| types_of(b).is_none_or(|types| takes(&types, value)))
            .or_else(|| branches.iter().find(|b| read(b, value).is_some()));
        if let Some(branch) = chosen {
            visit(root, branch, value, path, out);
        }
        return;
    }
    if let Some((target, read)) = read(node, value) {
        out.push(Found {
            path: path.clone(),
            value: read,
            given: match json_kind(value) {
                "integer" => "number",
                kind => kind,
            },
            target,
            secret: node.get("writeOnly") == Some(&Value::Bool(true)),
        });
        return;
    }
    match value {
        Value::Object(map) => {
            for (key, field) in map {
                let child = node
                    .get("properties")
                    .and_then(|p| p.get(key))
                    .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()));
                if let Some(child) = child {
                    path.push(key.clone());
                    visit(root, child, field, path, out);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            if let Some(schema) = node.get("items").filter(|v| v.is_object()) {
                for (index, item) in items.iter().enumerate() {
                    path.push(index.to_string());
                    visit(root, schema, item, path, out);
                    path.pop();
                }
            }
        }
        _ => {}
    }
}

/// The value `node` reads `value` as, when lax mode reads it and it is not already of
/// the node's type.
fn read(node: &Value, value: &Value) -> Option<(Target, Value)> {
    if node.get("enum").is_some() || node.get("const").is_some() {
        return None;
    }
    let types = types_of(node)?;
    let has = |name: &str| types.contains(&name);
    // A float for an integer passes JSON Schema (5.0 is an integer there) but no
    // Rust integer type takes it.
    let float_for_integer = value.as_number().is_some_and(serde_json::Number::is_f64)
        && has("integer")
        && !has("number");
    if takes(&types, value) && !float_for_integer {
        return None;
    }
    [Target::Integer, Target::Number, Target::Boolean]
        .into_iter()
        .filter(|t| has(t.name()))
        .find_map(|t| t.read(value).map(|v| (t, v)))
}

/// The node's `type`, as a list; `None` when it has none (any type).
fn types_of(node: &Value) -> Option<Vec<&str>> {
    match node.get("type")? {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(ts) => Some(ts.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// Whether a value's JSON type is among `types` (an integer is also a number).
fn takes(types: &[&str], value: &Value) -> bool {
    let kind = json_kind(value);
    types.contains(&kind)
        || (kind == "number" && types.contains(&"integer") && is_whole(value))
        || (kind == "integer" && types.contains(&"number"))
}

fn is_whole(value: &Value) -> bool {
    value.as_f64().is_some_and(|f| f.fract() == 0.0)
}

/// The JSON type of a value, `integer` for a number held as one.
fn json_kind(value: &Value) -> &'static str {
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
