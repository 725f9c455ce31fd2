"""review_base_images: check every FROM of a Dockerfile (or one reference) like a careful reviewer.

Per FROM line, and per image a ``COPY --from`` or ``RUN --mount`` uses (multi-stage aware;
``ARG`` values substituted where given; ``scratch`` and stage names understood): does the
image exist, for the asked platforms and the line's own ``--platform``? is its line still
rebuilt? is its runtime or distro past end of life? is it ``latest`` or untagged? does it run
as root (when inspection is asked for)? Each line gets a verdict with its findings, a
*refresh* (the same line at today's digest) and an *upgrade* (a better line, from the advisor),
like Docker Scout's base image recommendations.
"""

from __future__ import annotations

import asyncio
import re
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date
from enum import IntEnum
from typing import TYPE_CHECKING, ClassVar, NotRequired, TypedDict

from hub_mcp.advisor.dockerfile import AUTOMATIC_PLATFORM_ARGS, FromLine, ImageLines, image_lines_in_slices
from hub_mcp.advisor.line_vulnerabilities import DEFAULT_PLATFORM, LineImages, Progress, assess_lines
from hub_mcp.advisor.requests import ReviewRequest, SuggestRequest
from hub_mcp.advisor.runtimes import ImageFamily, family_for_repository
from hub_mcp.advisor.suggest import Advisor, hardened_stage, hardened_view
from hub_mcp.answers.views import Candidate, FromLineReview, HardenedEquivalent, LineVulnerabilities, Review, TagInfo
from hub_mcp.errors import HubMCPError, InvalidInput, RateLimited, Upstream
from hub_mcp.hardened.table import Stage
from hub_mcp.hub import health
from hub_mcp.vocab import lifecycle
from hub_mcp.vocab.common import clip
from hub_mcp.vocab.references import ImageReference, Platform
from hub_mcp.vocab.tags import ParsedTag, line_alias, non_production, parse_tag

if TYPE_CHECKING:
    from hub_mcp.advisor.needs import ReviewSources

# The bounds of one review, in one place (the parser's own, on the text, are in advisor/dockerfile.py):
#: Most distinct images checked per review (each costs Hub requests). Stage references, scratch and
#: unresolved names cost nothing and are not counted; the images left out are named in notes.
MAX_FROM_LINES = 20
#: Most image lines (FROM, COPY --from, RUN --mount from=) read and answered per review, in file order;
#: the ones after are counted in a note, not read. Lines naming the same image share one check.
MAX_IMAGE_LINES = 200
#: Most left-out images named one by one in that note.
MAX_NAMED_LEFT_OUT = 30
#: Most unresolved variables a finding names one by one.
MAX_NAMED_VARIABLES = 5
#: Longest text of the Dockerfile an answer's field (original, resolved, stage) or finding quotes:
#: longer than any valid reference, so only a hostile word is cut.
FIELD_LIMIT = 300
BUILD_STAGE_WORDS = ("build", "builder", "compile", "deps", "dev", "test")
#: Characters that end a line for the Dockerfile parser or for Python's splitlines: a reference
#: holding one would smuggle extra Dockerfile lines into the review.
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


class Severity(IntEnum):
    """How much a finding weighs. A line's findings are listed most severe first, and its verdict
    is its worst finding's: fail, else unknown (could not be checked), else warn, else ok."""

    FAIL = 0  # do not build on it as it is
    UNKNOWN = 1  # could not be checked (upstream down): says nothing about the image
    WARN = 2  # worth fixing
    INFO = 3  # worth knowing


Finding = tuple[Severity, str]

#: The labels of an upgrade step, as the review writes them.
NEWER_VERSION = "newer version, same variant"
DROP_IN = "drop-in, same major"
PRODUCTION_LINE = "the maintainers' production line"
#: How the finding of a line that must be left, with nothing fit to move to, begins.
NO_UPGRADE = "no upgrade"
#: The maintainers' channel aliases, the one that names a line for production first.
CHANNELS = ("lts", "stable", "latest")
#: How many of the advisor's candidates an upgrade is picked from (the first fit one).
UPGRADE_CANDIDATES = 5


@dataclass(frozen=True)
class UpgradeStep:
    """One image to move to, and why: from the advisor (with its support end and score), or the
    newer version of the same line (no score)."""

    reference: str
    label: str
    support_ends: str | None = None
    score: float | None = None

    def render(self) -> str:
        if self.score is None:
            return f"{self.reference} ({self.label})"
        why = f"supported until {self.support_ends}" if self.support_ends else "maintained"
        return f"{self.reference} ({self.label}; {why}; score {self.score})"


@dataclass(frozen=True)
class Upgrade:
    """A better line for a reviewed image: the first step, then at most one bigger step."""

    steps: tuple[UpgradeStep, ...]

    @property
    def reference(self) -> str:
        """The image to upgrade to first."""
        return self.steps[0].reference

    def render(self) -> str:
        """The sentence the review's ``upgrade`` field holds."""
        first, *rest = (step.render() for step in self.steps)
        return first + (f"; bigger step: {rest[0]}" if rest else "")


