"""A realistic fake-Hub catalog for the base-image advisor benchmark, built from ``../shared/data``.

What comes from real data (``/work/shared/data``, see its READMEs):

* **Which tags exist, and their architectures**: ``official-images/library/<name>`` (Docker
  Official Images' library files at commit 37079fb, 2026-08-21). Each entry paragraph is one
  multi-platform image: all its ``Tags`` share one index digest and the same per-platform
  manifests; a ``SharedTags`` tag (``3.14``, ``latest``) is an index combining the images of
  every entry that lists it (Linux + Windows), with a digest of its own. Bashbrew
  architectures become OCI platforms (``arm64v8`` -> ``linux/arm64/v8``, ``windows-amd64`` ->
  ``windows/amd64`` with the ``Constraints`` OS version).
* **Stale tags**: ``official-images/tag-history.jsonl.gz`` rows no longer current but removed
  on or after 2021-01-01 (``python:3.8*``, ``node:14/16/18/20*``, ``openjdk:17*``...). Docker
  Hub keeps such tags, so the fake serves them, last pushed on their ``last_seen`` day, with
  the architectures of their last listing (``null`` -> amd64).
* **Short descriptions, READMEs and categories**: ``official-images-docs/hub-docs.jsonl.gz``.

What is SYNTHETIC (the data has no sizes, digests, dates or pull counts; every value below is
derived deterministically from SHA-256 hashes of names, so each run sees the same catalog):

* **Sizes** per variant (:data:`SIZE_PROFILES`): full Debian python/node ~350-450 MB, slim
  ~45-80 MB, alpine ~20-60 MB, Windows ~2 GB, ``jre`` < ``jdk``; +-4 % jitter, scaled per
  architecture.
* **Push dates**: every current tag was pushed 1-20 days before :data:`CATALOG_NOW`
  (2026-11-20), i.e. the library files of 2026-08-21 are taken as what is still built three
  months later; removed tags on their ``last_seen`` day. Pull dates: hours ago for current
  tags, up to three months ago for removed ones.
* **Digests**, tag ids, **pull and star counts** (:data:`POPULARITY`, rough orders of magnitude).
* ``openjdk``'s short description gets a ``DEPRECATED;`` prefix (its README opens with the
  deprecation notice; Hub marks the image deprecated).
* A handful of non-official repositories for trust variety (:func:`extra_repositories`):
  verified publisher ``bitnami/redis``, ``bitnami/postgresql``, ``bitnami/python`` and the
  community lookalikes ``someuser/python`` and ``someuser/openjdk`` (a re-push of removed
  openjdk tags: a trap).

Not modelled: Docker Hardened Images (``dhi.io``; another registry, behind access).

Usage::

    from benchmarks.advisor_catalog import build_catalog
    catalog = build_catalog(Path("/work/shared/data"))     # ~4-5 s, ~61k tags, ~230 MB RSS
    hub = FakeHub(catalog, enforce_rate_limit=False)
"""

from __future__ import annotations

import gzip
import hashlib
import json
import re
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from tests.fakes.catalog import (
    ACTIVE_WINDOW,
    CATALOG_NOW,
    MEDIA_DOCKER_LIST,
    MEDIA_OCI_INDEX,
    Catalog,
    Category,
    Image,
    Repository,
    Tag,
    iso,
)

__all__ = [
    "CATALOG_NOW",
    "HISTORY_SINCE",
    "OFFICIAL_REPOSITORIES",
    "SIZE_PROFILES",
    "HistoryRow",
    "LibraryEntry",
    "build_catalog",
    "build_full_catalog",
    "default_shared_dir",
    "extra_repositories",
    "has_platforms",
    "library_repositories",
    "parse_library",
    "platform_matches",
    "read_history",
]

OFFICIAL_REPOSITORIES: tuple[str, ...] = (
    "python", "node", "golang", "eclipse-temurin", "amazoncorretto", "openjdk", "php", "ruby", "rust",
    "postgres", "mysql", "mariadb", "redis", "mongo", "nginx", "httpd", "alpine", "debian", "ubuntu",
    "busybox", "haproxy", "traefik", "memcached", "rabbitmq", "caddy", "sapmachine",
)  # fmt: skip
"""The official images the benchmark's queries need (26 of the 137 with tags)."""

HISTORY_SINCE = "2021-01-01"
"""Removed tags are served only when removed on or after this day (``None``: none are served)."""

ATTESTATIONS_SINCE = "2023-07-01"
"""Official images carry provenance/SBOM attestation entries from about here on (synthetic rule)."""

TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")


def default_shared_dir() -> Path:
    """``../shared/data`` next to the project checkout (``/work/shared/data``)."""
    return Path(__file__).resolve().parents[2] / "shared" / "data"


# --------------------------------------------------------------------------- platforms


