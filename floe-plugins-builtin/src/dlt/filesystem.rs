//! dlt `filesystem` sources read as published floe reads them (floe-orchestrator-dagster
//! 0.1.0a1, `ingestion/filesystem_sources.py`).
//!
//! A filesystem source's `source_config` holds only `path`, `format`, `file_glob` or
//! `include_glob`, and `reader_options`:
//!
//! - `format`: `csv`, `jsonl` or `parquet` (read by dlt's `read_csv` (pandas),
//!   `read_jsonl` and `read_parquet` (pyarrow));
//! - `path`: an `s3://`, `gs://` or `az://` URL (a folder of the bucket), or a path
//!   relative to the project folder: a folder (it ends with `/`, is a folder, or has
//!   no extension), read with the glob, or one file (then no glob may be given).
//!   Absolute local paths are refused (not portable), and so is a relative path that
//!   leads out of the project folder (symbolic links followed);
//! - `file_glob` (or its alias `include_glob`; both only when equal): the files of the
//!   folder to read, `*` by default;
//! - `reader_options`: arguments of the reader, from an allow-list per format
//!   ([`reader_options_allowed`]).
//!
//! Keys that look like connection settings (`host`, `password`, `token`, ...) are
//! refused in `source_config` and in `reader_options`: credentials come from the
//! environment. As in floe, these rules are checked when the pipeline runs (floe builds
//! the source when its asset materialises; its config schema takes any
//! `source_config`), with floe's error texts.

use std::collections::BTreeSet;
use std::ffi::OsString;
use std::path::{Component, Path, PathBuf};

use serde::Serialize;
use serde_json::{Map, Value};

use floe_registry::python;

/// The file formats, sorted.
pub const FORMATS: [&str; 3] = ["csv", "jsonl", "parquet"];

/// The keys a filesystem `source_config` may hold, sorted.
pub const SOURCE_CONFIG_KEYS: [&str; 5] = [
    "file_glob",
    "format",
    "include_glob",
    "path",
    "reader_options",
];

/// The URL schemes of object stores a `path` may use, sorted.
pub const OBJECT_STORE_SCHEMES: [&str; 3] = ["az", "gs", "s3"];

/// Connection-like key names, normalised (lower case, letters and digits only):
/// refused in `source_config` and `reader_options`.
const CONNECTION_LIKE: [&str; 13] = [
    "accesskey",
    "apikey",
    "connectionstring",
    "credentials",
    "database",
    "endpoint",
    "host",
    "password",
    "port",
    "secretaccesskey",
    "secretkey",
    "token",
    "username",
];

/// The keys of `catalog_config` that locate an object store for the source (the
/// first set of each group wins): endpoint, region and URL style.
pub const OBJECT_STORE_KEYS: [&str; 10] = [
    "endpoint_url",
    "s3_endpoint",
    "endpoint",
    "minio_endpoint",
    "region_name",
    "s3_region",
    "region",
    "s3_path_style_access",
    "path_style_access",
    "s3_url_style",
];

/// The `reader_options` keys allowed for `format` (sorted), or none for an unknown
/// format.
pub fn reader_options_allowed(format: &str) -> &'static [&'static str] {
    match format {
        "csv" => &[
            "chunksize",
            "delimiter",
            "dtype",
            "encoding",
            "escapechar",
            "header",
            "keep_default_na",
            "na_values",
            "names",
            "quotechar",
            "sep",
        ],
        "jsonl" => &["chunksize"],
        "parquet" => &["chunksize", "use_pyarrow"],
        _ => &[],
    }
}

/// What dlt's `filesystem` source and reader are called with.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FilesystemSource {
    /// The folder: an absolute local path or the object store URL as given.
    pub bucket_url: String,
    /// The files of the folder to read.
    pub file_glob: String,
    /// `csv`, `jsonl` or `parquet`.
    pub format: String,
    /// Arguments of the reader.
    pub reader_options: Map<String, Value>,
}

