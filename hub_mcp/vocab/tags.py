"""The Docker image tag grammar: parse, classify, order and suggest tags.

Pure functions over tag strings (no I/O). Used by the ``get_tag`` tool to suggest the
closest existing tags when a model asks for one that does not exist, and by the base-image
advisor to reason about tag "lines" (series of tags that upgrade into each other).

Grammar (Renovate's docker versioning, generalized)
---------------------------------------------------
A tag is split on ``-`` into pieces. Some pieces belong together and are merged first:

* Windows flavours with their release: ``windowsservercore-ltsc2022``,
  ``nanoserver-1809`` become ONE token.
* A distro name followed by its version is glued: ``alpine-3.22`` (eclipse-temurin's
  spelling) becomes ``alpine3.22`` (python's spelling), ``ubuntu-22.04`` becomes
  ``ubuntu22.04``, ``debian-13`` becomes ``debian13``. Suffix tokens are also lower-cased.

The first piece, when it looks like a version, gives the release numbers:

* ``3.12.14`` -> ``(3, 12, 14)``; a leading ``v`` is kept apart (``v3.7`` -> prefix "v").
* A prerelease glued to the numbers: ``3.15.0rc1``, ``8.5.10RC1``, ``19beta3``,
  ``3.14.0a1`` -> prerelease ``rc1``, ``rc1``, ``beta3``, ``a1`` (lower-cased).
* A prerelease as its own piece is recognised too: ``3.15-rc-slim``, ``1.13.0-rc3``,
  ``27-ea-34-jdk``, ``4.0.0-rc-5``, ``3.5-dev5``, redis's milestones ``8.2-m01``, mariadb's trailing ``13.0-ubi-rc``
  -> ``rc``, ``rc3``, ``ea34``, ``rc5``, ``dev5``, ``rc`` (a label followed by a number piece
  is joined). A bare ``dev`` is NOT a prerelease: it is the build-stage variant
  (``3.12-dev`` in hardened images).
* Java versions are mapped onto ``(major, minor, update, build)`` so that they order
  correctly and have the same precision in both spellings:
  ``21.0.5_11`` -> ``(21, 0, 5, 11)``; ``8u432-b06`` -> ``(8, 0, 432, 6)``;
  ``8u322`` (no build) -> ``(8, 0, 322)``.

When the first piece is not a version the tag is *versionless* (``latest``, ``alpine``,
``slim-bookworm``, ``lts``, ``mainline``, ``krypton``). Its first piece goes into ``suffix``
when it is a known suffix token (distro, variant, Windows flavour, libc), otherwise it is the
tag's ``channel`` (``lts``, ``current``, ``mainline``, ``stable``, ``latest``, ``tip``, node
codenames...). One exception: a date stamp piece (``20260803`` or ``20260811.1``) in such a
tag is its version, so ``bookworm-20260803-slim``, ``jammy-20260810`` and ``tip-20260815``
order by date. Date stamps, wherever they are, become ``(yyyymmdd, serial)`` (serial 0 when
absent) and never share a line with release numbers (alpine's ``20260805`` is not on the
``3`` line).

Every other piece is a suffix token. ``suffix`` is an unordered set, so
``3.12-slim-bookworm`` and ``3.12-bookworm-slim`` have the same suffix.

Lines
-----
Two tags are on the same *line* iff they have the same suffix set, the same channel, the
same ``v`` prefix and the same version precision (so both are versioned or both are not;
both dated or both not):
``3.12-slim`` and ``3.13-slim`` are, ``3.12-slim`` and ``3.12.7-slim`` are not. Prereleases
share the line of their release (``3.15-rc-slim`` is on the ``3.14-slim`` line).
"""

from __future__ import annotations

import difflib
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal, NamedTuple

__all__ = [
    "DEBIAN_CODENAMES",
    "DISTRO_NAMES",
    "GLIBC_DISTROS",
    "LIBC_TOKENS",
    "MUSL_DISTROS",
    "NODE_CODENAMES",
    "UBUNTU_CODENAMES",
    "VARIANTS",
    "WINDOWS_FLAVOURS",
    "Libc",
    "ParsedTag",
    "closest_tags",
    "NON_PRODUCTION_WORDS",
    "is_prerelease",
    "line_alias",
    "line_key",
    "non_production",
    "newer_in_line",
    "parse_tag",
    "same_line",
    "version_key",
]

Libc = Literal["musl", "glibc", "uclibc"]

# --------------------------------------------------------------------------------------
# Known tokens
# --------------------------------------------------------------------------------------

#: Debian codenames and their release numbers (``sid`` is unstable: no number).
DEBIAN_CODENAMES: dict[str, str | None] = {
    "wheezy": "7", "jessie": "8", "stretch": "9", "buster": "10", "bullseye": "11", "bookworm": "12",
    "trixie": "13", "forky": "14", "duke": "15", "sid": None,
}  # fmt: skip

#: Ubuntu codenames and their release numbers.
UBUNTU_CODENAMES: dict[str, str] = {
    "precise": "12.04", "trusty": "14.04", "xenial": "16.04", "yakkety": "16.10", "zesty": "17.04",
    "artful": "17.10", "bionic": "18.04", "cosmic": "18.10", "disco": "19.04", "eoan": "19.10",
    "focal": "20.04", "groovy": "20.10", "hirsute": "21.04", "impish": "21.10", "jammy": "22.04",
    "kinetic": "22.10", "lunar": "23.04", "mantic": "23.10", "noble": "24.04", "oracular": "24.10",
    "plucky": "25.04", "questing": "25.10", "resolute": "26.04", "stonking": "26.10",
}  # fmt: skip

