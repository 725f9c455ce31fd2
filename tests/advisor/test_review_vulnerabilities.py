"""review_base_images with vulnerabilities=true (hub_mcp.advisor.line_vulnerabilities), on the review itself.

The tags come from a stub (as in test_review.py); the images from a real docker-registry holding BuildKit-attested
images whose SBOMs are the frozen Debian 12 system of tests/fakes/sboms.py at other versions of a few source
packages; the vulnerabilities from the fake OSV. ``python:3.12-slim`` was first pushed as an *old* build (curl and
glibc before their fixes) and then moved to a *new* one (the frozen versions, past every fix); the upgrade
``python:3.14-slim`` fixes curl but ships an openssl before its fix. Every expected number is computed from the
fake's records and the SBOM rows (versions ordered by :func:`dpkg_compare`, tested in tests/vulnerabilities), never
typed in.
"""

from __future__ import annotations

import asyncio

import dataclasses
from collections.abc import AsyncIterator, Iterator, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any
from urllib.parse import unquote

import pytest

from hub_mcp.hardened.service import HardenedImages
from hub_mcp.advisor import line_vulnerabilities
from hub_mcp.advisor.line_vulnerabilities import delta
from hub_mcp.advisor.requests import ReviewRequest
from hub_mcp.advisor.review import Reviewer
from hub_mcp.answers.views import Candidate, PlatformImage, RepositoryInfo, Review, Suggestion, TagInfo
from hub_mcp.attestations.service import Facts, ImageFactsService
from hub_mcp.errors import NotFound
from hub_mcp.net.http import HttpClient
from hub_mcp.registry.client import RegistryClient
from hub_mcp.vulnerabilities.osv import OsvClient
from hub_mcp.vulnerabilities.report import Finding, VulnerabilityReport
from hub_mcp.vulnerabilities.versions import dpkg_compare
from tests.fakes import images, sboms
from tests.fakes.attestations import SLSA_V02, SPDX, attested_index, buildkit_attestation, push_attested_index
from tests.fakes.osv import FakeOsv
from tests.fakes.registry import running_registry

TODAY = date(2026, 11, 26)
OSV = "https://api.osv.dev"
#: The old build: curl before CVE-2023-38545's fix (deb12u4), glibc before CVE-2023-4911's (deb12u3).
OLD = {"curl": "7.88.1-10+deb12u3", "glibc": "2.36-9+deb12u2"}
#: The new build of the same tag: the frozen versions.
NEW: dict[str, str] = {}
#: The upgrade: curl fixed, glibc as old, openssl before CVE-2023-5363's fix (3.0.11-1~deb12u2).
UPGRADE = {"curl": "7.88.1-10+deb12u14", "glibc": "2.36-9+deb12u2", "openssl": "3.0.11-1~deb12u1"}
UPGRADE_TAG = "3.14-slim"


def _attested(versions: Mapping[str, str], build: str, *, provenance: bool = False) -> images.BuiltIndex:
    """A one-platform index whose attestation holds the SBOM of ``versions`` (and SLSA v0.2 provenance)."""
    image = images.make_image(architecture="amd64", labels={"build": build})
    statements = [(SPDX, sboms.statement(SPDX, sboms.debian_sbom(versions=versions), image.manifest.digest))]
    if provenance:
        statements.append((SLSA_V02, sboms.statement(SLSA_V02, sboms.provenance_v02(), image.manifest.digest)))
    return attested_index([image], [buildkit_attestation(image, statements)])


def pulled() -> list[str]:
    """The base images of :func:`sboms.provenance_v02`'s materials as ``name:tag@digest`` (the frontend left out)."""
    out = []
    for material in sboms.provenance_v02()["materials"]:
        uri = material["uri"]
        if uri.startswith("pkg:docker/") and "docker/dockerfile" not in uri:
            name, _, tag = unquote(uri.removeprefix("pkg:docker/").split("?", 1)[0]).partition("@")
            out.append(f"{name}:{tag}@sha256:{material['digest']['sha256']}")
    return out


@dataclass(frozen=True)
class Pushed:
    url: str
    old: images.BuiltIndex
    new: images.BuiltIndex
    upgrade: images.BuiltIndex


