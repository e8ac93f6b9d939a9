//! The Python host's costs, measured for `scripts/bench-python-host` (BENCHMARKS.md,
//! "Python plugins"): each row prints one machine-readable line, `<row> <median_ns>`,
//! timed with [`Instant`].
//!
//! ```sh
//! cargo run --release -p floe-python --example python_host_bench -- VENV ROW N
//! ```
//!
//! Rows (the metadata cache is the default one, `$FLOE_CACHE_DIR`; the first three
//! rows need it warm, e.g. after one `floe plugins list --python VENV`, and fail when
//! it is not):
//!
//! - `list_warm`: open the environment, add it to a new `PluginRegistry`, `list_all()`;
//!   N times, the median. Fails if any Python process was started.
//! - `first_use`: open the environment, add it to a new `PluginRegistry`, then
//!   `get(Catalog, "glue")`: the worker's start, its imports and glue's load. N times
//!   (a new environment and worker each), the median; the script runs a fresh process
//!   with N = 1 each time. Exits at once after printing, leaving the worker to exit
//!   when its pipe closes, as `floe` does.
//! - `ping`: one `PythonEnvironment::ping()` to start the worker, then N timed ones;
//!   the median round trip that runs no plugin code.
//! - `call_noop`: glue loaded and one call made, then N timed
//!   `python_plugin(glue).call("startup", [], {})`: floe-core's
//!   `PluginMetadata.startup()`, whose body is empty (glue does not override it), as a
//!   method: the worker's `call` op, its JSON answer `null`.
//! - `list_cold`: as `list_warm`, in a cache folder of its own emptied before each of
//!   the N listings: a worker started and every plugin loaded and described once.
//! - `echo`: the floor under `ping`: the environment's Python running an echo loop with
//!   the worker's I/O (binary `readline` in, text `write` and `flush` out), sent the
//!   ping line in one `write` and its answer read on the calling thread; N timed round
//!   trips after 100.
//! - `echo_thread`: the same echo spoken to as `worker.rs` speaks to the worker: the
//!   line written with `writeln!` on the pipe (two `write`s: the text, then the
//!   newline), the answer read by a thread of its own and handed over through an `mpsc`
//!   channel (`recv_timeout`).

use std::process::ExitCode;
use std::time::{Duration, Instant};

use floe_python::{PythonEnvironment, python_plugin};
use floe_registry::{PluginRegistry, PluginType};
use serde_json::{Map, Value};

/// The method `call_noop` calls: floe-core's empty default, which glue keeps.
const NOOP_METHOD: &str = "startup";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [venv, row, n] = args.as_slice() else {
        eprintln!(
            "usage: python_host_bench VENV list_warm|first_use|ping|call_noop|list_cold|echo|echo_thread N"
        );
        return ExitCode::from(2);
    };
    let Ok(n) = n.parse::<usize>() else {
        eprintln!("N must be a positive number, not {n:?}");
        return ExitCode::from(2);
    };
    let n = n.max(1);
    let measured = match row.as_str() {
        "list_warm" => list(venv, n, None),
        "list_cold" => match tempfile::tempdir() {
            Ok(dir) => list(venv, n, Some(dir.path())),
            Err(e) => Err(format!("no temporary folder: {e}")),
        },
        "first_use" => first_use(venv, n),
        "ping" => ping(venv, n),
        "call_noop" => call_noop(venv, n),
        "echo" => echo(venv, n, false),
        "echo_thread" => echo(venv, n, true),
        other => Err(format!("unknown row {other:?}")),
    };
    match measured {
        Ok(median) => {
            println!("{row} {}", median.as_nanos());
            // Leave at once, as `floe` does: the worker exits when its pipe closes.
            std::process::exit(0)
        }
        Err(e) => {
            eprintln!("python_host_bench {row}: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The environment at `venv`, in the default cache folder or in `cache`.
fn open(venv: &str, cache: Option<&std::path::Path>) -> Result<PythonEnvironment, String> {
    let env = PythonEnvironment::open(venv).map_err(|e| format!("{venv}: {e}"))?;
    Ok(match cache {
        Some(folder) => env.with_cache_dir(folder),
        None => env,
    })
}

/// The registry of `env`'s plugins only.
fn registry_of(env: &PythonEnvironment) -> Result<PluginRegistry, String> {
    let registry = PluginRegistry::new();
    registry
        .add_provider(env)
        .map_err(|e| format!("add_provider: {e}"))?;
    Ok(registry)
}

/// Listings from a new environment and registry each time; with `cold`, in that cache
/// folder, emptied first.
fn list(venv: &str, n: usize, cold: Option<&std::path::Path>) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        if let Some(folder) = cold {
            empty(folder)?;
        }
        let began = Instant::now();
        let env = open(venv, cold)?;
        let registry = registry_of(&env)?;
        let listed: usize = registry.list_all().values().map(Vec::len).sum();
        times.push(began.elapsed());
        if listed != env.entry_points().len() {
            return Err(format!(
                "listed {listed} plugins of {} entry points",
                env.entry_points().len()
            ));
        }
        match (cold, env.worker_starts()) {
            (None, 0) | (Some(_), 1) => {}
            (None, starts) => {
                return Err(format!(
                    "the cache is cold: {starts} Python worker(s) started (list once first)"
                ));
            }
            (Some(_), starts) => return Err(format!("{starts} workers started, not 1")),
        }
    }
    Ok(median(times))
}

/// Removes what `folder` holds.
fn empty(folder: &std::path::Path) -> Result<(), String> {
    let entries = std::fs::read_dir(folder).map_err(|e| format!("{}: {e}", folder.display()))?;
    for entry in entries.filter_map(Result::ok) {
        std::fs::remove_file(entry.path())
            .map_err(|e| format!("{}: {e}", entry.path().display()))?;
    }
    Ok(())
}

/// Opening with a warm cache, then the first `get` of glue: the worker's start, its
/// imports and glue's load.
fn first_use(venv: &str, n: usize) -> Result<Duration, String> {
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let began = Instant::now();
        let env = open(venv, None)?;
        let registry = registry_of(&env)?;
        if env.worker_starts() != 0 {
            return Err("the cache is cold: list once first".to_owned());
        }
        let glue = registry
            .get(PluginType::Catalog, "glue")
            .map_err(|e| format!("get glue: {e}"))?;
        times.push(began.elapsed());
        if python_plugin(glue).is_none() || env.worker_starts() != 1 {
            return Err("glue is not a Python plugin loaded by one worker".to_owned());
        }
    }
    Ok(median(times))
}

