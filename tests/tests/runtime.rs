//! Plugins registered at run time (owned descriptors whose factory carries data, as a
//! Python environment or a WebAssembly component would register them): every
//! guarantee of the registry holds for them as for linked ones.

use std::borrow::Cow;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::time::Duration;

use floe_registry::prelude::*;
use floe_registry::{
    AnyConfig, ConfigErrorKind, ConfigSpec, Descriptor, HookFailure, PluginDescriptor, PluginId,
    PluginInstance, PluginProvider, PluginSource, REDACTED, Timeouts,
};
use serde_json::{Value, json};

/// A linked plugin whose identity a run-time one also claims.
#[floe_plugin(type = Compute, name = "twin", version = "1.0.0")]
#[derive(Default)]
struct LinkedTwin;
impl ComputePlugin for LinkedTwin {}

/// What a run-time plugin does in its hooks.
#[derive(Clone)]
struct Script {
    /// Counts the plugins the factory built.
    built: Arc<AtomicUsize>,
    /// Where hooks record what ran (`start x`, `stop x`).
    log: Arc<Mutex<Vec<String>>>,
    /// A health check that waits here, when set.
    hang: Option<Arc<Barrier>>,
}

impl Script {
    fn new() -> Self {
        Script {
            built: Arc::default(),
            log: Arc::default(),
            hang: None,
        }
    }

    fn log(&self) -> Vec<String> {
        self.log.lock().map(|l| l.clone()).unwrap_or_default()
    }
}

/// A plugin known only at run time: its descriptor is its own copy.
struct Remote {
    descriptor: PluginDescriptor,
    script: Script,
    config: ConfigCell<Value>,
}

impl PluginMetadata for Remote {
    fn descriptor(&self) -> &PluginDescriptor {
        &self.descriptor
    }

    fn accept_config(&self, config: &AnyConfig) -> Result<(), PluginError> {
        self.config.accept(config)
    }
}

impl ComputePlugin for Remote {
    fn startup(&self) -> Result<(), PluginError> {
        self.record("start");
        Ok(())
    }

    fn shutdown(&self) -> Result<(), PluginError> {
        self.record("stop");
        Ok(())
    }

    fn health_check(&self) -> HealthStatus {
        if let Some(hang) = &self.script.hang {
            hang.wait();
        }
        HealthStatus::healthy()
    }
}

impl Remote {
    fn record(&self, hook: &str) {
        if let Ok(mut log) = self.script.log.lock() {
            log.push(format!("{hook} {}", self.descriptor.name));
        }
    }
}

/// A run-time descriptor of a compute plugin named `name`, built with `script`.
fn remote(name: &str, script: &Script) -> PluginDescriptor {
    let script = script.clone();
    PluginDescriptor::runtime(
        PluginType::Compute,
        name.to_owned(),
        "0.1.0-a.1",
        PluginSource::provided("test", "remote-plugins 0.1.0a1", format!("remote:{name}")),
        move |descriptor| {
            script.built.fetch_add(1, Ordering::SeqCst);
            Ok(PluginInstance::compute(Remote {
                descriptor: descriptor.clone(),
                script: script.clone(),
                config: ConfigCell::new(),
            }))
        },
    )
}

/// A provider offering the descriptors it was given.
struct Offer(Vec<PluginDescriptor>);

impl PluginProvider for Offer {
    fn name(&self) -> Cow<'_, str> {
        "test".into()
    }

    fn descriptors(&self) -> Result<Vec<Descriptor>, PluginError> {
        Ok(self.0.iter().cloned().map(Descriptor::from).collect())
    }
}

fn compute(name: &str) -> PluginId {
    PluginId::new(PluginType::Compute, name)
}