@pytest.fixture(scope="module")
def pushed(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Pushed]:
    old, new, upgrade = _attested(OLD, "old", provenance=True), _attested(NEW, "new"), _attested(UPGRADE, "upgrade")
    with running_registry(tmp_path_factory.mktemp("review-vulns")) as running, running.client() as client:
        push_attested_index(client, "library/python", "3.12-slim", old)
        push_attested_index(client, "library/python", "3.12-slim", new)  # the tag moves on; the old stays by digest
        push_attested_index(client, "library/python", UPGRADE_TAG, upgrade)
        images.push_image(client, "library/debian", "12-slim", images.make_image(labels={"sbom": "none"}))
        yield Pushed(running.url, old, new, upgrade)


# --- what the fake's records say each build has ------------------------------------------------------------


def _groups(records: Mapping[str, dict[str, Any]]) -> dict[str, frozenset[str]]:
    """Record id -> every name of the vulnerability it is part of (records that share an id, alias or upstream)."""
    names = {vid: {r["id"], *r.get("aliases", []), *r.get("upstream", [])} for vid, r in records.items()}
    joined = {vid: set(own) for vid, own in names.items()}
    changed = True
    while changed:
        changed = False
        for vid in joined:
            for other, theirs in names.items():
                if joined[vid] & theirs and not theirs <= joined[vid]:
                    joined[vid] |= theirs | joined[other]
                    changed = True
    return {vid: frozenset(group) for vid, group in joined.items()}


def expected(osv: FakeOsv, versions: Mapping[str, str]) -> set[tuple[str, frozenset[str]]]:
    """(package, vulnerability) pairs of a build: a Debian 12 record naming the package's source, not withdrawn,
    with no fixed version or one above the installed version."""
    live = {vid: r for vid, r in osv.records.items() if not r.get("withdrawn")}
    groups = _groups(live)
    out: set[tuple[str, frozenset[str]]] = set()
    for row in sboms.debian_source_versions(versions):
        for vid, record in live.items():
            for entry in record["affected"]:
                package = entry["package"]
                if (package["name"], package["ecosystem"]) != (row.source or row.name, "Debian:12"):
                    continue
                fixed = [e["fixed"] for r in entry.get("ranges", []) for e in r["events"] if "fixed" in e]
                compared = [dpkg_compare(row.version, f) for f in fixed]
                if not fixed or any(c is not None and c < 0 for c in compared):
                    out.add((row.name, groups[vid]))
    return out


def keys(findings: list[Finding], osv: FakeOsv) -> set[tuple[str, frozenset[str]]]:
    groups = _groups(osv.records)
    return {(f.package, groups[f.id]) for f in findings}


# --- the review, with tags from a stub and images from the registry -------------------------------------------


class Sources:
    """get_tag from a table (python:3.12-slim points at the new build), images from the real registry."""

    def __init__(self, facts: ImageFactsService, new_digest: str) -> None:
        self.facts = facts
        self.new_digest = new_digest
        self.assessed: list[tuple[str, str]] = []

    async def get_tag(self, repository: str, tag: str, *, hardened: bool = True) -> TagInfo:
        tag, _, digest = tag.partition("@")
        if (repository, tag) not in {("python", "3.12-slim"), ("python", UPGRADE_TAG), ("debian", "12-slim")}:
            return TagInfo(repository=repository, tag=tag, exists=False, message="does not exist")
        now = self.new_digest if tag == "3.12-slim" else "sha256:" + "0" * 64
        return TagInfo(
            repository=repository,
            tag=tag,
            exists=True,
            digest=now,
            last_pushed="2026-11-20",
            platforms=[PlatformImage(platform="linux/amd64")],
            digest_matches=digest == now if digest else None,
            message="exists",
        )

    async def get_repository(self, repository: str) -> RepositoryInfo:
        raise NotFound(f"{repository} is not in this table")

    async def built_from(self, reference: str, platform: str, *, index_only: bool = True) -> list[str] | None:
        return await self.facts.built_from(reference, platform, index_only=index_only)

    async def vulnerability_report(self, reference: str, platform: str) -> tuple[Facts, VulnerabilityReport | None]:
        self.assessed.append((reference, platform))
        return await self.facts.vulnerability_report(reference, platform)


