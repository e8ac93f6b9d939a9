//! Family `network`: the network models (`floe_core.network.schemas`: validation errors
//! with their paths and texts, the models as dumped, `NetworkPolicyConfig`'s own
//! manifest) and the network-security-k8s plugin (`floe_network_security_k8s` 0.1.0a1:
//! its NetworkPolicies and every helper), against ours, on seeded and hand-written
//! inputs.
//!
//! Errors are compared as `{path, message}` lists in floe's order: the path is
//! pydantic's `loc` joined with `.`, the message floe's own text (pydantic's
//! `Value error, ` prefix removed) or pydantic's text for its constraints (ranges,
//! lengths, patterns). Most generated inputs have every field of its JSON kind and
//! differ in values (ours read with `from_value`); some have one change of shape (a
//! value of another kind, an unknown or a dropped field: ours read with `read_model`),
//! whose problems of shape are compared by path alone, as a set (pydantic reports
//! them field by field, `read_model` first).
//!
//! Generated: 480 policies (220 of them valid, so that their manifests are compared),
//! 220 policies, configs and egress rules with a change of shape, 60 egress, 40
//! ingress and 30 port rules, 60 allow rules, 60 network policy configs, and 250 calls
//! of the plugin's helpers; then hand-written cases for each behaviour issue 24 names.

use std::collections::BTreeMap;

use floe_differential::compare::Family;
use floe_differential::reference;
use floe_differential::seed::Seeded;
use floe_interfaces::read_model;
use floe_plugins_builtin::network_security_k8s::{K8sNetworkSecurityPlugin, namespace_pss_level};
use floe_registry::network::{
    EgressAllowRule, EgressRule, IngressRule, NetworkPoliciesConfig, NetworkPolicyConfig, PortRule,
};
use floe_registry::prelude::NetworkSecurityPlugin;
use floe_registry::rbac::PssLevel;
use floe_registry::{ModelErrors, Validate, from_value};
use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::{Map, Value, json};

const SCRIPT: &str = r#"
import os
from pydantic import ValidationError
from floe_core.network.schemas import (
    EgressAllowRule, EgressRule, IngressRule, NetworkPoliciesConfig, NetworkPolicyConfig,
    PortRule,
)
from floe_network_security_k8s.plugin import K8sNetworkSecurityPlugin

MODELS = {c.__name__: c for c in (
    EgressAllowRule, EgressRule, IngressRule, NetworkPoliciesConfig, NetworkPolicyConfig,
    PortRule,
)}
plugin = K8sNetworkSecurityPlugin()

# pydantic's own checks of kinds, missing and unknown fields: compared by path alone
# (our side reports serde's words for them).
SHAPE = {"missing", "extra_forbidden", "literal_error", "int_from_float", "model_type",
         "model_attributes_type", "dict_type", "tuple_type", "list_type", "string_type",
         "int_type", "int_parsing", "bool_type", "bool_parsing", "float_type"}

def errors(e):
    out = []
    for err in e.errors():
        msg = err["msg"]
        if err["type"] == "value_error":
            msg = msg.removeprefix("Value error, ")
        elif err["type"] in SHAPE:
            msg = "<shape>"
        out.append({"path": ".".join(str(p) for p in err["loc"]), "message": msg})
    return out

def answer(case):
    if case["kind"] == "model":
        try:
            model = MODELS[case["model"]].model_validate(case["input"])
        except ValidationError as e:
            return {"errors": errors(e)}
        out = {"dump": model.model_dump(mode="json")}
        if case["model"] == "NetworkPolicyConfig":
            out["manifest"] = model.to_k8s_manifest()
            out["plugin"] = plugin.generate_network_policy(model)
        return out
    env = case.get("env")
    os.environ.pop("KUBERNETES_SERVICE_HOST", None)
    if env is not None:
        os.environ["KUBERNETES_SERVICE_HOST"] = env
    try:
        result = getattr(plugin, case["method"])(**case["args"])
    except Exception as e:
        return {"raised": type(e).__name__, "message": str(e)}
    if isinstance(result, tuple):
        result = list(result)
    return {"ok": result}

print(json.dumps([answer(c) for c in json.load(sys.stdin)]))
"#;

const PLUGIN: K8sNetworkSecurityPlugin = K8sNetworkSecurityPlugin;

// ---------------------------------------------------------------------------------
// Inputs
// ---------------------------------------------------------------------------------

const LOWER: &str = "abcdefghijklmnopqrstuvwxyz0123456789";

fn namespace(s: &mut Seeded) -> String {
    match s.below(10) {
        0..=3 => (*s.pick(&[
            "floe-jobs",
            "floe-platform",
            "kube-system",
            "ingress-nginx",
            "a",
            "a1",
            "0",
        ]))
        .to_owned(),
        4..=5 => {
            let len = 1 + s.below(20);
            let mut name = s.string(LOWER, 1);
            if len > 1 {
                name.push_str(&s.string("abcdefghijklmnopqrstuvwxyz0123456789-", len - 2));
                name.push_str(&s.string(LOWER, 1));
            }
            name
        }
        6 => {
            let len = *s.pick(&[62, 63, 64, 65]);
            s.string(LOWER, len)
        }
        7 => {
            let len = *s.pick(&[3, 63, 64]);
            format!("{}{}", s.string("ABC", 1), s.string(LOWER, len))
        }
        _ => (*s.pick(&[
            "",
            "-a",
            "a-",
            "A",
            "a_b",
            "a.b",
            "floe jobs",
            "é",
            "floe-Jobs",
            "a--b",
        ]))
        .to_owned(),
    }
}

fn label_key(s: &mut Seeded) -> String {
    match s.below(8) {
        0..=4 => (*s.pick(&[
            "app",
            "app.kubernetes.io/name",
            "tier",
            "floe.dev/role",
            "a b",
            "x",
        ]))
        .to_owned(),
        5 => "k".repeat(*s.pick(&[253, 254, 300])),
        _ => (*s.pick(&["", "-a", "a-", "-"])).to_owned(),
    }
}

fn label_value(s: &mut Seeded) -> String {
    match s.below(8) {
        0..=4 => (*s.pick(&["", "web", "v1", "a.b-c_d", "Z9", "0"])).to_owned(),
        5 => "v".repeat(*s.pick(&[63, 64, 100])),
        _ => (*s.pick(&["_x", "x_", "-x", "a b", "é", ".x"])).to_owned(),
    }
}

