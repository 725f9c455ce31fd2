"""Docker Hardened Image equivalents across every official image that has one (issue 19).

For each library file in ``../shared/data/official-images/library`` whose name has a DHI image in
the catalog extraction ``../shared/data/hardened-images/catalog.jsonl.gz`` (the same name, or an
alias of :data:`ALIASES`), four questions go through the same in-process path as
``benchmarks/advisor_breadth.py`` (a fresh ``Runtime`` per question, the fake Hub of
:func:`benchmarks.advisor_catalog.build_full_catalog`, the registry unreachable, ``today=2026-11-26``):

* ``suggest runtime`` / ``suggest build``: ``suggest_base_images image=<name>``, ``linux/amd64``,
  purpose ``runtime`` / ``build``; the top candidate's ``hardened`` and the answer's notes are judged.
* ``review final``: ``review_base_images`` of ``FROM <top reference of suggest runtime>`` (the final
  stage); ``review build``: ``FROM <it> AS build`` then ``FROM scratch`` (it is the build stage).
  The reviewed line's ``hardened`` and the review's notes are judged.

**Ground truth** is the extraction, read by this module's own parser (nothing from ``hub_mcp``: the
rules must not share the code's mistakes), and the official tag, read by this module's own rules:

* **named**: the extraction has the DHI image with the expected variant on the expected family
  (see below) -> the answer must carry a hardened reference. When it has none there, nothing is
  expected (an answer that names one anyway is judged by the rows below).
* **exists**: the reference is ``dhi.io/<the DHI image>:<tag>`` and the tag is in the extraction.
* **variant**: the tag's definition is ``runtime`` for purpose runtime / the final stage, ``dev``
  for purpose build / a build stage.
* **family**: an official tag with a dash piece starting with ``alpine`` (and the ``alpine`` image
  itself) -> an ``alpine-*`` distro; every other tag -> ``debian-*`` (Ubuntu-based tags too:
  docker/docs ``content/manuals/dhi/migration/migrate-from-ubuntu.md`` "migrate to the
  Debian-based DHI variant"; also tags on other distros, as issue 19's benchmark brief says).
* **line**: each definition's line is the catalog's own ``name`` (``Python 3.12.x`` -> 3.12,
  ``Maven 3.x JDK 17.x`` -> 3), else its file name's leading version (``13.yaml``,
  ``6.9-php8.3-fpm.yaml``), else the shortest version among its tags that no sibling definition
  (same image, variant, distro, other versions) starts with (nginx ``mainline.yaml`` -> 1.31).
  The official tag's version is its first dash piece starting with a digit (leading numbers:
  ``25.0.1_8`` -> 25.0.1, ``8u472`` -> 8), skipping 8-digit date stamps and a piece right after a
  component word (``temurin-25``, ``jdk-21``, ``lein-2.11.2``: the version of what the image
  bundles); a Debian codename counts as its release number (trixie -> 13). When some definition of
  the expected variant and family is on that line (one version a prefix of the other), the named
  tag's definition must be on it too, and the tag must not be coarser than the line (``3-debian13``
  for line 3.14 moves to 3.15 one day). Otherwise (no version, or a line the extraction lacks)
  the line is not judged.
* **notes**: the answer's notes say what moving changes, from the named tag's extraction facts:
  its user (``non-root``/``not root``/``runs as <user>``; ``root`` for a root one), for a runtime
  variant ``no shell`` and ``package manager``, ``no latest`` and ``docker login dhi.io``.

Counts are over images (each question its own column); an image is **covered** when every judged
criterion passes on all four questions. Each failure is listed once per image and question, grouped
by class of mistake, with the asked tag, the answer and an expected tag from the extraction.

Standalone: ``.venv/bin/python -m benchmarks.hardened_breadth [--json FILE] [--shared DIR] [--image NAME]``.
"""

from __future__ import annotations

import argparse
import asyncio
import gzip
import json
import re
import statistics
import sys
import time
import traceback
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.advisor_breadth import _max_rss_mb, split_reference  # noqa: E402
from benchmarks.advisor_catalog import default_shared_dir, library_repositories  # noqa: E402

REGISTRY = "dhi.io"
PLATFORM = "linux/amd64"
TOP = 5

