"""The list questions asked of Docker Hub, each one value that is also its answer's cache key.

A :class:`TagQuery` (or :class:`RepositoryQuery`) is built once where the question is worded
(the service, the advisor, completion) and handed down unchanged: the client keeps the page
under it, the ordering check asks with it, and the request's parameters come from it. Frozen,
so equal questions hash alike in the in-process cache; :meth:`cache_form` is the stable form
the shared cache over Redis hashes (:meth:`hub_mcp.net.shared_state.SharedAnswerCache.key`),
the same JSON the hand-built key tuples gave, so replicas of old and new code agree on keys.

``identity`` is whose answer it is (:attr:`hub_mcp.hub.auth.HubAuth.cache_identity`): callers
leave it empty; the client sets it before it looks the answer up (:meth:`for_identity`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from hub_mcp.hub.ordering import RepositoryOrder, TagOrder

PAGE_SIZE_MAX = 100  # Hub's largest page


def _page_params(page: int, page_size: int, name_filter: str | None, ordering: str) -> dict[str, Any]:
    params: dict[str, Any] = {"page": page, "page_size": min(page_size, PAGE_SIZE_MAX), "ordering": ordering}
    if name_filter:
        params["name"] = name_filter
    return params


@dataclass(frozen=True, slots=True)
class TagQuery:
    """One page of a repository's tags in an order the caller means (see :class:`TagOrder`)."""

    namespace: str
    name: str
    page: int = 1
    page_size: int = 25
    name_filter: str | None = None
    order: TagOrder = TagOrder.NEWEST
    architecture: str | None = None
    os: str | None = None
    identity: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", TagOrder(self.order))
        object.__setattr__(self, "name_filter", self.name_filter or None)

    def for_identity(self, identity: str) -> TagQuery:
        return self if identity == self.identity else replace(self, identity=identity)

    def params(self, ordering: str) -> dict[str, Any]:
        """The query string for this page, asked with Hub's ``ordering`` value ``ordering``."""
        params = _page_params(self.page, self.page_size, self.name_filter, ordering)
        if self.architecture:
            params["architecture"] = self.architecture
        if self.os:
            params["os"] = self.os
        return params

    def cache_form(self) -> tuple[Any, ...]:
        """The key as the shared cache hashes it (the tuple list_tags built by hand before)."""
        return (
            "ordered",
            self.identity,
            self.namespace,
            self.name,
            self.page,
            self.page_size,
            self.name_filter,
            self.order,
            self.architecture,
            self.os,
        )


@dataclass(frozen=True, slots=True)
class RepositoryQuery:
    """One page of a namespace's repositories in an order the caller means (see :class:`RepositoryOrder`)."""

    namespace: str
    page: int = 1
    page_size: int = 25
    name_filter: str | None = None
    order: RepositoryOrder = RepositoryOrder.NEWEST
    identity: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "order", RepositoryOrder(self.order))
        object.__setattr__(self, "name_filter", self.name_filter or None)

    def for_identity(self, identity: str) -> RepositoryQuery:
        return self if identity == self.identity else replace(self, identity=identity)

    def params(self, ordering: str) -> dict[str, Any]:
        return _page_params(self.page, self.page_size, self.name_filter, ordering)

    def cache_form(self) -> tuple[Any, ...]:
        """The key as the shared cache hashes it (the tuple list_repositories built by hand before)."""
        return ("repos", self.identity, self.namespace, self.page, self.page_size, self.name_filter, self.order)
