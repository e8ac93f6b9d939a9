//! Running the `dbt` executable and turning its JSON log into error texts.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use floe_registry::PluginError;
use serde_json::Value;

use super::process::{self, Finished};
use super::sanitize::redact;

/// The error when the dbt executable cannot be found.
pub(crate) const NOT_INSTALLED: &str =
    "Configuration error: dbt-core is not installed. Install with: pip install dbt-core";

/// The dbt arguments of one command, in the reference order: the command,
/// `--project-dir P --profiles-dir Q`, `--target T` (when given), `--select S`,
/// `--exclude E`, `--full-refresh`; then `--log-format json` so errors can be read.
pub(crate) fn arguments(
    command: &str,
    project_dir: &Path,
    profiles_dir: &Path,
    target: Option<&str>,
    select: Option<&str>,
    exclude: Option<&str>,
    full_refresh: bool,
) -> Vec<String> {
    let mut args = vec![
        command.to_owned(),
        "--project-dir".to_owned(),
        project_dir.display().to_string(),
        "--profiles-dir".to_owned(),
        profiles_dir.display().to_string(),
    ];
    if let Some(t) = target {
        args.extend(["--target".to_owned(), t.to_owned()]);
    }
    if let Some(s) = select {
        args.extend(["--select".to_owned(), s.to_owned()]);
    }
    if let Some(e) = exclude {
        args.extend(["--exclude".to_owned(), e.to_owned()]);
    }
    if full_refresh {
        args.push("--full-refresh".to_owned());
    }
    args.extend(["--log-format".to_owned(), "json".to_owned()]);
    args
}

/// Runs `<executable> <args>` to the end (no deadline: dbt runs take what they take).
pub(crate) fn run_dbt(executable: &str, args: &[String]) -> Result<Finished, PluginError> {
    let program = process::find_program(executable).ok_or_else(|| {
        PluginError::failed(format!("{NOT_INSTALLED} (executable: '{executable}')"))
    })?;
    tracing::info!(
        plugin = "core",
        command = args.first().map(String::as_str),
        "dbt_invoke"
    );
    process::run(Command::new(program).args(args), None, None)
        .map_err(|e| crate::error::failure("Execution failed: cannot start dbt", e))
}

/// Runs `<executable> <args>` with a deadline (for `--version`).
pub(crate) fn run_bounded(
    executable: &str,
    args: &[&str],
    deadline: Duration,
) -> Result<Finished, String> {
    let program = process::find_program(executable)
        .ok_or_else(|| format!("dbt executable not found: '{executable}'"))?;
    process::run(Command::new(program).args(args), None, Some(deadline))
        .map_err(|e| format!("cannot start '{executable}': {e}"))
}

/// The installed dbt-core version from `dbt --version` output (`installed: 1.7.4`).
pub(crate) fn parse_version(output: &str) -> Option<String> {
    output
        .lines()
        .find(|l| l.to_ascii_lowercase().contains("installed"))
        .and_then(|l| l.rsplit(':').next())
        .map(|v| v.trim().trim_start_matches('=').trim().to_owned())
        .filter(|v| !v.is_empty())
}

/// The error text of a failed invocation: the error-level messages of the JSON log
/// joined by newlines; else the standard error; else `Unknown error`. Credentials are
/// redacted and terminal colours removed.
pub(crate) fn error_text(finished: &Finished) -> String {
    let messages: Vec<String> = finished
        .stdout
        .lines()
        .filter_map(|line| serde_json::from_str::<Value>(line.trim()).ok())
        .filter(|event| {
            matches!(
                event.pointer("/info/level").and_then(Value::as_str),
                Some("error" | "critical" | "fatal")
            )
        })
        .filter_map(|event| {
            event
                .pointer("/info/msg")
                .and_then(Value::as_str)
                .map(strip_ansi)
        })
        .collect();
    let text = if !messages.is_empty() {
        messages.join("\n")
    } else if !finished.stderr.trim().is_empty() {
        strip_ansi(finished.stderr.trim())
    } else {
        "Unknown error".to_owned()
    };
    redact(&text)
}