@dataclass(frozen=True)
class Platform:
    os: str
    architecture: str
    variant: str | None = None
    os_version: str | None = None
    key: str = field(init=False, compare=False)
    """``os/arch[/variant]``, e.g. ``linux/arm64/v8``."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "key", "/".join(p for p in (self.os, self.architecture, self.variant) if p))


BASHBREW_ARCHES: dict[str, tuple[str, str, str | None]] = {
    "amd64": ("linux", "amd64", None),
    "arm32v5": ("linux", "arm", "v5"),
    "arm32v6": ("linux", "arm", "v6"),
    "arm32v7": ("linux", "arm", "v7"),
    "arm64v8": ("linux", "arm64", "v8"),
    "i386": ("linux", "386", None),
    "mips64le": ("linux", "mips64le", None),
    "ppc64le": ("linux", "ppc64le", None),
    "riscv64": ("linux", "riscv64", None),
    "s390x": ("linux", "s390x", None),
    "windows-amd64": ("windows", "amd64", None),
}

WINDOWS_BUILDS = {"ltsc2025": "10.0.26100", "ltsc2022": "10.0.20348", "1809": "10.0.17763", "ltsc2019": "10.0.17763"}
"""Windows Server release -> kernel version prefix (``os_version`` is this plus a patch number)."""

ARCH_FACTOR = {
    "amd64": 1.0, "arm64": 0.97, "arm": 0.88, "386": 1.02, "ppc64le": 1.07,
    "s390x": 0.99, "riscv64": 0.95, "mips64le": 1.04,
}  # fmt: skip


def _windows_version(hints: Iterable[str], salt: str) -> str:
    for hint in hints:
        for release, prefix in WINDOWS_BUILDS.items():
            if release in hint:
                return f"{prefix}.{3000 + _hash('winpatch', prefix, salt) % 1500}"
    prefix = WINDOWS_BUILDS["ltsc2022"]
    return f"{prefix}.{3000 + _hash('winpatch', prefix, salt) % 1500}"


def _platforms(arches: Sequence[str], windows_hints: Sequence[str], salt: str) -> tuple[Platform, ...]:
    if "windows-amd64" not in arches:
        return _linux_platforms(tuple(arches))
    out: list[Platform] = []
    for arch in arches:
        os_name, cpu, variant = BASHBREW_ARCHES.get(arch, ("linux", arch, None))
        version = _windows_version(windows_hints, salt) if os_name == "windows" else None
        out.append(Platform(os_name, cpu, variant, version))
    return tuple(out)


@cache
def _linux_platforms(arches: tuple[str, ...]) -> tuple[Platform, ...]:
    return tuple(Platform(*BASHBREW_ARCHES.get(arch, ("linux", arch, None))) for arch in arches)


def platform_matches(image: Image, wanted: str) -> bool:
    """Whether ``image`` serves the platform ``wanted`` (``linux/arm64``, ``linux/arm64/v8``,
    ``linux/arm/v7``, ``windows/amd64``). ``linux/arm64`` and ``linux/arm64/v8`` are the same
    platform; ``linux/arm`` alone means any ARM variant."""
    parts = wanted.lower().split("/")
    if len(parts) < 2 or image.is_attestation:
        return False
    os_name, arch = parts[0], parts[1]
    variant = parts[2] if len(parts) > 2 else None
    if arch in ("aarch64",):
        arch = "arm64"
    if arch in ("x86_64", "x86-64"):
        arch = "amd64"
    if image.os != os_name or image.architecture != arch:
        return False
    if variant is None:
        return True
    have = image.variant or ("v8" if arch == "arm64" else None)
    return have == variant


def has_platforms(tag: Tag, platforms: Sequence[str]) -> bool:
    """Whether the tag offers every one of ``platforms``."""
    images = tag.platform_images
    return all(any(platform_matches(image, wanted) for image in images) for wanted in platforms)


# --------------------------------------------------------------------------- library files


@dataclass(frozen=True)
class LibraryEntry:
    """One build entry of a bashbrew library file (header defaults applied)."""

    tags: tuple[str, ...]
    shared_tags: tuple[str, ...]
    architectures: tuple[str, ...]
    constraints: tuple[str, ...]
    git_commit: str
    directory: str


def _paragraphs(text: str) -> list[dict[str, str]]:
    """RFC-2822 style paragraphs: ``Key: value`` lines, indented continuation lines, ``#`` comments."""
    paragraphs: list[dict[str, str]] = []
    current: dict[str, str] = {}
    last_key: str | None = None
    for raw in text.splitlines():
        if raw.lstrip().startswith("#"):
            continue
        if not raw.strip():
            if current:
                paragraphs.append(current)
            current, last_key = {}, None
            continue
        if raw[0] in " \t" and last_key is not None:
            current[last_key] += " " + raw.strip()
            continue
        key, sep, value = raw.partition(":")
        if not sep:
            continue
        last_key = key.strip().lower()
        current[last_key] = value.strip()
    if current:
        paragraphs.append(current)
    return paragraphs


def _split(value: str | None) -> tuple[str, ...]:
    return tuple(part.strip() for part in (value or "").split(",") if part.strip())


