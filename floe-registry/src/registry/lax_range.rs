//! The strings lax mode reads as an integer within `lo..=hi` (`hi` unbounded when
//! `None`), as one regular expression: so that the lax schema of a bounded integer
//! field takes exactly the strings `configure` accepts, not every integer string.
//!
//! The digits of a range are matched position by position (the classic split of a
//! range into runs that share a prefix), with an optional `_` between two digits and
//! any leading zeros, as pydantic reads `"0_64"`.

use super::lax::WS;

/// The pattern of the integer strings whose value is in `lo..=hi`.
pub(crate) fn integer_range_pattern(lo: u64, hi: Option<u64>) -> String {
    let digits = alternatives(lo, hi)
        .iter()
        .map(|atoms| atoms.join("_?"))
        .collect::<Vec<_>>()
        .join("|");
    // `-0`, `-00`, `-0_0` are 0.
    let negative_zero = if lo == 0 { "|-(0_?)*0" } else { "" };
    format!("^{WS}*(\\+?(0_?)*({digits}){negative_zero})(\\.0+)?{WS}*$")
}

/// Each alternative: a list of atoms (a digit class, or a repeated one), the digits of
/// a number without leading zeros.
fn alternatives(lo: u64, hi: Option<u64>) -> Vec<Vec<String>> {
    let lo_len = decimal_len(lo);
    let mut out = Vec::new();
    let last_len = hi.map_or(lo_len, decimal_len);
    for len in lo_len..=last_len {
        let from = if len == lo_len {
            lo
        } else {
            10u64.pow(len - 1)
        };
        let to = match hi {
            Some(hi) if len == last_len => hi,
            _ => 10u64.saturating_pow(len).saturating_sub(1),
        };
        if from <= to {
            same_length(
                &from.to_string(),
                &to.to_string(),
                &mut Vec::new(),
                &mut out,
            );
        }
    }
    if hi.is_none() {
        // Every number longer than `lo`.
        out.push(vec![format!("[1-9](_?[0-9]){{{lo_len},}}")]);
    }
    out
}

fn decimal_len(n: u64) -> u32 {
    n.checked_ilog10().map_or(1, |l| l + 1)
}

/// The alternatives for the numbers from `a` to `b`, both of one length, after the
/// atoms of `prefix`.
fn same_length(a: &str, b: &str, prefix: &mut Vec<String>, out: &mut Vec<Vec<String>>) {
    let (Some(a0), Some(b0)) = (a.bytes().next(), b.bytes().next()) else {
        out.push(prefix.clone());
        return;
    };
    let (a_rest, b_rest) = (&a[1..], &b[1..]);
    let any_rest = |prefix: &mut Vec<String>, first: String, out: &mut Vec<Vec<String>>| {
        let mut atoms = prefix.clone();
        atoms.push(first);
        atoms.extend(std::iter::repeat_n("[0-9]".to_owned(), a_rest.len()));
        out.push(atoms);
    };
    if a0 == b0 {
        prefix.push(char::from(a0).to_string());
        same_length(a_rest, b_rest, prefix, out);
        prefix.pop();
        return;
    }
    if a_rest.bytes().all(|d| d == b'0') && b_rest.bytes().all(|d| d == b'9') {
        any_rest(prefix, class(a0, b0), out);
        return;
    }
    let nines = "9".repeat(a_rest.len());
    let zeros = "0".repeat(b_rest.len());
    prefix.push(char::from(a0).to_string());
    same_length(a_rest, &nines, prefix, out);
    prefix.pop();
    if a0 + 1 < b0 {
        any_rest(prefix, class(a0 + 1, b0 - 1), out);
    }
    prefix.push(char::from(b0).to_string());
    same_length(&zeros, b_rest, prefix, out);
    prefix.pop();
}

/// The digit class `[a-b]` (a single digit when they are equal).
fn class(a: u8, b: u8) -> String {
    if a == b {
        char::from(a).to_string()
    } else {
        format!("[{}-{}]", char::from(a), char::from(b))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matcher(lo: u64, hi: Option<u64>) -> jsonschema::Validator {
        jsonschema::validator_for(
            &json!({"type": "string", "pattern": integer_range_pattern(lo, hi)}),
        )
        .expect("the pattern compiles")
    }

    #[test]
    fn every_integer_string_in_range_matches_and_no_other() {
        for (lo, hi) in [
            (0, Some(0)),
            (0, Some(9)),
            (1, Some(64)),
            (1, Some(60)),
            (10, Some(300)),
            (0, Some(255)),
            (1, Some(86_400)),
            (7, Some(7)),
            (0, None),
            (1, None),
            (100, None),
        ] {
            let regex = matcher(lo, hi);
            for n in 0..1_200u64 {
                let inside = n >= lo && hi.is_none_or(|hi| n <= hi);
                for text in [n.to_string(), format!(" 0{n}.00 "), format!("+{n}")] {
                    assert_eq!(
                        regex.is_valid(&json!(text)),
                        inside,
                        "{text:?} for {lo}..={hi:?}"
                    );
                }
            }
            assert_eq!(
                regex.is_valid(&json!("-0")),
                lo == 0,
                "-0 for {lo}..={hi:?}"
            );
            assert!(!regex.is_valid(&json!("-1")), "-1 for {lo}..={hi:?}");
            assert!(!regex.is_valid(&json!("5.5")), "5.5 for {lo}..={hi:?}");
        }
    }

    #[test]
    fn underscores_and_large_numbers_follow_the_range() {
        let regex = matcher(1, Some(86_400));
        assert!(regex.is_valid(&json!("86_400")));
        assert!(regex.is_valid(&json!("0_0_1")));
        assert!(!regex.is_valid(&json!("86_401")));
        assert!(!regex.is_valid(&json!("86__400")));
        assert!(!regex.is_valid(&json!("_1")));
        assert!(!regex.is_valid(&json!("1_")));
        let unbounded = matcher(1, None);
        assert!(unbounded.is_valid(&json!("12_345_678_901")));
        assert!(!unbounded.is_valid(&json!("0")));
    }
}
