"""Check floe_host.py against the real published floe plugins and floe-core's own registry.

Usage: python3 protocol_check.py PYTHON [FLOE_HOST]

PYTHON is the interpreter of an environment that has floe-core and the seven plugin
packages of published-requirements.txt; FLOE_HOST defaults to ../src/floe_host.py. The
script starts the worker with PYTHON, sends every op for each plugin, runs floe-core's
PluginRegistry in a separate PYTHON process on the same configs, prints a table, and
exits 1 on any difference or protocol failure. It needs only the standard library.
"""

import json
import os
import subprocess
import sys
import tempfile
import time

# The secret written into every invalid config: it must never appear in an answer.
CANARY = "canary-secret-value-do-not-echo"

# group, name, a valid config, an invalid config, a method returning a live (non-JSON)
# object, and a method returning JSON data (with its args).
PLUGINS = [
    ("floe.computes", "duckdb", {}, {"no_schema": CANARY},
     ("health_check", []), ("get_dbt_macro_paths", [])),
    ("floe.catalogs", "polaris",
     {"uri": "https://polaris.example.com/api/catalog", "warehouse": "wh",
      "oauth2": {"client_id": "floe", "client_secret": "s3cret",
                 "token_url": "https://polaris.example.com/oauth/token"}},
     {"uri": "ftp://polaris", "connect_timeout_seconds": -1,
      "oauth2": {"client_id": "", "client_secret": CANARY, "token_url": CANARY}},
     ("get_config_schema", []), ("get_storage_requirements", [])),
    # glue and aws-s3 default to credential_mode workload-identity, which requires
    # service_account_ref: a config with only the required fields is refused.
    ("floe.catalogs", "glue",
     {"region": "us-east-1", "credential_mode": "environment", "max_retries": "3"},
     {"region": "", "credential_mode": CANARY, "unknown": CANARY},
     ("connect", [{}]), ("get_storage_requirements", [])),
    ("floe.storage", "minio",
     {"endpoint": "http://127.0.0.1:9000", "bucket": "data", "secret_access_key": "s3cret"},
     {"endpoint": CANARY, "path_style_access": CANARY},
     ("get_pyiceberg_fileio", []), ("get_warehouse_uri", ["bronze"])),
    ("floe.storage", "aws-s3",
     {"bucket": "data", "region": "eu-west-1", "credential_mode": "environment"},
     {"bucket": "data", "create_policy": CANARY},
     ("get_pyiceberg_fileio", []), ("get_deployment_binding", [])),
    ("floe.lineage_backends", "marquez", {"url": "https://marquez.example.com:5000"},
     {"url": "http://" + CANARY + ".example.com", "drain_timeout": CANARY},
     ("get_config_schema", []), ("get_transport_config", [])),
    ("floe.telemetry_backends", "jaeger", {}, {"no_schema": CANARY},
     ("health_check", []), ("get_otlp_exporter_config", [])),
]

METADATA = ["name", "version", "floe_api_version", "description", "dependencies"]

# Runs in the environment under test: floe-core's registry on the same plugins and
# configs. structlog prints to stdout, so the result is the line after a marker.
REFERENCE = r"""
import json, sys
from floe_core.plugin_errors import PluginConfigurationError
from floe_core.plugin_registry import PluginRegistry
from floe_core.plugin_types import PluginType
registry = PluginRegistry()
registry.discover_all()
result = {}
for group, name, valid, invalid in json.loads(sys.argv[1]):
    kind = PluginType(group)
    plugin = registry.get(kind, name)
    entry = {key: getattr(plugin, key) for key in %r}
    for label, config in (("valid", valid), ("invalid", invalid)):
        try:
            registry.configure(kind, name, config)
            entry[label] = "accepted"
        except PluginConfigurationError as e:
            entry[label] = sorted(err["field"] for err in e.errors)
    result[group + "/" + name] = entry
print("\nFLOE-REFERENCE " + json.dumps(result))
""" % (METADATA,)


class Worker:
    """The worker process, one request at a time."""

    def __init__(self, python, host):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen([python, "-u", host], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=self.stderr)
        self.next_id = 0
        self.answers = []
        self.first = json.loads(self.proc.stdout.readline())

    def raw(self, line):
        """Send one line, return the answer (parsed) and its time in seconds."""
        started = time.monotonic()
        self.proc.stdin.write(line.encode() + b"\n")
        self.proc.stdin.flush()
        answer = self.proc.stdout.readline()
        if not answer:
            raise SystemExit("worker died; its stderr:\n" + self.stderr_text())
        self.answers.append(answer.decode())
        return json.loads(answer), time.monotonic() - started

    def request(self, op, **fields):
        self.next_id += 1
        answer, seconds = self.raw(json.dumps(dict(id=self.next_id, op=op, **fields)))
        if answer.get("id") != self.next_id:
            raise SystemExit(f"answer to request {self.next_id} carries id {answer.get('id')}")
        return answer, seconds

    def close(self):
        """Close stdin; the worker must exit by itself."""
        self.proc.stdin.close()
        return self.proc.wait(timeout=30)

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")


def verdict(answer):
    """'accepted', the sorted error fields, or the unexpected error kind."""
    if "ok" in answer:
        return "accepted"
    error = answer["error"]
    if error["kind"] == "configuration":
        return sorted(item["field"] for item in error["detail"])
    return f"error {error['kind']}: {error['message']}"


