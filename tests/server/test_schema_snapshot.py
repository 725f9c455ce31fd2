"""What the model sees, kept in review: every tool's name, description, schemas and annotations
(schema_snapshot.json), and every resource template and prompt with its arguments and MIME type
(surface_snapshot.json).

A change to any of them fails this test until the snapshots are rewritten:
    HUB_MCP_UPDATE_SNAPSHOT=1 scripts/test tests/server/test_schema_snapshot.py
and the diff of the JSON files shows the change to reviewers.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from mcp import Client

from hub_mcp.server import create_server

SNAPSHOT = Path(__file__).with_name("schema_snapshot.json")
SURFACE_SNAPSHOT = Path(__file__).with_name("surface_snapshot.json")


def every_tool() -> Any:
    """A server offering every tool: write tools are listed only with credentials (modes.py), so it
    has some (never used: listing the tools sends no request)."""
    from hub_mcp.config.settings import Settings

    return create_server(Settings(username="snapshot", pat_token="dckr_pat_snapshot", no_docker_config=True))


async def current_tools() -> list[dict[str, Any]]:
    async with Client(every_tool(), mode="legacy") as client:
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


async def current_surface() -> dict[str, Any]:
    """Resource templates, resources and prompts as a client lists them."""
    async with Client(create_server(), mode="legacy") as client:
        templates = (await client.list_resource_templates()).resource_templates
        resources = (await client.list_resources()).resources
        prompts = (await client.list_prompts()).prompts
    return {
        "resource_templates": [
            {"uri_template": t.uri_template, "name": t.name, "title": t.title, "description": t.description,
             "mime_type": t.mime_type}
            for t in sorted(templates, key=lambda t: t.uri_template)
        ],
        "resources": [
            {
                "uri": str(r.uri),
                "name": r.name,
                "title": r.title,
                "description": r.description,
                "mime_type": r.mime_type,
            }
            for r in sorted(resources, key=lambda r: str(r.uri))
        ],
        "prompts": [
            {
                "name": p.name,
                "title": p.title,
                "description": p.description,
                "arguments": [
                    {"name": a.name, "description": a.description, "required": a.required} for a in p.arguments or []
                ],
            }
            for p in sorted(prompts, key=lambda p: p.name)
        ],
    }


async def test_resources_and_prompts_match_the_snapshot() -> None:
    surface = await current_surface()
    if os.environ.get("HUB_MCP_UPDATE_SNAPSHOT") == "1":
        SURFACE_SNAPSHOT.write_text(json.dumps(surface, indent=2, sort_keys=True) + "\n")
    assert SURFACE_SNAPSHOT.exists(), "no snapshot: run with HUB_MCP_UPDATE_SNAPSHOT=1 once"
    expected = json.loads(SURFACE_SNAPSHOT.read_text())
    for kind, key in (("resource_templates", "uri_template"), ("resources", "uri"), ("prompts", "name")):
        got = json.loads(json.dumps(surface[kind], sort_keys=True))
        assert [item[key] for item in got] == [item[key] for item in expected[kind]], f"{kind} were added or removed"
        for item, want in zip(got, expected[kind], strict=True):
            assert item == want, f"{item[key]} changed: update the snapshot on purpose"


async def test_every_resource_and_prompt_is_described_and_typed() -> None:
    surface = await current_surface()
    for template in surface["resource_templates"]:
        assert template["description"] and template["title"], template["uri_template"]
        assert template["mime_type"] in ("application/json", "text/markdown"), template["uri_template"]
    for prompt in surface["prompts"]:
        assert prompt["description"] and prompt["title"], prompt["name"]
        assert all(argument["description"] for argument in prompt["arguments"]), prompt["name"]