#[test]
fn a_provided_plugin_with_a_linked_ones_identity_is_shadowed_naming_both_origins() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let script = Script::new();
    let added = registry
        .add_provider(&Offer(vec![
            remote("twin", &script),
            remote("solo", &script),
        ]))
        .expect("the provider lists its plugins");
    assert_eq!(added, 1, "the twin is not added");
    // The linked plugin is used.
    let twin = registry
        .info(PluginType::Compute, "twin")
        .expect("the linked one");
    assert!(twin.linked, "{}", twin.source);
    assert!(registry.get(PluginType::Compute, "twin").is_ok());
    assert_eq!(
        script.built.load(Ordering::SeqCst),
        0,
        "the run-time twin is never built"
    );
    let shadowed = registry.shadowed();
    assert_eq!(shadowed.len(), 1);
    assert_eq!(
        shadowed[0].to_string(),
        "Plugin COMPUTE:twin from test package `remote-plugins 0.1.0a1` (remote:twin) is not used: crate `floe-integration-tests` (runtime::LinkedTwin) provides it first (linked plugins, then providers in the order added); remove one of them to silence this"
    );
    assert_eq!(shadowed[0].plugin(), Some(&compute("twin")));
    assert!(registry.duplicates().is_empty());
    // The other run-time plugin is unaffected, and listed with its source.
    let solo = registry.info(PluginType::Compute, "solo").expect("listed");
    assert_eq!(
        solo.source,
        "test package `remote-plugins 0.1.0a1` (remote:solo)"
    );
    assert_eq!(solo.crate_name, "remote-plugins 0.1.0a1");
    assert!(!solo.linked);
    assert!(registry.get(PluginType::Compute, "solo").is_ok());
    // Registering the identity again by hand is refused, naming both.
    let again = registry
        .register(&remote("solo", &script))
        .expect_err("taken");
    assert!(matches!(again, PluginError::Duplicate { .. }), "{again}");
    // Two plugins of one identity in one provider are a duplicate, naming both.
    let pair = Offer(vec![remote("pair", &script), remote("pair", &script)]);
    registry.add_provider(&pair).expect("listed");
    let err = registry
        .get(PluginType::Compute, "pair")
        .map(|_| ())
        .expect_err("a duplicate");
    assert!(
        err.to_string()
            .starts_with("Duplicate plugin: COMPUTE:pair"),
        "{err}"
    );
}

#[test]
fn a_run_time_plugin_is_built_once_on_first_use_even_by_racing_threads() {
    let registry = PluginRegistry::new();
    let script = Script::new();
    registry
        .register(&remote("lazy", &script))
        .expect("registers");
    assert_eq!(script.built.load(Ordering::SeqCst), 0, "nothing built yet");
    assert!(
        !registry
            .info(PluginType::Compute, "lazy")
            .expect("known")
            .is_loaded
    );
    let start = Barrier::new(8);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            scope.spawn(|| {
                start.wait();
                let plugin = registry.get_as::<dyn ComputePlugin>("lazy").expect("loads");
                assert_eq!(plugin.version(), "0.1.0-a.1");
            });
        }
    });
    assert_eq!(script.built.load(Ordering::SeqCst), 1, "built exactly once");
}

#[test]
fn a_run_time_plugin_needing_a_newer_api_is_refused_with_floes_text() {
    let registry = PluginRegistry::new();
    let script = Script::new();
    registry
        .register(&remote("future", &script).with_owned_api_version("2.0".to_owned()))
        .expect_err("checked at registration")
        .to_string()
        .eq("Plugin 'future' requires API v2.0, but platform provides v1.0")
        .then_some(())
        .expect("floe's wording");
    let provided = Offer(vec![
        remote("later", &script).with_owned_api_version("1.99"),
    ]);
    registry.add_provider(&provided).expect("listed");
    let err = registry
        .get(PluginType::Compute, "later")
        .map(|_| ())
        .expect_err("incompatible");
    assert_eq!(
        err.to_string(),
        "Plugin 'later' requires API v1.99, but platform provides v1.0"
    );
    assert!(
        !registry
            .info(PluginType::Compute, "later")
            .expect("known")
            .api_compatible
    );
    assert_eq!(script.built.load(Ordering::SeqCst), 0, "never built");
}

#[test]
fn a_factory_error_is_the_plugins_load_error() {
    let registry = PluginRegistry::new();
    let broken = PluginDescriptor::runtime(
        PluginType::Compute,
        "broken",
        "1.0.0",
        PluginSource::provided("test", "broken 1.0", "broken:Plugin"),
        |_| Err(PluginError::failed("ImportError: No module named 'broken'")),
    );
    registry.register(&broken).expect("registers");
    let err = registry
        .get(PluginType::Compute, "broken")
        .map(|_| ())
        .expect_err("the factory failed");
    assert_eq!(
        err.to_string(),
        "Plugin load failed: COMPUTE:broken - ImportError: No module named 'broken'"
    );
}

/// The schema a run-time plugin brings: a required URI, a bounded port, a secret.
fn schema() -> Value {
    json!({
        "type": "object",
        "properties": {
            "uri": {"type": "string"},
            "port": {"type": "integer", "minimum": 1, "maximum": 65535},
            "token": {"type": "string", "writeOnly": true},
        },
        "required": ["uri"],
        "additionalProperties": false,
    })
}

