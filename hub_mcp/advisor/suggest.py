"""suggest_base_images: ranked, explained, verified base images for a runtime or an image.

The flow: resolve the request to repositories (``java`` → ``eclipse-temurin``, an unknown word
→ Docker Hub search), fetch each repository's recent tags concurrently in one round trip,
fold tags into images by digest, drop what must not be suggested (missing platform, wrong
version, end of life, no longer rebuilt, prerelease, wrong OS, libc or variant) with the
reason, score the rest for the purpose and priorities, and return the best with the exact
``FROM`` reference, its digest-pinned form, aliases and the values behind every reason.

Every suggested reference was seen in Docker Hub's tag listing during this request with an
image for every asked platform: nothing is suggested from memory. Answers and repository
data are cached for a few minutes, so a repeated question costs no upstream request.

With the priority ``secure`` and a :class:`~hub_mcp.advisor.needs.VulnerabilitySource`, the first
:data:`MAX_ASSESSED` candidates (as scored) are assessed concurrently for the first asked platform
(their SBOMs looked up in OSV), within :attr:`Advisor.assess_within` seconds, and re-ranked by
:func:`hub_mcp.advisor.scoring.secure_order`: fewest known critical, then high, then in all; a candidate
whose vulnerabilities are unknown keeps its place (and is named in the notes with the reason). Without
``secure`` nothing is asked. An answer with an assessment that failed for now (OSV or the registry down)
is not kept in the answer cache.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, Literal

from hub_mcp.advisor.needs import VulnerabilityFacts
from hub_mcp.advisor.registry_tags import floating_tags, read_tags
from hub_mcp.advisor.requests import SuggestRequest
from hub_mcp.advisor.runtimes import (
    ImageFamily,
    family_for_repository,
    find_runtime,
    known_runtimes,
)
from hub_mcp.advisor.scoring import Benefit, Scored, ScoringContext, Standing, score, secure_order, standings
from hub_mcp.advisor.signals import (
    RECOMMENDED_CHANNELS,
    ChannelLine,
    ImageGroup,
    SharedLine,
    channel_lines,
    group_images,
    is_stale,
    newest_push,
    recommended_line,
)
from hub_mcp.answers.views import Benefit as CandidateBenefit
from hub_mcp.answers.views import Candidate, HardenedEquivalent, Rejection, Suggestion, VulnerabilityCounts
from hub_mcp.errors import InvalidInput, NotFound, Upstream
from hub_mcp.hardened.migration import equivalent_for
from hub_mcp.hardened.service import Equivalent, HardenedImages
from hub_mcp.hub import health
from hub_mcp.hub.models import Repository, Tag
from hub_mcp.hub.ordering import TagOrder
from hub_mcp.hub.queries import TagQuery
from hub_mcp.net.cache import LRUCache
from hub_mcp.vocab import lifecycle
from hub_mcp.vocab.common import day, one_line, quoted, utc_today
from hub_mcp.vocab.references import ImageReference, Platform, parse_hub_repository
from hub_mcp.vocab.tags import parse_tag
from hub_mcp.vulnerabilities.severity import shown_counts

if TYPE_CHECKING:
    from hub_mcp.advisor.needs import HubCatalog, RegistryReader, VulnerabilitySource

Progress = Callable[[float, float, str], Awaitable[None]]
PAGES = 3  # newest tag pages (of 100) read per repository
MAX_REJECTIONS = 8
MAX_ALIASES = 6
#: What ``priorities`` may name; 'hardened' puts candidates with a Docker Hardened Image equivalent first.
PRIORITIES = ("small", "secure", "compatible", "hardened")
MAX_ASSESSED = 6  # candidates whose known vulnerabilities are assessed (priority 'secure'), best first
ANONYMOUS_ASSESSED = 3  # the same without a Docker Hub login (its pull limit is 10 an hour)
REJECTION_ORDER = (
    "deprecated_repository",
    "not_found",
    "end_of_life",
    "platform_missing",
    "libc_mismatch",
    "variant_mismatch",
    "stale",
    "prerelease",
    "os_mismatch",
    "version_mismatch",
)


# --- version constraints ------------------------------------------------------------------

_CONSTRAINT = re.compile(r"^(>=|<=|>|<|==|=|~|\^)?\s*v?(\d+(?:\.\d+)*)$")


@dataclass(frozen=True)
class VersionConstraint:
    """``3.12`` (a prefix: any 3.12.x), ``>=3.11``, ``>=3.11,<3.14``, or a channel the maintainers
    tag (``lts``, ``stable``, ``latest``: the line that channel's tag is on); empty = any."""

    text: str = ""
    clauses: tuple[tuple[str, tuple[int, ...]], ...] = ()
    lts: bool = False
    channel: str | None = None

    @classmethod
    def parse(cls, text: str | None) -> VersionConstraint:
        text = (text or "").strip().lower()
        if text in ("", "newest", "*", "any"):
            return cls()
        if text in ("lts", "stable", "latest"):
            return cls(text=text, lts=text == "lts", channel=text)
        clauses = []
        for part in (p.strip() for p in text.split(",")):
            match = _CONSTRAINT.match(part)
            if not match:
                raise InvalidInput(
                    f"version {quoted(text)} is not understood: give a version ('3.12', '21'), a range ('>=3.11,<3.14')"
                    " or a channel: 'lts', 'stable' or 'latest'."
                )
            op = match.group(1) or "prefix"
            clauses.append((op, tuple(int(n) for n in match.group(2).split("."))))
        return cls(text=text, clauses=tuple(clauses))

    @property
    def pinned(self) -> tuple[int, ...] | None:
        """The version the user pinned (a bare or == version), if any."""
        if len(self.clauses) == 1 and self.clauses[0][0] in ("prefix", "==", "="):
            return self.clauses[0][1]
        return None

    def matches(
        self,
        version: tuple[int, ...] | None,
        support: lifecycle.Support | None,
        channel_lines: dict[str, tuple[int, ...]] | None = None,
    ) -> bool:
        if self.channel:
            lines = channel_lines or {}
            # the maintainers' own tag says which line it is; a repository without a 'stable' tag
            # calls its production line 'latest'
            fallbacks = {"lts": ("lts",), "stable": ("stable", "latest"), "latest": ("latest",)}[self.channel]
            line = next((lines[c] for c in fallbacks if c in lines), None)
            if line is not None:
                return version is not None and version[: len(line)] == line
            return bool(self.lts and support and support.lts)
        if not self.clauses:
            return True
        if version is None:
            return False
        return all(_clause(op, version, wanted) for op, wanted in self.clauses)


def _clause(op: str, version: tuple[int, ...], wanted: tuple[int, ...]) -> bool:
    head = version[: len(wanted)]
    if op in ("prefix", "==", "="):
        return head == wanted
    if op in ("~", "^"):
        return head[:1] == wanted[:1] and head >= wanted
    return {">=": head >= wanted, ">": head > wanted, "<=": head <= wanted, "<": head < wanted}[op]


# --- gathered data --------------------------------------------------------------------------


@dataclass
class RepositoryData:
    ref: ImageReference
    info: Repository | None
    trust: str
    tags: list[Tag]
    _channel_lines: dict[int, dict[str, tuple[int, ...]]] = field(default_factory=dict, repr=False)
    #: the channel lines when the registry tags none (MCR): the table's newest supported LTS line
    declared_lines: dict[str, tuple[int, ...]] = field(default_factory=dict)
    truncated: bool = False  # the registry listed more tags than were read

    @cached_property
    def groups(self) -> list[ImageGroup]:
        """The repository's images (tags folded by digest); computed once, reused by every evaluation."""
        # a distribution's own repository (alpine, debian, fedora...) uses that distribution's C
        # library when no tag says: the tag grammar's distro table knows which (vocab.tags)
        return group_images(self.tags, default_libc=parse_tag(self.ref.name).libc)

    @cached_property
    def newest(self) -> datetime | None:
        return newest_push(self.tags)

    @cached_property
    def channel(self) -> ChannelLine | None:
        """The line its maintainers tag ``lts``, ``stable`` or ``latest``, with its variants."""
        return ChannelLine.of(self.groups)

    def channel_lines(self, precision: int) -> dict[str, tuple[int, ...]]:
        """Channel (``lts``, ``stable``, ``latest``...) → the version line its tag is on."""
        if precision not in self._channel_lines:
            self._channel_lines[precision] = channel_lines(self.groups, precision) or dict(self.declared_lines)
        return self._channel_lines[precision]

    @property
    def deprecated(self) -> str | None:
        """What says the repository is deprecated: its description, else its README's notice."""
        said = health.deprecation(self.info.description, self.info.full_description) if self.info else None
        return one_line(said, 200) if said else None

    @property
    def successors(self) -> list[str]:
        """What its deprecation notice names instead, in the notice's order."""
        return health.successors(self.info.full_description if self.info else None, self.ref.repository)

    def unmaintained(self, today: date) -> str | None:
        """Why the repository looks abandoned: no push to any of its tags for over a year."""
        newest = self.newest
        if newest is None or not health.is_unmaintained(newest, today):
            return None
        return (
            f"no push to {self.ref.familiar_name} since {newest.date()} (over a year): unmaintained, no security fixes"
        )


@dataclass
class Pick(Scored):
    """A candidate that passed the hard filters, with what scoring and the answer need."""

    repo: RepositoryData | None = None
    spec: ImageFamily | None = None
    support: lifecycle.Support | None = None
    missing: list[str] = field(default_factory=list)  # what the program needs and the image lacks
    score_factor: float = 1.0  # below 1 for what runs, but should not lead (a development line asked for)
    vulnerabilities: VulnerabilityFacts | None = None  # priority 'secure': what is known, None when not assessed


#: What to do when a runtime-stage image lacks something the program needs.
MISSING = {
    "ca-certificates": "no CA certificates: TLS connections from your program fail; copy them from the build"
    " stage (COPY --from=build /etc/ssl/certs/ca-certificates.crt /etc/ssl/certs/) or install ca-certificates",
}


@dataclass
class Evaluation:
    candidates: list[Pick] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)
    pinned_eol: list[Pick] = field(default_factory=list)
    os_matches: int = 0  # images for the requested OS
    version_matches: int = 0  # images of the right OS whose version matched the request
    stale_fallback: list[Pick] = field(default_factory=list)  # stale images of a pinned version
    repositories: int = 0  # repositories evaluated (not rejected as a whole)
    unsettled: bool = False  # an assessment failed for now (OSV or the registry down): the answer is not kept


