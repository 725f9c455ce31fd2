"""Release and end-of-life dates of runtime, database and distro version lines.

The advisor must never suggest a version line past its upstream end of life. This module
answers "is this line still supported, and what should it be upgraded to?" from a small table
bundled with the package (``lifecycle.json``, package data next to this file), which says
where every date comes from and when the table was taken (:func:`table_info`).

Pure: no network; the JSON is read once, lazily, through :mod:`importlib.resources`.

Vocabulary
----------
*runtime*
    A table entry: a language (``python``, ``node``, ``golang``, ``java``, ``php``, ``ruby``,
    ``dotnet``, ``rust``), a database or server (``postgres``, ``mysql``, ``mariadb``,
    ``redis``, ``mongo``, ``nginx``) or a distro (``alpine``, ``debian``, ``ubuntu``).
    Image repositories map onto runtimes through aliases (:func:`runtime_name_for_repository`:
    ``library/eclipse-temurin`` -> ``java``).
*line*
    One row: the version precision that gets its own support dates. The runtime's ``match``
    says which leading numbers of a tag version pick the row: ``major`` (node ``20``, java
    ``21``, postgres ``16``, debian ``12``, dotnet ``8``) or ``minor`` (python ``3.12``, go
    ``1.25``, php, ruby, mysql ``8.4``, mariadb ``10.11``, redis, mongo, nginx, alpine
    ``3.22``, ubuntu ``22.04``). Numbers are compared as integers, so ``(22, 4)`` is ubuntu
    ``22.04`` and ``(3, 1)`` is not python ``3.10``. ``rolling`` (rust) means only the newest
    release is supported: each ``1.N`` ends when ``1.N+1`` ships (computed from the six-week
    cadence); the floating ``1`` line never ends.
*eol*
    The first day the line is no longer supported upstream: :meth:`Support.is_eol` is true
    on and after that day. ``None`` means no date is published (redis), never "forever".
    For Debian it is the end of Debian LTS (``standard_eol`` keeps the end of regular
    security support); for Ubuntu the end of standard (free) support.
*older than the table*
    A runtime with rows has a known history from its oldest row on: a version before it
    (python ``2.7``, node ``10``, debian ``8``/``jessie``, alpine ``3.7``) is past end of life.
    :func:`support_for` answers a row with ``older_than`` set (the oldest row), ``eol`` None
    and :meth:`Support.is_eol` always true; :meth:`Support.end_of_life_clause` says so without
    a date. Versions between rows (java 12..16) or newer than the newest stay unknown (None).

Vendor overrides: a runtime may carry per-repository rows where a distribution's dates differ
(Java: ``amazoncorretto``, ``sapmachine``). Pass ``repository=`` to use them; lines without an
override fall back to the generic row (Eclipse Temurin's dates for Java).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, lru_cache
from importlib import resources
from typing import Any, Literal, cast

from hub_mcp.vocab.common import parse_day

__all__ = [
    "Support",
    "distro_support",
    "newest_supported",
    "normalize_repository",
    "runtime_name_for_repository",
    "support_for",
    "support_for_codename",
    "supported_lines",
    "table_info",
]

MatchMode = Literal["major", "minor", "rolling"]

_RESOURCE = "lifecycle.json"
_PRECISION: dict[str, int] = {"major": 1, "minor": 2}
_DISTROS = ("alpine", "debian", "ubuntu")


@dataclass(frozen=True)
class Support:
    """The support window of one version line of one runtime."""

    runtime: str
    version: str
    release: date | None
    eol: date | None
    lts: bool | None
    source: str
    approximate: bool
    codename: str | None = None
    #: Debian only: end of regular security support (``eol`` is the end of Debian LTS).
    standard_eol: date | None = None
    note: str | None = None
    #: Set on a line older than every row of its runtime (python 2.7, node 10, debian 8):
    #: the runtime's oldest row. Such a line is past end of life, on no date the table knows.
    older_than: Support | None = None

    def is_eol(self, today: date) -> bool:
        """True on and after the end-of-life day, and always for a line older than the table;
        False when no date is published."""
        if self.older_than is not None:
            return True
        return self.eol is not None and today >= self.eol

    def end_of_life_clause(self, subject: str | None = None) -> str:
        """Why the line is past end of life, without inventing a date: "python 3.8 reached end
        of life on 2024-10-07" or "python 2.7 is older than the oldest line in the table (3.8,
        end of life 2024-10-07): end of life". ``subject`` replaces "<runtime> <version>"."""
        subject = subject or f"{self.runtime} {self.version}"
        oldest = self.older_than
        if oldest is None:
            estimate = " (an estimated date)" if self.approximate else ""
            return f"{subject} reached end of life on {self.eol}{estimate}"
        known = f", end of life {oldest.eol}" if oldest.eol else ""
        return f"{subject} is older than the oldest {self.runtime} line in the table ({oldest.version}{known}): end of life"

    def is_released(self, today: date) -> bool:
        """True when the line's release day is not in the future (or unknown)."""
        return self.release is None or self.release <= today

    def is_supported(self, today: date) -> bool:
        """Released and not past its end of life."""
        return self.is_released(today) and not self.is_eol(today)

    @property
    def numbers(self) -> tuple[int, ...]:
        """The version as integers: ``"22.04"`` -> ``(22, 4)``."""
        return _numbers(self.version)


