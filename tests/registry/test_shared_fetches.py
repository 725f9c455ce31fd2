"""A manifest asked for twice at once by the tasks of one call is fetched once; other calls fetch their own (no
call waits on another's read); a fetch whose askers all left is stopped."""

from __future__ import annotations

import asyncio

import httpx
import respx

from hub_mcp.net.http import HttpClient, call_scope
from hub_mcp.registry.client import RegistryClient
from hub_mcp.vocab.references import ImageReference
from tests.fakes import images
from tests.registry.bearer import REALM, REGISTRY, BearerRegistry


class Gate:
    """Holds every manifest GET until released, so concurrent askers overlap for sure (no timing)."""

    def __init__(self, fake: BearerRegistry) -> None:
        self.fake = fake
        self.open = asyncio.Event()
        self.started = 0

    async def handle(self, request: httpx.Request) -> httpx.Response:
        if "/manifests/" in request.url.path and request.method == "GET":
            self.started += 1
            await self.open.wait()
        return self.fake._registry(request)


def _client(fake: BearerRegistry, gate: Gate) -> tuple[RegistryClient, HttpClient, respx.MockRouter]:
    router = respx.MockRouter(assert_all_called=False)
    router.get(url__startswith=REALM).mock(side_effect=fake._token)  # noqa: SLF001 - the fake's own handlers
    router.route(url__regex=rf"^{REGISTRY}/v2/.*").mock(side_effect=gate.handle)
    http = HttpClient(transport=httpx.MockTransport(router.async_handler))
    return RegistryClient(http, docker_hub_url=REGISTRY), http, router


def _manifest_gets(fake: BearerRegistry) -> int:
    """GETs of a manifest that carried a token (each fetch is also preceded by the anonymous one the 401 answers)."""
    return sum(
        1
        for r in fake.registry_requests
        if "/manifests/" in r.url.path and r.method == "GET" and "authorization" in r.headers
    )


async def _both(client: RegistryClient, ref: ImageReference, gate: Gate, scopes: int) -> list[str]:
    async def one() -> str:
        if scopes == 2:
            with call_scope():
                return (await client.get_manifest(ref)).digest
        return (await client.get_manifest(ref)).digest

    async def release() -> None:
        for _ in range(10_000):  # bounded: a failing fetch must not hang the test
            if gate.started >= 1:
                break
            await asyncio.sleep(0)
        for _ in range(50):  # let the other asker reach its fetch too
            await asyncio.sleep(0)
        gate.open.set()

    with call_scope():
        *digests, _ = await asyncio.gather(one(), one(), release())
    return digests


async def test_two_tasks_of_one_call_share_one_get() -> None:
    fake = BearerRegistry()
    index = images.multi_arch_index()
    fake.add_index("library/app", "1", index)
    gate = Gate(fake)
    client, http, _ = _client(fake, gate)
    async with http:
        digests = await _both(client, ImageReference.parse("app:1"), gate, scopes=1)
    assert digests == [index.manifest.digest] * 2
    assert _manifest_gets(fake) == 1


async def test_two_calls_fetch_their_own() -> None:
    fake = BearerRegistry()
    fake.add_index("library/app", "1", images.multi_arch_index())
    gate = Gate(fake)
    client, http, _ = _client(fake, gate)
    async with http:
        await _both(client, ImageReference.parse("app:1"), gate, scopes=2)
    assert _manifest_gets(fake) == 2


async def test_a_fetch_whose_only_asker_left_is_stopped() -> None:
    fake = BearerRegistry()
    fake.add_index("library/app", "1", images.multi_arch_index())
    gate = Gate(fake)
    client, http, _ = _client(fake, gate)
    async with http:
        with call_scope():
            asker = asyncio.ensure_future(client.get_manifest(ImageReference.parse("app:1")))
            for _ in range(10_000):
                if gate.started >= 1:
                    break
                await asyncio.sleep(0)
            assert gate.started == 1
            asker.cancel()
            await asyncio.gather(asker, return_exceptions=True)
            for _ in range(10):
                await asyncio.sleep(0)
        assert not client._inflight  # noqa: SLF001 - nothing left running for nobody
