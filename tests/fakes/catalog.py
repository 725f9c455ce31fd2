"""A deterministic, in-memory Docker Hub catalog for the fake Hub API server.

The catalog is generated from the compact spec at the bottom of this module (no
data files, no randomness): about twenty repositories in the shapes Docker Hub
serves (see ``/work/shared/docs/hub-api.md``), Docker Official Images in namespace
``library`` plus verified-publisher, sponsored-OSS, community, archived and private
repositories.

Dates are relative to a fixed catalog clock, :data:`CATALOG_NOW`
(2026-11-20T00:00:00Z): maintained tags were pushed in the weeks before it, stale
ones (``python:3.8``, every ``openjdk`` tag, ...) long before. Digests, sizes and
times are derived from SHA-256 hashes of names, so every run sees the same catalog.
Tags built from one image (``python:3.14``, ``3.14-trixie``, ``3``, ``latest``)
share the index digest and every per-platform digest.

Usage::

    from tests.fakes.catalog import default_catalog

    catalog = default_catalog()          # a fresh deep copy: mutate freely
    python = catalog.get("library", "python")
    assert python.tag("latest").digest == python.tag("3.14-trixie").digest
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from typing import Any

CATALOG_NOW = datetime(2026, 11, 20, tzinfo=UTC)
"""The fixed "now" of the catalog: every date in it lies before this instant."""

ACTIVE_WINDOW = timedelta(days=30)
"""Hub calls a tag/image ``active`` when pushed or pulled within the last month."""

MEDIA_OCI_INDEX = "application/vnd.oci.image.index.v1+json"
MEDIA_DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"
MEDIA_DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
MEDIA_OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"

STATUS_DESCRIPTIONS = {
    0: "initialized",
    1: "active",
    2: "pending_delete",
    3: "locked",
    4: "moderated",
    5: "plan_exceeded",
    6: "archived",
}

ARCH_LABELS = {
    "amd64": "x86-64",
    "arm64": "ARM 64",
    "arm": "ARM",
    "386": "x86",
    "ppc64le": "PowerPC 64 LE",
    "s390x": "IBM Z",
    "riscv64": "RISCV64",
    "mips64le": "MIPS64LE",
}
OS_LABELS = {"linux": "Linux", "windows": "Windows"}


# --------------------------------------------------------------------------- helpers


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def _digest(*parts: str) -> str:
    return "sha256:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def iso(moment: datetime) -> str:
    """Format like Hub does: microseconds and a ``Z`` suffix."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def parse_iso(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _day(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --------------------------------------------------------------------------- model


@dataclass
class Image:
    """One entry of a tag's ``images`` array (a platform manifest or an attestation)."""

    architecture: str
    os: str
    digest: str
    size: int
    variant: str | None = None
    os_version: str | None = None
    features: str = ""
    os_features: str = ""
    status: str = "active"
    last_pulled: str | None = None
    last_pushed: str | None = None

    @property
    def is_attestation(self) -> bool:
        return self.architecture == "unknown" and self.os == "unknown"

    @property
    def platform(self) -> str:
        """``os/arch[/variant]``, e.g. ``linux/arm64/v8``."""
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)

    def to_api(self) -> dict[str, Any]:
        return {
            "architecture": self.architecture,
            "features": self.features,
            "variant": self.variant,
            "digest": self.digest,
            "os": self.os,
            "os_features": self.os_features,
            "os_version": self.os_version,
            "size": self.size,
            "status": self.status,
            "last_pulled": self.last_pulled,
            "last_pushed": self.last_pushed,
        }


@dataclass
class Tag:
    """A tag as ``/v2/namespaces/{ns}/repositories/{repo}/tags`` returns it."""

    name: str
    id: int
    repository: int
    images: list[Image]
    last_updated: str
    tag_last_pushed: str
    tag_last_pulled: str | None
    digest: str | None
    media_type: str
    tag_status: str
    creator: int
    last_updater: int
    last_updater_username: str
    content_type: str = "image"
    v2: bool = True

    @property
    def platform_images(self) -> list[Image]:
        """Images without the attestation entries."""
        return [image for image in self.images if not image.is_attestation]

    @property
    def full_size(self) -> int:
        """Hub's ``full_size``: the amd64 image's size (not a sum)."""
        images = self.platform_images
        for image in images:
            if image.architecture == "amd64":
                return image.size
        return images[0].size if images else 0

    def copy(self) -> Tag:
        """A deep copy (fresh ``images``), much faster than ``copy.deepcopy``."""
        clone = copy.copy(self)
        clone.images = [copy.copy(image) for image in self.images]
        return clone

    def has_platform(self, architecture: str | None = None, os: str | None = None) -> bool:
        return any(
            (architecture is None or image.architecture == architecture)
            and (os is None or image.os == os)
            for image in self.platform_images
        )

    def to_api(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "creator": self.creator,
            "id": self.id,
            "images": [image.to_api() for image in self.images],
            "last_updated": self.last_updated,
            "last_updater": self.last_updater,
            "last_updater_username": self.last_updater_username,
            "name": self.name,
            "repository": self.repository,
            "full_size": self.full_size,
            "v2": self.v2,
            "tag_status": self.tag_status,
            "tag_last_pulled": self.tag_last_pulled,
            "tag_last_pushed": self.tag_last_pushed,
            "media_type": self.media_type,
            "content_type": self.content_type,
        }
        if self.digest is not None:
            body["digest"] = self.digest
        return body


@dataclass
class Category:
    name: str
    slug: str


@dataclass
class Repository:
    """A Hub repository with its tags. API views are built by :mod:`tests.fakes.hub`."""

    namespace: str
    name: str
    id: int
    description: str
    full_description: str
    star_count: int
    pull_count: int
    badge: str | None
    date_registered: str
    last_modified: str
    categories: list[Category]
    tags: list[Tag]
    publisher_id: str
    publisher_name: str
    logo_url: dict[str, str] | None = None
    is_private: bool = False
    status: int = 1
    is_automated: bool = False
    collaborators: tuple[str, ...] = ()
    source: str | None = None
    immutable_tags: bool = False

    @property
    def full_name(self) -> str:
        return f"{self.namespace}/{self.name}"

    @property
    def is_official(self) -> bool:
        return self.namespace == "library"

    @property
    def archived(self) -> bool:
        return self.status == 6

    @property
    def status_description(self) -> str:
        return STATUS_DESCRIPTIONS.get(self.status, "unknown")

    @property
    def last_updated(self) -> str:
        return max((tag.last_updated for tag in self.tags), default=self.date_registered)

    @property
    def architectures(self) -> list[str]:
        """Distinct architectures over all tags (attestations excluded), sorted."""
        return sorted({i.architecture for t in self.tags for i in t.platform_images})

    @property
    def operating_systems(self) -> list[str]:
        return sorted({i.os for t in self.tags for i in t.platform_images})

    @property
    def media_types(self) -> list[str]:
        return sorted({tag.media_type for tag in self.tags})

    @property
    def content_types(self) -> list[str]:
        return sorted({tag.content_type for tag in self.tags})

    @property
    def storage_size(self) -> int:
        """Sum of distinct platform manifests' sizes (shared images counted once)."""
        sizes = {i.digest: i.size for t in self.tags for i in t.images}
        return sum(sizes.values())

    def copy(self) -> Repository:
        """A deep copy: tags, images, categories and logo are fresh objects."""
        clone = copy.copy(self)
        clone.tags = [tag.copy() for tag in self.tags]
        clone.categories = [copy.copy(category) for category in self.categories]
        clone.logo_url = dict(self.logo_url) if self.logo_url is not None else None
        return clone

    def tag(self, name: str) -> Tag | None:
        for tag in self.tags:
            if tag.name == name:
                return tag
        return None

    def visible_to(self, username: str | None) -> bool:
        if not self.is_private:
            return True
        return username is not None and (
            username == self.namespace or username in self.collaborators
        )


