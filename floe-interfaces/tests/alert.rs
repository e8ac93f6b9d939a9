//! Alert routing: severity, contract globs, deduplication, rate limits and delivery to
//! several channels at once. Time moves only through a ManualClock: nothing sleeps.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use floe_interfaces::alert::*;

/// A channel that counts deliveries and answers `ok`.
struct Counting {
    ok: bool,
    calls: AtomicUsize,
}

impl AlertDelivery for Counting {
    fn deliver(&self, _: &ContractViolationEvent) -> bool {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.ok
    }
}

/// A channel that never answers until the test ends (its receiver blocks forever).
struct Hanging(Mutex<mpsc::Receiver<()>>);

impl AlertDelivery for Hanging {
    fn deliver(&self, _: &ContractViolationEvent) -> bool {
        let _ = self.0.lock().map(|rx| rx.recv());
        true
    }
}

struct Panicking;

impl AlertDelivery for Panicking {
    fn deliver(&self, _: &ContractViolationEvent) -> bool {
        panic!("smtp exploded")
    }
}

fn counting(ok: bool) -> Arc<dyn AlertDelivery> {
    Arc::new(Counting {
        ok,
        calls: AtomicUsize::new(0),
    })
}

fn event(contract: &str, severity: ViolationSeverity) -> ContractViolationEvent {
    ContractViolationEvent::new(
        contract,
        "1.0.0",
        ViolationType::Freshness,
        severity,
        "late",
        "2026-05-02T10:00:00Z",
    )
}

fn rule(channel: &str, min: ViolationSeverity, filter: Option<&str>) -> AlertChannelRoutingRule {
    AlertChannelRoutingRule {
        channel_name: channel.into(),
        min_severity: min,
        contract_filter: filter.map(str::to_owned),
    }
}

fn router(rules: Vec<AlertChannelRoutingRule>, clock: Arc<ManualClock>) -> AlertRouter {
    AlertRouter::with_clock(
        AlertConfig {
            routing_rules: rules,
            ..AlertConfig::default()
        },
        clock,
    )
}

fn channels(list: Vec<(&str, Arc<dyn AlertDelivery>)>) -> BTreeMap<String, Arc<dyn AlertDelivery>> {
    list.into_iter().map(|(n, c)| (n.to_owned(), c)).collect()
}

#[test]
fn config_defaults_and_minimums() {
    let c = AlertConfig::default();
    assert_eq!(
        (
            c.dedup_window_minutes,
            c.rate_limit_per_contract,
            c.rate_limit_window_minutes
        ),
        (30, 10, 60)
    );
    let bad: Result<AlertConfig, _> =
        floe_interfaces::from_value(serde_json::json!({"dedup_window_minutes": 0}));
    assert_eq!(
        bad.expect_err("0").to_string(),
        "dedup_window_minutes: must be at least 1, got 0"
    );
}

#[test]
fn severities_are_ordered() {
    use ViolationSeverity::*;
    assert!(Info < Warning && Warning < Error && Error < Critical);
}

#[test]
fn a_rule_matches_at_or_above_its_minimum_severity() {
    let r = router(
        vec![rule("slack", ViolationSeverity::Error, None)],
        Arc::default(),
    );
    let ch = channels(vec![("slack", counting(true))]);
    assert!(
        r.route(&event("a", ViolationSeverity::Warning), &ch)
            .is_empty()
    );
    assert!(r.route(&event("b", ViolationSeverity::Error), &ch)["slack"]);
    assert!(r.route(&event("c", ViolationSeverity::Critical), &ch)["slack"]);
}

#[test]
fn the_contract_filter_is_a_glob() {
    let r = router(
        vec![rule("slack", ViolationSeverity::Info, Some("orders_*"))],
        Arc::default(),
    );
    let ch = channels(vec![("slack", counting(true))]);
    assert!(
        r.route(&event("customers", ViolationSeverity::Critical), &ch)
            .is_empty()
    );
    assert_eq!(
        r.route(&event("orders_daily", ViolationSeverity::Info), &ch)
            .len(),
        1
    );
    let r = router(
        vec![rule("slack", ViolationSeverity::Info, Some("ord?rs"))],
        Arc::default(),
    );
    assert_eq!(
        r.route(&event("orders", ViolationSeverity::Info), &ch)
            .len(),
        1
    );
}

#[test]
fn the_contract_filter_is_pythons_fnmatch() {
    let ch = channels(vec![("slack", counting(true))]);
    for (filter, contract, routed) in [
        ("orders[", "orders[", true),
        ("*orders", "team/eu/orders", true),
        ("orders_[!a]", "orders_b", true),
        ("[z-a]*", "orders", false),
        ("ORDERS", "orders", false),
    ] {
        let r = router(
            vec![rule("slack", ViolationSeverity::Info, Some(filter))],
            Arc::default(),
        );
        let got = r.route(&event(contract, ViolationSeverity::Info), &ch);
        assert_eq!(!got.is_empty(), routed, "{filter} against {contract}");
    }
}

#[test]
fn a_rule_for_an_unknown_channel_is_skipped() {
    let r = router(
        vec![
            rule("pagerduty", ViolationSeverity::Info, None),
            rule("slack", ViolationSeverity::Info, None),
        ],
        Arc::default(),
    );
    let got = r.route(
        &event("a", ViolationSeverity::Info),
        &channels(vec![("slack", counting(true))]),
    );
    assert_eq!(got, BTreeMap::from([("slack".to_owned(), true)]));
}

