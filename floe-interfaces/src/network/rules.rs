//! Ports, ingress and egress rules, and the namespace, label and CIDR checks.

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::validation::{FieldError, Validate, join, matches};

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
    /// The port, 1 to 65535 (any integer reads, so that `0` and `-1` are refused with
    /// floe's words).
    pub port: i64,
    /// Its protocol.
    #[serde(default)]
    pub protocol: Protocol,
}

impl Validate for PortRule {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        check_port(self.port, &join(path, "port"), errors);
    }
}

/// pydantic's texts for a port outside 1 to 65535 (floe's `Field(ge=1, le=65535)`).
pub(crate) fn check_port(port: i64, path: &str, errors: &mut Vec<FieldError>) {
    if port < 1 {
        errors.push(FieldError::new(
            path,
            "Input should be greater than or equal to 1",
        ));
    } else if port > 65535 {
        errors.push(FieldError::new(
            path,
            "Input should be less than or equal to 65535",
        ));
    }
}

/// pydantic's text for a tuple with fewer than one valid item (floe's
/// `Field(min_length=1)`): given after the items' own problems, and also when every
/// item given is invalid ("after validation").
pub(crate) const TOO_SHORT: &str = "Tuple should have at least 1 item after validation, not 0";

impl PortRule {
    /// A TCP port.
    pub const fn tcp(port: u16) -> Self {
        PortRule {
            port: port as i64,
            protocol: Protocol::Tcp,
        }
    }

    /// A UDP port.
    pub const fn udp(port: u16) -> Self {
        PortRule {
            port: port as i64,
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

/// floe's rule of egress targets, checked (as a pydantic `model_validator(mode="after")`)
/// only when every field of the rule is valid.
pub(crate) const EXACTLY_ONE: &str = "Exactly one of to_namespace or to_cidr must be set";

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
    let len = key.chars().count();
    if len > 253 {
        return Err(format!("Label key too long: {len} > 253"));
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
    let len = value.chars().count();
    if len > 63 {
        return Err(format!("Label value too long: {len} > 63"));
    }
    if !value.is_empty() && !matches("^[a-zA-Z0-9]([-a-zA-Z0-9_.]*[a-zA-Z0-9])?$", value) {
        return Err(format!("Invalid label value: {value}"));
    }
    Ok(())
}

/// A CIDR as floe reads it (Python's `ip_network(cidr, strict=False)`: host bits may
/// be set, `10.0.0.1/8` is `10.0.0.0/8`; no leading zero in an octet), except the
/// forms Kubernetes refuses in a NetworkPolicy, which floe accepts: a bare address, a
/// netmask after the `/` and an IPv6 zone (`fe80::1%eth0/64`).
///
/// ```
/// use floe_interfaces::network::validate_cidr;
/// assert_eq!(validate_cidr("10.1.2.3/8").unwrap().to_string(), "10.0.0.0/8");
/// assert_eq!(validate_cidr("010.0.0.0/8").unwrap_err(), "Invalid CIDR: 010.0.0.0/8");
/// assert_eq!(validate_cidr("192.168.1.7").unwrap_err(), "Invalid CIDR: 192.168.1.7");
/// assert_eq!(validate_cidr("10.0.0.0/33").unwrap_err(), "Invalid CIDR: 10.0.0.0/33");
/// ```
pub fn validate_cidr(cidr: &str) -> Result<ipnet::IpNet, String> {
    super::cidr::parse(cidr).ok_or_else(|| format!("Invalid CIDR: {cidr}"))
}

/// The CIDR of one host: `host/32`, as floe writes it, or `host/128` when the host is
/// an IPv6 address (floe writes `/32` there too, which is a range of 2^96 addresses).
///
/// ```
/// use floe_interfaces::network::host_cidr;
/// assert_eq!(host_cidr("10.96.0.1"), "10.96.0.1/32");
/// assert_eq!(host_cidr("fd00::1"), "fd00::1/128");
/// assert_eq!(host_cidr("not-an-ip"), "not-an-ip/32");
/// ```
pub fn host_cidr(host: &str) -> String {
    match super::cidr::address(host) {
        Some(std::net::IpAddr::V6(_)) => format!("{host}/128"),
        _ => format!("{host}/32"),
    }
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
    /// floe's order: the namespace, the CIDR, each port then the count of valid ports;
    /// the target rule only when all of those hold.
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        let before = errors.len();
        if let Some(ns) = &self.to_namespace
            && let Err(e) = validate_namespace(ns)
        {
            errors.push(FieldError::new(join(path, "to_namespace"), e));
        }
        if let Some(c) = &self.to_cidr
            && let Err(e) = validate_cidr(c)
        {
            errors.push(FieldError::new(join(path, "to_cidr"), e));
        }
        check_ports(&self.ports, &join(path, "ports"), true, errors);
        if errors.len() == before && self.to_namespace.is_some() == self.to_cidr.is_some() {
            errors.push(FieldError::new(path, EXACTLY_ONE));
        }
    }
}

/// Each port's problems, then (when `required`) pydantic's too-short problem if no
/// port is valid.
fn check_ports(ports: &[PortRule], path: &str, required: bool, errors: &mut Vec<FieldError>) {
    let mut valid = 0;
    for (i, p) in ports.iter().enumerate() {
        let before = errors.len();
        p.check(&join(path, &i.to_string()), errors);
        if errors.len() == before {
            valid += 1;
        }
    }
    if required && valid == 0 {
        errors.push(FieldError::new(path, TOO_SHORT));
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
        check_ports(&self.ports, &join(path, "ports"), false, errors);
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

/// Adds the first problem of a label map, at the map: floe checks each key then its
/// value, in the map's order, and stops at the first problem. (floe's order is the
/// order written; a map here is in key order.)
pub(crate) fn check_labels(
    labels: &BTreeMap<String, String>,
    path: &str,
    errors: &mut Vec<FieldError>,
) {
    let first = labels
        .iter()
        .find_map(|(k, v)| validate_label_key(k).and(validate_label_value(v)).err());
    if let Some(e) = first {
        errors.push(FieldError::new(path, e));
    }
}
