"""The MCP layer: tool declarations over the services, nothing else.

``create_server(settings)`` builds the :class:`mcp.server.MCPServer`; each toolset module
(``search``, ``repositories``, ``tags``) registers its tools on it.
"""

from hub_mcp.server.app import create_server

__all__ = ["create_server"]
