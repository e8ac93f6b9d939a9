//! Kubernetes RBAC: the models an RBAC plugin turns into manifests, with floe's rules
//! (no wildcards, `floe-` names, allowed subject namespaces) and manifest builders.
//!
//! ```
//! use floe_interfaces::Validate;
//! use floe_interfaces::rbac::RoleRule;
//!
//! let rule = RoleRule::new(&["pods"], &["*"]);
//! assert_eq!(rule.validate().unwrap_err().messages(), ["Wildcard permissions (*) are forbidden per FR-070"]);
//! ```

mod binding;
mod namespace;
mod pod_security;
mod role;
mod service_account;

pub use binding::{RoleBindingConfig, RoleBindingSubject};
pub use namespace::{
    NamespaceConfig, NamespaceManifest, NamespaceMetadata, OrderedLabels, PssLevel,
};
pub use pod_security::{PodSecurityConfig, SeccompProfile, WritableVolumeMount};
pub use role::{RoleConfig, RoleRule};
pub use service_account::ServiceAccountConfig;

use std::collections::BTreeMap;

/// `app.kubernetes.io/managed-by`.
pub const MANAGED_BY: &str = "app.kubernetes.io/managed-by";

/// The default labels of floe's RBAC objects: managed by floe.
pub fn managed_by_floe() -> BTreeMap<String, String> {
    BTreeMap::from([(MANAGED_BY.to_owned(), "floe".to_owned())])
}
