//! The `duckdb` compute and `core` dbt plugins against the real dbt-core 1.11,
//! dbt-duckdb and sqlfluff of the pinned Python environment.

#![cfg(all(feature = "duckdb", feature = "dbt-core"))]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod dbt_projects;
mod python_tools;
mod support;

use std::collections::BTreeSet;

use dbt_projects::{DbtProject, compute, dbt, text};
use python_tools::{duckdb_query, python_env};
use serde_json::{Value, json};

const FIELDS: &str = "import dataclasses, json\n\
from dbt.adapters.duckdb.credentials import DuckDBCredentials, Attachment\n\
print(json.dumps([[f.name for f in dataclasses.fields(c)] for c in (DuckDBCredentials, Attachment)]))";

/// Creates `items(id, name)` with three rows in the DuckDB file `db`.
fn items_table(db: &std::path::Path) {
    python_env().run_python(
        "import duckdb, sys\n\
         con = duckdb.connect(sys.argv[1])\n\
         con.execute(\"create table items as select * from (values (1, 'a'), (2, 'b'), (3, 'c')) t(id, name)\")\n\
         con.close()",
        &[&text(db)],
    );
}

#[test]
fn every_profile_key_is_one_dbt_duckdb_knows() {
    let fields: Value = serde_json::from_str(python_env().run_python(FIELDS, &[]).trim()).unwrap();
    let names = |i: usize| -> BTreeSet<String> {
        fields[i]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f.as_str().unwrap().to_owned())
            .collect()
    };
    // `type` and `threads` are read by dbt itself, not by the adapter's credentials.
    let mut profile_keys = names(0);
    profile_keys.extend(["type".to_owned(), "threads".to_owned()]);
    let attach_keys = names(1);

    let project = DbtProject::new();
    let registry = project.registry(json!({
        "path": text(&project.database("shop.duckdb")),
        "timeout_seconds": 600,
        "access_mode": "automatic",
        "extensions": ["json"],
        "settings": {"threads": 1},
        "attach": [{"path": "other.duckdb", "alias": "other", "type": "duckdb",
                    "options": {"read_only": "true", "access_mode": "read_only", "catalog_uri": "http://x"}}],
    }));
    let profile = compute(&registry).configured_dbt_profile().unwrap();
    for key in profile.as_object().unwrap().keys() {
        assert!(
            profile_keys.contains(key),
            "dbt-duckdb has no profile key '{key}'"
        );
    }
    for entry in profile["attach"].as_array().unwrap() {
        for key in entry.as_object().unwrap().keys() {
            assert!(
                attach_keys.contains(key),
                "dbt-duckdb has no attach key '{key}'"
            );
        }
        assert_eq!(entry["read_only"], json!(true), "read_only is a boolean");
    }
}

#[test]
fn an_attached_database_with_options_is_read_by_a_model() {
    let project = DbtProject::new();
    let other = project.database("other.duckdb");
    items_table(&other);
    project.file(
        "models/item_count.sql",
        "{{ config(materialized='table') }}\nselect count(*) as n from other.main.items\n",
    );
    let main = project.database("shop.duckdb");
    let registry = project.registry(json!({
        "path": text(&main),
        "attach": [{"path": text(&other), "alias": "other", "type": "duckdb",
                    "options": {"read_only": "true"}}],
    }));
    let result = dbt(&registry)
        .run_models(
            &project.root(),
            &project.profiles(),
            "dev",
            None,
            None,
            false,
        )
        .unwrap();
    assert!(result.success, "dbt run failed: {result:?}");
    assert_eq!(
        duckdb_query(&main, "select n from main.item_count"),
        [[json!(3)]]
    );
}

