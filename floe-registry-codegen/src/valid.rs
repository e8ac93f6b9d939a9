//! Checks the parsed attribute against the rules of `floe-registry-rules`, the same
//! functions the runtime uses, and builds the [`Plugin`] model.

use proc_macro2::Span;
use syn::{Ident, LitStr};

use crate::ast::{Args, Errors, Plugin};
use crate::item::Item;
use floe_registry_rules::{
    ApiVersion, PLUGIN_TYPE_VARIANTS, attribute_type_values, check_name, check_semver, closest,
    suggest_name, variant_for_attribute, variant_for_prefix,
};

pub(crate) fn validate(args: Args, item: &Item, errors: &mut Errors) -> Option<Plugin> {
    missing_keys(&args, errors);
    let variant = match args.plugin_type {
        Some(ident) => plugin_type(ident, errors),
        None => None,
    };
    let name = match args.name {
        Some(lit) => plugin_name(lit, errors),
        None => None,
    };
    let version = version(args.version, errors);
    let api = api_version(args.floe_api_version, errors);
    let dependencies = dependencies(
        args.dependencies.unwrap_or_default(),
        name.as_ref(),
        variant.as_ref(),
        errors,
    );
    if let Some(field) = &item.config_field
        && args.config.is_none()
    {
        let config = cell_argument(&field.ty).unwrap_or_else(|| "YourConfig".to_owned());
        errors.at(
            field.marker,
            format!(
                "a `#[config]` field needs a config type: add `config = {config}` to #[floe_plugin(...)]"
            ),
        );
    }
    let description = args
        .description
        .map(|d| d.value())
        .unwrap_or_else(|| item.doc.clone());
    let krate = args
        .krate
        .unwrap_or_else(|| syn::parse_quote!(::floe_registry));
    Some(Plugin {
        variant: variant?,
        name: name?,
        version: version?,
        api: api?,
        description,
        dependencies: dependencies?,
        config: args.config,
        krate,
    })
}

/// `X` of a field type written `ConfigCell<X>` (with any path before it).
fn cell_argument(ty: &syn::Type) -> Option<String> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match (last.ident == "ConfigCell", args.args.first()) {
        (true, Some(syn::GenericArgument::Type(inner))) => Some(
            quote::ToTokens::to_token_stream(inner)
                .to_string()
                .replace(' ', ""),
        ),
        _ => None,
    }
}

/// Reports the required keys that are not written at all, in one error; a key
/// written with a bad value has had its own error already.
fn missing_keys(args: &Args, errors: &mut Errors) {
    let absent = |key: &str| !args.given.iter().any(|k| k == key);
    let types = PLUGIN_TYPE_VARIANTS.join(", ");
    let message = match (absent("type"), absent("name")) {
        (true, true) => format!(
            "missing required keys `type` and `name`: write `#[floe_plugin(type = Compute, name = \"my-plugin\")]`, with `type` one of: {types}"
        ),
        (true, false) => {
            format!("missing required key `type`: add `type = Compute` or another of: {types}")
        }
        (false, true) => {
            "missing required key `name`: add `name = \"my-plugin\"` (1 to 64 of `a-z 0-9 - _`)"
                .to_owned()
        }
        (false, false) => return,
    };
    errors.over(&args.tokens, message);
}

/// The variant a `type = ...` value names, spanned on the user's token: a variant, or
/// an alias in CamelCase (`Lineage` -> `LineageBackend`).
fn plugin_type(ident: Ident, errors: &mut Errors) -> Option<Ident> {
    let written = ident.to_string();
    if let Some(variant) = variant_for_attribute(&written) {
        return Some(Ident::new(variant, ident.span()));
    }
    let accepted = attribute_type_values();
    let hint = variant_for_prefix(&written)
        .map(|v| vec![v])
        .unwrap_or_else(|| closest(&written, accepted.iter().map(String::as_str)));
    let hint = hint
        .first()
        .map(|v| format!("did you mean `{v}`? "))
        .unwrap_or_default();
    errors.at(
        ident.span(),
        format!(
            "unknown plugin type `{written}`; {hint}valid types: {}",
            accepted.join(", ")
        ),
    );
    None
}

fn plugin_name(lit: LitStr, errors: &mut Errors) -> Option<LitStr> {
    let name = lit.value();
    match check_name(&name) {
        Ok(()) => Some(lit),
        Err(e) => {
            let hint = suggest_name(&name)
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default();
            errors.at(
                lit.span(),
                format!(
                    "invalid plugin name \"{}\": {e}{hint}",
                    name.escape_default()
                ),
            );
            None
        }
    }
}

