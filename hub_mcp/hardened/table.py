"""The Docker Hardened Images (DHI) table and the hardened equivalent of an official image.

The table (``dhi.json``, package data next to this file) holds, per DHI image, the definitions of
the public catalog github.com/docker-hardened-images/catalog at one commit (:func:`table_info`
names it and its date): tags, variant, distro, platforms, the user it runs as, release and
end-of-life dates. ``scripts/dhi_table.py`` regenerates it. Pure: no network; the JSON is read
once, lazily, on the first question (never at import or server start-up).

Vocabulary
----------
*image*
    A DHI repository name on ``dhi.io``: ``python``, ``alpine-base``. References are
    ``dhi.io/<image>:<tag>``; there is no ``latest`` tag.
*definition*
    One catalog file ``image/<image>/<distro>/<name>.yaml``: one variant on one distro release,
    with its tags (:class:`DhiDefinition`).
*variant*
    ``runtime`` (non-root, no shell, no package manager: the final stage) or ``dev`` (root, shell
    and package manager: build stages), as the catalog writes it.
*distro*
    The catalog's distro folder: ``debian-13``, ``alpine-3.24``. Its *family* is ``debian`` or
    ``alpine``. Official images based on Ubuntu migrate to the Debian family (docker/docs
    ``content/manuals/dhi/migration/migrate-from-ubuntu.md``).
*flavour*
    What a tag says besides its version, distro and ``-dev``: ``""`` for the plain image,
    ``sfw``/``sfw-ent`` (Socket Firewall builds), ``compat``, ``fpm``, ``jdk17``, ``cli``...
    Its *parts* are its dash-separated words (``php8.3-fpm``: ``php8.3`` and ``fpm``).
*words*
    What an official tag says besides its version and distro (``php:8.4-fpm-alpine``: ``fpm``;
    ``maven:3.9-eclipse-temurin-21``: ``eclipse``, ``temurin``, ``21``): :func:`equivalent` keeps the
    flavour they name (:func:`_word_match` says how a word names a part).
*line*
    A version line: the leading numbers of a tag version that get their own support dates,
    python ``3.12``, node ``22`` (the lifecycle table's precision for the runtime when it knows
    it, else inferred from the image's tags).

Official image -> DHI image: the same name (``python`` -> ``dhi.io/python``), derived from the
table, except for the few images listed in :data:`OFFICIAL_ALIASES` with their sources.
"""

from __future__ import annotations

import json
import re
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cache
from importlib import resources
from typing import Any, Literal

from hub_mcp.errors import InvalidInput
from hub_mcp.vocab.common import parse_day, quoted

__all__ = [
    "OFFICIAL_ALIASES",
    "DhiDefinition",
    "DhiTag",
    "Stage",
    "channel_line",
    "counterpart",
    "definitions",
    "equivalent",
    "images",
    "lookup",
    "names_a_flavour",
    "table_info",
]

Stage = Literal["runtime", "build"]

_RESOURCE = "dhi.json"
_REGISTRY = "dhi.io"

#: Official images whose DHI counterpart has another name. Every other official image maps to the
#: DHI image of the same name when the table has one. ``[documented: …]`` names the public text that
#: pairs the two; ``[assumed]`` marks a pairing of the same software under two names that no Docker
#: text states (checked: docker/docs ``content/manuals/dhi/migration/`` has no name table).
OFFICIAL_ALIASES: Mapping[str, tuple[str, str]] = {
    "alpine": (
        "alpine-base",
        "[documented: docker-hardened-images/catalog image/alpine-base/guides.md,"
        " 'DOI (library/alpine)' vs 'DHI (dhi.io/alpine-base)']",
    ),
    "mongo": (
        "mongodb",
        "[documented: docker-hardened-images/catalog image/mongodb/guides.md,"
        " 'Docker Official MongoDB' vs 'Docker Hardened MongoDB']",
    ),
    "clickhouse": (
        "clickhouse-server",
        "[documented: docker-hardened-images/catalog image/clickhouse-server/guides.md,"
        " 'Docker Official ClickHouse' vs 'Docker Hardened ClickHouse']",
    ),
    "debian": ("debian-base", "[assumed] the catalog's Debian base image, the Debian twin of alpine-base"),
    "registry": (
        "distribution-registry",
        "[assumed] both package the Distribution registry (distribution/distribution)",
    ),
    "erlang": ("erlang-otp", "[assumed] both package Erlang/OTP"),
    "ubuntu": (
        "debian-base",
        "[documented: docker/docs content/manuals/dhi/migration/migrate-from-ubuntu.md, 'When migrating from an"
        " Ubuntu-based image, you should migrate to the Debian-based DHI variant'] (the Debian base image, as for"
        " debian; never the same line: another distro)",
    ),
    "azul-zulu": (
        "azul",
        "[assumed] dhi.io/azul's jdk-zulu tags are Azul Zulu builds, the official image's software (its other"
        " tags, jdk-prime, are Azul Platform Prime); catalog image/azul/guides.md compares 'Docker Official"
        " Azul/OpenJDK' with it",
    ),
}

