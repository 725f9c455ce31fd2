"""A hostile registry on loopback (tests/fakes/hostile.py): every trick ends in a clear refusal or a
bounded error, within its time, without reflecting the body and without reading past a limit."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import AsyncIterator
from typing import TypeVar

import pytest

from hub_mcp.errors import HubMCPError, InvalidInput, NotFound, Refused, TooLarge, Upstream
from hub_mcp.net.egress import EgressPolicy
from hub_mcp.net.http import HttpClient, SendOptions, guarded_transport
from hub_mcp.registry.client import RegistryClient
from hub_mcp.vocab.references import ImageReference
from tests.fakes.hostile import MARKER, HostileRegistry


async def _no_sleep(_: float) -> None:
    return None


@pytest.fixture
async def hostile() -> AsyncIterator[HostileRegistry]:
    async with HostileRegistry(drip_interval=0.5) as server:
        yield server


def client(policy: EgressPolicy | None = None, timeout: float = 10.0, retries: int = 0) -> RegistryClient:
    return RegistryClient(HttpClient(timeout=timeout, max_retries=retries, sleep=_no_sleep, policy=policy))


E = TypeVar("E", bound=HubMCPError)


async def failure(registry: RegistryClient, reference: str, kind: type[E]) -> E:
    """The error reading ``reference`` gives: exactly a ``kind`` (not a subclass), one clean line."""
    try:
        with pytest.raises(kind) as err:
            await registry.get_manifest(ImageReference.parse(reference))
    finally:
        await registry.http.aclose()
    assert type(err.value) is kind, repr(err.value)
    message = str(err.value)
    assert MARKER not in message and "\n" not in message and "\x1b" not in message
    return err.value


async def test_a_redirect_to_cloud_metadata_is_refused(hostile: HostileRegistry) -> None:
    error = await failure(client(), hostile.ref("metadata-redirect"), Refused)
    assert isinstance(error, Refused) and error.rule == "never"
    assert f"a redirect from {hostile.host} to 169.254.169.254" in str(error)


async def test_a_token_realm_at_cloud_metadata_is_refused(hostile: HostileRegistry) -> None:
    error = await failure(client(), hostile.ref("metadata-realm"), Refused)
    assert isinstance(error, Refused) and error.rule == "never"
    assert "the token realm" in str(error) and "169.254.169.254" in str(error)


async def test_a_redirect_to_another_port_is_refused_under_http_and_its_body_never_reflected(
    hostile: HostileRegistry,
) -> None:
    policy = EgressPolicy(local=False, allowed=[hostile.host])
    error = await failure(client(policy), hostile.ref("port-redirect"), Refused)
    assert isinstance(error, Refused) and error.rule == "allow-list"
    assert hostile.side_hits == 0
    # under stdio the same host may redirect to another of its ports; the answer still shows none of its body
    error = await failure(client(), hostile.ref("port-redirect"), Upstream)
    assert isinstance(error, Upstream) and hostile.side_hits == 1
    assert str(error) == (
        f"The registry sent the manifest of {hostile.host}/port-redirect/app:1 as something other than JSON;"
        " try again shortly."
    )


async def test_loopback_is_refused_under_http_unless_listed(hostile: HostileRegistry) -> None:
    error = await failure(client(EgressPolicy(local=False)), hostile.ref("html-error"), Refused)
    assert isinstance(error, Refused) and f"add '{hostile.host}' to HUB_MCP_ALLOWED_REGISTRIES" in str(error)
    assert hostile.requests == []


async def test_redirects_stop_after_three_hops(hostile: HostileRegistry) -> None:
    error = await failure(client(), hostile.ref("redirect-loop"), Upstream)
    assert isinstance(error, Upstream) and "redirected more than 3 times" in str(error)
    assert len(hostile.requests) == 4


@pytest.mark.parametrize(("scenario", "how"), [("huge", "says it is 1 GiB"), ("huge-unsized", "went on past it")])
async def test_a_1_gib_manifest_is_cut_at_the_manifest_limit_with_bounded_memory(
    hostile: HostileRegistry, scenario: str, how: str
) -> None:
    tracemalloc.start()
    started = time.monotonic()
    try:
        error = await failure(client(), hostile.ref(scenario), TooLarge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, TooLarge) and error.limit == 4 * 1024 * 1024
    assert "(4 MiB, the limit for a manifest" in str(error) and how in str(error)
    assert peak < 32 * 1024 * 1024, peak
    assert time.monotonic() - started < 10
    assert hostile.bytes_sent < 256 * 1024 * 1024


async def test_a_dripping_body_ends_within_the_request_timeout(hostile: HostileRegistry) -> None:
    started = time.monotonic()
    error = await failure(client(timeout=1.5), hostile.ref("drip"), Upstream)
    elapsed = time.monotonic() - started
    assert isinstance(error, Upstream) and "did not answer completely within 1.5 s" in str(error)
    assert elapsed < 4, elapsed
    assert 1 <= hostile.bytes_sent <= 10


async def test_an_error_message_is_reflected_only_as_a_short_clean_excerpt(hostile: HostileRegistry) -> None:
    error = await failure(client(), hostile.ref("noisy-error"), InvalidInput)
    assert isinstance(error, InvalidInput)
    assert "(NAME_INVALID: bad " in str(error) and len(str(error)) < 400


@pytest.mark.parametrize(
    ("scenario", "kind", "words"),
    [
        ("html-error", NotFound, "was not found on {host}: no such tag or digest in {host}/html-error/app"),
        ("not-json", Upstream, "sent the manifest of {host}/not-json/app:1 as something other than JSON"),
        ("reset", Upstream, "the registry {host} failed: the connection broke (RemoteProtocolError), after 2 attempts."),
    ],
)
async def test_junk_answers_are_clear_errors(
    hostile: HostileRegistry, scenario: str, kind: type[HubMCPError], words: str
) -> None:
    error = await failure(client(retries=1), hostile.ref(scenario), kind)
    assert words.format(host=hostile.host) in str(error), error


async def test_the_connection_goes_to_the_resolved_and_checked_address(hostile: HostileRegistry) -> None:
    """``registry.test`` does not exist in DNS: the request can only succeed through the address our
    resolver gave and the policy checked; under HTTP the same address is refused."""

    async def resolver(host: str, port: int) -> list[str]:
        assert host == "registry.test"
        return ["127.0.0.1"]

    stdio = EgressPolicy(local=True)
    url, options = f"http://registry.test:{hostile.port}/v2/", SendOptions(service="the registry")
    async with HttpClient(policy=stdio, transport=guarded_transport(stdio, resolver=resolver)) as http:
        response = await http.send("GET", url, options=options)
        assert response.status == 200
    remote = EgressPolicy(local=False)
    async with HttpClient(policy=remote, transport=guarded_transport(remote, resolver=resolver)) as http:
        with pytest.raises(Refused) as err:
            await http.send("GET", url, options=options)
    assert err.value.rule == "internal"
    assert len(hostile.requests) == 1
