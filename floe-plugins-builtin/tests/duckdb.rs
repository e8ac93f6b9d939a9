//! The `duckdb` compute plugin through the registry.

#![cfg(feature = "duckdb")]
#![allow(clippy::unwrap_used)] // tests: a failed unwrap is a failed test

mod support;

use std::any::Any;
use std::collections::BTreeMap;
use std::io::Write;

use floe_plugins_builtin::duckdb::{AccessMode, DuckDbConfig, DuckDbPlugin};
use floe_registry::{
    CatalogConfig, ComputeConfig, ComputePlugin, ConfigErrorKind, ConnectionStatus, HealthState,
    PluginRegistry, PluginType, ResourceSpec, Secret,
};
use serde_json::{Map, Value, json};
use support::canary::CANARY;
use support::config_errors::{assert_has, refused_config};
use support::registry::registry;
use support::schema::assert_schema_snapshot;

const T: PluginType = PluginType::Compute;

fn duckdb(registry: &PluginRegistry) -> &dyn ComputePlugin {
    registry.get_as::<dyn ComputePlugin>("duckdb").unwrap()
}

fn compute(threads: u32, connection: Value) -> ComputeConfig {
    let mut c = ComputeConfig::new("duckdb");
    c.threads = threads;
    c.connection = match connection {
        Value::Object(m) => m,
        _ => Map::new(),
    };
    c
}

fn catalog(
    name: &str,
    uri: &str,
    warehouse: Option<&str>,
    creds: &[(&str, &str)],
) -> CatalogConfig {
    CatalogConfig {
        catalog_type: "rest".into(),
        catalog_uri: uri.into(),
        catalog_name: name.into(),
        warehouse: warehouse.map(str::to_owned),
        credentials: creds
            .iter()
            .map(|(k, v)| (k.to_string(), Secret::new(*v)))
            .collect::<BTreeMap<_, _>>(),
    }
}

fn duckdb_file(dir: &tempfile::TempDir, name: &str) -> String {
    let path = dir.path().join(name);
    let mut f = std::fs::File::create(&path).unwrap();
    // DuckDB's header: an 8-byte checksum, then the magic "DUCK", then the version.
    f.write_all(&[0u8; 8]).unwrap();
    f.write_all(b"DUCK").unwrap();
    f.write_all(&64u64.to_le_bytes()).unwrap();
    path.to_str().unwrap().to_owned()
}

#[test]
fn metadata_matches_the_reference() {
    let info = registry().info(T, "duckdb").unwrap();
    assert_eq!(info.version, "0.1.0");
    assert_eq!(info.floe_api_version, "1.0");
    assert_eq!(
        info.description,
        "DuckDB in-process analytical database for floe dbt transforms"
    );
    assert!(info.dependencies.is_empty());
}

#[test]
fn schema_matches_the_snapshot() {
    assert_schema_snapshot(T, "duckdb");
}

#[test]
fn schema_has_the_reference_defaults_and_ranges() {
    let schema = registry().config_schema(T, "duckdb").unwrap().unwrap();
    let p = &schema["properties"];
    assert_eq!(
        (
            p["threads"]["minimum"].clone(),
            p["threads"]["maximum"].clone(),
            p["threads"]["default"].clone()
        ),
        (json!(1), json!(64), json!(4))
    );
    assert_eq!(
        (
            p["timeout_seconds"]["minimum"].clone(),
            p["timeout_seconds"]["maximum"].clone(),
            p["timeout_seconds"]["default"].clone()
        ),
        (json!(1), json!(86400), json!(3600))
    );
    assert_eq!(p["path"]["default"], ":memory:");
    assert_eq!(p["memory_limit"]["default"], "4GB");
    assert_eq!(
        p["access_mode"]["enum"],
        json!(["automatic", "read_only", "read_write", null])
    );
    assert_eq!(schema["additionalProperties"], false);
}

