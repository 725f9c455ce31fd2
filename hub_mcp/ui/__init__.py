"""Views of tool answers for clients that speak MCP Apps (:mod:`hub_mcp.ui.pages`).

Plain Python: which views exist, their ``ui://`` addresses and the documents themselves. The
server (:mod:`hub_mcp.server.apps`) offers them through the SDK's Apps extension.
"""

from hub_mcp.ui.pages import MIME_TYPE, PAGES, RESOURCE_META, Page, document, tool_meta

__all__ = ["MIME_TYPE", "PAGES", "RESOURCE_META", "Page", "document", "tool_meta"]