def parse_library(text: str) -> list[LibraryEntry]:
    """Entries of a library file; an entry without ``Architectures`` inherits the header's
    (bashbrew's default: ``amd64``)."""
    paragraphs = _paragraphs(text)
    header: dict[str, str] = {}
    entries: list[LibraryEntry] = []
    for paragraph in paragraphs:
        if "tags" not in paragraph and "sharedtags" not in paragraph:
            if not entries:
                header.update(paragraph)
            continue
        merged = {**header, **paragraph}
        entries.append(
            LibraryEntry(
                tags=_split(paragraph.get("tags")),
                shared_tags=_split(paragraph.get("sharedtags")),
                architectures=_split(merged.get("architectures")) or ("amd64",),
                constraints=_split(merged.get("constraints")),
                git_commit=merged.get("gitcommit", ""),
                directory=merged.get("directory", ""),
            )
        )
    return entries


# --------------------------------------------------------------------------- history and docs


@dataclass(frozen=True)
class HistoryRow:
    repository: str
    tag: str
    first_seen: str
    last_seen: str
    current: bool
    architectures: tuple[str, ...] | None
    shared: bool
    removed: str | None


def read_history(path: Path, repositories: Iterable[str]) -> dict[str, list[HistoryRow]]:
    """Rows of ``tag-history.jsonl.gz`` for ``repositories``, grouped by repository."""
    wanted = set(repositories)
    out: dict[str, list[HistoryRow]] = defaultdict(list)
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            # Cheap pre-filter before parsing: lines start with {"repository":"<name>",
            name = line[15 : line.find('"', 15)]
            if name not in wanted:
                continue
            row = json.loads(line)
            arches = row.get("architectures")
            out[name].append(
                HistoryRow(
                    repository=name,
                    tag=row["tag"],
                    first_seen=row["first_seen"],
                    last_seen=row["last_seen"],
                    current=bool(row["current"]),
                    architectures=tuple(arches) if arches is not None else None,
                    shared=bool(row.get("shared")),
                    removed=row.get("removed"),
                )
            )
    return dict(out)


def read_docs(path: Path, repositories: Iterable[str]) -> dict[str, dict[str, Any]]:
    wanted = set(repositories)
    out: dict[str, dict[str, Any]] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            if row["repository"] in wanted:
                out[row["repository"]] = row
    return out


CATEGORY_NAMES = {
    "languages-and-frameworks": "Languages & frameworks",
    "databases-and-storage": "Databases & storage",
    "web-servers": "Web servers",
    "operating-systems": "Operating systems",
    "networking": "Networking",
    "message-queues": "Message queues",
    "developer-tools": "Developer tools",
    "monitoring-and-observability": "Monitoring & observability",
    "security": "Security",
    "api-management": "API management",
    "content-management-system": "Content management system",
    "integration-and-delivery": "Integration & delivery",
    "data-science": "Data science",
    "machine-learning-and-ai": "Machine learning & AI",
    "web-analytics": "Web analytics",
}


def _category(slug: str) -> Category:
    return Category(CATEGORY_NAMES.get(slug, slug.replace("-", " ").capitalize()), slug)


# --------------------------------------------------------------------------- synthetic values


def _hash(*parts: str) -> int:
    return int.from_bytes(hashlib.sha256("\x1f".join(parts).encode()).digest()[:8], "big")


def _digest(*parts: str) -> str:
    return "sha256:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass(frozen=True)
class SizeProfile:
    """Compressed amd64 sizes in MB of one repository's flavours (SYNTHETIC, plausible)."""

    default: float
    slim: float | None = None
    alpine: float | None = None
    windows: float = 2_250
    nano: float = 330
    jre_factor: float = 0.46


SIZE_PROFILES: dict[str, SizeProfile] = {
    "python": SizeProfile(405, slim=46, alpine=21, windows=2_210),
    "node": SizeProfile(398, slim=74, alpine=57),
    "golang": SizeProfile(292, alpine=88, windows=2_380, nano=196),
    "eclipse-temurin": SizeProfile(196, slim=180, alpine=164, windows=2_480, nano=410),
    "amazoncorretto": SizeProfile(212, alpine=150),
    "sapmachine": SizeProfile(205, alpine=160),
    "openjdk": SizeProfile(232, slim=221, windows=2_610, nano=420),
    "php": SizeProfile(171, alpine=34),
    "ruby": SizeProfile(389, slim=77, alpine=41),
    "rust": SizeProfile(561, slim=251, alpine=302),
    "postgres": SizeProfile(158, alpine=107),
    "mysql": SizeProfile(231),
    "mariadb": SizeProfile(112),
    "redis": SizeProfile(51, alpine=17),
    "mongo": SizeProfile(290, windows=2_640, nano=480),
    "nginx": SizeProfile(68, alpine=21),
    "httpd": SizeProfile(58, alpine=22),
    "caddy": SizeProfile(21, alpine=21, windows=2_050, nano=130),
    "traefik": SizeProfile(47, alpine=47, windows=2_030, nano=125),
    "haproxy": SizeProfile(42, alpine=14),
    "memcached": SizeProfile(31, alpine=5),
    "rabbitmq": SizeProfile(104, alpine=78),
    "alpine": SizeProfile(3.6),
    "debian": SizeProfile(48, slim=28),
    "ubuntu": SizeProfile(29),
    "busybox": SizeProfile(2.2),
}
DEFAULT_PROFILE = SizeProfile(120, slim=60, alpine=30)