fn labels(s: &mut Seeded, max: usize) -> Value {
    let mut map = Map::new();
    for _ in 0..s.below(max + 1) {
        map.insert(label_key(s), Value::String(label_value(s)));
    }
    Value::Object(map)
}

fn octet(s: &mut Seeded) -> String {
    (*s.pick(&[
        "0", "1", "10", "172", "192", "255", "256", "01", "00", "1a", "",
    ]))
    .to_owned()
}

fn cidr(s: &mut Seeded) -> String {
    match s.below(10) {
        0..=3 => (*s.pick(&[
            "10.0.0.0/8",
            "10.1.2.3/8",
            "0.0.0.0/0",
            "192.168.1.0/24",
            "172.16.0.0/12",
            "::/0",
            "2001:db8::/32",
            "fd00::1/64",
            "10.0.0.0/08",
            "2001:DB8::/032",
            "::ffff:10.0.0.1/128",
            "1.2.3.4/32",
            "1:2:3:4:5:6:7::/64",
        ]))
        .to_owned(),
        4..=6 => {
            let prefix = *s.pick(&["0", "8", "16", "24", "32", "33", "08", "", "x", "-1", "+8"]);
            let (a, b) = (octet(s), octet(s));
            format!("{a}.{b}.0.1/{prefix}")
        }
        7 => {
            let hextets = ["", "0", "1", "db8", "ffff", "12345", "g", "2001"];
            let parts: Vec<&str> = (0..2 + s.below(8)).map(|_| *s.pick(&hextets)).collect();
            format!("{}/{}", parts.join(":"), s.pick(&["0", "64", "128", "129"]))
        }
        _ => (*s.pick(&[
            "010.0.0.0/8",
            "10.0.0.1",
            "10.0.0.0/255.0.0.0",
            "10.0.0.0/0.255.255.255",
            "fe80::1%eth0/64",
            "10.0.0.0/33",
            "300.0.0.0/8",
            "x",
            "",
            "1::2::3/64",
            "10.0.0.0/8/8",
            " 10.0.0.0/8",
            "10.0.0/8",
            "::1.2.3.4/128",
        ]))
        .to_owned(),
    }
}

fn port(s: &mut Seeded) -> Value {
    match s.below(10) {
        0 => json!(*s.pick(&[0, 65536, 70000])),
        1 => json!(*s.pick(&[1, 65535, 53, 443])),
        _ => json!(1 + s.below(65535)),
    }
}

fn port_rule(s: &mut Seeded) -> Value {
    let mut rule = json!({"port": port(s)});
    if s.chance(0.5) {
        rule["protocol"] = json!(*s.pick(&["TCP", "UDP"]));
    }
    rule
}

fn ports(s: &mut Seeded, min: usize, max: usize) -> Value {
    Value::Array(
        (0..min + s.below(max - min + 1))
            .map(|_| port_rule(s))
            .collect(),
    )
}

fn ingress_rule(s: &mut Seeded) -> Value {
    let mut rule = Map::new();
    if s.chance(0.6) {
        rule.insert("from_namespace".into(), json!(namespace(s)));
    }
    if s.chance(0.6) {
        rule.insert("from_pod_labels".into(), labels(s, 2));
    }
    if s.chance(0.6) {
        rule.insert("ports".into(), ports(s, 0, 3));
    }
    Value::Object(rule)
}

fn egress_target(s: &mut Seeded, rule: &mut Map<String, Value>) {
    match s.below(10) {
        0 => {}
        1 => {
            rule.insert("to_namespace".into(), json!(namespace(s)));
            rule.insert("to_cidr".into(), json!(cidr(s)));
        }
        2..=5 => {
            rule.insert("to_namespace".into(), json!(namespace(s)));
        }
        _ => {
            rule.insert("to_cidr".into(), json!(cidr(s)));
        }
    }
}

fn egress_rule(s: &mut Seeded) -> Value {
    let mut rule = Map::new();
    egress_target(s, &mut rule);
    let min = usize::from(s.chance(0.9));
    rule.insert("ports".into(), ports(s, min, 3));
    Value::Object(rule)
}

fn policy(s: &mut Seeded) -> Value {
    let name = if s.chance(0.8) {
        let len = 1 + s.below(12);
        format!(
            "floe-{}",
            s.string("abcdefghijklmnopqrstuvwxyz0123456789-", len)
        )
    } else {
        (*s.pick(&[
            "floe-",
            "jobs",
            "floe-Jobs",
            "floe-a_b",
            "floe-x\n",
            "Floe-x",
        ]))
        .to_owned()
    };
    let types: Vec<&str> = match s.below(8) {
        0 => vec![],
        1 => vec!["Egress"],
        2 => vec!["Ingress"],
        3 => vec!["Egress", "Ingress"],
        4 => vec!["Ingress", "Ingress"],
        _ => vec!["Ingress", "Egress"],
    };
    let mut p = json!({"name": name, "namespace": namespace(s), "policy_types": types});
    if s.chance(0.6) {
        p["pod_selector"] = labels(s, 3);
    }
    if s.chance(0.7) {
        p["ingress_rules"] = Value::Array((0..s.below(4)).map(|_| ingress_rule(s)).collect());
    }
    if s.chance(0.7) {
        p["egress_rules"] = Value::Array((0..s.below(4)).map(|_| egress_rule(s)).collect());
    }
    p
}

