//! Shared helpers of the integration tests (the tests live in `tests/`): probe
//! plugins written by hand against the runtime API, whose hooks record what ran and
//! behave as told (succeed, fail, panic, sleep).

use std::sync::{Barrier, Mutex};
use std::time::Duration;

use floe_registry::{HealthStatus, PluginError};

/// What one hook of a probe does.
#[derive(Debug, Clone, Copy)]
pub enum Act {
    /// Return success (healthy for a health check).
    Ok,
    /// Return an error (degraded for a health check).
    Fail,
    /// Panic.
    Panic,
    /// Sleep this many milliseconds, then succeed.
    SleepMs(u64),
    /// Wait at this barrier, then succeed: a hook that ends only when the others
    /// waiting there (or the test) arrive, so tests order events without timing them.
    Meet(&'static Barrier),
}

/// What each lifecycle hook of a probe does.
#[derive(Debug, Clone, Copy)]
pub struct Behaviour {
    /// `startup()`.
    pub start: Act,
    /// `shutdown()`.
    pub stop: Act,
    /// `health_check()`.
    pub health: Act,
}

/// Every hook succeeds at once.
pub const FINE: Behaviour = Behaviour {
    start: Act::Ok,
    stop: Act::Ok,
    health: Act::Ok,
};

static EVENTS: Mutex<Vec<String>> = Mutex::new(Vec::new());

/// Records that a hook ran.
pub fn record(event: String) {
    EVENTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(event);
}

/// The recorded events that mention one of `names` (`"start a"`, `"stop b"`), in order.
pub fn events_of(names: &[&str]) -> Vec<String> {
    EVENTS
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .iter()
        .filter(|e| e.split_once(' ').is_some_and(|(_, n)| names.contains(&n)))
        .cloned()
        .collect()
}

/// Runs a lifecycle act.
pub fn lifecycle(hook: &str, name: &str, act: Act) -> Result<(), PluginError> {
    record(format!("{hook} {name}"));
    match act {
        Act::Ok => Ok(()),
        Act::Fail => Err(PluginError::failed(format!("{name} refused to {hook}"))),
        Act::Panic => panic!("{name} panicked in {hook}"),
        Act::SleepMs(ms) => {
            std::thread::sleep(Duration::from_millis(ms));
            Ok(())
        }
        Act::Meet(barrier) => {
            barrier.wait();
            Ok(())
        }
    }
}

/// Runs a health act.
pub fn health(name: &str, act: Act) -> HealthStatus {
    record(format!("health {name}"));
    match act {
        Act::Ok => HealthStatus::healthy(),
        Act::Fail => HealthStatus::degraded(format!("{name} is slow")),
        Act::Panic => panic!("{name} panicked in health_check"),
        Act::SleepMs(ms) => {
            std::thread::sleep(Duration::from_millis(ms));
            HealthStatus::healthy()
        }
        Act::Meet(barrier) => {
            barrier.wait();
            HealthStatus::healthy()
        }
    }
}

/// Declares a compute probe plugin by hand (no attribute), with a static descriptor:
/// `probe!(A, "a", ["b"], FINE);` then `registry.register(A.descriptor())`.
#[macro_export]
macro_rules! probe {
    ($ty:ident, $name:literal, [$($dep:literal),*], $behaviour:expr) => {
        #[derive(Default)]
        struct $ty;
        const _: () = {
            use floe_registry::prelude::*;
            use floe_registry::{plugin_source, PluginDescriptor, PluginInstance};
            static DESCRIPTOR: PluginDescriptor = PluginDescriptor::new(
                PluginType::Compute,
                $name,
                "1.0.0",
                plugin_source!($ty),
                || PluginInstance::compute($ty),
            )
            .with_dependencies(&[$($dep),*]);
            impl PluginMetadata for $ty {
                fn descriptor(&self) -> &'static PluginDescriptor {
                    &DESCRIPTOR
                }
            }
            impl ComputePlugin for $ty {
                fn startup(&self) -> Result<(), PluginError> {
                    $crate::lifecycle("start", $name, $behaviour.start)
                }
                fn shutdown(&self) -> Result<(), PluginError> {
                    $crate::lifecycle("stop", $name, $behaviour.stop)
                }
                fn health_check(&self) -> HealthStatus {
                    $crate::health($name, $behaviour.health)
                }
            }
        };
    };
}
