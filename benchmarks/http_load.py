"""hub-mcp as a shared HTTP service: warm tool calls per second and the latency curve, at one and
two worker processes, and what a shared cache saves upstream over two replicas.

1. **Load.** ``hub-mcp --transport http`` (stateless, with a client token, as a team would run
   it) reads the fake Hub served from this process on loopback (``HUB_MCP_HUB_URL``), run three
   ways in turn: one process; ``--workers 2`` sharing a real ``redis-server``
   (``HUB_MCP_CACHE_URL``); and the SDK's floor (benchmarks/floor_server.py over HTTP, a
   trivial tool, one process). After a warm-up (32 clients for 1 s, repeated until every worker
   has held some of its connections, so that each has built its clients), 1, 8, 32 and 128
   concurrent clients each send ``get_tag python:3.12-slim`` (answered from the server's cache)
   back to back for a fixed time. Each client is one kept-alive HTTP/1.1 connection (plain
   asyncio sockets) posting JSON-RPC
   ``tools/call`` as a 2025-era client does on a stateless server (no session), so that the
   load generator costs little next to the server; the SDK's client (both generations) is used
   once per hub-mcp server to check the answer. Reported: calls/s, p50 and p99 latency, the
   server's CPU time per call (all its processes) and the load generator's. Goals: one process
   at 32 clients, at least 300 calls/s with p99 under 50 ms; two workers at 32 clients, p99
   under 50 ms.
2. **Upstream.** Two replicas, then two replicas sharing a real ``redis-server``; a mixed
   workload (tags, lists, repositories, searches; each question asked on both replicas, 8 at a
   time, in a shuffled order) and the number of requests the fake Hub received.

The machine is shared and small (2 cores): the load generator and the server compete for them.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import os
import random
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import httpx

from tests.e2e.processes import ESTABLISHED, children_of, free_port, http_server, sockets_held, tcp_sockets
from tests.fakes.hub import FakeHub, serve

TOKEN = "bench-token-5f1d0c"
CLIENTS = (1, 8, 32, 128)
SECONDS_PER_LEVEL = 5.0
WARM_UP_CLIENTS = 32
WARM_UP_ROUNDS = 3
WARM_UP_SECONDS = 1.0
ONE_PROCESS = "hub-mcp 1 worker"
TWO_WORKERS = "hub-mcp 2 workers"
FLOOR = "SDK floor"
GOAL_CLIENTS = 32
WORKER_START_SECONDS = 30.0
"""How long the supervisor may take to start the second worker after the first serves /health."""
GOAL_CALLS_PER_SECOND = 300.0
GOAL_P99_MS = 50.0
CALL: dict[str, Any] = {"name": "get_tag", "arguments": {"repository": "python:3.12-slim"}}
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-06-18",
}
MIXED: tuple[tuple[str, dict[str, Any]], ...] = (
    *(("get_tag", {"repository": f"python:{tag}"}) for tag in ("3.12-slim", "3.13-slim", "3.11", "3.99")),
    *(("get_tag", {"repository": f"node:{tag}"}) for tag in ("20", "22-alpine")),
    ("list_tags", {"repository": "python", "limit": 10}),
    ("list_tags", {"repository": "node", "limit": 5}),
    ("get_repository", {"repository": "python"}),
    ("get_repository", {"repository": "node"}),
    ("search_images", {"query": "python", "limit": 5}),
    ("search_images", {"query": "redis", "limit": 5}),
)


@dataclass
class LoadRow:
    server: str
    clients: int
    calls: int
    errors: int
    seconds: float
    calls_per_second: float
    p50_ms: float
    p99_ms: float
    server_cpu_ms_per_call: float | None
    """CPU time the server's processes spent per call (Linux /proc), whatever the machine's load."""
    client_cpu_ms_per_call: float = 0.0
    """CPU time the load generator (this process) spent per call: taken from the same two cores."""
    worker_share: list[float] = field(default_factory=list)
    """With several workers: each one's share (%) of the server's CPU time, busiest first."""
    worker_connections: list[int] = field(default_factory=list)
    """With several workers: the clients' connections each one held, most first (sampled once)."""


