"""floe's Python plugin worker: hosts the floe plugins of one Python environment.

Run as ``python -u floe_host.py`` with the environment's interpreter. It speaks the
line protocol of ``floe-python/PROTOCOL.md``: one JSON request per line on standard
input, one JSON answer per line on the file descriptor that was standard output at
start. Plugin output (prints, logs) goes to standard error.

Standard library and floe-core only. The file parses on Python 3.6 and later (no
``from __future__ import annotations``, importlib.metadata imported late) so that an
old interpreter answers ``python_too_old`` instead of dying on a syntax error.
"""

import datetime
import enum
import json
import logging
import os
import platform
import sys
import traceback
import typing
from pathlib import PurePath

# Every floe entry point group: the 14 of floe-core's PluginType, plus the two whose
# ABCs exist but which floe-core's registry does not scan.
FLOE_GROUPS = (
    "floe.computes", "floe.orchestrators", "floe.catalogs", "floe.storage",
    "floe.telemetry_backends", "floe.lineage_backends", "floe.dbt", "floe.semantic_layers",
    "floe.ingestion", "floe.secrets", "floe.identity", "floe.quality", "floe.rbac",
    "floe.alert_channels", "floe.network_security", "floe.secret_scanners",
)

# What a plugin may raise without ending the worker (a plugin calling sys.exit too).
PLUGIN_FAILURES = (Exception, SystemExit)


class WorkerError(Exception):
    """An `error` answer: kind, message and optional detail, as in PROTOCOL.md."""

    def __init__(self, kind: str, message: str, detail: object = None) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.detail = detail

    def as_json(self) -> dict:
        return {"kind": self.kind, "message": self.message, "detail": self.detail}


class NotJSON(Exception):
    """Raised by the encoder for a value that JSON cannot hold."""

    def __init__(self, value: object) -> None:
        super().__init__(type_name(value))
        self.value = value


class FloeEncoder(json.JSONEncoder):
    """JSON for plugin results: pydantic models, enums, datetimes and paths; nothing else."""

    def default(self, o: object) -> object:
        from pydantic import BaseModel

        if isinstance(o, BaseModel):
            return o.model_dump(mode="json")
        if isinstance(o, enum.Enum):
            return o.value
        if isinstance(o, (datetime.datetime, datetime.date, datetime.time)):
            return o.isoformat()
        if isinstance(o, PurePath):
            return str(o)
        raise NotJSON(o)


def type_name(value: object) -> str:
    """Dotted name of a value's type, or of a class: ``pyiceberg.io.fsspec.FsspecFileIO``."""
    cls = value if isinstance(value, type) else type(value)
    if cls.__module__ == "builtins":
        return cls.__qualname__
    return f"{cls.__module__}.{cls.__qualname__}"


def to_json(value: object, what: str) -> object:
    """Convert `value` (the result of `what`) to plain JSON data, or raise `not_json`."""
    try:
        return json.loads(json.dumps(value, cls=FloeEncoder, allow_nan=False))
    except NotJSON as e:
        inner = "" if e.value is value else f" (it holds a {type_name(e.value)})"
        message = f"{what} returned a {type_name(value)}{inner}, which JSON cannot hold"
        culprit = e.value
    except (TypeError, ValueError) as e:
        message = f"{what} returned a {type_name(value)} that JSON cannot hold: {e}"
        culprit = value
    raise WorkerError("not_json", message, {"method": what, "type": type_name(culprit)})


# --- plugins ------------------------------------------------------------------------


def build_plugin(entry_point: "metadata.EntryPoint") -> object:
    """Load and instantiate a plugin as floe-core's PluginLoader does. Its API version
    check is left to the host's registry, which reports it with floe's text."""
    plugin_class = entry_point.load()
    try:
        plugin = plugin_class()
    except TypeError as e:
        if "missing" in str(e) and "config" in str(e):
            try:
                from unittest.mock import MagicMock  # only polaris-like plugins need it

                plugin = plugin_class(config=MagicMock())
            except Exception:
                raise e from None
        else:
            raise
    return plugin


def find_entry_point(group: str, name: str) -> "metadata.EntryPoint":
    """The first entry point named `name` in the floe group `group` (floe-core keeps the first)."""
    from importlib import metadata

    if group not in FLOE_GROUPS:
        raise WorkerError("not_found", f"{group!r} is not a floe plugin entry point group")
    for entry_point in metadata.entry_points(group=group):
        if entry_point.name == name:
            return entry_point
    raise WorkerError("not_found", f"no plugin {name!r} in entry point group {group!r}")


def traceback_error(kind: str) -> WorkerError:
    """An error for the exception being handled: message its last traceback line."""
    text = traceback.format_exc()
    return WorkerError(kind, text.strip().splitlines()[-1], text)


# --- configuration schemas ----------------------------------------------------------


def annotation_types(annotation: object) -> list:
    """Every class named in a type annotation (``SecretStr | None`` gives both)."""
    if typing.get_origin(annotation) is None and isinstance(annotation, type):
        return [annotation]
    found = []
    for arg in typing.get_args(annotation):
        found.extend(annotation_types(arg))
    return found


