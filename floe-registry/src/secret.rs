//! `Secret`: a string that never shows itself.

use std::borrow::Cow;
use std::fmt;

use secrecy::{ExposeSecret, SecretString};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// What every redacted secret prints as.
pub const REDACTED: &str = "[REDACTED]";

/// A secret string for config fields: passwords, tokens, client secrets.
///
/// `Debug`, `Display` and `Serialize` print `[REDACTED]`; the value is read only
/// through [`Secret::expose`]. Its JSON Schema is `{"type": "string", "writeOnly":
/// true, "format": "password"}`, and configuration errors on a field of this type never
/// echo the value. The memory is zeroed on drop (by the `secrecy` crate underneath).
///
/// ```
/// use floe_registry::Secret;
///
/// let s: Secret = serde_json::from_str("\"hunter2\"").unwrap();
/// assert_eq!(format!("{s:?} {s}"), "Secret([REDACTED]) [REDACTED]");
/// assert_eq!(serde_json::to_string(&s).unwrap(), "\"[REDACTED]\"");
/// assert_eq!(s.expose(), "hunter2");
/// ```
#[derive(Clone)]
pub struct Secret(SecretString);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(SecretString::from(value.into()))
    }

    /// The value itself. Call it only where the value is the point (an HTTP header, a
    /// client's credentials), never to print or log.
    pub fn expose(&self) -> &str {
        self.0.expose_secret()
    }

    /// Whether the value is the empty string.
    pub fn is_empty(&self) -> bool {
        self.expose().is_empty()
    }
}

impl From<String> for Secret {
    fn from(value: String) -> Self {
        Secret::new(value)
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret::new(value)
    }
}

impl PartialEq for Secret {
    fn eq(&self, other: &Self) -> bool {
        self.expose() == other.expose()
    }
}

impl Eq for Secret {}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Secret({REDACTED})")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(REDACTED)
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(REDACTED)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visit;
        impl<'v> serde::de::Visitor<'v> for Visit {
            type Value = Secret;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a secret string")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Secret, E> {
                Ok(Secret::new(v))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Secret, E> {
                Ok(Secret::new(v))
            }
            // Every other input kind: say what it was, never what it held.
            fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<Secret, E> {
                Err(E::custom(
                    "invalid type: a boolean, expected a secret string",
                ))
            }
            fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<Secret, E> {
                Err(E::custom(
                    "invalid type: a number, expected a secret string",
                ))
            }
            fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<Secret, E> {
                Err(E::custom(
                    "invalid type: a number, expected a secret string",
                ))
            }
            fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<Secret, E> {
                Err(E::custom(
                    "invalid type: a number, expected a secret string",
                ))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Secret, E> {
                Err(E::custom("invalid type: null, expected a secret string"))
            }
            fn visit_seq<A: serde::de::SeqAccess<'v>>(self, _: A) -> Result<Secret, A::Error> {
                Err(serde::de::Error::custom(
                    "invalid type: a list, expected a secret string",
                ))
            }
            fn visit_map<A: serde::de::MapAccess<'v>>(self, _: A) -> Result<Secret, A::Error> {
                Err(serde::de::Error::custom(
                    "invalid type: an object, expected a secret string",
                ))
            }
        }
        // `deserialize_any`, so every input kind reaches the visitor above and serde_json
        // never builds its own "invalid type" message, which quotes the value.
        deserializer.deserialize_any(Visit)
    }
}

impl schemars::JsonSchema for Secret {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Secret".into()
    }

    fn json_schema(_: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::json_schema!({
            "type": "string",
            "writeOnly": true,
            "format": "password",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CANARY: &str = "canary-7f3a9c";

    #[test]
    fn no_formatting_shows_the_value() {
        let s = Secret::new(CANARY);
        for out in [
            format!("{s}"),
            format!("{s:?}"),
            format!("{s:#?}"),
            serde_json::to_string(&s).expect("json"),
            format!("{:?}", Some(s.clone())),
        ] {
            assert!(!out.contains(CANARY), "leaked in {out}");
        }
    }

    #[test]
    fn wrong_kinds_do_not_echo_the_input() {
        let err = serde_json::from_str::<Secret>("12345678").expect_err("number");
        assert!(!err.to_string().contains("12345678"), "{err}");
    }

    #[test]
    fn schema_marks_write_only_password() {
        let schema = schemars::schema_for!(Secret);
        let v = schema.as_value();
        assert_eq!(v["writeOnly"], true);
        assert_eq!(v["format"], "password");
    }
}