#[test]
fn a_full_config_with_nested_attachments_is_accepted() {
    let registry = registry();
    registry
        .configure(
            T,
            "duckdb",
            json!({
                "path": "/data/a.duckdb",
                "threads": 8,
                "timeout_seconds": 600,
                "memory_limit": "512 MB",
                "access_mode": "read_write",
                "extensions": ["iceberg", "httpfs"],
                "attach": [{"path": "polaris", "alias": "ice", "options": {"catalog_uri": "http://polaris:8181/api/catalog"}}],
                "settings": {"threads": 2, "enable_progress_bar": false},
            }),
        )
        .unwrap();
    let c = registry
        .config::<DuckDbConfig>(T, "duckdb")
        .unwrap()
        .unwrap();
    assert_eq!((c.threads, c.timeout_seconds), (8, 600));
    assert_eq!(c.access_mode, Some(AccessMode::ReadWrite));
    assert_eq!(
        c.attach[0].kind, "iceberg",
        "attach type defaults to iceberg"
    );
    assert_eq!(c.attach[0].alias, "ice");
    assert_eq!(c.settings["threads"], 2);
}

#[test]
fn defaults_fill_an_empty_config() {
    let registry = registry();
    registry.configure(T, "duckdb", json!({})).unwrap();
    let c = registry
        .config::<DuckDbConfig>(T, "duckdb")
        .unwrap()
        .unwrap();
    assert_eq!(*c, DuckDbConfig::default());
    assert_eq!(
        (
            c.path.as_str(),
            c.threads,
            c.timeout_seconds,
            c.memory_limit.as_str()
        ),
        (":memory:", 4, 3600, "4GB")
    );
}

#[test]
fn every_config_problem_is_reported_with_its_path() {
    let (errors, _) = refused_config(
        &registry(),
        T,
        "duckdb",
        json!({
            "threads": 0,
            "timeout_seconds": 90000,
            "memory_limit": "4TB",
            "access_mode": "sometimes",
            "extensions": "iceberg",
            "attach": [{"path": "x"}, {"path": "y", "alias": "1bad", "colour": 1}],
            "settings": [],
            "thread": 4,
        }),
    );
    assert_has(&errors, "threads", ConfigErrorKind::Range);
    assert_has(&errors, "timeout_seconds", ConfigErrorKind::Range);
    assert_has(&errors, "memory_limit", ConfigErrorKind::Pattern);
    assert_has(&errors, "access_mode", ConfigErrorKind::Enum);
    assert_has(&errors, "extensions", ConfigErrorKind::Type);
    assert_has(&errors, "attach.0.alias", ConfigErrorKind::Missing);
    assert_has(&errors, "attach.1.alias", ConfigErrorKind::Pattern);
    assert_has(&errors, "attach.1.colour", ConfigErrorKind::UnknownField);
    assert_has(&errors, "settings", ConfigErrorKind::Type);
    assert_has(&errors, "thread", ConfigErrorKind::UnknownField);
}

#[test]
fn the_config_becomes_the_platform_compute_config() {
    let config: DuckDbConfig = serde_json::from_value(json!({
        "path": "/d.duckdb", "threads": 2, "extensions": ["iceberg"],
        "attach": [{"path": "p", "alias": "a"}],
    }))
    .unwrap();
    let c = config.to_compute_config();
    assert_eq!(
        (c.plugin.as_str(), c.threads, c.timeout_seconds),
        ("duckdb", 2, 3600)
    );
    assert_eq!(
        Value::Object(c.connection),
        json!({"path": "/d.duckdb", "memory_limit": "4GB", "extensions": ["iceberg"],
               "attach": [{"path": "p", "alias": "a", "type": "iceberg", "options": {}}]})
    );
}

#[test]
fn dbt_profile_matches_the_reference_example() {
    let registry = registry();
    let profile = duckdb(&registry)
        .generate_dbt_profile(&compute(
            8,
            json!({"path": "/data/a.duckdb", "memory_limit": "4GB", "extensions": ["iceberg", "httpfs"], "settings": {"threads": 2}}),
        ))
        .unwrap();
    assert_eq!(
        profile,
        json!({"type": "duckdb", "path": "/data/a.duckdb", "threads": 8,
               "extensions": ["iceberg", "httpfs"], "settings": {"memory_limit": "4GB", "threads": 2}}),
        "timeout_seconds is not a dbt-duckdb profile key, so it is left out"
    );
}

#[test]
fn dbt_profile_of_an_empty_connection_is_in_memory() {
    let registry = registry();
    let profile = duckdb(&registry)
        .generate_dbt_profile(&compute(4, json!({})))
        .unwrap();
    assert_eq!(
        profile,
        json!({"type": "duckdb", "path": ":memory:", "threads": 4})
    );
}

