//! Secret scanner `builtin`: finds secrets committed to files with floe's regular
//! expressions and entropy test (floe-core 0.1.0a1's `BuiltinSecretScanner`), with
//! floe's results but for the masking below.
//!
//! The patterns, in the order their findings are reported within a file (each pattern
//! over all lines, a line counting once per pattern; files in path order). The
//! regular expressions are floe's, read as Python reads them (`\s` is Python's
//! whitespace, U+001C to U+001F included; `(?i)` folds as Python does):
//!
//! | pattern | code | floe's regular expression |
//! |---|---|---|
//! | `aws_access_key` | E601 | `(?:^\|[^A-Z0-9])(?:AKIA[0-9A-Z]{16})(?:$\|[^A-Z0-9])` |
//! | `hardcoded_password` | E602 | `(?i)(?:password\|passwd\|pwd)\s*=\s*['"][^'"]+['"]` (`db_password='x'`, `DB_PASSWORD="x"`, `my_pwd = 'x'`) |
//! | `api_token` | E603 | `(?i)(?:api[_-]?(?:key\|token\|secret))\s*=\s*['"][^'"]+['"]` |
//! | `private_key` | E604 | `-----BEGIN\s+(?:RSA\s+)?PRIVATE\s+KEY-----` |
//! | custom patterns | E6xx | the configured [`SecretPattern`]s, in their order (Rust's regex syntax) |
//! | `high_entropy` | E605 | the first `=\s*['"]([\w/+=]{20,})['"]` of a line (Python's `\w`), when its value has a Shannon entropy of at least 4.0 bits per character |
//!
//! Lines are split at `\n` only, as floe splits them (a `\r` stays on its line, so
//! `scan_file` of a CRLF text sees it at the end of each line); `scan_directory` reads
//! files as Python's text mode does (`\r\n` and `\r` end lines). Findings are errors,
//! or warnings when `allow_secrets` is set. `scan_file` reports the path as Python's
//! `Path` writes it (`./a/../b.py` is `a/../b.py`).
//!
//! Where floe is broken, this does better (each listed in
//! `docs/deliberate-differences.md`, family `secret_scan`):
//! - floe's findings carry the whole line, secret included, so every report and log
//!   of a scan leaks what it found. Here a finding's `matched_content` is the stripped
//!   line (Python's `strip()`) with every secret on it masked (the first four
//!   characters of a long secret kept, then `********`, whatever its length); a private
//!   key header, which is no secret, is shown as is.
//! - `get_supported_patterns` also names `high_entropy`, which floe reports but does
//!   not list.
//! - a custom pattern's regex is checked before any file is read (floe fails on the
//!   first line it scans); a `SecretPattern` read with `from_value` checks it too.
//! - scanning a folder that does not exist fails (floe finds nothing); an empty
//!   exclude glob excludes nothing (floe fails).
//! - the private key pattern finds EC, DSA, OpenSSH and encrypted PKCS#8 headers
//!   too (floe's finds only RSA and plain PKCS#8 ones, missing ssh-keygen's default
//!   format).
//!
//! `scan_directory` walks every file below the directory, hidden ones included, in
//! path order, skipping files that are not UTF-8 and files it cannot read (as floe
//! does; a UTF-8 file with NUL bytes is read); findings carry paths relative to the
//! directory, with `/` separators. An exclude glob is matched as Python's
//! `PurePath.match` matches it against the walked path (floe's test): from the right,
//! part by part, with `fnmatch` rules (`*.lock` excludes every `.lock` file,
//! `config/*.yaml` the YAML files of any `config` folder, `*` never crosses a `/`); an
//! absolute glob must match the whole path. Beyond floe, a glob that matches a folder
//! excludes everything below it (`node_modules`, `vendor`, `**/tests/**`), and that
//! folder is not walked at all.
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
//! let findings = scanner.scan_file("./a/../db.py".as_ref(), "db_password = 'hunter2'")?;
//! assert_eq!(findings[0].pattern_name, "hardcoded_password");
//! assert_eq!(findings[0].file_path, "a/../db.py");
//! assert_eq!(findings[0].matched_content, "db_password = '********'");
//! # Ok::<(), PluginError>(())
//! ```

mod mask;
mod patterns;
mod py_word;
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
    let lines: Vec<&str> = content.split('\n').collect();
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
                patterns.masked(floe_registry::python::strip(line)),
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
    /// The findings of `content`, reported under `file_path` as Python writes it
    /// (`./a/../b.py` is `a/../b.py`). Lines are split at `\n` only, as floe splits
    /// them (a `\r` stays on its line).
    fn scan_file(
        &self,
        file_path: &Path,
        content: &str,
    ) -> Result<Vec<SecretFinding>, PluginError> {
        let (patterns, allow) = self.compiled()?;
        let shown = walk::python_path(file_path);
        Ok(scan_text(&patterns, allow, &shown, content))
    }

    /// The findings of every text file below `directory`, file by file in path order.
    fn scan_directory(
        &self,
        directory: &Path,
        exclude_patterns: &[String],
    ) -> Result<Vec<SecretFinding>, PluginError> {
        let (patterns, allow) = self.compiled()?;
        let excludes = walk::Excludes::new(exclude_patterns);
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