#: Distro families of official images -> the DHI family they migrate to.
_FAMILIES: Mapping[str, str] = {
    "debian": "debian",
    "alpine": "alpine",
    "ubuntu": "debian",  # [documented: docker/docs content/manuals/dhi/migration/migrate-from-ubuntu.md]
}
_VARIANT_FOR_STAGE: Mapping[str, str] = {"runtime": "runtime", "build": "dev"}
#: How far (in majors) the closest line of a major-only version may be: node 21 -> 22, node 16 -> none
#: when DHI starts at 20. Farther is no longer "the same line, a little older or newer".
MAX_MAJOR_DISTANCE = 2

_VERSION_HEAD = re.compile(r"\d+(?:\.\d+)*")
_REVISION = re.compile(r"r?\d+")
_DISTRO_TOKEN = re.compile(r"(debian|alpine)(\d+(?:\.\d+)*)?")
_DISTRO_FOLDER = re.compile(r"([a-z]+)-(\d+(?:\.\d+)*)")
_NUMERIC = re.compile(r"\d+(?:\.\d+)*")


def _numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split("."))


@dataclass(frozen=True)
class DhiDefinition:
    """One catalog definition: one variant of one image on one distro release."""

    image: str  # the name on dhi.io: "python"
    variant: str  # "runtime" or "dev" (the catalog's word; other values are kept as given)
    distro: str  # "debian-13", "alpine-3.24"
    tags: tuple[str, ...]  # in catalog order
    platforms: tuple[str, ...]  # "linux/amd64", "linux/arm64"
    run_as: str | None  # "nonroot", "root", "65532", "postgres"...
    release: date | None  # the version line's upstream release (catalog dates.release)
    end_of_life: date | None  # the version line's end of life (catalog dates.end-of-life; None: not given)

    @property
    def repository(self) -> str:
        """``dhi.io/python``."""
        return f"{_REGISTRY}/{self.image}"

    @property
    def distro_family(self) -> str:
        """``debian`` for ``debian-13``."""
        m = _DISTRO_FOLDER.fullmatch(self.distro)
        return m.group(1) if m else self.distro

    @property
    def distro_version(self) -> tuple[int, ...]:
        """``(13,)`` for ``debian-13``, ``(3, 24)`` for ``alpine-3.24``; ``()`` when the folder has no number."""
        m = _DISTRO_FOLDER.fullmatch(self.distro)
        return _numbers(m.group(2)) if m else ()

    def is_eol(self, today: date) -> bool:
        """True on and after the catalog's end-of-life date; False when it gives none (supported)."""
        return self.end_of_life is not None and today >= self.end_of_life


@dataclass(frozen=True)
class DhiTag:
    """One existing DHI tag and the facts of its definition."""

    image: str  # "dhi.io/python"
    tag: str  # "3.12-debian13"
    variant: str
    distro: str
    platforms: tuple[str, ...]
    run_as: str | None
    release: date | None
    end_of_life: date | None
    #: The version line the tag stands on ("3.12"; a codename such as "trixie" for debian-base).
    line: str
    #: True when ``line`` is the line that was asked for; False for the closest existing one.
    exact: bool
    #: What the tag says besides version, distro and -dev: "" for the plain image (see the module docstring).
    flavour: str

    @property
    def reference(self) -> str:
        """``dhi.io/python:3.12-debian13``."""
        return f"{self.image}:{self.tag}"

    @property
    def runs_as_root(self) -> bool:
        return self.run_as in ("root", "0")

    def is_eol(self, today: date) -> bool:
        """True on and after the catalog's end-of-life date; False when it gives none."""
        return self.end_of_life is not None and today >= self.end_of_life


