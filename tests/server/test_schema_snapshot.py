"""What the model sees, kept in review: every tool's name, description, schemas and annotations.

A change to a tool's description or schema fails this test until the snapshot is rewritten:
    HUB_MCP_UPDATE_SNAPSHOT=1 scripts/test tests/server/test_schema_snapshot.py
and the diff of schema_snapshot.json shows the change to reviewers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mcp import Client

from hub_mcp.server import create_server

SNAPSHOT = Path(__file__).with_name("schema_snapshot.json")


async def current_tools() -> list[dict[str, Any]]:
    async with Client(create_server(), mode="legacy") as client:
        listed = await client.list_tools()
    tools = []
    for tool in sorted(listed.tools, key=lambda t: t.name):
        tools.append(
            {
                "name": tool.name,
                "title": tool.title,
                "description": tool.description,
                "annotations": tool.annotations.model_dump(by_alias=True, exclude_none=True) if tool.annotations else None,
                "input_schema": tool.input_schema,
                "output_schema": tool.output_schema,
            }
        )
    return tools


async def test_tool_schemas_match_the_snapshot() -> None:
    tools = await current_tools()
    if os.environ.get("HUB_MCP_UPDATE_SNAPSHOT") == "1":
        SNAPSHOT.write_text(json.dumps(tools, indent=2, sort_keys=True) + "\n")
    assert SNAPSHOT.exists(), "no snapshot: run with HUB_MCP_UPDATE_SNAPSHOT=1 once"
    expected = json.loads(SNAPSHOT.read_text())
    assert [t["name"] for t in tools] == [t["name"] for t in expected], "tools were added or removed"
    for got, want in zip(tools, expected, strict=True):
        assert json.loads(json.dumps(got, sort_keys=True)) == want, f"{got['name']} changed: update the snapshot on purpose"


async def test_every_tool_is_described_typed_bounded_and_annotated() -> None:
    for tool in await current_tools():
        assert tool["description"] and len(tool["description"]) > 80, tool["name"]
        assert tool["output_schema"] and tool["output_schema"].get("type") == "object", tool["name"]
        annotations = tool["annotations"] or {}
        assert "readOnlyHint" in annotations and "openWorldHint" in annotations, tool["name"]
        for name, prop in tool["input_schema"]["properties"].items():
            assert prop.get("description"), f"{tool['name']}.{name} has no description"
            text = json.dumps(prop)
            if '"integer"' in text:
                assert '"maximum"' in text and '"minimum"' in text, f"{tool['name']}.{name} is unbounded"
            if '"string"' in text and '"enum"' not in text:
                assert '"maxLength"' in text, f"{tool['name']}.{name} has no length bound"
