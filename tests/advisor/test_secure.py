"""Priority 'secure': candidates ranked by their known vulnerabilities (issue 18).

End to end: the fake Hub lists the python images; a real docker-registry holds, under the same names, images whose
BuildKit attestation carries an SBOM (Syft-shaped Debian 12 packages, different per image) or none; the fake OSV
serves its real advisories. Every count in an answer is checked against what the SBOM rows and the fake's records
give, computed here independently of hub-mcp (records joined by shared ids, severity from the CVSS vector by
FIRST's bands with the ``cvss`` package). The rule itself (``scoring.secure_order``) is also tested on plain values.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any

import httpx
import pytest
from cvss import CVSS3  # type: ignore[import-untyped]

from hub_mcp.advisor.needs import VulnerabilityFacts
from hub_mcp.advisor.scoring import secure_order
from hub_mcp.advisor.suggest import Advisor, SuggestRequest
from hub_mcp.answers.views import Suggestion
from hub_mcp.attestations.service import ImageFactsService
from hub_mcp.attestations.vulnerability_source import AttestedVulnerabilities
from hub_mcp.errors import NotFound, Upstream
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient
from hub_mcp.registry.client import RegistryClient
from hub_mcp.vulnerabilities.osv import OsvClient
from hub_mcp.vulnerabilities.report import VulnerabilityReport
from hub_mcp.vulnerabilities.severity import LEVELS
from tests.advisor.conftest import HUB, TODAY
from tests.fakes import images, sboms
from tests.fakes.attestations import SPDX, attested_index, buildkit_attestation, push_attested_index
from tests.fakes.hub import FakeHub
from tests.fakes.osv import FakeOsv
from tests.fakes.registry import running_registry

OSV = "https://api.osv.dev"
PLATFORM = "linux/amd64"

Row = tuple[str, str, str]  # (binary package, installed version, source package; "" when the same)

#: The packages each python image's SBOM lists (None: the image carries no SBOM). Versions are below the fixes the
#: fake OSV's records give, so OSV's match stands.
OPENSSL: Row = ("libssl3", "3.0.9-1~deb12u1", "openssl")
CURL: Row = ("curl", "7.88.1-10+deb12u1", "")
LIBCURL: Row = ("libcurl4", "7.88.1-10+deb12u1", "curl")
GLIBC: Row = ("libc6", "2.36-9+deb12u1", "glibc")
ZLIB: Row = ("zlib1g", "1:1.2.13.dfsg-1", "zlib")
BASE: Row = ("base-files", "12.4+deb12u1", "")
PACKAGES: dict[str, tuple[Row, ...] | None] = {
    "3.14-slim-trixie": (OPENSSL, CURL, LIBCURL),
    "3.14-slim-bookworm": (GLIBC, BASE),
    "3.14-alpine": None,
    "3.14-trixie": (BASE,),
    "3.14-bookworm": (ZLIB, OPENSSL),
    "3.13-slim-trixie": (GLIBC, CURL),
}
#: Today's order of the python candidates (no version asked, default limit): what the test's premise needs.
USUAL = [f"python:{tag}" for tag in PACKAGES]


# --- what the SBOM and the fake OSV give, computed independently ---------------------------------------------


def _band(score: float) -> str:
    """FIRST's CVSS v3.1 qualitative bands (specification section 5)."""
    if score >= 9.0:
        return "critical"
    if score >= 7.0:
        return "high"
    if score >= 4.0:
        return "medium"
    return "low" if score > 0 else "none"


def _names(record: dict[str, Any]) -> set[str]:
    return {record["id"], *record.get("aliases", []), *record.get("upstream", [])}