#: Distro names written bare (``alpine``, ``ubi``) or glued to a version (``alpine3.22``,
#: ``ubi9``, ``debian13``, ``oraclelinux9``, ``al2023``).
DISTRO_NAMES: frozenset[str] = frozenset({
    "alpine", "debian", "ubuntu", "ubi", "rhel", "oraclelinux", "oracle", "almalinux",
    "rockylinux", "amazonlinux", "al", "centos", "fedora", "wolfi",
})  # fmt: skip

#: Spellings that name the same distro.
_DISTRO_ALIASES: dict[str, str] = {"oracle": "oraclelinux", "al": "amazonlinux"}

#: Distros by C library. Alpine uses musl: glibc-only binaries and many wheels break there.
MUSL_DISTROS: frozenset[str] = frozenset({"alpine"})
GLIBC_DISTROS: frozenset[str] = frozenset({
    "debian", "ubuntu", "ubi", "rhel", "oraclelinux", "almalinux", "rockylinux", "amazonlinux",
    "centos", "fedora", "wolfi",
})  # fmt: skip

#: Tokens that name the C library directly (busybox: ``1.37-musl``, ``1.37-glibc``, ``1.37-uclibc``).
LIBC_TOKENS: dict[str, Libc] = {"musl": "musl", "glibc": "glibc", "uclibc": "uclibc"}

#: Image variants (what is inside rather than what it is built on). ``jdk21``/``jre17``
#: (tomcat, gradle) count too.
VARIANTS: frozenset[str] = frozenset({
    "slim", "full", "minimal", "jre", "jdk", "headless", "headful", "fpm", "apache", "cli",
    "zts", "perl", "otel", "dev", "sdk", "runtime", "threaded", "dind", "rootless", "compat",
    "fips", "debug", "nonroot", "backports",
})  # fmt: skip

#: Windows base images; a release (``ltsc2022``, ``1809``, ``sac2016``) may follow a dash.
WINDOWS_FLAVOURS: frozenset[str] = frozenset({"windowsservercore", "nanoserver"})

#: Node.js LTS codenames, used as aliases (``node:krypton-alpine``).
NODE_CODENAMES: frozenset[str] = frozenset({
    "argon", "boron", "carbon", "dubnium", "erbium", "fermium", "gallium", "hydrogen", "iron",
    "jod", "krypton",
})  # fmt: skip

#: Prerelease labels, earliest first.
_PRERELEASE_RANK: dict[str, int] = {
    "dev": 0, "m": 1, "a": 1, "alpha": 1, "b": 2, "beta": 2, "ea": 3, "preview": 3, "c": 4, "rc": 4,
}  # fmt: skip

#: Words by which maintainers mark a tag, or a line through an alias, as not for production:
#: prereleases (``alpha``, ``beta``, ``rc``, ``ea``, ``preview``; milestones ``-M1`` parse as
#: prereleases; not ``tp``: orientdb's ``3.2.55-tp3`` is its TinkerPop 3 build of the release), development branches and streams (``dev``,
#: ``devel``, ``develop``, ``edge``, ``tip``, ``nightly``, ``snapshot``), and the development
#: releases of distributions (debian's ``testing``/``unstable``/``sid``/``experimental``,
#: fedora's ``rawhide``, mageia's ``cauldron``, alt's ``sisyphus``, almalinux's ``kitten``).
#: Seen in the Official Images' library files (2026-08); a word a maintainer adds tomorrow
#: that is not here is treated as production, so the list is checked against that data in
#: tests/vocab. ``rolling``, ``fresh``, ``current``, ``mainline`` are production channels.
NON_PRODUCTION_WORDS: frozenset[str] = frozenset({
    "alpha", "beta", "rc", "ea", "preview", "dev", "devel", "develop", "edge", "tip", "nightly",
    "snapshot", "canary", "insiders", "testing", "unstable", "sid", "experimental", "rawhide", "cauldron",
    "sisyphus", "kitten",
})  # fmt: skip

# --------------------------------------------------------------------------------------
# Regular expressions
# --------------------------------------------------------------------------------------