EXTRA_FACTORS: dict[str, float] = {
    "perl": 1.12, "otel": 1.18, "management": 1.24, "apache": 1.09, "fpm": 1.03, "zts": 1.01,
    "bullseye": 0.93, "bookworm": 0.97, "jammy": 0.96, "headless": 0.55 / 0.46, "headful": 0.62 / 0.46,
    "musl": 0.41, "uclibc": 0.45, "backports": 1.02, "builder": 4.1,
}  # fmt: skip
"""Multipliers for flavour tokens (``headless``/``headful`` are JREs: corrected for jre_factor)."""


def _tokens(tag: str) -> list[str]:
    return [piece.lower() for piece in tag.split("-") if piece]


def size_mb(repository: str, tag: str) -> float:
    """The SYNTHETIC amd64 compressed size in MB of the image a tag names."""
    profile = SIZE_PROFILES.get(repository, DEFAULT_PROFILE)
    tokens = _tokens(tag)
    alpine = any(t.startswith("alpine") for t in tokens)
    slim = "slim" in tokens or "minimal" in tokens
    if any(t.startswith("windowsservercore") for t in tokens):
        size = profile.windows
    elif any(t.startswith("nanoserver") for t in tokens):
        size = profile.nano
    elif alpine:
        size = profile.alpine if profile.alpine is not None else profile.default * 0.4
        if slim:  # nginx:alpine-slim
            size = size * 0.25
    elif slim:
        size = profile.slim if profile.slim is not None else profile.default * 0.6
    else:
        size = profile.default
    windows = any(t.startswith(("windowsservercore", "nanoserver")) for t in tokens)
    jre = "jre" in tokens or "headless" in tokens or "headful" in tokens
    if jre:  # on Windows the OS layers dominate: a JRE saves little
        size *= 0.93 if windows else profile.jre_factor
    for token in tokens:
        if not (windows and token in ("headless", "headful")):
            size *= EXTRA_FACTORS.get(token, 1.0)
    return size


POPULARITY: dict[str, tuple[int, int]] = {
    "python": (9_124_337_803, 10_112), "node": (8_213_004_112, 13_801), "golang": (3_310_776_540, 5_022),
    "eclipse-temurin": (1_402_558_937, 1_511), "amazoncorretto": (402_118_774, 612),
    "openjdk": (1_871_223_450, 4_198), "php": (1_220_667_090, 7_614), "ruby": (1_014_558_302, 2_387),
    "rust": (189_220_417, 1_162), "postgres": (9_002_117_421, 14_306), "mysql": (2_870_115_336, 15_820),
    "mariadb": (1_050_330_198, 6_021), "redis": (7_610_002_003, 13_180), "mongo": (1_810_441_905, 10_377),
    "nginx": (11_004_256_770, 20_715), "httpd": (4_110_002_871, 4_885), "alpine": (10_551_230_016, 11_497),
    "debian": (3_118_003_765, 5_201), "ubuntu": (2_003_554_113, 17_630), "busybox": (1_902_336_118, 3_421),
    "haproxy": (1_003_118_270, 1_900), "traefik": (3_540_220_118, 3_412), "memcached": (612_330_117, 2_417),
    "rabbitmq": (1_904_551_320, 5_188), "caddy": (310_224_118, 824), "sapmachine": (9_330_187, 64),
}  # fmt: skip
"""SYNTHETIC (pull_count, star_count) per official image: rough orders of magnitude."""


def _moment(day: str, *salt: str) -> datetime:
    """A deterministic time of day on ``day`` (``YYYY-MM-DD``)."""
    jitter = _hash("time", day, *salt)
    start = datetime.fromisoformat(day).replace(tzinfo=UTC)
    return start + timedelta(seconds=jitter % 79_000, microseconds=jitter % 999_983)


def _status(pushed: datetime, pulled: datetime | None, now: datetime) -> str:
    latest = max(pushed, pulled) if pulled else pushed
    return "active" if now - latest <= ACTIVE_WINDOW else "inactive"


@dataclass
class _Build:
    """One pushed index: its per-platform images (shared by every tag of it) and its dates."""

    digest: str
    images: list[Image]
    pushed: datetime
    pulled: datetime
    media_type: str


def _make_build(
    repository: str,
    index_digest: str,
    size_tag: str,
    platforms: Sequence[Platform],
    pushed: datetime,
    pulled: datetime,
    attest: bool,
    now: datetime,
) -> _Build:
    """One index: a manifest per platform (+ an attestation manifest per Linux platform)."""
    base = size_mb(repository, size_tag) * 1_000_000
    seed = _hash(repository, size_tag)
    pushed_text, pulled_text = iso(pushed), iso(pulled)
    status = _status(pushed, pulled, now)
    images: list[Image] = []
    for platform in platforms:
        jitter = 1 + (((seed + len(platform.key) * 7919) % 801) - 400) / 10_000
        images.append(
            Image(
                architecture=platform.architecture,
                os=platform.os,
                variant=platform.variant,
                os_version=platform.os_version,
                digest=_digest(index_digest, platform.key, platform.os_version or ""),
                size=int(base * ARCH_FACTOR.get(platform.architecture, 1.0) * jitter),
                status=status,
                last_pulled=pulled_text,
                last_pushed=pushed_text,
            )
        )
    if attest:
        for platform in platforms:
            if platform.os == "windows":
                continue
            images.append(
                Image(
                    architecture="unknown",
                    os="unknown",
                    digest=_digest(index_digest, platform.key, "attestation"),
                    size=18_000 + (seed + len(platform.key) * 104_729) % 42_000,
                    status=status,
                    last_pulled=pulled_text,
                    last_pushed=pushed_text,
                )
            )
    return _Build(index_digest, images, pushed, pulled, MEDIA_OCI_INDEX if attest else MEDIA_DOCKER_LIST)


