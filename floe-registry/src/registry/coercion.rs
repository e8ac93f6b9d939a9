//! [`ConfigCoercion`]: a value of a config that `configure` read as another type, as
//! published floe's pydantic models do in lax mode.

use std::fmt;

use serde::Serialize;
use serde_json::Value;

/// A config value read as another type, as published floe (floe-core 0.1.0a1, pydantic
/// 2 in lax mode) reads it: `configure` accepts it, the plugin receives the value it
/// became, and [`PluginRegistry::check_config`](crate::PluginRegistry::check_config)
/// returns one of these for each, so that `floe plugins check` can warn.
///
/// The rules, measured against pydantic 2.13.5 (whitespace is Unicode `White_Space`,
/// as Rust's `str::trim`; digits are ASCII):
///
/// | field type | also accepted | becomes |
/// |---|---|---|
/// | integer | a string: optional whitespace around `[+-]digits`, single `_` between digits, optionally `.` and zeros (`"5"`, `" 5 "`, `"+5"`, `"1_000"`, `"5.0"`, `"5.00"`); not `"5."`, `"5.5"`, `"1e3"`, `"0x10"` | the integer |
/// | integer | a number with no fractional part (`5.0`), below 2⁶³ in size | the integer |
/// | number | a string: a decimal literal with optional exponent and whitespace around (`"1.5"`, `"5"`, `" .5 "`, `"1e3"`, `"5."`), or without whitespace with single `_` between any two characters (`"1_000.5"`) | the number |
/// | boolean | a string, in any case, without whitespace: `true`, `yes`, `on`, `1`, `t`, `y` / `false`, `no`, `off`, `0`, `f`, `n` | `true` / `false` |
/// | boolean | the numbers `1` / `0` (also `1.0` / `0.0`) | `true` / `false` |
/// | string | nothing: a number or boolean for a string is refused, as pydantic refuses it | |
///
/// Bounds (`minimum`, `maximum`, ...) and the field's Rust type apply to the value
/// read (`"300"` for a `u8` is refused). Deliberately narrower than pydantic: `true` /
/// `false` for an integer or number (pydantic reads 1 / 0; refused as no one means that); a string
/// it reads as a number that is not finite (`"inf"`, `"nan"`, `"1e400"`) and an
/// integer beyond 64 bits are refused, as JSON holds neither. A field with an `enum`
/// or `const` is never read as another type.
///
/// ```
/// use floe_registry::prelude::*;
/// use serde_json::json;
///
/// #[floe_config]
/// struct Conf {
///     threads: u32,
///     read_only: bool,
/// }
/// #[floe_plugin(type = Compute, name = "coercion-doc", version = "1.0.0", config = Conf)]
/// #[derive(Default)]
/// struct P;
/// impl ComputePlugin for P {}
///
/// let registry = PluginRegistry::new();
/// registry.discover_all();
/// let config = json!({"threads": "4", "read_only": "yes"});
/// let coercions = registry.check_config(PluginType::Compute, "coercion-doc", config.clone())?;
/// let shown: Vec<String> = coercions.iter().map(|c| format!("{}: {c}", c.field)).collect();
/// assert_eq!(shown, [
///     "read_only: a string, read as the boolean true",
///     "threads: a string, read as the integer 4",
/// ]);
/// registry.configure(PluginType::Compute, "coercion-doc", config)?;
/// let stored = registry.config::<Conf>(PluginType::Compute, "coercion-doc")?.unwrap();
/// assert_eq!((stored.threads, stored.read_only), (4, true));
/// # Ok::<(), PluginError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct ConfigCoercion {
    /// The dotted path of the field (`connection.port`, `attach.0.port`).
    pub field: String,
    /// What was given: `string`, `number` or `boolean`.
    pub given: &'static str,
    /// What it was read as: `integer`, `number` or `boolean`.
    pub read_as: &'static str,
    /// The value it became; `None` for a secret (a `writeOnly` field), never shown.
    pub value: Option<Value>,
}

impl ConfigCoercion {
    /// The canonical way to write the value, for a message's fix (`4`, `true`);
    /// `None` for a secret.
    pub fn written(&self) -> Option<String> {
        self.value.as_ref().map(Value::to_string)
    }
}

impl fmt::Display for ConfigCoercion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let given = match (self.given, self.read_as) {
            ("number", "integer") => "a number with no fractional part",
            ("number", _) => "a number",
            ("string", _) => "a string",
            ("boolean", _) => "a boolean",
            (other, _) => other,
        };
        write!(f, "{given}, read as the {}", self.read_as)?;
        match &self.value {
            Some(value) => write!(f, " {value}"),
            None => Ok(()),
        }
    }
}
