"""Docker Hub login: a personal (or organization) access token exchanged for a JWT.

``POST /v2/auth/token {"identifier", "secret"}`` is the current endpoint for access tokens
(``dckr_pat_``, ``dckr_oat_``); when a Hub-compatible server does not have it (404/405) we fall
back to the deprecated ``POST /v2/users/login``, which is also the way a password (a secret
without those prefixes, e.g. left by ``docker login`` in the docker config) logs in. An account
with two-factor authentication answers that with ``login_2fa_token``: a password cannot work
there, and the message says to use an access token.
The JWT is kept until :data:`REFRESH_MARGIN` seconds before its ``exp`` and dropped after a 401 so
the next request logs in again. The token value never appears in a message or a log line.

Credentials that Docker Hub rejects (a mistyped, an expired or
revoked token) must not break public reads: the rejection is remembered for
``REJECTION_RETRY`` seconds, requests go out anonymously meanwhile, and :attr:`HubAuth.notice`
says what happened and how to fix it so that answers can carry it.
"""

from __future__ import annotations

import asyncio
import base64
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Literal

from hub_mcp.errors import Unauthorized, Upstream
from hub_mcp.net import jsontext
from hub_mcp.net.http import HttpClient, plausible_time

if TYPE_CHECKING:
    from hub_mcp.config.credentials import Login

log = logging.getLogger("hub_mcp.hub.auth")

REFRESH_MARGIN = 60.0  # seconds before exp at which a token counts as expired
DEFAULT_LIFETIME = 600.0  # Hub documents 10 minutes; used when a JWT has no readable exp
MAX_LIFETIME = 3600.0  # a JWT is kept at most this long, whatever its exp says: logging in again is cheap
REJECTION_RETRY = 600.0  # after a rejected login, read anonymously this long before trying again


ENV_SOURCE = "HUB_USERNAME / HUB_PAT_TOKEN"
ENV_FIX = "put a valid access token for HUB_USERNAME in HUB_PAT_TOKEN and restart the server"
TOKEN_PAGE = "https://app.docker.com/settings/personal-access-tokens"
CredentialKind = Literal["pat", "oat", "jwt", "password", "none"]


def credential_kind(secret: str | None) -> CredentialKind:
    """What a secret is: a personal or organization access token (by Docker's prefixes), a Docker Hub
    JWT (what a web-based ``docker login`` saves: see credential_sources), else a password."""
    if not secret:
        return "none"
    if secret.startswith("dckr_pat_"):
        return "pat"
    if secret.startswith("dckr_oat_"):
        return "oat"
    if secret.count(".") == 2 and isinstance(jwt_claims(secret).get("exp"), int | float):
        return "jwt"
    return "password"


@dataclass(frozen=True)
class AuthStatus:
    """What a write needs to know about the Docker Hub login, before it tries.

    ``usable``: credentials are configured and Docker Hub has not rejected them (a login is tried
    when none was yet). ``namespace``: the personal namespace from the JWT claim (for an
    organization access token, the organization). ``reason``: when not usable, a sentence that
    says why and how to fix it. ``source``: where the credentials came from (never the secret).
    """

    usable: bool
    kind: CredentialKind
    username: str | None
    namespace: str | None
    source: str | None
    reason: str | None


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, without verifying it (we only read ``exp`` and the username)."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = jsontext.loads(base64.urlsafe_b64decode(payload))
        return claims if isinstance(claims, dict) else {}
    except (IndexError, ValueError):
        return {}


def jwt_expiry(token: str) -> float | None:
    """A JWT's ``exp`` as unix time; ``None`` when it has none or an absurd one (see :func:`plausible_time`)."""
    return plausible_time(jwt_claims(token).get("exp"))


def kept_until(token: str, now: float) -> float:
    """When to log in again for a token from Docker Hub's login: its ``exp``, at most :data:`MAX_LIFETIME`
    on; after :data:`DEFAULT_LIFETIME` when it has no exp or an absurd one (see :func:`jwt_expiry`)."""
    exp = jwt_expiry(token)
    return now + DEFAULT_LIFETIME if exp is None else min(exp, now + MAX_LIFETIME)


