//! `floe plugins check`: every problem of a platform manifest, at once, each with its
//! manifest path and line.
//!
//! Config values are never printed: messages name fields, kinds and limits, and the
//! registry's config errors never echo values either.

use std::path::Path;
use std::process::ExitCode;

use floe_registry::{PluginError, PluginId, PluginRegistry, PluginType};
use semver::{Version, VersionReq};
use serde::Serialize;
use serde_json::Value;

use crate::CliError;
use crate::cli::CheckArgs;
use crate::error;
use crate::info::lookup_error;
use crate::manifest::{self, Loc, Node, ReadError};
use crate::output::{self, Style};

/// The manifest API this CLI reads.
pub const API_VERSION: &str = "floe.dev/v1";
/// The manifest kind this CLI reads.
pub const KIND: &str = "Manifest";
/// The keys a plugin selection may have.
pub(crate) const SELECTION_KEYS: [&str; 4] = ["type", "version", "config", "connection_secret_ref"];
/// The rule for `connection_secret_ref` (a Kubernetes Secret name).
pub(crate) const SECRET_REF_PATTERN: &str = "^[a-z0-9][a-z0-9-]*[a-z0-9]$|^[a-z0-9]$";
pub(crate) const SECRET_REF_MAX: usize = 253;

mod config_notes;
pub(crate) mod quality;
pub(crate) mod sections;

/// How serious a problem is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// floe would reject the manifest, or this floe cannot run it: exit 1.
    Error,
    /// floe accepts it, but it is worth saying: exit 0 unless `--deny-warnings`.
    Warning,
}

/// The manifest categories that select a plugin with `type:` (floe's PluginsConfig
/// keys, without `quality`, which selects with `provider:`). floe's manifest has no
/// key for rbac, alert channels, network security or secret scanners.
pub(crate) const SELECTION_CATEGORIES: &[PluginType] = &[
    PluginType::Compute,
    PluginType::Orchestrator,
    PluginType::Catalog,
    PluginType::Storage,
    PluginType::SemanticLayer,
    PluginType::Ingestion,
    PluginType::Secrets,
    PluginType::TelemetryBackend,
    PluginType::LineageBackend,
    PluginType::Identity,
    PluginType::Dbt,
];

/// The `plugins:` keys floe's manifest has, in its order.
pub(crate) fn category_names() -> Vec<&'static str> {
    let mut names: Vec<&str> = SELECTION_CATEGORIES.iter().map(|t| t.as_str()).collect();
    names.push(quality::CATEGORY);
    names
}

/// One problem of a manifest.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Problem {
    /// `error` or `warning`.
    pub severity: Severity,
    /// Dotted manifest path (`plugins.compute.config.threads`); empty for the document.
    pub path: String,
    /// What is wrong and how to fix it. Never contains a config value.
    pub message: String,
    /// `syntax`, `structure`, `unknown_category`, `unknown_key`, `unknown_plugin`,
    /// `invalid_version`, `version_mismatch` (a warning), `secret_ref`, `config`,
    /// `missing_dependency`, `circular_dependency`, `incompatible_api`, `plugin_error`,
    /// `quality`, `scope`, `not_approved`, `environment_key`, `unknown_section` (a
    /// warning), `implied_default` (a warning), `lax_value` (a warning: a config value
    /// read as another type, as published floe reads it), `unportable_field` (a
    /// warning: a config field published floe refuses).
    pub kind: &'static str,
    /// For `config` problems, the registry's kind (`range`, `missing`, ...).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub config_kind: Option<String>,
    /// 1-based line, when known.
    pub line: Option<u64>,
    /// 1-based column, when known.
    pub column: Option<u64>,
}

/// A plugin the manifest selects, found in the registry.
#[derive(Debug, Clone)]
pub struct Selected {
    /// Its identity (the category is its type).
    pub id: PluginId,
    /// Its installed version.
    pub version: String,
    /// Its config from the manifest, as JSON. May hold secrets: never print it.
    pub config: Value,
    /// Where its `type` is in the manifest.
    pub type_loc: Loc,
}

