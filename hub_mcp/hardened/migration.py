"""The hardened equivalent of an official image's tag and what moving to it changes in a Dockerfile.

:func:`equivalent_for` reads the official tag with :func:`hub_mcp.vocab.tags.parse_tag` (version,
distro family: ``-alpine``, ``-bookworm``/``-trixie``, Debian when the tag names none, Ubuntu ->
Debian; the words that name a flavour: ``-fpm``, ``-jdk``, ``-jre21``), resolves a channel tag
(``latest``, ``lts``, ``krypton``...) to a version line, asks :func:`hub_mcp.hardened.table.equivalent`,
and derives the Dockerfile consequences from the facts of the DHI tag (its variant and user), not
from per-image text. The rules are
``../shared/docs/security-facts.md`` (DHI section) [documented: docker/docs
content/manuals/dhi/migration/ "runtime variants run as non-root, no shell, no package manager;
-dev for build stages; no latest tag"; pulling from dhi.io needs a Docker login].

Pure: no network. The table loads on the first call (never at import).
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import replace
from datetime import date

from hub_mcp.hardened.table import (
    DhiTag,
    Stage,
    channel_line,
    counterpart,
    definitions,
    equivalent,
    names_a_flavour,
    table_info,
)
from hub_mcp.vocab import lifecycle
from hub_mcp.vocab.tags import DEBIAN_CODENAMES, DISTRO_NAMES, LIBC_TOKENS, UBUNTU_CODENAMES, ParsedTag, parse_tag

__all__ = ["equivalent_for", "migration_changes", "provenance"]

#: Official images whose own tags are versions of a distro (``alpine:3.22``, ``ubuntu:24.04``).
_DISTRO_IMAGES = {"alpine": "alpine", "debian": "debian", "ubuntu": "ubuntu"}
#: How the answer names the glibc distributions DHI has no variant of. Their images move to the Debian variant,
#: DHI's glibc family, never as the same line [assumed: docker/docs content/manuals/dhi/migration/ documents
#: Debian -> Debian and Alpine -> Alpine (migrate-from-doi.md), Ubuntu -> Debian, "as both share the same package
#: management system (APT)" (migrate-from-ubuntu.md), and Wolfi -> Alpine (migrate-from-wolfi.md); it says nothing
#: of Oracle Linux, Amazon Linux or UBI, so the move is said as a change, with exact false].
_DISTRO_SHOWN = {"oraclelinux": "Oracle Linux", "amazonlinux": "Amazon Linux", "ubi": "Red Hat UBI"}
#: Debian's suite names, newest release first [documented: debian.org/releases: "stable", "oldstable",
#: "oldoldstable"]; the debian image tags them.
_DEBIAN_SUITES = ("stable", "oldstable", "oldoldstable")
_GLUED_DISTRO = re.compile(r"([a-z]+?)\d+(?:\.\d+)*")  # alpine3.22, ubuntu24.04, ubi9, al2023
#: Words that say nothing about a flavour: the build-stage suffix and the default channel.
_NOT_FLAVOUR = frozenset({"dev", "latest"})
#: A word that says which Java a tag carries: ``jdk``, ``jre``, ``jdk21``, ``jre17``, ``java21``.
_JAVA_WORD = re.compile(r"(?:jdk|jre|java)\d*(?:\.\d+)*")
#: The word a build stage adds when the tag names no Java: a build needs the compiler, and an official Java
#: tag that names none is the JDK [documented: official-images library/eclipse-temurin, ``25-alpine`` is a tag
#: of the ``25-jdk-alpine`` entry; sapmachine and the Debian -dev of eclipse-temurin have only a JDK -dev].
_BUILD_JAVA = "jdk"
_DEBIAN_RELEASE_NAMES = {number: name for name, number in DEBIAN_CODENAMES.items() if number}
_DISTRO_RELEASE = re.compile(r"([a-z]+)-(\d+(?:\.\d+)*)")  # the catalog's folder: debian-13, alpine-3.24


def _split_reference(reference_or_repo: str, tag_or_version: str | None) -> tuple[str, str | None]:
    text = reference_or_repo.strip().split("@", 1)[0]
    base, sep, tag = text.rpartition(":")
    if sep and base and "/" not in tag:
        return base, tag_or_version or tag
    return text, tag_or_version


def _platform_word(word: str) -> bool:
    """A distro, release codename, C library or Windows word: where the image runs, not what it is."""
    glued = _GLUED_DISTRO.fullmatch(word)
    return (
        word in DISTRO_NAMES
        or word in DEBIAN_CODENAMES
        or word in UBUNTU_CODENAMES
        or word in LIBC_TOKENS
        or (glued is not None and glued.group(1) in DISTRO_NAMES)
        or word.startswith(("windowsservercore", "nanoserver"))
    )


def _words(parsed: ParsedTag | None, official: str, name: str) -> frozenset[str]:
    """What the official tag says besides version and distro (``8.4-fpm-alpine``: ``fpm``), and what
    the official name says beyond its DHI image's (``azul-zulu`` -> ``azul``: ``zulu``)."""
    words = set(official.rsplit("/", 1)[-1].split("-")) - set(name.split("-"))
    if parsed is not None:
        words |= parsed.suffix | set(parsed.channel.split("-") if parsed.channel else ())  # clojure's tools-deps
    return frozenset(w for w in words if w and w not in _NOT_FLAVOUR and not _platform_word(w))


