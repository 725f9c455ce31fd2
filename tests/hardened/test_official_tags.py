"""Every Linux tag of every official image with a DHI counterpart, against the catalog extraction in
../shared/data (skipped without it, except in CI, where it must be there).

For each tag of official-images/library/<image> (Tags and SharedTags of the entries built for Linux) and
both stages, equivalent_for() must answer, checked against hardened-images/catalog.jsonl.gz as read by this
file's own parser (not hub_mcp's):

* an existing tag of the counterpart image, of the runtime variant for a runtime stage and -dev for a build;
* on Alpine for an alpine (or musl) tag, on Debian otherwise (Ubuntu included); a tag on another glibc distro
  (ubi, Oracle Linux, Amazon Linux...) on Debian too, never exact, its first change naming the distro move;
* never a tag of a definition past its end of life on the walk's day (the extraction's ``end_of_life``): every
  rule below reads "DHI has" as "DHI has a definition not past its end of life", so a tag whose line DHI has
  only past its end of life gets a closest supported line, not exact (counted); when no supported line is
  near (a family and variant whose every definition has ended: rabbitmq on the walk's day), the closest ended
  one may be named, never exact, its first change saying it ended (counted);
* when the extraction has the tag's line on that family and variant: that line, exact; when it lacks it: not
  exact. The line of a major-only tag (python:3) is the one of the most precise tags of its library entry
  (3.14). A versionless tag that names no channel (latest, alpine, jdk21) or a flavour's (influxdb:core)
  gets the newest line DHI has (where the official entry is on another line: counted); a channel tag (lts,
  stable...) resolved to a line (exact) gets its entry's line when DHI has it, else it is not exact and
  counted;
* when the official tag's words name a flavour DHI has for the answer's line and variant (every dash part of
  the flavour is a word of the tag: php fpm, wordpress php8.3-fpm, tomcat jdk21), the answer has it; for a
  build stage, a tag that names no Java (no jdk, jre, jdk21, java17... word) counts ``jdk`` as one of its words
  (a build needs the compiler: eclipse-temurin:25-alpine, the JDK, gets the jdk -dev, not the plain JRE -dev);
* when the tag names a Debian or Alpine release (bookworm, debian12, alpine3.21, alpine-3.21; the debian and
  alpine images' own versions and debian's suites: oldstable is 12) and the answer's definition is on another
  release of that family, the first change says "the <Distro> release changes from ..." (counted); on the same
  release, no change says so.

The counts are printed (pytest -s).
"""

from __future__ import annotations

import gzip
import json
import os
import re
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from hub_mcp.hardened import counterpart
from hub_mcp.hardened import table as table_module
from hub_mcp.hardened.migration import equivalent_for
from hub_mcp.vocab.tags import parse_tag

SHARED_DATA = Path(__file__).resolve().parents[3] / "shared" / "data"
CATALOG = SHARED_DATA / "hardened-images" / "catalog.jsonl.gz"
LIBRARY = SHARED_DATA / "official-images" / "library"
IN_CI = os.environ.get("CI") == "true"
#: The day of the extraction (its README): the lifecycle-based channels (lts) are answered as of then.
TODAY = date(2026, 8, 22)

pytestmark = pytest.mark.skipif(not CATALOG.exists() and not IN_CI, reason=f"{CATALOG} is not present")

#: Words of an official tag that put it on a glibc distro DHI does not build on (Debian expected, not exact).
OTHER_DISTROS = re.compile(
    r"^(ubi\d*|oraclelinux\d*|oracle|al\d+|amazonlinux\d*|rockylinux\d*|almalinux\d*|centos\d*|fedora\d*|rhel\d*)$"
)
WINDOWS = re.compile(r"^(windowsservercore|nanoserver|ltsc\d{4})")
#: Words that mark a tag as not for production (prereleases, development streams).
NON_PRODUCTION = re.compile(
    r"^(rc|ea|alpha|beta|preview|dev|devel|edge|tip|nightly|snapshot|testing|unstable|sid|experimental|"
    r"rc\d+|ea\d+|beta\d+|alpha\d+|m\d+|dev\d+)$"
)
DEBIAN_NUMBERS = {"bullseye": 11, "bookworm": 12, "trixie": 13, "forky": 14}
#: Debian's suites on the walk's day [documented: debian.org/releases, trixie stable since 2025-08-09].
DEBIAN_SUITES = {"stable": 13, "oldstable": 12, "oldoldstable": 11}
VERSION_PIECE = re.compile(r"v?(\d+(?:\.\d+)*)(?:_\d+|u\d+)?")
DATE_STAMP = re.compile(r"(19|20)\d{6}")


