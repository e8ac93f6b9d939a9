//! Reading a platform manifest (YAML or JSON) into a tree that remembers where each
//! node and key is, so a problem at `plugins.compute.config.threads` can name its line.
//!
//! The parser is serde-saphyr: YAML 1.2 (so JSON documents parse too), syntax errors
//! with line and column, and `Spanned<T>` giving the location of every node.

use std::fmt;
use std::path::Path;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};
use serde_saphyr::Spanned;

/// The largest manifest read: a platform manifest is a few kilobytes.
const MAX_BYTES: u64 = 16 * 1024 * 1024;

/// A place in the manifest: 1-based line and column (0 when unknown).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Loc {
    /// Line, from 1.
    pub line: u64,
    /// Column, from 1.
    pub column: u64,
}

impl Loc {
    /// Whether the location is known.
    pub fn is_known(self) -> bool {
        self.line > 0
    }
}

/// One node of the manifest with its location.
#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    /// Where the node starts.
    pub loc: Loc,
    /// What it holds.
    pub kind: Kind,
}

/// The content of a node. Mapping keys are nodes too, so their lines are known.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    /// `null`, `~` or nothing.
    Null,
    /// `true` / `false` (YAML 1.2 spellings only).
    Bool(bool),
    /// A negative integer.
    Int(i64),
    /// A non-negative integer.
    UInt(u64),
    /// A floating-point number.
    Float(f64),
    /// A string.
    Str(String),
    /// A sequence.
    Seq(Vec<Node>),
    /// A mapping, in document order.
    Map(Vec<(Node, Node)>),
}

impl<'de> Deserialize<'de> for Node {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let spanned = Spanned::<Kind>::deserialize(deserializer)?;
        Ok(Node {
            loc: Loc {
                line: spanned.referenced.line(),
                column: spanned.referenced.column(),
            },
            kind: spanned.value,
        })
    }
}

impl<'de> Deserialize<'de> for Kind {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(KindVisitor)
    }
}

struct KindVisitor;

