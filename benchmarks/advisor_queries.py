"""Labelled queries for the base-image advisor benchmark (see ``benchmarks/advisor.py``).

Each :class:`Query` is a ``SuggestRequest`` (as keyword arguments, so this module imports
without the advisor) plus graded answers:

* ``grades``: ``(glob, grade)`` pairs over the full normalized reference (``python:3.13-slim``,
  ``eclipse-temurin:21-jre-noble``, ``bitnami/redis:8.2``; ``docker.io/`` and ``library/`` are
  stripped, a ``@sha256:`` pin is ignored). **The first matching pattern wins**, so specific
  patterns come before broad ones; a reference no pattern matches grades 0. Grades: 2 ideal,
  1 acceptable, 0 neutral, -1 harmful (wrong version, stale or end-of-life line, missing
  platform, musl when glibc is needed, a removed or community lookalike repository, ...).
* ``expect_empty``: the request is impossible (a version that never existed, an image that
  has no build for the asked OS/architecture); the only right answer is no candidate.

Labels are grounded in the data of :mod:`benchmarks.advisor_catalog` (library files of
2026-08-21, served as the catalog of 2026-11-20; the advisor's "today" is 2026-11-26).
Decisions worth knowing:

* **EOL pins** (``trap_eol``): when the user pins an end-of-life version (python 3.8, node 16,
  mysql 8.0...) the advisor may keep it with a warning and must offer the upgrade. The pinned
  line grades 1 (acceptable: it was asked for, and Hub still serves it), a supported upgrade
  grades 2.
* **Distro freshness**: for python/ruby/postgres, ``trixie`` (Debian 13, the images' default)
  beats ``bookworm`` (ideal 2 vs acceptable 1). For node, whose own default is still
  bookworm, both grade 2. ``bullseye`` (Debian 11, LTS ended 2026-08-31) is neutral at best.
* **Patch-pinned tags** (``3.12.14-slim``) are acceptable, never ideal, when the user asked for
  a series (``3.12``); ``latest`` is never more than neutral.
* **Stale and invalid references are judged by the benchmark, not by the globs**: a reference
  that does not exist, lacks an asked platform, or is stale (last pushed more than 45 days
  before the catalog's now, i.e. its line is no longer rebuilt, like ``python:3.13.0-slim``
  next to a fresh ``3.13-slim``) grades -1 whatever its pattern says, unless ``allow_stale``
  covers it (the pinned line of an EOL query). So the globs can stay broad (``3.13.*-slim``).
* **End of life by 2026-11-26** (so harmful unless asked for): python 3.10 (2026-10),
  postgres 14 (2026-11-12), mariadb 10.6 (2026-07), eclipse-temurin 26 (non-LTS, superseded
  by 27 in 2026-09), alpine 3.21 (2026-11-01), Debian bullseye; prereleases (``3.15-rc``,
  ``19beta3``, ``8.4-rc``, ``tip``) are harmful when not asked for.
* **Removed repository**: every ``openjdk`` tag is harmful (the image is deprecated; its
  remaining tags are early-access builds), and so is the community re-push ``someuser/openjdk``.
"""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fnmatch import fnmatchcase
from functools import cached_property
from typing import Any

__all__ = [
    "ACCEPTABLE",
    "CATEGORIES",
    "FALLBACK_QUERIES",
    "HARMFUL",
    "IDEAL",
    "NEUTRAL",
    "QUERIES",
    "Query",
    "grade_reference",
    "normalize_reference",
]

IDEAL, ACCEPTABLE, NEUTRAL, HARMFUL = 2, 1, 0, -1

Grades = tuple[tuple[str, int], ...]

CATEGORIES: dict[str, str] = {
    "language": "languages with versions and architectures",
    "build_runtime": "build stage vs runtime stage",
    "small_secure": "small / secure priorities",
    "server": "databases and servers",
    "trap_eol": "trap: end-of-life version pinned",
    "trap_removed": "trap: removed/deprecated repository (openjdk)",
    "trap_missing": "trap: nonexistent version or image (empty is right)",
    "trap_windows": "trap: Windows containers",
    "trap_arch": "trap: architecture only some variants build",
    "trap_libc": "trap: native deps (glibc) vs musl",
}


@dataclass(frozen=True)
class Query:
    id: str
    category: str
    request: Mapping[str, Any]
    """Keyword arguments of ``hub_mcp.advisor.suggest.SuggestRequest``."""
    grades: Grades = ()
    expect_empty: bool = False
    note: str = ""
    allow_stale: tuple[str, ...] = ()
    """Globs of stale (no longer rebuilt) references that are not harmful here: the line the
    user pinned in a ``trap_eol`` query. Every other stale reference grades -1."""
    platforms: tuple[str, ...] = field(init=False)
    """The asked platforms (the request's, or SuggestRequest's default ``linux/amd64``)."""

    def __post_init__(self) -> None:
        if self.category not in CATEGORIES:
            raise ValueError(f"{self.id}: unknown category {self.category!r}")
        platforms = tuple(self.request.get("platforms") or ("linux/amd64",))
        object.__setattr__(self, "platforms", platforms)

    @property
    def search_word(self) -> str:
        """What the naive baseline searches Hub for: the image, else the runtime."""
        return str(self.request.get("image") or self.request.get("runtime") or "")

    def grade(self, reference: str) -> int:
        """The label of ``reference`` (first matching pattern; 0 when none matches)."""
        ref = normalize_reference(reference)
        for match, grade in self._compiled:
            if match(ref):
                return grade
        return NEUTRAL

    def stale_allowed(self, reference: str) -> bool:
        ref = normalize_reference(reference)
        return any(fnmatchcase(ref, pattern) for pattern in self.allow_stale)

    @cached_property
    def _compiled(self) -> list[tuple[Callable[[str], Any], int]]:
        return [(re.compile(fnmatch.translate(pattern)).match, grade) for pattern, grade in self.grades]

    @property
    def repositories(self) -> list[str]:
        """Repositories the labels name (``python``, ``bitnami/redis``), wildcards excluded."""
        names: list[str] = []
        for pattern, _ in self.grades:
            name = pattern.split(":", 1)[0]
            if not any(c in name for c in "*?[") and name not in names:
                names.append(name)
        return names

    def describe(self) -> str:
        parts = [f"{k}={v}" for k, v in self.request.items()]
        return ", ".join(parts)


_REGISTRY_PREFIXES = ("docker.io/", "index.docker.io/", "registry-1.docker.io/", "registry.hub.docker.com/")


def normalize_reference(reference: str) -> str:
    """``docker.io/library/python:3.13-slim@sha256:..`` -> ``python:3.13-slim``. A reference
    without a tag gets ``:latest`` (what ``docker pull`` would use)."""
    ref = reference.strip()
    ref = ref.split("@", 1)[0]
    for prefix in _REGISTRY_PREFIXES:
        if ref.lower().startswith(prefix):
            ref = ref[len(prefix) :]
            break
    if ref.lower().startswith("library/"):
        ref = ref[len("library/") :]
    name, sep, tag = ref.rpartition(":")
    if not sep or "/" in tag:
        name, tag = ref, "latest"
    return f"{name.lower()}:{tag}"


def grade_reference(reference: str, grades: Sequence[tuple[str, int]]) -> int:
    """The grade of the first pattern matching the normalized reference; 0 when none does."""
    ref = normalize_reference(reference)
    for pattern, grade in grades:
        if fnmatchcase(ref, pattern):
            return grade
    return NEUTRAL


# --------------------------------------------------------------------------- label builders


def _older(grade: int) -> int:
    """One step down for an older distro or an over-precise tag: ideal -> acceptable."""
    return ACCEPTABLE if grade == IDEAL else grade


