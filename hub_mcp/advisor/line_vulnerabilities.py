"""review_base_images with ``vulnerabilities=true``: Docker Scout's 'refresh' versus 'change', per line.

For each distinct image a review checks, three images are compared, each for one platform (the line's own
``--platform``, else the first platform asked, else linux/amd64):

* **current**: what the line builds on now: the pinned digest (``python@sha256:…``), else what its tag points at;
* **refresh**: the tag's image today, when the line pins a digest (when it does not, the current image *is* the
  refresh, and the summary says so);
* **upgrade**: the review's suggested upgrade (the first tag it proposes).

The current image's provenance, when it carries one, names what it was built from (``built_from``: the images its
build pulled, with digests), as Docker Scout's base image detection does.

Each image's known vulnerabilities come from its own SBOM checked against OSV
(:meth:`hub_mcp.attestations.service.ImageFactsService.vulnerability_report`, through the facade; reports are reused
per platform image for 15 minutes). A move is compared with the current image finding by finding: a vulnerability
of a package (the pair of OSV id and package; records of the same flaw under other ids, its ``also`` and ``aliases``,
count as the same) that the current image has and the other does not is *removed*; one the other has and the
current does not is *added*. Counting differences would hide a move that fixes five and brings five new.

An image without an SBOM, an OSV that cannot be reached, a tag the registry does not have: the image is *unknown*
with the reason, never zero, and nothing is compared with it. At most :data:`MAX_ASSESSED_IMAGES` distinct images
are assessed per review (each costs registry and OSV requests); the lines past that are named in a note. The reports
are read concurrently, so they share the call's read slots and its deadline like every other read of the call.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from hub_mcp.answers.views import ImageVulnerabilityCounts, LineVulnerabilities
from hub_mcp.errors import HubMCPError
from hub_mcp.vocab.common import clip
from hub_mcp.vulnerabilities.severity import shown_counts

SEVERE = ("critical", "high")
"""What Docker Scout's default policy flags when a fix exists ("No fixable critical or high vulnerabilities",
docs.docker.com Scout policy evaluation): a line whose image has one gets a warning."""

if TYPE_CHECKING:
    from hub_mcp.advisor.needs import ReviewSources
    from hub_mcp.vulnerabilities.report import Finding, VulnerabilityReport

#: Seconds the assessment of one review may take in all, unless the caller says (the runtime gives half a call).
ASSESS_WITHIN = 30.0
#: Most distinct images (reference and platform) whose vulnerabilities one review assesses.
MAX_ASSESSED_IMAGES = 10
#: Most lines the note of lines left unassessed names one by one.
MAX_NAMED_UNASSESSED = 10
DEFAULT_PLATFORM = "linux/amd64"
#: The severities a summary names beside a count ("removes 7 known vulnerabilities (2 high)").
NAMED_SEVERITIES = ("critical", "high")
#: Most images of a provenance named in ``built_from``.
MAX_BUILT_FROM = 3
#: Longest reference or reason a summary or progress message quotes.
TEXT_LIMIT = 200

K = TypeVar("K", bound=Hashable)
Progress = Callable[[float, float, str], Awaitable[None]]


@dataclass(frozen=True)
class LineImages:
    """The images of one reviewed line to compare: references as :class:`ImageReference.familiar` writes them."""

    line: int
    current: str
    refresh: str | None  # the tag's image today, when the line pins a digest (and names a tag)
    upgrade: str | None
    platform: str
    pinned: bool = False  # the line pins a digest (then ``refresh`` is None only when it names no tag)

    def wanted(self) -> list[tuple[str, str]]:
        return [(reference, self.platform) for reference in (self.current, self.refresh, self.upgrade) if reference]


@dataclass(frozen=True)
class Assessed:
    """One image's report, or why there is none."""

    reference: str
    digest: str | None
    report: VulnerabilityReport | None
    unknown: str | None

    @property
    def known(self) -> VulnerabilityReport | None:
        return self.report if self.unknown is None else None