class UpgradeAdvisor:
    """Proposes python:3.14-slim for whatever it is asked."""

    assess_within = 30.0  # seconds the vulnerability assessment may take (the real Advisor's attribute)
    hardened = HardenedImages(today=lambda: TODAY)  # the bundled table only

    async def suggest(self, request: object) -> Suggestion:
        candidate = Candidate(
            rank=1,
            reference=f"python:{UPGRADE_TAG}",
            repository="python",
            version="3.14.1",
            trust="official",
            platforms=["linux/amd64"],
            support_ends="2030-10-31",
            score=9.0,
            benefits=[],
        )
        return Suggestion(request="", candidates=[candidate], message="python:3.14-slim")


@pytest.fixture
def osv() -> FakeOsv:
    return FakeOsv()


@pytest.fixture
async def sources(pushed: Pushed, osv: FakeOsv) -> AsyncIterator[Sources]:
    async with HttpClient(max_retries=1, retry_max_wait=1) as http, HttpClient(transport=osv.transport()) as osv_http:
        facts = ImageFactsService(RegistryClient(http, docker_hub_url=pushed.url), OsvClient(osv_http, OSV))
        yield Sources(facts, pushed.new.manifest.digest)


Updates = list[tuple[float, float, str]]


async def review(sources: Sources, updates: Updates | None = None, **asked: Any) -> Review:
    async def progress(done: float, total: float, message: str) -> None:
        (updates if updates is not None else []).append((done, total, message))

    reviewer = Reviewer(sources, UpgradeAdvisor(), TODAY)  # type: ignore[arg-type]
    return await reviewer.review(ReviewRequest(**asked), progress)


async def test_a_pinned_line_compares_its_digest_the_refresh_and_the_upgrade(
    sources: Sources, pushed: Pushed, osv: FakeOsv
) -> None:
    pinned = f"python:3.12-slim@{pushed.old.manifest.digest}"
    updates: Updates = []
    answer = await review(
        sources, updates, dockerfile=f"FROM {pinned} AS one\nFROM {pinned} AS two\nFROM scratch\n", vulnerabilities=True
    )
    first, second, _ = answer.from_lines
    assert second.same_as == 1 and second.vulnerabilities is None  # said once, like the findings
    vulns = first.vulnerabilities
    assert vulns is not None and vulns.platform == "linux/amd64"
    old, new, up = expected(osv, OLD), expected(osv, NEW), expected(osv, UPGRADE)
    assert old - new and up - old and old - up  # the builds differ both ways: the test means something

    current, refresh, upgrade = vulns.current, vulns.refresh, vulns.upgrade
    assert current.reference == f"python@{pushed.old.manifest.digest}"
    assert vulns.built_from == pulled() and any(b.startswith("debian:12-slim@sha256:") for b in pulled())
    assert current.digest == pushed.old.images[0].manifest.digest
    assert current.total == len(old) and current.unknown is None and current.removes is None
    assert refresh is not None and refresh.reference == "python:3.12-slim"
    assert refresh.digest == pushed.new.images[0].manifest.digest
    assert (refresh.total, refresh.removes, refresh.adds) == (len(new), len(old - new), len(new - old))
    assert upgrade is not None and upgrade.reference == f"python:{UPGRADE_TAG}"
    assert upgrade.digest == pushed.upgrade.images[0].manifest.digest
    assert (upgrade.total, upgrade.removes, upgrade.adds) == (len(up), len(old - up), len(up - old))
    assert f"the refresh removes {len(old - new)}" in vulns.summary
    assert f"the upgrade python:{UPGRADE_TAG} removes {len(old - up)}" in vulns.summary
    assert f"adds {len(up - old)}" in vulns.summary
    counted = current.counts or {}
    assert sum(counted.values()) == len(old) and all(counted.values())  # only the severities it has

    # the comparison is finding by finding: the very (package, vulnerability) pairs the records give
    _, old_report = await sources.facts.vulnerability_report(current.reference, "linux/amd64")
    _, up_report = await sources.facts.vulnerability_report(upgrade.reference, "linux/amd64")
    assert old_report is not None and up_report is not None
    removed, added = delta(list(old_report.findings), list(up_report.findings))
    assert keys(removed, osv) == old - up and keys(added, osv) == up - old

    # Docker Scout's default policy: critical or high with a fix available makes the line a warning, with the move
    severe = sum(1 for f in old_report.findings if f.fix_available and f.severity in ("critical", "high"))
    assert severe and current.fixable_severe == severe and first.verdict == "warn"
    said = [f for f in first.findings or [] if f.startswith(f"{severe} critical or high known vulnerabilit")]
    assert len(said) == 1 and f"the refresh (python:3.12-slim) removes {len(old - new)} known" in said[0]

    assert updates[0][0] == 0 and updates[-1][0] == updates[-1][1] == 3  # current, refresh, upgrade: once each
    assert [done for done, _, _ in updates] == sorted(done for done, _, _ in updates)
    assert sorted(sources.assessed) == sorted(set(sources.assessed))  # each image assessed once


