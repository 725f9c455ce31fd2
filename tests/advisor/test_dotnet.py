"""suggest_base_images for .NET, read from a real registry posing as mcr.microsoft.com.

Microsoft publishes .NET images on its own registry, not on Docker Hub. A registry gives tag
names and manifests, no push dates. Here a real ``docker-registry`` on loopback holds the
repositories under MCR's paths (dotnet/aspnet, dotnet/runtime, dotnet/sdk) with tags named as
MCR names them (``10.0``, ``10.0-noble``, ``10.0-noble-chiseled``, ``10.0-alpine``,
``10.0-noble-amd64``, ``10.0.1``, ``11.0-preview``, ``8.0``); a transport sends requests for
``mcr.microsoft.com`` to it. Which lines are supported comes from the bundled table (.NET 10
LTS until 2028-11-14; 8 and 9 ended 2026-11-10): the expected picks are derived from it.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from datetime import date

import httpx
import pytest
from mcp import Client

from hub_mcp.advisor.requests import SuggestRequest
from hub_mcp.advisor.suggest import Advisor
from hub_mcp.errors import Upstream
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.client import HubClient
from hub_mcp.net.http import HttpClient
from hub_mcp.registry.client import RegistryClient
from hub_mcp.server import create_server
from hub_mcp.vocab import lifecycle
from tests.advisor.conftest import HUB
from tests.fakes.hub import FakeHub
from tests.fakes.images import BuiltIndex, make_image, make_index, push_index
from tests.fakes.registry import running_registry

TODAY = date(2026, 11, 30)
MCR = "mcr.microsoft.com"


def _index(name: str, platforms: tuple[str, ...], weight: int) -> BuiltIndex:
    """A multi-platform image whose layer size grows with ``weight`` (chiseled < alpine < full)."""
    images = []
    for platform in platforms:
        arch, _, variant = platform.partition("/")
        files = {"etc/os-release": f"NAME={name}\n".encode(), "usr/share/dotnet/blob": bytes(range(256)) * 64 * weight}
        images.append(make_image(architecture=arch, variant=variant or None, layer_files=[files]))
    return make_index(images)


BOTH = ("amd64", "arm64/v8")
#: repository → tag → (image name, platforms, weight); tags with the same image name share a digest
CONTENT: dict[str, dict[str, tuple[str, tuple[str, ...], int]]] = {
    "dotnet/aspnet": {
        "10.0": ("aspnet-10-noble", BOTH, 8),
        "10.0-noble": ("aspnet-10-noble", BOTH, 8),
        "10.0.1": ("aspnet-10-noble", BOTH, 8),
        "10.0-noble-chiseled": ("aspnet-10-chiseled", BOTH, 2),
        "10.0-alpine": ("aspnet-10-alpine", BOTH, 4),
        "10.0-azurelinux3.0": ("aspnet-10-azl", ("amd64",), 6),
        "10.0-noble-amd64": ("aspnet-10-noble-amd64", ("amd64",), 8),
        "11.0-preview": ("aspnet-11-preview", BOTH, 8),
        "9.0": ("aspnet-9", BOTH, 8),
        "8.0": ("aspnet-8", BOTH, 8),
    },
    "dotnet/runtime": {
        "10.0": ("runtime-10", BOTH, 7),
        "10.0-noble-chiseled": ("runtime-10-chiseled", BOTH, 1),
        "8.0": ("runtime-8", BOTH, 7),
    },
    "dotnet/sdk": {
        "10.0": ("sdk-10", BOTH, 30),
        "10.0-noble": ("sdk-10", BOTH, 30),
        "10.0-alpine": ("sdk-10-alpine", BOTH, 25),
        "8.0": ("sdk-8", BOTH, 30),
        "11.0-preview": ("sdk-11-preview", BOTH, 30),
    },
}


@dataclass
class FakeMcr:
    url: str
    digests: dict[str, str]  # "dotnet/aspnet:10.0" → index digest
    requests: list[str]


@pytest.fixture(scope="module")
def mcr(tmp_path_factory: pytest.TempPathFactory) -> Iterator[FakeMcr]:
    digests: dict[str, str] = {}
    with running_registry(tmp_path_factory.mktemp("mcr")) as running, running.client() as client:
        built: dict[str, BuiltIndex] = {}
        for repository, tags in CONTENT.items():
            for tag, (name, platforms, weight) in tags.items():
                index = built.setdefault(name, _index(name, platforms, weight))
                digests[f"{repository}:{tag}"] = push_index(client, repository, tag, index)
        yield FakeMcr(running.url, digests, [])


class PoseAs(httpx.AsyncBaseTransport):
    """Sends ``https://mcr.microsoft.com/...`` to the loopback registry; any other host fails to
    connect. The client sees the response as MCR's (httpx keeps the original request on it)."""

    def __init__(self, mcr: FakeMcr) -> None:
        self.mcr = mcr
        self.target = httpx.URL(mcr.url)
        self.inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.host != MCR:
            raise httpx.ConnectError(f"no route to {request.url.host}", request=request)
        self.mcr.requests.append(f"{request.method} {request.url.path}")
        url = request.url.copy_with(scheme=self.target.scheme, host=self.target.host, port=self.target.port)
        forwarded = httpx.Request(request.method, url, headers=request.headers, content=request.content)
        forwarded.headers["host"] = f"{self.target.host}:{self.target.port}"
        response = await self.inner.handle_async_request(forwarded)
        await response.aread()
        return httpx.Response(response.status_code, headers=response.headers, content=response.content)

    async def aclose(self) -> None:
        await self.inner.aclose()