def _stage_words(words: frozenset[str], stage: Stage) -> frozenset[str]:
    """A build stage needs the compiler: when the tag names no Java (no ``jre``, ``jdk21``...), ``jdk`` is
    added, so a DHI image whose -dev has a ``jdk`` flavour beside a plain JRE one (eclipse-temurin on Alpine)
    answers its JDK. A tag that names a Java release keeps its own (gradle ``jdk8`` -> the nearest ``jdk11``).
    An image without a ``jdk`` flavour is not changed: a word no flavour has changes nothing."""
    if stage == "build" and not any(_JAVA_WORD.fullmatch(w) for w in words):
        return words | {_BUILD_JAVA}
    return words


def _supported(name: str, today: date, available: Collection[str] | None) -> Collection[str] | None:
    """The tags :func:`equivalent` may answer: those of the image's definitions not past their end of life on
    ``today`` (a definition without an end-of-life date is supported), within ``available`` when given;
    ``available`` as given when no definition has ended."""
    defs = definitions(name)
    if not any(d.is_eol(today) for d in defs):
        return available
    tags = {t for d in defs if not d.is_eol(today) for t in d.tags}
    return tags if available is None else tags.intersection(available)


def _lts_line(official: str, today: date) -> tuple[int, ...] | None:
    """The line an ``lts`` tag stands on, from the lifecycle table: the newest supported line it marks
    LTS (java 25, mariadb 12.3). Where the table names LTS lines by codename (node), only a line that
    has its codename: [documented: nodejs/Release README, a line enters Active LTS months after its
    release and is given its codename then (node 26: released 2026-05, Active LTS from 2026-10-28)]
    [assumed: the lifecycle table records a node codename only once the line is in LTS; its node 26 row
    says the codename is not in its sources]."""
    rows = [r for r in lifecycle.supported_lines(official, today, repository=official) if r.lts]
    if any(r.codename for r in rows):
        rows = [r for r in rows if r.codename]
    return rows[0].numbers if rows else None


def _channel(official: str, channel: str, own_family: str | None, today: date) -> tuple[tuple[int, ...] | None, bool]:
    """The version line a channel tag stands on and whether that is known (``exact``); (None, False)
    for a channel nothing here knows: then the newest line, a closest rather than a promise."""
    if names_a_flavour(official, channel):  # influxdb:core, clojure:lein: a flavour's newest line
        return None, True
    tagged = channel_line(official, channel)  # dhi.io/mysql:lts: the catalog says which line it is
    if tagged is not None:
        return tagged, True
    named = lifecycle.support_for_codename(official, channel)  # node:krypton
    if named is not None:
        return named.numbers, True
    if channel == "lts":
        lts = _lts_line(official, today)
        if lts is not None:
            return lts, True
    if own_family == "debian" and channel in _DEBIAN_SUITES:
        rows = lifecycle.supported_lines("debian", today)
        index = _DEBIAN_SUITES.index(channel)
        if index < len(rows):
            return rows[index].numbers, True
    return None, False


def _lags(official: str, asked: tuple[int, ...], found: DhiTag, today: date) -> bool:
    """Whether the lifecycle table knows a supported line newer than the answer's among those that start
    with the asked numbers: ``golang:latest`` when Go 1.27 is out and DHI has 1.26 (the official tag is
    then on a line DHI does not have yet)."""
    if not re.fullmatch(r"\d+(?:\.\d+)*", found.line):
        return False
    line = tuple(int(n) for n in found.line.split("."))
    rows = lifecycle.supported_lines(official, today, repository=official)
    return any(len(r.numbers) == len(line) and r.numbers[: len(asked)] == asked and r.numbers > line for r in rows)


def _version(
    official: str, parsed: ParsedTag | None, own_family: str | None, today: date
) -> tuple[str | tuple[int, ...] | None, bool]:
    """The version to ask :func:`equivalent` for (None: the newest line) and whether it is the tag's own."""
    if parsed is None:
        return None, True
    if parsed.version is not None and not parsed.is_dated and parsed.channel is None:
        return parsed.version, True
    if own_family == "debian" and parsed.distro not in (None, "debian"):
        return parsed.distro, True  # debian:trixie -> debian-base's trixie line
    if parsed.channel is None or parsed.channel == "latest":
        return None, True  # latest, alpine, slim-bookworm: the newest line
    # a channel (lts, current, stable, krypton); a number after it is the channel's (clojure temurin-25)
    return _channel(official, parsed.channel, own_family, today)


