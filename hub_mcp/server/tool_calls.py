"""How a tool call's arguments are taken before a tool sees them, for every tool, in one place.

A JSON ``null`` means the argument was left out. Models send ``"tag": null`` or
``"limit": null`` for arguments they do not mean to set; the tool then runs with its default.
(A null for a required argument is therefore reported as missing.)

The hook is :meth:`MCPServer.call_tool`, which the SDK's ``tools/call`` handler calls in
every client mode, before the arguments are validated.
"""

from __future__ import annotations

from typing import Any, TypeVar

from mcp.server import MCPServer
from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, InputRequiredResult

LifespanT = TypeVar("LifespanT")


class ToolCallServer(MCPServer[LifespanT]):
    """An ``MCPServer`` whose tools take a null argument as absent."""

    async def call_tool(
        self, name: str, arguments: dict[str, Any], context: Context[LifespanT, Any] | None = None
    ) -> CallToolResult | InputRequiredResult:
        given = {key: value for key, value in arguments.items() if value is not None}
        return await super().call_tool(name, given, context)
