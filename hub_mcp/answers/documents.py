"""Documents a person attaches as resources: a repository's README, bounded, and a repository's
tag table (markdown), and a runtime's supported lines (JSON). Plain Python over what
:class:`DocumentSources` gives (the facade, :class:`hub_mcp.services.Services`, is one; no MCP).

* The README keeps its outline when it must be cut: every section's heading stays, and the
  character budget is shared among the sections (short ones whole, long ones cut where marked
  ``[…]``), so "How to use this image" survives a long list of tags above it. The first line
  states the full length and how much is shown.
* The tag table is the tag-listing service's newest page (so the ordering check applies), one
  row per image: tags that share a digest share a row.
* The lifecycle document is the bundled end-of-life table's rows of one runtime still supported
  on a given day (no network).
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import TYPE_CHECKING, Protocol

from hub_mcp.errors import NotFound
from hub_mcp.vocab.references import parse_hub_repository
from hub_mcp.vocab.common import quoted

if TYPE_CHECKING:
    from hub_mcp.answers.views import RepositoryInfo, TagListResult, TagRow


class DocumentSources(Protocol):
    """What the documents read: a repository's facts, a page of tags, and the notices every answer carries."""

    async def get_repository(
        self, repository: str, *, include_readme: bool = False, readme_max_chars: int = 6000
    ) -> RepositoryInfo: ...

    async def list_tags(self, repository: str, *, ordering: str = "newest", limit: int = 25) -> TagListResult: ...

    def notices(self) -> list[str]: ...


README_MAX_CHARS = 4000
"""Most README characters a resource carries (Hub stores up to 25,000)."""
TAG_TABLE_LIMIT = 100
"""Tags in the tag table (one Hub page)."""
CUT = "[…]"

_HEADING = re.compile(r"^(#{1,6})\s")
_FENCE = re.compile(r"^\s*(```|~~~)")


def hub_url(namespace: str, name: str) -> str:
    return (
        f"https://hub.docker.com/_/{name}" if namespace == "library" else f"https://hub.docker.com/r/{namespace}/{name}"
    )


def _sections(text: str) -> list[tuple[str, str]]:
    """(heading line, body) pairs, split at the shallowest heading level that gives two or more
    sections (headings inside code fences do not count). The text before the first heading is a
    section with an empty heading."""
    lines = text.split("\n")
    levels: list[int | None] = []
    fenced = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        match = None if fenced else _HEADING.match(line)
        levels.append(len(match.group(1)) if match else None)
    present = sorted({level for level in levels if level is not None})
    split_level = next((lv for lv in present if sum(1 for x in levels if x is not None and x <= lv) >= 2), None)
    if split_level is None:
        return [("", text)]
    sections: list[tuple[str, list[str]]] = [("", [])]
    for line, level in zip(lines, levels, strict=True):
        if level is not None and level <= split_level:
            sections.append((line, []))
        else:
            sections[-1][1].append(line)
    return [(heading, "\n".join(body)) for heading, body in sections if heading or "".join(body).strip()]


def _shares(lengths: list[int], budget: int) -> list[int]:
    """Split ``budget`` among items: each gets what it needs up to an equal share of what is left."""
    shares = [0] * len(lengths)
    left = max(0, budget)
    pending = sorted(range(len(lengths)), key=lambda i: lengths[i])
    while pending:
        fair = left // len(pending)
        index = pending.pop(0)
        shares[index] = min(lengths[index], fair)
        left -= shares[index]
    return shares


