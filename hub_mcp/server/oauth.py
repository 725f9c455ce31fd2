"""The HTTP service as an OAuth resource server (MCP authorization; RFC 9728, RFC 6750), with the SDK's parts.

With ``HUB_MCP_OAUTH_ISSUER`` (and ``HUB_MCP_OAUTH_AUDIENCE``) set, :func:`hub_mcp.server.http_app.build_http_app`
puts :class:`OAuthGate` in front instead of the static-token gate:

- ``GET /.well-known/oauth-protected-resource/mcp`` (RFC 9728, section 3.1: the well-known part put before
  the resource's path) and, for clients that try the root first, ``/.well-known/oauth-protected-resource``
  serve the protected-resource metadata: this server's resource URL, the issuer as its authorization server,
  the scopes. Served by the SDK's handler (``create_protected_resource_routes``), without a token.
- Every other request but ``/health`` goes through the SDK's ``BearerAuthBackend`` with
  :class:`JwtTokenVerifier` (the SDK's ``TokenVerifier`` protocol, over
  :class:`hub_mcp.auth.tokens.TokenValidator`), then the SDK's ``RequireAuthMiddleware`` with the required
  scope (``HUB_MCP_OAUTH_SCOPE``): a token without the scope is 403 (the SDK's answer, ``error=
  "insufficient_scope"``).
- A refused token (not a JWT, ``alg`` none or HMAC, an unknown ``kid``, a bad signature, expired, for another
  issuer or audience) is 401 with ``WWW-Authenticate: Bearer error="invalid_token", error_description="<why>",
  resource_metadata="<the metadata URL>"`` and the same in a JSON body, answered here: the SDK's middleware
  would say only "Authentication required". The reason is :class:`TokenRejected`'s, which
  :class:`JwtTokenVerifier` leaves in :data:`REFUSAL` (a ``ContextVar``: the SDK's ``TokenVerifier`` can only
  answer None). A reason can hold text from the token (its ``kid``), so it is cut to what RFC 6750, section
  3, allows in ``error_description`` (``%x20-21 / %x23-5B / %x5D-7E``: printable ASCII without ``"`` and
  a backslash; the rest is dropped) and to :data:`DESCRIPTION_CHARS` characters; it never holds the token. A
  refused token is logged at INFO with the reason (never the token).
- A request without a bearer token (no ``Authorization``, or another scheme) is 401 with only
  ``WWW-Authenticate: Bearer resource_metadata="..."``: RFC 6750, section 3.1, says a request that lacks
  authentication gets no error code (the SDK's middleware would say ``error="invalid_token"``).
- When the issuer's signing keys cannot be fetched (the issuer unreachable, answering 5xx), a request with a
  token is 503 with ``Retry-After`` and one sentence saying so: the token may be fine, so it is neither
  refused nor served. :class:`hub_mcp.auth.keys.IssuerKeys` logs why. The SDK's ``TokenVerifier`` can only
  say valid or not (``None``), so :class:`JwtTokenVerifier` lets :class:`KeysUnavailable` through the SDK's
  backend to :class:`OAuthGate`, which answers.
- The ``Authorization`` header is removed once checked, as with the static token, and the
  ``AccessToken`` kept for the request holds a SHA-256 digest, not the token: nothing below can pass a
  client's token on. Docker Hub only ever sees the server's own credentials.
- Tools that change Docker Hub also need ``HUB_MCP_OAUTH_WRITE_SCOPE``: :func:`write_refusal`, which
  :class:`hub_mcp.server.tool_calls.ToolCallServer` asks before running a write tool.
"""

from __future__ import annotations

import hashlib
import logging
from contextvars import ContextVar
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from mcp.server.auth.middleware.auth_context import auth_context_var, get_access_token
from mcp.server.auth.middleware.bearer_auth import AuthenticatedUser, BearerAuthBackend, RequireAuthMiddleware
from mcp.server.auth.provider import AccessToken
from mcp.server.auth.routes import build_resource_metadata_url, create_protected_resource_routes
from mcp.server.auth.settings import AuthSettings

from hub_mcp.auth.keys import KeysUnavailable
from hub_mcp.auth.tokens import LEEWAY, TokenRejected, TokenValidator
from hub_mcp.config.settings import Settings

