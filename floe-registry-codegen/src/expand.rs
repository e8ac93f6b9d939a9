//! Generates the registration of a valid plugin.
//!
//! Everything is named through `<crate>::__private`, imported once as `__floe`, so a
//! plugin crate needs no dependency but floe-registry. The registration is a static in a linkme distributed
//! slice; the metadata impl hands out that same static, so there is one copy.

use proc_macro2::TokenStream;
use quote::{quote, quote_spanned};
use syn::spanned::Spanned;

use crate::ast::Plugin;
use crate::item::Item;

pub(crate) fn plugin(plugin: &Plugin, item: &Item) -> TokenStream {
    let input = &item.input;
    let ident = &input.ident;
    let krate = &plugin.krate;
    let p = quote!(__floe::__private);
    let variant = &plugin.variant;
    let name = &plugin.name;
    let description = &plugin.description;
    let dependencies = &plugin.dependencies;
    let version = match &plugin.version {
        Some(lit) => quote!(#lit),
        None => quote!(::core::env!("CARGO_PKG_VERSION")),
    };
    let (api, api_check) = match &plugin.api {
        None => (quote!(#p::FLOE_API_VERSION), quote!()),
        Some((lit, major, minor)) => (quote!(#lit), api_check(plugin, lit, *major, *minor)),
    };
    let construct = quote_spanned! {ident.span()=>
        fn __floe_construct() -> #p::PluginInstance {
            #p::PluginInstance::#variant(::std::sync::Arc::new(#p::construct::<#ident>()))
        }
    };
    let config = match &plugin.config {
        None => quote!(::core::option::Option::None),
        Some(ty) => {
            quote_spanned! {ty.span()=> ::core::option::Option::Some(#p::ConfigSpec::of::<#ty>()) }
        }
    };
    let accept = match (&item.config_field, &plugin.config) {
        (Some(field), Some(config)) => {
            let member = &field.member;
            // The cell's type is spelled from `config = ...` and the field is read with
            // the field's own span: a field of another type is one mismatched-types
            // error on that field, saying which `ConfigCell` it must be.
            let cell = quote_spanned!(config.span()=> &__floe::__private::ConfigCell<#config>);
            let read = quote_spanned!(field.ty.span()=> &self.#member);
            quote! {
                fn accept_config(&self, config: &#p::AnyConfig) -> ::core::result::Result<(), #p::PluginError> {
                    let cell: #cell = #read;
                    cell.accept(config)
                }
            }
        }
        _ => quote!(),
    };
    let type_name = ident.to_string();
    // Spanned on the user's path, so that an unresolved one is underlined there.
    let import = quote_spanned!(krate.span()=> use #krate as __floe;);
    quote! {
        #input

        // As serde's derives do: the block's names are generated, so lints about
        // how they are written are not the plugin author's to fix.
        #[doc(hidden)]
        #[allow(
            non_upper_case_globals,
            non_snake_case,
            unused_attributes,
            unused_qualifications,
            clippy::absolute_paths,
            clippy::used_underscore_items,
        )]
        const _: () = {
            // The one place the runtime's path is written: if it does not resolve,
            // rustc reports it here once instead of at every use below (the
            // `#[linkme]` helper and the plugin's own trait impl still notice).
            #import

            #api_check

            #construct

            #[#p::linkme::distributed_slice(#p::FLOE_REGISTRY_PLUGINS)]
            #[linkme(crate = #p::linkme)]
            static __FLOE_PLUGIN: #p::PluginDescriptor = #p::linked_descriptor(
                #p::PluginType::#variant,
                #name,
                #version,
                #api,
                #description,
                &[#(#dependencies),*],
                #p::PluginSource::linked(
                    ::core::env!("CARGO_PKG_NAME"),
                    ::core::module_path!(),
                    #type_name,
                ),
                __floe_construct,
                #config,
            );

            // `PluginMetadata` needs `Send + Sync`. Stated as a bound (under a binder,
            // so rustc does not reject it as trivially false), a plugin that is not
            // thread-safe gets one error, where its type trait is implemented,
            // rather than a second one here.
            #[automatically_derived]
            impl #p::PluginMetadata for #ident
            where
                for<'__floe> #ident: ::core::marker::Send + ::core::marker::Sync,
            {
                fn descriptor(&self) -> &#p::PluginDescriptor {
                    &__FLOE_PLUGIN
                }

                #accept
            }

            #[automatically_derived]
            impl #p::FloePlugin for #ident {
                const DESCRIPTOR: &'static #p::PluginDescriptor = &__FLOE_PLUGIN;
            }
        };
    }
}

/// The compile-time API compatibility check, spanned on the declared version: one
/// const-evaluation error naming the plugin, both versions and the fix. The
/// platform's version comes from the runtime's `__floe_api_version!()`, so it is the
/// floe-registry this crate is compiled against that decides.
fn api_check(plugin: &Plugin, lit: &syn::LitStr, major: u32, minor: u32) -> TokenStream {
    let p = quote!(__floe::__private);
    let name = plugin.name.value();
    let declared = lit.value();
    let head = format!(
        "plugin `{name}` needs floe plugin API {major}.{minor} (`floe_api_version = \"{declared}\"`), but the floe-registry it is built against implements API "
    );
    let major_fix = format!(
        "; the major versions must match: build against a floe-registry that implements API {major}.x, or port the plugin to API "
    );
    let minor_fix = "; declare `floe_api_version = \"";
    let minor_end = "\"` if the plugin uses nothing newer, or upgrade floe-registry";
    // A `macro_rules!` cannot be reached through the block's `use`: name it in full.
    let krate = &plugin.krate;
    let version = quote!(#krate::__floe_api_version!());
    // Comparisons go through functions: clippy's deny-by-default
    // `absurd_extreme_comparisons` fires on a literal compared with a constant 0.
    quote_spanned! {lit.span()=>
        const _: () = if !#p::api_compatible(#major, 0, #p::API_MAJOR, ::core::primitive::u32::MAX) {
            ::core::panic!(::core::concat!(#head, #version, #major_fix, #version));
        } else if !#p::api_compatible(#major, #minor, #p::API_MAJOR, #p::API_MINOR) {
            ::core::panic!(::core::concat!(#head, #version, #minor_fix, #version, #minor_end));
        };
    }
}
