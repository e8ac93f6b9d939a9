//! The registry's errors. Display texts follow the Python floe registry.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::PluginType;

/// A boxed error from a plugin's own code, kept as the `source` of a [`PluginError`].
pub type BoxError = Box<dyn std::error::Error + Send + Sync + 'static>;

/// Every failure of the registry and of plugins.
///
/// ```
/// use floe_registry::{PluginError, PluginType};
///
/// let err = PluginError::not_found(PluginType::Compute, "duckbd", ["duckdb", "spark"]);
/// assert_eq!(err.to_string(), "Plugin not found: COMPUTE:duckbd (did you mean `duckdb`?)");
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PluginError {
    /// No plugin has this identity.
    #[error("Plugin not found: {}:{name}{}", .plugin_type.upper_name(), did_you_mean(.suggestions))]
    NotFound {
        /// The type asked for.
        plugin_type: PluginType,
        /// The name asked for.
        name: String,
        /// Names of the same type that are close to `name`, best first.
        suggestions: Vec<String>,
    },

    /// The plugin needs a newer or different plugin API than this registry implements.
    #[error(
        "Plugin '{name}' requires API v{required_version}, but platform provides v{platform_version}"
    )]
    Incompatible {
        /// The plugin.
        name: String,
        /// The API version the plugin declares.
        required_version: String,
        /// The API version of this registry.
        platform_version: String,
    },

    /// The plugin's metadata breaks a rule (name, SemVer, API version format).
    #[error("Invalid plugin {}:{name}: {reason}", .plugin_type.upper_name())]
    InvalidMetadata {
        /// The type.
        plugin_type: PluginType,
        /// The name as declared.
        name: String,
        /// Which rule is broken and how to fix it.
        reason: String,
    },

    /// The configuration did not validate; every problem is listed.
    #[error("Configuration error for plugin '{name}': {}", ConfigErrorList(.errors))]
    Configuration {
        /// The plugin.
        name: String,
        /// Every problem found, in document order.
        errors: Vec<ConfigFieldError>,
    },

    /// Two registrations share one identity.
    #[error("Duplicate plugin: {}:{name} (registered by {first} and by {second}; remove or rename one)", .plugin_type.upper_name())]
    Duplicate {
        /// The type.
        plugin_type: PluginType,
        /// The name.
        name: String,
        /// Where the first registration comes from.
        first: String,
        /// Where the second registration comes from.
        second: String,
    },

    /// The dependency graph has a cycle.
    #[error("Circular dependency: {}", .cycle.join(" -> "))]
    CircularDependency {
        /// The cycle, first plugin repeated at the end: `["a", "b", "a"]`.
        cycle: Vec<String>,
    },

    /// A plugin depends on plugins that are not there.
    #[error("Plugin '{plugin_name}' has missing dependencies: {}", .missing.join(", "))]
    MissingDependency {
        /// The plugin whose dependencies are missing.
        plugin_name: String,
        /// The missing dependencies, in declared order.
        missing: Vec<String>,
    },

    /// The plugin's constructor panicked.
    #[error("Plugin load failed: {}:{name} - constructor panicked: {message}", .plugin_type.upper_name())]
    Load {
        /// The type.
        plugin_type: PluginType,
        /// The name.
        name: String,
        /// The panic message.
        message: String,
    },

    /// `startup()` failed, panicked or timed out, or a dependency did not start.
    ///
    /// The message carries the cause's text (floe's wording), so the cause is not also
    /// returned from `source()`: match on `cause` instead.
    #[error("Plugin startup failed: {}:{name} - {cause}", .plugin_type.upper_name())]
    Startup {
        /// The type.
        plugin_type: PluginType,
        /// The name.
        name: String,
        /// What went wrong.
        cause: HookFailure,
    },

    /// `shutdown()` failed, panicked or timed out. Like [`Startup`](Self::Startup),
    /// the message carries the cause.
    #[error("Plugin shutdown failed: {}:{name} - {cause}", .plugin_type.upper_name())]
    Shutdown {
        /// The type.
        plugin_type: PluginType,
        /// The name.
        name: String,
        /// What went wrong.
        cause: HookFailure,
    },

    /// A descriptor given to [`register`](crate::PluginRegistry::register) builds a
    /// plugin that reports another descriptor: the registration would describe one
    /// plugin and load another.
    #[error(
        "Plugin {}:{name} was registered with a descriptor that is not its own: the plugin it builds reports {}:{reported_name} from {reported_source}; register the plugin's own descriptor (`<Plugin as FloePlugin>::DESCRIPTOR`, or `register_plugin::<Plugin>()`)",
        .plugin_type.upper_name(), .reported_type.upper_name()
    )]
    ForeignDescriptor {
        /// The type of the descriptor registered.
        plugin_type: PluginType,
        /// The name of the descriptor registered.
        name: String,
        /// The type the built plugin reports.
        reported_type: PluginType,
        /// The name the built plugin reports.
        reported_name: String,
        /// Where the reported descriptor comes from.
        reported_source: String,
    },

    /// A plugin's `accept_config` panicked while the registry handed it its config.
    #[error("accept_config() of plugin '{name}' panicked: {message}")]
    AcceptConfigPanicked {
        /// The plugin.
        name: String,
        /// The panic message.
        message: String,
    },

    /// A plugin's config type has a JSON Schema that does not compile, so no config can
    /// be validated against it.
    #[error(
        "the config schema of plugin '{name}' does not compile: {reason}; fix the `JsonSchema` of its config type"
    )]
    InvalidSchema {
        /// The plugin.
        name: String,
        /// The schema compiler's message.
        reason: String,
    },

    /// A config was asked for (or handed over) as a type that is not the plugin's
    /// config type.
    #[error(
        "the config of plugin '{name}' is a `{actual}`, not a `{requested}`: use the type given as `config = ...` in its #[floe_plugin]"
    )]
    ConfigType {
        /// The plugin.
        name: String,
        /// The plugin's config type.
        actual: &'static str,
        /// The type asked for.
        requested: &'static str,
    },

    /// A [`ConfigCell`](crate::ConfigCell) was read in a plugin that no registry
    /// built, so no configuration can reach it.
    #[error(
        "no configuration reaches this `ConfigCell<{config_type}>`: the plugin was not loaded by a PluginRegistry; register it and call `configure`, or build the cell with `ConfigCell::with_value`"
    )]
    Detached {
        /// The config type of the cell.
        config_type: &'static str,
    },

    /// A plugin does not implement an optional method of its type.
    #[error("{} plugin '{name}' does not support {method}()", .plugin_type.upper_name())]
    Unsupported {
        /// The plugin's type.
        plugin_type: PluginType,
        /// The plugin.
        name: String,
        /// The method called.
        method: String,
    },

    /// A workload size that is not `small`, `medium` or `large`.
    #[error("Unknown workload size: {size}. Valid sizes: large, medium, small")]
    UnknownWorkloadSize {
        /// The size as given.
        size: String,
    },

    /// A model given to a plugin method breaks floe's rules; every problem is listed.
    #[error(transparent)]
    InvalidModel(#[from] floe_interfaces::ModelErrors),

    /// A plugin asked for as one type is registered as another (a typed accessor was
    /// given the wrong trait).
    #[error("Plugin {}:{name} is not a {expected} plugin", .plugin_type.upper_name())]
    WrongType {
        /// The type the plugin is registered as.
        plugin_type: PluginType,
        /// The name.
        name: String,
        /// The type asked for.
        expected: PluginType,
    },

    /// A plugin's own operation failed: for plugin authors' errors. Registry failures
    /// have variants of their own.
    #[error("{message}")]
    Failed {
        /// What failed, for a person.
        message: String,
        /// The underlying error, if any.
        #[source]
        source: Option<BoxError>,
    },
}

