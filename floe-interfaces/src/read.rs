//! Reading a model from JSON with every problem at once, as floe's pydantic models
//! report them: a field of the wrong type, a missing or an unknown field no longer hides
//! the problems of the other fields (serde stops at the first).
//!
//! serde reads the value; at each failure the failing field's path is noted and the
//! value repaired there (an unknown field dropped, a bad field dropped so its default
//! applies, else given a stand-in of the right kind), and serde reads again. Problems
//! inside a stand-in are not the user's and are not reported. The model's rules then
//! run, except a rule about a field that did not read, or about an object one of whose
//! fields failed (pydantic runs no model validator over such an object). An integral
//! float where an integer is wanted (`70.0`) is that integer, as in JSON Schema.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::validation::{FieldError, ModelErrors, Validate};

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Segment {
    /// An array's element.
    Seq { index: usize },
    /// An object's field.
    Map { key: String },
    /// Something serde could not name.
    Other(String),
}

impl From<&serde_path_to_error::Segment> for Segment {
    fn from(s: &serde_path_to_error::Segment) -> Self {
        use serde_path_to_error::Segment as S;
        match s {
            S::Seq { index } => Segment::Seq { index: *index },
            S::Map { key } => Segment::Map { key: key.clone() },
            S::Enum { variant } => Segment::Other(variant.clone()),
            S::Unknown => Segment::Other("?".to_owned()),
        }
    }
}

/// The most repairs tried before giving up on a value (each problem needs a few).
const MAX_REPAIRS: usize = 256;

/// Reads a `T` from `value` and validates it, reporting every problem with its path:
/// wrong types, missing and unknown fields, and the model's rules.
///
/// ```
/// use floe_interfaces::{read_model, rbac::RoleConfig};
/// let err = read_model::<RoleConfig>(&serde_json::json!({"name": 5, "namespace": "Bad", "rules": []}))
///     .unwrap_err();
/// let paths: Vec<&str> = err.0.iter().map(|e| e.path.as_str()).collect();
/// assert_eq!(paths, ["name", "namespace", "rules"]);
/// ```
pub fn read_model<T: DeserializeOwned + Validate>(value: &Value) -> Result<T, ModelErrors> {
    let mut work = value.clone();
    let mut shape: Vec<FieldError> = Vec::new();
    // Paths given a stand-in, with the number of stand-ins tried there.
    let mut stand_ins: Vec<(Vec<Segment>, usize)> = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let error = match serde_path_to_error::deserialize::<_, T>(&work) {
            Ok(model) => return finish(model, shape),
            Err(e) => e,
        };
        let message = error.inner().to_string();
        let mut path: Vec<Segment> = error.path().iter().map(Segment::from).collect();
        if message.starts_with("invalid type: floating point") && integral(&mut work, &path) {
            // An integral float (`70.0`) is an integer, as in JSON Schema and pydantic.
            continue;
        }
        let missing = field_named(&message, "missing field `");
        let unknown = field_named(&message, "unknown field `");
        if let Some(key) = missing.as_ref().or(unknown.as_ref())
            && !matches!(path.last(), Some(Segment::Map { key: last }) if last == key)
        {
            path.push(Segment::Map { key: key.clone() });
        }
        let inside_stand_in = stand_ins.iter().any(|(p, _)| starts_with(&path, p));
        if !inside_stand_in && !shape.iter().any(|e| e.path == dotted(&path)) {
            shape.push(FieldError::new(dotted(&path), message.clone()));
        }
        if unknown.is_some() {
            remove_field(&mut work, &path);
            continue;
        }
        let has_stand_in = stand_ins.iter().any(|(p, _)| *p == path);
        if missing.is_none() && !has_stand_in && remove_field(&mut work, &path) {
            // Dropped: its default applies, or it is reported missing next.
            continue;
        }
        let tries = match stand_ins.iter_mut().find(|(p, _)| *p == path) {
            Some((_, tries)) => {
                *tries += 1;
                *tries
            }
            None => {
                stand_ins.push((path.clone(), 0));
                0
            }
        };
        let Some(stand_in) = stand_in(tries, &message) else {
            break;
        };
        set(&mut work, &path, stand_in);
    }
    Err(ModelErrors(shape))
}

