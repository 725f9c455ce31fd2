"""A fake Docker Hub API server (Starlette ASGI app) backed by the in-memory catalog.

It serves the read side of ``https://hub.docker.com`` as ``/work/shared/docs/hub-api.md``
describes it: search v4 and the legacy search, repository info and listing, tag
listing and detail under both path styles, PAT / password login issuing JWTs,
private repositories, per-window rate limiting with ``X-RateLimit-*`` headers on
every response, and fault switches for tests (latency, 5xx, 429, malformed bodies).

In process (no sockets)::

    hub = FakeHub(users={"alice": "dckr_pat_alice"})
    transport = httpx.ASGITransport(app=hub.app)
    async with httpx.AsyncClient(transport=transport, base_url="https://hub.docker.com") as client:
        page = (await client.get("/v2/namespaces/library/repositories/python/tags")).json()

On loopback (uvicorn in a background thread)::

    with serve(hub) as base_url:          # "http://127.0.0.1:<port>"
        ...
    async with serve_async(hub) as base_url:   # asyncio only
        ...

Standalone, for end-to-end tests and benchmarks (first stdout line is the base URL)::

    python -m tests.fakes.hub --port 0 --user alice=dckr_pat_alice

Fault switches, usable between requests: ``hub.latency = 0.2``, ``hub.fail_next(2, 503)``,
``hub.rate_limit_next(1, retry_after=3)``, ``hub.malformed_next()``,
``hub.fail_path("/api/search", 500)``, ``hub.clear_faults()``, ``hub.rate_header_override = {...}``. Every request is
recorded in ``hub.requests`` as ``(method, path, query)``.

What is documented and what is assumed
--------------------------------------
Behaviour marked ``[documented: hub-api.md, SECTION]`` follows ``../shared/docs/hub-api.md``
(recorded responses and Docker's own clients). Behaviour marked ``[assumed]`` is this fake's
guess where the document is silent; for each one that would change hub-mcp's answers if
Hub behaved otherwise, the fake has a switch for the other reading, and the tests run the
code under both:

* ``ordering_convention`` — ``"documented"`` (default): ``ordering=last_updated`` is newest
  first and ``-last_updated`` oldest first [documented: hub-api.md, Tags, "Ordering
  direction"]; ``"django"``: the reverse, as many public scripts assume; ``"ignored"``: Hub
  ignores ``ordering`` and sends tags unsorted [assumed: possible, never recorded].
* ``past_end`` — a page past the last one answers 404 ``httperror 404: page not found``
  (``"404"``, default) [assumed] or 200 with an empty ``results`` (``"empty"``) [assumed].
* ``default_ordering`` — the order of a tag list when no ``ordering`` is sent [assumed:
  newest first]; hub-mcp always sends one.
* ``search_matching`` — search v4 matches a query word anywhere in a name or description, so a
  partial word finds it (``"partial"``, default: ``pyth`` finds python, as Hub's search box
  does while one types) [assumed], or only whole words (``"whole_words"``) [assumed]. Completions
  of repository names depend on it.

Management (stateful: see the "management" section below): ``GET /v2/user/orgs/``, create,
update, delete of repositories and tags change the catalog, so tests run whole lifecycles and
assert the state after each step (``hub.catalog.get(ns, name)``) and that no DELETE was sent
(``hub.request_count(method="DELETE")``; bodies of writes in ``hub.write_bodies``). Switches:

* ``organizations`` — ``{org: {user: "Owner" | "Editor" | "Member"}}``: roles as
  ``/v2/user/orgs/`` spells them [assumed: docker/hub-mcp specs/accounts.json, ``user_role``];
  owners and editors may write in the organization, members may only read its repositories
  [assumed: Docker's docs on organization roles].
* ``scopes`` — identifier → token scope (``repo:admin`` > ``repo:write`` > ``repo:read`` >
  ``repo:public_read`` [documented: hub-api.md, Authentication]); creating and updating need
  ``repo:write``, deleting ``repo:admin`` [assumed]. Default: the JWT's scope as before
  (``repo:read`` for tokens, ``repo:admin`` for passwords).
* ``pat_forbidden`` — endpoint kinds (``orgs``, ``create``, ``update``, ``delete``,
  ``delete_tag``) that answer 403 "access to the resource is forbidden with personal access
  token" to PAT-minted JWTs [documented: hub-api.md, Authentication; wording recorded in
  docker/hub-feedback#2006 and #2127].
* ``delete_status`` — 200, 202 (default) or 204 for a done DELETE [documented: the code is not
  confirmed]; ``conflict_status`` — 400 (default, Django's unique-together text) or 409 for a
  repository that already exists [assumed].
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import json
import math
import re
import socket
import threading
import time
from collections import deque
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from http import HTTPStatus
from typing import Any, Literal, NamedTuple
from urllib.parse import unquote, urlencode

import anyio
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from .catalog import ARCH_LABELS, OS_LABELS, Catalog, Repository, Tag, default_catalog, pull_count_label

NAME_RE = re.compile(r"^[a-z0-9]+(?:[._-][a-z0-9]+)*$")
"""Hub repository (and, here, namespace) names."""
TAG_RE = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]{0,127}$")

# [documented: hub-api.md, Tags and Repositories] the accepted ``ordering`` values
TAG_ORDERINGS = ("last_updated", "-last_updated", "name", "-name")
REPO_ORDERINGS = ("name", "-name", "last_updated", "-last_updated", "pull_count", "-pull_count")
SEARCH_MAX_WINDOW = 2500  # [documented: hub-api.md, Search] from + size <= 2500
JWT_KEY = b"fake-hub-signing-key"

FaultStyle = Literal["retry-after", "x-retry-after"]
OrderingConvention = Literal["documented", "django", "ignored"]
PastEnd = Literal["404", "empty"]
SearchMatching = Literal["partial", "whole_words"]
MalformedKind = Literal["truncated", "html", "empty"]


class RecordedRequest(NamedTuple):
    """One request as the fake saw it: decoded path, raw query string."""

    method: str
    path: str
    query: str


@dataclass(frozen=True)
class IssuedToken:
    token: str
    username: str
    issued_at: float
    expires_at: float
    source: str
    """``pat``, ``oat`` or ``password``."""
    endpoint: str
    """``/v2/auth/token``, ``/v2/users/login`` or ``direct`` (minted by a test)."""


@dataclass(frozen=True)
class _Fault:
    kind: Literal["status", "rate_limit", "malformed"]
    status: int = 503
    retry_after: int = 1
    style: FaultStyle = "retry-after"
    malformed: MalformedKind = "truncated"


class _Reply(Exception):
    """Short-circuit a handler with a finished response (errors, validation)."""

    def __init__(self, response: Response) -> None:
        super().__init__(response.status_code)
        self.response = response


def _json(body: Any, status: int = 200, headers: Mapping[str, str] | None = None) -> Response:
    payload = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    return Response(payload, status, headers=dict(headers or {}), media_type="application/json")


def _error(status: int, message: str, **errinfo: Any) -> _Reply:
    return _Reply(_json({"message": message, "errinfo": errinfo}, status))


def _detail(status: int, detail: str, headers: Mapping[str, str] | None = None, **extra: Any) -> _Reply:
    return _Reply(_json({"detail": detail, **extra}, status, headers))


def _invalid(field: str, problem: str) -> _Reply:
    return _Reply(_json({"fields": {field: [problem]}, "text": f"{field}: {problem}"}, 400))


def _not_found() -> _Reply:
    return _error(404, "object not found")


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _int_param(request: Request, name: str, default: int, low: int, high: int | None) -> int:
    raw = request.query_params.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise _invalid(name, "A valid integer is required.") from None
    if value < low:
        raise _invalid(name, f"Ensure this value is greater than or equal to {low}.")
    if high is not None and value > high:
        raise _invalid(name, f"Ensure this value is less than or equal to {high}.")
    return value


def _csv(request: Request, name: str) -> set[str]:
    raw = request.query_params.get(name) or ""
    return {part.strip().lower() for part in raw.split(",") if part.strip()}


@dataclass(frozen=True)
class _Route:
    pattern: tuple[str, ...]
    """Path segments; ``{name}`` segments capture one decoded, non-empty segment."""
    methods: frozenset[str]
    handler: str
    """Name of a ``FakeHub`` method ``(request, params, user) -> Response``."""
    defaults: tuple[tuple[str, str], ...] = ()
    authenticate: bool = True
    """Validate an ``Authorization`` header (login endpoints do not)."""


_Handler = Callable[[Request, dict[str, str], "str | None"], Awaitable[Response]]


_READ = frozenset({"GET", "HEAD"})
_ROUTES: tuple[_Route, ...] = (
    _Route(("api", "search", "v4"), _READ, "_search_v4"),
    _Route(("v2", "search", "repositories"), _READ, "_legacy_search"),
    _Route(("v2", "auth", "token"), frozenset({"POST"}), "_auth_token", authenticate=False),
    _Route(("v2", "users", "login"), frozenset({"POST"}), "_users_login", authenticate=False),
    _Route(("v2", "namespaces", "{ns}", "repositories"), _READ, "_list_repositories"),
    _Route(("v2", "namespaces", "{ns}", "repositories", "{repo}"), _READ, "_repository"),
    _Route(("v2", "namespaces", "{ns}", "repositories", "{repo}", "tags"), _READ, "_list_tags"),
    _Route(("v2", "namespaces", "{ns}", "repositories", "{repo}", "tags", "{tag}"), _READ, "_tag"),
    # Legacy paths, plus ``/v2/repositories/{repo}/tags`` (``library/`` dropped) as Hub's
    # own ``next`` links sometimes spell it. Listed first, so on the legacy path a
    # repository literally named ``tags`` is unreachable (the namespaced path still works).
    _Route(("v2", "repositories", "{repo}", "tags"), _READ, "_list_tags", (("ns", "library"),)),
    _Route(("v2", "repositories", "{repo}", "tags", "{tag}"), _READ, "_tag", (("ns", "library"),)),
    _Route(("v2", "repositories", "{ns}"), _READ, "_list_repositories"),
    _Route(("v2", "repositories", "{ns}", "{repo}"), _READ, "_repository"),
    _Route(("v2", "repositories", "{ns}", "{repo}", "tags"), _READ, "_list_tags"),
    _Route(("v2", "repositories", "{ns}", "{repo}", "tags", "{tag}"), _READ, "_tag"),
    # management (stateful): see the "management" section of FakeHub
    _Route(("v2", "user", "orgs"), _READ, "_user_orgs"),
    _Route(("v2", "namespaces", "{ns}", "repositories"), frozenset({"POST"}), "_create_repository"),
    _Route(("v2", "namespaces", "{ns}", "repositories", "{repo}"), frozenset({"PATCH"}), "_update_repository"),
    _Route(("v2", "repositories", "{ns}", "{repo}"), frozenset({"DELETE"}), "_delete_repository"),
    _Route(("v2", "repositories", "{ns}", "{repo}", "tags", "{tag}"), frozenset({"DELETE"}), "_delete_tag"),
)


# ---------------------------------------------------------------------- management (stateful)


def _now_iso(unix: float) -> str:
    return datetime.fromtimestamp(unix, UTC).isoformat().replace("+00:00", "Z")


class _Management:
    """Mixed into :class:`FakeHub`: organizations, roles, token scopes, and the write endpoints.

    Kept apart from the read side and the login endpoints so that changes to either merge
    cleanly. Every write changes ``self.catalog``; bodies are kept in ``write_bodies``."""

    catalog: Catalog
    _tokens: dict[str, IssuedToken]
    _lock: threading.Lock
    now: Callable[[], float]

    def _init_management(
        self,
        organizations: Mapping[str, Mapping[str, str]] | None,
        scopes: Mapping[str, str] | None,
        pat_forbidden: Sequence[str],
        delete_status: int,
        conflict_status: int,
    ) -> None:
        self.organizations: dict[str, dict[str, str]] = {
            org.lower(): {user.lower(): role for user, role in members.items()}
            for org, members in (organizations or {}).items()
        }
        self.scopes: dict[str, str] = {k.lower(): v for k, v in (scopes or {}).items()}
        self.pat_forbidden = set(pat_forbidden)
        self.delete_status = delete_status
        self.conflict_status = conflict_status
        self.write_bodies: list[tuple[str, str, dict[str, Any]]] = []
        self._token_scopes: dict[str, str] = {}
        self._next_repository_id = 90_000

    # --- test controls and lookups

    def scope_for(self, username: str, source: str) -> str:
        """The scope a token of ``username`` carries: configured, else what the fake always gave."""
        return self.scopes.get(username.lower(), "repo:admin" if source == "password" else "repo:read")

    def role_of(self, user: str | None, namespace: str) -> str | None:
        """``owner`` / ``editor`` / ``member`` of an organization, lowercased; None when not in it."""
        if user is None:
            return None
        role = self.organizations.get(namespace, {}).get(user)
        return role.lower() if role else None

    def _known_namespaces(self) -> set[str]:
        users = {name for name in getattr(self, "users", {}) if NAME_RE.match(name)}
        return set(self.organizations) | users

    def _may_see(self, repo: Repository, user: str | None) -> bool:
        # a private repository is visible to its owner and collaborators [assumed, as before] and to
        # every member of its organization [assumed: Docker's docs give members read access via teams]
        return repo.visible_to(user) or (user is not None and self.role_of(user, repo.namespace) is not None)

    def push_tag(self, namespace: str, name: str, tag: str, source: tuple[str, str, str]) -> None:
        """A test control (pushes go through the registry, not the Hub API): ``namespace/name:tag``
        becomes a copy of the ``source`` (namespace, name, tag), pushed now."""
        src_repo = self.catalog.get(source[0], source[1])
        target = self.catalog.get(namespace, name)
        if src_repo is None or target is None or src_repo.tag(source[2]) is None:
            raise KeyError(f"no such repository or tag: {source} -> {namespace}/{name}")
        copy_of = src_repo.tag(source[2])
        assert copy_of is not None
        pushed = copy_of.copy()
        pushed.name = tag
        pushed.last_updated = pushed.tag_last_pushed = _now_iso(self.now())
        target.tags = [t for t in target.tags if t.name != tag] + [pushed]

    def _token(self, request: Request) -> IssuedToken | None:
        header = request.headers.get("authorization") or ""
        return self._tokens.get(header.strip().partition(" ")[2].strip())

    def _authorize_write(self, request: Request, user: str | None, namespace: str, kind: str) -> str:
        """Refuse a write the way Hub would; the user when allowed."""
        if user is None:  # [assumed] DRF's wording
            raise _detail(401, "Authentication credentials were not provided.")
        issued = self._token(request)
        if issued is not None and issued.source == "pat" and kind in self.pat_forbidden:
            # [documented: hub-api.md, Authentication] some endpoints refuse PAT-minted JWTs
            raise _detail(403, "access to the resource is forbidden with personal access token")
        scope = self._token_scopes.get(issued.token, "repo:read") if issued else "repo:read"
        needed = ("repo:admin",) if kind in ("delete", "delete_tag") else ("repo:admin", "repo:write")
        if scope not in needed:  # [assumed] status and wording for a scope too low
            raise _detail(403, f"insufficient scope: this token has {scope}")
        if user != namespace and self.role_of(user, namespace) not in ("owner", "editor"):
            if not (kind in ("update", "delete_tag") and self._collaborates(user, namespace, request)):
                raise _detail(403, "You do not have permission to perform this action.")  # [assumed] DRF's wording
        return user

    def _collaborates(self, user: str, namespace: str, request: Request) -> bool:
        segments = [part for part in request.url.path.split("/") if part]
        name = segments[3] if len(segments) > 3 else ""
        repo = self.catalog.get(namespace, name)
        return repo is not None and user in repo.collaborators

    async def _write_body(self, request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise _detail(400, "JSON parse error") from None
        if not isinstance(body, dict):
            raise _detail(400, "JSON object expected")
        self.write_bodies.append((request.method, request.url.path, body))
        return body

    # --- endpoints

    async def _user_orgs(self, request: Request, _: dict[str, str], user: str | None) -> Response:
        # [assumed] GET /v2/user/orgs/: Docker's clients call it (docker/hub-tool pkg/hub/organizations.go;
        # docker/hub-mcp src/accounts.ts, specs/accounts.json: orgname, full_name, user_role, user_groups);
        # the personal namespace is not in it [documented there]. An organization token is not a user:
        # 403 [assumed].
        if user is None:
            raise _detail(401, "Authentication credentials were not provided.")
        issued = self._token(request)
        if issued is not None and issued.source == "oat":
            raise _detail(403, "organization access tokens cannot list user organizations")
        if issued is not None and issued.source == "pat" and "orgs" in self.pat_forbidden:
            raise _detail(403, "access to the resource is forbidden with personal access token")
        mine = sorted(org for org, members in self.organizations.items() if user in members)
        page, nxt, prev = self._paginate(request, mine, 10)  # type: ignore[attr-defined]
        results = [
            {
                "orgname": org,
                "full_name": org.capitalize() + " Inc.",
                "user_role": self.organizations[org][user].capitalize(),
                "user_groups": ["owners"] if self.organizations[org][user].lower() == "owner" else ["developers"],
                "org_groups_count": 2,
                "plan_name": "team",
            }
            for org in page
        ]
        return _json({"count": len(mine), "next": nxt, "previous": prev, "results": results})

    async def _create_repository(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        # [documented: hub-api.md, Repositories] POST body {name, namespace, description (<=100),
        # full_description (<=25000), registry, is_private} -> 201 + repository; name 2-255 of NAME_RE
        namespace = p["ns"]
        self._authorize_write(request, user, namespace, "create")
        body = await self._write_body(request)
        name = body.get("name")
        if not isinstance(name, str) or not NAME_RE.match(name) or not 2 <= len(name) <= 255:
            raise _invalid("name", "Enter a valid repository name.")  # [assumed] wording
        if body.get("namespace", namespace) != namespace:
            raise _invalid("namespace", "Does not match the namespace of the URL.")  # [assumed]
        description = body.get("description") or ""
        full_description = body.get("full_description") or ""
        if len(description) > 100:
            raise _invalid("description", "Ensure this field has no more than 100 characters.")
        if len(full_description) > 25_000:
            raise _invalid("full_description", "Ensure this field has no more than 25000 characters.")
        if self.catalog.get(namespace, name) is not None:  # [assumed] status (switch) and wording
            text = "Repository with this Name and Namespace already exists."
            if self.conflict_status == 409:
                raise _error(409, text)
            raise _Reply(_json({"fields": {"__all__": [text]}, "text": text}, 400))
        now = _now_iso(self.now())
        self._next_repository_id += 1
        repo = Repository(
            namespace=namespace, name=name, id=self._next_repository_id, description=description,
            full_description=full_description, star_count=0, pull_count=0, badge=None, date_registered=now,
            last_modified=now, categories=[], tags=[], publisher_id="", publisher_name=namespace,
            is_private=bool(body.get("is_private")), status=1,  # [assumed] a new repository is active
        )
        self.catalog.add(repo)
        return _json(self.repository_view(repo, user), 201)  # type: ignore[attr-defined]

    async def _update_repository(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        # [documented: hub-api.md, Repositories] PATCH {description?, full_description?, status?};
        # other fields ignored [assumed]; the answer is the repository [assumed]
        repo = self._visible(p["ns"], p["repo"], user)  # type: ignore[attr-defined]
        self._authorize_write(request, user, repo.namespace, "update")
        body = await self._write_body(request)
        if "description" in body:
            if len(str(body["description"] or "")) > 100:
                raise _invalid("description", "Ensure this field has no more than 100 characters.")
            repo.description = str(body["description"] or "")
        if "full_description" in body:
            if len(str(body["full_description"] or "")) > 25_000:
                raise _invalid("full_description", "Ensure this field has no more than 25000 characters.")
            repo.full_description = str(body["full_description"] or "")
        if "status" in body:
            if body["status"] not in range(7):
                raise _invalid("status", "Select a valid choice.")
            repo.status = int(body["status"])
        repo.last_modified = _now_iso(self.now())
        return _json(self.repository_view(repo, user))  # type: ignore[attr-defined]

    def _deleted(self) -> Response:
        if self.delete_status == 204:
            return Response(b"", 204)
        return _json({}, self.delete_status)

    async def _delete_repository(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        # [documented: hub-api.md, Repositories] DELETE /v2/repositories/{ns}/{repo}/; 2xx code not confirmed
        repo = self._visible(p["ns"], p["repo"], user)  # type: ignore[attr-defined]
        self._authorize_write(request, user, repo.namespace, "delete")
        self.write_bodies.append((request.method, request.url.path, {}))
        with self._lock:
            self.catalog.repositories = [r for r in self.catalog.repositories if r is not repo]
        return self._deleted()

    async def _delete_tag(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        # [documented: hub-api.md, Repositories] DELETE /v2/repositories/{ns}/{repo}/tags/{tag}/
        repo = self._visible(p["ns"], p["repo"], user)  # type: ignore[attr-defined]
        self._authorize_write(request, user, repo.namespace, "delete_tag")
        tag = repo.tag(p["tag"])
        if tag is None:  # [documented: hub-api.md, Errors]
            raise _error(404, f"httperror 404: tag '{p['tag']}' not found")
        self.write_bodies.append((request.method, request.url.path, {}))
        repo.tags = [t for t in repo.tags if t is not tag]
        return self._deleted()


class FakeHub(_Management):
    """An in-memory Docker Hub. ``.app`` is the ASGI application.

    Args:
        catalog: repositories to serve; :func:`default_catalog` when omitted.
        users: identifier -> secret (PAT ``dckr_pat_...``, org token ``dckr_oat_...``
            or password) accepted by both login endpoints.
        mfa_users: identifiers whose ``/v2/users/login`` demands a second factor.
        token_lifetime: seconds until issued JWTs expire (Hub documents 10 minutes).
        rate_limit: requests per ``rate_window`` seconds (Hub's search: 180/minute).
        enforce_rate_limit: when False the headers are still sent but no 429 happens.
        clock: unix-time source (``time.time``); :meth:`advance` shifts it.
        official_search_name: ``"bare"`` (``python``) or ``"library"`` (``library/python``)
            for official images in search results; Hub has served both.
        next_base_url: scheme+host to put in ``next``/``previous`` links instead of the
            request's own (Hub's links may echo another host).
        drop_library_in_next: spell legacy ``next`` links ``/v2/repositories/python/...``.
        ordering_convention: which way ``ordering`` sorts (see the module docstring):
            ``"documented"`` (``last_updated`` newest first), ``"django"`` (the reverse) or
            ``"ignored"`` (unsorted).
        past_end: a page past the last answers ``"404"`` or ``"empty"`` (200, no results).
        apply_platform_filters: honour the tag list's ``architecture``/``os`` parameters.
        search_matching: ``"partial"`` (a query word found anywhere) or ``"whole_words"``.
    """

    def __init__(
        self,
        catalog: Catalog | None = None,
        *,
        users: Mapping[str, str] | None = None,
        mfa_users: Sequence[str] = (),
        token_lifetime: int = 600,  # [documented: hub-api.md, Authentication] 10 minutes
        rate_limit: int = 180,
        rate_window: int = 60,
        enforce_rate_limit: bool = True,
        clock: Callable[[], float] = time.time,
        official_search_name: Literal["bare", "library"] = "bare",
        next_base_url: str | None = None,
        drop_library_in_next: bool = False,
        ordering_convention: OrderingConvention = "documented",
        past_end: PastEnd = "404",
        apply_platform_filters: bool = True,
        organizations: Mapping[str, Mapping[str, str]] | None = None,
        scopes: Mapping[str, str] | None = None,
        pat_forbidden: Sequence[str] = (),
        delete_status: int = 202,
        conflict_status: int = 400,
        search_matching: SearchMatching = "partial",
    ) -> None:
        self.catalog = catalog if catalog is not None else default_catalog()
        self.users: dict[str, str] = {k.lower(): v for k, v in (users or {}).items()}
        self.mfa_users = {name.lower() for name in mfa_users}
        self.token_lifetime = token_lifetime
        self.rate_limit = rate_limit
        self.rate_window = rate_window
        self.enforce_rate_limit = enforce_rate_limit
        self.clock = clock
        self.official_search_name = official_search_name
        self.next_base_url = next_base_url
        self.drop_library_in_next = drop_library_in_next
        self.ordering_convention: OrderingConvention = ordering_convention
        self.past_end: PastEnd = past_end
        self.apply_platform_filters = apply_platform_filters
        self.search_matching: SearchMatching = search_matching
        self.latency: float = 0.0
        """Seconds to sleep before answering each request."""
        self.rate_header_override: dict[str, str | None] = {}
        """``X-RateLimit-*`` values to send instead of the counted ones (``None``: leave that header out), for the
        rate-limit status's malformed and missing cases: a test switch, not Hub behaviour. The counted ones are
        [documented: Docker Hub API reference, "Rate limiting": limit per minute, remaining, reset as unix time]."""
        self.requests: list[RecordedRequest] = []
        self.issued_tokens: list[IssuedToken] = []

        self._lock = threading.Lock()
        self._time_offset = 0.0
        self._faults: deque[_Fault] = deque()
        self._path_faults: list[tuple[str, int]] = []
        self._window_reset = 0.0
        self._window_used = 0
        self._tokens: dict[str, IssuedToken] = {}
        self._revoked_tokens: set[str] = set()
        self._token_serial = 0

        self._init_management(organizations, scopes, pat_forbidden, delete_status, conflict_status)

        methods = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]
        self.app = Starlette(routes=[Route("/{path:path}", self._handle, methods=methods)])

    # ------------------------------------------------------------------ test controls

    def now(self) -> float:
        """The fake's unix time: ``clock()`` plus whatever :meth:`advance` added."""
        return self.clock() + self._time_offset

    def advance(self, seconds: float) -> None:
        """Move the fake's clock forward (expires tokens, rolls rate-limit windows)."""
        self._time_offset += seconds

    def fail_next(self, n: int = 1, status: int = 503) -> None:
        """The next ``n`` requests answer ``status`` with a JSON error body."""
        self._queue(n, _Fault("status", status=status))

    def rate_limit_next(self, n: int = 1, retry_after: int = 1, style: FaultStyle = "retry-after") -> None:
        """The next ``n`` requests answer 429 with ``Retry-After`` seconds, or with
        ``X-Retry-After`` as a unix time when ``style="x-retry-after"``."""
        if style not in ("retry-after", "x-retry-after"):
            raise ValueError(f"unknown style {style!r}")
        self._queue(n, _Fault("rate_limit", status=429, retry_after=retry_after, style=style))

    def malformed_next(self, n: int = 1, kind: MalformedKind = "truncated") -> None:
        """The next ``n`` requests answer 200 with a broken body: the real JSON cut in
        half (``truncated``), an HTML page (``html``) or nothing (``empty``)."""
        self._queue(n, _Fault("malformed", status=200, malformed=kind))

    def fail_path(self, prefix: str, status: int = 500) -> None:
        """Every request whose decoded path starts with ``prefix`` answers ``status``
        until :meth:`clear_faults`."""
        with self._lock:
            self._path_faults.append((prefix, status))

    def clear_faults(self) -> None:
        with self._lock:
            self._faults.clear()
            self._path_faults.clear()
        self.latency = 0.0

    def reset_rate_limit(self) -> None:
        with self._lock:
            self._window_used = 0
            self._window_reset = 0.0

    def request_count(self, path_prefix: str = "", method: str | None = None) -> int:
        """How many recorded requests start with ``path_prefix`` (and use ``method``)."""
        return sum(
            1
            for r in self.requests
            if r.path.startswith(path_prefix) and (method is None or r.method == method)
        )

    def issue_token(self, username: str, *, lifetime: float | None = None, source: str = "pat") -> str:
        """Mint a JWT the fake accepts, without a login request."""
        return self._issue(username, lifetime=lifetime, source=source, endpoint="direct")

    def token_username(self, token: str) -> str | None:
        issued = self._tokens.get(token)
        return issued.username if issued else None

    def _queue(self, n: int, fault: _Fault) -> None:
        with self._lock:
            self._faults.extend([fault] * n)

    # ------------------------------------------------------------------ dispatch

    async def _handle(self, request: Request) -> Response:
        path = request.url.path
        self.requests.append(RecordedRequest(request.method, path, request.url.query))
        if self.latency > 0:
            await anyio.sleep(self.latency)

        limit_headers, limited_for = self._tick_rate_limit()
        fault = self._take_fault(path)
        try:
            if fault is not None and fault.kind == "status":
                response = self._status_fault(fault.status)
            elif fault is not None and fault.kind == "rate_limit":
                limit_headers["X-RateLimit-Remaining"] = "0"
                response = self._too_many(fault.retry_after, fault.style)
            elif limited_for is not None:
                response = self._too_many(limited_for, "retry-after")
            else:
                response = await self._route(request)
        except _Reply as reply:
            response = reply.response
        if fault is not None and fault.kind == "malformed":
            response = self._malformed(response, fault.malformed)

        response.headers.update(limit_headers)
        if request.method == "HEAD":
            headers = dict(response.headers)
            response = Response(b"", response.status_code, headers=headers)
        return response

    def _tick_rate_limit(self) -> tuple[dict[str, str], int | None]:
        now = self.now()
        with self._lock:
            if now >= self._window_reset:
                self._window_reset = now + self.rate_window
                self._window_used = 0
            self._window_used += 1
            used, reset = self._window_used, self._window_reset
        # [documented: hub-api.md, Errors and limits] X-RateLimit-* on responses; 180/minute is one
        # sighting for search [documented]; a fixed window per client is [assumed].
        headers = {
            "X-RateLimit-Limit": str(self.rate_limit),
            "X-RateLimit-Remaining": str(max(0, self.rate_limit - used)),
            "X-RateLimit-Reset": str(int(math.ceil(reset))),
        }
        for name, value in self.rate_header_override.items():
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
        if self.enforce_rate_limit and used > self.rate_limit:
            return headers, max(1, int(math.ceil(reset - now)))
        return headers, None

    def _take_fault(self, path: str) -> _Fault | None:
        with self._lock:
            for prefix, status in self._path_faults:
                if path.startswith(prefix):
                    return _Fault("status", status=status)
            return self._faults.popleft() if self._faults else None

    def _status_fault(self, status: int) -> Response:
        # body shape {"message", "errinfo"} [documented: hub-api.md, Errors]; the wording [assumed]
        try:
            phrase = HTTPStatus(status).phrase.lower()
        except ValueError:
            phrase = "error"
        return _json({"message": f"httperror {status}: {phrase}", "errinfo": {}}, status)

    def _too_many(self, retry_after: int, style: FaultStyle) -> Response:
        # [documented: hub-api.md, Errors and limits] 429 + Retry-After seconds (older: X-Retry-After
        # unix time), body {"detail": "Rate limit exceeded"}
        if style == "x-retry-after":
            headers = {"X-Retry-After": str(int(self.now()) + retry_after)}
        else:
            headers = {"Retry-After": str(retry_after)}
        return _json({"detail": "Rate limit exceeded"}, 429, headers)

    @staticmethod
    def _malformed(response: Response, kind: MalformedKind) -> Response:
        # a test switch, not Hub behaviour: what a proxy or an outage can put in a 200
        if kind == "html":
            body = b"<html><head><title>Docker Hub</title></head><body><h1>Oops</h1></body></html>"
            return Response(body, 200, media_type="application/json")
        if kind == "empty":
            return Response(b"", 200, media_type="application/json")
        full = bytes(response.body) or b'{"count":0,"results":[]}'
        return Response(full[: max(1, len(full) // 2)], 200, media_type="application/json")

    async def _route(self, request: Request) -> Response:
        raw = request.scope.get("raw_path") or request.url.path.encode()
        raw_text = raw.decode("latin-1").split("?", 1)[0]
        segments = [unquote(part, errors="replace") for part in raw_text.split("/")[1:]]
        if len(segments) > 1 and segments[-1] == "":
            segments.pop()  # trailing slash is optional everywhere [assumed; legacy paths end in "/" in hub-api.md]

        allowed: set[str] = set()
        for route in _ROUTES:
            params = self._match(route.pattern, segments)
            if params is None:
                continue
            if request.method not in route.methods:
                allowed |= route.methods
                continue
            handler: _Handler = getattr(self, route.handler)
            user = self._viewer(request) if route.authenticate else None
            return await handler(request, {**dict(route.defaults), **params}, user)
        if allowed:  # 405 with Allow for a known path and another method [assumed]
            headers = {"Allow": ", ".join(sorted(allowed))}
            return _json({"detail": f'Method "{request.method}" not allowed.'}, 405, headers)
        return _json({"message": "httperror 404: page not found", "errinfo": {}}, 404)

    @staticmethod
    def _match(pattern: tuple[str, ...], segments: list[str]) -> dict[str, str] | None:
        if len(pattern) != len(segments):
            return None
        params: dict[str, str] = {}
        for want, got in zip(pattern, segments, strict=True):
            if want.startswith("{"):
                if not got:
                    return None
                params[want[1:-1]] = got
            elif want != got:
                return None
        return params

    # ------------------------------------------------------------------ auth

    def _viewer(self, request: Request) -> str | None:
        header = request.headers.get("authorization")
        if not header:
            return None
        scheme, _, token = header.strip().partition(" ")
        # 401 for a bad or expired JWT [documented: hub-api.md, Authentication: refresh once on a 401];
        # the detail texts and the challenge header [assumed]
        challenge = {"WWW-Authenticate": 'JWT realm="api"'}
        if scheme.lower() not in ("bearer", "jwt") or not token.strip():
            raise _detail(401, "Authentication credentials were not provided.", challenge)
        issued = self._tokens.get(token.strip())
        if issued is None:
            raise _detail(401, "Error decoding signature.", challenge)
        if self.now() >= issued.expires_at:
            raise _detail(401, "Signature has expired.", challenge)
        if token.strip() in self._revoked_tokens:
            raise _detail(401, "Token has been revoked.", challenge)  # wording [assumed]
        return issued.username

    def revoke(self, identifier: str, *, tokens_too: bool = True) -> None:
        """Revoke ``identifier``'s access token (a test switch): its logins are refused from now on.

        Whether Hub also refuses the JWTs already minted from a revoked token, or lets them run to
        their ``exp``, is not documented [assumed: either]: ``tokens_too`` chooses, and the tests
        run both readings."""
        with self._lock:
            self.users.pop(identifier.lower(), None)
            if tokens_too:
                self._revoked_tokens.update(t for t, i in self._tokens.items() if i.username == identifier.lower())

    async def _body(self, request: Request) -> dict[str, Any]:
        try:
            body = json.loads(await request.body() or b"{}")
        except ValueError:
            raise _detail(400, "JSON parse error") from None
        if not isinstance(body, dict):
            raise _detail(400, "JSON object expected")
        return body

    def _check_secret(self, identifier: Any, secret: Any) -> str:
        if not isinstance(identifier, str) or not isinstance(secret, str):
            raise _detail(401, "Incorrect authentication credentials")
        expected = self.users.get(identifier.lower())
        if expected is None or not hmac.compare_digest(expected, secret):
            raise _detail(401, "Incorrect authentication credentials")
        return identifier.lower()

    @staticmethod
    def _source(secret: str) -> str:
        if secret.startswith("dckr_pat_"):
            return "pat"
        if secret.startswith("dckr_oat_"):
            return "oat"
        return "password"

    # Login [documented: hub-api.md, Authentication]: POST /v2/auth/token {identifier, secret} ->
    # {access_token}; POST /v2/users/login {username, password} -> {token}; 401 {"detail": "Incorrect
    # authentication credentials"}; 2FA accounts get login_2fa_token. JWT with exp and the
    # "https://hub.docker.com" username claim [documented]; the other claims [assumed].
    async def _auth_token(self, request: Request, _: dict[str, str], __: str | None) -> Response:
        body = await self._body(request)
        for field in ("identifier", "secret"):
            if not body.get(field):
                raise _invalid(field, "This field is required.")
        username = self._check_secret(body["identifier"], body["secret"])
        token = self._issue(username, source=self._source(body["secret"]), endpoint="/v2/auth/token")
        return _json({"access_token": token})

    async def _users_login(self, request: Request, _: dict[str, str], __: str | None) -> Response:
        body = await self._body(request)
        for field in ("username", "password"):
            if not body.get(field):
                raise _invalid(field, "This field is required.")
        username = self._check_secret(body["username"], body["password"])
        if username in self.mfa_users:
            second = _b64url(hashlib.sha256(f"2fa:{username}:{self.now()}".encode()).digest())
            raise _detail(401, "Require secondary authentication on MFA enabled account",
                          login_2fa_token=second)
        token = self._issue(username, source=self._source(body["password"]), endpoint="/v2/users/login")
        return _json({"token": token})

    def _issue(self, username: str, *, source: str, endpoint: str, lifetime: float | None = None) -> str:
        with self._lock:
            self._token_serial += 1
            serial = self._token_serial
        issued_at = int(self.now())
        expires_at = issued_at + (self.token_lifetime if lifetime is None else lifetime)
        user_uuid = hashlib.sha256(f"user:{username}".encode()).hexdigest()
        user_uuid = f"{user_uuid[:8]}-{user_uuid[8:12]}-{user_uuid[12:16]}-{user_uuid[16:20]}-{user_uuid[20:32]}"
        header = {"alg": "HS256", "kid": "fake-hub-1", "typ": "JWT"}
        payload = {
            "https://hub.docker.com": {
                "email": f"{username}@example.invalid",
                "roles": [],
                "session_id": f"session-{serial}",
                "source": {"id": f"{source}-{serial}", "type": source},
                "username": username,
                "uuid": user_uuid,
            },
            "iss": "https://login.docker.com/",
            "sub": user_uuid,
            "aud": ["https://hub.docker.com"],
            "iat": issued_at,
            "nbf": issued_at,
            "exp": int(expires_at),
            "jti": f"fake-{serial}",
            "scope": self.scope_for(username, source),
        }
        signing_input = (
            _b64url(json.dumps(header, separators=(",", ":")).encode())
            + "."
            + _b64url(json.dumps(payload, separators=(",", ":")).encode())
        )
        signature = _b64url(hmac.new(JWT_KEY, signing_input.encode(), hashlib.sha256).digest())
        token = f"{signing_input}.{signature}"
        issued = IssuedToken(token, username, float(issued_at), float(expires_at), source, endpoint)
        with self._lock:
            self._tokens[token] = issued
            self.issued_tokens.append(issued)
            self._token_scopes[token] = self.scope_for(username, source)
        return token

    # ------------------------------------------------------------------ lookups and views

    def _visible(self, namespace: str, name: str, user: str | None) -> Repository:
        # missing: 404 {"message":"object not found","errinfo":{}} [documented: hub-api.md, Errors];
        # a private repository answers the same 404 to others [assumed: Hub does not say it exists]
        if not NAME_RE.match(namespace) or not NAME_RE.match(name) or not 2 <= len(name) <= 255:
            raise _not_found()
        repo = self.catalog.get(namespace, name)
        if repo is None or not self._may_see(repo, user):
            raise _not_found()
        return repo

    def _page_url(self, request: Request, page: int, page_size: int) -> str:
        # absolute ``next``/``previous`` that may echo another host or drop ``library/``
        # [documented: hub-api.md, Tags, "Page"]
        base = (self.next_base_url or str(request.base_url)).rstrip("/")
        raw = request.scope.get("raw_path") or request.url.path.encode()
        path = raw.decode("latin-1").split("?", 1)[0]
        if self.drop_library_in_next and path.startswith("/v2/repositories/library/"):
            path = "/v2/repositories/" + path[len("/v2/repositories/library/"):]
        rest = [(k, v) for k, v in request.query_params.multi_items() if k not in ("page", "page_size")]
        query = urlencode([("page", str(page)), ("page_size", str(page_size)), *rest])
        return f"{base}{path}?{query}"

    def _paginate(
        self, request: Request, items: Sequence[Any], default_size: int
    ) -> tuple[Sequence[Any], str | None, str | None]:
        page = _int_param(request, "page", 1, 1, None)
        size = _int_param(request, "page_size", default_size, 1, 100)  # [documented: hub-api.md] <= 100
        start = (page - 1) * size
        if page > 1 and start >= len(items) and self.past_end == "404":  # [assumed] (switch: past_end)
            raise _error(404, "httperror 404: page not found", page=page, page_size=size)
        nxt = self._page_url(request, page + 1, size) if start + size < len(items) else None
        prev = self._page_url(request, page - 1, size) if page > 1 else None
        return items[start : start + size], nxt, prev

    def _default_ordering(self) -> str:
        """The ``ordering`` that means newest first under the configured convention."""
        return "-last_updated" if self.ordering_convention == "django" else "last_updated"

    def _ordered(
        self,
        items: Sequence[Any],
        ordering: str,
        name: Callable[[Any], str],
        value: Callable[[Any], Any],
    ) -> list[Any]:
        """``items`` sorted as Hub sorts for ``ordering``.

        [documented: hub-api.md, Tags, "Ordering direction"] the reverse of Django's convention:
        ``last_updated`` and ``pull_count`` are largest (newest) first, ``-last_updated`` oldest
        first; ``name`` is A-Z and ``-name`` Z-A. ``ordering_convention="django"`` reverses the
        dates and counts (not the names, which read the same in both conventions);
        ``"ignored"`` sends the items in a fixed order unrelated to any field [assumed].
        """
        if self.ordering_convention == "ignored":
            return sorted(items, key=lambda item: hashlib.sha256(name(item).encode()).hexdigest())
        field = ordering.lstrip("-")
        by_name = sorted(items, key=name)
        if field == "name":
            return by_name[::-1] if ordering.startswith("-") else by_name
        largest_first = not ordering.startswith("-")  # documented
        if self.ordering_convention == "django":
            largest_first = not largest_first
        return sorted(by_name, key=value, reverse=largest_first)

    def _permissions(self, repo: Repository, user: str | None) -> tuple[dict[str, bool], str | None]:
        if user is not None and user == repo.namespace:
            return {"read": True, "write": True, "admin": True}, "owner"
        role = self.role_of(user, repo.namespace)
        if role in ("owner", "editor"):  # [assumed] owners and editors administer an organization's repositories
            return {"read": True, "write": True, "admin": True}, "owner"
        if role == "member" and user not in repo.collaborators:  # [assumed] a member alone only reads
            return {"read": True, "write": False, "admin": False}, "member"
        if user is not None and user in repo.collaborators:
            return {"read": True, "write": True, "admin": False}, "member"
        return {"read": True, "write": False, "admin": False}, None

    def _repository_summary(self, repo: Repository) -> dict[str, Any]:
        """A repository as list endpoints show it (no per-user fields, no README)."""
        return {
            "name": repo.name,
            "namespace": repo.namespace,
            "repository_type": "image",
            "status": repo.status,
            "status_description": repo.status_description,
            "description": repo.description,
            "is_private": repo.is_private,
            "star_count": repo.star_count,
            "pull_count": repo.pull_count,
            "last_updated": repo.last_updated,
            "last_modified": repo.last_modified,
            "date_registered": repo.date_registered,
            "media_types": repo.media_types,
            "content_types": repo.content_types,
            "categories": [{"name": c.name, "slug": c.slug} for c in repo.categories],
            "storage_size": repo.storage_size,
        }

    def repository_view(self, repo: Repository, user: str | None = None) -> dict[str, Any]:
        """The full ``GET /v2/namespaces/{ns}/repositories/{repo}`` body."""
        permissions, affiliation = self._permissions(repo, user)
        summary = self._repository_summary(repo)
        return {
            "user": repo.namespace,
            **summary,
            "is_automated": repo.is_automated,
            "collaborator_count": len(repo.collaborators),
            "affiliation": affiliation,
            "hub_user": repo.namespace,
            "has_starred": False,
            "full_description": repo.full_description,
            "permissions": permissions,
            "immutable_tags_settings": {"enabled": repo.immutable_tags, "rules": [".*"]},
            "source": repo.source,
        }

    def search_result(self, repo: Repository) -> dict[str, Any]:
        """One ``/api/search/v4`` result: the fields, ``pull_count`` as a string ("1B+") and official
        names bare or ``library/`` [documented: hub-api.md, Search]."""
        bare = repo.is_official and self.official_search_name == "bare"
        name = repo.name if bare else repo.full_name
        return {
            "id": name,
            "name": name,
            "slug": name,
            "type": "image",
            "publisher": {"id": repo.publisher_id, "name": repo.publisher_name},
            "created_at": repo.date_registered,
            "updated_at": repo.last_updated,
            "short_description": repo.description,
            "badge": repo.badge,
            "star_count": repo.star_count,
            "pull_count": pull_count_label(repo.pull_count),
            "operating_systems": [{"name": o, "label": OS_LABELS.get(o, o)} for o in repo.operating_systems],
            "architectures": [{"name": a, "label": ARCH_LABELS.get(a, a)} for a in repo.architectures],
            "logo_url": repo.logo_url,
            "extension_reviewed": False,
            "categories": [{"slug": c.slug, "name": c.name} for c in repo.categories],
            "archived": repo.archived,
        }

    # ------------------------------------------------------------------ search

    def _search_matches(self, query: str) -> list[Repository]:
        """Public repositories matching every query word, best match first: exact
        name, then name containing the query, then the rest; pull count breaks ties.

        "best match" when no sort is given [documented: hub-api.md, Search]; what Hub counts
        as best [assumed] (hub-mcp puts an exact name first itself, whatever Hub's order)."""
        words = query.lower().split()
        needle = query.strip().lower()
        short = needle.removeprefix("library/")

        def rank(repo: Repository) -> tuple[int, int, str]:
            if short == repo.name or needle == repo.full_name:
                tier = 0
            elif needle and needle in repo.full_name:
                tier = 1
            else:
                tier = 2
            return tier, -repo.pull_count, repo.full_name

        def matches(repo: Repository) -> bool:
            text = f"{repo.full_name} {repo.description}".lower()
            wanted = [w.removeprefix("library/") for w in words]
            if self.search_matching == "whole_words":  # [assumed] (switch: search_matching)
                tokens = set(re.split(r"[^a-z0-9]+", text))
                return all(t in tokens for w in wanted for t in re.split(r"[^a-z0-9]+", w) if t)
            return all(w in text for w in wanted)

        found = [repo for repo in self.catalog.repositories if not repo.is_private and matches(repo)]
        return sorted(found, key=rank)

    @staticmethod
    def _sort_search(repos: list[Repository], sort: str | None, order: str | None) -> list[Repository]:
        if sort is None:
            return repos
        reverse = order != "asc"
        if sort == "pull_count":
            return sorted(repos, key=lambda r: r.pull_count, reverse=reverse)
        return sorted(repos, key=lambda r: r.last_updated, reverse=reverse)

    async def _search_v4(self, request: Request, _: dict[str, str], __: str | None) -> Response:
        params = request.query_params
        query = params.get("query")
        if query is None:
            raise _error(400, "query parameter is required", field="query")
        try:
            start = int(params.get("from") or 0)
            size = int(params.get("size") or 10)
        except ValueError:
            raise _error(400, "from and size must be integers", field="from/size") from None
        if size < 0 or size > 100:
            raise _error(400, "size must be between 0 and 100", field="size")
        if start < 0 or start + size > SEARCH_MAX_WINDOW:
            raise _error(400, f"from + size must not exceed {SEARCH_MAX_WINDOW}", field="from")
        sort, order = params.get("sort") or None, params.get("order") or None
        if sort not in (None, "updated_at", "pull_count"):
            raise _error(400, f"invalid sort {sort!r}", field="sort")
        if order not in (None, "asc", "desc"):
            raise _error(400, f"invalid order {order!r}", field="order")

        repos = self._search_matches(query)
        badges = _csv(request, "badges")
        if badges:
            repos = [r for r in repos if (r.badge or "none") in badges]
        kind = (params.get("type") or "").lower()
        if kind and kind != "image":
            repos = []
        arches = _csv(request, "architectures")
        if arches:
            repos = [r for r in repos if arches & set(r.architectures)]
        systems = _csv(request, "operating_systems")
        if systems:
            repos = [r for r in repos if systems & set(r.operating_systems)]
        categories = _csv(request, "categories")
        if categories:
            repos = [r for r in repos if categories & {c.slug for c in r.categories}]
        repos = self._sort_search(repos, sort, order)
        results = [self.search_result(r) for r in repos[start : start + size]]
        return _json({"total": len(repos), "results": results})

    async def _legacy_search(self, request: Request, _: dict[str, str], __: str | None) -> Response:
        # [documented: hub-api.md, Search, "Older"] count/next/previous ("" not null), repo_name bare
        # for official images, pull_count as an int; default page size 25 [assumed]
        repos = self._search_matches(request.query_params.get("query") or "")
        page, nxt, prev = self._paginate(request, repos, 25)
        results = [
            {
                "repo_name": r.name if r.is_official else r.full_name,
                "short_description": r.description,
                "star_count": r.star_count,
                "pull_count": r.pull_count,
                "repo_owner": "",
                "is_automated": r.is_automated,
                "is_official": r.is_official,
            }
            for r in page
        ]
        return _json({"count": len(repos), "next": nxt or "", "previous": prev or "", "results": results})

    # ------------------------------------------------------------------ repositories and tags

    async def _list_repositories(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        # [documented: hub-api.md, Repositories] page_size <= 100, name filter, ordering values; list
        # entries omit per-user fields and full_description [documented]; default page size 10 [assumed]
        namespace = p["ns"]
        if not NAME_RE.match(namespace) or namespace not in self.catalog.namespaces() | self._known_namespaces():
            raise _not_found()
        ordering = request.query_params.get("ordering") or self._default_ordering()  # [assumed] default
        if ordering not in REPO_ORDERINGS:
            raise _invalid("ordering", f"Select a valid choice. {ordering} is not one of the available choices.")
        name = (request.query_params.get("name") or "").lower()
        repos = [
            r for r in self.catalog.in_namespace(namespace) if self._may_see(r, user) and name in r.name
        ]
        repos = self._ordered(repos, ordering, lambda r: r.name, lambda r: getattr(r, ordering.lstrip("-")))
        page, nxt, prev = self._paginate(request, repos, 10)
        body = {"count": len(repos), "next": nxt, "previous": prev,
                "results": [self._repository_summary(r) for r in page]}
        return _json(body)

    async def _repository(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        return _json(self.repository_view(self._visible(p["ns"], p["repo"], user), user))

    async def _list_tags(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        repo = self._visible(p["ns"], p["repo"], user)
        params = request.query_params
        ordering = params.get("ordering") or self._default_ordering()  # [assumed] default: newest first
        if ordering not in TAG_ORDERINGS:
            raise _invalid("ordering", f"Select a valid choice. {ordering} is not one of the available choices.")
        # ``name`` is a substring filter [documented: hub-api.md, Tags]; case-insensitive [assumed].
        # ``architecture``/``os`` filters are in Docker's internal spec [documented]; that a tag
        # is kept when any image matches [assumed]; ``apply_platform_filters=False`` ignores them
        # (hub-mcp drops rows without the platform itself).
        name = (params.get("name") or "").lower()
        arches, systems = _csv(request, "architecture"), _csv(request, "os")
        if not self.apply_platform_filters:
            arches, systems = set(), set()

        def keep(tag: Tag) -> bool:
            if name not in tag.name.lower():
                return False
            if not arches and not systems:
                return True
            return any(
                (not arches or image.architecture in arches) and (not systems or image.os in systems)
                for image in tag.platform_images
            )

        tags = self._ordered(
            [tag for tag in repo.tags if keep(tag)], ordering, lambda t: t.name, lambda t: t.last_updated
        )
        page, nxt, prev = self._paginate(request, tags, 10)
        return _json({"count": len(tags), "next": nxt, "previous": prev, "results": [t.to_api() for t in page]})

    async def _tag(self, request: Request, p: dict[str, str], user: str | None) -> Response:
        repo = self._visible(p["ns"], p["repo"], user)
        name = p["tag"]
        tag = repo.tag(name) if TAG_RE.match(name) else None
        if tag is None:  # [documented: hub-api.md, Errors] 404 "httperror 404: tag '1.277' not found"
            raise _error(404, f"httperror 404: tag '{name}' not found",
                         namespace=repo.namespace, repository=repo.name, tag=name)
        return _json(tag.to_api())


# ---------------------------------------------------------------------- serving


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def _url(sock: socket.socket, host: str) -> str:
    port = sock.getsockname()[1]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def _server(hub: FakeHub) -> uvicorn.Server:
    config = uvicorn.Config(hub.app, log_level="warning", access_log=False, lifespan="off")
    return uvicorn.Server(config)


@contextlib.contextmanager
def serve(hub: FakeHub, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run ``hub`` with uvicorn in a background thread; yield its base URL once ready."""
    sock = _bind(host, port)
    server = _server(hub)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="fake-hub", daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("fake Hub server failed to start")
            if time.monotonic() > deadline:
                raise TimeoutError("fake Hub server did not start within 10 s")
            time.sleep(0.005)
        yield _url(sock, host)
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@contextlib.asynccontextmanager
async def serve_async(hub: FakeHub, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
    """Like :func:`serve`, but as a task on the running asyncio loop."""
    sock = _bind(host, port)
    server = _server(hub)
    task = asyncio.get_running_loop().create_task(server.serve(sockets=[sock]))
    try:
        while not server.started:
            if task.done():
                task.result()
                raise RuntimeError("fake Hub server failed to start")
            await asyncio.sleep(0.005)
        yield _url(sock, host)
    finally:
        server.should_exit = True
        await task
        sock.close()


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.fakes.hub",
        description="Run the fake Docker Hub API; prints the base URL as the first stdout line.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--user", action="append", default=[], metavar="NAME=SECRET",
                        help="accept this identifier/secret pair (repeatable)")
    parser.add_argument("--latency", type=float, default=0.0, help="seconds added to every request")
    parser.add_argument("--rate-limit", type=int, default=180, help="requests per window")
    parser.add_argument("--rate-window", type=int, default=60, help="window length in seconds")
    parser.add_argument("--no-rate-limit", action="store_true", help="send headers but never 429")
    parser.add_argument("--token-lifetime", type=int, default=600)
    args = parser.parse_args(argv)

    users: dict[str, str] = {}
    for pair in args.user:
        name, sep, secret = pair.partition("=")
        if not sep:
            parser.error(f"--user expects NAME=SECRET, got {pair!r}")
        users[name] = secret
    hub = FakeHub(
        users=users,
        token_lifetime=args.token_lifetime,
        rate_limit=args.rate_limit,
        rate_window=args.rate_window,
        enforce_rate_limit=not args.no_rate_limit,
    )
    hub.latency = args.latency
    sock = _bind(args.host, args.port)
    print(_url(sock, args.host), flush=True)
    _server(hub).run(sockets=[sock])


if __name__ == "__main__":
    main()
