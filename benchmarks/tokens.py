"""Bytes the model receives from hub-mcp versus the raw Docker Hub JSON for the same question,
for every tool and resource that answers from Docker Hub, with an answer key per question.

Each question is asked twice against the same fake Hub (``FakeHub(enforce_rate_limit=False)``,
served in process through ``httpx.ASGITransport``):

* **ours**: through a real MCP client session (``mcp.Client``, legacy JSON-RPC mode) to a
  fresh ``create_server(...)``. A tool's answer is counted as the UTF-8 bytes of every text
  content block plus the structured content serialized as compact JSON (both halves are kept,
  and their sum); a resource's answer is its text.
* **raw**: the Hub requests a raw-JSON server would have to hand the model so that it holds the
  same facts (the answer key below), sent straight to the fake Hub: their response bodies'
  bytes. For get_tag that is the tag (or its 404) plus the *smallest* name-filtered page of
  newest tags that holds the key's other tags (newer tags of the line, the alternatives to a
  missing tag): its size is worked out from the catalog, a lower bound no real client could
  beat without knowing the answer. For the advisor tools it is every Hub response the answer
  was built from (the requests our server made, sent again). Docker's own MCP server sends raw
  JSON twice (text block + structured content), hence ``docker = 2 × raw``.

**Answer key.** Each question has a fixed list of facts a model needs to act without a second
call, derived from the fake catalog (``tests/fakes/catalog.py``), never from our answers: the
newest tags by push date, a digest, a README's sections and usage line, the closest existing
lines for a missing tag, ... A fact is one or more spellings (bytes or megabytes, ``20479`` or
``20,479``); it is found when any spelling is in the answer's text. A question **passes** when
every fact is found and ``ours / raw`` is at most :data:`GOAL` (25 %).

Not here: ``inspect_image`` answers from a registry, not from Hub JSON (its cost is the
``inspect`` benchmark); ``hub-mcp://lifecycle/{runtime}`` answers from the bundled table.

Each answer's cost in upstream requests is read from ``hub.requests``. Tokens are estimated
as bytes / 4 (rounded up).
"""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
from mcp import Client
from mcp.types import TextContent

from hub_mcp.config.settings import Settings
from hub_mcp.server import create_server
from tests.fakes.catalog import Catalog, Repository, default_catalog, pull_count_label
from tests.fakes.hub import FakeHub

HUB_URL = "https://hub.docker.com"
REPO_PATH = "/v2/namespaces/library/repositories/python"
TAGS_PATH = f"{REPO_PATH}/tags"
NEWEST_100 = (TAGS_PATH, {"page_size": 100, "ordering": "last_updated"})
GOAL = 0.25
"""Every answer should send the model at most this fraction of the raw JSON's bytes."""
TODAY = date(2026, 11, 26)
"""The day the advisor judges end of life by (the fake catalog's dates lie before it)."""

Fact = tuple[str, ...]
"""Spellings of one fact: found when any of them is in the answer."""
RawRequest = tuple[str, dict[str, str | int]]


@dataclass(frozen=True)
class Question:
    """One question: a tool call or a resource read, the raw Hub requests that carry the same facts,
    and the answer key."""

    label: str
    target: str
    """The tool name, or the resource template."""
    key: Callable[[Catalog], list[Fact]]
    arguments: dict[str, Any] = field(default_factory=dict)
    uri: str | None = None
    """Set for a resource read."""
    raw: tuple[RawRequest, ...] | Callable[[Catalog], tuple[RawRequest, ...]] = ()
    """Empty: replay the Hub requests our answer made (the advisor tools)."""

    @property
    def kind(self) -> str:
        return "resource" if self.uri else "tool"


# --- answer keys, from the catalog ------------------------------------------------------


def _python(catalog: Catalog) -> Repository:
    repo = catalog.get("library", "python")
    assert repo is not None
    return repo


def _newest(repo: Repository, n: int) -> list[str]:
    return [t.name for t in sorted(repo.tags, key=lambda t: t.last_updated, reverse=True)[:n]]


