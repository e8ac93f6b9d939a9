//! A new Iceberg table's first metadata file (format version 2, no snapshot) and the
//! Glue columns of its schema, as pyiceberg's Glue catalog writes them.

use std::collections::BTreeMap;

use floe_registry::PluginError;
use serde_json::{Map, Value, json};

/// The schema of a new table from the caller's Iceberg JSON schema
/// (`{"type": "struct", "fields": [{"id", "name", "required", "type"}, ...]}`;
/// `type` and `schema-id` may be left out): checked, `schema-id` set to 0.
pub(crate) fn table_schema(schema: &Value) -> Result<Value, PluginError> {
    let invalid = |why: String| {
        PluginError::failed(format!(
            "invalid Iceberg schema for create_table: {why}; give \
             {{\"type\": \"struct\", \"fields\": [{{\"id\": 1, \"name\": \"id\", \"required\": true, \
             \"type\": \"long\"}}]}}"
        ))
    };
    let object = schema
        .as_object()
        .ok_or_else(|| invalid("it is not a JSON object".to_owned()))?;
    let fields = object
        .get("fields")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid("it has no `fields` list".to_owned()))?;
    if fields.is_empty() {
        return Err(invalid("`fields` is empty".to_owned()));
    }
    for (i, field) in fields.iter().enumerate() {
        let id = field.get("id").and_then(Value::as_u64);
        let name = field.get("name").and_then(Value::as_str);
        let has_type = field
            .get("type")
            .is_some_and(|t| t.is_string() || t.is_object());
        if id.is_none() || name.is_none_or(str::is_empty) || !has_type {
            return Err(invalid(format!(
                "field {i} needs an integer `id`, a `name` and a `type`"
            )));
        }
    }
    let mut out = object.clone();
    out.insert("type".to_owned(), json!("struct"));
    out.insert("schema-id".to_owned(), json!(0));
    Ok(Value::Object(out))
}

/// The highest field id of a schema, nested ones included.
fn last_column_id(value: &Value) -> u64 {
    match value {
        Value::Object(map) => {
            let own = ["id", "element-id", "key-id", "value-id"]
                .iter()
                .filter_map(|k| map.get(*k).and_then(Value::as_u64))
                .max()
                .unwrap_or(0);
            map.iter()
                .filter(|(k, _)| {
                    matches!(k.as_str(), "fields" | "type" | "element" | "key" | "value")
                })
                .map(|(_, v)| last_column_id(v))
                .max()
                .unwrap_or(0)
                .max(own)
        }
        Value::Array(items) => items.iter().map(last_column_id).max().unwrap_or(0),
        _ => 0,
    }
}

/// The first metadata file of a table at `location` with `schema` (from
/// [`table_schema`]) and `properties`.
pub(crate) fn new_table_metadata(
    table_uuid: &str,
    location: &str,
    schema: &Value,
    properties: &BTreeMap<String, String>,
    now_ms: i64,
) -> Value {
    json!({
        "format-version": 2,
        "table-uuid": table_uuid,
        "location": location,
        "last-sequence-number": 0,
        "last-updated-ms": now_ms,
        "last-column-id": last_column_id(schema),
        "current-schema-id": 0,
        "schemas": [schema],
        "default-spec-id": 0,
        "partition-specs": [{"spec-id": 0, "fields": []}],
        "last-partition-id": 999,
        "default-sort-order-id": 0,
        "sort-orders": [{"order-id": 0, "fields": []}],
        "properties": properties,
        "current-snapshot-id": null,
        "snapshots": [],
        "snapshot-log": [],
        "metadata-log": [],
        "refs": {},
    })
}