#[test]
fn explicit_settings_win_and_access_mode_is_an_open_time_option() {
    let registry = registry();
    let profile = duckdb(&registry)
        .generate_dbt_profile(&compute(
            4,
            json!({"memory_limit": "4GB", "access_mode": "read_only", "settings": {"memory_limit": "1GB"}, "extensions": []}),
        ))
        .unwrap();
    assert_eq!(profile["settings"], json!({"memory_limit": "1GB"}));
    assert_eq!(
        profile["config_options"],
        json!({"access_mode": "read_only"}),
        "access_mode is given to DuckDB when it opens the file, not SET afterwards"
    );
    assert!(
        profile.get("extensions").is_none(),
        "empty extensions are left out"
    );
}

#[test]
fn attach_entries_take_dbt_duckdbs_shape() {
    let registry = registry();
    let profile = duckdb(&registry)
        .generate_dbt_profile(&compute(
            4,
            json!({"attach": [
                {"path": "polaris", "alias": "ice", "type": "iceberg", "options": {"catalog_uri": "http://p:8181", "read_only": "true"}},
                {"path": "/other.duckdb", "options": {"access_mode": "read_only", "type": "duckdb"}},
                {"path": "pg", "secret": "s", "is_ducklake": false, "options": {"schema": "public", "read_only": false}},
            ]}),
        ))
        .unwrap();
    assert_eq!(
        profile["attach"],
        json!([
            {"path": "polaris", "alias": "ice", "type": "iceberg", "read_only": true, "options": {"endpoint": "http://p:8181"}},
            {"path": "/other.duckdb", "type": "duckdb", "read_only": true},
            {"path": "pg", "secret": "s", "read_only": false, "options": {"schema": "public"}, "is_ducklake": false},
        ])
    );
}

#[test]
fn attach_keys_dbt_duckdb_refuses_are_refused_here() {
    let registry = registry();
    let err = duckdb(&registry)
        .generate_dbt_profile(&compute(
            4,
            json!({"attach": [{"path": "p", "catalog_uri": "x"}]}),
        ))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains(
            "connection.attach.0 has the key 'catalog_uri', which dbt-duckdb does not accept"
        ),
        "{err}"
    );
    let err = duckdb(&registry)
        .generate_dbt_profile(&compute(
            4,
            json!({"attach": [{"path": "p", "options": {"read_only": "maybe"}}]}),
        ))
        .unwrap_err()
        .to_string();
    assert!(
        err.contains("options.read_only must be true or false"),
        "{err}"
    );
    let err = duckdb(&registry)
        .generate_dbt_profile(&compute(4, json!({"attach": [{"alias": "a"}]})))
        .unwrap_err();
    assert_eq!(err.to_string(), "connection.attach.0 has no 'path'");
}

#[test]
fn dbt_profile_refuses_traversal_and_empty_paths() {
    let registry = registry();
    let plugin = duckdb(&registry);
    let err = plugin
        .generate_dbt_profile(&compute(4, json!({"path": "/data/../etc/x.duckdb"})))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Database path must not contain '..' (path traversal)"
    );
    for bad in ["", "/", "./", "_-:"] {
        let err = plugin
            .generate_dbt_profile(&compute(4, json!({"path": bad})))
            .unwrap_err();
        assert_eq!(err.to_string(), format!("Invalid database path: '{bad}'"));
    }
}

#[test]
fn required_packages_and_self_hosting() {
    let registry = registry();
    assert_eq!(
        duckdb(&registry).get_required_dbt_packages(),
        ["dbt-duckdb>=1.7.0", "duckdb>=1.4.0"]
    );
    assert!(duckdb(&registry).is_self_hosted());
}

#[test]
fn validate_connection_accepts_memory_and_duckdb_files() {
    let registry = registry();
    let dir = tempfile::tempdir().unwrap();
    let file = duckdb_file(&dir, "a.duckdb");
    let memory = duckdb(&registry)
        .validate_connection(&compute(4, json!({})))
        .unwrap();
    assert_eq!(memory.status, ConnectionStatus::Healthy);
    assert!(memory.latency_ms >= 0.0);
    let result = duckdb(&registry)
        .validate_connection(&compute(4, json!({"path": file})))
        .unwrap();
    assert_eq!(result.status, ConnectionStatus::Healthy, "{result:?}");
    assert_eq!(
        result.message,
        format!("DuckDB database file validated: {file}")
    );
}

