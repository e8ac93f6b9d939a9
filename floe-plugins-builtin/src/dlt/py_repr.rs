//! Python's `repr()` of a string and of a list of strings, as published floe puts them
//! in its error texts (`for 'orders'`, `found: ['bronze.a']`).

use std::fmt::Write;

/// `repr(text)` as Python writes it: single quotes, or double quotes when the text has
/// a single quote and no double quote; backslashes, the quote, control characters and
/// the separator characters Python does not print escaped (`\n`, `\x00`, `\u2028`).
/// Unicode format characters beyond the common ones (soft hyphen, zero-width and
/// direction marks, BOM) are shown as they are.
pub(crate) fn py_repr(text: &str) -> String {
    let quote = if text.contains('\'') && !text.contains('"') {
        '"'
    } else {
        '\''
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push(quote);
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if c == quote => {
                out.push('\\');
                out.push(c);
            }
            c if !printable(c) => {
                let code = u32::from(c);
                // Writing to a String cannot fail.
                let _ = match code {
                    0..=0xff => write!(out, "\\x{code:02x}"),
                    0x100..=0xffff => write!(out, "\\u{code:04x}"),
                    _ => write!(out, "\\U{code:08x}"),
                };
            }
            c => out.push(c),
        }
    }
    out.push(quote);
    out
}

/// `repr(sorted list of strings)`: `['a', 'b']`.
pub(crate) fn py_repr_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let shown: Vec<String> = items.into_iter().map(py_repr).collect();
    format!("[{}]", shown.join(", "))
}

/// Whether Python's `str.isprintable()` holds for `c` (control, separator other than
/// the space, and the common format characters are not printable).
fn printable(c: char) -> bool {
    !(c.is_control()
        || matches!(
            c,
            '\u{a0}'
                | '\u{ad}'
                | '\u{1680}'
                | '\u{2000}'..='\u{200f}'
                | '\u{2028}'..='\u{202f}'
                | '\u{205f}'..='\u{2064}'
                | '\u{3000}'
                | '\u{feff}'
        ))
}

#[cfg(test)]
mod tests {
    use super::{py_repr, py_repr_list};

    #[test]
    fn quotes_and_escapes_as_python() {
        assert_eq!(py_repr("orders"), "'orders'");
        assert_eq!(py_repr("it's"), "\"it's\"");
        assert_eq!(py_repr("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(py_repr("a\\b\n\t\u{1}"), "'a\\\\b\\n\\t\\x01'");
        assert_eq!(py_repr("é\u{2028}"), "'é\\u2028'");
        assert_eq!(py_repr_list(["a", "b.c"]), "['a', 'b.c']");
    }
}
