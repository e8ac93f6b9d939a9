//! The Python worker process of one environment: started on first need, kept, spoken
//! to one request at a time over its pipes (`PROTOCOL.md`), replaced when it dies or
//! hangs.

use std::collections::VecDeque;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use serde::Deserialize;
use serde_json::{Map, Value, json};

/// The runner, shipped in this crate and given to the interpreter with `-c`.
const HOST_SCRIPT: &str = include_str!("floe_host.py");

/// The worker script's identity in the metadata cache's key.
pub(crate) fn host_script_key() -> String {
    let hash = HOST_SCRIPT
        .bytes()
        .fold(0xcbf2_9ce4_8422_2325_u64, |hash, byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
        });
    format!("floe_host.py#{hash:016x}")
}

/// How long the worker may take to start (Python, then `import floe_core`).
const START_TIMEOUT: Duration = Duration::from_secs(120);

/// After this long, a start still under way is shown on a terminal.
const SHOW_START_AFTER: Duration = Duration::from_secs(1);

/// How many lines of the worker's standard error are kept for error messages.
const STDERR_LINES: usize = 50;

/// Why a request got no answer from Python code.
#[derive(Debug, thiserror::Error)]
pub(crate) enum WorkerError {
    /// The worker could not be started, or said it cannot serve (`fatal`).
    #[error("it could not start: {0}")]
    Start(String),
    /// No answer within the deadline: the worker was stopped; the next request starts
    /// a new one.
    #[error("no answer within {} s; it was stopped", .0.as_secs_f64())]
    TimedOut(Duration),
    /// The worker ended during the request (a crash, `os._exit`, a signal).
    #[error("it ended ({0})")]
    Died(String),
    /// The worker answered with an error (`PROTOCOL.md`, Errors).
    #[error("{message}")]
    Python {
        kind: String,
        message: String,
        detail: Value,
    },
}

/// One answer line.
#[derive(Deserialize)]
struct Answer {
    id: Option<u64>,
    ok: Option<Value>,
    error: Option<PythonFailure>,
}

#[derive(Deserialize)]
struct PythonFailure {
    kind: String,
    message: String,
    #[serde(default)]
    detail: Value,
}

/// A running worker.
struct Process {
    child: Child,
    stdin: ChildStdin,
    /// Lines of its protocol output, read by a thread of their own.
    answers: mpsc::Receiver<String>,
    next_id: u64,
    /// Which start this is: a new process knows no configuration yet.
    generation: u64,
    /// Closed when the standard error reader has read everything.
    stderr_done: mpsc::Receiver<()>,
}

