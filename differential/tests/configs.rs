//! Plugin configs judged by published floe and by us (issue 21): for every plugin on
//! both sides, configs generated from both sides' schemas (the defaults, each required
//! field missing, a wrong type, pydantic's lax spellings and a null per field, each
//! bound broken, unknown keys; at least 30 a plugin), judged by floe-core 0.1.0a1's own
//! `PluginRegistry.configure` (pydantic, through the published plugin's
//! `get_config_schema()`) and by our registry's `validate_config`.
//!
//! What is compared: whether the config is accepted, and the fields each side names in
//! its errors. The message texts are each side's own (pydantic's and ours) and are not
//! compared; floe-python's `published` test compares texts where the validator is the
//! same.
//!
//! Not compared: `network_security:k8s` (floe-core's registry does not scan that group)
//! and the plugins whose published package is not in the pinned environment (dagster,
//! dbt core, which need dagster and dbt installed; both take any config in floe).

use std::collections::BTreeSet;

use floe_differential::compare::Family;
use floe_differential::configs::generated;
use floe_differential::reference;
use floe_plugins_builtin as _;
use floe_registry::{PluginError, PluginRegistry, PluginType};
use serde_json::{Value, json};

/// The plugins on both sides: our type and name (floe's are the same).
const PLUGINS: [(PluginType, &str); 10] = [
    (PluginType::Catalog, "polaris"),
    (PluginType::Catalog, "glue"),
    (PluginType::Storage, "aws-s3"),
    (PluginType::Storage, "minio"),
    (PluginType::LineageBackend, "marquez"),
    (PluginType::Ingestion, "dlt"),
    (PluginType::Quality, "great_expectations"),
    (PluginType::Compute, "duckdb"),
    (PluginType::TelemetryBackend, "jaeger"),
    (PluginType::Rbac, "k8s"),
];

/// floe-core's registry: each plugin's schema, then its verdict on each config (null:
/// accepted; else the fields its errors name).
const FLOE: &str = r#"
from floe_core.plugin_errors import PluginConfigurationError
from floe_core.plugin_registry import PluginRegistry
from floe_core.plugin_types import PluginType

registry = PluginRegistry()
registry.discover_all()
out = []
for group, name, configs in json.load(sys.stdin):
    plugin_type = next(t for t in PluginType if t.value == group)
    if configs is None:
        schema = registry.get(plugin_type, name).get_config_schema()
        out.append(schema.model_json_schema() if schema is not None else None)
        continue
    verdicts = []
    for config in configs:
        try:
            registry.configure(plugin_type, name, config)
            verdicts.append(None)
        except PluginConfigurationError as e:
            verdicts.append(sorted({str(x["field"]) for x in e.errors}))
    out.append(verdicts)
print(json.dumps(out))
"#;

/// Our verdict: null when accepted, else the sorted fields our errors name.
fn ours(registry: &PluginRegistry, t: PluginType, name: &str, config: &Value) -> Value {
    match registry.validate_config(t, name, config.clone()) {
        Ok(()) => Value::Null,
        Err(PluginError::Configuration { errors, .. }) => {
            let fields: BTreeSet<String> = errors.into_iter().map(|e| e.field).collect();
            json!(fields)
        }
        Err(other) => json!(format!("not a configuration error: {other}")),
    }
}

/// The fields a verdict names (none when the config was accepted).
fn named(verdict: &Value) -> BTreeSet<String> {
    verdict
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect()
}

/// Whether our verdict is exactly floe's less the fields in `excused`.
fn ours_is_theirs_less(ours: &Value, theirs: &Value, excused: &BTreeSet<String>) -> bool {
    let expected: BTreeSet<String> = named(theirs).difference(excused).cloned().collect();
    if expected.is_empty() {
        ours.is_null()
    } else {
        named(ours) == expected
    }
}

