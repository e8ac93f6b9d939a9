//! Parses `#[floe_config(...)]` into [`ConfigArgs`]: nothing, `crate = path`,
//! `serialize`, in any order, each at most once, every problem collected.

use proc_macro2::{TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, Token};

use crate::ast::{ConfigArgs, Errors};
use crate::attr::{crate_path, skip_to_comma, span_of, value_tokens};

pub(crate) const ARGUMENTS: [&str; 2] = ["crate", "serialize"];

const VALID: &str = "valid arguments: `crate = path`, `serialize`";

/// serde's container attributes: written as arguments, they belong in `#[serde(...)]`.
const SERDE_ATTRIBUTES: [&str; 13] = [
    "deny_unknown_fields",
    "rename",
    "rename_all",
    "rename_all_fields",
    "default",
    "tag",
    "content",
    "untagged",
    "transparent",
    "bound",
    "from",
    "try_from",
    "into",
];

/// schemars' own container attributes, which belong in `#[schemars(...)]`.
const SCHEMARS_ATTRIBUTES: [&str; 6] = [
    "title",
    "description",
    "example",
    "extend",
    "transform",
    "inline",
];

pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> ConfigArgs {
    let mut args = ConfigArgs::default();
    let mut seen: Vec<String> = Vec::new();
    let parser = |input: ParseStream<'_>| -> syn::Result<()> {
        while !input.is_empty() {
            let Ok(key) = input.call(Ident::parse_any) else {
                let bad: TokenTree = input.parse()?;
                errors.at(bad.span(), format!("expected an argument; {VALID}"));
                skip_to_comma(input)?;
                continue;
            };
            let value = if input.peek(Token![=]) {
                input.parse::<Token![=]>()?;
                Some(value_tokens(input)?)
            } else {
                None
            };
            argument(&mut args, &mut seen, &key, value, errors);
            if !input.is_empty() {
                input.parse::<Token![,]>()?;
            }
        }
        Ok(())
    };
    if let Err(e) = parser.parse2(tokens) {
        errors.push(e);
    }
    args
}

fn argument(
    args: &mut ConfigArgs,
    seen: &mut Vec<String>,
    key: &Ident,
    value: Option<TokenStream>,
    errors: &mut Errors,
) {
    let text = key.to_string();
    if !ARGUMENTS.contains(&text.as_str()) {
        errors.at(key.span(), unknown(&text, value.as_ref()));
        return;
    }
    if seen.contains(&text) {
        errors.at(
            key.span(),
            format!(
                "duplicate argument `{text}`: each argument may be given once; remove this one"
            ),
        );
        return;
    }
    seen.push(text.clone());
    match (text.as_str(), value) {
        ("crate", Some(value)) if !value.is_empty() => {
            let at = span_of(&value, key.span());
            args.krate = crate_path(value, at, errors);
        }
        ("crate", _) => errors.at(
            key.span(),
            "`crate` needs the path floe-registry is reached by: write `crate = my_registry`",
        ),
        ("serialize", None) => args.serialize = true,
        ("serialize", Some(value)) => {
            // Derive it anyway unless it says `false`: one mistake, one error.
            args.serialize = value.to_string() != "false";
            errors.at(
                key.span(),
                "`serialize` takes no value: write `serialize` alone to also derive `Serialize`, or leave it out",
            );
        }
        _ => {}
    }
}

fn unknown(text: &str, value: Option<&TokenStream>) -> String {
    let written = match value {
        Some(value) => format!("{text} = {value}"),
        None => text.to_owned(),
    };
    let fix = if text == "Deserialize" || text == "JsonSchema" {
        format!("`{text}` is always derived, leave it out; ")
    } else if SERDE_ATTRIBUTES.contains(&text) {
        format!("it is a serde attribute: write `#[serde({written})]` on the item; ")
    } else if SCHEMARS_ATTRIBUTES.contains(&text) {
        format!("it is a schemars attribute: write `#[schemars({written})]` on the item; ")
    } else {
        floe_registry_rules::closest(text, ARGUMENTS)
            .first()
            .map(|k| format!("did you mean `{k}`? "))
            .unwrap_or_default()
    };
    format!("unknown argument `{text}`; {fix}{VALID}")
}

#[cfg(test)]
mod tests {
    use super::parse;
    use crate::ast::Errors;

    fn parsed(tokens: proc_macro2::TokenStream) -> (crate::ast::ConfigArgs, Vec<String>) {
        let mut errors = Errors::default();
        let args = parse(tokens, &mut errors);
        (args, errors.messages())
    }

    #[test]
    fn no_arguments_means_the_default_crate_and_no_serialize() {
        let (args, errors) = parsed(quote::quote!());
        assert!(errors.is_empty(), "no errors expected: {errors:?}");
        assert!(args.krate.is_none() && !args.serialize);
    }

    #[test]
    fn crate_and_serialize_are_read_in_any_order() {
        let (args, errors) = parsed(quote::quote!(serialize, crate = reg::inner,));
        assert!(errors.is_empty(), "no errors expected: {errors:?}");
        assert!(args.serialize, "`serialize` sets serialize");
        let krate = args
            .krate
            .map(|p| quote::ToTokens::to_token_stream(&p).to_string());
        assert_eq!(krate.as_deref(), Some("reg :: inner"));
    }

    #[test]
    fn unknown_argument_suggests_the_closest() {
        let (_, errors) = parsed(quote::quote!(serialise));
        assert_eq!(
            errors,
            [
                "unknown argument `serialise`; did you mean `serialize`? valid arguments: `crate = path`, `serialize`"
            ]
        );
    }

    #[test]
    fn serde_attribute_as_argument_points_to_serde() {
        let (_, errors) = parsed(quote::quote!(rename_all = "camelCase"));
        assert_eq!(
            errors,
            [
                "unknown argument `rename_all`; it is a serde attribute: write `#[serde(rename_all = \"camelCase\")]` on the item; valid arguments: `crate = path`, `serialize`"
            ]
        );
    }

    #[test]
    fn duplicate_argument_is_reported_once() {
        let (args, errors) = parsed(quote::quote!(serialize, serialize));
        assert!(args.serialize);
        assert_eq!(
            errors,
            ["duplicate argument `serialize`: each argument may be given once; remove this one"]
        );
    }

    #[test]
    fn crate_without_a_path_says_what_to_write() {
        let (_, errors) = parsed(quote::quote!(crate));
        assert_eq!(
            errors,
            ["`crate` needs the path floe-registry is reached by: write `crate = my_registry`"]
        );
    }

    #[test]
    fn serialize_with_a_value_is_an_error_but_still_derives() {
        let (args, errors) = parsed(quote::quote!(serialize = true));
        assert!(args.serialize, "`serialize = true` still derives Serialize");
        assert_eq!(errors.len(), 1, "one error: {errors:?}");
    }
}
