//! Alert routing against floe-core 0.1.0a1's `AlertRouter`, with a controlled clock and
//! scripted channels, and `contract_filter` globs against Python's `fnmatch`.
//!
//! A `route` case is an alert config, channels that each answer the same way every time
//! (`ok`: delivered, `fail`: not delivered, `raise`: an error, which counts as not
//! delivered) and steps: move the clock by some seconds, or route an event (contract,
//! violation type, severity). Both sides answer the `{channel: delivered}` of each
//! event, or the config's problems by path when it is refused. floe's router reads
//! `time.monotonic()`: the script replaces the module's `time` with the scripted clock,
//! and ours runs on a [`ManualClock`]. Channels are called on their own threads on our
//! side and one after another on floe's; the answers do not depend on it.
//!
//! Some configs get a field of another kind (in the config or its first rule) or an
//! unknown field: both sides refuse them with every problem's path.
//!
//! An `event` case is a contract violation event read by both (the timestamp always in
//! floe's UTC form: floe reads it as a datetime, we keep the text).
//!
//! A `fnmatch` case is a name and a pattern, drawn from the characters that mean
//! something to fnmatch (`*`, `?`, `[`, `]`, `!`, `-`) and `/`.
//!
//! No deliberate difference: the router and the matcher answer as floe's do.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use floe_differential::compare::Family;
use floe_differential::reference;
use floe_differential::seed::Seeded;
use floe_interfaces::alert::*;
use floe_interfaces::read_model;
use serde_json::{Value, json};

const SCRIPT: &str = r#"
import asyncio, fnmatch, types
from pydantic import ValidationError
from floe_core.contracts.monitoring import alert_router as ar
from floe_core.contracts.monitoring.config import AlertConfig
from floe_core.contracts.monitoring.violations import ContractViolationEvent

clock = [1000.0]
ar.time = types.SimpleNamespace(monotonic=lambda: clock[0])

class Scripted:
    def __init__(self, behaviour):
        self.behaviour = behaviour
    async def send_alert(self, event):
        if self.behaviour == "raise":
            raise RuntimeError("scripted failure")
        return self.behaviour == "ok"

def route(case):
    try:
        config = AlertConfig.model_validate(case["config"])
    except ValidationError as e:
        return {"errors": sorted(".".join(str(p) for p in er["loc"]) for er in e.errors())}
    channels = {name: Scripted(b) for name, b in case["channels"].items()}
    router = ar.AlertRouter(config, channels)
    loop = asyncio.new_event_loop()
    answers = []
    for step in case["steps"]:
        if "advance" in step:
            clock[0] += step["advance"]
            continue
        event = ContractViolationEvent(
            contract_name=step["contract"], contract_version="1.0.0",
            violation_type=step["type"], severity=step["severity"], message="m",
            timestamp="2026-01-01T00:00:00Z", check_duration_seconds=0.5)
        answers.append(loop.run_until_complete(router.route(event)))
    loop.close()
    return {"routed": answers}

def event(case):
    try:
        return {"ok": ContractViolationEvent.model_validate(case["value"]).model_dump(mode="json")}
    except ValidationError as e:
        return {"errors": sorted(".".join(str(p) for p in er["loc"]) for er in e.errors())}

out = []
for case in json.load(sys.stdin):
    try:
        if case["kind"] == "event":
            out.append(event(case))
        elif case["kind"] == "fnmatch":
            out.append(fnmatch.fnmatch(case["name"], case["pattern"]))
        else:
            out.append(route(case))
    except Exception as e:
        out.append({"raised": type(e).__name__})
print(json.dumps(out))
"#;

/// A channel that answers as scripted: `ok`, `fail`, or `raise` (a panic).
struct Scripted(String);

impl AlertDelivery for Scripted {
    fn deliver(&self, _: &ContractViolationEvent) -> bool {
        match self.0.as_str() {
            "ok" => true,
            "raise" => panic!("scripted failure"),
            _ => false,
        }
    }
}

