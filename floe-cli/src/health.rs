//! `floe plugins health`: configure the plugins a manifest selects, start them in
//! dependency order, check their health concurrently, stop them in reverse order.
//!
//! Ctrl-C during the run stops the plugins started so far before exiting (exit code
//! 130), through a handler installed with the `ctrlc` crate: it runs on its own thread,
//! so it can call the registry's `shutdown_all` while the main thread waits on a hook.

use std::process::ExitCode;
use std::thread;
use std::time::{Duration, Instant};

use floe_python::PythonEnvironment;
use floe_registry::{HealthState, PluginId, PluginRegistry, Timeouts};
use serde::Serialize;
use serde_json::{Map, Value};

use crate::CliError;
use crate::check::{self, check_file};
use crate::cli::HealthArgs;
use crate::error;
use crate::output::{self, Style, Table};

/// The outcome for one plugin.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
enum State {
    Healthy,
    Degraded,
    Unhealthy,
    /// Not configured or not started.
    Failed,
}

impl State {
    fn as_str(self) -> &'static str {
        match self {
            State::Healthy => "healthy",
            State::Degraded => "degraded",
            State::Unhealthy => "unhealthy",
            State::Failed => "failed",
        }
    }

    fn from_health(state: HealthState) -> Self {
        match state {
            HealthState::Healthy => State::Healthy,
            HealthState::Degraded => State::Degraded,
            HealthState::Unhealthy => State::Unhealthy,
        }
    }

    /// 0 healthy, 1 degraded, 2 unhealthy or failed.
    fn exit_code(self) -> u8 {
        match self {
            State::Healthy => 0,
            State::Degraded => 1,
            State::Unhealthy | State::Failed => 2,
        }
    }
}

/// One row of the report.
#[derive(Debug, Clone, Serialize)]
struct Row {
    plugin: String,
    #[serde(skip)]
    id: PluginId,
    state: State,
    message: String,
    details: Map<String, Value>,
    /// Milliseconds the health check took; `None` when it did not run.
    time_ms: Option<f64>,
}

impl Row {
    fn failed(id: &PluginId, message: String) -> Self {
        Row {
            plugin: format!("{}/{}", id.plugin_type, id.name),
            id: id.clone(),
            state: State::Failed,
            message,
            details: Map::new(),
            time_ms: None,
        }
    }
}

/// What `health --json` prints.
#[derive(Debug, Serialize)]
struct HealthJson<'a> {
    manifest: String,
    state: Option<State>,
    plugins: &'a [Row],
    shutdown_failures: Vec<String>,
}

fn format_time(ms: Option<f64>) -> String {
    match ms {
        None => "-".to_owned(),
        Some(ms) if ms < 1000.0 => format!("{ms:.0} ms"),
        Some(ms) => format!("{:.2} s", ms / 1000.0),
    }
}

/// Stops every started plugin when the user presses Ctrl-C, then exits with 130.
fn install_interrupt_handler(registry: &'static PluginRegistry) {
    let result = ctrlc::set_handler(move || {
        output::warning("interrupted: stopping the plugins started so far");
        let report = registry.shutdown_all();
        for (id, e) in report.failed {
            output::warning(&format!("{id}: {}", error::chain(&e)));
        }
        std::process::exit(130);
    });
    if let Err(e) = result {
        output::warning(&format!(
            "cannot catch Ctrl-C ({e}); an interrupted run will not stop its plugins"
        ));
    }
}

/// Runs the command: exit code 0 healthy, 1 degraded, 2 unhealthy or failed.
pub fn run(args: &HealthArgs, python: Option<&PythonEnvironment>) -> Result<ExitCode, CliError> {
    let lifecycle_timeout = Duration::from_secs_f64(args.startup_timeout);
    let health_timeout = Duration::from_secs_f64(args.timeout);
    // The run's own registry, with the timeouts asked for; `'static` for the Ctrl-C
    // handler, which outlives this function's borrows (one a run: the process ends).
    let timeouts = Timeouts::default()
        .with_lifecycle(lifecycle_timeout)
        .with_health(health_timeout);
    let registry: &'static PluginRegistry =
        Box::leak(Box::new(PluginRegistry::with_timeouts(timeouts)));
    registry.discover_all();
    if let Some(python) = python {
        crate::add_python(registry, &python.clone().with_timeouts(timeouts))?;
    }
    let file = args.manifest.display().to_string();
    let report = check_file(registry, &args.manifest).map_err(CliError::new)?;
    if report.has_errors() {
        output::print(&check::render(&file, &report, Style::stdout()));
        return Err(CliError::new(format!(
            "{file} has problems; fix them (see `floe plugins check {file}`) before checking health"
        )));
    }
    install_interrupt_handler(registry);

    let mut rows: Vec<Row> = Vec::new();
    let mut to_start: Vec<PluginId> = Vec::new();
    for selected in &report.selected {
        let id = &selected.id;
        match registry.configure(id.plugin_type, &id.name, selected.config.clone()) {
            Ok(()) => to_start.push(id.clone()),
            Err(e) => rows.push(Row::failed(id, error::chain(&e))),
        }
    }
    let started = match registry.activate_plugins(&to_start) {
        Ok(activation) => {
            for (id, e) in &activation.failed {
                rows.push(Row::failed(id, error::chain(e)));
            }
            activation.started
        }
        Err(e) => {
            for id in &to_start {
                rows.push(Row::failed(id, error::chain(&e)));
            }
            Vec::new()
        }
    };
    rows.extend(check_all(registry, &started));
    let shutdown = registry.shutdown_all();
    let shutdown_failures: Vec<String> = shutdown
        .failed
        .iter()
        .map(|(id, e)| format!("{id}: {}", error::chain(e)))
        .collect();
    for failure in &shutdown_failures {
        output::warning(failure);
    }
    rows.sort_by(|a, b| a.id.cmp(&b.id));
    let worst = rows.iter().map(|r| r.state).max();
    if args.json {
        output::print_json(&HealthJson {
            manifest: file,
            state: worst,
            plugins: &rows,
            shutdown_failures,
        });
    } else {
        output::print(&render(&file, &rows, worst, Style::stdout()));
    }
    Ok(ExitCode::from(worst.map_or(0, State::exit_code)))
}

