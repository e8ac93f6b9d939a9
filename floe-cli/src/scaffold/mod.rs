//! `floe plugins new TYPE NAME [--path DIR]`: writes a plugin crate that compiles and
//! whose `cargo test` passes out of the box.
//!
//! Files, one concern each: `names.rs` (every name from the plugin's name),
//! `plugin_source.rs` (`src/lib.rs`), `trait_stubs.rs` (each type's trait methods),
//! `crate_files.rs` (Cargo.toml, the registry test, README.md).

mod crate_files;
mod names;
mod plugin_source;
mod trait_stubs;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use floe_registry_rules::{check_name, suggest_name};

use crate::CliError;
use crate::cli::NewArgs;
use crate::output;
use crate::source::FloeSource;

use self::names::Names;

/// Runs the command: checks the name and the folder, writes the crate, and prints the
/// files written and the next commands.
pub fn run(args: &NewArgs) -> Result<ExitCode, CliError> {
    check_plugin_name(&args.name)?;
    let names = Names::new(args.plugin_type, &args.name);
    let dir = args
        .path
        .clone()
        .unwrap_or_else(|| PathBuf::from(&args.name));
    let source = FloeSource::current();
    let written = create(&names, &dir, &source)?;
    output::print(&summary(&names, &dir, &written));
    Ok(ExitCode::SUCCESS)
}

/// The name rule's message, with the closest valid name when there is one.
fn check_plugin_name(name: &str) -> Result<(), CliError> {
    check_name(name).map_err(|rule| {
        let hint = suggest_name(name)
            .map(|s| format!(" (did you mean `{s}`?)"))
            .unwrap_or_default();
        CliError::new(format!("invalid plugin name `{name}`: {rule}{hint}"))
    })
}

/// Writes the crate into `dir`, which must not exist or be empty, and returns the
/// files written, relative to `dir`. Takes floe-registry from `source`, and copies its
/// Cargo.lock (a checkout's) so that the first build reuses the versions already built.
fn create(names: &Names, dir: &Path, source: &FloeSource) -> Result<Vec<PathBuf>, CliError> {
    ensure_empty_or_absent(dir)?;
    let folder = dir
        .canonicalize()
        .ok()
        .as_deref()
        .unwrap_or(dir)
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| names.plugin.clone());
    let mut files: Vec<(PathBuf, String)> = vec![
        (
            "Cargo.toml".into(),
            crate_files::cargo_toml(names, &source.dependency("floe-registry")),
        ),
        ("README.md".into(), crate_files::readme(names, &folder)),
        (".gitignore".into(), crate_files::GITIGNORE.to_owned()),
        ("src/lib.rs".into(), plugin_source::lib_rs(names)),
        (
            "tests/registry.rs".into(),
            crate_files::registry_test(names),
        ),
    ];
    if let Some(lock) = source.lockfile() {
        let text = std::fs::read_to_string(&lock)
            .map_err(|e| CliError::new(format!("cannot read {}: {e}", lock.display())))?;
        files.insert(1, ("Cargo.lock".into(), text));
    }
    let mut written = Vec::with_capacity(files.len());
    for (relative, text) in files {
        let path = dir.join(&relative);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                CliError::new(format!("cannot create folder {}: {e}", parent.display()))
            })?;
        }
        std::fs::write(&path, text)
            .map_err(|e| CliError::new(format!("cannot write {}: {e}", path.display())))?;
        written.push(relative);
    }
    Ok(written)
}

/// Refuses a `dir` that is a file or a folder with anything in it: nothing is ever
/// overwritten.
fn ensure_empty_or_absent(dir: &Path) -> Result<(), CliError> {
    let shown = dir.display();
    match std::fs::read_dir(dir) {
        Ok(mut entries) => match entries.next() {
            None => Ok(()),
            Some(_) => Err(CliError::new(format!(
                "folder `{shown}` is not empty: floe plugins new writes only into a new or empty folder; choose another with --path DIR"
            ))),
        },
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
        Err(_) if dir.exists() => Err(CliError::new(format!(
            "`{shown}` exists and is not a folder: floe plugins new writes only into a new or empty folder; choose another with --path DIR"
        ))),
        Err(e) => Err(CliError::new(format!("cannot read folder `{shown}`: {e}"))),
    }
}

