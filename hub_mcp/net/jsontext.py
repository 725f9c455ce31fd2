"""JSON read from outside (Docker Hub, registries, token services, the shared Redis cache) with a
bound on how deeply it nests.

Python's decoder recurses once per level: a body such as ``[[[[...]]]]`` a few thousand levels
deep raises ``RecursionError``, which is neither a ``ValueError`` nor anything a caller expects,
and data a few hundred levels deep decodes but can fail later wherever it is walked. No answer
this server reads nests deeper than a dozen levels, so :func:`loads` refuses anything deeper
than :data:`MAX_DEPTH` with :class:`TooDeep`, a ``ValueError``: every caller already treats
that as "not readable JSON".
"""

from __future__ import annotations

import json
from typing import Any

from hub_mcp.errors import Upstream

MAX_DEPTH = 64
"""The deepest nesting of arrays and objects read (Hub's tag pages nest 4 levels; manifests 4)."""


class TooDeep(ValueError):
    """JSON nested deeper than :data:`MAX_DEPTH` levels (or too deep for the decoder)."""

    def __init__(self) -> None:
        super().__init__(f"JSON nested deeper than {MAX_DEPTH} levels")


def loads(data: bytes | bytearray | str) -> Any:
    """``json.loads``, raising :class:`TooDeep` for nesting deeper than :data:`MAX_DEPTH` (and
    ``ValueError`` as ``json.loads`` does for text that is not JSON)."""
    try:
        value = json.loads(data)
    except RecursionError:
        raise TooDeep() from None
    if not within_depth(value):
        raise TooDeep()
    return value


def within_depth(value: Any, limit: int = MAX_DEPTH) -> bool:
    """Whether ``value`` (decoded JSON) nests at most ``limit`` arrays/objects deep; without recursion."""
    stack: list[tuple[Any, int]] = [(value, 1)]
    pop, push = stack.pop, stack.append
    while stack:
        item, depth = pop()
        if isinstance(item, dict):
            children: Any = item.values()
        elif isinstance(item, list):
            children = item
        else:
            continue
        if depth > limit:
            return False
        for child in children:
            if isinstance(child, dict | list):
                push((child, depth + 1))
    return True


def too_deep(who: str, host: str = "", what: str = "an answer") -> Upstream:
    """The sentence for an upstream whose JSON nests too deep: ``who`` as messages name it ("Docker Hub",
    "the registry ghcr.io"), its ``host`` when ``who`` does not show it, ``what`` it sent."""
    named = f"{who} ({host})" if host and host not in who else who
    return Upstream(
        f"{named[:1].upper()}{named[1:]} sent {what} as JSON nested deeper than {MAX_DEPTH} levels, which hub-mcp"
        " does not read (no answer it expects nests so deep): the upstream misbehaved, not the arguments. Try again"
        " later, and tell the upstream's operators if it persists."
    )
