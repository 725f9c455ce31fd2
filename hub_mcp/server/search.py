"""Toolset: finding images."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from hub_mcp.answers.views import SearchImagesResult
from hub_mcp.server.args import Architecture, Badge, OperatingSystem, Page
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import READ_ONLY, respond

TOOLSET = "search"


def register(server: ToolHost) -> None:
    @server.tool(title="Search Docker Hub images", annotations=READ_ONLY)
    async def search_images(
        ctx: Context,
        query: Annotated[str, Field(min_length=1, max_length=100, description="Words to search for, e.g. 'python'.")],
        badges: Annotated[
            list[Badge] | None,
            Field(max_length=5, description="Keep only these trust levels, e.g. ['official'] for Docker Official Images."),
        ] = None,
        architecture: Architecture = None,
        os: OperatingSystem = None,
        limit: Annotated[int, Field(ge=1, le=50, description="Results per page.")] = 10,
        page: Page = 1,
    ) -> Annotated[CallToolResult, SearchImagesResult]:
        """Search Docker Hub for image repositories.

        Use it to find which image to build on or run. Each result gives the name to write in
        FROM, its trust level (official, verified_publisher, open_source, hardened, community), a
        one-line description, pulls, stars, last update and architectures. A Docker Hardened Image
        is named as pulled (dhi.io/<image>; badges ['hardened'] keeps only those). A repository
        whose name equals the query comes first. Then use list_tags / get_tag to pick a tag.
        """
        return await respond(
            ctx,
            lambda s: s.search_images(
                query, badges=badges, architecture=architecture, os=os, limit=limit, page=page
            ),
        )
