//! pydantic 2's lax mode for the scalar types, as published floe (floe-core 0.1.0a1,
//! pydantic 2.13.5) applies it to a plugin config: which values another type is read
//! from, and the JSON Schema patterns that accept exactly those strings. The rules
//! themselves are listed on [`ConfigCoercion`](crate::ConfigCoercion).
//!
//! Every rule was measured against pydantic (see the table in the tests below). Two
//! places, deliberately narrower: a number that is not finite (`"inf"`, `"nan"`,
//! `"1e400"`) is refused, as JSON cannot hold it; `true` / `false` for an integer or a
//! number are refused (pydantic reads them as 1 / 0, which no one writing `true`
//! means; docs/deliberate-differences.md, `bool-as-number`).

use serde_json::{Number, Value};

/// The whitespace pydantic strips around a number (Rust's `str::trim`, Unicode
/// `White_Space`), as a regex class of literal characters (both Rust's regex and
/// ECMA-262 read it the same).
pub(super) const WS: &str = "[\t\n\u{b}\u{c}\r \u{85}\u{a0}\u{1680}\u{2000}-\u{200a}\u{2028}\u{2029}\u{202f}\u{205f}\u{3000}]";

/// The strings read as an integer: optional whitespace, a sign, ASCII digits with
/// single `_` between them, an optional `.` and zeros.
pub(crate) fn integer_pattern() -> String {
    format!("^{WS}*[+-]?[0-9]+(_[0-9]+)*(\\.0+)?{WS}*$")
}

/// The strings read as a number: a decimal literal with optional exponent and
/// surrounding whitespace, or (without whitespace) the same with single `_` between
/// any two of its characters.
pub(crate) fn number_pattern() -> String {
    let plain = "[+-]?([0-9]+(\\.[0-9]*)?|\\.[0-9]+)([eE][+-]?[0-9]+)?";
    let digits = "[0-9](_?[0-9])*";
    let underscored = format!(
        "([+-]_?)?({digits}(_?\\.(_?{digits})?)?|\\._?{digits})(_?[eE]_?([+-]_?)?{digits})?"
    );
    format!("^({WS}*{plain}{WS}*|{underscored})$")
}

/// The words read as a boolean, in any case: the first six are `true`.
const TRUE_WORDS: [&str; 6] = ["true", "yes", "on", "1", "t", "y"];
const FALSE_WORDS: [&str; 6] = ["false", "no", "off", "0", "f", "n"];

/// The strings read as a boolean (any case, no whitespace), without inline flags
/// (ECMA-262 has none): `[Tt][Rr][Uu][Ee]|...`.
pub(crate) fn boolean_pattern() -> String {
    let words: Vec<String> = TRUE_WORDS
        .iter()
        .chain(FALSE_WORDS.iter())
        .map(|word| {
            word.chars()
                .map(|c| {
                    if c.is_ascii_alphabetic() {
                        format!("[{}{}]", c.to_ascii_uppercase(), c)
                    } else {
                        c.to_string()
                    }
                })
                .collect()
        })
        .collect();
    format!("^({})$", words.join("|"))
}

/// What a value is read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Integer,
    Number,
    Boolean,
}

impl Target {
    /// The JSON Schema type name.
    pub(crate) fn name(self) -> &'static str {
        match self {
            Target::Integer => "integer",
            Target::Number => "number",
            Target::Boolean => "boolean",
        }
    }

    /// The value `value` is read as, when pydantic's lax mode reads it as this type
    /// and it is not already of it; `None` otherwise.
    pub(crate) fn read(self, value: &Value) -> Option<Value> {
        match (self, value) {
            (Target::Integer, Value::String(s)) => integer_from_str(s),
            (Target::Integer, Value::Number(n)) if n.is_f64() => n.as_f64().and_then(int_of),
            (Target::Number, Value::String(s)) => number_from_str(s),
            (Target::Boolean, Value::String(s)) => bool_from_str(s).map(Value::Bool),
            (Target::Boolean, Value::Number(n)) => match n.as_f64() {
                Some(0.0) => Some(Value::Bool(false)),
                Some(1.0) => Some(Value::Bool(true)),
                _ => None,
            },
            _ => None,
        }
    }
}

/// A float with no fractional part inside pydantic's range (`|x| < 2^63`).
fn int_of(f: f64) -> Option<Value> {
    const LIMIT: f64 = 9_223_372_036_854_775_808.0;
    // The range test keeps the cast exact.
    #[allow(clippy::cast_possible_truncation)]
    (f.is_finite() && f.fract() == 0.0 && f.abs() < LIMIT).then(|| Value::from(f as i64))
}

