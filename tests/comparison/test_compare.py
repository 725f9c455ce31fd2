"""compare_images on a real docker-registry, with images built here to differ in known ways; every difference the
answer reports is checked against what was built (the configs, layers and SBOM rows below), and the registry
requests of each side are counted by path.

before (acme/before:1, one platform, linux/amd64) and after (acme/after:2, linux/amd64 and linux/arm64) share their
base layer and differ in the top one; after runs as 1000:1000, adds NEW, drops GONE, changes CHANGE and the
secret-looking API_TOKEN, changes one label, adds an entrypoint and a port, and its SBOM upgrades curl past a fix,
downgrades libssl3 below one, changes pip (no PyPI order here), drops oldpkg and adds newpkg.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

import httpx
import pytest
from mcp import Client

from hub_mcp.attestations.service import ImageFactsService
from hub_mcp.comparison.service import ImageComparer
from hub_mcp.errors import NotFound
from hub_mcp.net.http import HttpClient
from hub_mcp.registry.client import RegistryClient
from hub_mcp.server import create_server
from hub_mcp.vulnerabilities.osv import OsvClient
from tests.fakes import images, sboms
from tests.fakes.attestations import SPDX, attested_index, buildkit_attestation, push_attested_index
from tests.fakes.osv import FakeOsv
from tests.fakes.registry import running_registry
from tests.server.conftest import make_settings
from tests.server.test_tools import call, fail

PATH = "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
BASE = {"etc/os-release": b'NAME="Fake Linux"\nID=fake\n', "bin/hello": b"#!/bin/sh\necho hi\n"}
#: (type, name, version) of each side's SBOM
BEFORE_PACKAGES = [
    ("deb", "base-files", "12.4+deb12u8"),
    ("deb", "curl", "7.88.1-10+deb12u3"),  # below the fix of CVE-2023-38545 (deb12u4)
    ("deb", "libssl3", "3.0.15-1~deb12u1"),
    ("deb", "zlib1g", "1:1.2.13.dfsg-1"),
    ("deb", "oldpkg", "1.0-1"),
    ("pypi", "pip", "24.0"),
]
AFTER_PACKAGES = [
    ("deb", "base-files", "12.4+deb12u8"),
    ("deb", "curl", "7.88.1-10+deb12u14"),  # upgraded, past the fix
    ("deb", "libssl3", "3.0.11-1~deb12u1"),  # downgraded, below the fix of CVE-2023-5363 (3.0.11-1~deb12u2)
    ("deb", "zlib1g", "1:1.2.13.dfsg-1"),
    ("deb", "newpkg", "2.0-1"),
    ("pypi", "pip", "24.1"),
]
SOURCES = {"curl": "curl", "libssl3": "openssl", "zlib1g": "zlib"}


def spdx(rows: list[tuple[str, str, str]], arch: str = "amd64") -> dict[str, Any]:
    """A small SPDX 2.3 document with these packages, purls as Syft writes them."""
    packages = []
    for i, (kind, name, version) in enumerate(rows):
        if kind == "deb":
            upstream = f"&upstream={SOURCES[name]}" if name in SOURCES else ""
            purl = f"pkg:deb/debian/{name}@{quote(version, safe='+~.-')}?arch={arch}{upstream}&distro=debian-12"
        else:
            purl = f"pkg:{kind}/{name}@{version}"
        packages.append({
            "name": name, "SPDXID": f"SPDXRef-Package-{kind}-{name}-{i}", "versionInfo": version,
            "downloadLocation": "NOASSERTION",
            "externalRefs": [{"referenceCategory": "PACKAGE-MANAGER", "referenceType": "purl", "referenceLocator": purl}],
        })
    return {"spdxVersion": "SPDX-2.3", "SPDXID": "SPDXRef-DOCUMENT", "name": "sbom", "packages": packages}


def with_sbom(image: images.BuiltImage, rows: list[tuple[str, str, str]]) -> images.BuiltImage:
    return buildkit_attestation(image, [(SPDX, sboms.statement(SPDX, spdx(rows, image.architecture), image.manifest.digest))])


BEFORE_CONFIG: dict[str, Any] = dict(
    env=[PATH, "KEEP=1", "GONE=x", "CHANGE=old", "API_TOKEN=first-secret"],
    labels={"org.opencontainers.image.version": "1.0", "same": "x"},
    exposed_ports=["8080"],
    cmd=["python", "app.py"],
    working_dir="/app",
    created="2026-09-01T10:00:00Z",
)
AFTER_CONFIG: dict[str, Any] = dict(
    user="1000:1000",
    env=[PATH, "KEEP=1", "CHANGE=new", "NEW=added", "API_TOKEN=second-secret"],
    labels={"org.opencontainers.image.version": "2.0", "same": "x"},
    exposed_ports=["8080", "9090/udp"],
    entrypoint=["tini", "--"],
    cmd=["python", "app.py"],
    working_dir="/app",
    created="2026-10-01T10:00:00Z",
)


@dataclass(frozen=True)
class Built:
    host: str
    url: str
    before: images.BuiltImage
    after: images.BuiltImage
    after_arm: images.BuiltImage
    plain: images.BuiltImage

    def ref(self, name: str) -> str:
        return f"{self.host}/{name}"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Built]:
    before = images.make_image(layer_files=[BASE, {"app/main.py": b"print(1)\n"}], **BEFORE_CONFIG)
    after = images.make_image(layer_files=[BASE, {"app/main.py": b"print(2)\n" * 50}], **AFTER_CONFIG)
    after_arm = images.make_image(architecture="arm64", variant="v8", layer_files=[BASE, {"a": b"arm"}], **AFTER_CONFIG)
    plain = images.make_image(layer_files=[BASE, {"app/main.py": b"print(1)\n"}], **BEFORE_CONFIG)
    with running_registry(tmp_path_factory.mktemp("compare-registry")) as running, running.client() as client:
        push_attested_index(client, "acme/before", "1", attested_index([before], [with_sbom(before, BEFORE_PACKAGES)]))
        push_attested_index(
            client, "acme/after", "2",
            attested_index([after, after_arm], [with_sbom(after, AFTER_PACKAGES), with_sbom(after_arm, AFTER_PACKAGES)]),
        )
        images.push_image(client, "acme/plain", "1", plain)  # no index, no SBOM
        yield Built(running.host, running.url, before, after, after_arm, plain)


class Recording(httpx.AsyncBaseTransport):
    """The real network, with every request's method and path written down."""

    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, str, int]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self.inner.handle_async_request(request)
        self.seen.append((request.method, request.url.path, response.status_code))
        return response

    def per_repository(self) -> Counter[str]:
        return Counter("/".join(path.split("/")[2:4]) for _, path, _ in self.seen)


