"""What a repeated question costs upstream, under both readings of Hub's ``ordering`` sign.

For each question: the Hub requests of the first answer (cold, fresh server), of the same
question asked again at once (warm: answered from memory), and of ten identical questions
sent concurrently to a fresh server (collapsed into one set of requests). Also the requests
the reverse reading ("django": ``-last_updated`` is newest first) costs the first time, when
the server learns the sign from the dates of the first page.

The fake Hub (``tests/fakes/hub.py``) in process; real MCP sessions (``mcp.Client``, legacy
JSON-RPC over memory streams) to ``create_server``.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from typing import Any

import httpx
from mcp import Client

from hub_mcp.config.settings import Settings
from hub_mcp.server import create_server
from tests.fakes.hub import FakeHub

HUB_URL = "https://hub.docker.com"
QUESTIONS: tuple[tuple[str, str, dict[str, Any]], ...] = (
    ("get_tag python:3.12-slim", "get_tag", {"repository": "python", "tag": "3.12-slim"}),
    ("get_tag python:3.99", "get_tag", {"repository": "python", "tag": "3.99"}),
    ("list_tags python (25)", "list_tags", {"repository": "python"}),
    ("get_repository python", "get_repository", {"repository": "python"}),
    ("search python", "search_images", {"query": "python"}),
)
CONCURRENT = 10


@dataclass
class RepeatRow:
    question: str
    reading: str
    cold_requests: int
    warm_requests: int
    concurrent_requests: int  # CONCURRENT identical calls at once, fresh server


async def _requests_for(hub: FakeHub, tool: str, arguments: dict[str, Any], *, times: int, concurrent: bool) -> list[int]:
    server = create_server(Settings(hub_url=HUB_URL), hub_transport=httpx.ASGITransport(app=hub.app))
    counts = []
    async with Client(server, mode="legacy") as client:
        if concurrent:
            before = len(hub.requests)
            results = await asyncio.gather(*(client.call_tool(tool, arguments) for _ in range(times)))
            if any(r.is_error for r in results):
                raise RuntimeError(f"{tool} {arguments}: {results[0].content[0].text}")
            return [len(hub.requests) - before]
        for _ in range(times):
            before = len(hub.requests)
            result = await client.call_tool(tool, arguments)
            if result.is_error:
                raise RuntimeError(f"{tool} {arguments}: {result.content[0].text}")
            counts.append(len(hub.requests) - before)
    return counts


async def measure_repeat_cost() -> list[RepeatRow]:
    logging.getLogger("httpx").setLevel(logging.WARNING)
    rows = []
    for reading in ("documented", "django"):
        hub = FakeHub(enforce_rate_limit=False, ordering_convention=reading)  # type: ignore[arg-type]
        for label, tool, arguments in QUESTIONS:
            cold, warm = await _requests_for(hub, tool, arguments, times=2, concurrent=False)
            (together,) = await _requests_for(hub, tool, arguments, times=CONCURRENT, concurrent=True)
            rows.append(RepeatRow(label, reading, cold, warm, together))
    return rows


def format_repeat_cost(rows: list[RepeatRow]) -> str:
    lines = [
        "Hub requests per answer: first, same question again at once, "
        f"{CONCURRENT} identical questions at once (fresh server)",
        f"{'question':<26} {'ordering':<11} {'first':>5} {'again':>5} {f'{CONCURRENT}x':>5}",
    ]
    for row in rows:
        lines.append(
            f"{row.question:<26} {row.reading:<11} {row.cold_requests:>5} {row.warm_requests:>5} {row.concurrent_requests:>5}"
        )
    warm_ok = all(r.warm_requests == 0 for r in rows)
    collapsed = all(r.concurrent_requests <= r.cold_requests for r in rows)
    lines.append(f"goal: a repeat within a minute costs 0 requests: {'PASS' if warm_ok else 'FAIL'}")
    lines.append(f"goal: concurrent identical questions cost no more than one: {'PASS' if collapsed else 'FAIL'}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_repeat_cost(asyncio.run(measure_repeat_cost())))