@dataclass
class _TagFactory:
    repository: str
    repo_id: int
    now: datetime
    user: tuple[int, str] = (1156886, "doijanky")
    tags: list[Tag] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)

    def add(self, name: str, build: _Build) -> None:
        if name in self.seen or not TAG_RE.match(name):
            return
        self.seen.add(name)
        pushed = min(build.pushed + timedelta(seconds=1 + _hash(self.repository, name, "push") % 150),
                     self.now - timedelta(minutes=30))
        pulled = max(build.pulled, pushed)
        self.tags.append(
            Tag(
                name=name,
                id=_hash(self.repository, name, "id") % 900_000_000 + 100_000_000,
                repository=self.repo_id,
                images=list(build.images),
                last_updated=iso(pushed),
                tag_last_pushed=iso(pushed),
                tag_last_pulled=iso(pulled),
                digest=build.digest,
                media_type=build.media_type,
                tag_status=_status(pushed, pulled, self.now),
                creator=self.user[0],
                last_updater=self.user[0],
                last_updater_username=self.user[1],
            )
        )


# --------------------------------------------------------------------------- repositories


class IndexedRepository(Repository):
    """A :class:`Repository` whose tag lookup and aggregates are computed once.

    The benchmark catalog has ~60k tags; the fake Hub recomputes ``architectures``,
    ``last_updated``, ``storage_size``... on every search or repository request, which
    would dominate the measured latency. The benchmark never mutates its catalog.
    """

    def _memo(self, key: str, compute: Callable[[], Any]) -> Any:
        cache: dict[str, Any] = self.__dict__.setdefault("_memo_cache", {})
        if key not in cache:
            cache[key] = compute()
        return cache[key]

    def tag(self, name: str) -> Tag | None:
        index: dict[str, Tag] = self._memo("tags", lambda: {t.name: t for t in self.tags})
        return index.get(name)

    @property
    def last_updated(self) -> str:
        return str(self._memo("last_updated", lambda: Repository.last_updated.fget(self)))  # type: ignore[attr-defined]

    @property
    def architectures(self) -> list[str]:
        return list(self._memo("architectures", lambda: Repository.architectures.fget(self)))  # type: ignore[attr-defined]

    @property
    def operating_systems(self) -> list[str]:
        return list(self._memo("os", lambda: Repository.operating_systems.fget(self)))  # type: ignore[attr-defined]

    @property
    def media_types(self) -> list[str]:
        return list(self._memo("media", lambda: Repository.media_types.fget(self)))  # type: ignore[attr-defined]

    @property
    def content_types(self) -> list[str]:
        return list(self._memo("content", lambda: Repository.content_types.fget(self)))  # type: ignore[attr-defined]

    @property
    def storage_size(self) -> int:
        return int(self._memo("storage", lambda: Repository.storage_size.fget(self)))  # type: ignore[attr-defined]


def _repo_id(namespace: str, name: str) -> int:
    return _hash(namespace, name, "repo") % 9_000_000 + 1_000_000


def _current_builds(repository: str, entries: list[LibraryEntry], factory: _TagFactory, now: datetime) -> None:
    """Tags of the library file: one build per entry, one combined index per shared tag."""
    repo_offset = _hash(repository, "release-day") % 10  # one release wave per repository
    builds: list[_Build] = []
    for entry in entries:
        first = (entry.tags or entry.shared_tags)[0]
        days = 1 + repo_offset + _hash(repository, first, "entry-day") % 10  # 1..20 days ago
        pushed = now - timedelta(days=days) + timedelta(seconds=_hash(repository, first, "tod") % 40_000)
        pushed = min(pushed, now - timedelta(hours=2))
        recent = _hash(repository, first, "pull")
        pulled = max(now - timedelta(seconds=60 + recent % 43_200), pushed)
        platforms = _platforms(entry.architectures, entry.constraints or entry.tags, f"{repository}:{first}")
        digest = _digest(repository, "entry", first, entry.git_commit, entry.directory)
        build = _make_build(repository, digest, first, platforms, pushed, pulled, True, now)
        builds.append(build)
        for name in entry.tags:
            factory.add(name, build)
    shared: dict[str, list[int]] = defaultdict(list)
    for position, entry in enumerate(entries):
        for name in entry.shared_tags:
            shared[name].append(position)
    combined_by_parts: dict[tuple[int, ...], _Build] = {}
    for name, positions in shared.items():
        key = tuple(positions)
        if key in combined_by_parts:  # 3.14.7, 3.14, 3, latest: one combined index
            factory.add(name, combined_by_parts[key])
            continue
        parts = [builds[p] for p in positions]
        combined = combined_by_parts[key] = _Build(
            digest=_digest(repository, "shared", *(b.digest for b in parts)),
            images=[image for b in parts for image in b.images],
            pushed=max(b.pushed for b in parts),
            pulled=max(b.pulled for b in parts),
            media_type=MEDIA_OCI_INDEX,
        )
        factory.add(name, combined)