def shared_file(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"{path} is missing: run the tests from a checkout with ../shared/data beside it.", pytrace=False)
    return path


# --------------------------------------------------------------------------------------
# The catalog extraction, read here
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    variant: str
    family: str  # debian, alpine
    distro: tuple[int, ...]  # (13,), (3, 24)
    tags: dict[str, tuple[tuple[int, ...] | None, str]]  # tag -> (version, flavour)
    end_of_life: date | None = None

    def ended(self) -> bool:
        return self.end_of_life is not None and TODAY >= self.end_of_life

    def versions(self) -> list[tuple[int, ...]]:
        found = [v for v, _ in self.tags.values() if v is not None]
        return found or [self.distro]  # debian-base: codename tags, its line is the distro release


def split_dhi_tag(tag: str) -> tuple[tuple[int, ...] | None, str]:
    """``3.12-debian13-dev`` -> ((3, 12), ""); ``8.4.24-alpine3.24-fpm`` -> ((8, 4, 24), "fpm")."""
    pieces = tag.split("-")
    if pieces[-1] == "dev":
        pieces = pieces[:-1]
    m = re.match(r"\d+(?:\.\d+)*", pieces[0])
    version = tuple(int(n) for n in m.group(0).split(".")) if m else None
    rest = pieces[1:]
    while version is not None and rest and re.fullmatch(r"r?\d+", rest[0]):
        rest = rest[1:]  # a revision: 22.23.2-0
    flavour = [p for p in rest if not re.fullmatch(r"(debian|alpine)(\d+(\.\d+)*)?", p)]
    return version, "-".join(flavour)


def catalog() -> dict[str, list[Definition]]:
    out: dict[str, list[Definition]] = defaultdict(list)
    with gzip.open(shared_file(CATALOG), "rt", encoding="utf-8") as handle:
        for line in handle:
            row: dict[str, Any] = json.loads(line)
            family, _, number = row["distro"].partition("-")
            out[row["image"].removeprefix("dhi.io/")].append(
                Definition(
                    variant=row["variant"],
                    family=family,
                    distro=tuple(int(n) for n in number.split(".")),
                    tags={t: split_dhi_tag(t) for t in row["tags"]},
                    end_of_life=date.fromisoformat(row["end_of_life"]) if row.get("end_of_life") else None,
                )
            )
    return out


# --------------------------------------------------------------------------------------
# The official library files, read here
# --------------------------------------------------------------------------------------


def library_entries(path: Path) -> list[list[str]]:
    """The tags (Tags and SharedTags) of each entry built for Linux, in file order."""
    entries: list[list[str]] = []
    header_arches: list[str] = ["amd64"]
    for number, paragraph in enumerate(re.split(r"\n\s*\n", path.read_text(encoding="utf-8"))):
        fields: dict[str, str] = {}
        key = None
        for line in paragraph.splitlines():
            if line.startswith("#"):
                continue
            if line[:1].isspace() and key:
                fields[key] += " " + line.strip()
            elif ":" in line:
                key, _, value = line.partition(":")
                key = key.strip()
                fields[key] = value.strip()
        arches = [a.strip() for a in fields.get("Architectures", "").split(",") if a.strip()]
        if number == 0 and "Tags" not in fields:
            header_arches = arches or header_arches
            continue
        tags = [t.strip() for k in ("Tags", "SharedTags") for t in fields.get(k, "").split(",") if t.strip()]
        if tags and any(not a.startswith("windows-") for a in (arches or header_arches)):
            entries.append(tags)
    return entries


def official_version(tag: str) -> tuple[int, ...] | None:
    """The release numbers of an official tag (``3.12.7-slim`` -> (3, 12, 7); ``8u432-b06`` -> (8,));
    None for a versionless or date-stamped tag."""
    m = VERSION_PIECE.fullmatch(tag.lower().split("-")[0])
    if m is None or DATE_STAMP.fullmatch(m.group(1)):
        return None
    return tuple(int(n) for n in m.group(1).split("."))


def non_production(tag: str) -> bool:
    pieces = tag.lower().split("-")
    return any(NON_PRODUCTION.fullmatch(p) for p in pieces) or bool(
        re.search(r"\d(rc|a|b|alpha|beta|ea)\d*$", pieces[0])
    )


