//! A small YAML reader for kubeconfig files, into `serde_json::Value`.
//!
//! It reads what `kubectl config view --raw` writes: block mappings and sequences,
//! plain and quoted scalars, `|`/`>` block scalars, comments and flow collections
//! (`{}`, `[a, "b"]`, `{k: v}`). Anchors, aliases, tags and multiple documents are
//! refused with an error naming the line. Scalars stay strings except `true`,
//! `false` and `null`/`~`. JSON input is read as JSON.

use serde_json::{Map, Value};

/// One meaningful line: its indentation, its text without comment, its number.
#[derive(Debug, Clone)]
struct Line {
    indent: usize,
    text: String,
    number: usize,
}

/// Parses a kubeconfig document.
pub(crate) fn parse(source: &str) -> Result<Value, String> {
    if source.trim_start().starts_with('{') {
        return serde_json::from_str(source).map_err(|e| format!("invalid JSON: {e}"));
    }
    let mut lines = Vec::new();
    for (i, raw) in source.lines().enumerate() {
        let number = i + 1;
        let body = raw.trim_end();
        let trimmed = body.trim_start();
        if trimmed.is_empty() || trimmed.starts_with('#') || trimmed == "---" {
            continue;
        }
        if trimmed == "..." || (trimmed.starts_with("---") && number > 1 && !lines.is_empty()) {
            return Err(format!(
                "line {number}: only one YAML document is supported"
            ));
        }
        let indent_part = &body[..body.len() - trimmed.len()];
        if indent_part.contains('\t') {
            return Err(format!(
                "line {number}: tabs are not allowed for indentation"
            ));
        }
        lines.push(Line {
            indent: indent_part.len(),
            text: raw[indent_part.len()..].trim_end().to_owned(),
            number,
        });
    }
    if lines.is_empty() {
        return Ok(Value::Null);
    }
    let mut parser = Parser { lines, pos: 0 };
    let indent = parser.lines[0].indent;
    let value = parser.node(indent)?;
    match parser.lines.get(parser.pos) {
        Some(l) => Err(format!("line {}: unexpected indentation", l.number)),
        None => Ok(value),
    }
}

struct Parser {
    lines: Vec<Line>,
    pos: usize,
}

fn is_seq_item(text: &str) -> bool {
    text == "-" || text.starts_with("- ")
}

impl Parser {
    fn node(&mut self, indent: usize) -> Result<Value, String> {
        let line = &self.lines[self.pos];
        if is_seq_item(&line.text) {
            self.sequence(indent)
        } else if split_key(&line.text).is_some() {
            self.mapping(indent)
        } else {
            let line = line.clone();
            self.pos += 1;
            inline_value(&strip_comment(&line.text), line.number)
        }
    }

    fn mapping(&mut self, indent: usize) -> Result<Value, String> {
        let mut map = Map::new();
        while let Some(line) = self.lines.get(self.pos).cloned() {
            if line.indent < indent {
                break;
            }
            if line.indent > indent || is_seq_item(&line.text) {
                return Err(format!("line {}: unexpected indentation", line.number));
            }
            let Some((key, rest)) = split_key(&line.text) else {
                return Err(format!("line {}: expected `key: value`", line.number));
            };
            let key = scalar_text(&key, line.number)?;
            self.pos += 1;
            let rest = strip_comment(&rest);
            let value = if rest.is_empty() {
                match self.lines.get(self.pos) {
                    Some(next) if next.indent > indent => {
                        let i = next.indent;
                        self.node(i)?
                    }
                    Some(next) if next.indent == indent && is_seq_item(&next.text) => {
                        self.sequence(indent)?
                    }
                    _ => Value::Null,
                }
            } else if rest.starts_with('|') || rest.starts_with('>') {
                self.block_scalar(indent, &rest)
            } else {
                inline_value(&rest, line.number)?
            };
            map.insert(key, value);
        }
        Ok(Value::Object(map))
    }

    fn sequence(&mut self, indent: usize) -> Result<Value, String> {
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.pos).cloned() {
            if line.indent != indent || !is_seq_item(&line.text) {
                if line.indent > indent {
                    return Err(format!("line {}: unexpected indentation", line.number));
                }
                break;
            }
            let rest = line.text[1..].trim_start();
            if rest.is_empty() {
                self.pos += 1;
                match self.lines.get(self.pos) {
                    Some(next) if next.indent > indent => {
                        let i = next.indent;
                        items.push(self.node(i)?);
                    }
                    _ => items.push(Value::Null),
                }
                continue;
            }
            // `- key: value` starts a mapping at the column of `key`; `- - x` a sequence.
            let column = indent + (line.text.len() - rest.len());
            self.lines[self.pos] = Line {
                indent: column,
                text: rest.to_owned(),
                number: line.number,
            };
            items.push(self.node(column)?);
        }
        Ok(Value::Array(items))
    }

    /// `|` keeps line breaks, `>` folds them into spaces; chomping indicators accepted.
    fn block_scalar(&mut self, indent: usize, header: &str) -> Value {
        let mut parts = Vec::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent <= indent {
                break;
            }
            parts.push(line.text.clone());
            self.pos += 1;
        }
        let joined = if header.starts_with('|') {
            parts.join("\n")
        } else {
            parts.join(" ")
        };
        if header.contains('-') {
            Value::String(joined)
        } else {
            Value::String(joined + "\n")
        }
    }
}

