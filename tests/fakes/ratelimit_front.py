"""Docker Hub's registry as it states the pull rate limit: a front with a token service, before a real registry.

A Starlette app, served in process through ``httpx.ASGITransport`` as hub-mcp's registry transport: requests to the
host ``auth.docker.io`` reach the token service, requests to any other host (``registry-1.docker.io``) reach the
registry, which wants a Bearer token, forwards the request to a real ``docker-registry``
(:mod:`tests.fakes.registry`) and adds the pull rate-limit headers to manifest answers::

    front = RateLimitFront(registry.url, users={"alice": "dckr_pat_alice"})
    server = create_server(settings, registry_transport=httpx.ASGITransport(app=front.app))

What is documented and what is assumed
--------------------------------------
[documented: docs.docker.com/docker-hub/usage/pulls/, "View pull rate and limit" (pulls.md below)]

* The token: ``GET https://auth.docker.io/token?service=registry.docker.io&scope=repository:<name>:pull``,
  anonymously or with HTTP Basic ``username:password`` (``curl --user``); the answer has ``token`` (``jq -r .token``)
  [documented: pulls.md]. ``access_token``, ``expires_in`` (300 s) and ``issued_at`` [assumed: the distribution
  token specification's fields; the lifetime is Docker Hub's as commonly seen]. Wrong credentials: 401 [assumed].
* The challenge: 401 with ``WWW-Authenticate: Bearer realm="https://auth.docker.io/token",
  service="registry.docker.io",scope="repository:<name>:pull"`` [documented: the realm and service of the token URL
  in pulls.md; the header's form is the distribution token specification's].
* Manifest answers (``GET`` and ``HEAD``) carry ``ratelimit-limit: 100;w=21600``, ``ratelimit-remaining: 20;w=21600``
  and ``docker-ratelimit-source: 192.0.2.1``: "the pull limit is 100 pulls per 21600 seconds (6 hours), and there are
  20 pulls remaining" [documented: pulls.md]. A ``GET`` counts a pull, a ``HEAD`` does not ("Using GET emulates a
  real pull and counts towards the limit. Using HEAD won't") [documented: pulls.md].
* Limits per 6 hours: 100 unauthenticated "per IPv4 address or IPv6 /64 subnet", 200 for a Personal account,
  unlimited for Pro, Team and Business [documented: pulls.md, the table]. A paid account (``paid``) gets no
  ``ratelimit`` header: "It could also mean that the user you are pulling as is part of a paid Docker plan"
  [documented: pulls.md]. A multi-architecture pull counts once per architecture [documented]; here each manifest
  ``GET`` counts one [assumed: enough for the status, which reads with ``HEAD``].
* Past the limit a manifest ``GET`` answers 429 with "You have reached your pull rate limit. You may increase the
  limit by authenticating and upgrading: https://www.docker.com/increase-rate-limits" [documented: pulls.md]; a
  ``HEAD`` still answers, with ``ratelimit-remaining: 0`` [assumed: consistent with "HEAD won't" count].
* ``docker-ratelimit-source``: the client's IP address anonymously [documented: pulls.md's example is an address];
  for a logged-in user an account id [assumed: Docker documents no example; hub-mcp shows it as sent].
* A fixed window per identity [assumed: Docker says only "calculated on a 6-hour basis"].

Switches for the readings the document leaves open, and for faults (test switches, not Docker behaviour):

* ``reading`` — whose limits and window the headers state: ``"pulls.md"`` (100 anonymous, 200 personal, per
  21600 s) or ``"hub-api.md"`` (10 anonymous, 100 personal, per 3600 s: ../shared/docs/hub-api.md, "Errors and
  limits"), which disagree.
* ``style`` — ``"documented"`` (``100;w=21600``), ``"bare"`` (``100``: the window left out, as the IETF RateLimit
  draft allows and some proxies send) or ``"none"`` (no ``ratelimit`` header at all, as for a paid plan).
* ``override`` — header values to send instead of the counted ones (``{"ratelimit-remaining": "lots"}``); a value of
  ``None`` leaves that header out.
* :meth:`set_remaining` — what is left for an identity (``"ip:127.0.0.1"`` or a user name).
"""

