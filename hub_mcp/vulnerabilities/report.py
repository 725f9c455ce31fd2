"""What OSV knows is wrong with an image's packages: :func:`assess` turns an SBOM into a :class:`VulnerabilityReport`.

1. Each package becomes an OSV question (:func:`hub_mcp.vulnerabilities.ecosystems.query_for`); packages that give
   the same question (``libssl3`` and ``openssl``: source ``openssl``, one version) are asked once. Packages OSV
   cannot be asked about are counted in ``not_covered``, with a few examples and their reasons.
2. The questions go to OSV in batches; every record matched is fetched (cached by id and modified time).
3. A **finding** is one vulnerability in one installed package. Records that name each other (a ``DSA-…`` and the
   ``DEBIAN-CVE-…`` of the CVE it fixes; a ``GHSA-…`` and its ``PYSEC-…``) are one vulnerability: joined by their
   ids, aliases and upstream ids, shown under the first id with the others in ``also``, rated by the worst of them.
   Withdrawn records are dropped and counted.
4. The **fixed version** comes from the record's ``affected[]`` entry for the package asked (same ecosystem and
   name): the ``fixed`` event of the range that holds the installed version; with several ranges, the smallest
   fixed version above the installed one. Where this room has no version order for the ecosystem
   (:mod:`.versions`: dpkg, apk, SemVer), the first ``fixed`` event is given and ``fixed_compared`` is false.
   ``fix_available`` says the distribution or ecosystem has a fixed version at all (Debian's tracker lists
   vulnerabilities it has not fixed: an ``introduced`` event and no ``fixed``).

5. **OSV's match is checked** where it can be: when every range of the package's entries can be compared in the
   ecosystem's order and none holds the installed version (evaluated as osv-schema's "Evaluation" section says:
   events in version order, ``introduced`` opens, ``fixed`` and past ``last_affected`` close), the match is
   dropped and counted in a note. OSV compares versions itself [documented: osv.dev "Data"], so this only
   removes matches of a database or mirror that does not (or reads a version differently); where no order is known
   OSV's match stands.

When OSV cannot be reached or refuses, the report's ``status`` is ``"unknown"`` with the ``reason``, and its counts
are ``None``: an image OSV was not asked about is never reported as having no vulnerabilities.
"""

from __future__ import annotations

import asyncio
import functools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from hub_mcp.attestations.sbom import Sbom
from hub_mcp.errors import RateLimited, Refused, Upstream
from hub_mcp.vulnerabilities.ecosystems import MAX_QUERIES, NotCovered, Query, query_for
from hub_mcp.vulnerabilities.osv import Affected, OsvClient, Usage, VulnRecord, VulnRef
from hub_mcp.vulnerabilities.severity import LEVELS, Level, Rating, rate, worst
from hub_mcp.vulnerabilities.versions import Compare, comparer

EXAMPLES = 5
"""Packages shown as examples of those not covered."""
MAX_FINDINGS = 20_000
"""Findings kept in one report (an image with more is cut, and says so)."""


@dataclass(frozen=True)
class Fix:
    """The fixed version for an installed version: ``version`` (None when there is none), and whether it was chosen
    by comparing versions in the ecosystem's order (``compared``)."""

    version: str | None
    compared: bool


@dataclass(frozen=True)
class Finding:
    """One vulnerability in one installed package."""

    id: str
    also: tuple[str, ...]  # the other records of the same vulnerability (DEBIAN-CVE-… beside DSA-…)
    aliases: tuple[str, ...]  # CVE ids first
    package: str  # the installed package (binary) name
    source: str  # the name OSV knows it by: the source package of a distribution, else the package
    ecosystem: str
    installed: str
    fixed: str | None
    fixed_compared: bool
    fix_available: bool
    severity: Level
    score: float | None
    severity_from: str
    summary: str | None

    def rank(self) -> tuple[int, float, str, str]:
        """Most severe first, then by score, then by id (and package)."""
        level, score = Rating(self.severity, self.score, "").rank()
        return level, score, self.id, self.package


