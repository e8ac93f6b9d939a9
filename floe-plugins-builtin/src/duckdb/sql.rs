//! SQL that attaches an Iceberg REST catalog to DuckDB, and the Cube datasource.

use floe_registry::{CatalogConfig, PluginError};
use serde_json::{Value, json};

/// A SQL string literal: quoted, with `'` doubled.
fn literal(value: &str) -> String {
    format!("'{}'", value.replace('\'', "''"))
}

fn is_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

fn is_warehouse(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '/' | ':' | '.' | ' '))
}

/// `INSTALL iceberg;`, `LOAD iceberg;` and the `ATTACH ... (TYPE ICEBERG, ...)`
/// statement of a catalog. Credentials `client_id` / `client_secret` go into the
/// statement (that is its purpose); no error message contains them.
pub fn catalog_attachment_sql(catalog: &CatalogConfig) -> Result<Vec<String>, PluginError> {
    let name = &catalog.catalog_name;
    if !is_identifier(name) {
        return Err(PluginError::failed(format!(
            "Invalid catalog_name: '{name}'. Must contain only alphanumeric characters and underscores, and must start with a letter or underscore."
        )));
    }
    let mut options = vec!["TYPE ICEBERG".to_owned()];
    let uri = &catalog.catalog_uri;
    if !uri.is_empty() {
        let scheme = uri
            .split_once("://")
            .map(|(s, _)| s.to_ascii_lowercase())
            .unwrap_or_default();
        if scheme != "http" && scheme != "https" {
            return Err(PluginError::failed(format!(
                "Invalid catalog URI scheme: '{scheme}'. Allowed schemes: http, https"
            )));
        }
        options.push(format!("ENDPOINT {}", literal(uri)));
    }
    if let Some(warehouse) = catalog.warehouse.as_deref().filter(|w| !w.is_empty()) {
        if !is_warehouse(warehouse) {
            return Err(PluginError::failed(format!(
                "Invalid warehouse: '{warehouse}'. Must contain only alphanumeric characters, underscores, hyphens, slashes, dots, and colons."
            )));
        }
        options.push(format!("WAREHOUSE {}", literal(warehouse)));
    }
    if let Some(id) = catalog.credentials.get("client_id") {
        options.push(format!("CLIENT_ID {}", literal(id.expose())));
    }
    if let Some(secret) = catalog.credentials.get("client_secret") {
        options.push(format!("CLIENT_SECRET {}", literal(secret.expose())));
    }
    Ok(vec![
        "INSTALL iceberg;".to_owned(),
        "LOAD iceberg;".to_owned(),
        format!(
            "ATTACH {} AS {name} ({});",
            literal(name),
            options.join(", ")
        ),
    ])
}

/// The Cube datasource of a DuckDB database: `{"type": "duckdb", "database_path"}`,
/// plus `init_sql` (the attachment statements joined by a space) for a catalog.
pub fn cube_datasource(
    catalog: Option<&CatalogConfig>,
    database_path: &str,
) -> Result<Value, PluginError> {
    let mut out = json!({ "type": "duckdb", "database_path": database_path });
    if let Some(catalog) = catalog {
        out["init_sql"] = json!(catalog_attachment_sql(catalog)?.join(" "));
    }
    Ok(out)
}
