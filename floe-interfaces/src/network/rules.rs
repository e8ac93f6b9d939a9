//! Ports, ingress and egress rules, and the namespace, label and CIDR checks.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Validate, join, matches, range};

/// A transport protocol.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum Protocol {
    /// TCP (the default).
    #[default]
    #[serde(rename = "TCP")]
    Tcp,
    /// UDP.
    #[serde(rename = "UDP")]
    Udp,
}

impl Protocol {
    /// `TCP` or `UDP`, as Kubernetes writes it.
    pub const fn as_str(self) -> &'static str {
        match self {
            Protocol::Tcp => "TCP",
            Protocol::Udp => "UDP",
        }
    }
}

/// A port, 1 to 65535.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PortRule {
    /// The port.
    pub port: u32,
    /// Its protocol.
    #[serde(default)]
    pub protocol: Protocol,
}

impl Validate for PortRule {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        range(errors, path, "port", self.port, 1, 65535);
    }
}

impl PortRule {
    /// A TCP port.
    pub const fn tcp(port: u32) -> Self {
        PortRule {
            port,
            protocol: Protocol::Tcp,
        }
    }

    /// A UDP port.
    pub const fn udp(port: u32) -> Self {
        PortRule {
            port,
            protocol: Protocol::Udp,
        }
    }

    /// `{"port": p, "protocol": "TCP"}`, a NetworkPolicy port.
    pub fn to_manifest(&self) -> serde_json::Value {
        serde_json::json!({"port": self.port, "protocol": self.protocol.as_str()})
    }
}

/// Selects a namespace by its `kubernetes.io/metadata.name` label, which Kubernetes
/// sets on every namespace.
pub(crate) fn namespace_selector(namespace: &str) -> serde_json::Value {
    serde_json::json!({"namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": namespace}}})
}

/// Checks that exactly one of a namespace and a CIDR is set, and that the one set is
/// valid: the target rule of [`EgressRule`] and [`super::EgressAllowRule`].
pub(crate) fn check_target(
    namespace: Option<&str>,
    cidr: Option<&str>,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    if namespace.is_some() == cidr.is_some() {
        errors.push(FieldError::new(
            path,
            "Exactly one of to_namespace or to_cidr must be set",
        ));
    }
    if let Some(ns) = namespace
        && let Err(e) = validate_namespace(ns)
    {
        errors.push(FieldError::new(join(path, "to_namespace"), e));
    }
    if let Some(c) = cidr
        && let Err(e) = validate_cidr(c)
    {
        errors.push(FieldError::new(join(path, "to_cidr"), e));
    }
}

/// A namespace name: at most 63 characters, a DNS label.
///
/// ```
/// use floe_interfaces::network::validate_namespace;
/// assert!(validate_namespace("floe-jobs").is_ok());
/// assert_eq!(validate_namespace(&"a".repeat(64)).unwrap_err(), "Namespace too long: 64 > 63");
/// ```
pub fn validate_namespace(namespace: &str) -> Result<(), String> {
    let len = namespace.chars().count();
    if len > 63 {
        return Err(format!("Namespace too long: {len} > 63"));
    }
    if !matches("^[a-z0-9]([-a-z0-9]*[a-z0-9])?$", namespace) {
        return Err(format!("Invalid namespace: {namespace}"));
    }
    Ok(())
}

/// A label key: non-empty, at most 253 characters, no leading or trailing `-`.
///
/// ```
/// use floe_interfaces::network::validate_label_key;
/// assert!(validate_label_key("app.kubernetes.io/name").is_ok());
/// assert!(validate_label_key("-app").is_err());
/// ```
pub fn validate_label_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("Label key cannot be empty".to_owned());
    }
    if key.chars().count() > 253 {
        return Err(format!("Label key too long: {key}"));
    }
    if key.starts_with('-') || key.ends_with('-') {
        return Err(format!("Invalid label key: {key}"));
    }
    Ok(())
}

/// A label value: at most 63 characters of `[-a-zA-Z0-9_.]`, alphanumeric at both ends,
/// or empty.
///
/// ```
/// use floe_interfaces::network::validate_label_value;
/// assert!(validate_label_value("").is_ok());
/// assert!(validate_label_value("v1.2_x").is_ok());
/// assert!(validate_label_value("_x").is_err());
/// ```
pub fn validate_label_value(value: &str) -> Result<(), String> {
    if value.chars().count() > 63 {
        return Err(format!("Label value too long: {value}"));
    }
    if !value.is_empty() && !matches("^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$", value) {
        return Err(format!("Invalid label value: {value}"));
    }
    Ok(())
}

