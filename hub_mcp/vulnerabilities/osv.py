"""The OSV API client: which vulnerabilities affect a batch of packages, and each vulnerability's record.

[documented: google/osv.dev docs/api/post-v1-querybatch.md, get-v1-vulns.md; osv-schema docs/schema.md]

- ``POST /v1/querybatch`` ``{"queries": [...]}`` answers ``{"results": [{"vulns": [{"id", "modified"}],
  "next_page_token"?}]}`` in the order of the queries: ids and modified times only. A result with a
  ``next_page_token`` has more: that query is asked again with ``page_token`` (only the queries that have one).
  Pages end past 1,000 vulnerabilities for one query or 3,000 for the batch ("numbers can vary").
- At most 1,000 queries a request [documented in code: google/osv.dev go/internal/api/query_affected.go,
  ``maxBatchQueries = 1000``, more is ``InvalidArgument`` "too many queries", HTTP 400 through the gateway]:
  :data:`MAX_BATCH` per POST.
- ``GET /v1/vulns/{id}`` answers the whole record. Records are kept (:class:`hub_mcp.net.cache.LRUCache`) by
  ``(id, modified)``: the batch answer says when a record last changed, so a changed record is fetched again and an
  unchanged one never is.
- No key; be polite [documented: security-facts.md, OSV section]: batch, cache, and fetch at most
  :data:`FETCHES_AT_ONCE` records at once per call.

Everything goes through :meth:`hub_mcp.net.http.HttpClient.send` (egress policy, bounded reads, retries of 5xx and
429); JSON through :mod:`hub_mcp.net.jsontext` (the client's parse). Failures are :class:`hub_mcp.errors.Upstream`
or ``RateLimited`` sentences naming OSV and its host.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import quote

import httpx

from hub_mcp.errors import NotFound, Upstream, excerpt
from hub_mcp.net.cache import LRUCache
from hub_mcp.net.http import HttpClient, Response, SendOptions
from hub_mcp.vocab.common import one_line
from hub_mcp.vulnerabilities.ecosystems import Query
from hub_mcp.vulnerabilities.severity import Vector

DEFAULT_URL = "https://api.osv.dev"
MAX_BATCH = 1_000
"""Queries per ``/v1/querybatch`` request: OSV's limit."""
MAX_PAGES = 10
"""Further rounds of pages asked for one batch; a query with more is cut there (and said so)."""
MAX_VULNS_PER_QUERY = 5_000
"""Vulnerability ids kept for one query, whatever the pages hold."""
FETCHES_AT_ONCE = 8
"""Records fetched at the same time by one :meth:`OsvClient.get_many` call."""
CACHE_ENTRIES = 4_096
"""Records kept in memory (by id and modified time)."""
SUMMARY_CHARS = 160
MAX_AFFECTED = 500
"""``affected[]`` entries read of one record (a kernel record can list hundreds of releases)."""
MAX_RANGES = 50
MAX_EVENTS = 200
MAX_ALIASES = 50
MAX_SEVERITIES = 10


@dataclass(frozen=True)
class VulnRef:
    """A vulnerability a batch query matched: its id and when its record last changed."""

    id: str
    modified: str


@dataclass(frozen=True)
class Range:
    """One ``affected[].ranges[]`` entry: its type (``ECOSYSTEM``, ``SEMVER``, ``GIT``) and its events in order,
    each as (kind, version): ``("introduced", "0")``, ``("fixed", "3.0.11-1~deb12u2")``, ``("last_affected", ...)``."""

    type: str
    events: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Affected:
    """One ``affected[]`` entry: the package (``ecosystem`` as written, ``Debian:12``, and ``name``), its ranges,
    its own severity entries and the severity words of its ``ecosystem_specific`` / ``database_specific``."""

    ecosystem: str
    name: str
    ranges: tuple[Range, ...]
    severity: tuple[Vector, ...] = ()
    words: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class VulnRecord:
    """What hub-mcp keeps of an OSV record."""

    id: str
    summary: str | None
    aliases: tuple[str, ...]  # aliases and upstream ids, CVE ids first
    severity: tuple[Vector, ...]
    affected: tuple[Affected, ...]
    published: str | None
    modified: str | None
    withdrawn: str | None
    words: tuple[tuple[str, str], ...] = ()  # the record's own database_specific.severity


@dataclass
class Usage:
    """What one caller's work cost: HTTP requests sent (each POST and GET once, whatever the retries)."""

    requests: int = 0


class Matches(list[list[VulnRef]]):
    """The answer of :meth:`OsvClient.query_batch`: per query, in input order, the vulnerabilities it matched.
    ``cut`` holds the indices of the queries whose pages ran past :data:`MAX_PAGES` or
    :data:`MAX_VULNS_PER_QUERY`: they matched more than is listed."""

    def __init__(self, lists: Iterable[list[VulnRef]] = ()) -> None:
        super().__init__(lists)
        self.cut: set[int] = set()


