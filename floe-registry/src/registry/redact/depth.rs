//! How deep a value valid against a config schema can be, read from the schema once
//! per plugin: when no valid value reaches past [`MAX_DEPTH`](super::MAX_DEPTH), a
//! schema without secrets needs no walk of the value at all.
//!
//! Depth counts levels below the root: a scalar or an empty container is 0 deep, a
//! container is one deeper than its deepest member. The bound is conservative: a
//! keyword that only narrows what is valid may be left out (the bound then stays
//! true, only looser), and whatever is not understood gives no bound (`None`).

use std::collections::BTreeMap;

use serde_json::{Map, Value};

/// How many schema nodes deep the reading goes before giving up (no bound).
const MAX_NESTING: usize = 256;

/// An upper bound of the depth of every value valid against the root `schema`, or
/// `None` when the schema does not bound it (an open object, a recursive type, a
/// `$ref` not followed, an `$id` below the root, under which `#/...` would not mean
/// the root).
pub(super) fn max_depth(schema: &Value) -> Option<usize> {
    let below_root = match schema {
        Value::Object(map) => map.values().any(has_id),
        other => has_id(other),
    };
    if below_root {
        return None;
    }
    Reader {
        root: schema,
        refs: BTreeMap::new(),
    }
    .depth(schema, 0)
}

/// A reading of one root schema; each `$ref` is read once.
struct Reader<'a> {
    root: &'a Value,
    /// `$ref`s by their text: `None` while being read (a cycle: no bound), then the
    /// bound.
    refs: BTreeMap<&'a str, Option<Option<usize>>>,
}

impl<'a> Reader<'a> {
    /// The bound of `node`: the smallest of the bounds its keywords give, each of
    /// which holds alone, since a valid value satisfies every keyword.
    fn depth(&mut self, node: &'a Value, nesting: usize) -> Option<usize> {
        if nesting > MAX_NESTING {
            return None;
        }
        let map = match node {
            Value::Bool(false) => return Some(0),
            Value::Object(map) => map,
            _ => return None,
        };
        let mut bound: Option<usize> = None;
        let mut narrow = |b: Option<usize>| {
            if let Some(b) = b {
                bound = Some(bound.map_or(b, |old| old.min(b)));
            }
        };
        if let Some(target) = map.get("$ref").and_then(Value::as_str) {
            narrow(self.reference(target, nesting));
        }
        if let Some(value) = map.get("const") {
            narrow(Some(value_depth(value)));
        }
        if let Some(values) = map.get("enum").and_then(Value::as_array) {
            narrow(Some(values.iter().map(value_depth).max().unwrap_or(0)));
        }
        for branch in map
            .get("allOf")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            narrow(self.depth(branch, nesting + 1));
        }
        for key in ["anyOf", "oneOf"] {
            if let Some(branches) = map.get(key).and_then(Value::as_array) {
                narrow(self.deepest(branches, nesting));
            }
        }
        narrow(self.shape(map, nesting));
        bound
    }

    /// The bound from the `type` keyword and the keywords of the containers it
    /// allows (all of them without `type`).
    fn shape(&mut self, map: &'a Map<String, Value>, nesting: usize) -> Option<usize> {
        let (object, array) = match map.get("type") {
            None => (true, true),
            Some(Value::String(t)) => (t == "object", t == "array"),
            Some(Value::Array(types)) => (
                types.iter().any(|t| t == "object"),
                types.iter().any(|t| t == "array"),
            ),
            Some(_) => return None,
        };
        let object = if object {
            self.object(map, nesting)?
        } else {
            0
        };
        let array = if array { self.array(map, nesting)? } else { 0 };
        Some(object.max(array))
    }

    /// An object is bounded when every member it may have is: the declared and
    /// pattern properties, and the others through `additionalProperties` (absent:
    /// anything, no bound).
    fn object(&mut self, map: &'a Map<String, Value>, nesting: usize) -> Option<usize> {
        let mut members = vec![map.get("additionalProperties")?];
        for key in ["properties", "patternProperties"] {
            match map.get(key) {
                None => {}
                Some(Value::Object(schemas)) => members.extend(schemas.values()),
                Some(_) => return None,
            }
        }
        self.container(members, nesting)
    }

    /// An array is bounded when its `prefixItems` and `items` (absent: anything, no
    /// bound) are.
    fn array(&mut self, map: &'a Map<String, Value>, nesting: usize) -> Option<usize> {
        let mut items = vec![map.get("items")?];
        match map.get("prefixItems") {
            None => {}
            Some(Value::Array(schemas)) => items.extend(schemas),
            Some(_) => return None,
        }
        self.container(items, nesting)
    }

    /// One level above the deepest of `members`.
    fn container(&mut self, members: Vec<&'a Value>, nesting: usize) -> Option<usize> {
        Some(self.deepest(members, nesting)? + 1)
    }

    /// The deepest of `schemas` (the branches of which a valid value satisfies one,
    /// or a container's members), if each is bounded.
    fn deepest(
        &mut self,
        schemas: impl IntoIterator<Item = &'a Value>,
        nesting: usize,
    ) -> Option<usize> {
        let mut deepest = 0;
        for schema in schemas {
            deepest = deepest.max(self.depth(schema, nesting + 1)?);
        }
        Some(deepest)
    }

    /// The bound of a `$ref` target inside the root (`#/...`, without escapes the
    /// pointer would read differently), read once.
    fn reference(&mut self, target: &'a str, nesting: usize) -> Option<usize> {
        let pointer = target.strip_prefix('#')?;
        if pointer.contains('%') || !(pointer.is_empty() || pointer.starts_with('/')) {
            return None;
        }
        let root = self.root;
        let node = root.pointer(pointer)?;
        match self.refs.get(target) {
            Some(Some(bound)) => return *bound,
            Some(None) => return None,
            None => {}
        }
        self.refs.insert(target, None);
        let bound = self.depth(node, nesting + 1);
        self.refs.insert(target, Some(bound));
        bound
    }
}

