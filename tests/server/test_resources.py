"""Resources through mcp.Client: repository and tag facts by URI, and the lifecycle table."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from mcp import Client
from mcp.shared.exceptions import MCPError

from hub_mcp.server import create_server
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings


@pytest.fixture
async def client(hub: FakeHub, mode: str) -> AsyncIterator[Client]:
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=date(2026, 11, 26))
    async with Client(server, mode=mode) as c:
        yield c


async def read_json(client: Client, uri: str) -> dict:
    result = await client.read_resource(uri)
    return json.loads(result.contents[0].text)


async def test_templates_are_listed(client: Client) -> None:
    templates = {t.uri_template for t in (await client.list_resource_templates()).resource_templates}
    assert {
        "dockerhub://repositories/{namespace}/{name}",
        "dockerhub://repositories/{namespace}/{name}/tags/{tag}",
        "hub-mcp://lifecycle/{runtime}",
    } <= templates


async def test_repository_and_tag_by_uri(client: Client) -> None:
    repo = await read_json(client, "dockerhub://repositories/library/python")
    assert repo["reference"] == "python" and "readme" not in repo
    tag = await read_json(client, "dockerhub://repositories/library/python/tags/3.13-slim")
    assert tag["exists"] is True and tag["reference"] == "python:3.13-slim"
    missing = await read_json(client, "dockerhub://repositories/library/python/tags/3.99")
    assert missing["exists"] is False and missing["alternatives"][0]["tag"] == "3.14"


async def test_unknown_repository_is_resource_not_found(client: Client) -> None:
    with pytest.raises(MCPError) as err:
        await client.read_resource("dockerhub://repositories/nosuch/thing")
    assert "does not exist" in str(err.value)


async def test_lifecycle_resource(client: Client) -> None:
    python = await read_json(client, "hub-mcp://lifecycle/python")
    versions = [row["version"] for row in python["supported"]]
    assert "3.14" in versions and "3.10" not in versions and "3.8" not in versions
    assert all(row["source"] for row in python["supported"]) and python["table_taken"]
    with pytest.raises(MCPError) as err:
        await client.read_resource("hub-mcp://lifecycle/cobol")
    assert "known runtimes" in str(err.value)
