//! Helpers every built-in's test uses: a registry with the built-ins discovered, the
//! config-schema snapshot check, and a local port nothing listens on. The per-part
//! helper modules re-export these.

#![allow(dead_code)]

use std::net::{SocketAddr, TcpListener};
use std::path::PathBuf;

pub mod python_env;

use floe_plugins_builtin as _;
use floe_registry::{PluginRegistry, PluginType};

/// The one secret value of the tests: it must never show up in any output, log line,
/// error or Debug text of a plugin. Letters and digits only, so it passes as a value
/// anywhere (an env variable, a URL, a YAML scalar, a header) and looks like a secret to
/// the secret scanner.
pub const CANARY: &str = "canaryS3cretVa1ueQ9x7Zk2";

/// A fresh registry with every linked plugin discovered.
pub fn registry() -> PluginRegistry {
    let registry = PluginRegistry::new();
    registry.discover_all();
    registry
}

/// Compares the config schema of `plugin_type:name` with the checked-in
/// `schemas/<name>.json`, exactly. `FLOE_UPDATE_SCHEMAS=1` rewrites the file from the
/// real output instead, so a schema change is always a visible diff in review.
pub fn assert_schema_snapshot(plugin_type: PluginType, name: &str) {
    let schema = registry()
        .config_schema(plugin_type, name)
        .expect("plugin is registered")
        .expect("plugin has a config schema");
    let actual = serde_json::to_string_pretty(&schema).expect("schema serializes") + "\n";
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("schemas")
        .join(format!("{name}.json"));
    if std::env::var_os("FLOE_UPDATE_SCHEMAS").is_some() {
        std::fs::write(&path, &actual).expect("write the schema snapshot");
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|_| {
        panic!(
            "{} is missing: run with FLOE_UPDATE_SCHEMAS=1 to write it",
            path.display()
        )
    });
    assert_eq!(
        actual,
        expected,
        "the config schema of {plugin_type}:{name} differs from {}; rerun with FLOE_UPDATE_SCHEMAS=1 to accept it",
        path.display()
    );
}

/// A `127.0.0.1` address nothing listens on.
pub fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    addr
}

/// Guards a deadline-bound call against a hang, never against slowness: fails only when
/// the call took more than ten times its `deadline` plus five seconds, far beyond any
/// load on a test machine. The test's real assertion is the timeout error it got.
pub fn assert_no_hang(started: std::time::Instant, deadline: std::time::Duration) {
    let limit = deadline * 10 + std::time::Duration::from_secs(5);
    let took = started.elapsed();
    assert!(
        took < limit,
        "a call with a {deadline:?} deadline hung for {took:?} (the hang guard is {limit:?})"
    );
}

/// The messages of `err` and of every source under it, joined with `": "`: what a
/// chain-walking reporter (`{:#}`, anyhow) prints.
pub fn chain_text(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut next = err.source();
    while let Some(cause) = next {
        text = format!("{text}: {cause}");
        next = cause.source();
    }
    text
}

/// The message of the typed error under a plugin's error, after checking that the
/// plugin's own message is `context` and does not repeat it.
pub fn typed_cause(err: &floe_registry::PluginError, context: &str) -> String {
    assert_eq!(
        err.to_string(),
        context,
        "the plugin error states its context"
    );
    std::error::Error::source(err)
        .expect("the typed error is the source")
        .to_string()
}
