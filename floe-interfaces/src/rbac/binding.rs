//! Role bindings.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::python;
use crate::validation::{DNS_LABEL, FieldError, Validate, join, pattern};

fn service_account() -> String {
    "ServiceAccount".to_owned()
}

/// Who a binding grants the role to: a service account.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBindingSubject {
    /// Always `ServiceAccount`.
    #[serde(default = "service_account")]
    pub kind: String,
    /// The service account.
    pub name: String,
    /// Its namespace.
    pub namespace: String,
}

impl RoleBindingSubject {
    /// A service account subject.
    pub fn new(name: impl Into<String>, namespace: impl Into<String>) -> Self {
        RoleBindingSubject {
            kind: service_account(),
            name: name.into(),
            namespace: namespace.into(),
        }
    }
}

/// A role binding; with `allowed_subject_namespaces`, every subject must come from one
/// of them (the first that does not is reported, once the other fields are valid).
///
/// ```
/// use floe_interfaces::Validate;
/// use floe_interfaces::rbac::{RoleBindingConfig, RoleBindingSubject};
/// let mut b = RoleBindingConfig::new("floe-reader-binding", "floe-jobs",
///     vec![RoleBindingSubject::new("floe-runner", "default")], "floe-reader-role");
/// b.allowed_subject_namespaces = Some(vec!["floe-jobs".into(), "floe-platform".into()]);
/// assert_eq!(b.validate().unwrap_err().messages(),
///     ["Subject 'floe-runner' is from namespace 'default' which is not in allowed namespaces: ['floe-jobs', 'floe-platform']"]);
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleBindingConfig {
    /// `floe-...-binding`.
    pub name: String,
    /// A DNS label.
    pub namespace: String,
    /// The subjects (at least one).
    pub subjects: Vec<RoleBindingSubject>,
    /// The role bound.
    pub role_name: String,
    /// Labels (managed by floe).
    #[serde(default = "super::managed_by_floe")]
    pub labels: BTreeMap<String, String>,
    /// Where subjects may come from, if restricted.
    #[serde(default)]
    pub allowed_subject_namespaces: Option<Vec<String>>,
}

impl RoleBindingConfig {
    /// A binding with the default labels and no namespace restriction.
    pub fn new(
        name: impl Into<String>,
        namespace: impl Into<String>,
        subjects: Vec<RoleBindingSubject>,
        role_name: impl Into<String>,
    ) -> Self {
        RoleBindingConfig {
            name: name.into(),
            namespace: namespace.into(),
            subjects,
            role_name: role_name.into(),
            labels: super::managed_by_floe(),
            allowed_subject_namespaces: None,
        }
    }

    /// The RoleBinding manifest.
    pub fn to_manifest(&self) -> Value {
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "RoleBinding",
            "metadata": {"name": self.name, "namespace": self.namespace, "labels": self.labels},
            "subjects": self.subjects.iter().map(|s| json!({"kind": s.kind, "name": s.name, "namespace": s.namespace})).collect::<Vec<_>>(),
            "roleRef": {"kind": "Role", "name": self.role_name, "apiGroup": "rbac.authorization.k8s.io"},
        })
    }
}

impl Validate for RoleBindingConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        let before = errors.len();
        pattern(
            errors,
            path,
            "name",
            &self.name,
            "^floe-[a-z0-9-]+-binding$",
        );
        pattern(errors, path, "namespace", &self.namespace, DNS_LABEL);
        if self.subjects.is_empty() {
            errors.push(FieldError::new(
                join(path, "subjects"),
                "List should have at least 1 item",
            ));
        }
        for (i, s) in self.subjects.iter().enumerate() {
            if s.kind != "ServiceAccount" {
                errors.push(FieldError::new(
                    join(path, &format!("subjects.{i}.kind")),
                    "Input should be 'ServiceAccount'",
                ));
            }
        }
        // floe's model validator: it runs only when every field is valid, and names the
        // first subject from elsewhere.
        let fields_ok = errors.len() == before;
        if let Some(allowed) = self
            .allowed_subject_namespaces
            .as_ref()
            .filter(|_| fields_ok)
        {
            let mut sorted: Vec<&String> = allowed.iter().collect();
            sorted.sort();
            sorted.dedup();
            let list = sorted
                .iter()
                .map(|n| python::repr(n))
                .collect::<Vec<_>>()
                .join(", ");
            if let Some(s) = self
                .subjects
                .iter()
                .find(|s| !allowed.contains(&s.namespace))
            {
                errors.push(FieldError::new(
                    path,
                    format!(
                        "Subject '{}' is from namespace '{}' which is not in allowed namespaces: [{list}]",
                        s.name, s.namespace
                    ),
                ));
            }
        }
    }
}
