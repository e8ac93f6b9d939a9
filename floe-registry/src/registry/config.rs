//! The configure API: validating a config, storing it and reading it back. How a
//! failure becomes field errors is in `config_errors.rs`; where the config is stored,
//! and why there, in `config_slot.rs`.

use std::any::Any;
use std::sync::Arc;

use serde_json::Value;

use super::PluginRegistry;
use super::coercion::ConfigCoercion;
use super::config_errors::{check_no_config, schema_errors};
use super::entry::{Configuration, Entry};
use super::guard;
use super::lax_schema;
use super::lax_walk;
use super::redact::{has_secrets, redact};
use crate::config_slot::Stored;
use crate::{
    AnyConfig, ConfigCheckError, ConfigErrorKind, ConfigSpec, PluginError, PluginId,
    PluginInstance, PluginType,
};

/// Connects a plugin just built to its entry's config store (see
/// [`PluginMetadata::accept_config`](crate::PluginMetadata::accept_config)); a panic
/// there becomes an error.
pub(super) fn attach(entry: &Entry, instance: &PluginInstance) -> Result<(), PluginError> {
    if entry.desc.config.is_none() {
        return Ok(());
    }
    let store: AnyConfig = entry.configuration().slot.clone();
    guard::catch(|| instance.metadata().accept_config(&store)).map_err(|message| {
        PluginError::AcceptConfigPanicked {
            id: entry.id(),
            message,
        }
    })?
}

