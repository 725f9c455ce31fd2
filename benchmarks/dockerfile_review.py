"""review_base_images against real Dockerfiles: outside truth for the reviewer (issue 8, item 3).

The corpus (``benchmarks/dockerfiles/``) holds the ``ARG``, ``FROM`` and ``COPY --from`` lines
of Dockerfiles from well-known public projects, each file headed by its source (repository,
path, commit, URL). Every file is reviewed with the project's services
(``Runtime(...).services().review(ReviewRequest(dockerfile=text))``) against the realistic fake
Docker Hub of :mod:`benchmarks.advisor_catalog` (real official-image tags, SYNTHETIC dates), with
``today`` = :data:`TODAY`. Counted:

* **FROM lines**: reviewed (an image was checked), skipped (``scratch``, an earlier stage), and
  unresolved (``${ARG}`` without a value: the review warns and checks nothing);
* **end of life**: lines with verdict ``fail`` and a finding that says "end of life" ("... reached
  end of life ..." or "... older than the oldest ... line in the table (...): end of life");
* **bad upgrades**: upgrade references that go back to an older version line than the one
  reviewed, or to an interim / non-LTS / development line (ubuntu other than even-year ``.04``,
  odd node majors, java other than 8/11/17/21/25, tags with a dev channel word). Goal: 0. The
  check (:func:`upgrade_problems`) parses references and versions with its own regexes, not with
  ``hub_mcp.vocab.tags``, so it does not share the reviewer's mistakes;
* **other registries** (``ghcr.io``, ``quay.io``, ``mcr.microsoft.com``, ``gcr.io``, ...): the
  registry client gets a transport that refuses every connection (nothing leaves the process),
  so the honest verdict is "unknown"; the benchmark counts the verdicts those lines get.

Standalone: ``python -m benchmarks.dockerfile_review [--shared PATH] [--fallback] [--json PATH]``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import re
import sys
import time
from collections import Counter
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from benchmarks.advisor_catalog import build_catalog, default_shared_dir  # noqa: E402
from tests.fakes.catalog import Catalog, default_catalog  # noqa: E402
from tests.fakes.hub import FakeHub  # noqa: E402

TODAY = date(2026, 11, 26)
"""The reviewer's "today", as in the advisor benchmark (six days after the catalog's now)."""

CORPUS = Path(__file__).with_name("dockerfiles")
HUB_URL = "https://hub.docker.com"
REGISTRY_URL = "https://registry.benchmark.invalid"
HUB_HOSTS = {"docker.io", "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"}
SOURCE_HEADER = re.compile(r"^# source: (\S+) (\S+)$", re.MULTILINE)
EOL_FINDING = re.compile(r"reached end of life|\): end of life", re.IGNORECASE)
_MISSING_REPOSITORY = re.compile(r"does not exist on Docker Hub")
_MISSING_TAG = re.compile(r"\S does not exist( \(|$)")


# --------------------------------------------------------------------------- independent checks
#
# Deliberately small and separate from hub_mcp.vocab.tags / hub_mcp.vocab.lifecycle: a reference is split
# into host, repository and tag; a tag's version is its leading dotted number (or a distro
# codename); the family groups repositories that share version numbers (openjdk / temurin ...).

_REF = re.compile(r"^(?:(?P<host>[^/]+\.[^/]+|[^/]+:\d+|localhost)/)?(?P<path>[^:@]+)(?::(?P<tag>[^@]+))?(?:@.+)?$")
_VERSION = re.compile(r"^v?(\d+(?:\.\d+)*)")
_DEV_CHANNEL = re.compile(
    r"(?:^|[-._])(?:devel|dev|rc\d*|edge|testing|unstable|nightly|sid|rawhide|alpha\d*|beta\d*)(?=$|[-._])"
    r"|\d(?:a|b|rc)\d+(?=$|[-._])",  # python pre-releases: 3.14.0rc1, 3.15.0a2
    re.IGNORECASE,
)
_CODENAMES = {
    "debian": {"jessie": 8, "stretch": 9, "buster": 10, "bullseye": 11, "bookworm": 12, "trixie": 13, "forky": 14},
    "ubuntu": {
        "xenial": (16, 4), "bionic": (18, 4), "focal": (20, 4), "jammy": (22, 4), "kinetic": (22, 10),
        "lunar": (23, 4), "mantic": (23, 10), "noble": (24, 4), "oracular": (24, 10), "plucky": (25, 4),
        "questing": (25, 10), "resolute": (26, 4),
    },
}
_FAMILIES = {
    "java": {"java", "openjdk", "eclipse-temurin", "amazoncorretto", "ibm-semeru-runtimes", "sapmachine", "ibmjava",
             "adoptopenjdk", "adoptopenjdk/openjdk8", "adoptopenjdk/openjdk11", "azul/zulu-openjdk"},
    "go": {"golang"},
    "node": {"node"},
    "python": {"python", "pypy"},
}
JAVA_LTS = {8, 11, 17, 21, 25}


@dataclass(frozen=True)
class Ref:
    host: str
    repository: str  # "python", "grafana/grafana" (no "library/")
    tag: str | None

    @property
    def on_hub(self) -> bool:
        return self.host in HUB_HOSTS


def split_reference(reference: str) -> Ref | None:
    """``ghcr.io/a/b:1@sha256:..`` -> Ref("ghcr.io", "a/b", "1"); None when it does not look like one."""
    match = _REF.match(reference.strip())
    if not match:
        return None
    host = (match.group("host") or "docker.io").lower()
    path = match.group("path")
    if host in HUB_HOSTS and path.startswith("library/"):
        path = path[len("library/") :]
    return Ref(host, path, match.group("tag"))


def family(repository: str) -> str:
    for name, members in _FAMILIES.items():
        if repository in members or repository.split("/")[-1] in members:
            return name
    if repository.startswith("adoptopenjdk/"):
        return "java"
    return repository


def version_of(ref: Ref) -> tuple[int, ...] | None:
    """Leading dotted number of the tag; for debian/ubuntu also a codename anywhere in it."""
    if not ref.tag:
        return None
    fam = family(ref.repository)
    if fam in _CODENAMES:
        for word in re.split(r"[-._]", ref.tag.lower()):
            if word in _CODENAMES[fam]:
                found = _CODENAMES[fam][word]
                return found if isinstance(found, tuple) else (found,)
    if fam == "java":  # adoptopenjdk/openjdk11:alpine-jre -> 11
        match = re.search(r"openjdk(\d+)$", ref.repository)
        if match and not _VERSION.match(ref.tag):
            return (int(match.group(1)),)
    match = _VERSION.match(ref.tag)
    return tuple(int(p) for p in match.group(1).split(".")) if match else None


def line_problems(ref: Ref) -> list[str]:
    """Why this reference's line is not a production line (interim, non-LTS, development)."""
    problems = []
    if ref.tag and _DEV_CHANNEL.search(ref.tag):
        problems.append(f"development channel tag {ref.tag!r}")
    version = version_of(ref)
    fam = family(ref.repository)
    if version:
        if fam == "ubuntu" and len(version) >= 2 and (version[1] != 4 or version[0] % 2):
            problems.append(f"ubuntu {version[0]}.{version[1]:02d} is an interim release")
        if fam == "node" and version[0] % 2:
            problems.append(f"node {version[0]} is an odd (never LTS) major")
        if fam == "java" and version[0] >= 9 and version[0] not in JAVA_LTS:
            problems.append(f"java {version[0]} is not an LTS line")
    return problems


