//! The environment variables a plugin reads: the process's, or a fixed set given by a
//! test, so tests never change the process environment (`set_var` is unsafe once
//! threads run).

use std::collections::BTreeMap;
use std::ffi::OsString;
use std::sync::Arc;

/// Where a plugin looks variables up. The default is the process environment.
#[derive(Clone, Default)]
pub(crate) struct Environment {
    /// `None`: the process environment; `Some`: exactly these variables.
    fixed: Option<Arc<BTreeMap<String, String>>>,
}

impl Environment {
    /// Exactly `variables`, nothing from the process.
    pub(crate) fn fixed(variables: &[(&str, &str)]) -> Self {
        let map = variables
            .iter()
            .map(|(name, value)| ((*name).to_owned(), (*value).to_owned()))
            .collect();
        Environment {
            fixed: Some(Arc::new(map)),
        }
    }

    /// The value of `name`, as the OS holds it; `None` when unset.
    pub(crate) fn var_os(&self, name: &str) -> Option<OsString> {
        match &self.fixed {
            None => std::env::var_os(name),
            Some(map) => map.get(name).map(OsString::from),
        }
    }

    /// The value of `name` when it is set and valid UTF-8.
    #[cfg(any(
        feature = "jaeger",
        feature = "s3",
        feature = "aws-s3",
        feature = "minio",
        feature = "glue"
    ))]
    pub(crate) fn var(&self, name: &str) -> Option<String> {
        self.var_os(name).and_then(|value| value.into_string().ok())
    }

    /// The names of every variable that are valid UTF-8, unsorted.
    #[cfg(feature = "env-secrets")]
    pub(crate) fn names(&self) -> Vec<String> {
        match &self.fixed {
            None => std::env::vars_os()
                .filter_map(|(name, _)| name.into_string().ok())
                .collect(),
            Some(map) => map.keys().cloned().collect(),
        }
    }
}

impl std::fmt::Debug for Environment {
    /// Never the values: they may be secrets.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.fixed {
            None => f.write_str("Environment::Process"),
            Some(map) => f
                .debug_tuple("Environment::Fixed")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}
