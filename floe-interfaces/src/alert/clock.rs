//! The clock of deduplication and rate limiting, so tests can move time by hand.

use std::sync::{Mutex, OnceLock, PoisonError};
use std::time::{Duration, Instant};

/// A monotonic clock: the time since an arbitrary, fixed start.
pub trait Clock: Send + Sync {
    /// Now, as the time since this clock's start.
    fn now(&self) -> Duration;
}

/// The real monotonic clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> Duration {
        static START: OnceLock<Instant> = OnceLock::new();
        START.get_or_init(Instant::now).elapsed()
    }
}

/// A clock that moves only when told.
///
/// ```
/// use std::time::Duration;
/// use floe_interfaces::alert::{Clock, ManualClock};
/// let clock = ManualClock::default();
/// clock.advance(Duration::from_secs(60));
/// assert_eq!(clock.now(), Duration::from_secs(60));
/// ```
#[derive(Debug, Default)]
pub struct ManualClock(Mutex<Duration>);

impl ManualClock {
    /// Moves the clock forward by `by`.
    pub fn advance(&self, by: Duration) {
        let mut now = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        *now += by;
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Duration {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }
}