def upgrade_problems(reviewed: str, upgrade: str) -> list[str]:
    """Problems of one suggested upgrade for the reviewed reference: older line, interim/dev line."""
    old, new = split_reference(reviewed), split_reference(upgrade)
    if new is None:
        return [f"not a reference: {upgrade!r}"]
    problems = line_problems(new)
    if old is not None and family(old.repository) == family(new.repository):
        before, after = version_of(old), version_of(new)
        if before and after:
            n = min(len(before), len(after), 2)  # the line: major.minor at most
            if after[:n] < before[:n]:
                fam = family(new.repository)
                problems.append(f"goes back from {_line_text(fam, before[:n])} to {_line_text(fam, after[:n])}")
    return problems


# End-of-life dates from the projects' own lifecycle pages (endoflife.date), written down here
# independently of hub_mcp.vocab.lifecycle: what a reviewer who knows the calendar would say. Standard
# support only (no paid extended support: ubuntu ESM). golang / alpine follow their fixed cadence
# (approximate to the month); other lines are absent, so they are never counted.
_EOL_DATES = {
    "python": {(2, 7): "2020-01-01", (3, 5): "2020-09-30", (3, 6): "2021-12-23", (3, 7): "2023-06-27",
               (3, 8): "2024-10-07", (3, 9): "2025-10-31", (3, 10): "2026-10-31", (3, 11): "2027-10-31"},
    "node": {(10,): "2021-04-30", (12,): "2022-04-30", (14,): "2023-04-30", (16,): "2023-09-11",
             (18,): "2025-04-30", (20,): "2026-04-30", (22,): "2027-04-30"},
    "ubuntu": {(12, 4): "2017-04-28", (14, 4): "2019-04-25", (16, 4): "2021-04-30", (18, 4): "2023-05-31",
               (20, 4): "2025-05-29", (22, 4): "2027-06-01"},
    "debian": {(8,): "2020-06-30", (9,): "2022-06-30", (10,): "2024-06-30", (11,): "2026-08-31", (12,): "2028-06-30"},
    "ruby": {(2, 1): "2017-03-31", (2, 7): "2023-03-31", (3, 0): "2024-04-23", (3, 1): "2025-03-26",
             (3, 2): "2026-03-31"},
}