impl PluginError {
    /// A not-found error with "did you mean" suggestions picked from `candidates`.
    pub fn not_found<'a>(
        plugin_type: PluginType,
        name: &str,
        candidates: impl IntoIterator<Item = &'a str>,
    ) -> Self {
        PluginError::NotFound {
            plugin_type,
            name: name.to_owned(),
            suggestions: floe_registry_rules::closest(name, candidates)
                .into_iter()
                .map(str::to_owned)
                .collect(),
        }
    }

    /// A plugin's own failure with a message, for plugin authors.
    ///
    /// ```
    /// use floe_registry::PluginError;
    /// let err = PluginError::failed("Unknown workload size: huge. Valid sizes: large, medium, small");
    /// assert!(err.to_string().starts_with("Unknown workload size"));
    /// ```
    pub fn failed(message: impl Into<String>) -> Self {
        PluginError::Failed {
            message: message.into(),
            source: None,
        }
    }

    /// A plugin's own failure with a message and the error that caused it.
    pub fn with_source(message: impl Into<String>, source: impl Into<BoxError>) -> Self {
        PluginError::Failed {
            message: message.into(),
            source: Some(source.into()),
        }
    }

    /// A configuration error for one field, for plugins that check their own config.
    pub fn config(
        name: impl Into<String>,
        field: impl Into<String>,
        kind: ConfigErrorKind,
        message: impl Into<String>,
    ) -> Self {
        PluginError::Configuration {
            name: name.into(),
            errors: vec![ConfigFieldError {
                field: field.into(),
                message: message.into(),
                kind,
            }],
        }
    }

    /// The error for a plugin method called before `configure`.
    pub fn not_configured(name: &str) -> Self {
        Self::config(
            name,
            "_config",
            ConfigErrorKind::Missing,
            format!("Plugin '{name}' not configured"),
        )
    }
}

