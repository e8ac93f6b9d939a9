//! Python plugins that misbehave, each in an environment of its own with plugins the
//! test writes: every fault gets a clear error, the other plugins (and the linked
//! ones) keep working, and the worker is replaced when it hangs or dies.

mod support;

use std::path::PathBuf;
use std::time::Duration;

use floe_python::{PythonEnvironment, python_plugin};
use floe_registry::prelude::*;
use floe_registry::{PluginId, REDACTED, Timeouts};
use serde_json::{Map, Value, json};

/// A linked plugin whose identity a Python plugin also claims.
#[floe_plugin(type = Compute, name = "twin", version = "1.0.0")]
#[derive(Default)]
struct LinkedTwin;
impl ComputePlugin for LinkedTwin {}

/// The fault plugins: one class a fault.
const FAULTS: &str = r#"
import ctypes, logging, os, sys, time
from pydantic import BaseModel, ConfigDict, Field, SecretStr
from floe_core.plugin_metadata import HealthState, HealthStatus, PluginMetadata

print("printed while importing floe_faults")

class Base(PluginMetadata):
    NAME, VERSION, API = "base", "1.0.0", "1.0"
    @property
    def name(self): return self.NAME
    @property
    def version(self): return self.VERSION
    @property
    def floe_api_version(self): return self.API
    @property
    def description(self): return f"{self.NAME}: a plugin that misbehaves on purpose"
    def health_check(self): return HealthStatus(state=HealthState.HEALTHY, message=f"{self.NAME} is fine")
    def startup(self): self.started = True
    def shutdown(self): self.started = False
    def is_started(self): return getattr(self, "started", False)
    def pid(self): return os.getpid()

class Echo(Base):
    NAME = "echo"
    def echo(self, value): return value
    def live(self): return object()

class Chatty(Base):
    NAME = "chatty"
    def __init__(self):
        super().__init__()
        print('{"id": 1, "ok": "a print that looks like an answer"}')
        sys.stdout.write("more noise\n")
        logging.getLogger("chatty").warning("a log line")
    def health_check(self):
        print("noise in health_check")
        os.write(1, b"noise on file descriptor 1\n")
        return super().health_check()

class Hangs(Base):
    NAME = "hangs"
    def health_check(self):
        time.sleep(3600)

class Exits(Base):
    NAME = "exits"
    def startup(self):
        sys.stderr.write("exits: leaving now\n")
        sys.stderr.flush()
        os._exit(3)

class Segfaults(Base):
    NAME = "segfaults"
    def startup(self):
        ctypes.string_at(0)

class Future(Base):
    NAME, API = "future", "2.0"

class Twin(Base):
    NAME = "twin"

class VaultConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    url: str
    token: SecretStr
    port: int = Field(default=8200, gt=0)

class Vault(Base):
    NAME = "vault"
    def get_config_schema(self): return VaultConfig
    def token_length(self): return len(self._config.token.get_secret_value()) if self._config else None
"#;

const ENTRY_POINTS: &str = "\
[floe.computes]
echo = floe_faults:Echo
chatty = floe_faults:Chatty
hangs = floe_faults:Hangs
exits = floe_faults:Exits
segfaults = floe_faults:Segfaults
future = floe_faults:Future
twin = floe_faults:Twin
broken = floe_broken:Broken

[floe.secrets]
vault = floe_faults:Vault
";

/// An environment with the fault plugins (and floe-core, unless `with_floe` is off),
/// in a folder kept as long as the returned guard.
fn faults_env(with_floe: bool) -> (tempfile::TempDir, PathBuf) {
    support::published();
    let dir = tempfile::tempdir().expect("a temp dir");
    let root = support::bare_venv(dir.path(), with_floe);
    support::install(
        &root,
        "floe-faults",
        "0.0.1",
        "floe_faults",
        FAULTS,
        ENTRY_POINTS,
    );
    support::install(
        &root,
        "floe-broken",
        "0.0.1",
        "floe_broken",
        "import not_a_module_at_all\n",
        "",
    );
    (dir, root)
}

