//! A validated config as JSON with every secret replaced by [`REDACTED`]: what
//! `config_json` shows to tools that do not know the config's type.
//!
//! A value is secret when its schema (or any branch of an `anyOf`/`oneOf`/`allOf`
//! around it) is `writeOnly`, as [`Secret`](crate::Secret)'s schema is. Whether a
//! schema without secrets needs even the depth bound is read from the schema once
//! (`redact/depth.rs`).

mod depth;

use serde_json::Value;

use super::schema::{child, deref};
use crate::REDACTED;

/// How deep into combinators and nested values the walk goes; deeper values are
/// redacted whole, so a pathological schema can only hide more, never show a secret.
const MAX_DEPTH: usize = 64;

/// What redacting the values of one schema takes; found once per schema by
/// [`redaction`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Redaction {
    /// Some node is `writeOnly`: walk the value along the schema.
    Walk,
    /// No secret, but a valid value may be deeper than [`MAX_DEPTH`]: only bound the
    /// depth.
    BoundDepth,
    /// No secret, and no valid value is deeper than [`MAX_DEPTH`]: nothing to do.
    Nothing,
}

/// What [`redact`] has to do for the values of the root `schema`.
pub(super) fn redaction(schema: &Value) -> Redaction {
    if has_secrets(schema) {
        Redaction::Walk
    } else if depth::max_depth(schema).is_some_and(|d| d <= MAX_DEPTH) {
        Redaction::Nothing
    } else {
        Redaction::BoundDepth
    }
}

/// Whether any node of `schema` is `writeOnly`: without one, no value it describes can
/// be a secret, and [`redact`] at most has to bound the depth.
fn has_secrets(schema: &Value) -> bool {
    match schema {
        Value::Object(map) => {
            map.get("writeOnly") == Some(&Value::Bool(true)) || map.values().any(has_secrets)
        }
        Value::Array(items) => items.iter().any(has_secrets),
        _ => false,
    }
}

/// Replaces every secret in `value` (described by the root `schema`, which it passed)
/// with [`REDACTED`], in place: the value is the caller's own copy, so nothing is
/// cloned. `how` is [`redaction`] of `schema`.
pub(super) fn redact(schema: &Value, how: Redaction, value: &mut Value) {
    match how {
        Redaction::Walk => walk(schema, Some(schema), value, 0),
        Redaction::BoundDepth => bound_depth(value, 0),
        Redaction::Nothing => {}
    }
}

fn redacted() -> Value {
    Value::String(REDACTED.to_owned())
}

/// [`walk`] where no schema node is secret: only values nested deeper than
/// [`MAX_DEPTH`] change (redacted whole).
fn bound_depth(value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        *value = redacted();
        return;
    }
    match value {
        Value::Object(map) => map.values_mut().for_each(|v| bound_depth(v, depth + 1)),
        Value::Array(items) => items.iter_mut().for_each(|v| bound_depth(v, depth + 1)),
        _ => {}
    }
}