# --------------------------------------------------------------------------------------
# Loading
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Rolling:
    major: int
    anchor_minor: int
    anchor_release: date
    cadence_days: int
    first_minor: int
    confirmed_through: date
    source: str


@dataclass(frozen=True)
class _Entry:
    """One *runtime* of the table (see the vocabulary above): its lines, newest first, and how tags pick them."""

    name: str
    kind: str
    match: MatchMode
    aliases: tuple[str, ...]
    policy: str
    rows: tuple[Support, ...]  # newest first
    by_key: Mapping[tuple[int, ...], Support]
    vendors: Mapping[str, Mapping[tuple[int, ...], Support]] = field(default_factory=dict)
    rolling: _Rolling | None = None


@dataclass(frozen=True)
class _Table:
    raw: Mapping[str, Any]
    taken: date
    runtimes: Mapping[str, _Entry]
    aliases: Mapping[str, str]  # normalized repository -> runtime
    codenames: Mapping[tuple[str, str], Support]  # (runtime, codename) -> row


def _numbers(version: str) -> tuple[int, ...]:
    return tuple(int(part) for part in version.split("."))


def _support(runtime: str, raw: Mapping[str, Any]) -> Support:
    where = f"{runtime} {raw.get('version')!r}"
    lts = raw["lts"]
    if lts is not None and not isinstance(lts, bool):
        raise ValueError(f"{where}: lts must be true, false or null")
    return Support(
        runtime=runtime,
        version=str(raw["version"]),
        release=parse_day(raw["release"], where),
        eol=parse_day(raw["eol"], where),
        lts=lts,
        source=str(raw["source"]),
        approximate=bool(raw["approximate"]),
        codename=raw.get("codename"),
        standard_eol=parse_day(raw.get("standard_eol"), where),
        note=raw.get("note"),
    )


def _index(
    runtime: str, match: MatchMode, rows: Sequence[Support]
) -> dict[tuple[int, ...], Support]:
    index: dict[tuple[int, ...], Support] = {}
    for row in rows:
        key = row.numbers
        if match != "rolling" and len(key) != _PRECISION[match]:
            raise ValueError(f"{runtime} {row.version!r}: does not have {match} precision")
        if key in index:
            raise ValueError(f"{runtime} {row.version!r}: duplicate row")
        index[key] = row
    return index


def _load(text: str) -> _Table:
    raw = json.loads(text)
    runtimes: dict[str, _Entry] = {}
    aliases: dict[str, str] = {}
    codenames: dict[tuple[str, str], Support] = {}
    for name, entry in raw["runtimes"].items():
        match = entry["match"]
        if match not in ("major", "minor", "rolling"):
            raise ValueError(f"{name}: unknown match {match!r}")
        match = cast(MatchMode, match)
        parsed = [_support(name, r) for r in entry["versions"]]
        rows = tuple(sorted(parsed, key=lambda s: s.numbers, reverse=True))
        vendors = {
            vendor: _index(name, match, [_support(name, r) for r in spec["versions"]])
            for vendor, spec in entry.get("vendors", {}).items()
        }
        rolling = None
        if "rolling" in entry:
            spec = entry["rolling"]
            rolling = _Rolling(
                major=int(spec["major"]),
                anchor_minor=int(spec["anchor_minor"]),
                anchor_release=date.fromisoformat(spec["anchor_release"]),
                cadence_days=int(spec["cadence_days"]),
                first_minor=int(spec["first_minor"]),
                confirmed_through=date.fromisoformat(spec["confirmed_through"]),
                source=str(spec["source"]),
            )
        runtime = _Entry(
            name=name,
            kind=str(entry["kind"]),
            match=match,
            aliases=tuple(entry["aliases"]),
            policy=str(entry.get("policy", "")),
            rows=rows,
            by_key=_index(name, match, rows),
            vendors=vendors,
            rolling=rolling,
        )
        runtimes[name] = runtime
        for alias in runtime.aliases:
            key = normalize_repository(alias)
            if aliases.get(key, name) != name:
                raise ValueError(f"alias {alias!r} is claimed by {aliases[key]!r} and {name!r}")
            aliases[key] = name
        for row in rows:
            if row.codename:
                codenames[(name, row.codename.lower())] = row
    return _Table(
        raw=raw,
        taken=date.fromisoformat(raw["taken"]),
        runtimes=runtimes,
        aliases=aliases,
        codenames=codenames,
    )


