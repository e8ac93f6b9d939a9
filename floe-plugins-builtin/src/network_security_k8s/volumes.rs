//! Writable emptyDir volumes for a read-only root filesystem.

use serde_json::{Value, json};

use super::helpers::BLOCKED_PATHS;

/// The volume name of `path`: `writable-` and the path lower-cased, `/` and other
/// characters turned into `-`, dashes collapsed and trimmed (`writable-root` for `/`).
///
/// ```
/// use floe_plugins_builtin::network_security_k8s::volume_name;
/// assert_eq!(volume_name("/var/Cache/app_1"), "writable-var-cache-app-1");
/// ```
pub fn volume_name(path: &str) -> String {
    let mut name = String::new();
    for c in path.to_lowercase().chars() {
        if c.is_ascii_lowercase() || c.is_ascii_digit() {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches('-');
    if name.is_empty() {
        "writable-root".to_owned()
    } else {
        format!("writable-{name}")
    }
}

/// `path` with repeated `/` and `.` components dropped, as the kernel resolves it
/// (`//proc/./` is `/proc`); `..` is kept (refused later).
fn normalised(path: &str) -> String {
    let parts: Vec<&str> = path
        .split('/')
        .filter(|part| !part.is_empty() && *part != ".")
        .collect();
    let joined = parts.join("/");
    if path.starts_with('/') {
        format!("/{joined}")
    } else {
        joined
    }
}

/// Whether `path` is blocked: floe's test (the path, or the path without trailing `/`,
/// is a blocked path) and, beyond floe, the same test on the normalised path, since
/// `//`, `/./etc` and `//proc` mount the same blocked folders.
fn blocked(path: &str) -> bool {
    let trimmed = path.trim_end_matches('/');
    [path, trimmed, normalised(path).as_str()]
        .iter()
        .any(|p| BLOCKED_PATHS.contains(p))
}

/// `(volumes, mounts)` for `paths`, or the first refused path's message: first every
/// path is checked against the blocked ones (as floe does), then, beyond floe, every
/// path must be absolute and free of `..`.
pub(super) fn writable(paths: &[String]) -> Result<(Vec<Value>, Vec<Value>), String> {
    if let Some(path) = paths.iter().find(|p| blocked(p)) {
        return Err(format!("Mount path blocked for security: {path}"));
    }
    let mut volumes = Vec::new();
    let mut mounts = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for path in paths {
        if !path.starts_with('/') {
            return Err(format!("Mount path must be absolute: {path}"));
        }
        if path.split('/').any(|part| part == "..") {
            return Err(format!(
                "Mount path cannot contain '..' (path traversal not allowed): {path}"
            ));
        }
        let base = volume_name(path);
        let mut name = base.clone();
        let mut n = 2;
        while names.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        names.push(name.clone());
        volumes.push(json!({"name": name, "emptyDir": {}}));
        mounts.push(json!({"name": name, "mountPath": path}));
    }
    Ok((volumes, mounts))
}