/// The deliberate difference that explains exactly how our verdict `ours` on `config`
/// differs from floe's `theirs`, if one does (the rows of family `configs` in
/// docs/deliberate-differences.md). `unportable` are the fields of `config` whose
/// schema says published floe refuses them (`x-floe-rejected-by`, read by
/// `PluginRegistry::unportable_fields`: the one list of them).
fn deliberate(
    t: PluginType,
    name: &str,
    config: &Value,
    (ours, theirs): (&Value, &Value),
    unportable: &BTreeSet<String>,
) -> Option<&'static str> {
    // floe's get_config_schema() is None: any config is taken unvalidated.
    let unvalidated = matches!(
        (t, name),
        (PluginType::Compute, "duckdb")
            | (PluginType::TelemetryBackend, "jaeger")
            | (PluginType::Rbac, "k8s")
    );
    if unvalidated {
        return theirs.is_null().then_some("validated-where-floe-does-not");
    }
    // Fields floe refuses and we accept: floe names them; we name nothing floe does
    // not (we may still name one of them, for a problem inside it).
    let (o, f) = (named(ours), named(theirs));
    if !unportable.is_empty() && o.is_subset(&f) && f.difference(&o).all(|x| unportable.contains(x))
    {
        return Some("fields-floe-refuses");
    }
    // floe copies the raw `bucket` into an unset `artifact_bucket` before validating,
    // so a bad bucket is reported twice there.
    if (t, name) == (PluginType::Storage, "aws-s3")
        && !config["bucket"].is_string()
        && config["artifact_bucket"].is_null()
        && ours_is_theirs_less(
            ours,
            theirs,
            &BTreeSet::from(["artifact_bucket".to_owned()]),
        )
    {
        return Some("bad-bucket-reported-once");
    }
    // A boolean where a number is wanted: floe reads true / false as 1 / 0, we refuse
    // it. Every field only we name holds a boolean; floe, reading further, may report
    // the whole config's rule instead (at "").
    let extra: Vec<String> = named(ours).difference(&named(theirs)).cloned().collect();
    let only_theirs: Vec<String> = named(theirs).difference(&named(ours)).cloned().collect();
    (!extra.is_empty()
        && only_theirs.iter().all(String::is_empty)
        && extra
            .iter()
            .all(|f| config.get(f).is_some_and(Value::is_boolean)))
    .then_some("bool-as-number")
}

#[test]
fn our_configs_are_judged_as_published_floe_judges_them() {
    let registry = PluginRegistry::new();
    registry.discover_all();
    let group = |t: PluginType| t.entry_point_group();
    // floe's schemas first, to generate from both sides' schemas.
    let asked: Vec<Value> = PLUGINS
        .iter()
        .map(|(t, name)| json!([group(*t), name, null]))
        .collect();
    let floe_schemas = reference::run(FLOE, &asked);
    let mut cases = Vec::new();
    for ((t, name), floe_schema) in PLUGINS.iter().zip(&floe_schemas) {
        let our_schema = registry
            .config_schema(*t, name)
            .unwrap_or_else(|e| panic!("{t}:{name} is not one of ours: {e}"));
        let mut configs = generated(Some(floe_schema).filter(|s| !s.is_null()));
        for config in generated(our_schema.as_ref()) {
            if !configs.contains(&config) {
                configs.push(config);
            }
        }
        cases.push((*t, *name, configs));
    }
    let asked: Vec<Value> = cases
        .iter()
        .map(|(t, name, configs)| json!([group(*t), name, configs]))
        .collect();
    let theirs = reference::run(FLOE, &asked);
    let mut family = Family::new("configs");
    for ((t, name, configs), verdicts) in cases.iter().zip(&theirs) {
        let verdicts = verdicts.as_array().cloned().unwrap_or_default();
        assert_eq!(verdicts.len(), configs.len(), "{t}:{name}");
        for (config, theirs) in configs.iter().zip(&verdicts) {
            let ours = ours(&registry, *t, name, config);
            let unportable: BTreeSet<String> = registry
                .unportable_fields(*t, name, config)
                .unwrap_or_else(|e| panic!("{t}:{name}: {e}"))
                .into_iter()
                .map(|u| u.field)
                .collect();
            let input = json!({"plugin": format!("{t}:{name}"), "config": config});
            family.compare(
                format!("{t}:{name}"),
                &input,
                &ours,
                theirs,
                deliberate(*t, name, config, (&ours, theirs), &unportable),
            );
        }
    }
    family.finish(30 * PLUGINS.len());
}
