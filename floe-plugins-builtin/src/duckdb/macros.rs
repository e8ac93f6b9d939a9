//! The dbt macros shipped with the plugin: a `table` materialization for DuckDB that
//! drops and recreates the table instead of building a temporary table and renaming
//! it (Iceberg REST catalogs do not support `ALTER TABLE ... RENAME`).

use std::path::{Path, PathBuf};

use floe_registry::PluginError;

/// `materializations/table.sql`: pre-hooks, drop of the existing relation, direct
/// `CREATE TABLE AS`, indexes, post-hooks, grants (revoked as on a full refresh),
/// docs, commit.
pub const TABLE_MATERIALIZATION: &str = r#"{% materialization table, adapter="duckdb", supported_languages=["sql", "python"] %}
  {%- set language = model["language"] -%}
  {%- set existing_relation = load_cached_relation(this) -%}
  {%- set target_relation = this.incorporate(type="table") -%}
  {%- set grant_config = config.get("grants") -%}

  {{ run_hooks(pre_hooks, inside_transaction=False) }}
  {{ run_hooks(pre_hooks, inside_transaction=True) }}

  {#- No temporary table and rename: Iceberg REST catalogs cannot rename tables. -#}
  {% if existing_relation is not none %}
    {{ adapter.drop_relation(existing_relation) }}
  {% endif %}

  {% call statement("main", language=language) -%}
    {{- create_table_as(False, target_relation, compiled_code, language) }}
  {%- endcall %}

  {% do create_indexes(target_relation) %}

  {{ run_hooks(post_hooks, inside_transaction=True) }}

  {% set should_revoke = should_revoke(existing_relation, full_refresh_mode=True) %}
  {% do apply_grants(target_relation, grant_config, should_revoke=should_revoke) %}
  {% do persist_docs(target_relation, model) %}

  {{ adapter.commit() }}

  {{ run_hooks(post_hooks, inside_transaction=False) }}

  {{ return({"relations": [target_relation]}) }}
{% endmaterialization %}
"#;

/// Every macro file, as (path relative to the macro directory, content).
pub const DBT_MACROS: [(&str, &str); 1] = [("materializations/table.sql", TABLE_MATERIALIZATION)];

/// Writes [`DBT_MACROS`] under `dir` (created when missing) and returns the files
/// written; add `dir` to the dbt project's `macro-paths`.
pub fn write_dbt_macros(dir: &Path) -> Result<Vec<PathBuf>, PluginError> {
    let mut written = Vec::with_capacity(DBT_MACROS.len());
    for (relative, content) in DBT_MACROS {
        let file = dir.join(relative);
        if let Some(parent) = file.parent() {
            std::fs::create_dir_all(parent).map_err(|e| {
                crate::error::failure(
                    format!("cannot create macro directory '{}'", parent.display()),
                    e,
                )
            })?;
        }
        std::fs::write(&file, content).map_err(|e| {
            crate::error::failure(format!("cannot write dbt macro '{}'", file.display()), e)
        })?;
        written.push(file);
    }
    Ok(written)
}