ALIASES: dict[str, tuple[str, str]] = {
    "alpine": (
        "alpine-base",
        "docker-hardened-images/catalog image/alpine-base/guides.md ('DOI (library/alpine)' vs 'DHI (dhi.io/alpine-base)')",
    ),
    "mongo": (
        "mongodb",
        "docker-hardened-images/catalog image/mongodb/guides.md ('Docker Official MongoDB' vs 'Docker Hardened MongoDB')",
    ),
    "clickhouse": (
        "clickhouse-server",
        "docker-hardened-images/catalog image/clickhouse-server/guides.md"
        " ('Docker Official ClickHouse' vs 'Docker Hardened ClickHouse')",
    ),
    "debian": ("debian-base", "[assumed] the catalog's Debian base image, the Debian twin of alpine-base"),
    "registry": ("distribution-registry", "[assumed] both package the Distribution registry (distribution/distribution)"),
    "erlang": ("erlang-otp", "[assumed] both package Erlang/OTP"),
}
"""Official image -> DHI image of another name, with the source that pairs them. The benchmark's own
copy of the pairings ``hub_mcp/hardened/table.py`` lists (OFFICIAL_ALIASES), with the sources it names;
every other official image pairs with the DHI image of the same name when the extraction has one."""

QUESTIONS: tuple[str, ...] = ("suggest runtime", "suggest build", "review final", "review build")
STAGE_OF: dict[str, str] = {
    "suggest runtime": "runtime", "suggest build": "build", "review final": "runtime", "review build": "build",
}  # fmt: skip
VARIANT_FOR_STAGE = {"runtime": "runtime", "build": "dev"}
CRITERIA: tuple[str, ...] = ("named", "exists", "variant", "family", "line", "notes")

CODENAMES: dict[str, int] = {"buster": 10, "bullseye": 11, "bookworm": 12, "trixie": 13, "forky": 14, "duke": 15}
"""Debian codename -> release number (debian.org/releases)."""

COMPONENT_WORDS = frozenset(
    "jdk jre temurin corretto openjdk zulu liberica semeru sapmachine graalvm java lein leiningen"
    " node python php ruby scala sbt maven gradle otp erlang".split()
)
"""A version piece right after one of these names what the image bundles, not the image's own version
(clojure ``temurin-25-lein-2.11.2-trixie``: Java 25, Leiningen 2.11.2)."""

_NUMBERS = re.compile(r"^(\d+(?:\.\d+)*)")
_V_NUMBERS = re.compile(r"^v?(\d+(?:\.\d+)*)")
_DATE_STAMP = re.compile(r"^\d{8}(?:\.\d+)?$")
_NAME_LINE = re.compile(r"(?<![\w.])(\d+(?:\.\d+)*)\.x\b")
_DISTRO_FOLDER = re.compile(r"^([a-z]+)-(\d+(?:\.\d+)*)$")
_DHI_DISTRO_PIECE = re.compile(r"^(?:debian|alpine)(?:\d+(?:\.\d+)*)?$")
_REVISION_PIECE = re.compile(r"^r?\d+$")

Version = tuple[int, ...]


def numbers(text: str, *, v: bool = False) -> Version | None:
    """The leading numbers of a piece: ``3.14.2`` -> (3, 14, 2); ``25.0.1_8`` -> (25, 0, 1); ``8u472`` -> (8,);
    with ``v``, also fluentd's ``v1.19`` -> (1, 19)."""
    match = (_V_NUMBERS if v else _NUMBERS).match(text)
    return tuple(int(n) for n in match.group(1).split(".")) if match else None


def compatible(a: Version, b: Version) -> bool:
    """One version a prefix of the other: (3, 14, 2) and (3, 14); (1,) and (1, 31)."""
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def dotted(version: Version | None) -> str:
    return ".".join(map(str, version)) if version else "-"


# --------------------------------------------------------------------------- ground truth: the extraction


@dataclass(frozen=True)
class DhiDef:
    """One definition of the extraction (one YAML file of the DHI catalog)."""

    image: str  # "python" (without dhi.io/)
    name: str
    variant: str
    distro: str
    tags: tuple[str, ...]
    run_as: str
    path: str

    @property
    def family(self) -> str:
        m = _DISTRO_FOLDER.match(self.distro)
        return m.group(1) if m else self.distro

    @property
    def distro_version(self) -> Version:
        m = _DISTRO_FOLDER.match(self.distro)
        return tuple(int(n) for n in m.group(2).split(".")) if m else ()

    @cached_property
    def versions(self) -> frozenset[Version]:
        return frozenset(v for tag in self.tags if (v := dhi_tag_version(tag)) is not None)

    @property
    def runs_as_root(self) -> bool:
        return self.run_as in ("root", "0")


