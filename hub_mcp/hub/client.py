"""Docker Hub API calls, one method per endpoint, returning tolerant upstream models.

Every path segment is URL-encoded; every request goes through :class:`hub_mcp.net.http.HttpClient`
(retries, rate limits); statuses become the error taxonomy with a sentence that names the
thing asked about. A 401 with credentials configured drops the JWT and tries once more;
credentials Docker Hub rejects outright leave public reads working anonymously (the auth
object keeps a notice for the answer).

Answers are kept in process for a short time per kind (:data:`CACHE_TTL`), and concurrent
identical requests collapse into one (:class:`hub_mcp.net.cache.AnswerCache`): a repeated
``get_tag`` costs no request within a minute. A 404 is kept too, briefly.

Writes (create, update, delete) need credentials, are never retried once they may have
arrived, and drop the cached answers they change (the repository, its tags, the namespace's
repository lists). Their errors name the fix: credentials to set, a token scope to raise.

Tag and repository lists are asked for with one value, :class:`~hub_mcp.hub.queries.TagQuery` or
:class:`~hub_mcp.hub.queries.RepositoryQuery`, which is also the page's cache key. They name an
order the caller means (:class:`~hub_mcp.hub.ordering.TagOrder`), never Hub's spelling: whether
``last_updated`` means newest or oldest first is checked on every page that comes back
(:mod:`hub_mcp.hub.ordering`).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Hashable
from typing import Any, TypeVar
from urllib.parse import quote

from pydantic import BaseModel, ValidationError

from hub_mcp.errors import Conflict, Forbidden, InvalidInput, NotFound, Unauthorized, Upstream, excerpt, sentence
from hub_mcp.hub.auth import TOKEN_PAGE, HubAuth
from hub_mcp.hub.models import OrganizationPage, Page, Repository, RepositoryPage, SearchPage, Tag, TagPage
from hub_mcp.hub.ordering import OrderingDirection, RepositoryOrderingDirection, sort_locally, sort_repositories
from hub_mcp.hub.queries import PAGE_SIZE_MAX, RepositoryQuery, TagQuery
from hub_mcp.net.cache import AnswerCache, Answers
from hub_mcp.net.http import WRITE, HttpClient, Response
from hub_mcp.vocab.common import clip, quoted

M = TypeVar("M", bound=BaseModel)

SEARCH_MAX_WINDOW = 2500  # Hub refuses from + size beyond this

#: Seconds an answer is kept, per kind. Tags move when someone pushes; repositories and search
#: results change more slowly. A 404 is kept for at most NOT_FOUND_TTL.
CACHE_TTL = {
    "search": 300.0,
    "repository": 300.0,
    "tags": 120.0,
    "tag": 120.0,
    "repositories": 60.0,
    "organizations": 300.0,
}
#: Statuses a DELETE may answer with when it worked: Hub's code is not confirmed (hub-api.md).
DELETED_STATUSES = frozenset({200, 202, 204})
NOT_FOUND_TTL = 60.0


def _segment(value: str) -> str:
    return quote(value, safe="")


def _upstream_detail(data: Any) -> str:
    """Hub's own short explanation from an error body, if it gave one."""
    if not isinstance(data, dict):
        return ""
    for key in ("message", "detail", "text"):
        value = data.get(key)
        if isinstance(value, str) and value.strip():
            return excerpt(value)
    fields = data.get("fields")
    if isinstance(fields, dict) and fields:
        return excerpt("; ".join(f"{k}: {v}" for k, v in list(fields.items())[:3]))
    return ""