impl<'de> Visitor<'de> for KindVisitor {
    type Value = Kind;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any YAML value")
    }

    fn visit_unit<E: de::Error>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_none<E: de::Error>(self) -> Result<Kind, E> {
        Ok(Kind::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Kind, D::Error> {
        Kind::deserialize(d)
    }

    fn visit_bool<E: de::Error>(self, v: bool) -> Result<Kind, E> {
        Ok(Kind::Bool(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Kind, E> {
        Ok(if v >= 0 {
            Kind::UInt(v.unsigned_abs())
        } else {
            Kind::Int(v)
        })
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Kind, E> {
        Ok(Kind::UInt(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Kind, E> {
        Ok(Kind::Float(v))
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Kind, E> {
        Ok(Kind::Str(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Kind, E> {
        Ok(Kind::Str(v))
    }

    fn visit_bytes<E: de::Error>(self, v: &[u8]) -> Result<Kind, E> {
        Ok(Kind::Str(String::from_utf8_lossy(v).into_owned()))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Kind, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Node>()? {
            items.push(item);
        }
        Ok(Kind::Seq(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Kind, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<Node>()? {
            let value = map.next_value::<Node>()?;
            entries.push((key, value));
        }
        Ok(Kind::Map(entries))
    }
}

impl Node {
    /// The text of a scalar used as a mapping key; `None` for a sequence or mapping.
    pub fn key_text(&self) -> Option<String> {
        Some(match &self.kind {
            Kind::Null => "null".to_owned(),
            Kind::Bool(b) => b.to_string(),
            Kind::Int(i) => i.to_string(),
            Kind::UInt(u) => u.to_string(),
            Kind::Float(f) => f.to_string(),
            Kind::Str(s) => s.clone(),
            Kind::Seq(_) | Kind::Map(_) => return None,
        })
    }

    /// The entries of a mapping as `(key text, key location, value)`; `None` when the
    /// node is not a mapping. Complex keys are named `<complex key>`.
    pub fn entries(&self) -> Option<Vec<(String, Loc, &Node)>> {
        match &self.kind {
            Kind::Map(entries) => Some(
                entries
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.key_text().unwrap_or_else(|| "<complex key>".to_owned()),
                            k.loc,
                            v,
                        )
                    })
                    .collect(),
            ),
            _ => None,
        }
    }

    /// A short name of the node's kind, for messages (never its value).
    pub fn kind_name(&self) -> &'static str {
        match &self.kind {
            Kind::Null => "null",
            Kind::Bool(_) => "a boolean",
            Kind::Int(_) | Kind::UInt(_) => "an integer",
            Kind::Float(_) => "a number",
            Kind::Str(_) => "a string",
            Kind::Seq(_) => "a sequence",
            Kind::Map(_) => "a mapping",
        }
    }

    /// The node as JSON, for config validation. Non-finite floats become `null`.
    pub fn to_json(&self) -> Value {
        match &self.kind {
            Kind::Null => Value::Null,
            Kind::Bool(b) => Value::Bool(*b),
            Kind::Int(i) => Value::Number(Number::from(*i)),
            Kind::UInt(u) => Value::Number(Number::from(*u)),
            Kind::Float(f) => Number::from_f64(*f).map_or(Value::Null, Value::Number),
            Kind::Str(s) => Value::String(s.clone()),
            Kind::Seq(items) => Value::Array(items.iter().map(Node::to_json).collect()),
            Kind::Map(entries) => {
                let mut map = Map::new();
                for (k, v) in entries {
                    let key = k.key_text().unwrap_or_else(|| "<complex key>".to_owned());
                    map.insert(key, v.to_json());
                }
                Value::Object(map)
            }
        }
    }

    /// The location of a dotted path below this node (`attach.0.path`): a mapping key's
    /// own line, a sequence item's line. A path that goes further than the document
    /// (a missing field) answers the deepest part that exists; `start` is the answer
    /// for the empty path.
    pub fn locate(&self, start: Loc, path: &str) -> Loc {
        let mut node = self;
        let mut at = start;
        for segment in path.split('.').filter(|s| !s.is_empty()) {
            let next = match &node.kind {
                Kind::Map(entries) => entries
                    .iter()
                    .find(|(k, _)| k.key_text().as_deref() == Some(segment))
                    .map(|(k, v)| (k.loc, v)),
                Kind::Seq(items) => segment
                    .parse::<usize>()
                    .ok()
                    .and_then(|i| items.get(i))
                    .map(|item| (item.loc, item)),
                _ => None,
            };
            match next {
                Some((loc, child)) => {
                    at = loc;
                    node = child;
                }
                None => break,
            }
        }
        at
    }
}

/// Why a manifest could not be read.
#[derive(Debug, Clone, PartialEq)]
pub enum ReadError {
    /// The file could not be read at all (missing, a directory, not UTF-8, too big).
    Unreadable(String),
    /// The text is not valid YAML (or JSON).
    Syntax {
        /// Where the parser stopped.
        loc: Loc,
        /// What is wrong, without quoting the document.
        message: String,
    },
}

/// Reads and parses a manifest file.
pub fn read(path: &Path) -> Result<Node, ReadError> {
    let unreadable =
        |e: std::io::Error| ReadError::Unreadable(format!("cannot read {}: {e}", path.display()));
    let metadata = std::fs::metadata(path).map_err(unreadable)?;
    if metadata.is_dir() {
        return Err(ReadError::Unreadable(format!(
            "cannot read {}: it is a directory",
            path.display()
        )));
    }
    if metadata.len() > MAX_BYTES {
        return Err(ReadError::Unreadable(format!(
            "cannot read {}: larger than {} MiB, which no manifest is",
            path.display(),
            MAX_BYTES / 1024 / 1024
        )));
    }
    let bytes = std::fs::read(path).map_err(unreadable)?;
    let text = String::from_utf8(bytes).map_err(|e| {
        ReadError::Unreadable(format!(
            "cannot read {}: not UTF-8 text (invalid byte at offset {})",
            path.display(),
            e.utf8_error().valid_up_to()
        ))
    })?;
    parse(&text)
}

/// Parses manifest text. YAML 1.2 core schema: only `true`/`false` are booleans (so
/// `on`, `yes`, `y` stay strings), duplicate keys are errors, and errors never quote
/// the document (it may hold secrets).
///
/// ```
/// use floe_cli::manifest::{parse, ReadError};
///
/// let root = parse("plugins:\n  compute: {type: duckdb}\n").unwrap();
/// let (key, loc, _) = &root.entries().unwrap()[0];
/// assert_eq!((key.as_str(), loc.line), ("plugins", 1));
///
/// let Err(ReadError::Syntax { loc, .. }) = parse("a: 1\na: 2\n") else { panic!() };
/// assert_eq!(loc.line, 2); // duplicate keys are errors, with their place
/// ```
pub fn parse(text: &str) -> Result<Node, ReadError> {
    let options = serde_saphyr::options! {
        strict_booleans: true,
        with_snippet: false,
        crop_radius: 0,
    };
    serde_saphyr::from_str_with_options::<Node>(text, options).map_err(|e| {
        let loc = e
            .location()
            .map(|l| Loc {
                line: l.line(),
                column: l.column(),
            })
            .unwrap_or_default();
        let mut message = e.without_snippet().to_string();
        let suffix = format!(" at line {}, column {}", loc.line, loc.column);
        if let Some(stripped) = message.strip_suffix(&suffix) {
            message = stripped.to_owned();
        }
        ReadError::Syntax { loc, message }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nodes_and_keys_know_their_lines() {
        let doc =
            parse("a: 1\nplugins:\n  compute:\n    config: {threads: 0, attach: [{path: x}]}\n")
                .expect("valid");
        let plugins = doc.locate(Loc::default(), "plugins");
        assert_eq!(plugins, Loc { line: 2, column: 1 });
        let threads = doc.locate(Loc::default(), "plugins.compute.config.threads");
        assert_eq!(threads.line, 4);
        assert_eq!(threads.column, 14);
        let path = doc.locate(Loc::default(), "plugins.compute.config.attach.0.path");
        assert_eq!(path.line, 4);
        let missing = doc.locate(Loc::default(), "plugins.compute.config.nope");
        assert_eq!(
            missing,
            Loc { line: 4, column: 5 },
            "the deepest existing key"
        );
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"a": 1, "plugins": {"compute": {"config": {"threads": 0, "attach": [{"path": "x"}]}}}})
        );
    }

    #[test]
    fn yaml_1_2_booleans_only() {
        let doc = parse("a: on\nb: y\nc: true\n").expect("valid");
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"a": "on", "b": "y", "c": true})
        );
    }

    #[test]
    fn json_parses_too() {
        let doc = parse("{\n\t\"a\": {\"b\": [1, -2, 2.5, null]}\n}\n").expect("valid");
        assert_eq!(
            doc.to_json(),
            serde_json::json!({"a": {"b": [1, -2, 2.5, null]}})
        );
        assert_eq!(doc.locate(Loc::default(), "a.b").line, 2);
    }

    #[test]
    fn syntax_errors_have_a_place_and_no_snippet() {
        let err = parse("a: 1\nb: \"hunter2\n").expect_err("invalid");
        let ReadError::Syntax { loc, message } = err else {
            panic!("not a syntax error");
        };
        assert_eq!(loc.line, 2);
        assert!(!message.contains("hunter2"), "{message}");
        assert!(!message.contains("line"), "{message}");
        let dup = parse("a: 1\na: 2\n").expect_err("duplicate");
        assert!(matches!(
            dup,
            ReadError::Syntax {
                loc: Loc { line: 2, .. },
                ..
            }
        ));
    }
}