def dhi_tag_version(tag: str) -> Version | None:
    """A DHI tag's version: the leading numbers of its first piece (``3.14-debian13`` -> (3, 14));
    None for a codename (``trixie``) or ``lts``."""
    return numbers(tag.split("-", 1)[0])


def dhi_tag_flavour(tag: str) -> str:
    """What a DHI tag says besides version, revision, distro and ``-dev``: ``sfw``, ``compat``, ``jdk21``..."""
    pieces = tag.split("-")
    rest = pieces[1:] if numbers(pieces[0]) is not None or pieces[0] in CODENAMES else pieces
    rest = [p for p in rest if not _REVISION_PIECE.match(p) and not _DHI_DISTRO_PIECE.match(p) and p != "dev"]
    return "-".join(rest)


@dataclass
class Extraction:
    """The catalog extraction: definitions per DHI image, and each (image, tag) -> its definition."""

    definitions: dict[str, list[DhiDef]]
    by_tag: dict[tuple[str, str], DhiDef]
    lines: dict[str, Version | None]
    """Definition path -> its line (see :func:`definition_line`)."""

    def line_of(self, definition: DhiDef) -> Version | None:
        return self.lines.get(definition.path)


def read_extraction(path: Path) -> Extraction:
    """Read ``catalog.jsonl.gz`` (its README: one JSON object per definition; ``image`` is
    ``dhi.io/<name>``; ``tags`` in file order; ``variant`` runtime or dev; ``distro`` the folder)."""
    definitions: dict[str, list[DhiDef]] = {}
    by_tag: dict[tuple[str, str], DhiDef] = {}
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            image = str(row["image"]).removeprefix(f"{REGISTRY}/")
            definition = DhiDef(
                image=image,
                name=str(row.get("name") or ""),
                variant=str(row["variant"]),
                distro=str(row["distro"]),
                tags=tuple(row["tags"]),
                run_as=str(row.get("run_as") or ""),
                path=str(row["path"]),
            )
            definitions.setdefault(image, []).append(definition)
            for tag in definition.tags:
                by_tag[(image, tag)] = definition
    lines = {d.path: definition_line(d, defs) for defs in definitions.values() for d in defs}
    return Extraction(definitions, by_tag, lines)


def definition_line(definition: DhiDef, siblings: Sequence[DhiDef]) -> Version | None:
    """The version line a definition stands for: the catalog name's ``<N>.x`` (``Python 3.12.x``),
    else the file name's leading version (``13.yaml``, ``1.45-php-fpm.yaml``), else the shortest
    tag version that no sibling (same image, variant, distro; other versions) starts with."""
    found = _NAME_LINE.search(definition.name)
    if found:
        return numbers(found.group(1))
    stem = definition.path.rsplit("/", 1)[-1].removesuffix(".yaml")
    leading = _NUMBERS.match(stem)
    if leading and (leading.end() == len(stem) or stem[leading.end()] == "-"):
        return numbers(leading.group(1))
    others = [
        s for s in siblings
        if s.path != definition.path and s.variant == definition.variant and s.distro == definition.distro
        and s.versions != definition.versions
    ]  # fmt: skip
    taken = {w for s in others for w in s.versions}
    for version in sorted(definition.versions, key=lambda v: (len(v), v)):
        if not any(w[: len(version)] == version for w in taken):
            return version
    return None


# --------------------------------------------------------------------------- ground truth: the official tag


UBUNTU_WORDS = frozenset("ubuntu bionic focal jammy noble oracular plucky questing resolute".split())
OTHER_DISTRO = re.compile(r"^(?:al\d+|amazonlinux\d*|oracle|oraclelinux\d*|ubi\d*|rockylinux\d*|centos\d*|"
                          r"windowsservercore|nanoserver|ltsc\d+)$")


def official_distro(image: str, tag: str) -> str:
    """What the official tag names as its base, for the failure classes: ``alpine``, ``ubuntu`` (noble...),
    another distro word (``oracle``, ``al2``, ``ubi10``), else ``debian`` (a codename, or none named)."""
    pieces = tag.lower().split("-")
    if official_family(image, tag) == "alpine":
        return "alpine"
    if image == "ubuntu" or any(p in UBUNTU_WORDS for p in pieces):
        return "ubuntu"
    other = next((p for p in pieces if OTHER_DISTRO.match(p)), None)
    return other or "debian"


