"""hub-mcp: a Docker Hub MCP server that gives agents compact, checked answers."""

__version__ = "0.1.0"
