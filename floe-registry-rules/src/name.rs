//! The plugin name rule: 1 to 64 characters of `a-z 0-9 - _`, starting with a letter or digit.

use std::fmt;

/// The longest plugin name allowed, in characters.
pub const MAX_NAME_LEN: usize = 64;

/// Why a plugin name breaks the name rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum NameError {
    /// The name is the empty string.
    Empty,
    /// The name is longer than [`MAX_NAME_LEN`] characters.
    TooLong {
        /// How many characters the name has.
        len: usize,
    },
    /// The name starts with `-` or `_`.
    BadStart {
        /// The offending first character.
        first: char,
    },
    /// The name contains a character outside `a-z 0-9 - _`.
    BadChar {
        /// The first offending character.
        ch: char,
    },
}

impl fmt::Display for NameError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            NameError::Empty => f.write_str("plugin name must not be empty"),
            NameError::TooLong { len } => write!(
                f,
                "plugin name is {len} characters long; at most {MAX_NAME_LEN} are allowed"
            ),
            NameError::BadStart { first } => write!(
                f,
                "plugin name must start with a lowercase letter or a digit, not `{first}`"
            ),
            NameError::BadChar { ch } => write!(
                f,
                "plugin name may contain only lowercase letters `a-z`, digits `0-9`, `-` and `_`, not `{}`",
                ch.escape_default()
            ),
        }
    }
}

impl std::error::Error for NameError {}

fn allowed(ch: char) -> bool {
    ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-' || ch == '_'
}

/// Checks a plugin name against the name rule.
///
/// ```
/// use floe_registry_rules::{check_name, NameError};
///
/// assert!(check_name("dbt-core").is_ok());
/// assert_eq!(check_name("DuckDB"), Err(NameError::BadChar { ch: 'D' }));
/// assert_eq!(check_name(""), Err(NameError::Empty));
/// ```
pub fn check_name(name: &str) -> Result<(), NameError> {
    let Some(first) = name.chars().next() else {
        return Err(NameError::Empty);
    };
    if let Some(ch) = name.chars().find(|c| !allowed(*c)) {
        return Err(NameError::BadChar { ch });
    }
    if first == '-' || first == '_' {
        return Err(NameError::BadStart { first });
    }
    let len = name.chars().count();
    if len > MAX_NAME_LEN {
        return Err(NameError::TooLong { len });
    }
    Ok(())
}

/// Proposes a name that follows the rule and is as close as possible to `name`:
/// lowercased, spaces and dots turned into `-`, other characters dropped, leading
/// `-`/`_` trimmed, cut to [`MAX_NAME_LEN`]. `None` when nothing usable is left or the
/// name is already valid.
///
/// ```
/// use floe_registry_rules::suggest_name;
///
/// assert_eq!(suggest_name("DuckDB").as_deref(), Some("duckdb"));
/// assert_eq!(suggest_name("my plugin.v2").as_deref(), Some("my-plugin-v2"));
/// assert_eq!(suggest_name("duckdb"), None);
/// ```
pub fn suggest_name(name: &str) -> Option<String> {
    if check_name(name).is_ok() {
        return None;
    }
    let mapped: String = name
        .chars()
        .flat_map(char::to_lowercase)
        .filter_map(|c| match c {
            ' ' | '.' => Some('-'),
            c if allowed(c) => Some(c),
            _ => None,
        })
        .collect();
    let cut: String = mapped
        .trim_start_matches(['-', '_'])
        .chars()
        .take(MAX_NAME_LEN)
        .collect();
    // Cutting may leave a separator at the end; a suggestion should not end in one.
    let trimmed = cut.trim_end_matches(['-', '_']).to_owned();
    (check_name(&trimmed).is_ok()).then_some(trimmed)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_every_allowed_shape() {
        for name in [
            "a",
            "0",
            "duckdb",
            "dbt-core",
            "k8s_secrets",
            "9lives",
            &"a".repeat(64),
        ] {
            assert_eq!(check_name(name), Ok(()), "{name} should be valid");
        }
    }

    #[test]
    fn rejects_each_broken_rule() {
        assert_eq!(check_name(""), Err(NameError::Empty));
        assert_eq!(
            check_name(&"a".repeat(65)),
            Err(NameError::TooLong { len: 65 })
        );
        assert_eq!(check_name("-x"), Err(NameError::BadStart { first: '-' }));
        assert_eq!(check_name("_x"), Err(NameError::BadStart { first: '_' }));
        assert_eq!(check_name("a b"), Err(NameError::BadChar { ch: ' ' }));
        assert_eq!(check_name("é"), Err(NameError::BadChar { ch: 'é' }));
    }

    #[test]
    fn suggestion_is_always_valid() {
        assert_eq!(suggest_name("DuckDB").as_deref(), Some("duckdb"));
        assert_eq!(suggest_name("_x").as_deref(), Some("x"));
        assert_eq!(suggest_name("!!!"), None);
        let long = suggest_name(&"A".repeat(80)).expect("a suggestion");
        assert_eq!(long.len(), MAX_NAME_LEN);
        let cut_at_dash = suggest_name(&format!("{}-Tail", "a".repeat(63))).expect("a suggestion");
        assert_eq!(cut_at_dash, "a".repeat(63), "no trailing separator");
    }
}
