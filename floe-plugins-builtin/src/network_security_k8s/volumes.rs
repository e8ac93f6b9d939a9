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

/// `(volumes, mounts)` for `paths`, or the first refused path's message.
pub(super) fn writable(paths: &[String]) -> Result<(Vec<Value>, Vec<Value>), String> {
    let mut volumes = Vec::new();
    let mut mounts = Vec::new();
    let mut names: Vec<String> = Vec::new();
    for path in paths {
        let trimmed = if path.len() > 1 {
            path.trim_end_matches('/')
        } else {
            path.as_str()
        };
        if BLOCKED_PATHS.contains(&path.as_str()) || BLOCKED_PATHS.contains(&trimmed) {
            return Err(format!("Mount path blocked for security: {path}"));
        }
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
