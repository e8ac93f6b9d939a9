//! How long the registry waits for plugin code: set once, on the registry.

use std::time::Duration;

/// How long `startup()` and `shutdown()` may take unless told otherwise: 30 s.
pub const DEFAULT_LIFECYCLE_TIMEOUT: Duration = Duration::from_secs(30);

/// How long `health_check()` may take unless told otherwise: 5 s.
pub const DEFAULT_HEALTH_TIMEOUT: Duration = Duration::from_secs(5);

/// The deadlines of plugin hooks, given to
/// [`PluginRegistry::with_timeouts`](crate::PluginRegistry::with_timeouts). A hook
/// still running at its deadline is left on its pooled thread and reported as timed
/// out; until it ends, the plugin is known as running that hook.
///
/// ```
/// use std::time::Duration;
/// use floe_registry::{PluginRegistry, Timeouts};
///
/// let timeouts = Timeouts::default().with_health(Duration::from_secs(1));
/// assert_eq!(timeouts.lifecycle, Duration::from_secs(30));
/// let registry = PluginRegistry::with_timeouts(timeouts);
/// assert_eq!(registry.timeouts().health, Duration::from_secs(1));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub struct Timeouts {
    /// Each `startup()` and `shutdown()`.
    pub lifecycle: Duration,
    /// Each `health_check()`.
    pub health: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Timeouts {
            lifecycle: DEFAULT_LIFECYCLE_TIMEOUT,
            health: DEFAULT_HEALTH_TIMEOUT,
        }
    }
}

impl Timeouts {
    /// Sets the timeout of `startup()` and `shutdown()`.
    pub fn with_lifecycle(mut self, timeout: Duration) -> Self {
        self.lifecycle = timeout;
        self
    }

    /// Sets the timeout of `health_check()`.
    pub fn with_health(mut self, timeout: Duration) -> Self {
        self.health = timeout;
        self
    }
}