def moved(tag: str) -> bool:
    """On a distro DHI does not build on: the answer moves it to Debian."""
    return any(OTHER_DISTROS.fullmatch(p) for p in tag.lower().split("-"))


def named_release(tag: str) -> tuple[str, tuple[int, ...]] | None:
    """The Debian or Alpine release a tag names: ``8.4-fpm-bookworm`` -> ("debian", (12,)); ``25-alpine-3.21``
    and ``3.12-alpine3.21`` -> ("alpine", (3, 21)); ``debian12`` -> ("debian", (12,))."""
    pieces = tag.lower().split("-")
    for i, piece in enumerate(pieces):
        if piece in DEBIAN_NUMBERS:
            return "debian", (DEBIAN_NUMBERS[piece],)
        m = re.fullmatch(r"(debian|alpine)(\d+(?:\.\d+)*)", piece)
        if m:
            return m.group(1), tuple(int(n) for n in m.group(2).split("."))
        if piece == "alpine" and i + 1 < len(pieces) and re.fullmatch(r"\d+\.\d+", pieces[i + 1]):
            return "alpine", tuple(int(n) for n in pieces[i + 1].split("."))
    return None


JAVA_WORD = re.compile(r"(jdk|jre|java)\d*(\.\d+)*")


def expected_family(tag: str) -> str | None:
    pieces = tag.lower().split("-")
    if any(p.startswith("alpine") or p == "musl" for p in pieces):
        return "alpine"
    return "debian"


# --------------------------------------------------------------------------------------
# The walk
# --------------------------------------------------------------------------------------


@dataclass
class Tally:
    checked: int = 0
    exact: int = 0
    closest: int = 0
    none: int = 0
    unknown_channel: int = 0  # a versionless tag answered not exact although the entry's line is in DHI
    latest_elsewhere: int = 0  # a latest-like tag whose entry's line DHI lacks: answered with DHI's newest
    moved: int = 0  # a tag on another glibc distro, answered on Debian
    past_eol: int = 0  # a versioned tag whose line DHI has only past its end of life: a closest supported line
    ended_named: int = 0  # no supported line near: the closest ended one, not exact, said first
    release_moved: int = 0  # a tag naming a Debian/Alpine release, answered on another release of the family


def ended_said(found: tuple[Any, list[str]]) -> bool:
    """An answer on a line past its end of life must be not exact and say so first (the code's fallback when no
    supported line is near)."""
    return found[0].exact is False and bool(found[1]) and "no supported line is near" in found[1][0]


def answer_in(definition: Definition, found: tuple[Any, list[str]]) -> bool:
    return bool(found[0].tag in definition.tags)


def has_line(defs: list[Definition], family: str, variant: str, line: tuple[int, ...]) -> bool:
    return any(
        d.variant == variant and d.family == family and any(v[: len(line)] == line for v in d.versions()) for d in defs
    )


def newest_line(
    defs: list[Definition], family: str, variant: str, prefix: tuple[int, ...], precision: int
) -> tuple[int, ...] | None:
    lines = {
        v[:precision]
        for d in defs
        if d.variant == variant and d.family == family
        for v in d.versions()
        if len(v) >= precision and v[: len(prefix)] == prefix
    }
    return max(lines) if lines else None


def answer_numbers(d: Definition, tag: str) -> tuple[int, ...]:
    version, _ = d.tags[tag]
    return version if version is not None else d.distro


def dotted(line: tuple[int, ...] | None) -> str:
    return ".".join(map(str, line or ()))


def latest_like(tag: str, defs: list[Definition]) -> bool:
    """A versionless tag that names no channel (``latest``, ``alpine``, ``slim-bookworm``, ``jdk21``) or
    whose channel is a flavour DHI has (``influxdb:core``, ``clojure:lein``): the newest line."""
    channel = parse_tag(tag).channel
    parts = {part for d in defs for _, flavour in d.tags.values() for part in flavour.split("-") if part}
    return channel in (None, "latest") or any(re.sub(r"[\d.]+$", "", w) in parts for w in channel.split("-"))