/// A valid policy (floe accepts it), so that its manifests are compared: every value
/// drawn from valid ones, the shapes as varied as above.
fn valid_policy(s: &mut Seeded) -> Value {
    const NAMESPACES: [&str; 6] = [
        "floe-jobs",
        "floe-platform",
        "kube-system",
        "a",
        "ingress-nginx",
        "x9",
    ];
    const KEYS: [&str; 5] = [
        "app",
        "app.kubernetes.io/name",
        "tier",
        "floe.dev/role",
        "a b",
    ];
    const VALUES: [&str; 5] = ["", "web", "v1", "a.b-c_d", "Z9"];
    const CIDRS: [&str; 8] = [
        "10.0.0.0/8",
        "10.1.2.3/8",
        "0.0.0.0/0",
        "192.168.1.0/24",
        "::/0",
        "2001:db8::/32",
        "10.0.0.0/08",
        "::ffff:10.0.0.1/128",
    ];
    let labels = |s: &mut Seeded, max: usize| {
        let mut map = Map::new();
        for _ in 0..s.below(max + 1) {
            map.insert((*s.pick(&KEYS)).to_owned(), json!(*s.pick(&VALUES)));
        }
        Value::Object(map)
    };
    let ports = |s: &mut Seeded, min: usize| {
        let n = min + s.below(3);
        let list: Vec<Value> = (0..n)
            .map(|_| {
                let mut p = json!({"port": 1 + s.below(65535)});
                if s.chance(0.5) {
                    p["protocol"] = json!(*s.pick(&["TCP", "UDP"]));
                }
                p
            })
            .collect();
        Value::Array(list)
    };
    let mut ingress = Vec::new();
    for _ in 0..s.below(4) {
        let mut rule = Map::new();
        if s.chance(0.6) {
            rule.insert("from_namespace".into(), json!(*s.pick(&NAMESPACES)));
        }
        if s.chance(0.6) {
            rule.insert("from_pod_labels".into(), labels(s, 2));
        }
        if s.chance(0.6) {
            rule.insert("ports".into(), ports(s, 0));
        }
        ingress.push(Value::Object(rule));
    }
    let mut egress = Vec::new();
    for _ in 0..s.below(4) {
        let mut rule = Map::new();
        if s.chance(0.5) {
            rule.insert("to_namespace".into(), json!(*s.pick(&NAMESPACES)));
        } else {
            rule.insert("to_cidr".into(), json!(*s.pick(&CIDRS)));
        }
        rule.insert("ports".into(), ports(s, 1));
        egress.push(Value::Object(rule));
    }
    const TYPES: [&[&str]; 5] = [
        &["Ingress", "Egress"],
        &["Egress"],
        &["Ingress"],
        &["Egress", "Ingress"],
        &["Egress", "Egress"],
    ];
    let picked: &&[&str] = s.pick(&TYPES);
    let types: &[&str] = picked;
    let len = 1 + s.below(12);
    let mut p = json!({
        "name": format!("floe-{}", s.string("abcdefghijklmnopqrstuvwxyz0123456789-", len)),
        "namespace": *s.pick(&NAMESPACES),
        "policy_types": types,
    });
    if s.chance(0.7) {
        p["pod_selector"] = labels(s, 3);
    }
    if s.chance(0.8) {
        p["ingress_rules"] = Value::Array(ingress);
    }
    if s.chance(0.8) {
        p["egress_rules"] = Value::Array(egress);
    }
    p
}

fn allow_rule(s: &mut Seeded) -> Value {
    let mut rule = Map::new();
    rule.insert("name".into(), json!(*s.pick(&["warehouse", "", "db"])));
    egress_target(s, &mut rule);
    rule.insert("port".into(), port(s));
    if s.chance(0.3) {
        rule.insert("protocol".into(), json!(*s.pick(&["TCP", "UDP"])));
    }
    Value::Object(rule)
}

fn policies_config(s: &mut Seeded) -> Value {
    let mut c = Map::new();
    for key in ["enabled", "default_deny", "allow_external_https"] {
        if s.chance(0.3) {
            c.insert(key.into(), json!(s.chance(0.5)));
        }
    }
    if s.chance(0.6) {
        c.insert("ingress_controller_namespace".into(), json!(namespace(s)));
    }
    for key in ["jobs_egress_allow", "platform_egress_allow"] {
        if s.chance(0.6) {
            c.insert(
                key.into(),
                Value::Array((0..s.below(3)).map(|_| allow_rule(s)).collect()),
            );
        }
    }
    Value::Object(c)
}

fn model_case(model: &str, input: Value) -> Value {
    json!({"kind": "model", "model": model, "input": input})
}

/// Every object and every slot (an object's field or an array's element) of `value`,
/// as JSON pointers.
fn slots(value: &Value, at: &str, objects: &mut Vec<String>, found: &mut Vec<String>) {
    match value {
        Value::Object(map) => {
            objects.push(at.to_owned());
            for (k, v) in map {
                let here = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                found.push(here.clone());
                slots(v, &here, objects, found);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                let here = format!("{at}/{i}");
                found.push(here.clone());
                slots(v, &here, objects, found);
            }
        }
        _ => {}
    }
}

/// One change of shape anywhere in `input`: a value of another JSON kind (some of them
/// read by pydantic's lax mode: `"80"`, `true`, `1`; an array where a model is wanted,
/// which pydantic refuses), an unknown field, or a field dropped, also in the only
/// element of a list floe requires to be non-empty (pydantic then also reports the list
/// as too short "after validation"). Our side reads such inputs with `read_model`.
fn mutate(s: &mut Seeded, input: &mut Value) {
    let wrong = [
        json!(5),
        json!("x"),
        Value::Null,
        json!([]),
        json!({}),
        json!(1.5),
        json!(-1),
        json!(80.0),
        json!([7]),
        json!("80"),
        json!(true),
        json!(1),
        json!("yes"),
    ];
    let (mut objects, mut found) = (Vec::new(), Vec::new());
    slots(input, "", &mut objects, &mut found);
    match s.below(10) {
        0 => {
            let at = s.pick(&objects).clone();
            if let Some(Value::Object(map)) = input.pointer_mut(&at) {
                map.insert("extra".into(), json!(1));
            }
        }
        1 if !found.is_empty() => {
            let at = s.pick(&found).clone();
            if let Some((parent, key)) = at.rsplit_once('/')
                && let Some(Value::Object(map)) = input.pointer_mut(parent)
            {
                map.remove(&key.replace("~1", "/").replace("~0", "~"));
            }
        }
        _ if !found.is_empty() => {
            let at = s.pick(&found).clone();
            let value = s.pick(&wrong).clone();
            if let Some(slot) = input.pointer_mut(&at) {
                *slot = value;
            }
        }
        _ => {}
    }
}

/// A model case whose input has one change of shape.
fn mutated_case(s: &mut Seeded, model: &str, mut input: Value) -> Value {
    mutate(s, &mut input);
    json!({"kind": "model", "model": model, "input": input, "mutated": true})
}

fn helper(method: &str, args: Value) -> Value {
    json!({"kind": "helper", "method": method, "args": args})
}

