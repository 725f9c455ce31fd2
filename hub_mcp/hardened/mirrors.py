"""Organization mirrors of Docker Hardened Images on Docker Hub: ``<namespace>/dhi-<image>``.

[documented: ../shared/docs/security-facts.md, DHI section, from docker/docs content/manuals/dhi/
how-to/use.md: "Select/Enterprise images mirrored into an org as ``<org>/dhi-<image>:<tag>``"; the
mirror keeps DHI's tags.] The tags a mirror holds are read live (the service asks the registry), so
a mirror that holds fewer tags than dhi.io is never assumed complete.

:class:`HubMirrors` finds them: the namespaces the Docker Hub login may read (its own and its
organizations', as ``list_namespaces`` answers), each listed with Hub's name filter ``dhi-``
(``GET /v2/namespaces/{ns}/repositories?name=dhi-``, ../shared/docs/hub-api.md). Anonymous callers
have no namespaces, hence no mirrors. What it finds is kept :data:`MIRRORS_TTL` seconds.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from hub_mcp.errors import HubMCPError, clause

if TYPE_CHECKING:
    from hub_mcp.answers.views import NamespaceList, RepositoryListResult

__all__ = ["MIRROR_PREFIX", "MirrorFinder", "Mirrors", "HubMirrors", "NamespaceReader"]

MIRROR_PREFIX = "dhi-"
MIRRORS_TTL = 600.0  # seconds: mirrors are set up by hand, rarely
MAX_NAMESPACES = 10  # namespaces searched for mirrors (the personal one first, then organizations by name)
MAX_MIRROR_PAGES = 3  # pages of 100 repositories named dhi-* read per namespace


@dataclass(frozen=True)
class Mirrors:
    """DHI image name -> the mirror repository to pull it from (``python`` -> ``acme/dhi-python``), and
    what kept the search from being complete (a clause, or None)."""

    by_image: Mapping[str, str]
    problem: str | None = None


class MirrorFinder(Protocol):
    async def mirrors(self) -> Mirrors: ...


class NamespaceReader(Protocol):
    """The two Docker Hub reads the search needs (:class:`hub_mcp.hub.management.HubManagement` is one)."""

    async def list_namespaces(self) -> NamespaceList: ...

    async def list_repositories(
        self, namespace: str | None = None, *, name: str | None = None, limit: int = 25, page: int = 1
    ) -> RepositoryListResult: ...


class HubMirrors:
    """The DHI mirrors in the namespaces a Docker Hub login may read; none without a login."""

    def __init__(
        self,
        hub: NamespaceReader,
        has_login: Callable[[], bool],
        *,
        ttl: float = MIRRORS_TTL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._hub = hub
        self._has_login = has_login
        self._ttl = ttl
        self._clock = clock
        self._found: tuple[float, Mirrors] | None = None

    async def mirrors(self) -> Mirrors:
        if not self._has_login():
            return Mirrors({})
        if self._found is not None and self._clock() < self._found[0]:
            return self._found[1]
        found = await self._search()
        if found.problem is None:  # a failed search is asked again next time
            self._found = (self._clock() + self._ttl, found)
        return found

    async def _search(self) -> Mirrors:
        from hub_mcp.hardened.table import images  # the table loads on the first question

        known = set(images())
        try:
            namespaces = [row.name for row in (await self._hub.list_namespaces()).namespaces][:MAX_NAMESPACES]
        except HubMCPError as exc:
            return Mirrors({}, problem=f"your Docker Hub namespaces could not be listed ({clause(exc)})")
        by_image: dict[str, str] = {}
        problems: list[str] = []
        for namespace in namespaces:
            try:
                for page in range(1, MAX_MIRROR_PAGES + 1):
                    listed = await self._hub.list_repositories(namespace, name=MIRROR_PREFIX, limit=100, page=page)
                    for row in listed.repositories:
                        image = row.name.removeprefix(MIRROR_PREFIX)
                        if row.name.startswith(MIRROR_PREFIX) and image in known:
                            by_image.setdefault(image, f"{namespace}/{row.name}")
                    if listed.next_page is None:
                        break
            except HubMCPError as exc:
                problems.append(f"{namespace}'s repositories could not be listed ({clause(exc)})")
        return Mirrors(by_image, problem="; ".join(problems) or None)

