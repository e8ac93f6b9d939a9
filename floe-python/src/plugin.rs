//! A Python plugin as the registry sees it: a proxy of each plugin type whose hooks and
//! methods are requests to the environment's worker.
//!
//! What crosses the process boundary, per method:
//!
//! | method | sent | received |
//! |---|---|---|
//! | load (first use) | the entry point | its metadata; the Python object stays in the worker |
//! | configure | the config as given (JSON) | accepted, or pydantic's errors with their paths |
//! | `startup()`, `shutdown()` | nothing | success, or the exception as `Type: text` |
//! | `health_check()` | nothing | state, message and details |
//! | [`PythonPlugin::call`] | positional and keyword arguments as JSON | the result as JSON |
//!
//! A method whose result is a live Python object (a PyIceberg catalog, a dlt pipeline)
//! cannot cross: `call` answers an error naming the method and the Python type. The
//! type traits' own methods (`CatalogPlugin::connect`, ...) are not forwarded: they
//! answer the registry's "does not support" error, and `call` reaches the Python method.

use std::sync::{Arc, Mutex, PoisonError};

use floe_registry::prelude::*;
use floe_registry::{
    AnyConfig, ConfigErrorKind, ConfigFieldError, HealthState, PluginDescriptor, PluginId,
    PluginInstance,
};
use serde_json::{Map, Value, json};

use crate::EntryPoint;
use crate::host::Host;
use crate::worker::WorkerError;

/// A plugin of a Python environment, hosted by its worker.
///
/// Reach it from a loaded plugin with [`python_plugin`](crate::python_plugin).
pub struct PythonPlugin {
    descriptor: PluginDescriptor,
    host: Arc<Host>,
    group: &'static str,
    name: String,
    /// The config the registry stores for it (see `config_slot.rs` in floe-registry).
    config: ConfigCell<Value>,
    /// What the worker that runs now knows of this plugin; a new worker (after a crash
    /// or a hang) is brought to the same state before the next call.
    state: Mutex<WorkerState>,
}

/// What one worker process was told about a plugin.
#[derive(Default)]
struct WorkerState {
    /// The worker start (generation) this is about.
    generation: u64,
    /// The config it was given (the registry's, as given).
    config: Option<Value>,
    /// Whether `startup()` ran there and `shutdown()` did not since.
    started: bool,
}

impl std::fmt::Debug for PythonPlugin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PythonPlugin")
            .field("group", &self.group)
            .field("name", &self.name)
            .finish_non_exhaustive()
    }
}

impl PythonPlugin {
    /// Loads the plugin of `entry` in the worker (starting it if needed) and wraps it
    /// as its type's instance.
    pub(crate) fn load(
        host: &Arc<Host>,
        entry: &EntryPoint,
        descriptor: &PluginDescriptor,
    ) -> Result<PluginInstance, PluginError> {
        let plugin = PythonPlugin {
            descriptor: descriptor.clone(),
            host: Arc::clone(host),
            group: entry.group(),
            name: entry.name.clone(),
            config: ConfigCell::new(),
            state: Mutex::new(WorkerState::default()),
        };
        plugin.request("describe", Map::new(), host.timeouts.lifecycle)?;
        Ok(instance(entry.plugin_type, plugin))
    }

    /// The plugin's entry point group and name in its environment.
    pub fn entry_point(&self) -> (&str, &str) {
        (self.group, &self.name)
    }

    /// Calls the Python method `method` with JSON arguments and returns its JSON
    /// result, within the environment's lifecycle timeout.
    ///
    /// A result that JSON cannot hold (a live object) is an error naming the method and
    /// the Python type; an exception is an error with its type and text.
    pub fn call(
        &self,
        method: &str,
        args: Vec<Value>,
        kwargs: Map<String, Value>,
    ) -> Result<Value, PluginError> {
        let mut fields = Map::new();
        fields.insert("method".into(), json!(method));
        fields.insert("args".into(), Value::Array(args));
        fields.insert("kwargs".into(), Value::Object(kwargs));
        self.hook("call", fields, self.host.timeouts.lifecycle)
    }