from __future__ import annotations

import base64
import re
import secrets
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

TOKEN_HOST = "auth.docker.io"  # [documented: pulls.md]
SERVICE = "registry.docker.io"  # [documented: pulls.md]
WINDOW = 21600  # [documented: pulls.md, "100 pulls per 21600 seconds (6 hours)"]
ANONYMOUS_LIMIT = 100  # [documented: pulls.md, per IPv4 address or IPv6 /64]
PERSONAL_LIMIT = 200  # [documented: pulls.md, Personal (authenticated)]
Reading = Literal["pulls.md", "hub-api.md"]
READINGS: dict[str, tuple[int, int, int]] = {
    # (window seconds, anonymous limit, personal limit)
    "pulls.md": (WINDOW, ANONYMOUS_LIMIT, PERSONAL_LIMIT),
    # [documented: ../shared/docs/hub-api.md, "Errors and limits": "anonymous 10/hour per IP, personal 100/hour"]
    "hub-api.md": (3600, 10, 100),
}
"""The two documents disagree on the pull limits and their window; hub-mcp reads the numbers from the headers,
so the tests run under both (``reading``)."""
TOKEN_LIFETIME = 300  # [assumed]
PULL_LIMIT_BODY = (  # [documented: pulls.md]
    "You have reached your pull rate limit. You may increase the limit by authenticating and upgrading:"
    " https://www.docker.com/increase-rate-limits"
)
_MANIFEST = re.compile(r"^/v2/(?P<name>.+)/manifests/(?P<reference>[^/]+)$")
_NAME = re.compile(r"^/v2/(?P<name>.+)/(?:manifests|blobs|tags)/")
_FORWARDED = ("content-type", "docker-content-digest", "docker-distribution-api-version", "etag", "location", "link")

Style = Literal["documented", "bare", "none"]


@dataclass(frozen=True)
class FrontRequest:
    method: str
    path: str
    who: str  # "ip:<address>" or the user name; "-" without a valid token


