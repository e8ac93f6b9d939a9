//! The manifest's top level: floe's known sections, the environment-specific keys it
//! rejects, the scope rules and the enterprise whitelists.

use super::{Report, category_names};
use crate::manifest::{Kind, Loc, Node};

/// The top-level keys floe's PlatformManifest knows; others are kept and ignored.
pub(crate) const KNOWN_SECTIONS: [&str; 14] = [
    "apiVersion",
    "kind",
    "metadata",
    "scope",
    "parent_manifest",
    "plugins",
    "governance",
    "approved_plugins",
    "approved_sinks",
    "approved_products",
    "defaults",
    "artifacts",
    "observability",
    "resource_presets",
];

/// The environment-specific keys floe rejects: one manifest serves every environment.
pub(crate) const ENVIRONMENT_KEYS: [&str; 10] = [
    "env_overrides",
    "environments",
    "environment",
    "env",
    "dev",
    "staging",
    "prod",
    "production",
    "target_env",
    "floe_env",
];

/// The scopes a manifest may declare.
pub(crate) const SCOPES: [&str; 2] = ["enterprise", "domain"];

type Entry<'a> = (String, Loc, &'a Node);

/// Checks every top-level key and the rules between them.
pub(super) fn check_sections(report: &mut Report, entries: &[Entry<'_>]) {
    for (key, loc, _) in entries {
        if ENVIRONMENT_KEYS.contains(&key.as_str()) {
            report.add(
                key.clone(),
                *loc,
                "environment_key",
                format!("floe rejects environment-specific keys ({}): the same manifest serves every environment; keep per-environment values outside it", ENVIRONMENT_KEYS.join(", ")),
            );
        } else if !KNOWN_SECTIONS.contains(&key.as_str()) {
            let hint = floe_registry_rules::closest(key, KNOWN_SECTIONS)
                .first()
                .map(|b| format!(" (did you mean `{b}`?)"))
                .unwrap_or_default();
            report.warn(
                key.clone(),
                *loc,
                "unknown_section",
                format!("unknown top-level section `{key}`{hint}: floe keeps it but ignores it (a newer manifest version, or a typo)"),
            );
        }
    }
    let find = |name: &str| entries.iter().find(|(k, _, _)| k == name);
    let scope = check_scope(report, find("scope"));
    let rules: [(&str, &str); 4] = [
        ("parent_manifest", "domain"),
        ("approved_plugins", "enterprise"),
        ("approved_sinks", "enterprise"),
        ("approved_products", "domain"),
    ];
    for (key, needs) in rules {
        if let Some((_, loc, _)) = find(key)
            && scope != Some(needs)
        {
            let now = scope.map_or("no scope".to_owned(), |s| format!("`scope: {s}`"));
            report.add(
                key,
                *loc,
                "scope",
                format!("`{key}` is allowed only in a manifest with `scope: {needs}`; this one has {now}"),
            );
        }
    }
    if scope == Some("domain") && find("parent_manifest").is_none() {
        let loc = find("scope").map_or(Loc::default(), |(_, l, _)| *l);
        report.add(
            "scope",
            loc,
            "scope",
            "a `scope: domain` manifest needs `parent_manifest`: the enterprise manifest it inherits from".to_owned(),
        );
    }
    if let Some((_, loc, node)) = find("approved_plugins") {
        check_approved_plugins(report, *loc, node);
    }
    if let Some((_, loc, node)) = find("approved_sinks")
        && strings(node).is_none()
    {
        report.add(
            "approved_sinks",
            *loc,
            "structure",
            format!("must be a list of sink types; found {}", node.kind_name()),
        );
    }
}

/// The declared scope, when it is a valid one; a problem otherwise.
fn check_scope(report: &mut Report, entry: Option<&Entry<'_>>) -> Option<&'static str> {
    let (_, loc, node) = entry?;
    match &node.kind {
        Kind::Null => None,
        Kind::Str(s) if SCOPES.contains(&s.as_str()) => SCOPES.into_iter().find(|x| x == s),
        _ => {
            report.add(
                "scope",
                *loc,
                "scope",
                format!(
                    "must be `enterprise`, `domain` or null; found {}",
                    describe(node)
                ),
            );
            None
        }
    }
}

fn describe(node: &Node) -> String {
    match &node.kind {
        Kind::Str(s) => format!("`{s}`"),
        _ => node.kind_name().to_owned(),
    }
}

fn strings(node: &Node) -> Option<Vec<String>> {
    match &node.kind {
        Kind::Seq(items) => items
            .iter()
            .map(|i| match &i.kind {
                Kind::Str(s) => Some(s.clone()),
                _ => None,
            })
            .collect(),
        _ => None,
    }
}

/// `approved_plugins: {category: [names]}`: every selection of a listed category must
/// be one of its names.
fn check_approved_plugins(report: &mut Report, loc: Loc, node: &Node) {
    let Some(entries) = node.entries() else {
        report.add(
            "approved_plugins",
            loc,
            "structure",
            format!(
                "must be a mapping from category to the list of approved plugin names; found {}",
                node.kind_name()
            ),
        );
        return;
    };
    let categories = category_names();
    for (category, key_loc, list) in entries {
        let path = format!("approved_plugins.{category}");
        if !categories.contains(&category.as_str()) {
            report.add(
                path,
                key_loc,
                "unknown_category",
                format!(
                    "unknown plugin category `{category}`; valid categories: {}",
                    categories.join(", ")
                ),
            );
            continue;
        }
        let Some(approved) = strings(list) else {
            report.add(
                path,
                key_loc,
                "structure",
                format!("must be a list of plugin names; found {}", list.kind_name()),
            );
            continue;
        };
        let offenders: Vec<(String, Loc)> = report
            .selected
            .iter()
            .filter(|s| {
                s.id.plugin_type.as_str() == category && !approved.iter().any(|a| *a == s.id.name)
            })
            .map(|s| (s.id.name.to_string(), s.type_loc))
            .collect();
        for (name, type_loc) in offenders {
            let field = if category == super::quality::CATEGORY {
                "provider"
            } else {
                "type"
            };
            report.add(
                format!("plugins.{category}.{field}"),
                type_loc,
                "not_approved",
                format!(
                    "Plugin '{name}' is not in the approved whitelist for category '{category}'. Approved plugins: [{}]",
                    approved.join(", ")
                ),
            );
        }
    }
}
