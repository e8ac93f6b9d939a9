#!/usr/bin/env python3
"""The Python reference registry (PyPI floe-core 0.1.0a1,
`floe_core.plugin_registry.PluginRegistry`) on the workloads of our Rust benchmarks
(`floe-registry-bench`), so both can be measured in one sitting. Run it through
`scripts/bench-python`, which makes the venv.

Prints one line per row on stdout, `<row> <median> ns`: one call's time, the median
over --runs rounds (each round times one batch of every row, in turn), and the runs
themselves on stderr.

Method (BENCHMARKS.md, "Against the Python registry"): the registry's real methods on
in-memory plugins; time.perf_counter_ns around a batch of n calls, n grown until a
batch lasts --min-time seconds, gc off during a batch; the loop's own cost (~10-20
ns a call) is included, as timeit includes it. Logging silenced as floe would be in
production with logging off: logging.disable(CRITICAL) and structlog configured with
a filtering logger at CRITICAL (the registry logs nothing that high), caching on
(floe's configure_logging caches too); every silenced floe log call still costs its
proxy look-up.
"""

from __future__ import annotations

import argparse
import gc
import logging
import os
import statistics
import sys
import tempfile
import time
import types
from importlib.metadata import EntryPoint


def silence_logging() -> None:
    """Every floe log call a no-op: stdlib logging off, structlog dropping all
    below CRITICAL (the highest level it filters at; the registry never logs at it)."""
    import structlog

    logging.disable(logging.CRITICAL)
    structlog.configure(
        wrapper_class=structlog.make_filtering_bound_logger(logging.CRITICAL),
        cache_logger_on_first_use=True,
    )


silence_logging()

from pydantic import BaseModel, ConfigDict, Field, SecretStr  # noqa: E402

import floe_core.plugins.discovery as floe_discovery  # noqa: E402
from floe_core.plugin_errors import PluginConfigurationError  # noqa: E402
from floe_core.plugin_metadata import HealthState, HealthStatus, PluginMetadata  # noqa: E402
from floe_core.plugin_registry import PluginRegistry  # noqa: E402
from floe_core.plugin_types import PluginType  # noqa: E402

TYPES = list(PluginType)  # the 14 groups (LINEAGE is an alias)

# ---------------------------------------------------------------------------
# Fixtures: the same shapes as tests/fixtures/bench-plugins and floe-registry-bench.
# ---------------------------------------------------------------------------


class BenchPlugin(PluginMetadata):
    """A plugin as floe's own are written: metadata as properties."""

    plugin_name = ""
    deps: tuple[str, ...] = ()

    @property
    def name(self) -> str:
        return self.plugin_name

    @property
    def version(self) -> str:
        return "1.0.0"

    @property
    def floe_api_version(self) -> str:
        return "1.0"

    @property
    def dependencies(self) -> list[str]:
        return list(self.deps)


class InstantPlugin(BenchPlugin):
    """Its health check answers healthy at once."""

    def health_check(self, timeout: float | None = None) -> HealthStatus:
        return HealthStatus(state=HealthState.HEALTHY)


# A module holding the 10,000 generated plugin classes p00000... (type i % 14), so
# that entry points `floe_bench_plugins:P00000` really load.
MODULE = types.ModuleType("floe_bench_plugins")
sys.modules[MODULE.__name__] = MODULE
COUNT = 10_000
GENERATED = []  # (PluginType, name, class), in name order
for _i in range(COUNT):
    _cls = type(f"P{_i:05}", (BenchPlugin,), {"plugin_name": f"p{_i:05}"})
    setattr(MODULE, _cls.__name__, _cls)
    GENERATED.append((TYPES[_i % len(TYPES)], _cls.plugin_name, _cls))


def entry_points_of(n: int) -> dict[str, list[EntryPoint]]:
    """In-memory entry points of the first n generated plugins, by group."""
    groups: dict[str, list[EntryPoint]] = {t.value: [] for t in TYPES}
    for t, name, cls in GENERATED[:n]:
        groups[t.value].append(EntryPoint(name, f"{MODULE.__name__}:{cls.__name__}", t.value))
    return groups


