//! Alert channel `email`: contract violations go out as one SMTP message (an HTML
//! table of the violation) through `lettre`, blocking, with a timeout on every step.
//!
//! Better than floe, on purpose:
//! - a config schema (floe's channel has none, so one loaded through the registry runs
//!   with an empty host and never delivers);
//! - STARTTLS and implicit TLS are distinct values of `security`: `starttls` (the
//!   default, for port 587), `tls` (implicit TLS, usually port 465) and `none`. floe's
//!   `use_tls=True` means implicit TLS, which with its default port 587 fails against
//!   standard servers;
//! - every event value is HTML-escaped in the body (floe inserts them raw);
//! - the password is a secret, never printed; credentials are refused over `none`.
//!
//! Certificates are always verified, against Mozilla's roots plus the optional
//! `ca_certificate_file` (a private CA).
//!
//! ```
//! use floe_plugins_builtin::email::html_body;
//! use floe_registry::alert::*;
//!
//! let event = ContractViolationEvent::new("orders", "2.1.0", ViolationType::Quality,
//!     ViolationSeverity::Error, "<b>3</b> rows & more", "2026-05-02T10:00:00Z");
//! let html = html_body(&event);
//! assert!(html.contains("&lt;b&gt;3&lt;/b&gt; rows &amp; more"));
//! ```

use std::path::PathBuf;
use std::time::Duration;

use floe_registry::alert::ContractViolationEvent;
use floe_registry::prelude::*;
use lettre::message::{Mailbox, MultiPart, SinglePart};
use lettre::transport::smtp::SmtpTransport;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::{Message, Transport};

use crate::support::alert::{python_isoformat, severity_name};

/// The OpenTelemetry tracer name of this plugin.
pub const TRACER_NAME: &str = "floe.alert.email";

/// Email: sends each contract violation as an HTML message over SMTP.
#[floe_plugin(
    type = AlertChannel,
    name = "email",
    version = "1.0.0",
    description = "",
    config = EmailConfig
)]
#[derive(Default)]
pub struct EmailPlugin {
    #[config]
    config: ConfigCell<EmailConfig>,
}

/// How the connection to the SMTP server is protected.
#[floe_config]
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[serde(rename_all = "lowercase")]
pub enum SmtpSecurity {
    /// Plain connection upgraded with `STARTTLS`, required (port 587).
    #[default]
    Starttls,
    /// TLS from the first byte, "SMTPS" (port 465).
    Tls,
    /// No encryption (a relay on localhost); no credentials allowed.
    None,
}

/// The settings of the email channel. Unknown fields are refused.
#[floe_config]
#[derive(Debug)]
#[serde(deny_unknown_fields)]
pub struct EmailConfig {
    /// The SMTP server's host name (also the name its certificate must carry).
    #[schemars(length(min = 1))]
    pub smtp_host: String,
    /// The SMTP port (587).
    #[serde(default = "default_port")]
    #[schemars(range(min = 1))]
    pub smtp_port: u16,
    /// `starttls` (default), `tls` (implicit TLS) or `none`.
    #[serde(default)]
    pub security: SmtpSecurity,
    /// The sender, `alerts@example.com` or `Floe <alerts@example.com>`.
    #[schemars(length(min = 1))]
    pub from_address: String,
    /// The recipients, at least one.
    #[schemars(length(min = 1))]
    pub to_addresses: Vec<String>,
    /// The SMTP user, when the server wants a login.
    #[serde(default)]
    pub username: Option<String>,
    /// The SMTP password (a secret).
    #[serde(default)]
    pub password: Option<Secret>,
    /// Seconds each network step (connect, each command) may take (30).
    #[serde(default = "default_timeout")]
    #[schemars(range(min = 0.001, max = 300.0))]
    pub timeout_seconds: f64,
    /// A PEM file of an extra CA certificate to trust, for a server with a private CA.
    #[serde(default)]
    pub ca_certificate_file: Option<PathBuf>,
}

fn default_port() -> u16 {
    587
}

fn default_timeout() -> f64 {
    30.0
}

/// Why a message was not sent.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EmailError {
    /// The channel has no configuration.
    #[error("the email channel is not configured")]
    NotConfigured,
    /// The settings are unusable (the problems of `validate_config`).
    #[error("invalid settings: {}", .0.join("; "))]
    Invalid(Vec<String>),
    /// An address does not parse.
    #[error("invalid address `{address}`: {reason}")]
    Address {
        /// The address as configured.
        address: String,
        /// Why.
        reason: String,
    },
    /// The CA certificate file cannot be read or is no PEM certificate.
    #[error("cannot use CA certificate {}: {reason}", .path.display())]
    Certificate {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// The message could not be built.
    #[error("cannot build the message: {0}")]
    Message(String),
    /// The server could not be reached, refused TLS, the login or the message.
    #[error("SMTP delivery via {server} failed: {reason}")]
    Smtp {
        /// `host:port`.
        server: String,
        /// What the client said.
        reason: String,
    },
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#x27;"),
            c => out.push(c),
        }
    }
    out
}

/// The subject: `[<SEVERITY>] Contract Violation: <contract>`.
pub fn subject(event: &ContractViolationEvent) -> String {
    format!(
        "[{}] Contract Violation: {}",
        severity_name(event.severity).to_uppercase(),
        event.contract_name
    )
}

