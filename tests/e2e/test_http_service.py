"""End to end: the installed ``hub-mcp --transport http`` as a shared service would run it,
against the fake Hub on loopback: /health, both protocol generations with the token, 401
without it, Host checks on a wildcard bind, and the refusal to serve beyond loopback unguarded."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from mcp import Client
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from hub_mcp import __version__
from tests.e2e.processes import http_server
from tests.e2e.test_installed_command import installed_command, run_command
from tests.fakes.hub import FakeHub, serve

pytestmark = pytest.mark.e2e
TOKEN = "e2e-client-token-7f3a9c"
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


@pytest.fixture(scope="module")
def hub() -> Iterator[tuple[FakeHub, str]]:
    fake = FakeHub(enforce_rate_limit=False)
    with serve(fake) as url:
        yield fake, url


@pytest.fixture(scope="module")
def service(hub: tuple[FakeHub, str]) -> Iterator[str]:
    installed_command()  # fails in CI, skips elsewhere, when hub-mcp is not installed
    env = {"HUB_MCP_HUB_URL": hub[1], "HUB_MCP_AUTH_TOKEN": TOKEN, "HUB_MCP_RETRY_MAX_WAIT": "2"}
    with http_server(env) as base:
        yield base


def test_health_answers_the_version_and_asks_nothing_upstream(hub: tuple[FakeHub, str], service: str) -> None:
    before = len(hub[0].requests)
    response = httpx.get(f"{service}/health")
    assert (response.status_code, response.json()["version"]) == (200, __version__)
    assert len(hub[0].requests) == before


@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_both_protocol_generations_with_the_token(service: str, mode: str) -> None:
    async with create_mcp_http_client(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
        async with Client(streamable_http_client(f"{service}/mcp", http_client=http), mode=mode) as client:
            result = await client.call_tool("list_tags", {"repository": "node", "limit": 2})
    assert not result.is_error and len(result.structured_content["tags"]) == 2


def test_no_token_is_401_and_a_foreign_host_is_421(service: str) -> None:
    assert httpx.post(f"{service}/mcp", json=INITIALIZE, headers=JSON_HEADERS).status_code == 401
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {TOKEN}", "Host": "attacker.example"}
    assert httpx.post(f"{service}/mcp", json=INITIALIZE, headers=headers).status_code == 421


def test_a_wildcard_bind_without_client_auth_refuses_to_start() -> None:
    done = run_command(["--transport", "http", "--host", "0.0.0.0"], {})
    assert (done.returncode, done.stdout) == (2, "")
    assert done.stderr.count("\n") == 1
    assert done.stderr.startswith("hub-mcp: the listen address 0.0.0.0 (--host, HUB_MCP_HOST) serves HTTP beyond")


def test_a_wildcard_bind_told_to_serve_unauthenticated_still_checks_hosts(hub: tuple[FakeHub, str]) -> None:
    env = {"HUB_MCP_HUB_URL": hub[1], "HUB_MCP_ALLOWED_HOSTS": "mcp.example.com"}
    with http_server(env, ["--host", "0.0.0.0", "--allow-unauthenticated"]) as base:
        foreign = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**JSON_HEADERS, "Host": "attacker.example"})
        named = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**JSON_HEADERS, "Host": "mcp.example.com"})
    assert (foreign.status_code, named.status_code) == (421, 200)