if TYPE_CHECKING:
    from starlette.types import ASGIApp, Receive, Scope, Send

log = logging.getLogger("hub_mcp.server.oauth")

ROOT_METADATA_PATH = "/.well-known/oauth-protected-resource"
DESCRIPTION_CHARS = 200
"""The most characters of a refusal's ``error_description``."""
QUOTABLE = frozenset(chr(code) for code in range(0x20, 0x7F)) - {'"', "\\"}
"""What RFC 6750, section 3, allows in ``error_description``: %x20-21 / %x23-5B / %x5D-7E."""
REFUSAL: ContextVar[str | None] = ContextVar("hub_mcp_oauth_refusal", default=None)
"""Why :class:`JwtTokenVerifier` refused the token of the request being checked (None: it did not)."""
ISSUER_UNREACHABLE = (
    "The identity provider that issues this server's access tokens could not be reached to check yours (its"
    " signing keys are unavailable), so the request was not served: retry in a few seconds, and tell the"
    " server's operator if it lasts."
)


class JwtTokenVerifier:
    """The SDK's ``TokenVerifier``: a JWT access token checked by :class:`TokenValidator`, or None. Raises
    :class:`KeysUnavailable` when the issuer's keys cannot be had (:class:`OAuthGate` answers 503)."""

    def __init__(self, validator: TokenValidator) -> None:
        self.validator = validator

    async def verify_token(self, token: str) -> AccessToken | None:
        try:
            claims = await self.validator.validate(token)
        except TokenRejected as exc:
            log.info("refused an OAuth access token: %s", exc)
            REFUSAL.set(str(exc))  # the awaiting OAuthGate reads it: the same context
            return None
        return AccessToken(
            token="sha256:" + hashlib.sha256(token.encode()).hexdigest(),  # never the token itself
            client_id=claims.client_id,
            scopes=list(claims.scopes),
            # The SDK's backend refuses a token past this time: the clock skew the validator allows on exp
            # (LEEWAY) is allowed here too, or a token accepted by the checks would be refused after them.
            expires_at=claims.expires_at + LEEWAY if claims.expires_at is not None else None,
            resource=self.validator.audience,
            subject=claims.subject,
            claims={"iss": claims.issuer},
        )


def error_description(reason: str, token: str) -> str:
    """``reason`` fit for ``error_description="..."`` (:data:`QUOTABLE` characters only, the others dropped;
    at most :data:`DESCRIPTION_CHARS`), without ``token`` or any long part of it, should a reason hold one."""
    for part in (token, *token.split(".")):
        if len(part) >= 16:
            reason = reason.replace(part, "<token>")
    return "".join(ch for ch in reason if ch in QUOTABLE)[:DESCRIPTION_CHARS].strip()


def auth_settings(settings: Settings) -> AuthSettings:
    """The SDK's resource-server settings for ours. Its URLs keep their exact spelling (no slash added to a
    path-less issuer: RFC 8414 compares issuers as strings). ``validate_token_resource`` is off because
    :class:`TokenValidator` checks ``aud`` itself, against HUB_MCP_OAUTH_AUDIENCE."""
    assert settings.oauth_issuer and settings.resource_url
    return AuthSettings.model_validate(
        {
            "issuer_url": settings.oauth_issuer,
            "resource_server_url": settings.resource_url,
            "required_scopes": [settings.oauth_scope],
            "validate_token_resource": False,
        }
    )