def _eol_date(fam: str, version: tuple[int, ...]) -> str | None:
    if fam == "go" and len(version) >= 2 and version[0] == 1:
        n = version[1] + 2  # 1.N is supported until 1.(N+2) ships: 1.20 Feb 2023, 1.21 Aug 2023, ...
        return f"{2023 + (n - 20) // 2}-{'02' if n % 2 == 0 else '08'}-15"
    if fam == "alpine" and len(version) >= 2 and version[0] == 3:
        n = version[1]  # two years each: 3.20 May 2026, 3.21 Nov 2026, ...
        return f"{2021 + (n - 10) // 2}-{'05' if n % 2 == 0 else '11'}-01"
    table = _EOL_DATES.get(fam, {})
    if fam == "ruby" and len(version) >= 2 and version[0] == 2:
        return table.get(version[:2], "2023-03-31")  # every ruby 2.x line ended by 2.7's end
    for key, when in table.items():
        if version[: len(key)] == key:
            return when
    return None


def _line_text(fam: str, version: tuple[int, ...]) -> str:
    if fam == "ubuntu" and len(version) >= 2:
        return f"{version[0]}.{version[1]:02d}"
    if fam in ("node", "debian"):
        return str(version[0])
    return ".".join(map(str, version[:2]))


def outside_eol(reference: str, today: date) -> list[str]:
    """Why ``reference`` is past end of life on ``today`` by the dates above (its runtime or its debian)."""
    ref = split_reference(reference)
    if ref is None or not ref.tag:
        return []
    out = []
    fam = family(ref.repository)
    version = version_of(ref)
    when = _eol_date(fam, version) if version else None
    if when and date.fromisoformat(when) < today:
        out.append(f"{fam} {_line_text(fam, version or ())} ended {when}")
    if fam != "debian":
        for word in re.split(r"[-._]", ref.tag.lower()):
            major = _CODENAMES["debian"].get(word)
            ended = _EOL_DATES["debian"].get((major,)) if major else None
            if ended and date.fromisoformat(ended) < today:
                out.append(f"debian {word} ended {ended}")
    return out