#[test]
fn access_mode_is_applied_when_the_database_opens() {
    let project = DbtProject::new();
    let main = project.database("shop.duckdb");
    items_table(&main);
    project.file(
        "models/sources.yml",
        "version: 2\nsources:\n  - name: raw\n    schema: main\n    tables:\n      - name: items\n",
    );
    project.file(
        "models/copy.sql",
        "{{ config(materialized='table') }}\nselect * from {{ source('raw', 'items') }}\n",
    );
    let registry = project.registry(json!({"path": text(&main), "access_mode": "read_only"}));
    let message = match dbt(&registry).run_models(
        &project.root(),
        &project.profiles(),
        "dev",
        None,
        None,
        false,
    ) {
        Ok(result) => format!("{:?}", result.failed_nodes),
        Err(e) => e.to_string(),
    };
    assert!(
        message.contains("attached in read-only mode"),
        "DuckDB opened the file read-only, so dbt cannot write: {message}"
    );
    assert!(
        !message.contains("Cannot change access_mode"),
        "access_mode must not be SET after opening: {message}"
    );

    let registry = project.registry(json!({"path": text(&main), "access_mode": "read_write"}));
    let run = dbt(&registry)
        .run_models(
            &project.root(),
            &project.profiles(),
            "dev",
            None,
            None,
            false,
        )
        .unwrap();
    assert!(run.success, "{run:?}");
    assert_eq!(
        duckdb_query(&main, "select count(*) from main.copy"),
        [[json!(3)]]
    );
}

#[test]
fn compile_errors_of_dbt_1_11_point_at_file_and_line() {
    let project = DbtProject::new();
    project.file(
        "models/broken.sql",
        "select 1 as id\n\nunion all\n{{ bad_macro( }}\n",
    );
    let main = project.database("shop.duckdb");
    let registry = project.registry(json!({"path": text(&main)}));
    let err = dbt(&registry)
        .compile_project(&project.root(), &project.profiles(), "dev")
        .unwrap_err()
        .to_string();
    assert!(err.contains("Compilation Error in model broken"), "{err}");
    assert!(err.ends_with("\n    at models/broken.sql:4"), "{err}");
}

#[test]
fn lint_takes_severity_from_sqlfluff_and_counts_columns_from_zero() {
    let project = DbtProject::new();
    project.file("models/orders.sql", "SELECT a,b from t\n");
    project.file(".sqlfluff", "[sqlfluff]\nwarnings = LT01\n");
    let registry = project.registry(json!({"path": text(&project.database("shop.duckdb"))}));
    let result = dbt(&registry)
        .lint_project(&project.root(), &project.profiles(), "dev", false)
        .unwrap();
    assert!(!result.success);
    let find = |code: &str| {
        result
            .issues
            .iter()
            .find(|i| i.code == code)
            .unwrap_or_else(|| panic!("no {code} in {:?}", result.issues))
    };
    let spacing = find("LT01");
    assert_eq!(
        (spacing.line, spacing.column, spacing.severity.as_str()),
        (1, 9, "warning"),
        "LT01 is at the 'b' after the comma (10th character, column 9) and configured as a warning"
    );
    let targets = find("LT09");
    assert_eq!((targets.column, targets.severity.as_str()), (0, "error"));
}

#[test]
fn lint_passes_when_every_finding_is_a_warning() {
    let project = DbtProject::new();
    project.file("models/orders.sql", "select  a from t\n");
    project.file(".sqlfluff", "[sqlfluff]\nwarnings = LT01\n");
    let registry = project.registry(json!({"path": text(&project.database("shop.duckdb"))}));
    let result = dbt(&registry)
        .lint_project(&project.root(), &project.profiles(), "dev", false)
        .unwrap();
    assert!(result.success, "{result:?}");
    let codes: Vec<(&str, &str)> = result
        .issues
        .iter()
        .map(|i| (i.code.as_str(), i.severity.as_str()))
        .collect();
    assert_eq!(codes, [("LT01", "warning")], "the double space, a warning");
}

