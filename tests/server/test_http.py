"""Serving over HTTP: a real uvicorn server on loopback (in a thread, so the fake Hub can be
injected and its requests seen), driven by the SDK's streamable-HTTP client in both protocol
generations, and raw HTTP for the security rules."""

from __future__ import annotations

import contextlib
import json
import logging
import re
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from mcp import Client, MCPError
from mcp.client.streamable_http import streamable_http_client
from mcp.shared._httpx_utils import create_mcp_http_client

from hub_mcp import __version__
from hub_mcp.config.settings import Settings
from hub_mcp.server import create_server
from hub_mcp.server.http_app import BearerTokenGate, allowed_hosts, allowed_origins, build_http_app, uvicorn_config
from tests.fakes.hub import FakeHub
from tests.server.conftest import ALICE_PAT

TOKEN = "client-token-0123456789abcdef-0123456789"  # 32+ characters: some tests bind beyond loopback
INITIALIZE = {
    "jsonrpc": "2.0",
    "id": 1,
    "method": "initialize",
    "params": {"protocolVersion": "2025-06-18", "capabilities": {}, "clientInfo": {"name": "t", "version": "1"}},
}
JSON_HEADERS = {"Content-Type": "application/json", "Accept": "application/json, text/event-stream"}


class RecordingTransport(httpx.AsyncBaseTransport):
    """The fake Hub in-process, remembering the Authorization header of every request it gets."""

    def __init__(self, hub: FakeHub) -> None:
        self._inner = httpx.ASGITransport(app=hub.app)
        self.authorizations: list[str | None] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.authorizations.append(request.headers.get("authorization"))
        return await self._inner.handle_async_request(request)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextlib.contextmanager