_UPGRADE_REF = re.compile(r"(?:^|; bigger step: )(\S+) \(")


def upgrade_references(upgrade: str | None) -> list[str]:
    """The references in a review line's ``upgrade`` text ("ref (why); bigger step: ref (why)")."""
    return _UPGRADE_REF.findall(upgrade or "")


# --------------------------------------------------------------------------- results


@dataclass
class LineResult:
    file: str
    line: int
    original: str
    resolved: str | None
    verdict: str
    kind: str  # "hub" | "other-registry" | "skipped" | "unresolved" | "invalid"
    host: str | None
    eol: bool
    findings: list[str]
    upgrade: str | None
    upgrade_problems: list[str] = field(default_factory=list)
    outside_eol: list[str] = field(default_factory=list)
    """Past end of life by the benchmark's own dates (:func:`outside_eol`)."""
    upgrade_to_eol: list[str] = field(default_factory=list)
    """Upgrade references whose line is itself past end of life (by the same dates)."""


@dataclass
class FileResult:
    file: str
    source: str
    from_lines: int
    reviewed: int
    notes: list[str]
    error: str | None = None


@dataclass
class DockerfileReport:
    data_source: str
    fallback: bool
    today: str
    corpus_files: int
    files: list[FileResult]
    lines: list[LineResult]
    registry_requests: int
    registry_hosts: dict[str, int]
    seconds: float
    catalog_build_s: float
    notes: list[str]

    def count(self, **where: Any) -> int:
        return sum(1 for line in self.lines if all(getattr(line, k) == v for k, v in where.items()))

    @property
    def totals(self) -> dict[str, Any]:
        images = [line for line in self.lines if line.kind in ("hub", "other-registry", "invalid")]
        upgrades = [line for line in self.lines if line.upgrade]
        bad = [line for line in self.lines if line.upgrade_problems]
        other = [line for line in self.lines if line.kind == "other-registry"]
        hub = [line for line in self.lines if line.kind == "hub"]
        return {
            "files": len(self.files),
            "from_lines": sum(f.from_lines for f in self.files),
            "reviewed_lines": len(self.lines),
            "image_lines": len(images),
            "hub_lines": self.count(kind="hub"),
            "other_registry_lines": len(other),
            "skipped_lines": self.count(kind="skipped"),
            "unresolved_lines": self.count(kind="unresolved"),
            "verdicts": dict(Counter(line.verdict for line in self.lines)),
            "eol_lines": sum(1 for line in self.lines if line.eol),
            "lines_with_upgrade": len(upgrades),
            "upgrade_references": sum(len(upgrade_references(line.upgrade)) for line in upgrades),
            "bad_upgrades": sum(len(line.upgrade_problems) for line in bad),
            "lines_with_bad_upgrade": len(bad),
            "other_registry_verdicts": dict(Counter(line.verdict for line in other)),
            "eol_outside": sum(1 for line in self.lines if line.outside_eol),
            "eol_missed": sum(1 for line in self.lines if line.outside_eol and not line.eol),
            "eol_not_in_table": sum(1 for line in self.lines if line.eol and not line.outside_eol),
            "upgrades_to_eol": sum(len(line.upgrade_to_eol) for line in self.lines),
            "missing_repository": sum(1 for line in hub if any(_MISSING_REPOSITORY.search(f) for f in line.findings)),
            "missing_tag": sum(1 for line in hub if any(_MISSING_TAG.search(f) for f in line.findings)),
            "errors": sum(1 for f in self.files if f.error),
        }

    def as_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["totals"] = self.totals
        return out


# --------------------------------------------------------------------------- running


