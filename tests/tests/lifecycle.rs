//! Dependency order, startup, shutdown and lifecycle timeouts.

use std::sync::Barrier;
use std::time::Duration;

use floe_integration_tests::{Act, Behaviour, FINE, events_of, probe};
use floe_registry::prelude::*;
use floe_registry::{HookFailure, PluginId};

fn ids(names: &[&str]) -> Vec<PluginId> {
    names
        .iter()
        .map(|n| PluginId::new(PluginType::Compute, *n))
        .collect()
}

fn names(order: &[PluginId]) -> Vec<&str> {
    order.iter().map(|id| &*id.name).collect()
}

fn registry_of(descriptors: &[&'static floe_registry::PluginDescriptor]) -> PluginRegistry {
    let registry = PluginRegistry::new();
    for d in descriptors {
        registry.register(d).expect("registers");
    }
    registry
}

/// Released by the test once `activate` has returned: until then the
/// startup hangs.
static RELEASE_SLEEPY: Barrier = Barrier::new(2);
const SLOW_START: Behaviour = Behaviour {
    start: Act::Meet(&RELEASE_SLEEPY),
    ..FINE
};
const FAIL_START: Behaviour = Behaviour {
    start: Act::Fail,
    ..FINE
};
const PANIC_START: Behaviour = Behaviour {
    start: Act::Panic,
    ..FINE
};
const PANIC_STOP: Behaviour = Behaviour {
    stop: Act::Panic,
    ..FINE
};

probe!(ChainA, "chain-a", ["chain-b"], FINE);
probe!(ChainB, "chain-b", ["chain-c"], FINE);
probe!(ChainC, "chain-c", [], FINE);

#[test]
fn a_chain_starts_from_its_end() {
    let registry = registry_of(&[
        ChainA.descriptor(),
        ChainB.descriptor(),
        ChainC.descriptor(),
    ]);
    let order = registry
        .resolve_dependencies(&ids(&["chain-a", "chain-b", "chain-c"]))
        .expect("no cycle");
    assert_eq!(names(&order), ["chain-c", "chain-b", "chain-a"]);
}

probe!(DiaTop, "dia-top", ["dia-left", "dia-right"], FINE);
probe!(DiaLeft, "dia-left", ["dia-base"], FINE);
probe!(DiaRight, "dia-right", ["dia-base"], FINE);
probe!(DiaBase, "dia-base", [], FINE);

#[test]
fn a_diamond_starts_its_base_once_and_breaks_ties_by_name() {
    let registry = registry_of(&[
        DiaTop.descriptor(),
        DiaLeft.descriptor(),
        DiaRight.descriptor(),
        DiaBase.descriptor(),
    ]);
    let order = registry
        .resolve_dependencies(&ids(&["dia-top", "dia-right", "dia-left", "dia-base"]))
        .expect("no cycle");
    assert_eq!(
        names(&order),
        ["dia-base", "dia-left", "dia-right", "dia-top"]
    );
}

probe!(SelfLoop, "self-loop", ["self-loop"], FINE);

#[test]
fn a_self_dependency_is_a_cycle_of_one() {
    let registry = registry_of(&[SelfLoop.descriptor()]);
    let err = registry
        .resolve_dependencies(&ids(&["self-loop"]))
        .expect_err("cycle");
    assert_eq!(
        err.to_string(),
        "Circular dependency: self-loop -> self-loop"
    );
}

probe!(CycA, "cyc-a", ["cyc-b"], FINE);
probe!(CycB, "cyc-b", ["cyc-c"], FINE);
probe!(CycC, "cyc-c", ["cyc-a"], FINE);
probe!(Loner, "aaa-loner", [], FINE);
probe!(Leaf, "zzz-leaf", ["aaa-loner"], FINE);

#[test]
fn a_three_cycle_is_reported_alone_beside_independent_plugins() {
    let registry = registry_of(&[
        CycA.descriptor(),
        CycB.descriptor(),
        CycC.descriptor(),
        Loner.descriptor(),
        Leaf.descriptor(),
    ]);
    let err = registry
        .resolve_dependencies(&ids(&["zzz-leaf", "cyc-c", "aaa-loner", "cyc-b", "cyc-a"]))
        .expect_err("cycle");
    let PluginError::CircularDependency { cycle } = err else {
        panic!("expected a cycle")
    };
    assert_eq!(cycle, ["cyc-a", "cyc-b", "cyc-c", "cyc-a"]);
}

probe!(Needy, "needy", ["gone", "g2"], FINE);
probe!(Cyc2A, "cyc2-a", ["cyc2-b"], FINE);
probe!(Cyc2B, "cyc2-b", ["cyc2-a"], FINE);

#[test]
fn missing_dependencies_are_reported_before_cycles_in_declared_order() {
    let registry = registry_of(&[Needy.descriptor(), Cyc2A.descriptor(), Cyc2B.descriptor()]);
    let err = registry
        .resolve_dependencies(&ids(&["cyc2-a", "cyc2-b", "needy"]))
        .expect_err("missing");
    assert_eq!(
        err.to_string(),
        "Plugin 'needy' has missing dependencies: gone, g2"
    );
}

#[test]
fn resolution_is_the_same_whatever_the_selection_order() {
    let registry = registry_of(&[
        DiaTop.descriptor(),
        DiaLeft.descriptor(),
        DiaRight.descriptor(),
        DiaBase.descriptor(),
    ]);
    let a = registry
        .resolve_dependencies(&ids(&["dia-top", "dia-right", "dia-left", "dia-base"]))
        .expect("ok");
    let b = registry
        .resolve_dependencies(&ids(&["dia-base", "dia-left", "dia-top", "dia-right"]))
        .expect("ok");
    assert_eq!(a, b);
}

probe!(RevA, "rev-a", [], FINE);
probe!(RevB, "rev-b", ["rev-a"], FINE);
probe!(RevC, "rev-c", ["rev-b"], FINE);
probe!(RevD, "rev-d", ["rev-a"], FINE);

#[test]
fn shutdown_runs_in_exact_reverse_start_order() {
    let registry = registry_of(&[
        RevA.descriptor(),
        RevB.descriptor(),
        RevC.descriptor(),
        RevD.descriptor(),
    ]);
    let report = registry.activate_all().expect("resolves");
    assert!(report.is_success(), "{:?}", report.failed);
    let started = names(&report.started).join(",");
    assert_eq!(started, "rev-a,rev-b,rev-c,rev-d");
    let stopped = registry.shutdown_all();
    assert_eq!(names(&stopped.stopped).join(","), "rev-d,rev-c,rev-b,rev-a");
    assert!(
        registry.started().is_empty(),
        "nothing counts as started after shutdown_all"
    );
    let events = events_of(&["rev-a", "rev-b", "rev-c", "rev-d"]);
    assert_eq!(
        events,
        [
            "start rev-a",
            "start rev-b",
            "start rev-c",
            "start rev-d",
            "stop rev-d",
            "stop rev-c",
            "stop rev-b",
            "stop rev-a"
        ]
    );
}

probe!(BadBase, "bad-base", [], FAIL_START);
probe!(BadMid, "bad-mid", ["bad-base"], FINE);
probe!(BadTop, "bad-top", ["bad-mid"], FINE);
probe!(BadAside, "bad-aside", [], FINE);

#[test]
fn dependents_of_a_failed_plugin_are_not_started_and_say_why() {
    let registry = registry_of(&[
        BadBase.descriptor(),
        BadMid.descriptor(),
        BadTop.descriptor(),
        BadAside.descriptor(),
    ]);
    let report = registry.activate_all().expect("resolves");
    assert_eq!(names(&report.started), ["bad-aside"]);
    let failed: Vec<(String, String)> = report
        .failed
        .iter()
        .map(|(id, e)| (id.name.to_string(), e.to_string()))
        .collect();
    assert_eq!(
        failed,
        [
            ("bad-base".to_owned(), "Plugin startup failed: COMPUTE:bad-base - startup() raised exception: bad-base refused to start".to_owned()),
            ("bad-mid".to_owned(), "Plugin startup failed: COMPUTE:bad-mid - dependency 'bad-base' failed to start".to_owned()),
            ("bad-top".to_owned(), "Plugin startup failed: COMPUTE:bad-top - dependency 'bad-mid' failed to start".to_owned()),
        ]
    );
    assert!(
        !events_of(&["bad-mid", "bad-top"])
            .iter()
            .any(|e| e.starts_with("start")),
        "dependents never started"
    );
}

probe!(Sleepy, "sleepy", [], SLOW_START);

#[test]
fn a_hung_startup_returns_at_the_deadline() {
    let timeout = Duration::from_millis(200);
    let registry =
        PluginRegistry::with_timeouts(floe_registry::Timeouts::default().with_lifecycle(timeout));
    registry.register(Sleepy.descriptor()).expect("registers");
    // The startup cannot end before the test releases it (below): an answer at all
    // means the call returned at its deadline, and the error says which deadline.
    let err = registry
        .activate(PluginType::Compute, "sleepy")
        .expect_err("times out");
    assert_eq!(
        err.to_string(),
        "Plugin startup failed: COMPUTE:sleepy - startup() timed out after 0.2s"
    );
    assert!(matches!(
        err,
        PluginError::Startup {
            cause: HookFailure::TimedOut { .. },
            ..
        }
    ));
    RELEASE_SLEEPY.wait();
}

probe!(Panicky, "panicky", [], PANIC_START);

#[test]
fn a_panicking_startup_is_an_error_not_an_unwind() {
    let registry = registry_of(&[Panicky.descriptor()]);
    let err = registry
        .activate(PluginType::Compute, "panicky")
        .expect_err("panics");
    assert_eq!(
        err.to_string(),
        "Plugin startup failed: COMPUTE:panicky - startup() panicked: panicky panicked in start"
    );
}

probe!(Fragile, "fragile", [], PANIC_STOP);
probe!(Sturdy, "sturdy", ["fragile"], FINE);

#[test]
fn shutdown_goes_on_after_a_panicking_hook() {
    let registry = registry_of(&[Fragile.descriptor(), Sturdy.descriptor()]);
    assert!(registry.activate_all().expect("resolves").is_success());
    let report = registry.shutdown_all();
    assert_eq!(names(&report.stopped), ["sturdy"]);
    assert_eq!(report.failed.len(), 1);
    assert_eq!(
        report.failed[0].1.to_string(),
        "Plugin shutdown failed: COMPUTE:fragile - shutdown() panicked: fragile panicked in stop"
    );
}

probe!(Once, "once", [], FINE);

#[test]
fn activate_is_idempotent() {
    let registry = registry_of(&[Once.descriptor()]);
    registry
        .activate(PluginType::Compute, "once")
        .expect("starts");
    registry
        .activate(PluginType::Compute, "once")
        .expect("already started");
    assert_eq!(events_of(&["once"]), ["start once"]);
}

probe!(MissA, "miss-a", ["nowhere"], FINE);
probe!(MissB, "miss-b", ["storage:absent", "miss-a"], FINE);
probe!(Blocked, "blocked", ["miss-b"], FINE);

#[test]
fn dependency_problems_lists_every_missing_dependency_and_the_cycle() {
    let registry = registry_of(&[
        MissA.descriptor(),
        MissB.descriptor(),
        Blocked.descriptor(),
        Cyc2A.descriptor(),
        Cyc2B.descriptor(),
        Loner.descriptor(),
    ]);
    let problems: Vec<String> = registry
        .dependency_problems(&ids(&[
            "blocked",
            "miss-b",
            "miss-a",
            "cyc2-a",
            "cyc2-b",
            "aaa-loner",
        ]))
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        problems,
        [
            "Plugin 'miss-a' has missing dependencies: nowhere",
            "Plugin 'miss-b' has missing dependencies: storage:absent",
            "Circular dependency: cyc2-a -> cyc2-b -> cyc2-a",
        ]
    );
    assert!(
        registry
            .dependency_problems(&ids(&["aaa-loner"]))
            .is_empty()
    );
}

