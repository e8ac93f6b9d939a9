//! Running one pipeline through the configured runner program, with retries.
//!
//! Errors keep their full text: one longer than [`SUMMARY_CHARS`] comes as two
//! entries of `IngestionResult::errors`, a summary cut at a line end, then the whole
//! text (credentials redacted in both).
//!
//! The protocol: the runner reads one JSON request on standard input (the pipeline,
//! source, write disposition, dlt schema contract, destination and credentials) and
//! prints a JSON report as the last line of standard output:
//! `{"rows_loaded": 10, "bytes_written": 2048, "errors": [], "retryable": false}`.
//! Exit code 0 is success; any other code is a failure, and exit code 75
//! (`EX_TEMPFAIL`) or `"retryable": true` marks it transient, so it is retried.
//!
//! A filesystem source's request also carries `source.filesystem` (the checked
//! `bucket_url`, `file_glob`, `format` and `reader_options`, see
//! [`FilesystemSource`](super::filesystem::FilesystemSource)) and
//! `source.object_store` (endpoint, region and URL style for `s3://`).
//! Each error shown starts with [`ErrorContext::origin`].

use std::process::Command;
use std::thread;
use std::time::{Duration, Instant};

use floe_registry::{IngestionResult, SchemaContract};
use serde_json::{Value, json};

use super::config::{RetryConfig, RunnerConfig};
use super::process;
use super::sanitize::{redact, redact_values};
use super::shipped;

/// The exit code that marks a transient failure (`EX_TEMPFAIL`).
pub const EXIT_TRANSIENT: i32 = 75;

/// The longest wait between two attempts.
pub const MAX_RETRY_DELAY: Duration = Duration::from_secs(60);

/// The dlt `schema_contract` mapping of a floe schema contract.
pub fn dlt_schema_contract(contract: SchemaContract) -> Value {
    let (columns, tables, data_type) = match contract {
        SchemaContract::Evolve => ("evolve", "evolve", "evolve"),
        SchemaContract::Freeze => ("freeze", "freeze", "freeze"),
        SchemaContract::DiscardValue => ("discard_value", "evolve", "discard_value"),
    };
    json!({"columns": columns, "tables": tables, "data_type": data_type})
}

/// One attempt's outcome.
struct Attempt {
    success: bool,
    rows_loaded: u64,
    bytes_written: u64,
    errors: Vec<String>,
    transient: bool,
}

/// The wait before retry number `retry` (1-based): `initial * 2^(retry-1)`, between
/// `initial` and 60 s.
pub fn retry_delay(retry: &RetryConfig, attempt: u32) -> Duration {
    let initial = retry.initial_delay_seconds.max(0.0);
    let factor = 2f64.powi(attempt.saturating_sub(1).min(30) as i32);
    Duration::from_secs_f64((initial * factor).clamp(initial, MAX_RETRY_DELAY.as_secs_f64()))
}

/// Where a run's errors come from, as they are shown.
#[derive(Debug, Clone, Copy, Default)]
pub struct ErrorContext<'a> {
    /// Put before each error, as floe does: `source=orders, path=data/: ` (or empty).
    pub origin: &'a str,
    /// Put after a schema contract violation in brackets:
    /// `destination_table=bronze.orders, pipeline=ingest_orders` (or empty).
    pub pipeline: &'a str,
}

/// Runs `request` through `runner`, retrying transient failures, and returns the
/// result with sanitised errors that never contain one of `secrets`.
pub fn run(
    runner: &RunnerConfig,
    retry: &RetryConfig,
    request: &Value,
    secrets: &[&str],
    context: &ErrorContext<'_>,
) -> IngestionResult {
    let started = Instant::now();
    let input = request.to_string().into_bytes();
    let mut attempt_no = 0;
    let outcome = loop {
        attempt_no += 1;
        let outcome = attempt(runner, &input);
        if outcome.success || !outcome.transient || attempt_no > retry.max_retries {
            break outcome;
        }
        let delay = retry_delay(retry, attempt_no);
        tracing::warn!(
            plugin = "dlt",
            attempt = attempt_no,
            delay_seconds = delay.as_secs_f64(),
            "dlt_run_retry"
        );
        thread::sleep(delay);
    };
    let errors = outcome
        .errors
        .iter()
        .flat_map(|e| {
            let shown = format!("{}{e}", context.origin);
            let clean = redact(&redact_values(&shown, secrets));
            let lower = e.to_lowercase();
            let contract = lower.contains("schema") && lower.contains("contract");
            let clean = if contract && !context.pipeline.is_empty() {
                format!("{clean} [{}]", context.pipeline)
            } else {
                clean
            };
            summarise(&clean)
        })
        .collect();
    IngestionResult {
        success: outcome.success,
        rows_loaded: outcome.rows_loaded,
        bytes_written: outcome.bytes_written,
        duration_seconds: started.elapsed().as_secs_f64(),
        errors,
    }
}