/// `Some(None)`: no `version` key and the crate's version is valid.
fn version(lit: Option<LitStr>, errors: &mut Errors) -> Option<Option<LitStr>> {
    match lit {
        Some(lit) => match check_semver(&lit.value()) {
            Ok(_) => Some(Some(lit)),
            Err(e) => {
                let hint = semver_hint(&lit.value());
                errors.at(lit.span(), format!("{e}{hint}"));
                None
            }
        },
        None => {
            // The annotated crate's version, which Cargo passes to the compiler.
            let cargo = std::env::var("CARGO_PKG_VERSION").unwrap_or_default();
            match check_semver(&cargo) {
                Ok(_) => Some(None),
                Err(e) => {
                    errors.at(
                        Span::call_site(),
                        format!("no `version` given and the crate's version cannot be used: {e}; add `version = \"1.0.0\"`"),
                    );
                    None
                }
            }
        }
    }
}

/// A concrete fix for the common SemVer slips.
fn semver_hint(v: &str) -> String {
    let trimmed = v.trim_start_matches(['v', 'V']);
    let parts: Vec<&str> = trimmed.split('.').collect();
    let numeric = parts
        .iter()
        .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()));
    let fixed = match (numeric, parts.len()) {
        (true, 1) => format!("{}.0.0", parts[0]),
        (true, 2) => format!("{}.{}.0", parts[0], parts[1]),
        (true, 3) => trimmed.to_owned(),
        (true, n) if n > 3 => parts[..3].join("."),
        _ => return String::new(),
    };
    if fixed == v {
        String::new()
    } else {
        format!("; did you mean \"{fixed}\"?")
    }
}

/// `Some(None)`: no key, the platform's version.
fn api_version(lit: Option<LitStr>, errors: &mut Errors) -> Option<Option<(LitStr, u32, u32)>> {
    let Some(lit) = lit else { return Some(None) };
    match lit.value().parse::<ApiVersion>() {
        Ok(v) => Some(Some((lit, v.major, v.minor))),
        Err(_) => {
            let written = lit.value();
            let hint = api_version_hint(&written)
                .map(|fixed| format!("; did you mean \"{fixed}\"?"))
                .unwrap_or_default();
            errors.at(
                lit.span(),
                format!(
                    "invalid `floe_api_version` \"{}\": write MAJOR.MINOR, e.g. \"1.0\" (a patch, \"1.0.0\", is accepted and ignored){hint}",
                    written.escape_default()
                ),
            );
            None
        }
    }
}

/// A valid API version close to what was written: `v1.0` -> `1.0`, `1` -> `1.0`.
fn api_version_hint(written: &str) -> Option<String> {
    let trimmed = written.trim().trim_start_matches(['v', 'V']);
    let candidate = if trimmed.bytes().all(|b| b.is_ascii_digit()) && !trimmed.is_empty() {
        format!("{trimmed}.0")
    } else {
        trimmed.to_owned()
    };
    let version = candidate.parse::<ApiVersion>().ok()?;
    (candidate != written).then(|| version.to_string())
}

fn dependencies(
    deps: Vec<LitStr>,
    own: Option<&LitStr>,
    own_type: Option<&Ident>,
    errors: &mut Errors,
) -> Option<Vec<String>> {
    let own = own.map(LitStr::value);
    let own_type = own_type.map(Ident::to_string);
    let mut out: Vec<String> = Vec::new();
    let mut ok = true;
    for lit in deps {
        let dep = lit.value();
        // The rule is floe-registry-rules' parser, the one the registry and the CLI use.
        let parsed = match floe_registry_rules::parse_dependency(&dep) {
            Ok(parsed) => parsed,
            Err(e) => {
                errors.at(lit.span(), e.to_string());
                ok = false;
                continue;
            }
        };
        let same_type = parsed
            .plugin_type
            .is_none_or(|t| own_type.as_deref() == Some(t.variant));
        if own.as_deref() == Some(parsed.name) && same_type {
            errors.at(
                lit.span(),
                format!("a plugin cannot depend on itself: remove \"{dep}\""),
            );
            ok = false;
            continue;
        }
        if out.contains(&dep) {
            errors.at(
                lit.span(),
                format!("duplicate dependency \"{dep}\": list each dependency once"),
            );
            ok = false;
            continue;
        }
        out.push(dep);
    }
    ok.then_some(out)
}

