//! Routes one event to the channels its rules select, all at once.
//!
//! Delivery is a blocking call (`AlertDelivery::deliver`, behind it an alert channel
//! plugin's `send_alert`). The router runs each selected channel on its own thread
//! and waits for all of them up to one shared deadline: a channel that fails counts
//! as not delivered, and one that hangs is left on its thread and counts as not
//! delivered at the deadline, so it never delays the others past its timeout. The
//! registry has no async runtime, and a plugin whose client is async can block on it
//! inside `send_alert`; a blocking method with the router's threads gives the
//! concurrency of Python's `asyncio.gather` without forcing one runtime on all plugins.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::{Arc, Mutex, PoisonError, mpsc};
use std::time::{Duration, Instant};

use super::{AlertConfig, Clock, ContractViolationEvent, SystemClock, fnmatch};

/// How long the router waits for a channel by default: 10 s, the alert plugins'
/// own default timeout.
pub const DEFAULT_CHANNEL_TIMEOUT: Duration = Duration::from_secs(10);

/// Something an alert can be delivered to. `floe-registry` implements it for
/// `dyn AlertChannelPlugin`, so the registry's alert channels can be routed to.
pub trait AlertDelivery: Send + Sync {
    /// Delivers `event`; true when it was delivered. Fire and forget: no retry.
    fn deliver(&self, event: &ContractViolationEvent) -> bool;
}

#[derive(Debug, Default)]
struct State {
    /// `<contract>:<violation_type>` -> when it was last sent.
    last_sent: HashMap<String, Duration>,
    /// contract -> when its recent alerts were sent.
    sent: HashMap<String, VecDeque<Duration>>,
}

/// floe's alert router: severity and contract-glob rules, deduplication by contract
/// and violation type, and a rate limit per contract.
pub struct AlertRouter {
    config: AlertConfig,
    clock: Arc<dyn Clock>,
    timeout: Duration,
    state: Mutex<State>,
}

impl std::fmt::Debug for AlertRouter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AlertRouter")
            .field("config", &self.config)
            .field("timeout", &self.timeout)
            .finish_non_exhaustive()
    }
}

impl AlertRouter {
    /// A router on the system clock, waiting up to [`DEFAULT_CHANNEL_TIMEOUT`].
    pub fn new(config: AlertConfig) -> Self {
        Self::with_clock(config, Arc::new(SystemClock))
    }

    /// A router on `clock` (a [`ManualClock`](super::ManualClock) in tests).
    pub fn with_clock(config: AlertConfig, clock: Arc<dyn Clock>) -> Self {
        AlertRouter {
            config,
            clock,
            timeout: DEFAULT_CHANNEL_TIMEOUT,
            state: Mutex::new(State::default()),
        }
    }

    /// Waits at most `timeout` for the channels of one event.
    pub fn with_channel_timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// The channel names whose rules select `event` and that are in `channels`, in
    /// rule order, each once.
    pub fn matching_channels<C: ?Sized>(
        &self,
        event: &ContractViolationEvent,
        channels: &BTreeMap<String, Arc<C>>,
    ) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        for rule in &self.config.routing_rules {
            let severity_ok = event.severity >= rule.min_severity;
            let contract_ok = rule
                .contract_filter
                .as_deref()
                .is_none_or(|glob| fnmatch(&event.contract_name, glob));
            if severity_ok
                && contract_ok
                && channels.contains_key(&rule.channel_name)
                && !names.contains(&rule.channel_name)
            {
                names.push(rule.channel_name.clone());
            }
        }
        names
    }

    /// Routes `event`: `{channel: delivered}` for the channels tried, empty when no
    /// rule matched, the event is a duplicate within the dedup window, or its contract
    /// is over its rate limit. Deduplication and rate state change only when some
    /// channel was tried.
    pub fn route<C: AlertDelivery + ?Sized + 'static>(
        &self,
        event: &ContractViolationEvent,
        channels: &BTreeMap<String, Arc<C>>,
    ) -> BTreeMap<String, bool> {
        let now = self.clock.now();
        let key = format!("{}:{}", event.contract_name, event.violation_type.as_str());
        let dedup = minutes(self.config.dedup_window_minutes);
        let window = minutes(self.config.rate_limit_window_minutes);
        {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            if state
                .last_sent
                .get(&key)
                .is_some_and(|t| now.saturating_sub(*t) < dedup)
            {
                return BTreeMap::new();
            }
            let sent = state.sent.entry(event.contract_name.clone()).or_default();
            while sent
                .front()
                .is_some_and(|t| now.saturating_sub(*t) >= window)
            {
                sent.pop_front();
            }
            if sent.len() >= self.config.rate_limit_per_contract as usize {
                return BTreeMap::new();
            }
        }
        let names = self.matching_channels(event, channels);
        if names.is_empty() {
            return BTreeMap::new();
        }
        {
            let mut state = self.state.lock().unwrap_or_else(PoisonError::into_inner);
            state.last_sent.insert(key, now);
            state
                .sent
                .entry(event.contract_name.clone())
                .or_default()
                .push_back(now);
        }
        self.deliver_all(event, channels, names)
    }

    fn deliver_all<C: AlertDelivery + ?Sized + 'static>(
        &self,
        event: &ContractViolationEvent,
        channels: &BTreeMap<String, Arc<C>>,
        names: Vec<String>,
    ) -> BTreeMap<String, bool> {
        let deadline = Instant::now() + self.timeout;
        let (tx, rx) = mpsc::channel::<(String, bool)>();
        let mut results: BTreeMap<String, bool> = BTreeMap::new();
        for name in names {
            results.insert(name.clone(), false);
            let Some(channel) = channels.get(&name).map(Arc::clone) else {
                continue;
            };
            let event = event.clone();
            let tx = tx.clone();
            let spawned = std::thread::Builder::new()
                .name(format!("floe-alert-{name}"))
                .spawn(move || {
                    let delivered =
                        catch_unwind(AssertUnwindSafe(|| channel.deliver(&event))).unwrap_or(false);
                    let _ = tx.send((name, delivered));
                });
            if spawned.is_err() {
                continue;
            }
        }
        drop(tx);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            match rx.recv_timeout(left) {
                Ok((name, delivered)) => {
                    results.insert(name, delivered);
                }
                Err(_) => break,
            }
        }
        results
    }
}

fn minutes(m: u32) -> Duration {
    Duration::from_secs(u64::from(m) * 60)
}
