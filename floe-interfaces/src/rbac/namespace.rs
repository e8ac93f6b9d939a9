//! Namespaces with Pod Security Standards labels.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::validation::{FieldError, Validate, join, pattern};

/// A Pod Security Standards level.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "lowercase")]
pub enum PssLevel {
    /// No restriction.
    Privileged,
    /// Known escalations prevented.
    Baseline,
    /// Hardened (the default).
    #[default]
    Restricted,
}

impl PssLevel {
    /// The lower-case name.
    pub const fn as_str(self) -> &'static str {
        match self {
            PssLevel::Privileged => "privileged",
            PssLevel::Baseline => "baseline",
            PssLevel::Restricted => "restricted",
        }
    }
}

/// A floe namespace of layer 3 or 4.
///
/// ```
/// use floe_interfaces::rbac::NamespaceConfig;
/// let ns = NamespaceConfig::new("floe-jobs", "4");
/// let labels = &ns.to_manifest()["metadata"]["labels"];
/// assert_eq!(labels["pod-security.kubernetes.io/enforce"], "restricted");
/// assert_eq!(labels["floe.dev/layer"], "4");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct NamespaceConfig {
    /// `floe-...`.
    pub name: String,
    /// `"3"` or `"4"`.
    pub layer: String,
    /// Enforced level.
    #[serde(default)]
    pub pss_enforce: PssLevel,
    /// Audited level.
    #[serde(default)]
    pub pss_audit: PssLevel,
    /// Warned level.
    #[serde(default)]
    pub pss_warn: PssLevel,
    /// Extra labels (may override floe's).
    #[serde(default)]
    pub labels: BTreeMap<String, String>,
}

impl NamespaceConfig {
    /// A restricted namespace of `layer`.
    pub fn new(name: impl Into<String>, layer: impl Into<String>) -> Self {
        NamespaceConfig {
            name: name.into(),
            layer: layer.into(),
            pss_enforce: PssLevel::Restricted,
            pss_audit: PssLevel::Restricted,
            pss_warn: PssLevel::Restricted,
            labels: BTreeMap::new(),
        }
    }

    /// The Namespace manifest; labels in floe's order, then the extra ones.
    pub fn to_manifest(&self) -> Value {
        let mut labels = Map::new();
        let mut put = |k: &str, v: &str| {
            labels.insert(k.to_owned(), Value::String(v.to_owned()));
        };
        put("app.kubernetes.io/part-of", "floe");
        put("app.kubernetes.io/managed-by", "floe");
        put("floe.dev/layer", &self.layer);
        put(
            "pod-security.kubernetes.io/enforce",
            self.pss_enforce.as_str(),
        );
        put("pod-security.kubernetes.io/audit", self.pss_audit.as_str());
        put("pod-security.kubernetes.io/warn", self.pss_warn.as_str());
        for (k, v) in &self.labels {
            put(k, v);
        }
        json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": self.name, "labels": labels}})
    }
}

impl Validate for NamespaceConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        pattern(errors, path, "name", &self.name, "^floe-[a-z0-9-]+$");
        if self.layer != "3" && self.layer != "4" {
            errors.push(FieldError::new(
                join(path, "layer"),
                "Input should be '3' or '4'",
            ));
        }
    }
}