fn seeded_cases() -> Vec<Value> {
    let mut s = Seeded::new(0x006e_6574_776f_726b);
    let mut cases = Vec::new();
    for _ in 0..260 {
        cases.push(model_case("NetworkPolicyConfig", policy(&mut s)));
    }
    for _ in 0..220 {
        cases.push(model_case("NetworkPolicyConfig", valid_policy(&mut s)));
    }
    for _ in 0..60 {
        cases.push(model_case("EgressRule", egress_rule(&mut s)));
    }
    for _ in 0..40 {
        cases.push(model_case("IngressRule", ingress_rule(&mut s)));
    }
    for _ in 0..30 {
        cases.push(model_case("PortRule", port_rule(&mut s)));
    }
    for _ in 0..150 {
        let input = valid_policy(&mut s);
        cases.push(mutated_case(&mut s, "NetworkPolicyConfig", input));
    }
    for _ in 0..40 {
        let input = policies_config(&mut s);
        cases.push(mutated_case(&mut s, "NetworkPoliciesConfig", input));
    }
    for _ in 0..30 {
        let input = egress_rule(&mut s);
        cases.push(mutated_case(&mut s, "EgressRule", input));
    }
    for _ in 0..60 {
        cases.push(model_case("EgressAllowRule", allow_rule(&mut s)));
    }
    for _ in 0..60 {
        cases.push(model_case("NetworkPoliciesConfig", policies_config(&mut s)));
    }
    for _ in 0..40 {
        let ns = namespace(&mut s);
        let method = *s.pick(&[
            "generate_default_deny_policies",
            "generate_ingress_controller_rule",
            "generate_intra_namespace_rule",
        ]);
        cases.push(helper(method, json!({ "namespace": ns })));
    }
    for _ in 0..80 {
        let mut args = Map::new();
        if s.chance(0.6) {
            args.insert("cidr".into(), json!(cidr(&mut s)));
        }
        if s.chance(0.6) {
            args.insert("namespace".into(), json!(namespace(&mut s)));
        }
        if s.chance(0.2) {
            args.insert(
                "protocol".into(),
                json!(*s.pick(&["TCP", "UDP", "tcp", "SCTP"])),
            );
        }
        if s.chance(0.5) {
            let p = port(&mut s);
            args.insert("port".into(), p);
            cases.push(helper("generate_custom_egress_rule", Value::Object(args)));
        } else {
            if s.chance(0.8) {
                let list: Vec<Value> = (0..s.below(4)).map(|_| port(&mut s)).collect();
                args.insert("ports".into(), Value::Array(list));
            }
            cases.push(helper("generate_custom_egress_rules", Value::Object(args)));
        }
    }
    for _ in 0..40 {
        let mut args = Map::new();
        if s.chance(0.4) {
            args.insert("k8s_api_cidr".into(), json!(cidr(&mut s)));
        }
        if s.chance(0.5) {
            args.insert("strict_mode".into(), json!(s.chance(0.5)));
        }
        let env = if s.chance(0.6) {
            json!(*s.pick(&[
                "10.96.0.1",
                "",
                "fd00::1",
                "kubernetes",
                "10.96.0.1/16",
                "010.0.0.1"
            ]))
        } else {
            Value::Null
        };
        let mut case = helper("generate_k8s_api_egress_rule", Value::Object(args));
        case["env"] = env;
        cases.push(case);
    }
    let levels = ["privileged", "baseline", "restricted", "strict", ""];
    for _ in 0..30 {
        let mut args = Map::new();
        if s.chance(0.8) {
            args.insert("level".into(), json!(*s.pick(&levels)));
        }
        if s.chance(0.4) {
            args.insert("audit_level".into(), json!(*s.pick(&levels)));
        }
        if s.chance(0.4) {
            args.insert("warn_level".into(), json!(*s.pick(&levels)));
        }
        cases.push(helper("generate_pss_labels", Value::Object(args)));
    }
    for _ in 0..20 {
        let mut args = json!({"name": namespace(&mut s)});
        if s.chance(0.7) {
            args["pss_level"] = json!(*s.pick(&levels));
        }
        if s.chance(0.5) {
            args["additional_labels"] = labels(&mut s, 2);
        }
        cases.push(helper("generate_namespace_manifest", args));
    }
    let path_parts = [
        "tmp", "home", "floe", "Cache", "app_1", "..", ".", "", "proc", "etc", "x y",
    ];
    for _ in 0..40 {
        let paths: Vec<String> = (0..1 + s.below(3))
            .map(|_| {
                let parts: Vec<&str> = (0..1 + s.below(3)).map(|_| *s.pick(&path_parts)).collect();
                let lead = if s.chance(0.9) { "/" } else { "" };
                let trail = if s.chance(0.2) { "/" } else { "" };
                format!("{lead}{}{trail}", parts.join("/"))
            })
            .collect();
        cases.push(helper(
            "generate_writable_volumes",
            json!({"writable_paths": paths}),
        ));
    }
    cases
}