#[test]
fn validate_connection_reports_missing_and_foreign_files() {
    let registry = registry();
    let dir = tempfile::tempdir().unwrap();
    let missing = dir.path().join("none.duckdb").to_str().unwrap().to_owned();
    let result = duckdb(&registry)
        .validate_connection(&compute(4, json!({"path": missing})))
        .unwrap();
    assert_eq!(result.status, ConnectionStatus::Unhealthy);
    assert_eq!(
        result.message,
        format!("DuckDB database file not found: {missing}")
    );

    let sqlite = dir.path().join("x.db");
    std::fs::write(&sqlite, b"SQLite format 3\0 and more bytes").unwrap();
    let result = duckdb(&registry)
        .validate_connection(&compute(4, json!({"path": sqlite.to_str().unwrap()})))
        .unwrap();
    assert_eq!(result.status, ConnectionStatus::Unhealthy);
    assert!(
        result.message.contains("no DuckDB header"),
        "{}",
        result.message
    );

    let short = dir.path().join("short.duckdb");
    std::fs::write(&short, b"DUCK").unwrap();
    let result = duckdb(&registry)
        .validate_connection(&compute(4, json!({"path": short.to_str().unwrap()})))
        .unwrap();
    assert!(result.message.contains("too short"), "{}", result.message);

    let result = duckdb(&registry)
        .validate_connection(&compute(4, json!({"path": dir.path().to_str().unwrap()})))
        .unwrap();
    assert_eq!(result.status, ConnectionStatus::Unhealthy);
}

#[test]
fn validate_connection_refuses_a_traversing_path() {
    let registry = registry();
    let err = duckdb(&registry)
        .validate_connection(&compute(4, json!({"path": "../x.duckdb"})))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "Database path must not contain '..' (path traversal)"
    );
}

#[test]
fn resource_requirements_match_the_reference_table() {
    let registry = registry();
    let plugin = duckdb(&registry);
    let cases = [
        ("small", ["100m", "500m", "256Mi", "512Mi", "100Mi", "1Gi"]),
        ("medium", ["500m", "2000m", "1Gi", "4Gi", "100Mi", "1Gi"]),
        ("large", ["2000m", "8000m", "4Gi", "16Gi", "100Mi", "1Gi"]),
    ];
    for (size, values) in cases {
        assert_eq!(
            plugin.get_resource_requirements(size).unwrap(),
            ResourceSpec::new(values),
            "{size}"
        );
    }
    assert_eq!(
        plugin
            .get_resource_requirements("huge")
            .unwrap_err()
            .to_string(),
        "Unknown workload size: huge. Valid sizes: large, medium, small"
    );
}

#[test]
fn attachment_sql_matches_the_reference_example() {
    let registry = registry();
    let sql = duckdb(&registry)
        .get_catalog_attachment_sql(&catalog(
            "ice",
            "http://polaris:8181/api/catalog",
            Some("floe_warehouse"),
            &[("client_id", "abc"), ("client_secret", "xyz")],
        ))
        .unwrap()
        .unwrap();
    assert_eq!(
        sql,
        [
            "INSTALL iceberg;",
            "LOAD iceberg;",
            "ATTACH 'ice' AS ice (TYPE ICEBERG, ENDPOINT 'http://polaris:8181/api/catalog', WAREHOUSE 'floe_warehouse', CLIENT_ID 'abc', CLIENT_SECRET 'xyz');",
        ]
    );
}

#[test]
fn attachment_sql_escapes_quotes_and_leaves_out_empty_parts() {
    let registry = registry();
    let sql = duckdb(&registry)
        .get_catalog_attachment_sql(&catalog(
            "_c1",
            "HTTPS://h/x?a='b'",
            None,
            &[("client_secret", "it's")],
        ))
        .unwrap()
        .unwrap();
    assert_eq!(
        sql[2],
        "ATTACH '_c1' AS _c1 (TYPE ICEBERG, ENDPOINT 'HTTPS://h/x?a=''b''', CLIENT_SECRET 'it''s');"
    );
    let sql = duckdb(&registry)
        .get_catalog_attachment_sql(&catalog("c", "", Some(""), &[]))
        .unwrap()
        .unwrap();
    assert_eq!(sql[2], "ATTACH 'c' AS c (TYPE ICEBERG);");
}