@dataclass
class ImageUnderReview:
    """One image a line names, as the checks see it and what they found."""

    ref: ImageReference
    tag: str | None  # the tag looked up ('latest' for an untagged reference; None: pinned by digest only)
    platforms: list[Platform]
    inspect: bool
    own: Platform | None  # the line's --platform, checked besides ``platforms``
    spec: ImageFamily | None
    found: list[Finding] = field(default_factory=list)
    info: TagInfo | None = None
    unchecked: str | None = None  # why the tag could not be looked up (upstream down, unreachable)
    refresh: str | None = None  # the same line at today's digest
    retired: bool = False  # the line itself must be left: end of life, stale, a deprecated or unmaintained repository

    def finding(self, severity: Severity, text: str) -> None:
        self.found.append((severity, text))

    @property
    def verdict(self) -> str:
        severities = {severity for severity, _ in self.found}
        if Severity.FAIL in severities:
            return "fail"
        if self.unchecked:
            return "unknown"
        return "warn" if Severity.WARN in severities else "ok"


class _LineFields(TypedDict):
    """The fields every review of a line carries, whatever its verdict."""

    line: int
    original: str
    resolved: str | None
    stage: str | None
    instruction: NotRequired[str]


#: A line's review copied from another line's check of the same image: no instruction unless its own.
_NO_INSTRUCTION = {"instruction": None}
#: What a later line naming the same image leaves to the first (``same_as``).
_SHARED_ONCE = {"findings": None, "platforms": None, "refresh": None, "upgrade": None, "vulnerabilities": None}


def _fields(line: FromLine) -> _LineFields:
    """The fields of ``line``'s review, a hostile word cut to :data:`FIELD_LIMIT` characters."""
    resolved = clip(line.resolved, FIELD_LIMIT) if line.resolved is not None else None
    stage = clip(line.stage, FIELD_LIMIT) if line.stage is not None else None
    original = clip(line.original, FIELD_LIMIT)
    base: _LineFields = {"line": line.line, "original": original, "resolved": resolved, "stage": stage}
    if line.instruction != "FROM":
        base["instruction"] = line.instruction
    return base


@dataclass(frozen=True)
class _Check:
    """One image to look up, for every line that names it the same way (``base``: the first such line's fields)."""

    ref: ImageReference
    purpose: str
    own: Platform | None
    found: tuple[Finding, ...]
    base: _LineFields = field(compare=False, hash=False)


