//! Namespaces with Pod Security Standards labels.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::ser::SerializeMap;
use serde::{Deserialize, Serialize, Serializer};
use serde_json::Value;

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

    /// The Namespace manifest, keys and labels in floe's order: `apiVersion`, `kind`,
    /// `metadata` (`name`, `labels`); the labels `app.kubernetes.io/part-of`,
    /// `app.kubernetes.io/managed-by`, `floe.dev/layer`, then
    /// `pod-security.kubernetes.io/` `enforce`, `audit` and `warn`, then the extra
    /// labels (in name order: `labels` is a sorted map). An extra label with the name of one of floe's replaces its value in
    /// place. Serialise it (JSON, YAML) to write the manifest in that order.
    ///
    /// ```
    /// use floe_interfaces::rbac::NamespaceConfig;
    /// let json = serde_json::to_string(&NamespaceConfig::new("floe-jobs", "4").manifest()).unwrap();
    /// assert!(json.starts_with(r#"{"apiVersion":"v1","kind":"Namespace","metadata":{"name":"floe-jobs","labels":{"app.kubernetes.io/part-of":"floe""#));
    /// ```
    pub fn manifest(&self) -> NamespaceManifest {
        let mut labels = OrderedLabels::default();
        labels.insert("app.kubernetes.io/part-of", "floe");
        labels.insert("app.kubernetes.io/managed-by", "floe");
        labels.insert("floe.dev/layer", &self.layer);
        labels.insert(
            "pod-security.kubernetes.io/enforce",
            self.pss_enforce.as_str(),
        );
        labels.insert("pod-security.kubernetes.io/audit", self.pss_audit.as_str());
        labels.insert("pod-security.kubernetes.io/warn", self.pss_warn.as_str());
        for (k, v) in &self.labels {
            labels.insert(k, v);
        }
        NamespaceManifest {
            api_version: "v1",
            kind: "Namespace",
            metadata: NamespaceMetadata {
                name: self.name.clone(),
                labels,
            },
        }
    }

    /// [`Self::manifest`] as a JSON value. A `serde_json::Value` keeps its object keys
    /// sorted (serde_json's `preserve_order` feature is off in this workspace), so the
    /// value has the same content but not floe's order; write [`Self::manifest`] where
    /// the order shows.
    pub fn to_manifest(&self) -> Value {
        serde_json::to_value(self.manifest()).unwrap_or(Value::Null)
    }
}

/// A Namespace manifest that serialises its keys and labels in floe's order (see
/// [`NamespaceConfig::manifest`]).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamespaceManifest {
    /// `v1`.
    #[serde(rename = "apiVersion")]
    pub api_version: &'static str,
    /// `Namespace`.
    pub kind: &'static str,
    /// Name and labels.
    pub metadata: NamespaceMetadata,
}

/// The metadata of a [`NamespaceManifest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NamespaceMetadata {
    /// The namespace's name.
    pub name: String,
    /// Its labels, in order.
    pub labels: OrderedLabels,
}

/// Labels that keep the order they were first inserted in, serialised as a map in that
/// order. Inserting a label that exists replaces its value and keeps its place, as a
/// Python dict does.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OrderedLabels(Vec<(String, String)>);

impl OrderedLabels {
    /// Sets a label: a new one goes last, an existing one keeps its place.
    pub fn insert(&mut self, key: impl Into<String>, value: impl Into<String>) {
        let (key, value) = (key.into(), value.into());
        match self.0.iter_mut().find(|(k, _)| *k == key) {
            Some((_, v)) => *v = value,
            None => self.0.push((key, value)),
        }
    }

    /// A label's value.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    }

    /// The labels in order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }

    /// How many labels there are.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether there are none.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl Serialize for OrderedLabels {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut map = serializer.serialize_map(Some(self.0.len()))?;
        for (k, v) in &self.0 {
            map.serialize_entry(k, v)?;
        }
        map.end()
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
