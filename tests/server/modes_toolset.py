"""A test-only toolset with one read tool and one write tool, to test the modes before real write tools exist.

The write tool asks the auth for its status, as a real write does before it changes anything.
"""

from typing import Annotated

from mcp.server.mcpserver import Context
from mcp.types import CallToolResult, ToolAnnotations
from pydantic import Field

from hub_mcp.answers.views import Answer, RepositoryInfo
from hub_mcp.server.host import ToolHost
from hub_mcp.server.results import READ_ONLY, respond

TOOLSET = "namespaces"
WRITE = ToolAnnotations(read_only_hint=False, destructive_hint=False, idempotent_hint=True, open_world_hint=True)


class WhoAmI(Answer):
    usable: bool
    kind: str
    namespace: str | None = None


def register(server: ToolHost) -> None:
    @server.tool(title="Peek (test read tool)", annotations=READ_ONLY)
    async def peek_repository(
        ctx: Context, repository: Annotated[str, Field(max_length=100)]
    ) -> Annotated[CallToolResult, RepositoryInfo]:
        """Read a repository (test only)."""
        return await respond(ctx, lambda s: s.hub.get_repository(repository))

    @server.tool(title="Touch (test write tool)", annotations=WRITE)
    async def touch_namespace(ctx: Context) -> Annotated[CallToolResult, WhoAmI]:
        """Pretend to change something (test only): answers what the login allows."""

        async def call(services):  # type: ignore[no-untyped-def]
            status = await services.auth_status()
            return WhoAmI(usable=status.usable, kind=status.kind, namespace=status.namespace)

        return await respond(ctx, call)
