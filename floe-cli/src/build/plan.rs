//! What to build: the choices of `floe build`, from flags and an optional
//! `floe-build.toml`, checked before anything is written.

use std::fs;
use std::path::{Path, PathBuf};

use semver::VersionReq;
use serde::Deserialize;

use crate::CliError;
use crate::builtins::{self, Builtin};
use crate::cli::BuildArgs;

/// A plugin crate to link into the custom floe.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PluginCrate {
    /// A crate on disk (`--with-path DIR`), already inspected.
    Path {
        /// The folder as given (for messages).
        given: String,
        /// The folder, absolute.
        dir: PathBuf,
        /// Its Cargo package name.
        package: String,
        /// Its library's name (what `use NAME as _;` names).
        lib: String,
        /// Whether it takes floe-registry from crates.io (a version, not a path).
        registry_from_crates_io: bool,
    },
    /// A crate from crates.io (`--with CRATE[@VERSION]`).
    Registry {
        /// The package name.
        package: String,
        /// The version requirement (`*` when none was given).
        version: String,
    },
}

impl PluginCrate {
    /// The Cargo package name.
    pub fn package(&self) -> &str {
        match self {
            PluginCrate::Path { package, .. } | PluginCrate::Registry { package, .. } => package,
        }
    }

    /// The library name that `main.rs` references.
    pub fn lib(&self) -> String {
        match self {
            PluginCrate::Path { lib, .. } => lib.clone(),
            PluginCrate::Registry { package, .. } => package.replace('-', "_"),
        }
    }

    /// Whether it takes floe-registry from crates.io, so that a floe built from a
    /// checkout must patch crates.io's floe-registry with the checkout's (else the
    /// plugin would register into a second, unread registry).
    pub fn wants_crates_io_registry(&self) -> bool {
        match self {
            PluginCrate::Path {
                registry_from_crates_io,
                ..
            } => *registry_from_crates_io,
            PluginCrate::Registry { .. } => true,
        }
    }

    /// How the user named it: `--with-path ./acme` or `--with acme@1.2`.
    pub fn origin(&self) -> String {
        match self {
            PluginCrate::Path { given, .. } => format!("--with-path {given}"),
            PluginCrate::Registry { package, version } if version == "*" => {
                format!("--with {package}")
            }
            PluginCrate::Registry { package, version } => format!("--with {package}@{version}"),
        }
    }
}

/// Every choice of one build, checked.
#[derive(Debug, Clone)]
pub struct BuildPlan {
    /// The plugin crates, in the order given (flags after the file's).
    pub plugins: Vec<PluginCrate>,
    /// The built-ins to link, in table order.
    pub builtins: Vec<Builtin>,
    /// Where the binary goes.
    pub output: PathBuf,
    /// Optimised build.
    pub release: bool,
    /// Where the generated crate goes, when kept.
    pub keep: Option<PathBuf>,
    /// Cargo's target directory, when chosen.
    pub target_dir: Option<PathBuf>,
}

/// The `floe-build.toml` file: the same choices as the flags. Relative paths are read
/// from the file's folder, so the file can be committed and used from anywhere.
///
/// ```toml
/// builtins = ["duckdb", "s3"]          # or "all" / "none" / "duckdb,s3"
/// with-path = ["plugins/acme-store"]
/// with = ["acme-floe-plugins@1.2"]
/// output = "bin/floe"
/// release = true
/// ```
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct BuildFile {
    /// `--with-path`, repeated.
    #[serde(default)]
    pub with_path: Vec<PathBuf>,
    /// `--with`, repeated.
    #[serde(default)]
    pub with: Vec<String>,
    /// `--builtins`: a list of names, or one string (`all`, `none`, `a,b`).
    #[serde(default)]
    pub builtins: Option<BuiltinList>,
    /// `--output`.
    #[serde(default)]
    pub output: Option<PathBuf>,
    /// `--release`.
    #[serde(default)]
    pub release: bool,
    /// `--keep`.
    #[serde(default)]
    pub keep: Option<PathBuf>,
    /// `--target-dir`.
    #[serde(default)]
    pub target_dir: Option<PathBuf>,
}

/// `builtins` in the file: `"all"`, `"duckdb,s3"` or `["duckdb", "s3"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
pub enum BuiltinList {
    /// One string, as on the command line.
    Text(String),
    /// A list of names.
    List(Vec<String>),
}

impl BuiltinList {
    fn as_flag(&self) -> String {
        match self {
            BuiltinList::Text(s) => s.clone(),
            BuiltinList::List(items) if items.is_empty() => "none".to_owned(),
            BuiltinList::List(items) => items.join(","),
        }
    }
}