/// A registry of the linked plugins and those of `root`, both with `timeouts`.
fn registry(root: &PathBuf, timeouts: Timeouts) -> (PluginRegistry, PythonEnvironment) {
    let registry = PluginRegistry::with_timeouts(timeouts);
    registry.discover_all();
    let python = PythonEnvironment::open(root)
        .expect("an environment")
        .with_timeouts(timeouts)
        .with_cache_dir(support::private_cache());
    registry.add_provider(&python).expect("listed");
    (registry, python)
}

fn compute(name: &str) -> PluginId {
    PluginId::new(PluginType::Compute, name)
}

fn call(
    registry: &PluginRegistry,
    name: &str,
    method: &str,
    args: Vec<Value>,
) -> Result<Value, PluginError> {
    let plugin = registry.get(PluginType::Compute, name)?;
    python_plugin(plugin)
        .expect("a Python plugin")
        .call(method, args, Map::new())
}

#[test]
fn a_path_that_is_no_python_environment_says_what_was_expected() {
    let err = PythonEnvironment::open("/no/such/venv").expect_err("nothing there");
    assert_eq!(
        err.to_string(),
        "no Python environment at /no/such/venv: give a virtual environment's folder (with pyvenv.cfg) or a Python interpreter"
    );
}

#[test]
fn an_environment_without_floe_core_says_so_on_first_use() {
    let (_dir, root) = faults_env(false);
    let (registry, _python) = registry(&root, Timeouts::default());
    let err = registry
        .get(PluginType::Compute, "echo")
        .map(|_| ())
        .expect_err("floe-core is missing");
    let text = err.to_string();
    assert!(
        text.starts_with("Plugin load failed: COMPUTE:echo - "),
        "{text}"
    );
    assert!(text.contains("floe-core"), "{text}");
    // The linked plugins are unaffected.
    assert!(
        registry.get(PluginType::Compute, "twin").is_ok(),
        "the linked twin works"
    );
    assert!(registry.list_all()[&PluginType::Compute].contains(&"echo"));
}

#[test]
fn a_plugin_that_fails_to_import_gives_its_last_traceback_line_and_spares_the_others() {
    let (_dir, root) = faults_env(true);
    let (registry, _python) = registry(&root, Timeouts::default());
    let err = registry
        .get(PluginType::Compute, "broken")
        .map(|_| ())
        .expect_err("cannot import");
    assert_eq!(
        err.to_string(),
        "Plugin load failed: COMPUTE:broken - ModuleNotFoundError: No module named 'not_a_module_at_all'"
    );
    assert_eq!(
        call(&registry, "echo", "echo", vec![json!(7)]).expect("echo"),
        json!(7)
    );
}

#[test]
fn a_plugin_that_prints_or_logs_does_not_break_the_protocol() {
    let (_dir, root) = faults_env(true);
    let (registry, _python) = registry(&root, Timeouts::default());
    let status = registry
        .health_check(PluginType::Compute, "chatty")
        .expect("loads");
    assert_eq!(
        (status.state, status.message.as_str()),
        (HealthState::Healthy, "chatty is fine")
    );
    assert_eq!(
        call(&registry, "echo", "echo", vec![json!({"a": [1, 2]})]).expect("echo"),
        json!({"a": [1, 2]})
    );
}

#[test]
fn a_hung_plugin_is_cut_at_the_deadline_and_the_worker_replaced_on_next_use() {
    let (_dir, root) = faults_env(true);
    let timeouts = Timeouts::default().with_health(Duration::from_millis(500));
    let (registry, python) = registry(&root, timeouts);
    registry.get(PluginType::Compute, "hangs").expect("loads");
    let starts = python.worker_starts();
    let status = registry
        .health_check(PluginType::Compute, "hangs")
        .expect("known");
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(status.message.contains("timed out"), "{}", status.message);
    let fine = registry
        .health_check(PluginType::Compute, "echo")
        .expect("loads again");
    assert_eq!(fine.message, "echo is fine");
    assert!(python.worker_starts() > starts, "a new worker took over");
}

