"""Docker Hub login: a personal (or organization) access token exchanged for a JWT.

``POST /v2/auth/token {"identifier", "secret"}`` is the current endpoint; when a Hub-compatible
server does not have it (404/405) we fall back to the deprecated ``POST /v2/users/login``.
The JWT is kept until shortly before its ``exp`` and dropped after a 401 so the next request
logs in again. The token value never appears in a message or a log line.

Credentials that Docker Hub rejects (a placeholder left in a config file, an expired or
revoked token) must not break public reads: the rejection is remembered for
``REJECTION_RETRY`` seconds, requests go out anonymously meanwhile, and :attr:`HubAuth.notice`
says what happened and how to fix it so that answers can carry it.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import time
from typing import Any

from hub_mcp.errors import Unauthorized, Upstream
from hub_mcp.http import HttpClient

log = logging.getLogger("hub_mcp.hub.auth")

REFRESH_MARGIN = 60.0  # seconds before exp at which a token counts as expired
DEFAULT_LIFETIME = 600.0  # Hub documents 10 minutes; used when a JWT has no readable exp
REJECTION_RETRY = 600.0  # after a rejected login, read anonymously this long before trying again


def jwt_claims(token: str) -> dict[str, Any]:
    """The payload of a JWT, without verifying it (we only read ``exp`` and the username)."""
    try:
        payload = token.split(".")[1]
        payload += "=" * (-len(payload) % 4)
        claims = json.loads(base64.urlsafe_b64decode(payload))
        return claims if isinstance(claims, dict) else {}
    except (IndexError, ValueError):
        return {}


class HubAuth:
    """Holds the Hub JWT for one set of credentials; anonymous when there are none."""

    def __init__(self, http: HttpClient, hub_url: str, username: str | None, secret: str | None) -> None:
        self._http = http
        self._hub_url = hub_url
        self._username = username
        self._secret = secret
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = asyncio.Lock()
        self._rejected_until = 0.0
        self.rejected: str | None = None  # why the credentials were refused, while they are
        self.logins = 0

    @property
    def enabled(self) -> bool:
        return bool(self._username and self._secret)

    @property
    def cache_identity(self) -> str:
        """Who the answers are for: cached answers of one identity are not served to another."""
        return self._username if self.enabled and not self.rejected else ""

    @property
    def notice(self) -> str | None:
        """A sentence for answers given anonymously because the credentials were rejected."""
        if not self.rejected:
            return None
        return (
            f"Docker Hub rejected the configured credentials ({self.rejected}), so this was answered anonymously:"
            " public data only. To fix it, put a valid personal access token (dckr_pat_...) for HUB_USERNAME in"
            " HUB_PAT_TOKEN and restart the server, or remove both to read anonymously without this note."
        )

    @property
    def username(self) -> str | None:
        return self._username

    @property
    def organization_token(self) -> bool:
        """The secret is an organization access token (``dckr_oat_...``): it acts for the organization
        named by the identifier [documented: hub-api.md, Authentication]."""
        return bool(self._secret and self._secret.startswith("dckr_oat_"))

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
            self._rejected_until = time.monotonic() + REJECTION_RETRY
            log.warning("Docker Hub rejected the configured credentials; reading anonymously")
            return {}
        self.rejected = None
        return {"Authorization": f"Bearer {token}"}

    def invalidate(self) -> None:
        """Forget the token (after a 401) so the next request logs in again."""
        self._token = None
        self._expires_at = 0.0

    async def _valid_token(self) -> str:
        async with self._lock:
            if self._token is None or time.time() >= self._expires_at - REFRESH_MARGIN:
                self._token = await self._login()
                exp = jwt_claims(self._token).get("exp")
                self._expires_at = float(exp) if isinstance(exp, int | float) else time.time() + DEFAULT_LIFETIME
            return self._token

    async def _login(self) -> str:
        self.logins += 1
        response = await self._http.send(
            "POST",
            f"{self._hub_url}/v2/auth/token",
            json_body={"identifier": self._username, "secret": self._secret},
        )
        if response.status in (404, 405):
            log.info("POST /v2/auth/token unavailable (%s); falling back to /v2/users/login", response.status)
            response = await self._http.send(
                "POST",
                f"{self._hub_url}/v2/users/login",
                json_body={"username": self._username, "password": self._secret},
            )
        data = response.data if isinstance(response.data, dict) else {}
        if "login_2fa_token" in data:
            raise Unauthorized(
                f"The account {self._username!r} has two-factor authentication: use a personal access token"
                " (dckr_pat_...) in HUB_PAT_TOKEN instead of a password.",
                reason=f"{self._username!r} has two-factor authentication and HUB_PAT_TOKEN is not an access token",
            )
        if response.status in (401, 403):
            raise Unauthorized(
                f"Docker Hub rejected the credentials for {self._username!r} (HUB_USERNAME / HUB_PAT_TOKEN)."
                " Check that the access token is valid, not expired, and belongs to that user or organization.",
                reason=f"login as {self._username!r} refused with HTTP {response.status}",
            )
        token = data.get("access_token") or data.get("token")
        if not response.ok or not isinstance(token, str) or not token:
            raise Upstream(f"Docker Hub login failed (HTTP {response.status}); try again shortly.", response.status)
        return token
