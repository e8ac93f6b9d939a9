//! Reading a plugin type from any of its spellings: the one parser behind the
//! runtime's `PluginType::from_str`, its entry point group lookup and the type prefix
//! of a dependency string.

use std::fmt;

use crate::plugin_types::{PLUGIN_TYPES, PluginTypeNames};

/// A string that names none of the plugin types.
///
/// Its message lists what is valid: the snake_case names for a type name, the entry
/// point groups for a string that reads as a group (`floe.` followed by anything), in
/// the Python registry's words.
///
/// ```
/// use floe_registry_rules::parse_plugin_type;
///
/// let err = parse_plugin_type("floe.unknown").unwrap_err();
/// assert!(err.to_string().starts_with("Unknown entry point group: floe.unknown. Valid groups: floe.computes, "));
/// let err = parse_plugin_type("computer").unwrap_err();
/// assert!(err.to_string().starts_with("unknown plugin type `computer` (did you mean `compute`?); valid types: compute, "));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownPluginType {
    /// The string as given.
    pub input: String,
    /// The closest valid spelling of the same kind (a snake_case name, or a group when
    /// `group` is set), if one is close.
    pub suggestion: Option<&'static str>,
    /// Whether the input was read as an entry point group (it starts with `floe.`).
    pub group: bool,
}

impl fmt::Display for UnknownPluginType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hint = |f: &mut fmt::Formatter<'_>| match self.suggestion {
            Some(s) => write!(f, " (did you mean `{s}`?)"),
            None => Ok(()),
        };
        if self.group {
            write!(f, "Unknown entry point group: {}", self.input)?;
            hint(f)?;
            write!(f, ". Valid groups: ")?;
            write_list(f, PLUGIN_TYPES.iter().map(|t| t.group))
        } else {
            write!(f, "unknown plugin type `{}`", self.input)?;
            hint(f)?;
            write!(f, "; valid types: ")?;
            write_list(f, PLUGIN_TYPES.iter().map(|t| t.snake))
        }
    }
}

impl std::error::Error for UnknownPluginType {}

fn write_list<'a>(f: &mut fmt::Formatter<'_>, items: impl Iterator<Item = &'a str>) -> fmt::Result {
    for (i, item) in items.enumerate() {
        if i > 0 {
            f.write_str(", ")?;
        }
        f.write_str(item)?;
    }
    Ok(())
}

/// The plugin type that `s` names, in any spelling the platform accepts: the variant
/// name (`TelemetryBackend`), the upper-case name (`TELEMETRY_BACKEND`), the entry
/// point group (`floe.telemetry_backends`), or the snake_case name or an alias in any
/// case, with `-` for `_` (`telemetry_backend`, `Telemetry-Backend`, `lineage`).
///
/// ```
/// use floe_registry_rules::parse_plugin_type;
///
/// for s in ["compute", "COMPUTE", "Compute", "floe.computes"] {
///     assert_eq!(parse_plugin_type(s).map(|t| t.variant), Ok("Compute"));
/// }
/// assert_eq!(parse_plugin_type("lineage").map(|t| t.variant), Ok("LineageBackend"));
/// assert_eq!(parse_plugin_type("storag").unwrap_err().suggestion, Some("storage"));
/// ```
pub fn parse_plugin_type(s: &str) -> Result<&'static PluginTypeNames, UnknownPluginType> {
    // The exact spellings first: no allocation on the common path.
    if let Some(t) = PLUGIN_TYPES
        .iter()
        .find(|t| t.variant == s || t.snake == s || t.upper == s || t.group == s)
    {
        return Ok(t);
    }
    let snake = s.to_ascii_lowercase().replace('-', "_");
    if let Some(t) = PLUGIN_TYPES
        .iter()
        .find(|t| t.snake == snake || t.aliases.contains(&snake.as_str()))
    {
        return Ok(t);
    }
    if s.starts_with("floe.") {
        return Err(unknown_group(s));
    }
    let names = PLUGIN_TYPES
        .iter()
        .flat_map(|t| std::iter::once(t.snake).chain(t.aliases.iter().copied()));
    // An alias is suggested as the type's own snake_case name.
    let suggestion = crate::closest(&snake, names)
        .first()
        .and_then(|n| {
            PLUGIN_TYPES
                .iter()
                .find(|t| t.snake == *n || t.aliases.contains(n))
        })
        .map(|t| t.snake);
    Err(UnknownPluginType {
        input: s.to_owned(),
        suggestion,
        group: false,
    })
}

/// The plugin type whose entry point group is exactly `group`.
///
/// ```
/// use floe_registry_rules::plugin_type_for_group;
///
/// assert_eq!(plugin_type_for_group("floe.storage").map(|t| t.snake), Ok("storage"));
/// let err = plugin_type_for_group("floe.computess").unwrap_err();
/// assert_eq!(err.suggestion, Some("floe.computes"));
/// assert!(err.to_string().contains("Valid groups: floe.computes, floe.orchestrators"));
/// ```
pub fn plugin_type_for_group(group: &str) -> Result<&'static PluginTypeNames, UnknownPluginType> {
    PLUGIN_TYPES
        .iter()
        .find(|t| t.group == group)
        .ok_or_else(|| unknown_group(group))
}

fn unknown_group(group: &str) -> UnknownPluginType {
    let suggestion = crate::closest(group, PLUGIN_TYPES.iter().map(|t| t.group))
        .first()
        .copied();
    UnknownPluginType {
        input: group.to_owned(),
        suggestion,
        group: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_spelling_of_every_type_parses_to_it() {
        for t in PLUGIN_TYPES {
            for s in [t.variant, t.snake, t.upper, t.group] {
                assert_eq!(parse_plugin_type(s), Ok(&t), "{s}");
            }
            assert_eq!(plugin_type_for_group(t.group), Ok(&t));
        }
        assert_eq!(
            parse_plugin_type("Telemetry-Backend").map(|t| t.variant),
            Ok("TelemetryBackend")
        );
    }

    #[test]
    fn an_unknown_group_lists_every_group_in_floes_words() {
        let err = parse_plugin_type("floe.unknown").expect_err("not a group");
        assert!(err.group, "read as a group");
        let text = err.to_string();
        let groups: Vec<&str> = PLUGIN_TYPES.iter().map(|t| t.group).collect();
        assert_eq!(
            text,
            format!(
                "Unknown entry point group: floe.unknown. Valid groups: {}",
                groups.join(", ")
            )
        );
        assert_eq!(plugin_type_for_group("floe.unknown"), Err(err));
    }

    #[test]
    fn a_type_name_is_not_a_group() {
        let err = plugin_type_for_group("compute").expect_err("a name, not a group");
        assert!(
            err.to_string()
                .starts_with("Unknown entry point group: compute")
        );
    }

    #[test]
    fn an_unknown_name_suggests_the_closest_type() {
        let err = parse_plugin_type("telemetry").expect_err("unknown");
        assert_eq!(err.suggestion, Some("telemetry_backend"));
        assert!(!err.group);
        assert!(
            err.to_string()
                .contains("valid types: compute, orchestrator, catalog")
        );
    }
}
