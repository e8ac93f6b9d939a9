//! The config schema tools see: each integer, number or boolean of the plugin's own
//! schema widened to also take the lax forms `configure` reads (see
//! [`ConfigCoercion`](crate::ConfigCoercion)), so that the schema never refuses a
//! config `configure` accepts.
//!
//! A widened integer `{"type": "integer", "minimum": 1}` becomes
//! `{"type": ["integer", "string", "boolean"], "pattern": "...", "minimum": 1}`: the
//! pattern applies to strings only, the bounds to numbers only. So on one kind of
//! input the two still differ, always in the same direction: a string or boolean whose
//! value breaks a bound (`"0"` for `minimum: 1`), or a value beyond 64 bits, passes
//! the schema (JSON Schema cannot compare a string with a number) and `configure`
//! refuses it.

use serde_json::{Map, Value, json};

use super::lax::{Target, boolean_pattern, integer_pattern, number_pattern};

/// How deep a schema is followed.
const MAX_DEPTH: usize = 64;

/// The keywords whose value is a map of subschemas the coercion walk follows.
const SCHEMA_MAPS: [&str; 3] = ["properties", "$defs", "definitions"];
/// The keywords whose value is a subschema the coercion walk follows.
const SCHEMAS: [&str; 2] = ["additionalProperties", "items"];
/// The keywords whose value is a list of subschemas the coercion walk follows.
const SCHEMA_LISTS: [&str; 2] = ["anyOf", "oneOf"];

/// `schema` with every integer, number and boolean node widened.
pub(super) fn widen(mut schema: Value) -> Value {
    widen_node(&mut schema, 0);
    schema
}

fn widen_node(node: &mut Value, depth: usize) {
    let Value::Object(map) = node else {
        return;
    };
    if depth > MAX_DEPTH {
        return;
    }
    widen_type(map);
    for key in SCHEMA_MAPS {
        if let Some(Value::Object(children)) = map.get_mut(key) {
            for child in children.values_mut() {
                widen_node(child, depth + 1);
            }
        }
    }
    for key in SCHEMAS {
        if let Some(child) = map.get_mut(key) {
            widen_node(child, depth + 1);
        }
    }
    for key in SCHEMA_LISTS {
        if let Some(Value::Array(children)) = map.get_mut(key) {
            for child in children {
                widen_node(child, depth + 1);
            }
        }
    }
}

fn widen_type(map: &mut Map<String, Value>) {
    if map.contains_key("enum") || map.contains_key("const") {
        return;
    }
    let mut types: Vec<String> = match map.get("type") {
        Some(Value::String(t)) => vec![t.clone()],
        Some(Value::Array(ts)) => ts
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => return,
    };
    let has = |types: &[String], name: &str| types.iter().any(|t| t == name);
    if has(&types, "string") {
        return;
    }
    let targets: Vec<Target> = [Target::Integer, Target::Number, Target::Boolean]
        .into_iter()
        .filter(|t| has(&types, t.name()))
        .collect();
    if targets.is_empty() {
        return;
    }
    let numeric = has(&types, "integer") || has(&types, "number");
    let patterns: Vec<String> = targets
        .iter()
        .map(|t| match t {
            Target::Integer if !has(&types, "number") => integer_pattern(),
            Target::Integer | Target::Number => number_pattern(),
            Target::Boolean => boolean_pattern(),
        })
        .collect();
    types.push("string".to_owned());
    if numeric && !has(&types, "boolean") {
        types.push("boolean".to_owned());
    }
    if !numeric {
        // A boolean also takes 0 and 1.
        types.push("number".to_owned());
        map.insert("minimum".to_owned(), json!(0));
        map.insert("maximum".to_owned(), json!(1));
        map.insert("multipleOf".to_owned(), json!(1));
    }
    map.insert("type".to_owned(), json!(types));
    map.insert("pattern".to_owned(), Value::String(patterns.join("|")));
}
