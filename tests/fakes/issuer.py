"""A local OAuth authorization server, as far as a resource server sees one: discovery metadata, a JWK Set,
and tokens signed with keys generated per run (``cryptography``), served by uvicorn on loopback.

    issuer = FakeIssuer()
    with issuer.serving() as url:          # url: http://127.0.0.1:<port>, which is also the issuer id
        token = issuer.mint(audience="https://mcp.example.com/mcp", scope="hub-mcp")

What it serves, and on whose word
---------------------------------
* ``GET /.well-known/openid-configuration`` → ``{"issuer", "jwks_uri", ...}`` with ``issuer`` equal to the
  base URL [documented: OpenID Connect Discovery 1.0, sections 3 and 4]; ``openid=False`` answers 404 there,
  and the same document at ``/.well-known/oauth-authorization-server`` [documented: RFC 8414, section 3].
* ``GET /jwks`` → ``{"keys": [...]}``: an RSA key (``kid`` "rsa-1", ``alg`` RS256) and an EC P-256 key
  (``kid`` "ec-1", no ``alg``) [documented: RFC 7517 section 5, RFC 7518 section 6]; ``rotate()`` adds a new
  RSA key that the set serves from then on (key rotation). Each fetch is counted.
* Tokens: JWS compact serialization [documented: RFC 7515], claims as RFC 9068 lists them (``iss``,
  ``aud``, ``exp``, ``iat``, ``sub``, ``client_id``, ``scope`` space-separated) [documented: RFC 9068,
  section 2.2]. :func:`forge_hs256` and :func:`forge_none` make the attacks' tokens by hand [documented:
  RFC 8725, sections 2.1 and 3.1, which describe them].
* An outage: with ``status`` set (e.g. 500), every path answers that status with a small HTML body
  [assumed: what an identity provider or its proxy answers when down is not specified anywhere; the
  resource server must not depend on the body]. ``requests`` counts every request, whatever its path.
"""

from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import socket
import threading
import time
from collections.abc import Awaitable, Callable, Iterator
from typing import Any

import jwt
import uvicorn
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, rsa
from jwt.algorithms import ECAlgorithm, RSAAlgorithm
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, JSONResponse, Response
from starlette.routing import Route


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class FakeIssuer:
    def __init__(self, *, openid: bool = True) -> None:
        self.openid = openid
        self.claimed: str | None = None
        """The ``issuer`` its metadata names, when not its own URL (a misconfigured or impostor issuer)."""
        self.url = ""
        self.jwks_fetches = 0
        self.requests = 0
        self.status: int | None = None
        """When set, every request is answered with this status (an outage), not the documents."""
        self.rsa = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        self.ec = ec.generate_private_key(ec.SECP256R1())
        self.keys: dict[str, Any] = {"rsa-1": self.rsa, "ec-1": self.ec}

    # --- serving ------------------------------------------------------------------------------

    def metadata(self) -> dict[str, Any]:
        return {
            "issuer": self.claimed or self.url,
            "jwks_uri": f"{self.url}/jwks",
            "authorization_endpoint": f"{self.url}/authorize",
            "token_endpoint": f"{self.url}/token",
            "response_types_supported": ["code"],
        }

    def jwks(self) -> dict[str, Any]:
        keys = []
        for kid, private in self.keys.items():
            if isinstance(private, rsa.RSAPrivateKey):
                entry = json.loads(RSAAlgorithm.to_jwk(private.public_key()))
                entry["alg"] = "RS256"
            else:
                entry = json.loads(ECAlgorithm.to_jwk(private.public_key()))
            entry.update({"kid": kid, "use": "sig"})
            keys.append(entry)
        keys.append({"kty": "oct", "kid": "secret", "k": _b64(b"must-never-be-used")})  # ignored by the server
        return {"keys": keys}

    def app(self) -> Starlette:
        async def openid(_: Request) -> Response:
            return JSONResponse(self.metadata()) if self.openid else JSONResponse({"error": "not found"}, 404)

        async def oauth(_: Request) -> Response:
            return JSONResponse(self.metadata())

        async def jwks(_: Request) -> Response:
            self.jwks_fetches += 1
            return JSONResponse(self.jwks())

        def counted(handler: Callable[[Request], Awaitable[Response]]) -> Callable[[Request], Awaitable[Response]]:
            async def answer(request: Request) -> Response:
                self.requests += 1
                if self.status is not None:
                    return HTMLResponse("<html><body>Service Unavailable</body></html>", self.status)
                return await handler(request)

            return answer

        return Starlette(
            routes=[
                Route("/.well-known/openid-configuration", counted(openid)),
                Route("/.well-known/oauth-authorization-server", counted(oauth)),
                Route("/jwks", counted(jwks)),
            ]
        )

    @contextlib.contextmanager
    def serving(self) -> Iterator[str]:
        port = _free_port()
        self.url = f"http://127.0.0.1:{port}"
        server = uvicorn.Server(uvicorn.Config(self.app(), host="127.0.0.1", port=port, log_level="warning"))
        thread = threading.Thread(target=server.run, name="fake-issuer", daemon=True)
        thread.start()
        try:
            deadline = time.monotonic() + 15
            while not server.started:
                assert thread.is_alive() and time.monotonic() < deadline, "the fake issuer did not start"
                time.sleep(0.01)
            yield self.url
        finally:
            server.should_exit = True
            thread.join(timeout=15)

    def rotate(self) -> str:
        """A new RSA signing key, served in the JWK Set from now on; its kid."""
        kid = f"rsa-{len(self.keys) + 1}"
        self.keys[kid] = rsa.generate_private_key(public_exponent=65537, key_size=2048)
        return kid

    # --- tokens -------------------------------------------------------------------------------

    def claims(self, **overrides: Any) -> dict[str, Any]:
        now = int(time.time())
        claims: dict[str, Any] = {
            "iss": self.url,
            "sub": "user-42",
            "client_id": "team-agent",
            "aud": "https://mcp.example.com/mcp",
            "iat": now,
            "exp": now + 300,
            "scope": "hub-mcp",
        }
        claims.update(overrides)
        return {key: value for key, value in claims.items() if value is not None}

    def mint(self, *, kid: str = "rsa-1", alg: str | None = None, **claims: Any) -> str:
        """A token signed with the key ``kid`` (RS256 for RSA keys, ES256 for EC, unless ``alg``)."""
        private = self.keys[kid]
        algorithm = alg or ("RS256" if isinstance(private, rsa.RSAPrivateKey) else "ES256")
        return jwt.encode(self.claims(**claims), private, algorithm=algorithm, headers={"kid": kid})

    def public_pem(self) -> bytes:
        return self.rsa.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )


def forge_hs256(secret: bytes, claims: dict[str, Any], kid: str = "rsa-1") -> str:
    """An HS256 token whose HMAC key is ``secret`` (the key-confusion attack: the issuer's public key)."""
    head = _b64(json.dumps({"alg": "HS256", "typ": "JWT", "kid": kid}).encode())
    body = _b64(json.dumps(claims).encode())
    signature = hmac.new(secret, f"{head}.{body}".encode(), hashlib.sha256).digest()
    return f"{head}.{body}.{_b64(signature)}"


def forge_none(claims: dict[str, Any], kid: str = "rsa-1") -> str:
    """An unsigned token (``alg: none``, empty signature)."""
    head = _b64(json.dumps({"alg": "none", "typ": "JWT", "kid": kid}).encode())
    return f"{head}.{_b64(json.dumps(claims).encode())}."


class HangingIssuer:
    """An identity provider that accepts TCP connections and never answers (a hung process, a proxy whose
    upstream hangs) [assumed: the failure a user's trial met; no document describes it]. ``connections``
    counts the connections accepted; each is held open, unanswered, until the context ends.

        with HangingIssuer().serving() as url: ...
    """

    def __init__(self) -> None:
        self.url = ""
        self.connections = 0

    @contextlib.contextmanager
    def serving(self) -> Iterator[str]:
        listener = socket.socket()
        listener.bind(("127.0.0.1", 0))
        listener.listen(64)
        listener.settimeout(0.05)
        self.url = f"http://127.0.0.1:{listener.getsockname()[1]}"
        held: list[socket.socket] = []
        stop = threading.Event()

        def accept() -> None:
            while not stop.is_set():
                try:
                    connection, _ = listener.accept()
                except TimeoutError:
                    continue
                except OSError:
                    return
                held.append(connection)  # read nothing, answer nothing
                self.connections += 1

        thread = threading.Thread(target=accept, name="hanging-issuer", daemon=True)
        thread.start()
        try:
            yield self.url
        finally:
            stop.set()
            thread.join(timeout=15)
            for connection in held:
                connection.close()
            listener.close()
