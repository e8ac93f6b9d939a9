//! Reading a dbt command's `run_results.json` into counts and the nodes that failed:
//! one reading for the `core` and `fusion` plugins, which write the same file.

use floe_registry::DbtNodeResult;
use serde_json::Value;

/// What a dbt command's results count as `models_run`, `tests_run` and `failures`.
#[derive(Clone, Copy, PartialEq, Eq)]
// dbt-fusion runs no seed or build of its own: only dbt-core constructs those.
#[cfg_attr(not(feature = "dbt-core"), allow(dead_code))]
pub(crate) enum Kind {
    /// `dbt run`.
    Run,
    /// `dbt test`.
    Test,
    /// `dbt seed`.
    Seed,
    /// `dbt build`.
    Build,
}

/// The counts and failed nodes of one invocation.
#[derive(Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    /// Non-test nodes whose status is `success`.
    pub(crate) built: u32,
    /// Test nodes that ran (any status but `skipped`).
    pub(crate) tests: u32,
    /// Nodes with status `error` or `fail`.
    pub(crate) failed: Vec<DbtNodeResult>,
    /// Nodes dbt skipped (after an upstream failure).
    pub(crate) skipped: u32,
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// The tally of the `results` of a `run_results.json` document of a `kind` command.
/// In `dbt test` every result is a test; otherwise tests are the `test.` and
/// `unit_test.` nodes.
pub(crate) fn tally(kind: Kind, run_results: &Value) -> Tally {
    let entries = run_results
        .get("results")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let text = |entry: &Value, key: &str| {
        entry
            .get(key)
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned()
    };
    let mut tally = Tally::default();
    let (mut built, mut tests, mut skipped) = (0, 0, 0);
    for entry in entries {
        let unique_id = text(entry, "unique_id");
        let status = text(entry, "status");
        let is_test = kind == Kind::Test
            || unique_id.starts_with("test.")
            || unique_id.starts_with("unit_test.");
        match status.as_str() {
            "skipped" => skipped += 1,
            "success" | "pass" if !is_test => built += 1,
            _ => {}
        }
        if is_test && status != "skipped" {
            tests += 1;
        }
        if matches!(status.as_str(), "error" | "fail" | "runtime error") {
            let name = unique_id
                .split('.')
                .nth(2)
                .map(str::to_owned)
                .unwrap_or_else(|| unique_id.clone());
            tally.failed.push(DbtNodeResult {
                unique_id,
                name,
                status,
                message: text(entry, "message"),
            });
        }
    }
    tally.built = count(built);
    tally.tests = count(tests);
    tally.skipped = count(skipped);
    tally
}
