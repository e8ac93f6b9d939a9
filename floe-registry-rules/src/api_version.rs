//! The plugin API version: its `X.Y` format and the compatibility rule.

use std::fmt;
use std::str::FromStr;

/// A plugin API version, `MAJOR.MINOR`.
///
/// Written `X.Y`; `X.Y.Z` is accepted and the patch ignored.
///
/// ```
/// use floe_registry_rules::ApiVersion;
///
/// let v: ApiVersion = "1.10.3".parse().unwrap();
/// assert_eq!(v, ApiVersion::new(1, 10));
/// assert_eq!(v.to_string(), "1.10");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ApiVersion {
    /// Incompatible changes bump the major.
    pub major: u32,
    /// Additions bump the minor.
    pub minor: u32,
}

/// A string that is not an `X.Y` or `X.Y.Z` API version.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiVersionError {
    /// The version as written.
    pub version: String,
}

impl fmt::Display for ApiVersionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Invalid version format: '{}'. Expected X.Y or X.Y.Z format (e.g., '1.0' or '1.0.0').",
            self.version
        )
    }
}

impl std::error::Error for ApiVersionError {}

impl ApiVersion {
    /// An API version from its two numbers.
    pub const fn new(major: u32, minor: u32) -> Self {
        Self { major, minor }
    }

    /// Parses `X.Y` in a `const` context; a malformed version fails the build.
    ///
    /// ```
    /// use floe_registry_rules::ApiVersion;
    /// const V: ApiVersion = ApiVersion::parse_const("1.10");
    /// assert_eq!(V, ApiVersion::new(1, 10));
    /// ```
    pub const fn parse_const(s: &str) -> ApiVersion {
        let bytes = s.as_bytes();
        let mut i = 0;
        let mut parts = [0u32; 2];
        let mut part = 0;
        let mut digits = 0;
        while i < bytes.len() {
            let b = bytes[i];
            if b == b'.' {
                assert!(part == 0 && digits > 0, "API version must be X.Y");
                part = 1;
                digits = 0;
            } else {
                assert!(b.is_ascii_digit(), "API version must be X.Y");
                parts[part] = parts[part] * 10 + (b - b'0') as u32;
                digits += 1;
            }
            i += 1;
        }
        assert!(part == 1 && digits > 0, "API version must be X.Y");
        ApiVersion::new(parts[0], parts[1])
    }

    /// Whether a plugin that requires `self` runs on a platform that implements
    /// `platform`: same major, and the plugin's minor not newer.
    ///
    /// ```
    /// use floe_registry_rules::ApiVersion;
    ///
    /// assert!(ApiVersion::new(1, 2).is_compatible_with(ApiVersion::new(1, 10)));
    /// assert!(!ApiVersion::new(1, 10).is_compatible_with(ApiVersion::new(1, 9)));
    /// ```
    pub const fn is_compatible_with(self, platform: ApiVersion) -> bool {
        api_compatible(self.major, self.minor, platform.major, platform.minor)
    }
}

/// The compatibility rule on bare numbers, usable in `const` items: the attribute
/// emits `const` checks with it so an incompatible plugin does not compile.
///
/// ```
/// assert!(floe_registry_rules::api_compatible(1, 0, 1, 5));
/// assert!(!floe_registry_rules::api_compatible(2, 0, 1, 0));
/// ```
pub const fn api_compatible(
    required_major: u32,
    required_minor: u32,
    platform_major: u32,
    platform_minor: u32,
) -> bool {
    required_major == platform_major && required_minor <= platform_minor
}

fn number(part: &str) -> Option<u32> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    part.parse().ok()
}

impl FromStr for ApiVersion {
    type Err = ApiVersionError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let err = || ApiVersionError {
            version: s.to_owned(),
        };
        let parts: Vec<&str> = s.split('.').collect();
        match parts.as_slice() {
            [major, minor] | [major, minor, _] => {
                if let [_, _, patch] = parts.as_slice() {
                    number(patch).ok_or_else(err)?;
                }
                Ok(ApiVersion::new(
                    number(major).ok_or_else(err)?,
                    number(minor).ok_or_else(err)?,
                ))
            }
            _ => Err(err()),
        }
    }
}

impl fmt::Display for ApiVersion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}.{}", self.major, self.minor)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compatible(required: &str, platform: &str) -> bool {
        let r: ApiVersion = required.parse().expect(required);
        let p: ApiVersion = platform.parse().expect(platform);
        r.is_compatible_with(p)
    }

    #[test]
    fn reference_vectors() {
        let vectors = [
            ("1.0", "1.0", true),
            ("1.0", "1.5", true),
            ("1.2", "1.10", true),
            ("1.2", "1.0", false),
            ("1.10", "1.9", false),
            ("2.0", "1.0", false),
            ("1.0", "2.0", false),
            ("0.1", "0.5", true),
            ("0.5", "0.1", false),
        ];
        for (required, platform, expected) in vectors {
            assert_eq!(
                compatible(required, platform),
                expected,
                "plugin requires {required}, platform {platform}"
            );
        }
    }

    #[test]
    fn patch_is_accepted_and_ignored() {
        assert_eq!("1.0.7".parse::<ApiVersion>(), Ok(ApiVersion::new(1, 0)));
    }

    #[test]
    fn malformed_versions_give_the_reference_text() {
        for bad in [
            "",
            "1",
            "1.",
            ".1",
            "a.b",
            "1.0.0.0",
            "v1.0",
            "1.-1",
            "1.0.x",
            " 1.0",
            "99999999999.0",
        ] {
            let err = bad.parse::<ApiVersion>().expect_err(bad);
            assert_eq!(
                err.to_string(),
                format!(
                    "Invalid version format: '{bad}'. Expected X.Y or X.Y.Z format (e.g., '1.0' or '1.0.0')."
                )
            );
        }
    }
}
