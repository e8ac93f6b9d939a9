//! A dbt project run end to end through the floe registry: the `duckdb` compute
//! plugin's profile written as `profiles.yml` by the `core` dbt plugin, then seed,
//! run, test and lint, and the DuckDB file queried.
//!
//! ```sh
//! python3 -m venv /tmp/dbt && /tmp/dbt/bin/pip install dbt-duckdb==1.11.1 sqlfluff==4.5.0
//! cargo run -p floe-plugins-builtin --example dbt_end_to_end -- /tmp/dbt/bin
//! ```
//!
//! The test `tests/dbt_example.rs` runs this example against the pinned tools.

use std::path::{Path, PathBuf};
use std::process::Command;

use floe_plugins_builtin as _;
use floe_registry::{ComputePlugin, DbtPlugin, PluginError, PluginRegistry, PluginType};
use serde_json::json;

/// What the run did: the counts of each step and the rows of the final query.
#[derive(Debug)]
pub struct Outcome {
    /// Seeds loaded.
    pub seeds: u32,
    /// Models built.
    pub models: u32,
    /// Tests run (all passed).
    pub tests: u32,
    /// Lint findings.
    pub lint_issues: usize,
    /// `customer, total` of `customer_totals`, ordered by customer.
    pub totals: String,
}

/// Copies the example project into `work`, then runs it with the dbt, sqlfluff and
/// python of `bin` (a virtual environment's `bin/`).
pub fn run(bin: &Path, work: &Path) -> Result<Outcome, PluginError> {
    let project = work.join("shop");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("examples/dbt_end_to_end/shop"),
        &project,
    )?;
    let database = work.join("shop.duckdb");

    let registry = PluginRegistry::new();
    registry.discover_all();
    registry.configure(
        PluginType::Compute,
        "duckdb",
        json!({"path": database, "threads": 2, "memory_limit": "1GB"}),
    )?;
    registry.configure(
        PluginType::Dbt,
        "core",
        json!({"dbt_executable": bin.join("dbt"), "sqlfluff_executable": bin.join("sqlfluff")}),
    )?;
    registry.activate(PluginType::Compute, "duckdb")?;
    registry.activate(PluginType::Dbt, "core")?;
    let compute = registry.get_as::<dyn ComputePlugin>("duckdb")?;
    let dbt = registry.get_as::<dyn DbtPlugin>("core")?;

    // profiles.yml: the profile `shop` (from dbt_project.yml), target `dev`.
    let profiles = work.join("profiles");
    dbt.write_profiles(
        &project,
        &profiles,
        "dev",
        &compute.configured_dbt_profile()?,
    )?;

    let seeded = dbt.seed_data(&project, &profiles, "dev", None, false)?;
    let ran = dbt.run_models(&project, &profiles, "dev", None, None, false)?;
    let tested = dbt.test_models(&project, &profiles, "dev", None)?;
    for (step, result) in [("seed", &seeded), ("run", &ran), ("test", &tested)] {
        if !result.success {
            return Err(PluginError::failed(format!(
                "dbt {step} failed: {:?}",
                result.failed_nodes
            )));
        }
    }
    let lint = dbt.lint_project(&project, &profiles, "dev", false)?;
    let _ = registry.shutdown_all();

    let totals = query(
        bin,
        &database,
        "select customer, total from customer_totals order by customer",
    )?;
    Ok(Outcome {
        seeds: seeded.models_run,
        models: ran.models_run,
        tests: tested.tests_run,
        lint_issues: lint.issues.len(),
        totals,
    })
}

/// The rows of `sql` on `database`, one `a|b` line each, read with the duckdb Python
/// package of the same environment (dbt-duckdb depends on it).
fn query(bin: &Path, database: &Path, sql: &str) -> Result<String, PluginError> {
    let out = Command::new(bin.join("python"))
        .args([
            "-c",
            "import duckdb, sys\n\
             rows = duckdb.connect(sys.argv[1], read_only=True).execute(sys.argv[2]).fetchall()\n\
             print('\\n'.join('|'.join(str(v) for v in r) for r in rows))",
        ])
        .arg(database)
        .arg(sql)
        .output()
        .map_err(|e| PluginError::failed(format!("cannot start python: {e}")))?;
    if !out.status.success() {
        return Err(PluginError::failed(format!(
            "the query failed: {}",
            String::from_utf8_lossy(&out.stderr)
        )));
    }
    Ok(String::from_utf8_lossy(&out.stdout).trim().to_owned())
}

fn copy_dir(from: &Path, to: &Path) -> Result<(), PluginError> {
    let io = |e: std::io::Error| PluginError::failed(format!("copying the example project: {e}"));
    std::fs::create_dir_all(to).map_err(io)?;
    for entry in std::fs::read_dir(from).map_err(io)? {
        let entry = entry.map_err(io)?;
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            copy_dir(&entry.path(), &target)?;
        } else {
            std::fs::copy(entry.path(), target).map_err(io)?;
        }
    }
    Ok(())
}

#[allow(dead_code)] // the test includes this file for `run` alone
fn main() -> Result<(), PluginError> {
    let bin = std::env::args_os()
        .nth(1)
        .map(PathBuf::from)
        .ok_or_else(|| {
            PluginError::failed(
                "usage: dbt_end_to_end <virtual environment bin/ with dbt-duckdb and sqlfluff>",
            )
        })?;
    let work = std::env::temp_dir().join(format!("floe-dbt-example-{}", std::process::id()));
    let outcome = run(&bin, &work)?;
    println!("{outcome:#?}");
    println!("DuckDB file: {}", work.join("shop.duckdb").display());
    Ok(())
}