@dataclass
class Catalog:
    """All repositories of the fake Hub, plus the catalog's fixed clock."""

    now: datetime
    repositories: list[Repository]

    def get(self, namespace: str, name: str) -> Repository | None:
        for repo in self.repositories:
            if repo.namespace == namespace and repo.name == name:
                return repo
        return None

    def in_namespace(self, namespace: str) -> list[Repository]:
        return [repo for repo in self.repositories if repo.namespace == namespace]

    def namespaces(self) -> set[str]:
        return {repo.namespace for repo in self.repositories}

    def copy(self) -> Catalog:
        return Catalog(now=self.now, repositories=[repo.copy() for repo in self.repositories])

    def add(self, repository: Repository) -> None:
        if self.get(repository.namespace, repository.name) is not None:
            raise ValueError(f"{repository.full_name} already exists")
        self.repositories.append(repository)


# --------------------------------------------------------------------------- spec DSL


@dataclass(frozen=True)
class Platform:
    os: str
    architecture: str
    variant: str | None = None
    os_version: str | None = None

    @property
    def key(self) -> str:
        return "/".join(p for p in (self.os, self.architecture, self.variant) if p)


AMD64 = Platform("linux", "amd64")
ARM64 = Platform("linux", "arm64", "v8")
ARMV7 = Platform("linux", "arm", "v7")
ARMV6 = Platform("linux", "arm", "v6")
ARMV5 = Platform("linux", "arm", "v5")
I386 = Platform("linux", "386")
PPC64LE = Platform("linux", "ppc64le")
S390X = Platform("linux", "s390x")
RISCV64 = Platform("linux", "riscv64")
MIPS64LE = Platform("linux", "mips64le")
WINDOWS_LTSC2022 = Platform("windows", "amd64", None, "10.0.20348.4405")

Platforms = tuple[Platform, ...]
STD: Platforms = (AMD64, ARMV7, ARM64, PPC64LE, S390X)
"""The usual official-image set: amd64, arm/v7, arm64/v8, ppc64le, s390x."""
STD_RISCV: Platforms = STD + (RISCV64,)
AMD_ARM: Platforms = (AMD64, ARM64)
AMD_ONLY: Platforms = (AMD64,)
WINDOWS: Platforms = (WINDOWS_LTSC2022,)
ALPINE_ALL: Platforms = (AMD64, ARMV6, ARMV7, ARM64, I386, PPC64LE, RISCV64, S390X)
ALPINE_OLD: Platforms = (AMD64, ARMV6, ARMV7, ARM64, I386, PPC64LE, S390X)


def alpine_platforms(alpine: str) -> Platforms:
    """Alpine-based images gained riscv64 with Alpine 3.21 (the fake's rule)."""
    minor = int(alpine.split(".")[1])
    return STD_RISCV if minor >= 21 else STD


@dataclass(frozen=True)
class Build:
    """One pushed image (index/manifest list) and every tag that points at it."""

    tags: tuple[str, ...]
    profile: str
    pushed: str
    platforms: Platforms
    attest: bool = True
    pulled: str | None = None
    """Date of the last pull; None means "pulled within the last hours" (popular)."""
    legacy: bool = False
    """Very old single-arch push: plain v2 manifest, no tag-level ``digest``."""

    def with_tags(self, *extra: str) -> Build:
        return replace(self, tags=self.tags + extra)


SIZE_MB: dict[str, float] = {
    "python": 392, "python-slim": 45, "python-alpine": 19, "python-bullseye": 360,
    "python-windows": 2210, "python-legacy": 255,
    "node": 398, "node-slim": 72, "node-alpine": 57,
    "golang": 292, "golang-alpine": 88, "golang-windows": 2380, "golang-nano": 196,
    "temurin-jdk": 196, "temurin-jre": 91, "temurin-jdk-alpine": 164, "temurin-jre-alpine": 68,
    "openjdk": 232, "openjdk-slim": 221, "openjdk-debian": 318, "openjdk-jre": 121,
    "openjdk-jre-slim": 78, "openjdk-alpine": 101, "openjdk-windows": 2610,
    "nginx": 68, "nginx-perl": 76, "nginx-alpine": 21, "nginx-alpine-slim": 5.3,
    "nginx-alpine-perl": 29,
    "postgres": 158, "postgres-alpine": 107,
    "redis": 51, "redis-alpine": 17,
    "alpine": 3.6,
    "debian": 48, "debian-slim": 28,
    "ubuntu": 29,
    "php": 171, "php-apache": 186, "php-fpm": 176, "php-zts": 172, "php-alpine": 34,
    "php-fpm-alpine": 36,
    "ruby": 389, "ruby-slim": 77, "ruby-alpine": 41,
    "rust": 561, "rust-slim": 251, "rust-alpine": 302,
    "httpd": 58, "httpd-alpine": 22,
    "mysql": 231, "mysql-debian": 171, "mysql-legacy": 146,
    "busybox": 2.2, "busybox-musl": 0.9, "busybox-uclibc": 1.0,
    "maven": 118, "maven-alpine": 92,
    "bitnami-redis": 63, "bitnami-postgresql": 104,
    "jupyter": 352, "python-tools": 121, "scraper": 310, "private-app": 82, "internal-api": 47,
}

ARCH_FACTOR = {
    "amd64": 1.0, "arm64": 0.97, "arm": 0.88, "386": 1.02, "ppc64le": 1.07,
    "s390x": 0.99, "riscv64": 0.95, "mips64le": 1.04,
}


def tags(versions: Sequence[str], suffixes: Sequence[str]) -> tuple[str, ...]:
    """Bashbrew-style cross product of version aliases and variant suffixes.

    ``""`` as a version is the bare alias (``-slim`` -> ``slim``); a bare version
    with the empty suffix is ``latest``::

        tags(("3.14.0", "3.14", "3", ""), ("-slim", ""))
        -> 3.14.0-slim 3.14-slim 3-slim slim 3.14.0 3.14 3 latest
    """
    out: list[str] = []
    for suffix in suffixes:
        for version in versions:
            name = f"{version}{suffix}" if version else suffix.lstrip("-")
            name = name or "latest"
            if name not in out:
                out.append(name)
    return tuple(out)


Variant = tuple[Sequence[str], str, Platforms]
"""(suffixes, size profile, platforms) of one image flavour."""


def line(
    versions: Sequence[str],
    variants: Iterable[Variant],
    pushed: str,
    *,
    attest: bool = True,
    pulled: str | None = None,
) -> list[Build]:
    """All builds of one version line: one build per variant."""
    return [
        Build(tags(versions, suffixes), profile, pushed, platforms, attest, pulled)
        for suffixes, profile, platforms in variants
    ]


