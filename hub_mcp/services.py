"""The facade: every question ``server/`` asks, and where each one goes.

``server/`` calls only the methods here (tools, resources and completions alike); the services
behind them (Hub, registry, management, the advisor) stay out of its sight. Docker Hub references
are answered from Hub's API (dates, sizes, staleness); references on other registries
(``ghcr.io/...``, ``localhost:5000/...``) from the registry API, which knows less and says so.
Image inspection always goes through the registry API. The advisor (suggest, review) sits
beside them; the review reads through this facade (:class:`hub_mcp.advisor.needs.ReviewSources`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from hub_mcp.advisor.requests import ReviewRequest, SuggestRequest
from hub_mcp.advisor.review import Reviewer
from hub_mcp.advisor.suggest import Advisor, Progress, hardened_view
from hub_mcp.answers.views import (
    CleanupPlan,
    CleanupResult,
    DeletionResult,
    ImageComparison,
    ImageDetails,
    ImagePackages,
    ImageProvenance,
    ImageVulnerabilities,
    NamespaceList,
    RateLimitStatus,
    RepositoryChange,
    RepositoryInfo,
    RepositoryListResult,
    Review,
    SearchImagesResult,
    Suggestion,
    TagInfo,
    TagListResult,
)
from hub_mcp.attestations.service import Facts, ImageFactsService
from hub_mcp.cleanup.plan import Rules
from hub_mcp.cleanup.service import CleanupService
from hub_mcp.comparison.service import ImageComparer
from hub_mcp.hardened.service import Ask
from hub_mcp.hub.auth import AuthStatus
from hub_mcp.hub.completion import Completer, HubCompletionSource, Suggestions, complete_argument
from hub_mcp.hub.confirmation import DeletionFacts
from hub_mcp.hub.management import HubManagement
from hub_mcp.hub.ordering import RepositoryOrder
from hub_mcp.hub.service import HubService
from hub_mcp.ratelimit.status import RateLimits
from hub_mcp.registry.service import RegistryService
from hub_mcp.vocab.references import ImageReference
from hub_mcp.vocab.tags import line_alias
from hub_mcp.vulnerabilities.report import VulnerabilityReport


@dataclass(frozen=True)
class Services:
    hub: HubService
    registry: RegistryService
    advisor: Advisor
    facts: ImageFactsService

    # --- how answers are made -----------------------------------------------------------------

    def today(self) -> date:
        """The date end of life and staleness are judged by (fixed in tests and benchmarks)."""
        return self.advisor.today()

    def notices(self) -> list[str]:
        """What every answer should carry about how it was made (e.g. credentials rejected, a rate limit running low)."""
        notices = [self.hub.client.auth.notice, self.hub.client.cache.notice]
        return [notice for notice in notices if notice] + self.registry.client.notices() + self.rate_limits.notices()

    async def auth_status(self) -> AuthStatus:
        """What a write needs to know before it tries: whether the Docker Hub login is usable, its kind
        (pat, oat, password, none), the personal namespace, its source, and when unusable why, with the fix."""
        return await self.hub.client.auth.status()

    # --- finding and reading images -----------------------------------------------------------

    async def search_images(
        self,
        query: str,
        *,
        badges: Sequence[str] | None = None,
        architecture: str | None = None,
        os: str | None = None,
        limit: int = 10,
        page: int = 1,
    ) -> SearchImagesResult:
        return await self.hub.search_images(
            query, badges=badges, architecture=architecture, os=os, limit=limit, page=page
        )

    async def get_repository(
        self, repository: str, *, include_readme: bool = False, readme_max_chars: int = 6000
    ) -> RepositoryInfo:
        return await self.hub.get_repository(
            repository, include_readme=include_readme, readme_max_chars=readme_max_chars
        )

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

    async def get_tag(self, repository: str, tag: str | None = None, *, hardened: bool = True) -> TagInfo:
        """``hardened``: name an official tag's Docker Hardened Image equivalent (the review asks its own, per stage)."""
        ref = ImageReference.parse(repository)
        if ref.is_docker_hub:
            info = await self.hub.get_tag(repository, tag)
            if hardened and info.exists and ref.is_official:  # an official tag names its hardened equivalent, checked as suggestions are
                # a channel (lts, latest) is asked as the line its aliases name: mysql:lts is 9.7 today
                tag_asked = line_alias(info.tag, info.aliases or ()) or info.tag
                ask: Ask = (f"{ref.familiar_name}:{tag_asked}", "runtime")
                found = (await self.advisor.hardened.equivalents([ask])).get(*ask)
                if found is not None:
                    info = info.model_copy(update={"hardened": hardened_view(found, brief=True)})
            return info
        name, digest = self.hub.resolve_tag(ref, tag)
        return self.hub.check_digest(await self.registry.get_tag(ref, name, self.today()), digest)

    async def inspect_image(self, reference: str, platform: str = "linux/amd64") -> ImageDetails:
        """The inspection, and beside it (same round trips: the index is read once) the base images its
        provenance names."""
        built = asyncio.ensure_future(self.facts.built_from(reference, platform))
        try:
            details = await self.registry.inspect_image(reference, platform)
        except BaseException:  # the inspection's own error is the answer (not an exception group)
            built.cancel()
            await asyncio.gather(built, return_exceptions=True)
            raise
        bases = await built
        return details.model_copy(update={"built_from": bases}) if bases else details

    # --- what is inside an image (attestations) ---------------------------------------------------

    async def image_packages(
        self,
        reference: str,
        platform: str = "linux/amd64",
        *,
        name: str | None = None,
        type: str | None = None,
        limit: int = 50,
        page: int = 1,
    ) -> ImagePackages:
        return await self.facts.image_packages(reference, platform, name=name, type=type, limit=limit, page=page)

    async def image_provenance(self, reference: str, platform: str = "linux/amd64") -> ImageProvenance:
        return await self.facts.image_provenance(reference, platform)

    async def built_from(self, reference: str, platform: str, *, index_only: bool = True) -> list[str] | None:
        return await self.facts.built_from(reference, platform, index_only=index_only)

    async def image_vulnerabilities(
        self,
        reference: str,
        platform: str = "linux/amd64",
        *,
        min_severity: str | None = None,
        package: str | None = None,
        fixable: bool = False,
        limit: int = 20,
        page: int = 1,
    ) -> ImageVulnerabilities:
        return await self.facts.image_vulnerabilities(
            reference, platform, min_severity=min_severity, package=package, fixable=fixable, limit=limit, page=page
        )

    @cached_property
    def comparer(self) -> ImageComparer:
        """compare_images' reader: one per process (it holds only the registry client and the facts service)."""
        return ImageComparer(self.registry.client, self.facts)

    async def compare_images(
        self,
        before: str,
        after: str,
        platform: str = "linux/amd64",
        *,
        packages: bool = True,
        vulnerabilities: bool = False,
    ) -> ImageComparison:
        """What differs from ``before`` to ``after`` for one platform (see :mod:`hub_mcp.comparison.service`)."""
        return await self.comparer.compare(
            before, after, platform, packages=packages, vulnerabilities=vulnerabilities
        )

    async def vulnerability_report(self, reference: str, platform: str) -> tuple[Facts, VulnerabilityReport | None]:
        """The OSV report of one platform image's SBOM (None without an SBOM): what a review compares."""
        return await self.facts.vulnerability_report(reference, platform)

    # --- documents (resources) ------------------------------------------------------------------

    async def readme_document(self, repository: str) -> str:
        """A Docker Hub repository's README as markdown, bounded (see :mod:`hub_mcp.answers.documents`)."""
        from hub_mcp.answers.documents import readme_document  # resources only: not on the first call's path

        return await readme_document(self, repository)

    async def tag_table_document(self, repository: str) -> str:
        """A Docker Hub repository's newest tags as a markdown table, tags of one image on one row."""
        from hub_mcp.answers.documents import tag_table_document

        return await tag_table_document(self, repository)

    async def lifecycle_document(self, runtime: str) -> str:
        """A runtime's supported lines and end-of-life dates as JSON, judged on :meth:`today`."""
        from hub_mcp.answers.documents import lifecycle_document

        return lifecycle_document(runtime, self.today())

    # --- advice ---------------------------------------------------------------------------------

    async def suggest(self, request: SuggestRequest, progress: Progress | None = None) -> Suggestion:
        return await self.advisor.suggest(request, progress)

    async def review(self, request: ReviewRequest, progress: Progress | None = None) -> Review:
        return await Reviewer(self, self.advisor, self.advisor.today()).review(request, progress)

    # --- your repositories on Docker Hub --------------------------------------------------------

    @cached_property
    def management(self) -> HubManagement:
        """Namespaces, repository lists and writes (create, update, delete) on Docker Hub: one per
        process (it holds only the Hub client), not one per call."""
        return HubManagement(self.hub.client)

    @cached_property
    def cleanup(self) -> CleanupService:
        """Tag cleanup plans, kept in this process until applied or expired."""
        return CleanupService(self.hub.client, self.management, self.today)

    async def plan_tag_cleanup(self, repository: str, rules: Rules) -> CleanupPlan:
        return await self.cleanup.plan(repository, rules)

    async def cleanup_confirmation(self, plan_id: str) -> DeletionFacts:
        return await self.cleanup.confirmation(plan_id)

    async def apply_tag_cleanup(self, plan_id: str, *, within: float, progress: Progress | None = None) -> CleanupResult:
        return await self.cleanup.apply(plan_id, within=within, progress=progress)

    async def list_namespaces(self) -> NamespaceList:
        return await self.management.list_namespaces()

    async def list_repositories(
        self,
        namespace: str | None = None,
        *,
        name: str | None = None,
        ordering: RepositoryOrder | str = RepositoryOrder.NEWEST,
        limit: int = 25,
        page: int = 1,
    ) -> RepositoryListResult:
        return await self.management.list_repositories(namespace, name=name, ordering=ordering, limit=limit, page=page)

    async def create_repository(
        self,
        name: str,
        *,
        namespace: str | None = None,
        description: str | None = None,
        readme: str | None = None,
        private: bool = False,
    ) -> RepositoryChange:
        return await self.management.create_repository(
            name, namespace=namespace, description=description, readme=readme, private=private
        )

    async def update_repository(
        self,
        repository: str,
        *,
        description: str | None = None,
        readme: str | None = None,
        status: str | None = None,
    ) -> RepositoryChange:
        return await self.management.update_repository(
            repository, description=description, readme=readme, status=status
        )

    async def repository_deletion(self, repository: str) -> DeletionFacts:
        """What deleting a repository removes (asked before the person is)."""
        return await self.management.repository_deletion(repository)

    async def tag_deletion(self, repository: str, tag: str) -> DeletionFacts:
        """What deleting a tag removes (asked before the person is)."""
        return await self.management.tag_deletion(repository, tag)

    async def delete_repository(self, facts: DeletionFacts) -> DeletionResult:
        return await self.management.delete_repository(facts)

    async def delete_tag(self, facts: DeletionFacts) -> DeletionResult:
        return await self.management.delete_tag(facts)

    # --- rate limits -----------------------------------------------------------------------------

    @cached_property
    def rate_limits(self) -> RateLimits:
        """Docker Hub's pull limit and API budget (one per process: it reads what the clients last saw)."""
        return RateLimits(self.hub.client, self.registry.client)

    async def rate_limit_status(self) -> RateLimitStatus:
        """The pull limit (a HEAD that is not a pull), the Hub API budget, and whether either is low."""
        return await self.rate_limits.status()

    # --- completions ----------------------------------------------------------------------------

    @cached_property
    def completer(self) -> Completer:
        """Completions of namespace, name and tag arguments, one per process (its memory is the point)."""
        auth = self.hub.client.auth
        return Completer(HubCompletionSource(self.hub.client, auth.username if auth.enabled else None))

    async def complete(self, argument: str, value: str, known: Mapping[str, str]) -> Suggestions:
        """The completion of ``argument`` typed as ``value``, the other arguments being ``known``."""
        return await complete_argument(self.completer, argument, value, known, self.today)
