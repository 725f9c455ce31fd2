"""Hardened equivalents through mcp.Client against the fake Hub: suggest_base_images (priority
'hardened' accepted by the tool's schema), review_base_images and get_tag; no extra Hub request."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import date

import httpx
import pytest
from mcp import Client

from hub_mcp.hardened import lookup
from hub_mcp.server import create_server
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings
from tests.server.test_tools import call

TODAY = date(2026, 11, 26)


@pytest.fixture
async def client(hub: FakeHub, mode: str) -> AsyncIterator[Client]:
    server = create_server(make_settings(), hub_transport=httpx.ASGITransport(app=hub.app), today=TODAY)
    async with Client(server, mode=mode) as c:
        yield c


async def test_suggest_accepts_priority_hardened_and_names_existing_equivalents(client: Client) -> None:
    data = await call(client, "suggest_base_images", runtime="httpd", priorities=["hardened"], limit=5)
    flags = ["hardened" in c for c in data["candidates"]]
    assert flags[0] and flags == sorted(flags, reverse=True)
    first = data["candidates"][0]["hardened"]
    assert first["variant"] == "runtime" and "verified" not in first
    assert lookup(first["reference"]) is not None
    assert any("hardened candidates first" in n and "not checked live" in n for n in data["notes"])


async def test_a_build_purpose_gets_dev_variants(client: Client) -> None:
    data = await call(client, "suggest_base_images", runtime="python", purpose="build", limit=2)
    assert all(c["hardened"]["reference"].endswith("-dev") for c in data["candidates"])


async def test_get_tag_names_the_equivalent(client: Client) -> None:
    info = await call(client, "get_tag", repository="python", tag="3.13-slim")
    assert info["hardened"] == {"reference": "dhi.io/python:3.13-debian13", "exact": True}
    assert lookup(info["hardened"]["reference"]) is not None
    other = await call(client, "get_tag", repository="bitnami/redis", tag="latest")
    assert "hardened" not in other  # not an official image
    missing = await call(client, "get_tag", repository="python", tag="3.99")
    assert "hardened" not in missing  # no equivalent for a tag that does not exist


async def test_review_names_the_equivalent_per_stage(client: Client) -> None:
    dockerfile = "FROM python:3.13-slim AS build\nFROM python:3.13-slim\n"
    data = await call(client, "review_base_images", dockerfile=dockerfile)
    build, final = data["from_lines"]
    assert build["hardened"]["variant"] == "dev" and final["hardened"]["variant"] == "runtime"
    assert all(lookup(line["hardened"]["reference"]) is not None for line in (build, final))
