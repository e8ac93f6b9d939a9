//! Checking that the Dagster webserver answers GraphQL.

use std::time::Duration;

use floe_registry::ValidationResult;
use serde_json::json;

use crate::http::{HttpClient, HttpError};

/// Seconds the way Python prints a float: `10.0`, `0.5`.
pub fn py_seconds(seconds: f64) -> String {
    if seconds.fract() == 0.0 && seconds.is_finite() {
        format!("{seconds:.1}")
    } else {
        format!("{seconds}")
    }
}

fn failure(message: String, error: String) -> ValidationResult {
    ValidationResult {
        success: false,
        message,
        errors: vec![error],
        warnings: Vec::new(),
    }
}

/// `POST <url>/graphql` with `{"query": "{ __typename }"}` within `timeout_seconds`.
pub fn validate(url: &str, timeout_seconds: f64) -> ValidationResult {
    let endpoint = format!("{}/graphql", url.trim_end_matches('/'));
    let timeout = Duration::try_from_secs_f64(timeout_seconds).unwrap_or(Duration::from_secs(10));
    let client = HttpClient::with_timeout(timeout);
    let shown = crate::http::redact_url(&endpoint);
    match client.post_json(&endpoint, &[], &json!({ "query": "{ __typename }" })) {
        Ok(response) if response.status == 200 => {
            let mut warnings = Vec::new();
            let graphql = response
                .json()
                .ok()
                .is_some_and(|v| v.get("data").is_some());
            if !graphql {
                warnings.push(format!(
                    "{shown} answered 200 without a GraphQL 'data' object; is it a Dagster webserver?"
                ));
            }
            ValidationResult {
                success: true,
                message: "Successfully connected to Dagster service".to_owned(),
                errors: Vec::new(),
                warnings,
            }
        }
        Ok(response) => failure(
            format!("Dagster service returned status {}", response.status),
            format!(
                "HTTP {} from {shown}. Ensure Dagster webserver is running and accessible.",
                response.status
            ),
        ),
        Err(HttpError::Timeout { .. }) => failure(
            format!(
                "Connection to Dagster timed out after {}s",
                py_seconds(timeout_seconds)
            ),
            format!(
                "Timeout connecting to {shown}. Check network connectivity and ensure Dagster is running."
            ),
        ),
        Err(HttpError::Unreachable { reason, .. }) => failure(
            "Failed to connect to Dagster service".to_owned(),
            format!(
                "Connection error: {reason}. Ensure Dagster webserver is running at {}.",
                crate::http::redact_url(url)
            ),
        ),
        Err(other) => failure(
            "Unexpected error connecting to Dagster".to_owned(),
            other.to_string(),
        ),
    }
}
