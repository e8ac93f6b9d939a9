//! A canary secret never appears in any Debug, Display, error, info or log output.

use std::io::Write;
use std::sync::{Arc, Mutex};

use floe_registry::REDACTED;
use floe_registry::prelude::*;
use serde::Deserialize;
use serde_json::json;

const CANARY: &str = "canary-5ec2e7-do-not-print";

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by serde and the schema only
struct VaultConfig {
    #[schemars(length(min = 40))]
    token: Secret,
    #[serde(default)]
    backup_token: Option<Secret>,
    url: String,
}

/// A plugin whose config holds secrets.
#[floe_plugin(type = Secrets, name = "vault", version = "1.0.0", config = VaultConfig)]
#[derive(Default, Debug)]
struct Vault {
    #[config]
    config: ConfigCell<VaultConfig>,
}

impl SecretsPlugin for Vault {
    fn get_secret(&self, key: &str) -> Result<Option<Secret>, PluginError> {
        let config = self.config.get()?;
        Ok((key == "token").then(|| config.token.clone()))
    }
}

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
            .extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn the_canary_never_shows() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    let mut outputs: Vec<String> = Vec::new();
    tracing::subscriber::with_default(subscriber, || {
        let registry = PluginRegistry::new();
        registry
            .register(Vault::default().descriptor())
            .expect("registers");

        // Wrong kind for a secret, too short, and a wrong kind for an optional secret.
        for bad in [
            json!({"token": 12345, "url": CANARY}),
            json!({"token": CANARY, "url": "u"}),
            json!({"token": [CANARY], "backup_token": {"x": CANARY}, "url": "u"}),
            json!({"token": format!("{CANARY}{CANARY}"), "backup_token": 7, "url": "u", "tokn": CANARY}),
        ] {
            let err = registry
                .configure(PluginType::Secrets, "vault", bad)
                .expect_err("invalid");
            outputs.push(err.to_string());
            outputs.push(format!("{err:?}"));
        }
        let long = format!("{CANARY}{CANARY}");
        registry
            .configure(
                PluginType::Secrets,
                "vault",
                json!({"token": long, "backup_token": CANARY, "url": "https://vault"}),
            )
            .expect("valid");
        registry
            .activate(PluginType::Secrets, "vault")
            .expect("starts");
        let vault = registry
            .get_as::<dyn SecretsPlugin>("vault")
            .expect("loads");
        let token = vault.get_secret("token").expect("ok").expect("present");
        assert_eq!(token.expose(), long, "the plugin itself can read the value");
        outputs.push(format!("{token} {token:?}"));
        outputs.push(serde_json::to_string(&token).expect("json"));
        outputs.push(format!(
            "{:?}",
            registry.get(PluginType::Secrets, "vault").expect("loads")
        ));
        outputs.push(serde_json::to_string(&registry.infos()).expect("json"));
        outputs.push(format!(
            "{:?}",
            registry.config::<VaultConfig>(PluginType::Secrets, "vault")
        ));
        let shown = registry
            .config_json(PluginType::Secrets, "vault")
            .expect("known plugin")
            .expect("configured");
        assert_eq!(
            shown,
            json!({"token": REDACTED, "backup_token": REDACTED, "url": "https://vault"}),
            "every secret field redacted, the rest as given"
        );
        outputs.push(shown.to_string());
        outputs.push(format!("{registry:?}"));
        outputs.push(format!("{:?}", registry.health_check_all()));
        outputs.push(format!("{:?}", registry.shutdown_all()));
    });
    outputs.push(String::from_utf8_lossy(&logs.0.lock().expect("logs")).into_owned());
    assert!(
        outputs
            .last()
            .is_some_and(|l| l.contains("plugin_configured")),
        "logs were captured"
    );
    for out in &outputs {
        assert!(!out.contains(CANARY), "the canary leaked: {out}");
    }
}
