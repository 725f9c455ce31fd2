"""Tolerant models of what Docker Hub sends.

Unknown fields are ignored, enum-like fields are plain strings (Hub adds values without
notice: ``type: "dhi"``, ``badge: "hardened"``), almost everything is optional, and shapes the
published spec gets wrong (``images`` as an object, ``v2`` as a string) are accepted too.
These are *upstream* models; what the model receives is in :mod:`hub_mcp.answers.views`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, Generic, TypeVar

from pydantic import BaseModel, ConfigDict, field_validator


class HubModel(BaseModel):
    model_config = ConfigDict(extra="ignore", frozen=True)


def _as_list(value: Any) -> Any:
    if value is None:
        return []
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, dict)]
    return []


def _as_datetime(value: Any) -> Any:
    """Hub sends ISO strings, sometimes empty or the zero time: those mean 'unknown'."""
    if value in (None, "") or (isinstance(value, str) and value.startswith("0001-01-01")):
        return None
    return value


class NameLabel(HubModel):
    name: str
    label: str | None = None


class Publisher(HubModel):
    id: str | None = None
    name: str | None = None


class SearchResult(HubModel):
    """One entry of ``GET /api/search/v4``."""

    id: str | None = None
    name: str
    slug: str | None = None
    type: str | None = None
    publisher: Publisher | None = None
    short_description: str | None = None
    badge: str | None = None
    star_count: int | None = None
    pull_count: str | int | None = None
    architectures: list[NameLabel] = []
    operating_systems: list[NameLabel] = []
    created_at: datetime | None = None
    updated_at: datetime | None = None
    archived: bool | None = None
    categories: list[dict[str, Any]] = []

    _lists = field_validator("architectures", "operating_systems", "categories", mode="before")(_as_list)
    _dates = field_validator("created_at", "updated_at", mode="before")(_as_datetime)


class SearchPage(HubModel):
    total: int = 0
    results: list[SearchResult] = []

    _results = field_validator("results", mode="before")(_as_list)


class Category(HubModel):
    name: str | None = None
    slug: str | None = None


class Permissions(HubModel):
    """What the logged-in account may do with a repository (absent in list entries and for anonymous reads)."""

    read: bool | None = None
    write: bool | None = None
    admin: bool | None = None


class Repository(HubModel):
    """``GET /v2/namespaces/{ns}/repositories/{repo}`` (and list entries, which lack some fields)."""

    name: str
    namespace: str
    user: str | None = None
    repository_type: str | None = None
    status: int | None = None
    status_description: str | None = None
    description: str | None = None
    is_private: bool | None = None
    is_automated: bool | None = None
    star_count: int | None = None
    pull_count: int | None = None
    last_updated: datetime | None = None
    last_modified: datetime | None = None
    date_registered: datetime | None = None
    affiliation: str | None = None
    full_description: str | None = None
    media_types: list[str] = []
    content_types: list[str] = []
    categories: list[Category] = []
    storage_size: int | None = None
    source: str | None = None
    permissions: Permissions | None = None

    _lists = field_validator("categories", mode="before")(_as_list)
    _dates = field_validator("last_updated", "last_modified", "date_registered", mode="before")(_as_datetime)

    @field_validator("media_types", "content_types", mode="before")
    @classmethod
    def _strings(cls, value: Any) -> Any:
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


class TagImage(HubModel):
    """One platform image of a tag (``images[]``)."""

    architecture: str | None = None
    variant: str | None = None
    os: str | None = None
    os_version: str | None = None
    digest: str | None = None
    size: int | None = None
    status: str | None = None
    last_pulled: datetime | None = None
    last_pushed: datetime | None = None

    _dates = field_validator("last_pulled", "last_pushed", mode="before")(_as_datetime)

    @property
    def is_attestation(self) -> bool:
        return (self.architecture or "unknown") == "unknown" and (self.os or "unknown") == "unknown"


class Tag(HubModel):
    """One tag (``GET .../tags/{tag}`` or an entry of a tag page)."""

    name: str
    digest: str | None = None
    images: list[TagImage] = []
    full_size: int | None = None
    last_updated: datetime | None = None
    tag_last_pushed: datetime | None = None
    tag_last_pulled: datetime | None = None
    tag_status: str | None = None
    media_type: str | None = None
    content_type: str | None = None

    _images = field_validator("images", mode="before")(_as_list)
    _dates = field_validator("last_updated", "tag_last_pushed", "tag_last_pulled", mode="before")(_as_datetime)

    @property
    def platform_images(self) -> list[TagImage]:
        """Images that are real platforms (attestation entries dropped)."""
        return [image for image in self.images if not image.is_attestation]

    @property
    def last_pushed(self) -> datetime | None:
        return self.tag_last_pushed or self.last_updated


T = TypeVar("T", bound=HubModel)


class Page(HubModel, Generic[T]):
    """One page of a Hub list (``count``, ``next``, ``previous``, ``results``): tags, repositories,
    organizations. An entry that is not an object is dropped, one object stands for a list of one,
    and an empty link is no link."""

    count: int = 0
    next: str | None = None
    previous: str | None = None
    results: list[T] = []
    #: Set by this server, never by Hub: why the page's order could not be trusted.
    ordering_note: str | None = None

    _results = field_validator("results", mode="before")(_as_list)

    @field_validator("next", "previous", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return value or None


# Named subclasses, not bare ``Page[Tag]``: the shared cache tags a stored value with its class
# name (hub_mcp.net.shared_state.Codec), and these names are the ones replicas already store.


class TagPage(Page[Tag]):
    """``GET /v2/namespaces/{ns}/repositories/{repo}/tags``: one page of a repository's tags."""


class RepositoryPage(Page[Repository]):
    """``GET /v2/namespaces/{ns}/repositories``: one page of a namespace's repositories."""


class Organization(HubModel):
    """One entry of ``GET /v2/user/orgs/`` [assumed: not in hub-api.md; the shape is Docker's own
    spec in docker/hub-mcp ``specs/accounts.json`` (``orgname``, ``user_role`` e.g. "Owner",
    ``user_groups``) and docker/hub-tool ``pkg/hub/organizations.go`` (``orgname``, ``full_name``)]."""

    orgname: str
    full_name: str | None = None
    user_role: str | None = None
    user_groups: list[str] = []
    plan_name: str | None = None

    @field_validator("user_groups", mode="before")
    @classmethod
    def _strings(cls, value: Any) -> Any:
        return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


class OrganizationPage(Page[Organization]):
    """``GET /v2/user/orgs/``: one page of the logged-in user's organizations."""