def official_family(image: str, tag: str) -> str:
    """``alpine`` for a tag with a piece starting with ``alpine`` (and the alpine image), else ``debian``."""
    if image == "alpine" or any(p.startswith("alpine") for p in tag.lower().split("-")):
        return "alpine"
    return "debian"


def official_version(image: str, tag: str) -> Version | None:
    """The image's own version in an official tag (see the module docstring)."""
    pieces = [p for p in tag.lower().split("-") if p]
    if image == "debian":
        for piece in pieces:
            if piece in CODENAMES:
                return (CODENAMES[piece],)
    previous = ""
    for piece in pieces:
        if _DATE_STAMP.match(piece):
            previous = piece
            continue
        version = numbers(piece, v=True)
        if version is not None and previous not in COMPONENT_WORDS:
            return version
        previous = piece
    return None


@dataclass
class Expected:
    """What the extraction says the answer should name for one official tag and stage."""

    official: str
    distro: str
    """What the official tag names as its base (:func:`official_distro`)."""
    dhi_image: str
    variant: str
    family: str
    version: Version | None
    pool: list[DhiDef]
    """Definitions of the DHI image with the expected variant on the expected family."""
    on_line: list[DhiDef]
    """Those on the official tag's line (empty: the extraction lacks it, or the tag has no version)."""
    example: str | None
    """An expected reference (plain flavour first, newest distro release), for the failure listing."""


def expect(extraction: Extraction, official_image: str, reference: str, stage: str) -> Expected:
    _, tag = split_reference(reference)
    dhi_image = counterpart(official_image, extraction) or ""
    variant = VARIANT_FOR_STAGE[stage]
    family = official_family(official_image, tag)
    version = official_version(official_image, tag)
    pool = [d for d in extraction.definitions.get(dhi_image, []) if d.variant == variant and d.family == family]
    on_line: list[DhiDef] = []
    if version is not None:
        on_line = [d for d in pool if (line := extraction.line_of(d)) is not None and compatible(line, version)]
    distro = official_distro(official_image, tag)
    example = _example(extraction, on_line or pool)
    return Expected(reference, distro, dhi_image, variant, family, version, pool, on_line, example)


def _example(extraction: Extraction, defs: Sequence[DhiDef]) -> str | None:
    if not defs:
        return None
    plain = [d for d in defs if any(dhi_tag_flavour(t) == "" for t in d.tags)] or list(defs)
    best = max(plain, key=lambda d: (extraction.line_of(d) or (), d.distro_version))
    line = extraction.line_of(best)
    fitting = [t for t in best.tags if dhi_tag_version(t) == line] or list(best.tags)
    with_release = [t for t in fitting if re.search(r"-(?:debian|alpine)\d", t)] or fitting
    return f"{REGISTRY}/{best.image}:{min(with_release, key=len)}"


def counterpart(official_image: str, extraction: Extraction) -> str | None:
    """The DHI image of an official image: :data:`ALIASES`, else the same name; None when the extraction has none."""
    name = ALIASES.get(official_image, (official_image, ""))[0]
    return name if name in extraction.definitions else None


# --------------------------------------------------------------------------- judging one answer

_NON_ROOT = re.compile(r"non-?root|not root")
_ROOT = re.compile(r"(?<!not )(?<!non-)\broot\b")
"""A root user said as such: 'runs as root', not 'not root' or 'non-root'."""
_NO_SHELL = re.compile(r"\bno shell\b|\bwithout (?:a )?shell\b|\bno\W+shell")
_PACKAGE_MANAGER = re.compile(r"package manager")
_NO_LATEST = re.compile(r"\bno\W+latest\b|\bwithout (?:a )?\W?latest\b")
_LOGIN = re.compile(r"docker login dhi\.io")


def split_dhi(reference: str) -> tuple[str, str] | None:
    """``dhi.io/python:3.14-debian13`` -> ("python", "3.14-debian13"); None when not a dhi.io tag reference."""
    ref = reference.strip().split("@", 1)[0]
    if not ref.startswith(f"{REGISTRY}/"):
        return None
    name, sep, tag = ref.removeprefix(f"{REGISTRY}/").rpartition(":")
    return (name, tag) if sep and name else None


