"""How every tool takes its arguments (hub_mcp/server/tool_calls.py), through mcp.Client in both modes.

A JSON null for an optional argument is the same as leaving it out. The cases are taken from
the reviewed schemas (schema_snapshot.json, which test_schema_snapshot keeps equal to the live
ones), so a new tool or argument is covered as soon as it exists.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import date
from pathlib import Path
from typing import Any

import httpx
import pytest
from mcp import Client
from mcp.types import CallToolResult

from hub_mcp.server import create_server
from tests.conftest import Pushed
from tests.fakes.hub import FakeHub
from tests.server.conftest import make_settings

SCHEMAS: dict[str, dict[str, Any]] = {
    tool["name"]: tool["input_schema"]
    for tool in json.loads(Path(__file__).with_name("schema_snapshot.json").read_text())
}

# Arguments with which each tool answers (no error), so a null that changed anything would show.
WORKING: dict[str, dict[str, Any]] = {
    "search_images": {"query": "python", "limit": 3},
    "get_repository": {"repository": "python"},
    "list_tags": {"repository": "python", "name": "3.13-slim", "limit": 3},
    "get_tag": {"repository": "python:3.13-slim"},
    "inspect_image": {"reference": "python:3.12"},
    "suggest_base_images": {"runtime": "python", "limit": 2},
    "review_base_images": {"reference": "python:3.8-slim"},
}
# Where leaving an argument out of WORKING would leave the tool without its input.
WORKING_WITHOUT = {
    ("suggest_base_images", "runtime"): {"image": "python", "limit": 2},
    ("review_base_images", "reference"): {"dockerfile": "FROM python:3.12-slim\n"},
}

OPTIONAL = [
    (tool, argument)
    for tool, schema in SCHEMAS.items()
    for argument in schema["properties"]
    if argument not in schema.get("required", [])
]


@pytest.fixture
async def client(hub: FakeHub, registry: Pushed, mode: str) -> AsyncIterator[Client]:
    """Tags from the fake Hub API, image configs from a real registry (python:3.12 is in both)."""
    server = create_server(
        make_settings(registry_url=registry.registry.url),
        hub_transport=httpx.ASGITransport(app=hub.app),
        today=date(2026, 11, 26),
    )
    async with Client(server, mode=mode) as c:
        yield c


def seen(result: CallToolResult) -> tuple[bool, list[str], Any]:
    """Everything the model receives from a call."""
    return result.is_error, [block.text for block in result.content], result.structured_content


def test_every_tool_has_working_arguments() -> None:
    assert set(WORKING) == set(SCHEMAS), "add the new tool to WORKING"


@pytest.mark.parametrize(("tool", "argument"), OPTIONAL, ids=[f"{t}.{a}" for t, a in OPTIONAL])
async def test_null_for_an_optional_argument_is_the_same_as_leaving_it_out(
    client: Client, tool: str, argument: str
) -> None:
    base = WORKING_WITHOUT.get((tool, argument), WORKING[tool])
    without = {key: value for key, value in base.items() if key != argument}
    absent = await client.call_tool(tool, without)
    assert not absent.is_error, absent.content[0].text
    null = await client.call_tool(tool, {**without, argument: None})
    assert seen(null) == seen(absent)


@pytest.mark.parametrize("tool", sorted(SCHEMAS))
async def test_null_for_every_optional_argument_at_once(client: Client, tool: str) -> None:
    base = WORKING[tool]
    nulls = {argument: None for t, argument in OPTIONAL if t == tool and argument not in base}
    assert seen(await client.call_tool(tool, {**base, **nulls})) == seen(await client.call_tool(tool, base))


@pytest.mark.parametrize(
    ("tool", "arguments", "words"),
    [
        # The calls of issue 7, which failed with "Error executing tool" and a traceback.
        ("get_tag", {"repository": "python:3.12", "tag": None}, '"reference":"python:3.12"'),
        ("get_tag", {"repository": "python", "tag": None}, "No tag given"),
        ("list_tags", {"repository": "python", "architecture": None, "limit": 2}, '"size_platform":"linux/amd64"'),
        ("list_tags", {"repository": "python", "limit": None}, '"next_page":2'),
        ("suggest_base_images", {"runtime": None, "image": "python", "limit": 1}, '"rank":1'),
    ],
)
async def test_the_null_calls_that_failed_now_answer(
    client: Client, tool: str, arguments: dict[str, Any], words: str
) -> None:
    result = await client.call_tool(tool, arguments)
    text = result.content[0].text
    assert words in text and text != f"Error executing tool {tool}"


async def test_null_ordering_and_limit_take_their_defaults(client: Client) -> None:
    null = await client.call_tool("list_tags", {"repository": "python", "ordering": None, "limit": None})
    assert not null.is_error, null.content[0].text
    tags = null.structured_content["tags"]
    assert len(tags) == 25  # limit's default
    pushed = [tag["last_pushed"] for tag in tags]
    assert pushed == sorted(pushed, reverse=True)  # ordering's default: most recently pushed first


async def test_null_for_a_required_argument_is_reported_as_missing(client: Client) -> None:
    result = await client.call_tool("get_repository", {"repository": None})
    assert result.is_error and "repository\n  Field required" in result.content[0].text


NULLABLE = [
    (tool, argument)
    for tool, argument in OPTIONAL
    if {"type": "null"} in SCHEMAS[tool]["properties"][argument].get("anyOf", [])
]


@pytest.mark.parametrize(("tool", "argument"), NULLABLE, ids=[f"{t}.{a}" for t, a in NULLABLE])
async def test_the_string_null_for_a_nullable_argument_is_the_same_as_leaving_it_out(
    client: Client, tool: str, argument: str
) -> None:
    """The SDK parses "null" to None for arguments that are not plain strings; None must then mean absent."""
    base = WORKING_WITHOUT.get((tool, argument), WORKING[tool])
    without = {key: value for key, value in base.items() if key != argument}
    assert seen(await client.call_tool(tool, {**without, argument: "null"})) == seen(await client.call_tool(tool, without))