def alias(builds: list[Build], existing: str, *extra: str) -> list[Build]:
    """Add ``extra`` tags to the build that already carries tag ``existing``."""
    for index, build in enumerate(builds):
        if existing in build.tags:
            builds[index] = build.with_tags(*extra)
            return builds
    raise KeyError(existing)


@dataclass(frozen=True)
class RepoSpec:
    namespace: str
    name: str
    description: str
    pull_count: int
    star_count: int
    badge: str | None
    categories: tuple[str, ...]
    registered: str
    builds: list[Build]
    about: str = ""
    publisher: tuple[str, str] | None = None
    updater: tuple[int, str] = (1156886, "doijanky")
    is_private: bool = False
    status: int = 1
    collaborators: tuple[str, ...] = ()
    readme: str | None = None
    readme_target: int = 0
    """Pad the generated README to about this many characters (0: no padding)."""
    logo: bool = True
    notice: str = ""
    """A deprecation notice, opening the generated README under its own heading (as docker-library/docs does)."""


CATEGORIES = {
    "languages": Category("Languages & frameworks", "languages-and-frameworks"),
    "os": Category("Operating systems", "operating-systems"),
    "databases": Category("Databases & storage", "databases-and-storage"),
    "web": Category("Web servers", "web-servers"),
    "devtools": Category("Developer tools", "developer-tools"),
    "networking": Category("Networking", "networking"),
    "data-science": Category("Data science", "data-science"),
    "monitoring": Category("Monitoring & observability", "monitoring-and-observability"),
}


# --------------------------------------------------------------------------- generation


def _moment(day: str, *salt: str, now: datetime) -> datetime:
    """A deterministic time of day on ``day``, never later than an hour before now."""
    jitter = _hash("time", day, *salt)
    moment = _day(day) + timedelta(seconds=jitter % 79_000, microseconds=jitter % 999_983)
    return min(moment, now - timedelta(hours=1))


def _later(moment: datetime, max_seconds: int, *salt: str) -> datetime:
    jitter = _hash("later", *salt)
    return moment + timedelta(seconds=1 + jitter % max_seconds, microseconds=jitter % 999_979)


def _status(last_pushed: datetime, last_pulled: datetime | None, now: datetime) -> str:
    latest = max(last_pushed, last_pulled) if last_pulled else last_pushed
    return "active" if now - latest <= ACTIVE_WINDOW else "inactive"


def _size(repo: str, build: Build, platform: Platform) -> int:
    base = SIZE_MB[build.profile] * 1_000_000 * ARCH_FACTOR.get(platform.architecture, 1.0)
    jitter = 1 + ((_hash(repo, build.tags[0], platform.key) % 801) - 400) / 10_000
    return int(base * jitter)


def _tags_for(spec: RepoSpec, repo_id: int, build: Build, now: datetime) -> list[Tag]:
    repo = f"{spec.namespace}/{spec.name}"
    # One release job per repository and day: its builds land within ~40 minutes.
    pushed = _later(_moment(build.pushed, repo, now=now), 2_400, repo, build.tags[0])
    pushed = min(pushed, now - timedelta(minutes=50))
    pulled: datetime | None
    if build.pulled is None:
        recent = _hash(repo, build.tags[0], "pull")
        pulled = now - timedelta(seconds=60 + recent % 43_200, microseconds=recent % 999_961)
    else:
        pulled = _moment(build.pulled, repo, build.tags[0], "pull", now=now)
    pulled = max(pulled, pushed)
    index_digest = _digest(repo, build.pushed, *build.tags)

    images: list[Image] = []
    for position, platform in enumerate(build.platforms):
        image_pushed = pushed - timedelta(seconds=40 * (len(build.platforms) - position))
        images.append(
            Image(
                architecture=platform.architecture,
                os=platform.os,
                variant=platform.variant,
                os_version=platform.os_version,
                digest=_digest(index_digest, platform.key),
                size=_size(repo, build, platform),
                status=_status(image_pushed, pulled, now),
                last_pulled=iso(pulled),
                last_pushed=iso(image_pushed),
            )
        )
    if build.attest:
        for platform in build.platforms:
            if platform.os == "windows":
                continue
            images.append(
                Image(
                    architecture="unknown",
                    os="unknown",
                    digest=_digest(index_digest, platform.key, "attestation"),
                    size=18_000 + _hash(index_digest, platform.key) % 42_000,
                    status=_status(pushed, pulled, now),
                    last_pulled=iso(pulled),
                    last_pushed=iso(pushed),
                )
            )

    if build.legacy:
        media_type = MEDIA_DOCKER_MANIFEST
    elif build.attest:
        media_type = MEDIA_OCI_INDEX
    else:
        media_type = MEDIA_DOCKER_LIST
    user_id, username = spec.updater

    result: list[Tag] = []
    for name in build.tags:
        tag_pushed = min(_later(pushed, 150, repo, name), now - timedelta(minutes=30))
        tag_pulled = max(pulled, tag_pushed) if pulled else None
        result.append(
            Tag(
                name=name,
                id=_hash(repo, name, "id") % 900_000_000 + 100_000_000,
                repository=repo_id,
                images=[replace(image) for image in images],
                last_updated=iso(tag_pushed),
                tag_last_pushed=iso(tag_pushed),
                tag_last_pulled=iso(tag_pulled) if tag_pulled else None,
                digest=None if build.legacy else index_digest,
                media_type=media_type,
                tag_status=_status(tag_pushed, tag_pulled, now),
                creator=user_id,
                last_updater=user_id,
                last_updater_username=username,
            )
        )
    return result


def _build_repository(spec: RepoSpec, now: datetime) -> Repository:
    repo_id = _hash(spec.namespace, spec.name, "repo") % 9_000_000 + 1_000_000
    repo_tags: list[Tag] = []
    seen: set[str] = set()
    for build in spec.builds:
        for tag in _tags_for(spec, repo_id, build, now):
            if tag.name in seen:
                raise ValueError(f"{spec.namespace}/{spec.name}: duplicate tag {tag.name}")
            seen.add(tag.name)
            repo_tags.append(tag)
    last_push = max((t.last_updated for t in repo_tags), default=iso(_day(spec.registered)))
    publisher_id, publisher_name = spec.publisher or (spec.namespace, spec.namespace)
    if spec.badge == "official":
        publisher_id, publisher_name = "docker", "Docker Official Images"
    slug = spec.name if spec.namespace == "library" else f"{spec.namespace}-{spec.name}"
    logo = (
        {
            "large": f"https://hub-logos.example.invalid/{slug}/large.png",
            "small": f"https://hub-logos.example.invalid/{slug}/small.png",
        }
        if spec.logo
        else {"large": "", "small": ""}
    )
    repository = Repository(
        namespace=spec.namespace,
        name=spec.name,
        id=repo_id,
        description=spec.description,
        full_description="",
        star_count=spec.star_count,
        pull_count=spec.pull_count,
        badge=spec.badge,
        date_registered=iso(_moment(spec.registered, spec.namespace, spec.name, now=now)),
        last_modified=last_push,
        categories=[replace(CATEGORIES[key]) for key in spec.categories],
        tags=repo_tags,
        publisher_id=publisher_id,
        publisher_name=publisher_name,
        logo_url=logo,
        is_private=spec.is_private,
        status=spec.status,
        collaborators=spec.collaborators,
        source=f"https://github.com/docker-library/{spec.name}" if spec.badge == "official" else None,
    )
    repository.full_description = (
        spec.readme if spec.readme is not None else _readme(spec, repository, now)
    )
    return repository