async def test_a_line_not_pinned_is_its_own_refresh(sources: Sources, osv: FakeOsv) -> None:
    answer = await review(sources, reference="python:3.12-slim", vulnerabilities=True)
    vulns = answer.from_lines[0].vulnerabilities
    assert vulns is not None and vulns.refresh is None
    assert vulns.current.total == len(expected(osv, NEW)) and "nothing to refresh" in vulns.summary
    assert vulns.built_from is None  # this build carries no provenance


async def test_with_two_platforms_asked_the_note_says_which_one_was_assessed(sources: Sources) -> None:
    answer = await review(
        sources, reference="python:3.12-slim", vulnerabilities=True, platforms=("linux/amd64", "linux/arm64")
    )
    vulns = answer.from_lines[0].vulnerabilities
    assert vulns is not None and vulns.platform == "linux/amd64"
    said = [n for n in answer.notes or [] if n.startswith("Known vulnerabilities were assessed on linux/amd64")]
    assert len(said) == 1 and "platforms=['linux/arm64" in said[0]
    single = await review(sources, reference="python:3.12-slim", vulnerabilities=True)
    assert not any(n.startswith("Known vulnerabilities were assessed on") for n in single.notes or [])


async def test_a_pin_the_tag_still_points_at_refreshes_to_the_same_image(sources: Sources, pushed: Pushed) -> None:
    answer = await review(sources, reference=f"python:3.12-slim@{pushed.new.manifest.digest}", vulnerabilities=True)
    vulns = answer.from_lines[0].vulnerabilities
    assert vulns is not None and vulns.refresh is not None
    assert vulns.refresh.digest == vulns.current.digest == pushed.new.images[0].manifest.digest
    assert (vulns.refresh.removes, vulns.refresh.adds) == (0, 0) and "the refresh is the same image" in vulns.summary


async def test_an_image_without_an_sbom_is_unknown_with_the_reason_never_zero(sources: Sources) -> None:
    answer = await review(sources, reference="debian:12-slim", vulnerabilities=True)
    vulns = answer.from_lines[0].vulnerabilities
    assert vulns is not None
    current = vulns.current
    assert current.unknown is not None and "no SBOM" in current.unknown
    assert current.total is None and current.counts is None and current.digest
    assert "unknown" in vulns.summary and "nothing to compare" in vulns.summary


async def test_osv_down_is_unknown_with_the_reason(sources: Sources, pushed: Pushed, osv: FakeOsv) -> None:
    osv.down_status = 503
    answer = await review(sources, reference=f"python:3.12-slim@{pushed.old.manifest.digest}", vulnerabilities=True)
    vulns = answer.from_lines[0].vulnerabilities
    assert vulns is not None and vulns.refresh is not None and vulns.upgrade is not None
    for image in (vulns.current, vulns.refresh, vulns.upgrade):
        assert image.unknown is not None and "OSV" in image.unknown
        assert image.total is None and image.removes is None and image.adds is None
    reason = vulns.current.unknown
    assert reason and "503" in reason and vulns.summary.count(reason.rstrip(".")) == 1  # the same reason, said once


async def test_off_nothing_is_assessed_and_the_answer_is_unchanged(sources: Sources, pushed: Pushed) -> None:
    pinned = f"python:3.12-slim@{pushed.old.manifest.digest}"
    plain = await review(sources, reference=pinned)
    off = await review(sources, reference=pinned, vulnerabilities=False)
    assert sources.assessed == []
    assert off == plain and off.from_lines[0].vulnerabilities is None
    on = await review(sources, reference=pinned, vulnerabilities=True)
    findings = on.from_lines[0].findings or []
    scout = [f for f in findings if "critical or high known vulnerabilit" in f]  # Scout's policy: the one it adds
    without = on.from_lines[0].model_copy(
        update={"vulnerabilities": None, "findings": [f for f in findings if f not in scout]}
    )
    assert len(scout) == 1 and without == off.from_lines[0] and on.summary == off.summary  # the rest is the same


