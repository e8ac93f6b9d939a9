//! The rules that a floe plugin's metadata must follow, in one place.
//!
//! The rules: the plugin name, SemVer, the API version, the spellings of the plugin
//! types and the dependency string (`"name"` or `"type:name"`).
//!
//! Both the runtime crate `floe-registry` (for plugins registered by hand) and the
//! `#[floe_plugin]` attribute (at compile time) call these functions, so the two can
//! never disagree about what a valid plugin name, version or API version is.
//!
//! ```
//! use floe_registry_rules::{check_name, check_semver, ApiVersion};
//!
//! assert!(check_name("duckdb").is_ok());
//! assert!(check_semver("1.2.0-rc.1+build.5").is_ok());
//! let required: ApiVersion = "1.0".parse().unwrap();
//! assert!(required.is_compatible_with(ApiVersion::new(1, 5)));
//! ```

mod api_version;
mod dependency;
mod name;
mod plugin_types;
mod suggest;
mod type_spelling;
mod version;

pub use api_version::{ApiVersion, ApiVersionError, api_compatible};
pub use dependency::{Dependency, DependencyError, parse_dependency};
pub use name::{MAX_NAME_LEN, NameError, check_name, suggest_name};
pub use plugin_types::{
    PLUGIN_TYPE_COUNT, PLUGIN_TYPE_VARIANTS, PLUGIN_TYPES, PluginTypeNames, attribute_type_values,
    camel_case, snake_case, variant_for_attribute, variant_for_prefix,
};
pub use suggest::closest;
pub use type_spelling::{UnknownPluginType, parse_plugin_type, plugin_type_for_group};
pub use version::{SemverError, check_semver};
