//! Values written as Python writes them, for the texts published floe builds with
//! `repr()`, `str()` and `str.strip()` (`for 'orders'`, `found: ['bronze.a']`,
//! `got 5e-05`): one place for each rule, used by the interfaces' models and by the
//! built-in plugins.
//!
//! ```
//! use floe_interfaces::python;
//! assert_eq!(python::repr("it's"), "\"it's\"");
//! assert_eq!(python::repr_list(["a", "b.c"]), "['a', 'b.c']");
//! assert_eq!(python::float(5e-5), "5e-05");
//! assert_eq!(python::strip("\u{3000} x \u{1c}"), "x");
//! ```

use std::fmt::Write;

/// `repr(text)` as Python writes it: single quotes, or double quotes when the text has
/// a single quote and no double quote; backslashes, the quote, control characters and
/// the separator characters Python does not print escaped (`\n`, `\x00`, `\u2028`).
/// Unicode format characters beyond the common ones (soft hyphen, zero-width and
/// direction marks, BOM) are shown as they are.
pub fn repr(text: &str) -> String {
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

/// `repr()` of a list of strings, in the order given: `['a', 'b']`.
pub fn repr_list<'a>(items: impl IntoIterator<Item = &'a str>) -> String {
    let shown: Vec<String> = items.into_iter().map(repr).collect();
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

/// A float as Python's `str()` writes it: `80.0`, `72.5`, `5e-05`, `1e+16`, `inf`.
///
/// Both languages print the shortest digits that read back to the same float; Python
/// writes them in scientific notation below 1e-4 and from 1e16 on (an exponent of at
/// least two digits, with its sign), and appends `.0` to an integral value.
pub fn float(value: f64) -> String {
    if value.is_nan() {
        return "nan".to_owned();
    }
    if value.is_infinite() {
        return if value > 0.0 { "inf" } else { "-inf" }.to_owned();
    }
    let scientific = format!("{value:e}");
    let (mantissa, exponent) = scientific.split_once('e').unwrap_or((&scientific, "0"));
    let exponent: i32 = exponent.parse().unwrap_or(0);
    if (-4..16).contains(&exponent) {
        let fixed = format!("{value}");
        if fixed.contains('.') {
            fixed
        } else {
            format!("{fixed}.0")
        }
    } else {
        let sign = if exponent < 0 { '-' } else { '+' };
        format!("{mantissa}e{sign}{:02}", exponent.abs())
    }
}

/// Whether `c` is whitespace to Python (`str.isspace()`).
pub fn is_space(c: char) -> bool {
    matches!(c,
        '\t'..='\r' | '\u{1C}'..=' ' | '\u{85}' | '\u{A0}' | '\u{1680}' | '\u{2000}'..='\u{200A}'
        | '\u{2028}' | '\u{2029}' | '\u{202F}' | '\u{205F}' | '\u{3000}')
}

/// `text` stripped as Python's `str.strip()` strips it (with no argument).
pub fn strip(text: &str) -> &str {
    text.trim_matches(is_space)
}

#[cfg(test)]
mod tests {
    use super::{float, repr, repr_list, strip};

    #[test]
    fn quotes_and_escapes_as_python() {
        assert_eq!(repr("orders"), "'orders'");
        assert_eq!(repr("it's"), "\"it's\"");
        assert_eq!(repr("it's \"x\""), "'it\\'s \"x\"'");
        assert_eq!(repr("a\\b\n\t\u{1}"), "'a\\\\b\\n\\t\\x01'");
        assert_eq!(repr("é\u{2028}"), "'é\\u2028'");
        assert_eq!(repr_list(["a", "b.c"]), "['a', 'b.c']");
    }

    #[test]
    fn floats_and_spaces_as_python() {
        for (value, shown) in [
            (80.0, "80.0"),
            (72.5, "72.5"),
            (5e-5, "5e-05"),
            (1e16, "1e+16"),
            (-0.0, "-0.0"),
        ] {
            assert_eq!(float(value), shown);
        }
        assert_eq!(strip("\u{85}\u{1f}a b\u{2029}"), "a b");
        assert_eq!(strip("\u{200b}a"), "\u{200b}a");
    }
}
