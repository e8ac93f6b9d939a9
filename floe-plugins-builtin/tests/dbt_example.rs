//! Runs the `dbt_end_to_end` example (a dbt project through the registry: profile,
//! seed, run, test, lint, then the DuckDB file queried) with the pinned tools.

#![cfg(all(feature = "duckdb", feature = "dbt-core"))]

mod python_tools;

#[path = "../examples/dbt_end_to_end/main.rs"]
mod example;

#[test]
fn the_dbt_example_runs_end_to_end() {
    let env = python_tools::python_env();
    let work = tempfile::tempdir().expect("a temporary directory");
    let outcome = example::run(&env.root().join("bin"), work.path()).expect("the example runs");
    assert_eq!(
        (outcome.seeds, outcome.models, outcome.tests),
        (1, 1, 2),
        "one seed, one model, two tests: {outcome:?}"
    );
    assert_eq!(outcome.totals, "ada|38\ngrace|12");
    assert_eq!(
        outcome.lint_issues, 0,
        "the example's SQL is lint-clean: {outcome:?}"
    );
}