_VERSION_PIECE = re.compile(r"^(?P<prefix>v?)(?P<release>\d+(?:\.\d+)*)(?P<rest>.*)$", re.I)
_JAVA_UPDATE = re.compile(r"^(?P<major>\d+)u(?P<update>\d+)$", re.I)  # 8u432
_JAVA_BUILD_PIECE = re.compile(r"^b(?P<build>\d+)$", re.I)  # the b06 of 8u432-b06
_UNDERSCORE_BUILD = re.compile(r"^_(?P<build>\d+)$")  # the _11 of 21.0.5_11
_GLUED_PRERELEASE = re.compile(
    r"^[.]?(?P<label>alpha|beta|preview|rc|ea|dev|a|b|c|m(?=\d))[.]?(?P<number>\d*)$", re.I
)
_PIECE_PRERELEASE = re.compile(
    r"^(?:(?P<label>alpha|beta|preview|rc|ea|m(?=\d))[.]?(?P<number>\d*)|(?P<dev>dev)(?P<devnumber>\d+))$",
    re.I,
)
_NUMBER_PIECE = re.compile(r"^\d+$")
_TRAILING_NUMBER = re.compile(r"[\d.]+$")
_DOTTED_PARTS = re.compile(r"[._]")
_EDITION = re.compile(r"^[a-z]{2,}$")  # a word without digits (not ``p11``, ``nd130``, ``v2``)
_PLAIN_RELEASE = re.compile(r"^\d+(?:\.\d+)*(?:_\d+)?$")
_STAMP_LIKE = re.compile(r"^(?:19|20)\d{6}")  # a date stamp leads: 20260816, 20260816.0.574111
_DOTTED_NUMBER = re.compile(r"^\d+(?:\.\d+)*$")
_DATE_STAMP = re.compile(r"^(?P<date>(?:19|20)\d{6})(?:\.(?P<serial>\d+))?$")
_WINDOWS_RELEASE = re.compile(r"^(?:ltsc\d{4}|sac\d{4}|\d{4}|\d{2}h\d)$", re.I)
_WINDOWS_TOKEN = re.compile(r"^(?P<flavour>windowsservercore|nanoserver)(?:-(?P<release>.+))?$")
_GLUED_DISTRO = re.compile(r"^(?P<name>[a-z]+?)(?P<version>\d+(?:\.\d+)*)$")
_JAVA_VARIANT = re.compile(r"^(?P<kind>jdk|jre)(?P<version>\d+)$")
_WORD = re.compile(r"^[a-z][a-z0-9._]*$")

#: Versions are zero-padded to this many components for ordering.
_VERSION_DEPTH = 8
#: Date stamps (yyyymmdd) fall in this range.
_DATES = range(19000101, 21000101)
#: Distance used when only one side has a version.
_FAR = 10**9

# --------------------------------------------------------------------------------------
# The parsed tag
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ParsedTag:
    """A tag split into version, prerelease, channel and an unordered suffix set.

    >>> p = parse_tag("3.12.14-slim-bookworm")
    >>> p.version, p.precision, sorted(p.suffix), p.distro, p.libc
    ((3, 12, 14), 3, ['bookworm', 'slim'], 'bookworm', 'glibc')
    >>> parse_tag("lts-alpine3.22").channel, parse_tag("lts-alpine3.22").distro_version
    ('lts', '3.22')
    """

    raw: str
    version: tuple[int, ...] | None = None
    prerelease: str | None = None
    suffix: frozenset[str] = frozenset()
    channel: str | None = None
    prefix: str = ""

    @property
    def precision(self) -> int:
        """Number of release components: ``3.12`` -> 2, ``8u432-b06`` -> 4, ``latest`` -> 0."""
        return len(self.version) if self.version else 0

    @property
    def is_versioned(self) -> bool:
        return self.version is not None

    @property
    def is_prerelease(self) -> bool:
        return self.prerelease is not None

    @property
    def non_production(self) -> str | None:
        """The word that marks this tag as not for production (see :data:`NON_PRODUCTION_WORDS`):
        a prerelease (``3.15.0rc1`` -> ``rc``, ``11.0.0-M1`` -> ``m``), a development channel
        (``edge``, ``tip-20260815``, ``rc-buggy``) or token (``3.5-dev``, ``base-devel``,
        ``10-kitten``); None for a production tag."""
        if self.prerelease is not None:
            label = _GLUED_PRERELEASE.match(self.prerelease)
            return label["label"].lower() if label else self.prerelease
        for token in sorted(({self.channel} if self.channel else set()) | self.suffix):
            # dart's 3.14.0-95.2.beta: the word may sit among the numbers of one piece
            for part in (_TRAILING_NUMBER.sub("", token), *_DOTTED_PARTS.split(token)):
                if part in NON_PRODUCTION_WORDS:
                    return part
        return None

    @property
    def is_dated(self) -> bool:
        """Whether the version is a date stamp ``(yyyymmdd, serial)`` (``jammy-20260810``)."""
        return self.version is not None and len(self.version) == 2 and self.version[0] in _DATES

    @property
    def distro(self) -> str | None:
        """``bookworm``, ``jammy``, ``alpine`` (also for ``alpine3.22``), ``ubi``, ``oraclelinux``."""
        info = self._distro_info()
        return info[0] if info else None

    @property
    def distro_version(self) -> str | None:
        """As written (``alpine3.22`` -> ``3.22``, ``ubi9`` -> ``9``), or the codename's
        release (``bookworm`` -> ``12``, ``jammy`` -> ``22.04``); None when unknown."""
        info = self._distro_info()
        return info[1] if info else None

    @property
    def distro_family(self) -> str | None:
        """``debian`` for ``bookworm``, ``ubuntu`` for ``noble``, else the distro itself."""
        info = self._distro_info()
        return info[2] if info else None

    @property
    def libc(self) -> Libc | None:
        """``musl`` (alpine, ``-musl``), ``glibc`` (debian, ubuntu, ubi...), or None.

        None also for tags without a distro token (``3.12``, ``3.12-slim``): which distro
        they are depends on the image, resolve them through their aliases.
        """
        for token in sorted(self.suffix):
            if token in LIBC_TOKENS:
                return LIBC_TOKENS[token]
        family = self.distro_family
        if family in MUSL_DISTROS:
            return "musl"
        if family in GLIBC_DISTROS:
            return "glibc"
        return None

    @property
    def windows(self) -> str | None:
        """``windowsservercore-ltsc2022``, ``nanoserver-1809``, or bare ``windowsservercore``."""
        for token in sorted(self.suffix):
            if _WINDOWS_TOKEN.match(token):
                return token
        return None

    @property
    def variants(self) -> frozenset[str]:
        """Known variant tokens: ``slim``, ``jre``, ``fpm``, ``jdk21``..."""
        return frozenset(t for t in self.suffix if _is_variant(t))

    @property
    def codename(self) -> str | None:
        """A Node.js codename used as channel or suffix (``krypton``, ``jod``)."""
        tokens = set(self.suffix) | ({self.channel} if self.channel else set())
        for token in sorted(tokens):
            if token in NODE_CODENAMES:
                return token
        return None

    @property
    def extras(self) -> frozenset[str]:
        """Suffix tokens that are neither distro, libc, Windows, a known variant nor a codename."""
        return frozenset(t for t in self.suffix if _token_kind(t) == "other")

    def _distro_info(self) -> tuple[str, str | None, str] | None:
        """The most specific distro token: one with a version beats a bare name."""
        found = [(t, info) for t in self.suffix if (info := _distro_token_info(t))]
        if not found:
            return None
        found.sort(key=lambda item: (item[1][1] is None, item[0]))
        return found[0][1]