class Reviewer:
    """Reviews FROM lines with the services that know tags (Hub or registry), images and
    repositories (:class:`~hub_mcp.advisor.needs.ReviewSources`: the facade), and the advisor's advice."""

    def __init__(self, services: ReviewSources, advisor: Advisor, today: date) -> None:
        self.services = services
        self.advisor = advisor
        self.today = today
        #: image -> the tag naming the line a channel tag stands on (mysql:lts -> 9.7), from the tag's aliases
        self._lines_of: dict[ImageReference, str] = {}
        self._missing: set[ImageReference] = set()  # images whose tag does not exist: no equivalent is named

    async def review(self, request: ReviewRequest, progress: Progress | None = None) -> Review:
        """``progress`` hears how the vulnerability assessment goes (``vulnerabilities=true`` only)."""
        parsed = await self._lines(request)
        lines = parsed.entries
        notes: list[str] = []
        if parsed.left_out_from or parsed.left_out_sources:
            notes.append(_not_read_note(parsed))
        if not lines:
            return Review(from_lines=[], summary="No FROM instruction found: nothing to review.")
        lines, left_out = _cap(lines)
        if left_out:
            notes.append(_left_out_note(left_out))
        platforms = [Platform.parse(p) for p in request.platforms]
        # The image the final stage is built on is the runtime image (through 'FROM <stage>' lines: FROM php AS base
        # ... FROM base); the other FROMs (and COPY/RUN sources) are build inputs.
        runtime_at = _runtime_root(lines)
        plans = [self._plan(line, i == runtime_at, platforms) for i, line in enumerate(lines)]
        # Lines that name the same image (for the same purpose and platform) share one check.
        checks = list(dict.fromkeys(plan for plan in plans if isinstance(plan, _Check)))
        checked = await asyncio.gather(
            *(
                self._review_image(c.ref, c.base, platforms, request.inspect, c.purpose, c.own, list(c.found))
                for c in checks
            )
        )
        by_check = dict(zip(checks, checked, strict=True))
        assessed: dict[_Check, LineVulnerabilities] = {}
        if request.vulnerabilities:  # after the checks: the upgrade compared is the one the review proposes
            wanted = [(c, _line_images(c, by_check[c][1], platforms)) for c in checks]
            assessed, not_assessed = await assess_lines(
                self.services, wanted, progress or _no_progress, within=self.advisor.assess_within
            )
            notes.extend([not_assessed] if not_assessed else [])
            if len(platforms) > 1:  # one platform's images per line: each platform is its own set of packages
                notes.append(
                    f"Known vulnerabilities were assessed on {platforms[0]} (or a line's own --platform) only; ask"
                    f" again with platforms=[{str(platforms[1])!r}] for {platforms[1]}."
                )
        first_line: dict[_Check, int] = {}  # the line that carries a shared check's findings
        asks = {
            check: ask
            for check in by_check
            if check.ref not in self._missing and (ask := _hardened_ask(check, self._lines_of)) is not None
        }
        equivalents = await self.advisor.hardened.equivalents(asks.values())
        reviewed: list[tuple[FromLineReview, Upgrade | None]] = []
        for line, plan in zip(lines, plans, strict=True):
            if not isinstance(plan, _Check):
                reviewed.append(plan)
                continue
            review, upgrade = by_check[plan]
            update: dict[str, object] = {**_NO_INSTRUCTION, **_fields(line)}
            if plan in first_line:  # said once: 200 lines of one image are not 200 copies of its findings
                update |= {**_SHARED_ONCE, "same_as": first_line[plan]}
            else:
                first_line[plan] = line.line
                vulnerabilities = assessed.get(plan)
                update |= {"vulnerabilities": vulnerabilities}
                update |= _severe_fixable(review, vulnerabilities)
                hardened = equivalents.get(*asks[plan]) if plan in asks else None
                if hardened is not None:
                    update["hardened"] = hardened_view(hardened)
            reviewed.append((review.model_copy(update=update), upgrade))
        reviews = [review for review, _ in reviewed]
        notes.extend(equivalents.notes())
        if not request.inspect:
            notes.append("Whether images run as root was not checked: pass inspect=true (reads image configs).")
        counts = {v: sum(1 for r in reviews if r.verdict == v) for v in ("fail", "unknown", "warn", "ok", "skipped")}
        summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
        worst_pair = next((pair for pair in reviewed if pair[0].verdict == "fail"), None) or next(
            (pair for pair in reviewed if pair[0].verdict == "warn"), None
        )
        if worst_pair:
            worst, upgrade = worst_pair
            findings = worst.findings or []
            summary += f". First to fix: line {worst.line} ({worst.resolved or worst.original}): {findings[0].rstrip(' .')}"
            if upgrade:
                summary += f"; upgrade to {upgrade.reference}"
            elif any(f.startswith(NO_UPGRADE) for f in findings):
                summary += "; no maintained line to upgrade to"
        return Review(from_lines=reviews, summary=summary + ".", notes=notes or None)

    @staticmethod
    async def _lines(request: ReviewRequest) -> ImageLines:
        """The image lines of the Dockerfile (at most :data:`MAX_IMAGE_LINES`), read in slices: between
        two, other tasks run and the call's deadline can stop the parse."""
        if bool(request.dockerfile) == bool(request.reference):
            raise InvalidInput("Give either dockerfile (its text) or reference (one image such as 'python:3.12-slim').")
        if request.reference and any(ch in _LINE_BREAKS for ch in request.reference):
            raise InvalidInput(
                "reference must be one image reference on one line, but it contains a line break: send only the"
                " image (e.g. 'python:3.12-slim'), or send the whole Dockerfile as dockerfile."
            )
        text = request.dockerfile if request.dockerfile else f"FROM {request.reference}"
        steps = image_lines_in_slices(text, dict(request.build_args), limit=MAX_IMAGE_LINES)
        try:
            while True:
                try:
                    next(steps)
                except StopIteration as done:
                    return done.value
                await asyncio.sleep(0)
        except ValueError as exc:
            raise InvalidInput(f"The Dockerfile could not be read: {exc}") from None

    @staticmethod
    def _plan(line: FromLine, is_last: bool, platforms: list[Platform]) -> _Check | tuple[FromLineReview, None]:
        """A line's review when it needs no lookup (scratch, a stage, an unresolved or invalid name),
        else the image check it needs (equal for lines that name the same image the same way)."""
        base = _fields(line)
        if line.kind == "scratch":
            return FromLineReview(**base, verdict="skipped", findings=["scratch: an empty base, nothing to check"]), None
        if line.kind == "stage":
            stage = clip(line.stage_ref or "", FIELD_LIMIT)
            return FromLineReview(**base, verdict="skipped", findings=[f"builds on the earlier stage {stage!r}"]), None
        if line.resolved is None:
            return FromLineReview(
                **base,
                verdict="warn",
                findings=[f"uses {_variables(line.unresolved)} without a value: pass build_args to check the image"],
            ), None
        try:
            ref = ImageReference.parse(line.resolved)
        except InvalidInput as exc:
            return FromLineReview(**base, verdict="fail", findings=[f"not a valid image reference: {exc}"]), None
        purpose = "runtime" if is_last and not _looks_like_build(line.stage) else "build"
        own, found = _line_platform(line, platforms)
        return _Check(ref, purpose, own, tuple(found), base)

    async def _review_image(
        self,
        ref: ImageReference,
        base: _LineFields,
        platforms: list[Platform],
        inspect: bool,
        purpose: str,
        own: Platform | None = None,
        found: list[Finding] | None = None,
    ) -> tuple[FromLineReview, Upgrade | None]:
        """``own`` is the line's ``--platform``, checked besides ``platforms``; ``found`` holds earlier findings.
        The checks in :attr:`CHECKS` run in order; the findings are listed most severe first."""
        image = ImageUnderReview(
            ref=ref,
            tag=ref.tag or ("latest" if ref.digest is None else None),
            platforms=platforms,
            inspect=inspect,
            own=own,
            spec=family_for_repository(ref.repository),
            found=list(found or []),
        )
        for check in self.CHECKS:
            await check(self, image)
        verdict = image.verdict
        if image.unchecked:
            image.finding(Severity.UNKNOWN, image.unchecked)
        wanted = platforms + ([own] if own is not None and own not in platforms else [])
        upgrade, none_found = await self._upgrade(ref, image.tag, image.info, purpose, wanted, needed=verdict != "ok")
        if none_found and image.retired:
            image.finding(Severity.INFO, none_found)
        info = image.info
        review = FromLineReview(
            **base,
            verdict=verdict,
            findings=[text for _, text in sorted(image.found, key=lambda f: f[0])],
            platforms=[p.platform for p in info.platforms] if info and info.platforms else None,
            refresh=image.refresh,
            upgrade=upgrade.render() if upgrade else None,
        )
        return review, upgrade

    # --- the checks, in the order they run ---------------------------------------------------

    async def _moving_tag(self, image: ImageUnderReview) -> None:
        """No tag, or 'latest': the image moves with every release."""
        ref = image.ref
        if ref.tag is None and ref.digest is None:
            image.finding(Severity.WARN, "no tag: it means 'latest', which moves; pin a version tag")
        elif ref.tag == "latest" and ref.digest is None:  # latest@sha256:... is pinned (as hadolint DL3007)
            image.finding(Severity.WARN, "'latest' moves with every release: pin a version tag")

    async def _known_deprecated(self, image: ImageUnderReview) -> None:
        """A repository the runtime table knows is deprecated (openjdk)."""
        spec, repository = image.spec, image.ref.repository
        if spec and repository in spec.deprecated_repositories:
            image.finding(Severity.FAIL, spec.deprecated_repositories[repository])
            image.retired = True

    async def _look_up(self, image: ImageUnderReview) -> None:
        """The tag, from Hub or the registry: a failure upstream says nothing about the image."""
        ref, tag = image.ref, image.tag
        if tag is None:
            image.finding(Severity.WARN, "pinned by digest only: the line it came from cannot be checked; add the tag too")
            return
        try:
            # with the pinned digest, get_tag says whether the tag points at it now (digest_matches)
            asked = f"{tag}@{ref.digest}" if ref.digest else tag
            # the line's equivalent is asked once for all lines, for its stage (below): not here too
            image.info = await self.services.get_tag(ref.with_tag(tag).familiar_name, asked, hardened=False)
            if line := line_alias(tag, image.info.aliases or ()):
                self._lines_of[ref] = line
            if not image.info.exists:  # no equivalent is named for a tag that does not exist
                self._missing.add(ref)
        except (Upstream, RateLimited) as exc:
            # the registry or Hub could not answer: that says nothing about the image
            image.unchecked = f"could not be checked: {str(exc).rstrip('.')}"
        except HubMCPError as exc:
            image.finding(Severity.FAIL, str(exc))

    async def _tag_state(self, image: ImageUnderReview) -> None:
        """Does the tag exist, for every platform asked, still rebuilt, at the pinned digest?"""
        info, ref, tag = image.info, image.ref, image.tag
        if info is None:
            return
        if not info.exists:
            alternatives = ", ".join(a.tag for a in info.alternatives or [])
            image.finding(
                Severity.FAIL,
                f"{ref.with_tag(tag).familiar} does not exist" + (f" (closest: {alternatives})" if alternatives else ""),
            )
            return
        image.finding(
            Severity.INFO, f"exists for {len(info.platforms or [])} platform(s), last pushed {info.last_pushed or 'unknown'}"
        )
        have = [Platform.parse(p.platform) for p in info.platforms or []]
        missing = [str(p) for p in image.platforms if not any(p.matches(h) for h in have)]
        own = image.own
        if own is not None and own not in image.platforms and not any(own.matches(h) for h in have):
            missing.append(f"{own} (the line's --platform)")
        if missing:
            image.finding(Severity.FAIL, f"no image for {', '.join(missing)}")
        if info.stale:
            image.retired = True
            image.finding(Severity.WARN, f"stale: last pushed {info.last_pushed}, no longer rebuilt (no security fixes)")
        elif info.digest:
            image.refresh = ref.with_tag(tag, info.digest).familiar
        if info.prerelease:  # the tag or an alias of it (ubuntu:26.10 is 'devel', tomee:11 is 11.0.0-M1)
            image.finding(Severity.WARN, health.development_clause(info.prerelease))
        if ref.digest and info.digest_matches is False:
            # the tag's past digests cannot be read: the pin may be an older build, or never was one of this tag
            image.finding(
                Severity.WARN,
                f"the pinned digest is not the one {tag} points at now, and whether it was ever a build of {tag}"
                " could not be verified: refresh it",
            )
        elif ref.digest and info.digest_matches and info.digest and ref.digest != info.digest:
            platform = next((p.platform for p in info.platforms or [] if p.digest == ref.digest), "single-platform")
            image.finding(
                Severity.WARN,
                f"the pinned digest is {tag}'s {platform} image, not its multi-platform index:"
                " the line builds only for that platform; pin the index digest",
            )

    async def _support(self, image: ImageUnderReview) -> None:
        """End of life by the bundled table; for an image the table does not know, what its
        repository says about itself (deprecated, unmaintained)."""
        ref, tag = image.ref, image.tag
        version_note, eol = self._end_of_life(ref, tag)
        if version_note:
            image.finding(Severity.FAIL if eol else Severity.INFO, version_note)
            image.retired = image.retired or eol
        elif ref.is_docker_hub and image.spec is None and not self._has_table_line(ref, tag):
            for severity, text in await self._repository_state(ref):
                image.finding(severity, text)
                image.retired = True  # deprecated, or unmaintained

    async def _runs_as_root(self, image: ImageUnderReview) -> None:
        """Whether the image runs as root (only when inspection is asked for: it reads the image config)."""
        info, ref = image.info, image.ref
        if not (image.inspect and info is not None and info.exists):
            return
        try:
            details = await self.services.inspect_image(ref.with_tag(image.tag).familiar)
            if details.runs_as_root:
                image.finding(Severity.WARN, "runs as root: add a USER with a non-root uid")
            else:
                image.finding(Severity.INFO, f"runs as user {details.user}")
        except HubMCPError as exc:
            image.finding(Severity.INFO, f"could not inspect the image: {exc}")

    #: The checks of one image, in order (the order findings of one severity are listed in).
    CHECKS: ClassVar[tuple[Callable[[Reviewer, ImageUnderReview], Awaitable[None]], ...]] = (
        _moving_tag,
        _known_deprecated,
        _look_up,
        _tag_state,
        _support,
        _runs_as_root,
    )

    def _end_of_life(self, ref: ImageReference, tag: str | None) -> tuple[str | None, bool]:
        if not tag:
            return None, False
        # the familiar name keeps the registry: mcr.microsoft.com/dotnet/sdk is .NET, dotnet/sdk is nothing
        support = lifecycle.tag_support(ref.familiar_name, tag)
        notes = health.end_of_life(ref.familiar_name, tag, self.today)
        eol = bool(notes)
        line = support.line
        if line is not None and line.eol and not line.is_eol(self.today):
            notes.insert(0, f"{support.runtime} {line.version} is supported until {line.eol}")
        return ("; ".join(notes) or None), eol

    @staticmethod
    def _has_table_line(ref: ImageReference, tag: str | None) -> bool:
        if lifecycle.runtime_name_for_repository(ref.familiar_name):
            return True
        return bool(tag) and lifecycle.tag_support(ref.familiar_name, tag or "").distro_line is not None

    async def _repository_state(self, ref: ImageReference) -> list[Finding]:
        """For an image the end-of-life table does not know (centos, a community image): what its
        repository says about itself. One repository request; nothing when it cannot be read."""
        try:
            repo = await self.services.get_repository(ref.familiar_name)
        except HubMCPError:
            return []
        verdict = health.repository_health(
            today=self.today,
            description=repo.description,
            last_push=date.fromisoformat(repo.last_updated[:10]) if repo.last_updated else None,
        )
        out: list[Finding] = []
        if verdict.deprecated:
            out.append(
                (
                    Severity.FAIL,
                    f"{ref.familiar_name} is marked deprecated on Docker Hub ({verdict.deprecated!r}): it gets no fixes;"
                    " move to a maintained image (suggest_base_images proposes one)",
                )
            )
        if verdict.unmaintained:
            out.append(
                (
                    Severity.WARN,
                    f"no push to {ref.familiar_name} since {verdict.last_push} (over a year): probably unmaintained, no"
                    " security fixes; prefer a maintained image",
                )
            )
        return out

    async def _upgrade(
        self,
        ref: ImageReference,
        tag: str | None,
        info: TagInfo | None,
        purpose: str,
        platforms: list[Platform],
        *,
        needed: bool,
    ) -> tuple[Upgrade | None, str | None]:
        """A better line, and when there is none although one was needed, a finding that says so.

        When the line must change (end of life, stale, removed repository), the drop-in comes
        first (the same major version on a maintained image, e.g. openjdk:17 -> eclipse-temurin:17),
        then the advisor's own pick with no version asked: the maintainers' channel line (``lts``,
        ``stable`` or ``latest``) as the bigger step, or as the only step when there is no drop-in.
        Each step is the first of the advisor's candidates that is none of: older than the line
        reviewed, an interim or non-LTS line while LTS lines exist, a development line, past end of
        life (its own line or its distro's), the image under review itself.
        """
        spec = family_for_repository(ref.repository, ref.registry)
        if not ref.is_docker_hub and (spec is None or spec.registry is None):
            return None, None  # the advisor reads Docker Hub, and the registries a runtime lives on (.NET on MCR)
        parsed = parse_tag(tag) if tag else None
        if not needed:
            newer = [n for n in (info.newer_on_line or []) if self._production_line(ref, n)] if info else []
            return (Upgrade((UpgradeStep(ref.with_tag(newer[0]).familiar, NEWER_VERSION),)) if newer else None), None
        if spec and spec.runtime_stage_repositories and ref.repository in spec.repositories:
            purpose = "build"  # golang/rust images are build stages; their runtime stage is another image
        variant = None
        if parsed:
            keep = sorted(parsed.variants & {"slim", "jre", "jdk", "fpm", "apache", "cli"})
            variant = keep[0] if keep else None
        by_image = spec is None or spec.registry is not None  # on MCR: the same repository (sdk stays sdk)
        request = SuggestRequest(
            runtime=spec.name if spec is not None and not by_image else None,
            image=ref.familiar_name if by_image else None,
            platforms=tuple(str(p) for p in platforms) or ("linux/amd64",),
            purpose="runtime" if purpose == "runtime" else "build",
            variant=variant if spec and spec.name != "go" else None,
            limit=UPGRADE_CANDIDATES,
        )
        current = _current_line(ref, tag, parsed)
        drop_in = None
        runtime = lifecycle.runtime_name_for_repository(ref.repository)
        if current and runtime and lifecycle.line_precision(runtime) == 1 and self._drop_in_line(runtime, current):
            # support lines are major versions (java 17, node 22): the same major on a maintained image
            drop_in, _ = await self._first(replace(request, version=str(current[0])), ref, current, current[:1])
        newest, answered = await self._first(request, ref, current)
        picks: list[tuple[Candidate, str]] = []
        for top, label in ((drop_in, DROP_IN), (newest, None)):
            if top is None:
                continue
            if any(top.reference == seen.reference or top.pinned_reference == seen.pinned_reference for seen, _ in picks):
                continue  # the same image
            picks.append((top, label or _channel_label(top)))
        if picks:
            steps = tuple(UpgradeStep(top.reference, label, top.support_ends, top.score) for top, label in picks)
            return Upgrade(steps), None
        if not answered or info is None:
            return None, None  # the advisor or the tag lookup could not answer: that says nothing about the image
        name = ref.familiar_name
        than = f" newer than {_line_text(ref, tag, current)}" if current and tag else ""
        return None, f"{NO_UPGRADE}: no maintained {name} line{than} was found"

    async def _first(
        self,
        request: SuggestRequest,
        ref: ImageReference,
        current: tuple[int, ...] | None,
        line: tuple[int, ...] | None = None,
    ) -> tuple[Candidate | None, bool]:
        """The advisor's first candidate fit to offer as an upgrade (on ``line`` when given), and
        whether the advisor answered at all."""
        try:
            suggestion = await self.advisor.suggest(request)
        except HubMCPError:
            return None, False
        for candidate in suggestion.candidates:
            offered = _offered_line(candidate)
            if line is not None and (offered is None or offered[: len(line)] != line):
                continue
            if self._offerable(candidate, ref, current, offered):
                return candidate, True
        return None, True

    def _offerable(
        self,
        candidate: Candidate,
        ref: ImageReference,
        current: tuple[int, ...] | None,
        offered: tuple[int, ...] | None,
    ) -> bool:
        """Whether a candidate may be offered as an upgrade of ``ref`` (whose line is ``current``)."""
        if candidate.reference == ref.familiar or candidate.pinned_reference == ref.familiar:
            return False  # the image under review itself
        if current and offered and offered < current[: len(offered)]:
            return False  # never an older line
        if candidate.support_ends and date.fromisoformat(candidate.support_ends) <= self.today:
            return False  # a line past its end of life is no upgrade (a pinned line is kept with a warning)
        try:
            image = ImageReference.parse(candidate.reference)
        except InvalidInput:
            return False
        tags = [image.tag or "latest", *(candidate.aliases or [])]
        if any(non_production(t) for t in tags):
            return False  # a development line (a prerelease, or a tag its maintainers call edge/devel/rc)
        # past end of life (its runtime or its distro), or an interim or non-LTS line (ubuntu 25.10,
        # java 26) while LTS lines exist: the rule get_tag's "newer on the same line" follows too
        return health.production_line(image.familiar_name, image.tag or "latest", self.today)

    def _drop_in_line(self, runtime: str, version: tuple[int, ...]) -> bool:
        """Whether the same major is worth offering: supported on ``today``, and an LTS line where
        the runtime has LTS lines (java 16 is not; node 18 is LTS but past its end of life)."""
        row = lifecycle.support_for(runtime, version[:1])
        if row is None or not row.is_supported(self.today):
            return False
        has_lts = any(line.lts for line in lifecycle.supported_lines(runtime, self.today))
        return bool(row.lts) or not has_lts

    def _production_line(self, ref: ImageReference, tag: str) -> bool:
        """False for a line past its end of life, or non-LTS while LTS lines exist (ubuntu 25.10, java 18):
        the rule get_tag's "newer on the same line" follows too (:func:`health.production_line`)."""
        return health.production_line(ref.repository, tag, self.today)