_VERSION_HEAD = re.compile(r"^v?(\d+(?:\.\d+)*)$")
_CONTENT_TOKENS = frozenset({
    "slim", "alpine", "jre", "fpm", "apache", "zts", "perl", "otel", "management", "windowsservercore",
    "nanoserver", "headless", "headful", "native", "minimal", "backports", "musl", "uclibc", "glibc", "rc",
    "beta", "ea", "dev",
})  # fmt: skip
"""Tokens that make a different image: a tag lacking one is not an alias of a tag having it."""


def _split_tag(tag: str) -> tuple[tuple[str, ...], frozenset[str]]:
    """``3.8.20-slim-bookworm`` -> ``(("3", "8", "20"), {"slim", "bookworm"})``; ``alpine3.20``
    also yields ``alpine``, so that ``3.8-alpine`` can alias ``3.8.20-alpine3.20``."""
    pieces = tag.lower().split("-")
    head = _VERSION_HEAD.match(pieces[0])
    version = tuple(head.group(1).split(".")) if head else ()
    tokens = set(pieces[1:] if version else pieces)
    tokens |= {"alpine" for t in tokens if t.startswith("alpine")}
    return version, frozenset(tokens)


def _aliases(small: tuple[tuple[str, ...], frozenset[str]], big: tuple[tuple[str, ...], frozenset[str]]) -> bool:
    """Whether a tag ``small`` plausibly names the image of the more specific tag ``big``
    (removed the same day, same architectures): a version prefix, and only distro or release
    tokens (``bookworm``, ``alpine3.20``, ``ltsc2022``) missing."""
    (v_small, s_small), (v_big, s_big) = small, big
    if len(v_small) > len(v_big) or v_big[: len(v_small)] != v_small or (v_big and not v_small and s_small == s_big):
        return False
    if not s_small <= s_big:
        return False
    return not ((s_big - s_small) & _CONTENT_TOKENS)


def _history_builds(repository: str, rows: list[HistoryRow], factory: _TagFactory, now: datetime) -> None:
    """Removed tags. Tags removed the same day with the same architectures are one image when
    one reads as an alias of the other (:func:`_aliases`: ``3.8.20-slim-bookworm``,
    ``3.8-slim-bookworm``, ``3.8-slim``), as they were when they were last built."""
    groups: dict[tuple[Any, ...], list[HistoryRow]] = defaultdict(list)
    for row in rows:
        groups[(row.last_seen, row.architectures, row.shared)].append(row)
    for members in groups.values():
        parsed = [(_split_tag(row.tag), row) for row in members]
        parsed.sort(key=lambda item: (-len(item[0][0]), -len(item[0][1]), item[1].tag))
        made: list[tuple[tuple[tuple[str, ...], frozenset[str]], _Build]] = []
        for split, row in parsed:
            same = next((build for big, build in made if _aliases(split, big)), None)
            if same is not None:
                factory.add(row.tag, same)
                continue
            arches = row.architectures or ("amd64",)
            platforms = _platforms(arches, (row.tag,), f"{repository}:{row.tag}")
            pushed = _moment(row.last_seen, repository, row.tag)
            pull_age = timedelta(days=_hash(repository, row.tag, "pull-age") % 90,
                                 seconds=_hash(repository, row.tag, "pull-s") % 86_000)
            pulled = max(now - pull_age, pushed)
            attest = row.last_seen >= ATTESTATIONS_SINCE
            digest = _digest(repository, "history", row.tag, row.last_seen)
            build = _make_build(repository, digest, row.tag, platforms, pushed, pulled, attest, now)
            made.append((split, build))
            factory.add(row.tag, build)


_TAGS_ONLY_NOTICE = re.compile(r"^The (`[^`]+`,? )+(and `[^`]+` )?tags? of this image", re.MULTILINE)
"""A deprecation notice about some tags only (``amazonlinux``: "The `1`, `2018.03`, ... tags of
this image are EOL"), not about the repository."""


def _deprecated_description(description: str, full_description: str, has_entries: bool) -> str:
    """The short description, with a SYNTHETIC ``DEPRECATED;`` prefix where Hub marks the image
    deprecated: the README opens with a deprecation notice about the whole image (``openjdk``),
    or the library file has no build entry left (``clefos``, ``gazebo``: header-only files)."""
    if description.upper().startswith("DEPRECATED"):
        return description
    head = full_description[:200]
    notice = "DEPRECATION NOTICE" in head and not _TAGS_ONLY_NOTICE.search(full_description[:600])
    if (notice or not has_entries) and "deprecat" not in description.lower():
        return f"DEPRECATED; {description}"
    return description