@dataclass(frozen=True)
class VulnerabilityReport:
    status: Literal["known", "unknown"]
    reason: str | None
    counts: dict[str, int] | None  # findings by severity level (LEVELS order); None when unknown
    findings: tuple[Finding, ...]  # most severe first; the whole list (the caller pages)
    total: int  # findings, before any cut
    queried: int  # packages OSV was asked about
    queries: int  # distinct questions sent (packages sharing a source and version share one)
    not_covered: int
    not_covered_examples: tuple[NotCovered, ...]
    over_limit: int  # packages not asked: past the limit
    withdrawn: int  # withdrawn records dropped
    missing: int  # records OSV listed but no longer has
    requests: int  # HTTP requests to OSV this report took
    notes: tuple[str, ...] = field(default=())


@dataclass
class _Plan:
    queries: list[Query]
    packages: list[list[tuple[str, str]]]  # per query: (package name, installed version)
    not_covered: list[NotCovered]
    over_limit: int


def plan(sbom: Sbom, limit: int = MAX_QUERIES) -> _Plan:
    """The distinct OSV questions for ``sbom``'s packages (at most ``limit`` packages asked about)."""
    limit = max(0, min(limit, MAX_QUERIES))
    by_query: dict[Query, int] = {}
    result = _Plan([], [], [], 0)
    asked: set[tuple[str, str | None, Query]] = set()
    for package in sbom.packages:
        query = query_for(package, sbom.os)
        if isinstance(query, NotCovered):
            result.not_covered.append(query)
            continue
        key = (package.name, package.version, query)
        if key in asked:
            continue  # the same package listed twice (two SBOM stages)
        if len(asked) >= limit:
            result.over_limit += 1
            continue
        asked.add(key)
        index = by_query.setdefault(query, len(result.queries))
        if index == len(result.queries):
            result.queries.append(query)
            result.packages.append([])
        result.packages[index].append((package.name, package.version or query.version))
    return result


OSV_WITHIN = 20.0
"""Seconds OSV is given for one report (batches and records together): past it the report is unknown, said so,
well inside the call's deadline, instead of the call running out while retries wait."""


async def assess(
    client: OsvClient, sbom: Sbom, *, limit: int = MAX_QUERIES, within: float = OSV_WITHIN
) -> VulnerabilityReport:
    """What OSV knows is wrong with ``sbom``'s packages (at most ``limit`` of them asked about), asked within
    ``within`` seconds."""
    planned = plan(sbom, limit)
    usage = Usage()
    queried = sum(len(packages) for packages in planned.packages)
    notes: list[str] = []
    if planned.over_limit:
        notes.append(f"{planned.over_limit} packages past the limit of {limit} were not asked about.")
    if sbom.truncated:
        notes.append("The SBOM was cut at its package limit: packages past it were not asked about.")

    def unknown(reason: str) -> VulnerabilityReport:
        return VulnerabilityReport(
            status="unknown",
            reason=reason,
            counts=None,
            findings=(),
            total=0,
            queried=queried,
            queries=len(planned.queries),
            not_covered=len(planned.not_covered),
            not_covered_examples=tuple(planned.not_covered[:EXAMPLES]),
            over_limit=planned.over_limit,
            withdrawn=0,
            missing=0,
            requests=usage.requests,
            notes=tuple(notes),
        )

    if not planned.queries:
        return unknown(
            f"None of the image's {len(sbom.packages)} packages can be looked up in OSV"
            + (f" ({planned.not_covered[0].reason})" if planned.not_covered else "")
            + ", so nothing is known about its vulnerabilities."
        )
    try:
        async with asyncio.timeout(within):
            matches = await client.query_batch(planned.queries, usage)
            records = await client.get_many((ref for refs in matches for ref in refs), usage)
    except TimeoutError:
        return unknown(f"{client.service} did not answer within {within:g} seconds; try again later.")
    except (Upstream, RateLimited, Refused) as failure:
        return unknown(str(failure))
    if matches.cut:
        cut = sum(len(planned.packages[index]) for index in matches.cut)
        notes.append(f"{cut} packages matched more vulnerabilities than hub-mcp reads; the rest are not listed.")

    withdrawn = {vuln_id for vuln_id, record in records.items() if record is not None and record.withdrawn}
    missing = sum(1 for record in records.values() if record is None)
    findings: list[Finding] = []
    past_fix = 0
    for query, packages, refs in zip(planned.queries, planned.packages, matches, strict=True):
        live = [records[ref.id] for ref in _distinct(refs) if ref.id not in withdrawn and records.get(ref.id)]
        for group in _groups([record for record in live if record is not None]):
            for name, installed in packages:
                if _already_fixed(group, query, installed):
                    past_fix += 1
                    continue
                findings.append(_finding(group, query, name, installed))
    if past_fix:
        notes.append(
            f"{past_fix} matches OSV returned were left out: the installed version is outside every range the record"
            " gives (at or past its fixed version)."
        )
    findings.sort(key=Finding.rank)
    counts: dict[str, int] = {level: 0 for level in LEVELS}
    for finding in findings:
        counts[finding.severity] += 1
    total = len(findings)
    if total > MAX_FINDINGS:
        notes.append(f"Only the {MAX_FINDINGS} most severe of {total} findings are kept.")
    return VulnerabilityReport(
        status="known",
        reason=None,
        counts=counts,
        findings=tuple(findings[:MAX_FINDINGS]),
        total=total,
        queried=queried,
        queries=len(planned.queries),
        not_covered=len(planned.not_covered),
        not_covered_examples=tuple(planned.not_covered[:EXAMPLES]),
        over_limit=planned.over_limit,
        withdrawn=len(withdrawn),
        missing=missing,
        requests=usage.requests,
        notes=tuple(notes),
    )


