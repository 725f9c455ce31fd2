"""The error taxonomy.

Every error that can reach a model carries one sentence that says what happened and what to
do next. Clients and services raise these; the MCP layer turns them into ``ToolError`` in one
place (:func:`hub_mcp.server.results.respond`; a resource's into ``ResourceNotFoundError`` or
``ResourceError`` in :mod:`hub_mcp.server.resources`). Nothing here imports ``mcp`` or ``httpx``.

Messages never contain secrets: they are built from names the caller gave us and from
status codes, never from request headers or credential values.
"""

from __future__ import annotations

import re

#: A full stop doubled at the end of a clause ("invalid page." + "."), not dots inside a name or path
#: ("../../x", "v1..2"), which a message must show as given.
_DOUBLED_STOP = re.compile(r"(?<=[^\s.])\.\s*\.(?=\s|$)")


def sentence(text: str) -> str:
    """``text`` ending in exactly one full stop (or its own ``?``/``!``), with no doubled stops inside:
    pieces joined from upstream details ("invalid page." + ".") read as one sentence."""
    text = _DOUBLED_STOP.sub(".", " ".join(text.split()))
    text = text.rstrip(" .")
    return text if text.endswith(("?", "!", "…")) else text + "."


def clause(error: BaseException) -> str:
    """An error's message as a clause to put inside another sentence: no final stop, sentences joined by
    semicolons, the first letter small (messages here never hold a secret)."""
    text = " ".join(str(error).split()).rstrip(" .").replace(". ", "; ")
    return text[:1].lower() + text[1:] if text else type(error).__name__


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


class Refused(HubMCPError):
    """The egress policy (:mod:`hub_mcp.net.egress`) refused to contact a host; ``rule`` names the rule."""

    def __init__(self, message: str, rule: str = "", host: str = "") -> None:
        super().__init__(message)
        self.rule = rule
        self.host = host


class TooLarge(Upstream):
    """An upstream body was larger than the limit for its kind; nothing past the limit was read."""

    def __init__(self, message: str, limit: int = 0) -> None:
        super().__init__(message)
        self.limit = limit


class TimedOut(Upstream):
    """A whole tool call took longer than its deadline (``HUB_MCP_CALL_TIMEOUT``)."""


class Internal(HubMCPError):
    """A bug: an exception no service turned into a sentence. The log keeps the traceback."""


_EXCERPT_MAX = 200


def excerpt(text: object, limit: int = _EXCERPT_MAX) -> str:
    """A short, safe excerpt of upstream text for a sentence: printable characters only, white space
    (newlines included) collapsed to one space, at most ``limit`` characters (with … when cut)."""
    if not isinstance(text, str):
        return ""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in text)
    cleaned = " ".join(cleaned.split())
    if len(cleaned) > limit:
        cleaned = cleaned[: limit - 1].rstrip() + "…"
    return cleaned
