//! The rules and labels floe's network plugin offers beyond its interface: platform,
//! ingress-controller, jobs, intra-namespace, Kubernetes API, external HTTPS and
//! custom egress rules, Pod Security Standards labels and namespace manifests.

use serde_json::{Map, Value, json};

use floe_registry::network::{host_cidr, validate_cidr, validate_namespace};
use floe_registry::rbac::{MANAGED_BY, PssLevel};

use super::{K8sNetworkSecurityPlugin, Labels, namespace_peer};

/// Paths never mounted writable (also with a trailing `/`); subpaths are allowed.
pub const BLOCKED_PATHS: [&str; 8] = [
    "/proc",
    "/sys",
    "/dev",
    "/etc",
    "/var/run",
    "/var/run/docker.sock",
    "/run",
    "/",
];

/// The floe-platform ports jobs reach: Polaris 8181, OTLP 4317 and 4318, MinIO 9000.
pub const PLATFORM_PORTS: [u16; 4] = [8181, 4317, 4318, 9000];

/// Private and local ranges the external HTTPS rule excludes.
const PRIVATE_RANGES: [&str; 5] = [
    "10.0.0.0/8",
    "172.16.0.0/12",
    "192.168.0.0/16",
    "169.254.0.0/16",
    "127.0.0.0/8",
];

/// floe's refusal of a Kubernetes API rule without a CIDR in strict mode.
const K8S_API_UNKNOWN: &str = "K8s API CIDR not specified and KUBERNETES_SERVICE_HOST not set. \
     Either set k8s_api_cidr explicitly, run in-cluster, or use \
     strict_mode=False to allow permissive 0.0.0.0/0 fallback.";

/// floe's warning when lax mode allows the Kubernetes API ports anywhere.
const K8S_API_ANYWHERE: &str = "K8s API CIDR not specified (strict_mode=False). \
     Using 0.0.0.0/0 which allows egress to ANY destination.";

/// The namespace check of floe's plugin (its own, used by the custom egress rules):
/// the pattern first, then the length (the models check the length first).
fn validate_namespace_pattern_first(namespace: &str) -> Result<(), String> {
    match validate_namespace(namespace) {
        Err(e) if e.starts_with("Namespace too long") && !valid_label_chars(namespace) => {
            Err(format!("Invalid namespace: {namespace}"))
        }
        other => other,
    }
}

/// Whether `name` matches `^[a-z0-9]([-a-z0-9]*[a-z0-9])?$`, whatever its length.
fn valid_label_chars(name: &str) -> bool {
    let bytes = name.as_bytes();
    let alnum = |b: &u8| b.is_ascii_lowercase() || b.is_ascii_digit();
    bytes.first().is_some_and(alnum)
        && bytes.last().is_some_and(alnum)
        && bytes.iter().all(|b| alnum(b) || *b == b'-')
}

fn tcp(port: u16) -> Value {
    json!({"port": port, "protocol": "TCP"})
}

/// The PSS level of a floe namespace: `floe-platform` baseline, everything else
/// (`floe-jobs` included) restricted, unless `overrides` names it.
///
/// ```
/// use floe_plugins_builtin::network_security_k8s::namespace_pss_level;
/// use floe_registry::rbac::PssLevel;
/// assert_eq!(namespace_pss_level("floe-platform", None), PssLevel::Baseline);
/// assert_eq!(namespace_pss_level("floe-jobs", None), PssLevel::Restricted);
/// ```
pub fn namespace_pss_level(
    namespace: &str,
    overrides: Option<&std::collections::BTreeMap<String, PssLevel>>,
) -> PssLevel {
    if let Some(level) = overrides.and_then(|o| o.get(namespace)) {
        return *level;
    }
    match namespace {
        "floe-platform" => PssLevel::Baseline,
        _ => PssLevel::Restricted,
    }
}

fn pss(field: &str, value: &str) -> Result<PssLevel, String> {
    match value {
        "privileged" => Ok(PssLevel::Privileged),
        "baseline" => Ok(PssLevel::Baseline),
        "restricted" => Ok(PssLevel::Restricted),
        _ => Err(format!(
            "Invalid PSS {field}: '{value}'. Must be one of: baseline, privileged, restricted"
        )),
    }
}

impl K8sNetworkSecurityPlugin {
    /// Egress to `floe-platform`, one rule per platform port (TCP).
    pub fn platform_egress_rules(&self) -> Vec<Value> {
        PLATFORM_PORTS
            .iter()
            .map(|p| json!({"to": [namespace_peer("floe-platform")], "ports": [tcp(*p)]}))
            .collect()
    }

    /// Ingress from the ingress controller's namespace on TCP 80, 443 and 8080.
    pub fn ingress_controller_rule(&self, namespace: &str) -> Result<Value, String> {
        validate_namespace(namespace)?;
        Ok(json!({"from": [namespace_peer(namespace)], "ports": [tcp(80), tcp(443), tcp(8080)]}))
    }

    /// Ingress from `floe-jobs` on the platform ports.
    pub fn jobs_ingress_rule(&self) -> Value {
        let ports: Vec<Value> = PLATFORM_PORTS.iter().map(|p| tcp(*p)).collect();
        json!({"from": [namespace_peer("floe-jobs")], "ports": ports})
    }

    /// Ingress from every pod of the policy's own namespace.
    pub fn intra_namespace_rule(&self, namespace: &str) -> Result<Value, String> {
        validate_namespace(namespace)?;
        Ok(json!({"from": [{"podSelector": {}}]}))
    }