fn route(case: &Value) -> Value {
    let config = match read_model::<AlertConfig>(&case["config"]) {
        Ok(config) => config,
        Err(e) => {
            let mut paths: Vec<String> = e.0.into_iter().map(|e| e.path).collect();
            paths.sort();
            return json!({"errors": paths});
        }
    };
    let clock = Arc::new(ManualClock::default());
    let router = AlertRouter::with_clock(config, clock.clone());
    let channels: BTreeMap<String, Arc<dyn AlertDelivery>> = case["channels"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(name, b)| {
                    let channel: Arc<dyn AlertDelivery> =
                        Arc::new(Scripted(b.as_str().unwrap_or("ok").to_owned()));
                    (name.clone(), channel)
                })
                .collect()
        })
        .unwrap_or_default();
    let mut answers = Vec::new();
    for step in case["steps"]
        .as_array()
        .map(Vec::as_slice)
        .unwrap_or_default()
    {
        if let Some(seconds) = step["advance"].as_f64() {
            clock.advance(Duration::from_secs_f64(seconds));
            continue;
        }
        let event: ContractViolationEvent = serde_json::from_value(json!({
            "contract_name": step["contract"], "contract_version": "1.0.0",
            "violation_type": step["type"], "severity": step["severity"], "message": "m",
            "timestamp": "2026-01-01T00:00:00Z", "check_duration_seconds": 0.5,
        }))
        .unwrap_or_else(|e| panic!("a scripted event: {e}"));
        answers.push(json!(router.route(&event, &channels)));
    }
    json!({"routed": answers})
}

fn ours(case: &Value) -> Value {
    if case["kind"] == "event" {
        return match read_model::<ContractViolationEvent>(&case["value"]) {
            Ok(event) => json!({"ok": event}),
            Err(e) => {
                let mut paths: Vec<String> = e.0.into_iter().map(|e| e.path).collect();
                paths.sort();
                json!({"errors": paths})
            }
        };
    }
    if case["kind"] == "fnmatch" {
        let (name, pattern) = (case["name"].as_str(), case["pattern"].as_str());
        json!(fnmatch(
            name.unwrap_or_default(),
            pattern.unwrap_or_default()
        ))
    } else {
        route(case)
    }
}

// ---------------------------------------------------------------- generators

const CONTRACTS: [&str; 10] = [
    "orders",
    "orders[",
    "orders_eu",
    "team/orders",
    "customers",
    "Orders",
    "orders_1",
    "b/c/orders",
    "orders-eu",
    "a",
];
const FILTERS: [&str; 16] = [
    "orders*",
    "orders[",
    "*orders",
    "ord?rs",
    "[!o]*",
    "[a-c]*",
    "*",
    "orders_[0-9]",
    "team/*",
    "[z-a]*",
    "orders[!_]eu",
    "orders[_-]eu",
    "*/orders",
    "orders[]",
    "ORDERS*",
    "",
];
const SEVERITIES: [&str; 4] = ["info", "warning", "error", "critical"];
const TYPES: [&str; 5] = [
    "freshness",
    "schema_drift",
    "quality",
    "availability",
    "deprecation",
];

