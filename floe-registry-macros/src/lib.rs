//! The `#[floe_plugin]` and `#[floe_config]` attributes of `floe-registry`. Use them
//! through `floe_registry::prelude`; this crate is an implementation detail.
//!
//! A thin shim: the parsing, checks and generation live in `floe-registry-codegen`, a
//! plain library the fuzzer can call.

use proc_macro::TokenStream;

/// Declares a floe plugin: generates its metadata, checks every rule at compile time
/// and registers it for discovery. See the `floe_registry` crate documentation.
#[proc_macro_attribute]
pub fn floe_plugin(args: TokenStream, input: TokenStream) -> TokenStream {
    floe_registry_codegen::floe_plugin(args.into(), input.into()).into()
}

/// Makes a struct or enum a plugin config: derives serde's `Deserialize` and
/// schemars' `JsonSchema` through floe-registry's re-exports, so a plugin crate needs
/// no `serde` or `schemars` dependency of its own.
///
/// ```
/// use floe_registry::prelude::*;
///
/// /// Where to connect.
/// #[floe_config]
/// #[derive(Debug, Clone)]
/// #[serde(deny_unknown_fields)]
/// pub struct Connection {
///     /// Host name.
///     host: String,
///     #[schemars(range(min = 1, max = 65535))]
///     #[serde(default = "default_port")]
///     port: u16,
///     #[serde(default)]
///     mode: Mode,
///     token: Option<Secret>,
/// }
/// fn default_port() -> u16 { 5432 }
///
/// /// How to connect; also written back out, so it derives `Serialize` too.
/// #[floe_config(serialize)]
/// #[derive(Debug, Clone, Copy, Default, PartialEq)]
/// #[serde(rename_all = "snake_case")]
/// pub enum Mode {
///     #[default]
///     Direct,
///     Pooled,
/// }
/// ```
///
/// Forms:
///
/// - `#[floe_config]`: derives `Deserialize` and `JsonSchema`.
/// - `#[floe_config(serialize)]`: also derives `Serialize`.
/// - `#[floe_config(crate = path)]`: floe-registry is reached by `path` (after
///   `use floe_registry as path;`), as `crate = ...` of `#[floe_plugin]`.
///   Combine with a comma: `#[floe_config(serialize, crate = reg)]`.
///
/// `#[serde(...)]` and `#[schemars(...)]` work as with the derives, written below
/// `#[floe_config]` (above it, rustc rejects them before the derives exist), and doc
/// comments become the schema's descriptions. Do not derive `Deserialize` or
/// `JsonSchema` again: that is an error naming the derive to remove. A crate that
/// already depends on serde and schemars may write
/// `#[derive(serde::Deserialize, JsonSchema)]` instead.
#[proc_macro_attribute]
pub fn floe_config(args: TokenStream, input: TokenStream) -> TokenStream {
    floe_registry_codegen::floe_config(args.into(), input.into()).into()
}
