"""A respx-mocked registry that demands Bearer tokens, and the token service that issues them.

The registry (``https://reg.example``) answers 401 with
``WWW-Authenticate: Bearer realm="https://auth.example/token",service="reg.example",scope="repository:<name>:pull"``
unless the request carries a token the token service issued (and has not revoked) for that
repository; like Docker Hub, it answers 401 ``error="insufficient_scope"`` for repositories that
do not exist and for private ones asked for anonymously. The token service checks Basic credentials when ``credentials`` is set, issues
``tok-1``, ``tok-2`` …, and records every request. Content is served from ``manifests`` and
``blobs`` dictionaries (``(repository, reference) → (media type, bytes)``).
"""

from __future__ import annotations

import base64
import json
import re
from dataclasses import dataclass, field
from typing import Any

import httpx
import respx

from tests.fakes.images import BuiltImage, BuiltIndex, sha256_digest

REGISTRY = "https://reg.example"
REALM = "https://auth.example/token"
SERVICE = "reg.example"


@dataclass
class BearerRegistry:
    credentials: tuple[str, str] | None = None  # required by the token service when set
    private: set[str] = field(default_factory=set)  # repositories anonymous tokens cannot pull
    expires_in: Any = 300
    token_field: str = "token"
    manifests: dict[tuple[str, str], tuple[str, bytes]] = field(default_factory=dict)
    blobs: dict[tuple[str, str], bytes] = field(default_factory=dict)
    issued: dict[str, tuple[str, bool]] = field(default_factory=dict)  # token -> (scope, authenticated)
    token_requests: list[httpx.Request] = field(default_factory=list)
    registry_requests: list[httpx.Request] = field(default_factory=list)
    challenge_header: str | None = None  # override the challenge text

    def install(self, router: respx.MockRouter) -> None:
        router.get(url__startswith=REALM).mock(side_effect=self._token)
        router.route(url__regex=rf"^{re.escape(REGISTRY)}/v2/.*").mock(side_effect=self._registry)

    def add_image(self, repository: str, tag: str | None, image: BuiltImage) -> None:
        self.manifests[(repository, image.manifest.digest)] = (image.manifest.media_type, image.manifest.data)
        if tag:
            self.manifests[(repository, tag)] = (image.manifest.media_type, image.manifest.data)
        for blob in image.blobs:
            self.blobs[(repository, blob.digest)] = blob.data

    def add_index(self, repository: str, tag: str, index: BuiltIndex) -> None:
        for image in (*index.images, *index.attestations):
            self.add_image(repository, None, image)
        for reference in (tag, index.manifest.digest):
            self.manifests[(repository, reference)] = (index.manifest.media_type, index.manifest.data)

    def revoke_all(self) -> None:
        self.issued.clear()

    # --- handlers ---------------------------------------------------------------------------

    def _token(self, request: httpx.Request) -> httpx.Response:
        self.token_requests.append(request)
        authenticated = False
        header = request.headers.get("authorization")
        if header:
            user, _, secret = base64.b64decode(header.split(" ", 1)[1]).decode().partition(":")
            if self.credentials is None or (user, secret) != self.credentials:
                return httpx.Response(401, json={"details": "incorrect username or password"})
            authenticated = True
        scope = request.url.params.get("scope", "")
        token = f"tok-{len(self.token_requests)}"
        self.issued[token] = (scope, authenticated)
        body: dict[str, Any] = {self.token_field: token}
        if self.expires_in is not None:
            body["expires_in"] = self.expires_in
        # json.dumps as Python writes it: NaN, Infinity and 10**400 included (httpx's json= refuses NaN)
        return httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})

    def _challenge(self, repository: str, error: str | None = None) -> httpx.Response:
        text = self.challenge_header or (
            f'Bearer realm="{REALM}",service="{SERVICE}",scope="repository:{repository}:pull"'
            + (f',error="{error}"' if error else "")
        )
        return httpx.Response(
            401,
            headers={"WWW-Authenticate": text},
            json={"errors": [{"code": "UNAUTHORIZED", "message": "authentication required", "detail": None}]},
        )

    def _registry(self, request: httpx.Request) -> httpx.Response:
        self.registry_requests.append(request)
        match = re.match(r"^/v2/(?P<name>.+)/(?P<kind>manifests|blobs|tags)/(?P<ref>.+)$", request.url.path)
        if not match:
            return httpx.Response(404)
        name, kind, reference = match["name"], match["kind"], match["ref"]
        header = request.headers.get("authorization", "")
        token = header[len("Bearer ") :] if header.startswith("Bearer ") else None
        if token is None or token not in self.issued:
            return self._challenge(name)
        scope, authenticated = self.issued[token]
        known = any(repository == name for repository, _ in self.manifests)  # Docker Hub: unknown = no access
        if scope != f"repository:{name}:pull" or not known or (name in self.private and not authenticated):
            return self._challenge(name, "insufficient_scope")
        if kind == "manifests":
            item = self.manifests.get((name, reference))
            if item is None:
                return httpx.Response(
                    404, json={"errors": [{"code": "MANIFEST_UNKNOWN", "message": "manifest unknown"}]}
                )
            media_type, data = item
            headers = {"Content-Type": media_type, "Docker-Content-Digest": sha256_digest(data)}
            if request.method == "HEAD":
                return httpx.Response(200, headers={**headers, "Content-Length": str(len(data))})
            return httpx.Response(200, headers=headers, content=data)
        if kind == "blobs":
            blob = self.blobs.get((name, reference))
            if blob is None:
                return httpx.Response(404, json={"errors": [{"code": "BLOB_UNKNOWN", "message": "blob unknown"}]})
            return httpx.Response(200, headers={"Content-Type": "application/octet-stream"}, content=blob)
        return httpx.Response(404)
