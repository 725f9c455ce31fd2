"""Toolset: namespaces (who am I on Docker Hub, and where may I create repositories)."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from hub_mcp.answers.views import NamespaceList
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import READ_ONLY, respond

TOOLSET = "namespaces"


def register(server: ToolHost) -> None:
    @server.tool(title="List your Docker Hub namespaces", annotations=READ_ONLY)
    async def list_namespaces(ctx: Context) -> Annotated[CallToolResult, NamespaceList]:
        """List the namespaces the configured credentials can use: the personal namespace and every
        organization, each with the account's role (owner, editor, member) and whether that role
        may create repositories there. With an organization access token, its organization only.

        Use it before create_repository or list_repositories to pick the namespace. Needs
        HUB_USERNAME and HUB_PAT_TOKEN.
        """
        return await respond(ctx, lambda s: s.list_namespaces())
