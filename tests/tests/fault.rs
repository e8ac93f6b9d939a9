//! The fault suite: arbitrary input never panics and every failure is a structured
//! error; a stress run under two threads; a soak of hung health checks.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use floe_registry::prelude::*;
use floe_registry::{
    ApiVersion, PluginDescriptor, PluginInstance, check_name, check_semver, plugin_source,
};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)] // read by serde and the schema only
struct Conf {
    #[schemars(range(min = 1, max = 64))]
    threads: u32,
    #[schemars(regex(pattern = r"^[a-z]+$"))]
    name: String,
    nested: Nested,
    list: Vec<Nested>,
    secret: Option<Secret>,
    #[serde(default)]
    mode: Option<Mode>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[allow(dead_code)]
struct Nested {
    #[schemars(length(min = 1, max = 5))]
    a: String,
    b: Option<f64>,
}

#[derive(Debug, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Mode {
    Fast,
    Safe,
}

#[floe_plugin(type = Compute, name = "fuzzed", version = "1.0.0", config = Conf)]
#[derive(Default)]
struct Fuzzed;
impl ComputePlugin for Fuzzed {}

fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(|n| json!(n)),
        any::<f64>()
            .prop_filter("finite", |f| f.is_finite())
            .prop_map(|f| json!(f)),
        ".{0,12}".prop_map(Value::String),
        prop_oneof![Just("threads"), Just("name"), Just("nested"), Just("a")]
            .prop_map(|s| json!(s)),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..6).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("threads".to_owned()),
                    Just("name".to_owned()),
                    Just("nested".to_owned()),
                    Just("list".to_owned()),
                    Just("secret".to_owned()),
                    Just("mode".to_owned()),
                    Just("a".to_owned()),
                    Just("b".to_owned()),
                    "[a-z]{1,6}",
                ],
                inner,
                0..7
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

    #[test]
    fn configure_never_panics_and_fails_with_fields(config in json_value()) {
        let registry = PluginRegistry::new();
        registry.register(Fuzzed.descriptor()).expect("registers");
        match registry.configure(PluginType::Compute, "fuzzed", config) {
            Ok(()) => {}
            Err(PluginError::Configuration { errors, .. }) => {
                prop_assert!(!errors.is_empty(), "a failure lists at least one problem");
                for e in errors {
                    prop_assert!(!e.message.is_empty());
                }
            }
            Err(other) => prop_assert!(false, "unexpected error kind: {other}"),
        }
    }

    #[test]
    fn rule_parsers_never_panic(s in "\\PC{0,80}") {
        let _ = check_name(&s);
        let _ = check_semver(&s);
        let _ = s.parse::<ApiVersion>();
        if let Err(e) = s.parse::<PluginType>() {
            prop_assert!(e.to_string().contains("valid types"));
        }
    }

    #[test]
    fn api_versions_round_trip(major in 0u32..1000, minor in 0u32..1000) {
        let text = format!("{major}.{minor}");
        prop_assert_eq!(text.parse::<ApiVersion>().map(|v| v.to_string()), Ok(text));
    }
}

static BUILT: AtomicUsize = AtomicUsize::new(0);

/// A counted plugin: `Counted<0>` is `stress-a`, `Counted<1>` is `stress-b`, each
/// reporting its own descriptor.
#[derive(Default)]
struct Counted<const I: usize>;
impl<const I: usize> PluginMetadata for Counted<I> {
    fn descriptor(&self) -> &'static PluginDescriptor {
        &STRESS[I]
    }
}
impl<const I: usize> ComputePlugin for Counted<I> {}

fn counted<const I: usize>() -> PluginInstance {
    BUILT.fetch_add(1, Ordering::SeqCst);
    PluginInstance::compute(Counted::<I>)
}

static STRESS: [PluginDescriptor; 2] = [
    PluginDescriptor::new(
        PluginType::Compute,
        "stress-a",
        "1.0.0",
        plugin_source!(Counted),
        counted::<0>,
    )
    .with_config::<Nested>(),
    PluginDescriptor::new(
        PluginType::Compute,
        "stress-b",
        "1.0.0",
        plugin_source!(Counted),
        counted::<1>,
    )
    .with_config::<Nested>(),
];

#[test]
fn two_threads_of_mixed_calls_construct_each_plugin_once() {
    const OPS: usize = 100_000;
    let registry = Arc::new(PluginRegistry::new());
    registry.discover_from(STRESS.iter());
    let workers: Vec<_> = (0..2)
        .map(|t| {
            let registry = Arc::clone(&registry);
            std::thread::spawn(move || {
                let mut failures = 0usize;
                for i in 0..OPS {
                    let name = if (i + t) % 2 == 0 {
                        "stress-a"
                    } else {
                        "stress-b"
                    };
                    let ok = match i % 10 {
                        0 => registry
                            .configure(PluginType::Compute, name, json!({"a": "x", "b": i as f64}))
                            .is_ok(),
                        1 => registry
                            .configure(PluginType::Compute, name, json!({"a": ""}))
                            .is_err(),
                        2 => registry.info(PluginType::Compute, name).is_ok(),
                        // Loaded plugins are checked; a check the other thread is running
                        // at the same moment is reported as such, not run twice.
                        3 if i % 1_000 == 3 => {
                            let report = registry.health_check_all();
                            report.values().all(|s| {
                                s.state == HealthState::Healthy
                                    || s.message.contains("still running")
                            })
                        }
                        _ => registry.get(PluginType::Compute, name).is_ok(),
                    };
                    failures += usize::from(!ok);
                }
                failures
            })
        })
        .collect();
    for w in workers {
        assert_eq!(w.join().expect("no panic"), 0, "every call behaved");
    }
    assert_eq!(
        BUILT.load(Ordering::SeqCst),
        2,
        "each plugin constructed exactly once"
    );
}

#[floe_plugin(type = Identity, name = "stuck", version = "1.0.0")]
#[derive(Default)]
struct Stuck;
impl IdentityPlugin for Stuck {
    fn health_check(&self) -> HealthStatus {
        std::thread::sleep(Duration::from_secs(3));
        HealthStatus::healthy()
    }
}

fn threads_of_this_process() -> usize {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("Threads:"))
                .map(str::to_owned)
        })
        .and_then(|l| l.split_whitespace().nth(1).and_then(|n| n.parse().ok()))
        .unwrap_or(0)
}

#[test]
fn a_thousand_checks_of_a_hung_plugin_leave_one_stuck_thread() {
    let registry = PluginRegistry::with_timeouts(
        floe_registry::Timeouts::default().with_health(Duration::from_millis(1)),
    );
    registry.register(Stuck.descriptor()).expect("registers");
    registry.get(PluginType::Identity, "stuck").expect("loads");
    let before = threads_of_this_process();
    let mut still_running = 0;
    for _ in 0..1_000 {
        let report = registry.health_check_all();
        let status = &report[&floe_registry::PluginId::new(PluginType::Identity, "stuck")];
        assert_eq!(status.state, HealthState::Unhealthy);
        still_running += usize::from(status.message.contains("still running"));
    }
    let after = threads_of_this_process();
    assert!(
        still_running >= 999,
        "the hung check is reported, not restarted ({still_running})"
    );
    // Other tests of this binary run threads too; the soak adds at most its one hung check (plus pool threads of concurrent tests).
    assert!(after <= before + 8, "threads grew from {before} to {after}");
}