#[test]
fn a_worker_that_exits_or_crashes_fails_that_call_and_the_next_call_starts_a_new_one() {
    let (_dir, root) = faults_env(true);
    let (registry, python) = registry(&root, Timeouts::default());
    for (name, how) in [("exits", "exit status: 3"), ("segfaults", "signal: 11")] {
        let starts = python.worker_starts();
        let err = registry
            .activate(PluginType::Compute, name)
            .expect_err("the worker dies in startup()");
        let text = err.to_string();
        assert!(
            text.contains("the Python worker ended during startup"),
            "{text}"
        );
        assert!(text.contains(how), "{text}");
        if name == "exits" {
            assert!(
                text.contains("exits: leaving now"),
                "its last words: {text}"
            );
        }
        assert_eq!(
            call(&registry, "echo", "echo", vec![json!(name)]).expect("echo"),
            json!(name)
        );
        assert!(python.worker_starts() > starts);
    }
}

#[test]
fn a_method_returning_a_live_object_is_an_error_naming_it() {
    let (_dir, root) = faults_env(true);
    let (registry, _python) = registry(&root, Timeouts::default());
    let err = call(&registry, "echo", "live", vec![]).expect_err("not JSON");
    let text = err.to_string();
    assert!(
        text.contains("live") && text.contains("object") && text.contains("JSON cannot hold"),
        "{text}"
    );
    assert_eq!(
        call(&registry, "echo", "echo", vec![json!(1)]).expect("echo"),
        json!(1)
    );
}

#[test]
fn a_new_worker_gets_the_config_and_the_startup_of_the_one_that_died() {
    let (_dir, root) = faults_env(true);
    let (registry, python) = registry(&root, Timeouts::default());
    let t = PluginType::Secrets;
    registry
        .configure(t, "vault", json!({"url": "u", "token": "s3cret"}))
        .expect("valid");
    registry.activate(t, "vault").expect("starts");
    let vault = python_plugin(registry.get(t, "vault").expect("loads")).expect("Python");
    let before = vault.call("pid", vec![], Map::new()).expect("pid");
    // A check that only validates does not configure the running plugin.
    registry
        .validate_config(
            t,
            "vault",
            json!({"url": "u", "token": "other-token-value"}),
        )
        .expect("valid");
    assert_eq!(
        vault
            .call("token_length", vec![], Map::new())
            .expect("call"),
        json!(6)
    );
    assert_eq!(
        vault.call("pid", vec![], Map::new()).expect("pid"),
        before,
        "the same worker"
    );
    // Another plugin kills the worker.
    registry
        .activate(PluginType::Compute, "exits")
        .expect_err("the worker dies");
    let starts = python.worker_starts();
    assert_eq!(
        vault.call("is_started", vec![], Map::new()).expect("call"),
        json!(true)
    );
    assert_eq!(
        vault
            .call("token_length", vec![], Map::new())
            .expect("call"),
        json!(6)
    );
    assert_ne!(
        vault.call("pid", vec![], Map::new()).expect("pid"),
        before,
        "a new worker"
    );
    assert!(python.worker_starts() >= starts);
}

#[test]
fn a_plugin_needing_a_newer_api_is_refused_with_floes_text() {
    let (_dir, root) = faults_env(true);
    let (registry, _python) = registry(&root, Timeouts::default());
    let err = registry
        .get(PluginType::Compute, "future")
        .map(|_| ())
        .expect_err("API 2.0");
    assert_eq!(
        err.to_string(),
        "Plugin 'future' requires API v2.0, but platform provides v1.0"
    );
    assert!(
        !registry
            .info(PluginType::Compute, "future")
            .expect("listed")
            .api_compatible
    );
}

