"""Tools registered through the collector are the tools the SDK builds for ``@server.tool``: every
tool's schemas are what the SDK derives (the snapshot in test_schema_snapshot.py keeps them in review)."""

from __future__ import annotations

from mcp.server.mcpserver import MCPServer

from hub_mcp.config.settings import Settings
from hub_mcp.server import create_server
from hub_mcp.server.host import ToolCollector
from hub_mcp.server.registration import build_tools
from hub_mcp.server.toolsets import toolsets


def collected() -> ToolCollector:
    collector = ToolCollector()
    for toolset in toolsets():
        toolset.register(collector)
    return collector


async def test_every_tool_listed_is_what_the_sdk_derives_for_server_tool() -> None:
    """create_server (collector -> modes -> build_tools) against a bare MCPServer on which the same
    functions are registered with ``@server.tool(**options)``, the SDK's own way."""
    sdk = MCPServer("sdk")
    for fn, options in collected().registered:
        sdk.tool(**options)(fn)
    every = create_server(Settings(username="snapshot", pat_token="dckr_pat_snapshot", no_docker_config=True))
    ours = {tool.name: tool for tool in await every.list_tools()}
    theirs = {tool.name: tool for tool in await sdk.list_tools()}
    assert sorted(ours) == sorted(theirs) and len(ours) == 13
    for name, tool in ours.items():
        dumped = tool.model_dump(by_alias=True, exclude_none=True)
        assert dumped == theirs[name].model_dump(by_alias=True, exclude_none=True), name


def test_confirmed_deletions_keep_their_resolvers() -> None:
    tools = {tool.name: tool for tool in build_tools(collected())}
    for name in ("delete_repository", "delete_tag"):
        assert set(tools[name].resolved_params) == {"facts", "answer"}
        assert "facts" not in tools[name].parameters["properties"] and "answer" not in tools[name].parameters["properties"]
        assert len(tools[name].resolver_plans) == 2
