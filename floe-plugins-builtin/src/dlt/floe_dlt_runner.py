"""floe's dlt runner, shipped inside the floe `dlt` ingestion plugin.

Reads one run request (JSON) on standard input, loads the source with dlt into the
destination, and prints a JSON report as the last line of standard output:
{"success": true, "rows_loaded": 3, "bytes_written": 512, "errors": [], "retryable": false}

Sources: `filesystem` (local JSON Lines, CSV or JSON files: `source_config.path`, a
file or a glob), `rest_api` (`source_config` is dlt's REST API source config) and
`sql_database` (`source_config` holds `table` and optional `schema`; the connection
string is the source's credentials; needs SQLAlchemy and a driver in the environment).
Destinations: `duckdb` (`credentials`: the database file) and `filesystem`
(`bucket_url`, optional `file_format` and `table_format`).
"""

import csv
import glob
import json
import os
import sys
import traceback

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")


def read_files(config):
    pattern = config.get("path")
    if not pattern:
        raise ValueError("filesystem source needs source_config.path (a file or a glob)")
    files = sorted(glob.glob(pattern))
    if not files:
        raise FileNotFoundError(f"no file matches source_config.path {pattern!r}")
    for name in files:
        with open(name, encoding="utf-8", newline="") as handle:
            if name.endswith(".csv"):
                yield from csv.DictReader(handle)
            elif name.endswith(".json"):
                data = json.load(handle)
                yield from (data if isinstance(data, list) else [data])
            else:
                for line in handle:
                    if line.strip():
                        yield json.loads(line)


def resource(dlt, request):
    source = request["source"]
    kind = source["source_type"]
    config = source.get("source_config") or {}
    hints = {
        "name": request["table_name"],
        "write_disposition": request["write_disposition"],
        "schema_contract": request.get("schema_contract"),
    }
    if request.get("primary_key"):
        hints["primary_key"] = request["primary_key"]
    table_format = (request.get("destination") or {}).get("table_format")
    if table_format:
        hints["table_format"] = table_format
    cursor = request.get("cursor_field")
    if kind == "filesystem":
        if cursor:
            def rows(updated=dlt.sources.incremental(cursor)):
                yield from read_files(config)
        else:
            def rows():
                yield from read_files(config)
        return dlt.resource(rows, **hints)
    if kind == "rest_api":
        from dlt.sources.rest_api import rest_api_source

        return rest_api_source(config).with_resources(*config.get("resources_to_load", [])) \
            if config.get("resources_to_load") else rest_api_source(config)
    if kind == "sql_database":
        from dlt.sources.sql_database import sql_table

        table = sql_table(
            credentials=request.get("credentials"),
            table=config["table"],
            schema=config.get("schema"),
            incremental=dlt.sources.incremental(cursor) if cursor else None,
        )
        return table.apply_hints(**{k: v for k, v in hints.items() if k != "name"})
    raise ValueError(f"unknown source_type {kind!r}: use filesystem, rest_api or sql_database")


def destination(dlt, config):
    kind = config.get("destination")
    if kind == "duckdb":
        return dlt.destinations.duckdb(credentials=config["credentials"])
    if kind == "filesystem":
        return dlt.destinations.filesystem(bucket_url=config["bucket_url"])
    raise ValueError(
        f"destination {kind!r} is not a dlt destination this runner knows: "
        "configure the dlt plugin's `destination` as duckdb or filesystem"
    )


def main():
    request = json.loads(sys.stdin.read())
    import dlt

    target = request.get("destination") or {}
    kwargs = {}
    if request.get("pipelines_dir"):
        kwargs["pipelines_dir"] = request["pipelines_dir"]
    pipeline = dlt.pipeline(
        pipeline_name=request["pipeline_name"],
        destination=destination(dlt, target),
        dataset_name=request["dataset_name"],
        **kwargs,
    )
    run_args = {}
    if target.get("file_format"):
        run_args["loader_file_format"] = target["file_format"]
    info = pipeline.run(resource(dlt, request), **run_args)
    counts = pipeline.last_trace.last_normalize_info.row_counts
    rows = sum(n for table, n in counts.items() if not table.startswith("_dlt"))
    written = 0
    for package in info.load_packages:
        for job in package.jobs.get("completed_jobs", []):
            written += getattr(job, "file_size", 0) or 0
    return {"success": True, "rows_loaded": rows, "bytes_written": written, "errors": []}


if __name__ == "__main__":
    try:
        report = main()
        code = 0
    except Exception as error:  # noqa: BLE001 - every failure becomes the report
        # The message first (the summary floe shows), then the whole traceback.
        text = f"{type(error).__name__}: {error}\n\n{traceback.format_exc().strip()}"
        report = {"success": False, "rows_loaded": 0, "bytes_written": 0,
                  "errors": [text], "retryable": False}
        code = 1
    print(json.dumps(report))
    sys.exit(code)