impl Drop for Process {
    fn drop(&mut self) {
        // A worker left behind would outlive its host: stop it.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The worker of one environment.
pub(crate) struct Worker {
    python: PathBuf,
    /// What the progress line calls the environment.
    label: String,
    process: Mutex<Option<Process>>,
    starts: Mutex<u64>,
    stderr: Arc<Mutex<VecDeque<String>>>,
}

impl Worker {
    pub(crate) fn new(python: PathBuf, label: String) -> Self {
        Worker {
            python,
            label,
            process: Mutex::new(None),
            starts: Mutex::new(0),
            stderr: Arc::default(),
        }
    }

    /// Whether a worker process is running now.
    pub(crate) fn is_running(&self) -> bool {
        self.process
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .is_some()
    }

    /// How many worker processes were started so far.
    pub(crate) fn starts(&self) -> u64 {
        *self.starts.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// Sends `op` with `fields` and waits at most `timeout` for its answer, starting
    /// the worker first if none runs. Returns the answer's `ok` and the generation of
    /// the process that answered.
    pub(crate) fn request(
        &self,
        op: &str,
        fields: Map<String, Value>,
        timeout: Duration,
    ) -> Result<(Value, u64), WorkerError> {
        let mut slot = self.process.lock().unwrap_or_else(PoisonError::into_inner);
        if slot.is_none() {
            *slot = Some(self.start()?);
        }
        let Some(process) = slot.as_mut() else {
            return Err(WorkerError::Start("the worker did not start".to_owned()));
        };
        let id = process.next_id;
        process.next_id += 1;
        let generation = process.generation;
        let mut request = fields;
        request.insert("id".to_owned(), json!(id));
        request.insert("op".to_owned(), json!(op));
        let mut line = Value::Object(request).to_string();
        line.push('\n');
        let deadline = deadline_after(timeout);
        // One write of the whole line: the pipe is unbuffered, and a separate newline
        // is a second system call and a second read in the worker.
        let sent = process.stdin.write_all(line.as_bytes());
        if sent.is_err() {
            let died = self.died(process);
            *slot = None;
            return Err(died);
        }
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match process.answers.recv_timeout(left) {
                Ok(text) => {
                    let answer = match serde_json::from_str::<Answer>(&text) {
                        Ok(answer) => answer,
                        // The answer to this request, which serde cannot read (nested
                        // past its depth limit): an error now, not a wait for the
                        // deadline.
                        Err(e) if text.starts_with(&format!("{{\"id\": {id},")) => {
                            return Err(WorkerError::Python {
                                kind: "protocol".into(),
                                message: format!("the worker's answer to {op} cannot be read: {e}"),
                                detail: Value::Null,
                            });
                        }
                        Err(_) => {
                            tracing::warn!(line = %text, "python_worker_unreadable_line");
                            continue;
                        }
                    };
                    if answer.id != Some(id) {
                        continue;
                    }
                    return match (answer.ok, answer.error) {
                        (_, Some(e)) => Err(WorkerError::Python {
                            kind: e.kind,
                            message: e.message,
                            detail: e.detail,
                        }),
                        (ok, None) => Ok((ok.unwrap_or(Value::Null), generation)),
                    };
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    tracing::warn!(op, timeout = ?timeout, "python_worker_timed_out");
                    // Dropping the process stops it; the next request starts another.
                    *slot = None;
                    return Err(WorkerError::TimedOut(timeout));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => {
                    let died = self.died(process);
                    *slot = None;
                    return Err(died);
                }
            }
        }
    }

    /// Starts a worker and waits for its `ready` line.
    fn start(&self) -> Result<Process, WorkerError> {
        let began = Instant::now();
        // Last words are a process's own: none of the previous worker's.
        self.stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .clear();
        let mut child = Command::new(&self.python)
            .args(["-u", "-c", HOST_SCRIPT])
            .env("PYTHONIOENCODING", "utf-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| {
                WorkerError::Start(format!("could not start {}: {e}", self.python.display()))
            })?;
        let (Some(stdin), Some(stdout), Some(stderr)) =
            (child.stdin.take(), child.stdout.take(), child.stderr.take())
        else {
            return Err(WorkerError::Start(
                "the worker's pipes are missing".to_owned(),
            ));
        };
        let (lines, answers) = mpsc::channel();
        std::thread::Builder::new()
            .name("floe-python-out".to_owned())
            .spawn(move || {
                for line in BufReader::new(stdout).lines() {
                    let Ok(line) = line else { break };
                    if lines.send(line).is_err() {
                        break;
                    }
                }
            })
            .map_err(|e| WorkerError::Start(format!("no thread for the worker: {e}")))?;
        let tail = Arc::clone(&self.stderr);
        let (stderr_closed, stderr_done) = mpsc::channel::<()>();
        std::thread::Builder::new()
            .name("floe-python-err".to_owned())
            .spawn(move || {
                let _closed = stderr_closed;
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    tracing::debug!(target: "floe_python::worker", "{line}");
                    let mut tail = tail.lock().unwrap_or_else(PoisonError::into_inner);
                    if tail.len() == STDERR_LINES {
                        tail.pop_front();
                    }
                    tail.push_back(line);
                }
            })
            .map_err(|e| WorkerError::Start(format!("no thread for the worker: {e}")))?;
        let generation = {
            let mut starts = self.starts.lock().unwrap_or_else(PoisonError::into_inner);
            *starts += 1;
            *starts
        };
        let mut process = Process {
            child,
            stdin,
            answers,
            next_id: 1,
            generation,
            stderr_done,
        };
        let deadline = began + START_TIMEOUT;
        // Whether the wait has passed SHOW_START_AFTER, and whether that was shown.
        let (mut waited, mut shown) = (false, false);
        loop {
            let wait = if waited {
                deadline.saturating_duration_since(Instant::now())
            } else {
                SHOW_START_AFTER.saturating_sub(began.elapsed())
            };
            match process.answers.recv_timeout(wait) {
                Ok(line) => {
                    let Ok(first) = serde_json::from_str::<Value>(&line) else {
                        continue;
                    };
                    if let Some(ready) = first.get("ready") {
                        if shown {
                            eprintln!(
                                "floe: Python worker ready ({:.1} s)",
                                began.elapsed().as_secs_f64()
                            );
                        }
                        tracing::debug!(%ready, took = ?began.elapsed(), "python_worker_ready");
                        return Ok(process);
                    }
                    if let Some(fatal) = first.get("fatal") {
                        let message = fatal
                            .get("message")
                            .and_then(Value::as_str)
                            .unwrap_or("the worker cannot serve");
                        return Err(WorkerError::Start(message.to_owned()));
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) if !waited => {
                    waited = true;
                    shown = std::io::stderr().is_terminal();
                    if shown {
                        eprintln!("floe: starting the Python worker for {}...", self.label);
                    }
                }
                Err(mpsc::RecvTimeoutError::Timeout) => {
                    return Err(WorkerError::Start(format!(
                        "the Python worker did not start within {} s",
                        START_TIMEOUT.as_secs()
                    )));
                }
                Err(mpsc::RecvTimeoutError::Disconnected) => return Err(self.died(&mut process)),
            }
        }
    }

    /// What to say of a worker whose output ended: its exit status and the last thing
    /// it wrote to standard error.
    fn died(&self, process: &mut Process) -> WorkerError {
        let status = process
            .child
            .wait()
            .map(|s| s.to_string())
            .unwrap_or_else(|e| format!("unknown status ({e})"));
        // Let the error reader take the last lines (bounded: a process the plugin
        // started may still hold the pipe open).
        let _ = process.stderr_done.recv_timeout(Duration::from_millis(500));
        let last = self
            .stderr
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .iter()
            .rev()
            .find(|l| !l.trim().is_empty())
            .cloned();
        WorkerError::Died(match last {
            Some(line) => format!("{status}; its last words: {line}"),
            None => status,
        })
    }
}

/// The instant `timeout` from now, or far away when that cannot be represented.
fn deadline_after(timeout: Duration) -> Instant {
    let now = Instant::now();
    now.checked_add(timeout)
        .or_else(|| now.checked_add(Duration::from_secs(100 * 365 * 24 * 3600)))
        .unwrap_or(now)
}
