//! RBAC plugin `k8s`: Kubernetes ServiceAccount, Role, RoleBinding and Namespace
//! manifests, and hardened pod security contexts. Pure: it builds manifests (as JSON
//! values) and never talks to a cluster.
//!
//! Every method validates its model first, with floe's rules (`floe-` names, no
//! wildcard permissions, subjects only from allowed namespaces, mount paths without
//! `..`: see [`floe_registry::rbac`]), and returns the model's manifest.
//! `generate_pod_security_context` returns four keys, `pod`, `container`, `volumes`
//! and `volumeMounts`, as floe's plugin does.
//!
//! Where floe is broken, this does better: floe's plugin is registered under the entry
//! point `k8s` but reports the name `k8s-rbac`, so `get(RBAC, "k8s-rbac")` fails and
//! `activate_all` skips it. Here the plugin's name is its registry identity, `k8s`,
//! everywhere.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//! use floe_registry::rbac::ServiceAccountConfig;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! let rbac = registry.get_as::<dyn RbacPlugin>("k8s")?;
//! let sa = rbac.generate_service_account(&ServiceAccountConfig::new("floe-runner", "floe-jobs"))?;
//! assert_eq!(sa["automountServiceAccountToken"], false);
//! # Ok::<(), PluginError>(())
//! ```

use floe_registry::prelude::*;
use floe_registry::rbac::{
    NamespaceConfig, PodSecurityConfig, RoleBindingConfig, RoleConfig, ServiceAccountConfig,
};
use floe_registry::{ModelErrors, Validate};
use serde_json::{Value, json};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.security.rbac";

/// Kubernetes RBAC manifests from floe's validated models.
#[floe_plugin(type = Rbac, name = "k8s", version = "0.1.0", description = "")]
#[derive(Default)]
pub struct K8sRbacPlugin;

/// A model's problems as the plugin's error.
fn invalid(errors: ModelErrors) -> PluginError {
    PluginError::failed(errors.to_string())
}

/// Runs `build` on a valid `config` inside the span `security.<op>`.
fn traced<C: Validate>(
    op: &str,
    config: &C,
    build: impl FnOnce(&C) -> Value,
) -> Result<Value, PluginError> {
    let span = tracing::info_span!("security", op, tracer = TRACER_NAME);
    let _entered = span.enter();
    config.validate().map_err(invalid)?;
    Ok(build(config))
}

impl RbacPlugin for K8sRbacPlugin {
    /// The ServiceAccount (token not mounted unless asked).
    fn generate_service_account(
        &self,
        config: &ServiceAccountConfig,
    ) -> Result<Value, PluginError> {
        traced(
            "generate_service_account",
            config,
            ServiceAccountConfig::to_manifest,
        )
    }

    /// The Role (no wildcards).
    fn generate_role(&self, config: &RoleConfig) -> Result<Value, PluginError> {
        traced("generate_role", config, RoleConfig::to_manifest)
    }

    /// The RoleBinding (subjects from allowed namespaces only).
    fn generate_role_binding(&self, config: &RoleBindingConfig) -> Result<Value, PluginError> {
        traced(
            "generate_role_binding",
            config,
            RoleBindingConfig::to_manifest,
        )
    }

    /// The Namespace with its three Pod Security Standards labels and `floe.dev/layer`.
    fn generate_namespace(&self, config: &NamespaceConfig) -> Result<Value, PluginError> {
        traced("generate_namespace", config, NamespaceConfig::to_manifest)
    }

    /// `{"pod", "container", "volumes", "volumeMounts"}`.
    fn generate_pod_security_context(
        &self,
        config: &PodSecurityConfig,
    ) -> Result<Value, PluginError> {
        traced("generate_pod_security_context", config, |c| {
            json!({
                "pod": c.pod_context(),
                "container": c.container_context(),
                "volumes": c.volumes(),
                "volumeMounts": c.volume_mounts(),
            })
        })
    }
}
