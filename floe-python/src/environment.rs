//! Finding a Python environment's interpreter and `site-packages` from a path, without
//! running Python when the path is a virtual environment (its layout says it all).

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::PythonError;

/// Where a Python environment's pieces are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Layout {
    /// The interpreter to start the worker with.
    pub(crate) python: PathBuf,
    /// The folders whose distributions are installed plugins, in import order.
    pub(crate) site_packages: Vec<PathBuf>,
}

impl Layout {
    /// The layout of `path`: a virtual environment's folder, its interpreter, or any
    /// other Python interpreter (which is then asked, once, for its `site-packages`).
    pub(crate) fn find(path: &Path) -> Result<Layout, PythonError> {
        if !path.exists() {
            return Err(PythonError::NotFound {
                path: path.to_owned(),
            });
        }
        if path.is_dir() {
            return venv(path)?.ok_or_else(|| PythonError::NotAnEnvironment {
                path: path.to_owned(),
            });
        }
        // An interpreter inside a venv (`venv/bin/python`): the venv's layout.
        if let Some(root) = path.parent().and_then(Path::parent)
            && root.join("pyvenv.cfg").is_file()
            && let Some(mut layout) = venv(root)?
        {
            layout.python = path.to_owned();
            return Ok(layout);
        }
        asked(path)
    }
}

/// The layout of the virtual environment at `root`, if it is one.
fn venv(root: &Path) -> Result<Option<Layout>, PythonError> {
    if !root.join("pyvenv.cfg").is_file() {
        return Ok(None);
    }
    let Some(python) = ["bin/python3", "bin/python", "Scripts/python.exe"]
        .iter()
        .map(|p| root.join(p))
        .find(|p| p.exists())
    else {
        return Ok(None);
    };
    let mut site_packages = Vec::new();
    let lib = root.join("lib");
    let entries = std::fs::read_dir(&lib).map_err(|source| PythonError::Io {
        path: lib.clone(),
        source,
    })?;
    let mut versions: Vec<PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with("python3"))
        })
        .collect();
    versions.sort();
    for version in versions {
        let folder = version.join("site-packages");
        if folder.is_dir() {
            site_packages.push(folder);
        }
    }
    let windows = root.join("Lib").join("site-packages");
    if windows.is_dir() {
        site_packages.push(windows);
    }
    if site_packages.is_empty() {
        return Err(PythonError::NoSitePackages {
            root: root.to_owned(),
        });
    }
    Ok(Some(Layout {
        python,
        site_packages,
    }))
}

/// The layout of an interpreter that is not in a venv: asked for its `site-packages`.
fn asked(python: &Path) -> Result<Layout, PythonError> {
    let failed = |reason: String| PythonError::Interpreter {
        python: python.to_owned(),
        reason,
    };
    let output = Command::new(python)
        .args([
            "-I",
            "-c",
            "import json, site, sys; print(json.dumps([p for p in sys.path if p.endswith('-packages')]))",
        ])
        .output()
        .map_err(|e| failed(format!("{e}; give a Python 3 interpreter or a venv folder")))?;
    if !output.status.success() {
        return Err(failed(format!(
            "it exited with {}: {}",
            output.status,
            String::from_utf8_lossy(&output.stderr).trim()
        )));
    }
    let folders: Vec<PathBuf> = serde_json::from_slice(&output.stdout)
        .map_err(|e| failed(format!("it is not a Python 3 interpreter ({e})")))?;
    let site_packages: Vec<PathBuf> = folders.into_iter().filter(|p| p.is_dir()).collect();
    if site_packages.is_empty() {
        return Err(PythonError::NoSitePackages {
            root: python.to_owned(),
        });
    }
    Ok(Layout {
        python: python.to_owned(),
        site_packages,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fake_venv(root: &Path) {
        std::fs::create_dir_all(root.join("bin")).expect("bin");
        std::fs::create_dir_all(root.join("lib/python3.11/site-packages")).expect("lib");
        std::fs::write(root.join("pyvenv.cfg"), "home = /usr/bin\n").expect("cfg");
        std::fs::write(root.join("bin/python3"), "").expect("python");
    }

    #[test]
    fn a_venv_folder_and_its_interpreter_give_one_layout_without_python() {
        let dir = tempfile::tempdir().expect("temp dir");
        let root = dir.path().join("venv");
        fake_venv(&root);
        let from_folder = Layout::find(&root).expect("a venv");
        assert_eq!(from_folder.python, root.join("bin/python3"));
        assert_eq!(
            from_folder.site_packages,
            [root.join("lib/python3.11/site-packages")]
        );
        let from_python = Layout::find(&root.join("bin/python3")).expect("its interpreter");
        assert_eq!(from_python, from_folder);
    }

    #[test]
    fn a_path_that_is_no_environment_says_what_was_expected() {
        let dir = tempfile::tempdir().expect("temp dir");
        let missing = Layout::find(&dir.path().join("nope")).expect_err("nothing there");
        assert!(
            missing.to_string().starts_with("no Python environment at "),
            "{missing}"
        );
        let plain = Layout::find(dir.path()).expect_err("a plain folder");
        assert!(
            plain
                .to_string()
                .contains("is not a Python virtual environment (no pyvenv.cfg"),
            "{plain}"
        );
    }
}
