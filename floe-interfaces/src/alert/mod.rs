//! Contract violation alerts: the event, the routing config and the router that
//! delivers one event to several channels at once.
//!
//! ```
//! use std::collections::BTreeMap;
//! use std::sync::Arc;
//! use floe_interfaces::alert::*;
//!
//! struct Log;
//! impl AlertDelivery for Log {
//!     fn deliver(&self, _: &ContractViolationEvent) -> bool { true }
//! }
//!
//! let config = AlertConfig {
//!     routing_rules: vec![AlertChannelRoutingRule::new("log", ViolationSeverity::Warning)],
//!     ..AlertConfig::default()
//! };
//! let router = AlertRouter::new(config);
//! let channels = BTreeMap::from([("log".to_owned(), Arc::new(Log))]);
//! let event = ContractViolationEvent::new("orders", "1.0.0", ViolationType::Freshness,
//!     ViolationSeverity::Error, "late by 2h", "2026-05-02T10:00:00Z");
//! assert_eq!(router.route(&event, &channels), BTreeMap::from([("log".to_owned(), true)]));
//! // the same contract and type again within 30 minutes: deduplicated
//! assert!(router.route(&event, &channels).is_empty());
//! ```

mod clock;
mod config;
mod event;
mod router;

pub use crate::fnmatch::fnmatch;
pub use clock::{Clock, ManualClock, SystemClock};
pub use config::{AlertChannelRoutingRule, AlertConfig};
pub use event::{ContractViolationEvent, ViolationSeverity, ViolationType};
pub use router::{AlertDelivery, AlertRouter, DEFAULT_CHANNEL_TIMEOUT};