async def assess_lines(
    sources: ReviewSources,
    lines: Sequence[tuple[K, LineImages]],
    progress: Progress,
    *,
    within: float = ASSESS_WITHIN,
) -> tuple[dict[K, LineVulnerabilities], str | None]:
    """The comparison of each line (by its key), and a note naming the lines left out past the bound. The
    assessment has ``within`` seconds in all (the rest of the call is the review's): an image not assessed by then
    is unknown, "not assessed in time", and the review is still answered."""
    kept: list[tuple[K, LineImages]] = []
    left_out: list[LineImages] = []
    budget: dict[tuple[str, str], None] = {}  # ordered: the images in the order their lines come
    for key, images in lines:
        wanted = images.wanted()
        if left_out or len(budget.keys() | set(wanted)) > MAX_ASSESSED_IMAGES:
            left_out.append(images)  # in file order: the first lines are assessed, the rest named
            continue
        budget.update(dict.fromkeys(wanted))
        kept.append((key, images))
    order = list(budget)
    if not order:
        return {}, None
    done = 0
    await progress(0, len(order), f"assessing the vulnerabilities of {len(order)} image(s): SBOMs, then OSV")

    deadline = asyncio.get_running_loop().time() + within

    async def one(reference: str, platform: str) -> Assessed:
        nonlocal done
        try:
            async with asyncio.timeout_at(deadline):
                result = await _assess(sources, reference, platform)
        except TimeoutError:
            result = Assessed(reference, None, None, f"not assessed in time ({within:g} seconds for the assessment)")
        done += 1
        await progress(done, len(order), f"assessed {clip(reference, TEXT_LIMIT)} ({done}/{len(order)})")
        return result

    reports = await asyncio.gather(*(one(r, p) for r, p in order))
    # after the reports: the image's index and manifests are then read from the registry client's cache
    currents = list(dict.fromkeys((images.current, images.platform) for _, images in kept))
    bases = await asyncio.gather(*(_within(deadline, _built_from(sources, r, p)) for r, p in currents))
    assessed = dict(zip(order, reports, strict=True))
    built = dict(zip(currents, bases, strict=True))
    out = {
        key: _compare(images, assessed).model_copy(update={"built_from": built[(images.current, images.platform)]})
        for key, images in kept
    }
    return out, _left_out_note(left_out) if left_out else None


async def _within(deadline: float, work: Awaitable[list[str] | None]) -> list[str] | None:
    """``work``'s answer, or None once the assessment's time is up (``built_from`` is extra)."""
    try:
        async with asyncio.timeout_at(deadline):
            return await work
    except TimeoutError:
        return None


async def _assess(sources: ReviewSources, reference: str, platform: str) -> Assessed:
    try:
        facts, report = await sources.vulnerability_report(reference, platform)
    except HubMCPError as exc:  # the tag is not on the registry, the registry is down, ...
        return Assessed(reference, None, None, f"could not be read: {clip(str(exc).rstrip('.'), TEXT_LIMIT)}")
    digest = facts.attestations.manifest_digest
    if report is None:
        tag = "the referrers tag"  # its name (the digest again) is left out
        looked = [tag if place.startswith(tag) else place for place in facts.attestations.looked]
        where = " and ".join(dict.fromkeys(looked)) or "the image"
        return Assessed(reference, digest, None, f"no SBOM attestation (looked in {where})")
    if report.status != "known" or report.counts is None:
        return Assessed(reference, digest, report, clip(report.reason or "not assessed", TEXT_LIMIT))
    return Assessed(reference, digest, report, None)


async def _built_from(sources: ReviewSources, reference: str, platform: str) -> list[str] | None:
    """The images the provenance of ``reference`` says its build pulled (``name:tag@digest``); None without one."""
    found = await sources.built_from(reference, platform, index_only=False)  # None when unreadable: the report says why
    return [clip(image, TEXT_LIMIT) for image in (found or [])[:MAX_BUILT_FROM]] or None


def _compare(images: LineImages, assessed: dict[tuple[str, str], Assessed]) -> LineVulnerabilities:
    current = assessed[(images.current, images.platform)]
    refresh = assessed[(images.refresh, images.platform)] if images.refresh else None
    upgrade = assessed[(images.upgrade, images.platform)] if images.upgrade else None
    clauses = [_current_clause(current)]
    if refresh is None and images.pinned:
        clauses.append("pinned by digest only: no tag to refresh from")
    elif refresh is None:
        clauses.append("not pinned by digest: it is the tag's image today, nothing to refresh")
    else:
        clauses.append(_move_clause("the refresh", current, refresh))
    if upgrade is not None:
        clauses.append(_move_clause(f"the upgrade {clip(upgrade.reference, TEXT_LIMIT)}", current, upgrade))
    return LineVulnerabilities(
        platform=images.platform,
        current=_counts(current, None),
        refresh=_counts(refresh, current) if refresh else None,
        upgrade=_counts(upgrade, current) if upgrade else None,
        summary="; ".join(clauses) + ".",
    )


