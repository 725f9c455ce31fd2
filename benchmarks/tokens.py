"""Bytes the model receives from hub-mcp versus the raw Docker Hub JSON for the same question.

Each question is asked twice against the same fake Hub (``FakeHub(enforce_rate_limit=False)``,
served in process through ``httpx.ASGITransport``):

* **ours**: through a real MCP client session (``mcp.Client``, legacy JSON-RPC mode) to a
  fresh ``create_server(...)``. Counted: UTF-8 bytes of every text content block, plus the
  structured content serialized as compact JSON. Both halves are kept, and their sum.
* **raw**: the Hub request a raw-JSON server would make, sent straight to the fake Hub.
  Counted: the response body bytes (a 404 body for a missing tag). Docker's own MCP server
  sends that JSON twice (text block + structured content), hence ``docker = 2 × raw``.

Each answer's cost in upstream requests is read from ``hub.requests``. Tokens are estimated
as bytes / 4 (rounded up).
"""

from __future__ import annotations

import json
import logging
from dataclasses import dataclass, field
from typing import Any

import httpx
from mcp import Client
from mcp.types import TextContent

from hub_mcp.config import Settings
from hub_mcp.server import create_server
from tests.fakes.hub import FakeHub

HUB_URL = "https://hub.docker.com"
REPO_PATH = "/v2/namespaces/library/repositories/python"
TAGS_PATH = f"{REPO_PATH}/tags"
LIST_TAGS_GOAL = 0.25
"""list_tags should send the model at most this fraction of the raw page's bytes."""


@dataclass(frozen=True)
class Question:
    """One question: the tool call, and the raw Hub request that answers it."""

    label: str
    tool: str
    arguments: dict[str, Any]
    raw_path: str
    raw_params: dict[str, str | int] = field(default_factory=dict)

    @property
    def has_goal(self) -> bool:
        return self.tool == "list_tags"


QUESTIONS: tuple[Question, ...] = (
    Question("search python", "search_images", {"query": "python"}, "/api/search/v4", {"query": "python", "size": 10}),
    Question("tags of python (10)", "list_tags", {"repository": "python", "limit": 10}, TAGS_PATH, {"page_size": 10}),
    Question(
        "tags of python (100)", "list_tags", {"repository": "python", "limit": 100}, TAGS_PATH, {"page_size": 100}
    ),
    Question("repository python", "get_repository", {"repository": "python"}, REPO_PATH),
    Question("tag python:3.12-slim", "get_tag", {"repository": "python", "tag": "3.12-slim"}, f"{TAGS_PATH}/3.12-slim"),
    Question("tag python:3.99", "get_tag", {"repository": "python", "tag": "3.99"}, f"{TAGS_PATH}/3.99"),
)