fn route_case(rng: &mut Seeded) -> Value {
    let names = ["slack", "email", "webhook", "pager"];
    let rules: Vec<Value> = (0..rng.below(5))
        .map(|_| {
            let mut rule = json!({
                "channel_name": rng.pick(&names),
                "min_severity": rng.pick(&SEVERITIES),
            });
            match rng.below(3) {
                0 => rule["contract_filter"] = json!(rng.pick(&FILTERS)),
                1 => rule["contract_filter"] = Value::Null,
                _ => {}
            }
            rule
        })
        .collect();
    let mut config = json!({"routing_rules": rules});
    let knobs: [(&str, &[u64]); 3] = [
        ("dedup_window_minutes", &[1, 2, 30, 0]),
        ("rate_limit_per_contract", &[1, 2, 3, 10]),
        ("rate_limit_window_minutes", &[1, 5, 60]),
    ];
    for (key, values) in knobs {
        if rng.chance(0.8) {
            let value = *rng.pick(values);
            // A zero (refused by both) only now and then.
            config[key] = json!(if value == 0 && rng.chance(0.7) {
                1
            } else {
                value
            });
        }
    }
    if rng.chance(0.15) {
        // A field of another kind, an unknown field or a bad severity: every problem,
        // by path.
        let wrong = [
            json!("x"),
            json!(-1),
            Value::Null,
            json!([]),
            json!(2.5),
            json!("bogus"),
        ];
        let value = rng.pick(&wrong).clone();
        match rules_or_top(rng, &mut config) {
            Some((map, key)) => {
                map.insert(key, value);
            }
            None => {
                config["extra"] = json!(1);
            }
        }
    }
    let mut channels = serde_json::Map::new();
    for name in &names[..3] {
        if rng.chance(0.8) {
            channels.insert(
                (*name).to_owned(),
                json!(rng.pick(&["ok", "ok", "fail", "raise"])),
            );
        }
    }
    let advances = [
        0.0, 1.0, 30.5, 59.5, 60.0, 119.0, 299.5, 1800.0, 1799.5, 3600.0,
    ];
    let steps: Vec<Value> = (0..3 + rng.below(12))
        .map(|_| {
            if rng.chance(0.35) {
                json!({"advance": rng.pick(&advances)})
            } else {
                json!({
                    "contract": rng.pick(&CONTRACTS[..6]),
                    "type": rng.pick(&TYPES[..3]),
                    "severity": rng.pick(&SEVERITIES),
                })
            }
        })
        .collect();
    json!({"kind": "route", "config": config, "channels": channels, "steps": steps})
}

/// A field of the config or of its first rule, with its key.
fn rules_or_top<'c>(
    rng: &mut Seeded,
    config: &'c mut Value,
) -> Option<(&'c mut serde_json::Map<String, Value>, String)> {
    let first_rule = rng.chance(0.5);
    let target = match config.get("routing_rules").and_then(Value::as_array) {
        Some(rules) if first_rule && !rules.is_empty() => &mut config["routing_rules"][0],
        _ => config,
    };
    let map = target.as_object_mut()?;
    let keys: Vec<String> = map.keys().cloned().collect();
    if keys.is_empty() || rng.chance(0.1) {
        return None;
    }
    let key = keys[rng.below(keys.len())].clone();
    Some((map, key))
}

/// An event as JSON (timestamps in floe's own UTC form), with one field of another
/// kind, an unknown field or a field dropped now and then (the timestamp is left alone:
/// floe reads it as a datetime, which these cases do not compare).
fn event_case(rng: &mut Seeded) -> Value {
    let mut event = json!({
        "contract_name": rng.pick(&CONTRACTS),
        "contract_version": "1.0.0",
        "violation_type": rng.pick(&TYPES),
        "severity": rng.pick(&SEVERITIES),
        "message": "late by 2h",
        "timestamp": "2026-05-02T10:00:00Z",
        "check_duration_seconds": rng.pick(&[0.0, 1.25, 30.0]),
    });
    if rng.chance(0.3) {
        event["element"] = json!(rng.pick(&["id", "amount"]));
    }
    if rng.chance(0.3) {
        event["affected_consumers"] = json!(["dash", "ml"]);
    }
    if rng.chance(0.3) {
        event["metadata"] = json!({"run": "42"});
    }
    if rng.chance(0.6) {
        let keys = [
            "contract_name",
            "violation_type",
            "severity",
            "message",
            "element",
            "affected_consumers",
            "check_duration_seconds",
            "metadata",
        ];
        let key = *rng.pick(&keys);
        let wrong = [
            json!(5),
            Value::Null,
            json!("bogus"),
            json!([1]),
            json!({"a": 1}),
        ];
        match rng.below(6) {
            0 => {
                event.as_object_mut().map(|m| m.remove(key));
            }
            1 => event["extra"] = json!(1),
            _ => event[key] = rng.pick(&wrong).clone(),
        }
    }
    json!({"kind": "event", "value": event})
}