/// A CIDR, parsed leniently: host bits may be set (`10.0.0.1/8`), as with Python's
/// `ip_network(strict=False)`; a bare address is a /32 (or /128).
///
/// ```
/// use floe_interfaces::network::validate_cidr;
/// assert!(validate_cidr("192.168.1.7").is_ok());
/// assert_eq!(validate_cidr("10.0.0.0/33").unwrap_err(), "Invalid CIDR: 10.0.0.0/33");
/// ```
pub fn validate_cidr(cidr: &str) -> Result<ipnet::IpNet, String> {
    cidr.parse::<ipnet::IpNet>()
        .or_else(|_| cidr.parse::<std::net::IpAddr>().map(ipnet::IpNet::from))
        .map(|net| net.trunc())
        .map_err(|_| format!("Invalid CIDR: {cidr}"))
}

/// Traffic allowed out: to a namespace or a CIDR (exactly one), on some ports.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct EgressRule {
    /// A namespace.
    #[serde(default)]
    pub to_namespace: Option<String>,
    /// A CIDR.
    #[serde(default)]
    pub to_cidr: Option<String>,
    /// The ports (at least one).
    pub ports: Vec<PortRule>,
}

impl Validate for EgressRule {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        check_target(
            self.to_namespace.as_deref(),
            self.to_cidr.as_deref(),
            path,
            errors,
        );
        if self.ports.is_empty() {
            errors.push(FieldError::new(
                join(path, "ports"),
                "List should have at least 1 item",
            ));
        }
        for (i, p) in self.ports.iter().enumerate() {
            p.check(&join(path, &format!("ports.{i}")), errors);
        }
    }
}

impl EgressRule {
    /// The NetworkPolicy egress rule: `to` holds the namespace selector (on
    /// `kubernetes.io/metadata.name`) or else the `ipBlock` of the CIDR, and `ports`
    /// is always written.
    pub fn to_manifest(&self) -> serde_json::Value {
        let to: Vec<serde_json::Value> = match (&self.to_namespace, &self.to_cidr) {
            (Some(ns), _) => vec![namespace_selector(ns)],
            (None, Some(cidr)) => vec![serde_json::json!({"ipBlock": {"cidr": cidr}})],
            (None, None) => Vec::new(),
        };
        let ports: Vec<serde_json::Value> = self.ports.iter().map(PortRule::to_manifest).collect();
        serde_json::json!({"to": to, "ports": ports})
    }
}

/// Traffic allowed in: from a namespace and/or pods with labels, on some ports.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IngressRule {
    /// A namespace.
    #[serde(default)]
    pub from_namespace: Option<String>,
    /// Pod labels.
    #[serde(default)]
    pub from_pod_labels: BTreeMap<String, String>,
    /// The ports (all when empty).
    #[serde(default)]
    pub ports: Vec<PortRule>,
}

impl Validate for IngressRule {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        if let Some(ns) = &self.from_namespace
            && let Err(e) = validate_namespace(ns)
        {
            errors.push(FieldError::new(join(path, "from_namespace"), e));
        }
        check_labels(
            &self.from_pod_labels,
            &join(path, "from_pod_labels"),
            errors,
        );
        for (i, p) in self.ports.iter().enumerate() {
            p.check(&join(path, &format!("ports.{i}")), errors);
        }
    }
}

impl IngressRule {
    /// The NetworkPolicy ingress rule: `from` holds the namespace selector and the
    /// pod selector (`matchLabels`) that are set, and is left out when neither is;
    /// `ports` is left out when empty (all ports).
    pub fn to_manifest(&self) -> serde_json::Value {
        let mut rule = serde_json::Map::new();
        let mut from = Vec::new();
        if let Some(ns) = &self.from_namespace {
            from.push(namespace_selector(ns));
        }
        if !self.from_pod_labels.is_empty() {
            from.push(serde_json::json!({"podSelector": {"matchLabels": self.from_pod_labels}}));
        }
        if !from.is_empty() {
            rule.insert("from".into(), serde_json::Value::Array(from));
        }
        if !self.ports.is_empty() {
            let ports = self.ports.iter().map(PortRule::to_manifest).collect();
            rule.insert("ports".into(), serde_json::Value::Array(ports));
        }
        serde_json::Value::Object(rule)
    }
}

/// Adds the problems of a label map.
pub(crate) fn check_labels(
    labels: &BTreeMap<String, String>,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    for (k, v) in labels {
        if let Err(e) = validate_label_key(k) {
            errors.push(FieldError::new(path, e));
        }
        if let Err(e) = validate_label_value(v) {
            errors.push(FieldError::new(join(path, k), e));
        }
    }
}
