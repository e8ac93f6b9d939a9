//! The `#[floe_plugin]` attribute. Use it through `floe_registry::prelude`.

use proc_macro::TokenStream;

/// Declares a floe plugin; see the `floe_registry` crate documentation.
#[proc_macro_attribute]
pub fn floe_plugin(_args: TokenStream, input: TokenStream) -> TokenStream {
    input
}