def _official_repository(
    name: str,
    entries: list[LibraryEntry],
    history: list[HistoryRow],
    docs: dict[str, Any] | None,
    now: datetime,
    history_since: str | None = HISTORY_SINCE,
) -> Repository:
    repo_id = _repo_id("library", name)
    factory = _TagFactory(f"library/{name}", repo_id, now)
    _current_builds(name, entries, factory, now)
    if history_since is not None:
        stale = [r for r in history if not r.current and r.removed is not None and r.removed >= history_since]
        _history_builds(name, stale, factory, now)

    docs = docs or {}
    description = docs.get("description") or f"{name} official image"
    full_description = (docs.get("full_description") or "")[:25_000]
    description = _deprecated_description(description, full_description, bool(entries))
    first_seen = min((r.first_seen for r in history), default="2014-06-09")
    pulls, stars = POPULARITY.get(name, (10_000_000 + _hash(name, "pulls") % 90_000_000, 100 + _hash(name) % 900))
    last_push = max((t.last_updated for t in factory.tags), default=iso(_moment(first_seen, name)))
    return IndexedRepository(
        namespace="library",
        name=name,
        id=repo_id,
        description=description[:100],
        full_description=full_description,
        star_count=stars,
        pull_count=pulls,
        badge="official",
        date_registered=iso(_moment(first_seen, "library", name)),
        last_modified=last_push,
        categories=[_category(slug) for slug in docs.get("categories") or []],
        tags=factory.tags,
        publisher_id="docker",
        publisher_name="Docker Official Images",
        logo_url={"large": f"https://hub-logos.example.invalid/{name}/large.png",
                  "small": f"https://hub-logos.example.invalid/{name}/small.png"},
        source=f"https://github.com/docker-library/{name}",
    )


# --------------------------------------------------------------------------- non-official repositories


@dataclass(frozen=True)
class ExtraBuild:
    tags: tuple[str, ...]
    days_ago: int
    arches: tuple[str, ...]
    size_mb: float


@dataclass(frozen=True)
class ExtraRepo:
    namespace: str
    name: str
    description: str
    badge: str
    pulls: int
    stars: int
    categories: tuple[str, ...]
    registered: str
    publisher: tuple[str, str]
    builds: tuple[ExtraBuild, ...]
    readme: str


AMD_ARM = ("amd64", "arm64v8")


def extra_repositories() -> list[ExtraRepo]:
    """SYNTHETIC non-official repositories: verified publishers and community lookalikes."""
    bitnami = ("bitnami", "Bitnami by Broadcom")
    return [
        ExtraRepo("bitnami", "redis", "Bitnami Secure Image for redis", "verified_publisher",
                  1_203_338_115, 1_110, ("databases-and-storage",), "2015-12-01", bitnami,
                  (ExtraBuild(("8.2.3-debian-12-r1", "8.2.3", "8.2", "8", "latest"), 3, AMD_ARM, 63),
                   ExtraBuild(("8.0.5-debian-12-r4", "8.0.5", "8.0"), 9, AMD_ARM, 62),
                   ExtraBuild(("7.4.6-debian-12-r9", "7.4.6", "7.4", "7"), 24, AMD_ARM, 60)),
                  "# Bitnami Secure Image for Redis\n\nRedis packaged by Bitnami, non-root by default.\n"),
        ExtraRepo("bitnami", "postgresql", "Bitnami Secure Image for postgresql", "verified_publisher",
                  788_541_227, 342, ("databases-and-storage",), "2016-02-19", bitnami,
                  (ExtraBuild(("18.1.0-debian-12-r2", "18.1.0", "18.1", "18", "latest"), 2, AMD_ARM, 104),
                   ExtraBuild(("17.7.0-debian-12-r2", "17.7.0", "17.7", "17"), 2, AMD_ARM, 103),
                   ExtraBuild(("16.11.0-debian-12-r5", "16.11.0", "16.11", "16"), 12, AMD_ARM, 101)),
                  "# Bitnami Secure Image for PostgreSQL\n\nPostgreSQL packaged by Bitnami.\n"),
        ExtraRepo("bitnami", "python", "Bitnami Secure Image for python", "verified_publisher",
                  31_004_551, 96, ("languages-and-frameworks",), "2017-05-02", bitnami,
                  (ExtraBuild(("3.14.7-debian-12-r0", "3.14.7", "3.14", "3", "latest"), 4, AMD_ARM, 140),
                   ExtraBuild(("3.13.15-debian-12-r0", "3.13.15", "3.13"), 4, AMD_ARM, 138),
                   ExtraBuild(("3.12.14-debian-12-r1", "3.12.14", "3.12"), 11, AMD_ARM, 137)),
                  "# Bitnami Secure Image for Python\n\nPython packaged by Bitnami.\n"),
        ExtraRepo("someuser", "python", "Python 3 with pip, poetry and build tools preinstalled", "none",
                  48_211, 12, ("languages-and-frameworks",), "2022-03-14", ("someuser", "someuser"),
                  (ExtraBuild(("latest", "3.12"), 95, ("amd64",), 420),
                   ExtraBuild(("3.11",), 300, ("amd64",), 410),
                   ExtraBuild(("3.8",), 700, ("amd64",), 390)),
                  "# python\n\nMy Python image with extras.\n"),
        ExtraRepo("someuser", "openjdk", "openjdk 17/11 jdk-slim images, re-pushed after the official ones "
                  "were removed", "none", 96_402, 18, ("languages-and-frameworks",), "2023-01-09",
                  ("someuser", "someuser"),
                  (ExtraBuild(("17-jdk-slim", "17", "latest"), 210, AMD_ARM, 220),
                   ExtraBuild(("11-jdk-slim", "11"), 210, AMD_ARM, 210),
                   ExtraBuild(("21-jdk-slim", "21"), 160, AMD_ARM, 226)),
                  "# openjdk\n\nThe old official openjdk tags, rebuilt.\n"),
    ]


