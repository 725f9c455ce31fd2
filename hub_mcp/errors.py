"""The error taxonomy.

Every error that can reach a model carries one sentence that says what happened and what to
do next. Clients and services raise these; the MCP layer turns them into ``ToolError`` in one
place (``hub_mcp.server.app.tool_errors``). Nothing here imports ``mcp`` or ``httpx``.

Messages never contain secrets: they are built from names the caller gave us and from
status codes, never from request headers or credential values.
"""

from __future__ import annotations


class HubMCPError(Exception):
    """Base class. ``str(error)`` is the sentence the model reads."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvalidInput(HubMCPError):
    """The caller's argument cannot be used as given (bad name, bad tag, bad bounds)."""


class NotFound(HubMCPError):
    """The repository, tag or namespace does not exist (or is private and we cannot see it)."""


class Unauthorized(HubMCPError):
    """Credentials are missing or were rejected."""


class Forbidden(HubMCPError):
    """Credentials were accepted but do not allow this action."""


class RateLimited(HubMCPError):
    """Upstream refused with 429; ``retry_after`` is seconds to wait (None when unknown)."""

    def __init__(self, message: str, retry_after: float | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class Upstream(HubMCPError):
    """Upstream failed: 5xx, timeouts, connection errors, or a body we could not read."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status
