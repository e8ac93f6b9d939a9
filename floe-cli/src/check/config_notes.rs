//! The warnings about a plugin config that this floe accepts: lax values, read as
//! published floe reads them (`"5"` for an integer), and fields published floe refuses.
//! Each names the plugin, the field and what to write instead.

use floe_registry::{ConfigCoercion, PluginId, UnportableField};

use super::Report;
use crate::manifest::{Loc, Node};

/// The floe whose lax mode this floe follows.
const PUBLISHED: &str = "floe 0.1.0a1";

/// Where the config is in the manifest: its dotted path and its node, when written.
pub(super) struct ConfigPlace<'a> {
    /// `plugins.catalog.config`.
    pub path: &'a str,
    /// Where `config:` is (or the selection, when absent).
    pub loc: Loc,
    /// The config's node, when the manifest has one.
    pub node: Option<&'a Node>,
}

impl ConfigPlace<'_> {
    pub(super) fn field(&self, field: &str) -> (String, Loc) {
        let path = if field.is_empty() {
            self.path.to_owned()
        } else {
            format!("{}.{field}", self.path)
        };
        let loc = self.node.map_or(self.loc, |n| n.locate(self.loc, field));
        (path, loc)
    }
}

/// `plugin catalog:polaris`.
fn plugin(id: &PluginId) -> String {
    format!("plugin `{}:{}`", id.plugin_type, id.name)
}

/// A warning for each value read as another type.
pub(super) fn lax_values(
    report: &mut Report,
    id: &PluginId,
    place: &ConfigPlace<'_>,
    coercions: &[ConfigCoercion],
) {
    for coercion in coercions {
        let (path, loc) = place.field(&coercion.field);
        let fix = match coercion.written() {
            Some(written) => format!("; write `{written}` to say so plainly"),
            None => String::new(),
        };
        report.warn(
            path,
            loc,
            "lax_value",
            format!(
                "{}: {coercion} (pydantic's lax mode, as {PUBLISHED} reads plugin configs){fix}",
                plugin(id)
            ),
        );
    }
}

/// A warning for each field set that published floe refuses.
pub(super) fn unportable(
    report: &mut Report,
    id: &PluginId,
    place: &ConfigPlace<'_>,
    fields: &[UnportableField],
) {
    for field in fields {
        let (path, loc) = place.field(&field.field);
        report.warn(
            path,
            loc,
            "unportable_field",
            format!(
                "{field}: this floe's {} accepts it, but `floe platform compile` there fails on a manifest that sets it (COMPOSITION_PLUGIN_CONFIG_INVALID); remove it where the manifest must also work with {}",
                plugin(id),
                field.rejected_by
            ),
        );
    }
}