@pytest.fixture
async def advisor(mcr: FakeMcr) -> AsyncIterator[Advisor]:
    hub = FakeHub(enforce_rate_limit=False)
    async with (
        HttpClient(transport=httpx.ASGITransport(app=hub.app)) as hub_http,
        HttpClient(transport=PoseAs(mcr), max_retries=0) as registry_http,
    ):
        registry = RegistryClient(registry_http)
        yield Advisor(HubClient(hub_http, HUB, HubAuth(hub_http, HUB, None, None)), registry=registry, today=lambda: TODAY)
    assert hub.requests == []  # .NET is not on Docker Hub: nothing was asked there


def _lts_line() -> str:
    line = next(line for line in lifecycle.supported_lines("dotnet", TODAY) if line.lts)
    return f"{line.version}.0"


async def test_no_version_picks_the_lts_line_on_mcr_with_its_digest(advisor: Advisor, mcr: FakeMcr) -> None:
    suggestion = await advisor.suggest(SuggestRequest(runtime="dotnet", platforms=("linux/amd64", "linux/arm64")))
    assert suggestion.candidates, suggestion.message
    lts = _lts_line()
    top = suggestion.candidates[0]
    assert top.reference.startswith(f"{MCR}/dotnet/aspnet:{lts}")
    tag = top.reference.rsplit(":", 1)[1]
    assert top.pinned_reference == f"{top.reference}@{mcr.digests[f'dotnet/aspnet:{tag}']}"
    assert top.support_ends == str(lifecycle.support_for("dotnet", (10,)).eol)  # type: ignore[union-attr]
    assert top.last_pushed is None  # MCR gives no dates: none invented
    assert any("LTS line" in benefit.text for benefit in top.benefits)
    for candidate in suggestion.candidates:
        assert {"linux/amd64", "linux/arm64/v8"} <= set(candidate.platforms), candidate
        assert candidate.reference.split(":", 1)[0] in (f"{MCR}/dotnet/aspnet", f"{MCR}/dotnet/runtime")
        assert "preview" not in candidate.reference and "-amd64" not in candidate.reference
        assert candidate.version and candidate.version.startswith(lts)
    # the amd64-only azurelinux image is rejected for arm64; the ended lines are named with their dates
    reasons = {(r.reference, r.reason) for r in suggestion.rejected or []}
    assert (f"{MCR}/dotnet/aspnet:10.0-azurelinux3.0", "platform_missing") in reasons
    ended = {r.reference.rsplit(":", 1)[1]: r.detail for r in suggestion.rejected or [] if r.reason == "end_of_life"}
    assert ended.get("9.0") == "dotnet 9 reached end of life on 2026-11-10"
    assert ended.get("8.0") == "dotnet 8 reached end of life on 2026-11-10"
    assert any("no push dates" in note for note in suggestion.notes or [])
    # aliases come from shared digests among the tags read: 10.0 and 10.0-noble are one image
    full = next(c for c in suggestion.candidates if c.reference.startswith(f"{MCR}/dotnet/aspnet:10.0-noble"))
    assert set(full.aliases or []) | {full.reference.rsplit(":", 1)[1]} == {"10.0", "10.0-noble"}