@cache
def _table() -> _Table:
    package = resources.files(__package__ or "hub_mcp")
    return _load(package.joinpath(_RESOURCE).read_text(encoding="utf-8"))


# --------------------------------------------------------------------------------------
# Repositories -> runtimes
# --------------------------------------------------------------------------------------

_HUB_HOSTS = ("docker.io/", "index.docker.io/", "registry-1.docker.io/", "registry.hub.docker.com/")
#: Docker Hardened Images use the same names as the official images on their own host.
_MIRROR_HOSTS = ("dhi.io/",)


def normalize_repository(repository: str) -> str:
    """``docker.io/library/Python:3.12@sha256:…`` -> ``python``; other hosts are kept."""
    name = repository.strip().lower()
    name = name.split("@", 1)[0]
    slash = name.rfind("/")
    colon = name.rfind(":")
    if colon > slash:  # a tag, not a registry port
        name = name[:colon]
    for prefix in _HUB_HOSTS + _MIRROR_HOSTS:
        if name.startswith(prefix):
            name = name[len(prefix) :]
            break
    if name.startswith("library/"):
        name = name[len("library/") :]
    return name


def runtime_name_for_repository(repository: str) -> str | None:
    """The name of the runtime an image repository ships, as the table knows it:
    ``library/eclipse-temurin`` -> ``java``."""
    return _table().aliases.get(normalize_repository(repository))


def _resolve(runtime: str) -> tuple[_Entry | None, str | None]:
    """A runtime by table name or by repository alias (the alias also selects a vendor)."""
    table = _table()
    key = runtime.strip().lower()
    if key in table.runtimes:
        return table.runtimes[key], None
    repo = normalize_repository(key)
    name = table.aliases.get(repo)
    return (table.runtimes[name], repo) if name else (None, None)


def _vendor_rows(rt: _Entry, repository: str | None) -> Mapping[tuple[int, ...], Support]:
    if not repository or not rt.vendors:
        return {}
    return rt.vendors.get(normalize_repository(repository), {})


# --------------------------------------------------------------------------------------
# Rolling runtimes (rust)
# --------------------------------------------------------------------------------------


def _rolling_release(spec: _Rolling, minor: int) -> date:
    return spec.anchor_release + timedelta(days=(minor - spec.anchor_minor) * spec.cadence_days)


def _rolling_row(rt: _Entry, spec: _Rolling, minor: int) -> Support:
    release = _rolling_release(spec, minor)
    eol = _rolling_release(spec, minor + 1)
    approximate = eol > spec.confirmed_through
    note = f"Computed: {spec.major}.{minor} is supported until {spec.major}.{minor + 1} ships."
    if approximate:
        note += (
            f" Dates after {spec.confirmed_through.isoformat()} are projected from the"
            f" {spec.cadence_days}-day release cadence."
        )
    return Support(
        runtime=rt.name,
        version=f"{spec.major}.{minor}",
        release=release,
        eol=eol,
        lts=None,
        source=spec.source,
        approximate=approximate,
        note=note,
    )


def _rolling_current(rt: _Entry, spec: _Rolling, today: date) -> Support | None:
    minor = spec.anchor_minor + (today - spec.anchor_release).days // spec.cadence_days
    return _rolling_row(rt, spec, minor) if minor >= spec.first_minor else None


# --------------------------------------------------------------------------------------
# Queries
# --------------------------------------------------------------------------------------