def expected(rows: tuple[Row, ...], osv: FakeOsv) -> dict[str, Any]:
    """Counts per severity, total and fixable of the findings (vulnerability x installed package): records naming
    each other are one vulnerability, rated by the worst CVSS v3 vector among them."""
    counts: dict[str, int] = dict.fromkeys(LEVELS, 0)
    fixable = 0
    for binary, _version, source in rows:
        asked = ("Debian:12", source or binary)  # distribution records name the source package
        hits = [
            record
            for record in osv.records.values()
            if not record.get("withdrawn")
            and any((e["package"]["ecosystem"], e["package"]["name"]) == asked for e in record["affected"])
        ]
        groups: list[list[dict[str, Any]]] = []
        for record in hits:
            joined = [g for g in groups if any(_names(r) & _names(record) for r in g)]
            merged = [record, *(r for g in joined for r in g)]
            groups = [g for g in groups if g not in joined] + [merged]
        for group in groups:
            vectors = [s["score"] for r in group for s in r.get("severity", []) if s["type"] == "CVSS_V3"]
            scores = [CVSS3(vector).scores()[0] for vector in vectors]
            counts[_band(max(scores)) if scores else "unknown"] += 1
            events = [e for r in group for a in r["affected"] for rg in a.get("ranges", []) for e in rg["events"]]
            fixable += any("fixed" in e for e in events)
    shown = {level: count for level, count in counts.items() if count}  # a level with none is left out
    return {"platform": PLATFORM, "total": sum(counts.values()), "counts": shown, "fixable": fixable}


def _key(found: dict[str, Any]) -> tuple[int, int, int]:
    return found["counts"].get("critical", 0), found["counts"].get("high", 0), found["total"]


# --- the registry, the advisors ---------------------------------------------------------------------------------


