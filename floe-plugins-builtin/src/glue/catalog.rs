//! The catalog operations on a connected session, as pyiceberg's Glue catalog does
//! them: one Glue database per namespace (no nesting), Iceberg tables as Glue tables
//! with `table_type=ICEBERG` and `metadata_location`, the metadata file written to
//! S3 with the same credentials.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{SystemTime, UNIX_EPOCH};

use floe_registry::{CatalogHandle, FileIo, PluginError};
use serde_json::{Map, Value, json};

use super::GlueCatalogConfig;
use super::client::{GlueClient, GlueError};
use super::metadata::{glue_columns, new_table_metadata, table_schema};
use crate::aws::{S3FileIo, S3Location};

/// The most pages one listing follows (a guard against a server that loops).
const MAX_PAGES: usize = 10_000;

/// A connection: the Glue client and the catalog properties `connect` was given.
#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) client: GlueClient,
    pub(crate) config: Arc<GlueCatalogConfig>,
    /// The pyiceberg catalog properties: the plugin's, plus those given to `connect`
    /// (`s3.endpoint`, `s3.region`, `s3.path-style-access` are used for the table
    /// files).
    pub(crate) properties: Map<String, Value>,
    /// What to say when Glue or S3 refuses the credentials.
    pub(crate) credential_hint: String,
}

/// A catalog handle: what `connect` returns.
#[derive(Debug, Clone)]
pub struct GlueCatalog {
    pub(crate) session: Arc<Session>,
}

impl CatalogHandle for GlueCatalog {
    fn list_namespaces(&self) -> Result<Vec<String>, PluginError> {
        self.session.list_namespaces(None)
    }

    fn list_tables(&self, namespace: &str) -> Result<Vec<String>, PluginError> {
        self.session.list_tables(namespace)
    }

    /// `{"metadata-location", "metadata", "config": {}}`: the table's current
    /// metadata file, read from S3.
    fn load_table(&self, identifier: &str) -> Result<Value, PluginError> {
        self.session.load_table(identifier)
    }
}

/// The database of a one-level namespace.
fn database(namespace: &str) -> Result<&str, PluginError> {
    if namespace.is_empty() || namespace.contains('.') {
        return Err(PluginError::failed(format!(
            "Invalid database, hierarchical namespaces are not supported: {namespace} \
             (a Glue namespace is one database name, without '.')"
        )));
    }
    Ok(namespace)
}

/// The database and table of `database.table`.
fn database_and_table(identifier: &str) -> Result<(&str, &str), PluginError> {
    match identifier.split_once('.') {
        Some((db, table)) if !db.is_empty() && !table.is_empty() && !table.contains('.') => {
            Ok((db, table))
        }
        _ => Err(PluginError::failed(format!(
            "Invalid path, hierarchical namespaces are not supported: {identifier} \
             (expected database.table)"
        ))),
    }
}

/// The bucket of an `s3://bucket/...` URI.
fn bucket_of(uri: &str) -> Result<&str, PluginError> {
    uri.strip_prefix("s3://")
        .and_then(|rest| rest.split('/').next())
        .filter(|b| !b.is_empty())
        .ok_or_else(|| {
            PluginError::failed(format!(
                "table location '{uri}' is not an s3:// URI: Glue tables live in S3"
            ))
        })
}

impl Session {
    fn call(&self, action: &str, body: Value) -> Result<Value, GlueError> {
        self.client.call(action, body)
    }

    fn refused(&self, action: &str, error: GlueError) -> PluginError {
        error.into_plugin_error(action, &self.credential_hint)
    }