class HubClient:
    """Async Docker Hub API client."""

    def __init__(
        self,
        http: HttpClient,
        hub_url: str,
        auth: HubAuth,
        *,
        cache_ttl: dict[str, float] | None = None,
        ordering: OrderingDirection | None = None,
        cache: Answers[Hashable, Any] | None = None,
    ) -> None:
        self.http = http
        self.hub_url = hub_url.rstrip("/")
        self.auth = auth
        self.cache_ttl = {**CACHE_TTL, **(cache_ttl or {})}
        # in this process, or shared by replicas over Redis (HUB_MCP_CACHE_URL; see hub_mcp.net.shared_state)
        self.cache: Answers[Hashable, Any] = cache if cache is not None else AnswerCache()
        self.ordering = ordering or OrderingDirection()
        self.repository_ordering = RepositoryOrderingDirection()

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
        return await self._get(
            "/api/search/v4", params, SearchPage, kind="search", what=f"the search for {quoted(query)}", missing=None
        )

    async def get_repository(self, namespace: str, name: str) -> Repository:
        path = f"/v2/namespaces/{_segment(namespace)}/repositories/{_segment(name)}"
        familiar = self._familiar(namespace, name)
        return await self._get(path, None, Repository, kind="repository", what=familiar, missing=familiar)

    async def list_tags(self, query: TagQuery) -> TagPage:
        """One page of tags in ``query.order``, whichever sign Hub's ``ordering`` turns out to use.

        A page whose dates (or names) run the other way teaches :attr:`ordering` the other
        sign: the whole list in one page is then sorted here, otherwise the page is asked for
        again with that sign. When that page runs the wrong way too (Hub ignored the
        ordering), it is sorted here and ``ordering_note`` says what that means.
        """
        # kept by the order meant, not by Hub's spelling: a page corrected once is not asked for again
        query = query.for_identity(self.auth.cache_identity)

        async def fetch(sent: str) -> TagPage:
            return await self._tag_page(query, sent)

        async def load() -> TagPage:
            return await _in_order(self.ordering, query, fetch, sort_locally, "tags")

        return await self.cache.get_or_load(query, self.cache_ttl["tags"], load, self._keep_not_found("tags"))

    async def _tag_page(self, query: TagQuery, ordering: str) -> TagPage:
        path = f"/v2/namespaces/{_segment(query.namespace)}/repositories/{_segment(query.name)}/tags"
        familiar = self._familiar(query.namespace, query.name)
        what = f"the tags of {familiar}"
        # page 1 missing means the repository is; a later page may just be past the end
        missing = familiar if query.page == 1 else f"Page {query.page} of the tags of {familiar}"
        # not kept here: list_tags keeps the page by the order meant, after any correction
        params = query.params(ordering)
        return await self._get(path, params, TagPage, kind="tags", what=what, missing=missing, cached=False)

    async def get_tag(self, namespace: str, name: str, tag: str) -> Tag:
        path = f"/v2/namespaces/{_segment(namespace)}/repositories/{_segment(name)}/tags/{_segment(tag)}"
        reference = f"{self._familiar(namespace, name)}:{tag}"
        return await self._get(path, None, Tag, kind="tag", what=reference, missing=reference)

    # --- namespaces and repository management ---------------------------------------------

    async def list_organizations(self, *, page: int = 1, page_size: int = PAGE_SIZE_MAX) -> OrganizationPage:
        """``GET /v2/user/orgs/``: the organizations of the logged-in user, with the role in each.

        [assumed] not in hub-api.md: Docker's own clients call it (docker/hub-tool
        ``pkg/hub/organizations.go``: ``OrganizationsURL = "/v2/user/orgs/"``; docker/hub-mcp
        ``src/accounts.ts`` and ``specs/accounts.json``: entries carry ``user_role``). The personal
        namespace is not in it."""
        params = {"page": page, "page_size": min(page_size, PAGE_SIZE_MAX)}
        return await self._get(
            "/v2/user/orgs/", params, OrganizationPage, kind="organizations", what="your organizations", missing=None
        )

    async def list_repositories(self, query: RepositoryQuery) -> RepositoryPage:
        """One page of a namespace's repositories in ``query.order``, whichever sign Hub's ``ordering``
        uses (checked on the page as for tags). Private ones are included when the credentials may see them."""
        query = query.for_identity(self.auth.cache_identity)

        async def fetch(sent: str) -> RepositoryPage:
            return await self._repository_page(query, sent)

        async def load() -> RepositoryPage:
            return await _in_order(self.repository_ordering, query, fetch, sort_repositories, "repositories")

        return await self.cache.get_or_load(
            query, self.cache_ttl["repositories"], load, self._keep_not_found("repositories")
        )

    async def _repository_page(self, query: RepositoryQuery, ordering: str) -> RepositoryPage:
        namespace, page = query.namespace, query.page
        path = f"/v2/namespaces/{_segment(namespace)}/repositories"
        missing = f"The namespace {quoted(namespace)}" if page == 1 else f"Page {page} of the repositories of {clip(namespace)}"
        what = f"the repositories of {namespace}"
        return await self._get(
            path, query.params(ordering), RepositoryPage, kind="repositories", what=what, missing=missing, cached=False
        )

    async def create_repository(
        self,
        namespace: str,
        name: str,
        *,
        description: str = "",
        full_description: str = "",
        private: bool = False,
    ) -> Repository:
        """``POST /v2/namespaces/{ns}/repositories`` [documented: hub-api.md, Repositories].

        An existing repository is refused before anything is sent (an uncached read), and Hub's
        own "already exists" answer (409, or 400 naming it) is the same :class:`Conflict`."""
        reference = f"{namespace}/{name}"
        action = f"create {reference}"
        headers = await self.write_headers(action)
        existing = await self.http.send(
            "GET", f"{self.hub_url}/v2/namespaces/{_segment(namespace)}/repositories/{_segment(name)}", headers=headers
        )
        if existing.ok:
            raise self._already_exists(reference)
        body = {
            "name": name,
            "namespace": namespace,
            "description": description,
            "full_description": full_description,
            "registry": "docker.io",
            "is_private": private,
        }
        response = await self._write("POST", f"/v2/namespaces/{_segment(namespace)}/repositories", body, action)
        detail = _upstream_detail(response.data)
        if response.status == 409 or (response.status == 400 and "exist" in detail.lower()):
            raise self._already_exists(reference)
        self._raise_for_write(response, action, missing=f"The namespace {quoted(namespace)}")
        self.forget(namespace, name)
        return self._written(response, Repository, {"name": name, "namespace": namespace, "is_private": private})

    async def update_repository(self, namespace: str, name: str, fields: dict[str, Any]) -> Repository:
        """``PATCH /v2/namespaces/{ns}/repositories/{repo}`` with exactly ``fields``: never a field the
        caller did not give (Docker's own server deactivated repositories by sending ``status: 0``)."""
        reference = f"{namespace}/{name}"
        path = f"/v2/namespaces/{_segment(namespace)}/repositories/{_segment(name)}"
        response = await self._write("PATCH", path, dict(fields), f"update {reference}")
        self._raise_for_write(response, f"update {reference}", missing=reference)
        self.forget(namespace, name)
        return self._written(response, Repository, {"name": name, "namespace": namespace})

    async def delete_repository(self, namespace: str, name: str) -> int:
        """``DELETE /v2/repositories/{ns}/{repo}/`` (legacy path; any of 200/202/204 counts as done)."""
        reference = f"{namespace}/{name}"
        path = f"/v2/repositories/{_segment(namespace)}/{_segment(name)}/"
        response = await self._write("DELETE", path, None, f"delete {reference}")
        self._raise_for_write(response, f"delete {reference}", missing=reference, deleting=True)
        self.forget(namespace, name)
        return response.status

    async def delete_tag(self, namespace: str, name: str, tag: str) -> int:
        """``DELETE /v2/repositories/{ns}/{repo}/tags/{tag}/`` [documented: hub-api.md, Repositories]."""
        reference = f"{namespace}/{name}:{tag}"
        path = f"/v2/repositories/{_segment(namespace)}/{_segment(name)}/tags/{_segment(tag)}/"
        response = await self._write("DELETE", path, None, f"delete {reference}")
        self._raise_for_write(response, f"delete {reference}", missing=reference, deleting=True)
        self.forget(namespace, name)
        return response.status

    def forget(self, namespace: str, name: str | None = None) -> int:
        """Drop the cached answers a write to ``namespace[/name]`` changes: the repository, its tags and
        tag pages, every repository list of the namespace, and searches (all identities). How many."""
        base = f"/v2/namespaces/{_segment(namespace)}/repositories"
        mine = f"{base}/{_segment(name)}" if name else None

        def affected(key: Any) -> bool:
            if isinstance(key, TagQuery):  # list_tags pages
                return key.namespace == namespace and (name is None or key.name == name)
            if isinstance(key, RepositoryQuery):  # list_repositories pages
                return key.namespace == namespace
            if not isinstance(key, tuple):
                return False
            if len(key) == 3 and isinstance(key[1], str):  # _get answers
                path = key[1]
                if path == base or path == "/api/search/v4":  # search may list a created or deleted repository
                    return True
                if mine is None:
                    return path.startswith(base + "/")
                return path == mine or path.startswith(mine + "/")
            return False

        return self.cache.invalidate(affected)

    # --- writes: plumbing -----------------------------------------------------------------

    async def write_headers(self, action: str) -> dict[str, str]:
        """The Authorization header for a write, or the error that says how to get one (no credentials,
        or credentials Docker Hub rejected: :meth:`HubAuth.status` words both, with the fix)."""
        status = await self.auth.status()
        headers = await self.auth.headers() if status.usable else {}
        if not headers:
            reason = status.reason or "Docker Hub rejected the configured credentials."
            raise Unauthorized(sentence(f"Cannot {action}, so nothing was sent. {reason}"))
        return headers

    async def _write(self, method: str, path: str, body: Any, action: str) -> Response:
        """Send a write once (a 401 means it was not done: log in again and send it once more)."""
        url = f"{self.hub_url}{path}"
        headers = await self.write_headers(action)
        response = await self.http.send(method, url, json_body=body, headers=headers, options=WRITE)
        if response.status == 401:
            self.auth.invalidate()
            headers = await self.write_headers(action)
            response = await self.http.send(method, url, json_body=body, headers=headers, options=WRITE)
        return response

    def _raise_for_write(self, response: Response, action: str, *, missing: str, deleting: bool = False) -> None:
        if response.ok:  # for a DELETE, 200, 202 and 204 alike (DELETED_STATUSES): Hub's code is not confirmed
            return
        status = response.status
        detail = _upstream_detail(response.data)
        if status == 401:
            raise Unauthorized(
                sentence(
                    f"Cannot {action}: Docker Hub refused the credentials from {self.auth.source} (HTTP 401): the"
                    f" access token may be expired or revoked. Create a new one at {TOKEN_PAGE}; then {self.auth.fix}"
                )
            )
        if status == 403:
            if "personal access token" in detail.lower():
                message = (
                    f"Docker Hub refused to {action} with a login made from a personal access token ({detail!r})."
                    " This is a restriction of that Hub endpoint, not a bug of this server: use a token with"
                    " Read, Write & Delete scope, or do it on hub.docker.com."
                )
            else:
                need = "Read, Write & Delete" if deleting else "Read & Write"
                message = (
                    f"Docker Hub refused to {action} (HTTP 403{': ' + detail if detail else ''}). Either the access"
                    f" token's scope is too low (a read-only or public-repo-only token cannot write: create one with"
                    f" {need} scope at {TOKEN_PAGE}; then {self.auth.fix}), or {self.auth.username} has no write"
                    " rights in this namespace."
                )
            raise Forbidden(sentence(message), detail=detail)
        if status == 404:
            raise NotFound(sentence(f"Cannot {action}: {missing} does not exist on Docker Hub{self._private_hint()}"))
        if status in (400, 422):
            raise InvalidInput(sentence(f"Docker Hub refused to {action}: {detail or 'invalid request'}"))
        raise Upstream(sentence(f"Docker Hub answered HTTP {status} to {action}{': ' + detail if detail else ''}"), status)

    @staticmethod
    def _already_exists(reference: str) -> Conflict:
        return Conflict(
            f"{reference} already exists on Docker Hub: nothing was created. Use update_repository to change its"
            " description or README, or choose another name."
        )

    @staticmethod
    def _written(response: Response, model: type[M], fallback: dict[str, Any]) -> M:
        """What Hub sent back after a write, or what we know when it sent nothing readable."""
        try:
            return model.model_validate(response.data)
        except ValidationError:
            return model.model_validate(fallback)

    # --- plumbing -----------------------------------------------------------------------

    @staticmethod
    def _familiar(namespace: str, name: str) -> str:
        return name if namespace == "library" else f"{namespace}/{name}"

    async def _get(
        self,
        path: str,
        params: dict[str, Any] | None,
        model: type[M],
        *,
        kind: str,
        what: str,
        missing: str | None,
        cached: bool = True,
    ) -> M:
        """GET ``path`` as ``model``, from the cache when a fresh answer is there (``cached``).

        ``what`` names the thing in error sentences; ``missing`` is what a 404 says does not
        exist (the repository, for a list of its tags).
        """

        async def load() -> M:
            response = await self._send("GET", path, params)
            self._raise_for_status(response, what, missing)
            return self._parse(model, response.data, kind)

        if not cached:
            return await load()
        key = (self.auth.cache_identity, path, tuple(sorted((params or {}).items())))
        return await self.cache.get_or_load(key, self.cache_ttl[kind], load, self._keep_not_found(kind))

    def _keep_not_found(self, kind: str) -> Callable[[BaseException], float | None]:
        """A 404 is an answer too ("this tag does not exist"): kept briefly."""

        def keep(exc: BaseException) -> float | None:
            return min(NOT_FOUND_TTL, self.cache_ttl[kind]) if isinstance(exc, NotFound) else None

        return keep

    async def _send(self, method: str, path: str, params: dict[str, Any] | None) -> Response:
        url = f"{self.hub_url}{path}"
        response = await self.http.send(method, url, params=params, headers=await self.auth.headers())
        if response.status == 401 and self.auth.enabled:
            self.auth.invalidate()
            response = await self.http.send(method, url, params=params, headers=await self.auth.headers())
        return response

    def _raise_for_status(self, response: Response, what: str, missing: str | None) -> None:
        if response.ok:
            return
        status = response.status
        detail = _upstream_detail(response.data)
        if status == 404:
            raise NotFound(sentence(f"{missing or what} does not exist on Docker Hub{self._private_hint()}"))
        if status == 401:
            if self.auth.enabled:
                raise Unauthorized(f"Docker Hub refused the credentials from {self.auth.source} for {what}: {self.auth.fix}.")
            raise Unauthorized(f"Reading {what} needs a Docker Hub login: set HUB_USERNAME and HUB_PAT_TOKEN.")
        if status == 403:
            extra = ""
            if "personal access token" in detail.lower():
                extra = " Docker Hub does not allow this endpoint with a personal access token; it is not a bug of this server."
            raise Forbidden(f"Docker Hub does not allow access to {what} with the current credentials.{extra}", detail)
        if status in (400, 422):
            raise InvalidInput(sentence(f"Docker Hub rejected the request for {what}: {detail or 'invalid parameters'}"))
        raise Upstream(sentence(f"Docker Hub answered HTTP {status} for {what}{': ' + detail if detail else ''}"), status)

    def _private_hint(self) -> str:
        if self.auth.rejected:
            return " (or it is private: the configured credentials were rejected, so only public repositories are visible)"
        if self.auth.enabled:
            return f" (or it is private and {self.auth.username} has no access to it)"
        return " (or it is private: set HUB_USERNAME and HUB_PAT_TOKEN to see private ones)"

    @staticmethod
    def _parse(model: type[M], data: Any, what: str) -> M:
        try:
            return model.model_validate(data)
        except ValidationError:
            names = {"search": "search results", "repository": "repository", "tags": "tag page", "tag": "tag"}
            raise Upstream(
                f"Docker Hub sent {names.get(what, what)} in a shape this server does not understand; try again shortly."
            ) from None


