//! A small YAML writer for block-style documents, in the style of PyYAML's
//! `dump(default_flow_style=False, sort_keys=False)`: two-space indentation, list
//! items at their key's indentation, `[]`/`{}` for empty collections, and strings
//! quoted whenever a plain scalar could be read back as something else.

use serde_json::Value;

use super::node::Node;

/// The YAML document of `node`.
pub fn to_yaml(node: &Node) -> String {
    let mut out = String::new();
    match node {
        Node::Map(entries) if !entries.is_empty() => write_map(&mut out, entries, 0, false),
        Node::List(items) if !items.is_empty() => write_list(&mut out, items, 0, false),
        other => {
            out.push_str(&inline(other));
            out.push('\n');
        }
    }
    out
}

fn indent(out: &mut String, n: usize) {
    out.extend(std::iter::repeat_n(' ', n));
}

fn write_map(out: &mut String, entries: &[(String, Node)], at: usize, mut first_inline: bool) {
    for (key, value) in entries {
        if !first_inline {
            indent(out, at);
        }
        first_inline = false;
        out.push_str(&scalar(key));
        out.push(':');
        match value {
            Node::Map(inner) if !inner.is_empty() => {
                out.push('\n');
                write_map(out, inner, at + 2, false);
            }
            Node::List(items) if !items.is_empty() => {
                out.push('\n');
                write_list(out, items, at, false);
            }
            other => {
                out.push(' ');
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

fn write_list(out: &mut String, items: &[Node], at: usize, mut first_inline: bool) {
    for item in items {
        if !first_inline {
            indent(out, at);
        }
        first_inline = false;
        out.push_str("- ");
        match item {
            Node::Map(inner) if !inner.is_empty() => write_map(out, inner, at + 2, true),
            Node::List(inner) if !inner.is_empty() => write_list(out, inner, at + 2, true),
            other => {
                out.push_str(&inline(other));
                out.push('\n');
            }
        }
    }
}

/// An empty collection or a scalar, on one line.
fn inline(node: &Node) -> String {
    match node {
        Node::Map(_) => "{}".to_owned(),
        Node::List(_) => "[]".to_owned(),
        Node::Scalar(Value::Null) => "null".to_owned(),
        Node::Scalar(Value::Bool(b)) => b.to_string(),
        Node::Scalar(Value::Number(n)) => n.to_string(),
        Node::Scalar(Value::String(s)) => scalar(s),
        Node::Scalar(other) => scalar(&other.to_string()),
    }
}

/// A string as a YAML scalar: plain when that reads back as the same string,
/// single-quoted when printable, double-quoted with escapes otherwise.
pub fn scalar(s: &str) -> String {
    if s.chars().any(|c| c.is_control()) {
        double_quoted(s)
    } else if is_plain_safe(s) {
        s.to_owned()
    } else {
        format!("'{}'", s.replace('\'', "''"))
    }
}

fn is_plain_safe(s: &str) -> bool {
    let Some(first) = s.chars().next() else {
        return false;
    };
    if s.starts_with(' ') || s.ends_with(' ') || s.ends_with(':') {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`=~".contains(first) || first.is_ascii_digit() {
        return false;
    }
    if (first == '+' || first == '.') && s.chars().nth(1).is_some_and(|c| c.is_ascii_digit()) {
        return false;
    }
    if s.contains(": ") || s.contains(" #") || s.contains('\u{feff}') {
        return false;
    }
    let lower = s.to_ascii_lowercase();
    let reserved = [
        "null", "true", "false", "yes", "no", "on", "off", "y", "n", ".inf", "+.inf", "-.inf",
        ".nan",
    ];
    !reserved.contains(&lower.as_str()) && s.parse::<f64>().is_err()
}

fn double_quoted(s: &str) -> String {
    let mut out = String::from("\"");
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            '\r' => out.push_str("\\r"),
            '\0' => out.push_str("\\0"),
            c if c.is_control() => {
                let code = u32::from(c);
                if code <= 0xff {
                    out.push_str(&format!("\\x{code:02X}"));
                } else {
                    out.push_str(&format!("\\u{code:04X}"));
                }
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn node(v: serde_json::Value) -> Node {
        serde_json::from_value(v).unwrap_or(Node::Scalar(serde_json::Value::Null))
    }

    #[test]
    fn block_style_like_pyyaml() {
        let doc = node(json!({
            "cubes": [{
                "name": "orders",
                "measures": [{"name": "id", "type": "count"}],
                "dimensions": [],
                "nested": {"a": [1, 2.5, true, null], "b": {}}
            }]
        }));
        assert_eq!(
            to_yaml(&doc),
            "cubes:\n- dimensions: []\n  measures:\n  - name: id\n    type: count\n  name: orders\n  nested:\n    a:\n    - 1\n    - 2.5\n    - true\n    - null\n    b: {}\n"
        );
    }

    #[test]
    fn strings_are_quoted_when_plain_would_change_them() {
        let cases = [
            ("orders", "orders"),
            ("analytics.orders", "analytics.orders"),
            ("{a}.b_id = {b}.b_id", "'{a}.b_id = {b}.b_id'"),
            ("it's", "it's"),
            ("'q'", "'''q'''"),
            ("true", "'true'"),
            ("No", "'No'"),
            ("null", "'null'"),
            ("123", "'123'"),
            ("1e5", "'1e5'"),
            ("2024_sales", "'2024_sales'"),
            ("", "''"),
            ("a: b", "'a: b'"),
            ("x #y", "'x #y'"),
            ("- x", "'- x'"),
            ("line\nbreak", "\"line\\nbreak\""),
            ("tab\there", "\"tab\\there\""),
            ("*alias", "'*alias'"),
        ];
        for (input, expected) in cases {
            assert_eq!(scalar(input), expected, "{input:?}");
        }
    }
}
