//! The `email` alert channel against a real SMTP server (aiosmtpd from PyPI, pinned,
//! in a venv under the target folder) on 127.0.0.1, without and with STARTTLS.
#![cfg(feature = "email-alerts")]

mod support;

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};

use floe_plugins_builtin::email::EmailConfig;
use floe_registry::prelude::*;
use serde_json::{Value, json};
use support::alerts::*;
use support::canary::{CANARY, assert_no_canary};
use support::http_fake::closed_port;
use support::python_env::python_env;
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const AIOSMTPD: (&str, &str) = ("aiosmtpd", "1.4.6");

const SERVER: &str = r#"
import json, ssl, sys, time
from aiosmtpd.controller import Controller
port, out = int(sys.argv[1]), sys.argv[2]
class Record:
    async def handle_DATA(self, server, session, envelope):
        with open(out, "a") as f:
            f.write(json.dumps({"from": envelope.mail_from, "to": envelope.rcpt_tos,
                "data": envelope.content.decode("utf-8", "replace"),
                "tls": session.ssl is not None}) + "\n")
        return "250 OK"
kw = {}
if len(sys.argv) > 3:
    ctx = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    ctx.load_cert_chain(sys.argv[3], sys.argv[4])
    kw = dict(tls_context=ctx, require_starttls=True)
controller = Controller(Record(), hostname="127.0.0.1", port=port, **kw)
controller.start()
print("READY", flush=True)
while True:
    time.sleep(3600)
"#;

/// A running aiosmtpd, killed when dropped (also when the test fails).
struct SmtpServer {
    child: Child,
    port: u16,
    received: PathBuf,
    _dir: tempfile::TempDir,
}

impl SmtpServer {
    /// Plain SMTP, or STARTTLS required with `tls = Some((cert.pem, key.pem))`.
    fn start(tls: Option<(&Path, &Path)>) -> SmtpServer {
        let python = python_env(AIOSMTPD.0, AIOSMTPD.1);
        let dir = tempfile::tempdir().expect("tempdir");
        let received = dir.path().join("received.jsonl");
        let port = closed_port().port();
        let mut cmd = Command::new(python);
        cmd.arg("-c")
            .arg(SERVER)
            .arg(port.to_string())
            .arg(&received);
        if let Some((cert, key)) = tls {
            cmd.arg(cert).arg(key);
        }
        let mut child = cmd.stdout(Stdio::piped()).spawn().expect("start aiosmtpd");
        let stdout = child.stdout.take().expect("stdout");
        let mut server = SmtpServer {
            child,
            port,
            received,
            _dir: dir,
        };
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("read aiosmtpd");
        assert_eq!(line.trim(), "READY", "aiosmtpd did not start");
        let _ = &mut server;
        server
    }

    /// The messages received so far.
    fn received(&self) -> Vec<Value> {
        std::fs::read_to_string(&self.received)
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("json line"))
            .collect()
    }
}

impl Drop for SmtpServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// A self-signed certificate for 127.0.0.1, written as PEM files in `dir`.
fn self_signed(dir: &Path) -> (PathBuf, PathBuf) {
    let cert =
        rcgen::generate_simple_self_signed(vec!["127.0.0.1".to_owned()]).expect("certificate");
    let cert_path = dir.join("cert.pem");
    let key_path = dir.join("key.pem");
    std::fs::write(&cert_path, cert.cert.pem()).expect("write cert");
    std::fs::write(&key_path, cert.signing_key.serialize_pem()).expect("write key");
    (cert_path, key_path)
}

fn email_event() -> floe_registry::alert::ContractViolationEvent {
    let mut e = event();
    e.message = "<script>alert(1)</script> & \"more\"".to_owned();
    e
}

fn assert_delivered_message(message: &Value, expect_tls: bool) {
    assert_eq!(message["from"], "alerts@example.com");
    assert_eq!(
        message["to"],
        json!(["ops@example.com", "data@example.com"])
    );
    assert_eq!(message["tls"], expect_tls);
    let data = message["data"].as_str().unwrap_or_default();
    let unfolded = data.replace("\r\n", "\n");
    assert!(
        unfolded.contains("Subject: [ERROR] Contract Violation: orders"),
        "{data}"
    );
    assert!(unfolded.contains("From: alerts@example.com"), "{data}");
    assert!(
        unfolded.contains("To: ops@example.com, data@example.com"),
        "{data}"
    );
    assert!(unfolded.contains("multipart/alternative"), "{data}");
    assert!(unfolded.contains("text/html"), "{data}");
    // the body may be quoted-printable: undo soft line breaks and =XX escapes we need
    let body = unfolded.replace("=\n", "").replace("=3D", "=");
    assert!(
        body.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; &quot;more&quot;"),
        "the message is HTML-escaped: {body}"
    );
    assert!(
        !body.contains("<script>"),
        "no raw HTML from the event: {body}"
    );
    assert!(body.contains("1.250s"), "check duration as x.xxxs: {body}");
    assert!(body.contains("2026-05-02T10:00:00+00:00"), "{body}");
}

