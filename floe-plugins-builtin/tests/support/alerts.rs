//! Helpers of the alert channel and infisical tests: a sample event, the registry's
//! channel by name, and the log lines a closure emits (to check that no secret is
//! logged).

#![allow(dead_code, clippy::unwrap_used)]

use std::cell::RefCell;
use std::fmt::Write as _;
use std::sync::OnceLock;

use floe_registry::alert::{ContractViolationEvent, ViolationSeverity, ViolationType};
use floe_registry::prelude::*;
use serde_json::Value;
use tracing::field::{Field, Visit};
use tracing::span::{Attributes, Id, Record};
use tracing::{Event, Metadata, Subscriber};

/// A freshness violation of contract `orders` 2.1.0, severity error, at
/// `2026-05-02T10:00:00Z`, with a metadata entry and no element or values.
pub fn event() -> ContractViolationEvent {
    let mut event = ContractViolationEvent::new(
        "orders",
        "2.1.0",
        ViolationType::Freshness,
        ViolationSeverity::Error,
        "late by 2h",
        "2026-05-02T10:00:00Z",
    );
    event.check_duration_seconds = 1.25;
    event.metadata.insert("team".into(), "data".into());
    event
}

/// A registry with `name` configured as an alert channel from `config`.
pub fn configured(name: &str, config: Value) -> PluginRegistry {
    let registry = super::registry::registry();
    registry
        .configure(PluginType::AlertChannel, name, config)
        .expect("valid config");
    registry
}

/// The alert channel `name` of `registry`.
pub fn channel<'r>(registry: &'r PluginRegistry, name: &str) -> &'r dyn AlertChannelPlugin {
    registry
        .get_as::<dyn AlertChannelPlugin>(name)
        .expect("channel is registered")
}

thread_local! {
    static CAPTURED: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// Every log event `f` emits on this thread, one line each with all its fields.
///
/// One global subscriber (installed on first use) writes into a per-thread buffer:
/// with scoped subscribers, tests running in parallel can cache a callsite as
/// uninteresting and lose events.
pub fn logs_of<T>(f: impl FnOnce() -> T) -> (T, String) {
    static INSTALLED: OnceLock<()> = OnceLock::new();
    INSTALLED.get_or_init(|| {
        tracing::subscriber::set_global_default(Capture).expect("no other global subscriber");
    });
    CAPTURED.with(|c| *c.borrow_mut() = Some(String::new()));
    let out = f();
    let text = CAPTURED.with(|c| c.borrow_mut().take()).unwrap_or_default();
    (out, text)
}

struct Capture;

struct Line<'a>(&'a mut String);

impl Visit for Line<'_> {
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        let _ = write!(self.0, " {}={value:?}", field.name());
    }
    fn record_str(&mut self, field: &Field, value: &str) {
        let _ = write!(self.0, " {}={value}", field.name());
    }
}

impl Subscriber for Capture {
    fn enabled(&self, _: &Metadata<'_>) -> bool {
        true
    }
    fn new_span(&self, _: &Attributes<'_>) -> Id {
        Id::from_u64(1)
    }
    fn record(&self, _: &Id, _: &Record<'_>) {}
    fn record_follows_from(&self, _: &Id, _: &Id) {}
    fn event(&self, event: &Event<'_>) {
        CAPTURED.with(|c| {
            if let Some(buffer) = c.borrow_mut().as_mut() {
                let mut line = format!("{}", event.metadata().level());
                event.record(&mut Line(&mut line));
                line.push('\n');
                buffer.push_str(&line);
            }
        });
    }
    fn enter(&self, _: &Id) {}
    fn exit(&self, _: &Id) {}
}