#[cfg(test)]
mod tests {
    use super::{api_version_hint, semver_hint, validate};
    use crate::ast::Errors;

    #[test]
    fn semver_hints_fix_common_slips() {
        assert_eq!(semver_hint("1.0"), "; did you mean \"1.0.0\"?");
        assert_eq!(semver_hint("v1.0.0"), "; did you mean \"1.0.0\"?");
        assert_eq!(semver_hint("1.0.0.0"), "; did you mean \"1.0.0\"?");
        assert_eq!(semver_hint("banana"), "");
    }

    #[test]
    fn semver_hints_stay_quiet_on_prerelease_slips() {
        assert_eq!(semver_hint("1.0.0-"), "");
        assert_eq!(semver_hint("1.x.0"), "");
    }

    #[test]
    fn api_version_hints_fix_a_missing_minor_and_a_v_prefix() {
        assert_eq!(api_version_hint("1").as_deref(), Some("1.0"));
        assert_eq!(api_version_hint("v1.2").as_deref(), Some("1.2"));
        assert_eq!(api_version_hint("V2").as_deref(), Some("2.0"));
        assert_eq!(api_version_hint("one"), None);
        assert_eq!(api_version_hint(""), None);
    }

    fn errors_of(args: proc_macro2::TokenStream) -> Vec<String> {
        let mut errors = Errors::default();
        let args = crate::attr::parse(args, &mut errors);
        let item = crate::item::parse(
            quote::quote!(
                struct P;
            ),
            &mut errors,
        )
        .unwrap_or_else(|_| panic!("a unit struct is a valid item"));
        let plugin = validate(args, &item, &mut errors);
        assert_eq!(
            plugin.is_some(),
            errors.is_empty(),
            "a plugin exactly when no error"
        );
        errors.messages()
    }

    #[test]
    fn a_required_key_with_a_bad_value_is_not_also_reported_missing() {
        let errors = errors_of(quote::quote!(type = "Compute", name = 42));
        assert_eq!(errors.len(), 2, "one error per mistake: {errors:?}");
        assert!(errors.iter().all(|e| !e.contains("missing")), "{errors:?}");
    }

    #[test]
    fn absent_required_keys_are_reported_in_one_error() {
        let errors = errors_of(quote::quote!(version = "1.0.0"));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("missing required keys `type` and `name`"),
            "{errors:?}"
        );
    }

    #[test]
    fn one_absent_required_key_is_named_alone() {
        let errors = errors_of(quote::quote!(type = Compute));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert!(
            errors[0].starts_with("missing required key `name`"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_quoted_key_is_reported_once_and_its_value_still_read() {
        let errors = errors_of(quote::quote!(type = Compute, "name" = "DuckDB"));
        assert_eq!(errors.len(), 2, "{errors:?}");
        assert!(
            errors[0].starts_with("keys are written without quotes"),
            "{errors:?}"
        );
        assert!(errors[1].contains("did you mean \"duckdb\"?"), "{errors:?}");
    }

    #[test]
    fn a_valid_attribute_gives_a_plugin_with_the_platform_defaults() {
        assert!(errors_of(quote::quote!(type = Compute, name = "duckdb")).is_empty());
    }

    #[test]
    fn a_dependency_on_the_same_name_of_another_type_is_not_a_self_dependency() {
        let ok = errors_of(quote::quote!(
            type = Catalog, name = "duckdb", dependencies = ["compute:duckdb"]
        ));
        assert!(ok.is_empty(), "{ok:?}");
        let own = errors_of(quote::quote!(
            type = Catalog, name = "duckdb", dependencies = ["duckdb"]
        ));
        assert_eq!(own.len(), 1, "{own:?}");
        assert!(
            own[0].starts_with("a plugin cannot depend on itself"),
            "{own:?}"
        );
    }

    #[test]
    fn cell_argument_reads_the_config_type_of_a_config_cell() {
        let ty: syn::Type = syn::parse_quote!(floe_registry::ConfigCell<my::Conf>);
        assert_eq!(super::cell_argument(&ty).as_deref(), Some("my::Conf"));
        let ty: syn::Type = syn::parse_quote!(Option<Conf>);
        assert_eq!(super::cell_argument(&ty), None);
    }
}