def debian_lang(
    repo: str,
    v: str,
    *,
    slim: int = IDEAL,
    full: int = ACCEPTABLE,
    alpine: int = ACCEPTABLE,
    bookworm: int | None = None,
    bookworm_same: bool = False,
) -> list[tuple[str, int]]:
    """Grades for one version line of a python/ruby-style image (``{v}-slim-trixie``,
    ``{v}-slim``, ``{v}-trixie``, ``{v}``, ``{v}-bookworm``, ``{v}-alpine3.24``...).

    Bookworm tags grade one step below trixie, or the same with ``bookworm_same``, or
    ``bookworm`` whatever the flavour (e.g. -1 when bookworm lacks the asked architecture).
    Patch-precision tags are one step below their series tag; an older alpine (3.22/3.23) is
    one step below ``alpine``; alpine 3.21 and older (past EOL on 2026-11-01) are neutral.
    """
    if bookworm is not None:
        bw_slim = bw_full = bookworm
    elif bookworm_same:
        bw_slim, bw_full = slim, full
    else:
        bw_slim, bw_full = _older(slim), _older(full)
    eol_alpine = min(alpine, NEUTRAL)
    return [
        (f"{repo}:{v}-slim-bookworm", bw_slim), (f"{repo}:{v}.*-slim-bookworm", _older(bw_slim)),
        (f"{repo}:{v}-bookworm", bw_full), (f"{repo}:{v}.*-bookworm", _older(bw_full)),
        (f"{repo}:{v}-slim-trixie", slim), (f"{repo}:{v}-slim", slim),
        (f"{repo}:{v}-trixie", full), (f"{repo}:{v}", full),
        (f"{repo}:{v}*-alpine3.1[0-9]", eol_alpine), (f"{repo}:{v}*-alpine3.2[01]", eol_alpine),
        (f"{repo}:{v}-alpine3.2[23]", _older(alpine)), (f"{repo}:{v}.*-alpine3.2[23]", _older(alpine)),
        (f"{repo}:{v}-alpine*", alpine),
        (f"{repo}:{v}.*-slim*", _older(slim)), (f"{repo}:{v}.*-alpine*", _older(alpine)),
        (f"{repo}:{v}.*-trixie", _older(full)), (f"{repo}:{v}.[0-9]*", _older(full)),
    ]  # fmt: skip


def node_line(
    v: str,
    *,
    slim: int = IDEAL,
    full: int = ACCEPTABLE,
    alpine: int = ACCEPTABLE,
    bookworm: int | None = None,
    trixie: int | None = None,
    bullseye: int = NEUTRAL,
    old_alpine: int | None = None,
) -> list[tuple[str, int]]:
    """Grades for one node major ``v``: ``{v}-slim`` (= bookworm-slim for 22/24, trixie-slim
    for 26), ``{v}-bookworm-slim``, ``{v}-trixie-slim``, ``{v}``, ``{v}-alpine``, ``{v}-bullseye*``.
    ``bookworm``/``trixie`` override every tag of that distro (including the bare ``{v}``
    and ``{v}-slim`` when they are that distro: pass the same value via ``slim``/``full``)."""
    bw = (lambda g: g) if bookworm is None else (lambda g: bookworm)
    tx = (lambda g: g) if trixie is None else (lambda g: trixie)
    old_alp = _older(alpine) if old_alpine is None else old_alpine
    return [
        (f"node:{v}-bullseye*", bullseye), (f"node:{v}.*-bullseye*", bullseye),
        (f"node:{v}*-alpine3.1[0-9]", min(alpine, NEUTRAL)), (f"node:{v}*-alpine3.2[01]", min(alpine, NEUTRAL)),
        (f"node:{v}-bookworm-slim", bw(slim)), (f"node:{v}-trixie-slim", tx(slim)), (f"node:{v}-slim", slim),
        (f"node:{v}-bookworm", bw(full)), (f"node:{v}-trixie", tx(full)), (f"node:{v}", full),
        (f"node:{v}-alpine3.2[0-3]", old_alp), (f"node:{v}.*-alpine3.2[0-3]", old_alp),
        (f"node:{v}-alpine*", alpine),
        (f"node:{v}.*-bookworm-slim", _older(bw(slim))), (f"node:{v}.*-trixie-slim", _older(tx(slim))),
        (f"node:{v}.*-slim", _older(slim)), (f"node:{v}.*-alpine*", _older(alpine)),
        (f"node:{v}.*-bookworm", _older(bw(full))), (f"node:{v}.*-trixie", _older(tx(full))),
        (f"node:{v}.[0-9]*", _older(full)),
    ]  # fmt: skip


def temurin(
    v: str,
    *,
    jre: int,
    jdk: int,
    jre_alpine: int | None = None,
    jdk_alpine: int | None = None,
    resolute: int | None = None,
    jammy: int | None = None,
    ubi: int | None = None,
) -> list[tuple[str, int]]:
    """Grades for eclipse-temurin major ``v``: ``{v}-jre[-noble|-resolute|-jammy|-alpine*|-ubi*]``,
    ``{v}[-jdk][-noble|...]``; patch tags (``21.0.12_8-jre``, ``8u502-b07-jre``) one step down.
    ``resolute`` overrides the resolute tags and the bare shared tags (``{v}``, ``{v}-jre``,
    ``{v}-jdk``), which point at Ubuntu 26.04 resolute on Linux."""
    jre_alp = _older(jre) if jre_alpine is None else jre_alpine
    jdk_alp = _older(jdk) if jdk_alpine is None else jdk_alpine
    old = jammy
    patch = f"{v}u*" if v == "8" else f"{v}.*"
    out: list[tuple[str, int]] = []
    for kind, grade, alpine_grade in (("jre", jre, jre_alp), ("jdk", jdk, jdk_alp)):
        res = grade if resolute is None else resolute
        out += [
            (f"eclipse-temurin:{v}*-{kind}-alpine-3.2[01]", min(alpine_grade, NEUTRAL)),
            (f"eclipse-temurin:{v}-{kind}-alpine", alpine_grade), (f"eclipse-temurin:{v}-{kind}-alpine-3.24", alpine_grade),
            (f"eclipse-temurin:{v}-{kind}-alpine*", _older(alpine_grade)),
            (f"eclipse-temurin:{v}-{kind}-jammy", _older(grade) if old is None else old),
            (f"eclipse-temurin:{v}-{kind}-ubi*", _older(grade) if ubi is None else ubi),
            (f"eclipse-temurin:{v}-{kind}-resolute", res), (f"eclipse-temurin:{v}-{kind}", res),
            (f"eclipse-temurin:{v}-{kind}-noble", grade),
            (f"eclipse-temurin:{patch}-{kind}-alpine*", _older(alpine_grade)),
            (f"eclipse-temurin:{patch}-{kind}-jammy", _older(grade) if old is None else old),
            (f"eclipse-temurin:{patch}-{kind}-ubi*", _older(grade) if ubi is None else ubi),
            (f"eclipse-temurin:{patch}-{kind}-resolute", _older(res)), (f"eclipse-temurin:{patch}-{kind}", _older(res)),
            (f"eclipse-temurin:{patch}-{kind}-noble", _older(grade)),
        ]  # fmt: skip
    res = jdk if resolute is None else resolute
    out += [  # jdk tags without the "jdk" token: 21, 21-noble, 21-alpine-3.24...
        (f"eclipse-temurin:{v}-alpine-3.2[01]", min(jdk_alp, NEUTRAL)), (f"eclipse-temurin:{v}-alpine*", jdk_alp),
        (f"eclipse-temurin:{v}-jammy", _older(jdk) if old is None else old),
        (f"eclipse-temurin:{v}-ubi*", _older(jdk) if ubi is None else ubi),
        (f"eclipse-temurin:{v}-resolute", res), (f"eclipse-temurin:{v}", res),
        (f"eclipse-temurin:{v}-noble", jdk),
    ]  # fmt: skip
    return out


def rest(repo: str, grade: int = HARMFUL) -> list[tuple[str, int]]:
    """Everything else in ``repo`` (another version, a stale line...)."""
    return [(f"{repo}:*", grade)]


LOOKALIKES: list[tuple[str, int]] = [("someuser/*", HARMFUL)]
"""Community re-pushes and lookalikes: never a good base image."""

OPENJDK: list[tuple[str, int]] = [("openjdk:*", HARMFUL), ("someuser/openjdk:*", HARMFUL)]


