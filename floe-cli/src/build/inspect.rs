//! Checks a `--with-path` folder before building: it must be a library crate that
//! depends on floe-registry. Each problem gets its own message and fix.

use std::fs;
use std::path::{Path, PathBuf};

use toml::Table;

use super::plan::PluginCrate;
use crate::CliError;

/// Inspects the crate at `dir` (as given on the command line or in the file).
pub fn path_crate(dir: &Path) -> Result<PluginCrate, CliError> {
    let given = dir.display().to_string();
    let fail = |message: String| Err(CliError::new(format!("--with-path {given}: {message}")));
    if !dir.exists() {
        return fail("no such folder".to_owned());
    }
    if !dir.is_dir() {
        return fail(
            "not a folder; give the folder that holds the plugin crate's Cargo.toml".to_owned(),
        );
    }
    let manifest_path = dir.join("Cargo.toml");
    if !manifest_path.is_file() {
        return fail(
            "not a crate: there is no Cargo.toml in it (create a plugin crate with `floe plugins new TYPE NAME`)"
                .to_owned(),
        );
    }
    let text = match fs::read_to_string(&manifest_path) {
        Ok(text) => text,
        Err(e) => return fail(format!("cannot read Cargo.toml: {e}")),
    };
    let manifest: Table = match text.parse() {
        Ok(table) => table,
        Err(e) => {
            return fail(format!(
                "Cargo.toml does not parse: {}",
                e.to_string().trim_end()
            ));
        }
    };
    let Some(package) = manifest
        .get("package")
        .and_then(|p| p.get("name"))
        .and_then(|n| n.as_str())
    else {
        let members = manifest
            .get("workspace")
            .and_then(|w| w.get("members"))
            .and_then(|m| m.as_array())
            .map(|m| {
                m.iter()
                    .filter_map(|v| v.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            });
        return fail(match members {
            Some(members) => format!(
                "its Cargo.toml is a workspace, not a crate; give the plugin crate's own folder (members: {members})"
            ),
            None => "its Cargo.toml has no [package] name".to_owned(),
        });
    };
    let lib_table = manifest.get("lib");
    let lib_path = lib_table
        .and_then(|l| l.get("path"))
        .and_then(|p| p.as_str())
        .unwrap_or("src/lib.rs");
    if !dir.join(lib_path).is_file() {
        return fail(format!(
            "crate `{package}` has no library ({lib_path} is missing); plugins are declared in a library crate, which floe links"
        ));
    }
    let Some(registry_dep) = floe_registry_dependency(&manifest) else {
        return fail(format!(
            "crate `{package}` does not depend on floe-registry, so it cannot declare floe plugins; add `floe-registry` to its [dependencies] (as `floe plugins new` does)"
        ));
    };
    let registry_from_crates_io = registry_dep.is_str()
        || ["path", "git", "workspace"]
            .iter()
            .all(|key| registry_dep.get(key).is_none());
    let lib = lib_table
        .and_then(|l| l.get("name"))
        .and_then(|n| n.as_str())
        .map_or_else(|| package.replace('-', "_"), str::to_owned);
    let dir = absolute(dir).map_err(|e| {
        CliError::new(format!(
            "--with-path {given}: cannot resolve the folder: {e}"
        ))
    })?;
    Ok(PluginCrate::Path {
        given,
        dir,
        package: package.to_owned(),
        lib,
        registry_from_crates_io,
    })
}

/// The floe-registry entry of a dependency table (`[dependencies]` or a target's),
/// named directly or renamed (`registry = { package = "floe-registry", ... }`).
fn floe_registry_in(deps: Option<&toml::Value>) -> Option<&toml::Value> {
    deps.and_then(|d| d.as_table())?
        .iter()
        .find(|(key, value)| {
            *key == "floe-registry"
                || value.get("package").and_then(|p| p.as_str()) == Some("floe-registry")
        })
        .map(|(_, value)| value)
}

/// The crate's floe-registry dependency, in `[dependencies]` or a target's.
fn floe_registry_dependency(manifest: &Table) -> Option<&toml::Value> {
    floe_registry_in(manifest.get("dependencies")).or_else(|| {
        manifest
            .get("target")
            .and_then(|t| t.as_table())?
            .values()
            .find_map(|t| floe_registry_in(t.get("dependencies")))
    })
}

fn absolute(dir: &Path) -> std::io::Result<PathBuf> {
    fs::canonicalize(dir)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn crate_dir(cargo_toml: &str, lib: bool) -> tempfile::TempDir {
        let dir = tempfile::tempdir().expect("temp dir");
        fs::write(dir.path().join("Cargo.toml"), cargo_toml).expect("write");
        if lib {
            fs::create_dir(dir.path().join("src")).expect("mkdir");
            fs::write(dir.path().join("src/lib.rs"), "").expect("write");
        }
        dir
    }

    fn error(dir: &Path) -> String {
        path_crate(dir).expect_err("an error").to_string()
    }

    #[test]
    fn a_plugin_crate_is_accepted_with_its_lib_name() {
        let dir = crate_dir(
            "[package]\nname = \"acme-store\"\n[dependencies]\nfloe-registry = \"0.1\"\n",
            true,
        );
        let PluginCrate::Path { package, lib, .. } =
            path_crate(dir.path()).expect("a plugin crate")
        else {
            panic!("a path crate");
        };
        assert_eq!(
            (package.as_str(), lib.as_str()),
            ("acme-store", "acme_store")
        );
    }

    #[test]
    fn a_renamed_floe_registry_counts() {
        let dir = crate_dir(
            "[package]\nname = \"a\"\n[lib]\nname = \"acme\"\n[dependencies]\nreg = { package = \"floe-registry\", path = \"../r\" }\n",
            true,
        );
        let found = path_crate(dir.path()).expect("accepted");
        assert_eq!(found.lib(), "acme");
        assert!(!found.wants_crates_io_registry(), "a path dependency");
    }

    #[test]
    fn a_versioned_floe_registry_comes_from_crates_io() {
        let dir = crate_dir(
            "[package]\nname = \"a\"\n[target.'cfg(unix)'.dependencies]\nfloe-registry = { version = \"0.1\" }\n",
            true,
        );
        assert!(
            path_crate(dir.path())
                .expect("accepted")
                .wants_crates_io_registry()
        );
    }

    #[test]
    fn each_bad_folder_gets_its_own_message() {
        let missing = tempfile::tempdir().expect("temp dir");
        assert!(error(&missing.path().join("nope")).ends_with(": no such folder"));
        assert!(error(missing.path()).contains("not a crate: there is no Cargo.toml"));
        let workspace = crate_dir("[workspace]\nmembers = [\"a\", \"b\"]\n", false);
        assert!(error(workspace.path()).contains(
            "is a workspace, not a crate; give the plugin crate's own folder (members: a, b)"
        ));
        let binary = crate_dir(
            "[package]\nname = \"tool\"\n[dependencies]\nfloe-registry = \"0.1\"\n",
            false,
        );
        assert!(error(binary.path()).contains("crate `tool` has no library"));
        let unrelated = crate_dir(
            "[package]\nname = \"util\"\n[dependencies]\nserde = \"1\"\n",
            true,
        );
        assert!(error(unrelated.path()).contains("crate `util` does not depend on floe-registry"));
        let broken = crate_dir("[package\n", true);
        assert!(error(broken.path()).contains("Cargo.toml does not parse"));
    }
}
