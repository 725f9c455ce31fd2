"""An OCI Distribution (registry v2) client: challenge auth, manifests, config blobs, tag lists.

Every request goes through :class:`hub_mcp.net.http.HttpClient` (retries, 429/5xx, rate-limit
bookkeeping). On top of it this module adds:

* **Where**: ``docker.io`` goes to ``docker_hub_url`` and any name in ``endpoints`` (``dhi.io``)
  to its URL (configurable, so tests and mirrors can point them elsewhere); ``localhost``, ``127.0.0.1``, ``::1`` and ``insecure_hosts`` are spoken
  to over ``http://``, everything else over ``https://``.
* **Auth by challenge**: a 401 with ``WWW-Authenticate: Bearer realm=...,service=...,scope=...``
  sends us to the realm for a token (anonymous, or HTTP Basic with the credentials configured
  for that registry host); tokens are cached per (host, scope) until shortly before they
  expire, and the challenge is remembered per host so later requests get their token up
  front instead of paying for another 401. ``Basic`` challenges are answered with the
  configured credentials, or refused with a sentence naming the missing credential.
* **Integrity**: manifest digests come from ``Docker-Content-Digest`` or are computed over the
  raw bytes, and are verified against the bytes; config blobs are verified against their
  descriptor. Redirected blob downloads never carry our ``Authorization`` header to another
  origin (httpx drops it on cross-origin redirects; a test keeps it that way).
* **Caching**: manifests and config blobs are content addressed, so they are cached without
  expiry (LRU-bounded); tag → digest resolutions are cached for ``tag_ttl`` seconds and then
  revalidated with a ``HEAD``, which Docker Hub does not count against pull limits.
* **Errors**: registry error bodies ``{"errors": [{"code", "message", "detail"}]}`` become the
  taxonomy of :mod:`hub_mcp.errors`, with a sentence that names the repository, tag or
  credential concerned. Credential values never appear in messages or logs.
"""

from __future__ import annotations

import asyncio
import base64
import hashlib
import logging
import re
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal, TypeVar
from urllib.parse import quote

import httpx
from pydantic import BaseModel, ValidationError

from hub_mcp.attestations.statements import NotAStatement, Statement
from hub_mcp.errors import (
    Forbidden,
    InvalidInput,
    NotFound,
    RateLimited,
    Refused,
    TooLarge,
    Unauthorized,
    Upstream,
    excerpt,
)
from hub_mcp.net import jsontext
from hub_mcp.net.cache import LRUCache
from hub_mcp.net.http import BODY_LIMITS, BodyKind, HttpClient, Response, SendOptions, current_call, size_text
from hub_mcp.registry.attestations import (
    MAX_REFERRER_PAGES,
    MAX_REFERRERS,
    AttestationRef,
    ImageAttestations,
    Referrers,
    find,
    referrers_tag,
    statement_from_blob,
)
from hub_mcp.registry.auth import Challenge, TokenCache, parse_challenges, pick_challenge
from hub_mcp.registry.inspection import (
    build_inspection,
    media_type_of,
    require_container_image,
    select_platform,
    single_platform,
)
from hub_mcp.registry.models import (
    INDEX_MEDIA_TYPES,
    MANIFEST_MEDIA_TYPES,
    OCI_INDEX,
    OCI_MANIFEST,
    Descriptor,
    ImageConfig,
    ImageIndex,
    ImageInspection,
    ImageManifest,
    ManifestHead,
    ManifestResult,
    TagList,
)
from hub_mcp.vocab.references import DEFAULT_PLATFORM, DOCKER_HUB, ImageReference, Platform
from hub_mcp.vocab.common import quoted

log = logging.getLogger("hub_mcp.registry")
M = TypeVar("M", bound=BaseModel)

DEFAULT_DOCKER_HUB_URL = "https://registry-1.docker.io"
#: Docker Hub's registry challenge, known before its first 401 [documented: docs.docker.com "Docker Hub pull usage
#: and limits" (content/manuals/docker-hub/usage/pulls.md): tokens come from
#: https://auth.docker.io/token?service=registry.docker.io&scope=repository:<name>:pull]: a cold client's first
#: request carries a token instead of learning the scheme from a refusal. Used only with Docker's own URL; a 401
#: naming another realm is followed as always.
DOCKER_HUB_CHALLENGE = Challenge("bearer", {"realm": "https://auth.docker.io/token", "service": "registry.docker.io"})
ACCEPT_MANIFESTS = ", ".join(MANIFEST_MEDIA_TYPES)
MAX_MANIFEST_BYTES = BODY_LIMITS["manifest"]  # the distribution spec's limit
MAX_CONFIG_BYTES = BODY_LIMITS["config"]
MAX_ATTESTATION_BYTES = BODY_LIMITS["attestation"]
#: Statements kept parsed (content addressed, so never stale); an SBOM can be large, so only a few.
MAX_CACHED_STATEMENTS = 16
NO_REFERRERS_API_TTL = 3600.0  # seconds a registry without the referrers API is not asked for it again
#: Statements kept parsed only up to this blob size: a parsed SBOM costs several times its bytes (a 20 MB Syft
#: document with its file list took +84 MB), so big ones are read again; what callers derive from them (the
#: package list) is what they keep.
MAX_CACHED_STATEMENT_BYTES = 512 * 1024
#: Statuses of ``GET /v2/<name>/referrers/<digest>`` that mean "no referrers API here": 404 [documented:
#: distribution-spec "Listing Referrers"]; 400/405/501 [assumed: what a registry answers for a route it does not
#: know; falling back to the tag costs one request and answers right either way].
_NO_REFERRERS_API = frozenset({400, 404, 405, 501})
MAX_TAGS = 10_000
MAX_TAG_PAGES = 100
TAG_TTL = 60.0
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1", "[::1]"})
_HUB_HOSTS = frozenset({DOCKER_HUB, "index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"})
_HASHES = {"sha256": hashlib.sha256, "sha384": hashlib.sha384, "sha512": hashlib.sha512}
_GENERIC_CONTENT_TYPES = frozenset({"", "application/json", "text/plain", "application/octet-stream"})
_DIGEST = re.compile(r"^[a-z0-9]+(?:[.+_-][a-z0-9]+)*:[a-zA-Z0-9=_-]{32,}$")