#[test]
fn attachment_sql_errors_match_the_reference_and_hide_secrets() {
    let registry = registry();
    let plugin = duckdb(&registry);
    let creds = [("client_secret", CANARY)];
    let cases = [
        (
            catalog("1ice", "http://p", None, &creds),
            "Invalid catalog_name: '1ice'. Must contain only alphanumeric characters and underscores, and must start with a letter or underscore.",
        ),
        (
            catalog("ice", "ftp://p", None, &creds),
            "Invalid catalog URI scheme: 'ftp'. Allowed schemes: http, https",
        ),
        (
            catalog("ice", "polaris:8181", None, &creds),
            "Invalid catalog URI scheme: ''. Allowed schemes: http, https",
        ),
        (
            catalog("ice", "http://p", Some("wh'; DROP"), &creds),
            "Invalid warehouse: 'wh'; DROP'. Must contain only alphanumeric characters, underscores, hyphens, slashes, dots, and colons.",
        ),
    ];
    for (config, expected) in cases {
        let err = plugin
            .get_catalog_attachment_sql(&config)
            .unwrap_err()
            .to_string();
        assert_eq!(err, expected);
        assert!(!err.contains(CANARY));
    }
}

#[test]
fn cube_datasource_uses_the_configured_database() {
    let registry = registry();
    registry
        .configure(T, "duckdb", json!({"path": "/data/a.duckdb"}))
        .unwrap();
    let meta = registry.get(T, "duckdb").unwrap().metadata();
    let plugin = (meta as &dyn Any).downcast_ref::<DuckDbPlugin>().unwrap();
    assert_eq!(
        plugin.get_cube_datasource_config(None).unwrap(),
        json!({"type": "duckdb", "database_path": "/data/a.duckdb"})
    );
    let with_catalog = plugin
        .get_cube_datasource_config(Some(&catalog("ice", "http://p:8181", None, &[])))
        .unwrap();
    assert_eq!(
        with_catalog["init_sql"],
        "INSTALL iceberg; LOAD iceberg; ATTACH 'ice' AS ice (TYPE ICEBERG, ENDPOINT 'http://p:8181');"
    );
}

#[test]
fn startup_refuses_an_unusable_config() {
    let registry = registry();
    registry
        .configure(
            T,
            "duckdb",
            json!({"attach": [{"path": "p", "alias": "a", "options": {"access_mode": "sometimes"}}]}),
        )
        .unwrap();
    let err = registry.activate(T, "duckdb").unwrap_err().to_string();
    assert!(
        err.contains("options.access_mode must be read_only, read_write or automatic"),
        "{err}"
    );
}

#[test]
fn health_check_checks_the_configured_database() {
    let dir = tempfile::tempdir().unwrap();
    let registry = registry();
    let status = registry.health_check(T, "duckdb").unwrap();
    assert_eq!(
        status.state,
        HealthState::Healthy,
        "unconfigured means in-memory"
    );

    let file = duckdb_file(&dir, "ok.duckdb");
    registry
        .configure(T, "duckdb", json!({"path": file}))
        .unwrap();
    let status = registry.health_check(T, "duckdb").unwrap();
    assert_eq!(status.state, HealthState::Healthy, "{status:?}");

    let missing = dir.path().join("gone.duckdb");
    registry
        .configure(T, "duckdb", json!({"path": missing.to_str().unwrap()}))
        .unwrap();
    let status = registry.health_check(T, "duckdb").unwrap();
    assert_eq!(status.state, HealthState::Unhealthy);
    assert!(
        status.message.starts_with("DuckDB database file not found"),
        "{}",
        status.message
    );
}

#[test]
fn dbt_macros_are_written_where_dbt_finds_them() {
    let dir = tempfile::tempdir().unwrap();
    let written =
        floe_plugins_builtin::duckdb::write_dbt_macros(&dir.path().join("dbt_macros")).unwrap();
    assert_eq!(
        written,
        [dir.path().join("dbt_macros/materializations/table.sql")]
    );
    let sql = std::fs::read_to_string(&written[0]).unwrap();
    assert!(sql.starts_with(
        r#"{% materialization table, adapter="duckdb", supported_languages=["sql", "python"] %}"#
    ));
    assert!(sql.contains("adapter.drop_relation(existing_relation)"));
    assert!(
        !sql.contains("rename_relation"),
        "no rename: Iceberg REST cannot rename"
    );
    assert!(sql.trim_end().ends_with("{% endmaterialization %}"));
}
