//! Test helpers shared by the part-1b built-in plugin tests (beside `common`):
//! configuration error lookups and tiny HTTP servers.

#![allow(dead_code)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use floe_registry::{ConfigErrorKind, PluginError};

use serde_json::Value;

/// The field errors of a configuration failure as (field, kind) pairs.
pub fn config_errors(err: PluginError) -> Vec<(String, ConfigErrorKind, String)> {
    match err {
        PluginError::Configuration { errors, .. } => errors
            .into_iter()
            .map(|e| (e.field, e.kind, e.message))
            .collect(),
        other => panic!("expected a configuration error, got {other}"),
    }
}

/// Asserts that `errors` holds an error of `kind` at `field`.
pub fn assert_has_error(
    errors: &[(String, ConfigErrorKind, String)],
    field: &str,
    kind: ConfigErrorKind,
) {
    assert!(
        errors.iter().any(|(f, k, _)| f == field && *k == kind),
        "expected a {kind} error at `{field}`, got {errors:?}"
    );
}

/// One request as the test server saw it.
#[derive(Debug, Clone)]
pub struct Recorded {
    /// `GET /path HTTP/1.1`.
    pub request_line: String,
    /// Header lines, lower-cased names.
    pub headers: Vec<(String, String)>,
}

impl Recorded {
    /// The value of a header, by lower-case name.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }
}

/// A server on 127.0.0.1 answering each of `responses` (status, body) to one
/// connection in turn; the requests it saw come out of the returned channel.
pub fn serve(responses: Vec<(u16, String)>) -> (SocketAddr, mpsc::Receiver<Recorded>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for (status, body) in responses {
            let Ok((mut stream, _)) = listener.accept() else {
                return;
            };
            let recorded = read_request(&mut stream);
            let _ = tx.send(recorded);
            let reply = format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            );
            let _ = stream.write_all(reply.as_bytes());
            let _ = stream.flush();
        }
    });
    (addr, rx)
}

fn read_request(stream: &mut TcpStream) -> Recorded {
    let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
    let mut data = Vec::new();
    let mut buf = [0u8; 4096];
    while !data.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => data.extend_from_slice(&buf[..n]),
        }
    }
    let text = String::from_utf8_lossy(&data);
    let mut lines = text.split("\r\n");
    let request_line = lines.next().unwrap_or_default().to_owned();
    let headers = lines
        .take_while(|l| !l.is_empty())
        .filter_map(|l| l.split_once(':'))
        .map(|(k, v)| (k.trim().to_ascii_lowercase(), v.trim().to_owned()))
        .collect();
    Recorded {
        request_line,
        headers,
    }
}

/// A listener on 127.0.0.1 that accepts one connection and never answers (for
/// timeouts). The thread ends after `hold`.
pub fn silent(hold: Duration) -> (SocketAddr, JoinHandle<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    let handle = std::thread::spawn(move || {
        if let Ok((stream, _)) = listener.accept() {
            std::thread::sleep(hold);
            drop(stream);
        }
    });
    (addr, handle)
}

/// Asserts that `canary` appears nowhere in `text`.
pub fn assert_no_canary(text: &str, canary: &str) {
    assert!(
        !text.contains(canary),
        "secret canary leaked into output: {text}"
    );
}

/// Whether `value`, serialized, contains `canary`.
pub fn assert_value_has_no_canary(value: &Value, canary: &str) {
    assert_no_canary(&value.to_string(), canary);
}
