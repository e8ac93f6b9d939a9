//! Secret scanner `builtin`: finds secrets committed to files with regular expressions
//! and an entropy test.
//!
//! The patterns, in the order their findings are reported within a file (each pattern
//! over all lines, a line counting once per pattern; files in path order):
//!
//! | pattern | code | what |
//! |---|---|---|
//! | `aws_access_key` | E601 | `AKIA` and 16 upper-case letters or digits |
//! | `hardcoded_password` | E602 | `password`, `passwd` or `pwd` assigned a quoted value |
//! | `api_token` | E603 | `api_key`, `api_token`, `auth_token`, `access_token`, `secret_key`, `client_secret` or `bearer` with a value of 8 or more characters |
//! | `private_key` | E604 | a PEM private key header |
//! | custom patterns | E6xx | the configured [`SecretPattern`]s, in their order |
//! | `high_entropy` | E605 | a quoted value of 20 or more characters after `=` with Shannon entropy of at least 4.0 bits per character |
//!
//! Findings are errors, or warnings when `allow_secrets` is set.
//!
//! Where floe is broken, this does better: floe's findings carry the whole line, secret
//! included, so every report and log of a scan leaks what it found. Here a finding's
//! `matched_content` is the stripped line with every secret on it masked (the first
//! four characters of a long secret kept, then `********`, whatever its length); a
//! private key header, which is no secret, is shown as is.
//!
//! `scan_directory` walks every file below the directory, in path order, skipping
//! binary files (a NUL byte), files that are not UTF-8 and files it cannot read;
//! findings carry paths relative to the directory, with `/` separators. An exclude
//! glob matches a path from the right (as Python's `PurePath.match` does, which floe
//! uses): `*.lock` excludes every `.lock` file, `config/*.yaml` the YAML files of any
//! `config` folder. Beyond floe, a glob that matches a directory excludes everything
//! below it (`node_modules`, `vendor/*`), and that directory is not walked at all.
//!
//! ```
//! use floe_plugins_builtin as _;
//! use floe_registry::prelude::*;
//!
//! let registry = PluginRegistry::new();
//! registry.discover_all();
//! let scanner = registry.get_as::<dyn SecretScannerPlugin>("builtin")?;
//! let findings = scanner.scan_file("app.py".as_ref(), "KEY = 'AKIAABCDEFGHIJKLMNOP'\n")?;
//! assert_eq!(findings[0].error_code, "E601");
//! assert_eq!(findings[0].matched_content, "KEY = 'AKIA********'");
//! # Ok::<(), PluginError>(())
//! ```

mod mask;
mod patterns;
mod walk;

use std::path::Path;
use std::sync::Arc;

use floe_registry::prelude::*;
use floe_registry::secret_scan::{SecretFinding, SecretPattern, SecretSeverity};

pub use mask::MASK;
pub use patterns::shannon_entropy;

use patterns::Compiled;

/// Regular expressions and an entropy test over text files, with custom patterns.
#[floe_plugin(type = SecretScanner, name = "builtin", version = "1.0.0", description = "", config = SecretScannerConfig)]
#[derive(Default)]
pub struct BuiltinSecretScanner {
    #[config]
    config: ConfigCell<SecretScannerConfig>,
}

/// The settings of the built-in scanner. Unknown fields are refused.
#[floe_config]
#[derive(Debug, Default)]
#[serde(deny_unknown_fields)]
pub struct SecretScannerConfig {
    /// More patterns, reported after the four built-in ones in this order. Each
    /// `regex` may name a group `secret`: then only that group is masked in findings,
    /// else the whole match is.
    #[serde(default)]
    pub custom_patterns: Vec<SecretPattern>,
    /// Report findings as warnings instead of errors.
    #[serde(default)]
    pub allow_secrets: bool,
}

impl BuiltinSecretScanner {
    /// The configured settings, or the defaults before `configure`.
    fn settings(&self) -> Arc<SecretScannerConfig> {
        self.config
            .get()
            .unwrap_or_else(|_| Arc::new(SecretScannerConfig::default()))
    }

    /// The compiled patterns of the current settings, or why a custom one is invalid.
    fn compiled(&self) -> Result<(Compiled, bool), PluginError> {
        let settings = self.settings();
        let compiled = Compiled::new(&settings.custom_patterns)?;
        Ok((compiled, settings.allow_secrets))
    }
}

/// The findings of one file's content, in pattern order.
fn scan_text(
    patterns: &Compiled,
    allow_secrets: bool,
    file_path: &str,
    content: &str,
) -> Vec<SecretFinding> {
    let lines: Vec<&str> = content.lines().collect();
    let mut findings = Vec::new();
    for pattern in patterns.all() {
        for (index, line) in lines.iter().enumerate() {
            if !pattern.finds(line) {
                continue;
            }
            let number = u32::try_from(index + 1).unwrap_or(u32::MAX);
            let mut finding = SecretFinding::new(
                file_path,
                number,
                pattern.name(),
                pattern.code(),
                patterns.masked(line.trim()),
            );
            if allow_secrets {
                finding.severity = SecretSeverity::Warning;
                finding.allow_secrets = true;
            }
            findings.push(finding);
        }
    }
    findings
}

impl SecretScannerPlugin for BuiltinSecretScanner {
    /// The findings of `content`, reported under `file_path` as given.
    fn scan_file(
        &self,
        file_path: &Path,
        content: &str,
    ) -> Result<Vec<SecretFinding>, PluginError> {
        let (patterns, allow) = self.compiled()?;
        let shown = file_path.to_string_lossy();
        Ok(scan_text(&patterns, allow, &shown, content))
    }

    /// The findings of every text file below `directory`, file by file in path order.
    fn scan_directory(
        &self,
        directory: &Path,
        exclude_patterns: &[String],
    ) -> Result<Vec<SecretFinding>, PluginError> {
        let (patterns, allow) = self.compiled()?;
        let excludes = walk::Excludes::new(exclude_patterns)?;
        let mut findings = Vec::new();
        for file in walk::text_files(directory, &excludes)? {
            findings.extend(scan_text(&patterns, allow, &file.relative, &file.content));
        }
        Ok(findings)
    }

    /// The four built-in patterns, the custom ones, then `high_entropy`.
    fn get_supported_patterns(&self) -> Vec<String> {
        let custom = &self.settings().custom_patterns;
        let mut names: Vec<String> = patterns::BUILTIN_NAMES
            .iter()
            .map(|n| (*n).to_owned())
            .collect();
        names.extend(custom.iter().map(|p| p.name.clone()));
        names.push(patterns::HIGH_ENTROPY.to_owned());
        names
    }
}