def named_flavours(
    defs: list[Definition], family: str, variant: str, line: tuple[int, ...], words: set[str]
) -> set[str]:
    """The flavours of the answer's line and variant whose every part is a word of the official tag."""
    out = set()
    for d in defs:
        if d.variant != variant or d.family != family:
            continue
        for version, flavour in d.tags.values():
            if flavour and (version or d.distro)[: len(line)] == line and set(flavour.split("-")) <= words:
                out.add(flavour)
    return out


def classify(image: str, tag: str, version: tuple[int, ...] | None, precision: int, defs: list[Definition]) -> str:
    """How the tag's line is decided: ``prerelease`` (any existing tag of the family will do), ``versioned``
    (its own line), ``newest`` (latest-like, major-only, and every ubuntu tag: DHI's newest line with that
    prefix) or ``channel`` (lts, stable, current...: its entry's line when the answer says exact)."""
    if non_production(tag):
        return "prerelease"
    if image == "ubuntu":
        return "newest"
    if version is not None:
        return "versioned" if len(version) >= precision else "newest"
    return "newest" if latest_like(tag, defs) else "channel"


def test_every_official_linux_tag_gets_an_existing_equivalent_of_its_family_stage_line_and_flavour() -> None:
    dhi = catalog()
    tally = Tally()
    problems: list[str] = []
    unknown: Counter[str] = Counter()
    elsewhere: Counter[str] = Counter()
    for path in sorted(shared_file(LIBRARY).iterdir()):
        name = counterpart(path.name)
        if name is None:
            continue
        every = dhi[name]
        defs = [d for d in every if not d.ended()]  # "DHI has": not past its end of life on the walk's day
        precision = table_module._precision(path.name, name)
        for entry in library_entries(path):
            versions = [v for v in map(official_version, entry) if v is not None]
            entry_line = max(versions)[:precision] if versions and not any(map(non_production, entry)) else None
            for tag in entry:
                words = set(tag.lower().split("-"))
                if any(WINDOWS.match(w) for w in words):
                    continue
                family = "alpine" if path.name == "alpine" else expected_family(tag)
                version = official_version(tag)
                if path.name == "debian":
                    codename = next((DEBIAN_NUMBERS[w] for w in words if w in DEBIAN_NUMBERS), None)
                    version = (codename,) if codename else version
                kind = classify(path.name, tag, version, precision, defs)
                release = named_release(tag)
                if path.name in ("debian", "alpine") and version is not None and not non_production(tag):
                    release = (path.name, version)  # the distro images: their version is the release
                suite = next((DEBIAN_SUITES[w] for w in words if w in DEBIAN_SUITES), None)
                if path.name == "debian" and suite is not None:
                    release = ("debian", (suite,))  # debian:oldstable is release 12
                for stage, variant in (("runtime", "runtime"), ("build", "dev")):
                    tally.checked += 1
                    where = f"{path.name}:{tag} {stage}"
                    found = equivalent_for(path.name, tag, stage, today=TODAY)  # type: ignore[arg-type]
                    if family is None or not any(d.variant == variant and d.family == family for d in defs):
                        tally.none += found is None
                        if found is not None and ended_said(found) and any(
                            d.variant == variant and d.family == family and answer_in(d, found) for d in every
                        ):
                            tally.ended_named += 1
                        elif found is not None:
                            problems.append(f"{where}: {found[0].reference}, but DHI has no {variant} on {family}")
                        continue
                    own = version[:precision] if kind == "versioned" and version else None
                    prefix = (version or ()) if path.name != "ubuntu" else ()
                    newest = newest_line(defs, family, variant, prefix, precision) if kind == "newest" else None
                    if found is None:
                        tally.none += 1
                        if (own and has_line(defs, family, variant, own)) or newest or kind == "channel":
                            problems.append(f"{where}: none, but DHI has {family} {variant} definitions of the line")
                        continue
                    answer = found[0]
                    if moved(tag):
                        tally.moved += 1
                        if answer.exact or not found[1][0].startswith("the distro changes from"):
                            problems.append(f"{where}: {answer.reference} ({answer.exact}) moves distro unsaid")
                        holder = next((d for d in defs if answer.tag in d.tags), None)
                        if holder is None or (holder.variant, holder.family) != (variant, "debian"):
                            problems.append(f"{where}: {answer.reference} is not a Debian {variant} tag")
                        continue
                    tally.exact += answer.exact
                    tally.closest += not answer.exact
                    holder = next((d for d in every if answer.tag in d.tags), None)
                    if holder is None or answer.image != f"dhi.io/{name}":
                        problems.append(f"{where}: {answer.reference} is not a tag of the extraction")
                        continue
                    if holder.ended():
                        if ended_said(found):
                            tally.ended_named += 1
                        else:
                            problems.append(f"{where}: {answer.reference} is past its end of life ({holder.end_of_life})")
                        continue
                    said = [c for c in found[1] if " release changes from " in c]
                    if release is not None and release[0] == holder.family:
                        shown = release[1][: len(holder.distro)]
                        if holder.distro[: len(shown)] != shown:
                            tally.release_moved += 1
                            if not found[1][0].startswith(f"the {release[0].capitalize()} release changes from"):
                                problems.append(f"{where}: {answer.reference} moves from release {shown} unsaid")
                        elif said:
                            problems.append(f"{where}: {answer.reference} is on release {shown}, but says {said[0]!r}")
                    elif said:
                        problems.append(f"{where}: {answer.reference} names no release move, but says {said[0]!r}")
                    if (holder.variant, holder.family) != (variant, family):
                        problems.append(f"{where}: {answer.reference} is {holder.variant} on {holder.family}")
                        continue
                    numbers = answer_numbers(holder, answer.tag)
                    if kind == "versioned" and own is not None:
                        if not has_line(defs, family, variant, own) and has_line(every, family, variant, own):
                            tally.past_eol += 1
                        if has_line(defs, family, variant, own):
                            if not answer.exact or numbers[: len(own)] != own:
                                problems.append(f"{where}: {answer.reference} ({answer.exact}), DHI has the line {own}")
                        elif answer.exact:
                            problems.append(f"{where}: {answer.reference} says exact, but DHI lacks the line {own}")
                    elif kind == "newest" and newest is None:  # mongo:7 when DHI starts at 8.0: a closest
                        if answer.exact:
                            problems.append(f"{where}: {answer.reference} says exact, but DHI has no line of {prefix}")
                    elif kind == "newest":
                        if numbers[: len(newest or ())] != newest or (path.name == "ubuntu" and answer.exact):
                            problems.append(f"{where}: {answer.reference} ({answer.exact}), DHI's newest: {newest}")
                        elif path.name != "ubuntu" and entry_line is not None and entry_line != newest:
                            tally.latest_elsewhere += 1
                            elsewhere[f"{path.name}:{tag.split('-')[0]} {dotted(entry_line)}->{dotted(newest)}"] += 1
                    elif kind == "channel" and entry_line is not None and has_line(defs, family, variant, entry_line):
                        if numbers[: len(entry_line)] != entry_line:
                            if answer.exact:
                                problems.append(f"{where}: {answer.reference} says exact, the entry's is {entry_line}")
                            else:
                                tally.unknown_channel += 1
                                unknown[f"{path.name}:{tag.split('-')[0]} {dotted(entry_line)}"] += 1
                    answer_line = numbers[: len(own)] if own else numbers[:precision]
                    java = stage == "build" and not any(JAVA_WORD.fullmatch(w) for w in words)
                    said_words = words | ({"jdk"} if java else set())  # a build needs the compiler
                    named = named_flavours(defs, holder.family, variant, answer_line, said_words)
                    if named and answer.flavour not in named:
                        problems.append(f"{where}: {answer.reference} is {answer.flavour!r}, named: {sorted(named)}")
    print(
        f"\nofficial tags x stages checked: {tally.checked}; exact {tally.exact}, closest {tally.closest}, "
        f"none {tally.none}; moved from another distro to Debian {tally.moved}; problems: {len(problems)}\n"
        f"versioned tags whose line DHI has only past its end of life (a closest supported line): {tally.past_eol}; "
        f"ended lines named for want of a supported one (not exact, said): {tally.ended_named}; "
        f"tags naming a Debian/Alpine release answered on another release (said first): {tally.release_moved}\n"
        f"channel tags nothing here knows, answered with DHI's newest line (not exact) though DHI has their "
        f"entry's line: {tally.unknown_channel} {sorted(unknown)}\n"
        f"latest-like or major-only tags whose entry is on another line than DHI's newest (answered with DHI's "
        f"newest): {tally.latest_elsewhere} {sorted(elsewhere)}"
    )
    for problem in problems[:60]:
        print("  ", problem)
    assert problems == [], problems[:20]
    assert tally.checked > 5000 and tally.exact > tally.checked // 3  # a collapse of the walk or the table is a bug