/// Waits (bounded) until `done` holds: for a hook that ends on its own thread after
/// the caller stopped waiting.
fn eventually(what: &str, done: impl Fn() -> bool) {
    for _ in 0..500 {
        if done() {
            return;
        }
        std::thread::sleep(Duration::from_millis(10));
    }
    panic!("{what} did not happen within 5 s");
}

static RELEASE_RETRIED: Barrier = Barrier::new(2);
probe!(
    Retried,
    "retried",
    [],
    Behaviour {
        start: Act::Meet(&RELEASE_RETRIED),
        ..FINE
    }
);

#[test]
fn a_retry_after_a_startup_timeout_does_not_start_the_plugin_again() {
    let registry = PluginRegistry::with_timeouts(
        floe_registry::Timeouts::default().with_lifecycle(Duration::from_millis(100)),
    );
    registry.register(Retried.descriptor()).expect("registers");
    let first = registry
        .activate(PluginType::Compute, "retried")
        .expect_err("times out");
    assert!(matches!(
        first,
        PluginError::Startup {
            cause: HookFailure::TimedOut { .. },
            ..
        }
    ));
    // startup() is still running on its thread: a retry says so, and runs nothing.
    let retry = registry
        .activate(PluginType::Compute, "retried")
        .expect_err("still running");
    assert_eq!(
        retry.to_string(),
        "Plugin startup failed: COMPUTE:retried - startup() is still running from an earlier call; not called again"
    );
    assert_eq!(events_of(&["retried"]), ["start retried"], "one call");
    assert!(registry.started().is_empty());
    // When the hook ends, the plugin is started, however late.
    RELEASE_RETRIED.wait();
    let retried = PluginId::new(PluginType::Compute, "retried");
    eventually("the late start", || registry.started() == [retried.clone()]);
    registry
        .activate(PluginType::Compute, "retried")
        .expect("already started");
    assert_eq!(events_of(&["retried"]), ["start retried"], "still one call");
    assert_eq!(registry.shutdown_all().stopped, [retried]);
}

