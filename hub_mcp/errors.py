"""The error taxonomy.

Every error that can reach a model carries one sentence that says what happened and what to
do next. Clients and services raise these; the MCP layer turns them into ``ToolError`` in one
place (``hub_mcp.server.app.tool_errors``). Nothing here imports ``mcp`` or ``httpx``.

Messages never contain secrets: they are built from names the caller gave us and from
status codes, never from request headers or credential values.
"""

from __future__ import annotations

import re

_DOUBLED_STOP = re.compile(r"(?<!\.)\.\s*\.(?!\.)")


def sentence(text: str) -> str:
    """``text`` ending in exactly one full stop (or its own ``?``/``!``), with no doubled stops inside:
    pieces joined from upstream details ("invalid page." + ".") read as one sentence."""
    text = _DOUBLED_STOP.sub(".", " ".join(text.split()))
    text = text.rstrip(" .")
    return text if text.endswith(("?", "!", "…")) else text + "."


class HubMCPError(Exception):
    """Base class. ``str(error)`` is the sentence the model reads (no doubled full stops)."""

    def __init__(self, message: str) -> None:
        message = _DOUBLED_STOP.sub(".", message)
        super().__init__(message)
        self.message = message


class InvalidInput(HubMCPError):
    """The caller's argument cannot be used as given (bad name, bad tag, bad bounds)."""


class NotFound(HubMCPError):
    """The repository, tag or namespace does not exist (or is private and we cannot see it)."""


class Unauthorized(HubMCPError):
    """Credentials are missing or were rejected; ``reason`` is a short clause for notes."""

    def __init__(self, message: str, reason: str | None = None) -> None:
        super().__init__(message)
        self.reason = reason or message.rstrip(".")


class Forbidden(HubMCPError):
    """Credentials were accepted but do not allow this action; ``detail`` is Hub's own short reason."""

    def __init__(self, message: str, detail: str = "") -> None:
        super().__init__(message)
        self.detail = detail

    @property
    def pat_restricted(self) -> bool:
        """Hub's 403 for JWTs minted from a personal access token on some endpoints (hub-api.md)."""
        return "personal access token" in self.detail.lower()


class Conflict(HubMCPError):
    """The thing to create already exists: nothing was changed."""


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


class Unreachable(Upstream):
    """The host could not be connected to (refused, no route, DNS): tried once, not retried."""