fn walk(root: &Value, node: Option<&Value>, value: &mut Value, depth: usize) {
    if depth > MAX_DEPTH {
        *value = redacted();
        return;
    }
    if value.is_null() {
        return;
    }
    let branches = node.map(|n| branches(root, n, 0)).unwrap_or_default();
    if branches
        .iter()
        .any(|b| b.get("writeOnly") == Some(&Value::Bool(true)))
    {
        *value = redacted();
        return;
    }
    let child_of = |key: &str| branches.iter().find_map(|b| child(root, b, key));
    match value {
        Value::Object(map) => {
            for (k, v) in map.iter_mut() {
                walk(root, child_of(k), v, depth + 1);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter_mut().enumerate() {
                walk(root, child_of(&i.to_string()), v, depth + 1);
            }
        }
        _ => {}
    }
}

/// `node` and every schema it combines (`anyOf`, `oneOf`, `allOf`), `$ref`s followed.
fn branches<'a>(root: &'a Value, node: &'a Value, depth: usize) -> Vec<&'a Value> {
    let Some(node) = deref(root, node) else {
        return Vec::new();
    };
    let mut out = vec![node];
    if depth >= MAX_DEPTH {
        return out;
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        for branch in node
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            out.extend(branches(root, branch, depth + 1));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn secrets_are_redacted_wherever_they_sit() {
        let schema = json!({
            "type": "object",
            "properties": {
                "user": {"type": "string"},
                "password": {"type": "string", "writeOnly": true},
                "token": {"anyOf": [{"$ref": "#/$defs/Secret"}, {"type": "null"}]},
                "nested": {"$ref": "#/$defs/Nested"},
                "keys": {"type": "array", "items": {"$ref": "#/$defs/Secret"}},
            },
            "$defs": {
                "Secret": {"type": "string", "writeOnly": true},
                "Nested": {"type": "object", "properties": {"key": {"$ref": "#/$defs/Secret"}}},
            },
        });
        let value = json!({
            "user": "ada",
            "password": "p1",
            "token": "p2",
            "nested": {"key": "p3"},
            "keys": ["p4", "p5"],
        });
        let mut shown = value.clone();
        redact(&schema, redaction(&schema), &mut shown);
        assert_eq!(
            shown,
            json!({
                "user": "ada",
                "password": REDACTED,
                "token": REDACTED,
                "nested": {"key": REDACTED},
                "keys": [REDACTED, REDACTED],
            })
        );
        let text = shown.to_string();
        for secret in ["p1", "p2", "p3", "p4", "p5"] {
            assert!(
                !text.contains(&format!("\"{secret}\"")),
                "{secret} leaked: {text}"
            );
        }
    }

    #[test]
    fn an_absent_optional_secret_stays_null() {
        let schema =
            json!({"properties": {"token": {"type": ["string", "null"], "writeOnly": true}}});
        let mut shown = json!({"token": null});
        redact(&schema, redaction(&schema), &mut shown);
        assert_eq!(shown, json!({"token": null}));
    }

    #[test]
    fn without_secrets_only_the_depth_is_bounded() {
        let schema = json!({"type": "object", "properties": {"a": {"type": "string"}}});
        assert_eq!(redaction(&schema), Redaction::BoundDepth, "an open object");
        let mut deep = json!("bottom");
        for _ in 0..=MAX_DEPTH {
            deep = json!([deep]);
        }
        let given = json!({"a": "x", "deep": deep});
        let (mut fast, mut walked) = (given.clone(), given.clone());
        redact(&schema, Redaction::BoundDepth, &mut fast);
        walk(&schema, Some(&schema), &mut walked, 0);
        assert_eq!(fast, walked, "the shortcut shows what the full walk shows");
        assert_ne!(fast, given, "the part past the depth bound is redacted");
        assert_eq!(fast["a"], "x");
    }

    /// A schema that bounds every valid value within [`MAX_DEPTH`] needs no walk: the
    /// deepest valid value comes out of the full walk unchanged. One level more and
    /// the depth is bounded again.
    #[test]
    fn a_closed_schema_within_the_bound_needs_no_walk() {
        for levels in [MAX_DEPTH, MAX_DEPTH + 1] {
            let (mut schema, mut value) = (json!({"type": "string"}), json!("bottom"));
            for _ in 0..levels {
                schema = json!({"type": "array", "items": schema});
                value = json!([value]);
            }
            let validator = jsonschema::validator_for(&schema).expect("a valid schema");
            assert!(validator.is_valid(&value));
            let mut walked = value.clone();
            walk(&schema, Some(&schema), &mut walked, 0);
            if levels <= MAX_DEPTH {
                assert_eq!(redaction(&schema), Redaction::Nothing);
                assert_eq!(walked, value, "the walk changes nothing");
            } else {
                assert_eq!(redaction(&schema), Redaction::BoundDepth);
                assert_ne!(walked, value, "the walk redacts the bottom");
            }
        }
    }
}
