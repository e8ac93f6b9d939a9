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
//!
//! Each repair reads the value again, so the repairs are bounded (256, a few per
//! problem): a value with more than about a hundred problems of shape gets the first
//! ones reported, without the model's rules, rather than a read that costs the square
//! of its size.
//!
//! A model reads from an object only (serde_json's own deserializer reads a struct from
//! an array too): anything else is refused with pydantic's text, `Input should be a
//! valid dictionary or instance of PortRule`.
//!
//! A tuple's minimum length is pydantic's one rule checked "after validation": on the
//! elements that are valid, whatever the others' problems (`ports: [5]` is reported at
//! `ports.0` and, with `Tuple should have at least 1 item after validation, not 0`, at
//! `ports`). The model's rules count the elements their own rules refuse; those with a
//! problem of shape are taken out of their list before such rules are counted.

mod strict;

use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

use crate::validation::{FieldError, ModelErrors, Validate};
use strict::{Strict, is_not_a_dictionary};

/// One step of a path into a JSON value.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Segment {
    /// An array's element.
    Seq { index: usize },
    /// An object's field.
    Map { key: String },
    /// Something serde could not name.
    Other(String),
}

impl Segment {
    fn is_seq(&self) -> bool {
        matches!(self, Segment::Seq { .. })
    }
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
    let mut shape: Vec<Shape> = Vec::new();
    // Paths given a stand-in, with the number of stand-ins tried there.
    let mut stand_ins: Vec<(Vec<Segment>, usize)> = Vec::new();
    for _ in 0..MAX_REPAIRS {
        let error = match serde_path_to_error::deserialize::<_, T>(Strict(&work)) {
            Ok(model) => return finish(model, &work, shape),
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
        if !inside_stand_in && !shape.iter().any(|s| s.path == path) {
            shape.push(Shape {
                error: FieldError::new(dotted(&path), message.clone()),
                path: path.clone(),
            });
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
    Err(ModelErrors(shape.into_iter().map(|s| s.error).collect()))
}

/// A problem of shape: where, and serde's text (or pydantic's, for a model that is no
/// object).
struct Shape {
    path: Vec<Segment>,
    error: FieldError,
}

/// Whether `rule` is a tuple's minimum length, which pydantic checks on the valid
/// elements whatever the problems of the others.
fn after_validation(rule: &FieldError) -> bool {
    rule.message.starts_with("Tuple should have at least")
}

/// The model's rules, less those about a field that did not read or about an object
/// with a failed field (a tuple's minimum length excepted: it is about the elements
/// that read); all the problems, or the model.
fn finish<T: DeserializeOwned + Validate>(
    model: T,
    work: &Value,
    shape: Vec<Shape>,
) -> Result<T, ModelErrors> {
    let mut rules = Vec::new();
    model.check("", &mut rules);
    let lengths = if shape.iter().any(|s| s.path.iter().any(Segment::is_seq)) {
        lengths_after_validation::<T>(work, &shape)
    } else {
        rules
            .iter()
            .filter(|r| after_validation(r))
            .cloned()
            .collect()
    };
    let (ordered, extra) = in_rule_order(rules, lengths);
    let all: Vec<String> = shape
        .iter()
        .map(|s| s.error.path.clone())
        .chain(ordered.iter().chain(&extra).map(|e| e.path.clone()))
        .collect();
    let repaired = |rule: &FieldError| {
        shape.iter().any(|s| {
            let at = &s.error.path;
            at.is_empty() || *at == rule.path || rule.path.starts_with(&format!("{at}."))
        })
    };
    let keep = |rule: &FieldError| {
        if repaired(rule) {
            return false;
        }
        if after_validation(rule) {
            return true;
        }
        let below = format!("{}.", rule.path);
        !all.iter()
            .any(|p| p.starts_with(&below) || (rule.path.is_empty() && !p.is_empty()))
    };
    let mut kept: Vec<FieldError> = ordered.into_iter().filter(|r| keep(r)).collect();
    for rule in extra.into_iter().filter(|r| keep(r)) {
        // After the last problem in its list, as pydantic orders them.
        let below = format!("{}.", rule.path);
        match kept
            .iter()
            .rposition(|k| k.path == rule.path || k.path.starts_with(&below))
        {
            Some(i) => kept.insert(i + 1, rule),
            None => kept.push(rule),
        }
    }
    let mut errors: Vec<FieldError> = shape.into_iter().map(|s| s.error).collect();
    errors.extend(kept);
    if errors.is_empty() {
        Ok(model)
    } else {
        Err(ModelErrors(errors))
    }
}

/// The model's rules with its tuple lengths replaced by `lengths`: in the model's order
/// where the model gave the same rule, and the lengths it did not give apart.
fn in_rule_order(
    rules: Vec<FieldError>,
    mut lengths: Vec<FieldError>,
) -> (Vec<FieldError>, Vec<FieldError>) {
    let mut ordered = Vec::new();
    for rule in rules {
        if !after_validation(&rule) {
            ordered.push(rule);
        } else if let Some(i) = lengths.iter().position(|l| *l == rule) {
            ordered.push(lengths.remove(i));
        }
    }
    (ordered, lengths)
}

/// The tuple lengths of the model with the elements that did not read taken out of
/// their lists, at the paths of `work` (the input, repaired).
///
/// Two readings: without every element that has a problem of shape at or below it (a
/// list's count of valid elements, exact for a list no such element holds), and
/// without only the innermost of those (for a list inside such an element, whose own
/// elements are counted there).
fn lengths_after_validation<T: DeserializeOwned + Validate>(
    work: &Value,
    shape: &[Shape],
) -> Vec<FieldError> {
    let mut every: Vec<Vec<Segment>> = Vec::new();
    let mut innermost: Vec<Vec<Segment>> = Vec::new();
    for s in shape {
        let elements = (0..s.path.len())
            .filter(|&i| s.path[i].is_seq())
            .map(|i| s.path[..=i].to_vec());
        for element in elements {
            if !every.contains(&element) {
                every.push(element.clone());
            }
            innermost.retain(|e| !starts_with(&element, e));
            if !innermost.iter().any(|e| starts_with(e, &element)) {
                innermost.push(element);
            }
        }
    }
    let inside_removed = |path: &str| {
        every.iter().map(|e| dotted(e)).any(|e| {
            path == e
                || path
                    .strip_prefix(e.as_str())
                    .is_some_and(|rest| rest.starts_with('.'))
        })
    };
    let mut lengths: Vec<FieldError> = lengths_without::<T>(work, &every)
        .into_iter()
        .filter(|r| !inside_removed(&r.path))
        .collect();
    lengths.extend(
        lengths_without::<T>(work, &innermost)
            .into_iter()
            .filter(|r| inside_removed(&r.path)),
    );
    lengths
}

/// The tuple lengths of the model read from `work` less the elements at `removed`, at
/// the paths of `work`; none when it does not read.
fn lengths_without<T: DeserializeOwned + Validate>(
    work: &Value,
    removed: &[Vec<Segment>],
) -> Vec<FieldError> {
    let mut reduced = work.clone();
    let mut order: Vec<&Vec<Segment>> = removed.iter().collect();
    // Deepest and last first, so that the other paths still hold.
    order.sort();
    for path in order.into_iter().rev() {
        if let Some((Segment::Seq { index }, list)) = path.split_last()
            && let Some(Value::Array(items)) = locate(&mut reduced, list)
            && *index < items.len()
        {
            items.remove(*index);
        }
    }
    let Ok(model) = T::deserialize(Strict(&reduced)) else {
        return Vec::new();
    };
    let mut rules = Vec::new();
    model.check("", &mut rules);
    rules
        .into_iter()
        .filter(after_validation)
        .map(|r| FieldError::new(original_path(&r.path, work, removed), r.message))
        .collect()
}

/// The path in `work` of `path`, a dotted path in `work` less the elements at
/// `removed`: each index counts the elements kept.
fn original_path(path: &str, work: &Value, removed: &[Vec<Segment>]) -> String {
    let parts: Vec<&str> = if path.is_empty() {
        Vec::new()
    } else {
        path.split('.').collect()
    };
    let mut at: Vec<Segment> = Vec::new();
    let mut value = work;
    let mut i = 0;
    while i < parts.len() {
        let step = match value {
            Value::Array(items) => parts[i].parse::<usize>().ok().and_then(|k| {
                let kept = (0..items.len()).filter(|&j| {
                    let mut element = at.clone();
                    element.push(Segment::Seq { index: j });
                    !removed.contains(&element)
                });
                let j = kept.into_iter().nth(k)?;
                Some((Segment::Seq { index: j }, &items[j], 1))
            }),
            // A key may hold dots (`app.kubernetes.io/name`): the shortest that is one.
            Value::Object(map) => (1..=parts.len() - i).find_map(|n| {
                let key = parts[i..i + n].join(".");
                let next = map.get(&key)?;
                Some((Segment::Map { key }, next, n))
            }),
            _ => None,
        };
        let Some((segment, next, n)) = step else {
            break;
        };
        at.push(segment);
        value = next;
        i += n;
    }
    let rest = &parts[i..];
    match (at.is_empty(), rest.is_empty()) {
        (_, true) => dotted(&at),
        (true, false) => rest.join("."),
        (false, false) => format!("{}.{}", dotted(&at), rest.join(".")),
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
        // A model: an object, then the other kinds.
        _ if is_not_a_dictionary(message) => match n {
            0 => Some(json!({})),
            n => kinds.into_iter().nth(n - 1),
        },
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::network::{EgressRule, IngressRule, NetworkPolicyConfig, PortRule};
    use crate::rbac::RoleConfig;

    /// `(path, message)` of each problem.
    fn problems<T: DeserializeOwned + Validate>(value: Value) -> Vec<(String, String)> {
        match read_model::<T>(&value) {
            Ok(_) => Vec::new(),
            Err(e) => e.0.into_iter().map(|e| (e.path, e.message)).collect(),
        }
    }

    fn owned(expected: &[(&str, &str)]) -> Vec<(String, String)> {
        expected
            .iter()
            .map(|(p, m)| ((*p).to_owned(), (*m).to_owned()))
            .collect()
    }

    const TOO_SHORT: &str = "Tuple should have at least 1 item after validation, not 0";

    #[test]
    fn a_model_reads_from_an_object_only() {
        assert_eq!(
            problems::<PortRule>(json!([7])),
            owned(&[(
                "",
                "Input should be a valid dictionary or instance of PortRule"
            )])
        );
        assert_eq!(
            problems::<IngressRule>(json!([])),
            owned(&[(
                "",
                "Input should be a valid dictionary or instance of IngressRule"
            )])
        );
        let policy = json!({"name": "floe-a", "namespace": "a", "policy_types": ["Ingress"],
                            "ingress_rules": [{"ports": [{"port": 1}, [7]]}, []]});
        assert_eq!(
            problems::<NetworkPolicyConfig>(policy),
            owned(&[
                (
                    "ingress_rules.0.ports.1",
                    "Input should be a valid dictionary or instance of PortRule"
                ),
                (
                    "ingress_rules.1",
                    "Input should be a valid dictionary or instance of IngressRule"
                ),
            ])
        );
    }

    #[test]
    fn a_required_tuple_with_no_valid_element_is_too_short() {
        let not_a_port = "Input should be a valid dictionary or instance of PortRule";
        assert_eq!(
            problems::<EgressRule>(json!({"to_namespace": "a", "ports": [5, 6]})),
            owned(&[
                ("ports.0", not_a_port),
                ("ports.1", not_a_port),
                ("ports", TOO_SHORT)
            ])
        );
        // One valid element is enough.
        assert_eq!(
            problems::<EgressRule>(json!({"to_namespace": "a", "ports": [5, {"port": 1}]})),
            owned(&[("ports.0", not_a_port)])
        );
        // A port refused by its rule and one of the wrong shape.
        assert_eq!(
            problems::<EgressRule>(
                json!({"to_namespace": "a", "ports": [{"port": 0}, {"port": 1, "x": 1}]})
            ),
            owned(&[
                (
                    "ports.1.x",
                    "unknown field `x`, expected `port` or `protocol`"
                ),
                ("ports.0.port", "Input should be greater than or equal to 1"),
                ("ports", TOO_SHORT),
            ])
        );
        // Without a problem of shape, read_model keeps the model's own order.
        assert_eq!(
            problems::<EgressRule>(json!({"to_namespace": "B", "ports": [{"port": 0}]})),
            owned(&[
                ("to_namespace", "Invalid namespace: B"),
                ("ports.0.port", "Input should be greater than or equal to 1"),
                ("ports", TOO_SHORT),
            ])
        );
        // Nested, with the indices of the input.
        let policy = json!({"name": "floe-a", "namespace": "a", "policy_types": ["X"],
                            "egress_rules": [[], {"to_namespace": "a", "ports": ["x"]}]});
        let found = problems::<NetworkPolicyConfig>(policy);
        assert!(found.contains(&("policy_types".to_owned(), TOO_SHORT.to_owned())));
        assert!(found.contains(&("egress_rules.1.ports".to_owned(), TOO_SHORT.to_owned())));
        assert_eq!(found.len(), 5, "{found:?}");
    }

    #[test]
    fn a_list_is_not_too_short_after_validation() {
        // pydantic checks a list's (not a tuple's) length only when its elements read.
        let role = json!({"name": "floe-a-role", "namespace": "ns",
                          "rules": [{"resources": ["x"], "verbs": [5]}]});
        assert_eq!(
            problems::<RoleConfig>(role),
            owned(&[(
                "rules.0.verbs.0",
                "invalid type: integer `5`, expected a string"
            )])
        );
    }
}
