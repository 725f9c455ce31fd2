"""list_image_packages, get_image_provenance and list_image_vulnerabilities through mcp.Client, against a real
docker-registry holding a BuildKit-attested index (Syft-shaped SBOMs: Debian 12 on amd64, Alpine 3.20 on arm64;
SLSA v0.2 and v1 provenance) and the fake OSV. Every fact in an answer is checked against the statement or the
record it came from (the data rows of tests/fakes/sboms.py, the fake's records), never against typed-in numbers."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from mcp import Client

from hub_mcp.server import create_server
from tests.conftest import Pushed
from tests.fakes import images, sboms
from tests.fakes.attestations import SLSA_V1, SLSA_V02, SPDX, attested_index, buildkit_attestation, push_attested_index
from tests.fakes.osv import FakeOsv
from tests.fakes.registry import running_registry
from tests.server.conftest import make_settings
from tests.server.test_tools import call


@dataclass(frozen=True)
class Attested:
    host: str
    index: images.BuiltIndex
    amd64: images.BuiltImage
    arm64: images.BuiltImage
    url: str


def _statement(kind: str, predicate: dict[str, Any], image: images.BuiltImage) -> tuple[str, bytes]:
    return kind, sboms.statement(kind, predicate, image.manifest.digest)


@pytest.fixture(scope="module")
def attested(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Attested]:
    amd64 = images.make_image(architecture="amd64")
    arm64 = images.make_image(architecture="arm64", variant="v8")
    made = [
        buildkit_attestation(
            amd64, [_statement(SPDX, sboms.debian_sbom(), amd64), _statement(SLSA_V02, sboms.provenance_v02(), amd64)]
        ),
        buildkit_attestation(
            arm64,
            [_statement(SPDX, sboms.alpine_sbom(), arm64), _statement(SLSA_V1, sboms.provenance_v1(mode="max"), arm64)],
        ),
    ]
    index = attested_index([amd64, arm64], made)
    with running_registry(tmp_path_factory.mktemp("facts-registry")) as running, running.client() as client:
        push_attested_index(client, "acme/app", "1.0", index)
        images.push_image(client, "acme/plain", "1", images.make_image())
        yield Attested(running.host, index, amd64, arm64, running.url)


@pytest.fixture
def osv() -> FakeOsv:
    return FakeOsv()


@pytest.fixture
async def client(attested: Attested, osv: FakeOsv, mode: str) -> AsyncIterator[Client]:
    server = create_server(make_settings(registry_url=attested.url), osv_transport=osv.transport())
    async with Client(server, mode=mode) as c:
        yield c


def _debian() -> dict[str, tuple[str, str]]:
    """name -> (version, source) of every package the Debian SBOM lists, from the data it was made from."""
    rows = {row.name: (row.version, row.source or row.name) for row in sboms.debian_rows()}
    rows.update({row.name: (row.version, row.name) for row in sboms.language_rows()})
    return rows


async def test_packages_are_the_sboms_own_for_the_platform_asked(client: Client, attested: Attested) -> None:
    ref = f"{attested.host}/acme/app:1.0"
    answer = await call(client, "list_image_packages", reference=ref, limit=200)
    rows = _debian()
    types = Counter(["deb"] * len(sboms.debian_rows()) + [row.type for row in sboms.language_rows()])
    assert answer["image"]["found"] is True and answer["image"]["via"] == "index"
    assert answer["image"]["digest"] == attested.amd64.manifest.digest
    assert answer["os"] == "debian 12"
    assert answer["total"] == sum(types.values()) and answer["by_type"] == dict(types)
    assert answer["next_page"] == 2 and len(answer["packages"]) == 200
    for package in answer["packages"]:
        version, source = rows[package["name"]]
        assert package["version"] == version
        assert package.get("source", package["name"]) == source
    names = [p["name"].lower() for p in answer["packages"]]
    assert names == sorted(names)

    arm = await call(client, "list_image_packages", reference=ref, platform="linux/arm64", type="apk")
    assert arm["image"]["digest"] == attested.arm64.manifest.digest
    assert arm["os"].startswith("alpine 3.20")
    alpine = {row.name: row.version for row in sboms.alpine_rows()}
    assert arm["matched"] == len(alpine) and {p["name"]: p["version"] for p in arm["packages"]} == alpine


async def test_a_name_filter_pages_through_exactly_the_matching_packages(client: Client, attested: Attested) -> None:
    ref = f"{attested.host}/acme/app:1.0"
    expected = sorted(name for name in _debian() if "lib" in name.lower())
    seen: list[str] = []
    page: int | None = 1
    while page is not None:
        answer = await call(client, "list_image_packages", reference=ref, name="LIB", limit=37, page=page)
        assert answer["matched"] == len(expected)
        seen += [p["name"] for p in answer["packages"]]
        page = answer.get("next_page")
    assert sorted(seen) == expected and len(seen) == len(set(seen))
    none = await call(client, "list_image_packages", reference=ref, name="no-such-package-here")
    assert none["matched"] == 0 and none["packages"] == [] and "matches" in none["message"]


async def test_an_image_without_an_sbom_is_unknown_never_empty(client: Client, attested: Attested) -> None:
    answer = await call(client, "list_image_packages", reference=f"{attested.host}/acme/plain:1")
    assert answer["image"]["found"] is False and answer["image"]["looked"]
    assert "total" not in answer and "packages" not in answer and "by_type" not in answer
    assert "not known" in answer["message"] and "SBOM" in answer["message"]
    vulns = await call(client, "list_image_vulnerabilities", reference=f"{attested.host}/acme/plain:1")
    assert vulns["status"] == "unknown" and "counts" not in vulns and "findings" not in vulns
    assert "not known" in vulns["message"]


async def test_provenance_names_the_source_and_the_base_image_it_was_built_from(
    client: Client, attested: Attested
) -> None:
    ref = f"{attested.host}/acme/app:1.0"
    for platform, predicate in (("linux/amd64", sboms.provenance_v02()), ("linux/arm64", sboms.provenance_v1())):
        answer = await call(client, "get_image_provenance", reference=ref, platform=platform)
        if "invocation" in predicate:
            source, started = predicate["invocation"]["configSource"], predicate["metadata"]["buildStartedOn"]
            materials, dockerfile = predicate["materials"], source["entryPoint"]
        else:
            source = predicate["buildDefinition"]["externalParameters"]["configSource"]
            started = predicate["runDetails"]["metadata"]["startedOn"]
            materials, dockerfile = predicate["buildDefinition"]["resolvedDependencies"], source["path"]
        assert answer["slsa_version"] == ("0.2" if "invocation" in predicate else "1")
        assert answer["source"] == source["uri"] and answer["commit"] == source["digest"]["sha1"]
        assert answer["dockerfile"] == dockerfile and answer["build_started"] == started
        pulled = {
            m["uri"]: m["digest"]["sha256"] for m in materials if m["uri"].startswith("pkg:docker/")
        }
        bases = {b["reference"]: b["digest"] for b in answer["base_images"]}
        assert "docker/dockerfile" not in " ".join(bases)  # the frontend is not a base image
        assert bases == {
            _reference(uri): f"sha256:{digest}" for uri, digest in pulled.items() if "docker/dockerfile" not in uri
        }
        assert "debian:12-slim" in answer["message"]


def _reference(uri: str) -> str:
    """``pkg:docker/debian@12-slim?platform=...`` -> ``debian:12-slim`` (what a FROM line names)."""
    name, _, version = uri.removeprefix("pkg:docker/").split("?", 1)[0].partition("@")
    return f"{unquote(name)}:{unquote(version)}"


async def test_vulnerabilities_trace_to_osv_records_and_the_sbom(client: Client, attested: Attested, osv: FakeOsv) -> None:
    ref = f"{attested.host}/acme/app:1.0"
    answer = await call(client, "list_image_vulnerabilities", reference=ref, limit=50)
    assert answer["status"] == "known" and answer["database"] == "OSV (api.osv.dev)"
    assert answer["total"] == sum(answer["counts"].values()) > 0
    rows = _debian()
    records = osv.records
    for finding in answer["findings"]:
        record = records[finding["id"]]
        assert finding["installed"] == rows[finding["package"]][0]
        named = {a["package"]["name"] for a in record["affected"]}
        assert finding.get("source", finding["package"]) in named
        fixes = {e["fixed"] for a in record["affected"] for r in a.get("ranges", []) for e in r["events"] if "fixed" in e}
        assert finding.get("fixed") is None or finding["fixed"] in fixes
        cves = set(record.get("aliases", [])) | set(record.get("upstream", []))
        assert set(finding.get("aliases", [])) <= cves | {record["id"]} | _joined(records, finding["id"])
    order = ["critical", "high", "medium", "low", "none", "unknown"]
    ranks = [order.index(f["severity"]) for f in answer["findings"]]
    assert ranks == sorted(ranks)

    high = await call(client, "list_image_vulnerabilities", reference=ref, min_severity="high")
    assert high["matched"] == answer["counts"].get("critical", 0) + answer["counts"].get("high", 0)
    assert high["total"] == answer["total"] and high["counts"] == answer["counts"]  # counts are the image's
    distinct = len({f["id"] for f in answer["findings"]})
    assert f"OSV knows {distinct} vulnerabilit" in answer["message"] and f"{answer['total']} finding" in answer["message"]
    assert all(f["severity"] in ("critical", "high") for f in high["findings"])


def _joined(records: dict[str, dict[str, Any]], vuln_id: str) -> set[str]:
    """Ids and CVEs of the records that share a name with ``vuln_id``'s record (reported as one finding)."""
    def names(record: dict[str, Any]) -> set[str]:
        return {record["id"], *record.get("aliases", []), *record.get("upstream", [])}

    own = names(records[vuln_id])
    return set().union(*(names(r) for r in records.values() if names(r) & own))