def _cut(body: str, keep: int) -> str:
    """``body`` cut to about ``keep`` characters at a line end, marked, with an open code fence closed."""
    if len(body) <= keep:
        return body
    piece = body[:keep]
    if "\n" in piece[keep // 2 :]:
        piece = piece[: piece.rindex("\n")]
    piece = piece.rstrip()
    if sum(1 for line in piece.split("\n") if _FENCE.match(line)) % 2:
        piece += "\n```"
    return f"{piece}\n{CUT}\n" if piece else f"{CUT}\n"


def bound_markdown(text: str, max_chars: int) -> str:
    """``text`` within about ``max_chars``, every section heading kept (see the module)."""
    if len(text) <= max_chars:
        return text
    sections = _sections(text)
    overhead = sum(len(heading) + 1 for heading, _ in sections) + len(sections) * (len(CUT) + 3)
    if overhead > max_chars // 2:  # so many headings that keeping them all would not be a bound
        return _cut(text, max_chars)
    shares = _shares([len(body) for _, body in sections], max_chars - overhead)
    parts = []
    for (heading, body), share in zip(sections, shares, strict=True):
        kept = _cut(body, share)
        parts.append(f"{heading}\n{kept}" if heading else kept)
    return "\n\n".join(part.strip("\n") for part in parts) + "\n"


async def readme_document(services: DocumentSources, repository: str, max_chars: int = README_MAX_CHARS) -> str:
    """The README of a Docker Hub repository as markdown, bounded, its first line saying how long
    it is in full and how much is shown."""
    ref = parse_hub_repository(repository)
    info = await services.get_repository(repository, include_readme=True, readme_max_chars=10**9)
    readme = info.readme or ""
    where = hub_url(ref.namespace, ref.name)
    if not readme.strip():
        head = f"> {ref.familiar_name} on Docker Hub has no README. Repository page: {where}"
        return _with_notices(head + "\n", services)
    shown = bound_markdown(readme, max_chars)
    if shown == readme:
        head = f"> README of {ref.familiar_name} on Docker Hub: {len(readme):,} characters, complete."
    else:
        head = (
            f"> README of {ref.familiar_name} on Docker Hub: {len(readme):,} characters, cut to {len(shown):,}"
            f" (every section heading kept; cuts marked {CUT}). Full text: {where}"
        )
    return _with_notices(f"{head}\n\n{shown}", services)


def _platforms(row: TagRow) -> str:
    return ", ".join(p.removeprefix("linux/") for p in (row.platforms or [])) or "?"


def _megabytes(size: int | None) -> str:
    return f"{size / 1e6:.1f}" if size else "?"


async def tag_table_document(services: DocumentSources, repository: str, limit: int = TAG_TABLE_LIMIT) -> str:
    """The newest tags of a Docker Hub repository as a markdown table, tags of one image on one row."""
    ref = parse_hub_repository(repository)
    listed = await services.list_tags(ref.familiar_name, ordering="newest", limit=limit)
    rows: dict[str, list[TagRow]] = {}
    for row in listed.tags:
        rows.setdefault(row.digest or f"tag:{row.name}", []).append(row)
    shown = len(listed.tags)
    lines = [
        f"# Tags of {ref.familiar_name}, newest first",
        "",
        f"{listed.total:,} tags on Docker Hub; {'all' if shown >= listed.total else f'the newest {shown}'} below,"
        f" tags of one image (same digest) on one row. Size: compressed, {listed.size_platform or 'linux/amd64'}."
        f" Digest and staleness of one tag: dockerhub://repositories/{ref.namespace}/{ref.name}/tags/{{tag}}",
    ]
    if listed.note:
        lines += ["", f"Note: {listed.note}"]
    lines += ["", "| tags | pushed | MB | platforms |", "|---|---|---|---|"]
    for group in rows.values():
        first = group[0]
        names = ", ".join(row.name for row in group)
        lines.append(f"| {names} | {first.last_pushed or '?'} | {_megabytes(first.size_bytes)} | {_platforms(first)} |")
    return _with_notices("\n".join(lines) + "\n", services)


def _with_notices(document: str, services: DocumentSources) -> str:
    notices = services.notices()
    return "".join(f"> Note: {notice}\n" for notice in notices) + ("\n" if notices else "") + document


def lifecycle_document(runtime: str, today: date) -> str:
    """The lifecycle rows of one runtime still supported on ``today``, as compact JSON (no network).
    Raises :class:`~hub_mcp.errors.NotFound` for a runtime the table does not know."""
    from hub_mcp.vocab import lifecycle

    rows = lifecycle.supported_lines(runtime, today)
    newest = lifecycle.newest_supported(runtime, today)
    if newest is None and not rows:
        known = ", ".join(lifecycle.table_info().get("runtimes", []))
        raise NotFound(f"No lifecycle data for {quoted(runtime)}; known runtimes: {known}.")
    info = lifecycle.table_info()
    document = {
        "runtime": runtime,
        "today": today.isoformat(),
        "newest_supported": newest.version if newest else None,
        "supported": [
            {"version": r.version, "eol": r.eol.isoformat() if r.eol else None, "lts": r.lts, "source": r.source}
            for r in rows
        ],
        "table_taken": info.get("taken"),
    }
    return json.dumps(document, separators=(",", ":"))
