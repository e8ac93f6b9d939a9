//! `floe secrets scan`: the secrets committed to a folder (or one file), through the
//! linked secret scanner plugin. Findings show the line with the secret masked.

use std::path::Path;
use std::process::ExitCode;

use floe_registry::secret_scan::{SecretFinding, SecretSeverity};
use floe_registry::{PluginRegistry, PluginType, SecretScannerPlugin};

use crate::CliError;
use crate::cli::ScanArgs;
use crate::error;
use crate::info::lookup_error;
use crate::output::{self, Style};

/// Runs the command: exit 1 when a finding is an error, else 0.
pub fn run(registry: &PluginRegistry, args: &ScanArgs) -> Result<ExitCode, CliError> {
    let scanner = registry
        .get_as::<dyn SecretScannerPlugin>(&args.scanner)
        .map_err(|e| CliError::new(lookup_error(registry, PluginType::SecretScanner, &e)))?;
    let findings = scan(scanner, &args.path, &args.exclude)?;
    if args.json {
        output::print_json(&findings);
    } else {
        output::print(&render(&findings, Style::stdout()));
    }
    let failed = findings.iter().any(|f| f.severity == SecretSeverity::Error);
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}

/// The findings of a folder, or of one file (reported under its name).
fn scan(
    scanner: &dyn SecretScannerPlugin,
    path: &Path,
    exclude: &[String],
) -> Result<Vec<SecretFinding>, CliError> {
    let meta = std::fs::metadata(path)
        .map_err(|e| CliError::new(format!("cannot scan {}: {e}", path.display())))?;
    if meta.is_dir() {
        return scanner
            .scan_directory(path, exclude)
            .map_err(|e| CliError::new(error::chain(&e)));
    }
    let bytes = std::fs::read(path)
        .map_err(|e| CliError::new(format!("cannot read {}: {e}", path.display())))?;
    let content = String::from_utf8(bytes)
        .map_err(|_| CliError::new(format!("cannot scan {}: not UTF-8 text", path.display())))?;
    scanner
        .scan_file(path, &content)
        .map_err(|e| CliError::new(error::chain(&e)))
}

/// One line per finding, `FILE:LINE  CODE  PATTERN  SEVERITY  MASKED LINE`, and a total.
fn render(findings: &[SecretFinding], style: Style) -> String {
    if findings.is_empty() {
        return format!("{}\n", style.green("no secrets found"));
    }
    let mut table = output::Table::new(&["LOCATION", "CODE", "PATTERN", "SEVERITY", "LINE"]);
    for f in findings {
        table.row(vec![
            format!("{}:{}", f.file_path, f.line_number),
            f.error_code.clone(),
            f.pattern_name.clone(),
            severity(f.severity).to_owned(),
            output::one_line(&f.matched_content),
        ]);
    }
    let errors = findings
        .iter()
        .filter(|f| f.severity == SecretSeverity::Error)
        .count();
    let body = table.render(style, |column, cell| match (column, cell) {
        (3, "error") => style.red(cell),
        (3, _) => style.yellow(cell),
        _ => cell.to_owned(),
    });
    format!("{body}{} finding(s), {errors} error(s)\n", findings.len())
}

fn severity(s: SecretSeverity) -> &'static str {
    match s {
        SecretSeverity::Error => "error",
        SecretSeverity::Warning => "warning",
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_render_as_a_table_with_a_total() {
        let f = SecretFinding::new("a/b.py", 3, "aws_access_key", "E601", "K = 'AKIA********'");
        let text = render(&[f], Style::plain());
        assert!(text.contains("a/b.py:3"), "{text}");
        assert!(text.contains("K = 'AKIA********'"), "{text}");
        assert!(text.ends_with("1 finding(s), 1 error(s)\n"), "{text}");
    }
}
