//! Fault suite of the manifest reader: arbitrary text, and arbitrary manifest-shaped
//! YAML, never panic; a document that parses is checked into structured problems.

use proptest::prelude::*;

use crate::{check, manifest};

fn scalar() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("null".to_owned()),
        Just("true".to_owned()),
        Just("~".to_owned()),
        Just("[]".to_owned()),
        Just("{}".to_owned()),
        any::<i64>().prop_map(|n| n.to_string()),
        "[a-z0-9 ._:-]{0,12}",
        "\"[^\"\\\\]{0,10}\"",
        Just("duckdb".to_owned()),
        Just("0.1.0".to_owned()),
        Just("&a x".to_owned()),
        Just("*a".to_owned()),
    ]
}

/// A manifest-shaped YAML document with random categories, keys and values.
fn manifest_like() -> impl Strategy<Value = String> {
    let category = prop_oneof![
        Just("compute"),
        Just("storage"),
        Just("secrets"),
        Just("catalog"),
        Just("telemetry_backend"),
        Just("computer"),
        Just("\"\""),
    ];
    let key = prop_oneof![
        Just("type"),
        Just("version"),
        Just("config"),
        Just("connection_secret_ref"),
        Just("extra"),
    ];
    let selection = prop::collection::vec((key, scalar()), 0..5).prop_map(|pairs| {
        pairs
            .into_iter()
            .map(|(k, v)| format!("    {k}: {v}\n"))
            .collect::<String>()
    });
    let plugins = prop::collection::vec((category, selection), 0..4).prop_map(|cats| {
        cats.into_iter()
            .map(|(c, body)| format!("  {c}:\n{body}"))
            .collect::<String>()
    });
    (scalar(), scalar(), plugins).prop_map(|(api, kind, plugins)| {
        format!("apiVersion: {api}\nkind: {kind}\nmetadata: {{name: x}}\nplugins:\n{plugins}")
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_text_never_panics(text in "\\PC{0,200}") {
        if let Ok(root) = manifest::parse(&text) {
            let _ = check::check_document(floe_registry::PluginRegistry::global(), &root);
        }
    }

    #[test]
    fn manifest_shaped_documents_give_structured_problems(text in manifest_like()) {
        match manifest::parse(&text) {
            Ok(root) => {
                let report = check::check_document(floe_registry::PluginRegistry::global(), &root);
                for problem in &report.problems {
                    prop_assert!(!problem.message.is_empty(), "a problem says what is wrong");
                }
            }
            Err(manifest::ReadError::Syntax { message, .. }) => prop_assert!(!message.is_empty()),
            Err(manifest::ReadError::Unreadable(message)) => prop_assert!(!message.is_empty()),
        }
    }
}