# --------------------------------------------------------------------------- READMEs


def _readme(spec: RepoSpec, repo: Repository, now: datetime) -> str:
    """Generate an official-image style README from the repository's own tags."""
    title = repo.name if repo.is_official else repo.full_name
    fresh = now - timedelta(days=60)
    groups: dict[str, list[str]] = {}
    platforms: dict[str, list[str]] = {}
    for tag in repo.tags:
        if tag.digest is None or parse_iso(tag.last_updated) < fresh:
            continue
        groups.setdefault(tag.digest, []).append(tag.name)
        platforms[tag.digest] = [i.platform for i in tag.platform_images]

    parts = [f"# **DEPRECATION NOTICE**\n\n{spec.notice}\n"] if spec.notice else []
    parts += [
        "# Quick reference\n",
        f"-\t**Maintained by**:  \n\t[the {title} image maintainers](https://example.invalid/{title})\n",
        "-\t**Where to get help**:  \n\tthe project's community forums, issue tracker or chat.\n",
        "# Supported tags and respective `Dockerfile` links\n",
    ]
    for names in groups.values():
        listed = ", ".join(f"`{name}`" for name in names)
        parts.append(f"-\t[{listed}](https://example.invalid/{title}/Dockerfile)")
    if not groups:
        parts.append("There are no supported tags: this image no longer receives updates.")
    parts.append("\n# Quick reference (cont.)\n")
    arches = ", ".join(f"`{a}`" for a in repo.architectures)
    parts.append(f"-\t**Supported architectures**: {arches}\n")
    parts.append(f"-\t**Source of this description**: the `{title}` docs directory.\n")
    parts.append(f"# What is {title}?\n\n{spec.about or spec.description}\n")
    parts.append(
        "# How to use this image\n\n"
        f"Pull the image with `docker pull {title}` and pin a tag that names the full "
        "version you tested, so that rebuilds stay reproducible:\n\n"
        f"```console\n$ docker run --rm -it {title}:latest\n```\n"
    )
    parts.append(_variants_section(title, [name for names in groups.values() for name in names]))
    if spec.readme_target:
        parts.extend(_padding(spec, repo, groups, platforms, spec.readme_target - len("\n".join(parts))))
    parts.append(
        "# License\n\nView license information for the software contained in this image. "
        "As with all container images, these likely also contain other software which may "
        "be under other licenses, along with any direct or indirect dependencies.\n"
    )
    return "\n".join(parts)


_VARIANT_NOTES = (
    ("slim", "`{title}:<version>-slim`: the default image without build tools and documentation; "
     "install what you need, or start from the default image when compiling native code."),
    ("alpine", "`{title}:<version>-alpine`: built on Alpine Linux and musl libc, the smallest variant; "
     "some prebuilt binaries and native extensions expect glibc and will not work."),
    ("windowsservercore", "`{title}:<version>-windowsservercore`: Windows Server Core based; it only "
     "runs on Windows hosts whose kernel version matches (for example ltsc2022)."),
)


def _variants_section(title: str, names: list[str]) -> str:
    lines = [
        "# Image Variants\n",
        f"`{title}:<version>`: the default image, a good choice when unsure; it is built on the "
        "current Debian (or the distribution named in the tag) and includes common packages.\n",
    ]
    for marker, note in _VARIANT_NOTES:
        if any(marker in name for name in names):
            lines.append(note.format(title=title) + "\n")
    return "\n".join(lines)


def _padding(
    spec: RepoSpec,
    repo: Repository,
    groups: dict[str, list[str]],
    platforms: dict[str, list[str]],
    budget: int,
) -> list[str]:
    """Per-image detail sections, enough to bring a README near its target length."""
    out: list[str] = ["# Tag details\n"]
    used = 0
    for digest, names in groups.items():
        if used >= budget:
            break
        section = (
            f"## `{names[0]}`\n\n"
            f"Also tagged: {', '.join(f'`{n}`' for n in names[1:]) or 'none'}.\n\n"
            f"-\tPlatforms: {', '.join(platforms[digest])}\n"
            f"-\tIndex digest: `{digest}`\n"
            "-\tRebuilt whenever the base image or the upstream release changes; expect the "
            "digest to move while the tag name stays the same.\n"
            "-\tTo reproduce a build exactly, reference the image by digest rather than by tag, "
            "and record the digest in your lock file or deployment manifest.\n"
        )
        out.append(section)
        used += len(section)
    return out


# --------------------------------------------------------------------------- the spec


#: openjdk's notice as docker-library/docs writes it (openjdk/README.md at c4a9ba4, in
#: /work/shared/data/official-images-docs), shortened to its first two paragraphs.
OPENJDK_NOTICE = (
    "This image is officially deprecated and all users are recommended to find and use suitable replacements"
    " ASAP. Some examples of other Official Image alternatives (listed in alphabetical order with no"
    " intentional or implied preference):\n\n"
    "-\t[`amazoncorretto`](https://hub.docker.com/_/amazoncorretto)\n"
    "-\t[`eclipse-temurin`](https://hub.docker.com/_/eclipse-temurin)\n"
    "-\t[`ibm-semeru-runtimes`](https://hub.docker.com/_/ibm-semeru-runtimes)\n"
    "-\t[`ibmjava`](https://hub.docker.com/_/ibmjava)\n"
    "-\t[`sapmachine`](https://hub.docker.com/_/sapmachine)\n\n"
    "See [docker-library/openjdk#505](https://github.com/docker-library/openjdk/issues/505) for more information."
)