class RefusingTransport(httpx.MockTransport):
    """Every registry connection is refused (no network); counts the hosts it was asked for."""

    def __init__(self) -> None:
        self.hosts: Counter[str] = Counter()
        super().__init__(self._refuse)

    def _refuse(self, request: httpx.Request) -> httpx.Response:
        self.hosts[request.url.host] += 1
        raise httpx.ConnectError("benchmark: registries are not reachable", request=request)


def load_corpus(directory: Path = CORPUS) -> list[tuple[str, str]]:
    return [(path.name, path.read_text()) for path in sorted(directory.glob("*.Dockerfile"))]


def source_of(text: str) -> str | None:
    match = SOURCE_HEADER.search(text)
    return f"{match.group(1)} {match.group(2)}" if match else None


def with_shared_findings(reviews: list[Any]) -> list[Any]:
    """Each line with its findings: a line ``same_as`` an earlier one takes that line's findings, platforms,
    refresh and upgrade (the answer says them once)."""
    by_line = {r.line: r for r in reviews if r.same_as is None}
    shared = ("findings", "platforms", "refresh", "upgrade")
    return [
        r if r.same_as is None else r.model_copy(update={k: getattr(by_line[r.same_as], k) for k in shared})
        for r in reviews
    ]


def _classify(name: str, review_line: Any) -> LineResult:
    verdict = review_line.verdict
    findings = list(review_line.findings or [])
    resolved = review_line.resolved
    host = None
    if verdict == "skipped":
        kind = "skipped"
    elif resolved is None:
        kind = "unresolved"
    else:
        ref = split_reference(resolved)
        host = ref.host if ref else None
        kind = "invalid" if ref is None else "hub" if ref.on_hub else "other-registry"
    eol = verdict == "fail" and any(EOL_FINDING.search(f) for f in findings)
    result = LineResult(
        name, review_line.line, review_line.original, resolved, verdict, kind, host, eol, findings, review_line.upgrade
    )
    if resolved:
        result.outside_eol = outside_eol(resolved, TODAY)
        for reference in upgrade_references(review_line.upgrade):
            found = upgrade_problems(resolved, reference)
            result.upgrade_problems += [f"{resolved} -> {reference}: {p}" for p in found]
            result.upgrade_to_eol += [f"{resolved} -> {reference}: {p}" for p in outside_eol(reference, TODAY)]
    return result


def _load_catalog(shared: Path | None, force_fallback: bool) -> tuple[Catalog, str, bool, float]:
    started = time.perf_counter()
    directory = shared if shared is not None else default_shared_dir()
    if force_fallback:
        return default_catalog(), "fallback: tests.fakes.catalog.default_catalog() (forced)", True, 0.0
    try:
        return build_catalog(directory), str(directory), False, time.perf_counter() - started
    except FileNotFoundError as exc:
        source = f"fallback: tests.fakes.catalog.default_catalog() ({directory} unusable: {exc})"
        return default_catalog(), source, True, time.perf_counter() - started