@dataclass
class UpstreamRow:
    setup: str
    questions: int
    upstream_requests: int


@dataclass
class HttpLoadReport:
    load: list[LoadRow] = field(default_factory=list)
    upstream: list[UpstreamRow] = field(default_factory=list)
    sdk_check: str = ""
    load_note: str = ""
    upstream_note: str = ""
    stack: str = ""
    """uvicorn's event loop and HTTP parser in the server processes (this interpreter's packages)."""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def _result_of(response: httpx.Response) -> dict[str, Any]:
    """The JSON-RPC result from a JSON or a one-event SSE response."""
    text = response.text
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
        text = data[-1] if data else "{}"
    message = json.loads(text)
    if "result" not in message:
        raise RuntimeError(f"tools/call failed: {message.get('error')}")
    return message["result"]


def _request(host: str, number: int) -> bytes:
    body = json.dumps({"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": CALL}).encode()
    head = "".join(f"{k}: {v}\r\n" for k, v in {**HEADERS, "Host": host, "Content-Length": len(body)}.items())
    return f"POST /mcp HTTP/1.1\r\n{head}\r\n".encode() + body


async def _exchange(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes) -> tuple[int, bytes]:
    """One HTTP/1.1 request on a kept-alive connection; (status, body). Plain sockets, not httpx:
    the load generator shares the machine's two cores with the server, so it must cost little."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = re.search(rb"(?i)\r\ncontent-length:\s*(\d+)", head)
    if length is None:
        raise RuntimeError("the server answered without Content-Length (an event stream?)")
    return status, await reader.readexactly(int(length.group(1)))


async def _client_loop(base: str, until: float, latencies: list[float], errors: list[int]) -> None:
    host = base.split("://", 1)[1]
    name, port = host.rsplit(":", 1)
    reader, writer = await asyncio.open_connection(name, int(port))
    try:
        number = 0
        while time.perf_counter() < until:
            number += 1
            request = _request(host, number)
            started = time.perf_counter()
            status, body = await _exchange(reader, writer, request)
            latencies.append((time.perf_counter() - started) * 1000)
            if status != 200 or b'"isError":true' in body or b'"result"' not in body:
                errors.append(number)
    finally:
        writer.close()


def _cpu_seconds(pid: int | None) -> float | None:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return None


def _connections_by_process(pids: list[int], port: int) -> list[int]:
    """How many established connections on the server's ``port`` each process holds (Linux /proc):
    which worker accepted which client's kept-alive connection."""
    established = tcp_sockets(port, ESTABLISHED)
    return [len(sockets_held(pid, established)) for pid in pids]


async def _sample_connections(pids: list[int], port: int, after: float) -> list[int]:
    await asyncio.sleep(after)
    return _connections_by_process(pids, port)


def _cpu_by_process(pids: list[int]) -> dict[int, float]:
    return {pid: cpu for pid in pids if (cpu := _cpu_seconds(pid)) is not None}


async def _level(
    base: str, clients: int, seconds: float, pids: list[int] | None = None, server: str = ONE_PROCESS
) -> LoadRow:
    latencies: list[float] = []
    errors: list[int] = []
    cpu_before = _cpu_by_process(pids or [])
    own_before = time.process_time()
    started = time.perf_counter()
    until = started + seconds
    workers = (pids or [])[1:]
    port = int(base.rsplit(":", 1)[1])
    sample = asyncio.ensure_future(_sample_connections(workers, port, min(0.5, seconds / 2)))
    await asyncio.gather(*(_client_loop(base, until, latencies, errors) for _ in range(clients)))
    held = await sample
    elapsed = time.perf_counter() - started
    own = time.process_time() - own_before
    cpu_after = _cpu_by_process(pids or [])
    spent = {pid: cpu_after[pid] - cpu_before[pid] for pid in cpu_after if pid in cpu_before}
    calls = max(1, len(latencies))
    cpu = None if not spent or len(spent) < len(pids or []) else sum(spent.values()) * 1000 / calls
    busy = [cpu for pid, cpu in spent.items() if pid in workers]
    total = sum(busy)
    share = sorted((100 * w / total for w in busy), reverse=True) if len(busy) > 1 and total > 0 else []
    return LoadRow(
        server=server,
        clients=clients,
        calls=len(latencies),
        errors=len(errors),
        seconds=round(elapsed, 2),
        calls_per_second=round(len(latencies) / elapsed, 1),
        p50_ms=round(statistics.median(latencies), 1),
        p99_ms=round(_percentile(latencies, 0.99), 1),
        server_cpu_ms_per_call=None if cpu is None else round(cpu, 2),
        client_cpu_ms_per_call=round(own * 1000 / calls, 2),
        worker_share=[round(x) for x in share],
        worker_connections=sorted(held, reverse=True) if len(held) > 1 else [],
    )


