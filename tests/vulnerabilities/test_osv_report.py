"""The OSV client and the report, against the fake OSV (tests/fakes/osv.py) and its real-looking records."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from hub_mcp.attestations.purl import parse_purl
from hub_mcp.attestations.sbom import Package, Sbom
from hub_mcp.config.settings import Settings, load_settings
from hub_mcp.errors import Upstream
from hub_mcp.net.egress import EgressPolicy
from hub_mcp.net.http import HttpClient
from hub_mcp.vulnerabilities import OsvClient, Query, Usage, assess
from hub_mcp.vulnerabilities.osv import Affected, Range, parse_record
from hub_mcp.vulnerabilities.report import affected_by_ranges, fixed_version
from hub_mcp.vulnerabilities.severity import Vector, score_vector
from tests.fakes.osv import FakeOsv

OSV = "https://api.osv.dev"


async def no_wait(_seconds: float) -> None:
    return None


@pytest.fixture
def fake() -> FakeOsv:
    return FakeOsv()


@pytest.fixture
async def http(fake: FakeOsv) -> AsyncIterator[HttpClient]:
    async with HttpClient(transport=fake.transport(), sleep=no_wait, retry_max_wait=5) as client:
        yield client


def sbom(*purls: str, os: tuple[str, str] | None = ("debian", "12")) -> Sbom:
    packages = []
    for text in purls:
        purl = parse_purl(text)
        assert purl is not None, text
        packages.append(Package(purl.name, purl.version, purl.type, purl))
    packages.append(Package("/usr/local/bin/python3.12", None, "unknown", None))  # a file: no purl, not covered
    return Sbom(packages=tuple(packages), spdx_version="SPDX-2.3", os=os)


BOOKWORM = sbom(
    "pkg:deb/debian/libssl3@3.0.11-1~deb12u1?arch=amd64&upstream=openssl&distro=debian-12",
    "pkg:deb/debian/openssl@3.0.11-1~deb12u1?arch=amd64&distro=debian-12",
    "pkg:deb/debian/libc6@2.36-9%2Bdeb12u1?arch=amd64&upstream=glibc&distro=debian-12",
    "pkg:deb/debian/curl@7.88.1-10%2Bdeb12u3?arch=amd64&distro=debian-12",
    "pkg:deb/debian/libcurl4@7.88.1-10%2Bdeb12u3?arch=amd64&upstream=curl&distro=debian-12",
    "pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?arch=amd64&upstream=zlib&distro=debian-12",
    "pkg:deb/debian/bash@5.2.15-2%2Bb8?arch=amd64&upstream=bash%405.2.15-2&distro=debian-12",
    "pkg:pypi/jinja2@3.1.2",
    "pkg:npm/semver@6.3.0",
)


# --- the client ---------------------------------------------------------------------------------------------


async def test_a_query_with_more_pages_is_asked_again_with_its_token(http: HttpClient) -> None:
    fake = FakeOsv(page_size=1)
    async with HttpClient(transport=fake.transport(), sleep=no_wait) as paged:
        client = OsvClient(paged, OSV)
        usage = Usage()
        openssl = Query("Debian:12", "openssl", "3.0.11-1~deb12u1")
        bash = Query("Debian:12", "bash", "5.2.15-2")
        found = await client.query_batch([openssl, bash], usage)
    assert [ref.id for ref in found[0]] == ["DEBIAN-CVE-2023-5363", "DSA-5532-1"]
    assert found[1] == [] and not found.cut
    assert fake.posts() == [2, 1]  # the second page asks only the query that had a token
    assert usage.requests == 2


async def test_more_than_a_thousand_queries_go_in_batches_and_answer_in_input_order(
    fake: FakeOsv, http: HttpClient
) -> None:
    queries = [Query("Debian:12", f"pkg{n}", "1.0-1") for n in range(2_345)]
    queries[1_500] = Query("Debian:12", "glibc", "2.36-9+deb12u1")
    found = await OsvClient(http, OSV).query_batch(queries)
    assert fake.posts() == [1_000, 1_000, 345]
    assert len(found) == 2_345
    assert [ref.id for ref in found[1_500]] == ["DEBIAN-CVE-2023-4911"]
    assert sum(len(refs) for refs in found) == 1


async def test_the_fake_refuses_a_batch_past_osvs_limit(http: HttpClient) -> None:
    response = await http.send("POST", f"{OSV}/v1/querybatch", json_body={"queries": [{}] * 1_001})
    assert response.status == 400 and response.data["message"] == "too many queries"


async def test_a_refused_batch_is_a_sentence(http: HttpClient) -> None:
    with pytest.raises(Upstream) as refused:
        await OsvClient(http, OSV).query_batch([Query("Nonsense:1", "x", "1")])
    message = str(refused.value)
    assert "OSV (api.osv.dev) refused" in message and "HTTP 400" in message and "invalid ecosystem" in message


async def test_records_are_cached_by_id_and_modified_time(fake: FakeOsv, http: HttpClient) -> None:
    client = OsvClient(http, OSV)
    first = await client.get("GHSA-h5c8-rqwp-cp95", "2024-02-16T08:16:57Z")
    again = await client.get("GHSA-h5c8-rqwp-cp95", "2024-02-16T08:16:57Z")
    assert again is first and fake.gets() == ["GHSA-h5c8-rqwp-cp95"]
    fake.touch("GHSA-h5c8-rqwp-cp95", "2024-06-01T00:00:00Z", summary="Jinja xmlattr injection (updated)")
    [refs] = await client.query_batch([Query("PyPI", "jinja2", "3.1.2", purl="pkg:pypi/jinja2@3.1.2")])
    changed = next(ref for ref in refs if ref.id == "GHSA-h5c8-rqwp-cp95")
    assert changed.modified == "2024-06-01T00:00:00Z"
    updated = await client.get(changed.id, changed.modified)
    assert updated.summary == "Jinja xmlattr injection (updated)"
    assert fake.gets() == ["GHSA-h5c8-rqwp-cp95", "GHSA-h5c8-rqwp-cp95"]  # the changed record was fetched again


def test_a_record_is_read_with_cve_ids_first_and_a_clipped_one_line_summary() -> None:
    record = parse_record(
        {
            "id": "DSA-9999-1",
            "aliases": ["GHSA-aaaa-bbbb-cccc"],
            "upstream": ["CVE-2024-2", "CVE-2024-1"],
            "details": "\n  First line of the details " + "x" * 300 + "\nsecond line",
            "affected": [{"package": {"ecosystem": "Debian:12", "name": "openssl"}, "ranges": "not a list"}],
        }
    )
    assert record.aliases == ("CVE-2024-1", "CVE-2024-2", "GHSA-aaaa-bbbb-cccc")
    assert record.summary is not None and record.summary.startswith("First line") and len(record.summary) == 160
    assert record.affected[0].ranges == () and record.withdrawn is None


# --- fixed versions -------------------------------------------------------------------------------------------


def test_the_fixed_version_is_the_one_of_the_range_holding_the_installed_version() -> None:
    entry = Affected(
        "Debian:12",
        "openssl",
        (
            Range("ECOSYSTEM", (("introduced", "0"), ("fixed", "3.0.11-1~deb12u2"))),
            Range("ECOSYSTEM", (("introduced", "3.0.13-1~deb12u1"), ("fixed", "3.0.15-1~deb12u1"))),
        ),
    )
    assert fixed_version(entry, "3.0.11-1~deb12u1").version == "3.0.11-1~deb12u2"
    assert fixed_version(entry, "3.0.14-1~deb12u2").version == "3.0.15-1~deb12u1"
    assert fixed_version(entry, "3.0.14-1~deb12u2").compared


def test_with_no_holding_range_the_smallest_fixed_above_is_taken() -> None:
    entry = Affected(
        "Alpine:v3.20",
        "openssl",
        (
            Range("ECOSYSTEM", (("introduced", "3.4.0-r0"), ("fixed", "3.4.1-r0"))),
            Range("ECOSYSTEM", (("introduced", "3.3.5-r0"), ("fixed", "3.3.2-r0"))),  # odd data: introduced above
        ),
    )
    fix = fixed_version(entry, "3.3.1-r3")
    assert (fix.version, fix.compared) == ("3.3.2-r0", True)


def test_without_an_order_the_first_fix_is_given_and_said_uncompared() -> None:
    entry = Affected(
        "PyPI",
        "django",
        (
            Range("ECOSYSTEM", (("introduced", "5.0"), ("fixed", "5.0.2"))),
            Range("ECOSYSTEM", (("introduced", "0"), ("fixed", "4.2.10"))),
        ),
    )
    fix = fixed_version(entry, "4.2.1")
    assert (fix.version, fix.compared) == ("5.0.2", False)


@pytest.mark.parametrize(
    ("ecosystem", "events", "installed", "expected"),
    [
        ("Debian:12", (("introduced", "0"), ("fixed", "7.88.1-10+deb12u4")), "7.88.1-10+deb12u14", False),
        ("Debian:12", (("introduced", "0"), ("fixed", "7.88.1-10+deb12u4")), "7.88.1-10+deb12u3", True),
        ("Debian:12", (("introduced", "0"),), "1:1.2.13.dfsg-1", True),  # no fix yet
        ("Alpine:v3.20", (("introduced", "3.3.0-r0"), ("last_affected", "3.3.1-r0")), "3.3.1-r0", True),
        ("Alpine:v3.20", (("introduced", "3.3.0-r0"), ("last_affected", "3.3.1-r0")), "3.3.1-r1", False),
        # written out of order: evaluated in version order [osv-schema "Evaluation"]
        ("Alpine:v3.20", (("fixed", "3.3.2-r0"), ("introduced", "3.3.0-r0")), "3.3.1-r0", True),
        ("PyPI", (("introduced", "0"), ("fixed", "4.2.10")), "5.0", None),  # no order here: OSV's match stands
    ],
)
def test_whether_a_version_lies_in_a_records_ranges(
    ecosystem: str, events: tuple[tuple[str, str], ...], installed: str, expected: bool | None
) -> None:
    entry = Affected(ecosystem, "pkg", (Range("ECOSYSTEM", events),))
    assert affected_by_ranges(entry, installed) is expected


async def test_a_match_past_the_records_fix_is_left_out_and_said_either_way_osv_matches(fake: FakeOsv) -> None:
    """OSV compares versions and would not return such a match [documented: osv.dev "Data"]; a database or mirror that
    does not compare (this fake: [assumed] it ignores versions) must not make a fixed package vulnerable."""
    patched = sbom("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u14?arch=amd64&distro=debian-12")
    exposed = sbom("pkg:deb/debian/curl@7.88.1-10%2Bdeb12u3?arch=amd64&distro=debian-12")
    async with HttpClient(transport=fake.transport(), sleep=no_wait) as client:
        osv = OsvClient(client, OSV)
        fixed_report = await assess(osv, patched)
        open_report = await assess(osv, exposed)
    assert fixed_report.status == "known" and fixed_report.total == 0
    assert any("outside every range" in note for note in fixed_report.notes)
    assert open_report.total > 0 and {f.package for f in open_report.findings} == {"curl"}
    assert all(f.fixed and f.fixed_compared for f in open_report.findings)


# --- the report -------------------------------------------------------------------------------------------------


def vector_score(record: dict[str, Any]) -> float:
    rating = score_vector(Vector(record["severity"][0]["type"], record["severity"][0]["score"]))
    assert rating is not None and rating.score is not None
    return rating.score


async def test_a_debian_image_report_traces_every_finding_to_its_record(fake: FakeOsv, http: HttpClient) -> None:
    report = await assess(OsvClient(http, OSV), BOOKWORM)
    assert report.status == "known" and report.reason is None
    shown = [(f.package, f.id, f.severity, f.fixed) for f in report.findings]
    assert shown == [
        ("curl", "DEBIAN-CVE-2023-38545", "critical", "7.88.1-10+deb12u4"),
        ("libcurl4", "DEBIAN-CVE-2023-38545", "critical", "7.88.1-10+deb12u4"),
        ("zlib1g", "DEBIAN-CVE-2023-45853", "critical", None),
        ("libc6", "DEBIAN-CVE-2023-4911", "high", "2.36-9+deb12u3"),
        ("libssl3", "DEBIAN-CVE-2023-5363", "high", "3.0.11-1~deb12u2"),
        ("openssl", "DEBIAN-CVE-2023-5363", "high", "3.0.11-1~deb12u2"),
        ("jinja2", "GHSA-h5c8-rqwp-cp95", "medium", "3.1.3"),
        ("semver", "GHSA-c2qf-rxjj-qqgw", "medium", "6.3.1"),
    ]
    for finding in report.findings:  # every fact as the record the fake served says it
        record = fake.records[finding.id]
        entries = [e for e in record["affected"] if e["package"]["name"] == finding.source]
        assert entries, finding
        fixes = {e["fixed"] for entry in entries for r in entry["ranges"] for e in r["events"] if "fixed" in e}
        assert (finding.fixed in fixes) if finding.fixed else not fixes
        assert finding.fix_available == (finding.fixed is not None)
        assert finding.score == vector_score(record)
        assert set(finding.aliases) >= set(record.get("aliases", []) + record.get("upstream", []))
    openssl = next(f for f in report.findings if f.package == "libssl3")
    assert (openssl.source, openssl.installed, openssl.also) == ("openssl", "3.0.11-1~deb12u1", ("DSA-5532-1",))
    assert openssl.aliases == ("CVE-2023-5363",) and openssl.fixed_compared
    jinja = next(f for f in report.findings if f.package == "jinja2")
    assert not jinja.fixed_compared  # PyPI versions are not ordered here: OSV's first fix, said so
    semver = next(f for f in report.findings if f.package == "semver")
    assert semver.fixed_compared  # 6.3.0 lies in the 6.0.0 - 6.3.1 range, not in 7.x's or 5.x's
    assert report.counts == {"critical": 3, "high": 3, "medium": 2, "low": 0, "none": 0, "unknown": 0}
    assert report.total == 8 and report.withdrawn == 1  # GHSA-0000-0000-w1th: dropped, counted
    assert "GHSA-0000-0000-w1th" not in {f.id for f in report.findings}
    assert (report.queried, report.queries, report.not_covered) == (9, 7, 1)
    assert report.not_covered_examples[0].reason == "the SBOM gives it no package URL"
    assert report.requests == 1 + 8 == len(fake.requests)  # one batch, eight distinct records


async def test_a_second_report_costs_only_the_batch(fake: FakeOsv, http: HttpClient) -> None:
    client = OsvClient(http, OSV)
    await assess(client, BOOKWORM)
    fake.requests.clear()
    again = await assess(client, BOOKWORM)
    assert again.requests == 1 and fake.gets() == [] and again.total == 8


async def test_an_alpine_image(http: HttpClient) -> None:
    alpine = sbom(
        "pkg:apk/alpine/libssl3@3.3.1-r3?arch=x86_64&upstream=openssl&distro=alpine-3.20.3",
        "pkg:apk/alpine/musl@1.2.5-r0?arch=x86_64&distro=alpine-3.20.3",
        os=("alpine", "3.20.3"),
    )
    report = await assess(OsvClient(http, OSV), alpine)
    [finding] = report.findings
    assert (finding.id, finding.package, finding.source, finding.ecosystem) == (
        "ALPINE-CVE-2024-6119",
        "libssl3",
        "openssl",
        "Alpine:v3.20",
    )
    assert (finding.fixed, finding.fixed_compared, finding.severity, finding.score) == ("3.3.2-r0", True, "high", 7.5)


async def test_words_rate_a_record_without_a_vector(fake: FakeOsv, http: HttpClient) -> None:
    fake.touch("DEBIAN-CVE-2023-45853", "2025-01-01T00:00:00Z", severity=[])  # [invented variant]: no NVD vector
    zlib = sbom("pkg:deb/debian/zlib1g@1:1.2.13.dfsg-1?upstream=zlib&distro=debian-12")
    report = await assess(OsvClient(http, OSV), zlib)
    [finding] = report.findings
    assert (finding.severity, finding.score, finding.severity_from) == ("low", None, "Debian urgency")
    assert report.counts is not None and report.counts["low"] == 1


async def test_osv_down_makes_the_report_unknown_never_clean(fake: FakeOsv, http: HttpClient) -> None:
    fake.down_status = 503
    report = await assess(OsvClient(http, OSV), BOOKWORM)
    assert report.status == "unknown" and report.counts is None and report.findings == ()
    assert report.reason is not None and "OSV (api.osv.dev) failed" in report.reason  # the reason; answers say "unknown" around it
    assert report.queried == 9 and report.requests == 1  # asked once; HttpClient's retries are its own


async def test_a_host_the_egress_policy_refuses_makes_the_report_unknown(http: HttpClient) -> None:
    report = await assess(OsvClient(http, "http://169.254.169.254"), BOOKWORM)
    assert report.status == "unknown" and report.counts is None
    assert report.reason is not None and "refused" in report.reason


async def test_an_image_with_nothing_osv_knows_is_unknown(http: HttpClient) -> None:
    report = await assess(OsvClient(http, OSV), sbom("pkg:generic/openjdk@21.0.4"))
    assert report.status == "unknown" and report.counts is None and report.requests == 0
    assert report.reason is not None and "no ecosystem for generic packages" in report.reason


async def test_the_limit_bounds_the_packages_asked(http: HttpClient) -> None:
    report = await assess(OsvClient(http, OSV), BOOKWORM, limit=3)
    assert report.queried == 3 and report.over_limit == 6
    assert any("past the limit of 3" in note for note in report.notes)


# --- configuration -----------------------------------------------------------------------------------------------


def test_the_osv_url_is_a_setting_and_always_allowed_by_the_egress_policy() -> None:
    assert Settings().osv_url == "https://api.osv.dev"
    environ = {"HUB_MCP_OSV_URL": "https://osv.mirror.example/", "HUB_MCP_ALLOWED_REGISTRIES": "ghcr.io"}
    settings = load_settings({}, environ)
    assert settings.osv_url == "https://osv.mirror.example"
    policy = EgressPolicy.from_settings(settings)
    assert policy.listed("osv.mirror.example", 443) and not policy.listed("api.osv.dev", 443)
    assert EgressPolicy.from_settings(Settings(allowed_registries=("ghcr.io",))).listed("api.osv.dev", 443)


async def test_records_that_cannot_be_fetched_make_the_report_unknown(fake: FakeOsv, http: HttpClient) -> None:
    fake.records_down = 500
    report = await assess(OsvClient(http, OSV), BOOKWORM)
    assert report.status == "unknown" and report.counts is None
    assert report.reason is not None and "OSV (api.osv.dev) failed" in report.reason


async def test_a_query_with_more_pages_than_read_is_cut_and_said_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import hub_mcp.vulnerabilities.osv as osv

    monkeypatch.setattr(osv, "MAX_PAGES", 0)
    fake = FakeOsv(page_size=1)
    async with HttpClient(transport=fake.transport(), sleep=no_wait) as paged:
        report = await assess(OsvClient(paged, OSV), BOOKWORM)
    assert fake.posts() == [7]  # no second round: the bound
    assert [f.id for f in report.findings if f.package == "openssl"] == ["DEBIAN-CVE-2023-5363"]
    # libssl3 and openssl (DSA and DEBIAN-CVE), jinja2 (two GHSA): each had a second page
    assert any(note.startswith("3 packages matched more vulnerabilities") for note in report.notes)


async def test_an_osv_that_does_not_answer_is_unknown_within_its_time(http: HttpClient) -> None:
    """A silent OSV ends the report as unknown after ``within`` seconds, not the call (its retries would wait)."""
    hold = asyncio.Event()

    async def silent(request: Any) -> Any:
        await hold.wait()

    import httpx

    async with HttpClient(transport=httpx.MockTransport(silent), sleep=no_wait) as client:
        report = await assess(OsvClient(client, OSV), BOOKWORM, within=0.05)
    assert report.status == "unknown" and report.counts is None
    assert report.reason == "OSV (api.osv.dev) did not answer within 0.05 seconds; try again later."
