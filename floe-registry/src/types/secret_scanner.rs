//! Secret scanner plugins: find secrets committed to files.

use std::path::Path;

use super::unsupported;
use crate::secret_scan::SecretFinding;
use crate::{PluginError, PluginMetadata};

/// A scanner of files for secrets. The findings and custom patterns are in
/// [`crate::secret_scan`].
///
/// ```
/// use floe_registry::prelude::*;
///
/// #[floe_plugin(type = SecretScanner, name = "none", version = "1.0.0")]
/// #[derive(Default)]
/// struct NoScanner;
/// impl SecretScannerPlugin for NoScanner {}
///
/// assert!(NoScanner.get_supported_patterns().is_empty());
/// ```
#[diagnostic::on_unimplemented(
    message = "`{Self}` is declared `type = SecretScanner` but does not implement `SecretScannerPlugin`",
    label = "`type = SecretScanner` needs `impl SecretScannerPlugin for {Self}`",
    note = "add `impl SecretScannerPlugin for {Self} {{}}`: every method has a default, so an empty impl compiles; override what the plugin supports",
    note = "if `{Self}` is meant to be another kind of plugin, change `type = SecretScanner` in `#[floe_plugin(...)]` to that kind"
)]
pub trait SecretScannerPlugin: PluginMetadata {
    /// The secrets in one file's content.
    fn scan_file(
        &self,
        file_path: &Path,
        content: &str,
    ) -> Result<Vec<SecretFinding>, PluginError> {
        let _ = (file_path, content);
        Err(unsupported(self, "scan_file"))
    }

    /// The secrets in every file under `directory`, skipping paths that match an
    /// exclude glob; findings carry paths relative to `directory`.
    fn scan_directory(
        &self,
        directory: &Path,
        exclude_patterns: &[String],
    ) -> Result<Vec<SecretFinding>, PluginError> {
        let _ = (directory, exclude_patterns);
        Err(unsupported(self, "scan_directory"))
    }

    /// The names of the patterns it looks for. Default: none.
    fn get_supported_patterns(&self) -> Vec<String> {
        Vec::new()
    }

    lifecycle_hooks!();
}