def _sbom(rows: tuple[Row, ...]) -> dict[str, Any]:
    """An SPDX 2.3 document listing ``rows`` with the purls Syft writes for Debian 12 packages."""
    packages = []
    for index, (name, version, source) in enumerate(rows):
        purl = sboms.deb_purl(sboms.DebRow(name, version, "amd64", source, "", ""))
        packages.append(
            {
                "name": name,
                "SPDXID": f"SPDXRef-Package-deb-{name}-{index}",
                "versionInfo": version,
                "downloadLocation": "NOASSERTION",
                "externalRefs": [
                    {"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}
                ],
            }
        )
    return {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "sbom", "packages": packages}


@dataclass(frozen=True)
class Registry:
    url: str


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """``library/python:<tag>`` for every tag of :data:`PACKAGES`: one linux/amd64 image each (distinct), with a
    BuildKit attestation carrying its SBOM, or (None) a plain index without attestations."""
    with running_registry(tmp_path_factory.mktemp("secure-registry")) as running, running.client() as client:
        for tag, rows in PACKAGES.items():
            image = images.make_image(labels={"tag": tag})
            if rows is None:
                images.push_index(client, "library/python", tag, images.make_index([image], attest=False))
                continue
            statement = sboms.statement(SPDX, _sbom(rows), image.manifest.digest)
            index = attested_index([image], [buildkit_attestation(image, [(SPDX, statement)])])
            push_attested_index(client, "library/python", tag, index)
        yield Registry(running.url)


class Counting(httpx.AsyncBaseTransport):
    """The real transport, counting requests."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.requests = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass
class World:
    hub: FakeHub
    osv: FakeOsv
    registry: Counting
    secure: Advisor  # with the vulnerability source
    plain: Advisor  # as before: without it


@pytest.fixture
async def world(hub: FakeHub, registry: Registry) -> AsyncIterator[World]:
    osv = FakeOsv()
    counting = Counting()
    async with (
        HttpClient(transport=httpx.ASGITransport(app=hub.app)) as hub_http,
        HttpClient(transport=counting, max_retries=0) as registry_http,
        HttpClient(transport=osv.transport(), max_retries=0) as osv_http,
    ):
        catalog = HubClient(hub_http, HUB, HubAuth(hub_http, HUB, None, None))
        facts = ImageFactsService(RegistryClient(registry_http, docker_hub_url=registry.url), OsvClient(osv_http, OSV))
        source = AttestedVulnerabilities(facts)
        yield World(
            hub,
            osv,
            counting,
            Advisor(catalog, vulnerabilities=source, today=lambda: TODAY),
            Advisor(HubClient(hub_http, HUB, HubAuth(hub_http, HUB, None, None)), today=lambda: TODAY),
        )


def _refs(suggestion: Suggestion) -> list[str]:
    return [c.reference for c in suggestion.candidates]


SECURE = SuggestRequest(runtime="python", priorities=("secure",), limit=6)


# --- end to end -------------------------------------------------------------------------------------------------


async def test_secure_ranks_by_known_vulnerabilities_from_the_sbom_and_osv(world: World) -> None:
    usual = await world.plain.suggest(SECURE)
    assert _refs(usual) == USUAL  # the premise: today's order
    answer = await world.secure.suggest(SECURE)
    want = {f"python:{tag}": expected(rows, world.osv) for tag, rows in PACKAGES.items() if rows is not None}
    by_ref = {c.reference: c for c in answer.candidates}
    for reference, counts in want.items():
        found = by_ref[reference].vulnerabilities
        assert found is not None and found.model_dump() == counts, reference
    # no SBOM: no counts (never zero), named with the reason
    assert by_ref["python:3.14-alpine"].vulnerabilities is None
    assert any("Could not assess: python:3.14-alpine (no SBOM attestation)" in n for n in answer.notes or [])
    # the maintainers' line (3.14) stays first; within it the known ones take their places by (critical, high,
    # total), the unknown one keeps its place (third); 3.13 follows
    channel = [r for r in USUAL if r.startswith("python:3.14")]
    known_slots = [n for n, r in enumerate(channel) if r in want]
    best = sorted((r for r in channel if r in want), key=lambda r: _key(want[r]))
    order = list(channel)
    for n, reference in zip(known_slots, best, strict=True):
        order[n] = reference
    assert _refs(answer) == [*order, "python:3.13-slim-trixie"]
    assert _refs(answer) != USUAL and _refs(answer)[2] == "python:3.14-alpine"
    # the benefit: what it has fewer of than the candidate with the most, with its share of the score
    worst = max(want, key=lambda r: _key(want[r]))
    for candidate in answer.candidates:
        texts = [b for b in candidate.benefits if "fewer" in b.text and "known vulnerabilit" in b.text]
        if candidate.reference in want and _key(want[candidate.reference]) < _key(want[worst]):
            assert len(texts) == 1 and worst in texts[0].text and (texts[0].points or 0) > 0
            assert f"{want[candidate.reference]['total']} known on {PLATFORM}" in texts[0].text
        else:
            assert texts == []
        assert sum(b.points or 0 for b in candidate.benefits) <= candidate.score + 0.05
    assert any("looked up in OSV" in n for n in answer.notes or [])
    assessed = sum(1 for c in answer.candidates if c.vulnerabilities is not None)
    assert assessed == len(want) and (
        f"assessed for {assessed} of {len(answer.candidates)}" in answer.message
        if assessed < len(answer.candidates)
        else "assessed for" not in answer.message
    )


async def test_without_secure_nothing_is_asked_and_nothing_changes(world: World) -> None:
    for request in (SuggestRequest(runtime="python"), SuggestRequest(runtime="python", priorities=("small",))):
        before = len(world.hub.requests)
        plain = await world.plain.suggest(request)
        plain_requests = len(world.hub.requests) - before
        before = len(world.hub.requests)
        with_source = await world.secure.suggest(request)
        assert len(world.hub.requests) - before == plain_requests
        assert with_source.model_dump() == plain.model_dump()
    assert world.registry.requests == 0 and world.osv.requests == []


async def test_secure_costs_the_registry_and_osv_only_once(world: World) -> None:
    before = len(world.hub.requests)
    await world.plain.suggest(SECURE)
    hub_requests = len(world.hub.requests) - before
    before = len(world.hub.requests)
    first = await world.secure.suggest(SECURE)
    assert len(world.hub.requests) - before == hub_requests  # the Hub is read as before
    assessed = sum(rows is not None for rows in PACKAGES.values())
    assert len(world.osv.posts()) == assessed  # one batch per SBOM (each lists under 1,000 packages)
    assert len(world.osv.gets()) == len(set(world.osv.gets()))  # each record fetched once, shared by candidates
    assert world.registry.requests > 0
    registry_requests, osv_requests = world.registry.requests, len(world.osv.requests)
    again = await world.secure.suggest(SECURE)  # the answer is kept
    assert again == first and world.registry.requests == registry_requests and len(world.osv.requests) == osv_requests


async def test_osv_down_leaves_the_usual_ranking_and_says_why(world: World) -> None:
    world.osv.down_status = 503
    usual = await world.plain.suggest(SECURE)
    answer = await world.secure.suggest(SECURE)
    assert _refs(answer) == _refs(usual)
    assert [c.score for c in answer.candidates] == [c.score for c in usual.candidates]
    assert all(c.vulnerabilities is None for c in answer.candidates)  # never "0 vulnerabilities"
    said = [n for n in answer.notes or [] if n.startswith("Known vulnerabilities were not assessed")]
    assert len(said) == 1 and "OSV" in said[0] and "python:3.14-alpine (no SBOM attestation)" in said[0]
    assert [n for n in answer.notes or [] if n not in said] == usual.notes
    # not kept: once OSV answers again, the same question is assessed
    world.osv.down_status = None
    later = await world.secure.suggest(SECURE)
    assert any(c.vulnerabilities is not None for c in later.candidates)


async def test_progress_names_the_assessment(world: World) -> None:
    seen: list[tuple[float, float, str]] = []

    async def progress(done: float, total: float, message: str) -> None:
        seen.append((done, total, message))

    await world.secure.suggest(SECURE, progress)
    steps = [s[0] for s in seen]
    assert steps[:4] == [0, 1, 2, 3] and steps[-1] == 4 and steps == sorted(steps)
    assert all(s[1] == 4 for s in seen) and len(seen) == 5 + len(PACKAGES)
    assert "known vulnerabilities of 6 candidate(s) on linux/amd64" in seen[3][2]


# --- a stub source: what the real chain adds nothing to -------------------------------------------------------


class Stub:
    """Facts by reference; a reference not given never answers."""

    def __init__(self, facts: dict[str, VulnerabilityFacts]) -> None:
        self.facts = facts
        self.asked: list[tuple[str, str]] = []

    async def vulnerability_counts(self, reference: str, platform: str) -> VulnerabilityFacts:
        self.asked.append((reference, platform))
        if reference not in self.facts:
            await asyncio.Event().wait()
        return self.facts[reference]


def _known(critical: int, high: int, total: int) -> VulnerabilityFacts:
    counts: dict[str, int] = dict.fromkeys(LEVELS, 0)
    counts |= {"critical": critical, "high": high, "medium": total - critical - high}
    return VulnerabilityFacts(counts=counts, total=total, fixable=0)


async def test_an_assessment_that_does_not_answer_in_time_is_unknown(hub: FakeHub) -> None:
    facts = {r: _known(0, 0, 1) for r in USUAL if r != "python:3.14-bookworm"}
    stub = Stub(facts)
    async with HttpClient(transport=httpx.ASGITransport(app=hub.app)) as http:
        catalog = HubClient(http, HUB, HubAuth(http, HUB, None, None))
        # the late one never answers: the budget only has to hold the others, on a loaded machine too
        advisor = Advisor(catalog, vulnerabilities=stub, assess_within=2.0, today=lambda: TODAY)
        request = SuggestRequest(runtime="python", priorities=("secure",), platforms=("linux/arm64",), limit=6)
        answer = await advisor.suggest(request)
    assert {platform for _, platform in stub.asked} == {"linux/arm64/v8"}  # the first platform asked, as parsed
    late = next(c for c in answer.candidates if c.reference == "python:3.14-bookworm")
    assert late.vulnerabilities is None
    assert any("python:3.14-bookworm (no answer within 2 s)" in n for n in answer.notes or [])
    assert all(c.vulnerabilities is not None for c in answer.candidates if c.reference != "python:3.14-bookworm")


def test_the_rule_known_before_unknown_at_equal_merit_and_unknown_keeps_its_place() -> None:
    # (name, tier, score, facts): best first as scored
    A = ("a", 0, 9.0, None)  # unknown, best merit: stays first
    B = ("b", 0, 8.0, _known(1, 0, 5))
    C = ("c", 0, 8.0, None)  # same merit as b and d: after the known ones of that merit
    D = ("d", 0, 8.0, _known(0, 2, 9))
    E = ("e", 0, 7.0, _known(0, 0, 12))
    F = ("f", 1, 9.5, _known(0, 0, 0))  # another tier: never moves before tier 0
    ranked = [A, B, C, D, E, F]
    out = secure_order(ranked, merit=lambda x: (x[1], -x[2]), tier=lambda x: x[1], facts=lambda x: x[3])
    # equal merit: b, c, d -> b, d, c; then the known ones (b, d, e at places 1, 2, 4) by critical, high, total:
    # e (0, 0, 12), d (0, 2, 9), b (1, 0, 5)
    assert [x[0] for x in out] == ["a", "e", "d", "c", "b", "f"]
    assert secure_order(ranked, merit=lambda x: (x[1], -x[2]), tier=lambda x: x[1], facts=lambda x: None) == ranked


async def test_the_runtime_gives_the_advisor_the_sbom_and_osv_source(hub: FakeHub, registry: Registry) -> None:
    """The wiring: the services a server builds rank 'secure' by the same facts (and ask nothing without it)."""
    from hub_mcp.advisor.suggest import ANONYMOUS_ASSESSED
    from hub_mcp.config.settings import Settings
    from hub_mcp.runtime import Runtime

    osv = FakeOsv()
    runtime = Runtime(
        Settings(hub_url=HUB, registry_url=registry.url, max_retries=0),
        hub_transport=httpx.ASGITransport(app=hub.app),
        osv_transport=osv.transport(),
        today=TODAY,
    )
    try:
        services = await runtime.services()
        await services.suggest(SuggestRequest(runtime="python"))
        assert osv.requests == []
        answer = await services.suggest(SECURE)
    finally:
        await runtime.aclose()
    # without a Docker Hub login only the first ANONYMOUS_ASSESSED candidates are assessed (the pull limit)
    assert services.advisor.assess_limit == ANONYMOUS_ASSESSED
    window = USUAL[:ANONYMOUS_ASSESSED]
    want = {
        f"python:{tag}": expected(rows, osv)
        for tag, rows in PACKAGES.items()
        if rows is not None and f"python:{tag}" in window
    }
    got = {c.reference: c.vulnerabilities.model_dump() for c in answer.candidates if c.vulnerabilities is not None}
    assert got == want and want
    assert runtime.settings.call_timeout / 2 == services.advisor.assess_within


# --- the adapter: what the facts service says, as the advisor reads it ----------------------------------------


class Facts:
    """Stands in for ImageFactsService: raises ``error`` or answers ``report``."""

    def __init__(self, report: VulnerabilityReport | None = None, error: Exception | None = None) -> None:
        self.report, self.error = report, error

    async def vulnerability_report(
        self, reference: str, platform: str, *, index_only: bool = False
    ) -> tuple[None, VulnerabilityReport | None]:
        if self.error is not None:
            raise self.error
        return None, self.report


def _unknown_report(queries: int) -> VulnerabilityReport:
    return VulnerabilityReport(
        status="unknown", reason="OSV could not be asked.", counts=None, findings=(), total=0, queried=queries,
        queries=queries, not_covered=0, not_covered_examples=(), over_limit=0, withdrawn=0, missing=0, requests=0,
    )


@pytest.mark.parametrize(
    ("facts", "reason", "transient"),
    [
        (Facts(None), "no SBOM attestation", False),
        (Facts(_unknown_report(queries=3)), "OSV could not be asked.", True),  # asked, failed: later may answer
        (Facts(_unknown_report(queries=0)), "OSV could not be asked.", False),  # nothing it could ask about
        (Facts(error=Upstream("The registry answered 503.")), "The registry answered 503.", True),
        (Facts(error=NotFound("python:3.99 does not exist.")), "python:3.99 does not exist.", False),
    ],
)
async def test_the_adapter_says_unknown_with_the_reason_never_zero(facts: Facts, reason: str, transient: bool) -> None:
    found = await AttestedVulnerabilities(facts).vulnerability_counts("python:3.14", PLATFORM)  # type: ignore[arg-type]
    assert not found.known and found.counts is None and found.total is None
    assert found.reason == reason and found.transient is transient