fn hand_written_cases() -> Vec<Value> {
    let mut cases = vec![
        // Both a namespace and pod labels: two peers in floe's plugin and model.
        model_case(
            "NetworkPolicyConfig",
            json!({"name": "floe-web", "namespace": "floe-platform", "policy_types": ["Ingress"],
                   "ingress_rules": [{"from_namespace": "floe-jobs", "from_pod_labels": {"app": "x"}}]}),
        ),
        // floe's plugin writes the pod selector unwrapped and derives the policy types.
        model_case(
            "NetworkPolicyConfig",
            json!({"name": "floe-deny-egress", "namespace": "floe-jobs", "policy_types": ["Egress"],
                   "pod_selector": {"app": "job"}}),
        ),
        model_case(
            "NetworkPolicyConfig",
            json!({"name": "floe-x", "namespace": "floe-jobs", "policy_types": ["Egress"],
                   "ingress_rules": [{"from_namespace": "floe-platform"}]}),
        ),
        // A leading zero in an octet, a bare address (Kubernetes refuses it).
        model_case(
            "EgressRule",
            json!({"to_cidr": "010.0.0.0/8", "ports": [{"port": 1}]}),
        ),
        model_case(
            "EgressRule",
            json!({"to_cidr": "10.0.0.1", "ports": [{"port": 1}]}),
        ),
        model_case(
            "EgressRule",
            json!({"to_cidr": "10.0.0.0/255.0.0.0", "ports": [{"port": 1}]}),
        ),
        model_case(
            "EgressRule",
            json!({"to_cidr": "fe80::1%eth0/64", "ports": [{"port": 1}]}),
        ),
        model_case(
            "EgressAllowRule",
            json!({"name": "x", "to_cidr": "10.0.0.1", "port": 5432}),
        ),
        // The lengths in "too long".
        model_case(
            "EgressRule",
            json!({"to_namespace": "a".repeat(64), "ports": [{"port": 1}]}),
        ),
        model_case(
            "IngressRule",
            json!({"from_pod_labels": {"k".repeat(254): "v"}}),
        ),
        model_case(
            "IngressRule",
            json!({"from_pod_labels": {"k": "v".repeat(64)}}),
        ),
        // Python's `$` lets a trailing newline through.
        model_case("IngressRule", json!({"from_namespace": "floe-jobs\n"})),
        model_case("IngressRule", json!({"from_pod_labels": {"app": "web\n"}})),
        model_case(
            "NetworkPoliciesConfig",
            json!({"ingress_controller_namespace": "ingress-nginx\n"}),
        ),
        // Every port invalid: pydantic also says the tuple is too short.
        model_case(
            "EgressRule",
            json!({"to_namespace": "a", "ports": [{"port": 0}, {"port": 70000}]}),
        ),
        model_case(
            "EgressRule",
            json!({"to_namespace": "a", "ports": [{"port": 0}, {"port": 80}]}),
        ),
        // The CIDR of an allow rule is checked by its model validator.
        model_case(
            "EgressAllowRule",
            json!({"name": "x", "to_cidr": "bad", "port": 0}),
        ),
        model_case(
            "EgressAllowRule",
            json!({"name": "x", "to_cidr": "bad", "port": 1}),
        ),
        model_case(
            "EgressAllowRule",
            json!({"name": "x", "to_namespace": "Bad", "to_cidr": "bad", "port": 1}),
        ),
        helper("generate_dns_egress_rule", json!({})),
        helper("generate_platform_egress_rules", json!({})),
        helper("generate_jobs_ingress_rule", json!({})),
        helper("generate_ingress_controller_rule", json!({})),
        helper("generate_external_https_egress_rule", json!({})),
        helper(
            "generate_external_https_egress_rule",
            json!({"enabled": false}),
        ),
        helper("generate_pod_security_context", json!({"config": null})),
        helper(
            "generate_container_security_context",
            json!({"config": null}),
        ),
        helper(
            "generate_pod_security_context",
            json!({"config": {"run_as_user": 2000}}),
        ),
        helper(
            "generate_container_security_context",
            json!({"config": {"read_only_root_filesystem": false}}),
        ),
        // The namespace checks of the custom rules: pattern first, then length.
        helper(
            "generate_custom_egress_rule",
            json!({"namespace": "a".repeat(64)}),
        ),
        helper(
            "generate_custom_egress_rule",
            json!({"namespace": "A".repeat(64)}),
        ),
        helper(
            "generate_default_deny_policies",
            json!({"namespace": "A".repeat(64)}),
        ),
        helper(
            "generate_custom_egress_rule",
            json!({"cidr": "10.0.0.1/8", "namespace": "floe-x"}),
        ),
        helper(
            "generate_custom_egress_rules",
            json!({"namespace": "floe-x", "ports": []}),
        ),
        helper(
            "generate_custom_egress_rules",
            json!({"namespace": "floe-x", "ports": [-1]}),
        ),
        helper(
            "generate_namespace_manifest",
            json!({"name": "Not A Namespace"}),
        ),
        helper(
            "generate_writable_volumes",
            json!({"writable_paths": ["/tmp", "/tmp/"]}),
        ),
        helper(
            "generate_writable_volumes",
            json!({"writable_paths": ["//"]}),
        ),
        helper(
            "generate_writable_volumes",
            json!({"writable_paths": ["/tmp/../etc", "/proc"]}),
        ),
        helper(
            "generate_writable_volumes",
            json!({"writable_paths": ["/var/İ/K"]}),
        ),
        helper("generate_writable_volumes", json!({"writable_paths": []})),
    ];
    // Shapes read with `read_model`: a model from an array (pydantic refuses it, at the
    // top and nested), and a required tuple none of whose elements is valid (too short
    // "after validation", beside each element's problem).
    let shaped = |model: &str, input: Value| json!({"kind": "model", "model": model, "input": input, "mutated": true});
    cases.extend([
        shaped("PortRule", json!([7])),
        shaped("IngressRule", json!([])),
        shaped("EgressRule", json!([])),
        shaped("NetworkPoliciesConfig", json!([])),
        shaped("NetworkPoliciesConfig", json!({"jobs_egress_allow": [[]]})),
        shaped("EgressRule", json!({"to_namespace": "a", "ports": [[7]]})),
        shaped("EgressRule", json!({"to_namespace": "a", "ports": [5, 6]})),
        shaped(
            "EgressRule",
            json!({"to_namespace": "a", "ports": [5, {"port": 1}]}),
        ),
        shaped(
            "EgressRule",
            json!({"to_namespace": "B", "ports": [{"port": 0}]}),
        ),
        shaped(
            "EgressRule",
            json!({"to_namespace": "a", "ports": [{"port": 0, "protocol": 5}]}),
        ),
        shaped(
            "EgressRule",
            json!({"to_namespace": "a", "ports": [{"port": 0}, {"port": 80, "extra": 1}]}),
        ),
        shaped(
            "NetworkPolicyConfig",
            json!({"name": "floe-a", "namespace": "a", "policy_types": ["X"],
                   "ingress_rules": [[]]}),
        ),
        shaped(
            "NetworkPolicyConfig",
            json!({"name": "floe-a", "namespace": "a", "policy_types": [5, "Egress"],
                   "ingress_rules": [{"ports": [[7]]}]}),
        ),
        shaped(
            "NetworkPolicyConfig",
            json!({"name": "floe-a", "namespace": "a", "policy_types": ["Ingress"],
                   "pod_selector": [7]}),
        ),
        shaped(
            "NetworkPolicyConfig",
            json!({"name": "floe-a", "namespace": "a", "policy_types": ["Egress"],
                   "egress_rules": [{"to_namespace": "a", "ports": [{"port": 1}]},
                                    {"to_namespace": "a", "ports": [7]},
                                    {"to_namespace": "a", "ports": [{"port": 0}, []]}]}),
        ),
        shaped(
            "NetworkPolicyConfig",
            json!({"name": "floe-a", "namespace": "a", "policy_types": ["Egress"],
                   "egress_rules": [[], {"to_namespace": "a", "ports": ["x"]}]}),
        ),
    ]);
    for (ns, overrides) in [
        ("floe-jobs", Value::Null),
        ("floe-platform", Value::Null),
        ("other", Value::Null),
        ("floe-jobs", json!({"floe-jobs": "baseline"})),
        ("floe-platform", json!({"floe-jobs": "privileged"})),
        ("x", json!({})),
    ] {
        cases.push(helper(
            "get_namespace_pss_level",
            json!({"namespace": ns, "override_levels": overrides}),
        ));
    }
    for (cidr, env, strict) in [
        (Value::Null, Value::Null, true),
        (Value::Null, Value::Null, false),
        (Value::Null, json!("10.96.0.1"), true),
        (Value::Null, json!("fd00::1"), true),
        (Value::Null, json!("kubernetes.default"), true),
        (json!("0.0.0.0/0"), Value::Null, true),
        (json!("10.0.0.1/8"), Value::Null, true),
        (json!(""), Value::Null, true),
    ] {
        let mut case = helper(
            "generate_k8s_api_egress_rule",
            json!({"k8s_api_cidr": cidr, "strict_mode": strict}),
        );
        case["env"] = env;
        cases.push(case);
    }
    cases
}