impl PluginRegistry {
    /// The JSON Schema (draft 2020-12) of the plugin's config, or `None` when the plugin
    /// takes no configuration. Loads nothing.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// struct Conf {
    ///     #[schemars(range(min = 1, max = 64))]
    ///     threads: u8,
    /// }
    /// #[floe_plugin(type = Compute, name = "schema-doc", version = "1.0.0", config = Conf)]
    /// #[derive(Default)]
    /// struct P;
    /// impl ComputePlugin for P {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let schema = registry.config_schema(PluginType::Compute, "schema-doc")?.unwrap();
    /// assert_eq!(schema["$schema"], "https://json-schema.org/draft/2020-12/schema");
    /// assert_eq!(schema["properties"]["threads"]["maximum"], 64);
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn config_schema(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<Option<Value>, PluginError> {
        let entry = self.entry(plugin_type, name)?;
        Ok(entry
            .desc
            .config
            .as_ref()
            .map(|spec| schema_of(entry.configuration(), spec).clone()))
    }

    /// The JSON Schema of every config [`configure`](Self::configure) accepts: the
    /// [`config_schema`](Self::config_schema) with each integer, number and boolean
    /// field widened to also take the lax forms configure reads as published floe
    /// does ([`ConfigCoercion`]). What `floe plugins schema` prints and editors
    /// check: it never refuses a config configure accepts, and holds the bounds of
    /// integer fields bounded from 0 up (`"0"` for `minimum: 1` is refused by both).
    /// What it takes and configure refuses (this list is the one place that says so),
    /// as JSON Schema cannot compare a string with a number:
    /// - a string whose value breaks a bound of a `number` field (`"1.5"` for
    ///   `maximum: 1.0`);
    /// - a string whose value breaks a bound of an integer field that is not bounded
    ///   below by 0 or more (bounded only above, or below by a negative number), or
    ///   that has a `multipleOf`;
    /// - a string of an integer beyond the field's 64 bits, or of a number that is not
    ///   finite as a 64-bit float (`"1e400"`);
    /// - a number beyond 64 bits.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use serde_json::json;
    ///
    /// #[floe_config]
    /// struct Conf {
    ///     threads: u8,
    /// }
    /// #[floe_plugin(type = Compute, name = "lax-schema-doc", version = "1.0.0", config = Conf)]
    /// #[derive(Default)]
    /// struct P;
    /// impl ComputePlugin for P {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let schema = registry.config_schema_lax(PluginType::Compute, "lax-schema-doc")?.unwrap();
    /// assert_eq!(schema["properties"]["threads"]["type"], json!(["integer", "string"]));
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn config_schema_lax(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<Option<Value>, PluginError> {
        Ok(self
            .config_schema(plugin_type, name)?
            .map(lax_schema::widen))
    }

    /// Validates `config` against the plugin's config type and stores the typed value;
    /// a loaded plugin receives it at once, a later-loaded one when it loads.
    ///
    /// Every problem is reported at once in [`PluginError::Configuration`], each with a
    /// dotted field path, a message and a kind. Messages never repeat input values, so
    /// secrets cannot leak through them. `null` counts as `{}` (defaults apply). A
    /// plugin without a config type accepts only `null` or `{}`.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use floe_registry::ConfigErrorKind;
    /// use serde_json::json;
    ///
    /// #[derive(serde::Deserialize, schemars::JsonSchema)]
    /// #[serde(deny_unknown_fields)]
    /// struct Conf {
    ///     #[schemars(range(min = 1))]
    ///     threads: u32,
    ///     path: String,
    /// }
    /// #[floe_plugin(type = Compute, name = "configure-doc", version = "1.0.0", config = Conf)]
    /// #[derive(Default)]
    /// struct P;
    /// impl ComputePlugin for P {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let err = registry.configure(PluginType::Compute, "configure-doc", json!({"threads": 0, "colour": "red"}))
    ///     .unwrap_err();
    /// let PluginError::Configuration { errors, .. } = err else { panic!() };
    /// let found: Vec<_> = errors.iter().map(|e| (e.field.as_str(), e.kind)).collect();
    /// assert!(found.contains(&("threads", ConfigErrorKind::Range)));
    /// assert!(found.contains(&("path", ConfigErrorKind::Missing)));
    /// assert!(found.contains(&("colour", ConfigErrorKind::UnknownField)));
    ///
    /// registry.configure(PluginType::Compute, "configure-doc", json!({"threads": 4, "path": ":memory:"}))?;
    /// assert_eq!(registry.config::<Conf>(PluginType::Compute, "configure-doc")?.unwrap().threads, 4);
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn configure(
        &self,
        plugin_type: PluginType,
        name: &str,
        config: Value,
    ) -> Result<(), PluginError> {
        let entry = self.entry(plugin_type, name)?;
        let id = entry.id();
        let configuration = entry.configuration();
        let stored = match &entry.desc.config {
            Some(spec) => {
                let config = null_as_empty(config);
                let Validated {
                    typed,
                    coerced,
                    coercions,
                } = validate(&id, configuration, spec, &config)?;
                for coercion in &coercions {
                    tracing::warn!(
                        plugin_type = %plugin_type,
                        name,
                        field = %coercion.field,
                        read_as = coercion.read_as,
                        "plugin_config_coerced"
                    );
                }
                // The JSON kept for `config_json` is the caller's value itself (or the
                // value as read, when lax values were replaced), its secrets
                // overwritten before it is stored: no plaintext secret is kept.
                let mut config = coerced.unwrap_or(config);
                let schema = schema_of(configuration, spec);
                if *configuration
                    .has_secrets
                    .get_or_init(|| has_secrets(schema))
                {
                    redact(schema, &mut config);
                }
                Stored {
                    typed,
                    redacted: config,
                    type_name: spec.type_name(),
                }
            }
            None => {
                check_no_config(&id, &config)?;
                Stored {
                    typed: Arc::new(()),
                    redacted: Value::Object(Default::default()),
                    type_name: "()",
                }
            }
        };
        // The one store: a loaded plugin's `ConfigCell` shows it at once.
        configuration.slot.store(stored);
        tracing::info!(plugin_type = %plugin_type, name, "plugin_configured");
        Ok(())
    }

    /// Validates `config` like [`configure`](Self::configure) but stores nothing: for
    /// checking a manifest before deploying it.
    pub fn validate_config(
        &self,
        plugin_type: PluginType,
        name: &str,
        config: Value,
    ) -> Result<(), PluginError> {
        self.check_config(plugin_type, name, config).map(drop)
    }

    /// Validates `config` like [`validate_config`](Self::validate_config) and returns
    /// every value it read as another type, as published floe's lax mode reads it
    /// (`"5"` for an integer): see [`ConfigCoercion`] for the rules. Empty for a
    /// config written with the schema's own types, and for a plugin whose own check
    /// judges its config ([`ConfigSpec::with_check`](crate::ConfigSpec::with_check)).
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use serde_json::json;
    ///
    /// #[floe_config]
    /// struct Conf {
    ///     port: u16,
    /// }
    /// #[floe_plugin(type = Catalog, name = "check-config-doc", version = "1.0.0", config = Conf)]
    /// #[derive(Default)]
    /// struct P;
    /// impl CatalogPlugin for P {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// let t = PluginType::Catalog;
    /// assert!(registry.check_config(t, "check-config-doc", json!({"port": 8181}))?.is_empty());
    /// let read = registry.check_config(t, "check-config-doc", json!({"port": 8181.0}))?;
    /// assert_eq!(read[0].to_string(), "a number with no fractional part, read as the integer 8181");
    /// assert!(registry.check_config(t, "check-config-doc", json!({"port": "8181.5"})).is_err());
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn check_config(
        &self,
        plugin_type: PluginType,
        name: &str,
        config: Value,
    ) -> Result<Vec<ConfigCoercion>, PluginError> {
        let entry = self.entry(plugin_type, name)?;
        match &entry.desc.config {
            Some(spec) => validate(
                &entry.id(),
                entry.configuration(),
                spec,
                &null_as_empty(config),
            )
            .map(|validated| validated.coercions),
            None => check_no_config(&entry.id(), &config).map(|()| Vec::new()),
        }
    }

    /// The stored config of a plugin, typed: `None` before `configure`. A plugin without
    /// a config type, once configured, holds `()`. Fails with
    /// [`PluginError::ConfigType`] when `T` is not the plugin's config type.
    pub fn config<T: Any + Send + Sync>(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<Option<Arc<T>>, PluginError> {
        let entry = self.entry(plugin_type, name)?;
        let Some(stored) = entry.stored_config() else {
            return Ok(None);
        };
        Arc::clone(&stored.typed)
            .downcast::<T>()
            .map(Some)
            .map_err(|_| PluginError::ConfigType {
                id: Some(entry.id()),
                actual: stored.type_name,
                requested: std::any::type_name::<T>(),
            })
    }

    /// The stored config of a plugin as JSON, for tools that do not know its type:
    /// the validated value with every secret (every field whose schema is
    /// `writeOnly`, as [`Secret`](crate::Secret)'s is) shown as
    /// [`REDACTED`](crate::REDACTED). `None` before `configure`; `{}` for a plugin
    /// without a config type. Defaults are not filled in: it is the config as given.
    ///
    /// ```
    /// use floe_registry::prelude::*;
    /// use serde_json::json;
    ///
    /// #[floe_config]
    /// struct Conn {
    ///     user: String,
    ///     password: Secret,
    /// }
    /// #[floe_plugin(type = Catalog, name = "config-json-doc", version = "1.0.0", config = Conn)]
    /// #[derive(Default)]
    /// struct P;
    /// impl CatalogPlugin for P {}
    ///
    /// let registry = PluginRegistry::new();
    /// registry.discover_all();
    /// assert_eq!(registry.config_json(PluginType::Catalog, "config-json-doc")?, None);
    /// registry.configure(PluginType::Catalog, "config-json-doc", json!({"user": "ada", "password": "hunter2"}))?;
    /// let shown = registry.config_json(PluginType::Catalog, "config-json-doc")?.unwrap();
    /// assert_eq!(shown, json!({"user": "ada", "password": "[REDACTED]"}));
    /// # Ok::<(), PluginError>(())
    /// ```
    pub fn config_json(
        &self,
        plugin_type: PluginType,
        name: &str,
    ) -> Result<Option<Value>, PluginError> {
        let entry = self.entry(plugin_type, name)?;
        Ok(entry.stored_config().map(|stored| stored.redacted.clone()))
    }
}

/// A config that passed: the typed value, the config as read when lax values were
/// replaced, and what was replaced.
struct Validated {
    typed: AnyConfig,
    coerced: Option<Value>,
    coercions: Vec<ConfigCoercion>,
}

/// Validates `config` (`null` already read as `{}`) and deserializes it. Only when
/// that fails is it read again as pydantic's lax mode reads it (`lax_walk.rs`), so a
/// valid config costs nothing more.
fn validate(
    id: &PluginId,
    configuration: &Configuration,
    spec: &ConfigSpec,
    config: &Value,
) -> Result<Validated, PluginError> {
    if let Some(check) = spec.check() {
        // The plugin's own rules decide, and it receives what they accept.
        return match check(config) {
            Ok(accepted) => Ok(Validated {
                typed: Arc::new(accepted),
                coerced: None,
                coercions: Vec::new(),
            }),
            Err(ConfigCheckError::Invalid(errors)) => Err(PluginError::Configuration {
                id: id.clone(),
                errors,
            }),
            Err(ConfigCheckError::Failed(error)) => Err(error),
        };
    }
    let schema = schema_of(configuration, spec);
    let validator = configuration
        .validator
        .get_or_init(|| {
            jsonschema::options()
                .with_draft(jsonschema::Draft::Draft202012)
                .build(schema)
                .map_err(|e| e.to_string())
        })
        .as_ref()
        .map_err(|reason| PluginError::InvalidSchema {
            id: id.clone(),
            reason: reason.clone(),
        })?;
    let passes = validator.is_valid(config);
    if passes && let Ok(typed) = spec.deserialize(config) {
        return Ok(Validated {
            typed,
            coerced: None,
            coercions: Vec::new(),
        });
    }
    // The failure path. A lax value fails the schema with a type error (`"5"` for an
    // integer) or passes it and fails serde (`5.0` for a `u32`): only then are lax
    // values read as floe reads them and the config judged again, its errors those
    // of the config as read.
    let errors = if passes {
        Vec::new()
    } else {
        let errors = schema_errors(schema, validator, config);
        if !errors.iter().any(|e| e.kind == ConfigErrorKind::Type) {
            return Err(PluginError::Configuration {
                id: id.clone(),
                errors,
            });
        }
        errors
    };
    let (coerced, coercions) = match lax_walk::coerce(schema, config) {
        Some((coerced, coercions)) => (Some(coerced), coercions),
        None if passes => (None, Vec::new()),
        None => {
            return Err(PluginError::Configuration {
                id: id.clone(),
                errors,
            });
        }
    };
    let read = coerced.as_ref().unwrap_or(config);
    if coerced.is_some() && !validator.is_valid(read) {
        return Err(PluginError::Configuration {
            id: id.clone(),
            errors: schema_errors(schema, validator, read),
        });
    }
    // The schema passed; serde has the last word (an integer too large for a `u8`, a
    // custom Deserialize).
    let typed = spec
        .deserialize(read)
        .map_err(|e| PluginError::Configuration {
            id: id.clone(),
            errors: vec![e],
        })?;
    Ok(Validated {
        typed,
        coerced,
        coercions,
    })
}

/// `null` read as `{}`, so that defaults apply.
fn null_as_empty(config: Value) -> Value {
    if config.is_null() {
        Value::Object(Default::default())
    } else {
        config
    }
}

/// The plugin's config schema, derived once and cached in its entry.
fn schema_of<'e>(configuration: &'e Configuration, spec: &ConfigSpec) -> &'e Value {
    configuration.schema.get_or_init(|| spec.schema())
}
