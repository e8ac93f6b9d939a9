//! JSON as Python's `json` module reads it: objects keep their keys in the order they
//! are written (a repeated key keeps its first place and its last value), and values
//! are written back with Python's `str()`.
//!
//! [`serde_json::Value`] sorts object keys (the workspace does not enable serde_json's
//! `preserve_order`, which would reorder every JSON Schema we print), so the quality
//! gates read models into this small tree of their own when they are given text.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Number, Value};

use crate::python;

/// A JSON value whose objects keep their keys in written order.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum PyJson {
    /// `null` (Python's `None`).
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number (an `int` or a `float` in Python).
    Number(Number),
    /// A string.
    String(String),
    /// An array (a `list`).
    List(Vec<PyJson>),
    /// An object (a `dict`), in written order.
    Object(Vec<(String, PyJson)>),
}

impl PyJson {
    /// The value of `key` in an object; `None` for another value or a missing key.
    pub(crate) fn get(&self, key: &str) -> Option<&PyJson> {
        match self {
            PyJson::Object(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// Python's truth value: `None`, `False`, zero and empty containers are false.
    pub(crate) fn truthy(&self) -> bool {
        match self {
            PyJson::Null => false,
            PyJson::Bool(b) => *b,
            PyJson::Number(n) => n.as_f64().is_some_and(|f| f != 0.0),
            PyJson::String(s) => !s.is_empty(),
            PyJson::List(items) => !items.is_empty(),
            PyJson::Object(entries) => !entries.is_empty(),
        }
    }

    /// Python's `str()` of the value: `None`, `True`, `5`, `5.0`, `['a', 1]`.
    pub(crate) fn py_str(&self) -> String {
        match self {
            PyJson::String(s) => s.clone(),
            other => other.py_repr(),
        }
    }

    /// Python's `repr()` of the value.
    fn py_repr(&self) -> String {
        match self {
            PyJson::Null => "None".to_owned(),
            PyJson::Bool(true) => "True".to_owned(),
            PyJson::Bool(false) => "False".to_owned(),
            PyJson::Number(n) if n.is_f64() => python::float(n.as_f64().unwrap_or(f64::NAN)),
            PyJson::Number(n) => n.to_string(),
            PyJson::String(s) => python::repr(s),
            PyJson::List(items) => {
                let parts: Vec<String> = items.iter().map(PyJson::py_repr).collect();
                format!("[{}]", parts.join(", "))
            }
            PyJson::Object(entries) => {
                let parts: Vec<String> = entries
                    .iter()
                    .map(|(k, v)| format!("{}: {}", python::repr(k), v.py_repr()))
                    .collect();
                format!("{{{}}}", parts.join(", "))
            }
        }
    }
}

impl From<&Value> for PyJson {
    /// A [`Value`]'s objects come in its (sorted) key order.
    fn from(value: &Value) -> Self {
        match value {
            Value::Null => PyJson::Null,
            Value::Bool(b) => PyJson::Bool(*b),
            Value::Number(n) => PyJson::Number(n.clone()),
            Value::String(s) => PyJson::String(s.clone()),
            Value::Array(items) => PyJson::List(items.iter().map(PyJson::from).collect()),
            Value::Object(map) => PyJson::Object(
                map.iter()
                    .map(|(k, v)| (k.clone(), PyJson::from(v)))
                    .collect(),
            ),
        }
    }
}

impl<'de> Deserialize<'de> for PyJson {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(PyJsonVisitor)
    }
}

struct PyJsonVisitor;

impl<'de> Visitor<'de> for PyJsonVisitor {
    type Value = PyJson;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_unit<E>(self) -> Result<PyJson, E> {
        Ok(PyJson::Null)
    }

    fn visit_none<E>(self) -> Result<PyJson, E> {
        Ok(PyJson::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<PyJson, D::Error> {
        PyJson::deserialize(d)
    }

    fn visit_bool<E>(self, b: bool) -> Result<PyJson, E> {
        Ok(PyJson::Bool(b))
    }

    fn visit_i64<E>(self, n: i64) -> Result<PyJson, E> {
        Ok(PyJson::Number(n.into()))
    }

    fn visit_u64<E>(self, n: u64) -> Result<PyJson, E> {
        Ok(PyJson::Number(n.into()))
    }

    fn visit_f64<E>(self, n: f64) -> Result<PyJson, E> {
        Ok(Number::from_f64(n).map_or(PyJson::Null, PyJson::Number))
    }

    fn visit_str<E>(self, s: &str) -> Result<PyJson, E> {
        Ok(PyJson::String(s.to_owned()))
    }

    fn visit_string<E>(self, s: String) -> Result<PyJson, E> {
        Ok(PyJson::String(s))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<PyJson, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(PyJson::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<PyJson, A::Error> {
        let mut entries: Vec<(String, PyJson)> = Vec::new();
        while let Some((key, value)) = map.next_entry::<String, PyJson>()? {
            match entries.iter_mut().find(|(k, _)| *k == key) {
                Some(entry) => entry.1 = value,
                None => entries.push((key, value)),
            }
        }
        Ok(PyJson::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn objects_keep_written_order_and_python_str() {
        let v: PyJson =
            serde_json::from_str(r#"{"b": 1, "a": [null, true, 2.0, "it's"], "b": 5e-5}"#)
                .expect("json");
        assert_eq!(
            v.py_str(),
            r#"{'b': 5e-05, 'a': [None, True, 2.0, "it's"]}"#
        );
        assert!(!PyJson::Number(0.into()).truthy());
        assert!(PyJson::String("x".into()).truthy());
    }
}