    /// Sends `op` about this plugin.
    fn request(
        &self,
        op: &str,
        fields: Map<String, Value>,
        timeout: std::time::Duration,
    ) -> Result<(Value, u64), PluginError> {
        self.host
            .request(op, self.group, &self.name, fields, timeout)
            .map_err(|e| error(&self.descriptor.id(), op, e))
    }

    /// Brings the worker that runs now to what this plugin should be: the registry's
    /// config handed over, and `startup()` run again if it had run in a worker that
    /// since died or hung. Then sends `op`.
    fn hook(
        &self,
        op: &str,
        fields: Map<String, Value>,
        timeout: std::time::Duration,
    ) -> Result<Value, PluginError> {
        let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
        // Whether the worker that will answer knows nothing of this plugin yet.
        let mut fresh =
            state.generation != self.host.worker.starts() || !self.host.worker.is_running();
        let config = self.config.get().ok().map(|c| Value::clone(&c));
        if let Some(config) = config.filter(|c| fresh || state.config.as_ref() != Some(c)) {
            let mut push = Map::new();
            push.insert("config".into(), config.clone());
            push.insert("apply".into(), json!(true));
            let (_, generation) = self.request("configure", push, self.host.timeouts.lifecycle)?;
            fresh |= generation != state.generation;
            state.generation = generation;
            state.config = Some(config);
        }
        if fresh && state.started && op != "startup" {
            // A new worker: the plugin was started in the one that is gone.
            let (_, generation) =
                self.request("startup", Map::new(), self.host.timeouts.lifecycle)?;
            state.generation = generation;
        }
        let (answer, generation) = self.request(op, fields, timeout)?;
        if generation != state.generation {
            // The worker died between the steps above and `op`: a new one ran `op`
            // without the plugin's state; the next call brings it there (a `startup`
            // that just ran there counts).
            state.config = None;
            state.generation = if op == "startup" { generation } else { 0 };
        }
        match op {
            "startup" => state.started = true,
            "shutdown" => state.started = false,
            _ => {}
        }
        Ok(answer)
    }

    fn startup(&self) -> Result<(), PluginError> {
        self.hook("startup", Map::new(), self.host.timeouts.lifecycle)
            .map(drop)
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        self.hook("shutdown", Map::new(), self.host.timeouts.lifecycle)
            .map(drop)
    }

    fn health(&self) -> HealthStatus {
        match self.hook("health_check", Map::new(), self.host.timeouts.health) {
            Ok(answer) => health_status(&answer),
            Err(e) => HealthStatus::unhealthy(floe_registry::ErrorChain(&e).to_string()),
        }
    }
}

impl PluginMetadata for PythonPlugin {
    fn descriptor(&self) -> &PluginDescriptor {
        &self.descriptor
    }

    fn accept_config(&self, config: &AnyConfig) -> Result<(), PluginError> {
        self.config.accept(config)
    }
}

/// The health a worker's answer gives.
fn health_status(answer: &Value) -> HealthStatus {
    let state = match answer.get("state").and_then(Value::as_str) {
        Some("healthy") => HealthState::Healthy,
        Some("degraded") => HealthState::Degraded,
        _ => HealthState::Unhealthy,
    };
    let message = answer.get("message").and_then(Value::as_str).unwrap_or("");
    let mut status = HealthStatus::new(state, message);
    if let Some(Value::Object(details)) = answer.get("details") {
        for (k, v) in details {
            status = status.with_detail(k, v.clone());
        }
    }
    status
}

