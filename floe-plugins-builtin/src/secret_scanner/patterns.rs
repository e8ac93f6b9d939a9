//! The patterns: floe's four built-in ones, the custom ones and the entropy test, each
//! knowing which part of a match is the secret to mask.
//!
//! The built-in regular expressions are floe's (`floe_core.governance.secrets`), read
//! as Python's `re` reads them: `\s` is Python's whitespace (Rust's `\s` lacks
//! U+001C to U+001F), `(?i)` folds as Python does (`i` also matches `İ` and `ı`, `k`
//! the Kelvin sign, `s` the long `ſ`), and `\w` is Python's (generated in
//! [`super::py_word`]). Each is written out with explicit classes, so Rust's regex
//! engine finds exactly the lines Python's finds.

use std::sync::LazyLock;

use floe_registry::Validate;
use floe_registry::prelude::*;
use floe_registry::secret_scan::SecretPattern;
use regex::Regex;

use super::mask;
use super::py_word::PY_WORD_OR_B64;

/// The names of the built-in patterns, in report order.
pub(super) const BUILTIN_NAMES: [&str; 4] = [
    "aws_access_key",
    "hardcoded_password",
    "api_token",
    "private_key",
];

/// The name of the entropy test.
pub(super) const HIGH_ENTROPY: &str = "high_entropy";

/// Shortest quoted value the entropy test looks at.
const ENTROPY_MIN_LEN: usize = 20;
/// Bits per character from which a value counts as random.
const ENTROPY_THRESHOLD: f64 = 4.0;

/// Python's `\s` (`str.isspace()`, which is also what `str.strip()` removes).
const PY_SPACE: &str = r"[\t\n\x0B\x0C\r\x1C-\x20\x{85}\x{A0}\x{1680}\x{2000}-\x{200A}\x{2028}\x{2029}\x{202F}\x{205F}\x{3000}]";

/// `word` as Python's `(?i)` matches it, one class per letter.
fn ignore_case(word: &str) -> String {
    word.chars()
        .map(|c| match c.to_ascii_lowercase() {
            'i' => r"[iI\x{130}\x{131}]".to_owned(),
            'k' => r"[kK\x{212A}]".to_owned(),
            's' => r"[sS\x{17F}]".to_owned(),
            l if l.is_ascii_alphabetic() => format!("[{l}{}]", l.to_ascii_uppercase()),
            other => regex::escape(&other.to_string()),
        })
        .collect()
}

/// `[\w/+=]` as Python reads it, as a regex class.
fn py_word_or_b64() -> String {
    let mut class = String::from("[");
    for &(low, high) in PY_WORD_OR_B64 {
        if low == high {
            class.push_str(&format!(r"\x{{{low:X}}}"));
        } else {
            class.push_str(&format!(r"\x{{{low:X}}}-\x{{{high:X}}}"));
        }
    }
    class.push(']');
    class
}

/// floe's built-in patterns `(name, code, regex, masked)`, in report order. A group
/// named `secret` (added here; it changes nothing of what matches) is the part to mask.
fn builtin_sources() -> [(&'static str, &'static str, String, bool); 4] {
    let s = PY_SPACE;
    let ci = ignore_case;
    [
        (
            "aws_access_key",
            "E601",
            // floe: (?:^|[^A-Z0-9])(?:AKIA[0-9A-Z]{16})(?:$|[^A-Z0-9])
            r"(?:^|[^A-Z0-9])(?P<secret>AKIA[0-9A-Z]{16})(?:$|[^A-Z0-9])".to_owned(),
            true,
        ),
        (
            "hardcoded_password",
            "E602",
            // floe: (?i)(?:password|passwd|pwd)\s*=\s*['\"][^'\"]+['\"]
            format!(
                r#"(?:{}|{}|{}){s}*={s}*['"](?P<secret>[^'"]+)['"]"#,
                ci("password"),
                ci("passwd"),
                ci("pwd")
            ),
            true,
        ),
        (
            "api_token",
            "E603",
            // floe: (?i)(?:api[_-]?(?:key|token|secret))\s*=\s*['\"][^'\"]+['\"]
            format!(
                r#"(?:{}[_-]?(?:{}|{}|{})){s}*={s}*['"](?P<secret>[^'"]+)['"]"#,
                ci("api"),
                ci("key"),
                ci("token"),
                ci("secret")
            ),
            true,
        ),
        (
            "private_key",
            "E604",
            // floe: -----BEGIN\s+(?:RSA\s+)?PRIVATE\s+KEY-----, which misses the
            // EC, DSA, OpenSSH (ssh-keygen's default since 2018) and encrypted PKCS#8
            // headers; a scanner for leaked keys finds them too (a listed difference).
            format!(r"-----BEGIN{s}+(?:(?:RSA|DSA|EC|OPENSSH|ENCRYPTED){s}+)?PRIVATE{s}+KEY-----"),
            false,
        ),
    ]
}