# --------------------------------------------------------------------------------------
# Token classification
# --------------------------------------------------------------------------------------


def _distro_token_info(token: str) -> tuple[str, str | None, str] | None:
    """``(distro, version, family)`` of a distro token, else None.

    >>> _distro_token_info("alpine3.22"), _distro_token_info("bookworm")
    (('alpine', '3.22', 'alpine'), ('bookworm', '12', 'debian'))
    """
    if token in DEBIAN_CODENAMES:
        return token, DEBIAN_CODENAMES[token], "debian"
    if token in UBUNTU_CODENAMES:
        return token, UBUNTU_CODENAMES[token], "ubuntu"
    if token in DISTRO_NAMES:
        name = _DISTRO_ALIASES.get(token, token)
        return name, None, name
    match = _GLUED_DISTRO.match(token)
    if match and match["name"] in DISTRO_NAMES:
        name = _DISTRO_ALIASES.get(match["name"], match["name"])
        return name, match["version"], name
    return None


def _is_variant(token: str) -> bool:
    return token in VARIANTS or bool(_JAVA_VARIANT.match(token))


def _token_kind(
    token: str,
) -> Literal["distro", "libc", "windows", "variant", "codename", "other"]:
    if _distro_token_info(token):
        return "distro"
    if token in LIBC_TOKENS:
        return "libc"
    if _WINDOWS_TOKEN.match(token):
        return "windows"
    if _is_variant(token):
        return "variant"
    if token in NODE_CODENAMES:
        return "codename"
    return "other"


def _is_suffix_word(piece: str) -> bool:
    """Whether a versionless tag's first piece is a suffix token rather than a channel
    (codenames are channels: ``krypton-alpine`` is the ``krypton`` channel on alpine)."""
    return _token_kind(piece) not in ("codename", "other")


def _token_family(token: str) -> tuple[str, str | None] | None:
    """Tokens of one family differ only by a release: ``alpine``/``alpine3.22``,
    ``bookworm``/``trixie`` (debian), ``windowsservercore``/``windowsservercore-ltsc2022``,
    ``jdk17``/``jdk21``. Returns ``(family, release)``."""
    info = _distro_token_info(token)
    if info:
        distro, version, family = info
        if distro != family:  # a codename
            return family, version or distro
        return family, version
    windows = _WINDOWS_TOKEN.match(token)
    if windows:
        return windows["flavour"], windows["release"]
    java = _JAVA_VARIANT.match(token)
    if java:
        return java["kind"], java["version"]
    return None


# --------------------------------------------------------------------------------------
# Parsing
# --------------------------------------------------------------------------------------


def _pieces(tag: str) -> list[str]:
    """Split on ``-`` and merge pieces that belong together.

    >>> _pieces("8u502-b07-jdk-alpine-3.24")
    ['8u502', 'b07', 'jdk', 'alpine3.24']
    >>> _pieces("3.14-windowsservercore-ltsc2025")
    ['3.14', 'windowsservercore-ltsc2025']
    """
    raw_pieces = [p for p in tag.split("-") if p]
    merged: list[str] = []
    index = 0
    while index < len(raw_pieces):
        piece = raw_pieces[index]
        following = raw_pieces[index + 1] if index + 1 < len(raw_pieces) else None
        lowered = piece.lower()
        if following is not None and lowered in WINDOWS_FLAVOURS and _WINDOWS_RELEASE.match(following):
            merged.append(f"{piece}-{following}")
            index += 2
        elif following is not None and lowered in DISTRO_NAMES and _plausible_release(lowered, following):
            merged.append(f"{piece}{following}")
            index += 2
        else:
            merged.append(piece)
            index += 1
    return merged


#: What a distro's own release numbers look like, where a number after the name may be
#: something else: fluentd's ``v1.19-debian-1`` and ``-debian-1.0`` are its packaging
#: revisions, not Debian 1.
_RELEASE_FORMS: dict[str, re.Pattern[str]] = {
    "debian": re.compile(r"^(?:[7-9]|[1-9]\d)$"),
    "ubuntu": re.compile(r"^\d{2}\.(?:04|10)$"),
    "alpine": re.compile(r"^3\.\d+$"),
}


def _plausible_release(distro: str, number: str) -> bool:
    """Whether ``number`` after ``distro`` (``alpine-3.22``, ``ubuntu-22.04``) reads as its release."""
    form = _RELEASE_FORMS.get(distro)
    return bool(_DOTTED_NUMBER.match(number)) and (form is None or bool(form.match(number)))


