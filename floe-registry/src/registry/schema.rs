//! Finding the part of a config schema that describes a place in a config value,
//! following `$ref`s: to name the fields an object allows, and to find secrets.

use serde_json::Value;

/// How many `$ref`s in a row are followed before giving up (a schema that refers to
/// itself without end).
const MAX_REFS: usize = 32;

/// `node` with its `$ref`s followed within `root`.
pub(super) fn deref<'a>(root: &'a Value, mut node: &'a Value) -> Option<&'a Value> {
    for _ in 0..MAX_REFS {
        match node
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| r.strip_prefix("#/"))
        {
            Some(pointer) => node = root.pointer(&format!("/{pointer}"))?,
            None => return Some(node),
        }
    }
    None
}

/// The schema of the value at `key` (an object field or an array index) inside a
/// value described by `node`.
pub(super) fn child<'a>(root: &'a Value, node: &'a Value, key: &str) -> Option<&'a Value> {
    let next = node
        .get("properties")
        .and_then(|p| p.get(key))
        .or_else(|| node.get("items"))
        .or_else(|| node.get("additionalProperties").filter(|v| v.is_object()))?;
    deref(root, next)
}

/// The schema node that describes `instance_path`, following `$ref`s, to name the
/// allowed fields of an object.
pub(super) fn schema_at<'a>(
    root: &'a Value,
    node: &'a Value,
    segments: &[String],
) -> Option<&'a Value> {
    let mut node = deref(root, node)?;
    for seg in segments {
        node = child(root, node, seg)?;
    }
    Some(node)
}