/// Checks the filesystem source `name` loading into `destination_table` with
/// `source_config`, and resolves its path against `project_dir`. The error is floe's
/// text for the first rule broken, in floe's order.
pub fn resolve(
    name: &str,
    destination_table: &str,
    source_config: &Map<String, Value>,
    project_dir: &Path,
) -> Result<FilesystemSource, String> {
    let for_source = python::repr(name);
    check_destination_table(destination_table, &for_source)?;
    let format = match source_config.get("format") {
        Some(Value::String(f)) if !f.is_empty() => f.clone(),
        _ => return Err(format!("format is required for {for_source}")),
    };
    if !FORMATS.contains(&format.as_str()) {
        return Err(format!(
            "Unsupported filesystem format {} for {for_source}",
            python::repr(&format)
        ));
    }
    let blocked = connection_like(source_config);
    if !blocked.is_empty() {
        return Err(format!(
            "source_config contains connection-like keys {blocked} for {for_source}"
        ));
    }
    let unsupported = outside(source_config, &SOURCE_CONFIG_KEYS);
    if !unsupported.is_empty() {
        return Err(format!(
            "source_config contains unsupported keys {unsupported} for {for_source}"
        ));
    }
    let file_glob = file_glob(source_config, &for_source)?;
    let (bucket_url, file_glob) = target(source_config, file_glob, project_dir, &for_source)?;
    let reader_options = reader_options(source_config, &format, &for_source)?;
    Ok(FilesystemSource {
        bucket_url,
        file_glob,
        format,
        reader_options,
    })
}

/// The object store settings of `catalog_config` ([`OBJECT_STORE_KEYS`]) the runner
/// reads an `s3://` source with.
pub fn object_store_config(catalog_config: &Map<String, Value>) -> Map<String, Value> {
    catalog_config
        .iter()
        .filter(|(k, _)| OBJECT_STORE_KEYS.contains(&k.as_str()))
        .map(|(k, v)| (k.clone(), v.clone()))
        .collect()
}

/// `namespace.table`, each part an ASCII identifier.
fn check_destination_table(table: &str, for_source: &str) -> Result<(), String> {
    let parts: Vec<&str> = table.split('.').collect();
    let trimmed = |p: &str| python::strip(p) == p;
    if parts.len() != 2 || parts.iter().any(|p| p.is_empty() || !trimmed(p)) {
        return Err(format!(
            "destination_table must be exactly namespace.table for {for_source}"
        ));
    }
    let identifier = |p: &str| {
        let mut chars = p.chars();
        chars
            .next()
            .is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
            && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
    };
    if parts.iter().any(|p| !identifier(p)) {
        return Err(format!(
            "destination_table contains unsafe identifier characters for {for_source}"
        ));
    }
    Ok(())
}

/// The keys of `map` that look like connection settings, sorted, joined by `, `.
fn connection_like(map: &Map<String, Value>) -> String {
    let keys: BTreeSet<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| {
            let normal: String = k
                .to_lowercase()
                .chars()
                .filter(|c| c.is_ascii_lowercase() || c.is_ascii_digit())
                .collect();
            CONNECTION_LIKE.contains(&normal.as_str())
        })
        .collect();
    keys.into_iter().collect::<Vec<_>>().join(", ")
}

/// The keys of `map` not in `allowed`, sorted, joined by `, `.
fn outside(map: &Map<String, Value>, allowed: &[&str]) -> String {
    let keys: BTreeSet<&str> = map
        .keys()
        .map(String::as_str)
        .filter(|k| !allowed.contains(k))
        .collect();
    keys.into_iter().collect::<Vec<_>>().join(", ")
}

/// A set value: present and not null.
fn set<'a>(config: &'a Map<String, Value>, key: &str) -> Option<&'a Value> {
    config.get(key).filter(|v| !v.is_null())
}

/// `file_glob`, else `include_glob`, else `*`.
fn file_glob(config: &Map<String, Value>, for_source: &str) -> Result<String, String> {
    let (file_glob, include_glob) = (set(config, "file_glob"), set(config, "include_glob"));
    if let (Some(a), Some(b)) = (file_glob, include_glob)
        && a != b
    {
        return Err(format!(
            "file_glob and include_glob conflict for {for_source}"
        ));
    }
    match file_glob.or(include_glob) {
        None => Ok("*".to_owned()),
        Some(Value::String(glob)) if !glob.is_empty() => Ok(glob.clone()),
        Some(_) => Err(format!(
            "file_glob must be a non-empty string for {for_source}"
        )),
    }
}