def _parse_prerelease(label: str, number: str) -> str:
    return f"{label.lower()}{number}"


class _Head(NamedTuple):
    """What a leading version piece holds."""

    version: tuple[int, ...]
    prefix: str = ""
    prerelease: str | None = None
    consumed_next: bool = False  # the next piece belonged to the version (``-b06``)


def _parse_version_piece(piece: str, following: str | None) -> _Head | None:
    """Parse a leading version piece; None when it is not a version (the tag is versionless)."""
    date = _date_version(piece)
    if date:
        return _Head(date)
    java = _JAVA_UPDATE.match(piece)
    if java:
        release: tuple[int, ...] = (int(java["major"]), 0, int(java["update"]))
        build = _JAVA_BUILD_PIECE.match(following) if following else None
        if build:
            return _Head((*release, int(build["build"])), consumed_next=True)
        return _Head(release)
    match = _VERSION_PIECE.match(piece)
    if not match:
        return None
    release = tuple(int(n) for n in match["release"].split("."))
    prefix = match["prefix"].lower()
    rest = match["rest"]
    if not rest:
        return _Head(release, prefix)
    underscore = _UNDERSCORE_BUILD.match(rest)
    if underscore:
        return _Head((*release, int(underscore["build"])), prefix)
    glued = _GLUED_PRERELEASE.match(rest)
    if glued:
        return _Head(release, prefix, _parse_prerelease(glued["label"], glued["number"]))
    return None


def _take_separate_prerelease(pieces: list[str]) -> tuple[str | None, list[str]]:
    """Find a prerelease written as its own piece (``rc``, ``rc3``, ``rc-5``, ``ea-34``,
    ``dev5``) and return it with the remaining pieces."""
    for index, piece in enumerate(pieces):
        match = _PIECE_PRERELEASE.match(piece)
        if not match:
            continue
        if match["dev"]:
            dev = _parse_prerelease(match["dev"], match["devnumber"])
            return dev, pieces[:index] + pieces[index + 1 :]
        label, number = match["label"], match["number"]
        rest = pieces[index + 1 :]
        if not number and rest and _NUMBER_PIECE.match(rest[0]):
            number, rest = rest[0], rest[1:]
        return _parse_prerelease(label, number), pieces[:index] + rest
    return None, pieces


def _date_version(piece: str) -> tuple[int, int] | None:
    """``20260803`` -> ``(20260803, 0)``, ``20260811.1`` -> ``(20260811, 1)``."""
    match = _DATE_STAMP.match(piece)
    if not match:
        return None
    return int(match["date"]), int(match["serial"] or 0)


def _take_date_stamp(pieces: list[str]) -> tuple[tuple[int, ...] | None, list[str]]:
    """A versionless tag's date stamp (``bookworm-20260803-slim``) is its version."""
    for index, piece in enumerate(pieces):
        date = _date_version(piece)
        if date:
            return date, pieces[:index] + pieces[index + 1 :]
    return None, pieces


@functools.lru_cache(maxsize=16384)
def parse_tag(tag: str) -> ParsedTag:
    """Parse a Docker tag. Never fails on a non-empty string.

    >>> parse_tag("3.15.0rc1-slim-trixie").prerelease
    'rc1'
    >>> parse_tag("21.0.5_11-jdk-noble").version
    (21, 0, 5, 11)
    >>> parse_tag("8u432-b06-jre-jammy").version
    (8, 0, 432, 6)
    >>> sorted(parse_tag("slim-bookworm").suffix), parse_tag("mainline").channel
    (['bookworm', 'slim'], 'mainline')
    """
    if not tag:
        raise ValueError("a tag cannot be empty")
    pieces = _pieces(tag)
    if not pieces:  # only dashes
        return ParsedTag(raw=tag, channel=tag.lower())
    head, tail = pieces[0], pieces[1:]
    version = _parse_version_piece(head, tail[0] if tail else None)
    if version is not None:
        return _versioned(tag, version, tail)
    first = head.lower()
    channel = None if _is_suffix_word(first) else first
    words = 2 if len(pieces) > 2 and _EDITION.match(pieces[1].lower()) else 1
    release = pieces[words] if len(pieces) > words else ""
    if channel and all(_EDITION.match(p.lower()) for p in pieces[:words]) and _PLAIN_RELEASE.match(release):
        # an edition or vendor, of one or two words, before the version (``open-21-jdk``,
        # ``ce-8.1.2.4``, ``enterprise-8.0.2``, ``psmdb-7.0``, ``open-jdk-25.0.4.0-jre``): the
        # version is the line's, the words its channel. Never a date stamp (``base-20260816.0.574111``).
        after = pieces[words + 1] if len(pieces) > words + 1 else None
        edition = None if _STAMP_LIKE.match(release) else _parse_version_piece(release, after)
        if edition is not None:
            return _versioned(tag, edition, pieces[words + 1 :], channel="-".join(p.lower() for p in pieces[:words]))
    tokens = tail if channel else pieces
    date, tokens = _take_date_stamp(tokens)
    return ParsedTag(
        raw=tag,
        version=date,
        suffix=frozenset(p.lower() for p in tokens),
        channel=channel,
    )