def _day(stamp: str) -> str:
    return stamp[:10]


def _thousands(n: int) -> Fact:
    return (str(n), f"{n:,}")


def _size(n: int) -> Fact:
    return (str(n), f"{n / 1e6:.1f}")


def _lines(repo: Repository) -> list[tuple[int, ...]]:
    """The runtime's X.Y lines that have a plain tag, newest version first."""
    found = {tuple(int(p) for p in t.name.split(".")) for t in repo.tags if re.fullmatch(r"\d+\.\d+", t.name)}
    return sorted(found, reverse=True)


def key_search(catalog: Catalog) -> list[Fact]:
    hits = [
        r for r in catalog.repositories if not r.is_private and "python" in f"{r.full_name} {r.description}".lower()
    ]
    python = _python(catalog)
    names = [(r.name if r.is_official else r.full_name,) for r in hits]
    return [*names, ("official",), (pull_count_label(python.pull_count),), (python.description[:60],)]


def key_list_tags(n: int) -> Callable[[Catalog], list[Fact]]:
    def key(catalog: Catalog) -> list[Fact]:
        python = _python(catalog)
        names = _newest(python, n)
        newest = python.tag(names[0])
        assert newest is not None and newest.digest
        return [
            *[(f'"{name}"',) for name in names],
            (_day(newest.last_updated),),
            (newest.digest,),
            ("linux/arm64/v8",),
            _size(newest.full_size),
            (str(len(python.tags)),),
        ]

    return key


def key_repository(catalog: Catalog) -> list[Fact]:
    python = _python(catalog)
    return [
        (python.description[:60],),
        ("official",),
        (str(python.star_count),),
        (str(python.pull_count),),
        (_day(python.last_updated),),
        _thousands(len(python.full_description)),
    ]


def key_tag(catalog: Catalog) -> list[Fact]:
    python = _python(catalog)
    tag = python.tag("3.12-slim")
    assert tag is not None and tag.digest
    newer = _newer_slim(catalog)
    return [
        (tag.digest,),
        (_day(tag.last_updated),),
        *[(image.platform,) for image in tag.platform_images],
        _size(tag.full_size),
        *[(name,) for name in newer],
    ]


def _newer_slim(catalog: Catalog) -> list[str]:
    python = _python(catalog)
    return [
        f"{major}.{minor}-slim"
        for major, minor in _lines(python)
        if (major, minor) > (3, 12) and python.tag(f"{major}.{minor}-slim") is not None
    ]


def key_missing_tag(catalog: Catalog) -> list[Fact]:
    return [("does not exist",), *[(f'"{line}"',) for line in _closest_lines(catalog)]]


def _closest_lines(catalog: Catalog) -> list[str]:
    return [".".join(map(str, line)) for line in _lines(_python(catalog))[:2]]


def smallest_page(catalog: Catalog, needle: str, wanted: list[str]) -> RawRequest:
    """The newest-first tag page filtered by ``needle`` just big enough to hold every ``wanted`` tag."""
    tags = [t for t in _python(catalog).tags if needle in t.name]
    matching = sorted(tags, key=lambda t: t.last_updated, reverse=True)
    names = [t.name for t in matching]
    size = max(names.index(name) + 1 for name in wanted)
    return TAGS_PATH, {"name": needle, "page_size": size, "ordering": "last_updated"}


def raw_tag(catalog: Catalog) -> tuple[RawRequest, ...]:
    return (f"{TAGS_PATH}/3.12-slim", {}), smallest_page(catalog, "-slim", _newer_slim(catalog))


def raw_missing_tag(catalog: Catalog) -> tuple[RawRequest, ...]:
    return (f"{TAGS_PATH}/3.99", {}), smallest_page(catalog, "3.", _closest_lines(catalog))


def key_readme(catalog: Catalog) -> list[Fact]:
    readme = _python(catalog).full_description
    headings = [(line,) for line in readme.split("\n") if line.startswith("# ")]
    usage = next(line for line in readme.split("\n") if line.startswith("$ docker run"))
    return [_thousands(len(readme)), *headings, (usage,)]


