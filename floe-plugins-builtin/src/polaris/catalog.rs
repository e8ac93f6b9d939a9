//! The Iceberg REST operations on a session: namespaces, tables, table loading.

use std::collections::BTreeMap;
use std::sync::Arc;

use floe_registry::{CatalogHandle, PluginError};
use serde_json::{Map, Value, json};

use super::client::{Session, encode_component, encode_namespace};
use super::credentials::redact_table_secrets;
use super::error::{CatalogError, Target};

/// The most pages one listing follows (a guard against a server that loops).
const MAX_PAGES: usize = 10_000;

/// A catalog handle: what `connect` returns.
#[derive(Debug, Clone)]
pub struct PolarisCatalog {
    pub(crate) session: Arc<Session>,
}

impl CatalogHandle for PolarisCatalog {
    fn list_namespaces(&self) -> Result<Vec<String>, PluginError> {
        Ok(list_namespaces(&self.session)?)
    }

    fn list_tables(&self, namespace: &str) -> Result<Vec<String>, PluginError> {
        Ok(list_tables(&self.session, namespace)?)
    }

    /// The LoadTable answer (`metadata-location`, `metadata`, `config`), with secret
    /// storage properties redacted (use `vend_credentials` for those) and `s3.endpoint`
    /// reset to the one given to `connect`.
    fn load_table(&self, identifier: &str) -> Result<Value, PluginError> {
        let mut table = load_table(&self.session, identifier, "load_table")?;
        if let (Some(endpoint), Some(config)) = (
            self.session.s3_endpoint.as_ref(),
            table.get_mut("config").and_then(Value::as_object_mut),
        ) {
            config.insert("s3.endpoint".to_owned(), Value::String(endpoint.clone()));
        }
        redact_table_secrets(&mut table);
        Ok(table)
    }
}

/// Every page of a listing: `field` of each answer, following `next-page-token`.
fn list_paged(
    session: &Session,
    path: &str,
    first_query: Option<String>,
    field: &str,
    target: Target<'_>,
) -> Result<Vec<Value>, CatalogError> {
    let mut items = Vec::new();
    let mut page_token: Option<String> = None;
    for _ in 0..MAX_PAGES {
        let mut query: Vec<String> = first_query.iter().cloned().collect();
        if let Some(t) = &page_token {
            query.push(format!("pageToken={}", encode_component(t)));
        }
        let url = if query.is_empty() {
            session.url(path)
        } else {
            format!("{}?{}", session.url(path), query.join("&"))
        };
        let answer = session.get(&url, target)?;
        if let Some(list) = answer.get(field).and_then(Value::as_array) {
            items.extend(list.iter().cloned());
        }
        match answer.get("next-page-token").and_then(Value::as_str) {
            Some(t) if !t.is_empty() => page_token = Some(t.to_owned()),
            _ => return Ok(items),
        }
    }
    Err(CatalogError::Unexpected {
        operation: target.operation,
        message: format!("more than {MAX_PAGES} pages of {field}"),
    })
}

fn dotted(parts: &Value) -> Option<String> {
    let parts = parts.as_array()?;
    let names: Option<Vec<&str>> = parts.iter().map(Value::as_str).collect();
    Some(names?.join("."))
}

/// The top-level namespaces, dot-joined.
pub(crate) fn list_namespaces(session: &Session) -> Result<Vec<String>, CatalogError> {
    let target = Target {
        operation: "list_namespaces",
        resource: "namespace",
        identifier: "",
    };
    let items = list_paged(session, "namespaces", None, "namespaces", target)?;
    Ok(items.iter().filter_map(dotted).collect())
}

/// The tables of a namespace, as `namespace.table`.
pub(crate) fn list_tables(session: &Session, namespace: &str) -> Result<Vec<String>, CatalogError> {
    let target = Target {
        operation: "list_tables",
        resource: "namespace",
        identifier: namespace,
    };
    let path = format!("namespaces/{}/tables", encode_namespace(namespace));
    let items = list_paged(session, &path, None, "identifiers", target)?;
    Ok(items
        .iter()
        .filter_map(|id| {
            let ns = dotted(id.get("namespace")?)?;
            let name = id.get("name")?.as_str()?;
            Some(if ns.is_empty() {
                name.to_owned()
            } else {
                format!("{ns}.{name}")
            })
        })
        .collect())
}

/// Creates a namespace (`a.b` makes the nested namespace `["a", "b"]`).
pub(crate) fn create_namespace(
    session: &Session,
    namespace: &str,
    properties: &BTreeMap<String, String>,
) -> Result<(), CatalogError> {
    let target = Target {
        operation: "create_namespace",
        resource: "namespace",
        identifier: namespace,
    };
    let parts: Vec<&str> = namespace.split('.').collect();
    if namespace.is_empty() || parts.iter().any(|p| p.is_empty()) {
        return Err(CatalogError::NotSupported {
            operation: "create_namespace",
            catalog: session.uri().to_owned(),
            reason: Some(format!(
                "Invalid request: invalid namespace name '{namespace}'"
            )),
        });
    }
    let props: Map<String, Value> = properties
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    let body = json!({ "namespace": parts, "properties": props });
    session.post(&session.url("namespaces"), &body, target)?;
    Ok(())
}

/// Splits `namespace.table` at its last dot.
pub(crate) fn split_identifier(identifier: &str) -> Result<(&str, &str), CatalogError> {
    match identifier.rsplit_once('.') {
        Some((ns, table)) if !ns.is_empty() && !table.is_empty() => Ok((ns, table)),
        _ => Err(CatalogError::NotFound {
            resource: "identifier",
            identifier: format!(
                "Missing namespace or invalid identifier: {identifier} (expected namespace.table)"
            ),
        }),
    }
}

/// The LoadTable answer of `namespace.table`, unredacted.
pub(crate) fn load_table(
    session: &Session,
    identifier: &str,
    operation: &'static str,
) -> Result<Value, CatalogError> {
    let (namespace, table) = split_identifier(identifier)?;
    let target = Target {
        operation,
        resource: "table",
        identifier,
    };
    let path = format!(
        "namespaces/{}/tables/{}",
        encode_namespace(namespace),
        encode_component(table)
    );
    session.get(&session.url(&path), target)
}
