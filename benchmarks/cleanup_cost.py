"""What a tag cleanup costs: plan_tag_cleanup on a 500-tag repository, and apply_tag_cleanup of its plan.

Through a real MCP session (``mcp.Client``) to ``create_server`` with alice's credentials, the fake Hub
(``tests/fakes/hub.py``) in process holding ``alice/builds`` built by ``tests/cleanup/fixtures.py`` (500 builds with
varied push and pull dates and shared digests, ``latest``, three releases), with ``--latency`` seconds added to each
Hub answer. Rules: ``older_than_days=90, not_pulled_days=30, keep=['v*'], keep_newest=5``. Measured: Hub requests
and wall time of the plan (cold), of the same plan again, and of applying it (an eliciting client that says yes).
Goals: the plan reads each tag page once (ceil(tags / 100) pages, plus the login at most); applying costs one
DELETE per planned tag plus the re-read of the pages and the confirmation's reads.
"""

from __future__ import annotations

import asyncio
import math
import time
from dataclasses import dataclass
from typing import Any

import httpx
from mcp import Client, types

from hub_mcp.server import create_server
from tests.cleanup.fixtures import NOW, add_repository, many
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings

ALICE_PAT = "dckr_pat_alice_cleanup_bench"
RULES: dict[str, Any] = {
    "repository": "alice/builds",
    "older_than_days": 90,
    "not_pulled_days": 30,
    "keep": ["v*"],
    "keep_newest": 5,
}


@dataclass
class CleanupRow:
    step: str
    requests: int
    deletes: int
    ms: float
    detail: str


async def _yes(context: Any, params: types.ElicitRequestParams) -> types.ElicitResult:
    return types.ElicitResult(action="accept", content={"delete": True})


async def measure_cleanup(latency: float = 0.0, tags: int = 500) -> list[CleanupRow]:
    hub = FakeHub(users={"alice": ALICE_PAT}, scopes={"alice": "repo:admin"}, enforce_rate_limit=False)
    add_repository(hub, "alice", "builds", many(tags))
    hub.latency = latency
    server = create_server(
        make_settings(username="alice", pat_token=ALICE_PAT),
        hub_transport=httpx.ASGITransport(app=hub.app),
        today=NOW.date(),
    )
    rows: list[CleanupRow] = []
    async with Client(server, mode="auto", elicitation_callback=_yes) as client:
        plan_id = ""
        for step in ("plan, cold", "plan, again"):
            before, started = len(hub.requests), time.perf_counter()
            result = await client.call_tool("plan_tag_cleanup", RULES)
            ms = (time.perf_counter() - started) * 1000
            answer = result.structured_content or {}
            plan_id = answer.get("plan_id", "")
            rows.append(CleanupRow(step, len(hub.requests) - before, 0, ms,
                                   f"{answer.get('delete_count')} of {answer.get('tags_total')} to delete,"
                                   f" {len(str(result.content[0].text))} characters"))
        before, started = len(hub.requests), time.perf_counter()
        result = await client.call_tool("apply_tag_cleanup", {"plan_id": plan_id})
        ms = (time.perf_counter() - started) * 1000
        answer = result.structured_content or {}
        deletes = sum(1 for r in hub.requests[before:] if r.method == "DELETE")
        rows.append(CleanupRow("apply", len(hub.requests) - before, deletes, ms,
                               f"deleted {answer.get('deleted')}, skipped {answer.get('skipped')},"
                               f" not tried {answer.get('not_tried')}"))
    return rows


def format_cleanup(rows: list[CleanupRow], tags: int = 500, latency: float = 0.0) -> str:
    lines = [
        f"Tag cleanup on a {tags + 4}-tag repository (benchmarks/cleanup_cost.py; {latency * 1000:.0f} ms per Hub answer)",
        f"{'step':<12} {'requests':>8} {'DELETEs':>8} {'ms':>9}  detail",
    ]
    lines += [f"{r.step:<12} {r.requests:>8} {r.deletes:>8} {r.ms:>9.1f}  {r.detail}" for r in rows]
    pages = math.ceil((tags + 4) / 100)
    plan = rows[0]
    ok = plan.requests <= pages + 2
    lines.append(
        f"{'PASS' if ok else 'FAIL'}  the plan reads each tag page once: {plan.requests} <= {pages} pages + the"
        " repository + the login"
    )
    return "\n".join(lines)


def main() -> None:
    rows = asyncio.run(measure_cleanup(0.05))
    print(format_cleanup(rows, latency=0.05))


if __name__ == "__main__":
    main()
