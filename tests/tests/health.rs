//! Health checks: concurrent, bounded by a timeout, never failing as a whole.

use std::sync::Barrier;
use std::time::Duration;

use floe_integration_tests::{Act, Behaviour, FINE, events_of, probe};
use floe_registry::PluginId;
use floe_registry::prelude::*;

/// The identity of a compute probe, as health reports are keyed.
fn id(name: &str) -> PluginId {
    PluginId::new(PluginType::Compute, name)
}

/// Where the eleven concurrent checks meet: none of them ends until all eleven run.
static ELEVEN: Barrier = Barrier::new(11);
const MEETS_TEN_OTHERS: Behaviour = Behaviour {
    health: Act::Meet(&ELEVEN),
    ..FINE
};
/// Released by the test itself once it has its report: until then the check hangs.
static RELEASE_HUNG: Barrier = Barrier::new(2);
const HUNG: Behaviour = Behaviour {
    health: Act::Meet(&RELEASE_HUNG),
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

probe!(S1, "slow-1", [], MEETS_TEN_OTHERS);
probe!(S2, "slow-2", [], MEETS_TEN_OTHERS);
probe!(S3, "slow-3", [], MEETS_TEN_OTHERS);
probe!(S4, "slow-4", [], MEETS_TEN_OTHERS);
probe!(S5, "slow-5", [], MEETS_TEN_OTHERS);
probe!(S6, "slow-6", [], MEETS_TEN_OTHERS);
probe!(S7, "slow-7", [], MEETS_TEN_OTHERS);
probe!(S8, "slow-8", [], MEETS_TEN_OTHERS);
probe!(S9, "slow-9", [], MEETS_TEN_OTHERS);
probe!(S10, "slow-10", [], MEETS_TEN_OTHERS);
probe!(S11, "slow-11", [], MEETS_TEN_OTHERS);

#[test]
fn eleven_slow_checks_take_the_time_of_one() {
    // The timeout is only reached when the checks do not run together, so it may be
    // generous.
    let registry = within(Duration::from_secs(60));
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
        registry.get(PluginType::Compute, &d.name).expect("loads");
    }
    // Each check waits until all eleven have started: run one after another, the
    // first would wait out its timeout and be unhealthy.
    let report = registry.health_check_all();
    assert_eq!(report.len(), 11);
    assert!(
        report.values().all(|s| s.state == HealthState::Healthy),
        "all eleven ran at the same time: {report:?}"
    );
}

probe!(Hung, "hung", [], HUNG);
probe!(Panics, "panics", [], PANICS);
probe!(Degraded, "degraded", [], DEGRADED);
probe!(Fine, "fine", [], FINE);
probe!(NotLoaded, "not-loaded", [], FINE);

#[test]
fn panics_timeouts_and_degradation_are_reported_per_plugin() {
    let registry = within(Duration::from_secs(3));
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
    // The hung check cannot end before the test releases it (below): getting a
    // report at all means the call returned at its deadline. The deadline applies to
    // every check, so it is generous: on a loaded machine the panicking check must
    // still be reported as a panic, not as a timeout.
    let report = registry.health_check_all();
    assert_eq!(report.len(), 4, "only loaded plugins: {report:?}");
    let hung = &report[&id("hung")];
    assert_eq!(
        (hung.state, hung.message.as_str()),
        (HealthState::Unhealthy, "health_check() timed out after 3s")
    );
    assert_eq!(hung.details["exception_type"], "timeout");
    let panics = &report[&id("panics")];
    assert_eq!(panics.state, HealthState::Unhealthy);
    assert_eq!(
        panics.message,
        "health_check() panicked: panics panicked in health_check"
    );
    let degraded = &report[&id("degraded")];
    assert_eq!(
        (degraded.state, degraded.message.as_str()),
        (HealthState::Degraded, "degraded is slow")
    );
    assert_eq!(report[&id("fine")].state, HealthState::Healthy);

    // The hung check is still running: it is reported, not started again.
    let again = registry.health_check_all();
    assert_eq!(
        again[&id("hung")].message,
        "health_check() is still running from an earlier call; not called again"
    );
    assert_eq!(events_of(&["hung"]).len(), 1, "one hung check, not two");
    RELEASE_HUNG.wait();
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
    let registry = within(Duration::from_secs(1));
    registry.register(Degraded.descriptor()).expect("registers");
    let status = registry
        .health_check(PluginType::Compute, "degraded")
        .expect("known plugin");
    assert_eq!(status.state, HealthState::Degraded);
}

#[test]
fn a_timeout_too_long_to_represent_is_no_panic() {
    let registry = within(Duration::MAX);
    registry.register(Fine.descriptor()).expect("registers");
    let status = registry
        .health_check(PluginType::Compute, "fine")
        .expect("known plugin");
    assert_eq!(status.state, HealthState::Healthy);
    let report = registry.health_check_all();
    assert_eq!(report[&id("fine")].state, HealthState::Healthy);
}

/// A registry whose health checks get `timeout`.
fn within(timeout: Duration) -> PluginRegistry {
    PluginRegistry::with_timeouts(floe_registry::Timeouts::default().with_health(timeout))
}
