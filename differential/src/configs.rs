//! Plugin configs generated from a JSON Schema, for judging one plugin's config
//! validation against another's: the defaults, each required field missing, a wrong
//! type, pydantic's lax spellings and a null per field, each bound broken, unknown
//! keys; at least [`AT_LEAST`] configs a schema.

use serde_json::{Map, Value, json};

/// The fewest configs [`generated`] returns (issue 21 asks 30 a plugin).
pub const AT_LEAST: usize = 30;

/// A value of `schema` (a property's) that it accepts, as far as its keywords say;
/// `root` resolves `$ref`s.
///
/// ```
/// use serde_json::json;
/// let schema = json!({"type": "integer", "minimum": 3});
/// assert_eq!(floe_differential::configs::sample(&schema, &schema), json!(3));
/// ```
pub fn sample(root: &Value, schema: &Value) -> Value {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        let pointer = reference.trim_start_matches('#');
        return root
            .pointer(pointer)
            .map_or(Value::Null, |s| sample(root, s));
    }
    if let Some(default) = schema.get("default").filter(|d| !d.is_null()) {
        return default.clone();
    }
    if let Some(first) = schema.get("enum").and_then(|e| e.get(0)) {
        return first.clone();
    }
    if let Some(branches) = schema.get("anyOf").and_then(Value::as_array) {
        let branch = branches
            .iter()
            .find(|b| b.get("type") != Some(&json!("null")));
        return branch.map_or(Value::Null, |b| sample(root, b));
    }
    match schema.get("type").and_then(Value::as_str) {
        Some("string") => match schema.get("pattern").and_then(Value::as_str) {
            Some(p) if p.contains("http") => json!("http://127.0.0.1:9000"),
            _ => json!("sample"),
        },
        Some("integer") => json!(
            schema
                .get("minimum")
                .and_then(Value::as_i64)
                .unwrap_or(1)
                .max(1)
        ),
        Some("number") => json!(1.5),
        Some("boolean") => json!(true),
        Some("array") => json!([]),
        Some("object") => json!({}),
        _ => json!("sample"),
    }
}

/// The configs to judge for a plugin whose config schema is `schema` (`None`: a
/// plugin that takes any config); at least [`AT_LEAST`].
///
/// ```
/// use serde_json::json;
/// let schema = json!({
///     "type": "object",
///     "properties": {"port": {"type": "integer", "maximum": 65535}},
///     "required": ["port"],
/// });
/// let configs = floe_differential::configs::generated(Some(&schema));
/// assert!(configs.len() >= floe_differential::configs::AT_LEAST);
/// assert!(configs.contains(&json!({"port": 65536.0})));
/// assert!(configs.contains(&json!({"port": "5"})));
/// ```
pub fn generated(schema: Option<&Value>) -> Vec<Value> {
    let empty = Map::new();
    let (properties, required) = match schema {
        Some(s) => (
            s.get("properties")
                .and_then(Value::as_object)
                .unwrap_or(&empty)
                .clone(),
            s.get("required")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
        ),
        None => (Map::new(), Vec::new()),
    };
    let root = schema.cloned().unwrap_or(Value::Null);
    let mut base = Map::new();
    for name in required.iter().filter_map(Value::as_str) {
        let property = properties.get(name).unwrap_or(&Value::Null);
        base.insert(name.to_owned(), sample(&root, property));
    }
    let with = |key: &str, value: Value| {
        let mut config = base.clone();
        config.insert(key.to_owned(), value);
        Value::Object(config)
    };
    let mut configs = vec![json!({}), Value::Object(base.clone())];
    let mut full = base.clone();
    for (name, property) in &properties {
        full.entry(name.clone())
            .or_insert_with(|| sample(&root, property));
    }
    configs.push(Value::Object(full));
    for name in required.iter().filter_map(Value::as_str) {
        let mut config = base.clone();
        config.remove(name);
        configs.push(Value::Object(config));
    }
    for (name, property) in &properties {
        let kind = property
            .get("type")
            .or_else(|| property.pointer("/anyOf/0/type"))
            .and_then(Value::as_str)
            .unwrap_or("");
        let (wrong, lax): (Value, Vec<Value>) = match kind {
            "integer" => (
                json!("not-a-number"),
                vec![json!("5"), json!(5.0), json!(5.5), json!(true)],
            ),
            "number" => (json!("x"), vec![json!("1.5"), json!(2), json!(false)]),
            "boolean" => (
                json!("maybe"),
                vec![json!("yes"), json!("true"), json!("1"), json!(0)],
            ),
            "string" => (json!(123), vec![json!(true)]),
            _ => (json!([1, 2]), vec![]),
        };
        configs.push(with(name, wrong));
        configs.extend(lax.into_iter().map(|v| with(name, v)));
        configs.push(with(name, Value::Null));
        for bound in ["minimum", "exclusiveMinimum"] {
            if let Some(min) = property.get(bound).and_then(Value::as_f64) {
                configs.push(with(name, json!(min - 1.0)));
            }
        }
        if let Some(max) = property.get("maximum").and_then(Value::as_f64) {
            configs.push(with(name, json!(max + 1.0)));
        }
    }
    configs.push(with("colour", json!("red")));
    configs.push(with("", json!(1)));
    let mut filler = 0;
    while configs.len() < AT_LEAST {
        filler += 1;
        configs.push(with(&format!("extra_{filler}"), json!([filler])));
    }
    configs
}
