//! The plugin version rule: SemVer 2.0, checked by the `semver` crate.

use std::fmt;

/// Why a plugin version is not SemVer 2.0.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SemverError {
    /// The version as written.
    pub version: String,
    /// The parser's explanation.
    pub reason: String,
}

impl fmt::Display for SemverError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "plugin version `{}` is not SemVer 2.0 ({}); write MAJOR.MINOR.PATCH, e.g. `1.0.0` or `1.2.0-rc.1`",
            self.version, self.reason
        )
    }
}

impl std::error::Error for SemverError {}

/// Parses a plugin version as SemVer 2.0 (`1.0.0`, `1.2.0-rc.1+build.5`).
/// `1.0`, `v1.0.0` and `1.0.0.0` are refused.
///
/// ```
/// use floe_registry_rules::check_semver;
///
/// assert_eq!(check_semver("1.2.3").unwrap().minor, 2);
/// assert!(check_semver("1.0").is_err());
/// assert!(check_semver("v1.0.0").is_err());
/// ```
pub fn check_semver(version: &str) -> Result<semver::Version, SemverError> {
    semver::Version::parse(version).map_err(|e| SemverError {
        version: version.to_owned(),
        reason: e.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accepts_full_semver() {
        for v in ["0.1.0", "1.0.0", "0.20.0", "1.2.0-rc.1+build.5"] {
            assert!(check_semver(v).is_ok(), "{v} should be valid SemVer");
        }
    }

    #[test]
    fn refuses_partial_prefixed_and_four_part_versions() {
        for v in ["1.0", "v1.0.0", "1.0.0.0", "", "01.0.0", "1.0.0-"] {
            let err = check_semver(v).expect_err(v);
            assert!(err.to_string().contains(&format!("`{v}`")), "{err}");
        }
    }
}
