//! Helpers of the real-tool tests: the pinned Python environment (dbt-core,
//! dbt-duckdb, sqlfluff, dlt, duckdb, moto), DuckDB queries through it, and moto's
//! S3, STS and Glue server on 127.0.0.1.

#![allow(dead_code, unused_imports, clippy::unwrap_used)]

mod duckdb_query;
mod moto_server;
mod venv;

pub use duckdb_query::duckdb_query;
pub use moto_server::MotoServer;
pub use venv::{INSTALL_HINT, PythonEnv, python_env};
