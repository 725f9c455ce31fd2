"""What the advisor needs from the rest of hub-mcp, stated as small Protocols.

The advisor depends on these, never on the classes that satisfy them, so that it imports
neither the facade (:class:`hub_mcp.services.Services`, which builds the advisor) nor the HTTP
clients:

* :class:`ReviewSources`: the answers a review reads per line (the facade is one);
* :class:`HubCatalog`: Docker Hub's raw pages the suggestions rank (:class:`hub_mcp.hub.client.HubClient` is one);
* :class:`RegistryReader`: a registry that lists tag names only, read tag by tag (MCR;
  :class:`hub_mcp.registry.client.RegistryClient` is one);
* :class:`VulnerabilitySource`: what is known of an image's vulnerabilities, as :class:`VulnerabilityFacts`
  (:class:`hub_mcp.attestations.vulnerability_source.AttestedVulnerabilities` is one: the image's SBOM looked up
  in OSV). Optional: without it, the priority ``secure`` ranks as it always did.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from hub_mcp.answers.views import ImageDetails, RepositoryInfo, TagInfo
    from hub_mcp.attestations.service import Facts
    from hub_mcp.hub.models import Repository, SearchPage, TagPage
    from hub_mcp.hub.queries import TagQuery
    from hub_mcp.registry.models import Descriptor, ImageConfig, ManifestResult, TagList
    from hub_mcp.vocab.references import ImageReference
    from hub_mcp.vulnerabilities.report import VulnerabilityReport


class ReviewSources(Protocol):
    """What a review reads for one line: the tag (Hub or another registry), the image's config, the
    repository's facts, and (vulnerabilities=true) the OSV report of an image's SBOM and its provenance."""

    async def get_tag(self, repository: str, tag: str | None = None, *, hardened: bool = True) -> TagInfo: ...

    async def inspect_image(self, reference: str, platform: str = "linux/amd64") -> ImageDetails: ...

    async def get_repository(
        self, repository: str, *, include_readme: bool = False, readme_max_chars: int = 6000
    ) -> RepositoryInfo: ...

    async def built_from(self, reference: str, platform: str, *, index_only: bool = True) -> list[str] | None: ...

    async def vulnerability_report(
        self, reference: str, platform: str
    ) -> tuple[Facts, VulnerabilityReport | None]: ...


class HubCatalog(Protocol):
    """Docker Hub's pages as the suggestions read them: search hits, a repository, pages of tags."""

    async def search(self, query: str, *, size: int = 10) -> SearchPage: ...

    async def get_repository(self, namespace: str, name: str) -> Repository: ...

    async def list_tags(self, query: TagQuery) -> TagPage: ...


class RegistryReader(Protocol):
    """A registry read through its API: tag names, manifests and image configs."""

    async def list_tags(self, ref: ImageReference) -> TagList: ...

    async def get_manifest(self, ref: ImageReference, reference: str | None = None) -> ManifestResult: ...

    async def get_config(self, ref: ImageReference, descriptor: Descriptor) -> ImageConfig: ...


@dataclass(frozen=True)
class VulnerabilityFacts:
    """What is known of one platform image's vulnerabilities: ``counts`` per severity (critical, high, medium,
    low, none, unknown: every level, zeros included), their ``total`` and how many have a fix; or, when nothing
    is known, ``reason`` (a short clause: "no SBOM attestation") and whether asking later may answer
    (``transient``: OSV or the registry failed). Unknown is never zero."""

    counts: Mapping[str, int] | None = None
    total: int | None = None
    fixable: int | None = None
    reason: str | None = None
    transient: bool = False

    @property
    def known(self) -> bool:
        return self.counts is not None and self.total is not None

    def count(self, level: str) -> int:
        """Findings of one severity level (0 for a level the counts do not name); only for known facts."""
        return (self.counts or {}).get(level, 0)

    @classmethod
    def unknown(cls, reason: str, *, transient: bool = False) -> VulnerabilityFacts:
        return cls(reason=reason, transient=transient)


class VulnerabilitySource(Protocol):
    """The known vulnerabilities of the image ``reference`` names, for one platform (``linux/amd64``). Never
    raises for an upstream fault: the facts are then unknown, with the reason."""

    async def vulnerability_counts(self, reference: str, platform: str) -> VulnerabilityFacts: ...
