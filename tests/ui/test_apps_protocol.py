"""The views over MCP: what a client with MCP Apps sees, what one without sees, and the documents themselves.

Wire facts from the MCP Apps specification 2026-01-26 (modelcontextprotocol/ext-apps,
specification/2026-01-26/apps.mdx) [documented]: a tool names its view in ``_meta.ui.resourceUri``; the
view is a ``ui://`` resource served as ``text/html;profile=mcp-app`` with ``_meta.ui`` (csp, permissions,
prefersBorder); a client that renders views declares the extension ``io.modelcontextprotocol/ui`` with
``mimeTypes`` listing that type (what the SDK's ``client_supports_apps`` checks).
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.client.extension import ClientExtension

from hub_mcp.server import create_server
from hub_mcp.ui import MIME_TYPE, PAGES, document
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings
from tests.server.test_advisor_tools import TODAY

VIEWS = {
    "suggest_base_images": "ui://hub-mcp/suggestions.html",
    "review_base_images": "ui://hub-mcp/review.html",
    "compare_images": "ui://hub-mcp/comparison.html",
}


@pytest.fixture
def hub() -> FakeHub:
    return FakeHub(enforce_rate_limit=False)


@pytest.fixture(params=["auto", "legacy"])
def mode(request: pytest.FixtureRequest) -> str:
    return request.param


class AppsClient(ClientExtension):
    """What a host that renders views declares (MCP Apps, "Capability Negotiation")."""

    identifier = "io.modelcontextprotocol/ui"

    def settings(self) -> dict[str, Any]:
        return {"mimeTypes": [MIME_TYPE]}


@asynccontextmanager
async def connected(hub: FakeHub, mode: str, apps: bool, **settings: Any) -> AsyncIterator[Client]:
    server = create_server(make_settings(**settings), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    async with Client(server, mode=mode, extensions=[AppsClient()] if apps else None) as client:
        yield client


async def test_the_tools_with_a_view_name_it_and_the_server_offers_each_as_an_apps_resource(hub: FakeHub, mode: str) -> None:
    async with connected(hub, mode, apps=True) as client:
        if mode == "auto":  # the SDK advertises extensions to 2026-era clients only (a 2025-era one finds the _meta)
            assert "io.modelcontextprotocol/ui" in (client.server_capabilities.extensions or {})
        tools = {tool.name: tool for tool in (await client.list_tools()).tools}
        resources = {str(r.uri): r for r in (await client.list_resources()).resources}
        for name, uri in VIEWS.items():
            assert tools[name].meta == {"ui": {"resourceUri": uri}}
            assert resources[uri].mime_type == MIME_TYPE
            read = await client.read_resource(uri)
            (content,) = read.contents
            assert content.mime_type == MIME_TYPE and content.text.startswith("<!DOCTYPE html>")
            assert content.meta == {"ui": {"permissions": {"clipboardWrite": {}}, "prefersBorder": True}}
        assert sum(1 for tool in tools.values() if tool.meta) == len(VIEWS)


async def test_a_client_without_apps_gets_exactly_the_same_answers(hub: FakeHub, mode: str) -> None:
    """SEP-2133: the extension degrades to the core protocol. The answer is the tool's, whoever asks."""
    calls = [
        ("suggest_base_images", {"runtime": "python", "version": "3.12", "limit": 3}),
        ("review_base_images", {"dockerfile": "FROM python:3.8-slim AS build\nFROM python:3.12-slim\n"}),
    ]
    answers: dict[bool, list[Any]] = {}
    for apps in (False, True):
        async with connected(hub, mode, apps=apps) as client:
            answers[apps] = []
            for tool, args in calls:
                result = await client.call_tool(tool, args)
                assert not result.is_error
                answers[apps].append(result.model_dump(exclude={"meta"}))
    assert answers[False] == answers[True]
    assert answers[False][0]["structured_content"]["candidates"]