#[test]
fn failing_nodes_are_listed_and_only_successes_count_as_run() {
    let project = DbtProject::new();
    project.file("models/good.sql", "select 1 as id union all select null\n");
    project.file("models/bad.sql", "select * from no_such_table\n");
    project.file("models/after_bad.sql", "select * from {{ ref('bad') }}\n");
    project.file(
        "models/schema.yml",
        "version: 2\nmodels:\n  - name: good\n    columns:\n      - name: id\n        data_tests: [not_null]\n",
    );
    let registry = project.registry(json!({"path": text(&project.database("shop.duckdb"))}));
    let run = dbt(&registry)
        .run_models(
            &project.root(),
            &project.profiles(),
            "dev",
            None,
            None,
            false,
        )
        .unwrap();
    assert!(!run.success);
    assert_eq!((run.models_run, run.failures), (1, 1), "{run:?}");
    assert_eq!(run.metadata["skipped"], 1);
    let bad = &run.failed_nodes[0];
    assert_eq!(
        (
            bad.unique_id.as_str(),
            bad.name.as_str(),
            bad.status.as_str()
        ),
        ("model.shop.bad", "bad", "error")
    );
    assert!(bad.message.contains("no_such_table"), "{}", bad.message);

    let tested = dbt(&registry)
        .test_models(&project.root(), &project.profiles(), "dev", Some("good"))
        .unwrap();
    assert!(!tested.success);
    assert_eq!((tested.tests_run, tested.failures), (1, 1));
    let failed = &tested.failed_nodes[0];
    assert!(
        failed.unique_id.starts_with("test.shop.not_null_good_id"),
        "{failed:?}"
    );
    assert_eq!(
        (failed.name.as_str(), failed.status.as_str()),
        ("not_null_good_id", "fail")
    );
    assert!(
        failed.message.contains("Got 1 result"),
        "{}",
        failed.message
    );
}

#[test]
fn deps_seed_build_and_docs_generate_work() {
    let project = DbtProject::new();
    project.file(
        "../helpers/dbt_project.yml",
        "name: helpers\nversion: '1.0'\nconfig-version: 2\n",
    );
    project.file(
        "../helpers/macros/double.sql",
        "{% macro double(x) %}({{ x }} * 2){% endmacro %}\n",
    );
    project.file("packages.yml", "packages:\n  - local: ../helpers\n");
    project.file("seeds/raw_orders.csv", "id,amount\n1,10\n2,20\n");
    project.file(
        "models/orders.sql",
        "select id, {{ helpers.double('amount') }} as amount from {{ ref('raw_orders') }}\n",
    );
    project.file(
        "models/schema.yml",
        "version: 2\nmodels:\n  - name: orders\n    columns:\n      - name: id\n        data_tests: [unique, not_null]\n",
    );
    let main = project.database("shop.duckdb");
    let registry = project.registry(json!({"path": text(&main)}));
    let dbt = dbt(&registry);
    dbt.install_deps(&project.root(), &project.profiles())
        .unwrap();
    assert!(
        project.root().join("dbt_packages/helpers").exists(),
        "deps installed the package"
    );

    let seeded = dbt
        .seed_data(&project.root(), &project.profiles(), "dev", None, false)
        .unwrap();
    assert!(seeded.success);
    assert_eq!(seeded.models_run, 1, "one seed loaded");

    let built = dbt
        .build_project(
            &project.root(),
            &project.profiles(),
            "dev",
            None,
            None,
            true,
        )
        .unwrap();
    assert!(built.success, "{built:?}");
    assert_eq!(
        (built.models_run, built.tests_run),
        (2, 2),
        "seed + model, two tests"
    );
    assert_eq!(
        duckdb_query(&main, "select sum(amount) from main.orders"),
        [[json!(60)]]
    );

    let catalog = dbt
        .generate_docs(&project.root(), &project.profiles(), "dev")
        .unwrap();
    let catalog: Value = serde_json::from_slice(&std::fs::read(catalog).unwrap()).unwrap();
    assert!(
        catalog["nodes"]["model.shop.orders"].is_object(),
        "orders is documented"
    );
}

#[test]
fn profiles_yml_names_the_projects_profile_and_target() {
    let project = DbtProject::new();
    let main = project.database("shop.duckdb");
    project.registry(json!({"path": text(&main), "threads": 2}));
    let written = std::fs::read_to_string(project.profiles().join("profiles.yml")).unwrap();
    let fields = python_env().run_python(
        "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
        &[&text(&project.profiles().join("profiles.yml"))],
    );
    let parsed: Value = serde_json::from_str(fields.trim()).unwrap();
    assert_eq!(
        parsed,
        json!({"shop": {"target": "dev", "outputs": {"dev": {"type": "duckdb", "path": text(&main), "threads": 2, "settings": {"memory_limit": "4GB"}}}}}),
        "{written}"
    );
}
