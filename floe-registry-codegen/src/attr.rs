//! Parses `#[floe_plugin(key = value, ...)]` into [`Args`], collecting every problem.

use proc_macro2::{Span, TokenStream, TokenTree};
use syn::ext::IdentExt;
use syn::parse::{ParseStream, Parser};
use syn::{Ident, LitStr, Token};

use crate::ast::{Args, Errors};

pub(crate) const KEYS: [&str; 8] = [
    "type",
    "name",
    "version",
    "floe_api_version",
    "description",
    "dependencies",
    "config",
    "crate",
];

pub(crate) fn parse(tokens: TokenStream, errors: &mut Errors) -> Args {
    let mut args = Args {
        tokens: tokens.clone(),
        ..Args::default()
    };
    let mut seen: Vec<String> = Vec::new();
    let parser = |input: ParseStream<'_>| -> syn::Result<()> {
        while !input.is_empty() {
            let key = match input.call(Ident::parse_any) {
                Ok(key) => key,
                Err(_) => {
                    let bad: TokenTree = input.parse()?;
                    match quoted_key(&bad) {
                        // `"name" = ...`: say so once, then read the value as usual.
                        Some(key) => {
                            errors.at(
                                bad.span(),
                                format!("keys are written without quotes: write `{key} = ...`"),
                            );
                            key
                        }
                        None => {
                            errors.at(
                                bad.span(),
                                format!(
                                    "expected a key written `key = value`; valid keys: {}",
                                    KEYS.join(", ")
                                ),
                            );
                            skip_to_comma(input)?;
                            continue;
                        }
                    }
                }
            };
            let key_text = key.to_string();
            args.given.push(key_text.clone());
            if !input.peek(Token![=]) {
                errors.at(
                    key.span(),
                    format!("expected `=` after `{key_text}`: write `{key_text} = ...`"),
                );
                skip_to_comma(input)?;
                continue;
            }
            input.parse::<Token![=]>()?;
            let value = value_tokens(input)?;
            if seen.contains(&key_text) {
                errors.at(
                    key.span(),
                    format!(
                        "duplicate key `{key_text}`: each key may be given once; remove this one"
                    ),
                );
            } else {
                seen.push(key_text.clone());
                read_value(&mut args, &key, value, errors);
            }
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

/// A string literal naming a valid key, as an identifier spanned on the literal.
fn quoted_key(token: &TokenTree) -> Option<Ident> {
    let lit = syn::parse2::<LitStr>(token.clone().into()).ok()?;
    let text = lit.value();
    KEYS.contains(&text.as_str())
        .then(|| Ident::new(&text, lit.span()))
}

pub(crate) fn skip_to_comma(input: ParseStream<'_>) -> syn::Result<()> {
    value_tokens(input)?;
    if !input.is_empty() {
        input.parse::<Token![,]>()?;
    }
    Ok(())
}

/// The tokens of one value: everything up to the next top-level comma.
pub(crate) fn value_tokens(input: ParseStream<'_>) -> syn::Result<TokenStream> {
    let mut out = TokenStream::new();
    while !input.is_empty() && !input.peek(Token![,]) {
        let tt: TokenTree = input.parse()?;
        out.extend([tt]);
    }
    Ok(out)
}

pub(crate) fn span_of(tokens: &TokenStream, fallback: Span) -> Span {
    tokens
        .clone()
        .into_iter()
        .next()
        .map_or(fallback, |t| t.span())
}

fn read_value(args: &mut Args, key: &Ident, value: TokenStream, errors: &mut Errors) {
    let at = span_of(&value, key.span());
    if value.is_empty() {
        errors.at(key.span(), format!("`{key}` has no value after `=`"));
        return;
    }
    match key.to_string().as_str() {
        "type" => match syn::parse2::<Ident>(value.clone()) {
            Ok(ident) => args.plugin_type = Some(ident),
            Err(_) => {
                let written = value.clone();
                let hint = if let Ok(s) = syn::parse2::<LitStr>(value.clone()) {
                    format!(": write `type = {}` without quotes", s.value())
                } else if let Ok(path) = syn::parse2::<syn::Path>(value) {
                    // `PluginType::Compute`: the variant alone is what the key takes.
                    let last = path.segments.last().map(|s| s.ident.to_string());
                    format!(
                        ": write the variant alone, `type = {}`",
                        last.as_deref().unwrap_or("Compute")
                    )
                } else {
                    ", e.g. `type = Compute`".to_owned()
                };
                errors.over(
                    &written,
                    format!("`type` expects a plugin type name as an identifier{hint}"),
                );
            }
        },
        "name" => args.name = string(key, value, "\"duckdb\"", errors),
        "version" => args.version = string(key, value, "\"1.0.0\"", errors),
        "floe_api_version" => args.floe_api_version = string(key, value, "\"1.0\"", errors),
        "description" => args.description = string(key, value, "\"Embedded DuckDB\"", errors),
        "dependencies" => args.dependencies = dependencies(value, errors),
        "config" => {
            if let Ok(lit) = syn::parse2::<LitStr>(value.clone()) {
                errors.at(
                    at,
                    format!(
                        "`config` expects a type, not a string: write `config = {}`",
                        lit.value()
                    ),
                );
            } else {
                match syn::parse2::<syn::Type>(value) {
                    Ok(ty) => args.config = Some(ty),
                    Err(_) => {
                        errors.at(at, "`config` expects a type, e.g. `config = DuckDbConfig`")
                    }
                }
            }
        }
        "crate" => args.krate = crate_path(value, at, errors),
        other => {
            let hint = floe_registry_rules::closest(other, KEYS)
                .first()
                .map(|k| format!("did you mean `{k}`? "))
                .unwrap_or_default();
            errors.at(
                key.span(),
                format!(
                    "unknown key `{other}`; {hint}valid keys: {}",
                    KEYS.join(", ")
                ),
            );
        }
    }
}

/// The value of `crate = ...`, shared by `#[floe_plugin]` and `#[floe_config]`: the
/// path floe-registry is reached by. `at` spans the error when it is not a path.
pub(crate) fn crate_path(value: TokenStream, at: Span, errors: &mut Errors) -> Option<syn::Path> {
    match syn::parse2::<syn::Path>(value.clone()) {
        Ok(path) => Some(path),
        Err(_) => {
            let fix = syn::parse2::<LitStr>(value)
                .map(|s| format!("write `crate = {}` without quotes", s.value()))
                .unwrap_or_else(|_| {
                    "e.g. `crate = my_registry` after `use floe_registry as my_registry;`"
                        .to_owned()
                });
            errors.at(
                at,
                format!("`crate` expects the path floe-registry is reached by; {fix}"),
            );
            None
        }
    }
}

fn string(key: &Ident, value: TokenStream, example: &str, errors: &mut Errors) -> Option<LitStr> {
    let at = span_of(&value, key.span());
    match syn::parse2::<LitStr>(value) {
        Ok(lit) => Some(lit),
        Err(_) => {
            errors.at(
                at,
                format!("`{key}` expects a string literal, e.g. `{key} = {example}`"),
            );
            None
        }
    }
}

fn dependencies(value: TokenStream, errors: &mut Errors) -> Option<Vec<LitStr>> {
    let at = span_of(&value, Span::call_site());
    // Each element: a string literal, or the span of whatever stands there instead.
    let list = |input: ParseStream<'_>| {
        let content;
        syn::bracketed!(content in input);
        let mut out: Vec<Result<LitStr, TokenTree>> = Vec::new();
        while !content.is_empty() {
            let item: TokenTree = content.parse()?;
            out.push(syn::parse2::<LitStr>(item.clone().into()).map_err(|_| item));
            if !content.is_empty() {
                content.parse::<Token![,]>()?;
            }
        }
        Ok(out)
    };
    match list.parse2(value) {
        Ok(items) => {
            let mut good = Vec::new();
            for item in items {
                match item {
                    Ok(lit) => good.push(lit),
                    Err(token) => {
                        let fix = match &token {
                            TokenTree::Ident(name) => format!("write `\"{name}\"`"),
                            _ => "`\"name\"` or `\"type:name\"`".to_owned(),
                        };
                        errors.at(
                            token.span(),
                            format!("each dependency must be a string literal: {fix}"),
                        );
                    }
                }
            }
            Some(good)
        }
        Err(_) => {
            errors.at(
                at,
                "`dependencies` expects an array of string literals, e.g. `dependencies = [\"polaris\", \"storage:s3\"]`",
            );
            None
        }
    }
}