/// Reads a `floe-build.toml`, with its relative paths made absolute.
pub fn read_file(path: &Path) -> Result<BuildFile, CliError> {
    let text = fs::read_to_string(path)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let mut file: BuildFile = toml::from_str(&text).map_err(|e| {
        CliError::new(format!(
            "{} is not a valid floe-build.toml: {}",
            path.display(),
            e.to_string().trim_end()
        ))
    })?;
    let base = path
        .parent()
        .filter(|p| !p.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let absolute = |p: &mut PathBuf| {
        if p.is_relative() {
            *p = base.join(&*p);
        }
    };
    file.with_path.iter_mut().for_each(absolute);
    file.output.as_mut().map(absolute);
    file.keep.as_mut().map(absolute);
    file.target_dir.as_mut().map(absolute);
    Ok(file)
}

impl BuildPlan {
    /// The plan from the flags and the `--config` file: lists add up (the file's
    /// first), single values from flags override the file's. Every plugin crate is
    /// inspected here, so a bad path fails before anything is generated.
    pub fn from_args(args: &BuildArgs) -> Result<Self, CliError> {
        let file = match &args.config {
            Some(path) => read_file(path)?,
            None => BuildFile::default(),
        };
        let builtin_list = args
            .builtins
            .clone()
            .or_else(|| file.builtins.as_ref().map(BuiltinList::as_flag))
            .unwrap_or_else(|| "all".to_owned());
        let builtins = builtins::select(&builtin_list)
            .map_err(|e| CliError::new(format!("--builtins: {e}")))?;
        let mut plugins = Vec::new();
        for dir in file.with_path.iter().chain(&args.with_path) {
            plugins.push(super::inspect::path_crate(dir)?);
        }
        for spec in file.with.iter().chain(&args.with) {
            plugins.push(parse_with(spec)?);
        }
        for (i, p) in plugins.iter().enumerate() {
            if let Some(other) = plugins[..i].iter().find(|q| q.package() == p.package()) {
                return Err(CliError::new(format!(
                    "crate `{}` is given twice ({} and {}); name each plugin crate once",
                    p.package(),
                    other.origin(),
                    p.origin()
                )));
            }
            if RESERVED.contains(&p.package()) {
                return Err(CliError::new(format!(
                    "{}: `{}` is part of floe itself, not a plugin crate; choose built-ins with --builtins",
                    p.origin(),
                    p.package()
                )));
            }
        }
        Ok(BuildPlan {
            plugins,
            builtins,
            output: args
                .output
                .clone()
                .or(file.output)
                .unwrap_or_else(|| PathBuf::from("floe")),
            release: args.release || file.release,
            keep: args.keep.clone().or(file.keep),
            target_dir: args.target_dir.clone().or(file.target_dir),
        })
    }
}

/// floe's own crates: never plugin crates of a build.
const RESERVED: &[&str] = &[
    "floe-cli",
    "floe-registry-cli",
    "floe-registry",
    "floe-registry-macros",
    "floe-registry-rules",
    "floe-plugins-builtin",
];

/// Parses `CRATE` or `CRATE@VERSION`.
pub fn parse_with(spec: &str) -> Result<PluginCrate, CliError> {
    let (package, version) = match spec.split_once('@') {
        Some((p, v)) => (p.trim(), Some(v.trim())),
        None => (spec.trim(), None),
    };
    let valid_name = package
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphabetic())
        && package
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && package.len() <= 64;
    if !valid_name {
        return Err(CliError::new(format!(
            "--with {spec}: `{package}` is not a crate name (ASCII letters, digits, `-` and `_`, starting with a letter); write --with CRATE or --with CRATE@VERSION"
        )));
    }
    let version = match version {
        None => "*".to_owned(),
        Some(v) => {
            VersionReq::parse(v).map_err(|e| {
                CliError::new(format!(
                    "--with {spec}: `{v}` is not a version requirement ({e}); write e.g. {package}@1.2 or {package}@=1.2.3"
                ))
            })?;
            v.to_owned()
        }
    };
    Ok(PluginCrate::Registry {
        package: package.to_owned(),
        version,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn with_takes_a_crate_and_an_optional_requirement() {
        assert_eq!(
            parse_with("acme-plugins@1.2").expect("valid"),
            PluginCrate::Registry {
                package: "acme-plugins".into(),
                version: "1.2".into()
            }
        );
        let any = parse_with("acme").expect("valid");
        assert_eq!(any.origin(), "--with acme");
        assert_eq!(any.lib(), "acme");
    }

    #[test]
    fn bad_with_specs_say_what_to_write() {
        let e = parse_with("9lives").expect_err("an error").to_string();
        assert!(e.contains("is not a crate name"), "{e}");
        let e = parse_with("acme@one").expect_err("an error").to_string();
        assert!(
            e.starts_with("--with acme@one: `one` is not a version requirement"),
            "{e}"
        );
    }

    #[test]
    fn the_file_reads_paths_from_its_own_folder() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("floe-build.toml");
        fs::write(
            &path,
            "builtins = [\"duckdb\", \"s3\"]\nwith-path = [\"plugins/acme\"]\noutput = \"bin/floe\"\nrelease = true\n",
        )
        .expect("write");
        let file = read_file(&path).expect("valid file");
        assert_eq!(file.with_path, [dir.path().join("plugins/acme")]);
        assert_eq!(file.output, Some(dir.path().join("bin/floe")));
        assert!(file.release);
        assert_eq!(file.builtins.expect("set").as_flag(), "duckdb,s3");
    }

    #[test]
    fn an_unknown_key_in_the_file_is_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("floe-build.toml");
        fs::write(&path, "with_paths = [\"x\"]\n").expect("write");
        let e = read_file(&path).expect_err("an error").to_string();
        assert!(e.contains("is not a valid floe-build.toml"), "{e}");
        assert!(e.contains("unknown field `with_paths`"), "{e}");
    }
}