def key_tag_table(catalog: Catalog) -> list[Fact]:
    python = _python(catalog)
    names = _newest(python, 100)
    newest = python.tag(names[0])
    assert newest is not None
    return [*[(name,) for name in names], (_day(newest.last_updated),), _thousands(len(python.tags))]


def key_suggest(catalog: Catalog) -> list[Fact]:
    newest = ".".join(map(str, _lines(_python(catalog))[0]))
    return [(f"python:{newest}",), ("@sha256:",), ("end_of_life",)]


def key_review(catalog: Catalog) -> list[Fact]:
    newest = ".".join(map(str, _lines(_python(catalog))[0]))
    return [("end of life",), (f"python:{newest}",), ('"line":1',)]


def key_namespace(catalog: Catalog) -> list[Fact]:
    """The official images' namespace: every repository's name among the first 25 by last push, and
    the newest one's push date and pull count."""
    repos = sorted(
        (r for r in catalog.in_namespace("library") if not r.is_private),
        key=lambda r: max(t.last_updated for t in r.tags),
        reverse=True,
    )
    newest = repos[0]
    return [*[(f'"{r.name}"',) for r in repos[:25]], (_day(newest.last_updated),), (str(newest.pull_count),)]


NAMESPACE_PATH = "/v2/namespaces/library/repositories"


QUESTIONS: tuple[Question, ...] = (
    Question("search python", "search_images", key_search, {"query": "python"},
             raw=(("/api/search/v4", {"query": "python", "size": 10}),)),
    Question("tags of python (10)", "list_tags", key_list_tags(10), {"repository": "python", "limit": 10},
             raw=((TAGS_PATH, {"page_size": 10, "ordering": "last_updated"}),)),
    Question("tags of python (100)", "list_tags", key_list_tags(100), {"repository": "python", "limit": 100},
             raw=(NEWEST_100,)),
    Question("repository python", "get_repository", key_repository, {"repository": "python"}, raw=((REPO_PATH, {}),)),
    Question("tag python:3.12-slim", "get_tag", key_tag, {"repository": "python", "tag": "3.12-slim"},
             raw=raw_tag),
    Question("tag python:3.99", "get_tag", key_missing_tag, {"repository": "python", "tag": "3.99"},
             raw=raw_missing_tag),
    Question("suggest python", "suggest_base_images", key_suggest, {"runtime": "python", "limit": 3}),
    Question("review FROM python:3.8", "review_base_images", key_review, {"dockerfile": "FROM python:3.8-slim\n"}),
    Question("resource repository", "dockerhub://repositories/{namespace}/{name}", key_repository,
             uri="dockerhub://repositories/library/python", raw=((REPO_PATH, {}),)),
    Question("resource tag", "dockerhub://repositories/{namespace}/{name}/tags/{tag}", key_tag,
             uri="dockerhub://repositories/library/python/tags/3.12-slim", raw=raw_tag),
    Question("resource readme", "dockerhub://repositories/{namespace}/{name}/readme", key_readme,
             uri="dockerhub://repositories/library/python/readme", raw=((REPO_PATH, {}),)),
    Question("resource tag table", "dockerhub://repositories/{namespace}/{name}/tags", key_tag_table,
             uri="dockerhub://repositories/library/python/tags", raw=(NEWEST_100,)),
    Question("repositories of library", "list_repositories", key_namespace, {"namespace": "library"},
             raw=((NAMESPACE_PATH, {"page_size": 25, "ordering": "last_updated"}),)),
    Question("resource namespace", "dockerhub://namespaces/{namespace}", key_namespace,
             uri="dockerhub://namespaces/library",
             raw=((NAMESPACE_PATH, {"page_size": 100, "ordering": "last_updated"}),)),
)  # fmt: skip


def missing_facts(facts: list[Fact], text: str) -> list[str]:
    """The facts (by their first spelling) that ``text`` does not carry."""
    return [spellings[0] for spellings in facts if not any(s in text for s in spellings)]