/// The folder and glob dlt reads for `path`.
fn target(
    config: &Map<String, Value>,
    file_glob: String,
    project_dir: &Path,
    for_source: &str,
) -> Result<(String, String), String> {
    let path = match config.get("path") {
        Some(Value::String(p)) if !p.is_empty() => p.as_str(),
        _ => return Err(format!("path is required for {for_source}")),
    };
    if let Some(scheme) = url_scheme(path) {
        if OBJECT_STORE_SCHEMES.contains(&scheme.as_str()) {
            return Ok((path.to_owned(), file_glob));
        }
        return Err(format!(
            "path URI scheme must be one of s3://, gs://, or az:// for {for_source}"
        ));
    }
    if path.starts_with('/') {
        return Err(format!(
            "absolute local paths are not portable for {for_source}"
        ));
    }
    let root = real_path(project_dir);
    let resolved = real_path(&root.join(path));
    if !resolved.starts_with(&root) {
        return Err(format!("path escapes project_dir for {for_source}"));
    }
    if path.ends_with('/') || resolved.is_dir() || !has_suffix(path) {
        return Ok((resolved.display().to_string(), file_glob));
    }
    if set(config, "file_glob").is_some() || set(config, "include_glob").is_some() {
        return Err(format!(
            "file path cannot be combined with file_glob/include_glob for {for_source}"
        ));
    }
    let folder = resolved.parent().unwrap_or(&resolved);
    let file = resolved
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    Ok((folder.display().to_string(), file))
}

/// The scheme of `url` as Python's `urlsplit` finds it (lower case), if any: leading
/// control characters and spaces, and tabs and line breaks anywhere, are dropped
/// first; then a letter and letters, digits, `+`, `-` or `.` before the first `:`.
fn url_scheme(url: &str) -> Option<String> {
    let cleaned: String = url
        .trim_start_matches(|c: char| c <= ' ')
        .chars()
        .filter(|c| !matches!(c, '\t' | '\r' | '\n'))
        .collect();
    let (scheme, _) = cleaned.split_once(':')?;
    let mut chars = scheme.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphabetic());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    (first_ok && rest_ok).then(|| scheme.to_ascii_lowercase())
}

/// Whether the last part of `path` (as Python's `pathlib` names it) has an
/// extension: a `.` that is neither its first nor its last character.
fn has_suffix(path: &str) -> bool {
    let name = path
        .split('/')
        .rfind(|part| !part.is_empty() && *part != ".")
        .unwrap_or("");
    name.rfind('.')
        .is_some_and(|at| at > 0 && at + 1 < name.len())
}

/// The most symbolic links followed while resolving one path (Linux's limit).
const MAX_LINKS: usize = 40;

/// `path` made absolute (against the current folder) with `.`, `..` and symbolic
/// links resolved, like Python's `Path.resolve()`: parts that do not exist are kept
/// as written.
pub fn real_path(path: &Path) -> PathBuf {
    let absolute = if path.is_absolute() {
        path.to_path_buf()
    } else {
        std::env::current_dir()
            .unwrap_or_else(|_| PathBuf::from("/"))
            .join(path)
    };
    let mut pending: Vec<OsString> = parts(&absolute);
    pending.reverse();
    let mut out = PathBuf::from("/");
    let mut links = 0;
    while let Some(part) = pending.pop() {
        if part == ".." {
            out.pop();
            continue;
        }
        let next = out.join(&part);
        let link = std::fs::symlink_metadata(&next)
            .is_ok_and(|m| m.file_type().is_symlink())
            .then(|| std::fs::read_link(&next).ok())
            .flatten();
        match link {
            Some(target) if links < MAX_LINKS => {
                links += 1;
                if target.is_absolute() {
                    out = PathBuf::from("/");
                }
                pending.extend(parts(&target).into_iter().rev());
            }
            _ => out = next,
        }
    }
    out
}

/// The named parts of `path` and its `..`s, in order (`.` and the root dropped).
fn parts(path: &Path) -> Vec<OsString> {
    path.components()
        .filter_map(|c| match c {
            Component::Normal(name) => Some(name.to_os_string()),
            Component::ParentDir => Some(OsString::from("..")),
            Component::RootDir | Component::CurDir | Component::Prefix(_) => None,
        })
        .collect()
}

/// The `reader_options` object, checked against the format's allow-list.
fn reader_options(
    config: &Map<String, Value>,
    format: &str,
    for_source: &str,
) -> Result<Map<String, Value>, String> {
    let options = match config.get("reader_options") {
        None => return Ok(Map::new()),
        Some(Value::Object(options)) => options,
        Some(_) => {
            return Err(format!("reader_options must be a mapping for {for_source}"));
        }
    };
    let blocked = connection_like(options);
    if !blocked.is_empty() {
        return Err(format!(
            "reader_options contains connection-like keys {blocked} for {for_source}"
        ));
    }
    let unsupported = outside(options, reader_options_allowed(format));
    if !unsupported.is_empty() {
        return Err(format!(
            "reader_options contains unsupported keys {unsupported} for {format} source {for_source}"
        ));
    }
    Ok(options.clone())
}

#[cfg(test)]
#[path = "filesystem_tests.rs"]
mod tests;