/// pydantic's `str -> int`: trimmed; sign; digits with single `_` between them;
/// optionally `.` and one or more zeros. Only values JSON numbers hold (i64 or u64).
fn integer_from_str(s: &str) -> Option<Value> {
    let t = s.trim();
    let (negative, rest) = match t.as_bytes().first()? {
        b'-' => (true, &t[1..]),
        b'+' => (false, &t[1..]),
        _ => (false, t),
    };
    let digits = match rest.split_once('.') {
        Some((digits, zeros)) if !zeros.is_empty() && zeros.bytes().all(|b| b == b'0') => digits,
        Some(_) => return None,
        None => rest,
    };
    if !underscores_between_digits(digits) {
        return None;
    }
    let magnitude: u64 = digits.replace('_', "").parse().ok()?;
    if negative {
        0i64.checked_sub_unsigned(magnitude).map(Value::from)
    } else {
        Some(Value::from(magnitude))
    }
}

/// ASCII digits, at least one, with single `_` only between two digits.
fn underscores_between_digits(s: &str) -> bool {
    let bytes = s.as_bytes();
    !bytes.is_empty()
        && bytes.first().is_some_and(u8::is_ascii_digit)
        && bytes.last().is_some_and(u8::is_ascii_digit)
        && bytes.iter().all(|b| b.is_ascii_digit() || *b == b'_')
        && !s.contains("__")
}

/// pydantic's `str -> float`: the trimmed string as a float literal, else the
/// untrimmed string with its single `_` removed (none leading, trailing or doubled).
/// Finite results only; `inf`, `nan` and overflow are refused.
fn number_from_str(s: &str) -> Option<Value> {
    let parsed = match parse_decimal(s.trim()) {
        Some(f) => f,
        None if !s.starts_with('_') && !s.ends_with('_') && !s.contains("__") => {
            parse_decimal(&s.replace('_', ""))?
        }
        None => return None,
    };
    Number::from_f64(parsed)
        .filter(|_| parsed.is_finite())
        .map(Value::Number)
}

/// A decimal float literal (`1`, `1.5`, `.5`, `5.`, `1e3`), not `inf` or `nan`.
fn parse_decimal(s: &str) -> Option<f64> {
    let body = s.strip_prefix(['+', '-']).unwrap_or(s);
    let first = body.bytes().next()?;
    if !(first.is_ascii_digit() || first == b'.') {
        return None;
    }
    s.parse::<f64>().ok().filter(|f| f.is_finite())
}