@dataclass
class Rig:
    comparer: ImageComparer
    recording: Recording
    osv: FakeOsv


@pytest.fixture
async def rig() -> AsyncIterator[Rig]:
    recording, osv = Recording(), FakeOsv()
    async with HttpClient(transport=recording) as http, HttpClient(transport=osv.transport()) as osv_http:
        client = RegistryClient(http)
        yield Rig(ImageComparer(client, ImageFactsService(client, OsvClient(osv_http, "https://api.osv.dev"))), recording, osv)


# --- every difference, against what was built -------------------------------------------------------------


async def test_every_reported_difference_is_one_the_test_built(rig: Rig, built: Built) -> None:
    answer = await rig.comparer.compare(built.ref("acme/before:1"), built.ref("acme/after:2"), vulnerabilities=True)
    old, new = answer.before, answer.after
    assert (old.manifest_digest, new.manifest_digest) == (built.before.manifest.digest, built.after.manifest.digest)
    assert old.platforms == ["linux/amd64"] and new.platforms == ["linux/amd64", "linux/arm64/v8"]
    assert (old.size_bytes, new.size_bytes) == (built.before.compressed_size, built.after.compressed_size)
    assert (old.layers, new.layers) == (2, 2)
    assert (old.created, new.created) == ("2026-09-01T10:00:00Z", "2026-10-01T10:00:00Z")
    assert not answer.identical

    base = built.before.layers[0]
    assert base.digest == built.after.layers[0].digest and built.before.layers[1].digest != built.after.layers[1].digest
    layers = answer.layers
    assert (layers.shared, layers.shared_bytes, layers.same_base) == (1, base.size, 1)
    assert (layers.only_before, layers.only_after) == (1, 1)
    assert layers.size_change_bytes == built.after.compressed_size - built.before.compressed_size

    config = answer.config
    assert config is not None
    assert config.model_dump(exclude_none=True) == {
        "user": {"before": "root", "after": "1000:1000"},
        "entrypoint": {"after": ["tini", "--"]},
        "ports_added": ["9090/udp"],
        "env": {
            "added": {"NEW": "added"},
            "removed": ["GONE"],
            "changed": [
                {"name": "API_TOKEN", "before": "<redacted>", "after": "<redacted>"},  # a secret's change, not its value
                {"name": "CHANGE", "before": "old", "after": "new"},
            ],
        },
        "labels": {"changed": [{"name": "org.opencontainers.image.version", "before": "1.0", "after": "2.0"}]},
    }  # cmd, working_dir, PATH, KEEP and the label 'same' are the same: not there

    packages = answer.packages
    assert packages is not None and packages.status == "known"
    rows = lambda group: [(p.name, p.type, p.before, p.after) for p in group or []]  # noqa: E731
    assert rows(packages.added) == [("newpkg", "deb", None, "2.0-1")]
    assert rows(packages.removed) == [("oldpkg", "deb", "1.0-1", None)]
    assert rows(packages.upgraded) == [("curl", "deb", "7.88.1-10+deb12u3", "7.88.1-10+deb12u14")]
    assert rows(packages.downgraded) == [("libssl3", "deb", "3.0.15-1~deb12u1", "3.0.11-1~deb12u1")]
    assert rows(packages.changed) == [("pip", "pypi", "24.0", "24.1")]  # no PyPI order here: changed, not upgraded
    assert packages.counts == {"added": 1, "removed": 1, "upgraded": 1, "downgraded": 1, "changed": 1, "unchanged": 2}
    assert (old.packages, new.packages) == (len(BEFORE_PACKAGES), len(AFTER_PACKAGES))

    # vulnerabilities: each side's counts are what list_image_vulnerabilities says of it; curl's finding is fixed
    # (upgraded past its fix), openssl's introduced (libssl3 downgraded below its fix), zlib's in both (no fix)
    vulns = answer.vulnerabilities
    assert vulns is not None and vulns.status == "known"
    each = [await rig.comparer.facts.image_vulnerabilities(r) for r in (built.ref("acme/before:1"), built.ref("acme/after:2"))]
    assert (vulns.before, vulns.after) == (each[0].counts, each[1].counts)
    assert (vulns.before_total, vulns.after_total) == (each[0].total, each[1].total)
    ids = [{(f.package, f.id) for f in side.findings or []} for side in each]
    assert {p for p, _ in ids[0] - ids[1]} == {"curl"} and {p for p, _ in ids[1] - ids[0]} == {"libssl3"}
    assert {p for p, _ in ids[0] & ids[1]} == {"zlib1g"}
    assert (vulns.fixed, vulns.introduced) == (len(ids[0] - ids[1]), len(ids[1] - ids[0]))
    # named too: which finding went and which came, with its package and severity (as each side's list says)
    named = [{f"({f.package}, {f.severity})" for f in side.findings or []} for side in each]
    assert vulns.fixed_findings and all(n.split(" ", 1)[1] in named[0] and "curl" in n for n in vulns.fixed_findings)
    assert vulns.introduced_findings and all("libssl3" in n for n in vulns.introduced_findings)
    levels = set(vulns.before or {}) | set(vulns.after or {})
    expected = {lvl: (vulns.after or {}).get(lvl, 0) - (vulns.before or {}).get(lvl, 0) for lvl in levels}
    assert vulns.delta == {lvl: d for lvl, d in expected.items() if d}
    assert "1 upgraded" in answer.message and "1 downgraded" in answer.message