def _versioned(tag: str, head: _Head, after: list[str], channel: str | None = None) -> ParsedTag:
    """A tag whose version is ``head``, followed by the pieces ``after`` it (the first of them
    taken already when the version consumed it: ``8u432-b06``)."""
    rest = after[1:] if head.consumed_next else after
    prerelease = head.prerelease
    if prerelease is None:
        prerelease, rest = _take_separate_prerelease(rest)
    return ParsedTag(
        raw=tag,
        version=head.version,
        prerelease=prerelease,
        suffix=frozenset(p.lower() for p in rest),
        channel=channel,
        prefix=head.prefix,
    )


def _as_parsed(tag: str | ParsedTag) -> ParsedTag:
    return tag if isinstance(tag, ParsedTag) else parse_tag(tag)


# --------------------------------------------------------------------------------------
# Lines and ordering
# --------------------------------------------------------------------------------------


def line_key(parsed: ParsedTag) -> tuple[bool, bool, int, str, str, tuple[str, ...]]:
    """Tags with equal keys are on the same line (they upgrade into each other).

    >>> line_key(parse_tag("3.12-slim-bookworm")) == line_key(parse_tag("3.13-bookworm-slim"))
    True
    >>> line_key(parse_tag("3.12-slim")) == line_key(parse_tag("3.12.7-slim"))
    False
    """
    return (
        parsed.is_versioned,
        parsed.is_dated,
        parsed.precision,
        parsed.prefix,
        parsed.channel or "",
        tuple(sorted(parsed.suffix)),
    )


def same_line(a: str | ParsedTag, b: str | ParsedTag) -> bool:
    """Whether two tags are on the same line (see :func:`line_key`)."""
    return line_key(_as_parsed(a)) == line_key(_as_parsed(b))


def _prerelease_order(prerelease: str) -> tuple[int, int]:
    match = _GLUED_PRERELEASE.match(prerelease)
    if not match:
        return (-1, 0)
    return _PRERELEASE_RANK[match["label"].lower()], int(match["number"] or 0)


def version_key(parsed: ParsedTag) -> tuple[int, tuple[int, ...], tuple[int, ...], int]:
    """A sort key by version: versionless tags first, prereleases before their release.

    Versions are zero-padded, so tags of different precision are comparable
    (``3.12`` sorts just before ``3.12.0``, which sorts before ``3.12.1``).

    >>> tags = ["3.13", "3.15.0rc1", "3.15.0", "3.9", "latest"]
    >>> sorted(tags, key=lambda t: version_key(parse_tag(t)))
    ['latest', '3.9', '3.13', '3.15.0rc1', '3.15.0']
    """
    if parsed.version is None:
        return (0, (), (), 0)
    release = parsed.version + (0,) * max(0, _VERSION_DEPTH - len(parsed.version))
    stage = (0, *_prerelease_order(parsed.prerelease)) if parsed.prerelease else (1, 0, 0)
    return (1, release, stage, parsed.precision)


def is_prerelease(tag: str | ParsedTag) -> bool:
    """``3.15.0rc1``, ``3.15-rc``, ``19beta3``, ``27-ea-34`` are prereleases; ``3.12-dev`` is not
    (it is a development build: :func:`non_production` says so)."""
    return _as_parsed(tag).is_prerelease


def non_production(tag: str | ParsedTag) -> str | None:
    """The word marking ``tag`` as not for production (``rc``, ``dev``, ``edge``...), or None."""
    return _as_parsed(tag).non_production


def line_alias(tag: str, aliases: Iterable[str]) -> str | None:
    """For a tag that names no version line (``lts``, ``latest``, ``fpm-alpine``, the major-only ``3``): the tag
    of the same image (an alias: same digest) that does, cut to major.minor, with the same other words:
    ``lts-oracle`` with the alias ``9.7.2-oracle`` -> ``9.7-oracle``; ``latest`` with ``3.14.0`` -> ``3.14``.
    None when the tag names its line itself (``3.12-slim``) or no alias fits (then the tag is all there is)."""
    parsed = parse_tag(tag)
    if parsed.precision >= 2 or parsed.is_dated:
        return None
    best: ParsedTag | None = None
    for alias in aliases:
        found = parse_tag(alias)
        if found.version is None or found.precision < 2 or found.suffix != parsed.suffix:
            continue
        if found.non_production or found.is_dated or (parsed.version and found.version[:1] != parsed.version):
            continue
        if best is None or (found.precision, -len(found.raw)) > (best.precision, -len(best.raw)):
            best = found
    if best is None:
        return None
    head, sep, rest = best.raw.partition("-")
    if re.fullmatch(r"\d+(?:\.\d+)+", head):
        head = ".".join(head.split(".")[:2])
    return head + sep + rest


def _unique(tags: Iterable[str]) -> list[str]:
    return sorted({t for t in tags if t})


def newer_in_line(
    tag: str | ParsedTag,
    existing: Iterable[str],
    *,
    include_prereleases: bool | None = None,
) -> list[str]:
    """Tags of ``existing`` on the same line as ``tag`` with a higher version, oldest first.

    Prereleases are included only when ``tag`` is itself a prerelease, unless
    ``include_prereleases`` says otherwise. Versionless tags have no newer tags.

    >>> newer_in_line("3.12", ["3.11", "3.12", "3.13", "3.14", "3.14-slim", "3.15-rc", "3.14.7"])
    ['3.13', '3.14']
    """
    current = _as_parsed(tag)
    if not current.is_versioned:
        return []
    allow_pre = current.is_prerelease if include_prereleases is None else include_prereleases
    key, floor = line_key(current), version_key(current)
    newer = [
        p
        for p in map(parse_tag, _unique(existing))
        if line_key(p) == key
        and version_key(p) > floor
        and (allow_pre or not p.is_prerelease)
    ]
    newer.sort(key=lambda p: (version_key(p), p.raw))
    return [p.raw for p in newer]