def _counts(image: Assessed, current: Assessed | None) -> ImageVulnerabilityCounts:
    report = image.known
    if report is None or report.counts is None:
        return ImageVulnerabilityCounts(reference=image.reference, digest=image.digest, unknown=image.unknown)
    base = ImageVulnerabilityCounts(
        reference=image.reference,
        digest=image.digest,
        counts=shown_counts(report.counts),
        total=report.total,
        fixable_severe=sum(1 for f in report.findings if f.fix_available and f.severity in SEVERE),
    )
    theirs = current.known if current is not None else None
    if theirs is None:
        return base
    removed, added = delta(theirs.findings, report.findings)
    return base.model_copy(update={"removes": len(removed), "adds": len(added)})


def delta(current: Iterable[Finding], other: Iterable[Finding]) -> tuple[list[Finding], list[Finding]]:
    """The findings of ``current`` that ``other`` does not have (removed by the move), and those of ``other`` that
    ``current`` does not have (added): one per (id, package); a finding matches one of the same package under any
    id the two share (its id, ``also`` or ``aliases``)."""
    mine, theirs = list(current), list(other)
    return _missing(mine, theirs), _missing(theirs, mine)


def _names(finding: Finding) -> tuple[str, ...]:
    return (finding.id, *finding.also, *finding.aliases)


def _missing(these: list[Finding], others: list[Finding]) -> list[Finding]:
    """``these`` findings (one per id and package) that no finding of ``others`` on the same package matches."""
    known = {(f.package, name) for f in others for name in _names(f)}
    seen: set[tuple[str, str]] = set()
    out: list[Finding] = []
    for finding in these:
        key = (finding.package, finding.id)
        if key in seen or any((finding.package, name) in known for name in _names(finding)):
            continue
        seen.add(key)
        out.append(finding)
    return out


def _severe(findings: Sequence[Finding]) -> str:
    """``(1 critical, 2 high)``, or nothing when none is critical or high."""
    named = [(level, sum(1 for f in findings if f.severity == level)) for level in NAMED_SEVERITIES]
    shown = ", ".join(f"{count} {level}" for level, count in named if count)
    return f" ({shown})" if shown else ""


def _current_clause(current: Assessed) -> str:
    report = current.known
    if report is None:
        return f"the current image's vulnerabilities are unknown, nothing to compare: {current.unknown}"
    return f"the current image has {report.total} known vulnerabilities{_severe(report.findings)}"


def _move_clause(what: str, current: Assessed, other: Assessed) -> str:
    mine, theirs = current.known, other.known
    if theirs is None and other.unknown == current.unknown:
        return f"{what}'s are unknown too"  # the same reason (OSV down) is said once
    if theirs is None:
        return f"{what}'s vulnerabilities are unknown: {other.unknown}"
    if mine is None:
        return f"{what} has {theirs.total} known vulnerabilities{_severe(theirs.findings)}"
    if current.digest is not None and current.digest == other.digest:
        return f"{what} is the same image: it changes nothing"
    removed, added = delta(mine.findings, theirs.findings)
    return f"{what} removes {len(removed)}{_severe(removed)}, adds {len(added)}{_severe(added)}"


def _left_out_note(left_out: Sequence[LineImages]) -> str:
    shown = left_out[:MAX_NAMED_UNASSESSED]
    named = ", ".join(f"line {images.line} {clip(images.current, TEXT_LIMIT)}" for images in shown)
    more = len(left_out) - MAX_NAMED_UNASSESSED
    return (
        f"Vulnerabilities were compared for the first {MAX_ASSESSED_IMAGES} distinct images only (each costs registry"
        f" and OSV requests); not for {named}{f' and {more} more line(s)' if more > 0 else ''}: review them with"
        " another call (reference='<image>', vulnerabilities=true)."
    )
