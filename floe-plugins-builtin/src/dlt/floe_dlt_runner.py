"""floe's dlt runner, shipped inside the floe `dlt` ingestion plugin.

Reads one run request (JSON) on standard input, loads the source with dlt into the
destination, and prints a JSON report as the last line of standard output:
{"success": true, "rows_loaded": 3, "bytes_written": 512, "errors": [], "retryable": false}

Sources: `filesystem` (dlt's own `filesystem` source with its `read_csv` (pandas),
`read_jsonl` or `read_parquet` (pyarrow) reader, on the folder and glob in
`source.filesystem`, which the plugin resolved and checked as floe does; an `s3://`
folder needs s3fs, and its credentials come from the environment as in floe:
AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_REGION, with the
endpoint, region and URL style of `source.object_store`), `rest_api` (`source_config`
is dlt's REST API source config) and `sql_database` (`source_config` holds `table` and
optional `schema`; the connection string is the source's credentials; needs SQLAlchemy
and a driver in the environment).
Destinations: `duckdb` (`credentials`: the database file) and `filesystem`
(`bucket_url`, optional `file_format` and `table_format`).
"""

import json
import os
import sys
import traceback
from pathlib import Path
from urllib.parse import urlsplit

os.environ.setdefault("RUNTIME__DLTHUB_TELEMETRY", "false")


class Reported(Exception):
    """A failure reported with its message only (no traceback)."""


def first_set(config, *keys):
    """The first of `keys` whose value in `config` is neither null nor empty."""
    for key in keys:
        if config.get(key) not in (None, ""):
            return config[key]
    return None


def as_flag(value):
    """`"true"`, `"yes"`, `"on"`, `"1"` and their opposites as booleans."""
    if isinstance(value, str):
        words = {"true": True, "yes": True, "on": True, "1": True,
                 "false": False, "no": False, "off": False, "0": False}
        return words.get(value.strip().lower(), value)
    return value


def s3_credentials(bucket_url, store):
    """dlt credentials of an s3:// folder: keys from the environment, endpoint, region
    and URL style from the object store settings (path style with an endpoint)."""
    if urlsplit(bucket_url).scheme != "s3":
        return {}
    credentials = {}
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"):
        if os.environ.get(name):
            credentials[name.lower()] = os.environ[name]
    endpoint = first_set(store, "endpoint_url", "s3_endpoint", "endpoint", "minio_endpoint")
    if endpoint is not None:
        credentials["endpoint_url"] = str(endpoint)
    region = os.environ.get("AWS_REGION") or first_set(store, "region_name", "s3_region", "region")
    if region is not None:
        credentials["region_name"] = str(region)
    path_style = first_set(store, "s3_path_style_access", "path_style_access")
    if path_style is not None:
        path_style = as_flag(path_style)
    else:
        style = store.get("s3_url_style")
        path_style = style == "path" if style is not None else endpoint is not None
    if path_style:
        credentials["s3_url_style"] = "path"
    return credentials


def any_file(spec, credentials):
    """Whether the folder and glob match a file: True, False, or None when that
    cannot be told (an object store other than S3, or S3 not answering)."""
    url, pattern = spec["bucket_url"], spec["file_glob"]
    scheme = urlsplit(url).scheme
    if not scheme:
        return any(p.is_file() for p in Path(url).glob(pattern))
    if scheme != "s3":
        return None
    try:
        from fsspec.core import url_to_fs

        options = {"config_kwargs": {"connect_timeout": 1, "read_timeout": 1,
                                     "retries": {"max_attempts": 1}}}
        for ours, theirs in (("aws_access_key_id", "key"), ("aws_secret_access_key", "secret"),
                             ("aws_session_token", "token")):
            if credentials.get(ours):
                options[theirs] = credentials[ours]
        client = {k: credentials[k] for k in ("endpoint_url", "region_name") if credentials.get(k)}
        if client:
            options["client_kwargs"] = client
        if credentials.get("s3_url_style") == "path":
            options["config_kwargs"]["s3"] = {"addressing_style": "path"}
        fs, path = url_to_fs(url.rstrip("/") + "/" + pattern.lstrip("/"), **options)
        return any(not fs.isdir(p) for p in fs.glob(path))
    except Exception:  # noqa: BLE001 - unknown: let dlt report what fails
        return None


def files_resource(request):
    """dlt's filesystem source piped into the reader of the format."""
    from dlt.sources.filesystem import filesystem, read_csv, read_jsonl, read_parquet

    source = request["source"]
    spec = source["filesystem"]
    credentials = s3_credentials(spec["bucket_url"], source.get("object_store") or {})
    if any_file(spec, credentials) is False:
        raise Reported("filesystem source matched no files")
    listing = {"bucket_url": spec["bucket_url"], "file_glob": spec["file_glob"]}
    if credentials:
        listing["credentials"] = credentials
    reader = {"csv": read_csv, "jsonl": read_jsonl, "parquet": read_parquet}[spec["format"]]
    return filesystem(**listing) | reader(**(spec.get("reader_options") or {}))


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
        files = files_resource(request).with_name(hints.pop("name"))
        if cursor:
            hints["incremental"] = dlt.sources.incremental(cursor)
        return files.apply_hints(table_name=request["table_name"], **hints)
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
    except Reported as error:
        report = {"success": False, "rows_loaded": 0, "bytes_written": 0,
                  "errors": [str(error)], "retryable": False}
        code = 1
    except Exception as error:  # noqa: BLE001 - every failure becomes the report
        # The message first (the summary floe shows), then the whole traceback.
        text = f"{type(error).__name__}: {error}\n\n{traceback.format_exc().strip()}"
        report = {"success": False, "rows_loaded": 0, "bytes_written": 0,
                  "errors": [text], "retryable": False}
        code = 1
    print(json.dumps(report))
    sys.exit(code)
