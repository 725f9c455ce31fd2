"""What one server process holds: settings and the clients, built on first use.

Building the HTTP clients is deferred to the first tool call so that start-up (spawn →
``tools/list``) costs no more than the MCP SDK itself: ``httpx`` and ``tenacity`` are imported
here, lazily, not when the server module loads.
"""

from __future__ import annotations

import asyncio
from typing import TYPE_CHECKING, Any

from hub_mcp.config import Settings

if TYPE_CHECKING:
    from hub_mcp.http import HttpClient
    from hub_mcp.hub.service import HubService


class Runtime:
    """Lazily built clients; ``aclose`` releases them."""

    def __init__(self, settings: Settings, *, hub_transport: Any = None) -> None:
        self.settings = settings
        self._hub_transport = hub_transport  # an httpx transport; tests pass the fake Hub's
        self._http: HttpClient | None = None
        self._hub: HubService | None = None
        self._lock = asyncio.Lock()

    async def hub(self) -> HubService:
        if self._hub is None:
            async with self._lock:
                if self._hub is None:
                    self._hub = self._build_hub()
        return self._hub

    def _build_hub(self) -> HubService:
        from hub_mcp.http import HttpClient
        from hub_mcp.hub.auth import HubAuth
        from hub_mcp.hub.client import HubClient
        from hub_mcp.hub.service import HubService

        settings = self.settings
        self._http = HttpClient(
            timeout=settings.timeout,
            max_retries=settings.max_retries,
            retry_max_wait=settings.retry_max_wait,
            transport=self._hub_transport,
        )
        secret = settings.pat_token.get_secret_value() if settings.pat_token else None
        auth = HubAuth(self._http, settings.hub_url, settings.username, secret)
        return HubService(HubClient(self._http, settings.hub_url, auth))

    async def aclose(self) -> None:
        if self._http is not None:
            await self._http.aclose()
            self._http = None
            self._hub = None