async def test_a_client_without_apps_lists_the_tools_and_resources_of_today(hub: FakeHub, mode: str) -> None:
    listed: dict[bool, tuple[list[dict[str, Any]], list[str]]] = {}
    for apps in (False, True):
        async with connected(hub, mode, apps=apps) as client:
            tools = [tool.model_dump(by_alias=True, exclude_none=True) for tool in (await client.list_tools()).tools]
            resources = [str(r.uri) for r in (await client.list_resources()).resources]
            listed[apps] = (tools, resources)
    without, with_apps = listed[False], listed[True]
    assert not [tool["name"] for tool in without[0] if "_meta" in tool]
    assert not [uri for uri in without[1] if uri.startswith("ui://")]
    assert sorted(uri for uri in with_apps[1] if uri.startswith("ui://")) == sorted(VIEWS.values())
    # everything else is the same
    assert [{k: v for k, v in tool.items() if k != "_meta"} for tool in with_apps[0]] == without[0]
    assert [uri for uri in with_apps[1] if not uri.startswith("ui://")] == without[1]


async def test_a_view_is_offered_only_with_its_tool(hub: FakeHub) -> None:
    async with connected(hub, "auto", apps=True, toolsets=("search", "tags")) as client:
        listed = [str(r.uri) for r in (await client.list_resources()).resources]
    assert not [uri for uri in listed if uri.startswith("ui://")]
    async with connected(hub, "auto", apps=True, toolsets=("advisor",)) as client:
        listed = [str(r.uri) for r in (await client.list_resources()).resources]
    assert sorted(uri for uri in listed if uri.startswith("ui://")) == sorted(VIEWS[t] for t in ("suggest_base_images", "review_base_images"))


@pytest.mark.parametrize("name", sorted(PAGES))
def test_each_document_admits_only_its_own_inline_script_and_style(name: str) -> None:
    html = document(name)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', html)
    assert policy is not None
    directives = dict(part.strip().split(" ", 1) for part in policy.group(1).split(";"))
    scripts = re.findall(r"<script>(.*?)</script>", html, re.S)
    styles = re.findall(r"<style>(.*?)</style>", html, re.S)
    assert len(scripts) == 1 and len(styles) == 1

    def sha(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert directives["script-src"] == sha(scripts[0]) and directives["style-src"] == sha(styles[0])
    assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
    assert directives["base-uri"] == "'none'" and directives["form-action"] == "'none'"
    assert "unsafe" not in policy.group(1)
    # self-contained: nothing is loaded from anywhere, and nothing writes markup
    assert not re.search(r"\b(src|href)\s*=", html)
    assert not re.search(r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|eval\(|new Function", scripts[0])
    assert len(html.encode()) < 64_000


def test_the_page_list_and_the_tools_agree() -> None:
    assert {page.uri for page in PAGES.values()} == set(VIEWS.values())


@pytest.mark.parametrize("stateful", [False, True], ids=["stateless", "stateful"])
@pytest.mark.parametrize("mode", ["auto", "legacy"])
async def test_over_http_a_client_with_apps_gets_the_views_in_every_mode(mode: str, stateful: bool) -> None:
    """A stateless server keeps nothing of a 2025-era client's initialize: not knowing, it lists the views
    (before, such a client, Claude's and VS Code's way today, never saw one)."""
    from mcp.client.streamable_http import streamable_http_client
    from mcp.shared._httpx_utils import create_mcp_http_client

    from tests.server.test_http import TOKEN, RecordingTransport, http_settings, serving

    with serving(http_settings(stateful=stateful), RecordingTransport(FakeHub(enforce_rate_limit=False))) as base:
        async with create_mcp_http_client(headers={"Authorization": f"Bearer {TOKEN}"}) as http:
            transport = streamable_http_client(f"{base}/mcp", http_client=http)
            async with Client(transport, mode=mode, extensions=[AppsClient()]) as client:
                tools = {tool.name: tool for tool in (await client.list_tools()).tools}
                resources = [str(r.uri) for r in (await client.list_resources()).resources]
    assert {name: tools[name].meta for name in VIEWS} == {name: {"ui": {"resourceUri": uri}} for name, uri in VIEWS.items()}
    assert sorted(uri for uri in resources if uri.startswith("ui://")) == sorted(VIEWS.values())