def mark_secrets(model: type, node: dict, defs: dict, prefix: str, seen: tuple) -> list:
    """Mark the secret properties of `model` in its schema `node`; return their dotted paths.

    Nested models are followed through the `$defs` entry of their class name.
    """
    from pydantic import BaseModel, SecretBytes, SecretStr

    paths = []
    properties = node.get("properties", {})
    for name, field in model.model_fields.items():
        key = field.alias or name
        prop = properties.get(key)
        if prop is None:
            continue
        types = annotation_types(field.annotation)
        if any(issubclass(t, (SecretStr, SecretBytes)) for t in types):
            # pydantic marks a secret `writeOnly` itself (on the property, or on its
            # branch of an `anyOf`); mark the property only where it did not.
            if not marked(prop):
                prop["writeOnly"] = True
            paths.append(prefix + key)
        for sub in types:
            if issubclass(sub, BaseModel) and sub not in seen and sub.__name__ in defs:
                sub_node = defs[sub.__name__]
                paths += mark_secrets(sub, sub_node, defs, f"{prefix}{key}.", seen + (sub,))
    return paths


def marked(node: object) -> bool:
    """Whether a schema node, or a branch of its `anyOf`/`oneOf`/`allOf`, is writeOnly."""
    if not isinstance(node, dict):
        return False
    if node.get("writeOnly") is True:
        return True
    return any(marked(b) for k in ("anyOf", "oneOf", "allOf") for b in node.get(k, []))


def describe_schema(model: "type | None") -> tuple:
    """The JSON schema of a config model with its secrets marked, and the secrets' paths."""
    if model is None:
        return None, []
    schema = model.model_json_schema()
    secrets = mark_secrets(model, schema, schema.get("$defs", {}), "", (model,))
    return schema, secrets


def validation_errors(error: Exception) -> list:
    """floe-core's field errors for a pydantic ValidationError.

    Only loc, msg and type are kept: pydantic's `input` and `ctx` could carry a secret.
    """
    return [
        {
            "field": ".".join(str(part) for part in err.get("loc", ())),
            "message": err.get("msg", "Unknown error"),
            "type": err.get("type", "unknown"),
        }
        for err in error.errors()
    ]


# --- the worker -----------------------------------------------------------------------


class Worker:
    """Answers requests; keeps every plugin it has loaded, with its entry point."""

    def __init__(self) -> None:
        self.plugins: dict = {}

    def plugin(self, request: dict) -> tuple:
        """The (entry point, plugin) a request names, loaded on first use."""
        group, name = string_field(request, "group"), string_field(request, "name")
        if (group, name) not in self.plugins:
            entry_point = find_entry_point(group, name)
            try:
                self.plugins[(group, name)] = (entry_point, build_plugin(entry_point))
            except PLUGIN_FAILURES:
                raise traceback_error("import") from None
        return self.plugins[(group, name)]

    def op_ping(self, request: dict) -> dict:
        return {}

    def op_describe(self, request: dict) -> dict:
        entry_point, plugin = self.plugin(request)
        schema, secrets = describe_schema(plugin.get_config_schema())
        return {
            "name": plugin.name,
            "version": plugin.version,
            "floe_api_version": plugin.floe_api_version,
            "description": plugin.description,
            "dependencies": list(plugin.dependencies),
            "config_schema": schema,
            "secrets": secrets,
            "class": entry_point.value,
        }

    def op_configure(self, request: dict) -> dict:
        from pydantic import ValidationError

        _, plugin = self.plugin(request)
        config = request.get("config")
        if not isinstance(config, dict):
            raise WorkerError("bad_request", "field 'config' must be an object")
        model = plugin.get_config_schema()
        if model is None:
            return {"validated": None}
        try:
            validated = model(**config)
        except ValidationError as e:
            errors = validation_errors(e)
            message = f"configuration of plugin {plugin.name!r} is invalid: " + "; ".join(
                f"{err['field'] or '(config)'}: {err['message']}" for err in errors
            )
            raise WorkerError("configuration", message, errors) from None
        if request.get("apply", True):
            plugin.configure(validated)
        return {"validated": to_json(validated, "configure")}

    def op_startup(self, request: dict) -> dict:
        self.plugin(request)[1].startup()
        return {}

    def op_shutdown(self, request: dict) -> dict:
        self.plugin(request)[1].shutdown()
        return {}

    def op_health_check(self, request: dict) -> dict:
        status = self.plugin(request)[1].health_check()
        state = str(getattr(status.state, "value", status.state)).lower()
        if state not in ("healthy", "degraded", "unhealthy"):
            raise WorkerError("plugin", f"health_check returned an unknown state {state!r}")
        return {
            "state": state,
            "message": str(status.message or ""),
            "details": to_json(status.details or {}, "health_check"),
        }

    def op_call(self, request: dict) -> object:
        _, plugin = self.plugin(request)
        method = string_field(request, "method")
        args, kwargs = request.get("args", []), request.get("kwargs", {})
        if not isinstance(args, list) or not isinstance(kwargs, dict):
            raise WorkerError("bad_request", "'args' must be a list and 'kwargs' an object")
        if method.startswith("_"):
            raise WorkerError("bad_request", f"method {method!r} is private")
        function = getattr(plugin, method, None)
        if not callable(function):
            raise WorkerError("bad_request", f"plugin {plugin.name!r} has no method {method!r}")
        return to_json(function(*args, **kwargs), method)

    def answer(self, line: bytes) -> dict:
        """The answer to one request line."""
        try:
            request = json.loads(line)
        except ValueError:
            error = WorkerError("bad_request", "the line is not JSON")
            return {"id": None, "error": error.as_json()}
        request_id = request.get("id") if isinstance(request, dict) else None
        try:
            return {"id": request_id, "ok": self.dispatch(request)}
        except WorkerError as e:
            return {"id": request_id, "error": e.as_json()}
        except PLUGIN_FAILURES as e:
            error = WorkerError("plugin", f"{type(e).__name__}: {e}", traceback.format_exc())
            return {"id": request_id, "error": error.as_json()}

    def dispatch(self, request: object) -> object:
        """Run the op a request names."""
        if not isinstance(request, dict):
            raise WorkerError("bad_request", "a request must be a JSON object")
        if "id" not in request:
            raise WorkerError("bad_request", "missing field 'id'")
        op = request.get("op")
        handler = getattr(self, "op_" + op, None) if isinstance(op, str) else None
        if handler is None:
            raise WorkerError("bad_request", f"unknown op {op!r}")
        return handler(request)


