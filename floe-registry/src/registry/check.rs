//! The metadata rules at run time (name, SemVer, dependency strings, API version):
//! the functions of `floe-registry-rules` that the attribute applies at compile time.
//!
//! Each registration is checked once: [`register`](crate::PluginRegistry::register)
//! checks before adding, a discovered plugin on its first load (or when asked, by
//! [`check_plugin`](crate::PluginRegistry::check_plugin)), and the outcome is kept in
//! the entry.

use floe_registry_rules::{ApiVersion, check_name, check_semver};

use super::graph::parse_dependency;
use crate::{PluginDescriptor, PluginError, PluginId, PluginInstance};

/// Why a descriptor fails the rules; kept in its entry and turned into a
/// [`PluginError`] each time it is asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Fault {
    /// A rule is broken; which one and how to fix it.
    Invalid(String),
    /// The plugin needs an API this registry does not implement.
    Incompatible,
}

impl Fault {
    /// The error of `desc` for this fault.
    pub(crate) fn error(&self, desc: &PluginDescriptor) -> PluginError {
        match self {
            Fault::Invalid(reason) => PluginError::InvalidMetadata {
                id: desc.id(),
                reason: reason.clone(),
            },
            Fault::Incompatible => PluginError::Incompatible {
                id: desc.id(),
                required_version: desc.floe_api_version.to_string(),
                platform_version: crate::FLOE_API_VERSION.to_owned(),
            },
        }
    }
}

/// Checks a descriptor's name, version, dependencies and API version.
pub(crate) fn check(desc: &PluginDescriptor) -> Result<(), Fault> {
    let invalid = |reason: &dyn std::fmt::Display| Fault::Invalid(reason.to_string());
    check_name(&desc.name).map_err(|e| invalid(&e))?;
    check_semver(&desc.version).map_err(|e| invalid(&e))?;
    for dep in desc.dependencies.iter() {
        parse_dependency(dep).map_err(|e| invalid(&e))?;
    }
    let required: ApiVersion = desc.floe_api_version.parse().map_err(|e| invalid(&e))?;
    if !required.is_compatible_with(crate::PLATFORM_API_VERSION) {
        return Err(Fault::Incompatible);
    }
    Ok(())
}

/// The declared dependencies, parsed; the first invalid one's message. A dependency
/// written in the program keeps borrowing its text.
pub(crate) fn dependencies(
    declared: &crate::Dependencies,
) -> Result<Vec<super::entry::Dependency>, String> {
    match declared {
        crate::Dependencies::Static(deps) => deps
            .iter()
            .map(|dep| {
                let (ty, name) = parse_dependency(dep).map_err(|e| e.to_string())?;
                Ok((ty, std::borrow::Cow::Borrowed(name)))
            })
            .collect(),
        crate::Dependencies::Owned(deps) => deps
            .iter()
            .map(|dep| {
                let (ty, name) = parse_dependency(dep).map_err(|e| e.to_string())?;
                Ok((ty, std::borrow::Cow::Owned(name.to_owned())))
            })
            .collect(),
    }
}

/// Whether a plugin just built is the one its descriptor describes: of the same type,
/// and reporting the same metadata (identity, version, API version and source).
pub(crate) fn instance_matches(
    desc: &PluginDescriptor,
    instance: &PluginInstance,
) -> Result<(), PluginError> {
    if instance.plugin_type() != desc.plugin_type {
        return Err(PluginError::WrongType {
            id: PluginId::new(instance.plugin_type(), &*desc.name),
            expected: desc.plugin_type,
        });
    }
    let reported = instance.metadata().descriptor();
    let same = std::ptr::eq(reported, desc)
        || (reported.plugin_type == desc.plugin_type
            && reported.name == desc.name
            && reported.version == desc.version
            && reported.floe_api_version == desc.floe_api_version
            && reported.source == desc.source);
    if same {
        return Ok(());
    }
    Err(PluginError::ForeignDescriptor {
        id: desc.id(),
        reported: reported.id(),
        reported_source: reported.source.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::PluginType;

    fn never() -> PluginInstance {
        unreachable!("the check builds nothing")
    }

    const SOURCE: crate::PluginSource = crate::plugin_source!(Nothing);

    #[test]
    fn each_rule_is_checked() {
        static BAD_DEP: PluginDescriptor =
            PluginDescriptor::new(PluginType::Dbt, "d", "1.0.0", SOURCE, never)
                .with_dependencies(&["warehouse:s3"]);
        static NEWER: PluginDescriptor =
            PluginDescriptor::new(PluginType::Dbt, "d", "1.0.0", SOURCE, never)
                .with_api_version("1.99");
        static BAD_VERSION: PluginDescriptor =
            PluginDescriptor::new(PluginType::Dbt, "d", "1.0", SOURCE, never);
        assert!(
            matches!(check(&BAD_DEP), Err(Fault::Invalid(r)) if r.contains("unknown plugin type `warehouse`"))
        );
        assert_eq!(check(&NEWER), Err(Fault::Incompatible));
        assert_eq!(
            Fault::Incompatible.error(&NEWER).to_string(),
            "Plugin 'd' requires API v1.99, but platform provides v1.0"
        );
        assert!(matches!(check(&BAD_VERSION), Err(Fault::Invalid(_))));
    }
}
