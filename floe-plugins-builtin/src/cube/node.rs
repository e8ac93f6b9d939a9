//! An ordered JSON tree: a dbt manifest read with its keys in file order (models,
//! columns and pre-aggregations keep the order the file gives), and the cube documents
//! built from it, which serde-saphyr writes as YAML in that order.

use std::fmt;

use serde::de::{Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, Serializer};
use serde_json::Value;

/// A JSON value whose objects keep their key order.
#[derive(Debug, Clone, PartialEq)]
pub enum Node {
    /// `null`, a boolean, a number or a string.
    Scalar(Value),
    /// An array.
    List(Vec<Node>),
    /// An object, keys in document order.
    Map(Vec<(String, Node)>),
}

impl Node {
    /// A string scalar.
    pub fn str(s: impl Into<String>) -> Node {
        Node::Scalar(Value::String(s.into()))
    }

    /// The value of `key` in an object (the last one, as JSON parsers keep).
    pub fn get(&self, key: &str) -> Option<&Node> {
        match self {
            Node::Map(entries) => entries.iter().rev().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The string of a string scalar.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Node::Scalar(Value::String(s)) => Some(s),
            _ => None,
        }
    }

    /// The entries of an object.
    pub fn entries(&self) -> &[(String, Node)] {
        match self {
            Node::Map(entries) => entries,
            _ => &[],
        }
    }

    /// The items of an array.
    pub fn items(&self) -> &[Node] {
        match self {
            Node::List(items) => items,
            _ => &[],
        }
    }

    /// Python truthiness: `null`, `false`, `0`, `""`, `[]` and `{}` are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Node::Scalar(Value::Null) => false,
            Node::Scalar(Value::Bool(b)) => *b,
            Node::Scalar(Value::Number(n)) => n.as_f64().is_some_and(|f| f != 0.0),
            Node::Scalar(Value::String(s)) => !s.is_empty(),
            Node::Scalar(_) => true,
            Node::List(items) => !items.is_empty(),
            Node::Map(entries) => !entries.is_empty(),
        }
    }
}

impl Node {
    /// The YAML document of this tree, block style with two-space indentation and list
    /// items at their key's indentation; strings stay on one line and are quoted
    /// whenever a plain scalar would read back as something else.
    pub fn to_yaml(&self) -> Result<String, serde_saphyr::ser::Error> {
        let options = serde_saphyr::ser_options! {
            indent_step: 2,
            compact_list_indent: true,
            prefer_block_scalars: false,
        };
        serde_saphyr::to_string_with_options(self, options)
    }
}

impl Serialize for Node {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Node::Scalar(value) => value.serialize(serializer),
            Node::List(items) => serializer.collect_seq(items),
            Node::Map(entries) => serializer.collect_map(entries.iter().map(|(k, v)| (k, v))),
        }
    }
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NodeVisitor)
    }
}

struct NodeVisitor;

impl<'de> Visitor<'de> for NodeVisitor {
    type Value = Node;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_unit<E>(self) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Null))
    }

    fn visit_bool<E>(self, v: bool) -> Result<Node, E> {
        Ok(Node::Scalar(Value::Bool(v)))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(v)))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(v)))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Node, E> {
        Ok(Node::Scalar(Value::from(v)))
    }

    fn visit_str<E>(self, v: &str) -> Result<Node, E> {
        Ok(Node::str(v))
    }

    fn visit_string<E>(self, v: String) -> Result<Node, E> {
        Ok(Node::str(v))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Node, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element()? {
            items.push(item);
        }
        Ok(Node::List(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Node, A::Error> {
        let mut entries = Vec::new();
        while let Some((k, v)) = map.next_entry::<String, Node>()? {
            entries.push((k, v));
        }
        Ok(Node::Map(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::Node;
    use serde_json::{Value, json};

    fn node(value: Value) -> Node {
        serde_json::from_value(value).expect("any JSON value is a node")
    }

    #[test]
    fn yaml_is_block_style_in_the_trees_key_order() {
        let doc = node(json!({
            "cubes": [{
                "name": "orders",
                "measures": [{"name": "id", "type": "count"}],
                "dimensions": [],
                "nested": {"a": [1, 2.5, true, null], "b": {}}
            }]
        }));
        assert_eq!(
            doc.to_yaml().expect("writes"),
            "cubes:\n- dimensions: []\n  measures:\n  - name: id\n    type: count\n  name: orders\n  nested:\n    a:\n    - 1\n    - 2.5\n    - true\n    - null\n    b: {}\n"
        );
    }

    #[test]
    fn strings_that_look_like_other_scalars_read_back_as_strings() {
        for text in [
            "orders",
            "analytics.orders",
            "{a}.b_id = {b}.b_id",
            "it's",
            "'q'",
            "true",
            "No",
            "null",
            "123",
            "1e5",
            "2024_sales",
            "",
            "a: b",
            "x #y",
            "- x",
            "line\nbreak",
            "tab\there",
            "*alias",
        ] {
            let yaml = node(json!({"sql": text})).to_yaml().expect("writes");
            let back: Value = serde_saphyr::from_str(&yaml).expect("valid YAML");
            assert_eq!(back, json!({"sql": text}), "{text:?} wrote {yaml:?}");
        }
    }
}