fn did_you_mean(suggestions: &[String]) -> String {
    match suggestions {
        [] => String::new(),
        [one] => format!(" (did you mean `{one}`?)"),
        many => format!(
            " (did you mean {}?)",
            many.iter()
                .map(|s| format!("`{s}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ),
    }
}

struct ConfigErrorList<'a>(&'a [ConfigFieldError]);

impl fmt::Display for ConfigErrorList<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{e}")?;
        }
        Ok(())
    }
}

/// One problem in a plugin configuration, like one entry of a Pydantic error list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ConfigFieldError {
    /// The dotted path to the field (`connection.port`, `attach.0.path`); empty for the
    /// configuration as a whole.
    pub field: String,
    /// What is wrong and what is allowed. Never contains a secret value.
    pub message: String,
    /// The kind of problem.
    #[serde(rename = "type")]
    pub kind: ConfigErrorKind,
}

impl fmt::Display for ConfigFieldError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            write!(f, "{}", self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

/// The kind of a configuration problem.
///
/// Ordered as declared (missing first, then the value's type, then its constraints,
/// unknown fields, cross-field rules and anything else), so a list of problems sorts
/// by kind consistently:
///
/// ```
/// use floe_registry::ConfigErrorKind;
/// let mut kinds = [ConfigErrorKind::UnknownField, ConfigErrorKind::Range, ConfigErrorKind::Missing];
/// kinds.sort();
/// assert_eq!(kinds, [ConfigErrorKind::Missing, ConfigErrorKind::Range, ConfigErrorKind::UnknownField]);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ConfigErrorKind {
    /// A required field is absent.
    Missing,
    /// A value has the wrong JSON type.
    Type,
    /// A number is out of its range.
    Range,
    /// A string, list or object is too short or too long.
    Length,
    /// A string does not match its pattern.
    Pattern,
    /// A string does not have its format.
    Format,
    /// A value is not one of the allowed ones.
    Enum,
    /// A field is not part of the config.
    UnknownField,
    /// A rule that spans several fields.
    CrossField,
    /// Anything else.
    Invalid,
}

impl ConfigErrorKind {
    /// The snake_case name: `missing`, `unknown_field`, ...
    pub const fn as_str(self) -> &'static str {
        match self {
            ConfigErrorKind::Missing => "missing",
            ConfigErrorKind::Type => "type",
            ConfigErrorKind::Range => "range",
            ConfigErrorKind::Length => "length",
            ConfigErrorKind::Pattern => "pattern",
            ConfigErrorKind::Format => "format",
            ConfigErrorKind::Enum => "enum",
            ConfigErrorKind::UnknownField => "unknown_field",
            ConfigErrorKind::CrossField => "cross_field",
            ConfigErrorKind::Invalid => "invalid",
        }
    }
}

impl fmt::Display for ConfigErrorKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which lifecycle hook ran.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Hook {
    /// `startup()`.
    Startup,
    /// `shutdown()`.
    Shutdown,
    /// `health_check()`.
    HealthCheck,
}

impl fmt::Display for Hook {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Hook::Startup => "startup()",
            Hook::Shutdown => "shutdown()",
            Hook::HealthCheck => "health_check()",
        })
    }
}