/// What was written and what to run next.
fn summary(names: &Names, dir: &Path, written: &[PathBuf]) -> String {
    let shown = dir.display();
    let mut out = format!(
        "Created the {} plugin `{}` (crate {}) in {shown}:\n",
        names.plugin_type, names.plugin, names.package
    );
    for file in written {
        out.push_str(&format!("  {}\n", dir.join(file).display()));
    }
    let word = shell_word(&dir.to_string_lossy());
    let next = [
        (
            format!("cd {word} && cargo test"),
            "its tests, through the registry".to_owned(),
        ),
        (
            format!("floe build --with-path {word}"),
            "writes ./floe, a floe with the plugin linked in".to_owned(),
        ),
        (
            "./floe plugins list".to_owned(),
            format!("lists {} under {}", names.plugin, names.plugin_type),
        ),
    ];
    out.push_str("\nNext:\n");
    for line in crate_files::commented_commands(&next).lines() {
        out.push_str(&format!("  {line}\n"));
    }
    if let Some(root) = enclosing_workspace(dir) {
        out.push_str(&format!(
            "\nNote: {shown} is inside the cargo workspace {}: unless that workspace's `members` already cover it, add it there (or to `exclude`) before running cargo in it.\n",
            root.display()
        ));
    }
    out
}

/// The root of a cargo workspace that holds `dir`, if any: cargo refuses to build a
/// package inside a workspace that does not list it.
fn enclosing_workspace(dir: &Path) -> Option<PathBuf> {
    let dir = dir.canonicalize().ok()?;
    dir.ancestors().skip(1).find_map(|ancestor| {
        let manifest = ancestor.join("Cargo.toml");
        let text = std::fs::read_to_string(&manifest).ok()?;
        let table: toml::Table = text.parse().ok()?;
        table
            .contains_key("workspace")
            .then(|| ancestor.to_path_buf())
    })
}

/// `text` as one word of a POSIX shell command: as is when it is plain, else quoted.
fn shell_word(text: &str) -> String {
    let plain = !text.is_empty()
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./+:@%,=".contains(c));
    if plain {
        text.to_owned()
    } else {
        format!("'{}'", text.replace('\'', r"'\''"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use floe_registry::PluginType;

    fn new_args(name: &str, path: Option<PathBuf>) -> NewArgs {
        NewArgs {
            plugin_type: PluginType::Compute,
            name: name.to_owned(),
            path,
        }
    }

    #[test]
    fn a_bad_name_gets_the_name_rules_message_and_a_suggestion() {
        let err = run(&new_args("DuckDB", None)).expect_err("DuckDB breaks the name rule");
        assert_eq!(err.exit_code(), 2);
        assert_eq!(
            err.to_string(),
            "invalid plugin name `DuckDB`: plugin name may contain only lowercase letters `a-z`, digits `0-9`, `-` and `_`, not `D` (did you mean `duckdb`?)"
        );
        let err = check_plugin_name("!!!").expect_err("no letters at all");
        assert!(
            !err.to_string().contains("did you mean"),
            "no suggestion when nothing valid is left: {err}"
        );
    }

    #[test]
    fn a_non_empty_folder_is_refused_and_left_alone() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let mine = dir.path().join("notes.txt");
        std::fs::write(&mine, "mine").expect("write a file");
        let err = run(&new_args("acme", Some(dir.path().to_owned())))
            .expect_err("a non-empty folder must be refused");
        assert_eq!(err.exit_code(), 2);
        assert!(
            err.to_string().contains(&dir.path().display().to_string()),
            "the error names the folder: {err}"
        );
        assert_eq!(std::fs::read_to_string(&mine).ok().as_deref(), Some("mine"));
        assert!(!dir.path().join("Cargo.toml").exists(), "nothing written");
    }

    #[test]
    fn a_file_in_place_of_the_folder_is_refused() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let file = dir.path().join("acme");
        std::fs::write(&file, "").expect("write a file");
        let err = ensure_empty_or_absent(&file).expect_err("a file is not a folder");
        assert!(err.to_string().contains("is not a folder"), "{err}");
    }

    #[test]
    fn an_empty_or_new_folder_receives_every_file() {
        let dir = tempfile::tempdir().expect("a temporary folder");
        let names = Names::new(PluginType::Secrets, "vault");
        let source = FloeSource::Registry {
            version: "0.1.0".into(),
        };
        let written = create(&names, dir.path(), &source).expect("an empty folder is fine");
        let written: Vec<_> = written
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        assert_eq!(
            written,
            [
                "Cargo.toml",
                "README.md",
                ".gitignore",
                "src/lib.rs",
                "tests/registry.rs"
            ],
            "no Cargo.lock without a checkout"
        );
        let manifest = std::fs::read_to_string(dir.path().join("Cargo.toml")).expect("Cargo.toml");
        assert!(
            manifest.contains("floe-registry = { version = \"=0.1.0\" }"),
            "{manifest}"
        );

        let nested = dir.path().join("new/deeper");
        create(&names, &nested, &FloeSource::current()).expect("a new folder is created");
        assert!(
            nested.join("Cargo.lock").is_file(),
            "a checkout's lockfile is copied"
        );
    }

    #[test]
    fn shell_words_are_quoted_only_when_needed() {
        assert_eq!(shell_word("./acme-store"), "./acme-store");
        assert_eq!(shell_word("my plugins/acme"), "'my plugins/acme'");
        assert_eq!(shell_word("it's"), r"'it'\''s'");
    }
}
