//! Reading a generated manifest back into the typed Kubernetes API structs of
//! k8s-openapi (Kubernetes 1.33) through YAML, so a misspelt or misplaced field, which
//! the typed struct drops, fails the comparison.

#![allow(dead_code)]

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// Writes `manifest` as YAML, reads it as `T`, and asserts that `T` serialises back to
/// exactly `manifest`.
pub fn assert_round_trips<T: DeserializeOwned + Serialize>(manifest: &Value) {
    let yaml = serde_saphyr::to_string(manifest).expect("the manifest serialises to YAML");
    let typed: T = serde_saphyr::from_str(&yaml).unwrap_or_else(|e| {
        panic!(
            "the YAML does not read as {}: {e}\n{yaml}",
            std::any::type_name::<T>()
        )
    });
    let back = serde_json::to_value(&typed).expect("the typed value serialises");
    assert_eq!(
        &back,
        manifest,
        "{} dropped or changed fields of the manifest (a misspelt field?)",
        std::any::type_name::<T>()
    );
}