P = TypeVar("P", bound=Page[Any])


async def _in_order(
    direction: OrderingDirection,
    query: TagQuery | RepositoryQuery,
    fetch: Callable[[str], Awaitable[P]],
    sort: Callable[[Any, Any], list[Any]],
    what: str,
) -> P:
    """The page ``query`` asks for, in its order whichever sign Hub's ``ordering`` uses: the page is
    checked; when it ran the other way the whole list in one page is sorted here, else it is asked
    for again with the learned sign; when that runs the wrong way too (Hub ignored the ordering) it
    is sorted here and ``ordering_note`` says what that means."""
    order, page = query.order, query.page
    sent = direction.param(order)
    fetched = await fetch(sent)
    if not direction.observe(order, sent, fetched.results):
        return fetched
    if page == 1 and fetched.next is None and len(fetched.results) >= fetched.count:
        return fetched.model_copy(update={"results": sort(fetched.results, order)})
    resent = direction.param(order)
    if resent != sent:
        again = await fetch(resent)
        if not direction.observe(order, resent, again.results):
            return again
        fetched = again
    return fetched.model_copy(
        update={
            "results": sort(fetched.results, order),
            "ordering_note": (
                f"Docker Hub did not sort these {what} by {order.field} as asked; this page was sorted here,"
                f" so {what} that belong before them may be on other pages."
            ),
        }
    )