/// Round trips that run no plugin code, the worker started beforehand.
fn ping(venv: &str, n: usize) -> Result<Duration, String> {
    let env = open(venv, None)?;
    env.ping().map_err(|e| e.to_string())?;
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let began = Instant::now();
        env.ping().map_err(|e| e.to_string())?;
        times.push(began.elapsed());
    }
    Ok(median(times))
}

/// Calls of a method of glue that does nothing, glue loaded beforehand.
fn call_noop(venv: &str, n: usize) -> Result<Duration, String> {
    let env = open(venv, None)?;
    let registry = registry_of(&env)?;
    let glue = registry
        .get(PluginType::Catalog, "glue")
        .map_err(|e| format!("get glue: {e}"))?;
    let glue = python_plugin(glue).ok_or("glue is not a Python plugin")?;
    let call = || {
        glue.call(NOOP_METHOD, Vec::new(), Map::new())
            .map_err(|e| format!("{NOOP_METHOD}: {e}"))
    };
    let first = call()?;
    if first != Value::Null {
        return Err(format!("{NOOP_METHOD} answered {first}, not null"));
    }
    let mut times = Vec::with_capacity(n);
    for _ in 0..n {
        let began = Instant::now();
        call()?;
        times.push(began.elapsed());
    }
    Ok(median(times))
}

/// The median of `times` (the mean of the middle two for an even count).
fn median(mut times: Vec<Duration>) -> Duration {
    times.sort_unstable();
    let mid = times.len() / 2;
    if times.len().is_multiple_of(2) {
        (times[mid - 1] + times[mid]) / 2
    } else {
        times[mid]
    }
}

/// The echo loop `echo` and `echo_thread` run: the worker's I/O, nothing else.
const ECHO: &str = "import os
read = os.fdopen(0, 'rb')
out = os.fdopen(1, 'w', encoding='utf-8')
for line in iter(read.readline, b''):
    out.write(line.decode())
    out.flush()
";

/// Round trips of the ping line through a Python echo loop; `as_worker`: written and
/// read as `worker.rs` does.
fn echo(venv: &str, n: usize, as_worker: bool) -> Result<Duration, String> {
    use std::io::{BufRead, BufReader, Write};
    use std::process::{Command, Stdio};

    let env = open(venv, None)?;
    let mut child = Command::new(env.python())
        .args(["-u", "-c", ECHO])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| format!("{}: {e}", env.python().display()))?;
    let (Some(mut stdin), Some(stdout)) = (child.stdin.take(), child.stdout.take()) else {
        return Err("no pipes".to_owned());
    };
    let line = r#"{"id":1,"op":"ping"}"#;
    let mut direct = BufReader::new(stdout);
    let mut answer = String::new();
    let mut times = Vec::with_capacity(n);
    if as_worker {
        let (lines, answers) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            for line in direct.lines() {
                let Ok(line) = line else { break };
                if lines.send(line).is_err() {
                    break;
                }
            }
        });
        for i in 0..n + 100 {
            let began = Instant::now();
            writeln!(stdin, "{line}")
                .and_then(|()| stdin.flush())
                .map_err(|e| e.to_string())?;
            answers
                .recv_timeout(Duration::from_secs(10))
                .map_err(|e| e.to_string())?;
            if i >= 100 {
                times.push(began.elapsed());
            }
        }
    } else {
        let sent = format!("{line}\n");
        for i in 0..n + 100 {
            let began = Instant::now();
            stdin
                .write_all(sent.as_bytes())
                .map_err(|e| e.to_string())?;
            answer.clear();
            direct.read_line(&mut answer).map_err(|e| e.to_string())?;
            if i >= 100 {
                times.push(began.elapsed());
            }
            if answer != sent {
                return Err(format!("the echo answered {answer:?}"));
            }
        }
    }
    drop(stdin);
    let _ = child.wait();
    Ok(median(times))
}
