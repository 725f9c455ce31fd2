"""The services one server process offers, and where each question goes.

The advisor (suggest, review) sits beside them. Docker Hub references are answered from Hub's API (dates, sizes, staleness); references on
other registries (``ghcr.io/...``, ``localhost:5000/...``) from the registry API, which knows
less and says so. Image inspection always goes through the registry API.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from hub_mcp.advisor.requests import ReviewRequest
from hub_mcp.advisor.review import Reviewer
from hub_mcp.advisor.suggest import Advisor
from hub_mcp.hub.completion import Completer, HubCompletionSource
from hub_mcp.hub.auth import AuthStatus
from hub_mcp.hub.management import HubManagement
from hub_mcp.hub.service import HubService
from hub_mcp.vocab.references import ImageReference
from hub_mcp.registry.service import RegistryService
from hub_mcp.answers.views import Review, TagInfo, TagListResult


@dataclass(frozen=True)
class Services:
    hub: HubService
    registry: RegistryService
    advisor: Advisor

    async def list_tags(
        self,
        repository: str,
        *,
        name: str | None = None,
        architecture: str | None = None,
        os: str | None = None,
        ordering: str = "newest",
        limit: int = 25,
        page: int = 1,
    ) -> TagListResult:
        ref = ImageReference.parse(repository)
        if ref.is_docker_hub:
            return await self.hub.list_tags(
                repository, name=name, architecture=architecture, os=os, ordering=ordering, limit=limit, page=page
            )
        return await self.registry.list_tags(
            ref, name=name, platform_filter=bool(architecture or os), limit=limit, page=page
        )

    @cached_property
    def completer(self) -> Completer:
        """Completions of namespace, name and tag arguments, one per process (its memory is the point)."""
        auth = self.hub.client.auth
        return Completer(HubCompletionSource(self.hub.client, auth.username if auth.enabled else None))

    async def auth_status(self) -> AuthStatus:
        """What a write needs to know before it tries: whether the Docker Hub login is usable, its kind
        (pat, oat, password, none), the personal namespace, its source, and when unusable why, with the fix."""
        return await self.hub.client.auth.status()

    @property
    def management(self) -> HubManagement:
        """Namespaces, repository lists and writes (create, update, delete) on Docker Hub."""
        return HubManagement(self.hub.client)

    def notices(self) -> list[str]:
        """What every answer should carry about how it was made (e.g. credentials rejected)."""
        notices = [self.hub.client.auth.notice, self.hub.client.cache.notice]
        return [notice for notice in notices if notice] + self.registry.client.notices()

    async def review(self, request: ReviewRequest) -> Review:
        return await Reviewer(self, self.advisor, self.advisor.today()).review(request)

    async def get_tag(self, repository: str, tag: str | None = None) -> TagInfo:
        ref = ImageReference.parse(repository)
        if ref.is_docker_hub:
            return await self.hub.get_tag(repository, tag)
        return await self.registry.get_tag(ref, self.hub.resolve_tag(ref, tag))
