//! The config schema tools see: each integer, number or boolean of the plugin's own
//! schema widened to also take the lax forms `configure` reads (see
//! [`ConfigCoercion`](crate::ConfigCoercion)), so that the schema never refuses a
//! config `configure` accepts.
//!
//! A widened integer `{"type": "integer", "minimum": 1, "maximum": 64}` becomes
//! `{"type": ["integer", "string"], "pattern": "...", "minimum": 1, "maximum": 64}`:
//! the bounds apply to numbers, the pattern to strings, and it holds the bounds too
//! when they are whole and from 0 up (the strings of 1 to 64, `lax_range.rs`). So the
//! schema and `configure` agree on every input but a few, where the schema takes what
//! `configure` refuses (JSON Schema cannot compare a string with a number): they are
//! listed on `PluginRegistry::config_schema_lax`.

use serde_json::{Map, Value, json};

use super::lax::{Target, boolean_pattern, integer_pattern, number_pattern};
use super::lax_range::integer_range_pattern;

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
    // Widened branches may overlap (`"1"` reads as an integer and as a boolean), and
    // a value matching two branches fails `oneOf`: a widened `oneOf` is an `anyOf`.
    if !map.contains_key("anyOf")
        && let Some(branches) = map.remove("oneOf")
    {
        map.insert("anyOf".to_owned(), branches);
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
            Target::Integer if !has(&types, "number") => match integer_bounds(map) {
                Some((lo, hi)) => integer_range_pattern(lo, hi),
                None => integer_pattern(),
            },
            Target::Integer | Target::Number => number_pattern(),
            Target::Boolean => boolean_pattern(),
        })
        .collect();
    types.push("string".to_owned());
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

/// A number of the node's bounds as an `f64`.
fn bound(map: &Map<String, Value>, key: &str) -> Option<f64> {
    map.get(key).and_then(Value::as_f64)
}

/// The integer range of an integer node bounded below by 0 or more (`lo..=hi`, `hi`
/// `None` when unbounded), which a pattern can hold exactly; `None` for other bounds
/// (a negative minimum, none, a `multipleOf`, an empty range).
fn integer_bounds(map: &Map<String, Value>) -> Option<(u64, Option<u64>)> {
    if map.contains_key("multipleOf") {
        return None;
    }
    let lows = [
        bound(map, "minimum").map(f64::ceil),
        bound(map, "exclusiveMinimum").map(|m| m.floor() + 1.0),
    ];
    let lo = lows.into_iter().flatten().reduce(f64::max)?;
    let highs = [
        bound(map, "maximum").map(f64::floor),
        bound(map, "exclusiveMaximum").map(|m| m.ceil() - 1.0),
    ];
    let hi = highs.into_iter().flatten().reduce(f64::min);
    let lo = whole(lo)?;
    let hi = match hi {
        Some(hi) => Some(whole(hi).filter(|hi| *hi >= lo)?),
        None => None,
    };
    Some((lo, hi))
}

/// A non-negative whole `f64` as a `u64`, when it is one exactly.
fn whole(f: f64) -> Option<u64> {
    // 2^64 as an f64: below it the cast is exact for whole values.
    const LIMIT: f64 = 18_446_744_073_709_551_616.0;
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    ((0.0..LIMIT).contains(&f) && f.fract() == 0.0).then_some(f as u64)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::widen;

    #[test]
    fn a_widened_one_of_is_an_any_of_so_overlapping_branches_still_take_a_value() {
        let schema = json!({"oneOf": [{"type": "integer"}, {"type": "boolean"}]});
        let widened = widen(schema);
        assert!(widened.get("oneOf").is_none(), "{widened}");
        let validator = jsonschema::validator_for(&widened).expect("compiles");
        for value in [json!(1), json!("1"), json!(true), json!("yes")] {
            assert!(validator.is_valid(&value), "{value} in {widened}");
        }
        assert!(!validator.is_valid(&json!("maybe")));
    }
}