// ---------------------------------------------------------------------------------
// Our side
// ---------------------------------------------------------------------------------

/// serde's words for a value of the wrong kind, a missing or an unknown field, and
/// pydantic's for a model given no object (`read_model`'s own).
fn is_shape(message: &str) -> bool {
    [
        "invalid type:",
        "Input should be a valid dictionary or instance of ",
        "missing field",
        "unknown field",
        "invalid value:",
        "invalid length",
        "unknown variant",
    ]
    .iter()
    .any(|p| message.starts_with(p))
}

fn errors(e: &ModelErrors) -> Value {
    e.0.iter()
        .map(|f| {
            let message = if is_shape(&f.message) {
                "<shape>"
            } else {
                &f.message
            };
            json!({"path": f.path, "message": message})
        })
        .collect()
}

/// An answer as compared: when a case has a problem of shape, its problems are
/// compared as a set (pydantic reports them field by field, `read_model` the shapes
/// first).
fn comparable(answer: &Value) -> Value {
    let mut answer = answer.clone();
    if let Some(list) = answer.get_mut("errors").and_then(Value::as_array_mut)
        && list.iter().any(|e| e["message"] == "<shape>")
    {
        list.sort_by_key(|e| (e["path"].to_string(), e["message"].to_string()));
    }
    answer
}

fn model<T: DeserializeOwned + Validate + Serialize>(
    input: &Value,
    mutated: bool,
) -> Result<(T, Value), Value> {
    let read = if mutated {
        read_model(input)
    } else {
        from_value(input.clone())
    };
    let m: T = read.map_err(|e| json!({"errors": errors(&e)}))?;
    let dump = serde_json::to_value(&m).unwrap_or_else(|e| panic!("dump: {e}"));
    Ok((m, dump))
}

fn ours_model(name: &str, input: &Value, mutated: bool) -> Value {
    let dumped = |r: Result<Value, Value>| r.unwrap_or_else(|e| e);
    match name {
        "NetworkPolicyConfig" => match model::<NetworkPolicyConfig>(input, mutated) {
            Ok((m, dump)) => {
                let plugin = PLUGIN
                    .generate_network_policy(&m)
                    .unwrap_or_else(|e| json!({"error": e.to_string()}));
                json!({"dump": dump, "manifest": m.to_manifest(), "plugin": plugin})
            }
            Err(e) => e,
        },
        "EgressRule" => {
            dumped(model::<EgressRule>(input, mutated).map(|(_, d)| json!({"dump": d})))
        }
        "IngressRule" => {
            dumped(model::<IngressRule>(input, mutated).map(|(_, d)| json!({"dump": d})))
        }
        "PortRule" => dumped(model::<PortRule>(input, mutated).map(|(_, d)| json!({"dump": d}))),
        "EgressAllowRule" => {
            dumped(model::<EgressAllowRule>(input, mutated).map(|(_, d)| json!({"dump": d})))
        }
        "NetworkPoliciesConfig" => {
            dumped(model::<NetworkPoliciesConfig>(input, mutated).map(|(_, d)| json!({"dump": d})))
        }
        other => panic!("unknown model {other}"),
    }
}

fn raised(message: impl ToString) -> Value {
    json!({"raised": "ValueError", "message": message.to_string()})
}

fn answer<E: ToString>(result: Result<Value, E>) -> Value {
    match result {
        Ok(v) => json!({ "ok": v }),
        Err(e) => raised(e),
    }
}

fn str_arg<'a>(args: &'a Value, key: &str) -> Option<&'a str> {
    args.get(key).and_then(Value::as_str)
}