async def test_cold_each_side_costs_at_most_six_registry_requests(rig: Rig, built: Built) -> None:
    await rig.comparer.compare(built.ref("acme/before:1"), built.ref("acme/after:2"))
    per_side = rig.recording.per_repository()
    # index, platform manifest, config, attestation manifest, SBOM blob (anonymous registry: no token)
    assert per_side == {"acme/before": 5, "acme/after": 5}, rig.recording.seen
    assert all(status == 200 for _, _, status in rig.recording.seen)

    start = len(rig.recording.seen)
    await rig.comparer.compare(built.ref("acme/before:1"), built.ref("acme/after:2"))
    assert len(rig.recording.seen) == start  # warm: every read from the client's caches


async def test_a_side_without_an_sbom_costs_the_referrers_look_and_its_packages_are_unknown(rig: Rig, built: Built) -> None:
    answer = await rig.comparer.compare(built.ref("acme/plain:1"), built.ref("acme/after:2"), vulnerabilities=True)
    per_side = rig.recording.per_repository()
    # a single-platform image: manifest, config, the referrers API (404 here), the referrers tag
    assert per_side["acme/plain"] == 4 and per_side["acme/after"] == 5, "\n".join(map(str, rig.recording.seen))
    assert answer.packages is not None and answer.packages.status == "unknown"
    assert answer.packages.counts is None and answer.packages.added is None
    assert answer.packages.reason and answer.packages.reason.startswith("before:") and "SBOM" in answer.packages.reason
    assert answer.before.packages is None and answer.after.packages == len(AFTER_PACKAGES)
    vulns = answer.vulnerabilities
    assert vulns is not None and vulns.status == "unknown" and vulns.delta is None and vulns.before is None
    assert vulns.after is not None  # the side that is known keeps its counts
    assert "unknown" in answer.message
    # the config of the same build is the same: only the user, entrypoint, port, env and label differences remain
    assert answer.config is not None and answer.config.user is not None
    assert answer.layers.shared == 1