#[test]
fn a_python_plugin_with_a_linked_ones_identity_leaves_the_linked_one_in_use() {
    let (_dir, root) = faults_env(true);
    let (registry, _python) = registry(&root, Timeouts::default());
    let twin = registry
        .info(PluginType::Compute, "twin")
        .expect("the linked one");
    assert!(twin.linked, "{}", twin.source);
    let shadowed = registry.shadowed();
    assert_eq!(shadowed.len(), 1);
    let text = shadowed[0].to_string();
    assert!(
        text.starts_with("Plugin COMPUTE:twin from python package `floe-faults 0.0.1` (floe_faults:Twin) is not used: crate `floe-python` (faults::LinkedTwin) provides it first"),
        "{text}"
    );
    assert_eq!(shadowed[0].plugin(), Some(&compute("twin")));
}

#[test]
fn many_threads_calling_python_plugins_get_their_own_answers() {
    let (_dir, root) = faults_env(true);
    let (registry, _python) = registry(&root, Timeouts::default());
    std::thread::scope(|scope| {
        for thread in 0..8 {
            let registry = &registry;
            scope.spawn(move || {
                for round in 0..25 {
                    let sent = json!({"thread": thread, "round": round});
                    let got = call(registry, "echo", "echo", vec![sent.clone()]).expect("echo");
                    assert_eq!(got, sent);
                }
            });
        }
    });
}

/// Everything the tracing subscriber writes, for the canary.
#[derive(Clone, Default)]
struct Captured(std::sync::Arc<std::sync::Mutex<Vec<u8>>>);

impl std::io::Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        if let Ok(mut all) = self.0.lock() {
            all.extend_from_slice(buf);
        }
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn secrets_never_show_in_errors_logs_or_the_stored_config() {
    let logs = Captured::default();
    let sink = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || sink.clone())
        .finish();
    tracing::subscriber::with_default(subscriber, secrets_never_show);
    let text =
        String::from_utf8_lossy(&logs.0.lock().map(|l| l.clone()).unwrap_or_default()).into_owned();
    assert!(
        text.contains("plugin_configured"),
        "the logs were captured: {text}"
    );
    assert!(!text.contains(CANARY), "{text}");
}

const CANARY: &str = "canary-7f3e9b1d";

fn secrets_never_show() {
    let (_dir, root) = faults_env(true);
    let (registry, _python) = registry(&root, Timeouts::default());
    let t = PluginType::Secrets;
    let schema = registry
        .config_schema(t, "vault")
        .expect("known")
        .expect("a model");
    assert_eq!(schema["properties"]["token"]["writeOnly"], true, "{schema}");
    for bad in [
        json!({"url": CANARY, "token": 12345, "port": 0}),
        json!({"url": "u", "token": CANARY, "extra": CANARY}),
        json!({"token": [CANARY]}),
    ] {
        let err = registry.configure(t, "vault", bad).expect_err("invalid");
        let text = format!("{err} {err:?}");
        assert!(!text.contains(CANARY), "{text}");
    }
    let err = registry
        .configure(
            t,
            "vault",
            json!({"url": "u", "token": CANARY, "port": "0"}),
        )
        .expect_err("port must be > 0");
    let PluginError::Configuration { errors, .. } = &err else {
        panic!("{err}");
    };
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, "port");
    assert_eq!(errors[0].message, "Input should be greater than 0");
    registry
        .configure(
            t,
            "vault",
            json!({"url": "u", "token": CANARY, "port": "8201"}),
        )
        .expect("pydantic's lax mode accepts \"8201\"");
    let shown = registry
        .config_json(t, "vault")
        .expect("known")
        .expect("configured");
    assert_eq!(
        shown,
        json!({"url": "u", "token": REDACTED, "port": "8201"})
    );
    let vault = registry.get(t, "vault").expect("loads");
    let length = python_plugin(vault)
        .expect("a Python plugin")
        .call("token_length", vec![], Map::new())
        .expect("the plugin got its config");
    assert_eq!(length, json!(CANARY.len()));
}