# --- judgement: the hard filters, in order ----------------------------------------------------------


@dataclass(frozen=True)
class Ask:
    """One repository weighed against one request: what every filter reads."""

    repo: RepositoryData
    spec: ImageFamily
    request: SuggestRequest
    constraint: VersionConstraint
    platforms: list[Platform]
    today: date
    table: str | None  # the lifecycle table's runtime, when there is one
    precision: int  # the version precision of the tag written in FROM
    needs: frozenset[str] = frozenset()  # what the program run on it needs (a compiled language's runtime stage)
    embedded: bool = False  # a build tool's image: the version asked is the runtime's, spelled in its tags


@dataclass
class Image:
    """One image (tags sharing a digest) under the filters; each fact is computed once, when first read."""

    ask: Ask
    group: ImageGroup

    @cached_property
    def reference(self) -> str:
        return self.ask.repo.ref.with_tag(choose_tag(self.group, self.ask.precision)).familiar

    @cached_property
    def support(self) -> lifecycle.Support | None:
        ask, version = self.ask, self.group.version
        support_version = version[: ask.spec.support_precision] if version and ask.spec.support_precision else version
        if not (ask.table and support_version):
            return None
        return lifecycle.support_for(ask.table, support_version, repository=ask.repo.ref.repository)

    @cached_property
    def eol(self) -> bool:
        return health.has_ended(self.support, self.ask.today)

    @cached_property
    def pinned_here(self) -> bool:
        return _pins_series(self.group, self.ask.constraint.pinned)

    @cached_property
    def distro(self) -> lifecycle.Support | None:
        return lifecycle.distro_support(self.group.distro) if self.group.distro else None

    @cached_property
    def distro_eol(self) -> bool:
        return health.has_ended(self.distro, self.ask.today)

    @cached_property
    def stale(self) -> bool:
        return is_stale(self.group, self.ask.repo.newest)


@dataclass(frozen=True)
class Refusal:
    """Why a filter drops an image: listed among the rejections under ``reason``, or, without a
    reason, dropped without a word (an image for another OS, one with nothing to pin)."""

    reason: str | None = None
    detail: str = ""


DROP = Refusal()


def other_os(image: Image) -> Refusal | None:
    """A Linux image for a Windows request, or a Windows one for a Linux request: not worth listing one by one."""
    os_name, group = image.ask.request.os, image.group
    if os_name == "windows" and not group.windows:
        return DROP
    if os_name == "linux" and not any(p.os == "linux" for p in group.platforms):
        return DROP
    return None


def version_mismatch(image: Image) -> Refusal | None:
    ask, group = image.ask, image.group
    if ask.embedded:  # maven:3.9-eclipse-temurin-21 carries java 21: the version asked is that one
        if not ask.constraint.clauses or any(ask.constraint.matches(v, None) for v in embedded_versions(group)):
            return None
        return Refusal("version_mismatch", f"its tags name no {ask.constraint.text} runtime")
    if ask.constraint.matches(group.version, image.support, ask.repo.channel_lines(ask.spec.precision)):
        return None
    return Refusal("version_mismatch", f"version {group.version_text or 'unknown'} does not match {quoted(ask.constraint.text)}")


def prerelease(image: Image) -> Refusal | None:
    """A pre-release, unless a pre-release version was asked for."""
    ask, group = image.ask, image.group
    if group.is_prerelease and not (image.pinned_here or (ask.constraint.pinned and _asked_prerelease(ask.request.version))):
        return Refusal("prerelease", f"{group.version_text} is a pre-release")
    return None


def development_line(image: Image) -> Refusal | None:
    """An image a tag or alias marks as not for production (``edge``, ``3.5-dev``, ``busybox:1.38``
    also tagged ``unstable``), unless the user pinned that very line."""
    word = image.group.non_production
    if word and not image.pinned_here:
        return Refusal("prerelease", health.development_clause(word))
    return None


def platform_missing(image: Image) -> Refusal | None:
    group = image.group
    missing = [str(p) for p in image.ask.platforms if group.image_for(p) is None]
    if not missing:
        return None
    has = ", ".join(sorted(str(p) for p in group.platforms))
    return Refusal("platform_missing", f"no image for {', '.join(missing)}; it has {has}")


def libc_mismatch(image: Image) -> Refusal | None:
    """The libc asked for (or glibc for the 'compatible' priority). musl images always say so
    (alpine); an image that names no distro is taken as glibc."""
    request, group = image.ask.request, image.group
    wanted_libc = request.libc or ("glibc" if "compatible" in request.priorities else None)
    if request.libc and group.libc is None:
        return Refusal("libc_mismatch", f"its tags do not say which C library it uses; {request.libc} was asked for")
    if wanted_libc and group.libc != wanted_libc and (group.libc or wanted_libc == "musl"):
        why = "was asked for" if request.libc else "suits the 'compatible' priority (native dependencies)"
        libc = group.libc or "glibc (its tags name no musl distro)"
        return Refusal("libc_mismatch", f"uses {libc}; {wanted_libc} {why}")
    return None


def variant_mismatch(image: Image) -> Refusal | None:
    variant, group = image.ask.request.variant, image.group
    if variant and variant not in group.variants and variant not in _tokens(group):
        return Refusal("variant_mismatch", f"not a {variant} image")
    return None


def distro_mismatch(image: Image) -> Refusal | None:
    distro, group = image.ask.request.distro, image.group
    if distro and not _distro_matches(group, distro):
        return Refusal("variant_mismatch", f"distro {group.distro or 'unknown'}, not {distro}")
    return None


