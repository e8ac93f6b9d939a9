//! A validated config as JSON with every secret replaced by [`REDACTED`]: what
//! `config_json` shows to tools that do not know the config's type.
//!
//! A value is secret when its schema (or any branch of an `anyOf`/`oneOf`/`allOf`
//! around it) is `writeOnly`, as [`Secret`](crate::Secret)'s schema is. A schema with
//! no `writeOnly` node describes no secret, and its values are kept as they are.

use serde_json::Value;

use super::schema::{child, deref};
use crate::REDACTED;

/// How deep into combinators and nested values the walk goes; deeper values are
/// redacted whole, so a pathological schema can only hide more, never show a secret.
const MAX_DEPTH: usize = 64;

/// Whether any node of `schema` is `writeOnly`: without one, no value it describes can
/// be a secret, and nothing needs redacting.
pub(super) fn has_secrets(schema: &Value) -> bool {
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
/// cloned. Call it only when [`has_secrets`] of `schema`.
pub(super) fn redact(schema: &Value, value: &mut Value) {
    walk(schema, Some(schema), value, 0);
}

fn redacted() -> Value {
    Value::String(REDACTED.to_owned())
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
        redact(&schema, &mut shown);
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
        redact(&schema, &mut shown);
        assert_eq!(shown, json!({"token": null}));
    }
}