async def test_at_most_the_bound_of_images_is_assessed_and_the_rest_named(
    sources: Sources, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(line_vulnerabilities, "MAX_ASSESSED_IMAGES", 4)
    dockerfile = "".join(f"FROM acme/img{i}:1 AS s{i}\n" for i in range(1, 7))
    answer = await review(sources, dockerfile=dockerfile, vulnerabilities=True)
    # each line: its own image, plus the upgrade they share: three lines fit in four images
    assessed = [line for line in answer.from_lines if line.vulnerabilities is not None]
    assert [line.line for line in assessed] == [1, 2, 3]
    assert len(set(sources.assessed)) == len(sources.assessed) == 4
    note = next(n for n in answer.notes or [] if "Vulnerabilities were compared" in n)
    assert "line 4 acme/img4:1" in note and "line 6 acme/img6:1" in note and "line 3 " not in note
    for line in assessed:  # not on the registry: unknown, with the registry's reason
        assert line.vulnerabilities is not None and "could not be read" in (line.vulnerabilities.current.unknown or "")


# --- the comparison itself ------------------------------------------------------------------------------------


def _finding(vuln_id: str, package: str, *, also: tuple[str, ...] = (), aliases: tuple[str, ...] = ()) -> Finding:
    return Finding(
        id=vuln_id, also=also, aliases=aliases, package=package, source=package, ecosystem="Debian:12",
        installed="1", fixed=None, fixed_compared=True, fix_available=False, severity="high", score=None,
        severity_from="", summary=None,
    )  # fmt: skip


def test_equal_counts_can_hide_a_move_that_fixes_one_and_brings_another() -> None:
    current = [_finding("DSA-1", "curl"), _finding("DEBIAN-CVE-2", "zlib1g")]
    other = [_finding("DSA-1", "libcurl4"), _finding("DEBIAN-CVE-2", "zlib1g")]  # same id, another package
    removed, added = delta(current, other)
    assert [(f.id, f.package) for f in removed] == [("DSA-1", "curl")]
    assert [(f.id, f.package) for f in added] == [("DSA-1", "libcurl4")]


def test_another_record_of_the_same_vulnerability_is_the_same_finding() -> None:
    current = [_finding("DSA-5532-1", "libssl3", also=("DEBIAN-CVE-2023-5363",), aliases=("CVE-2023-5363",))]
    other = [_finding("DEBIAN-CVE-2023-5363", "libssl3", aliases=("CVE-2023-5363",))]
    assert delta(current, other) == ([], [])
    twice = current + [dataclasses.replace(current[0])]
    assert len(delta(twice, [])[0]) == 1  # one per id and package


async def test_an_assessment_past_its_time_is_unknown_and_the_review_still_answers(
    sources: Sources, pushed: Pushed
) -> None:
    """The assessment has its own share of the call: images not assessed by then are unknown, and the review's
    verdicts and upgrades still come back (the rest of the call is theirs)."""
    hold = asyncio.Event()
    real = sources.vulnerability_report

    async def stuck(reference: str, platform: str) -> Any:
        if "@" not in reference:  # the refresh and the upgrade never answer; the pinned digest does
            await hold.wait()
        return await real(reference, platform)

    sources.vulnerability_report = stuck  # type: ignore[method-assign]
    advisor = UpgradeAdvisor()
    # the late ones never answer, so the budget only has to hold the one that does, on a loaded machine too (0.2 s
    # did not, once, while a benchmark ran beside the suite)
    advisor.assess_within = 3.0
    reviewer = Reviewer(sources, advisor, TODAY)  # type: ignore[arg-type]
    answer = await reviewer.review(
        ReviewRequest(reference=f"python:3.12-slim@{pushed.old.manifest.digest}", vulnerabilities=True)
    )
    line = answer.from_lines[0]
    vulns = line.vulnerabilities
    assert vulns is not None and vulns.current.total is not None  # the one that answered in time
    for late in (vulns.refresh, vulns.upgrade):
        assert late is not None and late.unknown is not None and "not assessed in time" in late.unknown
        assert late.total is None and late.removes is None
    assert line.verdict in ("warn", "fail") and line.upgrade is not None  # the review itself was answered