# --------------------------------------------------------------------------------------
# Closest existing tags
# --------------------------------------------------------------------------------------


def _token_similarity(a: str, b: str) -> float:
    """1 for equal tokens; 0.9 for a bare family vs a release of it (``alpine`` vs
    ``alpine3.22``); 0.85 for two releases of one family (``bookworm`` vs ``trixie``)."""
    if a == b:
        return 1.0
    fa, fb = _token_family(a), _token_family(b)
    if fa is None or fb is None or fa[0] != fb[0]:
        return 0.0
    return 0.9 if fa[1] is None or fb[1] is None else 0.85


#: Pairs at least this similar count as "the same suffix" (a distro/Windows refresh).
_EQUIVALENT = 0.85


def _match_tokens(a: frozenset[str], b: frozenset[str]) -> tuple[float, int, bool]:
    """Compare two token sets: ``(similarity, unpaired, equivalent)``.

    ``similarity`` is a soft Jaccard index (paired tokens count by their similarity),
    ``unpaired`` the number of tokens left without a partner on either side, and
    ``equivalent`` whether every token is paired with an equal or same-family token.

    Greedy pairing, deterministic: tokens of ``a`` in sorted order each take their most
    similar unpaired token of ``b``.
    """
    if not a and not b:
        return 1.0, 0, True
    remaining = sorted(b)
    total, weakest, pairs = 0.0, 1.0, 0
    for token in sorted(a):
        best_score, best_other = 0.0, ""
        for other in remaining:  # sorted: ties go to the first in name order
            score = _token_similarity(token, other)
            if score > best_score:
                best_score, best_other = score, other
        if best_score <= 0:
            continue
        remaining.remove(best_other)
        total += best_score
        weakest = min(weakest, best_score)
        pairs += 1
    similarity = total / (len(a) + len(b) - total)
    equivalent = len(a) == len(b) == pairs and weakest >= _EQUIVALENT
    return similarity, len(a) + len(b) - 2 * pairs, equivalent


def _line_tokens(parsed: ParsedTag) -> frozenset[str]:
    """The suffix plus the channel and ``v`` prefix, for similarity."""
    extra = {parsed.channel} if parsed.channel else set()
    if parsed.prefix:
        extra.add(f"{parsed.prefix}:")  # ":" cannot occur in a tag: no clash with tokens
    return parsed.suffix | extra


def _distance(a: tuple[int, ...], b: tuple[int, ...]) -> tuple[int, int]:
    """How far version ``b`` is from the wanted version ``a``: ``(depth, gap)``, smaller
    is closer.

    ``depth`` grows the earlier the first differing component is (another major is farther
    than another minor); ``gap`` is the numeric difference there. Equal versions are
    ``(0, 0)``. Versions of other precisions are compared on their common components:

    * a finer ``b`` inside the wanted series (``3.12.14`` for ``3.12``) is at ``(0, 0)``;
    * a coarser ``b`` naming the wanted series (``3.12`` for ``3.12.99``) is as far as a
      same-precision tag differing right after it (like ``3.12.14``), gap 0.

    >>> _distance((3, 99), (3, 14)) < _distance((3, 99), (3, 13)) < _distance((3, 99), (2, 7))
    True
    >>> _distance((3, 12, 99), (3, 12)) == (_distance((3, 12, 99), (3, 12, 14))[0], 0)
    True
    """
    for index, (x, y) in enumerate(zip(a, b, strict=False)):
        if x != y:
            return _depth(index), abs(x - y)
    if len(b) < len(a):
        return _depth(len(b)), 0
    return 0, 0


def _depth(index: int) -> int:
    """Distance class of versions first differing at component ``index``."""
    return _VERSION_DEPTH * 2 - index


def _is_version_prefix(a: tuple[int, ...], b: tuple[int, ...]) -> bool:
    width = min(len(a), len(b))
    return a[:width] == b[:width]


def _rank(target: ParsedTag, candidate: ParsedTag) -> tuple[float, ...]:
    """Sort key of a candidate for :func:`closest_tags`; smaller is closer.

    The first element is the step of :func:`closest_tags`' order: 1 the wanted tag's line
    (suffix equal or only a distro/Windows release apart), nearest version first, at equal
    depth same precision first, exact suffix before a release-apart one; 2 same or
    compatible version (one a prefix of the other) with a similar suffix; 3 the rest.
    """
    similarity, unpaired, equivalent = _match_tokens(_line_tokens(target), _line_tokens(candidate))
    mismatch = int(candidate.is_prerelease and not target.is_prerelease)
    other_precision = abs(target.precision - candidate.precision)
    if target.version is not None and candidate.version is not None:
        depth, gap = _distance(target.version, candidate.version)
        compatible = _is_version_prefix(target.version, candidate.version)
    elif target.version is None and candidate.version is None:
        depth, gap, compatible = 0, 0, True
    else:
        depth, gap, compatible = _FAR, _FAR, False
    if equivalent and depth != _FAR:
        return (1, depth, mismatch, int(other_precision > 0), gap, other_precision, -similarity)
    if compatible and similarity > 0:
        return (2, -similarity, unpaired, other_precision, depth, mismatch, gap)
    return (3, -similarity, unpaired, depth, mismatch, gap, other_precision)


