"""The MCP Apps views: document size, and time to show and to sort the largest answers in headless Chromium.

The answers are the largest the tools give on the fake Docker Hub of the test suite (``tests/fakes``):
suggest_base_images with ``limit=10`` and review_base_images of a Dockerfile with 200 image lines naming
20 images (its bounds: 200 lines, 20 distinct images). Each is shown in the test suite's MCP Apps host page
(``tests/ui/host.html``, served on loopback) in Debian's chromium, driven with Playwright:

* **show**: from handing the document and the answer to the host page to every row in the table, Python's
  wall clock (it includes the DevTools round trips of the wait), median of ``RUNS``;
* **sort**: one click on a column header, timed inside the view (``performance.now()`` around the click;
  the sort and the rows' re-insertion, not the paint that follows), median of ``RUNS`` clicks.

Goals: a view shows within ``GOAL_SHOW_MS`` and sorts within ``GOAL_SORT_MS``; a document stays under
``GOAL_BYTES`` (hosts fetch it with resources/read, cache it, and some show it in a permission prompt).
Skipped, and said so, without chromium or Playwright.
"""

from __future__ import annotations

import gzip
import statistics
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hub_mcp.ui import PAGES, document  # noqa: E402

RUNS = 7
GOAL_SHOW_MS = 500.0
GOAL_SORT_MS = 50.0
GOAL_BYTES = 64_000
TODAY = date(2026, 11, 26)
IMAGES = [
    "python:3.8-slim", "python:3.12-slim", "python:3.13", "node:20", "node:22-alpine", "golang:1.22", "golang:1.23",
    "eclipse-temurin:21-jre", "eclipse-temurin:17-jdk", "postgres:16", "redis:7", "nginx:1.27", "alpine:3.20",
    "debian:bookworm-slim", "ubuntu:22.04", "openjdk:17", "mysql:8.0", "httpd:2.4", "busybox:1.36", "node",
]  # fmt: skip


@dataclass
class ViewRow:
    view: str
    rows: int
    document_bytes: int
    document_gzip_bytes: int
    answer_bytes: int
    show_ms: float | None = None
    sort_ms: float | None = None
    note: str = ""


def _dockerfile() -> str:
    lines = ["# syntax=docker/dockerfile:1"]
    for i in range(200):
        lines.append(f"FROM {IMAGES[i % len(IMAGES)]} AS stage{i}")
    return "\n".join(lines) + "\n"


async def _record() -> dict[str, tuple[dict[str, Any], dict[str, Any]]]:
    import httpx
    from mcp import Client

    from hub_mcp.server import create_server
    from tests.fakes.hub import FakeHub
    from tests.server.conftest import make_settings

    hub = FakeHub(enforce_rate_limit=False)
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    calls = {
        "suggestions": ("suggest_base_images", {"runtime": "python", "limit": 10}),
        "review": ("review_base_images", {"dockerfile": _dockerfile()}),
    }
    recorded = {}
    async with Client(server) as client:
        for view, (tool, args) in calls.items():
            result = await client.call_tool(tool, args)
            if result.is_error:
                raise RuntimeError(f"{tool} failed: {result.content}")
            recorded[view] = (args, result.model_dump(by_alias=True, exclude_none=True, mode="json"))
    return recorded


def measure_views() -> list[ViewRow]:
    import anyio
    import json

    from tests.ui.browser import chromium_path, host_page_server

    rows = [
        ViewRow(name, 0, len(document(name).encode()), len(gzip.compress(document(name).encode())), 0) for name in PAGES
    ]
    try:
        chromium_path()
        from playwright.sync_api import sync_playwright  # noqa: F401
    except BaseException as exc:  # pytest's skip outside pytest, or Playwright missing
        for row in rows:
            row.note = f"not shown: {exc}"
        return rows
    with ThreadPoolExecutor(1) as thread:
        recorded = thread.submit(anyio.run, _record).result()
    from tests.ui.browser import chromium

    with chromium() as browser, host_page_server() as url:
        page = browser.new_context(viewport={"width": 1320, "height": 900}).new_page()
        page.goto(url)
        for row in rows:
            if row.view not in recorded:
                row.note = "document only (the answer needs a registry with SBOMs: see --only compare)"
                continue
            args, result = recorded[row.view]
            table = "candidates" if row.view == "suggestions" else "lines"
            want = len(result["structuredContent"]["candidates" if row.view == "suggestions" else "from_lines"])
            row.rows, row.answer_bytes = want, len(json.dumps(result["structuredContent"]).encode())
            shows = []
            for _ in range(RUNS):
                started = time.perf_counter()
                page.evaluate(
                    "([html, args, result]) => showView(html, args, result, {theme: 'light'})",
                    [document(row.view), args, result],
                )
                page.frame_locator("#view").locator(f"table[data-table={table}] tbody tr").nth(want - 1).wait_for()
                shows.append((time.perf_counter() - started) * 1000)
            frame = next(f for f in page.frames if f != page.main_frame)
            sorts = [
                frame.evaluate(
                    """(table) => {
                        const button = document.querySelector(`table[data-table=${table}] th button`);
                        const started = performance.now();
                        button.click();
                        return performance.now() - started;
                    }""",
                    table,
                )
                for _ in range(RUNS)
            ]
            row.show_ms, row.sort_ms = round(statistics.median(shows), 1), round(statistics.median(sorts), 2)
    return rows


def format_views(rows: list[ViewRow]) -> str:
    lines = [
        f"MCP Apps views in headless chromium (medians of {RUNS}); goals: show <= {GOAL_SHOW_MS:g} ms,"
        f" sort <= {GOAL_SORT_MS:g} ms, document < {GOAL_BYTES:,} B"
    ]
    header = f"{'view':<12} {'rows':>5} {'doc B':>7} {'gzip B':>7} {'answer B':>9} {'show ms':>8} {'sort ms':>8} {'goal':>5}  note"
    lines += [header, "-" * len(header)]
    for row in rows:
        ok = row.document_bytes < GOAL_BYTES and (row.show_ms is None or row.show_ms <= GOAL_SHOW_MS)
        ok = ok and (row.sort_ms is None or row.sort_ms <= GOAL_SORT_MS)
        show = "-" if row.show_ms is None else f"{row.show_ms:.1f}"
        sort = "-" if row.sort_ms is None else f"{row.sort_ms:.2f}"
        lines.append(
            f"{row.view:<12} {row.rows:>5} {row.document_bytes:>7,} {row.document_gzip_bytes:>7,} {row.answer_bytes:>9,}"
            f" {show:>8} {sort:>8} {'PASS' if ok else 'FAIL':>5}  {row.note}"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    print(format_views(measure_views()))
