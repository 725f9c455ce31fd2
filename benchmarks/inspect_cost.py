"""inspect_image: upstream requests and wall time, cold and warm.

Two registries, measured through the service the tool calls (``RegistryService``), with the
requests counted by the HTTP client itself:

* **local**: Debian's ``docker-registry`` on loopback (anonymous), the test suite's multi-arch
  image pushed to it. Skipped, and said so, when the binary is missing.
* **hub-like**: a registry that, like Docker Hub, answers 401 with a Bearer challenge and wants a
  token from a separate realm (the test suite's respx fake), with ``--latency`` seconds (default
  50 ms) injected before every response, so wall time shows round trips.

Rows: cold (new client), warm (same client, within the tag TTL), and warm after the tag TTL
expired (a HEAD revalidates the tag; manifests and config come from the cache).
"""

from __future__ import annotations

import asyncio
import shutil
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import respx

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from hub_mcp.net.http import HttpClient  # noqa: E402
from hub_mcp.registry.client import RegistryClient  # noqa: E402
from hub_mcp.registry.service import RegistryService  # noqa: E402
from tests.fakes import images  # noqa: E402


@dataclass
class InspectRow:
    registry: str
    case: str
    requests: int
    ms: float
    note: str = ""


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class SlowTransport(httpx.AsyncBaseTransport):
    """Adds a fixed latency to every response of another transport."""

    def __init__(self, inner: httpx.AsyncBaseTransport, latency: float) -> None:
        self.inner = inner
        self.latency = latency

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(self.latency)
        return await self.inner.handle_async_request(request)


async def _measure(service: RegistryService, http: HttpClient, reference: str, platform: str) -> tuple[int, float]:
    before = http.requests_sent
    started = time.perf_counter()
    await service.inspect_image(reference, platform)
    return http.requests_sent - before, (time.perf_counter() - started) * 1000


async def _series(name: str, client: RegistryClient, http: HttpClient, clock: Clock, reference: str) -> list[InspectRow]:
    service = RegistryService(client)
    rows = []
    for case in ("cold", "warm"):
        count, ms = await _measure(service, http, reference, "linux/arm64")
        rows.append(InspectRow(name, case, count, ms))
    clock.now += 3600  # past the tag TTL (and the token's lifetime)
    count, ms = await _measure(service, http, reference, "linux/arm64")
    rows.append(InspectRow(name, "warm, tag TTL expired", count, ms, "HEAD revalidates the tag (+ token if expired)"))
    count, ms = await _measure(service, http, reference, "linux/arm/v7")
    rows.append(InspectRow(name, "other platform, warm index", count, ms))
    return rows


async def _local() -> list[InspectRow]:
    from tests.fakes.registry import running_registry

    if not Path("/usr/bin/docker-registry").exists() and not shutil.which("docker-registry"):
        return [InspectRow("local", "skipped", 0, 0.0, "docker-registry is not installed")]
    with tempfile.TemporaryDirectory() as tmp, running_registry(Path(tmp)) as running:
        with running.client() as pusher:
            images.push_index(pusher, "bench/app", "1", images.multi_arch_index())
        clock = Clock()
        async with HttpClient() as http:
            client = RegistryClient(http, clock=clock)
            return await _series("local docker-registry", client, http, clock, f"{running.host}/bench/app:1")


async def _hub_like(latency: float) -> list[InspectRow]:
    from tests.registry.bearer import REGISTRY, BearerRegistry

    router = respx.MockRouter(assert_all_called=False)
    fake = BearerRegistry()
    fake.add_index("library/app", "1", images.multi_arch_index())
    fake.install(router)
    clock = Clock()
    transport = SlowTransport(httpx.MockTransport(router.async_handler), latency)
    async with HttpClient(transport=transport) as http:
        client = RegistryClient(http, docker_hub_url=REGISTRY, clock=clock)
        return await _series(f"hub-like, {latency * 1000:.0f} ms/request", client, http, clock, "app:1")


async def measure_inspect(latency: float = 0.05) -> list[InspectRow]:
    return [*(await _local()), *(await _hub_like(latency))]


def format_inspect(rows: list[InspectRow]) -> str:
    lines = ["inspect_image: upstream requests and wall time (RegistryService, same client across rows)"]
    header = f"{'registry':<30} {'case':<28} {'requests':>8} {'ms':>8}  note"
    lines += [header, "-" * len(header)]
    for row in rows:
        lines.append(f"{row.registry:<30} {row.case:<28} {row.requests:>8} {row.ms:>8.1f}  {row.note}")
    return "\n".join(lines)


def as_dicts(rows: list[InspectRow]) -> list[dict[str, Any]]:
    return [row.__dict__ for row in rows]