def _current_line(ref: ImageReference, tag: str | None, parsed: ParsedTag | None) -> tuple[int, ...] | None:
    """The version line of the tag reviewed: its version, or for a distribution's own repository
    its release's number when the tag names a codename (``debian:stretch-20191118-slim`` -> 9,
    not the date stamp)."""
    if not tag or parsed is None:
        return None
    if parsed.is_versioned and not parsed.is_dated:
        return parsed.version
    support = lifecycle.tag_support(ref.familiar_name, tag)
    distro = support.distro_line
    if distro is not None and support.runtime == distro.runtime:
        return distro.numbers
    return None


def _offered_line(candidate: Candidate) -> tuple[int, ...] | None:
    parsed = parse_tag(candidate.version) if candidate.version else None
    return parsed.version if parsed and parsed.is_versioned and not parsed.is_dated else None


def _line_text(ref: ImageReference, tag: str, version: tuple[int, ...]) -> str:
    """The line as its lifecycle table writes it (ubuntu ``25.04``, debian ``9``), else dotted."""
    support = lifecycle.tag_support(ref.familiar_name, tag)
    row = support.line
    if row is None and support.distro_line is not None and support.distro_line.runtime == support.runtime:
        row = support.distro_line
    return row.version if row is not None else ".".join(map(str, version))


