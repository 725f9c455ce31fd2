"""What one server process holds: settings and the clients, built on first use.

Building the HTTP clients is deferred past start-up so that spawn → ``tools/list`` costs no
more than the MCP SDK itself: ``httpx``, ``tenacity`` and everything below ``server/`` are
imported here, lazily, not when the server module loads. That cost (imports, then the TLS
trust store) is about a quarter of a second, so the command line asks for a warm-up: once
``tools/list`` has been answered, :meth:`Runtime.warm_up` builds the services in a background
thread while the model reads the tool list, and the first call finds them ready. A call that
arrives during the warm-up waits for it rather than building twice.
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any

from hub_mcp.config.settings import Settings

if TYPE_CHECKING:
    import ssl

    from hub_mcp.config.credentials import Credentials, Login
    from hub_mcp.net.egress import EgressPolicy
    from hub_mcp.net.http import HttpClient
    from hub_mcp.net.shared_state import RedisLink, SharedAnswerCache, SharedRateBudget
    from hub_mcp.services import Services

logger = logging.getLogger(__name__)

FIRST_CALL_MODULES: tuple[str, ...] = (
    "hub_mcp.net.egress",
    "hub_mcp.net.http",
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

    ``hub_transport`` / ``registry_transport`` / ``osv_transport`` (httpx transports) let tests serve a
    fake Hub, registry or OSV in-process; by default both go over the network. ``today`` fixes the date the
    advisor judges end of life by.
    """

    def __init__(
        self,
        settings: Settings,
        *,
        hub_transport: Any = None,
        registry_transport: Any = None,
        osv_transport: Any = None,
        today: date | None = None,
        credentials: Callable[[], Credentials] | None = None,
    ) -> None:
        self.settings = settings
        self._credentials = credentials  # gives the logins; None: resolved from settings and the environment
        self._today = today  # fixed "today" for reproducible tests and benchmarks; None = the real date
        self._hub_transport = hub_transport
        self._registry_transport = registry_transport
        self._osv_transport = osv_transport
        self._clients: list[HttpClient] = []
        self._services: Services | None = None
        self._lock = asyncio.Lock()
        self._warm_thread: threading.Thread | None = None
        self._hurry = threading.Event()
        self._tls: ssl.SSLContext | None = None
        self._redis: RedisLink | None = None
        self._budget: SharedRateBudget | None = None
        self._policy: EgressPolicy | None = None

    async def services(self) -> Services:
        if self._services is None:
            async with self._lock:
                if self._services is None:
                    await self._finish_warm_up()
                if self._services is None:
                    # in a thread, as the warm-up builds them: building may run credential helpers
                    # (seconds each), and the event loop serves other calls meanwhile
                    self._services = await asyncio.to_thread(self.build_services)
        return self._services

    @property
    def ready(self) -> bool:
        """Whether the services are built (by a warm-up or a first call)."""
        return self._services is not None

    @property
    def warm_up_thread(self) -> threading.Thread | None:
        """The thread :meth:`warm_up` started (alive while it waits out its delay or builds), or
        ``None`` when no warm-up was asked for: join it to wait for the background build."""
        return self._warm_thread

    def warm_up(self, delay: float = 0.0) -> None:
        """Build the services in a background thread, after ``delay`` seconds (so that the
        response that triggered it goes out first). Does nothing if they are built or being
        built. A failure is only logged: the first call builds again and reports it."""
        if self._services is not None or self._warm_thread is not None:
            return
        self._warm_thread = threading.Thread(target=self._warm, args=(delay,), name="hub-mcp-warm-up", daemon=True)
        self._warm_thread.start()

    def _warm(self, delay: float) -> None:
        self._hurry.wait(delay)
        try:
            from hub_mcp.answers.views import build_views

            build_views()
            services = self.build_services()
        except Exception:  # the first call builds again and reports it as usual
            logger.debug("warm-up failed; the first tool call builds the services", exc_info=True)
            return
        self._services = services
        logger.debug("warm-up done: services built")

    async def _finish_warm_up(self) -> None:
        """Wait for a running warm-up (cutting its delay short) instead of building twice."""
        thread = self._warm_thread
        if thread is not None and thread.is_alive():
            self._hurry.set()
            await asyncio.to_thread(thread.join)

    def _http(self, transport: Any) -> HttpClient:
        from hub_mcp.net.egress import EgressPolicy
        from hub_mcp.net.http import HttpClient

        if self._policy is None:
            self._policy = EgressPolicy.from_settings(self.settings)
        client = HttpClient(
            policy=self._policy,
            timeout=self.settings.timeout,
            max_retries=self.settings.max_retries,
            retry_max_wait=self.settings.retry_max_wait,
            transport=transport,
            verify=self._tls_context() if transport is None else True,
            budget=self._budget,
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
        from hub_mcp.advisor.suggest import ANONYMOUS_ASSESSED, MAX_ASSESSED, Advisor
        from hub_mcp.attestations.service import ImageFactsService
        from hub_mcp.attestations.vulnerability_source import AttestedVulnerabilities
        from hub_mcp.config.credentials import Credentials
        from hub_mcp.hardened.mirrors import HubMirrors
        from hub_mcp.hardened.service import CHECK_WITHIN, HardenedImages
        from hub_mcp.hub.auth import HubAuth
        from hub_mcp.hub.client import HubClient
        from hub_mcp.hub.management import HubManagement
        from hub_mcp.hub.service import HubService
        from hub_mcp.registry.client import RegistryClient
        from hub_mcp.registry.service import RegistryService
        from hub_mcp.services import Services
        from hub_mcp.vulnerabilities.osv import OsvClient
        from hub_mcp.vulnerabilities.report import OSV_WITHIN

        settings = self.settings
        credentials = self._credentials() if self._credentials is not None else Credentials(settings)
        hub_login = credentials.hub()
        logins = credentials.logins()
        shared_cache = self._shared_state(hub_login)
        hub_http = self._http(self._hub_transport)
        hub_client = HubClient(
            hub_http,
            settings.hub_url,
            HubAuth.for_login(hub_http, settings.hub_url, hub_login),
            cache=shared_cache,
        )
        today = self._today
        registry = RegistryClient(
            self._http(self._registry_transport),
            docker_hub_url=settings.registry_url,
            endpoints={"dhi.io": settings.dhi_url},
            credentials={host: (login.username, login.secret.get_secret_value()) for host, login in logins.items()},
            credential_sources={host: login.source for host, login in logins.items()},
            insecure_hosts=frozenset(settings.insecure_registries),
        )
        facts = ImageFactsService(
            registry,
            OsvClient(self._http(self._osv_transport), settings.osv_url),
            # OSV gets a third of a call at most, so that a silent OSV is said as unknown, not a timed-out call
            osv_within=min(OSV_WITHIN, settings.call_timeout / 3),
        )
        advisor = Advisor(
            hub_client,
            registry=registry,
            # priority 'secure': the candidates' SBOMs looked up in OSV, within half the call's deadline (the
            # other half is the Hub's and the answer's)
            vulnerabilities=AttestedVulnerabilities(facts),
            assess_within=settings.call_timeout / 2,
            # each assessed candidate reads two manifests from Docker Hub (index, attestation manifest), which
            # count against the pull limit: 10 an hour anonymously, 100 with a login [../shared/docs/hub-api.md]
            assess_limit=MAX_ASSESSED if registry.credentials_for("docker.io") else ANONYMOUS_ASSESSED,
            # hardened equivalents are checked on dhi.io (a login for it) or an organization's dhi-* mirror on Docker
            # Hub, within a sixth of the call's deadline; what has not answered by then is said to be unchecked
            hardened=HardenedImages(
                registry,
                mirrors=HubMirrors(HubManagement(hub_client), has_login=lambda: hub_client.auth.enabled),
                within=min(CHECK_WITHIN, settings.call_timeout / 6),
                today=(lambda: today) if today else None,
            ),
            today=(lambda: today) if today else None,
        )
        return Services(
            hub=HubService(hub_client, today=advisor.today),
            registry=RegistryService(registry),
            advisor=advisor,
            facts=facts,
        )

    def _shared_state(self, hub_login: Login | None) -> SharedAnswerCache[Any, Any] | None:
        """With HUB_MCP_CACHE_URL: the answer cache and rate-limit budget shared with other replicas
        (the budget is then given to every HTTP client built after this). No connection is made here."""
        cache_url = self.settings.cache_url
        if cache_url is None:
            return None
        from hub_mcp.hub.models import OrganizationPage, Repository, RepositoryPage, SearchPage, Tag, TagPage
        from hub_mcp.net.shared_state import RedisLink, SharedAnswerCache, SharedRateBudget, credentials_scope

        settings = self.settings
        self._redis = RedisLink(cache_url.get_secret_value())
        # the login actually used (environment or docker config) decides whose answers these are
        username, secret = (hub_login.username, hub_login.secret.get_secret_value()) if hub_login else (None, None)
        scope = credentials_scope(settings.hub_url, username, secret)
        self._budget = SharedRateBudget(self._redis, scope)
        # one replica may hold a load as long as a request may take with its retries
        lock_seconds = min(120.0, settings.timeout * (settings.max_retries + 1) + settings.retry_max_wait)
        models = (Repository, RepositoryPage, OrganizationPage, SearchPage, Tag, TagPage)
        key = settings.cache_key.get_secret_value().encode() if settings.cache_key else None
        return SharedAnswerCache(self._redis, scope, models, key=key, lock_seconds=lock_seconds)

    async def aclose(self) -> None:
        await self._finish_warm_up()
        for client in self._clients:
            await client.aclose()
        self._clients.clear()
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None
        self._services = None
