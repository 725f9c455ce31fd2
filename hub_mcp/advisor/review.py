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
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, NotRequired, TypedDict

from hub_mcp.vocab import lifecycle
from hub_mcp.advisor.dockerfile import AUTOMATIC_PLATFORM_ARGS, FromLine, parse_image_lines
from hub_mcp.advisor.requests import ReviewRequest, SuggestRequest
from hub_mcp.advisor.runtimes import family_for_repository
from hub_mcp.advisor.suggest import Advisor
from hub_mcp.errors import HubMCPError, InvalidInput, RateLimited, Upstream
from hub_mcp.vocab.references import ImageReference, Platform
from hub_mcp.vocab.tags import parse_tag
from hub_mcp.answers.views import Candidate, FromLineReview, Review, TagInfo

if TYPE_CHECKING:
    from hub_mcp.advisor.needs import ReviewSources

#: Most distinct images checked per review (each costs Hub requests). Stage references, scratch and
#: unresolved names cost nothing and are not counted; the images left out are named in notes.
MAX_FROM_LINES = 20
#: Most left-out images named one by one in that note.
MAX_NAMED_LEFT_OUT = 30
#: A repository with no push for longer than this is treated as unmaintained.
STALE_REPOSITORY_DAYS = 365
BUILD_STAGE_WORDS = ("build", "builder", "compile", "deps", "dev", "test")
#: Characters that end a line for the Dockerfile parser or for Python's splitlines: a reference
#: holding one would smuggle extra Dockerfile lines into the review.
_LINE_BREAKS = frozenset("\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029")


class _LineFields(TypedDict):
    """The fields every review of a line carries, whatever its verdict."""

    line: int
    original: str
    resolved: str | None
    stage: str | None
    instruction: NotRequired[str]