def _channel_label(candidate: Candidate) -> str:
    """"the maintainers' 'lts' line" when the candidate's tag or an alias is on a channel (``lts``,
    ``stable-uclibc``, ``latest``) or the advisor says its line is the one the maintainers tag so;
    else the generic production-line label."""
    tags = list(candidate.aliases or [])
    try:
        tags.append(ImageReference.parse(candidate.reference).tag or "")
    except InvalidInput:
        pass
    channels = {parse_tag(t).channel for t in tags if t}
    if candidate.channel:
        channels.add(candidate.channel)
    for channel in CHANNELS:
        if channel in channels:
            return f"the maintainers' '{channel}' line"
    return PRODUCTION_LINE


def _line_images(check: _Check, upgrade: Upgrade | None, platforms: list[Platform]) -> LineImages:
    """What ``check``'s line compares: the image it uses now (its pinned digest, else its tag), the tag's image
    today when it pins a digest, and the upgrade; for its own ``--platform``, else the first asked."""
    ref = check.ref
    tag = ref.tag or ("latest" if ref.digest is None else None)
    platform = check.own or (platforms[0] if platforms else None)
    pinned = ref.digest is not None
    return LineImages(
        line=check.base["line"],
        current=ref.with_tag(None, ref.digest).familiar if pinned else ref.with_tag(tag).familiar,
        refresh=ref.with_tag(tag).familiar if pinned and tag else None,
        upgrade=upgrade.reference if upgrade else None,
        platform=str(platform) if platform else DEFAULT_PLATFORM,
        pinned=pinned,
    )


