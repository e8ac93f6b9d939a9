//! Generates `#[floe_config]`: the item with serde's and schemars' derives named
//! through `<crate>::__private`, and both derives told that path with their own
//! `crate = "..."` attribute, so the config's crate needs neither dependency.
//!
//! Errors are emitted beside the same expansion: the derives still apply, so the
//! item's `#[serde]`/`#[schemars]` attributes and its use as a plugin's config add no
//! follow-on errors.

use proc_macro2::TokenStream;
use quote::quote;
use syn::spanned::Spanned;
use syn::{Attribute, DeriveInput, LitStr, Path};

use crate::ast::{ConfigArgs, Errors};

pub(crate) fn config(args: &ConfigArgs, mut input: DeriveInput, errors: Errors) -> TokenStream {
    let krate: Path = args
        .krate
        .clone()
        .unwrap_or_else(|| syn::parse_quote!(::floe_registry));
    let serde = quote!(#krate::__private::serde);
    let schemars = quote!(#krate::__private::schemars);
    let serde_crate = path_literal(&krate, "serde");
    let schemars_crate = path_literal(&krate, "schemars");
    let serialize = args.serialize.then(|| quote!(#serde::Serialize,));
    // First on the item, so the derives precede every `#[serde]`/`#[schemars]` helper.
    // schemars also reads `#[serde(crate)]`, but its own `#[schemars(crate)]` wins.
    let added: [Attribute; 3] = [
        syn::parse_quote!(#[derive(#serde::Deserialize, #serialize #schemars::JsonSchema)]),
        syn::parse_quote!(#[serde(crate = #serde_crate)]),
        syn::parse_quote!(#[schemars(crate = #schemars_crate)]),
    ];
    input.attrs.splice(0..0, added);
    let errors = errors.into_compile_error();
    quote! {
        #errors
        #input
    }
}

/// `"<crate>::__private::<module>"`, spanned on the user's path so that an unresolved
/// one is reported there.
fn path_literal(krate: &Path, module: &str) -> LitStr {
    let mut text = String::new();
    if krate.leading_colon.is_some() {
        text.push_str("::");
    }
    let segments: Vec<String> = krate.segments.iter().map(|s| s.ident.to_string()).collect();
    text.push_str(&segments.join("::"));
    LitStr::new(&format!("{text}::__private::{module}"), krate.span())
}

#[cfg(test)]
mod tests {
    use super::path_literal;

    #[test]
    fn path_literal_keeps_the_leading_colons() {
        let krate: syn::Path = syn::parse_quote!(::floe_registry);
        assert_eq!(
            path_literal(&krate, "serde").value(),
            "::floe_registry::__private::serde"
        );
        let renamed: syn::Path = syn::parse_quote!(crate::reg);
        assert_eq!(
            path_literal(&renamed, "schemars").value(),
            "crate::reg::__private::schemars"
        );
    }
}
