//! RBAC plugins: Kubernetes service accounts, roles, bindings and namespaces.

use serde_json::{Value, json};

use super::invalid;
use crate::rbac::{
    NamespaceConfig, PodSecurityConfig, RoleBindingConfig, RoleConfig, ServiceAccountConfig,
};
use crate::{PluginError, PluginMetadata, Validate};

/// A generator of Kubernetes RBAC manifests.
///
/// floe declares the four `generate_*` methods abstract, but its models already build
/// their manifests and its only implementation returns them unchanged. Here the
/// defaults validate the model (wildcards, name patterns, allowed subject namespaces:
/// [`crate::rbac`]) and return its manifest; override one to add to it.
///
/// ```
/// use floe_registry::prelude::*;
/// use floe_registry::rbac::{RoleConfig, RoleRule};
///
/// #[floe_plugin(type = Rbac, name = "k8s", version = "1.0.0")]
/// #[derive(Default)]
/// struct K8s;
/// impl RbacPlugin for K8s {}
///
/// let wild = RoleConfig::new("floe-x-role", "floe-jobs", vec![RoleRule::new(&["*"], &["get"])]);
/// let err = K8s.generate_role(&wild).unwrap_err();
/// assert!(err.to_string().contains("Wildcard permissions (*) are forbidden per FR-070"));
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = Rbac` but does not implement `RbacPlugin`",
    label = "`type = Rbac` needs `impl RbacPlugin for {Self}`",
    note = "add `impl RbacPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = Rbac` in `#[floe_plugin(...)]` to that kind"
)]
pub trait RbacPlugin: PluginMetadata {
    /// The ServiceAccount manifest of a valid config.
    fn generate_service_account(
        &self,
        config: &ServiceAccountConfig,
    ) -> Result<Value, PluginError> {
        config.validate().map_err(invalid)?;
        Ok(config.to_manifest())
    }

    /// The Role manifest of a valid config (no wildcards).
    fn generate_role(&self, config: &RoleConfig) -> Result<Value, PluginError> {
        config.validate().map_err(invalid)?;
        Ok(config.to_manifest())
    }

    /// The RoleBinding manifest of a valid config.
    fn generate_role_binding(&self, config: &RoleBindingConfig) -> Result<Value, PluginError> {
        config.validate().map_err(invalid)?;
        Ok(config.to_manifest())
    }

    /// The Namespace manifest of a valid config, with its PSS labels. As a JSON value
    /// its keys are sorted; to write the manifest with floe's label order (part-of,
    /// managed-by, layer, the three PSS labels, then the extras) serialise
    /// [`NamespaceConfig::manifest`] instead.
    fn generate_namespace(&self, config: &NamespaceConfig) -> Result<Value, PluginError> {
        config.validate().map_err(invalid)?;
        Ok(config.to_manifest())
    }

    /// `{"pod": ..., "container": ...}`: the two security contexts of a valid config.
    fn generate_pod_security_context(
        &self,
        config: &PodSecurityConfig,
    ) -> Result<Value, PluginError> {
        config.validate().map_err(invalid)?;
        Ok(json!({"pod": config.pod_context(), "container": config.container_context()}))
    }

    lifecycle_hooks!();
}