__all__ = ["DEFAULT_PLATFORM", "RegistryClient", "compute_digest", "is_digest", "select_platform"]


def is_digest(reference: str) -> bool:
    """True for ``algorithm:hex`` (tags cannot contain ``:``)."""
    return bool(_DIGEST.match(reference))


def compute_digest(content: bytes, algorithm: str = "sha256") -> str:
    return f"{algorithm}:{_HASHES[algorithm](content).hexdigest()}"


def _hostname(host: str) -> str:
    """``example.com:5000`` → ``example.com``; ``[::1]:5000`` → ``::1``."""
    if host.startswith("["):
        return host[1 : host.find("]")] if "]" in host else host
    return host.rsplit(":", 1)[0] if host.count(":") == 1 else host


def _normalize_host(host: str) -> str:
    host = host.strip().lower()
    for prefix in ("https://", "http://"):
        host = host.removeprefix(prefix)
    host = host.rstrip("/")
    return DOCKER_HUB if host in _HUB_HOSTS else host


_media_type = media_type_of


def _registry_errors(content: bytes) -> list[tuple[str, str]]:
    """``[(code, message)]`` from a registry error body; empty when there is none."""
    if not content:
        return []
    try:
        data = jsontext.loads(content)
    except ValueError:  # TooDeep too: the status says enough
        return []
    errors = data.get("errors") if isinstance(data, dict) else None
    out: list[tuple[str, str]] = []
    for item in errors if isinstance(errors, list) else []:
        if isinstance(item, dict):
            code = str(item.get("code") or "").upper()
            message = item.get("message")
            out.append((code, excerpt(message)))
    return out


def _next_link(values: list[str], current_url: str) -> str | None:
    """The absolute URL of the ``rel="next"`` link in ``Link`` headers, if any."""
    for value in values:
        for part in value.split(","):
            if "<" not in part or ">" not in part:
                continue
            target = part[part.index("<") + 1 : part.index(">")].strip()
            params = part[part.index(">") + 1 :].lower().replace(" ", "")
            if 'rel="next"' in params or "rel=next" in params:
                return str(httpx.URL(current_url).join(target))
    return None


def _origin(url: str) -> tuple[str, str, int | None]:
    parsed = httpx.URL(url)
    return parsed.scheme, parsed.host, parsed.port


@dataclass(frozen=True)
class _Auth:
    """The ``Authorization`` header a request carried and where it came from."""

    header: str | None
    kind: Literal["none", "bearer", "basic"]
    fresh: bool = False  # a token fetched for this very request (so a 401 is final)


CREDENTIALS_RETRY = 600.0  # seconds refused credentials are left out before they are tried again


