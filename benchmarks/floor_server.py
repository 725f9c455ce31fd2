"""The floor: the smallest MCP server the SDK allows, with one trivial tool.

Spawned by :mod:`benchmarks.startup` as ``python benchmarks/floor_server.py`` (stdio): whatever
``hub-mcp`` needs beyond this to answer ``tools/list`` is our own start-up cost. Spawned by
:mod:`benchmarks.http_load` as ``python benchmarks/floor_server.py --http PORT``: served over
streamable HTTP as hub-mcp serves it (stateless, JSON answers), whatever a warm hub-mcp call
costs beyond this one is our own.
"""

from __future__ import annotations

import sys

from mcp.server import MCPServer

server = MCPServer("floor")


@server.tool()
def ping() -> str:
    """Answer pong."""
    return "pong"


def get_tag(repository: str) -> dict[str, bool]:
    """Answer that the tag exists (the same call name and argument the HTTP load sends to hub-mcp)."""
    return {"exists": bool(repository)}


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "--http":
        import uvicorn

        server.tool()(get_tag)  # only here: the stdio floor stays the one-tool server start-up measures
        app = server.streamable_http_app(streamable_http_path="/mcp", stateless_http=True, json_response=True)
        uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
    else:
        server.run()