/// floe's entropy candidate: `=\s*['"]([\w/+=]{20,})['\"]`.
fn entropy_source() -> String {
    format!(
        r#"={PY_SPACE}*['"](?P<secret>{}{{{ENTROPY_MIN_LEN},}})['"]"#,
        py_word_or_b64()
    )
}

fn compile(source: &str) -> Regex {
    Regex::new(source).unwrap_or_else(|e| unreachable!("built-in pattern {source}: {e}"))
}

/// How a pattern decides that a line holds a secret.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Test {
    /// Any match.
    Match,
    /// The first match's `secret` group is random enough (floe looks at the first
    /// candidate of a line only).
    Entropy,
}

/// One compiled pattern.
pub(super) struct Pattern {
    name: String,
    code: String,
    regex: Regex,
    masked: bool,
    test: Test,
}

static BUILTIN: LazyLock<Vec<Pattern>> = LazyLock::new(|| {
    builtin_sources()
        .into_iter()
        .map(|(name, code, source, masked)| Pattern {
            name: name.to_owned(),
            code: code.to_owned(),
            regex: compile(&source),
            masked,
            test: Test::Match,
        })
        .collect()
});

static ENTROPY: LazyLock<Pattern> = LazyLock::new(|| Pattern {
    name: HIGH_ENTROPY.to_owned(),
    code: "E605".to_owned(),
    regex: compile(&entropy_source()),
    masked: true,
    test: Test::Entropy,
});

/// Whether a candidate of the entropy test counts as random.
fn random(candidate: &str) -> bool {
    candidate.chars().count() >= ENTROPY_MIN_LEN && shannon_entropy(candidate) >= ENTROPY_THRESHOLD
}

impl Pattern {
    /// Its name (`aws_access_key`, a custom name, `high_entropy`).
    pub(super) fn name(&self) -> &str {
        &self.name
    }

    /// Its error code.
    pub(super) fn code(&self) -> &str {
        &self.code
    }

    /// Whether `line` holds a secret, as floe decides it (`re.search` on the line).
    pub(super) fn finds(&self, line: &str) -> bool {
        match self.test {
            Test::Match => self.regex.is_match(line),
            Test::Entropy => self
                .regex
                .captures(line)
                .and_then(|caps| caps.name("secret"))
                .is_some_and(|m| random(m.as_str())),
        }
    }

    /// The secret spans of `line` (byte ranges) of every match, the next search
    /// starting where a secret ends (so two keys with one separator between them are
    /// both found, although the first match took the separator).
    fn spans(&self, line: &str) -> Vec<(usize, usize)> {
        let mut spans = Vec::new();
        let mut at = 0;
        while at <= line.len() {
            let Some(caps) = self.regex.captures_at(line, at) else {
                break;
            };
            let Some(whole) = caps.get(0) else {
                break;
            };
            let secret = caps.name("secret").unwrap_or(whole);
            if secret.start() < secret.end()
                && (self.test == Test::Match || random(secret.as_str()))
            {
                spans.push((secret.start(), secret.end()));
            }
            let next = if secret.end() > whole.start() {
                secret.end()
            } else {
                whole.end()
            };
            at = if next > at {
                next
            } else {
                // An empty match: step over one character.
                line[at..]
                    .chars()
                    .next()
                    .map_or(line.len() + 1, |c| at + c.len_utf8())
            };
        }
        spans
    }
}

