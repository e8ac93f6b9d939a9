//! The domain side of the floe plugin interfaces: the typed models that plugin methods
//! take and return, their validation rules, and the default algorithms floe ships with
//! them (quality gates and scoring, alert routing, RBAC and network manifests).
//!
//! This crate knows nothing of plugin discovery, loading or lifecycle. The plugin
//! traits themselves (`QualityPlugin`, `RbacPlugin`, ...) live in `floe-registry`,
//! because their supertrait `PluginMetadata` and `PluginError` do; their default
//! methods call the algorithms here. `floe-registry` re-exports every module of this
//! crate, so a plugin crate depends on `floe-registry` alone:
//!
//! ```
//! use floe_interfaces::quality::{QualityConfig, QualitySuiteResult, calculate_quality_score};
//!
//! let config = QualityConfig::new("great_expectations");
//! let empty = QualitySuiteResult::new("orders_suite", "orders", true, vec![]);
//! assert_eq!(calculate_quality_score(&empty, &config).overall, 100.0);
//! ```
//!
//! Layering: `floe-registry-rules` <- `floe-interfaces` <- `floe-registry`. Models
//! report problems as [`ModelErrors`] (each with a dotted field path and floe's text);
//! the registry turns them into `PluginError`s where a trait method fails.

pub mod alert;
pub mod fnmatch;
pub mod network;
pub mod python;
pub mod quality;
pub mod rbac;
mod read;
pub mod secret_scan;
pub mod sink;
mod validation;

pub use read::read_model;
pub use validation::{FieldError, ModelErrors, Validate, from_value};