/// The outcome of checking a manifest.
#[derive(Debug, Default)]
pub struct Report {
    /// Every problem, by line.
    pub problems: Vec<Problem>,
    /// The selected plugins that exist, in category order.
    pub selected: Vec<Selected>,
    /// The startup order, when the dependencies resolve.
    pub order: Vec<PluginId>,
}

impl Report {
    /// Whether some problem is an error.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }

    /// How many problems have `severity`.
    pub fn count(&self, severity: Severity) -> usize {
        self.problems
            .iter()
            .filter(|p| p.severity == severity)
            .count()
    }

    fn add(&mut self, path: impl Into<String>, loc: Loc, kind: &'static str, message: String) {
        self.push(Severity::Error, path.into(), loc, kind, message);
    }

    fn warn(&mut self, path: impl Into<String>, loc: Loc, kind: &'static str, message: String) {
        self.push(Severity::Warning, path.into(), loc, kind, message);
    }

    fn push(
        &mut self,
        severity: Severity,
        path: String,
        loc: Loc,
        kind: &'static str,
        message: String,
    ) {
        self.problems.push(Problem {
            severity,
            path,
            message,
            kind,
            config_kind: None,
            line: loc.is_known().then_some(loc.line),
            column: loc.is_known().then_some(loc.column),
        });
    }
}

fn did_you_mean(input: &str, candidates: &[&str]) -> String {
    match floe_registry_rules::closest(input, candidates.iter().copied()).first() {
        Some(best) => format!(" (did you mean `{best}`?)"),
        None => String::new(),
    }
}

/// Checks a parsed manifest against the plugins in `registry`.
pub fn check_document(registry: &PluginRegistry, root: &Node) -> Report {
    let mut report = Report::default();
    let Some(entries) = root.entries() else {
        let message = if root.kind_name() == "null" {
            "the manifest is empty; expected a mapping with apiVersion, kind, metadata and plugins"
                .to_owned()
        } else {
            format!(
                "the manifest must be a mapping with apiVersion, kind, metadata and plugins; found {}",
                root.kind_name()
            )
        };
        report.add("", root.loc, "structure", message);
        return report;
    };
    let find = |key: &str| entries.iter().find(|(k, _, _)| k == key);
    check_header(
        &mut report,
        root,
        find("apiVersion"),
        "apiVersion",
        API_VERSION,
    );
    check_header(&mut report, root, find("kind"), "kind", KIND);
    if let Some((_, loc, metadata)) = find("metadata")
        && metadata.entries().is_none()
    {
        report.add(
            "metadata",
            *loc,
            "structure",
            format!(
                "must be a mapping (name, version, owner); found {}",
                metadata.kind_name()
            ),
        );
    }
    if let Some((_, loc, plugins)) = find("plugins") {
        check_plugins(registry, &mut report, *loc, plugins);
    }
    sections::check_sections(&mut report, &entries);
    report.problems.sort_by_key(|p| p.line.unwrap_or(u64::MAX));
    report
}

fn check_header(
    report: &mut Report,
    root: &Node,
    entry: Option<&(String, Loc, &Node)>,
    key: &str,
    expected: &str,
) {
    match entry {
        None => report.add(
            "",
            root.loc,
            "structure",
            format!("missing `{key}` (expected `{key}: {expected}`)"),
        ),
        Some((_, loc, node)) => match &node.kind {
            manifest::Kind::Str(s) if s == expected => {}
            manifest::Kind::Str(s) => report.add(
                key,
                *loc,
                "structure",
                format!("unsupported {key} `{s}`; this floe reads `{expected}`"),
            ),
            _ => report.add(
                key,
                *loc,
                "structure",
                format!(
                    "must be the string `{expected}`; found {}",
                    node.kind_name()
                ),
            ),
        },
    }
}

