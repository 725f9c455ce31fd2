"""review_base_images with vulnerabilities=true through mcp.Client: tags from the fake Hub, images from a real
docker-registry holding BuildKit-attested builds of python:3.12-slim (an old one, pinned by the Dockerfile, and the
new one the tag moved to: tests/advisor/test_review_vulnerabilities.py), vulnerabilities from the fake OSV. Every
request to Hub, the registry and OSV is counted: off, the review costs what it cost before the argument existed."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

import httpx
import pytest
from mcp import Client

from hub_mcp.server import create_server
from hub_mcp.vocab.references import ImageReference
from tests.advisor.test_review_vulnerabilities import NEW, OLD, UPGRADE, _attested, expected, pulled
from tests.fakes import images
from tests.fakes.attestations import push_attested_index
from tests.fakes.hub import FakeHub
from tests.fakes.osv import FakeOsv
from tests.fakes.registry import RunningRegistry, running_registry
from tests.server.conftest import make_settings
from tests.server.test_tools import call

TODAY = date(2026, 11, 26)


class Counting(httpx.AsyncBaseTransport):
    """Counts the requests it passes on."""

    def __init__(self, inner: httpx.AsyncBaseTransport) -> None:
        self.inner = inner
        self.count = 0

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.count += 1
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


@dataclass(frozen=True)
class Registry:
    running: RunningRegistry
    old: images.BuiltIndex
    new: images.BuiltIndex


@pytest.fixture(scope="module")
def registry(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    old, new = _attested(OLD, "old", provenance=True), _attested(NEW, "new")
    with running_registry(tmp_path_factory.mktemp("review-vulns-tool")) as running, running.client() as client:
        push_attested_index(client, "library/python", "3.12-slim", old)
        push_attested_index(client, "library/python", "3.12-slim", new)  # the tag moved on
        images.push_image(client, "library/debian", "12-slim", images.make_image(labels={"sbom": "none"}))
        yield Registry(running, old, new)


@dataclass
class Run:
    answer: dict[str, Any]
    hub: int
    registry: int
    osv: int
    progress: list[tuple[float, float | None, str | None]] = field(default_factory=list)


async def review(hub: FakeHub, registry: Registry, mode: str, **arguments: Any) -> Run:
    """One call on a fresh server (no answer cached from an earlier call), counting the requests it sends."""
    osv = FakeOsv()
    hub_count = Counting(httpx.ASGITransport(app=hub.app))
    registry_count = Counting(httpx.AsyncHTTPTransport())
    server = create_server(
        make_settings(registry_url=registry.running.url),
        hub_transport=hub_count,
        registry_transport=registry_count,
        osv_transport=osv.transport(),
        today=TODAY,
    )
    progress: list[tuple[float, float | None, str | None]] = []

    async def on_progress(done: float, total: float | None, message: str | None) -> None:
        progress.append((done, total, message))

    async with Client(server, mode=mode) as client:
        result = await client.call_tool("review_base_images", arguments, progress_callback=on_progress)
    assert not result.is_error, result.content[0].text
    assert result.structured_content is not None
    return Run(result.structured_content, hub_count.count, registry_count.count, len(osv.requests), progress)


async def test_off_costs_and_answers_what_it_did_before(hub: FakeHub, registry: Registry, mode: str) -> None:
    dockerfile = f"FROM python:3.12-slim@{registry.old.manifest.digest} AS app\nFROM debian:12-slim\n"
    before = await review(hub, registry, mode, dockerfile=dockerfile)
    off = await review(hub, registry, mode, dockerfile=dockerfile, vulnerabilities=False)
    assert off.answer == before.answer and "vulnerabilities" not in str(off.answer)
    assert (off.hub, off.registry, off.osv) == (before.hub, 0, 0) and off.progress == []


async def test_the_refresh_and_the_upgrade_say_what_they_remove_and_add(
    hub: FakeHub, registry: Registry, mode: str
) -> None:
    pinned = f"python:3.12-slim@{registry.old.manifest.digest}"
    dockerfile = f"FROM {pinned} AS app\nFROM debian:12-slim\n"
    off = await review(hub, registry, mode, dockerfile=dockerfile)
    # the upgrade the review proposes (from the advisor's ranking of the fake Hub), pushed as the upgrade build
    upgrade_text = off.answer["from_lines"][0]["upgrade"]
    target = ImageReference.parse(upgrade_text.split(" ", 1)[0])
    with registry.running.client() as client:
        push_attested_index(client, target.repository, target.tag or "latest", _attested(UPGRADE, "upgrade"))

    on = await review(hub, registry, mode, dockerfile=dockerfile, vulnerabilities=True)
    python, debian = on.answer["from_lines"]
    scout = [f for f in python["findings"] if "critical or high known vulnerabilit" in f]  # the one finding it adds
    assert len(scout) == 1 and ("has a fix" in scout[0] or "have a fix" in scout[0])
    rest = {k: v for k, v in python.items() if k != "vulnerabilities"} | {
        "findings": [f for f in python["findings"] if f not in scout]
    }
    assert rest == off.answer["from_lines"][0]
    old, new, up = expected(FakeOsv(), OLD), expected(FakeOsv(), NEW), expected(FakeOsv(), UPGRADE)
    vulns = python["vulnerabilities"]
    assert vulns["current"]["total"] == len(old)
    assert vulns["current"]["digest"] == registry.old.images[0].manifest.digest
    assert (vulns["refresh"]["removes"], vulns["refresh"]["adds"]) == (len(old - new), len(new - old))
    assert vulns["upgrade"]["reference"] == target.familiar
    assert (vulns["upgrade"]["removes"], vulns["upgrade"]["adds"]) == (len(old - up), len(up - old))
    assert f"the refresh removes {len(old - new)}" in vulns["summary"]
    assert vulns["built_from"] == pulled()  # the old build's provenance: what it was built FROM

    plain = debian["vulnerabilities"]["current"]
    assert "no SBOM" in plain["unknown"] and "total" not in plain and "counts" not in plain

    # the cost: Hub as before; the registry and OSV only now
    assert on.hub == off.hub and off.registry == off.osv == 0 and on.registry > 0 and on.osv > 0
    done = [p[0] for p in on.progress]  # one notification to start, then one per image assessed
    assert done == list(range(len(done))) and on.progress[-1][1] == len(done) - 1 == 5
