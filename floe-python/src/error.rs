//! What can go wrong with a Python environment, before any plugin is involved.

use std::path::PathBuf;

/// A Python environment that cannot host plugins, and why.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum PythonError {
    /// Nothing at the path given.
    #[error(
        "no Python environment at {}: give a virtual environment's folder (with pyvenv.cfg) or a Python interpreter",
        .path.display()
    )]
    NotFound {
        /// The path given.
        path: PathBuf,
    },
    /// A folder that is not a virtual environment.
    #[error(
        "{} is not a Python virtual environment (no pyvenv.cfg, no bin/python): give the venv's folder or its interpreter, e.g. {}/bin/python",
        .path.display(), .path.display()
    )]
    NotAnEnvironment {
        /// The folder given.
        path: PathBuf,
    },
    /// No `site-packages` folder could be found.
    #[error(
        "no site-packages folder under {}: is this a Python 3 environment? (looked for lib/python3.*/site-packages)",
        .root.display()
    )]
    NoSitePackages {
        /// The environment's root.
        root: PathBuf,
    },
    /// The interpreter could not be asked where its packages are.
    #[error("could not run {}: {reason}", .python.display())]
    Interpreter {
        /// The interpreter.
        python: PathBuf,
        /// What failed.
        reason: String,
    },
    /// Reading the environment failed.
    #[error("could not read {}: {source}", .path.display())]
    Io {
        /// What was being read.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
}
