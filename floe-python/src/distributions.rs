//! The floe plugins installed in an environment, read from the `*.dist-info` folders of
//! its `site-packages` (`entry_points.txt` and `METADATA`) as `importlib.metadata`
//! reads them, with no Python process.

use std::path::{Path, PathBuf};

use floe_registry::PluginType;

use crate::PythonError;

/// One plugin entry point of an installed distribution.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EntryPoint {
    /// The plugin type of its group.
    pub plugin_type: PluginType,
    /// Its name: the plugin's name in floe.
    pub name: String,
    /// `module:Class`.
    pub value: String,
    /// The distribution that installed it (`floe-catalog-glue`).
    pub distribution: String,
    /// That distribution's version (`0.1.0a1`).
    pub version: String,
}

impl EntryPoint {
    /// The entry point group (`floe.catalogs`).
    pub fn group(&self) -> &'static str {
        self.plugin_type.entry_point_group()
    }
}

/// What one scan of an environment found.
#[derive(Debug, Clone, Default)]
pub(crate) struct Installed {
    /// Every floe entry point, in `site-packages` then name order.
    pub(crate) entry_points: Vec<EntryPoint>,
    /// Every installed distribution as `name==version`, sorted: what the metadata cache
    /// is keyed by, so that installing, upgrading or removing one invalidates it.
    pub(crate) fingerprint: Vec<String>,
}

/// Reads every distribution in `site_packages`.
pub(crate) fn scan(site_packages: &[PathBuf]) -> Result<Installed, PythonError> {
    let mut installed = Installed::default();
    for folder in site_packages {
        let entries = std::fs::read_dir(folder).map_err(|source| PythonError::Io {
            path: folder.clone(),
            source,
        })?;
        let mut dist_infos: Vec<PathBuf> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|e| e == "dist-info"))
            .collect();
        dist_infos.sort();
        for dist_info in dist_infos {
            let Some((name, version)) = metadata(&dist_info) else {
                continue;
            };
            installed.fingerprint.push(format!("{name}=={version}"));
            let text = match std::fs::read_to_string(dist_info.join("entry_points.txt")) {
                Ok(text) => text,
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
                Err(source) => {
                    return Err(PythonError::Io {
                        path: dist_info.join("entry_points.txt"),
                        source,
                    });
                }
            };
            installed
                .entry_points
                .extend(floe_entry_points(&text, &name, &version));
        }
    }
    installed.fingerprint.sort();
    Ok(installed)
}

/// The `Name` and `Version` of a distribution, from the head of its `METADATA`.
fn metadata(dist_info: &Path) -> Option<(String, String)> {
    let text = std::fs::read_to_string(dist_info.join("METADATA")).ok()?;
    let mut name = None;
    let mut version = None;
    for line in text.lines() {
        if line.is_empty() {
            break;
        }
        if let Some(v) = line.strip_prefix("Name:") {
            name = Some(v.trim().to_owned());
        } else if let Some(v) = line.strip_prefix("Version:") {
            version = Some(v.trim().to_owned());
        }
    }
    Some((name?, version?))
}

/// The entry points of floe's groups in an `entry_points.txt` (an INI file: `[group]`
/// sections of `name = module:attr [extras]` lines).
pub(crate) fn floe_entry_points(text: &str, distribution: &str, version: &str) -> Vec<EntryPoint> {
    let mut found = Vec::new();
    let mut group: Option<PluginType> = None;
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with('#') || line.starts_with(';') {
            continue;
        }
        if let Some(section) = line.strip_prefix('[').and_then(|l| l.strip_suffix(']')) {
            group = PluginType::from_entry_point_group(section.trim()).ok();
            continue;
        }
        let (Some(plugin_type), Some((name, value))) = (group, line.split_once('=')) else {
            continue;
        };
        // `module:attr [extra1, extra2]`: the extras are not part of the object.
        let value = value.split('[').next().unwrap_or(value).trim();
        found.push(EntryPoint {
            plugin_type,
            name: name.trim().to_owned(),
            value: value.to_owned(),
            distribution: distribution.to_owned(),
            version: version.to_owned(),
        });
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_floe_group_is_read_and_others_are_not() {
        let text = "\
[console_scripts]
floe = floe_core.cli:main

[floe.catalogs]
glue = floe_catalog_glue.plugin:GlueCatalogPlugin

[floe.network_security]
k8s = floe_network_security_k8s:K8sNetworkSecurityPlugin [extra]
[floe.secret_scanners]
; a comment
builtin=floe_core.scan:Scanner
";
        let found = floe_entry_points(text, "floe-catalog-glue", "0.1.0a1");
        let seen: Vec<(PluginType, &str, &str)> = found
            .iter()
            .map(|e| (e.plugin_type, e.name.as_str(), e.value.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (
                    PluginType::Catalog,
                    "glue",
                    "floe_catalog_glue.plugin:GlueCatalogPlugin"
                ),
                (
                    PluginType::NetworkSecurity,
                    "k8s",
                    "floe_network_security_k8s:K8sNetworkSecurityPlugin"
                ),
                (
                    PluginType::SecretScanner,
                    "builtin",
                    "floe_core.scan:Scanner"
                ),
            ]
        );
        assert_eq!(found[0].group(), "floe.catalogs");
        assert_eq!(found[0].distribution, "floe-catalog-glue");
    }

    #[test]
    fn a_site_packages_scan_keys_the_cache_by_every_distribution() {
        let dir = tempfile::tempdir().expect("temp dir");
        let site = dir.path();
        let glue = site.join("floe_catalog_glue-0.1.0a1.dist-info");
        std::fs::create_dir_all(&glue).expect("dist-info");
        std::fs::write(
            glue.join("METADATA"),
            "Metadata-Version: 2.4\nName: floe-catalog-glue\nVersion: 0.1.0a1\n\nName: not this\n",
        )
        .expect("metadata");
        std::fs::write(
            glue.join("entry_points.txt"),
            "[floe.catalogs]\nglue = g:G\n",
        )
        .expect("entry points");
        let other = site.join("six-1.17.0.dist-info");
        std::fs::create_dir_all(&other).expect("dist-info");
        std::fs::write(other.join("METADATA"), "Name: six\nVersion: 1.17.0\n").expect("metadata");
        let installed = scan(&[site.to_owned()]).expect("scans");
        assert_eq!(
            installed.fingerprint,
            ["floe-catalog-glue==0.1.0a1", "six==1.17.0"]
        );
        assert_eq!(installed.entry_points.len(), 1);
        assert_eq!(installed.entry_points[0].version, "0.1.0a1");
    }
}
