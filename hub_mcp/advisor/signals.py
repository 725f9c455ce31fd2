"""From Hub tag listings to image candidates with their signals.

Tags that share a digest are one image (``3.13.15-slim-trixie``, ``3.13-slim-trixie``,
``3.13-slim``): :func:`group_images` folds them into one :class:`ImageGroup` that carries the
signals the scorer needs: version, variant tokens, distro and libc, platforms with sizes,
last push, staleness.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import datetime

from hub_mcp.hub import health
from hub_mcp.hub.models import Tag, TagImage
from hub_mcp.vocab.references import Platform, image_platform
from hub_mcp.vocab.tags import ParsedTag, parse_tag, version_key

DISTRO_ORDER = {  # newer distro releases rank higher
    "buster": 10,
    "bullseye": 11,
    "bookworm": 12,
    "trixie": 13,
    "forky": 14,
    "focal": 20.04,
    "jammy": 22.04,
    "noble": 24.04,
    "plucky": 25.04,
    "questing": 25.10,
}


#: Channels the maintainers tag lines with that are not for production (``alpine:edge``,
#: ``ubuntu:devel``, ``golang:tip``): never suggested unless asked for by version.
DEVELOPMENT_CHANNELS = frozenset({"devel", "rc", "edge", "testing", "unstable", "nightly", "tip", "beta", "alpha"})
#: The channels that name the maintainers' production pick, most specific first: a repository
#: with an ``lts`` tag recommends that line, else its ``stable`` one, else what ``latest`` is.
RECOMMENDED_CHANNELS = ("lts", "stable", "latest")


@dataclass
class ImageGroup:
    """One image (one digest) and every tag that names it."""

    key: str
    tags: list[Tag] = field(default_factory=list)
    default_libc: str | None = None  # what the repository's images use when no tag says (alpine: musl)

    @property
    def parsed(self) -> list[ParsedTag]:
        return [parse_tag(t.name) for t in self.tags]  # parse_tag is memoized: cheap to recompute

    @property
    def names(self) -> list[str]:
        return [t.name for t in self.tags]

    @property
    def digest(self) -> str | None:
        return next((t.digest for t in self.tags if t.digest), None)

    @property
    def images(self) -> list[TagImage]:
        best = max(self.tags, key=lambda t: len(t.platform_images))
        return best.platform_images

    @property
    def platforms(self) -> list[Platform]:
        seen: list[Platform] = []
        for image in self.images:
            platform = image_platform(image)
            if platform not in seen:
                seen.append(platform)
        return seen

    def image_for(self, platform: Platform) -> TagImage | None:
        for image in self.images:
            if platform.matches(image_platform(image)):
                return image
        return None

    def has_platforms(self, wanted: Iterable[Platform]) -> bool:
        return all(self.image_for(p) is not None for p in wanted)

    @property
    def last_pushed(self) -> datetime | None:
        return max((t.last_pushed for t in self.tags if t.last_pushed), default=None)

    @property
    def version(self) -> tuple[int, ...] | None:
        """The most precise version any of its tags spells (``3.13.15`` over ``3.13``)."""
        versioned = [p for p in self.parsed if p.is_versioned and not p.is_dated and p.version]
        if not versioned:
            return None
        return max(versioned, key=lambda p: (p.precision, version_key(p))).version

    @property
    def version_text(self) -> str | None:
        versioned = [p for p in self.parsed if p.is_versioned and not p.is_dated]
        if not versioned:
            return None
        best = max(versioned, key=lambda p: (p.precision, version_key(p)))
        return best.raw.split("-")[0]

    @property
    def is_prerelease(self) -> bool:
        return any(p.is_prerelease for p in self.parsed)

    @property
    def channels(self) -> frozenset[str]:
        """The channels its tags name (``lts``, ``current``, ``stable``, ``latest``, ``edge``...)."""
        return frozenset(p.channel for p in self.parsed if p.channel)

    @property
    def variants(self) -> frozenset[str]:
        out: set[str] = set()
        for p in self.parsed:
            out |= p.variants
        return frozenset(out)

    @property
    def distro(self) -> str | None:
        """The most specific distro any tag names (``alpine3.22`` over ``alpine``; codenames as is)."""
        named = [p for p in self.parsed if p.distro]
        if not named:
            return None
        best = max(named, key=lambda p: (p.distro_version is not None, len(p.distro or "")))
        return best.distro if not best.distro_version or best.distro in DISTRO_ORDER else f"{best.distro}{best.distro_version}"

    @property
    def distro_family(self) -> str | None:
        return next((p.distro_family for p in self.parsed if p.distro_family), None)

    @property
    def libc(self) -> str | None:
        libcs = {p.libc for p in self.parsed if p.libc}
        if "musl" in libcs:
            return "musl"
        return "glibc" if "glibc" in libcs else self.default_libc

    @property
    def windows(self) -> bool:
        return any(p.os == "windows" for p in self.platforms) or any(p.windows for p in self.parsed)

    def distro_rank(self) -> float:
        """Higher for newer distro releases (trixie > bookworm; alpine 3.22 > 3.21); 0 when unknown."""
        for p in self.parsed:
            if p.codename in DISTRO_ORDER:
                return float(DISTRO_ORDER[p.codename])
            if p.distro in DISTRO_ORDER:
                return float(DISTRO_ORDER[p.distro])
        for p in self.parsed:
            if p.distro_family == "alpine" and p.distro_version:
                try:
                    major, minor = p.distro_version.split(".")[:2]
                    return 3.0 + int(major) + int(minor) / 100
                except ValueError:
                    continue
        return 0.0


def group_images(tags: Iterable[Tag], *, default_libc: str | None = None) -> list[ImageGroup]:
    """Fold tags into images by digest (a tag without a digest is an image of its own)."""
    groups: dict[str, ImageGroup] = {}
    for tag in tags:
        if not tag.platform_images:
            continue
        key = tag.digest or f"tag:{tag.name}"
        group = groups.setdefault(key, ImageGroup(key, default_libc=default_libc))
        if tag.name not in group.names:
            group.tags.append(tag)
    return list(groups.values())


def channel_lines(groups: Iterable[ImageGroup], precision: int) -> dict[str, tuple[int, ...]]:
    """Channel → the version line (``precision`` leading numbers) the maintainers put it on,
    read from aliases: a tag that shares its digest with ``lts`` is on the LTS line."""
    lines: dict[str, tuple[int, ...]] = {}
    for group in groups:
        version = group.version
        if not version:
            continue
        for channel in group.channels:
            line = version[:precision]
            if line > lines.get(channel, ()):
                lines[channel] = line
    return lines


def recommended_line(lines: dict[str, tuple[int, ...]]) -> tuple[str, tuple[int, ...]] | None:
    """The maintainers' production pick: the ``lts`` line, else ``stable``, else ``latest``."""
    for channel in RECOMMENDED_CHANNELS:
        if channel in lines:
            return channel, lines[channel]
    return None


def newest_push(tags: Iterable[Tag]) -> datetime | None:
    return max((t.last_pushed for t in tags if t.last_pushed), default=None)


def is_stale(group: ImageGroup, newest: datetime | None) -> bool:
    """Pushed long before the repository's newest push: its line is no longer rebuilt (unknown: not stale)."""
    return bool(health.is_stale(group.last_pushed, newest))
