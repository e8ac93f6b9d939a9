"""floe's Great Expectations runner: reads one job as JSON on stdin, writes one JSON
document on stdout.

Job: {"model_name": str, "dialect": str, "path": str | null,
      "expectations": [{"name": str, "expectation": str, "kwargs": {...}}]}
Output: {"results": [{"name": str, "success": bool, "result": {...}}],
         "statistics": {"evaluated_expectations", "successful_expectations",
                        "unsuccessful_expectations", "success_percent"}}
or {"error": str}. Each result carries the name of its check, so the plugin pairs
results with checks by name, never by position.
"""

import json
import re
import sys

TABLE_NAME = re.compile(r"^[a-zA-Z_][a-zA-Z0-9_.]*$")


def load_frame(job):
    import pandas as pd

    if job.get("dialect", "duckdb") != "duckdb":
        return pd.DataFrame()
    name = job["model_name"]
    if not TABLE_NAME.match(name):
        raise ValueError(f"Invalid table name: '{name}'")
    import duckdb

    con = duckdb.connect(job.get("path") or ":memory:")
    try:
        # The whole name is one quoted identifier, as floe's plugin does.
        return con.execute(f'SELECT * FROM "{name}"').fetchdf()
    except duckdb.CatalogException:
        return pd.DataFrame()
    finally:
        con.close()


def plain(value):
    """A JSON-safe copy of a GX result value."""
    def scalar(o):
        # numpy scalars (element counts are numpy integers) as Python numbers.
        return o.item() if hasattr(o, "item") else str(o)

    return json.loads(json.dumps(value, default=scalar))


def main():
    job = json.load(sys.stdin)
    try:
        import great_expectations as gx
    except ImportError as e:
        print(json.dumps({"error": f"Great Expectations is not installed: {e}"}))
        return 0
    frame = load_frame(job)
    context = gx.get_context(mode="ephemeral")
    source = context.data_sources.add_pandas("floe")
    asset = source.add_dataframe_asset(name="model")
    batch = asset.add_batch_definition_whole_dataframe("all").get_batch(
        batch_parameters={"dataframe": frame}
    )
    results = []
    for item in job["expectations"]:
        expectation = getattr(gx.expectations, item["expectation"])(**item["kwargs"])
        outcome = batch.validate(expectation)
        results.append(
            {
                "name": item["name"],
                "success": bool(outcome.success),
                "result": plain(outcome.result or {}),
            }
        )
    total = len(results)
    ok = sum(1 for r in results if r["success"])
    statistics = {
        "evaluated_expectations": total,
        "successful_expectations": ok,
        "unsuccessful_expectations": total - ok,
        "success_percent": (100.0 * ok / total) if total else None,
    }
    print(json.dumps({"results": results, "statistics": statistics}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