/// Why a lifecycle hook did not succeed.
///
/// Its message carries the text of the plugin's error (floe's `raised exception: ...`),
/// so `source()` returns that error's own cause, the first one not already shown.
#[derive(Debug)]
#[non_exhaustive]
pub enum HookFailure {
    /// The hook returned an error.
    Error {
        /// The hook.
        hook: Hook,
        /// Its error.
        error: Box<PluginError>,
    },
    /// The hook panicked; the panic was caught.
    Panicked {
        /// The hook.
        hook: Hook,
        /// The panic payload, when it was a string.
        message: String,
    },
    /// The hook did not return in time; it was left running on its own thread.
    TimedOut {
        /// The hook.
        hook: Hook,
        /// The timeout that expired.
        timeout: Duration,
    },
    /// The hook of the previous call is still running, so it was not called again.
    StillRunning {
        /// The hook.
        hook: Hook,
    },
    /// No thread could be started to run the hook.
    NoThread {
        /// The hook.
        hook: Hook,
        /// The operating system's reason.
        reason: String,
    },
    /// The plugin was not started because a dependency failed.
    DependencyFailed {
        /// The dependency that failed.
        dependency: String,
    },
    /// The plugin could not be loaded or configured before startup.
    NotReady(Box<PluginError>),
}

impl fmt::Display for HookFailure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            HookFailure::Error { hook, error } => write!(f, "{hook} raised exception: {error}"),
            HookFailure::Panicked { hook, message } => write!(f, "{hook} panicked: {message}"),
            HookFailure::TimedOut { hook, timeout } => {
                write!(f, "{hook} timed out after {}s", Secs(*timeout))
            }
            HookFailure::StillRunning { hook } => {
                write!(
                    f,
                    "{hook} is still running from an earlier call; not called again"
                )
            }
            HookFailure::NoThread { hook, reason } => {
                write!(f, "no thread could be started for {hook}: {reason}")
            }
            HookFailure::DependencyFailed { dependency } => {
                write!(f, "dependency '{dependency}' failed to start")
            }
            HookFailure::NotReady(error) => write!(f, "{error}"),
        }
    }
}

impl std::error::Error for HookFailure {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            // The error's text is in ours: its cause is the next one to show.
            HookFailure::Error { error, .. } | HookFailure::NotReady(error) => error.source(),
            HookFailure::Panicked { .. }
            | HookFailure::TimedOut { .. }
            | HookFailure::StillRunning { .. }
            | HookFailure::NoThread { .. }
            | HookFailure::DependencyFailed { .. } => None,
        }
    }
}

/// Seconds as Python prints them: `0.1`, `5`, `30`.
struct Secs(Duration);