fn ours_helper(case: &Value) -> Value {
    let args = &case["args"];
    let method = case["method"].as_str().unwrap_or_default();
    let ns = || str_arg(args, "namespace").unwrap_or("ingress-nginx");
    let protocol = str_arg(args, "protocol").unwrap_or("TCP");
    match method {
        "generate_default_deny_policies" => {
            answer(PLUGIN.generate_default_deny_policies(ns()).map(Value::from))
        }
        "generate_dns_egress_rule" => answer(PLUGIN.generate_dns_egress_rule()),
        "generate_platform_egress_rules" => json!({"ok": PLUGIN.platform_egress_rules()}),
        "generate_jobs_ingress_rule" => json!({"ok": PLUGIN.jobs_ingress_rule()}),
        "generate_ingress_controller_rule" => answer(PLUGIN.ingress_controller_rule(ns())),
        "generate_intra_namespace_rule" => answer(PLUGIN.intra_namespace_rule(ns())),
        "generate_external_https_egress_rule" => {
            let enabled = args.get("enabled").and_then(Value::as_bool).unwrap_or(true);
            json!({"ok": PLUGIN.external_https_egress_rule(enabled)})
        }
        "generate_k8s_api_egress_rule" => answer(
            PLUGIN.k8s_api_egress_rule_for(
                str_arg(args, "k8s_api_cidr"),
                case["env"].as_str(),
                args.get("strict_mode")
                    .and_then(Value::as_bool)
                    .unwrap_or(true),
            ),
        ),
        "generate_custom_egress_rule" => answer(PLUGIN.custom_egress_rule(
            str_arg(args, "cidr"),
            str_arg(args, "namespace"),
            args.get("port").and_then(Value::as_i64).unwrap_or(443),
            protocol,
        )),
        "generate_custom_egress_rules" => {
            let ports: Vec<i64> = match args.get("ports") {
                Some(Value::Array(list)) => list.iter().filter_map(Value::as_i64).collect(),
                _ => vec![443],
            };
            answer(PLUGIN.custom_egress_rules(
                str_arg(args, "cidr"),
                str_arg(args, "namespace"),
                &ports,
                protocol,
            ))
        }
        "generate_pss_labels" => answer(
            PLUGIN
                .pss_labels(
                    str_arg(args, "level").unwrap_or("restricted"),
                    str_arg(args, "audit_level"),
                    str_arg(args, "warn_level"),
                )
                .map(|l| json!(l)),
        ),
        "get_namespace_pss_level" => {
            let overrides: Option<BTreeMap<String, PssLevel>> = args
                .get("override_levels")
                .filter(|v| !v.is_null())
                .map(|v| serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}")));
            let level =
                namespace_pss_level(str_arg(args, "namespace").unwrap_or(""), overrides.as_ref());
            json!({"ok": level.as_str()})
        }
        "generate_namespace_manifest" => {
            let extra: BTreeMap<String, String> = args
                .get("additional_labels")
                .map(|v| serde_json::from_value(v.clone()).unwrap_or_else(|e| panic!("{e}")))
                .unwrap_or_default();
            answer(PLUGIN.namespace_manifest(
                str_arg(args, "name").unwrap_or(""),
                str_arg(args, "pss_level").unwrap_or("restricted"),
                &extra,
            ))
        }
        "generate_pod_security_context" => answer(
            PLUGIN.generate_pod_security_context(args.get("config").filter(|v| !v.is_null())),
        ),
        "generate_container_security_context" => answer(
            PLUGIN.generate_container_security_context(args.get("config").filter(|v| !v.is_null())),
        ),
        "generate_writable_volumes" => {
            let paths: Vec<String> = serde_json::from_value(args["writable_paths"].clone())
                .unwrap_or_else(|e| panic!("{e}"));
            answer(
                PLUGIN
                    .generate_writable_volumes(&paths)
                    .map(|(v, m)| json!([v, m])),
            )
        }
        other => panic!("unknown helper {other}"),
    }
}

fn ours(case: &Value) -> Value {
    match case["kind"].as_str() {
        Some("model") => ours_model(
            case["model"].as_str().unwrap_or_default(),
            &case["input"],
            case["mutated"] == true,
        ),
        _ => ours_helper(case),
    }
}

// ---------------------------------------------------------------------------------
// Deliberate differences
// ---------------------------------------------------------------------------------

/// A CIDR Python reads and Kubernetes refuses: a bare address, a netmask or an IPv6
/// zone.
fn kubernetes_refuses(cidr: &str) -> bool {
    match cidr.split_once('/') {
        None => !cidr.is_empty(),
        Some((address, prefix)) => {
            address.contains('%') || !prefix.bytes().all(|b| b.is_ascii_digit())
        }
    }
}

/// The CIDRs of a case's input.
fn cidrs(case: &Value) -> Vec<String> {
    let mut found = Vec::new();
    let mut visit = |v: &Value| {
        fn walk(v: &Value, found: &mut Vec<String>) {
            match v {
                Value::Object(map) => {
                    for (k, v) in map {
                        if matches!(k.as_str(), "to_cidr" | "cidr" | "k8s_api_cidr")
                            && let Some(s) = v.as_str()
                        {
                            found.push(s.to_owned());
                        }
                        walk(v, found);
                    }
                }
                Value::Array(items) => items.iter().for_each(|i| walk(i, found)),
                _ => {}
            }
        }
        walk(v, &mut found);
    };
    visit(case);
    if let Some(host) = case["env"].as_str().filter(|h| !h.is_empty()) {
        found.push(format!("{host}/32"));
    }
    found
}

/// floe's plugin policy as ours writes it: the pod selector wrapped in `matchLabels`,
/// `policyTypes` the config's (each once), and the rule lists of those types.
fn plugin_policy_as_ours(floe: &Value, input: &Value) -> Value {
    let mut fixed = floe.clone();
    let spec = &mut fixed["spec"];
    if spec["podSelector"]
        .as_object()
        .is_some_and(|m| !m.is_empty())
    {
        spec["podSelector"] = json!({"matchLabels": spec["podSelector"].take()});
    }
    let mut types: Vec<Value> = Vec::new();
    for t in input["policy_types"].as_array().into_iter().flatten() {
        if !types.contains(t) {
            types.push(t.clone());
        }
    }
    if let Some(map) = spec.as_object_mut() {
        for (kind, key) in [("Ingress", "ingress"), ("Egress", "egress")] {
            if types.iter().any(|t| t == kind) {
                map.entry(key).or_insert_with(|| json!([]));
            } else {
                map.remove(key);
            }
        }
        map.insert("policyTypes".into(), Value::Array(types));
    }
    fixed
}

/// floe's writable volumes with repeated names numbered, as ours writes them.
fn unique_volume_names(floe: &Value) -> Value {
    let mut fixed = floe.clone();
    let mut seen: Vec<String> = Vec::new();
    let mut renamed = Vec::new();
    for volume in fixed["ok"][0].as_array().into_iter().flatten() {
        let base = volume["name"].as_str().unwrap_or_default().to_owned();
        let mut name = base.clone();
        let mut n = 2;
        while seen.contains(&name) {
            name = format!("{base}-{n}");
            n += 1;
        }
        seen.push(name.clone());
        renamed.push(name);
    }
    for list in [0, 1] {
        if let Some(items) = fixed["ok"][list].as_array_mut() {
            for (item, name) in items.iter_mut().zip(&renamed) {
                item["name"] = json!(name);
            }
        }
    }
    fixed
}