def _python() -> list[Build]:
    debian = [(("-trixie", ""), "python", STD), (("-slim-trixie", "-slim"), "python-slim", STD),
              (("-bookworm",), "python", STD), (("-slim-bookworm",), "python-slim", STD)]

    def alpines(*versions: str) -> list[Variant]:
        first, *rest = versions
        out: list[Variant] = [((f"-alpine{first}", "-alpine"), "python-alpine", alpine_platforms(first))]
        out += [((f"-alpine{v}",), "python-alpine", alpine_platforms(v)) for v in rest]
        return out

    windows: list[Variant] = [
        (("-windowsservercore-ltsc2022", "-windowsservercore"), "python-windows", WINDOWS)
    ]
    builds: list[Build] = []
    # Maintained lines, newest first; 3.14 carries the major and bare aliases.
    builds += line(("3.14.0", "3.14", "3", ""), debian + alpines("3.22", "3.21") + windows, "2026-11-12")
    builds += line(("3.13.9", "3.13"), debian + alpines("3.22", "3.21") + windows, "2026-11-12")
    builds += line(("3.12.12", "3.12"), debian + alpines("3.22", "3.21"), "2026-11-05")
    builds += line(("3.11.14", "3.11"), debian + alpines("3.22", "3.21"), "2026-11-05")
    builds += line(("3.10.19", "3.10"), debian + alpines("3.22", "3.21"), "2026-10-29")
    # Prerelease.
    builds += line(("3.15.0a1", "3.15-rc"), debian + alpines("3.22"), "2026-11-14")
    # Stale: 3.9 (end of life, last pushed 2025-10) and 3.8 (last pushed 2024-10-07).
    builds += line(("3.9.25", "3.9"), debian + alpines("3.22", "3.21"), "2025-10-31")
    builds += line(
        ("3.8.20", "3.8"),
        [(("-bookworm", ""), "python", STD), (("-slim-bookworm", "-slim"), "python-slim", STD),
         (("-bullseye",), "python-bullseye", STD), (("-slim-bullseye",), "python-slim", STD)]
        + alpines("3.20", "3.19"),
        "2024-10-07",
    )
    # Superseded patch releases keep their tags on Hub.
    superseded = [(("-bookworm", ""), "python", STD), (("-slim-bookworm", "-slim"), "python-slim", STD),
                  (("-alpine3.20", "-alpine"), "python-alpine", STD)]
    builds += line(("3.12.7",), superseded, "2024-12-03", pulled="2026-09-02")
    builds += line(("3.13.0",), superseded, "2024-12-03", pulled="2026-10-11")
    builds += line(("3.14.0rc3",), debian[:2], "2025-09-19", pulled="2026-01-15")
    # Python 2: multi-arch but from before attestations; 2.7.9 is a 2015 single-arch push.
    builds += line(("2.7.18", "2.7", "2"), [(("-buster", ""), "python-legacy", STD),
                                             (("-slim-buster", "-slim"), "python-slim", STD)],
                   "2020-04-24", attest=False, pulled="2026-11-02")
    builds.append(Build(("2.7.9",), "python-legacy", "2015-06-09", AMD_ONLY, attest=False,
                        pulled="2024-05-06", legacy=True))
    return builds


def _node() -> list[Build]:
    def variants(alpine: Platforms, debian: Platforms) -> list[Variant]:
        return [(("-bookworm", ""), "node", debian), (("-bookworm-slim", "-slim"), "node-slim", debian),
                (("-trixie",), "node", debian), (("-trixie-slim",), "node-slim", debian),
                (("-alpine3.22", "-alpine"), "node-alpine", alpine), (("-alpine3.21",), "node-alpine", alpine)]

    new = (AMD64, ARM64, PPC64LE, S390X)
    builds = line(("25.2.1", "25.2", "25", "current", ""), variants(AMD_ARM, new), "2026-11-13")
    builds += line(("24.11.1", "24.11", "24", "krypton", "lts"), variants(AMD_ARM, new), "2026-11-13")
    builds += line(("22.21.1", "22.21", "22", "jod"), variants((AMD64, ARMV7, ARM64), STD), "2026-11-06")
    builds += line(("20.19.5", "20.19", "20", "iron"), variants((AMD64, ARMV7, ARM64), STD), "2026-10-22")
    return builds


def _golang() -> list[Build]:
    variants: list[Variant] = [
        (("-trixie", ""), "golang", STD), (("-bookworm",), "golang", STD),
        (("-alpine3.22", "-alpine"), "golang-alpine", STD_RISCV), (("-alpine3.21",), "golang-alpine", STD_RISCV),
        (("-windowsservercore-ltsc2022", "-windowsservercore"), "golang-windows", WINDOWS),
        (("-nanoserver-ltsc2022", "-nanoserver"), "golang-nano", WINDOWS),
    ]
    # As of the catalog's clock: Go supports the two newest releases (1.27 from 2026-08, 1.26); Official
    # Images stop building a line when it leaves support (1.25 in 2026-08, 1.24 in 2026-02).
    builds = line(("1.27.3", "1.27", "1", ""), variants, "2026-11-07")
    builds += line(("1.26.7", "1.26"), variants, "2026-11-07")
    builds += line(("1.25.4", "1.25"), variants[:3], "2026-08-13")
    builds += line(("1.24.10", "1.24"), variants[:3], "2026-02-12")
    builds += line(("1.23.12", "1.23"), variants[:3], "2025-08-07")
    return builds


def _temurin() -> list[Build]:
    def variants(jdk: Platforms) -> list[Variant]:
        return [(("-jdk-noble", "-jdk", "-noble", ""), "temurin-jdk", jdk),
                (("-jre-noble", "-jre"), "temurin-jre", jdk),
                (("-jdk-jammy",), "temurin-jdk", jdk), (("-jre-jammy",), "temurin-jre", jdk),
                (("-jdk-alpine-3.22", "-jdk-alpine", "-alpine"), "temurin-jdk-alpine", AMD_ARM),
                (("-jre-alpine-3.22", "-jre-alpine"), "temurin-jre-alpine", AMD_ARM)]

    builds = line(("25.0.1_8", "25"), variants((AMD64, ARM64, PPC64LE, RISCV64, S390X)), "2026-11-04")
    alias(builds, "25-jdk-noble", "latest")
    builds += line(("21.0.9_10", "21"), variants(STD_RISCV), "2026-11-04")
    builds += line(("17.0.17_10", "17"), variants(STD), "2026-11-04")
    return builds


def _openjdk() -> list[Build]:
    oracle: list[Variant] = [
        (("-jdk-oraclelinux8", "-oraclelinux8", "-jdk", ""), "openjdk", AMD_ARM),
        (("-jdk-slim-bullseye", "-slim-bullseye", "-jdk-slim", "-slim"), "openjdk-slim", AMD_ARM),
        (("-jdk-windowsservercore-ltsc2022", "-windowsservercore-ltsc2022",
          "-jdk-windowsservercore", "-windowsservercore"), "openjdk-windows", WINDOWS),
    ]
    debian: list[Variant] = [
        (("-jdk-bullseye", "-bullseye", "-jdk", ""), "openjdk-debian", AMD_ARM),
        (("-jdk-slim-bullseye", "-jdk-slim", "-slim"), "openjdk-slim", AMD_ARM),
        (("-jre",), "openjdk-jre", AMD_ARM), (("-jre-slim",), "openjdk-jre-slim", AMD_ARM),
    ]
    # Pushed before attestations existed, yet still pulled every day.
    still_pulled = "2026-11-18"
    builds = line(("18.0.2.1", "18.0.2", "18.0", "18"), oracle, "2022-08-12", attest=False, pulled=still_pulled)
    alias(builds, "18", "latest")
    builds += line(("17.0.2", "17.0", "17"), oracle, "2022-02-08", attest=False, pulled=still_pulled)
    builds += line(("11.0.16", "11.0", "11"), debian, "2022-08-19", attest=False, pulled=still_pulled)
    builds += line(("8u342", "8"), debian, "2022-08-19", attest=False, pulled=still_pulled)
    builds.append(Build(("8-jdk-alpine", "8-alpine"), "openjdk-alpine", "2019-05-11", AMD_ONLY,
                        attest=False, pulled="2024-03-02", legacy=True))
    builds.append(Build(("7-jre", "7u221-jre"), "openjdk-jre", "2019-07-23", AMD_ONLY,
                        attest=False, pulled="2023-12-19", legacy=True))
    return builds