    /// The S3 objects of the bucket of `uri`, on the `s3.*` endpoint of the
    /// properties (else AWS's), signed with the Glue credentials.
    fn files(&self, uri: &str) -> Result<S3FileIo, PluginError> {
        let text = |key: &str| self.properties.get(key).and_then(Value::as_str);
        let region = text("s3.region").unwrap_or(&self.config.region);
        let endpoint = text("s3.endpoint")
            .map(str::to_owned)
            .unwrap_or_else(|| format!("https://s3.{region}.amazonaws.com"));
        let path_style = match self.properties.get("s3.path-style-access") {
            Some(Value::Bool(b)) => *b,
            Some(Value::String(s)) => s.eq_ignore_ascii_case("true"),
            _ => false,
        };
        Ok(S3FileIo::new(
            &S3Location {
                endpoint: &endpoint,
                bucket: bucket_of(uri)?,
                region,
                path_style,
            },
            Some(self.client.credentials().clone()),
        )?
        .with_credential_hint(self.credential_hint.clone()))
    }

    /// Every page of a listing: the `field` of each answer, following `NextToken`.
    fn list_paged(&self, action: &str, body: Value, field: &str) -> Result<Vec<Value>, GlueError> {
        let mut items = Vec::new();
        let mut next: Option<String> = None;
        for _ in 0..MAX_PAGES {
            let mut request = body.clone();
            if let Some(token) = &next {
                request["NextToken"] = json!(token);
            }
            let answer = self.call(action, request)?;
            if let Some(list) = answer.get(field).and_then(Value::as_array) {
                items.extend(list.iter().cloned());
            }
            match answer.get("NextToken").and_then(Value::as_str) {
                Some(t) if !t.is_empty() => next = Some(t.to_owned()),
                _ => return Ok(items),
            }
        }
        Ok(items)
    }

    /// Creates the database `namespace`: `Description` and `location` of
    /// `properties` become the database's description and location URI, the others
    /// its parameters.
    pub(crate) fn create_namespace(
        &self,
        namespace: &str,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let name = database(namespace)?;
        let mut input = json!({"Name": name});
        let mut parameters = Map::new();
        for (key, value) in properties {
            match key.as_str() {
                "Description" => input["Description"] = json!(value),
                "location" => input["LocationUri"] = json!(value),
                _ => {
                    parameters.insert(key.clone(), json!(value));
                }
            }
        }
        input["Parameters"] = Value::Object(parameters);
        match self.call("CreateDatabase", json!({"DatabaseInput": input})) {
            Ok(_) => Ok(()),
            Err(e) if e.code() == "AlreadyExistsException" => Err(PluginError::failed(format!(
                "Database {name} already exists"
            ))),
            Err(e) => Err(self.refused("create_namespace", e)),
        }
    }

    /// The databases; none under a `parent` (Glue has no nested namespaces).
    pub(crate) fn list_namespaces(&self, parent: Option<&str>) -> Result<Vec<String>, PluginError> {
        if parent.is_some_and(|p| !p.is_empty()) {
            return Ok(Vec::new());
        }
        let databases = self
            .list_paged("GetDatabases", json!({}), "DatabaseList")
            .map_err(|e| self.refused("list_namespaces", e))?;
        Ok(databases
            .iter()
            .filter_map(|d| d.get("Name").and_then(Value::as_str).map(str::to_owned))
            .collect())
    }

    /// Deletes an empty database.
    pub(crate) fn delete_namespace(&self, namespace: &str) -> Result<(), PluginError> {
        let name = database(namespace)?;
        let tables = match self.call("GetTables", json!({"DatabaseName": name})) {
            Ok(answer) => answer
                .get("TableList")
                .and_then(Value::as_array)
                .cloned()
                .unwrap_or_default(),
            Err(e) if e.code() == "EntityNotFoundException" => {
                return Err(PluginError::failed(format!(
                    "Database does not exist: {name}"
                )));
            }
            Err(e) => return Err(self.refused("delete_namespace", e)),
        };
        if let Some(first) = tables.first() {
            let kind = if is_iceberg(first) {
                "Iceberg"
            } else {
                "non-Iceberg"
            };
            return Err(PluginError::failed(format!(
                "Cannot drop namespace {name} because it still contains {kind} tables: drop \
                 them first"
            )));
        }
        self.call("DeleteDatabase", json!({"Name": name}))
            .map(|_| ())
            .map_err(|e| self.refused("delete_namespace", e))
    }