fn check_plugins(registry: &PluginRegistry, report: &mut Report, plugins_loc: Loc, plugins: &Node) {
    if plugins.kind_name() == "null" {
        return;
    }
    let Some(entries) = plugins.entries() else {
        report.add(
            "plugins",
            plugins_loc,
            "structure",
            format!(
                "must be a mapping from category (compute, storage, ...) to a plugin selection; found {}",
                plugins.kind_name()
            ),
        );
        return;
    };
    let categories = category_names();
    // Where each selection is, to place dependency problems.
    let mut places: Vec<(PluginId, String, Loc)> = Vec::new();
    for (key, key_loc, selection) in &entries {
        let (key, key_loc, selection) = (key.as_str(), *key_loc, *selection);
        let path = format!("plugins.{key}");
        if key == quality::CATEGORY {
            if let Some(selected) = quality::check_quality(registry, report, key_loc, selection) {
                report.selected.push(selected);
            }
            continue;
        }
        let Some(category) = SELECTION_CATEGORIES
            .iter()
            .copied()
            .find(|t| t.as_str() == key)
        else {
            let hint = match key.parse::<PluginType>() {
                Ok(t) => format!(" (did you mean `{t}`?)"),
                Err(e) => e
                    .suggestion
                    .map(|s| format!(" (did you mean `{s}`?)"))
                    .unwrap_or_default(),
            };
            report.add(
                path,
                key_loc,
                "unknown_category",
                format!(
                    "unknown plugin category `{key}`{hint}; valid categories: {}",
                    categories.join(", ")
                ),
            );
            continue;
        };
        if let Some(selected) =
            check_selection(registry, report, category, &path, key_loc, selection)
        {
            places.push((
                selected.id.clone(),
                format!("{path}.type"),
                selected.type_loc,
            ));
            report.selected.push(selected);
        }
    }
    if !entries
        .iter()
        .any(|(k, _, _)| k == PluginType::Dbt.as_str())
    {
        implied_dbt(registry, report, plugins_loc);
    }
    check_dependencies(registry, report, &places);
}

/// floe reads a missing `plugins.dbt` as `{type: core}`: say so when this floe has no
/// such dbt plugin. The default is not counted as selected (health and startup act
/// on what the manifest writes).
fn implied_dbt(registry: &PluginRegistry, report: &mut Report, plugins_loc: Loc) {
    if registry.info(PluginType::Dbt, DBT_DEFAULT).is_ok() {
        return;
    }
    let names = registry
        .list_all()
        .remove(&PluginType::Dbt)
        .unwrap_or_default();
    let installed = if names.is_empty() {
        "no dbt plugins are installed".to_owned()
    } else {
        format!("installed: {}", names.join(", "))
    };
    report.warn(
        "plugins.dbt",
        plugins_loc,
        "implied_default",
        format!("absent, which floe reads as `{{type: {DBT_DEFAULT}}}`, but no dbt plugin named `{DBT_DEFAULT}` is installed ({installed}); select one with `dbt: {{type: NAME}}`"),
    );
}

/// The dbt plugin floe uses when the manifest names none.
pub(crate) const DBT_DEFAULT: &str = "core";

