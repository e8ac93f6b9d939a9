//! The dependency string rule: `"name"` (that name under any type) or `"type:name"`,
//! the type in any spelling [`parse_plugin_type`] reads and the name under the name
//! rule. The one parser used by the attribute, the registry and the CLI.

use std::fmt;

use crate::name::{NameError, check_name, suggest_name};
use crate::plugin_types::{PLUGIN_TYPES, PluginTypeNames};
use crate::type_spelling::parse_plugin_type;

/// A parsed dependency string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dependency<'a> {
    /// The type it is restricted to, when written `type:name`.
    pub plugin_type: Option<&'static PluginTypeNames>,
    /// The name of the plugin depended on.
    pub name: &'a str,
}

/// Why a dependency string breaks the rule. The message says what is wrong and how
/// to write it instead.
///
/// ```
/// use floe_registry_rules::parse_dependency;
///
/// let err = parse_dependency("storag:s3").unwrap_err();
/// assert!(err.to_string().starts_with(
///     "unknown plugin type `storag` in dependency \"storag:s3\"; did you mean `storage`? write \"type:name\" with one of: compute, "
/// ));
/// let err = parse_dependency("Polaris").unwrap_err();
/// assert!(err.to_string().ends_with("did you mean \"polaris\"?"));
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum DependencyError {
    /// The part before `:` names no plugin type.
    UnknownType {
        /// The dependency string as written.
        dependency: String,
        /// The part before `:`.
        prefix: String,
        /// The closest snake_case type name, if one is close.
        suggestion: Option<&'static str>,
    },
    /// The name breaks the name rule.
    InvalidName {
        /// The dependency string as written.
        dependency: String,
        /// The rule it breaks.
        error: NameError,
        /// A valid name close to it, if there is one.
        suggestion: Option<String>,
    },
}

impl fmt::Display for DependencyError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DependencyError::UnknownType {
                dependency,
                prefix,
                suggestion,
            } => {
                write!(
                    f,
                    "unknown plugin type `{prefix}` in dependency \"{dependency}\"; "
                )?;
                if let Some(s) = suggestion {
                    write!(f, "did you mean `{s}`? ")?;
                }
                f.write_str("write \"type:name\" with one of: ")?;
                for (i, t) in PLUGIN_TYPES.iter().enumerate() {
                    if i > 0 {
                        f.write_str(", ")?;
                    }
                    f.write_str(t.snake)?;
                }
                Ok(())
            }
            DependencyError::InvalidName {
                dependency,
                error,
                suggestion,
            } => {
                write!(f, "invalid dependency \"{dependency}\": {error}")?;
                match suggestion {
                    Some(s) => write!(f, "; did you mean \"{s}\"?"),
                    None => Ok(()),
                }
            }
        }
    }
}

impl std::error::Error for DependencyError {}

/// Parses a dependency string: `"name"` or `"type:name"`.
///
/// ```
/// use floe_registry_rules::parse_dependency;
///
/// let plain = parse_dependency("polaris").unwrap();
/// assert_eq!((plain.plugin_type, plain.name), (None, "polaris"));
/// for spelling in ["storage:s3", "STORAGE:s3", "Storage:s3", "floe.storage:s3"] {
///     let typed = parse_dependency(spelling).unwrap();
///     assert_eq!(typed.plugin_type.map(|t| t.variant), Some("Storage"), "{spelling}");
///     assert_eq!(typed.name, "s3");
/// }
/// assert!(parse_dependency("warehouse:s3").is_err());
/// assert!(parse_dependency("storage:").is_err());
/// ```
pub fn parse_dependency(dependency: &str) -> Result<Dependency<'_>, DependencyError> {
    // A byte search: the registry parses every dependency of every plugin it orders.
    let (plugin_type, name) = match dependency.bytes().position(|b| b == b':') {
        Some(at) => {
            let prefix = &dependency[..at];
            let plugin_type =
                parse_plugin_type(prefix).map_err(|e| DependencyError::UnknownType {
                    dependency: dependency.to_owned(),
                    prefix: prefix.to_owned(),
                    suggestion: if e.group { None } else { e.suggestion },
                })?;
            (Some(plugin_type), &dependency[at + 1..])
        }
        None => (None, dependency),
    };
    check_name(name).map_err(|error| DependencyError::InvalidName {
        dependency: dependency.to_owned(),
        error,
        suggestion: suggest_name(name),
    })?;
    Ok(Dependency { plugin_type, name })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_type_spelling_the_runtime_reads_is_a_valid_prefix() {
        for t in PLUGIN_TYPES {
            for prefix in [t.variant, t.snake, t.upper, t.group] {
                let dep = format!("{prefix}:x");
                let parsed = parse_dependency(&dep).expect("a valid prefix");
                assert_eq!(parsed.plugin_type, Some(&t), "{dep}");
            }
        }
        let lineage = parse_dependency("lineage:marquez").expect("the alias");
        assert_eq!(
            lineage.plugin_type.map(|t| t.variant),
            Some("LineageBackend")
        );
    }

    #[test]
    fn an_unknown_prefix_names_every_type_and_the_fix() {
        let err = parse_dependency("storag:s3").expect_err("no such type");
        let text = err.to_string();
        assert!(
            text.contains("write \"type:name\" with one of: compute,"),
            "{text}"
        );
        assert!(text.ends_with("secret_scanner"), "{text}");
        assert!(matches!(
            err,
            DependencyError::UnknownType {
                suggestion: Some("storage"),
                ..
            }
        ));
    }

    #[test]
    fn an_invalid_name_says_which_rule_and_proposes_a_name() {
        assert_eq!(
            parse_dependency("Polaris")
                .expect_err("upper case")
                .to_string(),
            "invalid dependency \"Polaris\": plugin name may contain only lowercase letters `a-z`, digits `0-9`, `-` and `_`, not `P`; did you mean \"polaris\"?"
        );
        assert!(matches!(
            parse_dependency("catalog:"),
            Err(DependencyError::InvalidName {
                error: NameError::Empty,
                ..
            })
        ));
    }
}