@dataclass
class OsvClient:
    """OSV's API at ``base_url`` (``HUB_MCP_OSV_URL``), through ``http``."""

    http: HttpClient
    base_url: str = DEFAULT_URL
    records: LRUCache[tuple[str, str], VulnRecord] = field(default_factory=lambda: LRUCache(CACHE_ENTRIES))

    def __post_init__(self) -> None:
        self.base_url = self.base_url.rstrip("/")
        self.host = httpx.URL(self.base_url).host
        self.service = f"OSV ({self.host})"

    def _options(self, what: str) -> SendOptions:
        return SendOptions(service=self.service, body="json", what=what)

    # --- querybatch ---------------------------------------------------------------------------------

    async def query_batch(self, queries: Sequence[Query], usage: Usage | None = None) -> Matches:
        """The vulnerabilities each query matches, in input order: :data:`MAX_BATCH` queries a request, then the
        further pages of those that have them (at most :data:`MAX_PAGES` rounds)."""
        usage = usage if usage is not None else Usage()
        found = Matches([] for _ in queries)
        pending: list[tuple[int, str]] = []  # (query index, page token)
        for start in range(0, len(queries), MAX_BATCH):
            indices = list(range(start, min(start + MAX_BATCH, len(queries))))
            pending += await self._ask(queries, [(i, None) for i in indices], found, usage)
        for _ in range(MAX_PAGES):
            if not pending:
                break
            asked, pending = pending[:MAX_BATCH], pending[MAX_BATCH:]
            pending += await self._ask(queries, list(asked), found, usage)
        found.cut.update(index for index, _ in pending)
        return found

    async def _ask(
        self,
        queries: Sequence[Query],
        asked: Sequence[tuple[int, str | None]],
        found: Matches,
        usage: Usage,
    ) -> list[tuple[int, str]]:
        """One POST for ``asked`` (index, page token); adds what it matched to ``found``; the (index, next token)
        of the results that have more pages."""
        body = []
        for index, token in asked:
            query = queries[index].body()
            if token is not None:
                query["page_token"] = token
            body.append(query)
        usage.requests += 1
        response = await self.http.send(
            "POST",
            f"{self.base_url}/v1/querybatch",
            json_body={"queries": body},
            options=self._options("a vulnerability query"),
        )
        self._raise_for_status(response, f"a batch of {len(body)} package questions")
        results = response.data.get("results") if isinstance(response.data, dict) else None
        if not isinstance(results, list) or len(results) != len(asked):
            got = len(results) if isinstance(results, list) else "no"
            raise Upstream(
                f"{self.service} answered {got} results for {len(asked)} queries, which hub-mcp cannot match to the"
                " packages; try again later."
            )
        more: list[tuple[int, str]] = []
        for (index, _), result in zip(asked, results, strict=True):
            refs = found[index]
            vulns = result.get("vulns") if isinstance(result, dict) else None
            for vuln in vulns if isinstance(vulns, list) else []:
                if len(refs) >= MAX_VULNS_PER_QUERY:
                    break
                if isinstance(vuln, dict) and isinstance(vuln.get("id"), str) and vuln["id"]:
                    modified = vuln.get("modified")
                    refs.append(VulnRef(vuln["id"], modified if isinstance(modified, str) else ""))
            token = result.get("next_page_token") if isinstance(result, dict) else None
            if isinstance(token, str) and token:
                if len(refs) < MAX_VULNS_PER_QUERY:
                    more.append((index, token))
                else:
                    found.cut.add(index)
        return more

    # --- records ------------------------------------------------------------------------------------

    async def get(self, vuln_id: str, modified: str, usage: Usage | None = None) -> VulnRecord:
        """The record ``vuln_id`` as last ``modified``: from memory when that version was read before."""
        key = (vuln_id, modified)
        kept = self.records.get(key)
        if kept is not None:
            return kept
        if usage is not None:
            usage.requests += 1
        response = await self.http.send(
            "GET",
            f"{self.base_url}/v1/vulns/{quote(vuln_id, safe='')}",
            options=self._options("a vulnerability record"),
        )
        if response.status == 404:
            raise NotFound(f"{self.service} has no record {excerpt(vuln_id, 80)!r}; it may have been removed.")
        self._raise_for_status(response, f"the record {excerpt(vuln_id, 80)}")
        if not isinstance(response.data, dict):
            raise Upstream(f"{self.service} sent the record {excerpt(vuln_id, 80)} in a shape hub-mcp does not read.")
        record = parse_record(response.data, vuln_id)
        self.records.put(key, record)
        return record

    async def get_many(self, refs: Iterable[VulnRef], usage: Usage | None = None) -> dict[str, VulnRecord | None]:
        """Each distinct record of ``refs`` by id (``None`` for one OSV no longer has), :data:`FETCHES_AT_ONCE` at a
        time; the first other failure is raised."""
        wanted: dict[str, str] = {}
        for ref in refs:
            wanted.setdefault(ref.id, ref.modified)
        turns = asyncio.Semaphore(FETCHES_AT_ONCE)

        async def one(vuln_id: str, modified: str) -> VulnRecord | None:
            async with turns:
                try:
                    return await self.get(vuln_id, modified, usage)
                except NotFound:
                    return None

        try:
            async with asyncio.TaskGroup() as group:
                tasks = {vuln_id: group.create_task(one(vuln_id, modified)) for vuln_id, modified in wanted.items()}
        except ExceptionGroup as failed:  # the first failure, as a sentence (the other fetches were cancelled)
            first: BaseException = failed
            while isinstance(first, BaseExceptionGroup):
                first = first.exceptions[0]
            raise first from None
        return {vuln_id: task.result() for vuln_id, task in tasks.items()}

    def _raise_for_status(self, response: Response, what: str) -> None:
        if response.ok:
            return
        detail = ""
        if isinstance(response.data, dict) and isinstance(response.data.get("message"), str):
            detail = f": {excerpt(response.data['message'], 120)}"
        if response.status == 400:
            raise Upstream(
                f"{self.service} refused {what} (HTTP 400{detail}); hub-mcp asked in a way it does not accept,"
                " which is a bug to report.",
                status=400,
            )
        if response.status in (404, 405):  # no such API there: the address is wrong, asking again will not help
            raise Upstream(
                f"{self.service} answered HTTP {response.status} for {what}{detail}: it does not serve OSV's API"
                " there; check HUB_MCP_OSV_URL (default https://api.osv.dev).",
                status=response.status,
            )
        raise Upstream(
            f"{self.service} answered HTTP {response.status} for {what}{detail}; try again later.",
            status=response.status,
        )