def serving(settings: Settings, transport: httpx.AsyncBaseTransport) -> Iterator[str]:
    """hub-mcp's HTTP app under uvicorn on a loopback port (whatever ``settings.host`` says: the
    app's rules come from the settings); yields the base URL."""
    app = build_http_app(create_server(settings, hub_transport=transport), settings)
    port = free_port()
    config = uvicorn_config(app, settings, host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, name="hub-mcp-http", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 15
        while not server.started:
            assert thread.is_alive(), "the HTTP server did not start"
            assert time.monotonic() < deadline, "the HTTP server did not start within 15 s"
            time.sleep(0.01)
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


def http_settings(**overrides: Any) -> Settings:
    values: dict[str, Any] = {"transport": "streamable-http", "auth_token": TOKEN, "retry_max_wait": 2}
    values.update(overrides)
    return Settings(**values)


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(users={"alice": ALICE_PAT}, enforce_rate_limit=False)


@pytest.fixture
def recorder(hub: FakeHub) -> RecordingTransport:
    return RecordingTransport(hub)


@contextlib.asynccontextmanager
async def mcp_client(base: str, mode: str, token: str | None = TOKEN) -> Any:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    async with create_mcp_http_client(headers=headers) as http:
        async with Client(streamable_http_client(f"{base}/mcp", http_client=http), mode=mode) as client:
            yield client


@pytest.mark.parametrize("stateful", [False, True], ids=["stateless", "stateful"])
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_both_protocol_generations_get_answers(recorder: RecordingTransport, mode: str, stateful: bool) -> None:
    with serving(http_settings(stateful=stateful), recorder) as base:
        async with mcp_client(base, mode) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            assert {"get_tag", "list_tags", "search_images"} <= names
            first = await client.call_tool("get_tag", {"repository": "python", "tag": "3.12-slim"})
            upstream = len(recorder.authorizations)
            again = await client.call_tool("get_tag", {"repository": "python", "tag": "3.12-slim"})
    assert not first.is_error and first.structured_content["exists"] is True
    assert again.structured_content == first.structured_content
    assert upstream > 0 and len(recorder.authorizations) == upstream  # the second answer came from the cache


async def test_the_clients_token_is_never_sent_to_docker_hub(hub: FakeHub, recorder: RecordingTransport) -> None:
    settings = http_settings(username="alice", pat_token=ALICE_PAT)
    with serving(settings, recorder) as base:
        async with mcp_client(base, "legacy") as client:
            result = await client.call_tool("get_repository", {"repository": "python"})
    assert not result.is_error
    sent = [value for value in recorder.authorizations if value]
    assert sent, "the server's own Docker Hub login should be used"
    assert all(TOKEN not in value for value in sent)
    assert all(value == f"Bearer {token.token}" for value in sent for token in hub.issued_tokens[:1])


async def test_anonymous_server_sends_no_authorization_upstream(recorder: RecordingTransport) -> None:
    with serving(http_settings(), recorder) as base:
        async with mcp_client(base, "auto") as client:
            assert not (await client.call_tool("get_tag", {"repository": "python:3.12-slim"})).is_error
    assert recorder.authorizations and all(value is None for value in recorder.authorizations)


def test_health_answers_the_version_without_a_token_or_upstream_request(recorder: RecordingTransport) -> None:
    with serving(http_settings(), recorder) as base:
        response = httpx.get(f"{base}/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "name": "hub-mcp", "version": __version__}
    assert recorder.authorizations == []


def test_the_readme_shows_what_health_answers(recorder: RecordingTransport) -> None:
    """The README's /health example is what /health answers, field for field (the version as ``...``)."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    shown = re.search(r"`GET /health` answers\s+`(\{[^`]*\})`", readme)
    assert shown, "the README no longer shows what GET /health answers"
    with serving(http_settings(), recorder) as base:
        answer = httpx.get(f"{base}/health").json()
    assert json.loads(shown.group(1).replace("...", json.dumps(__version__))) == answer


@pytest.mark.parametrize(
    ("authorization", "why"),
    [
        (None, "needs Authorization"),
        ("Bearer wrong-token", "not this server's"),
        (f"Bearer {TOKEN[:-1]}X", "not this server's"),  # same length, last character differs
        (f"Basic {TOKEN}", "not this server's"),
        ("Bearer", "not this server's"),
    ],
)
def test_mcp_without_the_right_token_is_401(recorder: RecordingTransport, authorization: str | None, why: str) -> None:
    headers = dict(JSON_HEADERS)
    if authorization is not None:
        headers["Authorization"] = authorization
    with serving(http_settings(), recorder) as base:
        response = httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers)
    assert response.status_code == 401
    assert response.headers["www-authenticate"].startswith("Bearer ")
    assert why in response.json()["error_description"]
    # RFC 6750, section 3.1: no error code when the request carried no credentials at all
    sent_none = authorization is None
    assert ("error=" in response.headers["www-authenticate"]) is not sent_none
    assert ("error" in response.json()) is not sent_none
    assert recorder.authorizations == []


async def test_the_sdk_client_without_a_token_is_refused(recorder: RecordingTransport) -> None:
    with serving(http_settings(), recorder) as base:
        # the SDK reports the 401 as MCPError(INTERNAL_ERROR, ...) inside its task groups
        refused = pytest.RaisesExc(MCPError, match="^Server returned an error response$", check=lambda e: e.code == -32603)
        with pytest.RaisesGroup(refused, flatten_subgroups=True):
            async with mcp_client(base, "legacy", token=None) as client:
                await client.list_tools()
        async with mcp_client(base, "legacy", token=TOKEN) as client:  # the same server, with the token
            assert (await client.list_tools()).tools
    assert recorder.authorizations == []


@pytest.mark.parametrize("bind", ["127.0.0.1", "0.0.0.0", "10.1.2.3"])
def test_a_foreign_host_header_is_refused_on_every_bind_address(
    recorder: RecordingTransport, bind: str, caplog: pytest.LogCaptureFixture
) -> None:
    """The SDK guards only loopback binds by itself; here every bind has the allow-lists."""
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {TOKEN}", "Host": "attacker.example"}
    with caplog.at_level(logging.WARNING), serving(http_settings(host=bind), recorder) as base:
        refused = httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers)
        accepted = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**headers, "Host": "localhost:8000"})
    assert refused.status_code == 421
    assert accepted.status_code == 200
    # logged once, with the fix (a new user saw the SDK's bare "Invalid Host header" line as well)
    said = [r.getMessage() for r in caplog.records if "attacker.example" in r.getMessage()]
    assert len(said) == 1 and "HUB_MCP_ALLOWED_HOSTS" in said[0], said


def test_a_foreign_origin_is_refused(recorder: RecordingTransport) -> None:
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {TOKEN}"}
    with serving(http_settings(allowed_origins="https://agents.example.com"), recorder) as base:
        refused = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**headers, "Origin": "https://attacker.example"})
        allowed = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**headers, "Origin": "https://agents.example.com"})
        local = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**headers, "Origin": "http://localhost:3000"})
    assert refused.status_code == 403
    assert (allowed.status_code, local.status_code) == (200, 200)


def test_allowed_hosts_let_a_named_service_through(recorder: RecordingTransport) -> None:
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {TOKEN}"}
    settings = http_settings(host="0.0.0.0", allowed_hosts="mcp.example.com")
    with serving(settings, recorder) as base:
        by_name = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**headers, "Host": "mcp.example.com"})
        with_port = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**headers, "Host": "mcp.example.com:8443"})
        other = httpx.post(f"{base}/mcp", json=INITIALIZE, headers={**headers, "Host": "mcp.example.com.evil"})
    assert (by_name.status_code, with_port.status_code, other.status_code) == (200, 200, 421)


def test_allow_lists() -> None:
    settings = http_settings(host="10.1.2.3", allowed_hosts="a.example.com,b.example.com:8000", allowed_origins="https://x.io")
    hosts = allowed_hosts(settings)
    assert {"127.0.0.1:*", "localhost:*", "[::1]:*", "10.1.2.3", "10.1.2.3:*"} <= set(hosts)
    assert {"a.example.com", "a.example.com:*", "b.example.com:8000"} <= set(hosts)
    assert "b.example.com:*" not in hosts and "0.0.0.0:*" not in hosts
    assert "[fd00::1]:*" in allowed_hosts(http_settings(host="fd00::1"))
    assert {"https://x.io", "https://x.io:*", "http://localhost:*"} <= set(allowed_origins(settings))


async def test_gate_compares_in_constant_time_and_drops_the_header() -> None:
    seen: list[Any] = []

    async def app(scope: Any, receive: Any, send: Any) -> None:
        seen.append(scope["headers"])

    gate = BearerTokenGate(app, TOKEN)
    assert gate.accepts(f"Bearer {TOKEN}".encode()) and gate.accepts(f"bearer  {TOKEN} ".encode())
    assert not gate.accepts(None) and not gate.accepts(TOKEN.encode()) and not gate.accepts(b"Bearer")
    scope = {"type": "http", "path": "/mcp", "headers": [(b"authorization", f"Bearer {TOKEN}".encode()), (b"x", b"1")]}
    await gate(scope, None, None)
    assert seen == [[(b"x", b"1")]]


@pytest.fixture
def with_write_toolset(monkeypatch: pytest.MonkeyPatch) -> None:
    """The real toolsets plus the modes tests' toolset (one read tool, one write tool)."""
    from hub_mcp.server import app
    from tests.server import modes_toolset

    real = app.toolsets()
    monkeypatch.setattr(app, "toolsets", lambda: (*real, modes_toolset))


@pytest.mark.usefixtures("with_write_toolset")
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_over_http_write_tools_are_off_unless_allowed(recorder: RecordingTransport, mode: str) -> None:
    login = {"username": "alice", "pat_token": ALICE_PAT, "no_docker_config": True}
    with serving(http_settings(**login), recorder) as base:
        async with mcp_client(base, mode) as client:
            names = {tool.name for tool in (await client.list_tools()).tools}
            refused = await client.call_tool("touch_namespace", {})
            instructions = client.instructions
    assert "touch_namespace" not in names and "peek_repository" in names
    assert refused.is_error and "HUB_MCP_HTTP_WRITES=1" in refused.content[0].text
    assert instructions and "Shared over HTTP: no tool changes Docker Hub." in instructions
    with serving(http_settings(http_writes=True, **login), recorder) as base:
        async with mcp_client(base, mode) as client:
            assert "touch_namespace" in {tool.name for tool in (await client.list_tools()).tools}
            allowed = await client.call_tool("touch_namespace", {})
    assert not allowed.is_error and allowed.structured_content["usable"] is True


# --- issue 17: the front door answers with sentences ---------------------------------------------


def test_a_foreign_host_is_told_which_setting_admits_it_in_the_body_and_the_log(
    recorder: RecordingTransport, caplog: pytest.LogCaptureFixture
) -> None:
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {TOKEN}", "Host": "mcp.example.org:8443"}
    with caplog.at_level("WARNING"), serving(http_settings(), recorder) as base:
        refused = httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers)
    assert refused.status_code == 421
    message = refused.json()["error"]["message"]
    assert "'mcp.example.org:8443'" in message and "HUB_MCP_ALLOWED_HOSTS=mcp.example.org" in message
    logged = [r.getMessage() for r in caplog.records if "HUB_MCP_ALLOWED_HOSTS" in r.getMessage()]
    assert logged and "mcp.example.org:8443" in logged[0]


def test_a_foreign_origin_is_told_which_setting_admits_it(recorder: RecordingTransport) -> None:
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {TOKEN}", "Origin": "https://app.example.org"}
    with serving(http_settings(), recorder) as base:
        refused = httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers)
    assert refused.status_code == 403
    assert "HUB_MCP_ALLOWED_ORIGINS=https://app.example.org" in refused.json()["error"]["message"]