@dataclass(frozen=True)
class _Tag:
    """A tag split the way DHI writes them: ``<version>[-<revision>][-<flavour>][-<distro>][-<flavour>][-dev]``."""

    raw: str
    head: str  # the first dash-separated piece: "3.12", "8u502", "trixie"
    version: tuple[int, ...] | None  # the leading numbers of the head: (3, 12); None for "trixie"
    distro_rank: int  # 2: "debian13"/"alpine3.24", 1: "debian"/"alpine", 0: no distro token
    flavour: str


def _split(tag: str) -> _Tag:
    parts = tag.split("-")
    head = parts[0]
    m = _VERSION_HEAD.match(head)
    version = _numbers(m.group(0)) if m else None
    rest = parts[1:]
    if version is not None:
        while rest and _REVISION.fullmatch(rest[0]):  # 3.9.16-r0, 3.14.7-0
            rest = rest[1:]
    if rest and rest[-1] == "dev":
        rest = rest[:-1]
    rank = 0
    kept = []
    for part in rest:
        token = _DISTRO_TOKEN.fullmatch(part)
        if token:
            rank = max(rank, 2 if token.group(2) else 1)
        else:
            kept.append(part)
    return _Tag(raw=tag, head=head, version=version, distro_rank=rank, flavour="-".join(kept))


@dataclass(frozen=True)
class _Parsed:
    """A definition with its tags split, for :func:`equivalent`."""

    definition: DhiDefinition
    tags: tuple[_Tag, ...]
    versions: frozenset[tuple[int, ...]]  # the tags' versions; the distro's version when no tag has one
    numbered: bool  # some tag carries a version
    flavours: frozenset[str]


@dataclass(frozen=True)
class _Table:
    raw: Mapping[str, Any]
    images: Mapping[str, tuple[DhiDefinition, ...]]
    by_tag: Mapping[tuple[str, str], DhiDefinition]


def _load(text: str) -> _Table:
    raw = json.loads(text)
    if raw.get("schema") != 1:
        raise ValueError(f"dhi.json: unknown schema {raw.get('schema')!r}")
    columns = raw["columns"]
    if columns != ["variant", "distro", "tags", "platforms", "run_as", "release", "end_of_life"]:
        raise ValueError(f"dhi.json: unexpected columns {columns!r}")
    images: dict[str, tuple[DhiDefinition, ...]] = {}
    by_tag: dict[tuple[str, str], DhiDefinition] = {}
    for name, rows in raw["images"].items():
        defs = []
        for variant, distro, tags, platforms, run_as, release, eol in rows:
            where = f"{name} {distro} {variant}"
            definition = DhiDefinition(
                image=name,
                variant=variant,
                distro=distro,
                tags=tuple(tags.split(" ")),
                platforms=tuple(platforms.split(" ")) if platforms else (),
                run_as=run_as,
                release=parse_day(release, where),
                end_of_life=parse_day(eol, where),
            )
            for tag in definition.tags:
                if (name, tag) in by_tag:
                    raise ValueError(f"dhi.json: {name}:{tag} is in two definitions")
                by_tag[(name, tag)] = definition
            defs.append(definition)
        images[name] = tuple(defs)
    return _Table(raw=raw, images=images, by_tag=by_tag)


@cache
def _table() -> _Table:
    package = resources.files(__package__ or "hub_mcp.hardened")
    return _load(package.joinpath(_RESOURCE).read_text(encoding="utf-8"))


def _image_name(image: str) -> str:
    """``dhi.io/Python:3.12`` -> ``python``; ``<org>/dhi-python`` is not a table name and is kept."""
    name = image.strip().lower().split("@", 1)[0]
    if ":" in name.rsplit("/", 1)[-1]:
        name = name.rsplit(":", 1)[0]
    prefix = f"{_REGISTRY}/"
    return name[len(prefix) :] if name.startswith(prefix) else name