    /// Egress to the Kubernetes API on TCP 443 and 6443: to `cidr` as given, else to
    /// `$KUBERNETES_SERVICE_HOST/32` (`/128` for an IPv6 host, where floe writes `/32`).
    /// Without either, strict mode refuses and lax mode allows `0.0.0.0/0` (with a
    /// warning). A CIDR other than `0.0.0.0/0` is checked with [`validate_cidr`].
    pub fn k8s_api_egress_rule(&self, cidr: Option<&str>, strict: bool) -> Result<Value, String> {
        let host = std::env::var("KUBERNETES_SERVICE_HOST").ok();
        self.k8s_api_egress_rule_for(cidr, host.as_deref(), strict)
    }

    /// [`Self::k8s_api_egress_rule`] with the service host given.
    pub fn k8s_api_egress_rule_for(
        &self,
        cidr: Option<&str>,
        service_host: Option<&str>,
        strict: bool,
    ) -> Result<Value, String> {
        let cidr = match (cidr, service_host.filter(|h| !h.is_empty())) {
            (Some(c), _) => c.to_owned(),
            (None, Some(host)) => host_cidr(host),
            (None, None) if strict => return Err(K8S_API_UNKNOWN.to_owned()),
            (None, None) => {
                tracing::warn!("{K8S_API_ANYWHERE}");
                "0.0.0.0/0".to_owned()
            }
        };
        if cidr != "0.0.0.0/0" {
            validate_cidr(&cidr)?;
        }
        Ok(json!({"to": [{"ipBlock": {"cidr": cidr}}], "ports": [tcp(443), tcp(6443)]}))
    }

    /// Egress on TCP 443 to everything but private and local ranges; `None` when
    /// disabled.
    pub fn external_https_egress_rule(&self, enabled: bool) -> Option<Value> {
        enabled.then(|| {
            json!({"to": [{"ipBlock": {"cidr": "0.0.0.0/0", "except": PRIVATE_RANGES}}], "ports": [tcp(443)]})
        })
    }

    /// Egress to a CIDR or a namespace (the CIDR wins when both are given) on one port.
    pub fn custom_egress_rule(
        &self,
        cidr: Option<&str>,
        namespace: Option<&str>,
        port: i64,
        protocol: &str,
    ) -> Result<Value, String> {
        self.custom_egress_rules(cidr, namespace, &[port], protocol)
    }

    /// Egress to a CIDR (as given) or a namespace on several ports (all ports when
    /// `ports` is empty). Checked in floe's order: a target is given, each port, the
    /// CIDR, the namespace (its pattern, then its length); then, beyond floe, the
    /// protocol (TCP or UDP, as floe's type says; floe writes any text).
    pub fn custom_egress_rules(
        &self,
        cidr: Option<&str>,
        namespace: Option<&str>,
        ports: &[i64],
        protocol: &str,
    ) -> Result<Value, String> {
        if cidr.is_none() && namespace.is_none() {
            return Err("Either cidr or namespace must be provided".to_owned());
        }
        if let Some(p) = ports.iter().find(|p| !(1..=65535).contains(*p)) {
            return Err(format!("Port {p} out of range (1-65535)"));
        }
        if let Some(c) = cidr {
            validate_cidr(c)?;
        }
        if let Some(ns) = namespace {
            validate_namespace_pattern_first(ns)?;
        }
        if !matches!(protocol, "TCP" | "UDP") {
            return Err(format!("Invalid protocol: {protocol}. Must be TCP or UDP"));
        }
        let peer = match (cidr, namespace) {
            (Some(c), _) => json!({"ipBlock": {"cidr": c}}),
            (None, Some(ns)) => namespace_peer(ns),
            (None, None) => unreachable!("checked above"),
        };
        let ports: Vec<Value> = ports
            .iter()
            .map(|p| json!({"port": p, "protocol": protocol}))
            .collect();
        Ok(json!({"to": [peer], "ports": ports}))
    }

    /// The three `pod-security.kubernetes.io/*` labels; audit and warn default to the
    /// enforced level.
    pub fn pss_labels(
        &self,
        level: &str,
        audit_level: Option<&str>,
        warn_level: Option<&str>,
    ) -> Result<Labels, String> {
        let enforce = pss("level", level)?;
        let audit = audit_level.map_or(Ok(enforce), |v| pss("audit_level", v))?;
        let warn = warn_level.map_or(Ok(enforce), |v| pss("warn_level", v))?;
        Ok(Labels::from([
            (
                "pod-security.kubernetes.io/enforce".into(),
                enforce.as_str().into(),
            ),
            (
                "pod-security.kubernetes.io/audit".into(),
                audit.as_str().into(),
            ),
            (
                "pod-security.kubernetes.io/warn".into(),
                warn.as_str().into(),
            ),
        ]))
    }

    /// A Namespace with the PSS labels, managed-by, then `extra` labels (which win).
    /// The level is checked first, then (beyond floe, which writes any name) the name.
    pub fn namespace_manifest(
        &self,
        name: &str,
        level: &str,
        extra: &Labels,
    ) -> Result<Value, String> {
        let pss = self.pss_labels(level, None, None)?;
        validate_namespace(name)?;
        let mut labels = Map::new();
        for key in [
            "pod-security.kubernetes.io/enforce",
            "pod-security.kubernetes.io/audit",
            "pod-security.kubernetes.io/warn",
        ] {
            labels.insert(key.into(), json!(pss[key]));
        }
        labels.insert(MANAGED_BY.into(), json!("floe"));
        for (k, v) in extra {
            labels.insert(k.clone(), json!(v));
        }
        Ok(
            json!({"apiVersion": "v1", "kind": "Namespace", "metadata": {"name": name, "labels": labels}}),
        )
    }
}