def _distinct(refs: Sequence[VulnRef]) -> list[VulnRef]:
    seen: dict[str, VulnRef] = {}
    for ref in refs:
        seen.setdefault(ref.id, ref)
    return list(seen.values())


def _groups(records: list[VulnRecord]) -> list[list[VulnRecord]]:
    """Records joined when they share an id, alias or upstream id (one vulnerability), in first-seen order."""
    parent = list(range(len(records)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    owner: dict[str, int] = {}
    for index, record in enumerate(records):
        for name in (record.id, *record.aliases):
            if name in owner:
                parent[root(index)] = root(owner[name])
            else:
                owner[name] = index
    grouped: dict[int, list[VulnRecord]] = {}
    for index, record in enumerate(records):
        grouped.setdefault(root(index), []).append(record)
    return list(grouped.values())


def affected_by_ranges(entry: Affected, installed: str) -> bool | None:
    """Whether ``installed`` lies in one of ``entry``'s ranges, by osv-schema's evaluation [documented: ossf
    osv-schema, "Evaluation"]; None when a range cannot be compared (GIT, no order for the ecosystem, a version
    the order cannot read) or there are no ranges."""
    if not entry.ranges:
        return None
    for version_range in entry.ranges:
        order = comparer(entry.ecosystem, version_range.type)
        if order is None:
            return None
        opened = False
        for kind, value in sorted(version_range.events, key=_event_key(order)):
            if kind == "introduced":
                at = 1 if value == "0" else order(installed, value)
                if at is None:
                    return None
                opened = opened or at >= 0
            elif kind in ("fixed", "last_affected"):
                at = order(installed, value)
                if at is None:
                    return None
                if (kind == "fixed" and at >= 0) or (kind == "last_affected" and at > 0):
                    opened = False
        if opened:
            return True
    return False


def _event_key(order: Compare) -> Any:
    """Sort events by version (``introduced: 0`` first); ties keep their written order."""

    def compare(a: tuple[str, str], b: tuple[str, str]) -> int:
        if a[1] == b[1]:
            return 0
        if a[1] == "0" and a[0] == "introduced":
            return -1
        if b[1] == "0" and b[0] == "introduced":
            return 1
        return order(a[1], b[1]) or 0

    return functools.cmp_to_key(compare)


def _already_fixed(group: list[VulnRecord], query: Query, installed: str) -> bool:
    """True when every record of the vulnerability has ranges for the package that leave ``installed`` out."""
    verdicts = []
    for record in group:
        entry = matching_entry(record, query)
        verdicts.append(affected_by_ranges(entry, installed) if entry is not None else None)
    return bool(verdicts) and all(verdict is False for verdict in verdicts)


def _finding(group: list[VulnRecord], query: Query, package: str, installed: str) -> Finding:
    ratings: list[Rating] = []
    fixes: list[Fix] = []
    for record in group:
        entry = matching_entry(record, query)
        ratings.append(rating_of(record, entry))
        fixes.append(fixed_version(entry, query.version) if entry is not None else Fix(None, False))
    fix = _best_fix(fixes, query)
    rating = worst(ratings)
    first = group[0]
    aliases: dict[str, None] = {}
    for record in group:
        aliases.update((alias, None) for alias in record.aliases if alias not in {r.id for r in group})
    return Finding(
        id=first.id,
        also=tuple(record.id for record in group[1:]),
        aliases=tuple(sorted(aliases, key=lambda alias: (not alias.startswith("CVE-"), alias))),
        package=package,
        source=query.name,
        ecosystem=query.ecosystem,
        installed=installed,
        fixed=fix.version,
        fixed_compared=fix.compared,
        fix_available=fix.version is not None,
        severity=rating.level,
        score=rating.score,
        severity_from=rating.source,
        summary=next((record.summary for record in group if record.summary), None),
    )


def _best_fix(fixes: list[Fix], query: Query) -> Fix:
    """Of the fixes the records of one vulnerability give: the smallest compared one, else the first given."""
    compared = [fix for fix in fixes if fix.version is not None and fix.compared]
    if compared:
        order = comparer(query.ecosystem, "ECOSYSTEM") or comparer(query.ecosystem, "SEMVER")
        best = compared[0]
        for fix in compared[1:]:
            assert fix.version is not None and best.version is not None
            if order is not None and (order(fix.version, best.version) or 0) < 0:
                best = fix
        return best
    return next((fix for fix in fixes if fix.version is not None), Fix(None, False))


def _base(ecosystem: str) -> str:
    return ecosystem.split(":", 1)[0]


def _same_name(query: Query, name: str) -> bool:
    if _base(query.ecosystem) == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower() == query.name
    return name == query.name


def matching_entry(record: VulnRecord, query: Query) -> Affected | None:
    """The ``affected[]`` entries about the package asked, as one: same ecosystem (with its release for distributions;
    by base name for language ecosystems, whose entries may add a repository suffix) and same name. GitHub advisories
    write one entry per fixed branch (``semver``: 5.7.2, 6.3.1, 7.5.2), so the ranges of all of them count."""
    distro = ":" in query.ecosystem
    entries = [
        entry
        for entry in record.affected
        if (entry.ecosystem == query.ecosystem if distro else _base(entry.ecosystem) == query.ecosystem)
        and _same_name(query, entry.name)
    ]
    if len(entries) <= 1:
        return entries[0] if entries else None
    first = entries[0]
    return Affected(
        ecosystem=first.ecosystem,
        name=first.name,
        ranges=tuple(version_range for entry in entries for version_range in entry.ranges),
        severity=next((entry.severity for entry in entries if entry.severity), ()),
        words=next((entry.words for entry in entries if entry.words), ()),
    )


def rating_of(record: VulnRecord, entry: Affected | None) -> Rating:
    """The package's own severity vectors when its entry has readable ones, else the record's vectors, else the
    words (the record's ``database_specific.severity``, then the entry's, such as Debian's urgency)."""
    if entry is not None and entry.severity:
        rating = rate(entry.severity)
        if rating.level != "unknown":
            return rating
    return rate(record.severity, (*record.words, *(entry.words if entry is not None else ())))


def fixed_version(entry: Affected, installed: str) -> Fix:
    """The fixed version of ``entry`` that applies to ``installed`` (see the module's docstring)."""
    first: str | None = None
    holding: list[str] = []  # fixed versions of ranges that hold the installed version
    above: list[str] = []  # every fixed version above the installed one
    order_seen = None
    for version_range in entry.ranges:
        fixed_here = [value for kind, value in version_range.events if kind == "fixed"]
        if first is None and fixed_here and version_range.type != "GIT":
            first = fixed_here[0]
        order = comparer(entry.ecosystem, version_range.type)
        if order is None:
            continue
        order_seen = order
        introduced: str | None = None
        for kind, value in version_range.events:
            if kind == "introduced":
                introduced = value
            elif kind == "fixed":
                after = order(installed, value)
                if after is None:
                    continue
                if after < 0:
                    above.append(value)
                    start = 0 if introduced in (None, "0") else order(installed, introduced or "0")
                    if start is not None and start >= 0:
                        holding.append(value)
                introduced = None
    if order_seen is not None and (holding or above):
        pool = holding or above
        best = pool[0]
        for value in pool[1:]:
            if (order_seen(value, best) or 0) < 0:
                best = value
        return Fix(best, True)
    # No order for the ecosystem; or every fixed version is at or below the installed one although OSV matched it
    # (another branch's fix, or a version this order reads differently): the first fix, said to be uncompared.
    return Fix(first, False)
