"""From Hub tag listings to image candidates with their signals.

Tags that share a digest are one image (``3.13.15-slim-trixie``, ``3.13-slim-trixie``,
``3.13-slim``): :func:`group_images` folds them into one :class:`ImageGroup` that carries the
signals the scorer needs: version, variant tokens, distro and libc, platforms with sizes,
last push, staleness.
"""

from __future__ import annotations

import re
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


_FULL_VERSION = re.compile(r"^\d+(?:\.\d+){2,}$")

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
        raw = best.raw
        if best.channel and raw.lower().startswith(best.channel + "-"):
            raw = raw[len(best.channel) + 1 :]  # an edition before the version: community-8.0.2, open-jdk-25.0.4.0
        return raw.split("-")[0]

    @property
    def is_prerelease(self) -> bool:
        return any(p.is_prerelease for p in self.parsed)

    @property
    def non_production(self) -> str | None:
        """The word by which a tag of this image, or an alias of it, marks it not for production
        (``busybox:1.38`` is also tagged ``unstable``; ``3.5-dev``; ``edge``), else None."""
        return next((word for p in self.parsed if (word := p.non_production)), None)

    @property
    def pins(self) -> frozenset[str]:
        """Tags that name one exact build rather than a line the maintainers move: a date stamp
        (``noble-20260810``), a version with a less precise sibling on the same image
        (``3.14.2`` beside ``3.14``), or a three-or-more-part version beside a versionless tag
        that moves (``26.0.0.8-kernel-slim`` beside ``kernel-slim``; ``8.0.2`` beside ``enterprise``).
        Only a patch-level version (three or more parts) counts: ``9.3`` beside ``9`` is a line too.
        So does a tag that spells a full version among its words (azul-zulu's
        ``26.32-26.0.2.1-jre`` beside ``26-jre``; clojure's ``temurin-8-tools-deps-1.12.5.1664``)."""
        parsed = self.parsed
        precisions = {p.precision for p in parsed if p.is_versioned and not p.is_dated}
        finest = max(precisions, default=0)
        moving_word = any(not p.is_versioned and p.channel not in RECOMMENDED_CHANNELS for p in parsed)
        embedded = {p.raw for p in parsed if any(_FULL_VERSION.match(token) for token in p.suffix)}
        out = set()
        for p in parsed:
            if p.is_dated or (p.raw in embedded and len(embedded) < len(parsed)):
                out.add(p.raw)
            elif p.is_versioned and p.precision >= 3 and p.precision == finest and (len(precisions) > 1 or moving_word):
                out.add(p.raw)
        return frozenset(out)

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
        for libc in ("musl", "uclibc", "glibc"):
            if libc in libcs:
                return libc
        return self.default_libc

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
        if not version or group.non_production:
            continue
        for channel in group.channels:
            line = version[:precision]
            if line > lines.get(channel, ()):
                lines[channel] = line
    return lines


@dataclass(frozen=True)
class ChannelLine:
    """The line the maintainers tag for production, read from their own aliases: the image
    tagged ``lts``, else ``stable``, else ``latest`` (one not marked as a development line), and
    every variant of it: the images whose tags carry one of its versions (``3.14-slim`` and
    ``3.14.2-alpine3.23`` are on python's ``latest`` line, ``3.13-slim`` is not; couchbase's
    ``community-8.0.2`` is on ``8.0.2``'s) or, for a line without versions, one of its names
    as the first word (buildpack-deps' ``trixie-scm`` is on ``trixie``'s)."""

    channel: str
    group: ImageGroup
    versions: frozenset[tuple[int, ...]]
    names: frozenset[str]

    @classmethod
    def of(cls, groups: Iterable[ImageGroup]) -> ChannelLine | None:
        groups = [g for g in groups if not g.non_production]
        for channel in RECOMMENDED_CHANNELS:
            tagged = [g for g in groups if channel in g.names]
            if tagged:
                group = tagged[0]
                versions = frozenset(
                    p.version for p in group.parsed if p.version and p.is_versioned and not p.is_dated
                )
                names = frozenset(
                    p.raw.lower() for p in group.parsed if not p.is_versioned and p.raw not in RECOMMENDED_CHANNELS
                )
                return cls(channel, group, versions, names)
        return None

    def holds(self, group: ImageGroup) -> bool:
        if group.key == self.group.key:
            return True
        parsed = group.parsed
        if self.versions:
            return any(p.version in self.versions for p in parsed if p.is_versioned and not p.is_dated)
        return any(p.raw.lower().split("-", 1)[0] in self.names for p in parsed)

    def line(self, precision: int) -> tuple[int, ...] | None:
        """Its version line at ``precision`` (``(24,)``, ``(3, 14)``); None without versions."""
        best = max(self.versions, key=len, default=None)
        return best[:precision] if best else None

    def label(self, precision: int) -> str:
        """How the answer names it: ``'lts' line (24)``, ``'latest' line (trixie)``."""
        best = max(self.versions, key=len, default=None)
        shown = ".".join(map(str, best[:precision])) if best else min(self.names, key=len, default="")
        return f"{self.channel!r} line" + (f" ({shown})" if shown else "")


@dataclass(frozen=True)
class SharedLine:
    """One channel line for a runtime several vendors build (Java: eclipse-temurin, amazoncorretto):
    the newest of their channel lines, so that one vendor's ``latest`` on an old line
    (amazoncorretto's 8) does not outrank the runtime's current one."""

    channel: str
    version: tuple[int, ...]
    vendors: int

    @classmethod
    def of(cls, lines: Iterable[ChannelLine], precision: int) -> SharedLine | None:
        found = [(line.line(precision), line.channel) for line in lines]
        versioned = [(version, channel) for version, channel in found if version]
        if not versioned:
            return None
        version, channel = max(versioned)
        return cls(channel, version, len(found))

    def holds(self, group: ImageGroup) -> bool:
        version = group.version
        return version is not None and version[: len(self.version)] == self.version

    def label(self, precision: int) -> str:
        return f"{self.channel!r} line ({'.'.join(map(str, self.version))}), the newest of {self.vendors} vendors'"


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
