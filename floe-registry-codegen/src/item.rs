//! Parses the annotated item: a non-generic struct or enum, its doc comment and its
//! `#[config]` field.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::{Data, DeriveInput, Expr, Fields, Lit, Member, Meta};

use crate::ast::Errors;

pub(crate) struct Item {
    /// The item with `#[config]` markers removed, as it will be emitted.
    pub(crate) input: DeriveInput,
    /// The first paragraph of its doc comment, lines joined with spaces.
    pub(crate) doc: String,
    /// The field marked `#[config]`.
    pub(crate) config_field: Option<ConfigField>,
}

/// The field marked `#[config]`, which receives the validated config.
pub(crate) struct ConfigField {
    pub(crate) member: Member,
    /// The field's type, as written: it must be `ConfigCell<the config type>`.
    pub(crate) ty: syn::Type,
    /// The `config` of the marker, for errors about the marker itself.
    pub(crate) marker: Span,
}

/// The item, or the original tokens when it is not a struct, enum or union.
pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Result<Item, TokenStream> {
    let mut input: DeriveInput = match syn::parse2(tokens.clone()) {
        Ok(input) => input,
        Err(_) => {
            let (span, what) = describe(&tokens);
            errors.at(
                span,
                format!("#[floe_plugin] goes on a struct or an enum, not on {what}: annotate the plugin's struct"),
            );
            return Err(tokens);
        }
    };
    if let Data::Union(u) = &input.data {
        errors.at(
            u.union_token.span,
            "#[floe_plugin] goes on a struct or an enum, not on a union: use a struct",
        );
    }
    if !input.generics.params.is_empty() {
        errors.push(syn::Error::new_spanned(
            &input.generics,
            "a floe plugin cannot be generic: the registry builds it with `Default` and names it in a static; use a concrete type (a type alias will not do either)",
        ));
    }
    let config_field = take_config_field(&mut input, errors);
    let doc = doc_paragraph(&input.attrs);
    Ok(Item {
        input,
        doc,
        config_field,
    })
}

/// A name for what the item is, and where its keyword is, for the error.
pub(crate) fn describe(tokens: &TokenStream) -> (Span, &'static str) {
    for tt in tokens.clone() {
        if let TokenTree::Ident(ident) = &tt {
            let what = match ident.to_string().as_str() {
                "fn" => "a function",
                "trait" => "a trait",
                "impl" => "an impl block",
                "mod" => "a module",
                "type" => "a type alias",
                "const" | "static" => "a constant or static",
                "use" => "a use declaration",
                "macro_rules" => "a macro",
                _ => continue,
            };
            return (ident.span(), what);
        }
    }
    (Span::call_site(), "this item")
}

fn is_config_marker(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("config")
}

fn take_config_field(input: &mut DeriveInput, errors: &mut Errors) -> Option<ConfigField> {
    let mut found: Option<ConfigField> = None;
    match &mut input.data {
        Data::Struct(s) => {
            let fields: Vec<&mut syn::Field> = match &mut s.fields {
                Fields::Named(f) => f.named.iter_mut().collect(),
                Fields::Unnamed(f) => f.unnamed.iter_mut().collect(),
                Fields::Unit => Vec::new(),
            };
            for (i, field) in fields.into_iter().enumerate() {
                let Some(marker) = field.attrs.iter().find(|a| is_config_marker(a)) else {
                    continue;
                };
                let span = marker
                    .path()
                    .get_ident()
                    .map_or(Span::call_site(), |i| i.span());
                if !matches!(marker.meta, Meta::Path(_)) {
                    errors.at(span, "write the marker as `#[config]`, with no arguments");
                }
                field.attrs.retain(|a| !is_config_marker(a));
                let member = match &field.ident {
                    Some(ident) => Member::Named(ident.clone()),
                    None => Member::Unnamed(i.into()),
                };
                if found.is_some() {
                    errors.at(span, "only one field may be marked `#[config]`");
                } else {
                    found = Some(ConfigField {
                        member,
                        ty: field.ty.clone(),
                        marker: span,
                    });
                }
            }
        }
        Data::Enum(e) => {
            for variant in &mut e.variants {
                for field in variant.fields.iter_mut() {
                    if let Some(marker) = field.attrs.iter().find(|a| is_config_marker(a)) {
                        errors.push(syn::Error::new_spanned(
                            marker,
                            "`#[config]` marks a field of a plugin struct; an enum plugin reads its config through the registry",
                        ));
                        field.attrs.retain(|a| !is_config_marker(a));
                    }
                }
            }
        }
        Data::Union(_) => {}
    }
    found
}

/// The first paragraph of the `///` comment: lines up to the first blank one, trimmed
/// and joined with spaces.
fn doc_paragraph(attrs: &[syn::Attribute]) -> String {
    let mut words: Vec<String> = Vec::new();
    for attr in attrs {
        let Meta::NameValue(nv) = &attr.meta else {
            continue;
        };
        if !nv.path.is_ident("doc") {
            continue;
        }
        let Expr::Lit(lit) = &nv.value else { continue };
        let Lit::Str(s) = &lit.lit else { continue };
        let text = s.value();
        // A bare `///` line is an attribute with empty text: a paragraph break too.
        let lines: Vec<&str> = if text.trim().is_empty() {
            vec![""]
        } else {
            text.lines().collect()
        };
        for line in lines {
            let line = line.trim();
            if line.is_empty() {
                if !words.is_empty() {
                    return words.join(" ");
                }
            } else {
                words.push(line.to_owned());
            }
        }
    }
    words.join(" ")
}

#[cfg(test)]
mod tests {
    use super::doc_paragraph;

    fn doc_of(input: syn::DeriveInput) -> String {
        doc_paragraph(&input.attrs)
    }

    #[test]
    fn doc_paragraph_joins_the_first_paragraph_lines_with_spaces() {
        let doc = doc_of(syn::parse_quote! {
            /// Embedded DuckDB:
            ///   runs dbt transforms in-process.
            struct P;
        });
        assert_eq!(doc, "Embedded DuckDB: runs dbt transforms in-process.");
    }

    #[test]
    fn doc_paragraph_stops_at_a_bare_doc_line() {
        let doc = doc_of(syn::parse_quote! {
            /// First paragraph.
            ///
            /// Second paragraph, left out.
            struct P;
        });
        assert_eq!(doc, "First paragraph.");
    }

    #[test]
    fn doc_paragraph_stops_at_a_blank_line_inside_one_doc_attribute() {
        let doc = doc_of(syn::parse_quote! {
            #[doc = "Block comment\n  continued.\n\n  Left out."]
            struct P;
        });
        assert_eq!(doc, "Block comment continued.");
    }

    #[test]
    fn doc_paragraph_skips_leading_blank_lines_and_other_attributes() {
        let doc = doc_of(syn::parse_quote! {
            #[derive(Default)]
            ///
            /// Starts late.
            #[allow(dead_code)]
            struct P;
        });
        assert_eq!(doc, "Starts late.");
    }

    #[test]
    fn doc_paragraph_is_empty_without_a_doc_comment() {
        assert_eq!(
            doc_of(syn::parse_quote!(
                struct P;
            )),
            ""
        );
    }
}