    /// The Iceberg tables of a database, as `database.table`.
    pub(crate) fn list_tables(&self, namespace: &str) -> Result<Vec<String>, PluginError> {
        let name = database(namespace)?;
        let tables = match self.list_paged("GetTables", json!({"DatabaseName": name}), "TableList")
        {
            Ok(tables) => tables,
            Err(e) if e.code() == "EntityNotFoundException" => {
                return Err(PluginError::failed(format!(
                    "Database does not exist: {name}"
                )));
            }
            Err(e) => return Err(self.refused("list_tables", e)),
        };
        Ok(tables
            .iter()
            .filter(|t| is_iceberg(t))
            .filter_map(|t| t.get("Name").and_then(Value::as_str))
            .map(|t| format!("{name}.{t}"))
            .collect())
    }

    /// The Glue table of `database.table`.
    fn get_table(&self, db: &str, table: &str, action: &str) -> Result<Value, PluginError> {
        match self.call("GetTable", json!({"DatabaseName": db, "Name": table})) {
            Ok(answer) => Ok(answer.get("Table").cloned().unwrap_or(Value::Null)),
            Err(e) if e.code() == "EntityNotFoundException" => Err(PluginError::failed(format!(
                "Table does not exist: {db}.{table}"
            ))),
            Err(e) => Err(self.refused(action, e)),
        }
    }

    /// Where a new table goes when no location is given: the database's location
    /// URI + `/<table>`, else the warehouse + `<database>.db/<table>`.
    fn default_location(&self, db: &str, table: &str) -> Result<String, PluginError> {
        let answer = match self.call("GetDatabase", json!({"Name": db})) {
            Ok(answer) => answer,
            Err(e) if e.code() == "EntityNotFoundException" => {
                return Err(PluginError::failed(format!(
                    "Database does not exist: {db}"
                )));
            }
            Err(e) => return Err(self.refused("create_table", e)),
        };
        if let Some(uri) = answer
            .pointer("/Database/LocationUri")
            .and_then(Value::as_str)
            .filter(|u| !u.is_empty())
        {
            return Ok(format!("{}/{table}", uri.trim_end_matches('/')));
        }
        let warehouse = self
            .properties
            .get("warehouse")
            .and_then(Value::as_str)
            .map(str::to_owned)
            .or_else(|| self.config.warehouse.clone());
        match warehouse {
            Some(w) => Ok(format!("{}/{db}.db/{table}", w.trim_end_matches('/'))),
            None => Err(PluginError::failed(
                "No default path is set, please specify a location when creating a table \
                 (or set the glue plugin's `warehouse`, or a `location` on the namespace)",
            )),
        }
    }