def _severe_fixable(review: FromLineReview, vulnerabilities: LineVulnerabilities | None) -> dict[str, object]:
    """A warning for a line whose image has critical or high vulnerabilities with a fix (Docker Scout's default
    policy), naming the move that removes them: the refresh, else the upgrade. Nothing when none or unknown."""
    current = vulnerabilities.current if vulnerabilities is not None else None
    if vulnerabilities is None or current is None or not current.fixable_severe:
        return {}
    count = current.fixable_severe
    text = (
        f"{count} critical or high known {'vulnerability has' if count == 1 else 'vulnerabilities have'} a fix"
        f" ({vulnerabilities.platform})"
    )
    for move, other in (("the refresh", vulnerabilities.refresh), ("the upgrade", vulnerabilities.upgrade)):
        if other is not None and other.removes:
            text += f": {move} ({other.reference}) removes {other.removes} known"
            break
    else:
        text += ": rebuild on a newer image of the line when its maintainers publish one"
    if review.verdict == "ok":  # its findings are notes only: the warning goes first
        return {"findings": [text, *(review.findings or [])], "verdict": "warn"}
    return {"findings": [*(review.findings or []), text]}


async def _no_progress(done: float, total: float, message: str) -> None:
    return None


def _cap(lines: list[FromLine]) -> tuple[list[FromLine], list[FromLine]]:
    """Keep lines using the first MAX_FROM_LINES distinct images (and every line that costs nothing)."""
    checked: set[str] = set()
    kept: list[FromLine] = []
    left_out: list[FromLine] = []
    for line in lines:
        if line.kind != "image" or line.resolved is None or line.resolved in checked:
            kept.append(line)
        elif len(checked) < MAX_FROM_LINES:
            checked.add(line.resolved)
            kept.append(line)
        else:
            left_out.append(line)
    return kept, left_out