#[test]
fn the_same_contract_and_type_is_deduplicated_within_the_window() {
    let clock = Arc::new(ManualClock::default());
    let r = router(
        vec![rule("slack", ViolationSeverity::Info, None)],
        Arc::clone(&clock),
    );
    let ch = channels(vec![("slack", counting(true))]);
    let e = event("orders", ViolationSeverity::Error);
    assert_eq!(r.route(&e, &ch).len(), 1);
    clock.advance(Duration::from_secs(29 * 60));
    assert!(r.route(&e, &ch).is_empty(), "within 30 minutes");
    let mut other_type = e.clone();
    other_type.violation_type = ViolationType::SchemaDrift;
    assert_eq!(
        r.route(&other_type, &ch).len(),
        1,
        "another violation type is another key"
    );
    clock.advance(Duration::from_secs(60));
    assert_eq!(r.route(&e, &ch).len(), 1, "after 30 minutes");
}

#[test]
fn unmatched_events_do_not_touch_dedup_state() {
    let r = router(
        vec![rule("slack", ViolationSeverity::Error, None)],
        Arc::default(),
    );
    let ch = channels(vec![("slack", counting(true))]);
    let mut e = event("orders", ViolationSeverity::Info);
    assert!(r.route(&e, &ch).is_empty());
    e.severity = ViolationSeverity::Error;
    assert_eq!(
        r.route(&e, &ch).len(),
        1,
        "the unmatched info event did not start a dedup window"
    );
}

#[test]
fn a_contract_is_rate_limited_per_window() {
    let clock = Arc::new(ManualClock::default());
    let config = AlertConfig {
        routing_rules: vec![rule("slack", ViolationSeverity::Info, None)],
        dedup_window_minutes: 1,
        rate_limit_per_contract: 2,
        rate_limit_window_minutes: 60,
    };
    let r = AlertRouter::with_clock(config, clock.clone());
    let ch = channels(vec![("slack", counting(true))]);
    let types = [
        ViolationType::Freshness,
        ViolationType::Quality,
        ViolationType::Availability,
    ];
    let sent: Vec<usize> = types
        .iter()
        .map(|t| {
            let mut e = event("orders", ViolationSeverity::Error);
            e.violation_type = *t;
            r.route(&e, &ch).len()
        })
        .collect();
    assert_eq!(sent, [1, 1, 0], "the third alert of the hour is dropped");
    assert_eq!(
        r.route(&event("customers", ViolationSeverity::Error), &ch)
            .len(),
        1,
        "per contract"
    );
    clock.advance(Duration::from_secs(3600));
    assert_eq!(
        r.route(&event("orders", ViolationSeverity::Error), &ch)
            .len(),
        1,
        "a new window"
    );
}

#[test]
fn every_matching_channel_gets_the_event_and_failures_are_false() {
    let r = router(
        vec![
            rule("slack", ViolationSeverity::Info, None),
            rule("email", ViolationSeverity::Info, None),
            rule("webhook", ViolationSeverity::Info, None),
        ],
        Arc::default(),
    );
    let ch = channels(vec![
        ("slack", counting(true)),
        ("email", counting(false)),
        ("webhook", Arc::new(Panicking)),
    ]);
    let got = r.route(&event("orders", ViolationSeverity::Critical), &ch);
    assert_eq!(
        got,
        BTreeMap::from([
            ("email".to_owned(), false),
            ("slack".to_owned(), true),
            ("webhook".to_owned(), false)
        ])
    );
}

#[test]
fn a_hanging_channel_is_false_at_the_timeout_and_the_others_still_deliver() {
    let (_keep_hanging, rx) = mpsc::channel::<()>();
    let r = router(
        vec![
            rule("slow", ViolationSeverity::Info, None),
            rule("slack", ViolationSeverity::Info, None),
        ],
        Arc::default(),
    )
    .with_channel_timeout(Duration::from_millis(200));
    let slack = Arc::new(Counting {
        ok: true,
        calls: AtomicUsize::new(0),
    });
    let ch = channels(vec![
        ("slow", Arc::new(Hanging(Mutex::new(rx)))),
        ("slack", slack.clone()),
    ]);
    let got = r.route(&event("orders", ViolationSeverity::Critical), &ch);
    assert_eq!(
        got,
        BTreeMap::from([("slack".to_owned(), true), ("slow".to_owned(), false)])
    );
    assert_eq!(slack.calls.load(Ordering::SeqCst), 1);
}

#[test]
fn a_channel_matched_by_two_rules_is_tried_once() {
    let r = router(
        vec![
            rule("slack", ViolationSeverity::Info, None),
            rule("slack", ViolationSeverity::Error, Some("*")),
        ],
        Arc::default(),
    );
    let slack = Arc::new(Counting {
        ok: true,
        calls: AtomicUsize::new(0),
    });
    let ch: BTreeMap<String, Arc<Counting>> = BTreeMap::from([("slack".to_owned(), slack.clone())]);
    assert_eq!(
        r.route(&event("o", ViolationSeverity::Critical), &ch).len(),
        1
    );
    assert_eq!(slack.calls.load(Ordering::SeqCst), 1);
}
