//! What to emit when the attribute has errors: the errors, the item, and a stub
//! `PluginMetadata` impl so that the plugin's trait impl and uses of it do not add
//! follow-on errors. One mistake, one error.

use proc_macro2::TokenStream;
use quote::quote;

use crate::ast::Errors;
use crate::item::Item;

pub(crate) fn with_errors(item: &Item, krate: Option<syn::Path>, errors: Errors) -> TokenStream {
    let krate = krate.unwrap_or_else(|| syn::parse_quote!(::floe_registry));
    let input = &item.input;
    let ident = &input.ident;
    let (impl_generics, ty_generics, where_clause) = input.generics.split_for_impl();
    // A generic item is already an error; bound the stub by what `PluginMetadata`
    // needs so that it adds no `Send`/`Sync` errors of its own.
    let mut where_clause = where_clause
        .cloned()
        .unwrap_or_else(|| syn::parse_quote!(where));
    if !input.generics.params.is_empty() {
        where_clause
            .predicates
            .push(syn::parse_quote!(#ident #ty_generics: ::core::marker::Send + ::core::marker::Sync + 'static));
    }
    let errors = errors.into_compile_error();
    quote! {
        #errors
        #input
        #[automatically_derived]
        impl #impl_generics #krate::__private::PluginMetadata for #ident #ty_generics #where_clause {
            fn descriptor(&self) -> &#krate::__private::PluginDescriptor {
                ::core::unreachable!("this plugin did not compile")
            }
        }
    }
}

pub(crate) fn unusable_item(original: TokenStream, errors: Errors) -> TokenStream {
    let errors = errors.into_compile_error();
    quote! {
        #errors
        #original
    }
}
