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
/// nothing was. Allocates nothing until it finds a value to replace.
pub(super) fn coerce(root: &Value, config: &Value) -> Option<(Value, Vec<ConfigCoercion>)> {
    let mut found = Vec::new();
    visit(root, root, config, &mut Vec::new(), &mut found, 0);
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

/// A step into a config: an object's key or an array's index.
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

fn visit<'a>(
    root: &Value,
    node: &Value,
    value: &'a Value,
    path: &mut Vec<Step<'a>>,
    out: &mut Vec<Found>,
    hops: usize,
) {
    // `hops` counts every step into the schema, branches included, so a schema whose
    // `anyOf` refers to itself ends the walk instead of the stack.
    if path.len() > MAX_DEPTH || hops > 4 * MAX_DEPTH {
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
        // A branch that takes the value as it is, else the first that reads it.
        let branches = || branches.iter().filter_map(|b| deref(root, b));
        let chosen = branches()
            .find(|b| b.get("type").is_none() || takes(b, value))
            .or_else(|| branches().find(|b| read(b, value).is_some()));
        if let Some(branch) = chosen {
            visit(root, branch, value, path, out, hops + 1);
        }
        return;
    }
    match value {
        Value::Object(map) => {
            let properties = node.get("properties");
            let additional = node.get("additionalProperties").filter(|v| v.is_object());
            for (key, field) in map {
                if let Some(child) = properties.and_then(|p| p.get(key)).or(additional) {
                    path.push(Step::Key(key));
                    visit(root, child, field, path, out, hops + 1);
                    path.pop();
                }
            }
        }
        Value::Array(items) => {
            if let Some(schema) = node.get("items").filter(|v| v.is_object()) {
                for (index, item) in items.iter().enumerate() {
                    path.push(Step::Index(index));
                    visit(root, schema, item, path, out, hops + 1);
                    path.pop();
                }
            }
        }
        Value::Null => {}
        scalar => {
            if let Some((target, read)) = read(node, scalar) {
                out.push(Found {
                    path: path
                        .iter()
                        .map(|step| match step {
                            Step::Key(key) => (*key).to_owned(),
                            Step::Index(index) => index.to_string(),
                        })
                        .collect(),
                    value: read,
                    given: match json_kind(scalar) {
                        "integer" => "number",
                        kind => kind,
                    },
                    target,
                    secret: node.get("writeOnly") == Some(&Value::Bool(true)),
                });
            }
        }
    }
}

/// The value `node` reads the scalar `value` as, when lax mode reads it and it is not
/// already of the node's type.
fn read(node: &Value, value: &Value) -> Option<(Target, Value)> {
    if node.get("enum").is_some() || node.get("const").is_some() {
        return None;
    }
    node.get("type")?;
    // A float for an integer passes JSON Schema (5.0 is an integer there) but no
    // Rust integer type takes it.
    let float_for_integer = value.as_number().is_some_and(serde_json::Number::is_f64)
        && has_type(node, "integer")
        && !has_type(node, "number");
    if takes(node, value) && !float_for_integer {
        return None;
    }
    [Target::Integer, Target::Number, Target::Boolean]
        .into_iter()
        .filter(|t| has_type(node, t.name()))
        .find_map(|t| t.read(value).map(|v| (t, v)))
}

/// Whether the node's `type` (a name or a list) has `name`.
fn has_type(node: &Value, name: &str) -> bool {
    match node.get("type") {
        Some(Value::String(t)) => t == name,
        Some(Value::Array(ts)) => ts.iter().any(|t| t.as_str() == Some(name)),
        _ => false,
    }
}

/// Whether a value's JSON type is among the node's types (an integer is also a
/// number, a whole float also an integer).
fn takes(node: &Value, value: &Value) -> bool {
    let kind = json_kind(value);
    has_type(node, kind)
        || (kind == "number" && has_type(node, "integer") && is_whole(value))
        || (kind == "integer" && has_type(node, "number"))
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

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::coerce;

    #[test]
    fn a_schema_whose_branch_refers_to_itself_ends_the_walk() {
        let schema = json!({
            "$defs": {"A": {"anyOf": [{"$ref": "#/$defs/A"}, {"type": "integer"}]}},
            "$ref": "#/$defs/A"
        });
        // Neither branch takes a list: the walk follows A into A until its limit.
        assert!(coerce(&schema, &json!(["x"])).is_none());
    }

    #[test]
    fn a_lax_value_below_a_branch_is_read() {
        let schema = json!({
            "type": "object",
            "properties": {"n": {"anyOf": [{"type": "integer"}, {"type": "null"}]}}
        });
        let (coerced, found) = coerce(&schema, &json!({"n": "5"})).expect("read");
        assert_eq!(coerced, json!({"n": 5}));
        assert_eq!(found.len(), 1);
    }
}
