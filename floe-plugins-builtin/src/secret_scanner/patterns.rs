//! The patterns: the four built-in ones, the custom ones and the entropy test, each
//! knowing which part of a match is the secret to mask.

use floe_registry::Validate;
use floe_registry::prelude::*;
use floe_registry::secret_scan::SecretPattern;
use regex::Regex;

use super::mask;

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

/// `(name, code, regex, masked)`: a group named `secret` is the part to mask; without
/// it, the whole match is, unless `masked` is false (a PEM header is no secret).
const BUILTIN: [(&str, &str, &str, bool); 4] = [
    (
        "aws_access_key",
        "E601",
        r"(?P<secret>AKIA[0-9A-Z]{16})",
        true,
    ),
    (
        "hardcoded_password",
        "E602",
        r#"(?i)\b(?:password|passwd|pwd)\b["']?\s*[:=]\s*["'](?P<secret>[^"'\s]{1,})["']"#,
        true,
    ),
    (
        "api_token",
        "E603",
        r#"(?i)\b(?:api[_-]?key|api[_-]?token|auth[_-]?token|access[_-]?token|secret[_-]?key|client[_-]?secret|bearer)\b["']?\s*[:=]?\s*["']?(?P<secret>[A-Za-z0-9_\-./+=]{8,})"#,
        true,
    ),
    (
        "private_key",
        "E604",
        r"-----BEGIN (?:RSA |EC |DSA |OPENSSH |ENCRYPTED |PGP )?PRIVATE KEY(?: BLOCK)?-----",
        false,
    ),
];

/// A quoted value after `=`, for the entropy test.
const QUOTED_AFTER_EQUALS: &str = r#"=\s*["'](?P<secret>[^"']+)["']"#;

/// One compiled pattern.
pub(super) struct Pattern {
    name: String,
    code: String,
    regex: Regex,
    masked: bool,
    entropy: bool,
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

    /// The secret spans of `line` (byte ranges), every match.
    fn spans(&self, line: &str) -> Vec<(usize, usize)> {
        self.regex
            .captures_iter(line)
            .filter_map(|caps| {
                let span = caps.name("secret").or_else(|| caps.get(0))?;
                if self.entropy
                    && (span.as_str().chars().count() < ENTROPY_MIN_LEN
                        || shannon_entropy(span.as_str()) < ENTROPY_THRESHOLD)
                {
                    return None;
                }
                Some((span.start(), span.end()))
            })
            .collect()
    }

    /// Whether `line` holds a match.
    pub(super) fn finds(&self, line: &str) -> bool {
        !self.spans(line).is_empty()
    }
}

/// Every pattern of a scan, in report order.
pub(super) struct Compiled {
    patterns: Vec<Pattern>,
}

fn compile(source: &str) -> Regex {
    Regex::new(source).unwrap_or_else(|e| unreachable!("built-in pattern {source}: {e}"))
}

impl Compiled {
    /// The built-in patterns, then `custom` (validated), then the entropy test.
    pub(super) fn new(custom: &[SecretPattern]) -> Result<Self, PluginError> {
        let mut patterns: Vec<Pattern> = BUILTIN
            .iter()
            .map(|(name, code, source, masked)| Pattern {
                name: (*name).to_owned(),
                code: (*code).to_owned(),
                regex: compile(source),
                masked: *masked,
                entropy: false,
            })
            .collect();
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
                entropy: false,
            });
        }
        patterns.push(Pattern {
            name: HIGH_ENTROPY.to_owned(),
            code: "E605".to_owned(),
            regex: compile(QUOTED_AFTER_EQUALS),
            masked: true,
            entropy: true,
        });
        Ok(Compiled { patterns })
    }

    /// The patterns in report order.
    pub(super) fn all(&self) -> &[Pattern] {
        &self.patterns
    }

    /// `line` with the secrets of every masking pattern masked.
    pub(super) fn masked(&self, line: &str) -> String {
        let spans: Vec<(usize, usize)> = self
            .patterns
            .iter()
            .filter(|p| p.masked)
            .flat_map(|p| p.spans(line))
            .collect();
        mask::mask_spans(line, spans)
    }
}

/// The Shannon entropy of `text` in bits per character (0.0 for empty text).
///
/// ```
/// use floe_plugins_builtin::secret_scanner::shannon_entropy;
/// assert_eq!(shannon_entropy("aaaa"), 0.0);
/// assert_eq!(shannon_entropy("abcd"), 2.0);
/// ```
pub fn shannon_entropy(text: &str) -> f64 {
    let mut counts = std::collections::HashMap::new();
    let mut total = 0usize;
    for c in text.chars() {
        *counts.entry(c).or_insert(0usize) += 1;
        total += 1;
    }
    if total == 0 {
        return 0.0;
    }
    #[allow(clippy::cast_precision_loss)]
    let total = total as f64;
    counts
        .values()
        .map(|&n| {
            #[allow(clippy::cast_precision_loss)]
            let p = n as f64 / total;
            -p * p.log2()
        })
        .sum()
}
