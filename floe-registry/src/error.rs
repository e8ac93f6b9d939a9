//! The registry's errors. Display texts follow the Python floe registry.

use std::fmt;
use std::time::Duration;

use serde::{Deserialize, Serialize};

use crate::error_chain::ErrorChain;
use crate::{PluginId, PluginType};

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
    #[error("Plugin not found: {id}{}", did_you_mean(.suggestions))]
    NotFound {
        /// The identity asked for.
        id: PluginId,
        /// Names of the same type that are close to the name, best first.
        suggestions: Vec<String>,
    },

    /// The plugin needs a newer or different plugin API than this registry implements.
    #[error(
        "Plugin '{}' requires API v{required_version}, but platform provides v{platform_version}",
        .id.name
    )]
    Incompatible {
        /// The plugin.
        id: PluginId,
        /// The API version the plugin declares.
        required_version: String,
        /// The API version of this registry.
        platform_version: String,
    },

    /// The plugin's metadata breaks a rule (name, SemVer, API version format).
    #[error("Invalid plugin {id}: {reason}")]
    InvalidMetadata {
        /// The plugin, its name as declared.
        id: PluginId,
        /// Which rule is broken and how to fix it.
        reason: String,
    },

    /// The configuration did not validate; every problem is listed.
    #[error("Configuration error for plugin '{}': {}", .id.name, ConfigErrorList(.errors))]
    Configuration {
        /// The plugin.
        id: PluginId,
        /// Every problem found, in document order.
        errors: Vec<ConfigFieldError>,
    },

    /// Two registrations share one identity.
    #[error("Duplicate plugin: {id} (registered by {first} and by {second}; remove or rename one)")]
    Duplicate {
        /// The identity.
        id: PluginId,
        /// Where the first registration comes from.
        first: String,
        /// Where the second registration comes from.
        second: String,
    },

    /// A plugin offered by a provider has the identity of one registered before it (a
    /// linked plugin, or one of an earlier provider): the earlier one is used, this one
    /// is not. A warning, from [`PluginRegistry::shadowed`](crate::PluginRegistry::shadowed).
    #[error(
        "Plugin {id} from {ignored} is not used: {used} provides it first (linked plugins, then providers in the order added); remove one of them to silence this"
    )]
    Shadowed {
        /// The identity.
        id: PluginId,
        /// Where the registration that is used comes from.
        used: String,
        /// Where the registration that is not used comes from.
        ignored: String,
    },

    /// The dependency graph has a cycle.
    #[error("Circular dependency: {}", .cycle.join(" -> "))]
    CircularDependency {
        /// The cycle, first plugin repeated at the end: `["a", "b", "a"]`.
        cycle: Vec<String>,
    },

    /// A plugin depends on plugins that are not there.
    #[error("Plugin '{}' has missing dependencies: {}", .id.name, .missing.join(", "))]
    MissingDependency {
        /// The plugin whose dependencies are missing.
        id: PluginId,
        /// The missing dependencies, in declared order.
        missing: Vec<String>,
    },

    /// The plugin could not be built: its constructor panicked, or its factory failed.
    #[error("Plugin load failed: {id} - {message}")]
    Load {
        /// The plugin.
        id: PluginId,
        /// What happened: `constructor panicked: ...` or the factory's error.
        message: String,
    },

    /// `startup()` failed, panicked or timed out, is still running, or a dependency did
    /// not start.
    ///
    /// The message carries the cause's text (floe's wording), so the cause is not also
    /// returned from `source()`: match on `cause` instead.
    #[error("Plugin startup failed: {id} - {cause}")]
    Startup {
        /// The plugin.
        id: PluginId,
        /// What went wrong.
        cause: HookFailure,
    },

    /// `shutdown()` failed, panicked or timed out. Like [`Startup`](Self::Startup),
    /// the message carries the cause.
    #[error("Plugin shutdown failed: {id} - {cause}")]
    Shutdown {
        /// The plugin.
        id: PluginId,
        /// What went wrong.
        cause: HookFailure,
    },

    /// A descriptor given to [`register`](crate::PluginRegistry::register) builds a
    /// plugin that reports another descriptor: the registration would describe one
    /// plugin and load another.
    #[error(
        "Plugin {id} was registered with a descriptor that is not its own: the plugin it builds reports {reported} from {reported_source}; register the plugin's own descriptor (`<Plugin as FloePlugin>::DESCRIPTOR`, or `register_plugin::<Plugin>()`)"
    )]
    ForeignDescriptor {
        /// The identity of the descriptor registered.
        id: PluginId,
        /// The identity the built plugin reports.
        reported: PluginId,
        /// Where the reported descriptor comes from.
        reported_source: String,
    },

    /// A plugin's `accept_config` panicked while the registry handed it its config.
    #[error("accept_config() of plugin '{}' panicked: {message}", .id.name)]
    AcceptConfigPanicked {
        /// The plugin.
        id: PluginId,
        /// The panic message.
        message: String,
    },

    /// A plugin's config has a JSON Schema that does not compile, so no config can be
    /// validated against it.
    #[error(
        "the config schema of plugin '{}' does not compile: {reason}; fix the `JsonSchema` of its config type",
        .id.name
    )]
    InvalidSchema {
        /// The plugin.
        id: PluginId,
        /// The schema compiler's message.
        reason: String,
    },

    /// A config was asked for (or handed over) as a type that is not the plugin's
    /// config type.
    #[error(
        "the config of plugin '{}' is a `{actual}`, not a `{requested}`: use the type given as `config = ...` in its #[floe_plugin]",
        plugin_name(.id)
    )]
    ConfigType {
        /// The plugin; `None` for a [`ConfigCell`](crate::ConfigCell) handed a value
        /// outside any registry.
        id: Option<PluginId>,
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
    #[error("{} plugin '{}' does not support {method}()", .id.plugin_type.upper_name(), .id.name)]
    Unsupported {
        /// The plugin.
        id: PluginId,
        /// The method called.
        method: String,
    },

    /// A model given to a plugin method breaks floe's rules; every problem is listed.
    #[error(transparent)]
    InvalidModel(#[from] floe_interfaces::ModelErrors),

    /// A plugin asked for as one type is registered as another (a typed accessor was
    /// given the wrong trait).
    #[error("Plugin {id} is not a {expected} plugin")]
    WrongType {
        /// The plugin, with the type it is registered as.
        id: PluginId,
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
            id: PluginId::new(plugin_type, name),
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
        id: PluginId,
        field: impl Into<String>,
        kind: ConfigErrorKind,
        message: impl Into<String>,
    ) -> Self {
        PluginError::Configuration {
            id,
            errors: vec![ConfigFieldError {
                field: field.into(),
                message: message.into(),
                kind,
            }],
        }
    }

    /// The error for a plugin method called before `configure`.
    pub fn not_configured(id: PluginId) -> Self {
        let message = format!("Plugin '{}' not configured", id.name);
        Self::config(id, "_config", ConfigErrorKind::Missing, message)
    }

    /// The plugin this error concerns, when it concerns one.
    ///
    /// ```
    /// use floe_registry::{PluginError, PluginId, PluginType};
    /// let err = PluginError::not_found(PluginType::Compute, "duckbd", ["duckdb"]);
    /// assert_eq!(err.plugin(), Some(&PluginId::new(PluginType::Compute, "duckbd")));
    /// ```
    pub fn plugin(&self) -> Option<&PluginId> {
        match self {
            PluginError::NotFound { id, .. }
            | PluginError::Incompatible { id, .. }
            | PluginError::InvalidMetadata { id, .. }
            | PluginError::Configuration { id, .. }
            | PluginError::Duplicate { id, .. }
            | PluginError::Shadowed { id, .. }
            | PluginError::MissingDependency { id, .. }
            | PluginError::Load { id, .. }
            | PluginError::Startup { id, .. }
            | PluginError::Shutdown { id, .. }
            | PluginError::ForeignDescriptor { id, .. }
            | PluginError::AcceptConfigPanicked { id, .. }
            | PluginError::InvalidSchema { id, .. }
            | PluginError::Unsupported { id, .. }
            | PluginError::WrongType { id, .. } => Some(id),
            PluginError::ConfigType { id, .. } => id.as_ref(),
            PluginError::CircularDependency { .. }
            | PluginError::Detached { .. }
            | PluginError::InvalidModel(_)
            | PluginError::Failed { .. } => None,
        }
    }
}

/// The name in a [`PluginError::ConfigType`] message.
fn plugin_name(id: &Option<PluginId>) -> &str {
    id.as_ref().map_or("", |id| &id.name)
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
/// Its message carries the text of the plugin's error and of every cause under it
/// (floe's `raised exception: ...`, then `: cause` for each), so nothing is lost where
/// it is shown inside [`PluginError::Startup`] or [`PluginError::Shutdown`], and
/// `source()` is `None`: match on the variant to reach the plugin's error itself.
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
    /// A shutdown found `startup()` still running (a call that timed out left it on its
    /// thread): the plugin is stopped by that thread as soon as its startup ends.
    StopDeferred,
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
            HookFailure::Error { hook, error } => {
                write!(f, "{hook} raised exception: {}", ErrorChain(error.as_ref()))
            }
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
            HookFailure::StopDeferred => f.write_str(
                "startup() is still running; shutdown() will be called as soon as it ends",
            ),
            HookFailure::NoThread { hook, reason } => {
                write!(f, "no thread could be started for {hook}: {reason}")
            }
            HookFailure::DependencyFailed { dependency } => {
                write!(f, "dependency '{dependency}' failed to start")
            }
            HookFailure::NotReady(error) => write!(f, "{}", ErrorChain(error.as_ref())),
        }
    }
}