/// pydantic's `str -> bool`: the words of [`TRUE_WORDS`] and [`FALSE_WORDS`] in any
/// case, untrimmed.
fn bool_from_str(s: &str) -> Option<bool> {
    if TRUE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Some(true)
    } else if FALSE_WORDS.iter().any(|w| w.eq_ignore_ascii_case(s)) {
        Some(false)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    /// Measured with pydantic 2.13.5 (`int`, `float`, `bool` fields of a BaseModel):
    /// the input, and what pydantic made of it (`None`: a validation error).
    #[test]
    fn integers_are_read_as_pydantic_reads_them() {
        let cases: &[(Value, Option<Value>)] = &[
            (json!("5"), Some(json!(5))),
            (json!(" 5 "), Some(json!(5))),
            (json!("\t5\n"), Some(json!(5))),
            (json!("\u{a0}5"), Some(json!(5))),
            (json!("\u{1c}5"), None),
            (json!("+5"), Some(json!(5))),
            (json!("-5"), Some(json!(-5))),
            (json!("05"), Some(json!(5))),
            (json!("5.0"), Some(json!(5))),
            (json!("5.00"), Some(json!(5))),
            (json!(" -5.000 "), Some(json!(-5))),
            (json!("1_000.0"), Some(json!(1000))),
            (json!("1_000"), Some(json!(1000))),
            (json!("5."), None),
            (json!("5.5"), None),
            (json!("5.10"), None),
            (json!("5.0_0"), None),
            (json!("1e3"), None),
            (json!("0x10"), None),
            (json!("1__000"), None),
            (json!("_1000"), None),
            (json!("1000_"), None),
            (json!("-_1"), None),
            (json!("+-5"), None),
            (json!(""), None),
            (json!(" "), None),
            (json!("٥"), None),
            (json!("５"), None),
            (json!("5 5"), None),
            (json!(".0"), None),
            (json!("-0"), Some(json!(0))),
            (json!(5.0), Some(json!(5))),
            (json!(-0.0), Some(json!(0))),
            (json!(1e3), Some(json!(1000))),
            (json!(5.5), None),
            (json!(9.2e18), Some(json!(9_200_000_000_000_000_000i64))),
            (json!(9.223_372_036_854_776e18), None),
            // floe reads true / false as 1 / 0; we refuse them (issue 24: plainly
            // wrong, listed as bool-as-number).
            (json!(true), None),
            (json!(false), None),
        ];
        for (input, expected) in cases {
            assert_eq!(&Target::Integer.read(input), expected, "int from {input}");
        }
    }

    #[test]
    fn numbers_are_read_as_pydantic_reads_them() {
        let cases: &[(&str, Option<f64>)] = &[
            ("1.5", Some(1.5)),
            (" 1.5 ", Some(1.5)),
            ("5", Some(5.0)),
            ("1e3", Some(1000.0)),
            ("1E3", Some(1000.0)),
            ("1e-3", Some(0.001)),
            ("1.5e+2", Some(150.0)),
            (".5", Some(0.5)),
            ("-.5", Some(-0.5)),
            ("5.", Some(5.0)),
            ("+1.5", Some(1.5)),
            ("1_000.5", Some(1000.5)),
            ("1_0.5_0", Some(10.5)),
            ("1_e3", Some(1000.0)),
            ("1e1_0", Some(1e10)),
            ("1_.5", Some(1.5)),
            ("1._5", Some(1.5)),
            ("+_1", Some(1.0)),
            ("1_e_1", Some(10.0)),
            ("1__0", None),
            ("_1", None),
            ("1_", None),
            ("1_0 ", None),
            (" 1_0", None),
            ("0x10", None),
            ("", None),
            ("  ", None),
            ("1,5", None),
            ("1 .5", None),
            (".", None),
            ("1e", None),
            ("e3", None),
            ("1.2.3", None),
            // pydantic reads these as inf or nan; JSON has neither: refused.
            ("inf", None),
            ("nan", None),
            ("-Infinity", None),
            ("1e400", None),
        ];
        for (input, expected) in cases {
            assert_eq!(
                Target::Number.read(&json!(input)),
                expected.map(|f| json!(f)),
                "float from {input:?}"
            );
        }
        assert_eq!(Target::Number.read(&json!(true)), None);
        assert_eq!(Target::Number.read(&json!(5)), None, "already a number");
    }

    #[test]
    fn booleans_are_read_as_pydantic_reads_them() {
        for word in [
            "true", "True", "TRUE", "tRuE", "yes", "Yes", "on", "ON", "1", "t", "T", "y", "Y",
        ] {
            assert_eq!(
                Target::Boolean.read(&json!(word)),
                Some(json!(true)),
                "{word}"
            );
        }
        for word in ["false", "no", "nO", "off", "oFF", "0", "f", "F", "n", "N"] {
            assert_eq!(
                Target::Boolean.read(&json!(word)),
                Some(json!(false)),
                "{word}"
            );
        }
        for refused in [" true", "true ", "2", "", "none", "null", "01", "1.0"] {
            assert_eq!(Target::Boolean.read(&json!(refused)), None, "{refused:?}");
        }
        assert_eq!(Target::Boolean.read(&json!(0)), Some(json!(false)));
        assert_eq!(Target::Boolean.read(&json!(1)), Some(json!(true)));
        assert_eq!(Target::Boolean.read(&json!(0.0)), Some(json!(false)));
        assert_eq!(Target::Boolean.read(&json!(1.0)), Some(json!(true)));
        for refused in [json!(2), json!(-1), json!(1.5)] {
            assert_eq!(Target::Boolean.read(&refused), None, "{refused}");
        }
    }

    #[test]
    fn the_patterns_accept_exactly_the_strings_read() {
        let checks = [
            (Target::Integer, integer_pattern()),
            (Target::Number, number_pattern()),
            (Target::Boolean, boolean_pattern()),
        ];
        let samples = [
            "5", " 5 ", "+5", "-5", "5.0", "5.", "5.5", "1_000", "1__0", "_1", "1_", "1e3", "1_e3",
            "1e1_0", ".5", "-.5", "1_.5", "1._5", "+_1", "1_0 ", " 1_0", "true", "TRUE", "yes",
            "nO", "t", "1", "0", "2", "", " ", "abc", "5._0", "5._", "1e+_1", "\u{a0}7", "\u{1c}7",
            "٥", "1 .5", "0x10", "1.2.3",
        ];
        for (target, pattern) in checks {
            let regex = jsonschema::validator_for(&json!({"type": "string", "pattern": pattern}))
                .expect("the pattern compiles");
            for sample in samples {
                let read = target.read(&json!(sample)).is_some();
                assert_eq!(
                    regex.is_valid(&json!(sample)),
                    read,
                    "{} pattern and reader disagree on {sample:?}",
                    target.name()
                );
            }
        }
    }
}
