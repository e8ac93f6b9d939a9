//! Running an external program with captured output and an optional deadline.
//! Shared by the dlt and dbt-core plugins (each includes this file).

// Each including plugin uses a different part of this file.
#![allow(dead_code)]

use std::io::{self, Read, Write};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};

/// What a finished (or stopped) program left behind.
#[derive(Debug, Default)]
pub(crate) struct Finished {
    /// The exit code; `None` when a signal ended it or it was killed at the deadline.
    pub code: Option<i32>,
    /// Its standard output (lossy UTF-8).
    pub stdout: String,
    /// Its standard error (lossy UTF-8).
    pub stderr: String,
    /// Whether it was killed at the deadline.
    pub timed_out: bool,
}

impl Finished {
    /// Whether it exited with code 0.
    pub fn success(&self) -> bool {
        self.code == Some(0)
    }
}

/// Where `program` is: itself when it holds a path separator and is an executable
/// file, else the first executable file of that name on `PATH` (the `which` crate's
/// lookup, which also knows Windows' `PATHEXT`).
pub(crate) fn find_program(program: &str) -> Option<PathBuf> {
    if program.is_empty() {
        return None;
    }
    which::which(program).ok()
}

fn drain(mut from: impl Read + Send + 'static) -> mpsc::Receiver<String> {
    let (tx, rx) = mpsc::channel();
    thread::spawn(move || {
        let mut bytes = Vec::new();
        let _ = from.read_to_end(&mut bytes);
        let _ = tx.send(String::from_utf8_lossy(&bytes).into_owned());
    });
    rx
}

/// Runs `command` to the end, feeding `stdin` and capturing both outputs. With a
/// `deadline`, the program runs in its own process group, which is killed when the
/// deadline passes. Fails only when the program cannot be started.
pub(crate) fn run(
    command: &mut Command,
    stdin: Option<&[u8]>,
    deadline: Option<Duration>,
) -> io::Result<Finished> {
    command
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    #[cfg(unix)]
    if deadline.is_some() {
        std::os::unix::process::CommandExt::process_group(command, 0);
    }
    let mut child = command.spawn()?;
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let input = input.to_vec();
        thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let stdout = child.stdout.take().map(drain);
    let stderr = child.stderr.take().map(drain);
    let (code, timed_out) = wait(&mut child, deadline)?;
    // After a kill, a grandchild may still hold the pipes: wait briefly, never forever.
    let collect = |rx: Option<mpsc::Receiver<String>>| {
        rx.and_then(|rx| {
            if timed_out {
                rx.recv_timeout(Duration::from_millis(500)).ok()
            } else {
                rx.recv().ok()
            }
        })
        .unwrap_or_default()
    };
    Ok(Finished {
        code,
        stdout: collect(stdout),
        stderr: collect(stderr),
        timed_out,
    })
}

fn wait(child: &mut Child, deadline: Option<Duration>) -> io::Result<(Option<i32>, bool)> {
    let Some(limit) = deadline else {
        return child.wait().map(|status| (status.code(), false));
    };
    let start = Instant::now();
    loop {
        if let Some(status) = child.try_wait()? {
            return Ok((status.code(), false));
        }
        if start.elapsed() >= limit {
            kill_group(child);
            let _ = child.kill();
            let _ = child.wait();
            return Ok((None, true));
        }
        thread::sleep(Duration::from_millis(20));
    }
}

/// Kills the process group led by `child` (best effort, through `kill(1)`).
fn kill_group(child: &Child) {
    #[cfg(unix)]
    {
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    #[cfg(not(unix))]
    let _ = child;
}