static RELEASE_INTERRUPTED: Barrier = Barrier::new(2);
probe!(
    Interrupted,
    "interrupted",
    [],
    Behaviour {
        start: Act::Meet(&RELEASE_INTERRUPTED),
        ..FINE
    }
);

#[test]
fn a_shutdown_during_a_slow_startup_does_not_wait_for_it_and_stops_the_plugin_after() {
    // The default 30 s timeout: the shutdown must not wait for the hook at all.
    let registry = PluginRegistry::new();
    registry
        .register(Interrupted.descriptor())
        .expect("registers");
    std::thread::scope(|scope| {
        let starting = scope.spawn(|| registry.activate(PluginType::Compute, "interrupted"));
        eventually("the startup hook to run", || {
            events_of(&["interrupted"]) == ["start interrupted"]
        });
        // The startup cannot end before the test releases it (below): a report at all
        // means the shutdown held no lock the startup holds.
        let report = registry.shutdown_all();
        assert!(report.stopped.is_empty());
        assert_eq!(report.failed.len(), 1);
        assert_eq!(
            report.failed[0].1.to_string(),
            "Plugin shutdown failed: COMPUTE:interrupted - startup() is still running; shutdown() will be called as soon as it ends"
        );
        RELEASE_INTERRUPTED.wait();
        let started = starting.join().expect("no panic");
        assert!(started.is_ok(), "startup() itself succeeded: {started:?}");
    });
    // Its hook's thread stops it as soon as it has started: nothing is left running.
    eventually("the deferred stop", || {
        events_of(&["interrupted"]) == ["start interrupted", "stop interrupted"]
    });
    eventually("no plugin counts as started", || {
        registry.started().is_empty()
    });
}