fn check_selection(
    registry: &PluginRegistry,
    report: &mut Report,
    category: PluginType,
    path: &str,
    key_loc: Loc,
    selection: &Node,
) -> Option<Selected> {
    let Some(fields) = selection.entries() else {
        report.add(
            path,
            key_loc,
            "structure",
            format!(
                "a plugin selection must be a mapping with `type` and optionally `version`, `config` and `connection_secret_ref`; found {}",
                selection.kind_name()
            ),
        );
        return None;
    };
    for (key, loc, _) in &fields {
        if !SELECTION_KEYS.contains(&key.as_str()) {
            report.add(
                format!("{path}.{key}"),
                *loc,
                "unknown_key",
                format!(
                    "unknown key `{key}`{}; a selection has: {}",
                    did_you_mean(key, &SELECTION_KEYS),
                    SELECTION_KEYS.join(", ")
                ),
            );
        }
    }
    let field = |name: &str| {
        fields
            .iter()
            .find(|(k, _, _)| k == name)
            .map(|(_, l, n)| (*l, *n))
    };

    if let Some((loc, node)) = field("connection_secret_ref") {
        check_secret_ref(report, &format!("{path}.connection_secret_ref"), loc, node);
    }

    let installed = || {
        let names = registry.list_all().remove(&category).unwrap_or_default();
        if names.is_empty() {
            format!("no {category} plugins are installed")
        } else {
            format!("installed: {}", names.join(", "))
        }
    };
    let type_path = format!("{path}.type");
    let (type_loc, name) = match field("type") {
        None => {
            report.add(
                path,
                key_loc,
                "structure",
                format!(
                    "missing `type`: the name of the {category} plugin to use ({})",
                    installed()
                ),
            );
            return None;
        }
        Some((loc, node)) => match &node.kind {
            manifest::Kind::Str(s) => (loc, s.clone()),
            _ => {
                report.add(
                    type_path,
                    loc,
                    "structure",
                    format!(
                        "must be the plugin name, a string; found {} ({})",
                        node.kind_name(),
                        installed()
                    ),
                );
                return None;
            }
        },
    };
    let info = match registry.info(category, &name) {
        Ok(info) => info,
        Err(e) => {
            let kind = if matches!(e, PluginError::NotFound { .. }) {
                "unknown_plugin"
            } else {
                "plugin_error"
            };
            report.add(
                type_path,
                type_loc,
                kind,
                lookup_error(registry, category, &e),
            );
            return None;
        }
    };
    if !info.api_compatible
        && let Err(e) = registry.check_plugin(category, &name)
    {
        report.add(
            type_path.clone(),
            type_loc,
            "incompatible_api",
            error::chain(&e),
        );
    }
    if let Some((loc, node)) = field("version") {
        check_version_pin(
            report,
            &format!("{path}.version"),
            loc,
            node,
            &info.name,
            &info.version,
        );
    }
    let (config_loc, config_node) = match field("config") {
        Some((loc, node)) => (loc, Some(node)),
        None => (key_loc, None),
    };
    let config = config_node.map(Node::to_json).unwrap_or(Value::Null);
    let config_path = format!("{path}.config");
    let place = config_notes::ConfigPlace {
        path: &config_path,
        loc: config_loc,
        node: config_node,
    };
    let id = PluginId::new(category, name.clone());
    match registry.check_config(category, &name, config.clone()) {
        Ok(coercions) => config_notes::lax_values(report, &id, &place, &coercions),
        Err(PluginError::Configuration { errors, .. }) => {
            for error in errors {
                let (full, loc) = place.field(&error.field);
                report.add(full, loc, "config", error.message);
                if let Some(last) = report.problems.last_mut() {
                    last.config_kind = Some(error.kind.as_str().to_owned());
                }
            }
        }
        Err(other) => report.add(
            config_path.clone(),
            config_loc,
            "plugin_error",
            error::chain(&other),
        ),
    }
    if let Ok(fields) = registry.unportable_fields(category, &name, &config) {
        config_notes::unportable(report, &id, &place, &fields);
    }
    Some(Selected {
        id,
        version: info.version,
        config,
        type_loc,
    })
}

