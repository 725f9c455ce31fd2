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
call it, and the number of upstream requests seen during the runs is reported.
"""

from __future__ import annotations

import json
import math
import os
import selectors
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

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


class StartupError(RuntimeError):
    """A server did not answer as expected: the benchmark could not measure it."""


@dataclass(frozen=True)
class Target:
    name: str
    command: list[str]


@dataclass(frozen=True)
class Sample:
    """One spawn: seconds to the initialize response and to the tools/list response."""

    initialize: float
    tools_list: float
    tool_count: int


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

    def close(self) -> None:
        self._selector.close()


def spawn_once(target: Target, env: dict[str, str]) -> Sample:
    """Spawn ``target``, run initialize → initialized → tools/list, return the timings."""
    with tempfile.TemporaryFile() as stderr:
        start = time.perf_counter()
        proc = subprocess.Popen(
            target.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr, env=env
        )
        reader = _LineReader(proc, start + RUN_TIMEOUT)
        try:
            _send(proc, _INITIALIZE)
            reader.response(1)
            initialized_at = time.perf_counter()
            _send(proc, _INITIALIZED)
            _send(proc, _TOOLS_LIST)
            listed = reader.response(2)
            done_at = time.perf_counter()
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
    return Sample(initialized_at - start, done_at - start, len(tools))


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
    )


def measure_startup(runs: int, progress: bool = True) -> StartupReport:
    """Interleave ``runs`` spawns of each server (after one warm-up each) and compare medians."""
    ours = Target("hub-mcp", [str(installed_command())])
    floor = Target("floor", [sys.executable, str(FLOOR_SCRIPT)])
    hub = FakeHub(enforce_rate_limit=False)
    with serve(hub) as hub_url:
        env = {**os.environ, "HUB_MCP_HUB_URL": hub_url}
        env.pop("HUB_PAT_TOKEN", None)
        env.pop("HUB_USERNAME", None)
        samples: dict[str, list[Sample]] = {ours.name: [], floor.name: []}
        for target in (ours, floor):
            spawn_once(target, env)  # warm-up, not counted
        for i in range(runs):
            for target in (ours, floor):
                samples[target.name].append(spawn_once(target, env))
            if progress:
                print(f"\rstart-up: run {i + 1}/{runs}", end="", file=sys.stderr, flush=True)
        if progress:
            print(file=sys.stderr)
        upstream = len(hub.requests)
    a, b = summarize(ours, samples[ours.name]), summarize(floor, samples[floor.name])
    overhead = a.median_ms - b.median_ms
    return StartupReport(
        ours=a,
        floor=b,
        overhead_ms=overhead,
        overhead_pct=overhead / b.median_ms,
        goal_pct=OVERHEAD_GOAL,
        passed=a.median_ms <= b.median_ms * (1 + OVERHEAD_GOAL),
        upstream_requests=upstream,
        hub_url=hub_url,
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
    return "\n".join(lines)