class RateLimitFront:
    """See the module docstring."""

    def __init__(
        self,
        registry_url: str,
        *,
        users: Mapping[str, str] | None = None,
        paid: frozenset[str] = frozenset(),
        style: Style = "documented",
        reading: Reading = "pulls.md",
    ) -> None:
        self.registry_url = registry_url.rstrip("/")
        self.users = dict(users or {})
        self.paid = paid
        self.style: Style = style
        self.window, self.anonymous_limit, self.personal_limit = READINGS[reading]
        self.override: dict[str, str | None] = {}
        self.requests: list[FrontRequest] = []
        self.tokens_issued: list[str | None] = []  # the user each token was issued to (None: anonymous)
        self._tokens: dict[str, str | None] = {}
        self._used: dict[str, int] = {}
        self._limits: dict[str, int] = {}
        self._account_ids: dict[str, str] = {}
        self.app = Starlette(routes=[Route("/{path:path}", self._handle, methods=["GET", "HEAD"])])

    # --- test controls ------------------------------------------------------------------------

    def set_remaining(self, who: str, remaining: int) -> None:
        """Leave ``remaining`` pulls to ``who`` (``"ip:127.0.0.1"`` or a user name) in this window."""
        self._used[who] = self._limit(who) - remaining

    def remaining(self, who: str) -> int:
        return self._limit(who) - self._used.get(who, 0)

    def pulls(self, who: str) -> int:
        """Pulls counted for ``who`` (manifest GETs) in this window."""
        return self._used.get(who, 0)

    def account_id(self, user: str) -> str:
        return self._account_ids.setdefault(user, str(uuid.uuid5(uuid.NAMESPACE_DNS, f"{user}.fake-hub")))

    def _limit(self, who: str) -> int:
        return self._limits.get(who, self.anonymous_limit if who.startswith("ip:") else self.personal_limit)

    # --- the token service ----------------------------------------------------------------------

    async def _handle(self, request: Request) -> Response:
        if request.url.hostname == TOKEN_HOST:
            return self._token(request)
        return await self._registry(request)

    def _token(self, request: Request) -> Response:
        user: str | None = None
        header = request.headers.get("authorization", "")
        if header.lower().startswith("basic "):
            try:
                name, _, secret = base64.b64decode(header[6:]).decode().partition(":")
            except ValueError:
                return JSONResponse({"details": "incorrect username or password"}, 401)
            if self.users.get(name) != secret:
                return JSONResponse({"details": "incorrect username or password"}, 401)  # [assumed]
            user = name
        token = secrets.token_urlsafe(24)
        self._tokens[token] = user
        self.tokens_issued.append(user)
        return JSONResponse({"token": token, "access_token": token, "expires_in": TOKEN_LIFETIME})

    # --- the registry -----------------------------------------------------------------------------

    async def _registry(self, request: Request) -> Response:
        path = request.url.path
        header = request.headers.get("authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else None
        if token is None or token not in self._tokens:
            self.requests.append(FrontRequest(request.method, path, "-"))
            named = _NAME.match(path)
            scope = f',scope="repository:{named.group("name")}:pull"' if named else ""
            challenge = f'Bearer realm="https://{TOKEN_HOST}/token",service="{SERVICE}"{scope}'
            body = b'{"errors":[{"code":"UNAUTHORIZED","message":"authentication required","detail":null}]}'
            return Response(body if request.method != "HEAD" else b"", 401, headers={"WWW-Authenticate": challenge})
        user = self._tokens[token]
        who = user if user is not None else f"ip:{request.client.host if request.client else '0.0.0.0'}"
        self.requests.append(FrontRequest(request.method, path, who))
        manifest = _MANIFEST.match(path) is not None
        counted = manifest and request.method == "GET" and user not in self.paid
        if counted and self.remaining(who) <= 0:
            return Response(PULL_LIMIT_BODY, 429, headers=self._limit_headers(who, user))
        upstream = await self._forward(request)
        if counted and upstream.status_code == 200:
            self._used[who] = self._used.get(who, 0) + 1
        headers = {name: upstream.headers[name] for name in _FORWARDED if name in upstream.headers}
        if manifest:
            headers.update(self._limit_headers(who, user))
        body = b"" if request.method == "HEAD" else upstream.content
        response = Response(body, upstream.status_code, headers=headers)
        if request.method == "HEAD" and "content-length" in upstream.headers:
            response.headers["content-length"] = upstream.headers["content-length"]
        return response

    async def _forward(self, request: Request) -> httpx.Response:
        accept = request.headers.get("accept")
        async with httpx.AsyncClient(timeout=30.0) as client:
            return await client.request(
                request.method,
                f"{self.registry_url}{request.url.path}",
                params=request.query_params.multi_items(),
                headers={"Accept": accept} if accept else None,
            )

    def _limit_headers(self, who: str, user: str | None) -> dict[str, str]:
        if self.style == "none" or (user is not None and user in self.paid):
            headers: dict[str, str] = {}
        else:
            window = f";w={self.window}" if self.style == "documented" else ""
            source = who[3:] if who.startswith("ip:") else self.account_id(who)
            headers = {
                "ratelimit-limit": f"{self._limit(who)}{window}",
                "ratelimit-remaining": f"{max(0, self.remaining(who))}{window}",
                "docker-ratelimit-source": source,
            }
        for name, value in self.override.items():
            if value is None:
                headers.pop(name, None)
            else:
                headers[name] = value
        return headers
