"""The start-up floor: the smallest stdio MCP server the SDK allows, with one trivial tool.

Spawned by :mod:`benchmarks.startup` as ``python benchmarks/floor_server.py``. Whatever
``hub-mcp`` needs beyond this to answer ``tools/list`` is our own start-up cost.
"""

from __future__ import annotations

from mcp.server import MCPServer

server = MCPServer("floor")


@server.tool()
def ping() -> str:
    """Answer pong."""
    return "pong"


if __name__ == "__main__":
    server.run()