/// Whether an object inside `value` (or `value` itself) has an `$id`.
fn has_id(value: &Value) -> bool {
    match value {
        Value::Object(map) => map.contains_key("$id") || map.values().any(has_id),
        Value::Array(items) => items.iter().any(has_id),
        _ => false,
    }
}

/// The depth of a value.
fn value_depth(value: &Value) -> usize {
    let below = |member: &Value| value_depth(member) + 1;
    match value {
        Value::Object(map) => map.values().map(below).max().unwrap_or(0),
        Value::Array(items) => items.iter().map(below).max().unwrap_or(0),
        _ => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn closed_shapes_are_bounded() {
        for (schema, depth) in [
            (json!({"type": "string"}), Some(0)),
            (json!(false), Some(0)),
            (json!({"type": ["integer", "null"]}), Some(0)),
            (
                json!({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": false}),
                Some(1),
            ),
            (
                json!({"type": "array", "items": {"type": "string"}}),
                Some(1),
            ),
            (
                json!({"type": "array", "prefixItems": [{"type": "integer"}, {"type": "array", "items": {"type": "null"}}], "items": false}),
                Some(2),
            ),
            (
                json!({"type": "object", "additionalProperties": {"type": "array", "items": {"type": "boolean"}}}),
                Some(2),
            ),
            (json!({"const": {"a": [1]}}), Some(2)),
            (json!({"enum": ["x", [1, [2]]]}), Some(2)),
            (
                json!({"anyOf": [{"type": "string"}, {"type": "array", "items": {"type": "string"}}]}),
                Some(1),
            ),
            (json!({"allOf": [{}, {"type": "number"}]}), Some(0)),
        ] {
            assert_eq!(max_depth(&schema), depth, "{schema}");
        }
    }

    #[test]
    fn open_shapes_are_not_bounded() {
        for schema in [
            json!(true),
            json!({}),
            json!({"type": "object", "properties": {"a": {"type": "string"}}}),
            json!({"type": "array"}),
            json!({"properties": {"a": {"type": "string"}}, "additionalProperties": false}),
            json!({"anyOf": [{"type": "string"}, {}]}),
            json!({"type": "object", "additionalProperties": {"$ref": "https://example.com/x"}}),
            json!({"type": "object", "additionalProperties": {"$ref": "#/$defs/a%20b"}, "$defs": {"a%20b": {"type": "string"}}}),
            json!({"$id": "https://example.com/root", "type": "object", "additionalProperties": {"$ref": "#/$defs/A"}, "$defs": {"A": {"$id": "https://example.com/a", "type": "string"}}}),
        ] {
            assert_eq!(max_depth(&schema), None, "{schema}");
        }
    }

    #[test]
    fn references_are_followed_once_and_recursion_has_no_bound() {
        let shared = json!({
            "type": "object",
            "properties": {"a": {"$ref": "#/$defs/Leaf"}, "b": {"$ref": "#/$defs/Leaf"}},
            "additionalProperties": false,
            "$defs": {"Leaf": {"type": "array", "items": {"type": "string"}}},
        });
        assert_eq!(max_depth(&shared), Some(2));
        let tree = json!({
            "$ref": "#/$defs/Tree",
            "$defs": {"Tree": {
                "type": "object",
                "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Tree"}}},
                "additionalProperties": false,
            }},
        });
        assert_eq!(max_depth(&tree), None);
        assert_eq!(max_depth(&json!({"$ref": "#"})), None);
    }

    /// A chain of definitions each used twice is read in linear time, not 2^n.
    #[test]
    fn shared_definitions_are_not_read_again() {
        let mut defs = serde_json::Map::new();
        defs.insert("D0".to_owned(), json!({"type": "string"}));
        for i in 1..50 {
            let below = format!("#/$defs/D{}", i - 1);
            defs.insert(
                format!("D{i}"),
                json!({"anyOf": [{"$ref": below}, {"allOf": [{"$ref": below}]}]}),
            );
        }
        let schema = json!({"$ref": "#/$defs/D49", "$defs": defs});
        assert_eq!(max_depth(&schema), Some(0));
    }

    #[test]
    fn the_depth_of_values() {
        assert_eq!(value_depth(&json!(1)), 0);
        assert_eq!(value_depth(&json!({})), 0);
        assert_eq!(value_depth(&json!([[], 1])), 1);
        assert_eq!(value_depth(&json!({"a": [{"b": null}]})), 3);
    }
}