def _natural_key(text: str) -> tuple[tuple[int, int, str], ...]:
    """``alpine3.9`` < ``alpine3.22``: digit runs compare as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in re.split(r"(\d+)", text)
        if part
    )


def _freshness_key(parsed: ParsedTag) -> tuple[object, ...]:
    """Tie-breaker, applied descending: newer version, newer distro, then the name."""
    distro_version = parsed.distro_version or ""
    distro_rank = (
        tuple(int(n) for n in distro_version.split(".")) if _DOTTED_NUMBER.match(distro_version) else ()
    )
    return (version_key(parsed), distro_rank, _natural_key(parsed.raw), parsed.raw)


def _letters(word: str) -> str:
    return re.sub(r"[\d.]", "", word)


def _is_correctable(piece: str) -> bool:
    """A word that may be a typo: not a version, prerelease or Java build piece."""
    return bool(
        _WORD.match(piece) and not _PIECE_PRERELEASE.match(piece) and not _JAVA_BUILD_PIECE.match(piece)
    )


def _closest_word(word: str, vocabulary: list[str]) -> str | None:
    """The vocabulary word a typo most likely meant (``slimm`` -> ``slim``,
    ``bookwarm`` -> ``bookworm``, ``alpne`` -> ``alpine``). Words differing only in
    digits (``alpine3.19`` vs ``alpine3.22``) are not typos: similarity ranks those."""
    for match in difflib.get_close_matches(word, vocabulary, n=5, cutoff=0.8):
        if _letters(match) != _letters(word):
            return match
    return None


def _correct_typos(wanted: str, existing: list[str]) -> str:
    """Replace pieces of ``wanted`` that appear in no existing tag by the closest word."""
    vocabulary = sorted(
        {piece for tag in existing for piece in _pieces(tag.lower()) if _is_correctable(piece)}
    )
    known = set(vocabulary)
    pieces = _pieces(wanted.lower())
    corrected = [
        piece if piece in known or not _is_correctable(piece) else _closest_word(piece, vocabulary) or piece
        for piece in pieces
    ]
    return "-".join(corrected) if corrected != pieces else wanted


def closest_tags(
    wanted: str, existing: Iterable[str], limit: int = 5, *, line_precision: int | None = None
) -> list[str]:
    """The existing tags a model should use instead of ``wanted`` (which does not exist).

    Order, deterministic:

    1. The wanted tag's line: same suffix set (or only a distro/Windows release apart:
       ``22-alpine`` -> ``22-alpine3.22``, ``3.12-slim-buster`` -> ``3.12-slim-trixie``),
       nearest version first: an earlier differing component is farther, then the
       numeric gap there, ties go to the newer tag. Among tags as near, same precision
       comes first, then other precisions (``3.99`` -> ``3.14``, ``3.13``, ``3.12``, then
       ``3.13.1``); but a series tag containing the wanted version beats farther
       same-precision tags (``3.12.99`` -> ``3.12.14``, ``3.12``, then ``3.13.15``).
    2. Same or compatible version (one a prefix of the other) with a similar suffix
       (soft Jaccard over tokens).
    3. Everything else, most similar suffix first (then fewest unpaired tokens: for a
       missing ``latest``, ``3`` beats ``3-slim``), then nearest version.

    Typos in suffix words are corrected first against the words of ``existing``
    (``3.12-slimm`` -> ``3.12-slim``, ``alpne`` -> ``alpine``). A prerelease ranks after
    stable tags at the same distance depth unless ``wanted`` is a prerelease itself.
    ``wanted`` itself is never returned.

    With ``line_precision`` (the leading version numbers that make one support line: 2 for
    python's ``3.12``), step 1 keeps nearest-first only inside the wanted support line
    (``3.12.99`` -> ``3.12.14``); tags of other lines follow newest line first, because the
    newest supported line is the better advice than the nearest one (``3.9-slim`` ->
    ``3.14-slim``, ``3.13-slim``, not ``3.11-slim`` first). Callers drop lines past end of
    life from ``existing`` first.

    >>> closest_tags("3.99", ["3.14", "3.13", "3.12", "3.12-slim", "3.13.1", "latest"], 3)
    ['3.14', '3.13', '3.12']
    >>> closest_tags("alpne", ["alpine", "latest", "slim"], 1)
    ['alpine']
    """
    if limit <= 0:
        return []
    pool = [t for t in _unique(existing) if t != wanted]
    if not pool:
        return []
    target = parse_tag(_correct_typos(wanted, pool))
    candidates = [parse_tag(t) for t in pool]
    candidates.sort(key=_freshness_key, reverse=True)  # tie-breakers first (stable sort)
    if line_precision and target.version is not None:
        line = target.version[:line_precision]

        def newest_lines(candidate: ParsedTag) -> tuple[float, ...]:
            rank = _rank(target, candidate)
            if rank[0] != 1 or candidate.version is None:
                return (rank[0] + 0.5, *rank[1:])  # after the line's tags, in the usual order
            if candidate.version[:line_precision] == line:
                return (1, 0, *rank[1:])
            # another line: newest first (the freshness pre-sort), stable tags and same precision first
            return (1, 1, rank[2], rank[3])

        candidates.sort(key=newest_lines)
    else:
        candidates.sort(key=lambda c: _rank(target, c))
    return [c.raw for c in candidates[:limit]]