class Reviewer:
    """Reviews FROM lines with the services that know tags (Hub or registry), images and
    repositories (:class:`~hub_mcp.advisor.needs.ReviewSources`: the facade), and the advisor's advice."""

    def __init__(self, services: ReviewSources, advisor: Advisor, today: date) -> None:
        self.services = services
        self.advisor = advisor
        self.today = today

    async def review(self, request: ReviewRequest) -> Review:
        lines = self._lines(request)
        notes: list[str] = []
        if not lines:
            return Review(from_lines=[], summary="No FROM instruction found: nothing to review.")
        lines, left_out = _cap(lines)
        if left_out:
            notes.append(_left_out_note(left_out))
        platforms = [Platform.parse(p) for p in request.platforms]
        # The final FROM is the runtime image; earlier ones (and COPY/RUN sources) are build inputs.
        last = max((i for i, line in enumerate(lines) if line.instruction == "FROM"), default=-1)
        reviews = await asyncio.gather(
            *(self._review_line(line, i == last, platforms, request.inspect) for i, line in enumerate(lines))
        )
        if not request.inspect:
            notes.append("Whether images run as root was not checked: pass inspect=true (reads image configs).")
        counts = {v: sum(1 for r in reviews if r.verdict == v) for v in ("fail", "unknown", "warn", "ok", "skipped")}
        summary = ", ".join(f"{n} {v}" for v, n in counts.items() if n)
        worst = next((r for r in reviews if r.verdict == "fail"), None) or next(
            (r for r in reviews if r.verdict == "warn"), None
        )
        if worst:
            summary += f". First to fix: line {worst.line} ({worst.resolved or worst.original}): {worst.findings[0].rstrip(' .')}"
            if worst.upgrade:
                summary += f"; upgrade to {worst.upgrade.split(' ')[0]}"
        return Review(from_lines=list(reviews), summary=summary + ".", notes=notes or None)

    @staticmethod
    def _lines(request: ReviewRequest) -> list[FromLine]:
        if bool(request.dockerfile) == bool(request.reference):
            raise InvalidInput("Give either dockerfile (its text) or reference (one image such as 'python:3.12-slim').")
        if request.reference and any(ch in _LINE_BREAKS for ch in request.reference):
            raise InvalidInput(
                "reference must be one image reference on one line, but it contains a line break: send only the"
                " image (e.g. 'python:3.12-slim'), or send the whole Dockerfile as dockerfile."
            )
        text = request.dockerfile if request.dockerfile else f"FROM {request.reference}"
        try:
            return parse_image_lines(text, dict(request.build_args))
        except ValueError as exc:
            raise InvalidInput(f"The Dockerfile could not be read: {exc}") from None

    async def _review_line(
        self, line: FromLine, is_last: bool, platforms: list[Platform], inspect: bool
    ) -> FromLineReview:
        base: _LineFields = {
            "line": line.line, "original": line.original, "resolved": line.resolved, "stage": line.stage
        }
        if line.instruction != "FROM":
            base["instruction"] = line.instruction
        if line.kind == "scratch":
            return FromLineReview(**base, verdict="skipped", findings=["scratch: an empty base, nothing to check"])
        if line.kind == "stage":
            return FromLineReview(**base, verdict="skipped", findings=[f"builds on the earlier stage {line.stage_ref!r}"])
        if line.resolved is None:
            names = ", ".join(f"${{{n}}}" for n in line.unresolved)
            return FromLineReview(
                **base,
                verdict="warn",
                findings=[f"uses {names} without a value: pass build_args to check the image"],
            )
        try:
            ref = ImageReference.parse(line.resolved)
        except InvalidInput as exc:
            return FromLineReview(**base, verdict="fail", findings=[f"not a valid image reference: {exc}"])
        purpose = "runtime" if is_last and not _looks_like_build(line.stage) else "build"
        own, found = _line_platform(line, platforms)
        return await self._review_image(ref, base, platforms, inspect, purpose, own, found)

    async def _review_image(
        self,
        ref: ImageReference,
        base: _LineFields,
        platforms: list[Platform],
        inspect: bool,
        purpose: str,
        own: Platform | None = None,
        found: list[tuple[float, str]] | None = None,
    ) -> FromLineReview:
        """``own`` is the line's ``--platform``, checked besides ``platforms``; ``found`` holds earlier findings."""
        found = list(found or [])  # (severity: 0 fail, 0.5 unknown, 1 warn, 2 info, text)

        def finding(severity: float, text: str) -> None:
            found.append((severity, text))

        unchecked: str | None = None  # why the tag could not be looked up (upstream down, unreachable)

        if ref.tag is None and ref.digest is None:
            finding(1, "no tag: it means 'latest', which moves; pin a version tag")
        elif ref.tag == "latest" and ref.digest is None:  # latest@sha256:... is pinned (as hadolint DL3007)
            finding(1, "'latest' moves with every release: pin a version tag")
        spec = family_for_repository(ref.repository)
        if spec and ref.repository in spec.deprecated_repositories:
            finding(0, spec.deprecated_repositories[ref.repository])

        info: TagInfo | None = None
        tag = ref.tag or ("latest" if ref.digest is None else None)
        if tag is not None:
            try:
                info = await self.services.get_tag(ref.with_tag(tag).familiar_name, tag)
            except (Upstream, RateLimited) as exc:
                # the registry or Hub could not answer: that says nothing about the image
                unchecked = f"could not be checked: {str(exc).rstrip('.')}"
            except HubMCPError as exc:
                finding(0, str(exc))
        else:
            finding(1, "pinned by digest only: the line it came from cannot be checked; add the tag too")

        refresh = None
        if info is not None:
            if not info.exists:
                alternatives = ", ".join(a.tag for a in info.alternatives or [])
                finding(0, f"{ref.with_tag(tag).familiar} does not exist" + (f" (closest: {alternatives})" if alternatives else ""))
            else:
                finding(2, f"exists for {len(info.platforms or [])} platform(s), last pushed {info.last_pushed or 'unknown'}")
                have = [Platform.parse(p.platform) for p in info.platforms or []]
                missing = [str(p) for p in platforms if not any(p.matches(h) for h in have)]
                if own is not None and own not in platforms and not any(own.matches(h) for h in have):
                    missing.append(f"{own} (the line's --platform)")
                if missing:
                    finding(0, f"no image for {', '.join(missing)}")
                if info.stale:
                    finding(1, f"stale: last pushed {info.last_pushed}, no longer rebuilt (no security fixes)")
                elif info.digest:
                    refresh = ref.with_tag(tag, info.digest).familiar
                if ref.digest and info.digest and ref.digest != info.digest:
                    finding(1, "the pinned digest is an older build of this tag: refresh it")
        version_note, eol = self._end_of_life(ref, tag)
        if version_note:
            finding(0 if eol else 2, version_note)
        elif ref.is_docker_hub and spec is None and not self._has_table_line(ref, tag):
            for severity, text in await self._repository_state(ref):
                finding(severity, text)
        if inspect and info is not None and info.exists:
            try:
                details = await self.services.inspect_image(ref.with_tag(tag).familiar)
                if details.runs_as_root:
                    finding(1, "runs as root: add a USER with a non-root uid")
                else:
                    finding(2, f"runs as user {details.user}")
            except HubMCPError as exc:
                finding(2, f"could not inspect the image: {exc}")
        severities = {severity for severity, _ in found}
        if unchecked:
            found.append((0.5, unchecked))
        verdict = "fail" if 0 in severities else "unknown" if unchecked else "warn" if 1 in severities else "ok"
        wanted = platforms + ([own] if own is not None and own not in platforms else [])
        upgrade = await self._upgrade(ref, tag, info, purpose, wanted, needed=verdict != "ok")
        return FromLineReview(
            **base,
            verdict=verdict,
            findings=[text for _, text in sorted(found, key=lambda f: f[0])],
            platforms=[p.platform for p in info.platforms] if info and info.platforms else None,
            refresh=refresh,
            upgrade=upgrade,
        )

    def _end_of_life(self, ref: ImageReference, tag: str | None) -> tuple[str | None, bool]:
        if not tag:
            return None, False
        # the familiar name keeps the registry: mcr.microsoft.com/dotnet/sdk is .NET, dotnet/sdk is nothing
        support = lifecycle.tag_support(ref.familiar_name, tag)
        notes = support.ended(self.today)
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

    async def _repository_state(self, ref: ImageReference) -> list[tuple[int, str]]:
        """For an image the end-of-life table does not know (centos, a community image): what its
        repository says about itself. One repository request; nothing when it cannot be read."""
        try:
            repo = await self.services.get_repository(ref.familiar_name)
        except HubMCPError:
            return []
        out: list[tuple[int, str]] = []
        description = repo.description or ""
        if "deprecat" in description.lower() or "no longer maintained" in description.lower():
            out.append(
                (
                    0,
                    f"{ref.familiar_name} is marked deprecated on Docker Hub ({description!r}): it gets no fixes;"
                    " move to a maintained image (suggest_base_images proposes one)",
                )
            )
        if repo.last_updated:
            last = date.fromisoformat(repo.last_updated[:10])
            if (self.today - last).days > STALE_REPOSITORY_DAYS:
                out.append(
                    (
                        1,
                        f"no push to {ref.familiar_name} since {last} (over a year): probably unmaintained, no"
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
    ) -> str | None:
        """A better line: never an older one, an interim one or a development one.

        When the line must change (end of life, stale, removed repository), the drop-in comes
        first (the same major version on a maintained image, e.g. openjdk:17 -> eclipse-temurin:17),
        then the maintainers' production line as the bigger step.
        """
        spec = family_for_repository(ref.repository, ref.registry)
        if not ref.is_docker_hub and (spec is None or spec.registry is None):
            return None  # the advisor reads Docker Hub, and the registries a runtime lives on (.NET on MCR)
        parsed = parse_tag(tag) if tag else None
        if not needed:
            newer = [n for n in (info.newer_on_line or []) if self._production_line(ref, n)] if info else []
            return f"{ref.with_tag(newer[0]).familiar} (newer version, same variant)" if newer else None
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
            limit=1,
        )
        current = parsed.version if parsed and parsed.is_versioned else None
        drop_in = None
        runtime = lifecycle.runtime_name_for_repository(ref.repository)
        if current and runtime and lifecycle.line_precision(runtime) == 1 and self._drop_in_line(runtime, current):
            # support lines are major versions (java 17, node 22): the same major on a maintained image
            drop_in = await self._top(replace(request, version=str(current[0])))
        newest = await self._top(request)
        picks: list[tuple[Candidate, str]] = []
        for label, top in (("drop-in, same major", drop_in), ("the maintainers' production line", newest)):
            offered = parse_tag(top.version).version if top and top.version else None
            if top is None or (current and offered and offered < current[: len(offered)]):
                continue  # never an older line
            if top.support_ends and date.fromisoformat(top.support_ends) <= self.today:
                continue  # a line past its end of life is no upgrade (a pinned line is kept with a warning)
            if top.reference == ref.familiar or top.pinned_reference == ref.familiar:
                continue  # the image under review itself
            if any(top.reference == seen.reference or top.pinned_reference == seen.pinned_reference for seen, _ in picks):
                continue  # the same image
            picks.append((top, label))
        if not picks:
            return None
        parts = []
        for top, label in picks:
            why = f"supported until {top.support_ends}" if top.support_ends else "maintained"
            parts.append(f"{top.reference} ({label}; {why}; score {top.score})")
        return parts[0] + (f"; bigger step: {parts[1]}" if len(parts) > 1 else "")

    async def _top(self, request: SuggestRequest) -> Candidate | None:
        try:
            suggestion = await self.advisor.suggest(request)
        except HubMCPError:
            return None
        return suggestion.candidates[0] if suggestion.candidates else None

    def _drop_in_line(self, runtime: str, version: tuple[int, ...]) -> bool:
        """Whether the same major is worth offering: supported on ``today``, and an LTS line where
        the runtime has LTS lines (java 16 is not; node 18 is LTS but past its end of life)."""
        row = lifecycle.support_for(runtime, version[:1])
        if row is None or not row.is_supported(self.today):
            return False
        has_lts = any(line.lts for line in lifecycle.supported_lines(runtime, self.today))
        return bool(row.lts) or not has_lts

    def _production_line(self, ref: ImageReference, tag: str) -> bool:
        """False for a line its lifecycle row calls interim or non-LTS while LTS lines exist (ubuntu 25.10)."""
        line = lifecycle.tag_support(ref.repository, tag).line
        return not (line is not None and line.lts is False)


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
        f"line {line.line} {line.resolved}" for line in left_out[:MAX_NAMED_LEFT_OUT]
    )
    more = f" and {len(left_out) - MAX_NAMED_LEFT_OUT} more line(s)" if len(left_out) > MAX_NAMED_LEFT_OUT else ""
    return (
        f"Only the first {MAX_FROM_LINES} distinct images were checked (stage references and scratch are not"
        f" counted); {len(distinct)} more were not: {named}{more}. Review them with another call"
        " (reference='<image>' or a shorter dockerfile)."
    )