fn strip_ansi(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' && chars.peek() == Some(&'[') {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

/// `\n    at <file>:<line>` for the first location found in `text`, or nothing.
pub(crate) fn location_suffix(text: &str) -> String {
    parse_location(text)
        .map(|(file, line)| format!("\n    at {file}:{line}"))
        .unwrap_or_default()
}

/// The file and line an error names, trying in order (case-insensitive):
/// `at F.sql:L`, `in file 'F' at line L`, `Error in F.sql line L`, `F.sql:L:C`, and
/// dbt 1.11's `Error in model X (F.sql)` followed by `line L` on a later line.
pub(crate) fn parse_location(text: &str) -> Option<(String, String)> {
    let lower = text.to_ascii_lowercase();
    after_marker(text, &lower, "at ", |rest| sql_then(rest, ":"))
        .or_else(|| quoted_file_at_line(text, &lower))
        .or_else(|| after_marker(text, &lower, "error in ", |rest| sql_then(rest, " line ")))
        .or_else(|| anywhere_sql_line_col(text, &lower))
        .or_else(|| node_file_then_line(text, &lower))
}

/// dbt 1.11: `Compilation Error in model orders (models/orders.sql)` then, on a
/// later line, `line 4`.
fn node_file_then_line(text: &str, lower: &str) -> Option<(String, String)> {
    after_marker(text, lower, "error in ", |rest| {
        let header = rest.lines().next().unwrap_or_default();
        let open = header.find(" (")?;
        let inside = &header[open + 2..];
        let close = inside.find(')')?;
        let file = &inside[..close];
        if !file.to_ascii_lowercase().ends_with(".sql") && !file.ends_with(".yml") {
            return None;
        }
        let after = &rest[header.len()..];
        let line = after.lines().find_map(|l| {
            let l = l.trim_start();
            let tail = strip_prefix_ci(l, "line ")?;
            let d = digits(tail);
            (!d.is_empty()).then(|| d.to_owned())
        })?;
        Some((file.to_owned(), line))
    })
}

fn digits(s: &str) -> &str {
    let end = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    &s[..end]
}

/// At the start of `rest`: a run of non-space characters ending in `.sql` (the
/// longest, as a greedy match takes) followed by `sep` and digits.
fn sql_then(rest: &str, sep: &str) -> Option<(String, String)> {
    let token_end = rest.find(char::is_whitespace).unwrap_or(rest.len());
    let lower = rest.to_ascii_lowercase();
    let mut best = None;
    let mut from = 0;
    while let Some(i) = lower[from..token_end].find(".sql") {
        let end = from + i + 4;
        if from + i > 0
            && let Some(tail) = strip_prefix_ci(&rest[end..], sep)
            && !digits(tail).is_empty()
        {
            best = Some((rest[..end].to_owned(), digits(tail).to_owned()));
        }
        from += i + 1;
    }
    best
}

fn strip_prefix_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

fn after_marker(
    text: &str,
    lower: &str,
    marker: &str,
    found: impl Fn(&str) -> Option<(String, String)>,
) -> Option<(String, String)> {
    let mut from = 0;
    while let Some(i) = lower[from..].find(marker) {
        let start = from + i + marker.len();
        if let Some(hit) = found(&text[start..]) {
            return Some(hit);
        }
        from = start;
    }
    None
}

fn quoted_file_at_line(text: &str, lower: &str) -> Option<(String, String)> {
    after_marker(text, lower, "in file ", |rest| {
        let body = rest.strip_prefix(['\'', '"'])?;
        let end = body.find(['\'', '"'])?;
        let tail = strip_prefix_ci(&body[end + 1..], " at line ")?;
        let d = digits(tail);
        (!d.is_empty() && end > 0).then(|| (body[..end].to_owned(), d.to_owned()))
    })
}

fn anywhere_sql_line_col(text: &str, lower: &str) -> Option<(String, String)> {
    let mut from = 0;
    while let Some(i) = lower[from..].find(".sql:") {
        let dot = from + i;
        let start = text[..dot].rfind(char::is_whitespace).map_or(0, |w| {
            w + text[w..].chars().next().map_or(1, char::len_utf8)
        });
        let tail = &text[dot + 5..];
        let line = digits(tail);
        if dot > start
            && !line.is_empty()
            && let Some(col_part) = tail[line.len()..].strip_prefix(':')
            && !digits(col_part).is_empty()
        {
            return Some((text[start..dot + 4].to_owned(), line.to_owned()));
        }
        from = dot + 1;
    }
    None
}

/// `P/target/<name>`.
pub(crate) fn target_file(project_dir: &Path, name: &str) -> PathBuf {
    project_dir.join("target").join(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locations_in_reference_order() {
        let cases = [
            (
                "Database Error at models/orders.sql:12",
                Some(("models/orders.sql", "12")),
            ),
            (
                "syntax error in file 'models/a.sql' at line 7",
                Some(("models/a.sql", "7")),
            ),
            (
                "Compilation Error in models/b.sql line 3",
                Some(("models/b.sql", "3")),
            ),
            (
                "see models/c.SQL:4:10 for details",
                Some(("models/c.SQL", "4")),
            ),
            (
                "Encountered an error:\nCompilation Error in model broken (models/broken.sql)\n  unexpected '}', expected ')'\n    line 4\n      {{ bad_macro( }}",
                Some(("models/broken.sql", "4")),
            ),
            ("Error in model x", None),
        ];
        for (text, expected) in cases {
            let got = parse_location(text);
            assert_eq!(
                got.as_ref().map(|(f, l)| (f.as_str(), l.as_str())),
                expected,
                "{text}"
            );
        }
    }

    #[test]
    fn versions_are_read_from_dbt_version() {
        assert_eq!(
            parse_version("Core:\n  - installed: 1.7.4\n  - latest:    1.7.4 - Up to date!")
                .as_deref(),
            Some("1.7.4")
        );
        assert_eq!(
            parse_version("installed version: =1.0.0").as_deref(),
            Some("1.0.0")
        );
    }

    #[test]
    fn error_text_prefers_error_level_messages() {
        let finished = Finished {
            code: Some(1),
            stdout: [
                r#"{"info": {"level": "info", "msg": "Running"}}"#,
                r#"{"info": {"level": "error", "msg": "\u001b[31mDatabase Error\u001b[0m password=hunter2"}}"#,
                r#"{"info": {"level": "fatal", "msg": "stopped"}}"#,
            ]
            .join("\n"),
            stderr: "ignored".into(),
            timed_out: false,
        };
        assert_eq!(
            error_text(&finished),
            "Database Error password=<REDACTED>\nstopped"
        );
        let bare = Finished {
            code: Some(2),
            ..Finished::default()
        };
        assert_eq!(error_text(&bare), "Unknown error");
    }
}
