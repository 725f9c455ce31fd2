"""How hub-mcp looks in a client's tool list and what a client may cache, declared once.

* **Icons** [MCP 2025-11-25 ``Icon``: ``src`` (a ``data:`` URI is allowed), ``mimeType``, ``sizes``]: the server's
  and one per toolset, small SVGs inline as ``data:`` URIs, so nothing is fetched from the network to show them.
* **Cache hints** [SEP-2549, protocol revision 2026-07-28: ``ttlMs`` and ``cacheScope`` on the results of the
  cacheable list methods; the SDK sends them only to clients that speak a revision that has them]: the tool, prompt,
  resource and template lists do not change while the server runs (no ``list_changed``), so a client may keep them
  :data:`LIST_TTL_MS`; ``private``, because what a list holds depends on the server's configuration and credentials
  (the write tools), which another server behind the same name may not share. ``resources/read`` gets none: a
  resource is live Docker Hub data.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import quote

from mcp.server.caching import CacheableMethod, CacheHint
from mcp.types import Icon

__all__ = ["CACHE_HINTS", "LIST_TTL_MS", "SERVER_ICONS", "toolset_icons"]

LIST_TTL_MS = 300_000  # 5 minutes: a restarted server with other settings is seen soon enough

_FRAME = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="none" stroke="#1d63ed" stroke-width="2">{}</svg>'
_SHAPES: Mapping[str, str] = {
    # a whale-blue container stack: the server
    "server": '<rect x="3" y="10" width="18" height="10" rx="2"/><path d="M7 10V6h4v4M13 10V6h4v4"/>',
    "search": '<circle cx="10" cy="10" r="6"/><path d="M15 15l6 6"/>',
    "repositories": '<path d="M4 7l8-4 8 4v10l-8 4-8-4z"/>',
    "tags": '<path d="M3 12V4h8l10 10-8 8z"/><circle cx="7.5" cy="8.5" r="1"/>',
    "images": '<path d="M12 3l9 5-9 5-9-5z"/><path d="M3 13l9 5 9-5"/>',
    "advisor": '<path d="M12 3l2.7 5.6 6.3.9-4.5 4.4 1 6.1L12 17l-5.6 3 1-6.1L3 9.5l6.3-.9z"/>',
    "namespaces": '<circle cx="8" cy="9" r="3"/><circle cx="17" cy="9" r="3"/><path d="M2 20c1-4 11-4 12 0M12 20c1-4 9-4 10 0"/>',
}


def _icon(shape: str) -> list[Icon]:
    svg = _FRAME.format(_SHAPES[shape])
    return [Icon(src="data:image/svg+xml," + quote(svg, safe=" =:/\"'"), mime_type="image/svg+xml", sizes=["any"])]


SERVER_ICONS = _icon("server")
CACHE_HINTS: Mapping[CacheableMethod, CacheHint] = {
    method: CacheHint(ttl_ms=LIST_TTL_MS, scope="private")
    for method in ("tools/list", "prompts/list", "resources/list", "resources/templates/list")
}


def toolset_icons(toolset: str) -> list[Icon] | None:
    """The icon of a toolset's tools (None for a toolset without one)."""
    return _icon(toolset) if toolset in _SHAPES else None