#[test]
fn registers_under_its_entry_point_name_with_a_schema() {
    let info = registry()
        .info(PluginType::AlertChannel, "email")
        .expect("registered");
    assert_eq!(
        (info.name.as_str(), info.version.as_str()),
        ("email", "1.0.0")
    );
    assert!(info.has_config);
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(PluginType::AlertChannel, "email");
}

#[test]
fn an_unconfigured_channel_reports_floes_three_problems() {
    let registry = registry();
    assert_eq!(
        channel(&registry, "email").validate_config(),
        [
            "smtp_host is required",
            "from_address is required",
            "to_addresses is required (at least one recipient)"
        ]
    );
}

#[test]
fn starttls_is_the_default_security() {
    let registry = configured(
        "email",
        json!({"smtp_host": "mail", "from_address": "a@x.org", "to_addresses": ["b@x.org"]}),
    );
    let config = registry
        .config::<EmailConfig>(PluginType::AlertChannel, "email")
        .expect("typed")
        .expect("stored");
    assert_eq!(config.smtp_port, 587);
    assert_eq!(
        config.security,
        floe_plugins_builtin::email::SmtpSecurity::Starttls
    );
}

#[test]
fn credentials_over_plain_smtp_are_refused() {
    let registry = configured(
        "email",
        json!({"smtp_host": "mail", "from_address": "a@x.org", "to_addresses": ["b@x.org"],
               "security": "none", "username": "u", "password": CANARY}),
    );
    let problems = channel(&registry, "email").validate_config();
    assert!(
        problems
            .iter()
            .any(|p| p.contains("never sent unencrypted")),
        "{problems:?}"
    );
    assert_no_canary("validate_config", &format!("{problems:?}"));
}

#[test]
fn delivers_over_plain_smtp() {
    let server = SmtpServer::start(None);
    let registry = configured(
        "email",
        json!({"smtp_host": "127.0.0.1", "smtp_port": server.port, "security": "none",
               "from_address": "alerts@example.com",
               "to_addresses": ["ops@example.com", "data@example.com"], "timeout_seconds": 10}),
    );
    assert!(channel(&registry, "email").send_alert(&email_event()));
    let received = server.received();
    assert_eq!(received.len(), 1, "one message");
    assert_delivered_message(&received[0], false);
}

#[test]
fn delivers_over_starttls_trusting_the_given_ca() {
    let certs = tempfile::tempdir().expect("tempdir");
    let (cert, key) = self_signed(certs.path());
    let server = SmtpServer::start(Some((&cert, &key)));
    let registry = configured(
        "email",
        json!({"smtp_host": "127.0.0.1", "smtp_port": server.port, "security": "starttls",
               "from_address": "alerts@example.com",
               "to_addresses": ["ops@example.com", "data@example.com"],
               "ca_certificate_file": cert, "timeout_seconds": 10}),
    );
    let (delivered, logs) = logs_of(|| channel(&registry, "email").send_alert(&email_event()));
    assert!(delivered, "{logs}");
    let received = server.received();
    assert_eq!(received.len(), 1, "one message");
    assert_delivered_message(&received[0], true);
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let certs = tempfile::tempdir().expect("tempdir");
    let (cert, key) = self_signed(certs.path());
    let server = SmtpServer::start(Some((&cert, &key)));
    let registry = configured(
        "email",
        json!({"smtp_host": "127.0.0.1", "smtp_port": server.port,
               "from_address": "alerts@example.com", "to_addresses": ["ops@example.com"],
               "timeout_seconds": 10}),
    );
    let (delivered, logs) = logs_of(|| channel(&registry, "email").send_alert(&email_event()));
    assert!(
        !delivered,
        "a self-signed certificate is not trusted by default"
    );
    assert!(logs.contains("SMTP delivery via 127.0.0.1"), "{logs}");
    assert!(server.received().is_empty());
}

#[test]
fn implicit_tls_against_a_starttls_port_fails_instead_of_hanging() {
    let certs = tempfile::tempdir().expect("tempdir");
    let (cert, key) = self_signed(certs.path());
    let server = SmtpServer::start(Some((&cert, &key)));
    let registry = configured(
        "email",
        json!({"smtp_host": "127.0.0.1", "smtp_port": server.port, "security": "tls",
               "from_address": "alerts@example.com", "to_addresses": ["ops@example.com"],
               "ca_certificate_file": cert, "timeout_seconds": 2}),
    );
    assert!(!channel(&registry, "email").send_alert(&email_event()));
    assert!(server.received().is_empty());
}

#[test]
fn a_refused_connection_gives_false_and_never_shows_the_password() {
    let registry = configured(
        "email",
        json!({"smtp_host": "127.0.0.1", "smtp_port": closed_port().port(),
               "from_address": "alerts@example.com", "to_addresses": ["ops@example.com"],
               "username": "floe", "password": CANARY, "timeout_seconds": 2}),
    );
    let email = channel(&registry, "email");
    let (delivered, logs) = logs_of(|| email.send_alert(&email_event()));
    assert!(!delivered);
    assert!(logs.contains("alert not delivered"), "{logs}");
    assert_no_canary("logs", &logs);
    let config = registry
        .config::<EmailConfig>(PluginType::AlertChannel, "email")
        .expect("typed")
        .expect("stored");
    assert_no_canary("config Debug", &format!("{config:?}"));
}
