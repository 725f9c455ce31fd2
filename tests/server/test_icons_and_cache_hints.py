"""The server's and the tools' icons, and the lists' cache hints, as a client receives them (mcp.Client, both
client modes): every icon is an inline data: URI (nothing fetched to show it), each tool has its toolset's, and
the four list methods carry ttlMs/cacheScope where the negotiated revision has them (SEP-2549)."""

from __future__ import annotations

from typing import Any
from urllib.parse import unquote

import httpx
from mcp import Client

from hub_mcp.server import create_server
from hub_mcp.server.icons import LIST_TTL_MS
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings


async def _listed(mode: str) -> tuple[Any, Any, Any, Any, str]:
    hub = FakeHub(enforce_rate_limit=False)
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app))
    async with Client(server, mode=mode) as client:
        tools = await client.list_tools()
        prompts = await client.list_prompts()
        templates = await client.list_resource_templates()
        return client.server_info, tools, prompts, templates, client.protocol_version


def _svg(src: str) -> str:
    assert src.startswith("data:image/svg+xml,"), src[:40]
    return unquote(src.removeprefix("data:image/svg+xml,"))


async def test_the_server_and_every_tool_have_an_inline_icon(mode: str) -> None:
    info, tools, _, _, _ = await _listed(mode)
    assert info is not None
    icons = info.icons
    assert icons and _svg(icons[0].src).startswith("<svg") and icons[0].mime_type == "image/svg+xml"
    by_icon: dict[str, set[str]] = {}
    for tool in tools.tools:
        assert tool.icons, tool.name
        svg = _svg(tool.icons[0].src)
        assert "<script" not in svg and "href" not in svg.replace('xmlns="http://www.w3.org/2000/svg"', "")
        by_icon.setdefault(svg, set()).add(tool.name)
    # one icon per toolset: the search tool's is not the advisor's
    search = next(svg for svg, names in by_icon.items() if "search_images" in names)
    assert "suggest_base_images" not in by_icon[search] and "review_base_images" not in by_icon[search]
    assert any({"suggest_base_images", "review_base_images"} <= names for names in by_icon.values())


async def test_the_lists_carry_cache_hints_where_the_revision_has_them(mode: str) -> None:
    _, tools, prompts, templates, revision = await _listed(mode)
    if revision >= "2026-07-28":  # SEP-2549's revision: the hints are on the lists
        for result in (tools, prompts, templates):
            assert (result.ttl_ms, result.cache_scope) == (LIST_TTL_MS, "private")
    else:  # an older revision has no such fields: nothing is sent
        for result in (tools, prompts, templates):
            assert getattr(result, "ttl_ms", None) in (None, 0)