# --------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------


def table_info() -> dict[str, Any]:
    """Where the table comes from (catalog repository, commit, commit date) and its counts."""
    table = _table()
    defs = [d for rows in table.images.values() for d in rows]
    return {
        **json.loads(json.dumps(table.raw["source"])),
        "registry": _REGISTRY,
        "images": len(table.images),
        "definitions": len(defs),
        "tags": len(table.by_tag),
    }


def images() -> tuple[str, ...]:
    """Every DHI image name in the table, sorted."""
    return tuple(sorted(_table().images))


def definitions(image: str) -> tuple[DhiDefinition, ...]:
    """The definitions of a DHI image (``python``, ``dhi.io/python``), in catalog path order; ``()``
    for an image the table does not have."""
    return _table().images.get(_image_name(image), ())


def lookup(reference: str) -> DhiTag | None:
    """The facts of an existing DHI tag, ``dhi.io/python:3.12-debian13``; None when the table has no
    such tag (the table is the catalog at one commit: a newer tag may exist on the registry)."""
    text = reference.strip()
    base, _, tag = text.rpartition(":")
    if not base or "/" in tag:
        return None
    definition = _table().by_tag.get((_image_name(base), tag))
    if definition is None:
        return None
    split = _split(tag)
    line = ".".join(map(str, split.version)) if split.version else split.head
    return _as_tag(definition, split, line=line, exact=True)


def counterpart(official_repository: str) -> str | None:
    """The DHI image of an official image: ``python`` -> ``python``, ``library/mongo`` -> ``mongodb``;
    None when it has none (or the name is not an official image's: ``bitnami/redis``)."""
    from hub_mcp.vocab.lifecycle import normalize_repository  # pure and light; keeps this import cheap

    name = normalize_repository(official_repository)
    if not name or "/" in name:
        return None
    table = _table()
    alias = OFFICIAL_ALIASES.get(name)
    if alias is not None and alias[0] in table.images:
        return alias[0]
    return name if name in table.images else None


def names_a_flavour(official_repository: str, word: str) -> bool:
    """Whether ``word`` names (a part of) a flavour of the official image's DHI counterpart: ``core``
    for influxdb, ``lein`` and ``tools-deps`` for clojure; so ``influxdb:core`` is a flavour, not a channel."""
    name = counterpart(official_repository)
    if name is None:
        return False
    parts = word.strip().lower().split("-")
    return any(_flavour_score(f, parts)[0] > 0 for p in _parsed(name) for f in p.flavours)


def channel_line(official_repository: str, channel: str) -> tuple[int, ...] | None:
    """The version line of a channel the DHI image tags itself (``dhi.io/mysql:lts`` is on the ``9.7``
    definition: ``(9, 7)``); None when no tag of the counterpart is that channel."""
    name = counterpart(official_repository)
    if name is None:
        return None
    word = channel.strip().lower()
    precision = _precision(official_repository, name)
    for p in _parsed(name):
        if p.numbered and any(t.head == word and t.version is None for t in p.tags):
            lines = _lines(p, precision)
            if lines:
                return max(lines)
    return None