def support_for(
    runtime: str, version: Sequence[int], *, repository: str | None = None
) -> Support | None:
    """The row a tag version falls on: ``("python", (3, 12, 7))`` -> python 3.12.

    ``runtime`` is a table name or a repository alias (``eclipse-temurin``). Returns ``None``
    for an unknown runtime, a version not in the table, or one less precise than the
    runtime's ``match`` (``python`` ``(3,)`` is ambiguous). ``repository`` selects a vendor
    override (``amazoncorretto`` 17 ends later than the generic Java 17).
    """
    rt, alias_repo = _resolve(runtime)
    if rt is None or not version:
        return None
    numbers = tuple(int(n) for n in version)
    if rt.match == "rolling":
        spec = rt.rolling
        if spec is None or numbers[0] != spec.major:
            return None
        if len(numbers) == 1:
            return rt.by_key.get(numbers)
        if numbers[1] < spec.first_minor:
            return None
        return _rolling_row(rt, spec, numbers[1])
    precision = _PRECISION[rt.match]
    vendor = _vendor_rows(rt, repository or alias_repo)
    if len(numbers) < precision:
        return _series_line(rt, numbers, vendor)
    key = numbers[:precision]
    found = vendor.get(key) or rt.by_key.get(key)
    if found is None and rt.rows and key < rt.rows[-1].numbers:
        return _older_than_table(rt, key)
    return found


def _older_than_table(rt: _Entry, key: tuple[int, ...]) -> Support:
    """A line older than the runtime's oldest row: the runtime's history is known from that row
    on, so anything before it is past end of life (python 2.7, node 10, golang 1.12, debian 8)."""
    oldest = rt.rows[-1]
    # written like the table writes versions: ubuntu 12.04, not 12.4
    widths = [len(part) if part.startswith("0") else 0 for part in oldest.version.split(".")]
    version = ".".join(str(n).zfill(widths[i] if i < len(widths) else 0) for i, n in enumerate(key))
    return Support(
        runtime=rt.name,
        version=version,
        release=None,
        eol=None,
        lts=None,
        source=oldest.source,
        approximate=True,
        note=f"Older than the oldest {rt.name} line in the table ({oldest.version}): end of life, on a date the table does not give.",
        older_than=oldest,
    )


def _series_line(
    rt: _Entry, prefix: tuple[int, ...], vendor: Mapping[tuple[int, ...], Support]
) -> Support | None:
    """The line a less precise version stands on, when that is certain: ``php`` ``(7,)`` is the
    finished 7.x series, whose last line is 7.4 (there are 8.x rows); ``python`` ``(2,)`` is older
    than the table. ``None`` for an open series (``python`` ``(3,)`` still gets new lines)."""
    if not rt.rows:
        return None
    width = len(prefix)
    if prefix < rt.rows[-1].numbers[:width]:
        return _older_than_table(rt, prefix)
    merged = {**rt.by_key, **vendor}
    same = sorted((r for r in merged.values() if r.numbers[:width] == prefix), key=lambda r: r.numbers, reverse=True)
    closed = any(r.numbers[:width] > prefix for r in merged.values())
    return same[0] if same and closed else None


def supported_lines(runtime: str, today: date, *, repository: str | None = None) -> list[Support]:
    """Lines released and not past end of life on ``today``, newest first.

    For a rolling runtime (rust): the floating line (``1``) first, then the current minor.
    """
    rt, alias_repo = _resolve(runtime)
    if rt is None:
        return []
    if rt.match == "rolling":
        lines = [row for row in rt.rows if row.is_supported(today)]
        if rt.rolling is not None:
            current = _rolling_current(rt, rt.rolling, today)
            if current is not None:
                lines.append(current)
        return lines
    merged = {**rt.by_key, **_vendor_rows(rt, repository or alias_repo)}
    rows = sorted(merged.values(), key=lambda s: s.numbers, reverse=True)
    return [row for row in rows if row.is_supported(today)]


def newest_supported(runtime: str, today: date, *, repository: str | None = None) -> Support | None:
    """The line to recommend on ``today``: the newest supported LTS line when the runtime has
    LTS lines (node 26 rather than odd-numbered releases, java 25 rather than 26/27, mysql 9.7
    rather than innovation releases), otherwise the newest supported line."""
    lines = supported_lines(runtime, today, repository=repository)
    for line in lines:
        if line.lts:
            return line
    return lines[0] if lines else None