def _left_out_note(left_out: list[FromLine]) -> str:
    distinct = list(dict.fromkeys(line.resolved for line in left_out))
    named = ", ".join(
        f"line {line.line} {clip(line.resolved or '', FIELD_LIMIT)}" for line in left_out[:MAX_NAMED_LEFT_OUT]
    )
    more = f" and {len(left_out) - MAX_NAMED_LEFT_OUT} more line(s)" if len(left_out) > MAX_NAMED_LEFT_OUT else ""
    return (
        f"Only the first {MAX_FROM_LINES} distinct images were checked (stage references and scratch are not"
        f" counted); {len(distinct)} more were not: {named}{more}. Review them with another call"
        " (reference='<image>' or a shorter dockerfile)."
    )


def _not_read_note(parsed: ImageLines) -> str:
    """What the review left unread past :data:`MAX_IMAGE_LINES` image lines."""
    parts = []
    if parsed.left_out_from:
        parts.append(f"{parsed.left_out_from:,} more FROM line(s)")
    if parsed.left_out_sources:
        parts.append(f"{parsed.left_out_sources:,} COPY --from / RUN --mount source(s)")
    return (
        f"Only the first {MAX_IMAGE_LINES} image lines (FROM, COPY --from, RUN --mount) were read; "
        + " and ".join(parts)
        + f" from line {parsed.left_out_after} on were not: review them with another call (a shorter dockerfile)."
    )