/// `ours`' model errors without those `refused_here` explains, and floe's without the
/// target rule of the egress rules where one was dropped (pydantic runs that rule only
/// when every field of the rule is valid): equal when those errors are the only
/// difference.
fn equal_without(ours: &Value, floe: &Value, refused_here: impl Fn(&str) -> bool) -> bool {
    let Some(mine) = ours["errors"].as_array() else {
        return false;
    };
    let mut kept = Vec::new();
    let mut parents = Vec::new();
    for e in mine {
        let message = e["message"].as_str().unwrap_or_default();
        if refused_here(message) {
            let path = e["path"].as_str().unwrap_or_default();
            parents.push(path.rsplit_once('.').map_or("", |(p, _)| p).to_owned());
        } else {
            kept.push(e.clone());
        }
    }
    if parents.is_empty() {
        return false;
    }
    let theirs: Vec<Value> = floe["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| {
            !(e["message"] == "Exactly one of to_namespace or to_cidr must be set"
                && parents.iter().any(|p| e["path"] == p.as_str()))
        })
        .cloned()
        .collect();
    let floe_ok = floe.get("dump").is_some();
    (floe_ok && kept.is_empty()) || (!floe_ok && kept == theirs)
}

/// A value pydantic's lax mode reads as an integer or a boolean: `true`, `"80"`, `1`,
/// `"yes"`.
fn lax(value: &Value) -> bool {
    match value {
        Value::Bool(_) => true,
        Value::Number(n) => n.as_i64().is_some_and(|n| n == 0 || n == 1),
        Value::String(s) => {
            let t = s.trim();
            (!t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()))
                || [
                    "yes", "no", "on", "off", "true", "false", "t", "f", "y", "n",
                ]
                .contains(&t.to_ascii_lowercase().as_str())
        }
        _ => false,
    }
}

/// Whether ours refuses a lax value that floe read: a problem of shape of ours at a
/// lax value of the input where floe sees no problem of shape.
fn refuses_lax(case: &Value, ours: &Value, floe: &Value) -> bool {
    let floe_shapes: Vec<&Value> = floe["errors"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|e| e["message"] == "<shape>")
        .map(|e| &e["path"])
        .collect();
    ours["errors"].as_array().into_iter().flatten().any(|e| {
        let path = e["path"].as_str().unwrap_or_default();
        let pointer: String = path.split('.').map(|p| format!("/{p}")).collect();
        e["message"] == "<shape>"
            && case["input"].pointer(&pointer).is_some_and(lax)
            && !floe_shapes.contains(&&e["path"])
    })
}

/// The listed difference that explains `ours` against `floe` for `case`, if one does.
fn deliberate(case: &Value, ours: &Value, floe: &Value) -> Option<&'static str> {
    let refused = |v: &Value| v.get("errors").is_some() || v.get("raised").is_some();
    let refused_cidrs: Vec<String> = cidrs(case)
        .into_iter()
        .filter(|c| kubernetes_refuses(c))
        .map(|c| format!("Invalid CIDR: {c}"))
        .collect();
    if case["kind"] == "model" {
        if case["mutated"] == true && refuses_lax(case, ours, floe) {
            return Some("lax-scalars");
        }
        if equal_without(ours, floe, |m| m.ends_with('\n')) {
            return Some("trailing-newline");
        }
        if equal_without(ours, floe, |m| refused_cidrs.iter().any(|c| c == m)) {
            return Some("cidr-kubernetes-refuses");
        }
        if floe.get("plugin").is_some() {
            let mut expected = floe.clone();
            expected["plugin"] = plugin_policy_as_ours(&floe["plugin"], &case["input"]);
            if &expected == ours {
                return Some("plugin-policy-spec");
            }
        }
        return None;
    }
    let message = ours["message"].as_str().unwrap_or_default();
    if message.ends_with('\n') && !refused(floe) {
        return Some("trailing-newline");
    }
    if refused_cidrs.iter().any(|c| c == message) && !refused(floe) {
        return Some("cidr-kubernetes-refuses");
    }
    let args = &case["args"];
    match case["method"].as_str().unwrap_or_default() {
        "generate_k8s_api_egress_rule"
            if args["k8s_api_cidr"].is_null()
                && case["env"].as_str().is_some_and(|h| h.contains(':')) =>
        {
            Some("k8s-api-ipv6-host")
        }
        "generate_custom_egress_rule" | "generate_custom_egress_rules"
            if !matches!(args["protocol"].as_str(), None | Some("TCP" | "UDP"))
                && refused(ours)
                && !refused(floe) =>
        {
            Some("custom-egress-protocol")
        }
        "generate_namespace_manifest" if refused(ours) && !refused(floe) => {
            Some("namespace-manifest-name")
        }
        "generate_pod_security_context" | "generate_container_security_context"
            if !args["config"].is_null() =>
        {
            Some("security-context-config")
        }
        "generate_writable_volumes" => {
            if refused(ours) && !refused(floe) {
                Some("writable-path-refused")
            } else if &unique_volume_names(floe) == ours {
                Some("writable-unique-names")
            } else {
                None
            }
        }
        _ => None,
    }
}

#[test]
fn network_models_and_plugin_match_published_floe() {
    let mut cases = seeded_cases();
    cases.extend(hand_written_cases());
    let theirs = reference::run(SCRIPT, &cases);
    let mut outcomes = std::collections::BTreeMap::<String, (usize, usize)>::new();
    for (case, floe) in cases.iter().zip(&theirs) {
        let what = case["model"]
            .as_str()
            .or(case["method"].as_str())
            .unwrap_or("?");
        let slot = outcomes.entry(what.to_owned()).or_default();
        if floe.get("errors").is_some() || floe.get("raised").is_some() {
            slot.1 += 1;
        } else {
            slot.0 += 1;
        }
    }
    println!("floe's answers (accepted, refused): {outcomes:?}");
    let mut family = Family::new("network");
    for (i, (case, floe)) in cases.iter().zip(&theirs).enumerate() {
        let (ours, floe) = (comparable(&ours(case)), comparable(floe));
        let floe = &floe;
        let label = format!(
            "case {i} ({})",
            case["model"]
                .as_str()
                .or(case["method"].as_str())
                .unwrap_or("?")
        );
        let why = if &ours == floe {
            None
        } else {
            deliberate(case, &ours, floe)
        };
        family.compare(label, case, &ours, floe, why);
    }
    family.finish(1000);
}
