//! Generates the registration of a valid plugin.
//!
//! Everything is named through `<crate>::__private`, so a plugin crate needs no
//! dependency but floe-registry. The registration is a static in a linkme distributed
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
    let p = quote!(#krate::__private);
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
        Some((lit, major, minor)) => {
            let message = format!(
                "plugin `{}` declares floe_api_version = \"{}\", but the linked floe-registry implements plugin API ",
                plugin.name.value(),
                lit.value()
            );
            let fix = format!(
                "; a plugin runs on a platform with the same major version and the same or a newer minor: lower `floe_api_version` to one this floe-registry supports, or upgrade floe-registry"
            );
            (
                quote!(#lit),
                quote_spanned! {lit.span()=>
                    const _: () = if !#p::api_compatible(#major, #minor, #p::API_MAJOR, #p::API_MINOR) {
                        ::core::panic!(::core::concat!(#message, #krate::__floe_api_version!(), #fix));
                    };
                },
            )
        }
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
    let accept = item.config_field.as_ref().map(|(member, span)| {
        quote_spanned! {*span=>
            fn accept_config(&self, config: &#p::AnyConfig) -> ::core::result::Result<(), #p::PluginError> {
                #p::ConfigCell::accept(&self.#member, config)
            }
        }
    });
    let type_name = ident.to_string();
    quote! {
        #input

        const _: () = {
            #api_check

            #construct

            #[#p::linkme::distributed_slice(#p::FLOE_REGISTRY_PLUGINS)]
            #[linkme(crate = #p::linkme)]
            static __FLOE_PLUGIN: #p::PluginDescriptor = #p::PluginDescriptor {
                plugin_type: #p::PluginType::#variant,
                name: #name,
                version: #version,
                floe_api_version: #api,
                description: #description,
                dependencies: &[#(#dependencies),*],
                source: #p::PluginSource {
                    crate_name: ::core::env!("CARGO_PKG_NAME"),
                    module_path: ::core::module_path!(),
                    type_name: #type_name,
                },
                constructor: __floe_construct,
                config: #config,
            };

            impl #p::PluginMetadata for #ident {
                fn descriptor(&self) -> &'static #p::PluginDescriptor {
                    &__FLOE_PLUGIN
                }

                #accept
            }
        };
    }
}