class OAuthGate:
    """ASGI middleware: the metadata document, and a valid access token with the required scope for the rest."""

    def __init__(
        self,
        app: ASGIApp,
        settings: Settings,
        open_paths: frozenset[str] = frozenset(),
        validator: TokenValidator | None = None,
    ) -> None:
        """``open_paths``: served without a token (``/health``)."""
        assert settings.oauth_issuer and settings.oauth_audience and settings.resource_url
        self.app = app
        self.validator = validator or TokenValidator(settings.oauth_issuer, settings.oauth_audience)
        self.auth = auth_settings(settings)
        assert self.auth.resource_server_url is not None
        self.metadata_url = build_resource_metadata_url(self.auth.resource_server_url)
        (self._metadata,) = create_protected_resource_routes(
            resource_url=self.auth.resource_server_url,
            authorization_servers=[self.auth.issuer_url],
            scopes_supported=list(dict.fromkeys([settings.oauth_scope, settings.oauth_write_scope])),
            resource_name="hub-mcp (Docker Hub)",
        )
        self.metadata_paths = frozenset({urlsplit(str(self.metadata_url)).path, ROOT_METADATA_PATH})
        self.open_paths = open_paths
        self._backend = BearerAuthBackend(JwtTokenVerifier(self.validator))
        self._require = RequireAuthMiddleware(app, self.auth.required_scopes or [], self.metadata_url)
        self._ask_for_a_token = (
            f"This server needs an OAuth access token from {settings.oauth_issuer}, sent as Authorization: Bearer"
            f" <token>; {self.metadata_url} says which scopes to ask for."
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "lifespan":
            try:
                await self.app(scope, receive, send)
            finally:
                await self.validator.aclose()
            return
        if scope["type"] not in ("http", "websocket") or scope.get("path") in self.open_paths:
            await self.app(scope, receive, send)
            return
        if scope.get("path") in self.metadata_paths:
            await self._metadata.handle(scope, receive, send)
            return
        from starlette.requests import HTTPConnection
        from starlette.responses import JSONResponse

        headers = scope.get("headers") or []
        authorization = next((value for key, value in headers if key.lower() == b"authorization"), b"")
        if not authorization.lower().startswith(b"bearer "):  # as the SDK's backend reads it
            await JSONResponse(
                {"error_description": self._ask_for_a_token},
                401,
                headers={"WWW-Authenticate": f'Bearer resource_metadata="{self.metadata_url}"'},
            )(scope, receive, send)
            return
        noted = REFUSAL.set(None)
        try:
            result = await self._backend.authenticate(HTTPConnection(scope))
            refusal = REFUSAL.get()
        except KeysUnavailable:  # logged by IssuerKeys, with the reason
            error = {"code": -32000, "message": ISSUER_UNREACHABLE}
            await JSONResponse(
                {"jsonrpc": "2.0", "id": None, "error": error},
                503,
                headers={"Retry-After": str(self.validator.keys.retry_after())},
            )(scope, receive, send)
            return
        finally:
            REFUSAL.reset(noted)
        if result is None:
            # Refused by JwtTokenVerifier (its reason), or by the SDK's backend, which also refuses a token
            # past its exp that the validator's clock-skew leeway let through.
            reason = refusal or "the token has expired"
            description = error_description(reason, authorization[7:].decode("latin-1").strip())
            challenge = (
                f'Bearer error="invalid_token", error_description="{description}",'
                f' resource_metadata="{self.metadata_url}"'
            )
            await JSONResponse(
                {"error": "invalid_token", "error_description": description},
                401,
                headers={"WWW-Authenticate": challenge},
            )(scope, receive, send)
            return
        kept = [(key, value) for key, value in headers if key.lower() != b"authorization"]
        credentials, user = result
        checked = {**scope, "headers": kept, "auth": credentials, "user": user}
        marker = auth_context_var.set(user if isinstance(user, AuthenticatedUser) else None)
        try:
            await self._require(checked, receive, send)
        finally:
            auth_context_var.reset(marker)


def caller_scopes(context: Any) -> list[str] | None:
    """The scopes of the OAuth token behind a tool call: from the HTTP request the call came in (its
    ``user``, set by :class:`OAuthGate`), else the SDK's auth context; None when there is no OAuth token."""
    try:
        request = context.request_context.request
    except (AttributeError, ValueError):
        request = None
    user = (getattr(request, "scope", None) or {}).get("user")
    if isinstance(user, AuthenticatedUser):
        return list(user.scopes)
    token = get_access_token()
    return list(token.scopes) if token is not None else None


def write_refusal(tool: str, write_scope: str, scopes: list[str] | None) -> str | None:
    """The sentence a write tool's call gets when the caller's token lacks ``write_scope`` (no token at all,
    where OAuth is on, is refused too); None when the call may go on."""
    if scopes is not None and write_scope in scopes:
        return None
    return (
        f"{tool} changes Docker Hub, which needs the OAuth scope {write_scope!r}, and the access token this"
        f" call came with does not have it, so nothing was changed: ask your identity provider for a token"
        f" with the {write_scope} scope (the server's HUB_MCP_OAUTH_WRITE_SCOPE), or use read-only tools."
    )
