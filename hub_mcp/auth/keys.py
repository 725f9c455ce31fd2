"""The issuer's signing keys: discovered, fetched through :class:`hub_mcp.net.http.HttpClient`, cached.

- Discovery: ``<issuer>/.well-known/openid-configuration`` (OpenID Connect Discovery 1.0, section 4),
  then ``<origin>/.well-known/oauth-authorization-server<issuer path>`` (RFC 8414, section 3). The
  document's ``issuer`` must be the configured one, exactly (RFC 8414, section 3.3); its ``jwks_uri``
  is where the keys are (RFC 7517 JWK Set).
- The keys are kept for :data:`KEYS_TTL` seconds. A token naming a ``kid`` not in the set makes one
  fresh fetch (the issuer rotated its keys), at most once per :data:`REFETCH_AFTER` seconds, so a flood
  of tokens with made-up ``kid`` values costs the issuer one request, not one each.
- One fetch (the discovery document, trying both URLs, then the JWK Set) has a total deadline,
  :data:`FETCH_DEADLINE` (5 s); each request in it :data:`REQUEST_TIMEOUT` (2 s) and one retry. An issuer
  that accepts connections and never answers costs a request with a token 5 s, not each request's timeout
  times its attempts times the discovery URLs (40 s before).
- A fetch that fails (the issuer unreachable, hanging, answering 5xx, or not serving its documents) raises
  :class:`KeysUnavailable` (a short reason: which URL, what went wrong; never a token). It is logged once
  per outage: a WARNING for the first failure after keys were last fetched (or since start), DEBUG for the
  outage's later failures, and one INFO when the issuer answers again. For :data:`RETRY_AFTER_FAILURE`
  seconds after it, a fetch it would take raises the same again without asking the issuer, so a flood of
  requests while the issuer is down costs it one attempt per interval, and each request its answer at once
  (those that waited for the failed fetch too: they wait on one lock, then find the failure). That says
  nothing about a token: the HTTP layer answers 503, not 401.
- Only signing keys of the asymmetric types are kept (``kty`` RSA, EC, OKP; ``use`` absent or ``sig``),
  at most :data:`MAX_KEYS`; a symmetric (``oct``) key in a JWK Set is ignored: a public document cannot
  hold a secret.
- Every fetch goes through the egress policy and is read up to the body limit for JSON. The issuer's
  host is allowed as configured (a loopback or private issuer too); a ``jwks_uri`` on another host must
  be a public one, as for any host an answer leads to.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from jwt import PyJWK
from jwt.exceptions import PyJWTError

from hub_mcp.errors import HubMCPError, RateLimited, TooLarge, Unreachable, Upstream, clause
from hub_mcp.net.egress import EgressPolicy
from hub_mcp.net.http import HttpClient, SendOptions

log = logging.getLogger("hub_mcp.auth")

KEYS_TTL = 600.0
"""Seconds a fetched key set (and the discovery document) is used before it is fetched again."""
REFETCH_AFTER = 30.0
"""Fewest seconds between two fetches caused by an unknown ``kid``."""
RETRY_AFTER_FAILURE = 5.0
"""Seconds after a failed fetch during which the failure is answered again without asking the issuer."""
FETCH_DEADLINE = 5.0
"""The most seconds one fetch of the keys (discovery and JWK Set, every request and retry in it) takes."""
REQUEST_TIMEOUT = 2.0
"""The most seconds one request to the issuer takes (an identity provider answers these in well under 1 s)."""
MAX_KEYS = 32
"""The most keys taken from one JWK Set (issuers publish 2 to 5)."""
ASYMMETRIC = ("RSA", "EC", "OKP")
"""The key types kept: public keys only."""


class KeysUnavailable(HubMCPError):
    """The issuer's discovery document or key set could not be fetched or read."""


@dataclass(frozen=True)
class SigningKey:
    """One public key from the JWK Set: its ``kid``, its type, the ``alg`` it declares (if any), and the key."""

    kid: str | None
    kty: str
    crv: str | None
    alg: str | None
    jwk: PyJWK