async def test_without_packages_a_side_costs_the_image_alone(rig: Rig, built: Built) -> None:
    answer = await rig.comparer.compare(built.ref("acme/before:1"), built.ref("acme/after:2"), packages=False)
    assert rig.recording.per_repository() == {"acme/before": 3, "acme/after": 3}
    assert answer.packages is None and answer.vulnerabilities is None and answer.after.packages is None


async def test_identical_images_say_so(rig: Rig, built: Built) -> None:
    ref = built.ref("acme/after:2")
    answer = await rig.comparer.compare(ref, f"{built.host}/acme/after@{built.after.manifest.digest}")
    assert answer.identical and answer.config is None
    assert answer.layers.shared == 2 and answer.layers.size_change_bytes == 0 and answer.layers.only_after == 0
    assert "identical" in answer.message and "nothing differs" in answer.message


# --- what cannot be compared: one sentence each ---------------------------------------------------------


async def test_a_reference_that_does_not_exist_is_one_sentence(rig: Rig, built: Built) -> None:
    with pytest.raises(NotFound) as caught:
        await rig.comparer.compare(built.ref("acme/before:1"), built.ref("acme/after:9"))
    text = str(caught.value)
    assert text == (
        f"Cannot compare: after ({built.ref('acme/after:9')}) does not exist on {built.host} (no such tag, digest or"
        " repository); list the repository's tags (list_tags) to see which exist."
    )


async def test_a_platform_one_side_lacks_names_the_platforms_both_offer(rig: Rig, built: Built) -> None:
    with pytest.raises(NotFound) as caught:
        await rig.comparer.compare(built.ref("acme/before:1"), built.ref("acme/after:2"), "linux/arm64")
    assert str(caught.value) == (
        f"The before image {built.ref('acme/before:1')} has no linux/arm64/v8 image (it offers linux/amd64), so the"
        " two cannot be compared on linux/arm64/v8; ask with a platform both offer: linux/amd64."
    )


# --- through the MCP tool ---------------------------------------------------------------------------------


@pytest.fixture
async def client(built: Built) -> AsyncIterator[Client]:
    server = create_server(make_settings(registry_url=built.url), osv_transport=FakeOsv().transport())
    async with Client(server) as c:
        yield c


async def test_the_tool_answers_compactly_and_errors_in_one_sentence(client: Client, built: Built) -> None:
    answer = await call(client, "compare_images", before=built.ref("acme/before:1"), after=built.ref("acme/after:2"))
    assert answer["packages"]["counts"]["upgraded"] == 1 and "vulnerabilities" not in answer
    assert answer["config"]["env"]["removed"] == ["GONE"]
    assert len(json.dumps(answer)) < 4000
    missing = await fail(client, "compare_images", before=built.ref("acme/nothing:1"), after=built.ref("acme/after:2"))
    assert missing.startswith("Cannot compare: before (") and missing.count(". ") == 0
    lacking = await fail(
        client, "compare_images", before=built.ref("acme/after:2"), after=built.ref("acme/plain:1"), platform="arm64"
    )
    assert "The after image" in lacking and "both offer: none" not in lacking and "share no platform" not in lacking