/// Every pattern of a scan, in report order: floe's four, the custom ones, the
/// entropy test.
pub(super) struct Compiled {
    custom: Vec<Pattern>,
}

impl Compiled {
    /// The built-in patterns, then `custom` (validated), then the entropy test.
    pub(super) fn new(custom: &[SecretPattern]) -> Result<Self, PluginError> {
        let mut patterns = Vec::with_capacity(custom.len());
        for (i, p) in custom.iter().enumerate() {
            p.validate().map_err(|e| {
                PluginError::failed(format!("custom_patterns.{i} ('{}'): {e}", p.name))
            })?;
            let regex = Regex::new(&p.regex).map_err(|e| {
                PluginError::failed(format!("custom_patterns.{i} ('{}'): {e}", p.name))
            })?;
            patterns.push(Pattern {
                name: p.name.clone(),
                code: p.error_code.clone(),
                regex,
                masked: true,
                test: Test::Match,
            });
        }
        Ok(Compiled { custom: patterns })
    }

    /// The patterns in report order.
    pub(super) fn all(&self) -> impl Iterator<Item = &Pattern> {
        BUILTIN
            .iter()
            .chain(self.custom.iter())
            .chain(std::iter::once(&*ENTROPY))
    }

    /// `line` with the secrets of every masking pattern masked.
    pub(super) fn masked(&self, line: &str) -> String {
        let spans: Vec<(usize, usize)> = self
            .all()
            .filter(|p| p.masked)
            .flat_map(|p| p.spans(line))
            .collect();
        mask::mask_spans(line, spans)
    }
}

/// The Shannon entropy of `text` in bits per character (0.0 for empty text), summed
/// as floe sums it (characters in the order they first appear), so that a value at
/// the threshold falls on the same side.
///
/// ```
/// use floe_plugins_builtin::secret_scanner::shannon_entropy;
/// assert_eq!(shannon_entropy("aaaa"), 0.0);
/// assert_eq!(shannon_entropy("abcd"), 2.0);
/// ```
pub fn shannon_entropy(text: &str) -> f64 {
    let mut counts: Vec<(char, usize)> = Vec::new();
    let mut index: std::collections::HashMap<char, usize> = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in text.chars() {
        total += 1;
        match index.get(&c) {
            Some(&i) => counts[i].1 += 1,
            None => {
                index.insert(c, counts.len());
                counts.push((c, 1));
            }
        }
    }
    if total == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let length = total as f64;
    let sum = counts.iter().fold(0.0, |sum, &(_, n)| {
        #[allow(clippy::cast_precision_loss)]
        let p = n as f64 / length;
        sum + p * p.log2()
    });
    -sum
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_patterns_compile() {
        assert_eq!(BUILTIN.len(), 4);
        assert!(ENTROPY.finds("x = 'q8Zr4Lp2Xv9Kt6Wm3Yb7'"));
    }

    #[test]
    fn private_keys_of_every_common_kind_are_found() {
        let key = &BUILTIN[3];
        for header in [
            "-----BEGIN PRIVATE KEY-----",
            "-----BEGIN  RSA   PRIVATE KEY-----",
            "-----BEGIN EC PRIVATE KEY-----",
            "-----BEGIN DSA PRIVATE KEY-----",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
            "-----BEGIN ENCRYPTED PRIVATE KEY-----",
        ] {
            assert!(key.finds(header), "{header}");
        }
        assert!(!key.finds("-----BEGIN PUBLIC KEY-----"));
        assert!(!key.finds("-----BEGIN PGP PRIVATE KEY BLOCK-----"));
    }

    #[test]
    fn python_folds_and_spaces() {
        let password = &BUILTIN[1];
        assert!(password.finds("PASſWORD = 'x'"));
        assert!(password.finds("pwd\u{1C}=\u{1F}'x'"));
        assert!(!password.finds("pwd\u{200B}= 'x'"));
        let api = &BUILTIN[2];
        assert!(api.finds("apı_\u{212A}ey = 'x'"));
    }
}