def equivalent(
    official_repository: str,
    version: str | Sequence[int] | None,
    distro_family: str,
    stage: Stage,
    *,
    distro_version: str | Sequence[int] | None = None,
    words: Collection[str] = (),
    available: Collection[str] | None = None,
) -> DhiTag | None:
    """The hardened equivalent of an official image's tag: an existing DHI tag of the same image, on
    the same distro family, of the runtime variant for a ``runtime`` stage and the ``dev`` variant for
    a ``build`` stage, on the same version line.

    ``version`` is the tag's version (``"3.12"``, ``(3, 12, 7)``, a Debian codename ``"trixie"`` for
    ``debian``) or None for the newest line DHI has. A version less precise than a line (python ``3``,
    php ``8``) is the newest line that starts with it (``3.14``), exact: the official tag ``3`` is that
    line. A version DHI tags is answered as asked
    (``3.12.14`` -> ``3.12.14-debian13``); a more precise one it does not tag stands on its line
    (``3.12.7`` -> ``3.12-debian13``). When DHI lacks the line, the answer is the closest existing line with
    the same leading numbers (python ``3.9`` -> ``3.10``; ties go to the newer; a major-only line at
    most :data:`MAX_MAJOR_DISTANCE` majors away) with ``exact`` False; None when there is none
    (python ``2.7``). ``distro_version`` (``"12"``, ``"3.22"``) prefers that
    distro release; otherwise the newest release of the family that has the line is used.

    ``words`` are what the official tag says besides its version and distro (see the module docstring):
    the flavour they name best is kept when the definitions of the answer's line and variant carry it
    (``fpm`` -> ``8.4-debian13-fpm``; ``jre21`` -> tomcat's ``jdk21``; maven's ``21`` -> ``jdk21``),
    else the plain image (php's ``-dev`` has no ``fpm``: ``8.4-debian13-dev``). A word no flavour has
    (``slim``, ``cli`` for php, ``apache``) changes nothing. Without words the plain image is preferred
    (no ``sfw``/``compat``/... flavour); a line that DHI has only with
    flavoured tags (``docker``: ``cli``; influxdb 3: ``core``) answers its most common flavour
    (``flavour`` says which).
    Never an invented tag: every answer is a tag of the table. ``available`` (the tags a registry
    listed for the image) limits the answer to those tags.
    """
    if stage not in _VARIANT_FOR_STAGE:
        raise InvalidInput(
            f"stage {quoted(stage)} is not one of 'runtime' or 'build'; pass 'runtime' for the final stage."
        )
    name = counterpart(official_repository)
    family = _FAMILIES.get(distro_family.strip().lower())
    if name is None or family is None:
        return None
    variant = _VARIANT_FOR_STAGE[stage]
    pool = [p for p in _parsed(name) if p.definition.variant == variant and p.definition.distro_family == family]
    if available is not None:
        pool = _restrict(pool, available)
    if not pool:
        return None
    wanted_distro = _as_numbers(distro_version) if distro_version is not None else None
    if isinstance(version, str) and not _NUMERIC.fullmatch(version.strip()):
        codename = version.strip().lower()
        named = [p for p in pool if any(t.head == codename for t in p.tags)]
        return _pick(named, None, wanted_distro, words, line=codename, exact=True)
    precision = _precision(official_repository, name)
    asked = _as_numbers(version) if version is not None else ()
    if version is not None and not asked:
        return None
    if len(asked) < precision:  # no version, or a major-only one (python 3): the newest line that starts so
        lines = {line for p in pool for line in _lines(p, precision) if line[: len(asked)] == asked}
        if lines:
            key = max(lines)
            return _pick(_holding(pool, key), key, wanted_distro, words, line=_dotted(key), exact=True)
        if not asked:
            return None
    key = asked[:precision] if len(asked) > precision else asked
    for wanted in (asked, key):  # the version as asked when DHI tags it (maven 3.9), else its line
        exact = [p for p in pool if wanted in p.versions]
        found = _pick(exact, wanted, wanted_distro, words, line=_dotted(key), exact=True) if exact else None
        if found is not None:
            return found
    closest = _closest_line(key, {v for p in pool for v in p.versions})
    if closest is None:
        return None
    return _pick(_holding(pool, closest), closest, wanted_distro, words, line=_dotted(closest), exact=False)


# --------------------------------------------------------------------------------------
# Helpers of equivalent()
# --------------------------------------------------------------------------------------


def _as_numbers(value: str | Sequence[int]) -> tuple[int, ...]:
    if isinstance(value, str):
        text = value.strip()
        return _numbers(text) if _NUMERIC.fullmatch(text) else ()
    return tuple(int(n) for n in value)


def _dotted(numbers: tuple[int, ...]) -> str:
    return ".".join(map(str, numbers))


def _parsed_of(definition: DhiDefinition, tags: tuple[_Tag, ...]) -> _Parsed:
    numbered = frozenset(t.version for t in tags if t.version is not None)
    versions = numbered or (frozenset({definition.distro_version}) if definition.distro_version else frozenset())
    return _Parsed(definition, tags, versions, bool(numbered), frozenset(t.flavour for t in tags))