def test_get_on_a_stateless_server_is_405_with_a_sentence_not_an_empty_stream(recorder: RecordingTransport) -> None:
    """Issue 17: GET /mcp in stateless mode opened an event stream that never sent anything."""
    headers = {"Accept": "text/event-stream", "Authorization": f"Bearer {TOKEN}"}
    with serving(http_settings(), recorder) as base:
        answer = httpx.get(f"{base}/mcp", headers=headers, timeout=10)
    assert answer.status_code == 405 and answer.headers["allow"] == "POST"
    assert "stateless" in answer.json()["error"]["message"] and "--stateful" in answer.json()["error"]["message"]


@pytest.mark.parametrize("body", [b"[" + b"x" * 10, b"  \n[]", None])
def test_a_json_rpc_batch_is_one_clear_error_not_a_validation_dump(recorder: RecordingTransport, body: bytes | None) -> None:
    """Issue 17: a batch array got pydantic's four validation errors for a union of message types."""
    headers = {**JSON_HEADERS, "Authorization": f"Bearer {TOKEN}"}
    with serving(http_settings(), recorder) as base:
        if body is None:
            answer = httpx.post(f"{base}/mcp", json=[INITIALIZE], headers=headers)
        else:
            answer = httpx.post(f"{base}/mcp", content=body, headers=headers)
        single = httpx.post(f"{base}/mcp", json=INITIALIZE, headers=headers)  # the same server, one message
    assert answer.status_code == 400
    error = answer.json()["error"]
    assert error["code"] == -32600 and "batch" in error["message"] and "one request per" in error["message"]
    assert "validation" not in error["message"].lower()
    assert single.status_code == 200