async def _sdk_check(base: str) -> str:
    """The SDK's own client, both generations: the answer the load measured is a real one."""
    from mcp import Client
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    seen = []
    for mode in ("auto", "legacy"):
        async with create_mcp_http_client(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            async with Client(streamable_http_client(f"{base}/mcp", http_client=http), mode=mode) as client:
                result = await client.call_tool(CALL["name"], CALL["arguments"])
        if result.is_error or not result.structured_content.get("exists"):
            raise RuntimeError(f"get_tag over HTTP ({mode}) did not answer: {result.content}")
        seen.append(mode)
    return f"SDK client ({', '.join(seen)}): get_tag python:3.12-slim exists"


async def measure_load(
    base: str, pids: list[int], seconds: float, server: str = ONE_PROCESS, clients: tuple[int, ...] = CLIENTS
) -> list[LoadRow]:
    """The curve: each client count in turn, after a warm-up that builds every worker's clients and
    fills its cache. ``pids``: the server's processes (a supervisor first, then its workers).

    The warm-up's connections are spread over the workers by the kernel (SO_REUSEPORT: by a hash of
    each connection's ports), so it is repeated, at most WARM_UP_ROUNDS times, until every worker has
    held some of them (with 2 workers and 32 clients, one round but once in 2^31)."""
    for _ in range(WARM_UP_ROUNDS):
        warm = await _level(base, WARM_UP_CLIENTS, WARM_UP_SECONDS, pids, server)
        if len(pids) < 3 or all(warm.worker_connections):
            break
    else:
        raise RuntimeError(f"the warm-up's connections did not reach every worker: {warm.worker_connections}")
    return [await _level(base, count, seconds, pids, server) for count in clients]


def _listening(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


@contextlib.contextmanager
def _floor_server() -> Iterator[tuple[str, int]]:
    """benchmarks/floor_server.py over HTTP: the SDK's own cost for the same call."""
    port = free_port()
    script = Path(__file__).with_name("floor_server.py")
    proc = subprocess.Popen(
        [sys.executable, str(script), "--http", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while not _listening(port):  # (a GET on /mcp would open an event stream and hang)
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("the floor server did not start")
            time.sleep(0.05)
        yield base, proc.pid
    finally:
        proc.terminate()
        proc.wait(timeout=15)


async def _ask_mixed(bases: list[str], seed: int) -> int:
    """Every MIXED question on every replica, 8 at a time, in a shuffled order; returns the count."""
    jobs = [(base, tool, args) for base in bases for tool, args in MIXED]
    random.Random(seed).shuffle(jobs)
    gate = asyncio.Semaphore(8)
    async with httpx.AsyncClient(headers=HEADERS, timeout=60) as http:

        async def ask(number: int, base: str, tool: str, args: dict[str, Any]) -> None:
            async with gate:
                params = {"name": tool, "arguments": args}
                body = {"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": params}
                response = await http.post(f"{base}/mcp", json=body)
                if response.status_code != 200:
                    raise RuntimeError(f"{tool} {args}: HTTP {response.status_code}")
                _result_of(response)

        await asyncio.gather(*(ask(n, *job) for n, job in enumerate(jobs)))
    return len(jobs)


@contextlib.contextmanager
def _replicas(hub_url: str, cache_url: str | None, count: int = 2) -> Iterator[list[str]]:
    env = {"HUB_MCP_HUB_URL": hub_url, "HUB_MCP_AUTH_TOKEN": TOKEN, "HUB_MCP_NO_DOCKER_CONFIG": "1"}
    if cache_url:
        env["HUB_MCP_CACHE_URL"] = cache_url
    with contextlib.ExitStack() as stack:
        yield [stack.enter_context(http_server(env)) for _ in range(count)]


def measure_upstream(report: HttpLoadReport) -> None:
    from tests.fakes.redis_server import running_redis

    setups: list[tuple[str, str | None]] = [("2 replicas, no shared cache", None)]
    with contextlib.ExitStack() as stack:
        try:
            workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
            setups.append(("2 replicas, shared Redis cache", stack.enter_context(running_redis(workdir))))
        except BaseException as exc:  # no redis-server here (pytest's skip is a BaseException)
            report.upstream_note = f"shared-cache run skipped: {type(exc).__name__}: {exc}"
        for setup, cache_url in setups:
            hub = FakeHub(enforce_rate_limit=False)
            with serve(hub) as hub_url, _replicas(hub_url, cache_url) as bases:
                questions = asyncio.run(_ask_mixed(bases, seed=11))
            report.upstream.append(UpstreamRow(setup, questions, len(hub.requests)))


@contextlib.contextmanager
def _workers(env: dict[str, str], count: int) -> Iterator[tuple[str, list[int]]]:
    """``hub-mcp --workers count``; yields its base URL and [supervisor, worker, ...] once every
    worker runs (the supervisor starts them one after the other; /health answers after the first)."""
    pids: list[int] = []
    with http_server(env, ["--workers", str(count)], pid_to=pids) as base:
        deadline = time.monotonic() + WORKER_START_SECONDS
        while len(workers := children_of(pids[0])) < count:
            if time.monotonic() > deadline:
                raise RuntimeError(f"hub-mcp --workers {count} started {len(workers)} worker processes")
            time.sleep(0.05)
        yield base, [pids[0], *workers]


def measure_http_load(
    seconds: float = SECONDS_PER_LEVEL, clients: tuple[int, ...] = CLIENTS, upstream: bool = True
) -> HttpLoadReport:
    from tests.fakes.redis_server import running_redis

    report = HttpLoadReport(stack=_stack())
    hub = FakeHub(enforce_rate_limit=False)
    pids: list[int] = []
    env = {"HUB_MCP_AUTH_TOKEN": TOKEN, "HUB_MCP_NO_DOCKER_CONFIG": "1"}  # the machine's docker login stays out
    with serve(hub) as hub_url:
        env["HUB_MCP_HUB_URL"] = hub_url
        with http_server(env, pid_to=pids) as base:
            report.sdk_check = asyncio.run(_sdk_check(base))
            report.load += asyncio.run(measure_load(base, pids, seconds, ONE_PROCESS, clients))
        with contextlib.ExitStack() as stack:
            try:
                workdir = Path(stack.enter_context(tempfile.TemporaryDirectory()))
                env["HUB_MCP_CACHE_URL"] = stack.enter_context(running_redis(workdir))
            except BaseException as exc:  # no redis-server here (pytest's skip is a BaseException)
                report.load_note = f"2 workers ran without a shared cache: {type(exc).__name__}: {exc}"
            base, tree = stack.enter_context(_workers(env, 2))
            asyncio.run(_sdk_check(base))  # the workers answer too (through Redis for the one that did not load)
            report.load += asyncio.run(measure_load(base, tree, seconds, TWO_WORKERS, clients))
    with _floor_server() as (base, pid):
        report.load += asyncio.run(measure_load(base, [pid], seconds, FLOOR, clients))
    if upstream:
        measure_upstream(report)
    return report


def _stack() -> str:
    import importlib.util

    loop = "uvloop" if importlib.util.find_spec("uvloop") else "asyncio"
    parser = "httptools" if importlib.util.find_spec("httptools") else "h11"
    return f"uvicorn with {loop} and {parser}"


def _row(report: HttpLoadReport, server: str, clients: int) -> LoadRow | None:
    return next((row for row in report.load if row.server == server and row.clients == clients), None)


def format_http_load(report: HttpLoadReport) -> str:
    lines = [
        "HTTP service: warm get_tag over streamable HTTP (stateless, bearer token)"
        f" ({report.stack}); CPU ms per call: the server's processes, and the load generator's",
        f"{'server':<18} {'clients':>7} {'calls':>7} {'errors':>6} {'calls/s':>8} {'p50 ms':>7} {'p99 ms':>7}"
        f" {'server CPU':>10} {'client CPU':>10} {'worker CPU %':>12} {'connections':>11}",
    ]
    for row in report.load:
        cpu = "-" if row.server_cpu_ms_per_call is None else f"{row.server_cpu_ms_per_call:.2f}"
        share = "/".join(str(round(x)) for x in row.worker_share) or "-"
        held = "/".join(str(n) for n in row.worker_connections) or "-"
        lines.append(
            f"{row.server:<18} {row.clients:>7} {row.calls:>7} {row.errors:>6} {row.calls_per_second:>8.1f}"
            f" {row.p50_ms:>7.1f} {row.p99_ms:>7.1f} {cpu:>10} {row.client_cpu_ms_per_call:>10.2f}"
            f" {share:>12} {held:>11}"
        )
    lines.append(
        report.sdk_check + f"; {TWO_WORKERS}: --workers 2 sharing a real redis-server;"
        f" {FLOOR}: benchmarks/floor_server.py --http, a trivial get_tag"
    )
    if report.load_note:
        lines.append(report.load_note)
    counts = sorted({row.clients for row in report.load})
    lines.append("")
    lines.append("The curve, p50 / p99 ms by concurrent clients (closed loop: mean latency = clients / calls/s)")
    lines.append(f"{'server':<18}" + "".join(f" {count:>15}" for count in counts))
    for server in dict.fromkeys(row.server for row in report.load):
        cells = [_row(report, server, count) for count in counts]
        lines.append(
            f"{server:<18}"
            + "".join(f" {'-' if c is None else f'{c.p50_ms:.1f} / {c.p99_ms:.1f}':>15}" for c in cells)
        )
    one = _row(report, ONE_PROCESS, GOAL_CLIENTS)
    if one is not None:
        ok = one.calls_per_second >= GOAL_CALLS_PER_SECOND and one.p99_ms < GOAL_P99_MS and one.errors == 0
        lines.append(
            f"goal: 1 worker, {GOAL_CLIENTS} clients: >= {GOAL_CALLS_PER_SECOND:g} calls/s"
            f" and p99 < {GOAL_P99_MS:g} ms: {'PASS' if ok else 'FAIL'}"
            f" ({one.calls_per_second:.0f} calls/s, p99 {one.p99_ms:.1f} ms)"
        )
    two = _row(report, TWO_WORKERS, GOAL_CLIENTS)
    if two is not None:
        ok = two.p99_ms < GOAL_P99_MS and two.errors == 0
        lines.append(
            f"goal: 2 workers, {GOAL_CLIENTS} clients: p99 < {GOAL_P99_MS:g} ms: {'PASS' if ok else 'FAIL'}"
            f" (p99 {two.p99_ms:.1f} ms, {two.calls_per_second:.0f} calls/s)"
        )
    if report.upstream or report.upstream_note:
        lines.append("")
        lines.append("Upstream requests for a mixed workload (12 questions, each asked on both replicas)")
        lines.append(f"{'setup':<32} {'questions':>9} {'Hub requests':>12}")
        for up in report.upstream:
            lines.append(f"{up.setup:<32} {up.questions:>9} {up.upstream_requests:>12}")
        if report.upstream_note:
            lines.append(report.upstream_note)
        if len(report.upstream) == 2:
            saved = report.upstream[0].upstream_requests - report.upstream[1].upstream_requests
            lines.append(f"goal: the shared cache saves requests: {'PASS' if saved > 0 else 'FAIL'} ({saved} fewer)")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> None:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m benchmarks.http_load", description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=SECONDS_PER_LEVEL, help="per client count (default 5)")
    parser.add_argument("--clients", type=int, nargs="+", default=list(CLIENTS), help="client counts (1 8 32 128)")
    parser.add_argument("--no-upstream", action="store_true", help="the load curve only")
    args = parser.parse_args(argv)
    report = measure_http_load(args.seconds, tuple(args.clients), upstream=not args.no_upstream)
    print(format_http_load(report))


if __name__ == "__main__":
    main()
