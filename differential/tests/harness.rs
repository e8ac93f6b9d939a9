//! The harness itself: published floe answers, and a difference is reported.

use floe_differential::compare::Family;
use floe_differential::reference;
use serde_json::{Value, json};

#[test]
fn published_floe_core_answers_a_batch() {
    let script = r#"
from floe_core.plugin_types import PluginType
asked = json.load(sys.stdin)
print(json.dumps([[t.value for t in PluginType if t.name == name] for name in asked]))
"#;
    let out = reference::run(script, &[json!("COMPUTE"), json!("RBAC")]);
    assert_eq!(out, vec![json!(["floe.computes"]), json!(["floe.rbac"])]);
}

#[test]
#[should_panic(expected = "1 of 2 demo cases differ from floe 0.1.0a1 without a listed reason")]
fn an_unlisted_difference_fails_with_both_outputs() {
    let mut family = Family::new("demo");
    family.compare("same", &Value::Null, &json!(1.0), &json!(1.0), None);
    family.compare("other", &Value::Null, &json!(1), &json!(1.0), None);
    family.finish(2);
}

#[test]
#[should_panic(
    expected = "deliberate difference `nowhere` is not in docs/deliberate-differences.md"
)]
fn an_id_missing_from_the_table_fails() {
    let mut family = Family::new("demo");
    family.compare("x", &Value::Null, &json!(1), &json!(2), Some("nowhere"));
    family.finish(1);
}