/// No `source()`: the message already shows every cause (see the type's docs).
impl std::error::Error for HookFailure {}

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
                    id: PluginId::new(PluginType::Compute, "x"),
                    required_version: "99.0".into(),
                    platform_version: "1.0".into(),
                },
                "Plugin 'x' requires API v99.0, but platform provides v1.0",
            ),
            (
                PluginError::Startup {
                    id: PluginId::new(PluginType::Compute, "slow"),
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
                    id: PluginId::new(PluginType::Dbt, "m"),
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
            id: PluginId::new(PluginType::Compute, "duckdb"),
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
            id: PluginId::new(PluginType::Compute, "x"),
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
            id: PluginId::new(PluginType::Catalog, "polaris"),
            cause: HookFailure::Error {
                hook: Hook::Startup,
                error: Box::new(plugin),
            },
        };
        let texts = chain(&startup);
        assert_eq!(
            texts,
            [
                "Plugin startup failed: CATALOG:polaris - startup() raised exception: could not reach the catalog: connection refused"
            ],
            "every cause once, nothing lost"
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
        assert!(
            std::error::Error::source(failure).is_none(),
            "the causes are in the message, so none is also the source"
        );
        let not_ready = HookFailure::NotReady(Box::new(PluginError::not_found(
            PluginType::Compute,
            "gone",
            [],
        )));
        assert_eq!(not_ready.to_string(), "Plugin not found: COMPUTE:gone");
        assert!(std::error::Error::source(&not_ready).is_none());
        let shutdown = PluginError::Shutdown {
            id: PluginId::new(PluginType::Compute, "x"),
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
