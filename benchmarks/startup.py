"""Start-up: wall time from process spawn until the ``tools/list`` response arrives.

Two servers are measured in the same run: (a) the installed ``hub-mcp`` command and (b) the
floor, :mod:`benchmarks.floor_server` (``MCPServer("floor")`` with one trivial tool), which
is what any server built on the SDK must pay. Runs alternate a, b, a, b, ... so that machine
noise lands on both; one unmeasured warm-up run of each comes first (bytecode caches, page
cache).

The client side is a raw JSON-RPC exchange over pipes, not the MCP client library, so only
the server's cost is counted: ``initialize`` is written right after spawn, then (once its
response arrives) ``notifications/initialized`` and ``tools/list``. The clock stops when the
``tools/list`` response line has been read. Each server is then sent EOF and reaped.

``hub-mcp`` gets ``HUB_MCP_HUB_URL`` pointing at a fake Hub on loopback; start-up must not
call it, and the number of upstream requests seen before ``tools/list`` is answered is reported.

The first tool call is measured too, since hub-mcp builds its HTTP clients (and imports httpx,
tenacity, the Hub client and the advisor) on first use: after ``tools/list``, each hub-mcp
spawn waits ``idle`` seconds (a model reading the tool list), then sends ``get_tag`` for
``python:3.12-slim`` (the first call, timed) and ``get_tag`` for ``python:3.13-slim`` (a later
call, timed: the same work without the first-use cost). Separately,
:func:`measure_in_process` times, inside fresh interpreters and after ``import mcp.server``,
each server's own start-up work (less sensitive to a busy machine than wall time), then what
hub-mcp's first call pays: importing the modules it needs and building the clients.
"""

from __future__ import annotations

import compileall
import importlib.util
import json
import math
import os
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tests.fakes.hub import FakeHub, serve

FLOOR_SCRIPT = Path(__file__).with_name("floor_server.py")
PROTOCOL_VERSION = "2025-06-18"
RUN_TIMEOUT = 30.0
"""Seconds one spawn may take to answer tools/list before the benchmark gives up."""
OVERHEAD_GOAL = 0.10
"""hub-mcp's median may exceed the floor's median by at most this fraction."""

_INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {
        "protocolVersion": PROTOCOL_VERSION,
        "capabilities": {},
        "clientInfo": {"name": "hub-mcp-bench", "version": "1"},
    },
}
_INITIALIZED = {"jsonrpc": "2.0", "method": "notifications/initialized"}
_TOOLS_LIST = {"jsonrpc": "2.0", "id": 2, "method": "tools/list"}
_FIRST_CALL = {
    "jsonrpc": "2.0",
    "id": 3,
    "method": "tools/call",
    "params": {"name": "get_tag", "arguments": {"repository": "python:3.12-slim"}},
}
_LATER_CALL = {
    "jsonrpc": "2.0",
    "id": 4,
    "method": "tools/call",
    "params": {"name": "get_tag", "arguments": {"repository": "python:3.13-slim"}},
}
DEFAULT_IDLE = 0.5
"""Seconds between the tools/list response and the first tool call (a model reading the list)."""


class StartupError(RuntimeError):
    """A server did not answer as expected: the benchmark could not measure it."""


@dataclass(frozen=True)
class Target:
    name: str
    command: list[str]


@dataclass(frozen=True)
class Sample:
    """One spawn: seconds to the initialize response and to the tools/list response; for
    hub-mcp also the seconds the first and a later tool call took, and the upstream requests
    made before tools/list was answered."""

    initialize: float
    tools_list: float
    tool_count: int
    first_call: float | None = None
    later_call: float | None = None
    startup_requests: int = 0


@dataclass(frozen=True)
class Summary:
    name: str
    command: list[str]
    runs: int
    tool_count: int
    median_ms: float
    p90_ms: float
    min_ms: float
    max_ms: float
    initialize_median_ms: float
    samples_ms: list[float]
    first_call_median_ms: float | None = None
    later_call_median_ms: float | None = None
    first_call_samples_ms: list[float] | None = None


@dataclass(frozen=True)
class InProcessCost:
    """CPU work timed inside fresh interpreters, after ``import mcp.server`` (which both servers
    pay): less sensitive to a busy machine than wall time from spawn. Medians over ``runs``."""

    runs: int
    ours_startup_ms: float
    """hub-mcp: parse the settings, create_server (tool registration, schemas), tools/list as JSON."""
    floor_startup_ms: float
    """the floor: its module body (MCPServer + one tool), tools/list as JSON."""
    first_call_imports_ms: float
    """hub-mcp, after start-up: importing what the first tool call needs."""
    first_call_build_ms: float
    """... then building the services (HTTP clients, TLS trust store); no request is sent."""
    first_call_modules: int
    samples: list[dict[str, float]]