def approx_tokens(size: int) -> int:
    """A rough token count: 4 bytes per token, rounded up."""
    return -(-size // 4)


@dataclass(frozen=True)
class TokenRow:
    """The numbers for one question."""

    question: str
    kind: str
    target: str
    arguments: dict[str, Any]
    text_bytes: int
    structured_bytes: int
    ours_bytes: int
    ours_tokens: int
    is_error: bool
    ours_requests: int
    raw_requests_sent: list[str]
    raw_bytes: int
    raw_tokens: int
    raw_requests: int
    docker_bytes: int
    docker_tokens: int
    ratio_ours_raw: float
    ratio_ours_docker: float
    ratio_text_raw: float
    facts: int
    facts_found: int
    missing_facts: list[str]
    goal: float
    meets_goal: bool
    error_text: str | None = None


def _compact(data: Any) -> bytes:
    return json.dumps(data, separators=(",", ":"), ensure_ascii=False).encode()


@dataclass
class _Ours:
    text: str
    text_bytes: int
    structured_bytes: int
    is_error: bool
    requests: list[tuple[str, str, str]]
    error: str | None


async def _ask_ours(hub: FakeHub, question: Question) -> _Ours:
    """Ask through a fresh server and MCP session."""
    server = create_server(Settings(hub_url=HUB_URL), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    async with Client(server, mode="legacy") as client:
        before = len(hub.requests)
        if question.uri:
            read = await client.read_resource(question.uri)
            text = "".join(getattr(content, "text", "") for content in read.contents)
            made = list(hub.requests[before:])
            return _Ours(text, len(text.encode()), 0, False, [tuple(r) for r in made], None)  # type: ignore[misc]
        result = await client.call_tool(question.target, question.arguments)
        made = list(hub.requests[before:])
    texts = [block.text for block in result.content if isinstance(block, TextContent)]
    structured = result.structured_content
    return _Ours(
        text="".join(texts),
        text_bytes=sum(len(text.encode()) for text in texts),
        structured_bytes=len(_compact(structured)) if structured is not None else 0,
        is_error=bool(result.is_error),
        requests=[tuple(r) for r in made],  # type: ignore[misc]
        error=" ".join(texts) if result.is_error else None,
    )


async def _ask_raw(hub: FakeHub, requests: list[tuple[str, str]]) -> tuple[list[str], int]:
    """Send the raw Hub requests (path, query string): (request lines, body bytes)."""
    transport = httpx.ASGITransport(app=hub.app)
    lines, size = [], 0
    async with httpx.AsyncClient(transport=transport, base_url=HUB_URL) as client:
        for path, query in requests:
            response = await client.get(f"{path}?{query}" if query else path)
            if not response.content:
                raise RuntimeError(f"{path}: the fake Hub sent an empty body")
            lines.append(f"GET {response.request.url.raw_path.decode()}")
            size += len(response.content)
    return lines, size


def _raw_requests(question: Question, ours: _Ours, catalog: Catalog) -> list[tuple[str, str]]:
    raw = question.raw(catalog) if callable(question.raw) else question.raw
    if raw:
        return [(path, str(httpx.QueryParams(params))) for path, params in raw]
    return [(path, query) for method, path, query in ours.requests if method == "GET"]


async def measure_tokens() -> list[TokenRow]:
    """Ask every question both ways and return one row per question."""
    logging.getLogger("httpx").setLevel(logging.WARNING)  # one INFO line per request otherwise
    hub = FakeHub(enforce_rate_limit=False)
    catalog = default_catalog()
    rows: list[TokenRow] = []
    for question in QUESTIONS:
        ours = await _ask_ours(hub, question)
        requests = _raw_requests(question, ours, catalog)
        raw_lines, raw_bytes = await _ask_raw(hub, requests)
        facts = question.key(catalog)
        missing = missing_facts(facts, ours.text)
        ours_bytes = ours.text_bytes + ours.structured_bytes
        ratio = ours_bytes / raw_bytes
        rows.append(
            TokenRow(
                question=question.label,
                kind=question.kind,
                target=question.target,
                arguments=question.arguments if question.kind == "tool" else {"uri": question.uri},
                text_bytes=ours.text_bytes,
                structured_bytes=ours.structured_bytes,
                ours_bytes=ours_bytes,
                ours_tokens=approx_tokens(ours_bytes),
                is_error=ours.is_error,
                ours_requests=len(ours.requests),
                raw_requests_sent=raw_lines,
                raw_bytes=raw_bytes,
                raw_tokens=approx_tokens(raw_bytes),
                raw_requests=len(raw_lines),
                docker_bytes=2 * raw_bytes,
                docker_tokens=approx_tokens(2 * raw_bytes),
                ratio_ours_raw=ratio,
                ratio_ours_docker=ours_bytes / (2 * raw_bytes),
                ratio_text_raw=ours.text_bytes / raw_bytes,
                facts=len(facts),
                facts_found=len(facts) - len(missing),
                missing_facts=missing,
                goal=GOAL,
                meets_goal=ratio <= GOAL and not missing and not ours.is_error,
                error_text=ours.error,
            )
        )
    return rows


def format_tokens(rows: list[TokenRow]) -> str:
    """The fixed-width table, plus one PASS/FAIL line per question."""
    header = (
        f"{'question':<24} {'text B':>7} {'struct B':>8} {'ours B':>7} {'~tok':>6} "
        f"{'raw B':>7} {'~tok':>6} {'ours/raw':>8} {'text/raw':>8} {'ours/dock':>9} {'req o/r':>7} {'facts':>7}"
    )
    lines = [
        "Bytes the model receives (ours = text + structured; a resource: its text) vs the raw Hub JSON that"
        " carries the same facts (docker = 2 x raw)",
        header,
        "-" * len(header),
    ]
    for row in rows:
        marker = " ERROR" if row.is_error else ""
        lines.append(
            f"{row.question:<24} {row.text_bytes:>7} {row.structured_bytes:>8} {row.ours_bytes:>7} "
            f"{row.ours_tokens:>6} {row.raw_bytes:>7} {row.raw_tokens:>6} "
            f"{row.ratio_ours_raw:>8.1%} {row.ratio_text_raw:>8.1%} {row.ratio_ours_docker:>9.1%} "
            f"{f'{row.ours_requests}/{row.raw_requests}':>7} {f'{row.facts_found}/{row.facts}':>7}{marker}"
        )
    total_ours = sum(row.ours_bytes for row in rows)
    total_raw = sum(row.raw_bytes for row in rows)
    lines.append("-" * len(header))
    lines.append(
        f"{f'all {len(rows)}':<24} {sum(r.text_bytes for r in rows):>7} {sum(r.structured_bytes for r in rows):>8} "
        f"{total_ours:>7} {approx_tokens(total_ours):>6} {total_raw:>7} {approx_tokens(total_raw):>6} "
        f"{total_ours / total_raw:>8.1%} {sum(r.text_bytes for r in rows) / total_raw:>8.1%} "
        f"{total_ours / (2 * total_raw):>9.1%} "
        f"{f'{sum(r.ours_requests for r in rows)}/{sum(r.raw_requests for r in rows)}':>7} "
        f"{f'{sum(r.facts_found for r in rows)}/{sum(r.facts for r in rows)}':>7}"
    )
    lines.append("")
    for row in rows:
        verdict = "PASS" if row.meets_goal else "FAIL"
        missing = f"; missing: {', '.join(row.missing_facts[:5])}" if row.missing_facts else ""
        lines.append(
            f"{verdict}  {row.kind} {row.target} ({row.question}): facts {row.facts_found}/{row.facts},"
            f" ours/raw {row.ratio_ours_raw:.1%} (goal <= {row.goal:.0%}; text alone {row.ratio_text_raw:.1%}){missing}"
        )
        if row.is_error:
            lines.append(f"ERROR {row.question}: the tool answered is_error: {row.error_text}")
    return "\n".join(lines)