async def measure_dockerfiles(
    shared: Path | None = None, *, corpus: Path = CORPUS, force_fallback: bool = False
) -> DockerfileReport:
    """Review every corpus Dockerfile; ``shared`` is ``../shared/data`` (None: beside the checkout)."""
    from hub_mcp.advisor.requests import ReviewRequest
    from hub_mcp.config.settings import Settings
    from hub_mcp.runtime import Runtime

    started = time.perf_counter()
    catalog, source, fallback, build_s = _load_catalog(shared, force_fallback)
    hub = FakeHub(catalog, enforce_rate_limit=False, rate_limit=1_000_000_000)  # type: ignore[arg-type]
    registry = RefusingTransport()
    runtime = Runtime(
        Settings(hub_url=HUB_URL, registry_url=REGISTRY_URL, retry_max_wait=0.0),
        hub_transport=httpx.ASGITransport(app=hub.app),
        registry_transport=registry,
        today=TODAY,
    )
    files: list[FileResult] = []
    lines: list[LineResult] = []
    documents = load_corpus(corpus)
    try:
        services = await runtime.services()
        for name, text in documents:
            from_lines = sum(1 for ln in text.splitlines() if re.match(r"\s*FROM\s", ln, re.IGNORECASE))
            result = FileResult(name, source_of(text) or "?", from_lines, 0, [])
            try:
                review = await services.review(ReviewRequest(dockerfile=text))
                result.reviewed = len(review.from_lines)
                result.notes = list(review.notes or [])
                lines += [_classify(name, r) for r in with_shared_findings(review.from_lines)]
            except Exception as exc:  # one broken file must not hide the others
                result.error = f"{type(exc).__name__}: {exc}"
            files.append(result)
    finally:
        await runtime.aclose()
    notes = [
        f"today {TODAY}; hub: the benchmark catalog (real official-image tags, SYNTHETIC push dates) "
        "served by tests.fakes.hub.FakeHub in process; other registries: every connection refused.",
        "EOL = verdict fail with a '... reached end of life ...' or '...older than the oldest line...: end of life' finding; bad upgrade = an upgrade reference "
        "that goes to an older line or to an interim/non-LTS/development line (benchmark's own regexes).",
    ]
    if fallback:
        notes.insert(0, "FALLBACK: ../shared/data was not used; the small default fake catalog lacks most "
                        "corpus images, so most lines fail as missing: numbers are not comparable with the full run.")
    truncated = [f for f in files if f.from_lines > f.reviewed and not f.error]
    if truncated:
        notes.append("the review reads at most 20 FROM lines: " + ", ".join(
            f"{f.file} {f.reviewed} of {f.from_lines}" for f in truncated))
    return DockerfileReport(
        data_source=source,
        fallback=fallback,
        today=TODAY.isoformat(),
        corpus_files=len(documents),
        files=files,
        lines=lines,
        registry_requests=sum(registry.hosts.values()),
        registry_hosts=dict(registry.hosts),
        seconds=round(time.perf_counter() - started, 2),
        catalog_build_s=round(build_s, 2),
        notes=notes,
    )


# --------------------------------------------------------------------------- formatting