#[test]
fn a_run_time_plugin_brings_its_schema_and_receives_the_validated_json() {
    let registry = PluginRegistry::new();
    let script = Script::new();
    let canary = "s3cr3t-canary-value";
    registry
        .register(&remote("configured", &script).with_config_spec(ConfigSpec::json(schema())))
        .expect("registers");
    assert_eq!(
        registry
            .config_schema(PluginType::Compute, "configured")
            .expect("known"),
        Some(schema())
    );
    let err = registry
        .configure(
            PluginType::Compute,
            "configured",
            json!({"port": 0, "token": 7, "colour": canary}),
        )
        .expect_err("invalid");
    let PluginError::Configuration { id, errors } = &err else {
        panic!("not a configuration error: {err}");
    };
    assert_eq!(id, &compute("configured"));
    let found: Vec<(&str, ConfigErrorKind)> =
        errors.iter().map(|e| (e.field.as_str(), e.kind)).collect();
    for expected in [
        ("uri", ConfigErrorKind::Missing),
        ("port", ConfigErrorKind::Range),
        ("token", ConfigErrorKind::Type),
        ("colour", ConfigErrorKind::UnknownField),
    ] {
        assert!(found.contains(&expected), "{expected:?} in {found:?}");
    }
    assert!(!err.to_string().contains(canary), "{err}");

    let given = json!({"uri": "thrift://hms:9083", "port": 9083, "token": canary});
    registry
        .configure(PluginType::Compute, "configured", given.clone())
        .expect("valid");
    let plugin = registry
        .get(PluginType::Compute, "configured")
        .expect("loads");
    let PluginInstance::Compute(compute_plugin) = plugin else {
        panic!("a compute plugin");
    };
    let any: &dyn std::any::Any = compute_plugin.as_ref();
    let remote = any.downcast_ref::<Remote>().expect("the run-time plugin");
    assert_eq!(
        *remote.config.get().expect("configured"),
        given,
        "the validated JSON"
    );
    assert_eq!(
        registry
            .config::<Value>(PluginType::Compute, "configured")
            .expect("typed as JSON"),
        Some(Arc::new(given))
    );
    let shown = registry
        .config_json(PluginType::Compute, "configured")
        .expect("known")
        .expect("configured");
    assert_eq!(
        shown,
        json!({"uri": "thrift://hms:9083", "port": 9083, "token": REDACTED})
    );
}

#[test]
fn a_plugin_registered_built_receives_its_config() {
    let registry = PluginRegistry::new();
    let script = Script::new();
    let descriptor = remote("built", &script).with_config_spec(ConfigSpec::json(schema()));
    let instance = PluginInstance::compute(Remote {
        descriptor: descriptor.clone(),
        script,
        config: ConfigCell::new(),
    });
    registry.register_instance(instance).expect("registers");
    let given = json!({"uri": "thrift://hms:9083"});
    registry
        .configure(PluginType::Compute, "built", given.clone())
        .expect("valid");
    let PluginInstance::Compute(plugin) =
        registry.get(PluginType::Compute, "built").expect("there")
    else {
        panic!("a compute plugin");
    };
    let any: &dyn std::any::Any = plugin.as_ref();
    let remote = any.downcast_ref::<Remote>().expect("the plugin registered");
    assert_eq!(
        *remote.config.get().expect("connected to its config"),
        given
    );
}

#[test]
fn run_time_plugins_start_in_dependency_order_and_stop_in_reverse() {
    let registry = PluginRegistry::new();
    let script = Script::new();
    let base = remote("rt-base", &script);
    let top = remote("rt-top", &script).with_owned_dependencies(vec!["compute:rt-base".into()]);
    registry
        .add_provider(&Offer(vec![top, base]))
        .expect("listed");
    let report = registry.activate_all().expect("resolves");
    assert!(report.is_success(), "{:?}", report.failed);
    assert_eq!(report.started, [compute("rt-base"), compute("rt-top")]);
    assert_eq!(registry.started(), report.started);
    let stopped = registry.shutdown_all();
    assert_eq!(stopped.stopped, [compute("rt-top"), compute("rt-base")]);
    assert_eq!(
        script.log(),
        [
            "start rt-base",
            "start rt-top",
            "stop rt-top",
            "stop rt-base"
        ]
    );
}

#[test]
fn a_hung_run_time_health_check_is_cut_at_the_registrys_deadline() {
    let registry =
        PluginRegistry::with_timeouts(Timeouts::default().with_health(Duration::from_millis(100)));
    let release = Arc::new(Barrier::new(2));
    let mut script = Script::new();
    script.hang = Some(Arc::clone(&release));
    registry
        .register(&remote("hangs", &script))
        .expect("registers");
    registry.get(PluginType::Compute, "hangs").expect("loads");
    // The check cannot end before the test releases it: a report at all means the call
    // returned at its deadline.
    let report = registry.health_check_all();
    let status = &report[&compute("hangs")];
    assert_eq!(status.state, HealthState::Unhealthy);
    assert_eq!(status.message, "health_check() timed out after 0.1s");
    let again = registry
        .health_check(PluginType::Compute, "hangs")
        .expect("known");
    assert_eq!(
        again.message,
        HookFailure::StillRunning {
            hook: floe_registry::Hook::HealthCheck
        }
        .to_string()
    );
    release.wait();
}
