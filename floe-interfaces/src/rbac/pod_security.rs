//! Pod and container security contexts, with writable volumes for a read-only root.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value, json};

use crate::validation::{DNS_LABEL, FieldError, Validate, join, matches, pattern, range};

/// The largest user or group id Kubernetes accepts.
const MAX_ID: u32 = 2_147_483_647;

/// The form of a mount path: absolute, one line.
const MOUNT_PATH: &str = "^/.*$";

/// The text of a mount path with `..`.
pub const PATH_TRAVERSAL: &str = "Mount path cannot contain '..' (path traversal not allowed)";

/// A writable emptyDir mount.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct WritableVolumeMount {
    /// A DNS label.
    pub name: String,
    /// Absolute, one line, without `..`.
    pub mount_path: String,
    /// The emptyDir size limit (`100Mi`); empty is no limit.
    #[serde(default)]
    pub size_limit: Option<String>,
    /// `""` (disk) or `Memory`.
    #[serde(default)]
    pub medium: String,
}

impl WritableVolumeMount {
    /// A disk-backed mount without a size limit.
    pub fn new(name: impl Into<String>, mount_path: impl Into<String>) -> Self {
        WritableVolumeMount {
            name: name.into(),
            mount_path: mount_path.into(),
            size_limit: None,
            medium: String::new(),
        }
    }
}

impl Validate for WritableVolumeMount {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        pattern(errors, path, "name", &self.name, DNS_LABEL);
        // Absolute and on one line (`.` matches no newline), then without `..`: the
        // second rule is floe's validator, which runs only on a path of the right form.
        if !matches(MOUNT_PATH, &self.mount_path) {
            pattern(errors, path, "mount_path", &self.mount_path, MOUNT_PATH);
        } else if self.mount_path.contains("..") {
            errors.push(FieldError::new(join(path, "mount_path"), PATH_TRAVERSAL));
        }
        if !self.medium.is_empty() && self.medium != "Memory" {
            errors.push(FieldError::new(
                join(path, "medium"),
                "Input should be '' or 'Memory'",
            ));
        }
    }
}

/// A seccomp profile type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
pub enum SeccompProfile {
    /// The runtime's default (the default).
    #[default]
    RuntimeDefault,
    /// A profile on the node.
    Localhost,
    /// None.
    Unconfined,
}

fn yes() -> bool {
    true
}
fn uid() -> u32 {
    1000
}
fn tmp() -> Vec<WritableVolumeMount> {
    vec![WritableVolumeMount::new("tmp", "/tmp")]
}

/// Hardened security contexts for floe pods.
///
/// ```
/// use floe_interfaces::rbac::PodSecurityConfig;
/// let c = PodSecurityConfig::default();
/// assert_eq!(c.pod_context()["runAsUser"], 1000);
/// assert_eq!(c.container_context()["capabilities"]["drop"], serde_json::json!(["ALL"]));
/// assert_eq!(c.volume_mounts(), serde_json::json!([{"name": "tmp", "mountPath": "/tmp"}]));
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PodSecurityConfig {
    /// (true)
    #[serde(default = "yes")]
    pub run_as_non_root: bool,
    /// 1 to 2147483647 (1000).
    #[serde(default = "uid")]
    pub run_as_user: u32,
    /// 1 to 2147483647 (1000).
    #[serde(default = "uid")]
    pub run_as_group: u32,
    /// 1 to 2147483647 (1000).
    #[serde(default = "uid")]
    pub fs_group: u32,
    /// (true)
    #[serde(default = "yes")]
    pub read_only_root_filesystem: bool,
    /// (false)
    #[serde(default)]
    pub allow_privilege_escalation: bool,
    /// (RuntimeDefault)
    #[serde(default)]
    pub seccomp_profile_type: SeccompProfile,
    /// Writable mounts (`tmp` at `/tmp`).
    #[serde(default = "tmp")]
    pub writable_volume_mounts: Vec<WritableVolumeMount>,
}

impl Default for PodSecurityConfig {
    fn default() -> Self {
        PodSecurityConfig {
            run_as_non_root: true,
            run_as_user: 1000,
            run_as_group: 1000,
            fs_group: 1000,
            read_only_root_filesystem: true,
            allow_privilege_escalation: false,
            seccomp_profile_type: SeccompProfile::RuntimeDefault,
            writable_volume_mounts: tmp(),
        }
    }
}

impl PodSecurityConfig {
    /// The pod's securityContext.
    pub fn pod_context(&self) -> Value {
        json!({
            "runAsNonRoot": self.run_as_non_root,
            "runAsUser": self.run_as_user,
            "runAsGroup": self.run_as_group,
            "fsGroup": self.fs_group,
            "seccompProfile": {"type": self.seccomp_profile_type},
        })
    }

    /// Each container's securityContext.
    pub fn container_context(&self) -> Value {
        json!({
            "allowPrivilegeEscalation": self.allow_privilege_escalation,
            "readOnlyRootFilesystem": self.read_only_root_filesystem,
            "capabilities": {"drop": ["ALL"]},
        })
    }

    /// The containers' volumeMounts.
    pub fn volume_mounts(&self) -> Value {
        self.writable_volume_mounts
            .iter()
            .map(|m| json!({"name": m.name, "mountPath": m.mount_path}))
            .collect()
    }

    /// The pod's volumes: emptyDirs with `medium` and `sizeLimit` when set and not
    /// empty (Kubernetes refuses `sizeLimit: ""`).
    pub fn volumes(&self) -> Value {
        self.writable_volume_mounts
            .iter()
            .map(|m| {
                let mut dir = Map::new();
                if !m.medium.is_empty() {
                    dir.insert("medium".into(), json!(m.medium));
                }
                if let Some(limit) = m.size_limit.as_ref().filter(|l| !l.is_empty()) {
                    dir.insert("sizeLimit".into(), json!(limit));
                }
                json!({"name": m.name, "emptyDir": dir})
            })
            .collect()
    }
}

impl Validate for PodSecurityConfig {
    fn check(&self, path: &str, errors: &mut Vec<FieldError>) {
        // From 1 (floe) to 2147483647 (what Kubernetes accepts; floe has no maximum).
        range(errors, path, "run_as_user", self.run_as_user, 1, MAX_ID);
        range(errors, path, "run_as_group", self.run_as_group, 1, MAX_ID);
        range(errors, path, "fs_group", self.fs_group, 1, MAX_ID);
        for (i, m) in self.writable_volume_mounts.iter().enumerate() {
            m.check(&join(path, &format!("writable_volume_mounts.{i}")), errors);
        }
    }
}
