//! Helpers of the real-tool tests: the pinned Python environment (dbt-core,
//! dbt-duckdb, sqlfluff, dlt, duckdb, moto), DuckDB queries through it, and an
//! S3-compatible server on 127.0.0.1.

#![allow(dead_code, unused_imports, clippy::unwrap_used)]

mod duckdb_query;
mod s3_server;
mod venv;

pub use duckdb_query::duckdb_query;
pub use s3_server::S3Server;
pub use venv::{INSTALL_HINT, PythonEnv, python_env};