def nothing_to_pin(image: Image) -> Refusal | None:
    """Versionless tags that share no digest with a versioned one, where versions matter."""
    return DROP if image.group.version is None and image.ask.table else None


def line_end_of_life(image: Image) -> Refusal | None:
    """The runtime's line is past its end of life, and not the line the user pinned."""
    support = image.support
    if image.eol and not image.pinned_here and support is not None:
        return Refusal("end_of_life", support.end_of_life_clause(f"{image.ask.spec.name} {support.version}"))
    return None


def distro_end_of_life(image: Image) -> Refusal | None:
    """The image's distro is past its end of life (kept, with a warning, on a pinned end-of-life line)."""
    distro = image.distro
    if image.distro_eol and not (image.eol and image.pinned_here) and distro is not None:
        return Refusal("end_of_life", distro.end_of_life_clause(f"its distro {image.group.distro}"))
    return None


@dataclass(frozen=True)
class ImageFilter:
    """One hard filter; ``tally`` names the :class:`Evaluation` counter every image it lets through adds to."""

    check: Callable[[Image], Refusal | None]
    tally: Literal["os_matches", "version_matches"] | None = None


#: The hard filters, in the order they are applied: the first to refuse an image decides why it is left out.
IMAGE_FILTERS: tuple[ImageFilter, ...] = (
    ImageFilter(other_os, tally="os_matches"),
    ImageFilter(version_mismatch, tally="version_matches"),
    ImageFilter(prerelease),
    ImageFilter(development_line),
    ImageFilter(platform_missing),
    ImageFilter(libc_mismatch),
    ImageFilter(variant_mismatch),
    ImageFilter(distro_mismatch),
    ImageFilter(nothing_to_pin),
    ImageFilter(line_end_of_life),
    ImageFilter(distro_end_of_life),
)


def place(image: Image, out: Evaluation) -> None:
    """An image every filter let through: a candidate (a pinned end-of-life line too, with its
    warnings, and noted as one); or a stale build, rejected (and kept aside when a version was
    pinned, in case nothing maintained matches)."""
    ask, group, support = image.ask, image.group, image.support
    item = Pick(group=group, reference=image.reference, repo=ask.repo, spec=ask.spec, support=support)
    tokens = _tokens(group)
    item.warnings += [text for token, text in ask.spec.variant_notes.items() if token in tokens]
    development = group.non_production
    if development:  # only here when its very line was asked for: say what it is, rank it below releases
        item.warnings.append(health.development_clause(development))
        item.score_factor = 0.8
    item.missing = sorted(ask.needs - ask.spec.ships)
    item.warnings += [MISSING[need] for need in item.missing if need in MISSING]
    no_rebuilds = f"last pushed {day(group.last_pushed)}: this tag no longer gets rebuilds"
    if image.eol and support is not None:  # the user pinned an end-of-life line: keep it, say so
        item.warnings.append(support.end_of_life_clause(f"{ask.spec.name} {support.version}") + " (no more security fixes)")
        if image.distro_eol and image.distro is not None:
            item.warnings.append(image.distro.end_of_life_clause(f"its distro {group.distro}"))
        if image.stale:
            item.warnings.append(no_rebuilds)
        out.pinned_eol.append(item)
        out.candidates.append(item)
    elif image.stale:
        # An abandoned variant (alpine3.22 after alpine3.23 arrived, an old patch build): never
        # suggested while a maintained image matches; kept aside in case nothing else does.
        detail = (
            f"last pushed {day(group.last_pushed)} while {ask.repo.ref.familiar_name} was pushed on"
            f" {day(ask.repo.newest)}: no longer rebuilt"
        )
        out.rejected.append(Rejection(reference=image.reference, reason="stale", detail=detail))
        if image.pinned_here or ask.constraint.pinned:
            item.warnings.append(no_rebuilds)
            out.stale_fallback.append(item)
    else:
        out.candidates.append(item)


def judge(image: Image, out: Evaluation) -> None:
    """Apply :data:`IMAGE_FILTERS` in order, then :func:`place` what passes them all."""
    for image_filter in IMAGE_FILTERS:
        refusal = image_filter.check(image)
        if refusal is not None:
            if refusal.reason is not None:
                out.rejected.append(Rejection(reference=image.reference, reason=refusal.reason, detail=refusal.detail))
            return
        if image_filter.tally is not None:
            setattr(out, image_filter.tally, getattr(out, image_filter.tally) + 1)
    place(image, out)