fn check_secret_ref(report: &mut Report, path: &str, loc: Loc, node: &Node) {
    let manifest::Kind::Str(s) = &node.kind else {
        report.add(
            path,
            loc,
            "secret_ref",
            format!(
                "must be the name of a Secret, a string; found {}",
                node.kind_name()
            ),
        );
        return;
    };
    let length = s.chars().count();
    if length > SECRET_REF_MAX {
        report.add(
            path,
            loc,
            "secret_ref",
            format!("must be at most {SECRET_REF_MAX} characters; found {length}"),
        );
    }
    let ok_char = |c: char| c.is_ascii_lowercase() || c.is_ascii_digit();
    let valid = match (s.chars().next(), s.chars().last()) {
        (Some(first), Some(last)) => {
            ok_char(first) && ok_char(last) && s.chars().all(|c| ok_char(c) || c == '-')
        }
        _ => false,
    };
    if !valid {
        report.add(
            path,
            loc,
            "secret_ref",
            format!(
                "must be a Secret name: lowercase letters, digits and `-`, starting and ending with a letter or digit (pattern `{SECRET_REF_PATTERN}`)"
            ),
        );
    }
}

fn check_version_pin(
    report: &mut Report,
    path: &str,
    loc: Loc,
    node: &Node,
    name: &str,
    installed: &str,
) {
    let text = match &node.kind {
        manifest::Kind::Str(s) => s.clone(),
        manifest::Kind::UInt(_) | manifest::Kind::Int(_) | manifest::Kind::Float(_) => {
            node.key_text().unwrap_or_default()
        }
        _ => {
            report.add(
                path,
                loc,
                "invalid_version",
                format!(
                    "must be a version requirement like \"1.2.0\" or \">=1.2, <2\"; found {}",
                    node.kind_name()
                ),
            );
            return;
        }
    };
    let req = match VersionReq::parse(&text) {
        Ok(req) => req,
        Err(e) => {
            report.add(
                path,
                loc,
                "invalid_version",
                format!("`{text}` is not a version requirement: {e} (write \"1.2.0\", \"=1.2.0\" or \">=1.2, <2\")"),
            );
            return;
        }
    };
    match Version::parse(installed) {
        Ok(version) if req.matches(&version) => {}
        Ok(_) => {
            let meaning = if req.to_string() == text {
                String::new()
            } else {
                format!(", read as `{req}` like a Cargo requirement")
            };
            report.warn(
                path,
                loc,
                "version_mismatch",
                format!(
                    "the installed {name} is version {installed}, which does not satisfy `{text}`{meaning}; floe checks only the pin's format, so it runs anyway"
                ),
            );
        }
        Err(e) => report.add(
            path,
            loc,
            "plugin_error",
            format!("the installed {name} has an invalid version `{installed}`: {e}"),
        ),
    }
}

fn check_dependencies(
    registry: &PluginRegistry,
    report: &mut Report,
    places: &[(PluginId, String, Loc)],
) {
    let ids: Vec<PluginId> = places.iter().map(|(id, _, _)| id.clone()).collect();
    let place_of = |name: &str| {
        places
            .iter()
            .find(|(id, _, _)| id.name == name)
            .map(|(_, p, l)| (p.clone(), *l))
            .unwrap_or_else(|| ("plugins".to_owned(), Loc::default()))
    };
    let problems = registry.dependency_problems(&ids);
    if problems.is_empty() {
        if let Ok(order) = registry.resolve_dependencies(&ids) {
            report.order = order;
        }
        return;
    }
    for problem in problems {
        match &problem {
            PluginError::MissingDependency { id, missing } => {
                let hints: Vec<String> = missing
                    .iter()
                    .map(|dep| match floe_registry::parse_dependency(dep) {
                        Ok((Some(t), name)) => format!("plugins.{t}.type: {name}"),
                        Ok((None, name)) => format!("a plugin named `{name}`"),
                        Err(_) => format!("`{dep}`"),
                    })
                    .collect();
                let (path, loc) = place_of(&id.name);
                report.add(
                    path,
                    loc,
                    "missing_dependency",
                    format!("{problem}; select {}", hints.join(" and ")),
                );
            }
            PluginError::CircularDependency { cycle } => {
                let (path, loc) = place_of(cycle.first().map_or("", String::as_str));
                report.add(path, loc, "circular_dependency", error::chain(&problem));
            }
            _ => report.add(
                "plugins".to_owned(),
                Loc::default(),
                "plugin_error",
                error::chain(&problem),
            ),
        }
    }
}