def _line_platform(line: FromLine, platforms: list[Platform]) -> tuple[Platform | None, list[tuple[float, str]]]:
    """The platform a FROM line's ``--platform`` names (checked besides ``platforms``), and findings about it.

    ``$BUILDPLATFORM`` / ``$TARGETPLATFORM`` (and other automatic platform arguments) without a
    build arg mean the platforms the caller asked for; with none asked, the line's platform is
    reported as not checked rather than guessed.
    """
    if line.platform is None:
        return None, []
    flag = f"--platform={line.platform}"
    if line.platform_resolved is not None:
        if line.platform_resolved.strip().lower() in {"linux", "windows", "darwin", "freebsd"}:
            return None, [(2, f"{flag} names no architecture (Docker takes the build machine's): not checked")]
        try:
            return Platform.parse(line.platform_resolved), []
        except InvalidInput as exc:
            return None, [(0, f"{flag} is not a platform Docker can pull: {exc}")]
    names = ", ".join(f"${{{n}}}" for n in line.platform_unresolved)
    if line.platform_unresolved and all(n in AUTOMATIC_PLATFORM_ARGS for n in line.platform_unresolved):
        if platforms:
            return None, []  # the asked platforms, checked for every line anyway
        return None, [(2, f"{flag}: the platform could not be checked; pass platforms (the ones you build for)")]
    if line.platform_unresolved:
        return None, [(2, f"{flag} uses {names} without a value: the platform could not be checked; pass build_args")]
    return None, []


def _looks_like_build(stage: str | None) -> bool:
    return bool(stage and any(word in stage.lower() for word in BUILD_STAGE_WORDS))