/// The HTML body: floe's 7-row table (Contract, Version, Type, Severity, Message,
/// Timestamp, Check Duration as `<x.xxx>s`), every value escaped.
pub fn html_body(event: &ContractViolationEvent) -> String {
    let rows = [
        ("Contract", event.contract_name.clone()),
        ("Version", event.contract_version.clone()),
        ("Type", event.violation_type.as_str().to_owned()),
        ("Severity", severity_name(event.severity).to_owned()),
        ("Message", event.message.clone()),
        ("Timestamp", python_isoformat(&event.timestamp)),
        (
            "Check Duration",
            format!("{:.3}s", event.check_duration_seconds),
        ),
    ];
    let mut html = String::from("<html><body>\n<h2>Contract Violation</h2>\n<table>\n");
    for (label, value) in rows {
        html.push_str(&format!(
            "<tr><td><strong>{label}</strong></td><td>{}</td></tr>\n",
            escape(&value)
        ));
    }
    html.push_str("</table>\n</body></html>\n");
    html
}

fn problems(config: &EmailConfig) -> Vec<String> {
    let mut problems = Vec::new();
    if config.smtp_host.trim().is_empty() {
        problems.push("smtp_host is required".to_owned());
    }
    if config.from_address.trim().is_empty() {
        problems.push("from_address is required".to_owned());
    }
    if config.to_addresses.iter().all(|a| a.trim().is_empty()) {
        problems.push("to_addresses is required (at least one recipient)".to_owned());
    }
    if config.security == SmtpSecurity::None
        && (config.username.is_some() || config.password.is_some())
    {
        problems.push(
            "username and password need security `starttls` or `tls`: they are never sent unencrypted"
                .to_owned(),
        );
    }
    if config.username.is_some() != config.password.is_some() {
        problems.push("username and password go together: set both or neither".to_owned());
    }
    problems
}

fn mailbox(address: &str) -> Result<Mailbox, EmailError> {
    address
        .trim()
        .parse()
        .map_err(|e: lettre::address::AddressError| EmailError::Address {
            address: address.to_owned(),
            reason: e.to_string(),
        })
}

/// The message floe sends for `event`, from and to the configured addresses.
fn message(config: &EmailConfig, event: &ContractViolationEvent) -> Result<Message, EmailError> {
    let mut builder = Message::builder()
        .from(mailbox(&config.from_address)?)
        .subject(subject(event));
    for to in config.to_addresses.iter().filter(|a| !a.trim().is_empty()) {
        builder = builder.to(mailbox(to)?);
    }
    builder
        .multipart(MultiPart::alternative().singlepart(SinglePart::html(html_body(event))))
        .map_err(|e| EmailError::Message(e.to_string()))
}

fn transport(config: &EmailConfig) -> Result<SmtpTransport, EmailError> {
    let host = config.smtp_host.trim().to_owned();
    let tls = match config.security {
        SmtpSecurity::None => Tls::None,
        security => {
            let mut params = TlsParameters::builder(host.clone());
            if let Some(path) = &config.ca_certificate_file {
                let cert_error = |reason: String| EmailError::Certificate {
                    path: path.clone(),
                    reason,
                };
                let pem = std::fs::read(path).map_err(|e| cert_error(e.to_string()))?;
                let cert = Certificate::from_pem(&pem).map_err(|e| cert_error(e.to_string()))?;
                params = params.add_root_certificate(cert);
            }
            let params = params.build_rustls().map_err(|e| EmailError::Smtp {
                server: format!("{host}:{}", config.smtp_port),
                reason: e.to_string(),
            })?;
            if security == SmtpSecurity::Tls {
                Tls::Wrapper(params)
            } else {
                Tls::Required(params)
            }
        }
    };
    let mut builder = SmtpTransport::builder_dangerous(host)
        .port(config.smtp_port)
        .tls(tls)
        .timeout(Some(Duration::from_secs_f64(config.timeout_seconds)));
    if let (Some(user), Some(password)) = (&config.username, &config.password) {
        builder = builder.credentials(Credentials::new(user.clone(), password.expose().to_owned()));
    }
    Ok(builder.build())
}

impl EmailPlugin {
    /// Sends the alert for `event`, saying why when it was not sent.
    pub fn send(&self, event: &ContractViolationEvent) -> Result<(), EmailError> {
        let config = self.config.get().map_err(|_| EmailError::NotConfigured)?;
        let problems = problems(&config);
        if !problems.is_empty() {
            return Err(EmailError::Invalid(problems));
        }
        let message = message(&config, event)?;
        transport(&config)?
            .send(&message)
            .map(drop)
            .map_err(|e| EmailError::Smtp {
                server: format!("{}:{}", config.smtp_host.trim(), config.smtp_port),
                reason: e.to_string(),
            })
    }
}

impl AlertChannelPlugin for EmailPlugin {
    /// Sends one message; true when the server accepted it. Any failure (not
    /// configured, a bad address, no server, a TLS or login refusal, a timeout) gives
    /// false and is logged, never with the password.
    fn send_alert(&self, event: &ContractViolationEvent) -> bool {
        match self.send(event) {
            Ok(()) => {
                tracing::debug!(
                    alert.channel = "email",
                    alert.delivery_status = "delivered",
                    "alert delivered"
                );
                true
            }
            Err(e) => {
                tracing::warn!(
                    alert.channel = "email",
                    alert.delivery_status = "failed",
                    error = %e,
                    "alert not delivered"
                );
                false
            }
        }
    }

    /// floe's three checks in its order (`smtp_host is required`, `from_address is
    /// required`, `to_addresses is required (at least one recipient)`), then ours:
    /// credentials over `none`, a username without a password or the reverse.
    fn validate_config(&self) -> Vec<String> {
        match self.config.get() {
            Ok(config) => problems(&config),
            Err(_) => vec![
                "smtp_host is required".to_owned(),
                "from_address is required".to_owned(),
                "to_addresses is required (at least one recipient)".to_owned(),
            ],
        }
    }
}