    /// Writes the table's first metadata file, then creates the Glue table pointing
    /// at it (the file is removed again when Glue refuses).
    pub(crate) fn create_table(
        &self,
        identifier: &str,
        schema: &Value,
        location: Option<&str>,
        properties: &BTreeMap<String, String>,
    ) -> Result<(), PluginError> {
        let (db, table) = database_and_table(identifier)?;
        let schema = table_schema(schema)?;
        let location = match location {
            Some(l) => l.trim_end_matches('/').to_owned(),
            None => self.default_location(db, table)?,
        };
        let files = self.files(&location)?;
        let table_uuid = uuid::Uuid::new_v4().to_string();
        let now_ms = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX));
        let metadata = new_table_metadata(&table_uuid, &location, &schema, properties, now_ms);
        let metadata_location = format!(
            "{location}/metadata/00000-{}.metadata.json",
            uuid::Uuid::new_v4()
        );
        files.write(&metadata_location, metadata.to_string().as_bytes())?;
        let mut parameters = Map::new();
        parameters.insert("table_type".to_owned(), json!("ICEBERG"));
        parameters.insert("metadata_location".to_owned(), json!(metadata_location));
        for (key, value) in properties {
            parameters.insert(key.clone(), json!(value));
        }
        let mut input = json!({
            "Name": table,
            "TableType": "EXTERNAL_TABLE",
            "Parameters": parameters,
            "StorageDescriptor": {"Columns": glue_columns(&schema), "Location": location},
        });
        if let Some(description) = properties.get("Description") {
            input["Description"] = json!(description);
        }
        let created = self.call(
            "CreateTable",
            json!({"DatabaseName": db, "TableInput": input}),
        );
        if created.is_err() && files.delete(&metadata_location).is_err() {
            tracing::warn!(metadata_location, "glue_create_table_cleanup_failed");
        }
        match created {
            Ok(_) => Ok(()),
            Err(e) if e.code() == "AlreadyExistsException" => Err(PluginError::failed(format!(
                "Table {db}.{table} already exists"
            ))),
            Err(e) if e.code() == "EntityNotFoundException" => Err(PluginError::failed(format!(
                "Database {db} does not exist: create the namespace first"
            ))),
            Err(e) => Err(self.refused("create_table", e)),
        }
    }

    /// Deletes the Glue table; `purge` also deletes every object under its location.
    pub(crate) fn drop_table(&self, identifier: &str, purge: bool) -> Result<(), PluginError> {
        let (db, table) = database_and_table(identifier)?;
        let location = if purge {
            let glue_table = self.get_table(db, table, "drop_table")?;
            glue_table
                .pointer("/StorageDescriptor/Location")
                .and_then(Value::as_str)
                .map(|l| l.trim_end_matches('/').to_owned())
        } else {
            None
        };
        match self.call("DeleteTable", json!({"DatabaseName": db, "Name": table})) {
            Ok(_) => {}
            Err(e) if e.code() == "EntityNotFoundException" => {
                return Err(PluginError::failed(format!(
                    "Table does not exist: {db}.{table}"
                )));
            }
            Err(e) => return Err(self.refused("drop_table", e)),
        }
        if let Some(location) = location {
            let files = self.files(&location)?;
            let bucket = bucket_of(&location)?;
            let prefix = location
                .strip_prefix(&format!("s3://{bucket}/"))
                .unwrap_or_default();
            for key in files.list(&format!("{prefix}/"))? {
                files.delete(&key)?;
            }
        }
        Ok(())
    }

    /// The table's current metadata, read from S3.
    pub(crate) fn load_table(&self, identifier: &str) -> Result<Value, PluginError> {
        let (db, table) = database_and_table(identifier)?;
        let glue_table = self.get_table(db, table, "load_table")?;
        if !is_iceberg(&glue_table) {
            return Err(PluginError::failed(format!(
                "{db}.{table} is not an Iceberg table (its Glue parameter table_type is not \
                 ICEBERG)"
            )));
        }
        let metadata_location = glue_table
            .pointer("/Parameters/metadata_location")
            .and_then(Value::as_str)
            .ok_or_else(|| {
                PluginError::failed(format!(
                    "Iceberg table {db}.{table} has no metadata_location parameter in Glue"
                ))
            })?;
        let bytes = self.files(metadata_location)?.read(metadata_location)?;
        let metadata: Value = serde_json::from_slice(&bytes).map_err(|e| {
            PluginError::failed(format!(
                "the metadata file {metadata_location} of {db}.{table} is not JSON: {e}"
            ))
        })?;
        Ok(json!({
            "metadata-location": metadata_location,
            "metadata": metadata,
            "config": {},
        }))
    }
}

/// Whether a Glue table is an Iceberg table (`table_type` is `ICEBERG`, any case).
fn is_iceberg(table: &Value) -> bool {
    table
        .pointer("/Parameters/table_type")
        .and_then(Value::as_str)
        .is_some_and(|t| t.eq_ignore_ascii_case("iceberg"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn identifiers_are_one_level() {
        assert_eq!(database_and_table("db.t").ok(), Some(("db", "t")));
        for bad in ["t", "a.b.c", ".t", "db."] {
            assert!(database_and_table(bad).is_err(), "{bad}");
        }
        assert!(database("a.b").is_err());
        assert_eq!(bucket_of("s3://lake/wh/t").ok(), Some("lake"));
        assert!(bucket_of("file:///tmp/t").is_err());
    }
}