PRERELEASES: list[tuple[str, int]] = [
    ("*:*[0-9]rc[0-9]*", HARMFUL), ("*:*[0-9]RC[0-9]*", HARMFUL), ("*:*-rc", HARMFUL), ("*:*-rc-*", HARMFUL),
    ("*:*[0-9]beta[0-9]*", HARMFUL), ("*:*[0-9]alpha[0-9]*", HARMFUL), ("*:*[0-9]a[0-9]*", HARMFUL),
    ("*:*[0-9]b[0-9]*", HARMFUL), ("*:*-ea", HARMFUL), ("*:*-ea-*", HARMFUL), ("*:*-dev", HARMFUL),
    ("*:*-dev-*", HARMFUL), ("*:*-dev[0-9]*", HARMFUL), ("*:*-preview*", HARMFUL),
    ("*:*-m[0-9][0-9]", HARMFUL), ("*:*-m[0-9][0-9]-*", HARMFUL),
]  # fmt: skip
"""Prereleases (``3.15.0rc1``, ``8.4.25RC1``, ``3.15-rc-slim``, ``19beta3``, ``28-ea``,
``3.5-dev``, redis milestones ``8.2-m01``): harmful when not asked for. Prepended to every
query's grades."""


def _q(
    id: str,
    category: str,
    grades: Sequence[tuple[str, int]] = (),
    *,
    expect_empty: bool = False,
    note: str = "",
    allow_stale: Sequence[str] = (),
    **request: Any,
) -> Query:
    labels = () if expect_empty else tuple(PRERELEASES) + tuple(grades)
    return Query(id, category, dict(request), labels, expect_empty, note, tuple(allow_stale))


AMD_ARM = ("linux/amd64", "linux/arm64")

# --------------------------------------------------------------------------- the queries

_PY_NEWEST = (
    debian_lang("python", "3.14")
    + debian_lang("python", "3.13", slim=ACCEPTABLE, full=NEUTRAL, alpine=ACCEPTABLE)
    + debian_lang("python", "3.12", slim=ACCEPTABLE, full=NEUTRAL, alpine=NEUTRAL)
    + debian_lang("python", "3.11", slim=ACCEPTABLE, full=NEUTRAL, alpine=NEUTRAL)
    + [("python:3-slim*", ACCEPTABLE), ("python:slim*", ACCEPTABLE), ("python:3-*", NEUTRAL),
       ("python:3", NEUTRAL), ("python:latest", NEUTRAL), ("python:alpine*", NEUTRAL)]
    + rest("python") + [("bitnami/python:*", NEUTRAL)] + LOOKALIKES
)  # fmt: skip

LANGUAGE: list[Query] = [
    _q("python-3.12-arm64", "language",
       debian_lang("python", "3.12") + rest("python") + [("bitnami/python:3.12*", NEUTRAL)] + LOOKALIKES,
       runtime="python", version="3.12", platforms=AMD_ARM),
    _q("python-3.11", "language", debian_lang("python", "3.11") + rest("python") + LOOKALIKES,
       runtime="python", version="3.11"),
    _q("python-newest", "language", _PY_NEWEST, runtime="python",
       note="no version: 3.14 is the newest stable line (3.15 is rc; 3.10 is past EOL by 2026-11)"),
    _q("python-newest-arm64", "language", _PY_NEWEST, runtime="python", platforms=AMD_ARM),
    _q("node-22", "language", node_line("22") + rest("node") + LOOKALIKES, runtime="node", version="22"),
    _q("node-lts-arm64", "language",
       node_line("24") + node_line("26", slim=ACCEPTABLE, full=NEUTRAL, alpine=ACCEPTABLE)
       + node_line("22", slim=ACCEPTABLE, full=NEUTRAL, alpine=NEUTRAL)
       + [("node:*bullseye*", NEUTRAL), ("node:lts-slim", IDEAL), ("node:lts-*slim", IDEAL),
          ("node:krypton-*slim", IDEAL), ("node:krypton-slim", IDEAL),
          ("node:lts*", ACCEPTABLE), ("node:krypton*", ACCEPTABLE), ("node:jod*", NEUTRAL), ("node:current*", NEUTRAL),
          ("node:slim", NEUTRAL), ("node:latest", NEUTRAL)]
       + rest("node") + LOOKALIKES,
       runtime="node", platforms=AMD_ARM,
       note="no version: 24 is the LTS line in the data (26 is 'current'); 25/23/20 are stale"),
    _q("go-1.26-build", "language",
       [("golang:1.26-trixie", IDEAL), ("golang:1.26", IDEAL), ("golang:1.26-bookworm", ACCEPTABLE),
        ("golang:1.26-alpine*", ACCEPTABLE), ("golang:1.26.*-windows*", HARMFUL), ("golang:1.26.*-nano*", HARMFUL),
        ("golang:1.26.[0-9]*", ACCEPTABLE)] + rest("golang"),
       runtime="go", version="1.26", purpose="build"),
    _q("golang-newest-build-arm64", "language",
       [("golang:1.27-trixie", IDEAL), ("golang:1.27", IDEAL), ("golang:1.27-bookworm", ACCEPTABLE),
        ("golang:1.27-alpine*", ACCEPTABLE), ("golang:1.27.[0-9]*", ACCEPTABLE),
        ("golang:1-trixie", ACCEPTABLE), ("golang:1", ACCEPTABLE), ("golang:trixie", ACCEPTABLE),
        ("golang:1.26-trixie", ACCEPTABLE), ("golang:1.26", ACCEPTABLE), ("golang:1.26-*", NEUTRAL),
        ("golang:1.26.*", NEUTRAL), ("golang:latest", NEUTRAL), ("golang:1-*", NEUTRAL),
        ("golang:bookworm", NEUTRAL), ("golang:alpine*", NEUTRAL)] + rest("golang"),
       runtime="golang", purpose="build", platforms=AMD_ARM,
       note="tip-* are development snapshots; 1.25 was removed 2026-08-19"),
    _q("java-21-runtime", "language",
       temurin("21", jre=IDEAL, jdk=ACCEPTABLE) + rest("eclipse-temurin")
       + [("amazoncorretto:21-*headless", ACCEPTABLE), ("amazoncorretto:21*", ACCEPTABLE),
          ("sapmachine:21-jre*", ACCEPTABLE), ("sapmachine:21*", ACCEPTABLE)]
       + rest("amazoncorretto") + rest("sapmachine") + OPENJDK + LOOKALIKES,
       runtime="java", version="21"),
    _q("java-17-build-arm64", "language",
       temurin("17", jre=HARMFUL, jdk=IDEAL, jdk_alpine=HARMFUL, jre_alpine=HARMFUL) + rest("eclipse-temurin")
       + [("amazoncorretto:17-*headless", HARMFUL), ("amazoncorretto:17-*headful", HARMFUL),
          ("amazoncorretto:17-alpine*", ACCEPTABLE), ("amazoncorretto:17*", ACCEPTABLE),
          ("sapmachine:17-jre*", HARMFUL), ("sapmachine:17*", ACCEPTABLE)]
       + rest("amazoncorretto") + rest("sapmachine") + OPENJDK + LOOKALIKES,
       runtime="java", version="17", purpose="build", platforms=AMD_ARM,
       note="eclipse-temurin:17-*alpine* is amd64-only; a JRE cannot compile"),
    _q("temurin-25-arm64", "language",
       temurin("25", jre=IDEAL, jdk=ACCEPTABLE) + rest("eclipse-temurin") + OPENJDK + LOOKALIKES,
       image="eclipse-temurin", version="25", platforms=AMD_ARM),
    _q("ruby-3.4", "language", debian_lang("ruby", "3.4") + rest("ruby"), runtime="ruby", version="3.4"),
    _q("rust-build", "language",
       [("rust:1-trixie", IDEAL), ("rust:1", IDEAL), ("rust:1.98-trixie", IDEAL), ("rust:1.98", IDEAL),
        ("rust:trixie", ACCEPTABLE), ("rust:1*-bookworm", ACCEPTABLE), ("rust:bookworm", ACCEPTABLE),
        ("rust:1.98.0*", ACCEPTABLE), ("rust:1*-slim*", ACCEPTABLE), ("rust:slim*", NEUTRAL),
        ("rust:*alpine3.2[01]", NEUTRAL), ("rust:1*-alpine*", ACCEPTABLE), ("rust:1*-bullseye", NEUTRAL),
        ("rust:latest", NEUTRAL)] + rest("rust"),
       runtime="rust", purpose="build"),
    _q("php-8.4-fpm", "language",
       [("php:8.4-fpm", IDEAL), ("php:8.4-fpm-trixie", IDEAL), ("php:8.4-fpm-bookworm", ACCEPTABLE),
        ("php:8.4-fpm-alpine*", ACCEPTABLE), ("php:8.4.[0-9]*-fpm*", ACCEPTABLE)] + rest("php"),
       runtime="php", version="8.4", variant="fpm",
       note="8.4-rc-fpm (8.4.25RC1) is a prerelease of the same line: harmful"),
    _q("php-8.3-apache-arm64", "language",
       [("php:8.3-apache", IDEAL), ("php:8.3-apache-trixie", IDEAL), ("php:8.3-apache-bookworm", ACCEPTABLE),
        ("php:8.3.[0-9]*-apache*", ACCEPTABLE)] + rest("php"),
       runtime="php", version="8.3", variant="apache", platforms=AMD_ARM),
]