/// The program and arguments of `runner`: `python <shipped runner>` when `python` is
/// set (the runner is written first), else `command`.
pub fn command_line(runner: &RunnerConfig) -> Result<Vec<String>, String> {
    match (&runner.python, runner.command.is_empty()) {
        (Some(python), true) => {
            let script = shipped::install_runner(&shipped::default_runner_dir())?;
            Ok(vec![python.clone(), script.display().to_string()])
        }
        (None, false) => Ok(runner.command.clone()),
        (Some(_), false) => Err(
            "the dlt runner has both `python` and `command`: keep `python` for the shipped runner or `command` for your own"
                .to_owned(),
        ),
        (None, true) => Err(
            "the dlt runner needs `python` (an interpreter with dlt, for the shipped runner) or `command`"
                .to_owned(),
        ),
    }
}

/// Errors longer than this many characters are shown as a summary (cut at a line
/// end) followed by the full text.
pub const SUMMARY_CHARS: usize = 500;

/// `[error]` when it is short; else `[summary, full text]`, the summary being the
/// whole lines that fit in [`SUMMARY_CHARS`] (the first line's start when even that
/// is longer, cut at a space) and ending with a pointer to the full text.
pub fn summarise(error: &str) -> Vec<String> {
    if error.chars().count() <= SUMMARY_CHARS {
        return vec![error.to_owned()];
    }
    let limit = error
        .char_indices()
        .nth(SUMMARY_CHARS)
        .map_or(error.len(), |(at, _)| at);
    let head = &error[..limit];
    let cut = head
        .rfind('\n')
        .filter(|&at| !head[..at].trim().is_empty())
        .or_else(|| head.rfind(' '))
        .unwrap_or(limit);
    vec![
        format!("{} [... the full error follows]", head[..cut].trim_end()),
        error.to_owned(),
    ]
}

fn attempt(runner: &RunnerConfig, input: &[u8]) -> Attempt {
    let line = match command_line(runner) {
        Ok(line) => line,
        Err(e) => return failed(e, false),
    };
    let Some((program, args)) = line.split_first() else {
        return failed("the dlt runner command is empty".to_owned(), false);
    };
    let Some(resolved) = process::find_program(program) else {
        return failed(
            format!("dlt runner not found: '{program}' is not an executable file or on PATH"),
            false,
        );
    };
    let mut command = Command::new(resolved);
    command.args(args);
    if let Some(dir) = &runner.working_dir {
        command.current_dir(dir);
    }
    let timeout = Duration::from_secs(runner.timeout_seconds);
    let finished = match process::run(&mut command, Some(input), Some(timeout)) {
        Ok(f) => f,
        Err(e) => {
            return failed(
                format!("cannot start the dlt runner '{program}': {e}"),
                false,
            );
        }
    };
    if finished.timed_out {
        return failed(
            format!(
                "the dlt runner did not finish within {}s",
                runner.timeout_seconds
            ),
            true,
        );
    }
    let report = last_json_line(&finished.stdout);
    let number = |key: &str| report.get(key).and_then(Value::as_u64).unwrap_or(0);
    let mut errors: Vec<String> = report
        .get("errors")
        .and_then(Value::as_array)
        .map(|list| {
            list.iter()
                .map(|e| e.as_str().map_or_else(|| e.to_string(), str::to_owned))
                .collect()
        })
        .unwrap_or_default();
    let reported_failure = report.get("success").and_then(Value::as_bool) == Some(false);
    let success = finished.success() && !reported_failure;
    if !success && errors.is_empty() {
        let last_stderr = finished
            .stderr
            .lines()
            .rev()
            .find(|l| !l.trim().is_empty())
            .map(str::trim)
            .map(str::to_owned);
        errors.push(last_stderr.unwrap_or_else(|| match finished.code {
            Some(code) => format!("the dlt runner exited with status {code}"),
            None => "the dlt runner was ended by a signal".to_owned(),
        }));
    }
    Attempt {
        success,
        rows_loaded: number("rows_loaded"),
        bytes_written: number("bytes_written"),
        errors,
        transient: finished.code == Some(EXIT_TRANSIENT)
            || report.get("retryable").and_then(Value::as_bool) == Some(true),
    }
}

fn failed(error: String, transient: bool) -> Attempt {
    Attempt {
        success: false,
        rows_loaded: 0,
        bytes_written: 0,
        errors: vec![error],
        transient,
    }
}

/// The last line of `stdout` that is a JSON object, or `{}`.
fn last_json_line(stdout: &str) -> Value {
    stdout
        .lines()
        .rev()
        .filter(|l| !l.trim().is_empty())
        .find_map(|l| {
            serde_json::from_str::<Value>(l.trim())
                .ok()
                .filter(Value::is_object)
        })
        .unwrap_or_else(|| json!({}))
}