async def test_osv_down_is_unknown_with_the_reason(attested: Attested, mode: str) -> None:
    def down(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    server = create_server(make_settings(registry_url=attested.url), osv_transport=httpx.MockTransport(down))
    async with Client(server, mode=mode) as c:
        answer = await call(c, "list_image_vulnerabilities", reference=f"{attested.host}/acme/app:1.0")
    assert answer["status"] == "unknown" and "OSV" in answer["reason"]
    assert "counts" not in answer and "findings" not in answer
    assert answer["packages_queried"] > 0 and "unknown" in answer["message"]


async def test_answers_are_a_fraction_of_the_raw_documents(client: Client, attested: Attested) -> None:
    ref = f"{attested.host}/acme/app:1.0"
    raw = len(json.dumps(sboms.debian_sbom()))
    answer = await call(client, "list_image_packages", reference=ref)
    assert len(json.dumps(answer)) < raw / 10


async def test_inspect_names_what_the_image_was_built_from(client: Client, attested: Attested) -> None:
    ref = f"{attested.host}/acme/app:1.0"
    for platform, predicate in (("linux/amd64", sboms.provenance_v02()), ("linux/arm64", sboms.provenance_v1())):
        materials = predicate.get("materials") or predicate["buildDefinition"]["resolvedDependencies"]
        want = [
            f"{_reference(m['uri'])}@sha256:{m['digest']['sha256']}"
            for m in materials
            if m["uri"].startswith("pkg:docker/") and "docker/dockerfile" not in m["uri"]
        ]
        info = await call(client, "inspect_image", reference=ref, platform=platform)
        assert info["built_from"] == want and want
    plain = await call(client, "inspect_image", reference=f"{attested.host}/acme/plain:1")
    assert "built_from" not in plain


async def test_inspect_reads_the_provenance_beside_the_config_and_the_index_once(attested: Attested) -> None:
    """Two requests more for an image that carries provenance (its attestation manifest and blob), none for one
    that does not; the index is read once although both lookups start there."""
    from hub_mcp.attestations.service import ImageFactsService
    from hub_mcp.net.http import HttpClient, call_scope
    from hub_mcp.registry.client import RegistryClient
    from hub_mcp.registry.service import RegistryService
    from hub_mcp.services import Services

    async def cost(reference: str, with_facts: bool) -> tuple[int, Any]:
        async with HttpClient() as http:
            client = RegistryClient(http)
            facts = ImageFactsService(client)
            services = Services(hub=None, registry=RegistryService(client), advisor=None, facts=facts)  # type: ignore[arg-type]
            with call_scope():
                if with_facts:
                    answer = await services.inspect_image(reference)
                else:
                    answer = await services.registry.inspect_image(reference)
            return http.requests_sent, answer

    attested_ref, plain_ref = f"{attested.host}/acme/app:1.0", f"{attested.host}/acme/plain:1"
    alone, _ = await cost(attested_ref, with_facts=False)
    both, answer = await cost(attested_ref, with_facts=True)
    assert both == alone + 2 and answer.built_from
    alone, _ = await cost(plain_ref, with_facts=False)
    both, answer = await cost(plain_ref, with_facts=True)
    assert both == alone and answer.built_from is None


async def test_a_platform_digest_says_where_the_attestations_are(client: Client, attested: Attested) -> None:
    """BuildKit hangs attestations off the index: a platform manifest's digest does not lead back to it."""
    ref = f"{attested.host}/acme/app@{attested.amd64.manifest.digest}"
    answer = await call(client, "list_image_packages", reference=ref)
    assert answer["image"]["found"] is False and "page" not in answer
    assert "multi-platform index" in answer["message"] and "index digest" in answer["message"]
    by_index = await call(client, "list_image_packages", reference=f"{attested.host}/acme/app@{attested.index.manifest.digest}")
    assert by_index["image"]["found"] is True and by_index["image"]["digest"] == attested.amd64.manifest.digest


async def test_an_unknown_package_type_names_the_types_there_are(client: Client, attested: Attested) -> None:
    answer = await call(client, "list_image_packages", reference=f"{attested.host}/acme/app:1.0", type="pip")
    assert answer["matched"] == 0 and "did you mean 'pypi'?" in answer["message"]
    for kind in answer["by_type"]:
        assert kind in answer["message"]


async def test_a_silent_osv_is_unknown_inside_the_calls_deadline(attested: Attested, mode: str) -> None:
    """OSV gets a third of the call: an OSV that never answers is said as unknown, not a timed-out call."""
    hold = asyncio.Event()

    async def silent(request: httpx.Request) -> httpx.Response:
        await hold.wait()
        return httpx.Response(200, json={})

    settings = make_settings(registry_url=attested.url, call_timeout=3)
    async with Client(create_server(settings, osv_transport=httpx.MockTransport(silent)), mode=mode) as c:
        answer = await call(c, "list_image_vulnerabilities", reference=f"{attested.host}/acme/app:1.0")
    assert answer["status"] == "unknown" and "did not answer within 1 seconds" in answer["reason"]
    assert "counts" not in answer and "unknown (not none)" in answer["message"]


async def test_an_osv_address_without_the_api_says_to_check_the_setting(attested: Attested, osv: FakeOsv, mode: str) -> None:
    osv.down_status = 404
    server = create_server(make_settings(registry_url=attested.url), osv_transport=osv.transport())
    async with Client(server, mode=mode) as c:
        answer = await call(c, "list_image_vulnerabilities", reference=f"{attested.host}/acme/app:1.0")
    assert answer["status"] == "unknown" and "HUB_MCP_OSV_URL" in answer["reason"]
    assert answer["message"].count(answer["reason"].rstrip(".")) == 1 and "try again" not in answer["reason"]


async def test_a_big_sbom_is_kept_as_its_package_list_not_as_the_document(attested: Attested) -> None:
    """A parsed SBOM costs several times its bytes (a 20 MB Syft document with its file list: +84 MB), so the
    client does not keep big statements; the service keeps the package list, and a warm call reads nothing."""
    from hub_mcp.attestations.service import ImageFactsService
    from hub_mcp.net.http import HttpClient
    from hub_mcp.registry.client import MAX_CACHED_STATEMENT_BYTES, RegistryClient

    image = images.make_image(architecture="amd64", labels={"org.example.big": "1"})
    document = sboms.debian_sbom()
    document["files"] = [  # Syft lists files with checksums: what makes real SBOMs big
        {"fileName": f"/usr/lib/python3/dist-packages/pkg{n}/module.py", "SPDXID": f"SPDXRef-File-{n:08x}",
         "checksums": [{"algorithm": "SHA256", "checksumValue": f"{n:064x}"}]}
        for n in range(6000)
    ]
    blob = sboms.statement(SPDX, document, image.manifest.digest)
    assert len(blob) > MAX_CACHED_STATEMENT_BYTES
    index = attested_index([image], [buildkit_attestation(image, [(SPDX, blob)])])
    with httpx.Client(base_url=attested.url) as pusher:
        push_attested_index(pusher, "acme/big", "1", index)
    async with HttpClient() as http:
        client = RegistryClient(http)
        service = ImageFactsService(client)
        cold = await service.image_packages(f"{attested.host}/acme/big:1")
        before = http.requests_sent
        warm = await service.image_packages(f"{attested.host}/acme/big:1")
        assert http.requests_sent == before and warm == cold and cold.total == len(_debian())
        assert len(client._statements) == 0  # noqa: SLF001 - the document was not kept


async def test_an_attestation_about_another_image_is_not_used_and_said(client: Client, attested: Attested) -> None:
    """The statement's subject must be this platform image's digest [documented: in-toto Statement ``subject``;
    BuildKit writes the image manifest's digest there]."""
    image = images.make_image(architecture="amd64", labels={"org.example.other-subject": "1"})
    wrong = sboms.statement(SPDX, sboms.debian_sbom(), "b" * 64)
    index = attested_index([image], [buildkit_attestation(image, [(SPDX, wrong)])])
    with httpx.Client(base_url=attested.url) as pusher:
        push_attested_index(pusher, "acme/other", "1", index)
    answer = await call(client, "list_image_packages", reference=f"{attested.host}/acme/other:1")
    assert answer["image"]["found"] is False and "packages" not in answer
    assert "names another image as its subject" in answer["message"]