@dataclass
class Case:
    """One question about one official image, and its verdicts."""

    image: str
    question: str
    asked: str | None = None
    """The official reference the hardened equivalent is for (the candidate / the reviewed line)."""
    answer: str | None = None
    """The answer's hardened reference."""
    answer_variant: str | None = None
    answer_run_as: str | None = None
    answer_exact: bool | None = None
    expected: str | None = None
    expected_line: str | None = None
    notes: list[str] = field(default_factory=list)
    verdicts: dict[str, bool | None] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    """Criterion -> class of mistake (the failure listing's groups)."""
    top5_expected: int = 0
    top5_named: int = 0
    top5_missing: list[str] = field(default_factory=list)
    """Top-5 candidates of the image itself with a pool in the extraction but no hardened reference."""
    error: str | None = None
    seconds: float = 0.0

    def failed(self) -> list[str]:
        return [c for c in CRITERIA if self.verdicts.get(c) is False]


def judge(case: Case, extraction: Extraction, expected: Expected, notes_text: str) -> None:
    """Fill ``case.verdicts`` and ``case.reasons`` from the extraction (never from hub_mcp)."""
    case.expected = expected.example
    case.expected_line = dotted(extraction.line_of(expected.on_line[0])) if expected.on_line else None
    v = case.verdicts = {c: None for c in CRITERIA}
    if expected.pool:
        v["named"] = case.answer is not None
        if not v["named"]:
            case.reasons["named"] = f"no hardened reference (official tag on {expected.distro})"
    if case.answer is None:
        return
    split = split_dhi(case.answer)
    definition = extraction.by_tag.get(split) if split else None
    v["exists"] = split is not None and split[0] == expected.dhi_image and definition is not None
    if not v["exists"]:
        if split is None:
            case.reasons["exists"] = "not a dhi.io reference"
        elif split[0] != expected.dhi_image:
            case.reasons["exists"] = f"another DHI image than {expected.dhi_image or '(none)'}"
        else:
            case.reasons["exists"] = "tag not in the extraction"
    if definition is None:
        return
    v["variant"] = definition.variant == expected.variant
    if not v["variant"]:
        pool_note = "" if expected.pool else f"; the extraction has no {expected.variant} variant on {expected.family}"
        case.reasons["variant"] = f"{definition.variant} variant for a {STAGE_OF[case.question]} stage{pool_note}"
    v["family"] = definition.family == expected.family
    if not v["family"]:
        case.reasons["family"] = f"{definition.family} tag for an official tag on {expected.distro}"
    if expected.on_line:
        line = extraction.line_of(definition)
        tag_version = dhi_tag_version(split[1]) if split else None
        on = line is not None and expected.version is not None and compatible(line, expected.version)
        coarser = on and line is not None and tag_version is not None and len(tag_version) < len(line)
        v["line"] = on and not coarser
        if coarser:
            case.reasons["line"] = "moving alias coarser than the line"
        elif not on:
            wanted = extraction.line_of(expected.on_line[0]) or ()
            case.reasons["line"] = "older line" if line is not None and line < wanted else "other line"
    missing = _missing_notes(definition, notes_text)
    v["notes"] = not missing
    if missing:
        case.reasons["notes"] = "notes lack: " + ", ".join(missing)


def _missing_notes(definition: DhiDef, text: str) -> list[str]:
    missing: list[str] = []
    if definition.runs_as_root:
        if not _ROOT.search(text):
            missing.append("runs as root")
    elif not (_NON_ROOT.search(text) or f"runs as {definition.run_as.lower()}" in text):
        missing.append("non-root user")
    if definition.variant == "runtime":
        if not _NO_SHELL.search(text):
            missing.append("no shell")
        if not _PACKAGE_MANAGER.search(text):
            missing.append("no package manager")
    if not _NO_LATEST.search(text):
        missing.append("no latest")
    if not _LOGIN.search(text):
        missing.append("docker login dhi.io")
    return missing


# --------------------------------------------------------------------------- asking

FINAL_DOCKERFILE = "FROM {ref}\n"
BUILD_DOCKERFILE = "FROM {ref} AS build\nFROM scratch\nCOPY --from=build / /\n"


@dataclass
class ImageRun:
    image: str
    dhi_image: str
    alias_source: str | None
    deprecated: bool
    cases: list[Case] = field(default_factory=list)

    @property
    def covered(self) -> bool:
        return bool(self.cases) and all(not c.failed() and c.error is None and c.asked for c in self.cases)