def string_field(request: dict, field: str) -> str:
    """A required string field of a request."""
    value = request.get(field)
    if not isinstance(value, str):
        raise WorkerError("bad_request", f"missing string field {field!r}")
    return value


# --- process ------------------------------------------------------------------------


def claim_stdio() -> tuple:
    """Keep stdin and stdout for the protocol; give plugins /dev/null and stderr instead."""
    protocol_in, protocol_out = os.dup(0), os.dup(1)
    os.dup2(2, 1)
    devnull = os.open(os.devnull, os.O_RDONLY)
    os.dup2(devnull, 0)
    os.close(devnull)
    sys.stdout = sys.stderr
    return os.fdopen(protocol_in, "rb"), os.fdopen(protocol_out, "w", encoding="utf-8")


def send(out, answer: dict) -> None:
    """Write one answer line; an answer JSON cannot hold becomes a `not_json` error."""
    try:
        line = json.dumps(answer, allow_nan=False)
    except (TypeError, ValueError) as e:
        error = WorkerError("not_json", f"the answer cannot be written as JSON: {e}")
        line = json.dumps({"id": answer.get("id"), "error": error.as_json()})
    out.write(line + "\n")
    out.flush()


def quiet_structlog() -> None:
    """Keep floe's structlog output (on stderr) to warnings and above, unless FLOE_HOST_DEBUG."""
    import structlog

    level = logging.DEBUG if os.environ.get("FLOE_HOST_DEBUG") else logging.WARNING
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(level),
        logger_factory=structlog.PrintLoggerFactory(sys.stderr),
    )


def start(out) -> bool:
    """Send the first line, `ready` or `fatal`; True when requests can be served."""
    if sys.version_info < (3, 10):
        message = f"floe plugins need Python 3.10 or newer; this is {platform.python_version()}"
        send(out, {"fatal": {"kind": "python_too_old", "message": message}})
        return False
    try:
        import floe_core
    except PLUGIN_FAILURES as e:
        message = (
            f"cannot import floe_core with {sys.executable} ({type(e).__name__}: {e}); "
            "install floe-core into this environment (pip install floe-core)"
        )
        send(out, {"fatal": {"kind": "floe_core_missing", "message": message}})
        return False
    quiet_structlog()
    from importlib import metadata

    try:
        version = metadata.version("floe-core")
    except metadata.PackageNotFoundError:
        version = getattr(floe_core, "__version__", "unknown")
    ready = {"python": platform.python_version(), "floe_core": version, "pid": os.getpid()}
    send(out, {"ready": ready})
    return True


def main() -> None:
    """Serve requests until standard input closes, then exit at once.

    The exit skips interpreter shutdown: plugins may leave non-daemon threads (exporters,
    connection pools) that would otherwise keep the worker alive after its input closed.
    """
    # Run with `-c`, Python puts the current folder first on sys.path: what a plugin
    # imports must not depend on where floe was started.
    if sys.path and sys.path[0] in ("", os.getcwd()):
        del sys.path[0]
    protocol_in, out = claim_stdio()
    code = 1
    try:
        if start(out):
            worker = Worker()
            for line in iter(protocol_in.readline, b""):
                if line.strip():
                    send(out, worker.answer(line))
            code = 0
    except BrokenPipeError:
        code = 0
    sys.stderr.flush()
    os._exit(code)


if __name__ == "__main__":
    main()