def discovery_urls(issuer: str) -> list[str]:
    """Where an issuer's metadata is looked for, in order (OIDC, then RFC 8414 with the path after the
    well-known part)."""
    parts = urlsplit(issuer)
    path = parts.path.rstrip("/")
    return [
        f"{issuer.rstrip('/')}/.well-known/openid-configuration",
        f"{parts.scheme}://{parts.netloc}/.well-known/oauth-authorization-server{path}",
    ]


def read_keys(document: Any) -> dict[str | None, SigningKey]:
    """The usable public signing keys of a JWK Set, by ``kid`` (bounded by :data:`MAX_KEYS`)."""
    entries = document.get("keys") if isinstance(document, dict) else None
    if not isinstance(entries, list):
        raise ValueError("not a JWK Set (no 'keys' list)")
    keys: dict[str | None, SigningKey] = {}
    for entry in entries[:MAX_KEYS]:
        if not isinstance(entry, dict) or entry.get("kty") not in ASYMMETRIC or entry.get("use", "sig") != "sig":
            continue
        kid = entry.get("kid") if isinstance(entry.get("kid"), str) else None
        alg = entry.get("alg") if isinstance(entry.get("alg"), str) else None
        try:
            jwk = PyJWK(entry)
        except PyJWTError:
            continue  # a key this library cannot read (an unknown curve): the others still serve
        crv = entry.get("crv") if isinstance(entry.get("crv"), str) else None
        keys.setdefault(kid, SigningKey(kid, str(entry["kty"]), crv, alg, jwk))
    return keys