def support_for_codename(runtime: str, codename: str) -> Support | None:
    """A line by codename: ``("debian", "bookworm")``, ``("ubuntu", "noble")``, ``("node", "jod")``.

    ``None`` for an unknown runtime or codename.
    """
    rt, _ = _resolve(runtime)
    if rt is None:
        return None
    return _table().codenames.get((rt.name, codename.strip().lower()))


_DATED = re.compile(r"-\d{8}(?:\.\d+)?$")
_DISTRO_VERSION = re.compile(r"(alpine|debian|ubuntu)-?(\d+(?:\.\d+)*)")


def distro_support(token: str) -> Support | None:
    """The distro line a tag's suffix token names.

    Codenames (``bookworm``, ``bullseye``, ``trixie``, ``jammy``, ``noble``, also dated:
    ``jammy-20260810``) and distro-version tokens (``alpine3.19``, ``alpine-3.24``,
    ``debian12``, ``ubuntu22.04``). ``None`` for anything else, including a bare ``alpine``.
    """
    name = _DATED.sub("", token.strip().lower())
    table = _table()
    for distro in _DISTROS:
        row = table.codenames.get((distro, name))
        if row is not None:
            return row
    m = _DISTRO_VERSION.fullmatch(name)
    if m is None:
        return _codename_line(name)
    return support_for(m.group(1), _numbers(m.group(2)))


def _codename_line(codename: str) -> Support | None:
    """A codename without a row (``jessie``, ``trusty``): its number from the tag grammar's
    codename lists, then the row (or the older-than-the-table line) for that number."""
    from hub_mcp.vocab.tags import DEBIAN_CODENAMES, UBUNTU_CODENAMES

    for distro, names in (("debian", DEBIAN_CODENAMES), ("ubuntu", UBUNTU_CODENAMES)):
        number = names.get(codename)
        if number:
            return support_for(distro, _numbers(number))
    return None


def line_precision(runtime: str) -> int | None:
    """How many leading version numbers make one support line: python 2 (``3.12``), node 1."""
    rt, _ = _resolve(runtime)
    if rt is None:
        return None
    return 2 if rt.match == "rolling" else _PRECISION[rt.match]


@dataclass(frozen=True)
class TagSupport:
    """The support lines one image tag stands on: its runtime's version line and its distro's."""

    runtime: str | None
    line: Support | None
    distro: str | None
    distro_line: Support | None

    def ended(self, today: date) -> list[str]:
        """What is past end of life on ``today``, as clauses ("python 3.10 reached end of life on
        2026-10-31"; "python 2.7 is older than the oldest python line in the table (3.8, end of
        life 2024-10-07): end of life")."""
        out = []
        if self.line is not None and self.line.is_eol(today):
            out.append(self.line.end_of_life_clause(f"{self.runtime} {self.line.version}"))
        if self.distro_line is not None and self.distro_line.is_eol(today):
            name = self.distro
            if name == self.distro_line.runtime:  # alpine3.7 parses as distro "alpine": say which
                name = f"{name} {self.distro_line.version}"
            out.append(self.distro_line.end_of_life_clause(f"its distro {name}"))
        return out


@lru_cache(maxsize=16384)
def tag_support(repository: str, tag: str) -> TagSupport:
    """The runtime line (``python:3.10-slim`` -> python 3.10) and distro line (bookworm) of a tag.

    Kept per (repository, tag): the table is fixed, the answer frozen, and a warm ``get_tag``
    asks it for every maintained tag of the repository (about a hundred) on each call."""
    from hub_mcp.vocab.tags import parse_tag  # the tag grammar; imported here to keep loading this module light

    parsed = parse_tag(tag)
    runtime = runtime_name_for_repository(repository)
    line = support_for(runtime, parsed.version, repository=repository) if runtime and parsed.version else None
    distro_line = None
    if parsed.distro:
        token = parsed.distro
        if parsed.distro_version and parsed.distro_family == "alpine":
            token = f"alpine{parsed.distro_version}"
        distro_line = distro_support(token)
    return TagSupport(runtime=runtime, line=line, distro=parsed.distro, distro_line=distro_line)


def table_info() -> dict[str, Any]:
    """When the table was taken and what its sources are, for notes in answers."""
    table = _table()
    raw = table.raw
    return {
        "taken": raw["taken"],
        "description": raw.get("description", ""),
        "sources": json.loads(json.dumps(raw["sources"])),
        "runtimes": sorted(table.runtimes),
    }