/// Splits `key: rest` (or `key:`) at the first `:` followed by a space or the end,
/// outside quotes.
fn split_key(text: &str) -> Option<(String, String)> {
    let bytes = text.as_bytes();
    if matches!(bytes.first(), Some(b'{' | b'[')) {
        return None;
    }
    let mut quote: Option<u8> = None;
    for (i, &b) in bytes.iter().enumerate() {
        match quote {
            Some(q) if b == q => quote = None,
            Some(_) => {}
            None if (b == b'"' || b == b'\'') && i == 0 => quote = Some(b),
            None if b == b':' && (i + 1 == bytes.len() || bytes[i + 1] == b' ') => {
                return Some((text[..i].trim().to_owned(), text[i + 1..].trim().to_owned()));
            }
            None => {}
        }
    }
    None
}

/// Removes a ` # comment` outside quotes.
fn strip_comment(text: &str) -> String {
    let mut quote: Option<char> = None;
    let mut prev = ' ';
    for (i, c) in text.char_indices() {
        match quote {
            Some(q) if c == q => quote = None,
            Some(_) => {}
            None if c == '"' || c == '\'' => quote = Some(c),
            None if c == '#' && prev.is_whitespace() => return text[..i].trim_end().to_owned(),
            None => {}
        }
        prev = c;
    }
    text.trim_end().to_owned()
}

/// A value on one line: a flow collection or a scalar.
fn inline_value(text: &str, line: usize) -> Result<Value, String> {
    if text.starts_with('&') || text.starts_with('*') || text.starts_with('!') {
        return Err(format!(
            "line {line}: YAML anchors, aliases and tags are not supported"
        ));
    }
    if text.starts_with('[') || text.starts_with('{') {
        let mut flow = Flow {
            chars: text.chars().collect(),
            pos: 0,
            line,
        };
        let value = flow.value()?;
        flow.skip_ws();
        if flow.pos != flow.chars.len() {
            return Err(format!(
                "line {line}: unexpected text after a flow collection"
            ));
        }
        return Ok(value);
    }
    if text.starts_with('"') || text.starts_with('\'') {
        return scalar_text(text, line).map(Value::String);
    }
    Ok(match text {
        "true" | "True" | "TRUE" => Value::Bool(true),
        "false" | "False" | "FALSE" => Value::Bool(false),
        "null" | "Null" | "NULL" | "~" => Value::Null,
        other => Value::String(other.to_owned()),
    })
}

/// The text of a plain, single- or double-quoted scalar.
fn scalar_text(text: &str, line: usize) -> Result<String, String> {
    if let Some(inner) = text.strip_prefix('\'') {
        let inner = inner
            .strip_suffix('\'')
            .ok_or_else(|| format!("line {line}: unterminated single-quoted string"))?;
        return Ok(inner.replace("''", "'"));
    }
    if let Some(inner) = text.strip_prefix('"') {
        let inner = inner
            .strip_suffix('"')
            .ok_or_else(|| format!("line {line}: unterminated double-quoted string"))?;
        return unescape(inner, line);
    }
    Ok(text.to_owned())
}

fn unescape(inner: &str, line: usize) -> Result<String, String> {
    let mut out = String::with_capacity(inner.len());
    let mut chars = inner.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some('t') => out.push('\t'),
            Some('r') => out.push('\r'),
            Some('0') => out.push('\0'),
            Some(c @ ('"' | '\\' | '/' | ' ')) => out.push(c),
            Some('u') => {
                let hex: String = chars.by_ref().take(4).collect();
                let code = u32::from_str_radix(&hex, 16)
                    .ok()
                    .and_then(char::from_u32)
                    .ok_or_else(|| format!("line {line}: bad \\u escape"))?;
                out.push(code);
            }
            other => {
                return Err(format!(
                    "line {line}: unsupported escape \\{}",
                    other.unwrap_or(' ')
                ));
            }
        }
    }
    Ok(out)
}

/// A flow collection on one line: `[a, "b"]`, `{k: v}`.
struct Flow {
    chars: Vec<char>,
    pos: usize,
    line: usize,
}

impl Flow {
    fn skip_ws(&mut self) {
        while self.chars.get(self.pos).is_some_and(|c| c.is_whitespace()) {
            self.pos += 1;
        }
    }

    fn err(&self, what: &str) -> String {
        format!("line {}: {what} in a flow collection", self.line)
    }