class RegistryClient:
    """Async client for OCI Distribution registries (Docker Hub's and any other).

    ``credentials`` maps a registry host (``docker.io``, ``ghcr.io``, ``localhost:5000``) to
    ``(user, secret)``; they are used for token requests and ``Basic`` challenges of that host
    only. ``clock`` (monotonic seconds) is injectable for tests of expiry.
    """

    def __init__(
        self,
        http: HttpClient,
        *,
        docker_hub_url: str = DEFAULT_DOCKER_HUB_URL,
        endpoints: Mapping[str, str] | None = None,
        credentials: dict[str, tuple[str, str]] | None = None,
        credential_sources: dict[str, str] | None = None,
        insecure_hosts: frozenset[str] = frozenset(),
        tag_ttl: float = TAG_TTL,
        max_cached_manifests: int = 512,
        max_cached_configs: int = 256,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.http = http
        self.docker_hub_url = docker_hub_url.strip().rstrip("/")
        #: registry name -> the base URL that serves it (``dhi.io`` -> HUB_MCP_DHI_URL), as for docker.io
        self._endpoints = {_normalize_host(host): url.strip().rstrip("/") for host, url in (endpoints or {}).items()}
        self._credentials = {_normalize_host(host): pair for host, pair in (credentials or {}).items() if pair[0]}
        self._sources = {_normalize_host(host): source for host, source in (credential_sources or {}).items()}
        self.insecure_hosts = frozenset(_normalize_host(h) for h in insecure_hosts)
        self._clock = clock
        self._tokens = TokenCache(clock)
        self._challenges: dict[str, Challenge] = {}
        self._token_locks: dict[tuple[str, str], asyncio.Lock] = {}
        self._manifests: LRUCache[tuple[str, str, str], ManifestResult] = LRUCache(max_cached_manifests, clock=clock)
        self._configs: LRUCache[tuple[str, str, str], ImageConfig] = LRUCache(max_cached_configs, clock=clock)
        self._tags: LRUCache[tuple[str, str, str], str] = LRUCache(2048, ttl=tag_ttl, clock=clock)
        self._inflight: dict[tuple[object | None, str, str, str], _Shared] = {}
        #: hosts whose referrers API answered "none here" (404, 405, 501, not an index): asked again after an hour
        self._no_referrers_api: LRUCache[str, bool] = LRUCache(256, ttl=NO_REFERRERS_API_TTL, clock=clock)
        self._statements: LRUCache[tuple[str, str, str], Statement] = LRUCache(MAX_CACHED_STATEMENTS, clock=clock)
        self._rejected: dict[str, tuple[float, str]] = {}  # registry -> (until, user) of refused credentials
        if self.docker_hub_url == DEFAULT_DOCKER_HUB_URL:
            self._challenges[DOCKER_HUB] = DOCKER_HUB_CHALLENGE

    # --- where and who --------------------------------------------------------------------

    def base_url(self, registry: str) -> str:
        """The ``scheme://host[:port]`` that serves ``/v2/`` for a registry name."""
        host = _normalize_host(registry)
        if host == DOCKER_HUB:
            return self.docker_hub_url
        if host in self._endpoints:
            return self._endpoints[host]
        plain = _hostname(host) in _LOOPBACK or host in self.insecure_hosts or _hostname(host) in self.insecure_hosts
        return f"{'http' if plain else 'https'}://{host}"

    def credentials_for(self, registry: str) -> tuple[str, str] | None:
        """The credentials to send to ``registry``: none while its token service refuses them."""
        host = _normalize_host(registry)
        rejected = self._rejected.get(host)
        if rejected is not None and self._clock() < rejected[0]:
            return None
        return self._credentials.get(host)

    def notices(self) -> list[str]:
        """Sentences for answers read anonymously because a registry refused the configured credentials."""
        out = []
        for host, (until, user) in sorted(self._rejected.items()):
            if self._clock() >= until:
                continue
            where = self.credential_source(host)
            out.append(
                f"The token service of {host} rejected the credentials for {user!r} ({where}), so images there"
                " were read anonymously: public ones only. Fix the token and restart the server, or remove it."
            )
        return out

    def credential_source(self, registry: str) -> str:
        """Where the credentials of ``registry`` came from (the environment variables, or the docker config)."""
        host = _normalize_host(registry)
        default = "HUB_USERNAME / HUB_PAT_TOKEN" if host == DOCKER_HUB else "HUB_MCP_REGISTRY_CREDENTIALS"
        return self._sources.get(host, default)

    @staticmethod
    def credential_hint(registry: str) -> str:
        """Which credential to configure for a registry, as a sentence fragment."""
        if _normalize_host(registry) == DOCKER_HUB:
            return "set HUB_USERNAME and HUB_PAT_TOKEN (a Docker Hub personal access token), or run `docker login`"
        return (
            f"no credentials are configured for {registry} (set HUB_MCP_REGISTRY_CREDENTIALS, or run"
            f" `docker login {registry}`)"
        )

    def _service(self, registry: str) -> str:
        return "Docker Hub's registry" if _normalize_host(registry) == DOCKER_HUB else f"the registry {registry}"

    def _named(self, registry: str) -> str:
        """The registry with its host, for a message about what it sent: "Docker Hub's registry (registry-1.docker.io)"."""
        service, host = self._service(registry), httpx.URL(self.base_url(registry)).host
        return service if host in service else f"{service} ({host})"

    def _repo_url(self, ref: ImageReference, *parts: str) -> str:
        tail = "/".join(quote(p, safe=":") for p in parts)
        return f"{self.base_url(ref.registry)}/v2/{ref.repository}/{tail}"

    # --- requests with challenge auth -----------------------------------------------------

    async def _send(
        self,
        method: str,
        url: str,
        registry: str,
        auth: _Auth,
        headers: Mapping[str, str] | None,
        params: Any,
        body: BodyKind,
    ) -> Response:
        merged = dict(headers or {})
        if auth.header:
            merged["Authorization"] = auth.header
        options = SendOptions(
            service=self._service(registry), body=body, parse_json=False, named=_normalize_host(registry) != DOCKER_HUB
        )
        return await self.http.send(method, url, params=params, headers=merged, options=options)

    async def _request(
        self,
        method: str,
        ref: ImageReference,
        url: str,
        *,
        headers: Mapping[str, str] | None = None,
        params: Any = None,
        body: BodyKind = "json",
    ) -> Response:
        """Send a request for ``ref``'s repository, answering one authentication challenge. ``body`` is the
        kind of body expected (it sets how much is read)."""
        registry = _normalize_host(ref.registry)
        scope = f"repository:{ref.repository}:pull"
        auth = await self._known_auth(registry, scope)
        response = await self._send(method, url, registry, auth, headers, params, body)
        if response.status != 401:
            return response

        challenge = pick_challenge(parse_challenges(response.headers.get_list("www-authenticate")))
        if challenge is None:
            raise self._denied(ref, auth, None)
        # remember how this host authenticates (not the per-repository scope)
        self._challenges[registry] = Challenge(
            challenge.scheme, {k: v for k, v in challenge.params.items() if k in {"realm", "service"}}
        )
        if challenge.scheme == "bearer":
            if auth.kind == "bearer" and auth.fresh:
                raise self._denied(ref, auth, challenge)
            challenge_scope = challenge.scope or scope
            self._tokens.drop(registry, scope)
            self._tokens.drop(registry, challenge_scope)
            token = await self._fetch_token(registry, challenge, challenge_scope, aliases=(scope,))
            retry_auth = _Auth(f"Bearer {token}", "bearer", fresh=True)
        else:
            credentials = self.credentials_for(registry)
            if credentials is None or auth.kind == "basic":
                raise self._denied(ref, auth, challenge)
            retry_auth = _Auth(_basic(credentials), "basic")

        response = await self._send(method, url, registry, retry_auth, headers, params, body)
        if response.status == 401:
            again = pick_challenge(parse_challenges(response.headers.get_list("www-authenticate")))
            raise self._denied(ref, retry_auth, again or challenge)
        return response

    async def _known_auth(self, registry: str, scope: str) -> _Auth:
        """Authorization to send up front, from what the host asked for last time."""
        challenge = self._challenges.get(registry)
        if challenge is None:
            return _Auth(None, "none")
        if challenge.scheme == "bearer":
            cached = self._tokens.get(registry, scope)
            if cached is not None:
                return _Auth(f"Bearer {cached.token}", "bearer")
            # concurrent requests for one repository share a single token request
            lock = self._token_locks.setdefault((registry, scope), asyncio.Lock())
            async with lock:
                cached = self._tokens.get(registry, scope)
                if cached is not None:
                    return _Auth(f"Bearer {cached.token}", "bearer")
                token = await self._fetch_token(registry, challenge, scope)
            return _Auth(f"Bearer {token}", "bearer", fresh=True)
        credentials = self.credentials_for(registry)
        if challenge.scheme == "basic" and credentials is not None:
            return _Auth(_basic(credentials), "basic")
        return _Auth(None, "none")

    async def _fetch_token(self, registry: str, challenge: Challenge, scope: str, aliases: tuple[str, ...] = ()) -> str:
        """Ask the challenge's realm for a token for ``scope`` and cache it."""
        realm = challenge.realm or ""
        try:
            realm_url = httpx.URL(realm)
        except (httpx.InvalidURL, TypeError):
            realm_url = None
        if realm_url is None or realm_url.scheme not in {"http", "https"} or not realm_url.host:
            raise Upstream(
                f"{self._service(registry)} asked for a token from {realm!r}, which is not an http(s) URL;"
                " its authentication is misconfigured."
            )
        base = httpx.URL(self.base_url(registry))
        if realm_url.scheme != "https" and base.scheme == "https":
            raise Refused(
                f"hub-mcp refused the token realm {realm_url.host} of {self._service(registry)}: a registry reached"
                " over https must send us to an https token service, and this one is plain http. Only a registry"
                " that is itself a plain-http host (HUB_MCP_INSECURE_REGISTRIES) may use one.",
                rule="realm-https",
                host=realm_url.host,
            )
        params: dict[str, Any] = {}
        if challenge.service:
            params["service"] = challenge.service
        scopes = scope.split()
        if scopes:
            params["scope"] = scopes if len(scopes) > 1 else scopes[0]
        headers: dict[str, str] = {}
        credentials = self.credentials_for(registry)
        if credentials is not None:
            if realm_url.scheme == "https" or realm_url.host in _LOOPBACK or realm_url.host in self.insecure_hosts:
                headers["Authorization"] = _basic(credentials)
            else:
                log.warning("not sending credentials for %s to a plain-http token realm %s", registry, realm_url.host)
                credentials = None
        options = SendOptions(
            service=f"the token service of {self._service(registry)}",
            body="token",
            via=base.netloc.decode("ascii"),
            what="the token realm",
        )
        response = await self.http.send("GET", realm, params=params, headers=headers, options=options)
        if response.status in (401, 403):
            if credentials is not None:
                # Refused credentials must not break public reads: try anonymously, and say so in answers.
                self._rejected[registry] = (self._clock() + CREDENTIALS_RETRY, credentials[0])
                log.warning("the token service of %s rejected the configured credentials; reading anonymously", registry)
                try:
                    return await self._fetch_token(registry, challenge, scope, aliases)
                except Unauthorized:
                    pass  # anonymous refused too: the credentials' problem is the one to report
                raise Unauthorized(
                    f"The token service of {registry} rejected the credentials configured for user"
                    f" {credentials[0]!r}: check that the user name and token are right and the token is not"
                    f" expired or revoked ({self.credential_source(registry)})."
                )
            raise Unauthorized(
                f"The token service of {registry} refused an anonymous token; this registry needs credentials:"
                f" {self.credential_hint(registry)}."
            )
        if not response.ok:
            raise Upstream(
                f"The token service of {registry} answered HTTP {response.status}; try again shortly.",
                status=response.status,
            )
        data = response.data if isinstance(response.data, dict) else {}
        token = data.get("token") or data.get("access_token")
        if not isinstance(token, str) or not token:
            raise Upstream(f"The token service of {registry} answered without a token; try again shortly.")
        self._tokens.put(registry, {scope, *aliases}, token, data.get("expires_in"))
        return token

    def _denied(self, ref: ImageReference, auth: _Auth, challenge: Challenge | None) -> Unauthorized | Forbidden:
        """The sentence for a final 401: what was refused and which credential would help."""
        registry = _normalize_host(ref.registry)
        credentials = self.credentials_for(registry)
        name = ref.familiar_name
        if credentials is None:
            return Unauthorized(
                f"{ref.registry} refused anonymous access to {name}: the repository does not exist, or it is"
                f" private and needs credentials; {self.credential_hint(registry)}."
            )
        user = credentials[0]
        hub_vars = f" ({self.credential_source(registry)})"
        if auth.kind == "bearer" and (challenge is None or challenge.error in (None, "insufficient_scope")):
            return Forbidden(
                f"{ref.registry} accepted the credentials of {user!r}{hub_vars} but refused access to {name}:"
                " the repository does not exist, or that account may not pull it."
            )
        return Unauthorized(
            f"{ref.registry} rejected the credentials configured for user {user!r}{hub_vars}:"
            " check the user name and the token or password."
        )

    # --- error mapping ----------------------------------------------------------------------

    def _raise_for(
        self, response: Response, ref: ImageReference, kind: Literal["manifest", "blob", "tags"], what: str
    ) -> None:
        """Raise the taxonomy error for a failed registry response."""
        errors = _registry_errors(response.content)
        codes = {code for code, _ in errors}
        detail = next((f" ({code}: {msg})" for code, msg in errors if msg), "")
        status = response.status
        registry = ref.registry
        name = ref.familiar_name
        if status == 429 or "TOOMANYREQUESTS" in codes:
            raise RateLimited(
                f"{self._service(registry)} is rate limiting requests (pull limit reached); try again later"
                + (", or configure credentials for a higher limit." if self.credentials_for(registry) is None else ".")
            )
        if "NAME_UNKNOWN" in codes or (kind == "tags" and status == 404):
            raise NotFound(f"Repository {name} does not exist on {registry}; check the name (search for it first).")
        if kind == "manifest" and ("MANIFEST_UNKNOWN" in codes or status == 404):
            raise NotFound(
                f"{what} was not found on {registry}: no such tag or digest in {name}"
                " (or no such repository). List the repository's tags to see which exist."
            )
        if kind == "blob" and ("BLOB_UNKNOWN" in codes or status == 404):
            raise Upstream(
                f"{registry} lists {what} for {name} but does not serve it (HTTP {status}); the image is"
                " incomplete on the registry.",
                status=status,
            )
        if status == 401 or "UNAUTHORIZED" in codes:
            raise self._denied(ref, _Auth(None, "none"), None)
        if status == 403 or "DENIED" in codes:
            if self.credentials_for(registry) is None:
                raise Forbidden(
                    f"{registry} denied access to {name}{detail}; it may need credentials:"
                    f" {self.credential_hint(registry)}."
                )
            raise Forbidden(f"{registry} denied the configured account access to {name}{detail}.")
        if status == 400 or codes & {"NAME_INVALID", "TAG_INVALID", "DIGEST_INVALID", "MANIFEST_INVALID"}:
            raise InvalidInput(f"{registry} refused {what} as invalid{detail}; check the name, tag or digest.")
        if status == 405 or "UNSUPPORTED" in codes:
            raise Upstream(f"{registry} does not support this request for {name}{detail}.", status=status)
        raise Upstream(f"{registry} answered HTTP {status} for {what}{detail}; try again shortly.", status=status)

    # --- manifests --------------------------------------------------------------------------

    async def get_manifest(self, ref: ImageReference, reference: str | None = None) -> ManifestResult:
        """The manifest (index or image manifest) for a tag or digest.

        ``reference`` defaults to ``ref``'s digest, else its tag, else ``latest``. Manifests by
        digest come from the cache when present; a tag seen within ``tag_ttl`` costs nothing,
        an older one costs a ``HEAD`` to revalidate.
        """
        reference = reference or ref.digest or ref.tag or "latest"
        registry = _normalize_host(ref.registry)
        if is_digest(reference):
            cached = self._manifests.get((registry, ref.repository, reference))
            return cached if cached is not None else await self._fetch_manifest(ref, reference)

        tag_key = (registry, ref.repository, reference)
        digest = self._tags.get(tag_key)
        if digest is None and self._tags.get_stale(tag_key) is not None:
            head = await self._head(ref, reference)
            if head is None:
                self._tags.pop(tag_key)
                raise NotFound(
                    f"{ref.familiar_name}:{reference} was not found on {ref.registry}: no such tag in"
                    f" {ref.familiar_name}. List the repository's tags to see which exist."
                )
            digest = head.digest
            self._tags.put(tag_key, digest)
        if digest is not None:
            cached = self._manifests.get((registry, ref.repository, digest))
            if cached is not None:
                return cached
            return await self._fetch_manifest(ref, digest)
        return await self._fetch_manifest(ref, reference)

    async def head_manifest(
        self, ref: ImageReference, reference: str | None = None, *, use_cache: bool = True
    ) -> ManifestHead | None:
        """Whether a tag or digest exists: its digest and media type, or ``None`` on 404.

        A ``HEAD`` does not count against Docker Hub's pull limit. With ``use_cache`` a
        manifest already known (by digest, or by a tag within ``tag_ttl``) costs no request.
        """
        reference = reference or ref.digest or ref.tag or "latest"
        registry = _normalize_host(ref.registry)
        if use_cache:
            digest = reference if is_digest(reference) else self._tags.get((registry, ref.repository, reference))
            cached = self._manifests.get((registry, ref.repository, digest)) if digest else None
            if cached is not None:
                return ManifestHead(digest=cached.digest, media_type=cached.media_type, size=cached.size)
        head = await self._head(ref, reference)
        if head is not None and not is_digest(reference):
            self._tags.put((registry, ref.repository, reference), head.digest)
        return head

    async def probe_manifest(self, ref: ImageReference, reference: str) -> tuple[Response, str | None]:
        """A ``HEAD`` of a manifest sent now, whatever is cached, with the credentials configured for the
        registry (anonymously without them, or while its token service refuses them): the response as it came
        (its headers are the point: Docker Hub's pull limit, :mod:`hub_mcp.ratelimit`) and the user it was sent
        as (``None``: anonymously). A ``HEAD`` does not count against Docker Hub's pull limit [documented: Docker
        Hub pull usage and limits, "Using HEAD won't"]. A failed answer raises as any manifest request does."""
        url = self._repo_url(ref, "manifests", reference)
        response = await self._request("HEAD", ref, url, headers={"Accept": ACCEPT_MANIFESTS})
        if not response.ok:
            self._raise_for(response, ref, "manifest", self._describe(ref, reference))
        credentials = self.credentials_for(ref.registry)  # after the request: refused ones are left out by now
        return response, credentials[0] if credentials else None

    async def _head(self, ref: ImageReference, reference: str) -> ManifestHead | None:
        url = self._repo_url(ref, "manifests", reference)
        response = await self._request("HEAD", ref, url, headers={"Accept": ACCEPT_MANIFESTS})
        if response.status == 404:
            return None
        if not response.ok:
            self._raise_for(response, ref, "manifest", self._describe(ref, reference))
        digest = response.headers.get("docker-content-digest")
        if not digest:
            if is_digest(reference):
                digest = reference
            else:  # a registry that does not say: fetch the manifest to learn it
                result = await self._fetch_manifest(ref, reference)
                return ManifestHead(digest=result.digest, media_type=result.media_type, size=result.size)
        length = response.headers.get("content-length")
        return ManifestHead(
            digest=digest,
            media_type=_media_type(response.headers.get("content-type")) or None,
            size=int(length) if length and length.isdigit() else None,
        )

    def _describe(self, ref: ImageReference, reference: str) -> str:
        sep = "@" if is_digest(reference) else ":"
        return f"{ref.familiar_name}{sep}{reference}"

    async def _fetch_manifest(self, ref: ImageReference, reference: str) -> ManifestResult:
        """One GET of a manifest, shared by the tasks of one call that ask for the same one at the same time
        (``inspect_image`` and its provenance lookup both start at the index); other calls fetch their own, so
        no call waits on another's read."""
        key = (current_call(), _normalize_host(ref.registry), ref.repository, reference)
        shared = self._inflight.get(key)
        if shared is None:
            shared = _Shared(asyncio.ensure_future(self._get_manifest_now(ref, reference)))
            self._inflight[key] = shared
            shared.task.add_done_callback(lambda done: _settled(self._inflight, key, done))
        shared.waiters += 1
        try:
            return await asyncio.shield(shared.task)
        finally:
            shared.waiters -= 1
            if shared.waiters == 0 and not shared.task.done():
                shared.task.cancel()  # every asker left (a deadline): the read stops with them

    async def _get_manifest_now(self, ref: ImageReference, reference: str) -> ManifestResult:
        by_digest = is_digest(reference)
        what = self._describe(ref, reference)
        if by_digest and reference.split(":", 1)[0] not in _HASHES:
            raise InvalidInput(f"{what}: digest algorithm {quoted(reference.split(':', 1)[0])} is not supported; use sha256.")
        url = self._repo_url(ref, "manifests", reference)
        response = await self._request("GET", ref, url, headers={"Accept": ACCEPT_MANIFESTS}, body="manifest")
        if not response.ok:
            self._raise_for(response, ref, "manifest", what)
        content = response.content
        if len(content) > MAX_MANIFEST_BYTES:
            raise Upstream(f"{ref.registry} sent a {len(content)}-byte manifest for {what}; that is too large to read.")
        header_digest = response.headers.get("docker-content-digest")
        if by_digest:
            _verify(reference, content, f"the manifest of {what}")
            digest = reference
        elif header_digest:
            _verify(header_digest, content, f"the manifest of {what}", strict=False)
            digest = header_digest
        else:
            digest = compute_digest(content)
        media_type, manifest = _parse_manifest(
            content, response.headers.get("content-type"), what, self._named(ref.registry)
        )
        result = ManifestResult(media_type=media_type, digest=digest, size=len(content), manifest=manifest)
        registry = _normalize_host(ref.registry)
        self._manifests.put((registry, ref.repository, digest), result)
        if not by_digest:
            self._tags.put((registry, ref.repository, reference), digest)
        return result

    # --- blobs --------------------------------------------------------------------------------

    async def get_config(self, ref: ImageReference, descriptor: Descriptor) -> ImageConfig:
        """The image config blob a manifest points to, verified against its digest (cached)."""
        registry = _normalize_host(ref.registry)
        key = (registry, ref.repository, descriptor.digest)
        cached = self._configs.get(key)
        if cached is not None:
            return cached
        content = await self._read_blob(ref, descriptor, body="config", what="config blob")
        config = _parse_json_model(
            ImageConfig, content, f"the config blob of {ref.familiar}", self._named(ref.registry)
        )
        self._configs.put(key, config)
        return config

    async def _read_blob(self, ref: ImageReference, descriptor: Descriptor, *, body: BodyKind, what: str) -> bytes:
        """A blob's bytes, checked against the size and digest its descriptor gives. ``what`` names the blob in
        sentences ("config blob", "attestation blob"); ``body`` sets how much is read."""
        limit = BODY_LIMITS[body]
        if descriptor.size > limit:
            raise TooLarge(
                f"The {what} {descriptor.digest} of {ref.familiar} is {size_text(descriptor.size)}, more than"
                f" hub-mcp reads ({size_text(limit)}, the limit for one {what}).",
                limit=limit,
            )
        if not is_digest(descriptor.digest):
            raise Upstream(
                f"The manifest of {ref.familiar} names an invalid {what} digest {quoted(descriptor.digest)}."
            )
        url = self._repo_url(ref, "blobs", descriptor.digest)
        response = await self._request("GET", ref, url, body=body)
        if not response.ok:
            self._raise_for(response, ref, "blob", f"{what} {descriptor.digest}")
        content = response.content
        _verify(descriptor.digest, content, f"The {what} of {ref.familiar}")
        if descriptor.size and len(content) != descriptor.size:
            raise Upstream(
                f"The {what} of {ref.familiar} is {len(content)} bytes, but its manifest says"
                f" {descriptor.size}; the registry sent something else. Try again."
            )
        return content

    # --- attestations ---------------------------------------------------------------------------

    async def find_attestations(
        self, ref: ImageReference, platform: Platform | None = None, *, referrers: bool = False, index_only: bool = False
    ) -> ImageAttestations:
        """Where the attestations (SBOM, provenance) of one platform's image of ``ref`` are; nothing is read of
        them yet (:meth:`read_statement` does).

        The platform is chosen as :meth:`inspect` chooses it. Always looked in: the image index (BuildKit's
        attestation manifest for that platform). The OCI 1.1 referrers of the platform manifest and of the index
        (the API, else the referrers tag) only when the index holds none for the platform, or with ``referrers``;
        never with ``index_only``.
        ``looked`` says where it looked, for a sentence when nothing was found. Details and sources:
        :mod:`hub_mcp.registry.attestations`.
        """
        return await find(self, ref, platform or DEFAULT_PLATFORM, referrers=referrers, index_only=index_only)

    async def read_statement(self, ref: ImageReference, attestation: AttestationRef) -> Statement:
        """The in-toto Statement of one attestation ``find_attestations`` found: read within the attestation body
        limit, verified against its digest and size, parsed, and cached by (registry, repository, digest) when
        small (:data:`MAX_CACHED_STATEMENT_BYTES`)."""
        descriptor = attestation.descriptor
        key = (_normalize_host(ref.registry), ref.repository, descriptor.digest.lower())
        cached = self._statements.get(key)
        if cached is not None:
            return cached
        content = await self._read_blob(ref, descriptor, body="attestation", what="attestation blob")
        try:
            statement = statement_from_blob(content, descriptor.media_type)
        except NotAStatement as exc:
            raise Upstream(
                f"The attestation blob {descriptor.digest} of {ref.familiar} is not an in-toto Statement ({exc});"
                " the image's attestation is malformed, so hub-mcp cannot read it."
            ) from None
        if len(content) <= MAX_CACHED_STATEMENT_BYTES:
            self._statements.put(key, statement)
        return statement

    async def list_referrers(self, ref: ImageReference, digest: str, *, api: bool = True) -> Referrers:
        """The manifests whose ``subject`` is ``digest`` (OCI 1.1), unfiltered: from the referrers API, or, when
        the registry has none (404) or ``api`` is False, from the referrers tag ``sha256-<hex>`` (a 404 there: none).

        At most ``MAX_REFERRERS`` descriptors over ``MAX_REFERRER_PAGES`` pages (``Link: rel="next"``, same origin
        only); ``truncated`` says the bound cut the list. No ``artifactType`` filter is asked, so an
        ``OCI-Filters-Applied`` answer changes nothing.
        """
        host = _normalize_host(ref.registry)
        if api and self._no_referrers_api.get(host) is None:
            listed = await self._referrers_api(ref, digest)
            if listed is not None:
                return listed
            # "a registry that supports the referrers API MUST NOT return 404" [documented: distribution-spec,
            # Listing Referrers]: this host has none, so its next lookups go straight to the tag
            self._no_referrers_api.put(host, True)
        tag = referrers_tag(digest)
        looked = (*(("the referrers API",) if api else ()), f"the referrers tag {tag}")
        try:
            result = await self.get_manifest(ref, tag)
        except NotFound:
            return Referrers((), "referrers-tag", api=False, looked=looked)
        manifests = result.manifest.manifests if isinstance(result.manifest, ImageIndex) else []
        return Referrers(
            tuple(manifests[:MAX_REFERRERS]),
            "referrers-tag",
            api=False,
            looked=looked,
            truncated=len(manifests) > MAX_REFERRERS,
        )

    async def _referrers_api(self, ref: ImageReference, digest: str) -> Referrers | None:
        """The referrers API's answer; ``None`` when the registry has no such API (or answers something other
        than an image index, which the spec says it must send)."""
        url = self._repo_url(ref, "referrers", digest)
        origin = _origin(url)
        what = f"the referrers of {self._describe(ref, digest)}"
        descriptors: list[Descriptor] = []
        truncated = False
        for page in range(MAX_REFERRER_PAGES):
            response = await self._request("GET", ref, url, headers={"Accept": OCI_INDEX}, body="manifest")
            if page == 0 and response.status in _NO_REFERRERS_API:
                return None
            if not response.ok:
                self._raise_for(response, ref, "manifest", what)
            index = _referrers_index(response.content)
            if index is None:
                if page == 0:
                    return None
                raise Upstream(f"{ref.registry} sent a page of {what} that is not an image index; try again shortly.")
            descriptors.extend(index.manifests)
            next_url = _next_link(response.headers.get_list("link"), response.url)
            if len(descriptors) >= MAX_REFERRERS:
                truncated = len(descriptors) > MAX_REFERRERS or next_url is not None
                break
            if next_url is None:
                break
            if _origin(next_url) != origin or page == MAX_REFERRER_PAGES - 1:
                truncated = True
                break
            url = next_url
        return Referrers(
            tuple(descriptors[:MAX_REFERRERS]),
            "referrers",
            api=True,
            looked=("the referrers API",),
            truncated=truncated,
        )

    # --- tags -----------------------------------------------------------------------------------

    async def list_tags(
        self,
        ref: ImageReference,
        n: int | None = None,
        last: str | None = None,
        *,
        max_tags: int = MAX_TAGS,
        max_pages: int = MAX_TAG_PAGES,
    ) -> TagList:
        """All tags of ``ref``'s repository, following ``Link: <...>; rel="next"`` pages.

        ``n`` is the page size asked for and ``last`` the tag to start after. At most
        ``max_tags`` tags and ``max_pages`` pages are read; ``truncated`` says the bound cut the
        list. Links to another origin are not followed (they would not get our token).

        The result is sorted and without duplicates, as the spec promises but not every
        registry delivers: distribution 2.8 ignores ``n`` and ``last`` on this endpoint and
        answers in storage order, so ``last`` is also applied here.
        """
        if n is not None and n <= 0:
            raise InvalidInput(f"The page size n must be a positive number, not {n}.")
        url = self._repo_url(ref, "tags", "list")
        base_origin = _origin(url)
        first_params: dict[str, Any] = {}
        if n is not None:
            first_params["n"] = n
        if last:
            first_params["last"] = last
        params: dict[str, Any] | None = first_params
        tags: set[str] = set()
        seen_urls: set[str] = set()
        truncated = False
        pages = 0
        while True:
            response = await self._request("GET", ref, url, params=params or None)
            if not response.ok:
                self._raise_for(response, ref, "tags", f"the tags of {ref.familiar_name}")
            data = _parse_json(response.content, f"the tag list of {ref.familiar_name}", self._named(ref.registry))
            page = data.get("tags") if isinstance(data, dict) else None
            page_tags = (
                [t for t in page if isinstance(t, str) and (not last or t > last)] if isinstance(page, list) else []
            )
            tags.update(page_tags)
            pages += 1
            next_url = _next_link(response.headers.get_list("link"), response.url)
            if len(tags) >= max_tags:
                truncated = len(tags) > max_tags or next_url is not None
                break
            if next_url is None or not page_tags or next_url in seen_urls:
                break
            if pages >= max_pages:
                truncated = True
                break
            if _origin(next_url) != base_origin:
                log.warning("not following a tag-list link to another origin (%s)", httpx.URL(next_url).host)
                truncated = True
                break
            seen_urls.add(next_url)
            url, params = next_url, None
        return TagList(repository=ref.familiar_name, tags=sorted(tags)[:max_tags], truncated=truncated)

    # --- the compact answer -------------------------------------------------------------------

    select_platform = staticmethod(select_platform)

    async def inspect(self, ref: ImageReference, platform: Platform | None = None) -> ImageInspection:
        """What one platform's image of ``ref`` is: digests, platforms, size, user, command, labels.

        Raises ``NotFound`` (listing the platforms that exist) when ``platform`` is not offered,
        ``InvalidInput`` when the reference is an artifact rather than a container image.
        """
        platform = platform or DEFAULT_PLATFORM
        if not ref.tag and not ref.digest:
            ref = ref.with_tag("latest")
        top = await self.get_manifest(ref)
        current = top
        index_digest: str | None = None
        platforms: list[Platform] = []
        chosen: Platform | None = None
        for _depth in range(2):  # an index may (rarely) point to another index
            if not isinstance(current.manifest, ImageIndex):
                break
            index = current.manifest
            if index_digest is None:
                index_digest = current.digest
                platforms = index.available_platforms()
            entry = select_platform(index, platform, what=ref.familiar)
            chosen = entry.to_platform()
            current = await self.get_manifest(ref, entry.digest)
        if not isinstance(current.manifest, ImageManifest):
            raise Upstream(f"{ref.familiar} is an index nested more than two levels deep; hub-mcp cannot read it.")
        manifest = current.manifest
        require_container_image(ref, manifest)
        config = await self.get_config(ref, manifest.config)
        offered = single_platform(ref, config, platform if index_digest is None else None)
        if index_digest is None:
            chosen = offered
            platforms = [chosen]
        assert chosen is not None
        return build_inspection(
            ref,
            index_digest=index_digest,
            manifest_digest=current.digest,
            platforms=platforms,
            platform=chosen,
            manifest=manifest,
            config=config,
        )

    def clear_cache(self) -> None:
        """Forget cached manifests, configs, tags, tokens and challenges."""
        self._manifests.clear()
        self._configs.clear()
        self._tags.clear()
        self._statements.clear()
        self._no_referrers_api.clear()
        self._tokens.clear()
        self._token_locks.clear()
        self._challenges.clear()


# --- helpers -------------------------------------------------------------------------------------


@dataclass
class _Shared:
    """A manifest fetch under way and how many askers await it."""

    task: asyncio.Future[ManifestResult]
    waiters: int = 0


def _settled(inflight: dict[Any, Any], key: Any, done: asyncio.Future[ManifestResult]) -> None:
    """Forget a finished shared fetch; its error is taken here too, so that a fetch whose askers all left
    (their deadline passed) is not logged as an exception nobody retrieved."""
    inflight.pop(key, None)
    if not done.cancelled():
        done.exception()


def _basic(credentials: tuple[str, str]) -> str:
    user, secret = credentials
    return "Basic " + base64.b64encode(f"{user}:{secret}".encode()).decode("ascii")


def _verify(digest: str, content: bytes, what: str, *, strict: bool = True) -> None:
    """Raise ``Upstream`` when ``content`` does not hash to ``digest``.

    An algorithm we cannot compute is ``InvalidInput`` when the caller asked for it
    (``strict``), and is skipped when it only came in a response header.
    """
    algorithm = digest.split(":", 1)[0].lower()
    if algorithm not in _HASHES:
        if strict:
            raise InvalidInput(f"Digest algorithm {quoted(algorithm)} in {quoted(digest)} is not supported; use a sha256 digest.")
        return
    actual = compute_digest(content, algorithm)
    if actual != digest.lower():
        raise Upstream(
            f"{what} does not match its digest: expected {digest}, got {actual}. The content was corrupted or"
            " altered on the way; try again."
        )


def _parse_json(content: bytes, what: str, service: str) -> Any:
    """``service`` names the registry for messages ("the registry ghcr.io")."""
    try:
        return jsontext.loads(content)
    except jsontext.TooDeep:
        raise jsontext.too_deep(service, what=what) from None
    except ValueError:
        raise Upstream(f"The registry sent {what} as something other than JSON; try again shortly.") from None


def _referrers_index(content: bytes) -> ImageIndex | None:
    """A referrers answer as an image index, or ``None`` when it is not one (JSON or not)."""
    try:
        data = jsontext.loads(content)
    except ValueError:  # TooDeep too
        return None
    if not isinstance(data, dict) or not isinstance(data.get("manifests"), list):
        return None
    try:
        return ImageIndex.model_validate(data)
    except ValidationError:
        return None


def _parse_json_model(model: type[M], content: bytes, what: str, service: str) -> M:
    data = _parse_json(content, what, service)
    if not isinstance(data, dict):
        raise Upstream(f"The registry sent {what} in an unexpected shape.")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise Upstream(f"The registry sent {what} in an unexpected shape ({exc.error_count()} problems).") from None


def _parse_manifest(
    content: bytes, content_type: str | None, what: str, service: str
) -> tuple[str, ImageIndex | ImageManifest]:
    """The media type and parsed model of a manifest body, or a clear error for unknown kinds."""
    data = _parse_json(content, f"the manifest of {what}", service)
    if not isinstance(data, dict):
        raise Upstream(f"The registry sent the manifest of {what} in an unexpected shape.")
    header_type = _media_type(content_type)
    declared = data.get("mediaType") if isinstance(data.get("mediaType"), str) else None
    known = set(MANIFEST_MEDIA_TYPES)
    if header_type in known:
        media_type = header_type
    elif declared in known:
        media_type = str(declared)
    elif header_type in _GENERIC_CONTENT_TYPES and data.get("schemaVersion") == 2:
        if isinstance(data.get("manifests"), list):
            media_type = OCI_INDEX
        elif isinstance(data.get("config"), dict):
            media_type = OCI_MANIFEST
        else:
            media_type = ""
    else:
        media_type = ""
    if not media_type:
        shown = repr(header_type if header_type not in _GENERIC_CONTENT_TYPES else (declared or "unknown"))
        if data.get("schemaVersion") == 1:
            shown += " (Docker schema 1, deprecated since 2017)"
        raise Upstream(
            f"{what} uses manifest media type {shown}, which hub-mcp does not understand; it reads OCI image"
            " indexes and manifests and Docker v2 manifests and manifest lists."
        )
    label = f"the manifest of {what}"
    if media_type in INDEX_MEDIA_TYPES:
        return media_type, _parse_json_model(ImageIndex, content, label, service)
    return media_type, _parse_json_model(ImageManifest, content, label, service)
