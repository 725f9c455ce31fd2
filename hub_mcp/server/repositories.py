"""Toolset: repository facts."""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult
from pydantic import Field

from hub_mcp.server.args import Repository
from hub_mcp.server.registration import ToolHost
from hub_mcp.server.results import READ_ONLY, respond
from hub_mcp.views import RepositoryInfo

TOOLSET = "repositories"


def register(server: ToolHost) -> None:
    @server.tool(title="Docker Hub repository facts", annotations=READ_ONLY)
    async def get_repository(
        ctx: Context,
        repository: Repository,
        include_readme: Annotated[bool, Field(description="Also return the README (markdown), cut to readme_max_chars.")] = False,
        readme_max_chars: Annotated[int, Field(ge=200, le=20000, description="Most README characters to return.")] = 6000,
    ) -> Annotated[CallToolResult, RepositoryInfo]:
        """Facts about one Docker Hub repository: description, official or not, status, pulls,
        stars, last update, categories, and warnings (archived, deprecated, unmaintained).

        The README is large; ask for it (include_readme=true) only when you need usage details
        such as environment variables or volumes. It is cut to readme_max_chars and says so.
        """
        return await respond(
            ctx,
            lambda s: s.hub.get_repository(repository, include_readme=include_readme, readme_max_chars=readme_max_chars),
        )