@dataclass(frozen=True)
class StartupReport:
    ours: Summary
    floor: Summary
    overhead_ms: float
    overhead_pct: float
    goal_pct: float
    passed: bool
    upstream_requests: int
    hub_url: str
    idle_s: float
    in_process: InProcessCost | None = None


def installed_command() -> Path:
    """The ``hub-mcp`` console script next to this interpreter."""
    command = Path(sys.executable).with_name("hub-mcp")
    if not command.exists():
        raise StartupError(f"{command} does not exist: install the package (pip install -e .)")
    return command


def p90(values: list[float]) -> float:
    """The 90th percentile by nearest rank: the smallest value >= 90 % of the samples."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(0.9 * len(ordered)) - 1)]


def _send(proc: subprocess.Popen[bytes], message: dict[str, object]) -> None:
    assert proc.stdin is not None
    proc.stdin.write(json.dumps(message).encode() + b"\n")
    proc.stdin.flush()


class _LineReader:
    """Reads newline-terminated messages from a pipe, with a deadline."""

    def __init__(self, proc: subprocess.Popen[bytes], deadline: float) -> None:
        assert proc.stdout is not None
        self._fd = proc.stdout.fileno()
        self._selector = selectors.DefaultSelector()
        self._selector.register(self._fd, selectors.EVENT_READ)
        self._buffer = b""
        self._deadline = deadline

    def response(self, request_id: int) -> dict[str, object]:
        """The next message carrying ``request_id`` (notifications and others are skipped)."""
        while True:
            line = self._line()
            message = json.loads(line)
            if message.get("id") == request_id:
                if "error" in message:
                    raise StartupError(f"request {request_id} failed: {message['error']}")
                return message

    def _line(self) -> bytes:
        while b"\n" not in self._buffer:
            remaining = self._deadline - time.perf_counter()
            if remaining <= 0:
                raise StartupError(f"no answer within {RUN_TIMEOUT:.0f} s")
            if not self._selector.select(remaining):
                continue
            chunk = os.read(self._fd, 65536)
            if not chunk:
                raise StartupError("the server closed stdout (exited?)")
            self._buffer += chunk
        line, _, self._buffer = self._buffer.partition(b"\n")
        return line

    def extend(self, seconds: float) -> None:
        """Move the deadline to ``seconds`` from now (for the tool calls after start-up)."""
        self._deadline = time.perf_counter() + seconds

    def close(self) -> None:
        self._selector.close()


def spawn_once(
    target: Target, env: dict[str, str], *, idle: float | None = None, requests_seen: Callable[[], int] = lambda: 0
) -> Sample:
    """Spawn ``target``, run initialize → initialized → tools/list, return the timings. With
    ``idle`` (seconds), wait that long after tools/list and time a first and a later tool call."""
    with tempfile.TemporaryFile() as stderr:
        before = requests_seen()
        start = time.perf_counter()
        proc = subprocess.Popen(
            target.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env
        )
        reader = _LineReader(proc, start + RUN_TIMEOUT)
        first = later = None
        try:
            _send(proc, _INITIALIZE)
            reader.response(1)
            initialized_at = time.perf_counter()
            _send(proc, _INITIALIZED)
            _send(proc, _TOOLS_LIST)
            listed = reader.response(2)
            done_at = time.perf_counter()
            startup_requests = requests_seen() - before
            if idle is not None:
                time.sleep(idle)
                reader.extend(RUN_TIMEOUT)
                first = _timed_call(proc, reader, _FIRST_CALL, target.name)
                later = _timed_call(proc, reader, _LATER_CALL, target.name)
        except (StartupError, OSError, ValueError) as exc:
            proc.kill()
            proc.wait()
            stderr.seek(0)
            tail = stderr.read().decode(errors="replace")[-2000:]
            raise StartupError(f"{target.name}: {exc}\n--- stderr ---\n{tail}") from exc
        finally:
            reader.close()
        _stop(proc)
    result = listed.get("result")
    tools = result.get("tools") if isinstance(result, dict) else None
    if not isinstance(tools, list) or not tools:
        raise StartupError(f"{target.name}: tools/list returned no tools: {listed}")
    return Sample(initialized_at - start, done_at - start, len(tools), first, later, startup_requests)


def _timed_call(proc: subprocess.Popen[bytes], reader: _LineReader, message: dict[str, Any], name: str) -> float:
    """Send one tools/call and return the seconds until its response; an error result breaks the benchmark."""
    sent = time.perf_counter()
    _send(proc, message)
    reply = reader.response(int(message["id"]))
    took = time.perf_counter() - sent
    result = reply.get("result")
    if not isinstance(result, dict) or result.get("isError"):
        raise StartupError(f"{name}: {message['params']} answered with an error: {reply}")
    return took


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """Close stdin (a stdio server exits on EOF); kill it if it lingers."""
    assert proc.stdin is not None
    try:
        proc.stdin.close()
    except OSError:
        pass
    try:
        proc.wait(timeout=5)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def summarize(target: Target, samples: list[Sample]) -> Summary:
    times = [s.tools_list * 1000 for s in samples]
    firsts = [s.first_call * 1000 for s in samples if s.first_call is not None]
    laters = [s.later_call * 1000 for s in samples if s.later_call is not None]
    return Summary(
        name=target.name,
        command=target.command,
        runs=len(samples),
        tool_count=samples[0].tool_count,
        median_ms=statistics.median(times),
        p90_ms=p90(times),
        min_ms=min(times),
        max_ms=max(times),
        initialize_median_ms=statistics.median(s.initialize * 1000 for s in samples),
        samples_ms=[round(t, 2) for t in times],
        first_call_median_ms=statistics.median(firsts) if firsts else None,
        later_call_median_ms=statistics.median(laters) if laters else None,
        first_call_samples_ms=[round(t, 2) for t in firsts] or None,
    )


def measure_startup(runs: int, progress: bool = True, idle: float = DEFAULT_IDLE, cost_runs: int = 11) -> StartupReport:
    """Interleave ``runs`` spawns of each server (after one warm-up each) and compare medians;
    each hub-mcp spawn also times a first and a later tool call, ``idle`` seconds after tools/list."""
    ours = Target("hub-mcp", [str(installed_command())])
    floor = Target("floor", [sys.executable, str(FLOOR_SCRIPT)])
    compile_package()
    hub = FakeHub(enforce_rate_limit=False)
    with serve(hub) as hub_url:
        env = {**os.environ, "HUB_MCP_HUB_URL": hub_url}
        for name in [k for k in env if k.startswith("HUB_MCP_") and k != "HUB_MCP_HUB_URL"]:
            env.pop(name)
        env.pop("HUB_PAT_TOKEN", None)
        env.pop("HUB_USERNAME", None)
        samples: dict[str, list[Sample]] = {ours.name: [], floor.name: []}
        calls = {ours.name: idle, floor.name: None}

        def requests_seen() -> int:
            return len(hub.requests)

        for target in (ours, floor):
            spawn_once(target, env, idle=calls[target.name], requests_seen=requests_seen)  # warm-up, not counted
        for i in range(runs):
            for target in (ours, floor):
                samples[target.name].append(spawn_once(target, env, idle=calls[target.name], requests_seen=requests_seen))
            if progress:
                print(f"\rstart-up: run {i + 1}/{runs}", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
    a, b = summarize(ours, samples[ours.name]), summarize(floor, samples[floor.name])
    overhead = a.median_ms - b.median_ms
    return StartupReport(
        ours=a,
        floor=b,
        overhead_ms=overhead,
        overhead_pct=overhead / b.median_ms,
        goal_pct=OVERHEAD_GOAL,
        passed=a.median_ms <= b.median_ms * (1 + OVERHEAD_GOAL),
        upstream_requests=sum(s.startup_requests for s in samples[ours.name]),
        hub_url=hub_url,
        idle_s=idle,
        in_process=measure_in_process(cost_runs) if cost_runs else None,
    )


def compile_package() -> Path:
    """Write hub_mcp's bytecode caches, as ``pip install`` does: with PYTHONDONTWRITEBYTECODE
    set (as on this project's machines) an editable checkout is otherwise compiled again by
    every spawn, and whether a stale .pyc lies around would decide the result."""
    spec = importlib.util.find_spec("hub_mcp")
    if spec is None or spec.origin is None:
        raise StartupError("hub_mcp is not importable")
    package = Path(spec.origin).parent
    if not compileall.compile_dir(package, quiet=1):
        raise StartupError(f"compiling {package} failed")
    return package


_IN_PROCESS_SCRIPT = """
import asyncio, importlib, json, runpy, sys, time
import mcp.server                            # paid by both servers: not timed
FALLBACK_MODULES = (  # for commits before runtime.FIRST_CALL_MODULES, so that they can be measured too
    "hub_mcp.net.http", "hub_mcp.advisor.suggest", "hub_mcp.hub.auth", "hub_mcp.hub.client", "hub_mcp.hub.service",
    "hub_mcp.registry.client", "hub_mcp.registry.service", "hub_mcp.services",
)
from mcp.types import ListToolsResult

def listed(server):
    tools = asyncio.run(server.list_tools())
    return ListToolsResult(tools=tools).model_dump_json(by_alias=True, exclude_none=True)

started = time.perf_counter()
floor = runpy.run_path(sys.argv[1], run_name="floor")["server"]
listed(floor)
floor_done = time.perf_counter()
from hub_mcp.__main__ import parse_settings
from hub_mcp.server import create_server
settings = parse_settings([])
listed(create_server(settings))
ours_done = time.perf_counter()
from hub_mcp import runtime
before = set(sys.modules)
for name in getattr(runtime, "FIRST_CALL_MODULES", FALLBACK_MODULES):   # what the first tool call imports
    importlib.import_module(name)
imported = time.perf_counter()
built_by = runtime.Runtime(settings)
(getattr(built_by, "build_services", None) or built_by._build)()   # the clients (older commits: _build)
built = time.perf_counter()
print(json.dumps({"floor": floor_done - started, "ours": ours_done - floor_done, "imports": imported - ours_done,
                  "build": built - imported, "modules": len(set(sys.modules) - before)}))
"""


def measure_in_process(runs: int) -> InProcessCost:
    """Spawn ``runs`` fresh interpreters and time, in each, the floor's and hub-mcp's own start-up
    work (after ``import mcp.server``), then what hub-mcp's first tool call pays before its first
    request: imports, then building the clients. The floor goes first, so the modules both use
    (pydantic's JSON schema machinery...) are charged to it, not to hub-mcp."""
    samples: list[dict[str, float]] = []
    env = {k: v for k, v in os.environ.items() if not k.startswith(("HUB_MCP_", "HUB_PAT_TOKEN", "HUB_USERNAME"))}
    for _ in range(runs):
        done = subprocess.run(
            [sys.executable, "-c", _IN_PROCESS_SCRIPT, str(FLOOR_SCRIPT)],
            capture_output=True,
            text=True,
            env=env,
            timeout=RUN_TIMEOUT,
            check=False,
        )
        if done.returncode != 0:
            raise StartupError(f"in-process probe failed\n--- stderr ---\n{done.stderr[-2000:]}")
        samples.append(json.loads(done.stdout.strip().splitlines()[-1]))

    def median_ms(key: str) -> float:
        return statistics.median(sample[key] for sample in samples) * 1000

    return InProcessCost(
        runs=runs,
        ours_startup_ms=median_ms("ours"),
        floor_startup_ms=median_ms("floor"),
        first_call_imports_ms=median_ms("imports"),
        first_call_build_ms=median_ms("build"),
        first_call_modules=int(samples[-1]["modules"]),
        samples=[{k: round(v * 1000, 2) if k != "modules" else v for k, v in sample.items()} for sample in samples],
    )


def format_startup(report: StartupReport) -> str:
    header = (
        f"{'server':<10} {'runs':>4} {'tools':>5} {'median ms':>9} {'p90 ms':>8} {'min ms':>8} {'max ms':>8}"
        f" {'init med':>8}"
    )
    lines = [
        "Start-up: spawn -> tools/list response (raw JSON-RPC over pipes, runs interleaved)",
        header,
        "-" * len(header),
    ]
    for s in (report.ours, report.floor):
        lines.append(
            f"{s.name:<10} {s.runs:>4} {s.tool_count:>5} {s.median_ms:>9.1f} {s.p90_ms:>8.1f} "
            f"{s.min_ms:>8.1f} {s.max_ms:>8.1f} {s.initialize_median_ms:>8.1f}"
        )
    lines.append("-" * len(header))
    lines.append(
        f"overhead of hub-mcp over the floor (medians): {report.overhead_ms:+.1f} ms ({report.overhead_pct:+.1%})"
    )
    if report.upstream_requests:
        lines.append(f"NOTE  start-up made {report.upstream_requests} upstream Hub request(s); it should make none")
    verdict = "PASS" if report.passed else "FAIL"
    lines.append(f"{verdict}  start-up: hub-mcp median <= floor median + {report.goal_pct:.0%}")
    ours = report.ours
    if ours.first_call_median_ms is not None and ours.later_call_median_ms is not None:
        lines.append("")
        lines.append(
            f"First tool call, {report.idle_s:g} s after tools/list (get_tag against the fake Hub, medians of"
            f" {ours.runs}):"
        )
        lines.append(
            f"  first call {ours.first_call_median_ms:.1f} ms, a later call {ours.later_call_median_ms:.1f} ms:"
            f" first-use cost {ours.first_call_median_ms - ours.later_call_median_ms:+.1f} ms"
        )
    cost = report.in_process
    if cost is not None:
        lines.append("")
        lines.append(f"In process, after import mcp.server (medians of {cost.runs} fresh interpreters):")
        lines.append(
            f"  start-up work: hub-mcp {cost.ours_startup_ms:.1f} ms, floor {cost.floor_startup_ms:.1f} ms"
            f" (settings, server and tools, tools/list as JSON)"
        )
        lines.append(
            f"  first tool call: imports {cost.first_call_imports_ms:.1f} ms ({cost.first_call_modules} modules),"
            f" building the clients {cost.first_call_build_ms:.1f} ms"
        )
    return "\n".join(lines)