def loaded_registry(n: int) -> PluginRegistry:
    """A registry that discovered the first n generated plugins through its real
    discover_all (entry points handed over) and loaded each through get()."""
    groups = entry_points_of(n)
    registry = PluginRegistry()
    with handed_over(groups):
        registry.discover_all()
    for t, name, _ in GENERATED[:n]:
        registry.get(t, name)
    assert len(registry._loaded) == n
    return registry


class handed_over:  # noqa: N801 - a context manager
    """floe's discovery module reads entry_points(group=...) from importlib.metadata;
    while inside, it gets the given in-memory lists instead (the rest of
    discover_all is floe's own code)."""

    def __init__(self, groups: dict[str, list[EntryPoint]]) -> None:
        self.groups = groups

    def __enter__(self) -> None:
        self.saved = floe_discovery.entry_points
        floe_discovery.entry_points = lambda group: self.groups.get(group, [])

    def __exit__(self, *exc: object) -> None:
        floe_discovery.entry_points = self.saved


class Connection(BaseModel):
    """The nested object of DuckDbSized."""

    model_config = ConfigDict(extra="forbid")
    host: str
    port: int = Field(ge=1, le=65535)


class DuckDbSized(BaseModel):
    """floe-registry-bench's DuckDbSized: 6 fields, a nested object, a list, unknown
    keys refused."""

    model_config = ConfigDict(extra="forbid")
    threads: int = Field(ge=1, le=64)
    timeout_seconds: int = Field(ge=1, le=86400)
    path: str
    memory_limit: str = Field(pattern=r"^[0-9]+(GB|MB)$")
    connection: Connection
    extensions: list[str]


class DuckDbSizedSecret(DuckDbSized):
    """The same plus a SecretStr (a 7th field): the variant rows `*_secret`."""

    password: SecretStr


VALID = {
    "threads": 4, "timeout_seconds": 3600, "path": "/data/a.duckdb", "memory_limit": "4GB",
    "connection": {"host": "db", "port": 5432}, "extensions": ["iceberg", "httpfs"],
}
# 3 problems, as in Rust: a range, a pattern, an unknown field.
INVALID = {**VALID, "threads": 0, "memory_limit": "lots", "colour": "red"}


def configured_registry(schema: type[BaseModel]) -> PluginRegistry:
    """A registry holding one compute plugin `bench-duckdb` whose config schema is
    `schema`, configured once (as floe-registry-bench's duck_registry)."""
    cls = type("BenchDuck", (BenchPlugin,), {
        "plugin_name": "bench-duckdb",
        "get_config_schema": lambda self: schema,
    })
    registry = PluginRegistry()
    registry.register(PluginType.COMPUTE, cls())
    return registry


# ---------------------------------------------------------------------------
# Rows: each returns batch(n) -> nanoseconds taken by n calls.
# ---------------------------------------------------------------------------