def _extra_repository(spec: ExtraRepo, now: datetime) -> Repository:
    full = f"{spec.namespace}/{spec.name}"
    repo_id = _repo_id(spec.namespace, spec.name)
    user = (_hash(spec.namespace, "user") % 9_000_000 + 1_000_000, f"{spec.namespace}bot")
    factory = _TagFactory(full, repo_id, now, user)
    for build in spec.builds:
        pushed = now - timedelta(days=build.days_ago, seconds=_hash(full, build.tags[0]) % 40_000)
        pulled = max(now - timedelta(seconds=_hash(full, build.tags[0], "pull") % 200_000), pushed)
        platforms = _platforms(build.arches, (), full)
        made = _make_build(full, _digest(full, *build.tags), build.tags[0], platforms, pushed, pulled, True, now)
        for image in made.images:  # the size profile is per build here
            if not image.is_attestation:
                image.size = int(build.size_mb * 1_000_000 * ARCH_FACTOR.get(image.architecture, 1.0))
        for name in build.tags:
            factory.add(name, made)
    last_push = max(t.last_updated for t in factory.tags)
    return IndexedRepository(
        namespace=spec.namespace,
        name=spec.name,
        id=repo_id,
        description=spec.description[:100],
        full_description=spec.readme,
        star_count=spec.stars,
        pull_count=spec.pulls,
        badge=spec.badge,
        date_registered=iso(_moment(spec.registered, full)),
        last_modified=last_push,
        categories=[_category(slug) for slug in spec.categories],
        tags=factory.tags,
        publisher_id=spec.publisher[0],
        publisher_name=spec.publisher[1],
        logo_url={"large": "", "small": ""},
    )


# --------------------------------------------------------------------------- entry point


def library_repositories(shared: Path) -> tuple[str, ...]:
    """Every official image with a library file (144 at 37079fb, the 7 header-only ones included),
    sorted. Raises ``FileNotFoundError`` when the data is missing."""
    library = shared / "official-images" / "library"
    if not library.is_dir():
        raise FileNotFoundError(library)
    return tuple(sorted(p.name for p in library.iterdir() if p.is_file() and not p.name.startswith(".")))


def build_full_catalog(
    shared: Path,
    *,
    history_since: str | None = HISTORY_SINCE,
    now: datetime = CATALOG_NOW,
    extras: bool = True,
) -> Catalog:
    """The catalog of EVERY official image (:func:`library_repositories`), for the breadth
    benchmark: each library file's current tags, removed tags since ``history_since`` (``None``:
    none), and the header-only files as tagless repositories with a ``DEPRECATED`` description
    and their README. About 8 s and 0.5 GB RSS with the default history (see benchmarks/README.md)."""
    return build_catalog(
        shared, repositories=library_repositories(shared), now=now, extras=extras, history_since=history_since
    )


def build_catalog(
    shared: Path,
    *,
    repositories: Sequence[str] = OFFICIAL_REPOSITORIES,
    now: datetime = CATALOG_NOW,
    extras: bool = True,
    history_since: str | None = HISTORY_SINCE,
) -> Catalog:
    """The benchmark catalog: ``repositories`` from ``shared`` (``../shared/data``) plus the
    synthetic non-official ones; removed tags since ``history_since`` (``None``: none).
    Raises ``FileNotFoundError`` when the data is missing."""
    library = shared / "official-images" / "library"
    history_path = shared / "official-images" / "tag-history.jsonl.gz"
    docs_path = shared / "official-images-docs" / "hub-docs.jsonl.gz"
    for path in (library, history_path, docs_path):
        if not path.exists():
            raise FileNotFoundError(path)
    names = [n for n in repositories if (library / n).exists()]
    history = read_history(history_path, names)
    docs = read_docs(docs_path, names)
    repos: list[Repository] = []
    for name in names:
        entries = parse_library((library / name).read_text(encoding="utf-8"))
        repos.append(_official_repository(name, entries, history.get(name, []), docs.get(name), now, history_since))
    if extras:
        repos.extend(_extra_repository(spec, now) for spec in extra_repositories())
    return Catalog(now=now, repositories=repos)
