//! Helpers of the duckdb, dagster, s3, local, jaeger and console tests (beside
//! `common`): config error lists, a one-shot
//! HTTP server and a silent one on 127.0.0.1, and a lock for environment variables.

#![allow(dead_code, unsafe_code, clippy::unwrap_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::Duration;

use floe_registry::{ConfigErrorKind, PluginError, PluginRegistry, PluginType};
use serde_json::Value;

/// The `(field, kind)` pairs of a failed configure, and the full error text.
pub fn config_errors(
    registry: &PluginRegistry,
    plugin_type: PluginType,
    name: &str,
    config: Value,
) -> (Vec<(String, ConfigErrorKind)>, String) {
    let err = registry
        .configure(plugin_type, name, config)
        .expect_err("the config must be refused");
    let text = err.to_string();
    let PluginError::Configuration { errors, .. } = err else {
        panic!("expected a configuration error, got {text}");
    };
    (
        errors.into_iter().map(|e| (e.field, e.kind)).collect(),
        text,
    )
}

/// Asserts that `(field, kind)` is among the errors.
pub fn assert_has(errors: &[(String, ConfigErrorKind)], field: &str, kind: ConfigErrorKind) {
    assert!(
        errors.iter().any(|(f, k)| f == field && *k == kind),
        "expected a {kind} error at '{field}', got {errors:?}"
    );
}

/// A server answering one request with `status` and `body`; the join handle returns
/// the raw request (head and body).
pub fn serve_once(status: u16, body: &str) -> (String, JoinHandle<String>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let body = body.to_owned();
    let handle = thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut reader = BufReader::new(stream);
        let mut request = String::new();
        let mut length = 0usize;
        loop {
            let mut line = String::new();
            if reader.read_line(&mut line).unwrap_or(0) == 0 {
                break;
            }
            if let Some((k, v)) = line.split_once(':')
                && k.eq_ignore_ascii_case("content-length")
            {
                length = v.trim().parse().unwrap_or(0);
            }
            request.push_str(&line);
            if line == "\r\n" {
                break;
            }
        }
        let mut content = vec![0u8; length];
        reader.read_exact(&mut content).unwrap();
        request.push_str(&String::from_utf8_lossy(&content));
        let mut stream = reader.into_inner();
        let answer = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        );
        stream.write_all(answer.as_bytes()).unwrap();
        request
    });
    (url, handle)
}

/// A server that accepts one connection and never answers (kept open `hold`).
pub fn serve_silently(hold: Duration) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            thread::sleep(hold);
            drop(stream);
        }
    });
    url
}

static ENV: Mutex<()> = Mutex::new(());

/// Holds the environment lock: tests that read or write variables take it.
pub fn env_lock() -> MutexGuard<'static, ()> {
    ENV.lock().unwrap_or_else(|e| e.into_inner())
}

/// Sets (`Some`) or removes (`None`) a variable; call with [`env_lock`] held.
pub fn set_env(name: &str, value: Option<&str>) {
    // SAFETY: every test touching the environment holds ENV, and the plugins read it
    // only from those tests' threads.
    unsafe {
        match value {
            Some(v) => std::env::set_var(name, v),
            None => std::env::remove_var(name),
        }
    }
}