BUILD_RUNTIME: list[Query] = [
    _q("python-3.13-build", "build_runtime",
       debian_lang("python", "3.13", slim=ACCEPTABLE, full=IDEAL, alpine=NEUTRAL, bookworm_same=True) + rest("python")
       + LOOKALIKES,
       runtime="python", version="3.13", purpose="build",
       note="a build stage wants compilers and headers: the full image (trixie or bookworm)"),
    _q("python-3.13-runtime", "build_runtime", debian_lang("python", "3.13") + rest("python") + LOOKALIKES,
       runtime="python", version="3.13", purpose="runtime"),
    _q("python-3.14-dev", "build_runtime",
       debian_lang("python", "3.14", slim=ACCEPTABLE, full=IDEAL, alpine=NEUTRAL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.14", purpose="dev"),
    _q("node-24-build", "build_runtime",
       node_line("24", slim=ACCEPTABLE, full=IDEAL, alpine=NEUTRAL) + rest("node"),
       runtime="node", version="24", purpose="build"),
    _q("node-24-runtime", "build_runtime", node_line("24") + rest("node"),
       runtime="node", version="24", purpose="runtime"),
    _q("java-21-build", "build_runtime",
       temurin("21", jre=HARMFUL, jdk=IDEAL, jre_alpine=HARMFUL)
       + [("amazoncorretto:21-*headless", HARMFUL), ("amazoncorretto:21-*headful", HARMFUL),
          ("amazoncorretto:21*", ACCEPTABLE), ("sapmachine:21-jre*", HARMFUL), ("sapmachine:21*", ACCEPTABLE)]
       + rest("eclipse-temurin") + rest("amazoncorretto") + rest("sapmachine") + OPENJDK + LOOKALIKES,
       runtime="java", version="21", purpose="build"),
    _q("ruby-3.4-build", "build_runtime",
       debian_lang("ruby", "3.4", slim=ACCEPTABLE, full=IDEAL, alpine=NEUTRAL, bookworm_same=True) + rest("ruby"),
       runtime="ruby", version="3.4", purpose="build"),
]

SMALL_SECURE: list[Query] = [
    _q("python-3.13-small", "small_secure",
       debian_lang("python", "3.13", slim=ACCEPTABLE, full=NEUTRAL, alpine=IDEAL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.13", priorities=("small",),
       note="alpine ~21 MB vs slim ~45 MB vs full ~400 MB"),
    _q("node-22-small", "small_secure", node_line("22", slim=ACCEPTABLE, full=NEUTRAL, alpine=IDEAL) + rest("node"),
       runtime="node", version="22", priorities=("small",)),
    _q("nginx-small", "small_secure",
       [("nginx:*alpine*-slim", IDEAL), ("nginx:*alpine*-perl", NEUTRAL), ("nginx:*alpine*-otel", NEUTRAL),
        ("nginx:1.3[01]-alpine*", ACCEPTABLE), ("nginx:stable-alpine*", ACCEPTABLE),
        ("nginx:mainline-alpine*", ACCEPTABLE), ("nginx:1-alpine*", ACCEPTABLE), ("nginx:alpine*", ACCEPTABLE),
        ("nginx:1.3[01].[0-9]*-alpine*", ACCEPTABLE), ("nginx:1.28*", HARMFUL), ("nginx:1.2[0-7]*", HARMFUL)]
       + rest("nginx", NEUTRAL),
       runtime="nginx", priorities=("small",), note="alpine-slim ~5 MB; 1.28 was removed 2026-04-14"),
    _q("temurin-21-small", "small_secure",
       temurin("21", jre=ACCEPTABLE, jdk=NEUTRAL, jre_alpine=IDEAL, jdk_alpine=NEUTRAL)
       + rest("eclipse-temurin") + OPENJDK + LOOKALIKES,
       runtime="java", version="21", priorities=("small",)),
    _q("python-3.13-secure", "small_secure",
       debian_lang("python", "3.13", slim=IDEAL, full=NEUTRAL, alpine=IDEAL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.13", priorities=("secure",),
       note="fewer packages: slim on the newest Debian, or alpine; not the full image"),
    _q("redis-secure", "small_secure",
       [("redis:8.10-alpine*", IDEAL), ("redis:8-alpine*", IDEAL), ("redis:alpine*", ACCEPTABLE),
        ("redis:8.10-trixie", ACCEPTABLE), ("redis:8.10", ACCEPTABLE), ("redis:8-trixie", ACCEPTABLE),
        ("redis:8", ACCEPTABLE), ("redis:8.10.[0-9]*", ACCEPTABLE), ("redis:8.8*", ACCEPTABLE),
        ("redis:8.[2-6]*", NEUTRAL), ("redis:7.[24]*", NEUTRAL), ("redis:6.2*", NEUTRAL), ("redis:latest", NEUTRAL),
        ("redis:trixie", NEUTRAL)] + rest("redis")
       + [("bitnami/redis:8.2*", ACCEPTABLE), ("bitnami/redis:8", ACCEPTABLE), ("bitnami/redis:*", NEUTRAL)],
       runtime="redis", priorities=("secure",),
       note="redis 7.0/6.0 are stale lines (removed 2024)"),
    _q("debian-small", "small_secure",
       [("debian:trixie-slim", IDEAL), ("debian:13-slim", IDEAL), ("debian:stable-slim", IDEAL),
        ("debian:13.*-slim", ACCEPTABLE), ("debian:trixie-20*-slim", ACCEPTABLE), ("debian:stable-20*-slim", ACCEPTABLE),
        ("debian:bookworm-slim", ACCEPTABLE), ("debian:12-slim", ACCEPTABLE), ("debian:12.*-slim", ACCEPTABLE),
        ("debian:bookworm-20*-slim", ACCEPTABLE), ("debian:oldstable-slim", ACCEPTABLE),
        ("debian:trixie", ACCEPTABLE), ("debian:13", ACCEPTABLE), ("debian:stable", ACCEPTABLE),
        ("debian:bookworm", NEUTRAL), ("debian:12", NEUTRAL), ("debian:latest", NEUTRAL),
        ("debian:13*", NEUTRAL), ("debian:12*", NEUTRAL), ("debian:trixie*", NEUTRAL), ("debian:bookworm*", NEUTRAL)]
       + rest("debian"),
       runtime="debian", priorities=("small",),
       note="sid/testing/unstable/experimental/forky are not releases; bullseye/buster are past EOL"),
    _q("alpine-base", "small_secure",
       [("alpine:3.24", IDEAL), ("alpine:3.24.*", ACCEPTABLE), ("alpine:3", ACCEPTABLE), ("alpine:3.23*", ACCEPTABLE),
        ("alpine:3.22*", NEUTRAL), ("alpine:latest", NEUTRAL)] + rest("alpine"),
       runtime="alpine", note="edge and date tags are development snapshots; 3.21 is past EOL (2026-11-01)"),
    _q("postgres-17-small", "small_secure",
       [("postgres:17-alpine", IDEAL), ("postgres:17-alpine3.24", IDEAL), ("postgres:17-alpine3.23", ACCEPTABLE),
        ("postgres:17.*-alpine*", ACCEPTABLE), ("postgres:17", ACCEPTABLE), ("postgres:17-trixie", ACCEPTABLE),
        ("postgres:17-bookworm", NEUTRAL), ("postgres:17.*", NEUTRAL)] + rest("postgres")
       + [("bitnami/postgresql:17*", NEUTRAL)] + rest("bitnami/postgresql"),
       runtime="postgres", version="17", priorities=("small",)),
]

SERVER: list[Query] = [
    _q("postgres-17", "server",
       [("postgres:17", IDEAL), ("postgres:17-trixie", IDEAL), ("postgres:17-bookworm", ACCEPTABLE),
        ("postgres:17-alpine*", ACCEPTABLE), ("postgres:17.*", ACCEPTABLE)] + rest("postgres")
       + [("bitnami/postgresql:17*", ACCEPTABLE)] + rest("bitnami/postgresql"),
       runtime="postgres", version="17"),
    _q("postgres-newest-arm64", "server",
       [("postgres:18", IDEAL), ("postgres:18-trixie", IDEAL), ("postgres:18-bookworm", ACCEPTABLE),
        ("postgres:18-alpine*", ACCEPTABLE), ("postgres:18.*", ACCEPTABLE), ("postgres:trixie", ACCEPTABLE),
        ("postgres:alpine*", NEUTRAL), ("postgres:bookworm", NEUTRAL), ("postgres:latest", NEUTRAL),
        ("postgres:1[5-7]*", ACCEPTABLE)] + rest("postgres")
       + [("bitnami/postgresql:18*", ACCEPTABLE), ("bitnami/postgresql:latest", NEUTRAL)] + rest("bitnami/postgresql"),
       runtime="postgres", platforms=AMD_ARM, note="19beta3 is a prerelease; 14 is past EOL (2026-11-12); 13 stale"),
    _q("mysql-8.4", "server",
       [("mysql:8.4", IDEAL), ("mysql:8.4-oraclelinux9", IDEAL), ("mysql:8.4-oracle", IDEAL),
        ("mysql:8.4.*", ACCEPTABLE), ("mysql:8", ACCEPTABLE), ("mysql:8-oracle*", ACCEPTABLE)] + rest("mysql"),
       runtime="mysql", version="8.4", note="mysql:lts is 9.7 here, not 8.4; 8.0 is stale (removed 2026-05-05)"),
    _q("redis-arm64", "server",
       [("redis:8.10", IDEAL), ("redis:8", IDEAL), ("redis:8.10-trixie", IDEAL), ("redis:8-trixie", IDEAL),
        ("redis:8.10-alpine*", ACCEPTABLE), ("redis:8-alpine*", ACCEPTABLE), ("redis:8.10.*", ACCEPTABLE),
        ("redis:8.8*", ACCEPTABLE), ("redis:alpine*", NEUTRAL), ("redis:trixie", NEUTRAL), ("redis:latest", NEUTRAL),
        ("redis:8.*", NEUTRAL), ("redis:7.[24]*", NEUTRAL), ("redis:7", NEUTRAL), ("redis:7-*", NEUTRAL),
        ("redis:6.2*", NEUTRAL)] + rest("redis")
       + [("bitnami/redis:8.2", ACCEPTABLE), ("bitnami/redis:8", ACCEPTABLE), ("bitnami/redis:*", NEUTRAL)],
       runtime="redis", platforms=AMD_ARM),
    _q("nginx", "server",
       [("nginx:stable", IDEAL), ("nginx:stable-trixie", IDEAL), ("nginx:1.30", IDEAL), ("nginx:1.30-trixie", IDEAL),
        ("nginx:mainline", IDEAL), ("nginx:mainline-trixie", IDEAL), ("nginx:1.31", IDEAL), ("nginx:1.31-trixie", IDEAL),
        ("nginx:1", ACCEPTABLE), ("nginx:1-trixie", ACCEPTABLE), ("nginx:1.3[01].[0-9]*-*perl*", NEUTRAL),
        ("nginx:1.3[01].[0-9]*-*otel*", NEUTRAL), ("nginx:1.3[01].[0-9]*", ACCEPTABLE),
        ("nginx:*alpine*-slim", ACCEPTABLE), ("nginx:*alpine*-perl", NEUTRAL), ("nginx:*alpine*-otel", NEUTRAL),
        ("nginx:*alpine*", ACCEPTABLE), ("nginx:1.28*", HARMFUL), ("nginx:1.2[0-7]*", HARMFUL)]
       + rest("nginx", NEUTRAL),
       runtime="nginx"),
    _q("mongo-8.0", "server",
       [("mongo:8.0", IDEAL), ("mongo:8.0-noble", IDEAL), ("mongo:8.0.*-noble", ACCEPTABLE), ("mongo:8.0.[0-9]*", ACCEPTABLE)]
       + rest("mongo"),
       runtime="mongo", version="8.0"),
    _q("mariadb-newest", "server",
       [("mariadb:lts", IDEAL), ("mariadb:12.3", IDEAL), ("mariadb:12", IDEAL), ("mariadb:12-noble", IDEAL),
        ("mariadb:12.3-noble", IDEAL), ("mariadb:lts-noble", IDEAL), ("mariadb:noble", ACCEPTABLE),
        ("mariadb:12*", ACCEPTABLE), ("mariadb:lts-*", ACCEPTABLE), ("mariadb:latest", NEUTRAL),
        ("mariadb:11*", ACCEPTABLE), ("mariadb:10.11*", NEUTRAL), ("mariadb:10-*", NEUTRAL), ("mariadb:10", NEUTRAL),
        ("mariadb:ubi*", NEUTRAL)] + rest("mariadb"),
       runtime="mariadb", note="13.0-rc is a prerelease; 10.6 is past EOL (2026-07)"),
    _q("httpd", "server",
       [("httpd:2.4", IDEAL), ("httpd:2.4-trixie", IDEAL), ("httpd:2", ACCEPTABLE), ("httpd:2-trixie", ACCEPTABLE),
        ("httpd:2.4.*-alpine*", ACCEPTABLE), ("httpd:2*-alpine*", ACCEPTABLE), ("httpd:alpine*", NEUTRAL),
        ("httpd:2.4.[0-9]*", ACCEPTABLE)] + rest("httpd", NEUTRAL),
       runtime="httpd"),
    _q("rabbitmq-management", "server",
       [("rabbitmq:4.3-management", IDEAL), ("rabbitmq:4-management", IDEAL),
        ("rabbitmq:4.3-management-alpine", ACCEPTABLE), ("rabbitmq:4-management-alpine", ACCEPTABLE),
        ("rabbitmq:4.3.*-management*", ACCEPTABLE), ("rabbitmq:management*", NEUTRAL),
        ("rabbitmq:4.[12]-management*", ACCEPTABLE), ("rabbitmq:4.[12].*-management*", NEUTRAL)]
       + rest("rabbitmq"),
       runtime="rabbitmq", variant="management", note="a tag without -management lacks the asked variant"),
    _q("haproxy", "server",
       [("haproxy:3.4", IDEAL), ("haproxy:lts", IDEAL), ("haproxy:3.4-trixie", IDEAL), ("haproxy:lts-trixie", IDEAL),
        ("haproxy:3.4-alpine*", ACCEPTABLE), ("haproxy:lts-alpine*", ACCEPTABLE), ("haproxy:3.4.*", ACCEPTABLE),
        ("haproxy:3.[0-3]*", NEUTRAL), ("haproxy:2.[68]*", NEUTRAL), ("haproxy:latest", NEUTRAL),
        ("haproxy:trixie", NEUTRAL), ("haproxy:alpine*", NEUTRAL)] + rest("haproxy"),
       runtime="haproxy", note="3.5-dev is a development branch"),
    _q("traefik-3", "server",
       [("traefik:v3.7", IDEAL), ("traefik:3.7", IDEAL), ("traefik:v3", IDEAL), ("traefik:3", IDEAL),
        ("traefik:v3.7.*", ACCEPTABLE), ("traefik:3.7.*", ACCEPTABLE), ("traefik:langres", ACCEPTABLE),
        ("traefik:latest", NEUTRAL), ("traefik:v3*", NEUTRAL), ("traefik:3*", NEUTRAL)] + rest("traefik"),
       runtime="traefik", version="3"),
    _q("memcached", "server",
       [("memcached:1.6", IDEAL), ("memcached:1.6-trixie", IDEAL), ("memcached:1", ACCEPTABLE),
        ("memcached:1-trixie", ACCEPTABLE), ("memcached:1.6-alpine*", ACCEPTABLE), ("memcached:1-alpine*", ACCEPTABLE),
        ("memcached:1.6.*", ACCEPTABLE)] + rest("memcached", NEUTRAL),
       runtime="memcached"),
    _q("caddy-arm64", "server",
       [("caddy:2.11", IDEAL), ("caddy:2", IDEAL), ("caddy:2.11-alpine", IDEAL), ("caddy:2-alpine", IDEAL),
        ("caddy:2.11.*-builder*", NEUTRAL), ("caddy:*builder*", NEUTRAL), ("caddy:2.11.[0-9]*", ACCEPTABLE),
        ("caddy:alpine", ACCEPTABLE), ("caddy:latest", NEUTRAL)] + rest("caddy", NEUTRAL),
       runtime="caddy", platforms=AMD_ARM, note="the -builder images are for xcaddy builds, not for serving"),
    _q("bitnami-redis", "server",
       [("bitnami/redis:8.2", IDEAL), ("bitnami/redis:8", IDEAL), ("bitnami/redis:8.2.*", ACCEPTABLE),
        ("bitnami/redis:8.0*", ACCEPTABLE), ("bitnami/redis:latest", NEUTRAL), ("bitnami/redis:*", NEUTRAL),
        ("redis:*", NEUTRAL)] + LOOKALIKES,
       image="bitnami/redis", platforms=AMD_ARM,
       note="the user named a verified-publisher repository: answer from it"),
]

TRAP_EOL: list[Query] = [
    _q("python-3.8-pinned", "trap_eol",
       [("python:3.8-slim*", ACCEPTABLE), ("python:3.8.*-slim*", ACCEPTABLE), ("python:3.8*", ACCEPTABLE)]
       + debian_lang("python", "3.14") + debian_lang("python", "3.13") + debian_lang("python", "3.12")
       + debian_lang("python", "3.11") + rest("python", NEUTRAL) + LOOKALIKES,
       runtime="python", version="3.8",
       allow_stale=("python:3.8*",),
       note="EOL 2024-10-07, tags stale since: keeping the pin (warned) is acceptable; a supported upgrade is ideal"),
    _q("python-3.9-slim-pinned", "trap_eol",
       [("python:3.9-slim*", ACCEPTABLE), ("python:3.9.*-slim*", ACCEPTABLE), ("python:3.9*", ACCEPTABLE)]
       + debian_lang("python", "3.14") + debian_lang("python", "3.13") + debian_lang("python", "3.12")
       + debian_lang("python", "3.11") + rest("python", NEUTRAL) + LOOKALIKES,
       runtime="python", version="3.9", variant="slim", allow_stale=("python:3.9*",), note="EOL 2025-10; removed 2025-11-03"),
    _q("node-16-pinned", "trap_eol",
       [("node:16*", ACCEPTABLE)] + node_line("24") + node_line("22") + rest("node", NEUTRAL),
       runtime="node", version="16", allow_stale=("node:16*",), note="EOL 2023-09-11 (removed that day)"),
    _q("go-1.25-pinned-build", "trap_eol",
       [("golang:1.25*", ACCEPTABLE), ("golang:1.2[67]-trixie", IDEAL), ("golang:1.2[67]", IDEAL),
        ("golang:1.2[67]-bookworm", ACCEPTABLE), ("golang:1.2[67]-alpine*", ACCEPTABLE),
        ("golang:1.2[67].[0-9]*", ACCEPTABLE)] + rest("golang", NEUTRAL),
       runtime="go", version="1.25", purpose="build", allow_stale=("golang:1.25*",), note="removed 2026-08-19 when 1.27 came out"),
    _q("mysql-8.0-pinned", "trap_eol",
       [("mysql:8.0*", ACCEPTABLE), ("mysql:8.4", IDEAL), ("mysql:8.4-oracle*", IDEAL), ("mysql:8.4.*", ACCEPTABLE),
        ("mysql:8", ACCEPTABLE), ("mysql:8-oracle*", ACCEPTABLE), ("mysql:9.7*", ACCEPTABLE), ("mysql:lts*", ACCEPTABLE)]
       + rest("mysql", NEUTRAL),
       runtime="mysql", version="8.0", allow_stale=("mysql:8.0*",), note="EOL 2026-04; removed 2026-05-05; upgrade path is 8.4 LTS"),
    _q("postgres-13-pinned", "trap_eol",
       [("postgres:13*", ACCEPTABLE), ("postgres:1[5-8]", IDEAL), ("postgres:1[5-8]-trixie", IDEAL),
        ("postgres:1[5-8]-*", ACCEPTABLE), ("postgres:1[5-8].*", ACCEPTABLE), ("postgres:14*", NEUTRAL)]
       + rest("postgres", NEUTRAL),
       runtime="postgres", version="13", allow_stale=("postgres:13*",), note="EOL 2025-11-13; 14 is EOL too by 2026-11-26"),
    _q("ruby-3.2-pinned", "trap_eol",
       [("ruby:3.2*", ACCEPTABLE)] + debian_lang("ruby", "3.4") + debian_lang("ruby", "3.3")
       + debian_lang("ruby", "4.0") + rest("ruby", NEUTRAL),
       runtime="ruby", version="3.2", allow_stale=("ruby:3.2*",), note="EOL 2026-03-31; removed 2026-04-16"),
]

_TEMURIN_17_RUNTIME = (
    temurin("17", jre=IDEAL, jdk=ACCEPTABLE) + rest("eclipse-temurin")
    + [("amazoncorretto:17*", ACCEPTABLE), ("sapmachine:17*", ACCEPTABLE)]
    + rest("amazoncorretto") + rest("sapmachine") + OPENJDK + LOOKALIKES
)  # fmt: skip

TRAP_REMOVED: list[Query] = [
    _q("openjdk-17", "trap_removed", _TEMURIN_17_RUNTIME, image="openjdk", version="17",
       note="openjdk:17* was last built 2022-05; the repository is deprecated"),
    _q("openjdk-21-build", "trap_removed",
       temurin("21", jre=HARMFUL, jdk=IDEAL, jre_alpine=HARMFUL)
       + [("amazoncorretto:21-*headless", HARMFUL), ("amazoncorretto:21-*headful", HARMFUL),
          ("amazoncorretto:21*", ACCEPTABLE), ("sapmachine:21-jre*", HARMFUL), ("sapmachine:21*", ACCEPTABLE)]
       + rest("eclipse-temurin") + rest("amazoncorretto") + rest("sapmachine") + OPENJDK + LOOKALIKES,
       image="openjdk", version="21", purpose="build"),
    _q("openjdk-8", "trap_removed",
       temurin("8", jre=IDEAL, jdk=ACCEPTABLE) + rest("eclipse-temurin")
       + [("amazoncorretto:8*", ACCEPTABLE)] + rest("amazoncorretto") + OPENJDK
       + LOOKALIKES,
       image="openjdk", version="8"),
    _q("openjdk-newest", "trap_removed",
       temurin("25", jre=IDEAL, jdk=ACCEPTABLE) + temurin("21", jre=ACCEPTABLE, jdk=ACCEPTABLE)
       + temurin("17", jre=NEUTRAL, jdk=NEUTRAL) + [("eclipse-temurin:latest", NEUTRAL)] + rest("eclipse-temurin")
       + [("amazoncorretto:2[15]*", ACCEPTABLE), ("sapmachine:2[15]*", ACCEPTABLE), ("sapmachine:lts*", ACCEPTABLE)]
       + rest("amazoncorretto", NEUTRAL) + rest("sapmachine", NEUTRAL) + OPENJDK + LOOKALIKES,
       image="openjdk", note="only early-access 27-rc/28-ea builds are current in openjdk: harmful"),
    _q("java-newest", "trap_removed",
       temurin("25", jre=IDEAL, jdk=ACCEPTABLE) + temurin("21", jre=ACCEPTABLE, jdk=ACCEPTABLE)
       + temurin("17", jre=NEUTRAL, jdk=NEUTRAL) + [("eclipse-temurin:latest", NEUTRAL)] + rest("eclipse-temurin")
       + [("amazoncorretto:2[15]*", ACCEPTABLE), ("sapmachine:2[15]*", ACCEPTABLE), ("sapmachine:lts*", ACCEPTABLE)]
       + rest("amazoncorretto", NEUTRAL) + rest("sapmachine", NEUTRAL) + OPENJDK + LOOKALIKES,
       runtime="java", note="25 is the newest LTS; 26 is non-LTS and past support by 2026-11"),
]

TRAP_MISSING: list[Query] = [
    _q("python-3.99", "trap_missing", expect_empty=True, runtime="python", version="3.99"),
    _q("node-99", "trap_missing", expect_empty=True, runtime="node", version="99"),
    _q("golang-1.99-build", "trap_missing", expect_empty=True, runtime="golang", version="1.99", purpose="build"),
    _q("postgres-9.7", "trap_missing", expect_empty=True, runtime="postgres", version="9.7",
       note="PostgreSQL went from 9.6 to 10"),
    _q("no-such-image", "trap_missing", expect_empty=True, image="nosuchvendor/nosuchimage"),
]

TRAP_WINDOWS: list[Query] = [
    _q("python-3.13-windows", "trap_windows",
       [("python:3.13-windowsservercore-ltsc20*", IDEAL), ("python:3.13-windowsservercore", IDEAL),
        ("python:3.13.*-windowsservercore*", ACCEPTABLE), ("python:3.13", ACCEPTABLE), ("python:3.13.[0-9]*", NEUTRAL)]
       + rest("python"),
       runtime="python", version="3.13", os="windows", platforms=("windows/amd64",),
       note="python:3.13 is a shared tag (Linux + Windows): works, but says nothing about the OS"),
    _q("golang-1.27-windows-build", "trap_windows",
       [("golang:1.27-windowsservercore*", IDEAL), ("golang:1.27-nanoserver*", ACCEPTABLE),
        ("golang:1.27.*-windowsservercore*", ACCEPTABLE), ("golang:1.27.*-nanoserver*", ACCEPTABLE),
        ("golang:1.27", ACCEPTABLE), ("golang:1-windowsservercore*", ACCEPTABLE), ("golang:windowsservercore*", NEUTRAL),
        ("golang:1.27.[0-9]*", NEUTRAL)] + rest("golang"),
       runtime="golang", version="1.27", purpose="build", os="windows", platforms=("windows/amd64",)),
    _q("node-windows", "trap_windows", expect_empty=True,
       runtime="node", version="24", os="windows", platforms=("windows/amd64",),
       note="the node image has no Windows builds"),
    _q("temurin-21-windows", "trap_windows",
       [("eclipse-temurin:21-jre-nanoserver*", IDEAL), ("eclipse-temurin:21-jre-windowsservercore*", IDEAL),
        ("eclipse-temurin:21.*-jre-*server*", ACCEPTABLE), ("eclipse-temurin:21-jre", ACCEPTABLE),
        ("eclipse-temurin:21-jdk-*server*", ACCEPTABLE), ("eclipse-temurin:21-*server*", ACCEPTABLE),
        ("eclipse-temurin:21.*-*server*", ACCEPTABLE), ("eclipse-temurin:21*", NEUTRAL)]
       + rest("eclipse-temurin") + OPENJDK,
       runtime="java", version="21", os="windows", platforms=("windows/amd64",)),
    _q("mongo-8.0-windows", "trap_windows",
       [("mongo:8.0-windowsservercore*", IDEAL), ("mongo:8.0-nanoserver*", ACCEPTABLE),
        ("mongo:8.0.*-windowsservercore*", ACCEPTABLE), ("mongo:8.0.*-nanoserver*", ACCEPTABLE),
        ("mongo:8.0", ACCEPTABLE), ("mongo:8.0.[0-9]*", NEUTRAL)] + rest("mongo"),
       runtime="mongo", version="8.0", os="windows", platforms=("windows/amd64",)),
    _q("postgres-windows", "trap_windows", expect_empty=True,
       runtime="postgres", version="18", os="windows", platforms=("windows/amd64",),
       note="the postgres image has no Windows builds"),
]

TRAP_ARCH: list[Query] = [
    _q("python-3.13-riscv64", "trap_arch",
       debian_lang("python", "3.13", bookworm=HARMFUL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.13", platforms=("linux/riscv64",),
       note="python's bookworm images lack riscv64 (and s390x); trixie and alpine have it"),
    _q("python-3.14-s390x", "trap_arch",
       debian_lang("python", "3.14", bookworm=HARMFUL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.14", platforms=("linux/s390x",)),
    _q("node-22-s390x", "trap_arch",
       [("node:22-trixie-slim", IDEAL), ("node:22.*-trixie-slim", ACCEPTABLE), ("node:jod-trixie-slim", ACCEPTABLE),
        ("node:22-trixie", ACCEPTABLE), ("node:22.*-trixie", ACCEPTABLE), ("node:jod-trixie", ACCEPTABLE),
        ("node:22-alpine*", ACCEPTABLE), ("node:22.*-alpine*", ACCEPTABLE), ("node:jod-alpine*", ACCEPTABLE)]
       + rest("node"),
       runtime="node", version="22", platforms=("linux/s390x",),
       note="node:22 and 22-slim are bookworm: no s390x; 22-trixie* and 22-alpine* have it"),
    _q("node-armv7", "trap_arch",
       node_line("22", trixie=HARMFUL) + [("node:jod-bookworm-slim", ACCEPTABLE), ("node:jod-slim", ACCEPTABLE),
                                          ("node:jod-trixie*", HARMFUL), ("node:jod*", NEUTRAL)]
       + rest("node"),
       runtime="node", platforms=("linux/arm/v7",),
       note="only node 22 still builds arm/v7 (bookworm, bullseye, alpine), and not its trixie variants"),
    _q("temurin-21-riscv64", "trap_arch",
       temurin("21", jre=IDEAL, jdk=ACCEPTABLE, resolute=HARMFUL, jammy=HARMFUL, ubi=HARMFUL,
               jre_alpine=HARMFUL, jdk_alpine=HARMFUL)
       + rest("eclipse-temurin") + OPENJDK + LOOKALIKES,
       runtime="java", version="21", platforms=("linux/riscv64",),
       note="only the noble variants have riscv64; 21-jre/21 point at resolute (no riscv64)"),
    _q("temurin-17-small-arm64", "trap_arch",
       temurin("17", jre=IDEAL, jdk=NEUTRAL, jre_alpine=HARMFUL, jdk_alpine=HARMFUL, ubi=ACCEPTABLE)
       + rest("eclipse-temurin") + [("amazoncorretto:17-*headless", ACCEPTABLE), ("amazoncorretto:17*", NEUTRAL)]
       + rest("amazoncorretto") + OPENJDK + LOOKALIKES,
       runtime="java", version="17", priorities=("small",), platforms=AMD_ARM,
       note="eclipse-temurin 17 alpine is amd64-only"),
    _q("golang-riscv64-build", "trap_arch",
       [("golang:1.27-trixie", IDEAL), ("golang:1.27", IDEAL), ("golang:1.27-alpine*", ACCEPTABLE),
        ("golang:1.27.*-trixie", ACCEPTABLE), ("golang:1.27.*-alpine*", ACCEPTABLE), ("golang:1.27.[0-9]*", ACCEPTABLE),
        ("golang:1-trixie", ACCEPTABLE), ("golang:1", ACCEPTABLE), ("golang:1.26-trixie", ACCEPTABLE),
        ("golang:1.26", ACCEPTABLE), ("golang:1.26-alpine*", ACCEPTABLE), ("golang:*bookworm*", HARMFUL),
        ("golang:1.2[67]*", NEUTRAL), ("golang:latest", NEUTRAL), ("golang:trixie", NEUTRAL),
        ("golang:1-*", NEUTRAL), ("golang:alpine*", NEUTRAL)] + rest("golang"),
       runtime="golang", purpose="build", platforms=("linux/riscv64",)),
    _q("rust-riscv64-build", "trap_arch",
       [("rust:1-trixie", IDEAL), ("rust:1", IDEAL), ("rust:1.98-trixie", IDEAL), ("rust:1.98", IDEAL),
        ("rust:1*-slim-trixie", ACCEPTABLE), ("rust:1*-slim", ACCEPTABLE), ("rust:1.98.0*", ACCEPTABLE),
        ("rust:trixie", ACCEPTABLE), ("rust:latest", NEUTRAL), ("rust:slim*", NEUTRAL)] + rest("rust"),
       runtime="rust", purpose="build", platforms=("linux/riscv64",),
       note="rust's bookworm, bullseye and alpine images lack riscv64"),
    _q("mysql-riscv64", "trap_arch", expect_empty=True, runtime="mysql", version="8.4",
       platforms=("linux/riscv64",), note="mysql builds amd64 and arm64 only"),
    _q("postgres-18-riscv64", "trap_arch",
       [("postgres:18", IDEAL), ("postgres:18-trixie", IDEAL), ("postgres:18-alpine*", ACCEPTABLE),
        ("postgres:18.*-trixie", ACCEPTABLE), ("postgres:18.*-alpine*", ACCEPTABLE), ("postgres:18.[0-9]*", ACCEPTABLE),
        ("postgres:latest", NEUTRAL), ("postgres:trixie", NEUTRAL)] + rest("postgres"),
       runtime="postgres", version="18", platforms=("linux/riscv64",), note="18-bookworm lacks riscv64"),
    _q("redis-8.2-riscv64", "trap_arch",
       [("redis:8.2-alpine", IDEAL), ("redis:8.2-alpine3.22", IDEAL), ("redis:8.2.*-alpine*", ACCEPTABLE)]
       + rest("redis"),
       runtime="redis", version="8.2", platforms=("linux/riscv64",),
       note="redis 8.2 is bookworm-based: only its alpine variant (alpine 3.22) has riscv64"),
]

TRAP_LIBC: list[Query] = [
    _q("python-3.12-compatible", "trap_libc",
       debian_lang("python", "3.12", slim=IDEAL, full=IDEAL, alpine=HARMFUL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.12", priorities=("compatible",),
       note="native wheels (manylinux) need glibc: alpine (musl) breaks them"),
    _q("python-3.13-glibc-small", "trap_libc",
       debian_lang("python", "3.13", slim=IDEAL, full=NEUTRAL, alpine=HARMFUL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.13", libc="glibc", priorities=("small",)),
    _q("node-24-compatible", "trap_libc",
       node_line("24", slim=IDEAL, full=ACCEPTABLE, alpine=HARMFUL) + rest("node"),
       runtime="node", version="24", priorities=("compatible",)),
    _q("ruby-3.4-compatible", "trap_libc",
       debian_lang("ruby", "3.4", slim=IDEAL, full=IDEAL, alpine=HARMFUL) + rest("ruby"),
       runtime="ruby", version="3.4", priorities=("compatible",)),
    _q("python-3.13-musl", "trap_libc",
       debian_lang("python", "3.13", slim=HARMFUL, full=HARMFUL, alpine=IDEAL) + rest("python") + LOOKALIKES,
       runtime="python", version="3.13", libc="musl"),
    _q("php-8.4-alpine", "trap_libc",
       [("php:8.4-cli-alpine", IDEAL), ("php:8.4-alpine", IDEAL), ("php:8.4-cli-alpine3.24", IDEAL),
        ("php:8.4-alpine3.24", IDEAL), ("php:8.4-*alpine3.23", ACCEPTABLE), ("php:8.4.[0-9]*-alpine*", ACCEPTABLE),
        ("php:8.4-fpm-alpine*", NEUTRAL), ("php:8.4-zts-alpine*", NEUTRAL), ("php:8.4.[0-9]*-*alpine*", NEUTRAL)]
       + rest("php"),
       runtime="php", version="8.4", distro="alpine"),
    _q("python-3.12-bookworm", "trap_libc",
       [("python:3.12-slim-bookworm", IDEAL), ("python:3.12.*-slim-bookworm", ACCEPTABLE),
        ("python:3.12-bookworm", ACCEPTABLE), ("python:3.12.*-bookworm", ACCEPTABLE)] + rest("python") + LOOKALIKES,
       runtime="python", version="3.12", distro="bookworm",
       note="an explicit distro: 3.12-slim (trixie) does not honour it"),
]

QUERIES: tuple[Query, ...] = tuple(
    LANGUAGE + BUILD_RUNTIME + SMALL_SECURE + SERVER + TRAP_EOL + TRAP_REMOVED + TRAP_MISSING + TRAP_WINDOWS
    + TRAP_ARCH + TRAP_LIBC
)  # fmt: skip
"""The labelled queries for the catalog built from ``../shared/data``."""


# --------------------------------------------------------------------------- fallback set

FALLBACK_QUERIES: tuple[Query, ...] = (
    # For tests.fakes.catalog.default_catalog() (no ../shared/data): python 3.14.0/3.13.9/...
    # on trixie+bookworm (STD platforms: no riscv64 on Debian), node 25/24/22/20, golang
    # 1.25/1.24, eclipse-temurin 25/21/17, openjdk stale, postgres 18/17/16, mysql 9.5/8.4.
    _q("fb-python-3.13", "language", debian_lang("python", "3.13") + rest("python"), runtime="python", version="3.13"),
    _q("fb-python-3.12-arm64", "language", debian_lang("python", "3.12") + rest("python"),
       runtime="python", version="3.12", platforms=AMD_ARM),
    _q("fb-node-22", "language", node_line("22") + rest("node"), runtime="node", version="22"),
    _q("fb-python-3.13-build", "build_runtime",
       debian_lang("python", "3.13", slim=ACCEPTABLE, full=IDEAL, alpine=NEUTRAL, bookworm_same=True) + rest("python"),
       runtime="python", version="3.13", purpose="build"),
    _q("fb-python-3.13-small", "small_secure",
       debian_lang("python", "3.13", slim=ACCEPTABLE, full=NEUTRAL, alpine=IDEAL) + rest("python"),
       runtime="python", version="3.13", priorities=("small",)),
    _q("fb-postgres-17", "server",
       [("postgres:17", IDEAL), ("postgres:17-trixie", IDEAL), ("postgres:17-bookworm", ACCEPTABLE),
        ("postgres:17-alpine*", ACCEPTABLE), ("postgres:17.*", ACCEPTABLE)] + rest("postgres")
       + [("bitnami/postgresql:17*", ACCEPTABLE)] + rest("bitnami/postgresql"),
       runtime="postgres", version="17"),
    _q("fb-mysql-8.4", "server",
       [("mysql:8.4", IDEAL), ("mysql:8.4-oraclelinux9", IDEAL), ("mysql:8.4-oracle", IDEAL), ("mysql:8.4.*", ACCEPTABLE),
        ("mysql:8", ACCEPTABLE), ("mysql:lts", ACCEPTABLE), ("mysql:8-oracle*", ACCEPTABLE)] + rest("mysql"),
       runtime="mysql", version="8.4"),
    _q("fb-python-3.8-pinned", "trap_eol",
       [("python:3.8*", ACCEPTABLE)] + debian_lang("python", "3.14") + debian_lang("python", "3.13")
       + debian_lang("python", "3.12") + debian_lang("python", "3.11") + rest("python", NEUTRAL),
       allow_stale=("python:3.8*",), runtime="python", version="3.8"),
    _q("fb-openjdk-17", "trap_removed",
       temurin("17", jre=IDEAL, jdk=ACCEPTABLE) + rest("eclipse-temurin") + OPENJDK,
       image="openjdk", version="17"),
    _q("fb-python-3.99", "trap_missing", expect_empty=True, runtime="python", version="3.99"),
    _q("fb-python-3.13-windows", "trap_windows",
       [("python:3.13-windowsservercore*", IDEAL), ("python:3.13.*-windowsservercore*", ACCEPTABLE)]
       + rest("python"),
       runtime="python", version="3.13", os="windows", platforms=("windows/amd64",)),
    _q("fb-python-3.13-riscv64", "trap_arch", expect_empty=False,
       grades=[("python:3.13-alpine*", IDEAL), ("python:3.13.*-alpine*", ACCEPTABLE)] + rest("python"),
       runtime="python", version="3.13", platforms=("linux/riscv64",),
       note="in the default fake only the alpine variants have riscv64"),
    _q("fb-python-3.12-compatible", "trap_libc",
       debian_lang("python", "3.12", slim=IDEAL, full=IDEAL, alpine=HARMFUL) + rest("python"),
       runtime="python", version="3.12", priorities=("compatible",)),
)
"""A smaller set whose labels hold in :func:`tests.fakes.catalog.default_catalog`."""


def _check_unique(queries: Sequence[Query]) -> None:
    seen: set[str] = set()
    for query in queries:
        if query.id in seen:
            raise ValueError(f"duplicate query id {query.id}")
        seen.add(query.id)
        for pattern, grade in query.grades:
            if grade not in (IDEAL, ACCEPTABLE, NEUTRAL, HARMFUL) or not re.match(r"^[a-z0-9*?\[/._-]", pattern):
                raise ValueError(f"{query.id}: bad label {pattern!r} -> {grade}")


_check_unique(QUERIES)
_check_unique(FALLBACK_QUERIES)
