//! The core/v1 Secret API of one namespace.

use serde_json::Value;

use super::auth::Connection;
use super::error::SecretsError;
use crate::http::{HttpResponse, encode_component};

/// The outcome of a write that may lose a race.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Write {
    /// Done.
    Done,
    /// 409: someone else created or changed the Secret first.
    Conflict,
}

/// The Secret API of one namespace.
#[derive(Debug)]
pub(crate) struct SecretApi {
    conn: Connection,
    namespace: String,
}

impl SecretApi {
    /// The API over `conn` for `namespace`.
    pub(crate) fn new(conn: Connection, namespace: String) -> Self {
        SecretApi { conn, namespace }
    }

    /// The namespace.
    pub(crate) fn namespace(&self) -> &str {
        &self.namespace
    }

    /// The API server URL.
    pub(crate) fn server(&self) -> &str {
        &self.conn.server
    }

    fn collection(&self) -> String {
        format!("/api/v1/namespaces/{}/secrets", self.namespace)
    }

    fn send(
        &self,
        method: &str,
        path: &str,
        body: Option<&Value>,
    ) -> Result<HttpResponse, SecretsError> {
        let unavailable = |reason: String| SecretsError::Unavailable {
            endpoint: Some(self.conn.server.clone()),
            reason: Some(reason),
        };
        let authorization = self.conn.authorization().map_err(unavailable)?;
        let mut headers = vec![("Accept", "application/json")];
        if let Some(a) = &authorization {
            headers.push(("Authorization", a.as_str()));
        }
        let url = format!("{}{path}", self.conn.server);
        self.conn
            .transport
            .send(method, &url, &headers, body)
            .map_err(|e| unavailable(e.to_string()))
    }

    /// The error of a failed answer about the Secret `name` (empty for a listing).
    fn status_error(&self, name: &str, response: &HttpResponse) -> SecretsError {
        let status: Value = serde_json::from_str(&response.body).unwrap_or(Value::Null);
        let message = status
            .get("message")
            .and_then(Value::as_str)
            .map(str::to_owned);
        if response.status == 403 {
            return SecretsError::AccessDenied {
                name: name.to_owned(),
                namespace: self.namespace.clone(),
                reason: message,
            };
        }
        let reason = match message {
            Some(m) => format!("HTTP {}: {m}", response.status),
            None => format!("HTTP {}", response.status),
        };
        SecretsError::Unavailable {
            endpoint: Some(self.conn.server.clone()),
            reason: Some(reason),
        }
    }

    fn json(response: &HttpResponse) -> Result<Value, SecretsError> {
        response.json().map_err(|e| SecretsError::Invalid {
            message: format!("the API server answered with invalid JSON: {e}"),
        })
    }

    /// `GET .../secrets/<name>`; `None` on 404.
    pub(crate) fn get(&self, name: &str) -> Result<Option<Value>, SecretsError> {
        let response = self.send("GET", &format!("{}/{name}", self.collection()), None)?;
        match response.status {
            200 => Self::json(&response).map(Some),
            404 => Ok(None),
            _ => Err(self.status_error(name, &response)),
        }
    }

    /// `POST .../secrets`.
    pub(crate) fn create(&self, name: &str, secret: &Value) -> Result<Write, SecretsError> {
        let response = self.send("POST", &self.collection(), Some(secret))?;
        match response.status {
            200..=299 => Ok(Write::Done),
            409 => Ok(Write::Conflict),
            _ => Err(self.status_error(name, &response)),
        }
    }

    /// `PUT .../secrets/<name>` with the object as read (its `resourceVersion` makes a
    /// concurrent change a 409 instead of a lost update).
    pub(crate) fn replace(&self, name: &str, secret: &Value) -> Result<Write, SecretsError> {
        let response = self.send(
            "PUT",
            &format!("{}/{name}", self.collection()),
            Some(secret),
        )?;
        match response.status {
            200..=299 => Ok(Write::Done),
            409 => Ok(Write::Conflict),
            _ => Err(self.status_error(name, &response)),
        }
    }

    /// `GET .../secrets?labelSelector=...[&limit=...]`: the items.
    pub(crate) fn list(
        &self,
        selector: &str,
        limit: Option<u32>,
    ) -> Result<Vec<Value>, SecretsError> {
        let mut query = Vec::new();
        if !selector.is_empty() {
            query.push(format!("labelSelector={}", encode_component(selector)));
        }
        if let Some(l) = limit {
            query.push(format!("limit={l}"));
        }
        let path = if query.is_empty() {
            self.collection()
        } else {
            format!("{}?{}", self.collection(), query.join("&"))
        };
        let response = self.send("GET", &path, None)?;
        if response.status != 200 {
            return Err(self.status_error("", &response));
        }
        let list = Self::json(&response)?;
        Ok(list
            .get("items")
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default())
    }
}