def _nginx() -> list[Build]:
    variants: list[Variant] = [
        (("-trixie", ""), "nginx", STD), (("-trixie-perl", "-perl"), "nginx-perl", STD),
        (("-alpine3.22", "-alpine"), "nginx-alpine", STD_RISCV),
        (("-alpine3.22-slim", "-alpine-slim"), "nginx-alpine-slim", STD_RISCV),
        (("-alpine3.22-perl", "-alpine-perl"), "nginx-alpine-perl", STD_RISCV),
    ]
    builds = line(("1.29.3", "mainline", "1", "1.29", ""), variants, "2026-11-10")
    builds += line(("1.28.0", "stable", "1.28"), variants, "2026-11-10")
    builds += line(("1.27.5", "1.27"), [(("-bookworm", ""), "nginx", STD),
                                         (("-alpine3.21", "-alpine"), "nginx-alpine", STD_RISCV),
                                         (("-alpine-slim",), "nginx-alpine-slim", STD_RISCV)], "2025-04-16")
    return builds


def _postgres() -> list[Build]:
    def variants(alpine: str = "3.22") -> list[Variant]:
        return [(("-trixie", ""), "postgres", STD), (("-bookworm",), "postgres", STD),
                ((f"-alpine{alpine}", "-alpine"), "postgres-alpine", alpine_platforms(alpine)),
                (("-alpine3.21",), "postgres-alpine", STD_RISCV)]

    builds = line(("18.1", "18", ""), variants(), "2026-11-14")
    builds += line(("17.7", "17"), variants(), "2026-11-14")
    builds += line(("16.11", "16"), variants(), "2026-11-14")
    builds += line(("13.23", "13"), [(("-bookworm", ""), "postgres", STD),
                                      (("-alpine3.22", "-alpine"), "postgres-alpine", STD_RISCV)], "2025-11-13")
    return builds


def _redis() -> list[Build]:
    variants: list[Variant] = [(("-bookworm", ""), "redis", STD),
                               (("-alpine3.22", "-alpine"), "redis-alpine", STD_RISCV)]
    builds = line(("8.2.3", "8.2", "8", ""), variants, "2026-11-08")
    builds += line(("8.0.5", "8.0"), variants, "2026-11-08")
    builds += line(("7.4.7", "7.4", "7"), variants, "2026-11-08")
    builds += line(("6.2.20", "6.2", "6"), [(("-bookworm", ""), "redis", STD),
                                             (("-alpine3.21", "-alpine"), "redis-alpine", STD_RISCV)], "2025-07-07")
    return builds


def _alpine() -> list[Build]:
    return [
        Build(("3.22.2", "3.22", "3", "latest"), "alpine", "2026-11-06", ALPINE_ALL),
        Build(("3.21.5", "3.21"), "alpine", "2026-11-06", ALPINE_ALL),
        Build(("3.20.8", "3.20"), "alpine", "2026-04-01", ALPINE_OLD),
        Build(("3.19.9", "3.19"), "alpine", "2025-10-08", ALPINE_OLD),
        Build(("edge", "20261101"), "alpine", "2026-11-03", ALPINE_ALL),
    ]


def _debian() -> list[Build]:
    full = (AMD64, ARMV5, ARMV7, ARM64, I386, PPC64LE, S390X)
    return [
        Build(("trixie", "trixie-20261110", "13", "13.2", "latest"), "debian", "2026-11-11", full + (RISCV64,)),
        Build(("trixie-slim", "trixie-20261110-slim", "13-slim", "13.2-slim"), "debian-slim", "2026-11-11",
              full + (RISCV64,)),
        Build(("stable", "stable-20261110"), "debian", "2026-11-11", full + (RISCV64,)),
        Build(("stable-slim",), "debian-slim", "2026-11-11", full + (RISCV64,)),
        Build(("bookworm", "bookworm-20261110", "12", "12.12"), "debian", "2026-11-11", full + (MIPS64LE,)),
        Build(("bookworm-slim", "bookworm-20261110-slim", "12-slim", "12.12-slim"), "debian-slim",
              "2026-11-11", full + (MIPS64LE,)),
        Build(("bullseye", "bullseye-20261110", "11", "11.11"), "debian", "2026-11-11",
              (AMD64, ARMV5, ARMV7, ARM64, I386)),
        Build(("buster", "10", "10.13"), "debian", "2024-06-13", (AMD64, ARMV5, ARMV7, ARM64, I386),
              attest=False, pulled="2026-11-15"),
    ]


def _ubuntu() -> list[Build]:
    arches = (AMD64, ARMV7, ARM64, PPC64LE, RISCV64, S390X)
    return [
        Build(("noble", "noble-20261015", "24.04", "latest"), "ubuntu", "2026-10-27", arches),
        Build(("jammy", "jammy-20261015", "22.04"), "ubuntu", "2026-10-27", arches),
        Build(("questing", "questing-20261012", "25.10", "rolling"), "ubuntu", "2026-10-27", arches),
        Build(("plucky", "plucky-20251001", "25.04"), "ubuntu", "2026-01-16", arches, pulled="2026-11-10"),
        Build(("focal", "focal-20250404", "20.04"), "ubuntu", "2025-05-29", arches, pulled="2026-11-19"),
        # the end of its standard support (2023-05-31); real Hub still serves the tags
        Build(("bionic", "bionic-20230522", "18.04"), "ubuntu", "2023-05-31", arches),
    ]


def _php() -> list[Build]:
    plats = STD + (I386,)
    variants: list[Variant] = [
        (("-cli-trixie", "-trixie", "-cli", ""), "php", plats),
        (("-apache-trixie", "-apache"), "php-apache", plats),
        (("-fpm-trixie", "-fpm"), "php-fpm", plats),
        (("-zts-trixie", "-zts"), "php-zts", plats),
        (("-cli-bookworm", "-bookworm"), "php", plats),
        (("-apache-bookworm",), "php-apache", plats),
        (("-fpm-bookworm",), "php-fpm", plats),
        (("-cli-alpine3.22", "-alpine3.22", "-cli-alpine", "-alpine"), "php-alpine", STD_RISCV),
        (("-fpm-alpine3.22", "-fpm-alpine"), "php-fpm-alpine", STD_RISCV),
    ]
    builds = line(("8.4.14", "8.4", "8", ""), variants, "2026-11-09")
    builds += line(("8.3.27", "8.3"), variants, "2026-11-09")
    builds += line(("8.1.33", "8.1"), variants[:4], "2025-12-18")
    return builds


def _ruby() -> list[Build]:
    variants: list[Variant] = [
        (("-trixie", ""), "ruby", STD), (("-slim-trixie", "-slim"), "ruby-slim", STD),
        (("-bookworm",), "ruby", STD), (("-slim-bookworm",), "ruby-slim", STD),
        (("-alpine3.22", "-alpine"), "ruby-alpine", STD_RISCV),
    ]
    builds = line(("3.4.7", "3.4", "3", ""), variants, "2026-11-05")
    builds += line(("3.3.10", "3.3"), variants, "2026-11-05")
    builds += line(("3.2.9", "3.2"), variants, "2026-10-21")
    return builds