class Advisor:
    """Suggests base images from live Docker Hub data; cached answers for ``cache_ttl`` seconds."""

    def __init__(
        self,
        client: HubCatalog,
        *,
        registry: RegistryReader | None = None,
        vulnerabilities: VulnerabilitySource | None = None,
        assess_within: float = 30.0,
        assess_limit: int = MAX_ASSESSED,
        hardened: HardenedImages | None = None,
        today: Callable[[], date] | None = None,
        cache_ttl: float = 300.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.registry = registry
        self.vulnerabilities = vulnerabilities
        #: seconds the vulnerability assessment may take in all; what has not answered by then is unknown
        self.assess_within = assess_within
        #: candidates assessed at most (fewer for an anonymous Docker Hub, whose pull limit is small)
        self.assess_limit = max(1, min(assess_limit, MAX_ASSESSED))
        self._today = today or utc_today
        #: the Docker Hardened Image equivalents of candidates (from the bundled table when nothing can check them)
        self.hardened = hardened or HardenedImages(today=self._today)
        self._answers: LRUCache[tuple[SuggestRequest, date], Suggestion] = LRUCache(256, ttl=cache_ttl, clock=clock)
        self._repositories: LRUCache[tuple[str, str], RepositoryData] = LRUCache(64, ttl=cache_ttl, clock=clock)

    def today(self) -> date:
        return self._today()

    # --- entry point ------------------------------------------------------------------------

    async def suggest(self, request: SuggestRequest, progress: Progress | None = None) -> Suggestion:
        request = self._normalize(request)
        today = self._today()
        cached = self._answers.get((request, today))
        if cached is not None:
            return cached
        report = progress or _no_progress
        steps = 4 if self._assesses(request) else 3  # one more: the known vulnerabilities
        await report(0, steps, "resolving the request")
        spec, repositories, notes, rejected = await self._resolve(request)
        constraint = VersionConstraint.parse(request.version)
        if spec.registry and constraint.pinned and len(constraint.pinned) < spec.precision:
            # .NET lines are written N.0 in every tag: version "8" means the 8.0 line
            padded = (constraint.pinned + (0,) * spec.precision)[: spec.precision]
            constraint = VersionConstraint.parse(".".join(str(n) for n in padded))
        platforms = [Platform.parse(p, default_os=request.os) for p in request.platforms]

        await report(1, steps, f"reading tags of {', '.join(r.familiar_name for r in repositories)}")
        hint = _name_hint(constraint)
        if spec.registry:
            gathered = await self._from_registry(spec, repositories, request, constraint, platforms[0], today, rejected)
        else:
            gathered = await asyncio.gather(
                *(
                    # the version asked is the runtime's: no use filtering a runtime-stage OS image's tags by it
                    self._repository(ref, None if ref.repository in spec.runtime_stage_repositories else hint)
                    for ref in repositories
                )
            )
        data = [d for d in gathered if d is not None]
        embedded = False
        if request.tools and request.purpose != "runtime" and not spec.registry:
            family = spec
            tooled = await self._with_tools(spec, request, notes)
            if tooled is not None:
                spec, repositories, gathered = tooled
                data, embedded = [d for d in gathered if d is not None], True
                if not constraint.text and family.lifecycle:
                    constraint = _runtime_line(family, data, today, notes) or constraint
        source = spec.registry or "Docker Hub"
        for ref, found in zip(repositories, gathered, strict=True):
            if found is None:
                rejected.append(Rejection(reference=ref.familiar_name, reason="not_found", detail=f"{ref.familiar_name} does not exist on {source}."))

        await report(2, steps, "checking platforms, versions, support and freshness")
        evaluation = Evaluation()
        for repo in data:
            # A deprecated repository is never suggested, whatever its tags (its maintainers say so);
            # without end-of-life rows (a community image) an abandoned one is not either.
            untracked = not spec.lifecycle and lifecycle.runtime_name_for_repository(repo.ref.repository) is None
            if repo.deprecated:
                rejected.append(
                    Rejection(
                        reference=repo.ref.familiar_name,
                        reason="deprecated_repository",
                        detail=repo.deprecated[:200],
                        successors=repo.successors or None,
                    )
                )
                continue
            abandoned = repo.unmaintained(today) if untracked else None
            if abandoned:
                rejected.append(Rejection(reference=repo.ref.familiar_name, reason="stale", detail=abandoned))
                continue
            evaluation.repositories += 1
            self._evaluate(repo, spec, request, constraint, platforms, today, evaluation, embedded=embedded)
        suggestion = await self._answer(
            request, spec, constraint, platforms, today, evaluation, rejected, notes, data, report
        )
        await report(steps, steps, "done")
        if not evaluation.unsettled:
            self._answers.put((request, today), suggestion)
        return suggestion

    def _assesses(self, request: SuggestRequest) -> bool:
        return self.vulnerabilities is not None and "secure" in request.priorities

    # --- request --------------------------------------------------------------------------------

    @staticmethod
    def _normalize(request: SuggestRequest) -> SuggestRequest:
        if not request.runtime and not request.image:
            raise InvalidInput(
                f"Say what the image is for: runtime (one of {', '.join(known_runtimes())}) or image (a repository)."
            )
        if not 1 <= request.limit <= 10:
            raise InvalidInput("limit must be between 1 and 10.")
        platforms = request.platforms or (("windows/amd64",) if request.os == "windows" else ("linux/amd64",))
        if request.os == "windows" and platforms == ("linux/amd64",):
            platforms = ("windows/amd64",)
        parsed = [Platform.parse(p, default_os=request.os) for p in platforms]
        wrong = [str(p) for p in parsed if p.os != request.os]
        if wrong:
            raise InvalidInput(f"os is {quoted(request.os)} but platforms name {', '.join(wrong)}; make them agree.")
        unknown = set(request.priorities) - set(PRIORITIES)
        if unknown:
            raise InvalidInput(f"Unknown priorities {sorted(unknown)}: use small, secure, compatible or hardened.")
        libc = (request.libc or "").lower() or None
        if libc not in (None, "glibc", "musl"):
            raise InvalidInput("libc is 'glibc' or 'musl'.")
        tools = tuple(dict.fromkeys(t.strip().lower() for t in request.tools if t.strip()))
        if any(not _TOOL_NAME.match(t) for t in tools) or len(tools) > 3:
            raise InvalidInput("tools are up to 3 build tool names as Docker Hub names them, e.g. ['maven'] or ['gradle'].")
        return replace(
            request,
            platforms=tuple(dict.fromkeys(str(p) for p in parsed)),
            priorities=tuple(sorted(set(request.priorities))),
            libc=libc,
            distro=(request.distro or "").strip().lower() or None,
            variant=(request.variant or "").strip().lower() or None,
            runtime=(request.runtime or "").strip().lower() or None,
            tools=tools,
        )

    async def _resolve(
        self, request: SuggestRequest
    ) -> tuple[ImageFamily, list[ImageReference], list[str], list[Rejection]]:
        notes: list[str] = []
        rejected: list[Rejection] = []
        spec: ImageFamily | None = None
        if request.image and not ImageReference.parse(request.image).is_docker_hub:
            ref = ImageReference.parse(request.image)
            spec = family_for_repository(ref.repository, ref.registry)
            if spec is None:
                raise InvalidInput(
                    f"suggest_base_images ranks Docker Hub repositories (and .NET on mcr.microsoft.com), not"
                    f" {ref.familiar_name}. Use list_tags and get_tag for that registry's tags, or ask with a runtime."
                )
            spec = replace(spec, repositories=(ref.repository,), build_repositories=())
        elif request.image:
            ref = parse_hub_repository(request.image)
            spec = family_for_repository(ref.repository)
            if spec and ref.repository in spec.deprecated_repositories:
                rejected.append(
                    Rejection(
                        reference=ref.familiar_name,
                        reason="deprecated_repository",
                        detail=spec.deprecated_repositories[ref.repository],
                    )
                )
                notes.append(f"{ref.familiar_name} is deprecated; suggesting {spec.name} images instead.")
            elif spec is None or ref.repository not in spec.repositories:
                table = lifecycle.runtime_name_for_repository(ref.repository)
                spec = ImageFamily(ref.name, (ref.repository,), table, precision=spec.precision if spec else 2)
            else:
                spec = replace(spec, repositories=(ref.repository,))
        else:
            assert request.runtime
            spec = find_runtime(request.runtime)
            if spec is None:
                spec = await self._search_fallback(request.runtime, notes)
        repositories = spec.repositories_for(request.purpose)
        if request.purpose == "runtime" and spec.runtime_stage_repositories and not request.image:
            repositories = spec.runtime_stage_repositories
            notes.append(spec.note or "")
        if spec.registry:
            notes.append(spec.note or "")
            if self.registry is None:
                raise InvalidInput(_registry_missing(spec, self._today()))
            refs = [ImageReference.parse(spec.reference_name(r)) for r in repositories]
        else:
            refs = [parse_hub_repository(r) for r in repositories]
        return spec, refs, [n for n in notes if n], rejected

    async def _with_tools(
        self, spec: ImageFamily, request: SuggestRequest, notes: list[str]
    ) -> tuple[ImageFamily, list[ImageReference], list[RepositoryData | None]] | None:
        """A build stage that runs a build tool: the official images of that tool (maven, gradle),
        which carry the runtime on lines their tags name (``maven:3.9-eclipse-temurin-21``). A tool
        without a maintained official image is named in the notes and the runtime's images stay."""
        refs = [parse_hub_repository(tool) for tool in dict.fromkeys(request.tools)]
        found = await asyncio.gather(*(self._repository(ref, None) for ref in refs))
        kept: list[tuple[ImageReference, RepositoryData]] = []
        for ref, data in zip(refs, found, strict=True):
            if data is None or data.deprecated or not ref.is_official:
                notes.append(
                    f"No maintained official image carries {ref.name}: install it in the {spec.name} build stage"
                    f" (these are {spec.name} images)."
                )
            else:
                kept.append((ref, data))
        if not kept:
            return None
        names = ", ".join(ref.name for ref, _ in kept)
        notes.append(
            f"{names} images carry {spec.name}: their versions are the tool's, the {spec.name} version is in the tag"
            " (e.g. -eclipse-temurin-21, -jdk21); the version asked picks that."
        )
        tool_spec = replace(
            spec,
            name=names,
            repositories=tuple(ref.repository for ref, _ in kept),
            build_repositories=(),
            runtime_stage_repositories=(),
            deprecated_repositories={},
            lifecycle=None,
            precision=2,
            note=None,
        )
        return tool_spec, [ref for ref, _ in kept], [data for _, data in kept]

    async def _search_fallback(self, word: str, notes: list[str]) -> ImageFamily:
        found = await self.client.search(word, size=10)
        ranked = sorted(
            found.results,
            key=lambda r: (
                r.name.removeprefix("library/") != word,
                r.badge not in ("official", "verified_publisher", "hardened"),
            ),
        )
        if not ranked:
            raise InvalidInput(
                f"{quoted(word)} is not a runtime I know ({', '.join(known_runtimes())}) and Docker Hub search finds"
                " nothing for it. Name the repository with image=..."
            )
        pick = ranked[0]
        name = pick.name if "/" in pick.name else f"library/{pick.name}"
        notes.append(
            f"{quoted(word)} is not a runtime I know ({', '.join(known_runtimes())}); used Docker Hub search's best match,"
            f" {pick.name.removeprefix('library/')} ({pick.badge or 'community'})."
        )
        return ImageFamily(word, (name,), lifecycle.runtime_name_for_repository(name))

    # --- data -------------------------------------------------------------------------------------

    async def _repository(self, ref: ImageReference, hint: str | None) -> RepositoryData | None:
        key = (ref.repository, hint or "")
        cached = self._repositories.get(key)
        if cached is not None:
            return cached
        calls: list[Awaitable[Any]] = [self.client.get_repository(ref.namespace, ref.name)]
        calls += [
            self.client.list_tags(TagQuery(ref.namespace, ref.name, page=page, page_size=100, order=TagOrder.NEWEST))
            for page in range(1, PAGES + 1)
        ]
        if hint:
            calls.append(
                self.client.list_tags(
                    TagQuery(ref.namespace, ref.name, page_size=100, name_filter=hint, order=TagOrder.NEWEST)
                )
            )
        if not ref.is_official:
            calls.append(self.client.search(ref.name, size=25))
        results = await asyncio.gather(*calls, return_exceptions=True)
        info, *rest = results
        if isinstance(info, NotFound):
            return None
        if isinstance(info, BaseException):
            raise info
        pages = rest[: PAGES + (1 if hint else 0)]
        tags: dict[str, Tag] = {}
        for page in pages:
            if isinstance(page, NotFound):
                continue  # past the last page
            if isinstance(page, BaseException):
                raise page
            tags.update({t.name: t for t in page.results})
        trust = "official" if ref.is_official else "community"
        if not ref.is_official and not isinstance(rest[-1], BaseException):
            for hit in rest[-1].results:
                if hit.name.removeprefix("library/") == ref.familiar_name and hit.badge not in (None, "", "none"):
                    trust = hit.badge
        if len(tags) >= PAGES * 100 and not any(channel in tags for channel in RECOMMENDED_CHANNELS):
            await self._channel_tags(ref, tags)
        data = RepositoryData(ref=ref, info=info, trust=trust, tags=list(tags.values()))
        self._repositories.put(key, data)
        return data

    async def _channel_tags(self, ref: ImageReference, tags: dict[str, Tag]) -> None:
        """A repository with more tags than the newest pages hold (php, tomee) may have pushed its
        channel tags (``lts``, ``stable``, ``latest``) earlier than the rest: find them by name, then
        the variants of their line by its version (two more round trips, only for such repositories)."""

        async def named(text: str) -> list[Tag]:
            query = TagQuery(ref.namespace, ref.name, page_size=100, name_filter=text, order=TagOrder.NEWEST)
            try:
                return list((await self.client.list_tags(query)).results)
            except NotFound:
                return []

        found = await asyncio.gather(*(named(channel) for channel in RECOMMENDED_CHANNELS))
        channel_tags = {t.name: t for page in found for t in page}
        tags.update(channel_tags)
        lines: set[str] = set()
        for channel in RECOMMENDED_CHANNELS:
            tag = channel_tags.get(channel)
            if tag is None or not tag.digest:
                continue
            same = [parse_tag(t.name) for t in tags.values() if t.digest == tag.digest]
            versions = [p for p in same if p.is_versioned and not p.is_dated and not p.suffix and not p.channel]
            if versions:  # the line's moving version (8.5 beside 8.5.1): every variant of the line carries it
                lines.add(min(versions, key=lambda p: (p.precision < 2, p.precision)).raw)
        for page in await asyncio.gather(*(named(line) for line in sorted(lines))):
            tags.update({t.name: t for t in page})

    async def _from_registry(
        self,
        spec: ImageFamily,
        repositories: list[ImageReference],
        request: SuggestRequest,
        constraint: VersionConstraint,
        size_platform: Platform,
        today: date,
        rejected: list[Rejection],
    ) -> list[RepositoryData | None]:
        """Repositories on a registry that lists tag names only (MCR): the floating tags of the lines
        worth suggesting, read one manifest each. Lines past end of life are not read (unless the
        version asked is one): they are listed as rejected from the table alone."""
        assert self.registry is not None and spec.registry
        registry = self.registry

        async def one(ref: ImageReference) -> RepositoryData | None:
            key = (ref.familiar_name, f"{constraint.text}|{request.os}|{size_platform}")
            cached = self._repositories.get(key)
            if cached is not None:
                return cached
            try:
                listed = await registry.list_tags(ref)
            except NotFound:
                return None
            pinned_major = constraint.pinned[0] if constraint.pinned else None
            majors: set[int] = set()
            ended: dict[int, lifecycle.Support] = {}
            for name in floating_tags(listed.tags, precision=spec.precision, majors=None, os=request.os):
                version = parse_tag(name).version
                assert version is not None  # floating_tags gives versioned tags only
                major = version[0]
                support = lifecycle.support_for(spec.lifecycle, (major,)) if spec.lifecycle else None
                if support is not None and health.has_ended(support, today) and major != pinned_major:
                    ended[major] = support
                else:
                    majors.add(major)
            for major, support in sorted(ended.items(), reverse=True):
                rejected.append(
                    Rejection(
                        reference=ref.with_tag(f"{major}.0").familiar,
                        reason="end_of_life",
                        detail=support.end_of_life_clause(f"{spec.name} {support.version}"),
                    )
                )
            names = floating_tags(listed.tags, precision=spec.precision, majors=majors, os=request.os)
            tags = await read_tags(registry, ref, names, size_platform)
            declared: dict[str, tuple[int, ...]] = {}
            lts = next((line for line in lifecycle.supported_lines(spec.lifecycle, today) if line.lts), None) if spec.lifecycle else None
            if lts is not None:
                declared["lts"] = lts.numbers
            data = RepositoryData(
                ref=ref,
                info=None,
                trust="verified_publisher",
                tags=tags,
                declared_lines=declared,
                truncated=listed.truncated,
            )
            self._repositories.put(key, data)
            return data

        try:
            return list(await asyncio.gather(*(one(ref) for ref in repositories)))
        except Upstream as exc:
            raise Upstream(f"{str(exc).rstrip('.')}. {_registry_missing(spec, today)}") from exc

    # --- filters ------------------------------------------------------------------------------------

    def _evaluate(
        self,
        repo: RepositoryData,
        spec: ImageFamily,
        request: SuggestRequest,
        constraint: VersionConstraint,
        platforms: list[Platform],
        today: date,
        out: Evaluation,
        *,
        embedded: bool = False,
    ) -> None:
        needs: frozenset[str] = frozenset()
        if repo.ref.repository in spec.runtime_stage_repositories:
            # the runtime stage of a compiled language: the version asked is the compiler's, not this OS's
            needs = spec.stage_needs
            stage_spec = family_for_repository(repo.ref.repository)
            spec = stage_spec or ImageFamily(repo.ref.name, (repo.ref.repository,))
            constraint = VersionConstraint()
        table = spec.lifecycle or lifecycle.runtime_name_for_repository(repo.ref.repository)
        precision = len(constraint.pinned) if constraint.pinned else spec.precision
        if embedded:
            table, precision = None, spec.precision
        ask = Ask(repo, spec, request, constraint, platforms, today, table, precision, needs, embedded)
        for group in repo.groups:
            judge(Image(ask, group), out)

    # --- answer ---------------------------------------------------------------------------------------

    def _score_all(
        self,
        items: list[Pick],
        request: SuggestRequest,
        platforms: list[Platform],
        today: date,
        standing: dict[str, Standing] | None = None,
    ) -> None:
        """Score items against each other (sizes and newest version are relative), best first; with
        ``standing`` (by reference: the assessed candidates' known vulnerabilities), that signal too."""
        size_platform = platforms[0]
        sizes = {}
        for item in items:
            image = item.group.image_for(size_platform)
            if image and image.size:
                sizes[item.group.key] = image.size
        versions = [i.group.version for i in items if i.group.version]
        newest_version = max(versions) if versions else None
        newest_distro: dict[str | None, float] = {}  # per distro family: alpine 3.24 is not compared with trixie
        for i in items:
            family = i.group.distro_family
            newest_distro[family] = max(newest_distro.get(family, 0.0), i.group.distro_rank())
        any_version = not VersionConstraint.parse(request.version).text
        shared = self._shared_line(items) if any_version else None
        for item in items:
            assert item.repo is not None and item.spec is not None
            repo, support = item.repo, item.support
            # no version asked: the line the maintainers tag for production is the yardstick, not the newest
            recommended = recommended_line(repo.channel_lines(item.spec.precision)) if any_version else None
            declared = recommended is not None and not channel_lines(repo.groups, item.spec.precision)
            ctx = ScoringContext(
                spec=item.spec,
                purpose=request.purpose,
                priorities=frozenset(request.priorities),
                size_platform=str(size_platform),
                sizes=sizes,
                newest_version=newest_version,
                newest_distro_rank=newest_distro.get(item.group.distro_family, 0.0),
                trust=repo.trust,
                pulls=repo.info.pull_count if repo.info else None,
                today=today,
                recommended=recommended,
                recommended_by="the bundled lifecycle table" if declared else None,
                channel=(shared or repo.channel) if any_version else None,
                assessed=standing is not None,
                standing=standing.get(item.reference) if standing else None,
            )
            score(item, ctx, support.eol if support else None)
            self._narrower(item, request)
            if support and health.ends_soon(support, today):
                warning = f"upstream support ends {support.eol}: plan the upgrade"
                if warning not in item.warnings:
                    item.warnings.append(warning)
        # no version asked: the maintainers' channel line and its variants first, then the rest
        order = {repository: index for index, repository in enumerate(items[0].spec.repositories)} if items and items[0].spec else {}
        items.sort(
            key=lambda i: (not i.on_channel, -i.score, order.get(i.repo.ref.repository if i.repo else "", 99), i.reference)
        )

    @staticmethod
    def _shared_line(items: list[Pick]) -> SharedLine | None:
        """For a runtime's several vendor repositories (not a compiled language's OS images, which
        are not versions of the runtime), one line: the newest of their channel lines."""
        repos = {item.repo.ref.repository: item.repo for item in items if item.repo is not None}
        spec = next((item.spec for item in items if item.spec is not None), None)
        if len(repos) < 2 or spec is None or any(r in spec.runtime_stage_repositories for r in repos):
            return None
        return SharedLine.of((repo.channel for repo in repos.values() if repo.channel), spec.precision)

    @staticmethod
    def _narrower(item: Pick, request: SuggestRequest) -> None:
        """Rank an image that runs less below its fuller sibling, and say why: one without a shell or
        package manager (unless 'small' or 'secure' was asked), one from a narrower repository."""
        spec, repo = item.spec, item.repo
        assert spec is not None and repo is not None
        restricted = sorted(_tokens(item.group) & spec.restricted_variants)
        if restricted and not {"small", "secure"} & set(request.priorities):
            item.score = round(item.score * 0.9, 2)
            _warn(
                item,
                f"{restricted[0]}: no shell or package manager, ranked below the full image"
                " (ask with priorities small or secure to prefer it)",
            )
        if item.missing:  # runs the program only after a fix: below the images that run it as they are
            item.score = round(item.score * 0.85, 2)
        if item.score_factor != 1.0:
            item.score = round(item.score * item.score_factor, 2)
        narrow = spec.narrow_repositories.get(repo.ref.repository)
        if narrow:
            item.score = round(item.score * 0.9, 2)
            if narrow not in item.warnings:
                item.warnings.append(narrow)

    async def _answer(
        self,
        request: SuggestRequest,
        spec: ImageFamily,
        constraint: VersionConstraint,
        platforms: list[Platform],
        today: date,
        evaluation: Evaluation,
        rejected: list[Rejection],
        notes: list[str],
        data: list[RepositoryData],
        report: Progress | None = None,
    ) -> Suggestion:
        notes = list(notes)
        source = spec.registry or "Docker Hub"
        items = evaluation.candidates
        if not items and evaluation.stale_fallback:
            items = evaluation.stale_fallback
            notes.append(
                f"Only builds that are no longer rebuilt match version {quoted(constraint.text)}: they get no security"
                " fixes. Prefer a maintained version if you can."
            )
        ended = {id(item) for item in evaluation.pinned_eol}
        if ended and any(id(item) not in ended for item in items):
            # another vendor still supports the pinned line (java 17: temurin does, one vendor's
            # build ended): suggest the supported builds and list the ended ones as rejected
            for item in evaluation.pinned_eol:
                support = item.support
                detail = support.end_of_life_clause(f"{spec.name} {support.version}") if support else "end of life"
                evaluation.rejected.append(Rejection(reference=item.reference, reason="end_of_life", detail=detail))
            items = [item for item in items if id(item) not in ended]
            evaluation.pinned_eol = []
        if any(item.group.non_production for item in items) and any(not item.group.non_production for item in items):
            # the line asked for has releases: its release candidates and development builds stay out
            for item in items:
                if item.group.non_production:
                    evaluation.rejected.append(
                        Rejection(
                            reference=item.reference,
                            reason="prerelease",
                            detail=health.development_clause(item.group.non_production),
                        )
                    )
            items = [item for item in items if not item.group.non_production]
        self._score_all(items, request, platforms, today)
        if self._assesses(request) and items:
            items = await self._secure(items, request, platforms, today, evaluation, notes, report)
        needs_upgrade = bool(evaluation.pinned_eol) or not items
        upgrade_text, upgrade_pick = (
            self._upgrade(spec, today, data, request, platforms) if needs_upgrade else (None, None)
        )
        stage = hardened_stage(request.purpose)
        if "hardened" in request.priorities:  # stable: the usual order among each half (the table says which have one)
            items = sorted(items, key=lambda item: equivalent_for(item.reference, None, stage, today=today) is None)
        chosen = items[: request.limit]
        if evaluation.pinned_eol:
            for item in evaluation.pinned_eol:
                if upgrade_text:
                    item.warnings.append(f"upgrade path: {upgrade_text}")
            if upgrade_pick is not None:  # the way out, right after the pinned line
                upgrade_pick.benefits.insert(0, Benefit(f"upgrade path: {spec.name} {constraint.text} is past end of life"))
                chosen = [*chosen[:1], upgrade_pick, *chosen[1:]][: request.limit]
        equivalents = await self.hardened.equivalents((item.reference, stage) for item in chosen)
        if "hardened" in request.priorities:  # a live check may have found none for one: those with one stay first
            chosen = sorted(chosen, key=lambda item: equivalents.get(item.reference, stage) is None)
        size_platform = platforms[0]
        candidates = [
            self._candidate(rank, item, size_platform, equivalents.get(item.reference, stage))
            for rank, item in enumerate(chosen, start=1)
        ]
        if not equivalents.changes() and "hardened" in request.priorities:
            notes.append(f"No candidate has a Docker Hardened Image equivalent ({equivalents.source}).")
        notes.extend(equivalents.notes(first="hardened candidates first; " if "hardened" in request.priorities else ""))

        rejected = rejected + evaluation.rejected
        if not candidates and data and evaluation.repositories and evaluation.os_matches == 0:
            names = ", ".join(r.ref.familiar_name for r in data)
            rejected.insert(
                0, Rejection(reference=names, reason="os_mismatch", detail=f"{names} has no {request.os} images on {source}")
            )
        elif not candidates and (constraint.clauses or constraint.lts) and evaluation.version_matches == 0:
            detail = f"no {spec.name} image on {source} matches version {quoted(constraint.text)}"
            if upgrade_text:
                detail += f"; the newest supported is {upgrade_text}"
            rejected.insert(0, Rejection(reference=f"{spec.name} {constraint.text}", reason="not_found", detail=detail))
        listed, omitted = _most_telling(rejected, bool(candidates))
        asked = ", ".join(str(p) for p in platforms)
        if spec.registry:
            notes.append(
                f"Verified: every candidate's manifest was read from {spec.registry} during this request, with an image"
                f" for {asked}. Trust 'verified_publisher' stands for {spec.publisher or 'the publisher'}'s own"
                f" registry; {spec.registry} gives no push dates or pull counts, so last_pushed is empty and"
                " staleness is not judged."
            )
            if any(r.truncated for r in data):
                notes.append(f"{spec.registry} listed more tags than hub-mcp reads; the newest lines may be missing.")
        else:
            notes.append(f"Verified: every candidate was in Docker Hub's tag list during this request, with an image for {asked}.")
        info = lifecycle.table_info()
        notes.append(f"End-of-life dates: bundled table taken {info.get('taken')} ({', '.join(info.get('sources', []))}).")
        development = chosen[0].group.non_production if chosen else None
        message = self._message(spec, request, constraint, candidates, listed, development)
        assessed = sum(1 for candidate in candidates if candidate.vulnerabilities is not None)
        if self._assesses(request) and candidates and assessed < len(candidates):
            # the order by known vulnerabilities covers only the assessed ones: said where a model reads first
            message += (
                f" Known vulnerabilities were assessed for {assessed} of {len(candidates)}"
                " (the others keep their place; see notes)."
            )
        return Suggestion(
            request=_describe(request, spec, constraint),
            candidates=candidates,
            rejected=listed or None,
            rejected_omitted=omitted or None,
            notes=notes,
            message=message,
        )

    async def _secure(
        self,
        items: list[Pick],
        request: SuggestRequest,
        platforms: list[Platform],
        today: date,
        evaluation: Evaluation,
        notes: list[str],
        report: Progress | None,
    ) -> list[Pick]:
        """Priority 'secure': the known vulnerabilities of the first :data:`MAX_ASSESSED` candidates (``items``,
        scored, best first) on the first asked platform, asked concurrently within :attr:`assess_within`
        seconds; then those candidates re-ranked by :func:`~hub_mcp.advisor.scoring.secure_order` and every
        candidate rescored with the signal. Nothing known (OSV down): the ranking is the usual one. The notes
        say how, and name every candidate that could not be assessed, with the reason."""
        assert self.vulnerabilities is not None
        source, tell = self.vulnerabilities, report or _no_progress
        platform = str(platforms[0])
        window = items[: self.assess_limit]
        await tell(3, 4, f"looking up the known vulnerabilities of {len(window)} candidate(s) on {platform}")
        done = 0

        async def assess(item: Pick) -> None:
            nonlocal done
            item.vulnerabilities = await source.vulnerability_counts(item.reference, platform)
            done += 1
            what = f"{item.vulnerabilities.total} known" if item.vulnerabilities.known else "unknown"
            await tell(3 + done / len(window), 4, f"{item.reference}: {what}")

        try:
            async with asyncio.timeout(self.assess_within):
                await asyncio.gather(*(assess(item) for item in window))
        except TimeoutError:
            pass  # what answered is kept; the rest is unknown
        late = VulnerabilityFacts.unknown(f"no answer within {self.assess_within:g} s", transient=True)
        for item in window:
            if item.vulnerabilities is None:
                item.vulnerabilities = late
        facts = {item.reference: item.vulnerabilities or late for item in window}
        evaluation.unsettled = any(f.transient and not f.known for f in facts.values())
        unknown: dict[str, list[str]] = {}  # reason -> candidates
        for reference, found in facts.items():
            if not found.known:
                unknown.setdefault((found.reason or "unknown").rstrip(" ."), []).append(reference)
        could_not = "; ".join(f"{', '.join(names)} ({reason})" for reason, names in unknown.items())
        standing = standings(facts, platform)
        if not standing:
            notes.append(f"Known vulnerabilities were not assessed, so the ranking is the usual one: {could_not}.")
            return items
        notes.append(
            f"Known vulnerabilities: the SBOM attestation of each of the first {len(window)} candidates on {platform},"
            " looked up in OSV; those candidates are ranked by the fewest critical, then high, then in all"
            " (counts are vulnerability x package)."
        )
        if unknown:
            notes.append(f"Could not assess: {could_not}; these keep their place by the other criteria.")
        if len(items) > len(window) and request.limit > len(window):
            notes.append(f"Candidates after the first {len(window)} were not assessed.")
        merit = {item.reference: (not item.on_channel, -item.score) for item in items}  # before the signal
        self._score_all(list(items), request, platforms, today, standing=standing)
        ordered = secure_order(
            window,
            merit=lambda item: merit[item.reference],
            tier=lambda item: not item.on_channel,
            facts=lambda item: item.vulnerabilities,
        )
        return ordered + items[len(window) :]

    def _upgrade(
        self,
        spec: ImageFamily,
        today: date,
        data: list[RepositoryData],
        request: SuggestRequest,
        platforms: list[Platform],
    ) -> tuple[str | None, Pick | None]:
        """The newest supported line with a maintained image that otherwise fits the request:
        ('python 3.14 (python:3.14-slim-trixie)', its candidate)."""
        if not spec.lifecycle:
            return None, None
        for line in lifecycle.supported_lines(spec.lifecycle, today):
            evaluation = Evaluation()
            constraint = VersionConstraint.parse(line.version)
            for repo in data:
                if repo.ref.repository in spec.repositories_for(request.purpose):
                    self._evaluate(repo, spec, request, constraint, platforms, today, evaluation)
            picks = [p for p in evaluation.candidates if not p.group.is_prerelease]
            if picks:
                self._score_all(picks, request, platforms, today)
                return f"{spec.name} {line.version} ({picks[0].reference})", picks[0]
        return None, None

    @staticmethod
    def _candidate(rank: int, item: Pick, size_platform: Platform, hardened: Equivalent | None = None) -> Candidate:
        group = item.group
        assert item.repo is not None
        repo, support = item.repo, item.support
        tag = item.reference.rsplit(":", 1)[-1]
        pins = group.pins
        # the exact build first (what the digest pin also fixes), then the shortest names
        aliases = [
            n for n in sorted(group.names, key=lambda n: (n not in pins or parse_tag(n).is_dated, len(n), n)) if n != tag
        ][:MAX_ALIASES]
        image = group.image_for(size_platform)
        return Candidate(
            rank=rank,
            reference=item.reference,
            pinned_reference=f"{item.reference}@{group.digest}" if group.digest else None,
            aliases=aliases or None,
            repository=repo.ref.familiar_name,
            version=group.version_text,
            trust=repo.trust,
            platforms=sorted(str(p) for p in group.platforms),
            size_bytes=image.size if image else None,
            last_pushed=day(group.last_pushed),
            support_ends=support.eol.isoformat() if support and support.eol else None,
            libc=group.libc,
            distro=group.distro,
            channel=item.channel,
            score=item.score,
            benefits=[CandidateBenefit(text=b.text, points=b.points) for b in item.benefits],
            warnings=item.warnings or None,
            vulnerabilities=_counts(item.vulnerabilities, size_platform),
            hardened=hardened_view(hardened) if hardened else None,
        )

    @staticmethod
    def _message(
        spec: ImageFamily,
        request: SuggestRequest,
        constraint: VersionConstraint,
        candidates: list[Candidate],
        rejected: list[Rejection],
        development: str | None = None,
    ) -> str:
        if candidates:
            top = candidates[0]
            message = f"Use FROM {top.reference} (pinned: {top.pinned_reference or 'no digest'}). {len(candidates)} verified candidate(s), best first."
            if development:  # only a development build matches the line asked for
                warning = health.development_clause(development)
                message = f"Warning: {warning}. " + message.replace("Use FROM", "Only for testing, use FROM", 1)
            ended = [w for w in top.warnings or [] if "end of life" in w and not w.startswith("upgrade path")]
            if ended:  # a pinned end-of-life line: never a plain "use this"
                upgrade = next((w for w in top.warnings or [] if w.startswith("upgrade path")), None)
                message = (
                    f"Warning: {'; '.join(w.rstrip(' .') for w in ended)}. "
                    + message.replace("Use FROM", "Only if you must stay on it, use FROM", 1)
                    + (f" Plan the move: {upgrade}." if upgrade else " Plan a move to a supported version.")
                )
            return message
        why = rejected[0].detail.rstrip(" .") if rejected else "nothing matched"
        repository_level = rejected and ":" not in rejected[0].reference  # the whole repository, not one tag
        if request.image and repository_level and rejected[0].reason in ("deprecated_repository", "stale"):
            named = rejected[0].successors
            if named:
                return (
                    f"No image to suggest: {rejected[0].reference} is deprecated; its maintainers name"
                    f" {', '.join(named)} instead. Ask again with image='{named[0]}' (suggest_base_images)."
                )
            return (
                f"No image to suggest: {rejected[0].reference} is not maintained ({why}). Do not build on it: ask again"
                " with a runtime (suggest_base_images runtime=...) or find a maintained repository with search_images."
            )
        return f"No image to suggest: {why}. Relax the constraints (version, platforms, libc, variant) or pick another runtime; do not guess a tag."


# --- helpers ----------------------------------------------------------------------------------------


def hardened_stage(purpose: str) -> Literal["runtime", "build"]:
    """The DHI variant's stage for a purpose: the runtime variant for 'runtime', -dev for 'build' and 'dev'."""
    return "runtime" if purpose == "runtime" else "build"


def hardened_view(equivalent: Equivalent, *, brief: bool = False) -> HardenedEquivalent:
    """What an answer says of a Docker Hardened Image equivalent; ``brief``: the reference, ``exact`` and
    whether it was checked live only."""
    tag = equivalent.tag
    if brief:
        return HardenedEquivalent(reference=equivalent.reference, exact=tag.exact, verified=equivalent.verified)
    return HardenedEquivalent(
        reference=equivalent.reference, variant=tag.variant, run_as=tag.run_as, exact=tag.exact, verified=equivalent.verified
    )


async def _no_progress(done: float, total: float, message: str) -> None:
    return None


def _counts(facts: VulnerabilityFacts | None, platform: Platform) -> VulnerabilityCounts | None:
    """The answer's counts of a candidate whose known vulnerabilities were assessed; None otherwise (never zero)."""
    if facts is None or facts.counts is None or facts.total is None:
        return None
    return VulnerabilityCounts(
        platform=str(platform), total=facts.total, counts=shown_counts(facts.counts), fixable=facts.fixable or 0
    )


def _registry_missing(spec: ImageFamily, today: date) -> str:
    """What can be said without reading the registry: where the images are, and which lines the
    bundled table says are supported today."""
    lines = lifecycle.supported_lines(spec.lifecycle, today) if spec.lifecycle else []
    supported = ", ".join(
        f"{line.version}.0{' (LTS)' if line.lts else ''} until {line.eol}" for line in lines
    ) or "none in the bundled table"
    example = spec.reference_name(spec.repositories[0]) + (f":{lines[0].version}.0" if lines else "")
    return (
        f"{spec.note or ''} Supported {spec.name} lines on {today}: {supported}."
        f" Check the exact tag before writing FROM, e.g. get_tag('{example}')."
    ).strip()


def choose_tag(group: ImageGroup, precision: int) -> str:
    """The tag to write in FROM: a moving tag (not an exact build: :attr:`ImageGroup.pins`), a
    series tag at the wanted precision, naming its distro, never latest."""
    pins = group.pins

    def quality(name: str) -> tuple[float, ...]:
        parsed = parse_tag(name)
        exact = parsed.is_versioned and not parsed.is_dated and parsed.precision == precision
        return (
            float(name not in pins),  # a moving tag the maintainers rebuild, before an exact build
            float(parsed.is_versioned and not parsed.is_dated),
            float(exact),
            -abs(parsed.precision - precision) if parsed.is_versioned else -9.0,
            float(parsed.distro is not None),
            float(parsed.channel != "latest"),
            -len(name),
        )

    return max(group.names, key=quality)


def _runtime_line(
    family: ImageFamily, data: list[RepositoryData], today: date, notes: list[str]
) -> VersionConstraint | None:
    """No version asked for a build tool's image: the runtime's newest supported LTS line (else its
    newest supported line) that the tool's images carry, so that maven's 'latest' on a non-LTS JDK
    is not the pick."""
    assert family.lifecycle is not None
    carried = {v for repo in data for group in repo.groups for v in embedded_versions(group)}
    lines = lifecycle.supported_lines(family.lifecycle, today)
    for line in [line for line in lines if line.lts] + [line for line in lines if not line.lts]:
        if line.numbers in carried:
            notes.append(
                f"No version asked: {family.name} {line.version}, the newest supported"
                f"{' LTS' if line.lts else ''} line the tool's images carry."
            )
            return VersionConstraint.parse(line.version)
    return None


_TOOL_NAME = re.compile(r"^[a-z0-9][a-z0-9._-]{0,39}$")
_EMBEDDED = re.compile(r"^(?:jdk|jre|java|openjdk|python|node|php|ruby|go|golang|dotnet|net)?(\d+(?:\.\d+)*)$")


def embedded_versions(group: ImageGroup) -> set[tuple[int, ...]]:
    """The runtime versions a build tool's tags spell besides the tool's own (``maven:3.9-eclipse-temurin-21``
    -> 21, ``gradle:9.7-jdk25`` -> 25, ``hylang:1.3-python3.12`` -> 3.12)."""
    out: set[tuple[int, ...]] = set()
    for parsed in group.parsed:
        for token in parsed.suffix:
            match = _EMBEDDED.match(token)
            if match:
                out.add(tuple(int(n) for n in match[1].split(".")))
    return out


def _warn(item: Scored, text: str) -> None:
    if text not in item.warnings:
        item.warnings.append(text)


def _pins_series(group: ImageGroup, pinned: tuple[int, ...] | None) -> bool:
    """True when the user pinned this image's line: one of its tags is the pinned version at its precision
    (``3.8`` pins the image tagged ``3.8-slim``, not an old ``3.8.5-slim`` build)."""
    if not pinned:
        return False
    return any(p.is_versioned and not p.is_dated and p.version == pinned for p in group.parsed)


def _name_hint(constraint: VersionConstraint) -> str | None:
    pinned = constraint.pinned
    return ".".join(str(n) for n in pinned) if pinned else None


def _asked_prerelease(version: str | None) -> bool:
    return bool(version and re.search(r"(rc|alpha|beta|a\d|b\d|dev)", version.lower()))


def _tokens(group: ImageGroup) -> set[str]:
    out: set[str] = set()
    for parsed in group.parsed:
        out |= set(parsed.suffix)
        if parsed.distro:
            out.add(parsed.distro)
        if parsed.distro_family:
            out.add(parsed.distro_family)
    return out


def _distro_matches(group: ImageGroup, wanted: str) -> bool:
    return wanted in _tokens(group) or (group.distro or "").startswith(wanted)


def _most_telling(rejected: list[Rejection], have_candidates: bool) -> tuple[list[Rejection], int]:
    """Deduplicated by (reason, detail), in REJECTION_ORDER; version mismatches only when nothing else explains."""
    order = {reason: i for i, reason in enumerate(REJECTION_ORDER)}
    seen: set[tuple[str, str]] = set()
    unique: list[Rejection] = []
    for item in sorted(rejected, key=lambda r: order.get(r.reason, 99)):
        if item.reason == "version_mismatch" and (have_candidates or len(unique) >= 3):
            continue
        key = (item.reason, re.sub(r"\d{4}-\d{2}-\d{2}", "", item.detail))
        if key in seen:
            continue
        seen.add(key)
        unique.append(item)
    return unique[:MAX_REJECTIONS], max(0, len(unique) - MAX_REJECTIONS)


def _describe(request: SuggestRequest, spec: ImageFamily, constraint: VersionConstraint) -> str:
    parts = [spec.name + (f" {constraint.text}" if constraint.text else "")]
    parts.append(request.purpose)
    parts.append("+".join(request.platforms))
    for label, value in (("libc", request.libc), ("distro", request.distro), ("variant", request.variant)):
        if value:
            parts.append(f"{label} {value}")
    if request.priorities:
        parts.append("priorities " + "/".join(request.priorities))
    return ", ".join(parts)