async def test_small_and_secure_prefer_chiseled_and_say_what_it_lacks(advisor: Advisor) -> None:
    suggestion = await advisor.suggest(SuggestRequest(runtime="aspnet", priorities=("secure", "small")))
    top = suggestion.candidates[0]
    assert top.reference.startswith(f"{MCR}/dotnet/aspnet:") and "chiseled" in top.reference
    aspnet = [c.size_bytes for c in suggestion.candidates if "/aspnet:" in c.reference and c.size_bytes]
    assert top.size_bytes == min(aspnet)
    assert any("no shell" in w and "-extra" in w for w in top.warnings or [])
    # the smaller dotnet/runtime image is there too, below, saying what it cannot run
    runtime = next(c for c in suggestion.candidates if "/runtime:" in c.reference)
    assert any("no ASP.NET Core" in w for w in runtime.warnings or [])


async def test_by_default_the_full_image_comes_before_chiseled(advisor: Advisor) -> None:
    suggestion = await advisor.suggest(SuggestRequest(runtime="dotnet"))
    top = suggestion.candidates[0]
    assert "chiseled" not in top.reference and top.reference.startswith(f"{MCR}/dotnet/aspnet:")
    chiseled = next(c for c in suggestion.candidates if "chiseled" in c.reference)
    assert any("priorities small or secure" in w for w in chiseled.warnings or [])


async def test_build_stage_comes_from_the_sdk(advisor: Advisor) -> None:
    suggestion = await advisor.suggest(SuggestRequest(runtime="csharp", purpose="build"))
    assert suggestion.candidates[0].reference.startswith(f"{MCR}/dotnet/sdk:{_lts_line()}")
    assert all("/dotnet/sdk:" in c.reference for c in suggestion.candidates)


async def test_an_ended_line_asked_for_is_kept_with_a_warning_and_the_way_out(advisor: Advisor) -> None:
    suggestion = await advisor.suggest(SuggestRequest(image=f"{MCR}/dotnet/sdk", version="8", purpose="build"))
    references = [c.reference for c in suggestion.candidates]
    assert references[0] == f"{MCR}/dotnet/sdk:8.0"
    assert any("reached end of life on 2026-11-10" in w for w in suggestion.candidates[0].warnings or [])
    assert references[1].startswith(f"{MCR}/dotnet/sdk:{_lts_line()}")  # the upgrade path, right after
    assert suggestion.message.startswith("Warning:")


async def test_a_registry_that_cannot_be_reached_says_so_and_what_is_known(mcr: FakeMcr) -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    hub = FakeHub(enforce_rate_limit=False)
    async with (
        HttpClient(transport=httpx.ASGITransport(app=hub.app)) as hub_http,
        HttpClient(transport=httpx.MockTransport(refuse), max_retries=0) as registry_http,
    ):
        advisor = Advisor(
            HubClient(hub_http, HUB, HubAuth(hub_http, HUB, None, None)),
            registry=RegistryClient(registry_http),
            today=lambda: TODAY,
        )
        with pytest.raises(Upstream) as err:
            await advisor.suggest(SuggestRequest(runtime="dotnet"))
    message = str(err.value)
    assert MCR in message and "10.0 (LTS) until 2028-11-14" in message


async def test_the_tool_answers_dotnet_through_mcp(mcr: FakeMcr) -> None:
    hub = FakeHub(enforce_rate_limit=False)
    server = create_server(
        hub_transport=httpx.ASGITransport(app=hub.app), registry_transport=PoseAs(mcr), today=TODAY
    )
    async with Client(server) as client:
        result = await client.call_tool("suggest_base_images", {"runtime": "dotnet", "limit": 3})
    assert not result.is_error, result.content
    answer = result.structured_content
    assert answer and answer["candidates"][0]["reference"].startswith(f"{MCR}/dotnet/aspnet:{_lts_line()}")
    assert len(answer["candidates"]) <= 3


async def test_review_of_an_ended_dotnet_line_offers_the_lts_line_on_the_same_repository(mcr: FakeMcr) -> None:
    hub = FakeHub(enforce_rate_limit=False)
    server = create_server(
        hub_transport=httpx.ASGITransport(app=hub.app), registry_transport=PoseAs(mcr), today=TODAY
    )
    dockerfile = f"FROM {MCR}/dotnet/sdk:8.0 AS build\nRUN dotnet publish -o /app\nFROM {MCR}/dotnet/aspnet:10.0\n"
    async with Client(server) as client:
        result = await client.call_tool("review_base_images", {"dockerfile": dockerfile})
    assert not result.is_error, result.content
    build, final = result.structured_content["from_lines"]  # type: ignore[index]
    assert build["verdict"] == "fail" and "dotnet 8 reached end of life on 2026-11-10" in build["findings"]
    assert build.get("upgrade", "").startswith(f"{MCR}/dotnet/sdk:{_lts_line()}")  # sdk stays sdk, never aspnet
    assert final["verdict"] == "ok", final
    assert "upgrade" not in final
