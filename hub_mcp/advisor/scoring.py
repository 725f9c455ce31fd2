"""Soft scores with profiles: how well a verified image fits the purpose and priorities.

Each signal gives a value in 0..1 and a reason that names the value it is based on; a profile
(runtime, build, dev) and the user's priorities (small, secure, compatible) weight them. The
hard filters (exists, platforms, version, end of life, staleness) ran before this.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import date

from hub_mcp.advisor.runtimes import ImageFamily
from hub_mcp.advisor.signals import ImageGroup

TRUST_VALUE = {"official": 1.0, "hardened": 1.0, "verified_publisher": 0.9, "open_source": 0.8}
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


@dataclass
class Scored:
    group: ImageGroup
    reference: str
    score: float = 0.0
    reasons: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


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


def weights(purpose: str, priorities: frozenset[str]) -> dict[str, float]:
    out = dict(BASE_WEIGHTS.get(purpose, BASE_WEIGHTS["runtime"]))
    for priority in priorities:
        for key, factor in PRIORITY_FACTORS.get(priority, {}).items():
            out[key] *= factor
    return out


def _mb(size: int) -> str:
    return f"{size / MB:.0f} MB"


def score(item: Scored, ctx: ScoringContext, support_ends: date | None) -> None:
    """Fill ``item.score`` and ``item.reasons`` (each reason cites the value behind it)."""
    group, spec = item.group, ctx.spec
    w = weights(ctx.purpose, ctx.priorities)
    parts: dict[str, float] = {}

    parts["trust"] = TRUST_VALUE.get(ctx.trust, 0.2)
    if ctx.trust in TRUST_VALUE:
        item.reasons.append(f"trust: {ctx.trust}")

    version = group.version
    if version and ctx.recommended:
        channel, line = ctx.recommended
        here = version[: len(line)]
        if here == line:
            parts["version"] = 1.0
            item.reasons.append(
                f"version {group.version_text}: the line its maintainers tag {channel!r}"
                if ctx.recommended_by is None
                else f"version {group.version_text}: the {channel.upper()} line in {ctx.recommended_by}"
            )
        elif here > line:
            parts["version"] = 0.4
            item.reasons.append(
                f"version {group.version_text}: newer than the {channel!r} line ({'.'.join(map(str, line))}),"
                " not the maintainers' production pick"
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
            item.reasons.append(f"version {group.version_text}: the newest matching line")
    else:
        parts["version"] = 0.5

    if support_ends:
        years = (support_ends - ctx.today).days / 365
        parts["support"] = max(0.0, min(1.0, years / 4))
        item.reasons.append(f"upstream support until {support_ends.isoformat()}")
    else:
        parts["support"] = 0.5

    size = ctx.sizes.get(group.key)
    smallest = min(ctx.sizes.values()) if ctx.sizes else None
    if size and smallest:
        parts["size"] = max(0.0, 1.0 - math.log2(size / smallest) / 5)
        note = " (the smallest candidate)" if size == smallest else f" (smallest candidate: {_mb(smallest)})"
        item.reasons.append(f"{_mb(size)} compressed on {ctx.size_platform}{note}")
    else:
        parts["size"] = 0.5

    parts["purpose"] = _purpose_fit(group, spec, ctx.purpose)
    variants = sorted(group.variants) or (["musl"] if group.libc == "musl" else ["full"])
    if parts["purpose"] >= 0.8:
        item.reasons.append(f"variant {'/'.join(variants)} suits a {ctx.purpose} stage")

    if group.libc == "musl":
        risk = spec.musl_risk * (1.5 if "compatible" in ctx.priorities else 1.0)
        parts["libc"] = max(0.0, 1.0 - risk)
        if spec.musl_risk >= 0.3:
            item.warnings.append(
                "alpine uses musl libc: prebuilt binaries and native packages built for glibc"
                + (" (manylinux wheels)" if spec.name == "python" else "")
                + " may fail or need compiling"
            )
    else:
        parts["libc"] = 1.0
        if group.libc == "glibc" and "compatible" in ctx.priorities:
            item.reasons.append("glibc: the widest compatibility for native dependencies")

    rank = group.distro_rank()
    if rank and ctx.newest_distro_rank:
        parts["distro"] = 1.0 if rank >= ctx.newest_distro_rank else 0.6
        if rank >= ctx.newest_distro_rank and group.distro:
            item.reasons.append(f"distro {group.distro}: the newest among candidates")
    else:
        parts["distro"] = 0.7

    parts["tag"] = _tag_quality(item.reference, spec)
    parts["popularity"] = min(1.0, math.log10(ctx.pulls) / 10) if ctx.pulls else 0.3

    total = sum(w[k] * parts[k] for k in parts)
    item.score = round(10 * total / sum(w.values()), 2)


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


def _tag_quality(reference: str, spec: ImageFamily) -> float:
    tag = reference.rsplit(":", 1)[-1]
    pieces = tag.split("-")
    value = 0.6
    if pieces[0][:1].isdigit():
        depth = pieces[0].count(".") + 1
        value = 1.0 if depth == spec.precision else 0.7
    return value