def _rust() -> list[Build]:
    plats = (AMD64, ARMV7, ARM64, I386, PPC64LE, S390X)
    variants: list[Variant] = [
        (("-trixie", ""), "rust", plats), (("-slim-trixie", "-slim"), "rust-slim", plats),
        (("-bookworm",), "rust", plats), (("-slim-bookworm",), "rust-slim", plats),
        (("-alpine3.22", "-alpine"), "rust-alpine", AMD_ARM),
    ]
    builds = line(("1.91.1", "1.91", "1", ""), variants, "2026-11-11")
    builds += line(("1.90.0", "1.90"), variants, "2026-10-30")
    builds += line(("1.89.0", "1.89"), variants[:2], "2026-09-18")
    return builds


def _httpd() -> list[Build]:
    return line(("2.4.65", "2.4", "2", ""),
                [(("-trixie", ""), "httpd", STD + (I386,)),
                 (("-alpine3.22", "-alpine"), "httpd-alpine", STD_RISCV)], "2026-11-07")


def _mysql() -> list[Build]:
    oracle: list[Variant] = [(("-oraclelinux9", "-oracle", ""), "mysql", AMD_ARM)]
    builds = line(("9.5.0", "9.5", "9", "innovation", ""), oracle, "2026-10-22")
    builds += line(("8.4.7", "8.4", "8", "lts"), oracle, "2026-10-22")
    builds += line(("8.0.44", "8.0"), oracle + [(("-bookworm", "-debian"), "mysql-debian", AMD_ONLY)], "2026-10-22")
    builds += line(("5.7.44", "5.7", "5"), [(("-oraclelinux7", "-oracle", ""), "mysql-legacy", AMD_ONLY)],
                   "2023-10-25", attest=False, pulled="2026-11-19")
    return builds


def _maven() -> list[Build]:
    """Shaped like docker-library/official-images library/maven at 37079fb: the maven version
    first, then the JDK vendor and its major (``3.9-eclipse-temurin-21``); ``latest`` on the
    newest JDK, a non-LTS one (26 there, ended by TODAY), and a release candidate of maven 4."""
    builds: list[Build] = []
    for jdk in ("26", "25", "21", "17"):
        variants: list[Variant] = [
            ((f"-eclipse-temurin-{jdk}-noble", f"-eclipse-temurin-{jdk}"), "maven", STD),
            ((f"-eclipse-temurin-{jdk}-alpine",), "maven-alpine", AMD_ARM),
        ]
        builds += line(("3.9.16", "3.9", "3"), variants, "2026-11-06")
    alias(builds, "3.9.16-eclipse-temurin-26", "3.9.16", "3.9", "3", "latest")
    builds += line(("4.0.0-rc-5",), [(("-eclipse-temurin-25-noble",), "maven", STD)], "2026-11-06")
    return builds


def _busybox() -> list[Build]:
    wide = (AMD64, ARMV5, ARMV6, ARMV7, ARM64, I386, MIPS64LE, PPC64LE, RISCV64, S390X)
    builds = line(("1.37.0", "1.37", "1", "stable", ""),
                  [(("-glibc", ""), "busybox", wide), (("-musl",), "busybox-musl", wide),
                   (("-uclibc",), "busybox-uclibc", (AMD64, ARMV5, ARMV7, ARM64, I386, MIPS64LE, RISCV64))],
                  "2026-11-03")
    builds += line(("1.36.1", "1.36"), [(("-glibc", ""), "busybox", wide)], "2025-06-30")
    return builds


def _simple(tags_and_dates: Sequence[tuple[tuple[str, ...], str]], profile: str, plats: Platforms,
            *, attest: bool = False) -> list[Build]:
    return [Build(names, profile, day, plats, attest) for names, day in tags_and_dates]


OFFICIAL = ("official",)
DB = ("databases",)


