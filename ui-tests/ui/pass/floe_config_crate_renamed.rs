// A crate that reaches floe-registry under another name says so with `crate = ...`.
use floe_registry as reg;

#[reg::floe_config(serialize, crate = reg)]
#[derive(Debug, PartialEq)]
struct Settings {
    threads: u8,
}

fn main() {
    let settings: Settings = reg::serde_json::from_str(r#"{"threads": 4}"#).expect("reads");
    assert_eq!(settings, Settings { threads: 4 });
    assert_eq!(reg::serde_json::to_string(&settings).ok().as_deref(), Some(r#"{"threads":4}"#));
    let schema = reg::schemars::schema_for!(Settings);
    assert_eq!(schema.get("title"), Some(&reg::serde_json::json!("Settings")));
}