class IssuerKeys:
    """The signing keys of one issuer, fetched when first needed and kept for :data:`KEYS_TTL` seconds."""

    def __init__(
        self,
        issuer: str,
        *,
        http: HttpClient | None = None,
        timeout: float = REQUEST_TIMEOUT,
        deadline: float = FETCH_DEADLINE,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        """``timeout``: of each request to the issuer; ``deadline``: of one whole fetch (seconds, real time);
        ``clock``: when keys were fetched and a fetch failed (tests move it)."""
        self.issuer = issuer
        self._http = http or HttpClient(
            timeout=timeout,
            max_retries=1,
            retry_max_wait=1.0,
            policy=EgressPolicy(local=False, configured=(issuer,)),
        )
        self.deadline = deadline
        self._clock = clock
        self._lock = asyncio.Lock()
        self._keys: dict[str | None, SigningKey] = {}
        self._fetched_at: float | None = None
        self._jwks_uri: str | None = None
        self._failed: tuple[float, str] | None = None
        """When the last fetch failed, and why; None after one that worked."""
        self._outage = False
        """Whether the last fetch failed: its WARNING is said, the outage's later failures go to DEBUG."""
        self.fetches = 0
        """How many times the key set was fetched (tests read it)."""

    async def aclose(self) -> None:
        await self._http.aclose()

    async def key_for(self, kid: str | None) -> SigningKey | None:
        """The key a token's ``kid`` names (for a token without ``kid``: the only key, if there is one); a
        fresh fetch first when the set is older than :data:`KEYS_TTL`, or does not have ``kid`` and was
        fetched more than :data:`REFETCH_AFTER` seconds ago. Raises :class:`KeysUnavailable`."""
        async with self._lock:
            now = self._clock()
            if self._fetched_at is None or now - self._fetched_at >= KEYS_TTL:
                await self._refresh()
            found = self._pick(kid)
            if found is None and self._fetched_at is not None and self._clock() - self._fetched_at >= REFETCH_AFTER:
                await self._refresh()
                found = self._pick(kid)
            return found

    def _pick(self, kid: str | None) -> SigningKey | None:
        if kid is not None:
            return self._keys.get(kid)
        return next(iter(self._keys.values())) if len(self._keys) == 1 else None

    def retry_after(self) -> int:
        """Whole seconds until the issuer is asked again after a failed fetch (at least 1)."""
        if self._failed is None:
            return 1
        return max(1, math.ceil(RETRY_AFTER_FAILURE - (self._clock() - self._failed[0])))

    async def _refresh(self) -> None:
        if self._failed is not None and self._clock() - self._failed[0] < RETRY_AFTER_FAILURE:
            raise KeysUnavailable(self._failed[1])
        try:
            try:
                async with asyncio.timeout(self.deadline):
                    await self._fetch()
            except TimeoutError:
                raise KeysUnavailable(f"{self.issuer} gave no complete answer within {self.deadline:g} s") from None
        except KeysUnavailable as exc:
            self._failed = (self._clock(), str(exc))
            if self._outage:
                log.debug("still cannot fetch the OAuth issuer's signing keys (%s)", exc)
            else:
                self._outage = True
                log.warning(
                    "Cannot fetch the OAuth issuer's signing keys (%s): requests with a token get 503 until it"
                    " answers, asked again every %g s.",
                    exc,
                    RETRY_AFTER_FAILURE,
                )
            raise
        self._failed = None
        if self._outage:
            self._outage = False
            log.info("the OAuth issuer answers again: its signing keys were fetched, requests with a token are served")

    async def _fetch(self) -> None:
        if self._jwks_uri is None or self._fetched_at is None or self._clock() - self._fetched_at >= KEYS_TTL:
            self._jwks_uri = await self._discover()
        document = await self._get(self._jwks_uri, "the issuer's signing keys (jwks_uri)")
        try:
            self._keys = read_keys(document)
        except ValueError as exc:
            raise KeysUnavailable(f"jwks_uri {self._jwks_uri[:200]} is {exc}") from None
        self._fetched_at = self._clock()
        self.fetches += 1

    async def _discover(self) -> str:
        said: list[str] = []
        for url in discovery_urls(self.issuer):
            name = url.split("/.well-known/", 1)[1][:80]
            try:
                document = await self._get(url, "the issuer's metadata", name)
            except KeysUnavailable as exc:
                said.append(str(exc))
                continue
            if not isinstance(document, dict):
                said.append(f"{name} is not a JSON object")
                continue
            if document.get("issuer") != self.issuer:
                said.append(f"{name} names another issuer than HUB_MCP_OAUTH_ISSUER")
                continue
            jwks_uri = document.get("jwks_uri")
            if not isinstance(jwks_uri, str) or not jwks_uri.startswith(("https://", "http://")):
                said.append(f"{name} has no jwks_uri")
                continue
            if jwks_uri.startswith("http://") and not self.issuer.startswith("http://"):
                said.append(f"{name} names a plain-http jwks_uri for an https issuer")
                continue
            return jwks_uri
        raise KeysUnavailable(f"the metadata could not be read at {self.issuer[:200]} ({'; '.join(said)})")

    async def _get(self, url: str, what: str, name: str | None = None) -> Any:
        """The JSON at ``url``; else :class:`KeysUnavailable` saying in a few words what went wrong, under
        ``name`` (default: the URL). The HTTP client's own sentences are not passed on: written for a tool
        call's answer, each says what to do next, and a fetch tries several URLs; its log has the details."""
        name = name or url[:200]
        try:
            response = await self._http.send(
                "GET",
                url,
                headers={"Accept": "application/json"},
                options=SendOptions(service="the OAuth issuer", what=what),
            )
        except Unreachable:
            raise KeysUnavailable(f"{name}: could not connect") from None
        except TooLarge:
            raise KeysUnavailable(f"{name}: an answer too large to read") from None
        except Upstream as exc:
            if exc.status is not None and not 200 <= exc.status < 300:
                raise KeysUnavailable(f"{name}: HTTP {exc.status}") from None
            raise KeysUnavailable(f"{name}: no usable answer") from None
        except RateLimited:
            raise KeysUnavailable(f"{name}: HTTP 429") from None
        except HubMCPError as exc:  # the egress policy's refusal of a jwks_uri: its sentence says which rule
            raise KeysUnavailable(f"{name}: {clause(exc)[:200]}") from None
        if not response.ok:
            raise KeysUnavailable(f"{name}: HTTP {response.status}")
        return response.data
