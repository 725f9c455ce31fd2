"""What one server process holds: settings and the clients, built on first use.

Building the HTTP clients is deferred to the first tool call so that start-up (spawn →
``tools/list``) costs no more than the MCP SDK itself: ``httpx`` and ``tenacity`` are imported
here, lazily, not when the server module loads.
"""

from __future__ import annotations

import asyncio
from datetime import date
from typing import TYPE_CHECKING, Any

from hub_mcp.config import Settings

if TYPE_CHECKING:
    import ssl

    from hub_mcp.http import HttpClient
    from hub_mcp.services import Services

FIRST_CALL_MODULES: tuple[str, ...] = (
    "hub_mcp.http",
    "hub_mcp.advisor.suggest",
    "hub_mcp.hub.auth",
    "hub_mcp.hub.client",
    "hub_mcp.hub.service",
    "hub_mcp.registry.client",
    "hub_mcp.registry.service",
    "hub_mcp.services",
)
"""What building the services imports (httpx, tenacity and everything below ``server/``):
kept off the start-up path, loaded by the first tool call."""


class Runtime:
    """Lazily built services; ``aclose`` releases their connections.

    ``hub_transport`` / ``registry_transport`` (httpx transports) let tests serve a fake Hub
    or registry in-process; by default both go over the network. ``today`` fixes the date the
    advisor judges end of life by.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        hub_transport: Any = None,
        registry_transport: Any = None,
        today: date | None = None,
    ) -> None:
        self.settings = settings
        self._today = today  # fixed "today" for reproducible tests and benchmarks; None = the real date
        self._hub_transport = hub_transport
        self._registry_transport = registry_transport
        self._clients: list[HttpClient] = []
        self._services: Services | None = None
        self._lock = asyncio.Lock()
        self._tls: ssl.SSLContext | None = None

    async def services(self) -> Services:
        if self._services is None:
            async with self._lock:
                if self._services is None:
                    self._services = self.build_services()
        return self._services

    def _http(self, transport: Any) -> HttpClient:
        from hub_mcp.http import HttpClient

        client = HttpClient(
            timeout=self.settings.timeout,
            max_retries=self.settings.max_retries,
            retry_max_wait=self.settings.retry_max_wait,
            transport=transport,
            verify=self._tls_context() if transport is None else True,
        )
        self._clients.append(client)
        return client

    def _tls_context(self) -> ssl.SSLContext:
        """One TLS context (trust store) for both clients: loading the CA bundle costs ~50 ms
        each time, and httpx would load it once per client."""
        if self._tls is None:
            import httpx

            self._tls = httpx.create_ssl_context()
        return self._tls

    def build_services(self) -> Services:
        """Import what the tools need and build the clients (no request is sent)."""
        from hub_mcp.advisor.suggest import Advisor
        from hub_mcp.hub.auth import HubAuth
        from hub_mcp.hub.client import HubClient
        from hub_mcp.hub.service import HubService
        from hub_mcp.registry.client import RegistryClient
        from hub_mcp.registry.service import RegistryService
        from hub_mcp.services import Services

        settings = self.settings
        secret = settings.pat_token.get_secret_value() if settings.pat_token else None
        hub_http = self._http(self._hub_transport)
        hub_client = HubClient(hub_http, settings.hub_url, HubAuth(hub_http, settings.hub_url, settings.username, secret))
        today = self._today
        advisor = Advisor(hub_client, today=(lambda: today) if today else None)
        registry = RegistryClient(
            self._http(self._registry_transport),
            docker_hub_url=settings.registry_url,
            credentials=settings.registry_logins(),
            insecure_hosts=frozenset(settings.insecure_registries),
        )
        return Services(hub=HubService(hub_client), registry=RegistryService(registry), advisor=advisor)

    async def aclose(self) -> None:
        for client in self._clients:
            await client.aclose()
        self._clients.clear()
        self._services = None
