//! The `#[floe_plugin]` and `#[floe_config]` attributes of `floe-registry`. Use them
//! through `floe_registry::prelude`; this crate is an implementation detail.
//!
//! `#[floe_plugin]`: parse (`attr.rs`, `item.rs`) -> validate (`valid.rs`) -> generate
//! (`expand.rs`), or on any error the errors plus a stub (`fallback.rs`) so one
//! mistake is one error.
//!
//! `#[floe_config]`: parse (`config_attr.rs`) -> validate (`config_valid.rs`) ->
//! generate (`config_expand.rs`), which emits the errors beside the usual derives.

use proc_macro::TokenStream;

mod ast;
mod attr;
mod config_attr;
mod config_expand;
mod config_valid;
mod expand;
mod fallback;
mod item;
mod valid;

/// Declares a floe plugin: generates its metadata, checks every rule at compile time
/// and registers it for discovery. See the `floe_registry` crate documentation.
#[proc_macro_attribute]
pub fn floe_plugin(args: TokenStream, input: TokenStream) -> TokenStream {
    let mut errors = ast::Errors::default();
    let args = attr::parse(args.into(), &mut errors);
    let krate = args.krate.clone();
    let item = match item::parse(input.into(), &mut errors) {
        Ok(item) => item,
        // Not a struct or enum: give the item back untouched with the error.
        Err(original) => return fallback::unusable_item(original, errors).into(),
    };
    match valid::validate(args, &item, &mut errors) {
        Some(plugin) if errors.is_empty() => expand::plugin(&plugin, &item).into(),
        _ => fallback::with_errors(&item, krate, errors).into(),
    }
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
    let mut errors = ast::Errors::default();
    let args = config_attr::parse(args.into(), &mut errors);
    match config_valid::item(input.into(), &args, &mut errors) {
        Ok(item) => config_expand::config(&args, item, errors).into(),
        // Not a struct or enum: give the item back untouched with the error.
        Err(original) => fallback::unusable_item(original, errors).into(),
    }
}