@cache
def _parsed(name: str) -> tuple[_Parsed, ...]:
    return tuple(_parsed_of(d, tuple(_split(t) for t in d.tags)) for d in _table().images.get(name, ()))


def _restrict(pool: Sequence[_Parsed], available: Collection[str]) -> list[_Parsed]:
    """The definitions of ``pool`` with only their tags in ``available`` (those a registry listed)."""
    out = []
    for parsed in pool:
        tags = tuple(t for t in parsed.tags if t.raw in available)
        if tags:
            out.append(_parsed_of(parsed.definition, tags))
    return out


@cache
def _inferred_precision(name: str) -> int:
    """How many numbers make a line of this image, from its tags: the most any definition needs to
    name itself (python: ``3.12`` needs two; node: ``22`` one)."""
    needed = [min(len(v) for v in p.versions) for p in _parsed(name) if p.versions]
    return max(needed, default=1)


def _precision(official_repository: str, name: str) -> int:
    """The lifecycle table's line precision for the runtime when it knows it (rust lines are ``1.N``
    though DHI also tags ``1``), else the one inferred from the DHI tags. The DHI image's own entry
    comes first: ubuntu's lines are ``24.04`` but its DHI image, debian-base, has Debian's (``13``)."""
    from hub_mcp.vocab.lifecycle import line_precision

    return line_precision(name) or line_precision(official_repository) or _inferred_precision(name)


def _closest_line(key: tuple[int, ...], versions: set[tuple[int, ...]]) -> tuple[int, ...] | None:
    """The existing line nearest to ``key`` that shares its leading numbers (ties: the newer).

    ``3.9`` -> ``3.10``; a patch-precise key DHI does not carry (wordpress ``7.1.0``) widens to its
    minor (``7.0``), never to another major. A major-only key (node ``21``) moves at most
    :data:`MAX_MAJOR_DISTANCE` majors: ``22``, but clojure's ``26`` is not clojure ``1``."""
    for width in range(len(key), 1 if len(key) > 1 else 0, -1):
        prefix, target = key[: width - 1], key[width - 1]
        near = {v[:width] for v in versions if len(v) >= width and v[: width - 1] == prefix}
        if width == 1:
            near = {v for v in near if abs(v[0] - target) <= MAX_MAJOR_DISTANCE}
        if near:
            return min(near, key=lambda v: (abs(v[-1] - target), -v[-1]))
    return None


def _lines(parsed: _Parsed, precision: int) -> set[tuple[int, ...]]:
    return {v[:precision] for v in parsed.versions if len(v) >= precision}


#: Stems that name a Java release with its number: a JDK of a release carries its JRE (tomcat ``jre21`` ->
#: ``jdk21``). A bare ``jre`` stays itself: eclipse-temurin's plain DHI image is its JRE, ``jdk`` its JDK.
_JAVA_STEMS = frozenset({"jdk", "jre", "java"})
_STEMMED = re.compile(r"([a-z]*?)[._]?(\d+(?:\.\d+)*)")  # php8.3, jdk21, python3, 21


def _stem(word: str) -> tuple[str, tuple[int, ...] | None]:
    """``php8.3`` -> ``("php", (8, 3))``, ``jre21`` -> ``("jdk", (21,))``, ``21`` -> ``("", (21,))``,
    ``fpm`` -> ``("fpm", None)``, ``jre`` -> ``("jre", None)``."""
    m = _STEMMED.fullmatch(word)
    if m is None:
        return word, None
    stem = m.group(1)
    return ("jdk" if stem in _JAVA_STEMS else stem), _numbers(m.group(2))


def _distance(a: tuple[int, ...] | None, b: tuple[int, ...] | None) -> int:
    if a is None or b is None:
        return 0
    width = 3
    pa, pb = (a + (0,) * width)[:width], (b + (0,) * width)[:width]
    return sum(abs(x - y) * 1000 ** (width - 1 - i) for i, (x, y) in enumerate(zip(pa, pb)))