def format_dockerfiles(report: DockerfileReport) -> str:
    t = report.totals
    out = [
        f"Real Dockerfiles reviewed ({t['files']} files from public projects; data: {report.data_source})",
        "",
        f"{'file':<58} {'FROM':>4} {'img':>4} {'skip':>4} {'unres':>5} {'fail':>4} {'warn':>4} {'ok':>3} "
        f"{'EOL':>3} {'other':>5}",
    ]
    for f in report.files:
        mine = [line for line in report.lines if line.file == f.file]
        images = [line for line in mine if line.kind in ("hub", "other-registry", "invalid")]

        def n(pred: Any, _mine: list[LineResult] = mine) -> int:
            return sum(1 for line in _mine if pred(line))

        name = f.file.removesuffix(".Dockerfile")
        name = name if len(name) <= 58 else name[:55] + "..."
        if f.error:
            out.append(f"{name:<58} ERROR {f.error}")
            continue
        out.append(
            f"{name:<58} {f.from_lines:>4} {len(images):>4} {n(lambda x: x.kind == 'skipped'):>4} "
            f"{n(lambda x: x.kind == 'unresolved'):>5} {n(lambda x: x.verdict == 'fail'):>4} "
            f"{n(lambda x: x.verdict == 'warn'):>4} {n(lambda x: x.verdict == 'ok'):>3} {n(lambda x: x.eol):>3} "
            f"{n(lambda x: x.kind == 'other-registry'):>5}"
        )
    verdicts = ", ".join(f"{v} {n}" for v, n in sorted(t["verdicts"].items()))
    out += [
        "",
        f"FROM lines {t['from_lines']}, reviewed {t['reviewed_lines']}: image lines {t['image_lines']} "
        f"(Docker Hub {t['hub_lines']}, other registries {t['other_registry_lines']}), skipped {t['skipped_lines']} "
        f"(scratch / earlier stage), unresolved ${{ARG}} {t['unresolved_lines']}; verdicts: {verdicts}",
        f"End of life found: {t['eol_lines']} lines (verdict fail with an end-of-life finding); past end of life by "
        f"the benchmark's own dates: {t['eol_outside']}, of which not found: {t['eol_missed']}; found but not in "
        f"those dates: {t['eol_not_in_table']}",
        f"Upgrades: {t['lines_with_upgrade']} lines with an upgrade, {t['upgrade_references']} references; "
        f"backwards / interim / non-LTS / development: {t['bad_upgrades']}  "
        f"{'PASS' if t['bad_upgrades'] == 0 else 'FAIL'} (goal 0)",
    ]
    for line in [x for x in report.lines if x.upgrade_problems][:10]:
        for problem in line.upgrade_problems:
            out.append(f"  {line.file}:{line.line}  {problem}")
    missed = [x for x in report.lines if x.outside_eol and not x.eol]
    for line in missed[:12]:
        why = line.findings[0] if line.findings else ""
        out.append(f"  missed: {line.resolved} ({'; '.join(line.outside_eol)}): {line.verdict}: {why[:90]}")
    out.append(f"Upgrades to a line itself past end of life (same dates): {t['upgrades_to_eol']}")
    for line in [x for x in report.lines if x.upgrade_to_eol][:6]:
        out += [f"  {line.file}:{line.line}  {p}" for p in line.upgrade_to_eol]
    out.append(
        f"Lines failing because the fake catalog lacks them: repository {t['missing_repository']}, "
        f"tag {t['missing_tag']} "
        "(the catalog holds the official images and a few synthetic ones, with the tags of 2026-08)"
    )
    other = t["other_registry_verdicts"]
    out.append(
        f"Unreachable registries ({t['other_registry_lines']} lines; {report.registry_requests} refused connections, "
        f"hosts {', '.join(sorted(report.registry_hosts)) or '-'}): unknown {other.get('unknown', 0)}, "
        f"fail {other.get('fail', 0)}, warn {other.get('warn', 0)}, ok {other.get('ok', 0)}"
        + ("  (an unreachable registry should give 'unknown', not a verdict)" if other.get("fail") else "")
    )
    for line in [x for x in report.lines if x.kind == "other-registry"][:3]:
        out.append(f"  e.g. {line.resolved}: {line.verdict}: {line.findings[0] if line.findings else ''}")
    eol_examples = [x for x in report.lines if x.eol]
    if eol_examples:
        out.append("End-of-life examples:")
        for line in eol_examples[:6]:
            finding = next(f for f in line.findings if EOL_FINDING.search(f))
            up = f" -> {upgrade_references(line.upgrade)[0]}" if upgrade_references(line.upgrade) else " (no upgrade)"
            out.append(f"  {line.resolved}: {finding}{up}")
    out += [f"Note: {note}" for note in report.notes]
    out.append(f"{report.seconds:.1f} s (catalog built in {report.catalog_build_s:.1f} s)")
    return "\n".join(out)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.dockerfile_review", description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, help="the shared data directory (default ../shared/data)")
    parser.add_argument("--fallback", action="store_true", help="use the small default fake catalog")
    parser.add_argument("--json", type=Path, help="write every number to this JSON file")
    args = parser.parse_args(argv)
    report = asyncio.run(measure_dockerfiles(args.shared, force_fallback=args.fallback))
    print(format_dockerfiles(report))
    if args.json:
        args.json.write_text(json.dumps(report.as_dict(), indent=2) + "\n")
    return 1 if report.totals["errors"] else 0


if __name__ == "__main__":
    sys.exit(main())