def approx_tokens(size: int) -> int:
    """A rough token count: 4 bytes per token, rounded up."""
    return -(-size // 4)


@dataclass(frozen=True)
class TokenRow:
    """The numbers for one question."""

    question: str
    tool: str
    arguments: dict[str, Any]
    text_bytes: int
    structured_bytes: int
    ours_bytes: int
    ours_tokens: int
    is_error: bool
    ours_requests: int
    raw_request: str
    raw_status: int
    raw_bytes: int
    raw_tokens: int
    raw_requests: int
    docker_bytes: int
    docker_tokens: int
    ratio_ours_raw: float
    ratio_ours_docker: float
    ratio_text_raw: float
    goal: float | None
    """For list_tags: the most ``ours / raw`` may be; ``None`` when no goal applies."""
    meets_goal: bool | None
    error_text: str | None = None


def _compact(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


async def _ask_ours(hub: FakeHub, question: Question) -> tuple[int, int, bool, int, str | None]:
    """Ask through a fresh server and MCP session: (text bytes, structured bytes, is_error, requests, error)."""
    server = create_server(Settings(hub_url=HUB_URL), hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode="legacy") as client:
        before = len(hub.requests)
        result = await client.call_tool(question.tool, question.arguments)
        requests = len(hub.requests) - before
    texts = [block.text for block in result.content if isinstance(block, TextContent)]
    text_bytes = sum(len(text.encode()) for text in texts)
    structured = result.structured_content
    structured_bytes = len(_compact(structured)) if structured is not None else 0
    error = " ".join(texts) if result.is_error else None
    return text_bytes, structured_bytes, bool(result.is_error), requests, error


async def _ask_raw(hub: FakeHub, question: Question) -> tuple[str, int, int, int]:
    """Send the raw Hub request: (request line, status, body bytes, requests)."""
    transport = httpx.ASGITransport(app=hub.app)
    async with httpx.AsyncClient(transport=transport, base_url=HUB_URL) as client:
        before = len(hub.requests)
        response = await client.get(question.raw_path, params=question.raw_params)
        requests = len(hub.requests) - before
    return f"GET {response.request.url.raw_path.decode()}", response.status_code, len(response.content), requests


async def measure_tokens() -> list[TokenRow]:
    """Ask every question both ways and return one row per question."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
    hub = FakeHub(enforce_rate_limit=False)
    rows: list[TokenRow] = []
    for question in QUESTIONS:
        text_bytes, structured_bytes, is_error, ours_requests, error = await _ask_ours(hub, question)
        raw_request, raw_status, raw_bytes, raw_requests = await _ask_raw(hub, question)
        ours = text_bytes + structured_bytes
        docker = 2 * raw_bytes
        if raw_bytes == 0:
            raise RuntimeError(f"{question.raw_path}: the fake Hub sent an empty body")
        ratio = ours / raw_bytes
        goal = LIST_TAGS_GOAL if question.has_goal else None
        rows.append(
            TokenRow(
                question=question.label,
                tool=question.tool,
                arguments=question.arguments,
                text_bytes=text_bytes,
                structured_bytes=structured_bytes,
                ours_bytes=ours,
                ours_tokens=approx_tokens(ours),
                is_error=is_error,
                ours_requests=ours_requests,
                raw_request=raw_request,
                raw_status=raw_status,
                raw_bytes=raw_bytes,
                raw_tokens=approx_tokens(raw_bytes),
                raw_requests=raw_requests,
                docker_bytes=docker,
                docker_tokens=approx_tokens(docker),
                ratio_ours_raw=ratio,
                ratio_ours_docker=ours / docker,
                ratio_text_raw=text_bytes / raw_bytes,
                goal=goal,
                meets_goal=None if goal is None else ratio <= goal,
                error_text=error,
            )
        )
    return rows


def format_tokens(rows: list[TokenRow]) -> str:
    """The fixed-width table, plus one PASS/FAIL line per question that has a goal."""
    header = (
        f"{'question':<22} {'text B':>7} {'struct B':>8} {'ours B':>7} {'~tok':>6} "
        f"{'raw B':>7} {'docker B':>8} {'~tok':>6} {'ours/raw':>8} {'ours/dock':>9} {'req o/r':>7}"
    )
    lines = [
        "Bytes the model receives (ours = text + structured) vs raw Hub JSON (docker = 2 x raw)",
        header,
        "-" * len(header),
    ]
    for row in rows:
        marker = " ERROR" if row.is_error else ""
        lines.append(
            f"{row.question:<22} {row.text_bytes:>7} {row.structured_bytes:>8} {row.ours_bytes:>7} "
            f"{row.ours_tokens:>6} {row.raw_bytes:>7} {row.docker_bytes:>8} {row.docker_tokens:>6} "
            f"{row.ratio_ours_raw:>8.1%} {row.ratio_ours_docker:>9.1%} "
            f"{f'{row.ours_requests}/{row.raw_requests}':>7}{marker}"
        )
    total_ours = sum(row.ours_bytes for row in rows)
    total_raw = sum(row.raw_bytes for row in rows)
    lines.append("-" * len(header))
    lines.append(
        f"{'all six':<22} {sum(r.text_bytes for r in rows):>7} {sum(r.structured_bytes for r in rows):>8} "
        f"{total_ours:>7} {approx_tokens(total_ours):>6} {total_raw:>7} {2 * total_raw:>8} "
        f"{approx_tokens(2 * total_raw):>6} {total_ours / total_raw:>8.1%} {total_ours / (2 * total_raw):>9.1%} "
        f"{f'{sum(r.ours_requests for r in rows)}/{sum(r.raw_requests for r in rows)}':>7}"
    )
    lines.append("")
    for row in rows:
        if row.goal is not None:
            verdict = "PASS" if row.meets_goal else "FAIL"
            lines.append(
                f"{verdict}  {row.question}: ours/raw {row.ratio_ours_raw:.1%} (goal <= {row.goal:.0%}; "
                f"text alone {row.ratio_text_raw:.1%})"
            )
        if row.is_error:
            lines.append(f"ERROR {row.question}: the tool answered is_error: {row.error_text}")
    return "\n".join(lines)