/// Health-checks the started plugins, all at once: the wall time is that of the
/// slowest check, at most the registry's health timeout.
fn check_all(registry: &PluginRegistry, started: &[PluginId]) -> Vec<Row> {
    thread::scope(|scope| {
        let handles: Vec<_> = started
            .iter()
            .map(|id| {
                let handle = scope.spawn(move || {
                    let begin = Instant::now();
                    let status = registry.health_check(id.plugin_type, &id.name);
                    (status, begin.elapsed())
                });
                (id, handle)
            })
            .collect();
        handles
            .into_iter()
            .map(|(id, handle)| match handle.join() {
                Ok((Ok(status), took)) => Row {
                    plugin: format!("{}/{}", id.plugin_type, id.name),
                    id: id.clone(),
                    state: State::from_health(status.state),
                    message: status.message,
                    details: status.details,
                    time_ms: Some((took.as_secs_f64() * 1_000_000.0).round() / 1000.0),
                },
                Ok((Err(e), _)) => Row::failed(id, error::chain(&e)),
                Err(_) => Row::failed(id, "the health check could not be run".to_owned()),
            })
            .collect()
    })
}

fn render(file: &str, rows: &[Row], worst: Option<State>, style: Style) -> String {
    if rows.is_empty() {
        return format!("{file}: no plugins selected; nothing to check\n");
    }
    let mut table = Table::new(&["PLUGIN", "STATE", "MESSAGE", "TIME"]);
    for row in rows {
        table.row(vec![
            row.plugin.clone(),
            row.state.as_str().to_owned(),
            output::one_line(&row.message),
            format_time(row.time_ms),
        ]);
    }
    let paint_state = |state: State, text: &str| match state {
        State::Healthy => style.green(text),
        State::Degraded => style.yellow(text),
        State::Unhealthy | State::Failed => style.red(text),
    };
    let mut out = table.render(style, |column, text| {
        if column != 1 {
            return text.to_owned();
        }
        let state = rows
            .iter()
            .map(|r| r.state)
            .find(|s| text.trim_end() == s.as_str())
            .unwrap_or(State::Failed);
        paint_state(state, text)
    });
    if let Some(worst) = worst {
        out.push_str(&format!(
            "\n{file}: {}\n",
            paint_state(worst, worst.as_str())
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_worst_state_decides_the_exit_code() {
        let worst = [State::Healthy, State::Degraded].into_iter().max();
        assert_eq!(worst.map(State::exit_code), Some(1));
        assert_eq!(State::Failed.exit_code(), 2);
        assert_eq!(State::Unhealthy.exit_code(), 2);
        assert!(State::Failed > State::Unhealthy);
    }

    #[test]
    fn times_are_readable() {
        assert_eq!(format_time(None), "-");
        assert_eq!(format_time(Some(12.4)), "12 ms");
        assert_eq!(format_time(Some(1500.0)), "1.50 s");
    }

    #[test]
    fn a_failed_plugins_row_shows_its_error_and_cause_once() {
        let id = PluginId::new(floe_registry::PluginType::Catalog, "polaris");
        let cause = std::io::Error::other("connection refused");
        let failure =
            floe_registry::PluginError::with_source("Polaris catalog request failed", cause);
        let rows = [Row::failed(&id, error::chain(&failure))];
        let table = render("platform.yaml", &rows, Some(State::Failed), Style::plain());
        assert!(
            table.contains("Polaris catalog request failed: connection refused"),
            "the context then its cause in:\n{table}"
        );
        assert_eq!(
            table.matches("connection refused").count(),
            1,
            "the cause appears exactly once in:\n{table}"
        );
    }
}
