//! Network security plugins: network policies and security contexts.

use serde_json::Value;

use super::unsupported;
use crate::network::NetworkPolicyConfig;
use crate::{PluginError, PluginMetadata};

/// A generator of Kubernetes network policies and hardened security contexts.
///
/// floe finds these outside its registry; here it is a plugin type like any other, so
/// it shows in listings and health checks. Every method is the plugin's own (floe
/// gives no default): each defaults to a "does not support" error. The models and
/// their rules are in [`crate::network`].
///
/// ```
/// use floe_registry::prelude::*;
///
/// #[floe_plugin(type = NetworkSecurity, name = "k8s", version = "1.0.0")]
/// #[derive(Default)]
/// struct K8s;
/// impl NetworkSecurityPlugin for K8s {}
///
/// let err = K8s.generate_dns_egress_rule().unwrap_err();
/// assert_eq!(err.to_string(), "NETWORK_SECURITY plugin 'k8s' does not support generate_dns_egress_rule()");
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = NetworkSecurity` but does not implement `NetworkSecurityPlugin`",
    label = "`type = NetworkSecurity` needs `impl NetworkSecurityPlugin for {Self}`",
    note = "add `impl NetworkSecurityPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = NetworkSecurity` in `#[floe_plugin(...)]` to that kind"
)]
pub trait NetworkSecurityPlugin: PluginMetadata {
    /// The NetworkPolicy manifest of a config.
    fn generate_network_policy(&self, config: &NetworkPolicyConfig) -> Result<Value, PluginError> {
        let _ = config;
        Err(unsupported(self, "generate_network_policy"))
    }

    /// At least one policy denying all ingress and egress in `namespace`.
    fn generate_default_deny_policies(&self, namespace: &str) -> Result<Vec<Value>, PluginError> {
        let _ = namespace;
        Err(unsupported(self, "generate_default_deny_policies"))
    }

    /// An egress rule to cluster DNS (UDP 53, optionally TCP 53, kube-system).
    fn generate_dns_egress_rule(&self) -> Result<Value, PluginError> {
        Err(unsupported(self, "generate_dns_egress_rule"))
    }

    /// A pod securityContext (runAsNonRoot, uid/gid/fsGroup, seccomp RuntimeDefault).
    fn generate_pod_security_context(&self, config: Option<&Value>) -> Result<Value, PluginError> {
        let _ = config;
        Err(unsupported(self, "generate_pod_security_context"))
    }

    /// A container securityContext (no privilege escalation, read-only root, drop ALL).
    fn generate_container_security_context(
        &self,
        config: Option<&Value>,
    ) -> Result<Value, PluginError> {
        let _ = config;
        Err(unsupported(self, "generate_container_security_context"))
    }

    /// emptyDir volumes and their mounts for writable paths: equal length, unique names.
    fn generate_writable_volumes(
        &self,
        paths: &[String],
    ) -> Result<(Vec<Value>, Vec<Value>), PluginError> {
        let _ = paths;
        Err(unsupported(self, "generate_writable_volumes"))
    }

    lifecycle_hooks!();
}