def reference(python):
    """floe-core's registry, run in the environment under test."""
    plugins = [[p[0], p[1], p[2], p[3]] for p in PLUGINS]
    proc = subprocess.run([python, "-c", REFERENCE, json.dumps(plugins)],
                          capture_output=True, text=True, timeout=300)
    for line in proc.stdout.splitlines():
        if line.startswith("FLOE-REFERENCE "):
            return json.loads(line[len("FLOE-REFERENCE "):])
    raise SystemExit(f"the reference registry failed:\n{proc.stdout}\n{proc.stderr}")


def check_plugin(worker, plugin, expected, problems):
    """Run every op on one plugin; return the rows of the table."""
    group, name, valid, invalid, live, data = plugin
    target = dict(group=group, name=name)
    rows = []
    described, seconds = worker.request("describe", **target)
    if "ok" not in described:
        problems.append(f"{name}: describe failed: {described['error']['message']}")
        return rows
    meta = described["ok"]
    got = {key: meta[key] for key in METADATA}
    got["invalid"] = verdict(worker.request("configure", config=invalid, **target)[0])
    got["valid"] = verdict(worker.request("configure", config=valid, **target)[0])
    for key, value in got.items():
        same = value == expected[key]
        rows.append((name, key, value, expected[key], "same" if same else "DIFFERENT"))
        if not same:
            problems.append(f"{name}: {key} differs")

    health = worker.request("health_check", **target)[0]
    live_answer = worker.request("call", method=live[0], args=live[1], kwargs={}, **target)[0]
    data_answer = worker.request("call", method=data[0], args=data[1], kwargs={}, **target)[0]
    for op in ("startup", "shutdown"):
        answer = worker.request(op, **target)[0]
        if "ok" not in answer:
            problems.append(f"{name}: {op} failed: {answer['error']['message']}")
    if "ok" not in health or health["ok"]["state"] not in ("healthy", "degraded", "unhealthy"):
        problems.append(f"{name}: health_check answered {health}")
    if live_answer.get("error", {}).get("kind") != "not_json":
        problems.append(f"{name}: call {live[0]} did not answer not_json: {live_answer}")
    if "ok" not in data_answer:
        problems.append(f"{name}: call {data[0]} failed: {data_answer['error']['message']}")
    detail = live_answer.get("error", {}).get("detail")
    live_type = detail.get("type") if isinstance(detail, dict) else live_answer
    state = health.get("ok", {}).get("state")
    has_schema = meta["config_schema"] is not None
    print(f"  {name:8} first describe {seconds:5.2f}s  schema={has_schema!s:5} "
          f"secrets={meta['secrets']}  health={state}  {live[0]} -> not_json {live_type}  "
          f"{data[0]} -> {json.dumps(data_answer.get('ok'))[:60]}")
    return rows


def check_protocol(worker, problems):
    """Ping, errors for malformed requests and unknown plugins."""
    cases = [
        ('{"id": 1, "op": "ping"}', None),
        ("this is not json", "bad_request"),
        ('{"id": 2, "op": "fly"}', "bad_request"),
        ('{"id": 3, "op": "describe", "group": "floe.catalogs"}', "bad_request"),
        ('{"id": 4, "op": "describe", "group": "floe.catalogs", "name": "nessie"}', "not_found"),
        ('{"id": 5, "op": "describe", "group": "console_scripts", "name": "pip"}', "not_found"),
    ]
    for line, kind in cases:
        answer, _ = worker.raw(line)
        got = answer["error"]["kind"] if "error" in answer else None
        if got != kind or ("ok" in answer) == (kind is not None):
            problems.append(f"{line!r}: expected {kind or 'ok'}, got {answer}")


def main():
    if len(sys.argv) not in (2, 3):
        raise SystemExit(__doc__)
    python = sys.argv[1]
    here = os.path.dirname(os.path.abspath(__file__))
    host = sys.argv[2] if len(sys.argv) == 3 else os.path.join(here, "..", "src", "floe_host.py")
    problems = []

    started = time.monotonic()
    worker = Worker(python, host)
    print(f"worker: {worker.first} ({time.monotonic() - started:.2f}s)")
    if "ready" not in worker.first:
        raise SystemExit("the worker did not start")
    check_protocol(worker, problems)
    expected = reference(python)
    rows = []
    for plugin in PLUGINS:
        rows += check_plugin(worker, plugin, expected[f"{plugin[0]}/{plugin[1]}"], problems)
    code = worker.close()
    if code != 0:
        problems.append(f"worker exited with {code} after its input closed")
    stderr = worker.stderr_text()
    if CANARY in stderr:
        problems.append("a secret reached the worker's stderr")
    if any(CANARY in answer for answer in worker.answers):
        problems.append("a secret was echoed in an answer")

    print(f"\n{'plugin':8}  {'field':16}  {'worker':44}  {'floe-core registry':44}  verdict")
    for name, key, got, want, same in rows:
        print(f"{name:8}  {key:16}  {json.dumps(got)[:44]:44}  {json.dumps(want)[:44]:44}  {same}")
    print(f"\nworker stderr: {len(stderr.splitlines())} lines")
    for problem in problems:
        print("PROBLEM:", problem)
    print(f"{len(rows) - sum(r[4] != 'same' for r in rows)} same, "
          f"{sum(r[4] != 'same' for r in rows)} different, {len(problems)} problems")
    sys.exit(1 if problems else 0)


if __name__ == "__main__":
    main()