def hot_get(n_loaded: int):
    """Rust `hot_get/registry/<n>`: `registry.get(type, name)` of an already loaded
    plugin, the middle one (p00500 / p05000) of n loaded, as the Rust row (`HotGet`)
    takes descriptors[n / 2] (its type is i % 14, so not COMPUTE: the type only picks
    the dict key)."""
    registry = loaded_registry(n_loaded)
    ptype, name, cls = GENERATED[n_loaded // 2]
    assert isinstance(registry.get(ptype, name), cls)

    def batch(n: int) -> int:
        get = registry.get
        t0 = time.perf_counter_ns()
        for _ in range(n):
            get(ptype, name)
        return time.perf_counter_ns() - t0

    return batch


def discover_10000():
    """Rust `discover/registry/10000` (discover_from of 10,000 registrations into a new
    registry, none loaded): a new PluginRegistry and its discover_all(), floe's own
    loop over the 14 groups, with the 10,000 entry points (spread over the 14 types)
    handed over in memory instead of read from installed metadata. Floe then holds
    10,000 EntryPoints, nothing imported, as Rust holds descriptors."""
    groups = entry_points_of(COUNT)

    def batch(n: int) -> int:
        total = 0
        with handed_over(groups):
            for _ in range(n):
                t0 = time.perf_counter_ns()
                r = PluginRegistry()
                r.discover_all()
                total += time.perf_counter_ns() - t0
                assert len(r._discovery._discovered) == COUNT
        return total

    return batch


def register_10000():
    """Floe's other way in, register(type, instance) of 10,000 plugin instances (one
    class each, instantiated beforehand) into a new registry: a duplicate check and
    an API version check each. Not Rust's discover (that loads nothing), for
    information."""
    plugins = [(t, cls()) for t, _, cls in GENERATED]

    def batch(n: int) -> int:
        total = 0
        for _ in range(n):
            t0 = time.perf_counter_ns()
            r = PluginRegistry()
            register = r.register
            for t, p in plugins:
                register(t, p)
            total += time.perf_counter_ns() - t0
            assert len(r._loaded) == COUNT
        return total

    return batch


def discover_all_importlib(count: int):
    """discover_all() as floe really discovers: a new registry scanning the 14 groups
    through importlib.metadata, over this venv's installed distributions plus one
    real dist-info (in a temporary directory put on sys.path) declaring `count`
    entry points spread over the groups. The existing notes did this with 1,000."""
    tmp = tempfile.mkdtemp(prefix="floe-bench-dist-")
    info = os.path.join(tmp, "floe_bench_plugins-1.0.0.dist-info")
    os.mkdir(info)
    with open(os.path.join(info, "METADATA"), "w") as f:
        f.write("Metadata-Version: 2.1\nName: floe-bench-plugins\nVersion: 1.0.0\n")
    with open(os.path.join(info, "entry_points.txt"), "w") as f:
        for group, eps in entry_points_of(count).items():
            f.write(f"[{group}]\n")
            f.writelines(f"{ep.name} = {ep.value}\n" for ep in eps)
            f.write("\n")

    def batch(n: int) -> int:
        sys.path.insert(0, tmp)
        try:
            total = 0
            for _ in range(n):
                t0 = time.perf_counter_ns()
                r = PluginRegistry()
                r.discover_all()
                total += time.perf_counter_ns() - t0
                assert len(r._discovery._discovered) == count
            return total
        finally:
            sys.path.remove(tmp)

    return batch


def discover_all_env():
    """discover_all() of a new registry on the environment as installed (floe-core
    and its dependencies, no floe plugin: it finds 0). The fixed cost of scanning."""

    def batch(n: int) -> int:
        t0 = time.perf_counter_ns()
        for _ in range(n):
            PluginRegistry().discover_all()
        return time.perf_counter_ns() - t0

    return batch


def resolve_50():
    """Rust `resolve/registry_chain_50`: resolve_dependencies of the 50-plugin
    chain (chain-i depends on chain-(i-1)), given last first as Rust's
    `Chain` gives it. Floe takes instances (Rust takes identities)."""
    chain = [
        type(f"Chain{i:02}", (BenchPlugin,), {
            "plugin_name": f"chain-{i:02}",
            "deps": (f"chain-{i - 1:02}",) if i else (),
        })()
        for i in range(50)
    ]
    registry = PluginRegistry()
    for p in chain:
        registry.register(PluginType.COMPUTE, p)
    selection = chain[::-1]
    assert registry.resolve_dependencies(selection) == chain

    def batch(n: int) -> int:
        resolve = registry.resolve_dependencies
        t0 = time.perf_counter_ns()
        for _ in range(n):
            resolve(selection)
        return time.perf_counter_ns() - t0

    return batch


def health_11():
    """Rust `health/registry_11_instant`: health_check_all() of a registry whose only
    loaded plugins are 11 (identity) plugins answering healthy at once. Floe runs
    each check in a new one-worker ThreadPoolExecutor, one after the other."""
    registry = PluginRegistry()
    for i in range(11):
        cls = type(f"Instant{i}", (InstantPlugin,), {"plugin_name": f"instant-{i}"})
        registry.register(PluginType.IDENTITY, cls())
    result = registry.health_check_all()
    assert len(result) == 11 and all(s.state is HealthState.HEALTHY for s in result.values())

    def batch(n: int) -> int:
        check = registry.health_check_all
        t0 = time.perf_counter_ns()
        for _ in range(n):
            check()
        return time.perf_counter_ns() - t0

    return batch


def configure_valid(schema: type[BaseModel] = DuckDbSized, config: dict = VALID):
    """Rust `configure/valid`: configure(COMPUTE, "bench-duckdb", valid dict): get,
    get_config_schema, schema(**config) (pydantic), keep it, push it to the plugin."""
    registry = configured_registry(schema)
    assert registry.configure(PluginType.COMPUTE, "bench-duckdb", config) is not None

    def batch(n: int) -> int:
        configure = registry.configure
        t = PluginType.COMPUTE
        t0 = time.perf_counter_ns()
        for _ in range(n):
            configure(t, "bench-duckdb", config)
        return time.perf_counter_ns() - t0

    return batch


def configure_invalid(schema: type[BaseModel] = DuckDbSized, config: dict = INVALID):
    """Rust `configure/invalid_3_errors`: configure with the 3-error dict; floe converts
    pydantic's errors to field/message/type dicts and raises
    PluginConfigurationError, caught inside the timing."""
    registry = configured_registry(schema)
    try:
        registry.configure(PluginType.COMPUTE, "bench-duckdb", config)
        raise AssertionError("the invalid config was accepted")
    except PluginConfigurationError as e:
        assert len(e.errors) == 3, e.errors

    def batch(n: int) -> int:
        configure = registry.configure
        t = PluginType.COMPUTE
        t0 = time.perf_counter_ns()
        for _ in range(n):
            try:
                configure(t, "bench-duckdb", config)
            except PluginConfigurationError:
                pass
        return time.perf_counter_ns() - t0

    return batch


ROWS = {
    "hot_get_1000": lambda: hot_get(1_000),
    "hot_get_10000": lambda: hot_get(10_000),
    "discover_10000": discover_10000,
    "register_10000": register_10000,
    "discover_all_importlib_1000": lambda: discover_all_importlib(1_000),
    "discover_all_importlib_10000": lambda: discover_all_importlib(10_000),
    "discover_all_env": discover_all_env,
    "resolve_50": resolve_50,
    "health_11": health_11,
    "configure_valid": configure_valid,
    "configure_invalid": configure_invalid,
    "configure_valid_secret": lambda: configure_valid(
        DuckDbSizedSecret, {**VALID, "password": "hunter2"}),
    "configure_invalid_secret": lambda: configure_invalid(
        DuckDbSizedSecret, {**INVALID, "password": "hunter2"}),
}


def timed(batch, n: int) -> int:
    """One batch of n calls with the collector off, as timeit does."""
    gc.collect()
    gc.disable()
    try:
        return batch(n)
    finally:
        gc.enable()


def calibrate(batch, min_time: float) -> int:
    """The number of calls n for which one batch lasts at least min_time."""
    n = 1
    while (ns := timed(batch, n)) < min_time * 1e9:
        n *= 2 if ns * 20 > min_time * 1e9 else 10
    return n


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7, help="rounds, one timed batch a row each (7)")
    parser.add_argument("--min-time", type=float, default=0.2,
                        help="seconds a batch lasts at least (0.2)")
    parser.add_argument("rows", nargs="*", help=f"rows to run (all): {' '.join(ROWS)}")
    args = parser.parse_args()
    import floe_core  # noqa: F401 - for its version line
    from importlib.metadata import version

    print(f"# python {sys.version.split()[0]}, floe-core {version('floe-core')}, pydantic "
          f"{version('pydantic')}, pydantic-core {version('pydantic-core')}, structlog "
          f"{version('structlog')}; runs={args.runs} min-time={args.min_time}s",
          file=sys.stderr)
    # Set up and calibrate every row, then time them in rounds (each round one batch
    # of every row): a slow spell of the machine then touches one run of every row
    # rather than every run of one row. The median over the rounds is printed.
    rows = args.rows or list(ROWS)
    batches = {row: ROWS[row]() for row in rows}
    sizes = {row: calibrate(batches[row], args.min_time) for row in rows}
    per_call: dict[str, list[float]] = {row: [] for row in rows}
    for _ in range(args.runs):
        for row in rows:
            per_call[row].append(timed(batches[row], sizes[row]) / sizes[row])
    for row in rows:
        print(f"{row} {statistics.median(per_call[row]):.1f} ns")
        print(f"#   {row}: n={sizes[row]}, runs " + " ".join(f"{x:.1f}" for x in per_call[row]),
              file=sys.stderr)

if __name__ == "__main__":
    main()
