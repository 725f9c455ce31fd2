"""Toolset: namespaces (who am I on Docker Hub, where may I create repositories, and how much of my rate limits
is left: both limits count for the account, or anonymously for this machine's address, not for an image)."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult

from hub_mcp.answers.views import NamespaceList, RateLimitStatus
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

    @server.tool(title="Docker Hub rate limits", annotations=READ_ONLY)
    async def get_rate_limit(ctx: Context) -> Annotated[CallToolResult, RateLimitStatus]:
        """How many Docker Hub pulls and API calls are left, exactly as Docker Hub's headers say: the pull
        limit, what remains, the window and what it is counted for (ratelimit-limit, ratelimit-remaining,
        docker-ratelimit-source), read with a HEAD on a manifest, which Docker does not count as a pull; and the
        Hub API budget (X-RateLimit-*) from Docker Hub's last answer. Counted for the configured Docker Hub login,
        or anonymously for this machine's address; the answer says which. A number the headers do not give is
        absent and the reason says why (no headers at all means Docker applies no pull limit).

        Use it before a run that pulls many images. When either budget runs low, every answer carries a notice.
        Takes no arguments; works without credentials.
        """
        return await respond(ctx, lambda s: s.rate_limit_status())
