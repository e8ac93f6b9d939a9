//! Reading a DuckDB database file with the duckdb package of the pinned environment.

use std::path::Path;

use serde_json::Value;

use super::venv::python_env;

const QUERY: &str = "import duckdb, json, sys\n\
con = duckdb.connect(sys.argv[1], read_only=sys.argv[1] != ':memory:')\n\
print(json.dumps(con.execute(sys.argv[2]).fetchall(), default=str))";

/// The rows of `sql` run read-only on the database file `db` (or on `:memory:`), as
/// JSON arrays.
pub fn duckdb_query(db: &Path, sql: &str) -> Vec<Vec<Value>> {
    let db = db.to_str().expect("the database path is UTF-8");
    let out = python_env().run_python(QUERY, &[db, sql]);
    serde_json::from_str(out.trim()).expect("the query prints JSON rows")
}
