//! Checks the parsed attribute against the rules of `floe-registry-rules`, the same
//! functions the runtime uses, and builds the [`Plugin`] model.

use proc_macro2::Span;
use syn::{Ident, LitStr};

use crate::ast::{Args, Errors, Plugin};
use crate::item::Item;
use floe_registry_rules::{
    ApiVersion, PLUGIN_TYPE_VARIANTS, check_name, check_semver, closest, suggest_name,
    variant_for_prefix,
};

pub(crate) fn validate(args: Args, item: &Item, errors: &mut Errors) -> Option<Plugin> {
    let variant = plugin_type(args.plugin_type, errors);
    let name = plugin_name(args.name, errors);
    let version = version(args.version, errors);
    let api = api_version(args.floe_api_version, errors);
    let dependencies = dependencies(
        args.dependencies.unwrap_or_default(),
        name.as_ref(),
        variant.as_ref(),
        errors,
    );
    if let Some((_, span)) = &item.config_field {
        if args.config.is_none() {
            errors.at(
                *span,
                "a `#[config]` field needs a config type: add `config = YourConfig` to #[floe_plugin(...)]",
            );
        }
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

fn plugin_type(ident: Option<Ident>, errors: &mut Errors) -> Option<Ident> {
    let Some(ident) = ident else {
        errors.at(
            Span::call_site(),
            format!(
                "missing required key `type`: add `type = Compute` (one of: {})",
                PLUGIN_TYPE_VARIANTS.join(", ")
            ),
        );
        return None;
    };
    let written = ident.to_string();
    if PLUGIN_TYPE_VARIANTS.contains(&written.as_str()) {
        return Some(ident);
    }
    let hint = variant_for_prefix(&written)
        .map(|v| vec![v])
        .unwrap_or_else(|| closest(&written, PLUGIN_TYPE_VARIANTS));
    let hint = hint
        .first()
        .map(|v| format!("did you mean `{v}`? "))
        .unwrap_or_default();
    errors.at(
        ident.span(),
        format!(
            "unknown plugin type `{written}`; {hint}valid types: {}",
            PLUGIN_TYPE_VARIANTS.join(", ")
        ),
    );
    None
}

fn plugin_name(lit: Option<LitStr>, errors: &mut Errors) -> Option<LitStr> {
    let Some(lit) = lit else {
        errors.at(
            Span::call_site(),
            "missing required key `name`: add `name = \"my-plugin\"`",
        );
        return None;
    };
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
        Err(e) => {
            errors.at(lit.span(), format!("invalid `floe_api_version`: {e}"));
            None
        }
    }
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
        let (prefix, name) = match dep.split_once(':') {
            Some((p, n)) => (Some(p), n),
            None => (None, dep.as_str()),
        };
        if let Some(prefix) = prefix {
            if variant_for_prefix(prefix).is_none() {
                let snake: Vec<String> = PLUGIN_TYPE_VARIANTS
                    .iter()
                    .map(|v| floe_registry_rules::snake_case(v))
                    .collect();
                let hint = closest(prefix, snake.iter().map(String::as_str))
                    .first()
                    .map(|s| format!("did you mean `{s}`? "))
                    .unwrap_or_default();
                errors.at(
                    lit.span(),
                    format!("unknown plugin type `{prefix}` in dependency \"{dep}\"; {hint}write \"type:name\" with one of: {}", snake.join(", ")),
                );
                ok = false;
                continue;
            }
        }
        if let Err(e) = check_name(name) {
            let hint = suggest_name(name)
                .map(|s| format!("; did you mean \"{s}\"?"))
                .unwrap_or_default();
            errors.at(
                lit.span(),
                format!("invalid dependency \"{dep}\": {e}{hint}"),
            );
            ok = false;
            continue;
        }
        let same_type = prefix.is_none_or(|p| variant_for_prefix(p).map(str::to_owned) == own_type);
        if own.as_deref() == Some(name) && same_type {
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
    use super::semver_hint;

    #[test]
    fn semver_hints_fix_common_slips() {
        assert_eq!(semver_hint("1.0"), "; did you mean \"1.0.0\"?");
        assert_eq!(semver_hint("v1.0.0"), "; did you mean \"1.0.0\"?");
        assert_eq!(semver_hint("1.0.0.0"), "; did you mean \"1.0.0\"?");
        assert_eq!(semver_hint("banana"), "");
    }
}