def _api() -> tuple[Any, Any, Any, Any]:
    from hub_mcp.advisor.requests import ReviewRequest, SuggestRequest
    from hub_mcp.config.settings import Settings
    from hub_mcp.runtime import Runtime

    return SuggestRequest, ReviewRequest, Runtime, Settings


def _notes_text(answer: Any) -> str:
    return "\n".join(str(n) for n in getattr(answer, "notes", None) or []).lower()


async def ask_all(catalog: Any, extraction: Extraction, images: Sequence[str], deprecated: set[str]) -> list[ImageRun]:
    import httpx

    from benchmarks.advisor import HUB_URL, REGISTRY_URL, TODAY, RefusingRegistry
    from tests.fakes.hub import FakeHub

    suggest_request, review_request, runtime_cls, settings_cls = _api()
    hub = FakeHub(catalog, enforce_rate_limit=False, rate_limit=1_000_000_000)
    hub.latency = 0.0
    registry = RefusingRegistry()

    async def cold(question: Any) -> tuple[Any, float]:
        settings = settings_cls(hub_url=HUB_URL, registry_url=REGISTRY_URL, retry_max_wait=0.0)
        runtime = runtime_cls(
            settings, hub_transport=httpx.ASGITransport(app=hub.app), registry_transport=registry, today=TODAY
        )
        started = time.perf_counter()
        try:
            return await question(await runtime.services()), time.perf_counter() - started
        finally:
            await runtime.aclose()

    runs: list[ImageRun] = []
    for image in images:
        dhi_image = counterpart(image, extraction) or ""
        run = ImageRun(image, dhi_image, ALIASES[image][1] if image in ALIASES else None, image in deprecated)
        runs.append(run)
        tops: dict[str, str] = {}
        for question in ("suggest runtime", "suggest build"):
            case = Case(image, question)
            run.cases.append(case)
            purpose = STAGE_OF[question]
            try:
                request = suggest_request(image=image, platforms=(PLATFORM,), purpose=purpose)
                answer, case.seconds = await cold(lambda s, r=request: s.advisor.suggest(r))
            except Exception as exc:  # noqa: BLE001 - one broken image must not hide the others
                case.error = f"{type(exc).__name__}: {exc}"
                case.notes = [traceback.format_exc(limit=3)]
                continue
            candidates = sorted(answer.candidates or [], key=lambda c: c.rank)
            case.notes = [str(n) for n in answer.notes or []]
            if not candidates:
                continue
            top = candidates[0]
            tops[question] = top.reference
            case.asked = top.reference
            _take_hardened(case, top.hardened)
            expected = expect(extraction, image, top.reference, purpose)
            judge(case, extraction, expected, _notes_text(answer))
            for candidate in candidates[:TOP]:
                repository, _ = split_reference(candidate.reference)
                if repository != image:
                    continue
                if expect(extraction, image, candidate.reference, purpose).pool:
                    case.top5_expected += 1
                    case.top5_named += candidate.hardened is not None
                    if candidate.hardened is None:
                        case.top5_missing.append(candidate.reference)
        reviewed = tops.get("suggest runtime") or tops.get("suggest build")
        for question, template in (("review final", FINAL_DOCKERFILE), ("review build", BUILD_DOCKERFILE)):
            case = Case(image, question)
            run.cases.append(case)
            if reviewed is None:
                continue
            case.asked = reviewed
            dockerfile = template.format(ref=reviewed)
            try:
                request = review_request(dockerfile=dockerfile, platforms=(PLATFORM,))
                answer, case.seconds = await cold(lambda s, r=request: s.review(r))
            except Exception as exc:  # noqa: BLE001
                case.error = f"{type(exc).__name__}: {exc}"
                case.notes = [traceback.format_exc(limit=3)]
                continue
            case.notes = [str(n) for n in answer.notes or []]
            line = answer.from_lines[0] if answer.from_lines else None
            _take_hardened(case, line.hardened if line is not None else None)
            expected = expect(extraction, image, reviewed, STAGE_OF[question])
            judge(case, extraction, expected, _notes_text(answer))
    return runs


def _take_hardened(case: Case, hardened: Any) -> None:
    if hardened is None:
        return
    case.answer = str(hardened.reference)
    case.answer_variant = getattr(hardened, "variant", None)
    case.answer_run_as = getattr(hardened, "run_as", None)
    case.answer_exact = getattr(hardened, "exact", None)


# --------------------------------------------------------------------------- counting