fn fnmatch_case(rng: &mut Seeded) -> Value {
    let pattern_len = rng.below(7);
    let name_len = rng.below(6);
    json!({
        "kind": "fnmatch",
        "pattern": rng.string("ab*?[]!-/^\\", pattern_len),
        "name": rng.string("ab-]![/^\\", name_len),
    })
}

/// Hand-written cases: the fnmatch examples of the issue and the windows' edges.
fn hand_written() -> Vec<Value> {
    let mut cases: Vec<Value> = [
        ("orders[", "orders["),
        ("orders[x]", "orders["),
        ("team/orders", "*orders"),
        ("team/eu/orders", "team/*"),
        ("orders", "ORDERS"),
        ("b", "[!z-a]"),
        ("c", "[a-c-e]"),
        ("-", "[a-c-e]"),
        ("a\nb", "a?b"),
        ("[!", "[!"),
        ("]]", "[]]]"),
        ("é", "[a-z]"),
        ("é", "[à-ü]"),
    ]
    .into_iter()
    .map(|(name, pattern)| json!({"kind": "fnmatch", "name": name, "pattern": pattern}))
    .collect();
    let event =
        |contract: &str| json!({"contract": contract, "type": "freshness", "severity": "error"});
    cases.push(json!({
        "kind": "route",
        "config": {"routing_rules": [{"channel_name": "slack", "min_severity": "warning", "contract_filter": "orders["}],
            "dedup_window_minutes": 1, "rate_limit_per_contract": 2, "rate_limit_window_minutes": 5},
        "channels": {"slack": "ok"},
        "steps": [event("orders["), event("orders["), {"advance": 59.5}, event("orders["),
            {"advance": 0.5}, event("orders["), {"advance": 60.0}, event("orders["),
            {"advance": 180.0}, event("orders["), {"advance": 60.0}, event("orders["), event("orders[x]")],
    }));
    cases.push(json!({
        "kind": "route",
        "config": {"routing_rules": [{"channel_name": "slack", "min_severity": "info"},
            {"channel_name": "email", "min_severity": "critical"}, {"channel_name": "gone", "min_severity": "info"}]},
        "channels": {"slack": "raise", "email": "fail"},
        "steps": [event("orders"), {"advance": 1800.0}, {"contract": "orders", "type": "freshness", "severity": "critical"}],
    }));
    cases.push(json!({
        "kind": "route",
        "config": {"dedup_window_minutes": 0, "rate_limit_per_contract": 0, "rate_limit_window_minutes": 0},
        "channels": {}, "steps": [],
    }));
    cases
}

#[test]
fn alert_routing_matches_floe_0_1_0a1() {
    // The `raise` channels panic on purpose: keep their messages out of the output.
    let hook = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = Seeded::new(24_002);
    let mut cases = hand_written();
    for _ in 0..400 {
        cases.push(route_case(&mut rng));
    }
    for _ in 0..1000 {
        cases.push(fnmatch_case(&mut rng));
    }
    for _ in 0..200 {
        cases.push(event_case(&mut rng));
    }
    let theirs = reference::run(SCRIPT, &cases);
    let mut family = Family::new("alerts");
    for (i, (case, theirs)) in cases.iter().zip(&theirs).enumerate() {
        let label = format!("case {i} ({})", case["kind"].as_str().unwrap_or("?"));
        family.compare(label, case, &ours(case), theirs, None);
    }
    std::panic::set_hook(hook);
    family.finish(500);
}