impl fmt::Display for Secs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.0.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_texts_match_the_reference() {
        let cases: Vec<(PluginError, &str)> = vec![
            (
                PluginError::not_found(PluginType::Compute, "duckdb", []),
                "Plugin not found: COMPUTE:duckdb",
            ),
            (
                PluginError::Incompatible {
                    name: "x".into(),
                    required_version: "99.0".into(),
                    platform_version: "1.0".into(),
                },
                "Plugin 'x' requires API v99.0, but platform provides v1.0",
            ),
            (
                PluginError::Startup {
                    plugin_type: PluginType::Compute,
                    name: "slow".into(),
                    cause: HookFailure::TimedOut {
                        hook: Hook::Startup,
                        timeout: Duration::from_millis(100),
                    },
                },
                "Plugin startup failed: COMPUTE:slow - startup() timed out after 0.1s",
            ),
            (
                PluginError::CircularDependency {
                    cycle: vec!["a".into(), "b".into(), "a".into()],
                },
                "Circular dependency: a -> b -> a",
            ),
            (
                PluginError::CircularDependency {
                    cycle: vec!["x".into(), "x".into()],
                },
                "Circular dependency: x -> x",
            ),
            (
                PluginError::MissingDependency {
                    plugin_name: "m".into(),
                    missing: vec!["gone".into(), "g2".into()],
                },
                "Plugin 'm' has missing dependencies: gone, g2",
            ),
        ];
        for (err, text) in cases {
            assert_eq!(err.to_string(), text);
        }
    }

    #[test]
    fn duplicate_names_both_sources() {
        let err = PluginError::Duplicate {
            plugin_type: PluginType::Compute,
            name: "duckdb".into(),
            first: "crate `a` (a::Duck)".into(),
            second: "crate `b` (b::Duck)".into(),
        };
        let text = err.to_string();
        assert!(
            text.starts_with("Duplicate plugin: COMPUTE:duckdb"),
            "{text}"
        );
        assert!(text.contains("crate `a` (a::Duck)") && text.contains("crate `b` (b::Duck)"));
    }

    #[test]
    fn configuration_lists_every_problem() {
        let err = PluginError::Configuration {
            name: "x".into(),
            errors: vec![
                ConfigFieldError {
                    field: "threads".into(),
                    message: "must be >= 1".into(),
                    kind: ConfigErrorKind::Range,
                },
                ConfigFieldError {
                    field: "attach.0.path".into(),
                    message: "field is required".into(),
                    kind: ConfigErrorKind::Missing,
                },
            ],
        };
        assert_eq!(
            err.to_string(),
            "Configuration error for plugin 'x': threads: must be >= 1; attach.0.path: field is required"
        );
    }

    #[test]
    fn hook_failures_keep_their_kind_apart() {
        let timed_out = HookFailure::TimedOut {
            hook: Hook::HealthCheck,
            timeout: Duration::from_secs(5),
        };
        assert_eq!(timed_out.to_string(), "health_check() timed out after 5s");
        let raised = HookFailure::Error {
            hook: Hook::HealthCheck,
            error: Box::new(PluginError::failed("timed out talking to server")),
        };
        assert_eq!(
            raised.to_string(),
            "health_check() raised exception: timed out talking to server"
        );
        assert!(
            std::error::Error::source(&raised).is_none(),
            "the plugin's error is in the message, so it is not also the source"
        );
    }

    /// The text of every error in the chain, the way `{:#}` reporters print it.
    fn chain(err: &dyn std::error::Error) -> Vec<String> {
        let mut out = vec![err.to_string()];
        let mut at = err.source();
        while let Some(e) = at {
            out.push(e.to_string());
            at = e.source();
        }
        out
    }

    #[test]
    fn no_error_in_a_chain_repeats_its_source() {
        let io = std::io::Error::other("connection refused");
        let plugin = PluginError::with_source("could not reach the catalog", io);
        let startup = PluginError::Startup {
            plugin_type: PluginType::Catalog,
            name: "polaris".into(),
            cause: HookFailure::Error {
                hook: Hook::Startup,
                error: Box::new(plugin),
            },
        };
        let texts = chain(&startup);
        assert_eq!(
            texts[0],
            "Plugin startup failed: CATALOG:polaris - startup() raised exception: could not reach the catalog"
        );
        for pair in texts.windows(2) {
            assert!(
                !pair[0].contains(&pair[1]),
                "`{}` repeats its source `{}`",
                pair[0],
                pair[1]
            );
        }
        let failure = match &startup {
            PluginError::Startup { cause, .. } => cause,
            _ => unreachable!("built above"),
        };
        assert_eq!(
            std::error::Error::source(failure).map(ToString::to_string),
            Some("connection refused".to_owned()),
            "the first cause not shown is the source"
        );
        let not_ready = HookFailure::NotReady(Box::new(PluginError::not_found(
            PluginType::Compute,
            "gone",
            [],
        )));
        assert_eq!(not_ready.to_string(), "Plugin not found: COMPUTE:gone");
        assert!(std::error::Error::source(&not_ready).is_none());
        let shutdown = PluginError::Shutdown {
            plugin_type: PluginType::Compute,
            name: "x".into(),
            cause: HookFailure::TimedOut {
                hook: Hook::Shutdown,
                timeout: Duration::from_secs(30),
            },
        };
        assert_eq!(
            chain(&shutdown),
            ["Plugin shutdown failed: COMPUTE:x - shutdown() timed out after 30s"]
        );
    }

    #[test]
    fn config_error_kinds_order_as_declared() {
        let mut kinds = [
            ConfigErrorKind::Invalid,
            ConfigErrorKind::UnknownField,
            ConfigErrorKind::Type,
            ConfigErrorKind::Missing,
        ];
        kinds.sort();
        assert_eq!(
            kinds,
            [
                ConfigErrorKind::Missing,
                ConfigErrorKind::Type,
                ConfigErrorKind::UnknownField,
                ConfigErrorKind::Invalid
            ]
        );
    }
}