# --- reading a record -------------------------------------------------------------------------------------


def _text(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _list(value: object, limit: int) -> list[Any]:
    return value[:limit] if isinstance(value, list) else []


def _vectors(value: object) -> tuple[Vector, ...]:
    out = []
    for entry in _list(value, MAX_SEVERITIES):
        if isinstance(entry, dict) and _text(entry.get("type")) and _text(entry.get("score")):
            out.append(Vector(entry["type"], entry["score"]))
    return tuple(out)


def _words(entry: dict[str, Any]) -> tuple[tuple[str, str], ...]:
    """The severity words of a record or an ``affected[]`` entry, most trusted first."""
    words: list[tuple[str, str]] = []
    database = entry.get("database_specific")
    ecosystem = entry.get("ecosystem_specific")
    if isinstance(database, dict) and (word := _text(database.get("severity"))):
        words.append(("database severity word", word))
    if isinstance(ecosystem, dict):
        if word := _text(ecosystem.get("severity")):
            words.append(("ecosystem severity word", word))
        if word := _text(ecosystem.get("urgency")):
            words.append(("Debian urgency", word))
    return tuple(words)


def _summary(data: dict[str, Any]) -> str | None:
    text = _text(data.get("summary"))
    if text is None:
        details = _text(data.get("details"))
        text = next((line for line in details.splitlines() if line.strip()), None) if details else None
    return one_line(text, SUMMARY_CHARS)


def _aliases(data: dict[str, Any], own: str) -> tuple[str, ...]:
    """``aliases`` and ``upstream`` ids (distribution records name their CVE in ``upstream``), CVE ids first."""
    seen: dict[str, None] = {}
    for key in ("aliases", "upstream"):
        for value in _list(data.get(key), MAX_ALIASES):
            if isinstance(value, str) and value and value != own:
                seen.setdefault(value, None)
    return tuple(sorted(seen, key=lambda alias: (not alias.startswith("CVE-"), alias)))


def _affected(entry: dict[str, Any]) -> Affected | None:
    package = entry.get("package")
    if not isinstance(package, dict):
        return None
    ranges = []
    for raw in _list(entry.get("ranges"), MAX_RANGES):
        if not isinstance(raw, dict) or not _text(raw.get("type")):
            continue
        events = []
        for event in _list(raw.get("events"), MAX_EVENTS):
            if isinstance(event, dict):
                for kind in ("introduced", "fixed", "last_affected", "limit"):
                    if value := _text(event.get(kind)):
                        events.append((kind, value))
        ranges.append(Range(raw["type"], tuple(events)))
    return Affected(
        ecosystem=_text(package.get("ecosystem")) or "",
        name=_text(package.get("name")) or "",
        ranges=tuple(ranges),
        severity=_vectors(entry.get("severity")),
        words=_words(entry),
    )


def parse_record(data: dict[str, Any], asked: str = "") -> VulnRecord:
    """The parts of an osv-schema record hub-mcp uses; missing or odd fields read as absent."""
    vuln_id = _text(data.get("id")) or asked
    affected = [_affected(entry) for entry in _list(data.get("affected"), MAX_AFFECTED) if isinstance(entry, dict)]
    return VulnRecord(
        id=vuln_id,
        summary=_summary(data),
        aliases=_aliases(data, vuln_id),
        severity=_vectors(data.get("severity")),
        affected=tuple(entry for entry in affected if entry is not None),
        published=_text(data.get("published")),
        modified=_text(data.get("modified")),
        withdrawn=_text(data.get("withdrawn")),
        words=_words(data),
    )