    fn value(&mut self) -> Result<Value, String> {
        self.skip_ws();
        match self.chars.get(self.pos) {
            Some('[') => {
                self.pos += 1;
                let mut items = Vec::new();
                loop {
                    self.skip_ws();
                    if self.chars.get(self.pos) == Some(&']') {
                        self.pos += 1;
                        return Ok(Value::Array(items));
                    }
                    items.push(self.value()?);
                    self.skip_ws();
                    match self.chars.get(self.pos) {
                        Some(',') => self.pos += 1,
                        Some(']') => {}
                        _ => return Err(self.err("expected `,` or `]`")),
                    }
                }
            }
            Some('{') => {
                self.pos += 1;
                let mut map = Map::new();
                loop {
                    self.skip_ws();
                    if self.chars.get(self.pos) == Some(&'}') {
                        self.pos += 1;
                        return Ok(Value::Object(map));
                    }
                    let key = match self.value()? {
                        Value::String(s) => s,
                        other => other.to_string(),
                    };
                    self.skip_ws();
                    if self.chars.get(self.pos) != Some(&':') {
                        return Err(self.err("expected `:`"));
                    }
                    self.pos += 1;
                    let value = self.value()?;
                    map.insert(key, value);
                    self.skip_ws();
                    match self.chars.get(self.pos) {
                        Some(',') => self.pos += 1,
                        Some('}') => {}
                        _ => return Err(self.err("expected `,` or `}`")),
                    }
                }
            }
            Some(q @ ('"' | '\'')) => {
                let q = *q;
                let start = self.pos;
                self.pos += 1;
                while let Some(&c) = self.chars.get(self.pos) {
                    self.pos += 1;
                    if c == '\\' && q == '"' {
                        self.pos += 1;
                    } else if c == q {
                        if q == '\'' && self.chars.get(self.pos) == Some(&'\'') {
                            self.pos += 1;
                            continue;
                        }
                        let text: String = self.chars[start..self.pos].iter().collect();
                        return scalar_text(&text, self.line).map(Value::String);
                    }
                }
                Err(self.err("unterminated string"))
            }
            Some(_) => {
                let start = self.pos;
                while let Some(&c) = self.chars.get(self.pos) {
                    let ends_key = c == ':'
                        && self
                            .chars
                            .get(self.pos + 1)
                            .is_none_or(|n| n.is_whitespace());
                    if matches!(c, ',' | ']' | '}') || ends_key {
                        break;
                    }
                    self.pos += 1;
                }
                let text: String = self.chars[start..self.pos].iter().collect();
                inline_value(text.trim(), self.line)
            }
            None => Err(self.err("unexpected end")),
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn reads_a_kubectl_kubeconfig() {
        let text = r#"
apiVersion: v1
clusters:
- cluster:
    certificate-authority-data: LS0tQ0E=
    server: https://10.0.0.1:6443   # the API
  name: prod
contexts:
- context:
    cluster: prod
    user: "admin"
  name: prod-admin
current-context: prod-admin
kind: Config
preferences: {}
users:
- name: admin
  user:
    token: 'abc''def'
- name: eks
  user:
    exec:
      args: ["eks", 'get-token', --cluster, x]
      command: aws
      env: null
    insecure: true
notes: |
  line one
  line two
"#;
        let v = parse(text).unwrap();
        assert_eq!(
            v["clusters"][0]["cluster"]["server"],
            "https://10.0.0.1:6443"
        );
        assert_eq!(v["clusters"][0]["name"], "prod");
        assert_eq!(v["contexts"][0]["context"]["user"], "admin");
        assert_eq!(v["current-context"], "prod-admin");
        assert_eq!(v["preferences"], json!({}));
        assert_eq!(v["users"][0]["user"]["token"], "abc'def");
        assert_eq!(
            v["users"][1]["user"]["exec"]["args"],
            json!(["eks", "get-token", "--cluster", "x"])
        );
        assert_eq!(v["users"][1]["user"]["insecure"], true);
        assert_eq!(v["notes"], "line one\nline two\n");
    }

    #[test]
    fn sequences_may_sit_at_the_key_indentation_or_deeper() {
        let v = parse("a:\n  - x\n  - y\nb:\n- z\n").unwrap();
        assert_eq!(v, json!({"a": ["x", "y"], "b": ["z"]}));
    }

    #[test]
    fn refuses_what_it_does_not_read() {
        assert!(parse("a: &anchor x\n").unwrap_err().contains("anchors"));
        assert!(parse("a: 1\n  b: 2\n").unwrap_err().contains("line 2"));
        assert!(parse("a:\n\tb: 1\n").unwrap_err().contains("tabs"));
    }

    #[test]
    fn json_is_read_as_json() {
        assert_eq!(parse(r#"{"a": [1]}"#).unwrap(), json!({"a": [1]}));
    }
}
