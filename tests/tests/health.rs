//! Health checks: concurrent, bounded by a timeout, never failing as a whole.

use std::time::{Duration, Instant};

use floe_integration_tests::{Act, Behaviour, FINE, events_of, probe};
use floe_registry::prelude::*;

const SLOW: Behaviour = Behaviour {
    health: Act::SleepMs(200),
    ..FINE
};
const HUNG: Behaviour = Behaviour {
    health: Act::SleepMs(1_500),
    ..FINE
};
const PANICS: Behaviour = Behaviour {
    health: Act::Panic,
    ..FINE
};
const DEGRADED: Behaviour = Behaviour {
    health: Act::Fail,
    ..FINE
};

probe!(S1, "slow-1", [], SLOW);
probe!(S2, "slow-2", [], SLOW);
probe!(S3, "slow-3", [], SLOW);
probe!(S4, "slow-4", [], SLOW);
probe!(S5, "slow-5", [], SLOW);
probe!(S6, "slow-6", [], SLOW);
probe!(S7, "slow-7", [], SLOW);
probe!(S8, "slow-8", [], SLOW);
probe!(S9, "slow-9", [], SLOW);
probe!(S10, "slow-10", [], SLOW);
probe!(S11, "slow-11", [], SLOW);

#[test]
fn eleven_slow_checks_take_the_time_of_one() {
    let registry = PluginRegistry::new();
    let all = [
        S1.descriptor(),
        S2.descriptor(),
        S3.descriptor(),
        S4.descriptor(),
        S5.descriptor(),
        S6.descriptor(),
        S7.descriptor(),
        S8.descriptor(),
        S9.descriptor(),
        S10.descriptor(),
        S11.descriptor(),
    ];
    for d in all {
        registry.register(d).expect("registers");
        registry.get(PluginType::Compute, d.name).expect("loads");
    }
    let began = Instant::now();
    let report = registry.health_check_all();
    let took = began.elapsed();
    assert_eq!(report.len(), 11);
    assert!(
        report.values().all(|s| s.state == HealthState::Healthy),
        "{report:?}"
    );
    // Sequential would be 2.2 s; concurrent is one check plus thread start-up.
    assert!(took < Duration::from_millis(1_100), "took {took:?}");
}

probe!(Hung, "hung", [], HUNG);
probe!(Panics, "panics", [], PANICS);
probe!(Degraded, "degraded", [], DEGRADED);
probe!(Fine, "fine", [], FINE);
probe!(NotLoaded, "not-loaded", [], FINE);

#[test]
fn panics_timeouts_and_degradation_are_reported_per_plugin() {
    let registry = PluginRegistry::new();
    for d in [
        Hung.descriptor(),
        Panics.descriptor(),
        Degraded.descriptor(),
        Fine.descriptor(),
        NotLoaded.descriptor(),
    ] {
        registry.register(d).expect("registers");
    }
    for name in ["hung", "panics", "degraded", "fine"] {
        registry.get(PluginType::Compute, name).expect("loads");
    }
    let began = Instant::now();
    let report = registry.health_check_all_within(Duration::from_millis(300));
    assert!(
        began.elapsed() < Duration::from_millis(400),
        "returned at the deadline"
    );
    assert_eq!(report.len(), 4, "only loaded plugins: {report:?}");
    let hung = &report["COMPUTE:hung"];
    assert_eq!(
        (hung.state, hung.message.as_str()),
        (
            HealthState::Unhealthy,
            "health_check() timed out after 0.3s"
        )
    );
    assert_eq!(hung.details["exception_type"], "timeout");
    let panics = &report["COMPUTE:panics"];
    assert_eq!(panics.state, HealthState::Unhealthy);
    assert_eq!(
        panics.message,
        "health_check() panicked: panics panicked in health_check"
    );
    let degraded = &report["COMPUTE:degraded"];
    assert_eq!(
        (degraded.state, degraded.message.as_str()),
        (HealthState::Degraded, "degraded is slow")
    );
    assert_eq!(report["COMPUTE:fine"].state, HealthState::Healthy);

    // The hung check is still running: it is reported, not started again.
    let again = registry.health_check_all_within(Duration::from_millis(300));
    assert_eq!(
        again["COMPUTE:hung"].message,
        "health_check() is still running from an earlier call; not called again"
    );
    assert_eq!(events_of(&["hung"]).len(), 1, "one hung check, not two");
}

#[test]
fn nothing_loaded_gives_an_empty_report() {
    let registry = PluginRegistry::new();
    registry
        .register(NotLoaded.descriptor())
        .expect("registers");
    assert!(registry.health_check_all().is_empty());
}

#[test]
fn one_plugin_can_be_checked_alone() {
    let registry = PluginRegistry::new();
    registry.register(Degraded.descriptor()).expect("registers");
    let status = registry
        .health_check(PluginType::Compute, "degraded", Duration::from_secs(1))
        .expect("known plugin");
    assert_eq!(status.state, HealthState::Degraded);
}