/// What `check --json` prints.
#[derive(Debug, Serialize)]
struct CheckJson<'a> {
    manifest: String,
    valid: bool,
    errors: usize,
    warnings: usize,
    plugins: Vec<PluginJson>,
    startup_order: Vec<String>,
    problems: &'a [Problem],
}

#[derive(Debug, Serialize)]
struct PluginJson {
    category: PluginType,
    name: String,
    version: String,
}

/// Reads and checks a manifest: `Err` with a diagnostic when the file cannot be read,
/// a report with one `syntax` problem when it does not parse.
pub fn check_file(registry: &PluginRegistry, path: &Path) -> Result<Report, String> {
    match manifest::read(path) {
        Ok(root) => Ok(check_document(registry, &root)),
        Err(ReadError::Unreadable(message)) => Err(message),
        Err(ReadError::Syntax { loc, message }) => {
            let mut report = Report::default();
            report.add("", loc, "syntax", format!("invalid YAML: {message}"));
            Ok(report)
        }
    }
}

/// The report for a person: one compiler-style line per problem, then a summary.
pub fn render(file: &str, report: &Report, style: Style) -> String {
    let mut out = String::new();
    for p in &report.problems {
        let place = match (p.line, p.column) {
            (Some(l), Some(c)) => format!("{file}:{l}:{c}:"),
            (Some(l), None) => format!("{file}:{l}:"),
            _ => format!("{file}:"),
        };
        let subject = if p.path.is_empty() {
            String::new()
        } else {
            format!("{}: ", style.bold(&p.path))
        };
        let label = match p.severity {
            Severity::Error => style.red("error:"),
            Severity::Warning => style.yellow("warning:"),
        };
        out.push_str(&format!("{place} {label} {subject}{}\n", p.message));
    }
    let n = report.count(Severity::Error);
    let warnings = report.count(Severity::Warning);
    let warned = match warnings {
        0 => String::new(),
        1 => ", 1 warning".to_owned(),
        w => format!(", {w} warnings"),
    };
    if n == 0 {
        let order: Vec<String> = report
            .order
            .iter()
            .map(|id| format!("{}/{}", id.plugin_type, id.name))
            .collect();
        out.push_str(&format!(
            "{} {file}: no problems{warned}; {} plugin{} selected{}\n",
            style.green("ok:"),
            report.selected.len(),
            if report.selected.len() == 1 { "" } else { "s" },
            if order.is_empty() {
                String::new()
            } else {
                format!(" (startup order: {})", order.join(", "))
            }
        ));
    } else {
        out.push_str(&format!(
            "{} {file}: {n} problem{} found{warned}\n",
            style.red("failed:"),
            if n == 1 { "" } else { "s" }
        ));
    }
    out
}

/// Runs the command: exit code 1 when the manifest has errors (or warnings, with
/// `--deny-warnings`), else 0.
pub fn run(registry: &PluginRegistry, args: &CheckArgs) -> Result<ExitCode, CliError> {
    let file = args.manifest.display().to_string();
    let report = check_file(registry, &args.manifest).map_err(CliError::new)?;
    let failed = report.has_errors() || (args.deny_warnings && report.count(Severity::Warning) > 0);
    if args.json {
        output::print_json(&CheckJson {
            manifest: file,
            valid: !failed,
            errors: report.count(Severity::Error),
            warnings: report.count(Severity::Warning),
            plugins: report
                .selected
                .iter()
                .map(|s| PluginJson {
                    category: s.id.plugin_type,
                    name: s.id.name.to_string(),
                    version: s.version.clone(),
                })
                .collect(),
            startup_order: report.order.iter().map(ToString::to_string).collect(),
            problems: &report.problems,
        });
    } else {
        output::print(&render(&file, &report, Style::stdout()));
    }
    Ok(if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    })
}

#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod tests;
