//! Where this floe came from, and so where a generated crate takes floe from.
//!
//! `floe build` and `floe plugins new` write Cargo.toml files that depend on
//! `floe-cli` and `floe-registry`. They must depend on the same source the running
//! `floe` was built from: a path into the checkout when it was built from one, an exact
//! version requirement when it was installed from a registry (crates.io).

use std::path::{Path, PathBuf};

/// The source of the floe crates that this binary was compiled from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FloeSource {
    /// Built from a checkout of the floe-registry workspace: generated crates use path
    /// dependencies into it.
    Checkout {
        /// The workspace root (the folder holding `floe-cli/` and `floe-registry/`).
        root: PathBuf,
    },
    /// Installed from a package registry: generated crates require this exact version.
    Registry {
        /// The version of `floe-cli` (and of `floe-registry`, released together).
        version: String,
    },
}

impl FloeSource {
    /// The source of the running binary.
    ///
    /// ```
    /// use floe_cli::FloeSource;
    ///
    /// match FloeSource::current() {
    ///     // Compiled in a checkout: generated crates use paths into it.
    ///     FloeSource::Checkout { root } => assert!(root.join("floe-registry").is_dir()),
    ///     // Compiled from crates.io: generated crates require this exact version.
    ///     FloeSource::Registry { version } => assert_eq!(version, env!("CARGO_PKG_VERSION")),
    /// }
    /// ```
    ///
    /// A binary compiled inside a checkout whose `floe-cli/Cargo.toml` still exists is a
    /// checkout build; one compiled from cargo's registry cache (`.../registry/src/...`),
    /// or whose checkout is gone, is a registry build.
    pub fn current() -> Self {
        let manifest_dir = Path::new(env!("CARGO_MANIFEST_DIR"));
        FloeSource::detect(manifest_dir, env!("CARGO_PKG_VERSION"))
    }

    /// The source for a `floe-cli` compiled from `manifest_dir` at `version`.
    pub fn detect(manifest_dir: &Path, version: &str) -> Self {
        let from_registry = manifest_dir
            .components()
            .any(|c| c.as_os_str() == "registry")
            && manifest_dir.components().any(|c| c.as_os_str() == "src");
        match manifest_dir.parent() {
            Some(root)
                if !from_registry
                    && root.join("floe-registry").join("Cargo.toml").is_file()
                    && manifest_dir.join("Cargo.toml").is_file() =>
            {
                FloeSource::Checkout {
                    root: root.to_path_buf(),
                }
            }
            _ => FloeSource::Registry {
                version: version.to_owned(),
            },
        }
    }

    /// The value of a Cargo.toml dependency entry on the workspace crate `krate`
    /// (`floe-cli` or `floe-registry`), as an inline TOML table without features:
    /// `{ path = "/src/floe/floe-registry" }` or `{ version = "=0.1.0" }`.
    pub fn dependency(&self, krate: &str) -> String {
        match self {
            FloeSource::Checkout { root } => {
                format!(
                    "{{ path = {} }}",
                    toml_string(&root.join(krate).to_string_lossy())
                )
            }
            FloeSource::Registry { version } => {
                format!("{{ version = {} }}", toml_string(&format!("={version}")))
            }
        }
    }

    /// The checkout's `Cargo.lock`, when this is a checkout build that has one: a
    /// generated crate starts from it so that it resolves to the versions already built.
    pub fn lockfile(&self) -> Option<PathBuf> {
        match self {
            FloeSource::Checkout { root } => {
                let lock = root.join("Cargo.lock");
                lock.is_file().then_some(lock)
            }
            FloeSource::Registry { .. } => None,
        }
    }
}

/// A TOML basic string with `"` and `\` escaped.
pub fn toml_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\t' => out.push_str("\\t"),
            c if c.is_control() => out.push_str(&format!("\\u{:04X}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn this_test_build_is_a_checkout_build() {
        let FloeSource::Checkout { root } = FloeSource::current() else {
            panic!("the tests run from a checkout, so the source must be a checkout");
        };
        assert!(root.join("floe-cli").join("Cargo.toml").is_file());
        let dep = FloeSource::current().dependency("floe-registry");
        assert!(
            dep.starts_with("{ path = \"") && dep.ends_with("floe-registry\" }"),
            "{dep}"
        );
    }

    #[test]
    fn a_registry_build_requires_the_exact_version() {
        let source = FloeSource::detect(
            Path::new(
                "/home/u/.cargo/registry/src/index.crates.io-1949cf8c6b5b557f/floe-cli-0.3.1",
            ),
            "0.3.1",
        );
        assert_eq!(
            source,
            FloeSource::Registry {
                version: "0.3.1".into()
            }
        );
        assert_eq!(source.dependency("floe-cli"), "{ version = \"=0.3.1\" }");
        assert_eq!(source.lockfile(), None);
    }

    #[test]
    fn a_vanished_checkout_falls_back_to_the_version() {
        let source = FloeSource::detect(Path::new("/nonexistent/floe/floe-cli"), "0.1.0");
        assert!(matches!(source, FloeSource::Registry { .. }));
    }

    #[test]
    fn toml_strings_are_escaped() {
        assert_eq!(toml_string(r#"C:\a "b""#), r#""C:\\a \"b\"""#);
    }
}