def equivalent_for(
    reference_or_repo: str,
    tag_or_version: str | None,
    stage: Stage,
    *,
    today: date | None = None,
    available: Collection[str] | None = None,
) -> tuple[DhiTag, list[str]] | None:
    """The DHI tag to use instead of an official image's tag, and what changes for the Dockerfile.

    ``reference_or_repo`` is ``python`` or ``python:3.12-slim-bookworm`` (its tag is used when
    ``tag_or_version`` is None); ``tag_or_version`` is an official tag (``3.12-alpine``) or a
    version (``3.12``). ``stage`` is ``runtime`` (the final stage: the runtime variant) or
    ``build`` (the ``-dev`` variant). None for an image without a DHI counterpart, a tag on
    another distro (ubi, Windows), or a line DHI has nothing near.

    Flavours: a word of the tag that names a flavour DHI tags for the answer's line and variant is
    kept (``php:8.4-fpm`` -> ``8.4-debian13-fpm``; ``tomcat:10.1-jre21`` -> ``10.1-jdk21``; maven's
    ``3.9-eclipse-temurin-21`` -> ``3.9-jdk21-dev``); else the plain image (php's ``-dev`` has no
    ``fpm``: ``8.4-debian13-dev``). See :func:`hub_mcp.hardened.table.equivalent`.

    Channels (``exact`` says how sure the line is):

    * no tag, ``latest``, or a tag of variant and distro words only (``alpine``, ``slim-bookworm``):
      the newest line DHI has, exact [assumed: ``latest`` is the newest line; most official images point
      it there, some elsewhere (eclipse-temurin: the newest LTS, amazoncorretto: 8)], except when the
      lifecycle table knows a newer supported line (``golang:latest`` with Go 1.27 out and DHI on 1.26):
      then not exact.
    * a major-only version (``python:3``): the newest DHI line of that major, exact (the official ``3``
      is its newest ``3.x``), with the same exception.
    * a channel the DHI image tags itself (``mysql:lts``): the line of that DHI tag, exact
      [documented: the catalog's tags].
    * a release codename the lifecycle table knows (``node:krypton``): its line, exact.
    * ``lts``: the lifecycle table's newest supported LTS line (see :func:`_lts_line`), exact.
    * ``stable``/``oldstable``/``oldoldstable`` of the debian image: Debian's releases in order.
    * any other channel (``current``, ``stable``, ``mainline``, ``management``, ``lts`` of an image the
      lifecycle table does not know): the newest line DHI has with ``exact`` False: nothing here says
      which line it is [the catalog's file names do (nginx ``stable.yaml``, clickhouse
      ``25.8-lts.yaml``), but the bundled table does not keep them].

    ``ubuntu`` maps to the newest Debian base image, never exact: another distro [documented: docker/docs
    content/manuals/dhi/migration/migrate-from-ubuntu.md]. ``today`` (default: the system date) dates
    the lifecycle-based channels and the end of life below.

    End of life: a tag of a definition past its end of life on ``today`` (the catalog's date; none given:
    supported) is never the answer. A line DHI has only past its end of life (python ``3.10`` after
    2026-10-31), or a closest line that has ended, gives the closest supported line, exact False; None when
    no supported line is near (see :func:`hub_mcp.hardened.table.equivalent`). ``debian:bookworm`` past
    debian-base's end of life for it gives the closest supported Debian release.

    A build stage whose tag names no Java (no ``jre``, ``jdk21``...) asks for the ``jdk`` flavour where the
    -dev has one beside a plain JRE (``eclipse-temurin:25-alpine`` -> ``25-jdk-alpine3.24-dev``): see
    :func:`_stage_words`.

    The first change says a distro move (Ubuntu, Oracle Linux... to Debian) or, when the tag names a Debian
    or Alpine release and the answer is on another one of the family, the release move (``php:8.4-fpm-bookworm``
    -> ``8.4-debian13-fpm``: "the Debian release changes from 12 (bookworm) to 13 (trixie): ..."); ``exact``
    is about the version line and stays as it is.
    """
    repository, tag = _split_reference(reference_or_repo, tag_or_version)
    name = counterpart(repository)
    if name is None:
        return None
    parsed = parse_tag(tag) if tag else None
    if parsed is not None and parsed.windows:
        return None
    short = lifecycle.normalize_repository(repository)
    own_family = _DISTRO_IMAGES.get(short)
    musl = "alpine" if parsed is not None and parsed.libc == "musl" else None  # busybox:1.37-musl is not Debian
    family = (parsed.distro_family if parsed else None) or own_family or musl or "debian"
    distro_version = parsed.distro_version if parsed and parsed.distro_family in ("debian", "alpine") else None
    when = today or date.today()
    version, known = _version(short, parsed, own_family, when)
    if own_family in ("alpine", "debian") and version is not None and not isinstance(version, str):
        distro_version = ".".join(map(str, version))  # alpine:3.22: the version is the distro's
    if own_family == "ubuntu":  # Ubuntu releases are not Debian's: the newest Debian line, never the same
        version, distro_version, known = None, None, False
    moved_from = family if family not in ("debian", "alpine") else None
    if moved_from not in (None, "ubuntu"):  # Oracle Linux, Amazon Linux, UBI: DHI's glibc family, never exact
        family, distro_version, known = "debian", None, False
    words = _stage_words(_words(parsed, short, name), stage)

    def pick(tags: Collection[str] | None) -> DhiTag | None:
        found = equivalent(repository, version, family, stage, distro_version=distro_version, words=words, available=tags)
        if found is None and isinstance(version, str) and DEBIAN_CODENAMES.get(version):
            # debian:bookworm past its end of life (or one DHI never had): the closest supported release, by number
            number = DEBIAN_CODENAMES[version]
            found = equivalent(repository, number, family, stage, distro_version=distro_version, words=words, available=tags)
        return found

    allowed = _supported(name, when, available)
    found = pick(allowed)
    ended = found is None and allowed is not available
    if ended:  # only lines past their end of life are near: named (the catalog still defines them), never exact
        found = pick(available)
    if found is None:
        return None
    if ended or not known or (not isinstance(version, str) and _lags(short, version or (), found, when)):
        found = replace(found, exact=False)
    changes = migration_changes(found)
    if ended:
        changes.insert(
            0,
            f"the bundled DHI catalog ends {found.reference}'s line on {found.end_of_life} and no supported line is"
            " near: check that dhi.io still rebuilds it before moving",
        )
    release = _release_change(family, distro_version, found) if distro_version else None
    if moved_from is not None:
        changes.insert(0, _distro_change(moved_from, found))
    elif release is not None:
        changes.insert(0, release)
    return found, changes


