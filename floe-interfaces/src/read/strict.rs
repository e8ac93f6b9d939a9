//! A deserializer over a JSON value that reads a struct (a model) only from an object,
//! as pydantic reads a model only from a dictionary: serde_json's own reads a struct
//! from an array too (`[7]` is a `PortRule` with port 7, `[]` an `IngressRule`).
//!
//! Everything else reads as with serde_json's: scalars are handed to it, and arrays and
//! objects are walked here so that their elements are read strictly too.

use serde::de::value::{MapDeserializer, SeqDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, EnumAccess, IntoDeserializer, Unexpected, VariantAccess,
    Visitor,
};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Map, Value};

/// pydantic's text for a model given anything but a dictionary.
pub(crate) fn not_a_dictionary(model: &str) -> String {
    format!("Input should be a valid dictionary or instance of {model}")
}

/// Whether `message` is [`not_a_dictionary`]'s.
pub(crate) fn is_not_a_dictionary(message: &str) -> bool {
    message.starts_with("Input should be a valid dictionary or instance of ")
}

/// The value at hand, read strictly.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Strict<'de>(pub(crate) &'de Value);

impl<'de> IntoDeserializer<'de, Error> for Strict<'de> {
    type Deserializer = Self;

    fn into_deserializer(self) -> Self {
        self
    }
}

fn visit_array<'de, V: Visitor<'de>>(items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
    let mut seq = SeqDeserializer::new(items.iter().map(Strict));
    let read = visitor.visit_seq(&mut seq)?;
    seq.end()?;
    Ok(read)
}

fn visit_object<'de, V: Visitor<'de>>(
    map: &'de Map<String, Value>,
    visitor: V,
) -> Result<V::Value, Error> {
    let mut entries = MapDeserializer::new(map.iter().map(|(k, v)| (k.as_str(), Strict(v))));
    let read = visitor.visit_map(&mut entries)?;
    entries.end()?;
    Ok(read)
}

impl<'de> Deserializer<'de> for Strict<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Array(items) => visit_array(items, visitor),
            Value::Object(map) => visit_object(map, visitor),
            scalar => scalar.deserialize_any(visitor),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) => visit_object(map, visitor),
            _ => Err(de::Error::custom(not_a_dictionary(name))),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((variant, value)) => visitor.visit_enum(Variant { variant, value }),
                None => Err(de::Error::invalid_length(0, &"a map with a single key")),
            },
            other => other.deserialize_enum(name, variants, visitor),
        }
    }

    fn deserialize_unit<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_unit(visitor)
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_bytes<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_bytes(visitor)
    }

    fn deserialize_byte_buf<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_byte_buf(visitor)
    }

    fn deserialize_ignored_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_unit()
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        seq tuple tuple_struct map identifier
    }
}

/// An enum written as `{"Variant": value}`.
struct Variant<'de> {
    variant: &'de str,
    value: &'de Value,
}

impl<'de> EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = Self;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Self), Error> {
        let name = seed.deserialize(IntoDeserializer::<Error>::into_deserializer(self.variant))?;
        Ok((name, self))
    }
}

impl<'de> VariantAccess<'de> for Variant<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.value {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(Strict(self.value))
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(items) => visit_array(items, visitor),
            other => Err(de::Error::invalid_type(unexpected(other), &"tuple variant")),
        }
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(map) => visit_object(map, visitor),
            _ => Err(de::Error::custom(not_a_dictionary(self.variant))),
        }
    }
}

/// What serde calls `value` in its texts.
fn unexpected(value: &Value) -> Unexpected<'_> {
    match value {
        Value::Null => Unexpected::Unit,
        Value::Bool(b) => Unexpected::Bool(*b),
        Value::Number(n) => match (n.as_u64(), n.as_i64(), n.as_f64()) {
            (Some(u), _, _) => Unexpected::Unsigned(u),
            (None, Some(i), _) => Unexpected::Signed(i),
            (None, None, f) => Unexpected::Float(f.unwrap_or(f64::NAN)),
        },
        Value::String(s) => Unexpected::Str(s),
        Value::Array(_) => Unexpected::Seq,
        Value::Object(_) => Unexpected::Map,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;
    use std::collections::BTreeMap;

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(deny_unknown_fields)]
    struct Port {
        port: i64,
        #[serde(default)]
        name: Option<String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Rule {
        ports: Vec<Port>,
        labels: BTreeMap<String, String>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    enum Shape {
        Dot,
        Circle(u32),
        Box { side: u32 },
    }

    fn read<T: for<'de> Deserialize<'de>>(value: &Value) -> Result<T, String> {
        serde_path_to_error::deserialize(Strict(value))
            .map_err(|e| format!("{}: {}", e.path(), e.inner()))
    }

    #[test]
    fn a_struct_reads_from_an_object_only() {
        assert_eq!(
            read::<Port>(&json!({"port": 7})),
            Ok(Port {
                port: 7,
                name: None
            })
        );
        assert_eq!(
            read::<Port>(&json!([7])),
            Err(".: Input should be a valid dictionary or instance of Port".to_owned())
        );
        assert_eq!(
            read::<Port>(&json!(7)),
            Err(".: Input should be a valid dictionary or instance of Port".to_owned())
        );
        let nested = json!({"ports": [{"port": 1}, [7]], "labels": {}});
        assert_eq!(
            read::<Rule>(&nested),
            Err("ports[1]: Input should be a valid dictionary or instance of Port".to_owned())
        );
        assert_eq!(
            read::<Shape>(&json!({"Box": [3]})),
            Err("Box: Input should be a valid dictionary or instance of Box".to_owned())
        );
    }

    #[test]
    fn everything_else_reads_as_serde_json_reads_it() {
        let value = json!({"ports": [{"port": 1, "name": null}, {"port": 2, "name": "x"}], "labels": {"a": "b"}});
        assert_eq!(
            read::<Rule>(&value).ok(),
            serde_json::from_value::<Rule>(value).ok()
        );
        for input in [
            json!("Dot"),
            json!({"Circle": 2}),
            json!({"Box": {"side": 1}}),
        ] {
            assert_eq!(
                read::<Shape>(&input).ok(),
                serde_json::from_value::<Shape>(input.clone()).ok(),
                "{input}"
            );
        }
        for (input, expected) in [
            (
                json!({"port": "x"}),
                "port: invalid type: string \"x\", expected i64",
            ),
            (
                json!({"port": 1.5}),
                "port: invalid type: floating point `1.5`, expected i64",
            ),
            (
                json!({"port": 1, "x": 1}),
                "x: unknown field `x`, expected `port` or `name`",
            ),
            (json!({}), ".: missing field `port`"),
        ] {
            assert_eq!(read::<Port>(&input), Err(expected.to_owned()), "{input}");
        }
        assert_eq!(
            read::<Rule>(&json!({"ports": {}, "labels": {}})),
            Err("ports: invalid type: map, expected a sequence".to_owned())
        );
        assert_eq!(
            read::<Rule>(&json!({"ports": [], "labels": []})),
            Err("labels: invalid type: sequence, expected a map".to_owned())
        );
    }
}
