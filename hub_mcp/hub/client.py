"""Docker Hub API calls, one method per endpoint, returning tolerant upstream models.

Every path segment is URL-encoded; every request goes through :class:`hub_mcp.http.HttpClient`
(retries, rate limits); statuses become the error taxonomy with a sentence that names the
thing asked about. A 401 with credentials configured drops the JWT and tries once more.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from hub_mcp.errors import Forbidden, InvalidInput, NotFound, Unauthorized, Upstream
from hub_mcp.http import HttpClient, Response
from hub_mcp.hub.auth import HubAuth
from hub_mcp.hub.models import Repository, SearchPage, Tag, TagPage

SEARCH_MAX_WINDOW = 2500  # Hub refuses from + size beyond this
PAGE_SIZE_MAX = 100


def _segment(value: str) -> str:
    return quote(value, safe="")


def _upstream_detail(data: Any) -> str:
    """Hub's own short explanation from an error body, if it gave one."""
    if not isinstance(data, dict):
        return ""
    for key in ("message", "detail", "text"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()[:200]
    fields = data.get("fields")
    if isinstance(fields, dict) and fields:
        return "; ".join(f"{k}: {v}" for k, v in list(fields.items())[:3])[:200]
    return ""


class HubClient:
    """Async Docker Hub API client."""

    def __init__(self, http: HttpClient, hub_url: str, auth: HubAuth) -> None:
        self.http = http
        self.hub_url = hub_url.rstrip("/")
        self.auth = auth

    # --- endpoints ----------------------------------------------------------------------

    async def search(
        self,
        query: str,
        *,
        badges: list[str] | None = None,
        architectures: list[str] | None = None,
        operating_systems: list[str] | None = None,
        offset: int = 0,
        size: int = 10,
        sort: str | None = None,
        order: str | None = None,
    ) -> SearchPage:
        params: dict[str, Any] = {"query": query, "from": offset, "size": size, "type": "image"}
        if badges:
            params["badges"] = ",".join(badges)
        if architectures:
            params["architectures"] = ",".join(architectures)
        if operating_systems:
            params["operating_systems"] = ",".join(operating_systems)
        if sort:
            params["sort"] = sort
            params["order"] = order or "desc"
        data = await self._get("/api/search/v4", params, what=f"search for {query!r}")
        return self._parse(SearchPage, data, "search results")

    async def get_repository(self, namespace: str, name: str) -> Repository:
        path = f"/v2/namespaces/{_segment(namespace)}/repositories/{_segment(name)}"
        data = await self._get(path, None, what=f"repository {self._familiar(namespace, name)}")
        return self._parse(Repository, data, "repository")

    async def list_tags(
        self,
        namespace: str,
        name: str,
        *,
        page: int = 1,
        page_size: int = 25,
        name_filter: str | None = None,
        ordering: str | None = None,
        architecture: str | None = None,
        os: str | None = None,
    ) -> TagPage:
        path = f"/v2/namespaces/{_segment(namespace)}/repositories/{_segment(name)}/tags"
        params: dict[str, Any] = {"page": page, "page_size": min(page_size, PAGE_SIZE_MAX)}
        if name_filter:
            params["name"] = name_filter
        if ordering:
            params["ordering"] = ordering
        if architecture:
            params["architecture"] = architecture
        if os:
            params["os"] = os
        data = await self._get(path, params, what=f"tags of {self._familiar(namespace, name)} (page {page})")
        return self._parse(TagPage, data, "tag page")

    async def get_tag(self, namespace: str, name: str, tag: str) -> Tag:
        path = f"/v2/namespaces/{_segment(namespace)}/repositories/{_segment(name)}/tags/{_segment(tag)}"
        data = await self._get(path, None, what=f"tag {self._familiar(namespace, name)}:{tag}")
        return self._parse(Tag, data, "tag")

    # --- plumbing -----------------------------------------------------------------------

    @staticmethod
    def _familiar(namespace: str, name: str) -> str:
        return name if namespace == "library" else f"{namespace}/{name}"

    async def _get(self, path: str, params: dict[str, Any] | None, *, what: str) -> Any:
        response = await self._send("GET", path, params)
        self._raise_for_status(response, what)
        return response.data

    async def _send(self, method: str, path: str, params: dict[str, Any] | None) -> Response:
        url = f"{self.hub_url}{path}"
        response = await self.http.send(method, url, params=params, headers=await self.auth.headers())
        if response.status == 401 and self.auth.enabled:
            self.auth.invalidate()
            response = await self.http.send(method, url, params=params, headers=await self.auth.headers())
        return response

    def _raise_for_status(self, response: Response, what: str) -> None:
        if response.ok:
            return
        status = response.status
        detail = _upstream_detail(response.data)
        what = what[:1].upper() + what[1:]  # it starts the sentence
        if status == 404:
            hint = "" if self.auth.enabled else " (or it is private: set HUB_USERNAME and HUB_PAT_TOKEN to see private ones)"
            raise NotFound(f"{what} does not exist on Docker Hub{hint}.")
        if status == 401:
            if self.auth.enabled:
                raise Unauthorized(f"Docker Hub refused the configured credentials for {what}; check HUB_PAT_TOKEN.")
            raise Unauthorized(f"{what} needs a Docker Hub login: set HUB_USERNAME and HUB_PAT_TOKEN.")
        if status == 403:
            extra = ""
            if "personal access token" in detail.lower():
                extra = " Docker Hub does not allow this endpoint with a personal access token; it is not a bug of this server."
            raise Forbidden(f"Docker Hub does not allow access to {what} with the current credentials.{extra}")
        if status in (400, 422):
            raise InvalidInput(f"Docker Hub rejected the request for {what}: {detail or 'invalid parameters'}.")
        raise Upstream(f"Docker Hub answered HTTP {status} for {what}{': ' + detail if detail else ''}.", status)

    @staticmethod
    def _parse(model: type[BaseModel], data: Any, what: str) -> Any:
        try:
            return model.model_validate(data)
        except ValidationError:
            raise Upstream(f"Docker Hub sent a {what} in a shape this server does not understand.") from None