/// The Glue type of an Iceberg type (pyiceberg's mapping).
fn glue_type(iceberg: &Value) -> String {
    match iceberg {
        Value::String(t) => match t.as_str() {
            "boolean" => "boolean".to_owned(),
            "int" => "int".to_owned(),
            "long" => "bigint".to_owned(),
            "float" => "float".to_owned(),
            "double" => "double".to_owned(),
            "date" => "date".to_owned(),
            "time" | "string" | "uuid" => "string".to_owned(),
            "timestamp" | "timestamptz" | "timestamp_ns" | "timestamptz_ns" => {
                "timestamp".to_owned()
            }
            "binary" => "binary".to_owned(),
            t if t.starts_with("fixed[") => "binary".to_owned(),
            t if t.starts_with("decimal(") => t.replace(' ', ""),
            other => other.to_owned(),
        },
        Value::Object(map) => match map.get("type").and_then(Value::as_str) {
            Some("struct") => {
                let fields = map
                    .get("fields")
                    .and_then(Value::as_array)
                    .map(|fields| {
                        fields
                            .iter()
                            .map(|f| {
                                format!(
                                    "{}:{}",
                                    f.get("name").and_then(Value::as_str).unwrap_or_default(),
                                    glue_type(f.get("type").unwrap_or(&Value::Null))
                                )
                            })
                            .collect::<Vec<_>>()
                            .join(",")
                    })
                    .unwrap_or_default();
                format!("struct<{fields}>")
            }
            Some("list") => format!(
                "array<{}>",
                glue_type(map.get("element").unwrap_or(&Value::Null))
            ),
            Some("map") => format!(
                "map<{},{}>",
                glue_type(map.get("key").unwrap_or(&Value::Null)),
                glue_type(map.get("value").unwrap_or(&Value::Null))
            ),
            _ => "string".to_owned(),
        },
        _ => "string".to_owned(),
    }
}

/// The Glue columns of a schema's top-level fields, with Iceberg's field parameters.
pub(crate) fn glue_columns(schema: &Value) -> Vec<Value> {
    schema
        .get("fields")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .map(|field| {
            let required = field
                .get("required")
                .and_then(Value::as_bool)
                .unwrap_or(false);
            let mut column = Map::new();
            column.insert("Name".to_owned(), field["name"].clone());
            column.insert(
                "Type".to_owned(),
                json!(glue_type(field.get("type").unwrap_or(&Value::Null))),
            );
            column.insert(
                "Parameters".to_owned(),
                json!({
                    "iceberg.field.id": field.get("id").map(Value::to_string).unwrap_or_default(),
                    "iceberg.field.optional": (!required).to_string(),
                    "iceberg.field.current": "true",
                }),
            );
            if let Some(doc) = field.get("doc").and_then(Value::as_str) {
                column.insert("Comment".to_owned(), json!(doc));
            }
            Value::Object(column)
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Value {
        json!({"fields": [
            {"id": 1, "name": "id", "required": true, "type": "long"},
            {"id": 2, "name": "price", "required": false, "type": "decimal(10, 2)", "doc": "EUR"},
            {"id": 3, "name": "tags", "required": false, "type": {"type": "list", "element-id": 5, "element": "string", "element-required": false}},
            {"id": 4, "name": "attrs", "required": false, "type": {"type": "map", "key-id": 6, "key": "string", "value-id": 7, "value": {"type": "struct", "fields": [{"id": 8, "name": "at", "required": false, "type": "timestamptz"}]}, "value-required": false}}
        ]})
    }

    #[test]
    fn columns_and_ids_follow_pyiceberg() {
        let schema = table_schema(&schema()).unwrap_or_default();
        assert_eq!(schema["schema-id"], 0);
        assert_eq!(last_column_id(&schema), 8);
        let columns = glue_columns(&schema);
        let types: Vec<&str> = columns.iter().filter_map(|c| c["Type"].as_str()).collect();
        assert_eq!(
            types,
            [
                "bigint",
                "decimal(10,2)",
                "array<string>",
                "map<string,struct<at:timestamp>>"
            ]
        );
        assert_eq!(columns[0]["Parameters"]["iceberg.field.optional"], "false");
        assert_eq!(columns[1]["Comment"], "EUR");
    }

    #[test]
    fn a_schema_without_fields_is_refused_with_an_example() {
        let err = table_schema(&json!({"type": "struct"}))
            .err()
            .map(|e| e.to_string())
            .unwrap_or_default();
        assert!(
            err.contains("no `fields`") && err.contains("\"required\""),
            "{err}"
        );
    }
}
