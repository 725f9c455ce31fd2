"""Soft scores with profiles: how well a verified image fits the purpose and priorities.

Each signal gives a value in 0..1 and a reason that names the value it is based on; a profile
(runtime, build, dev) and the user's priorities (small, secure, compatible) weight them. The
hard filters (exists, platforms, version, end of life, staleness) ran before this.

With ``secure`` and the first candidates' known vulnerabilities assessed, :func:`secure_order` is the rule
that re-ranks them, and a ``vulnerabilities`` signal (:data:`VULNERABILITY_WEIGHT`) joins every candidate's
score, so the benefit that says "N fewer known vulnerabilities" carries its share like the others.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, TypeVar

from hub_mcp.advisor.runtimes import ImageFamily
from hub_mcp.advisor.signals import ChannelLine, ImageGroup, SharedLine
from hub_mcp.vocab.tags import parse_tag

if TYPE_CHECKING:
    from hub_mcp.advisor.needs import VulnerabilityFacts

T = TypeVar("T")

TRUST_VALUE = {"official": 1.0, "hardened": 1.0, "verified_publisher": 0.9, "open_source": 0.8}
TRUST_TEXT = {
    "official": "Docker Official Image",
    "hardened": "Docker Hardened Image",
    "verified_publisher": "verified publisher",
    "open_source": "sponsored open-source project",
}
MB = 1_000_000

BASE_WEIGHTS = {
    "runtime": {"trust": 3.0, "version": 2.0, "support": 1.0, "size": 2.0, "purpose": 2.0, "libc": 1.5,
                "distro": 1.0, "tag": 0.5, "popularity": 0.2},
    "build": {"trust": 3.0, "version": 2.0, "support": 1.0, "size": 0.5, "purpose": 2.5, "libc": 2.0,
              "distro": 1.0, "tag": 0.5, "popularity": 0.2},
    "dev": {"trust": 3.0, "version": 2.0, "support": 1.0, "size": 0.3, "purpose": 2.5, "libc": 2.0,
            "distro": 1.0, "tag": 0.5, "popularity": 0.2},
}
PRIORITY_FACTORS = {
    "small": {"size": 2.5, "libc": 0.4},
    "secure": {"support": 2.0, "distro": 2.0, "trust": 1.5, "size": 1.3},
    "compatible": {"libc": 3.0, "purpose": 0.8},
}
VULNERABILITY_WEIGHT = 3.0
"""Weight of the known-vulnerabilities signal: weighed only under ``secure``, once candidates were assessed
(then for every candidate, those not assessed at the neutral 0.5, as other signals without a value)."""


@dataclass(frozen=True)
class Benefit:
    """One thing a candidate has going for it, with the value behind it (Docker Scout's way of
    explaining a recommendation), and its share of the score when the ranking uses it."""

    text: str
    points: float | None = None


@dataclass
class Scored:
    group: ImageGroup
    reference: str
    score: float = 0.0
    benefits: list[Benefit] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    #: on the line its maintainers tag for production (no version asked): ranked before the rest
    on_channel: bool = False
    #: the maintainers' channel (lts, stable, latest) whose line this image is on, when known
    channel: str | None = None


@dataclass(frozen=True)
class ScoringContext:
    spec: ImageFamily
    purpose: str
    priorities: frozenset[str]
    size_platform: str
    sizes: dict[str, int]  # group key → size on size_platform
    newest_version: tuple[int, ...] | None
    newest_distro_rank: float
    trust: str
    pulls: int | None
    today: date
    #: (channel, version line) the maintainers tag for production (``("lts", (24,))``), when no
    #: version was asked: that line scores as the newest, a newer one (``current``) below it.
    recommended: tuple[str, tuple[int, ...]] | None = None
    #: who declares that line when the registry tags no channel (MCR): the lifecycle table
    recommended_by: str | None = None
    #: the maintainers' channel line with its variants, read from their aliases (no version asked)
    channel: ChannelLine | SharedLine | None = None
    #: the candidates' known vulnerabilities were assessed (``secure``): the signal is weighed for every one
    assessed: bool = False
    #: this candidate's place among the assessed ones; None when its vulnerabilities are unknown or not assessed
    standing: Standing | None = None


@dataclass(frozen=True)
class Standing:
    """Where a candidate's known vulnerabilities put it among the assessed candidates: ``value`` 1.0 for the
    fewest, 0.0 for the most; ``text`` its benefit, when it has fewer than the most."""

    value: float
    text: str | None = None


def weights(purpose: str, priorities: frozenset[str]) -> dict[str, float]:
    out = dict(BASE_WEIGHTS.get(purpose, BASE_WEIGHTS["runtime"]))
    for priority in priorities:
        for key, factor in PRIORITY_FACTORS.get(priority, {}).items():
            out[key] *= factor
    return out


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB"


def score(item: Scored, ctx: ScoringContext, support_ends: date | None) -> None:
    """Fill ``item.score`` and ``item.benefits`` (each cites the value behind it, with its points:
    the points of the signals the ranking weighs add up to the score)."""
    group, spec = item.group, ctx.spec
    w = weights(ctx.purpose, ctx.priorities)
    parts: dict[str, float] = {}
    said: dict[str, str] = {}  # signal -> the benefit it gives, in the order they are worth reading

    if ctx.assessed:  # asked for with 'secure': said first
        w["vulnerabilities"] = VULNERABILITY_WEIGHT
        parts["vulnerabilities"] = ctx.standing.value if ctx.standing else 0.5
        if ctx.standing and ctx.standing.text:
            said["vulnerabilities"] = ctx.standing.text

    parts["trust"] = TRUST_VALUE.get(ctx.trust, 0.2)
    if ctx.trust in TRUST_VALUE:
        said["trust"] = TRUST_TEXT.get(ctx.trust, f"trust: {ctx.trust}")

    version = group.version
    item.on_channel = bool(ctx.channel and ctx.channel.holds(group))
    item.channel = None
    if ctx.channel and item.on_channel:
        item.channel = ctx.channel.channel
        parts["version"] = 1.0
        said["version"] = f"the maintainers' {ctx.channel.label(spec.precision)}"
    elif version and ctx.recommended:
        channel, line = ctx.recommended
        here = version[: len(line)]
        if here == line and ctx.channel is not None:
            parts["version"] = 0.7  # the channel's line, but not its build (couchbase 8.0.1 beside 8.0.2)
        elif here == line:
            item.channel = channel
            parts["version"] = 1.0
            said["version"] = (
                f"the line its maintainers tag {channel!r}, version {group.version_text}"
                if ctx.recommended_by is None
                else f"the {channel.upper()} line in {ctx.recommended_by}, version {group.version_text}"
            )
        elif here > line:
            parts["version"] = 0.4
            _warn(
                item,
                f"version {group.version_text} is newer than the {channel!r} line ({'.'.join(map(str, line))}):"
                " not the maintainers' production pick",
            )
        else:
            behind = max(0, line[0] * 100 + _minor(line) - version[0] * 100 - _minor(version))
            steps = behind if spec.precision >= 2 else behind / 100
            parts["version"] = max(0.0, 1.0 - 0.2 * steps)
    elif version and ctx.newest_version:
        behind = max(0, ctx.newest_version[0] * 100 + _minor(ctx.newest_version) - version[0] * 100 - _minor(version))
        steps = behind if spec.precision >= 2 else behind / 100
        parts["version"] = max(0.0, 1.0 - 0.2 * steps)
        if steps == 0:
            said["version"] = f"the newest matching line, version {group.version_text}"
    else:
        parts["version"] = 0.5

    if support_ends:
        years = (support_ends - ctx.today).days / 365
        parts["support"] = max(0.0, min(1.0, years / 4))
        said["support"] = f"supported upstream until {support_ends.isoformat()}"
    else:
        parts["support"] = 0.5

    size = ctx.sizes.get(group.key)
    smallest = min(ctx.sizes.values()) if ctx.sizes else None
    largest = max(ctx.sizes.values()) if ctx.sizes else None
    if size and smallest and largest:
        parts["size"] = max(0.0, 1.0 - math.log2(size / smallest) / 5)
        if size == smallest and largest > size:
            said["size"] = (
                f"{_mb(size)} compressed on {ctx.size_platform}: the smallest candidate, {_mb(largest - size)} less"
                " than the largest"
            )
        elif size == smallest:
            said["size"] = f"{_mb(size)} compressed on {ctx.size_platform}"
        else:
            said["size"] = f"{_mb(size)} compressed on {ctx.size_platform} (smallest candidate: {_mb(smallest)})"
    else:
        parts["size"] = 0.5

    parts["purpose"] = _purpose_fit(group, spec, ctx.purpose)
    variants = sorted(group.variants) or (["musl"] if group.libc == "musl" else ["full"])
    if parts["purpose"] >= 0.8:
        said["purpose"] = f"variant {'/'.join(variants)} suits a {ctx.purpose} stage"

    if group.libc == "musl":
        risk = spec.musl_risk * (1.5 if "compatible" in ctx.priorities else 1.0)
        parts["libc"] = max(0.0, 1.0 - risk)
        if spec.musl_risk >= 0.3:
            _warn(
                item,
                "alpine uses musl libc: prebuilt binaries and native packages built for glibc"
                + (" (manylinux wheels)" if spec.name == "python" else "")
                + " may fail or need compiling",
            )
    else:
        parts["libc"] = 1.0
        if group.libc == "glibc" and "compatible" in ctx.priorities:
            said["libc"] = "glibc: the widest compatibility for native dependencies"

    rank = group.distro_rank()
    if rank and ctx.newest_distro_rank:
        parts["distro"] = 1.0 if rank >= ctx.newest_distro_rank else 0.6
        if rank >= ctx.newest_distro_rank and group.distro:
            said["distro"] = f"distro {group.distro}: the newest among candidates"
    else:
        parts["distro"] = 0.7

    parts["tag"] = _tag_quality(item.reference, spec, group)
    tag = item.reference.rsplit(":", 1)[-1]
    pins = group.pins
    if pins and tag not in pins:
        full = max(pins, key=lambda name: (not parse_tag(name).is_dated, parse_tag(name).precision, name))
        said["tag"] = f"a moving tag its maintainers rebuild (the exact build {full} is an alias)"
    parts["popularity"] = min(1.0, math.log10(ctx.pulls) / 10) if ctx.pulls else 0.3

    total_weight = sum(w.values())
    total = sum(w[k] * parts[k] for k in parts)
    item.score = round(10 * total / total_weight, 2)
    item.benefits = [Benefit(text, round(10 * w[key] * parts[key] / total_weight, 2)) for key, text in said.items()]


def _warn(item: Scored, text: str) -> None:
    if text not in item.warnings:
        item.warnings.append(text)


def _minor(version: tuple[int, ...]) -> int:
    return version[1] if len(version) > 1 else 0


def _purpose_fit(group: ImageGroup, spec: ImageFamily, purpose: str) -> float:
    variants = group.variants
    small = bool(variants & {"slim", "jre", "alpine"}) or group.libc == "musl"
    if purpose == "runtime":
        if spec.runtime_variants and variants & spec.runtime_variants:
            return 1.0
        if spec.build_variants and variants & spec.build_variants:
            return 0.3  # a JDK in a runtime stage
        return 0.85 if small else (0.9 if not spec.runtime_variants else 0.5)
    # build / dev: compilers and headers
    if spec.build_variants:
        return 1.0 if variants & spec.build_variants else (0.2 if variants & spec.runtime_variants else 0.6)
    if not variants:
        return 1.0
    return 0.5 if "slim" in variants else 0.7


def _tag_quality(reference: str, spec: ImageFamily, group: ImageGroup) -> float:
    """A moving tag at the family's precision is best; an exact build (a pin) or an odd precision
    less so. The image its maintainers tag with the bare line (``1.37``, ``latest``: the default
    variant) gets a little more than its siblings."""
    tag = reference.rsplit(":", 1)[-1]
    pieces = tag.split("-")
    value = 0.5
    if pieces[0][:1].isdigit():
        depth = pieces[0].count(".") + 1
        value = 0.8 if depth == spec.precision else 0.6
    if tag in group.pins:
        value -= 0.3
    if any(not p.suffix and (p.is_versioned or p.channel) and not p.is_dated for p in group.parsed):
        value += 0.2
    return min(1.0, max(0.0, value))


# --- known vulnerabilities (priority 'secure') ----------------------------------------------------------


def vulnerability_key(facts: VulnerabilityFacts) -> tuple[int, int, int]:
    """Fewer is better: critical first, then high, then the total."""
    return facts.count("critical"), facts.count("high"), facts.total or 0


def secure_order(
    ranked: Sequence[T],
    merit: Callable[[T], tuple[Hashable, ...]],
    tier: Callable[[T], Hashable],
    facts: Callable[[T], VulnerabilityFacts | None],
) -> list[T]:
    """The assessed candidates re-ranked by their known vulnerabilities (``ranked``: best first, as scored).

    1. At equal ``merit`` (tier and score, everything but vulnerabilities), a candidate whose vulnerabilities
       are known goes before one whose are not.
    2. Within each ``tier`` (the maintainers' channel line before the rest, as always), the candidates with
       known vulnerabilities take the places such candidates held, ordered by :func:`vulnerability_key`
       (fewest critical, then high, then in all), ties in their previous order.
    3. A candidate whose vulnerabilities are unknown keeps its place: unknown is not counted as none, nor as
       many; only a known one of equal merit goes before it (1).
    """
    def known(item: T) -> bool:
        found = facts(item)
        return found is not None and found.known

    # sorted() is stable: only candidates of equal merit move (rule 1)
    order = sorted(ranked, key=lambda item: (merit(item), not known(item)))
    out = list(order)
    for level in dict.fromkeys(tier(item) for item in order):
        slots = [n for n, item in enumerate(order) if tier(item) == level and known(item)]
        best = sorted((order[n] for n in slots), key=lambda item: vulnerability_key(_facts(facts, item)))
        for n, item in zip(slots, best, strict=True):
            out[n] = item
    return out


def standings(
    assessed: Mapping[str, VulnerabilityFacts], platform: str
) -> dict[str, Standing]:
    """For each candidate (by reference) with known vulnerabilities: its :class:`Standing` among them, the
    benefit naming what it has fewer of than the candidate with the most (the first differing of critical,
    high, all), with its counts."""
    known = {reference: facts for reference, facts in assessed.items() if facts.known}
    if not known:
        return {}
    keys = sorted(set(map(vulnerability_key, known.values())))
    worst_reference, worst = max(known.items(), key=lambda pair: vulnerability_key(pair[1]))
    out: dict[str, Standing] = {}
    for reference, facts in known.items():
        rank = keys.index(vulnerability_key(facts))
        value = 1.0 if len(keys) == 1 else 1.0 - rank / (len(keys) - 1)
        out[reference] = Standing(value, _fewer(facts, worst, worst_reference, platform))
    return out


def _fewer(facts: VulnerabilityFacts, worst: VulnerabilityFacts, worst_reference: str, platform: str) -> str | None:
    mine, theirs = vulnerability_key(facts), vulnerability_key(worst)
    for label, have, other in zip(("critical ", "high-severity ", ""), mine, theirs, strict=True):
        if have < other:
            fewer = other - have
            return (
                f"{fewer} fewer {label}known vulnerabilit{'y' if fewer == 1 else 'ies'} than {worst_reference}"
                f" ({facts.total} known on {platform}: {mine[0]} critical, {mine[1]} high)"
            )
        if have > other:
            return None
    return None


def _facts(facts: Callable[[T], VulnerabilityFacts | None], item: T) -> VulnerabilityFacts:
    found = facts(item)
    assert found is not None
    return found