@dataclass
class CriterionCount:
    criterion: str
    question: str
    passed: int
    judged: int


@dataclass
class Failure:
    kind: str
    """``<criterion>: <class of mistake>``, e.g. ``family: debian tag for a alpine official tag``."""
    image: str
    question: str
    asked: str | None
    answer: str | None
    expected: str | None
    detail: str = ""


@dataclass
class HardenedReport:
    data_source: str
    extraction_images: int
    official_images: int
    paired: int
    """Official images with a DHI image (same name or alias)."""
    aliases_used: dict[str, str]
    counts: list[CriterionCount]
    covered: list[str]
    not_covered: list[str]
    failures: list[Failure]
    top5: dict[str, tuple[int, int]]
    """Question -> (top-5 candidates named, top-5 candidates of the image with a pool)."""
    cold_seconds: dict[str, dict[str, float]]
    catalog_build_s: float
    seconds: float
    max_rss_mb: float
    runs: list[ImageRun]

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def errors(self) -> int:
        return sum(c.error is not None for run in self.runs for c in run.cases)


def failures_of(runs: Sequence[ImageRun]) -> list[Failure]:
    out: list[Failure] = []
    for run in runs:
        for case in run.cases:

            def failure(kind: str, expected: str | None, detail: str, case: Case = case) -> Failure:
                return Failure(kind, run.image, case.question, case.asked, case.answer, expected, detail)

            if case.error is not None:
                out.append(failure("error", None, case.error))
            elif case.asked is None:
                why = "deprecated on Hub: " if run.deprecated else ""
                out.append(failure("no official candidate", None, f"{why}the advisor answered none"))
            else:
                for criterion in case.failed():
                    detail = f"expected line {case.expected_line}" if criterion == "line" else ""
                    out.append(failure(f"{criterion}: {case.reasons.get(criterion, '?')}", case.expected, detail))
    order = {c: i for i, c in enumerate(("error", "no official candidate", *CRITERIA))}
    return sorted(out, key=lambda f: (order.get(f.kind.split(":")[0], 99), f.kind, f.image, QUESTIONS.index(f.question)))


def count(runs: Sequence[ImageRun]) -> list[CriterionCount]:
    out: list[CriterionCount] = []
    for criterion in CRITERIA:
        for question in QUESTIONS:
            cases = [c for run in runs for c in run.cases if c.question == question]
            judged = [c for c in cases if c.verdicts.get(criterion) is not None]
            out.append(CriterionCount(criterion, question, sum(bool(c.verdicts[criterion]) for c in judged), len(judged)))
    return out


def paired_images(shared: Path, extraction: Extraction) -> list[str]:
    return [name for name in library_repositories(shared) if counterpart(name, extraction) is not None]


async def measure_hardened(shared: Path | None = None, *, images: Iterable[str] | None = None) -> HardenedReport:
    from benchmarks.advisor_catalog import build_full_catalog

    started = time.perf_counter()
    directory = shared if shared is not None else default_shared_dir()
    extraction = read_extraction(directory / "hardened-images" / "catalog.jsonl.gz")
    catalog = build_full_catalog(directory)
    build_s = time.perf_counter() - started
    official = library_repositories(directory)
    paired = paired_images(directory, extraction)
    wanted = paired if images is None else [name for name in paired if name in set(images)]
    deprecated = {
        r.name for r in catalog.repositories
        if r.namespace == "library" and r.description.upper().startswith("DEPRECATED")
    }  # fmt: skip
    runs = await ask_all(catalog, extraction, wanted, deprecated)
    cold: dict[str, dict[str, float]] = {}
    for question in QUESTIONS:
        seconds = [c.seconds for run in runs for c in run.cases if c.question == question and c.seconds]
        if seconds:
            cold[question] = {"median": statistics.median(seconds), "max": max(seconds), "total": sum(seconds)}
    top5 = {
        q: (sum(c.top5_named for r in runs for c in r.cases if c.question == q),
            sum(c.top5_expected for r in runs for c in r.cases if c.question == q))
        for q in QUESTIONS[:2]
    }  # fmt: skip
    return HardenedReport(
        data_source=str(directory),
        extraction_images=len(extraction.definitions),
        official_images=len(official),
        paired=len(paired),
        aliases_used={k: v[0] for k, v in ALIASES.items() if k in paired},
        counts=count(runs),
        covered=[r.image for r in runs if r.covered],
        not_covered=[r.image for r in runs if not r.covered],
        failures=failures_of(runs),
        top5=top5,
        cold_seconds=cold,
        catalog_build_s=build_s,
        seconds=time.perf_counter() - started,
        max_rss_mb=_max_rss_mb(),
        runs=runs,
    )