def _variables(names: tuple[str, ...]) -> str:
    """``${A}, ${B}`` for a finding: at most :data:`MAX_NAMED_VARIABLES` names, each cut short."""
    shown = ", ".join(f"${{{clip(n)}}}" for n in names[:MAX_NAMED_VARIABLES])
    more = len(names) - MAX_NAMED_VARIABLES
    return shown + (f" and {more:,} more" if more > 0 else "")


def _line_platform(line: FromLine, platforms: list[Platform]) -> tuple[Platform | None, list[Finding]]:
    """The platform a FROM line's ``--platform`` names (checked besides ``platforms``), and findings about it.

    ``$BUILDPLATFORM`` / ``$TARGETPLATFORM`` (and other automatic platform arguments) without a
    build arg mean the platforms the caller asked for; with none asked, the line's platform is
    reported as not checked rather than guessed.
    """
    if line.platform is None:
        return None, []
    flag = f"--platform={clip(line.platform)}"
    if line.platform_resolved is not None:
        if line.platform_resolved.strip().lower() in {"linux", "windows", "darwin", "freebsd"}:
            return None, [(Severity.INFO, f"{flag} names no architecture (Docker takes the build machine's): not checked")]
        try:
            return Platform.parse(line.platform_resolved), []
        except InvalidInput as exc:
            return None, [(Severity.FAIL, f"{flag} is not a platform Docker can pull: {exc}")]
    names = _variables(line.platform_unresolved)
    if line.platform_unresolved and all(n in AUTOMATIC_PLATFORM_ARGS for n in line.platform_unresolved):
        if platforms:
            return None, []  # the asked platforms, checked for every line anyway
        return None, [(Severity.INFO, f"{flag}: the platform could not be checked; pass platforms (the ones you build for)")]
    if line.platform_unresolved:
        return None, [(Severity.INFO, f"{flag} uses {names} without a value: the platform could not be checked; pass build_args")]
    return None, []


def _hardened_ask(check: _Check, lines_of: Mapping[ImageReference, str]) -> tuple[str, Stage] | None:
    """What to ask of the Docker Hardened Image equivalents for a line: an official image's tag (not a
    digest-only line: its version is unknown), or the line its aliases name for a
    channel tag (``lines_of``: mysql:lts -> 9.7), for its stage: runtime for the final stage, -dev for the others."""
    ref = check.ref
    if not ref.is_official or ref.tag is None and ref.digest is not None:
        return None
    tag = lines_of.get(ref) or ref.tag
    reference = f"{ref.familiar_name}:{tag}" if tag else ref.familiar_name
    return reference, hardened_stage(check.purpose)


def _runtime_root(lines: Sequence[FromLine]) -> int:
    """The index of the FROM line whose image the final stage is built on: the last FROM, or, when it names an
    earlier stage, that stage's FROM, and so on (-1 when the chain ends in no image line)."""
    at = max((i for i, line in enumerate(lines) if line.instruction == "FROM"), default=-1)
    seen: set[int] = set()
    while at >= 0 and lines[at].kind == "stage" and at not in seen:
        seen.add(at)
        name = lines[at].stage_ref
        at = max((i for i in range(at) if lines[i].instruction == "FROM" and lines[i].stage == name), default=-1)
    return at


def _looks_like_build(stage: str | None) -> bool:
    return bool(stage and any(word in stage.lower() for word in BUILD_STAGE_WORDS))
