"""A hostile Dockerfile (issue 17): how long its review takes, and what it costs everyone else meanwhile.

The file of the issue: 10,000 ``FROM`` lines (158 KB, under the tool's 200,000-character cap),
cycling over five end-of-life images, so that every line is worth an upgrade. hub-mcp runs as the
shared HTTP service (``python -m hub_mcp --transport http``, stateless, a client token) in its own
process, with the default call deadline (``HUB_MCP_CALL_TIMEOUT``, 60 s), reading the fake Docker
Hub (``tests/fakes/hub.py``), which this process serves on loopback. One client sends the review;
meanwhile another asks ``get_tag python:3.12-slim`` (warm: answered from memory) again and
again, one call after the other, 10 ms apart.

Measured: the review's wall time, whether it answered or erred and how many characters it
answered; the concurrent ``get_tag`` calls made, their median and worst latency. A second row
does the same with one ``FROM`` whose variable expansions are nested 10,000 deep.

Standalone: ``python -m benchmarks.hostile_review [--lines N] [--json PATH]``; in the suite:
``scripts/bench --only hostile``. The server is started from this checkout (``cwd`` and
``PYTHONPATH`` are its root), so copying this file into an older checkout and running it there
measures the older code.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.e2e.processes import clean_environment, free_port  # noqa: E402
from tests.fakes.hub import FakeHub, serve  # noqa: E402

TOKEN = "bench-token-hostile"
HEADERS = {
    "Authorization": f"Bearer {TOKEN}",
    "Content-Type": "application/json",
    "Accept": "application/json, text/event-stream",
    "MCP-Protocol-Version": "2025-06-18",
}
END_OF_LIFE = ("python:3.8", "node:16", "debian:10", "ubuntu:18.04", "golang:1.19")
#: Give up waiting for the review after this long (the code before the fix could run far past its deadline).
WAIT_LIMIT = 900.0


def many_from_lines(count: int) -> str:
    return "".join(f"FROM {END_OF_LIFE[i % len(END_OF_LIFE)]}\n" for i in range(count))


def nested(depth: int) -> str:
    return "FROM " + "${X:-" * depth + "python:3.12" + "}" * depth + "\n"


@dataclass
class HostileRow:
    case: str
    input_chars: int
    review_seconds: float
    answered: str  # "answer", "error: <first 160 characters>" or "no answer within WAIT_LIMIT"
    answer_chars: int
    get_tag_calls: int
    get_tag_p50_ms: float | None
    get_tag_max_ms: float | None


@contextmanager
def _server(hub_url: str) -> Iterator[str]:
    """hub-mcp of this checkout as an HTTP service in its own process; its base URL once it answers."""
    port = free_port()
    env = clean_environment(
        {"HUB_MCP_AUTH_TOKEN": TOKEN, "HUB_MCP_NO_DOCKER_CONFIG": "1", "HUB_MCP_HUB_URL": hub_url, "PYTHONPATH": str(ROOT)}
    )
    command = [sys.executable, "-m", "hub_mcp", "--transport", "http", "--port", str(port)]
    proc = subprocess.Popen(command, env=env, cwd=ROOT, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"hub-mcp exited with status {proc.returncode} before serving")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.TransportError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("hub-mcp did not serve within 30 s")
            time.sleep(0.1)
        yield base
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


async def _call(client: httpx.AsyncClient, base: str, number: int, name: str, arguments: dict[str, Any]) -> tuple[bool, str]:
    """One ``tools/call``: (is_error, its text)."""
    body = {"jsonrpc": "2.0", "id": number, "method": "tools/call", "params": {"name": name, "arguments": arguments}}
    response = await client.post(f"{base}/mcp", json=body, headers=HEADERS)
    text = response.text
    if response.headers.get("content-type", "").startswith("text/event-stream"):
        data = [line[5:].strip() for line in text.splitlines() if line.startswith("data:")]
        text = data[-1] if data else "{}"
    message = json.loads(text)
    if "result" not in message:
        return True, json.dumps(message.get("error"))
    result = message["result"]
    content = result.get("content") or [{}]
    return bool(result.get("isError")), str(content[0].get("text", ""))


async def _measure(base: str, case: str, dockerfile: str) -> HostileRow:
    timeout = httpx.Timeout(WAIT_LIMIT)
    async with httpx.AsyncClient(timeout=timeout) as reviewer, httpx.AsyncClient(timeout=timeout) as asker:
        get_tag = {"repository": "python", "tag": "3.12-slim"}
        await _call(asker, base, 1, "get_tag", get_tag)  # warm: answered from memory after this
        started = time.perf_counter()
        review = asyncio.create_task(_call(reviewer, base, 2, "review_base_images", {"dockerfile": dockerfile}))
        latencies: list[float] = []
        number = 2
        while not review.done() and time.perf_counter() - started < WAIT_LIMIT:
            number += 1
            asked = time.perf_counter()
            try:
                await _call(asker, base, number, "get_tag", get_tag)
            except httpx.TimeoutException:
                break
            latencies.append(time.perf_counter() - asked)
            await asyncio.sleep(0.01)
        try:
            is_error, text = await asyncio.wait_for(review, max(0.0, WAIT_LIMIT - (time.perf_counter() - started)))
        except (TimeoutError, httpx.TimeoutException):
            seconds, answered, size = WAIT_LIMIT, f"no answer within {WAIT_LIMIT:g} s", 0
        else:
            seconds = time.perf_counter() - started
            answered = f"error: {text[:160]}" if is_error else "answer"
            size = len(text)
    return HostileRow(
        case=case,
        input_chars=len(dockerfile),
        review_seconds=round(seconds, 2),
        answered=answered,
        answer_chars=size,
        get_tag_calls=len(latencies),
        get_tag_p50_ms=round(statistics.median(latencies) * 1000, 1) if latencies else None,
        get_tag_max_ms=round(max(latencies) * 1000, 1) if latencies else None,
    )


def measure_hostile(lines: int = 10_000) -> list[HostileRow]:
    hub = FakeHub(enforce_rate_limit=False)
    rows = []
    for case, text in ((f"{lines:,} FROM lines", many_from_lines(lines)), ("expansions nested 10,000 deep", nested(10_000))):
        with serve(hub) as hub_url, _server(hub_url) as base:  # a fresh server per case: cold caches
            rows.append(asyncio.run(_measure(base, case, text)))
    return rows


def format_hostile(rows: list[HostileRow]) -> str:
    out = ["A hostile Dockerfile: the review, and a concurrent get_tag meanwhile (issue 17)", ""]
    out.append(f"{'case':<32}{'chars':>9}{'review s':>10}{'answer ch':>11}{'get_tag n':>11}{'p50 ms':>9}{'max ms':>9}")
    for r in rows:
        p50 = "-" if r.get_tag_p50_ms is None else f"{r.get_tag_p50_ms:g}"
        worst = "-" if r.get_tag_max_ms is None else f"{r.get_tag_max_ms:g}"
        out.append(
            f"{r.case:<32}{r.input_chars:>9,}{r.review_seconds:>10}{r.answer_chars:>11,}{r.get_tag_calls:>11}"
            f"{p50:>9}{worst:>9}"
        )
    for r in rows:
        if r.answered != "answer":
            out.append(f"  {r.case}: {r.answered}")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hostile_review", description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=10_000, help="FROM lines in the hostile file (default 10000)")
    parser.add_argument("--json", type=Path, help="also write the rows as JSON here")
    args = parser.parse_args(argv)
    rows = measure_hostile(args.lines)
    print(format_hostile(rows))
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