def _specs() -> list[RepoSpec]:
    lib = "library"
    return [
        RepoSpec(lib, "python", "Python is an interpreted, interactive, object-oriented, open-source "
                 "programming language.", 9_124_337_803, 10_112, "official", ("languages",), "2014-06-09",
                 _python(), readme_target=20_000,
                 about="Python is a general-purpose programming language that emphasises readable code. "
                 "It ships a large standard library and an ecosystem of third-party packages on PyPI, "
                 "and is used for web services, automation, data analysis and teaching."),
        RepoSpec(lib, "node", "Node.js is a JavaScript-based platform for server-side and networking "
                 "applications.", 8_213_004_112, 13_801, "official", ("languages", "web"), "2014-06-04",
                 _node(), readme_target=9_000),
        RepoSpec(lib, "golang", "Go (golang) is a general purpose, higher-level, imperative programming "
                 "language.", 3_310_776_540, 5_022, "official", ("languages",), "2014-07-07", _golang(),
                 readme_target=6_000),
        RepoSpec(lib, "eclipse-temurin", "Official Images for OpenJDK binaries built by Eclipse Temurin.",
                 1_402_558_937, 1_511, "official", ("languages",), "2021-06-14", _temurin(),
                 readme_target=6_000),
        RepoSpec(lib, "openjdk", "DEPRECATED; pre-release, non-production builds of OpenJDK. Use "
                 "eclipse-temurin or another vendor.", 1_871_223_450, 4_198, "official",
                 ("languages",), "2014-09-04", _openjdk(),
                 about="This image is officially deprecated and all users are recommended to find and use "
                 "suitable replacements ASAP. Some examples of other Official Image alternatives: "
                 "eclipse-temurin, amazoncorretto, ibm-semeru-runtimes, sapmachine.",
                 notice=OPENJDK_NOTICE),
        RepoSpec(lib, "nginx", "Official build of Nginx.", 11_004_256_770, 20_715, "official",
                 ("web", "networking"), "2014-06-05", _nginx(), readme_target=8_000),
        RepoSpec(lib, "postgres", "The PostgreSQL object-relational database system provides reliability "
                 "and data integrity.", 9_002_117_421, 14_306, "official", DB, "2014-06-11", _postgres(),
                 readme_target=9_000),
        RepoSpec(lib, "redis", "Redis is the world's fastest data platform for caching, vector search, "
                 "and NoSQL databases.", 7_610_002_003, 13_180, "official", DB, "2014-06-04", _redis()),
        RepoSpec(lib, "alpine", "A minimal Docker image based on Alpine Linux with a complete package "
                 "index and only 5 MB in size!", 10_551_230_016, 11_497, "official", ("os",), "2014-09-18",
                 _alpine()),
        RepoSpec(lib, "debian", "Debian is a Linux distribution that's composed entirely of free and "
                 "open-source software.", 3_118_003_765, 5_201, "official", ("os",), "2014-06-05",
                 _debian()),
        RepoSpec(lib, "ubuntu", "Ubuntu is a Debian-based Linux operating system based on free software.",
                 2_003_554_113, 17_630, "official", ("os",), "2014-06-05", _ubuntu()),
        RepoSpec(lib, "php", "While designed for web development, the PHP scripting language also "
                 "provides general-purpose use.", 1_220_667_090, 7_614, "official", ("languages", "web"),
                 "2014-09-12", _php(), readme_target=7_000),
        RepoSpec(lib, "ruby", "Ruby is a dynamic, reflective, object-oriented, general-purpose, open-source "
                 "programming language.", 1_014_558_302, 2_387, "official", ("languages",), "2014-06-05",
                 _ruby()),
        RepoSpec(lib, "rust", "Rust is a systems programming language focused on safety, speed, and "
                 "concurrency.", 189_220_417, 1_162, "official", ("languages",), "2016-11-08", _rust()),
        RepoSpec(lib, "httpd", "The Apache HTTP Server Project", 4_110_002_871, 4_885, "official", ("web",),
                 "2014-11-25", _httpd()),
        RepoSpec(lib, "mysql", "MySQL is a widely used, open-source relational database management system "
                 "(RDBMS).", 2_870_115_336, 15_820, "official", DB, "2014-06-05", _mysql()),
        RepoSpec(lib, "maven", "Apache Maven is a software project management and comprehension tool.",
                 1_250_330_118, 1_812, "official", ("languages",), "2014-09-24", _maven()),
        RepoSpec(lib, "busybox", "Busybox base image.", 1_902_336_118, 3_421, "official", ("os",),
                 "2014-06-05", _busybox()),
        # Verified publisher.
        RepoSpec("bitnami", "redis", "Bitnami Secure Image for redis", 1_203_338_115, 1_110,
                 "verified_publisher", DB, "2015-12-01",
                 _simple([(("8.2.2-debian-12-r3", "8.2.2", "8.2", "latest"), "2026-11-18"),
                          (("7.4.6-debian-12-r0", "7.4.6", "7.4"), "2026-10-02")], "bitnami-redis", AMD_ARM),
                 publisher=("bitnami", "VMware"), updater=(2113417, "bitnamibot")),
        RepoSpec("bitnami", "postgresql", "Bitnami Secure Image for postgresql", 788_541_227, 342,
                 "verified_publisher", DB, "2016-02-19",
                 _simple([(("18.1.0-debian-12-r0", "18.1.0", "18", "latest"), "2026-11-17"),
                          (("17.7.0-debian-12-r0", "17.7.0", "17"), "2026-11-17")], "bitnami-postgresql",
                         AMD_ARM),
                 publisher=("bitnami", "VMware"), updater=(2113417, "bitnamibot")),
        # Docker-Sponsored Open Source.
        RepoSpec("jupyter", "base-notebook", "Base image for Jupyter Notebook stacks with Python and "
                 "JupyterLab.", 51_240_338, 219, "open_source", ("data-science",), "2015-08-20",
                 _simple([(("2026-11-16", "python-3.12", "ubuntu-24.04", "latest"), "2026-11-16"),
                          (("2026-10-19",), "2026-10-19")], "jupyter", AMD_ARM, attest=True),
                 publisher=("jupyter", "Project Jupyter"), updater=(881533, "jupyterbot"),
                 readme="# Jupyter base notebook\n\nA minimal JupyterLab image. See the project documentation "
                 "for the full stack of notebook images.\n"),
        # Community.
        RepoSpec("someuser", "python-tools", "Handy Python CLI tools (black, ruff, httpie) in one image",
                 12_345, 7, "none", ("devtools",), "2023-02-11",
                 [Build(("latest", "0.4.1"), "python-tools", "2026-10-30", AMD_ARM),
                  Build(("0.4.0",), "python-tools", "2025-06-02", AMD_ARM, pulled="2026-05-01"),
                  Build(("0.3.0",), "python-tools", "2024-03-17", AMD_ONLY, attest=False, pulled="2025-01-09")],
                 updater=(5512390, "someuser"), logo=False,
                 readme="# python-tools\n\nA grab bag of Python command line tools.\n\n```\ndocker run --rm "
                 "someuser/python-tools ruff check .\n```\n"),
        RepoSpec("someuser", "legacy-scraper", "Old web scraper, no longer maintained", 734, 0, None,
                 (), "2018-11-02",
                 [Build(("latest", "1.0"), "scraper", "2019-01-14", AMD_ONLY, attest=False,
                        pulled="2023-07-30", legacy=True)],
                 updater=(5512390, "someuser"), status=6, logo=False, readme=""),
        # Private.
        RepoSpec("alice", "private-app", "Alice's private application", 214, 0, None, (), "2025-03-03",
                 [Build(("latest", "v1.2.0"), "private-app", "2026-11-15", AMD_ARM),
                  Build(("v1.1.0",), "private-app", "2026-08-20", AMD_ARM, pulled="2026-09-01")],
                 updater=(7723001, "alice"), is_private=True, logo=False,
                 readme="# private-app\n\nInternal use only.\n"),
        RepoSpec("acme", "internal-api", "ACME internal API service", 1_503, 0, None, (), "2024-09-09",
                 [Build(("main", "sha-1a2b3c4", "2026.11.1"), "internal-api", "2026-11-18", AMD_ONLY)],
                 updater=(7723001, "alice"), is_private=True, collaborators=("alice",), logo=False,
                 readme="# internal-api\n\nACME's internal API. Ask #platform for access.\n"),
    ]


@lru_cache(maxsize=1)
def _frozen_default() -> Catalog:
    return Catalog(now=CATALOG_NOW, repositories=[_build_repository(s, CATALOG_NOW) for s in _specs()])


def default_catalog() -> Catalog:
    """A fresh deep copy of the default catalog (tests may mutate it freely)."""
    return _frozen_default().copy()


def catalog_with_unmaintained() -> Catalog:
    """The default catalog plus two repositories the end-of-life table has no row for: library/centos
    as Hub shows it (deprecated, last pushed 2021-09-16) and someuser/old-cli (not marked, but no push
    since 2024-05-02)."""
    catalog = default_catalog()
    specs = [
        RepoSpec("library", "centos", "DEPRECATED; The official build of CentOS.", 1_000_000_000, 7_000, "official",
                 ("os",), "2014-06-05", [Build(("7", "centos7", "7.9.2009"), "busybox", "2021-09-16", AMD_ONLY)]),
        RepoSpec("someuser", "old-cli", "A command line tool in an image", 5_120, 2, None, (), "2023-01-10",
                 [Build(("latest", "2.1"), "scraper", "2024-05-02", AMD_ONLY)], updater=(5512390, "someuser")),
    ]  # fmt: skip
    for spec in specs:
        catalog.add(_build_repository(spec, catalog.now))
    return catalog


def pull_count_label(pulls: int) -> str:
    """Hub search's rounded pull count string: ``"1B+"``, ``"500M+"``, ``"10K+"``, ``"734"``."""
    steps = (
        (1_000_000_000, "1B+"), (500_000_000, "500M+"), (100_000_000, "100M+"), (50_000_000, "50M+"),
        (10_000_000, "10M+"), (5_000_000, "5M+"), (1_000_000, "1M+"), (500_000, "500K+"),
        (100_000, "100K+"), (50_000, "50K+"), (10_000, "10K+"), (5_000, "5K+"), (1_000, "1K+"),
    )
    for threshold, label in steps:
        if pulls >= threshold:
            return label
    return str(pulls)


__all__ = [
    "ACTIVE_WINDOW", "ARCH_LABELS", "CATALOG_NOW", "Build", "Catalog", "Category", "Image", "OS_LABELS",
    "Platform", "RepoSpec", "Repository", "Tag", "default_catalog", "iso", "parse_iso", "pull_count_label",
]