/// The model's rules, less those about a field that did not read or about an object
/// with a failed field; all the problems, or the model.
fn finish<T: Validate>(model: T, shape: Vec<FieldError>) -> Result<T, ModelErrors> {
    let mut rules = Vec::new();
    model.check("", &mut rules);
    let all: Vec<String> = shape.iter().chain(&rules).map(|e| e.path.clone()).collect();
    rules.retain(|rule| {
        let below = format!("{}.", rule.path);
        let repaired =
            |s: &FieldError| s.path == rule.path || rule.path.starts_with(&format!("{}.", s.path));
        !shape.iter().any(repaired)
            && !all
                .iter()
                .any(|p| p.starts_with(&below) || (rule.path.is_empty() && !p.is_empty()))
    });
    let mut errors = shape;
    errors.extend(rules);
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(ModelErrors(errors))
    }
}

/// Writes the float at `path` as an integer when it is integral; whether it did.
fn integral(work: &mut Value, path: &[Segment]) -> bool {
    let Some(slot) = locate(work, path) else {
        return false;
    };
    let Some(f) = slot.as_f64().filter(|f| slot.is_f64() && f.fract() == 0.0) else {
        return false;
    };
    // Within i64's range the conversion is exact; beyond it, leave the float.
    if f.abs() < 9.0e18 {
        *slot = json!(f as i64);
        return true;
    }
    false
}

/// `x` from a message starting with `prefix` and going on with `` x` ``.
fn field_named(message: &str, prefix: &str) -> Option<String> {
    let rest = message.strip_prefix(prefix)?;
    rest.split_once('`').map(|(name, _)| name.to_owned())
}

/// The `n`th stand-in to try: the first variant the message expects when it names
/// one, else one value of each JSON kind in turn.
fn stand_in(n: usize, message: &str) -> Option<Value> {
    let variant = message
        .split_once("expected one of `")
        .or_else(|| message.split_once("expected `"))
        .and_then(|(_, rest)| rest.split_once('`'))
        .map(|(v, _)| json!(v));
    let kinds = [
        json!(""),
        json!(1),
        json!(false),
        json!([]),
        json!({}),
        Value::Null,
    ];
    match variant {
        // The message names what it expects: that, whatever was tried before.
        Some(v) if n < kinds.len() => Some(v),
        _ => kinds.into_iter().nth(n),
    }
}

fn starts_with(path: &[Segment], prefix: &[Segment]) -> bool {
    path.len() >= prefix.len() && path.iter().zip(prefix).all(|(a, b)| a == b)
}

/// `rules.0.verbs`.
fn dotted(path: &[Segment]) -> String {
    path.iter()
        .map(|s| match s {
            Segment::Seq { index } => index.to_string(),
            Segment::Map { key } => key.clone(),
            Segment::Other(name) => name.clone(),
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// The object holding the last segment of `path`, with that key.
fn parent_object<'v>(
    work: &'v mut Value,
    path: &[Segment],
) -> Option<(&'v mut Map<String, Value>, String)> {
    let (last, parents) = path.split_last()?;
    let Segment::Map { key } = last else {
        return None;
    };
    match locate(work, parents)? {
        Value::Object(map) => Some((map, key.clone())),
        _ => None,
    }
}

fn locate<'v>(work: &'v mut Value, path: &[Segment]) -> Option<&'v mut Value> {
    path.iter().try_fold(work, |v, s| match (s, v) {
        (Segment::Seq { index }, Value::Array(items)) => items.get_mut(*index),
        (Segment::Map { key }, Value::Object(map)) => map.get_mut(key),
        _ => None,
    })
}

/// Drops the field at `path` if it is a field of an object that has it.
fn remove_field(work: &mut Value, path: &[Segment]) -> bool {
    parent_object(work, path).is_some_and(|(map, key)| map.remove(&key).is_some())
}

/// Puts `value` at `path` (a missing field is added to its object).
fn set(work: &mut Value, path: &[Segment], value: Value) {
    if let Some((map, key)) = parent_object(work, path) {
        map.insert(key, value);
    } else if let Some(slot) = locate(work, path) {
        *slot = value;
    }
}
