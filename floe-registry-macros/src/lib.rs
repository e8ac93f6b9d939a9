//! The `#[floe_plugin]` attribute of `floe-registry`. Use it through
//! `floe_registry::prelude`; this crate is an implementation detail.
//!
//! parse (`attr.rs`, `item.rs`) -> validate (`valid.rs`) -> generate (`expand.rs`), or
//! on any error the errors plus a stub (`fallback.rs`) so one mistake is one error.

use proc_macro::TokenStream;

mod ast;
mod attr;
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