# --------------------------------------------------------------------------- formatting


def _ratio(part: int, whole: int) -> str:
    share = f"{part / whole * 100:5.1f}%" if whole else "    -"
    return f"{part:>3}/{whole:<3} {share}"


def _seconds(cold: dict[str, float] | None) -> str:
    return f"{cold['median']:.2f} / {cold['max']:.2f}" if cold else "-"


def format_hardened(report: HardenedReport, *, listing: bool = True) -> str:
    lines = ["Docker Hardened Image equivalents across the official images (benchmarks/hardened_breadth.py)"]
    lines.append(
        f"data: {report.data_source}: {report.official_images} official images, {report.extraction_images} DHI images "
        f"in the extraction; {report.paired} official images have one "
        f"(aliases: {', '.join(f'{k}->{v}' for k, v in report.aliases_used.items()) or '-'}); "
        f"{len(report.runs)} asked"
    )
    header = f"{'':<34}" + "".join(f"{q:>17}" for q in QUESTIONS)
    lines += ["", header, "-" * len(header)]
    by_key = {(c.criterion, c.question): c for c in report.counts}
    for criterion in CRITERIA:
        cells = [by_key[(criterion, q)] for q in QUESTIONS]
        lines.append(f"{criterion + ' (images)':<34}" + "".join(f"{_ratio(c.passed, c.judged):>17}" for c in cells))
    top5 = [report.top5.get(q) for q in QUESTIONS]
    lines.append(f"{'top-5 candidates named':<34}" + "".join(f"{_ratio(*t) if t else '':>17}" for t in top5))
    cold = [report.cold_seconds.get(q) for q in QUESTIONS]
    lines.append(
        f"{'cold s per call (median / max)':<34}"
        + "".join(f"{_seconds(c):>17}" for c in cold)
    )
    lines.append("")
    lines.append(f"covered (every judged criterion passes on all four questions): {len(report.covered)}/{len(report.runs)}")
    lines.append(
        f"errors {report.errors}; total {report.seconds:.1f} s (catalog and extraction read in "
        f"{report.catalog_build_s:.1f} s), max RSS {report.max_rss_mb:.0f} MB"
    )
    if not listing:
        return "\n".join(lines)
    groups: dict[str, list[Failure]] = {}
    for failure in report.failures:
        groups.setdefault(failure.kind, []).append(failure)
    images = len({f.image for f in report.failures})
    lines += ["", f"failing images: {images} (one line per image and question; grouped by class of mistake)"]
    for kind, failures in groups.items():
        lines.append(f"  {kind} ({len({f.image for f in failures})} images, {len(failures)} answers):")
        for f in failures:
            tail = f"; {f.detail}" if f.detail else ""
            lines.append(
                f"    {f.image:<18} {f.question:<16} {f.asked or '-'} -> {f.answer or '(none)'}"
                f"  expected {f.expected or '(none)'}{tail}"
            )
    missing = [(c.question, r.image, m) for r in report.runs for c in r.cases for m in c.top5_missing]
    if missing:
        lines += ["", f"top-5 candidates without a hardened reference though the extraction has one ({len(missing)}):"]
        lines += [f"    {image:<18} {question:<16} {reference}" for question, image, reference in missing]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.hardened_breadth", description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=None, help="../shared/data (default: next to the checkout)")
    parser.add_argument("--json", type=Path, default=None, help="also write the full report as JSON")
    parser.add_argument("--image", action="append", help="only this official image (repeatable)")
    args = parser.parse_args(argv)
    report = asyncio.run(measure_hardened(args.shared, images=args.image))
    print(format_hardened(report))
    if args.json is not None:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(report.as_dict(), indent=2, default=str) + "\n")
    return 1 if report.errors else 0


__all__ = [
    "ALIASES",
    "CRITERIA",
    "QUESTIONS",
    "DhiDef",
    "Expected",
    "Extraction",
    "HardenedReport",
    "counterpart",
    "definition_line",
    "dhi_tag_version",
    "expect",
    "format_hardened",
    "measure_hardened",
    "official_family",
    "official_version",
    "read_extraction",
]

if __name__ == "__main__":
    sys.exit(main())