def _word_match(part: str, word: str) -> tuple[int, int]:
    """How well an official tag's word names one part of a DHI flavour: (score, distance), score 0 for
    not at all. 4: the same word (``fpm``); 3: the same Java release as JDK/JRE (``jre21`` for ``jdk21``);
    2: a bare number that is the part's (maven ``3.9-eclipse-temurin-21`` for ``jdk21``, the pairing
    docker/docs content/manuals/dhi/migration/examples/java.md shows); 1: the same stem, another or no
    number (``python3`` for ``python``, ``php8.2`` for ``php8.3``, ``jdk`` for ``jdk21``), with the
    distance between the numbers (nearest first)."""
    if part == word:
        return 4, 0
    part_stem, part_number = _stem(part)
    word_stem, word_number = _stem(word)
    if not word_stem:
        return (2, 0) if word_number is not None and word_number == part_number else (0, 0)
    if not part_stem or part_stem != word_stem:
        return 0, 0
    if part_number is not None and part_number == word_number:
        return 3, 0
    return 1, _distance(part_number, word_number)


def _flavour_score(flavour: str, words: Collection[str]) -> tuple[int, int]:
    """Summed over the flavour's parts: the best match of any word (score), and its distance."""
    if not flavour or not words:
        return 0, 0
    score = distance = 0
    for part in flavour.split("-"):
        best = max((_word_match(part, w) for w in words), key=lambda m: (m[0], -m[1]))
        if best[0]:
            score, distance = score + best[0], distance + best[1]
    return score, distance


def _flavour(pool: Sequence[_Parsed], words: Collection[str] = ()) -> str:
    """The flavour the words name best (then the nearest numbers), when one of the pool's does; else
    the plain image when the pool has it, else the flavour most definitions carry (then the greatest
    name: ``jdk25`` before ``jdk17``)."""
    counts: dict[str, int] = {}
    for p in pool:
        for flavour in p.flavours:
            counts[flavour] = counts.get(flavour, 0) + 1
    if not counts:
        return ""

    def rank(f: str) -> tuple[int, int, bool, int, str]:
        score, distance = _flavour_score(f, words)
        return score, -distance, f == "", counts[f], f

    return max(counts, key=rank)


def _holding(pool: Sequence[_Parsed], line: tuple[int, ...]) -> list[_Parsed]:
    return [p for p in pool if any(v[: len(line)] == line for v in p.versions)]


def _pick(
    pool: Sequence[_Parsed],
    key: tuple[int, ...] | None,
    wanted_distro: tuple[int, ...] | None,
    words: Collection[str],
    *,
    line: str,
    exact: bool,
) -> DhiTag | None:
    """The tag naming ``key`` (or, with no key, the codename ``line``) among the definitions that
    hold it: of the flavour the words name (:func:`_flavour`), else of the plain image when one is
    plain, else of their most common flavour (influxdb 3: ``core``); the wanted distro release when
    one has it, else the newest; within it the tag that names the distro release (``3.12-debian13``),
    else the family (``3.12-debian``), else none."""
    flavour = _flavour(pool, words)
    ranked = sorted(
        (p for p in pool if flavour in p.flavours),
        key=lambda p: (p.definition.distro_version == wanted_distro, p.definition.distro_version),
        reverse=True,
    )
    for parsed in ranked:
        fits = [
            t
            for t in parsed.tags
            if t.flavour == flavour
            and (
                t.head == line
                if key is None
                else not parsed.numbered or (t.version is not None and t.version[: len(key)] == key)
            )
        ]
        if fits:
            # the tag of exactly that version (3.12-debian13), else the shortest more precise one (7.0.4 for 7.0)
            best = max(fits, key=lambda t: (t.version == key, -len(t.version or ()), t.distro_rank, -len(t.raw)))
            return _as_tag(parsed.definition, best, line=line, exact=exact)
    return None


def _as_tag(definition: DhiDefinition, tag: _Tag, *, line: str, exact: bool) -> DhiTag:
    return DhiTag(
        image=definition.repository,
        tag=tag.raw,
        variant=definition.variant,
        distro=definition.distro,
        platforms=definition.platforms,
        run_as=definition.run_as,
        release=definition.release,
        end_of_life=definition.end_of_life,
        line=line,
        exact=exact,
        flavour=tag.flavour,
    )
