//! Roles and their rules.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::validation::{DNS_LABEL, FieldError, Validate, join, pattern};

/// The text of a rule with a `*`.
pub const WILDCARD_FORBIDDEN: &str = "Wildcard permissions (*) are forbidden per FR-070";

fn core_group() -> Vec<String> {
    vec![String::new()]
}

/// One rule of a role. A `*` in `api_groups`, `resources` or `verbs` is refused, at
/// that list (`rules.0.verbs`), once a list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleRule {
    /// API groups (`[""]`, the core group).
    #[serde(default = "core_group")]
    pub api_groups: Vec<String>,
    /// Resources (at least one).
    pub resources: Vec<String>,
    /// Verbs (at least one).
    pub verbs: Vec<String>,
    /// Named resources only, if set.
    #[serde(default)]
    pub resource_names: Option<Vec<String>>,
}

impl RoleRule {
    /// A rule on the core group.
    pub fn new(resources: &[&str], verbs: &[&str]) -> Self {
        let own = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect();
        RoleRule {
            api_groups: core_group(),
            resources: own(resources),
            verbs: own(verbs),
            resource_names: None,
        }
    }

    /// The rule as a manifest entry; `resourceNames` only when non-empty.
    pub fn to_manifest(&self) -> Value {
        let mut rule = Map::new();
        rule.insert("apiGroups".into(), json!(self.api_groups));
        rule.insert("resources".into(), json!(self.resources));
        rule.insert("verbs".into(), json!(self.verbs));
        if let Some(names) = self.resource_names.as_ref().filter(|n| !n.is_empty()) {
            rule.insert("resourceNames".into(), json!(names));
        }
        Value::Object(rule)
    }
}

impl Validate for RoleRule {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        for (field, list) in [("resources", &self.resources), ("verbs", &self.verbs)] {
            if list.is_empty() {
                errors.push(FieldError::new(
                    join(path, field),
                    "List should have at least 1 item",
                ));
            }
        }
        // Reported at the list it is in, once a list, as floe's field validator does.
        let lists = [
            ("api_groups", &self.api_groups),
            ("resources", &self.resources),
            ("verbs", &self.verbs),
        ];
        for (field, list) in lists {
            if list.iter().any(|v| v == "*") {
                errors.push(FieldError::new(join(path, field), WILDCARD_FORBIDDEN));
            }
        }
    }
}

/// A namespaced role.
///
/// ```
/// use floe_interfaces::rbac::{RoleConfig, RoleRule};
/// let role = RoleConfig::new("floe-reader-role", "floe-jobs", vec![RoleRule::new(&["secrets"], &["get"])]);
/// assert_eq!(role.to_manifest()["rules"][0]["apiGroups"], serde_json::json!([""]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct RoleConfig {
    /// `floe-...-role`.
    pub name: String,
    /// A DNS label.
    pub namespace: String,
    /// The rules (at least one).
    pub rules: Vec<RoleRule>,
    /// Labels (managed by floe).
    #[serde(default = "super::managed_by_floe")]
    pub labels: BTreeMap<String, String>,
}

impl RoleConfig {
    /// A role with the default labels.
    pub fn new(
        name: impl Into<String>,
        namespace: impl Into<String>,
        rules: Vec<RoleRule>,
    ) -> Self {
        RoleConfig {
            name: name.into(),
            namespace: namespace.into(),
            rules,
            labels: super::managed_by_floe(),
        }
    }

    /// The Role manifest.
    pub fn to_manifest(&self) -> Value {
        json!({
            "apiVersion": "rbac.authorization.k8s.io/v1",
            "kind": "Role",
            "metadata": {"name": self.name, "namespace": self.namespace, "labels": self.labels},
            "rules": self.rules.iter().map(RoleRule::to_manifest).collect::<Vec<_>>(),
        })
    }
}

impl Validate for RoleConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        pattern(errors, path, "name", &self.name, "^floe-[a-z0-9-]+-role$");
        pattern(errors, path, "namespace", &self.namespace, DNS_LABEL);
        if self.rules.is_empty() {
            errors.push(FieldError::new(
                join(path, "rules"),
                "List should have at least 1 item",
            ));
        }
        for (i, rule) in self.rules.iter().enumerate() {
            rule.check(&join(path, &format!("rules.{i}")), errors);
        }
    }
}
