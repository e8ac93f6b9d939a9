//! Checks the item under `#[floe_config]`: a struct or an enum (generic or not), whose
//! own `#[derive(...)]` does not repeat what the attribute derives.

use proc_macro2::TokenStream;
use quote::quote;
use syn::punctuated::Punctuated;
use syn::{Attribute, Data, DeriveInput, Meta, Path, Token};

use crate::ast::{ConfigArgs, Errors};

/// The item, ready for the derives; or the original tokens when it is not a struct or
/// an enum.
pub(crate) fn item(
    tokens: TokenStream,
    args: &ConfigArgs,
    errors: &mut Errors,
) -> Result<DeriveInput, TokenStream> {
    let mut input: DeriveInput = match syn::parse2(tokens.clone()) {
        Ok(input) => input,
        Err(_) => {
            let (span, what) = crate::item::describe(&tokens);
            errors.at(
                span,
                format!("#[floe_config] goes on a struct or an enum, not on {what}: annotate the config type"),
            );
            return Err(tokens);
        }
    };
    if let Data::Union(u) = &input.data {
        errors.at(
            u.union_token.span,
            "#[floe_config] goes on a struct or an enum, not on a union: serde cannot read a union; use a struct or an enum",
        );
        return Err(tokens);
    }
    for attr in &mut input.attrs {
        drop_repeated_derives(attr, args, errors);
    }
    input
        .attrs
        .retain(|attr| !matches!(&attr.meta, Meta::List(list) if list.path.is_ident("derive") && list.tokens.is_empty()));
    Ok(input)
}

/// Removes `Deserialize` and `JsonSchema` (and `Serialize` under `serialize`) from a
/// `#[derive(...)]`, with an error on each: two impls would be rustc's conflicting
/// implementations error, which does not say that the attribute derives them.
fn drop_repeated_derives(attr: &mut Attribute, args: &ConfigArgs, errors: &mut Errors) {
    let Meta::List(list) = &mut attr.meta else {
        return;
    };
    if !list.path.is_ident("derive") {
        return;
    }
    let Ok(paths) = list.parse_args_with(Punctuated::<Path, Token![,]>::parse_terminated) else {
        return;
    };
    let mut kept: Vec<Path> = Vec::new();
    for path in paths {
        let name = path.segments.last().map(|s| s.ident.to_string());
        match name.as_deref() {
            Some(derive @ ("Deserialize" | "JsonSchema")) => errors.push(syn::Error::new_spanned(
                &path,
                format!("#[floe_config] already derives `{derive}`: remove it from this #[derive(...)]"),
            )),
            Some("Serialize") if args.serialize => errors.push(syn::Error::new_spanned(
                &path,
                "#[floe_config(serialize)] already derives `Serialize`: remove it from this #[derive(...)]",
            )),
            _ => kept.push(path),
        }
    }
    list.tokens = quote!(#(#kept),*);
}

#[cfg(test)]
mod tests {
    use quote::{ToTokens, quote};

    use super::item;
    use crate::ast::{ConfigArgs, Errors};

    #[test]
    fn repeated_derives_are_removed_with_an_error_each() {
        let mut errors = Errors::default();
        let input = quote! {
            #[derive(Debug, serde::Deserialize, JsonSchema, Clone)]
            struct Config { threads: u32 }
        };
        let Ok(input) = item(input, &ConfigArgs::default(), &mut errors) else {
            panic!("a struct is accepted");
        };
        assert_eq!(
            errors.messages(),
            [
                "#[floe_config] already derives `Deserialize`: remove it from this #[derive(...)]",
                "#[floe_config] already derives `JsonSchema`: remove it from this #[derive(...)]",
            ]
        );
        let attrs: Vec<String> = input
            .attrs
            .iter()
            .map(|a| a.to_token_stream().to_string())
            .collect();
        assert_eq!(attrs, ["# [derive (Debug , Clone)]"]);
    }

    #[test]
    fn a_derive_left_empty_is_dropped() {
        let mut errors = Errors::default();
        let args = ConfigArgs {
            serialize: true,
            ..ConfigArgs::default()
        };
        let input = quote! {
            #[derive(Serialize)]
            enum Mode { Fast }
        };
        let Ok(input) = item(input, &args, &mut errors) else {
            panic!("an enum is accepted");
        };
        assert_eq!(errors.messages().len(), 1, "one error for `Serialize`");
        assert!(input.attrs.is_empty(), "the empty #[derive()] is gone");
    }

    #[test]
    fn a_function_is_refused_and_given_back() {
        let mut errors = Errors::default();
        let input = quote!(
            fn config() {}
        );
        assert!(item(input, &ConfigArgs::default(), &mut errors).is_err());
        assert_eq!(
            errors.messages(),
            [
                "#[floe_config] goes on a struct or an enum, not on a function: annotate the config type"
            ]
        );
    }
}