static RELEASE_RACED: Barrier = Barrier::new(2);
probe!(
    Raced,
    "raced",
    [],
    Behaviour {
        start: Act::Meet(&RELEASE_RACED),
        ..FINE
    }
);

#[test]
fn concurrent_activate_calls_run_startup_once() {
    let registry = PluginRegistry::new();
    registry.register(Raced.descriptor()).expect("registers");
    let (results, answers) = std::sync::mpsc::channel();
    let go = Barrier::new(8);
    std::thread::scope(|scope| {
        for _ in 0..8 {
            let results = results.clone();
            let (go, registry) = (&go, &registry);
            scope.spawn(move || {
                go.wait();
                let _ = results.send(registry.activate(PluginType::Compute, "raced"));
            });
        }
        // Seven calls answer while the one startup() waits for the test.
        let busy: Vec<_> = (0..7).map(|_| answers.recv().expect("an answer")).collect();
        for answer in &busy {
            assert!(
                matches!(
                    answer,
                    Err(PluginError::Startup {
                        cause: HookFailure::StillRunning { .. },
                        ..
                    })
                ),
                "{answer:?}"
            );
        }
        RELEASE_RACED.wait();
        assert!(answers.recv().expect("the starter").is_ok());
    });
    assert_eq!(events_of(&["raced"]), ["start raced"], "startup() ran once");
    assert_eq!(
        registry.started(),
        [PluginId::new(PluginType::Compute, "raced")]
    );
}