class HubAuth:
    """Holds the Hub JWT for one set of credentials; anonymous when there are none.

    ``source`` names where the credentials came from and ``fix`` how to replace them (both from
    :class:`hub_mcp.config.credentials.Login`); ``clock`` is unix time, injectable so that tests
    can move it with the fake Hub's.
    """

    def __init__(
        self,
        http: HttpClient,
        hub_url: str,
        username: str | None,
        secret: str | None,
        *,
        source: str = ENV_SOURCE,
        fix: str = ENV_FIX,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._http = http
        self._hub_url = hub_url
        self._username = username
        self._secret = secret
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self._rejected_until = 0.0
        self._clock = clock
        self.source = source
        self.fix = fix
        self.kind: CredentialKind = credential_kind(secret) if username else "none"
        self.rejected: str | None = None  # why the credentials were refused, while they are
        self._refusal: str | None = None  # the whole sentence for that, with the fix
        self._jwt_refused = False  # a saved JWT (kind "jwt") that Hub answered 401: it cannot be renewed here
        self.logins = 0

    @classmethod
    def for_login(
        cls, http: HttpClient, hub_url: str, login: Login | None, *, clock: Callable[[], float] = time.time
    ) -> HubAuth:
        """Auth for a resolved login (environment or docker config), anonymous for None."""
        if login is None:
            return cls(http, hub_url, None, None, clock=clock)
        return cls(
            http, hub_url, login.username, login.secret.get_secret_value(), source=login.source, fix=login.fix, clock=clock
        )

    @property
    def enabled(self) -> bool:
        return bool(self._username and self._secret)

    @property
    def cache_identity(self) -> str:
        """Who the answers are for: cached answers of one identity are not served to another."""
        return (self._username or "") if self.enabled and not self.rejected else ""

    @property
    def notice(self) -> str | None:
        """A sentence for answers given anonymously because the credentials were rejected."""
        if not self.rejected:
            return None
        return (
            f"{self._refusal or 'Docker Hub rejected the configured credentials.'} Meanwhile this was answered"
            " anonymously: public data only (remove the credentials to read anonymously without this note)."
        )

    @property
    def username(self) -> str | None:
        return self._username

    @property
    def organization_token(self) -> bool:
        """The secret is an organization access token (``dckr_oat_...``): it acts for the organization
        named by the identifier [documented: hub-api.md, Authentication]."""
        return self.kind == "oat"

    @property
    def namespace(self) -> str | None:
        """The personal namespace: the JWT claim ``"https://hub.docker.com": {"username"}`` when a
        token is held, else the configured identifier (an organization's name for an OAT)."""
        if self._token:
            claim = jwt_claims(self._token).get("https://hub.docker.com")
            name = claim.get("username") if isinstance(claim, dict) else None
            if isinstance(name, str) and name:
                return name
        return self._username if self.enabled else None

    async def status(self) -> AuthStatus:
        """Whether the credentials can be used for a write, logging in first if needed."""
        if not self.enabled:
            return AuthStatus(
                usable=False,
                kind="none",
                username=None,
                namespace=None,
                source=None,
                reason=(
                    "No Docker Hub credentials are configured: set HUB_USERNAME and HUB_PAT_TOKEN (an access token"
                    " with write scope), or run `docker login`, then restart the server."
                ),
            )
        await self.headers()
        return AuthStatus(
            usable=not self.rejected,
            kind=self.kind,
            username=self._username,
            namespace=self.namespace,
            source=self.source,
            reason=self._refusal if self.rejected else None,
        )

    async def headers(self) -> dict[str, str]:
        """The Authorization header to send, logging in first when needed."""
        if not self.enabled:
            return {}
        if self.rejected and time.monotonic() < self._rejected_until:
            return {}
        try:
            token = await self._valid_token()
        except Unauthorized as exc:
            self.rejected = exc.reason
            self._refusal = exc.message
            self._rejected_until = time.monotonic() + REJECTION_RETRY
            log.warning("Docker Hub rejected the credentials from %s; reading anonymously", self.source)
            return {}
        self.rejected = None
        self._refusal = None
        return {"Authorization": f"Bearer {token}"}

    def invalidate(self) -> None:
        """Forget the token (after a 401) so the next request logs in again."""
        self._token = None
        self._expires_at = 0.0
        if self.kind == "jwt":
            self._jwt_refused = True

    async def _valid_token(self) -> str:
        if self.kind == "jwt":
            return self._saved_jwt()
        async with self._lock:
            if self._token is None or self._clock() >= self._expires_at - REFRESH_MARGIN:
                self._token = await self._login()
                self._expires_at = kept_until(self._token, self._clock())
            return self._token

    async def _login(self) -> str:
        self.logins += 1
        if self.kind == "password":  # /v2/auth/token takes access tokens; a password logs in the old way
            response = await self._legacy_login()
        else:
            response = await self._http.send(
                "POST",
                f"{self._hub_url}/v2/auth/token",
                json_body={"identifier": self._username, "secret": self._secret},
            )
            if response.status in (404, 405):
                log.info("POST /v2/auth/token unavailable (%s); falling back to /v2/users/login", response.status)
                response = await self._legacy_login()
        data = response.data if isinstance(response.data, dict) else {}
        if "login_2fa_token" in data:
            raise Unauthorized(
                f"Docker Hub refused the login of {self._username!r} ({self.source}): the account has two-factor"
                " authentication, so a password cannot log in. Create a personal access token (dckr_pat_...) at"
                f" {TOKEN_PAGE} and use it instead: {self.fix}.",
                reason=f"{self._username!r} has two-factor authentication and the secret is a password, not a token",
            )
        if response.status in (401, 403):
            raise Unauthorized(self._rejection(response.status), reason=self._rejection_reason(response.status))
        token = data.get("access_token") or data.get("token")
        if not response.ok or not isinstance(token, str) or not token:
            raise Upstream(f"Docker Hub login failed (HTTP {response.status}); try again shortly.", response.status)
        return token

    def _saved_jwt(self) -> str:
        """A JWT saved by a web-based ``docker login`` is the token itself: used until its ``exp``. It
        is renewed by Docker's own login service, which this server does not speak, so an expired or
        refused one is a rejection that says to log in again."""
        assert self._secret is not None
        exp = jwt_expiry(self._secret)  # None (absurd): used until Hub refuses it, which says to log in again
        if exp is not None and self._clock() >= exp:
            when = time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime(exp))
            raise Unauthorized(
                f"The Docker Hub login of {self._username!r} that `docker login` saved ({self.source}) expired at"
                f" {when}, and this server cannot renew it: {self.fix}.",
                reason=f"the saved Docker Hub login of {self._username!r} expired at {when}",
            )
        if self._jwt_refused:
            raise Unauthorized(
                f"Docker Hub refused the login of {self._username!r} that `docker login` saved ({self.source}):"
                f" {self.fix}.",
                reason=f"the saved Docker Hub login of {self._username!r} was refused",
            )
        self._token = self._secret
        return self._secret

    async def _legacy_login(self) -> Any:
        return await self._http.send(
            "POST",
            f"{self._hub_url}/v2/users/login",
            json_body={"username": self._username, "password": self._secret},
        )

    def _rejection_reason(self, status: int) -> str:
        return f"login as {self._username!r} refused with HTTP {status}"

    def _rejection(self, status: int) -> str:
        """The sentence for a refused login: what was refused, the likely causes for this kind, the fix."""
        who = f"{self._username!r} ({self.source})"
        if self.kind == "oat":
            return (
                f"Docker Hub rejected the organization access token for {who} (HTTP {status}). An organization"
                " token logs in with the organization's name as the user, not a person's Docker ID; otherwise the"
                f" token is expired or revoked. Fix: set the user (HUB_USERNAME) to the organization's name, or"
                f" {self.fix}."
            )
        if self.kind == "password":
            return (
                f"Docker Hub rejected the password for {who} (HTTP {status}): it is wrong, or the account needs"
                f" an access token (two-factor authentication, or single sign-on). Create a personal access token"
                f" at {TOKEN_PAGE}; then {self.fix}."
            )
        return (
            f"Docker Hub rejected the access token for {who} (HTTP {status}): it is expired, revoked, mistyped, or"
            f" belongs to another user. Create a new one at {TOKEN_PAGE}; then {self.fix}."
        )