/// A worker failure as the plugin's error.
pub(crate) fn error(id: &PluginId, op: &str, failure: WorkerError) -> PluginError {
    match failure {
        WorkerError::Python { kind, detail, .. } if kind == "configuration" => {
            PluginError::Configuration {
                id: id.clone(),
                errors: field_errors(&detail),
            }
        }
        WorkerError::Python { message, .. } => PluginError::failed(message),
        WorkerError::TimedOut(timeout) => PluginError::failed(format!(
            "the Python worker did not answer {op} of {id} within {} s; it was stopped, and the next call starts a new one",
            timeout.as_secs_f64()
        )),
        WorkerError::Died(how) => PluginError::failed(format!(
            "the Python worker ended during {op} of {id} ({how}); the next call starts a new one"
        )),
        WorkerError::Start(why) => {
            PluginError::failed(format!("the Python worker could not start: {why}"))
        }
    }
}

/// pydantic's errors (`PROTOCOL.md`, `configure`) as the registry's field errors.
pub(crate) fn field_errors(detail: &Value) -> Vec<ConfigFieldError> {
    detail
        .as_array()
        .into_iter()
        .flatten()
        .map(|e| {
            let text = |k: &str| e.get(k).and_then(Value::as_str).unwrap_or("").to_owned();
            ConfigFieldError {
                field: text("field"),
                message: text("message"),
                kind: kind_of(&text("type")),
            }
        })
        .collect()
}

/// The kind of a pydantic error type.
fn kind_of(pydantic_type: &str) -> ConfigErrorKind {
    match pydantic_type {
        "missing" => ConfigErrorKind::Missing,
        "extra_forbidden" => ConfigErrorKind::UnknownField,
        "greater_than" | "greater_than_equal" | "less_than" | "less_than_equal" | "multiple_of" => {
            ConfigErrorKind::Range
        }
        "string_too_short" | "string_too_long" | "too_short" | "too_long" => {
            ConfigErrorKind::Length
        }
        "string_pattern_mismatch" => ConfigErrorKind::Pattern,
        "literal_error" | "enum" => ConfigErrorKind::Enum,
        t if t.ends_with("_type") || t.ends_with("_parsing") => ConfigErrorKind::Type,
        _ => ConfigErrorKind::Invalid,
    }
}

/// Wraps `plugin` as the instance of `plugin_type`, and implements every type trait
/// for it: the lifecycle hooks go to the worker.
macro_rules! python_types {
    ($($variant:ident $ctor:ident $upper:ident $group:literal $tr:ident [$($alias:ident)*] $doc:literal;)*) => {
        fn instance(plugin_type: PluginType, plugin: PythonPlugin) -> PluginInstance {
            match plugin_type {
                $(PluginType::$variant => PluginInstance::$ctor(plugin),)*
            }
        }

        $(
            impl floe_registry::$tr for PythonPlugin {
                fn startup(&self) -> Result<(), PluginError> {
                    PythonPlugin::startup(self)
                }

                fn shutdown(&self) -> Result<(), PluginError> {
                    PythonPlugin::shutdown(self)
                }

                fn health_check(&self) -> HealthStatus {
                    self.health()
                }
            }
        )*
    };
}

floe_registry::for_each_plugin_type!(python_types);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pydantic_errors_become_field_errors_with_their_kind() {
        let detail = json!([
            {"field": "region", "message": "Field required", "type": "missing"},
            {"field": "max_retries", "message": "Input should be a valid integer", "type": "int_parsing"},
            {"field": "colour", "message": "Extra inputs are not permitted", "type": "extra_forbidden"},
            {"field": "port", "message": "Input should be greater than 0", "type": "greater_than"},
        ]);
        let errors = field_errors(&detail);
        let kinds: Vec<(&str, ConfigErrorKind)> =
            errors.iter().map(|e| (e.field.as_str(), e.kind)).collect();
        assert_eq!(
            kinds,
            [
                ("region", ConfigErrorKind::Missing),
                ("max_retries", ConfigErrorKind::Type),
                ("colour", ConfigErrorKind::UnknownField),
                ("port", ConfigErrorKind::Range),
            ]
        );
        assert_eq!(errors[0].message, "Field required");
    }
}