def _distro_change(official_family: str, tag: DhiTag) -> str:
    """What moving from another distro to the DHI tag's distro changes."""
    target = tag.distro.split("-")[0].capitalize()
    if official_family == "ubuntu":
        return f"the distro changes from Ubuntu to {target}: both use apt, but package versions and some names differ"
    shown = _DISTRO_SHOWN.get(official_family, official_family)
    return (
        f"the distro changes from {shown} to {target}: install packages with apt (not dnf, yum or microdnf) in the"
        " -dev stage; names and paths may differ"
    )


def _release_change(family: str, asked: str, tag: DhiTag) -> str | None:
    """What moving from the release the official tag names (``bookworm``: 12, ``alpine3.21``) to another
    release of the same family changes; None when the DHI tag is on that release (compared at the shorter
    precision: ``alpine:3`` on 3.24, ``debian:12.15`` on 12)."""
    folder = _DISTRO_RELEASE.fullmatch(tag.distro)
    if folder is None or folder.group(1) != family or not re.fullmatch(r"\d+(?:\.\d+)*", asked):
        return None
    got = tuple(int(n) for n in folder.group(2).split("."))
    wanted = tuple(int(n) for n in asked.split("."))[: len(got)]  # debian:12.15 is on release 12
    if got[: len(wanted)] == wanted:
        return None

    def shown(numbers: tuple[int, ...]) -> str:
        text = ".".join(map(str, numbers))
        name = _DEBIAN_RELEASE_NAMES.get(text) if family == "debian" else None
        return f"{text} ({name})" if name else text

    return f"the {family.capitalize()} release changes from {shown(wanted)} to {shown(got)}: package versions differ"


def migration_changes(tag: DhiTag) -> list[str]:
    """What moving to ``tag`` changes in a Dockerfile, from its facts (variant, user)."""
    changes: list[str] = []
    if tag.runs_as_root:
        changes.append(f"{tag.variant} variant runs as root with a shell and package manager: for build stages only")
    else:
        who = tag.run_as or "a non-root user"
        changes.append(
            f"runs as {who}, not root: give copied files to it (COPY --chown) and listen on ports above 1024"
        )
    if tag.variant == "runtime":
        changes.append(
            "no shell and no package manager: do RUN steps in a -dev stage and COPY the results (multi-stage)"
        )
    changes.append("no 'latest' tag: pin a version tag")
    changes.append("pulling needs 'docker login dhi.io'")
    return changes


def provenance() -> str:
    """Where the equivalents come from, for an answer's note."""
    info = table_info()
    return f"from the bundled DHI catalog of {info.get('taken')}, not checked live"
