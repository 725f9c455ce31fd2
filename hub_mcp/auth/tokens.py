"""The checks a JWT access token must pass before the HTTP service serves its bearer (PyJWT does the JOSE).

In order, each failure a :class:`TokenRejected` with the reason (for the log and the 401's
``error_description``; never the token):

1. The header's ``alg`` is one of :data:`ALGORITHMS` (RS256, PS256, ES256, EdDSA). ``none`` and the
   HMAC algorithms are refused before any key is looked at: an HS256 token "signed" with the issuer's
   public key (the key-confusion attack) never reaches a verifier.
2. The claims, read without the signature: ``iss`` is the issuer, ``aud`` holds the audience, ``exp`` is in
   the future and ``nbf`` (when present) in the past, each with :data:`LEEWAY` seconds for clock skew;
   ``exp``, ``iss`` and ``aud`` are required. This decides nothing in the token's favour (step 4 checks them
   again, signed): it refuses a token that cannot pass before the issuer's keys are asked for, so that while
   the issuer is down an expired token, or one for another issuer or audience, is still refused (401), not
   answered "retry" (503), and such tokens never make the keys be fetched.
3. The key the ``kid`` names is in the issuer's JWK Set (:class:`hub_mcp.auth.keys.IssuerKeys`; when that
   set cannot be fetched, :class:`hub_mcp.auth.keys.KeysUnavailable`, not a rejection), and the
   ``alg`` fits the key: the key's own ``alg`` when it declares one, else its type (RSA: RS256 or PS256;
   EC P-256: ES256; OKP Ed25519: EdDSA).
4. The signature, then the claims again as in step 2.
5. The scopes (``scope``, space-separated, RFC 9068 section 2.2.3; or ``scp``, a list or string, as some
   identity providers send) are read; whether they are enough is for the caller (the HTTP layer asks for
   the required scope on every request and the write scope on write tools).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import jwt
from jwt.exceptions import PyJWTError
from jwt.types import Options

from hub_mcp.auth.keys import IssuerKeys, SigningKey

ALGORITHMS = ("RS256", "PS256", "ES256", "EdDSA")
"""The signature algorithms accepted: asymmetric only."""
LEEWAY = 30
"""Seconds of clock skew allowed on ``exp`` and ``nbf``."""
MAX_SCOPES = 64
"""The most scopes read from one token."""


def claim_checks(*, signature: bool) -> Options:
    """PyJWT's options: the claims checked (said outright: without the signature check PyJWT would skip them),
    and the signature or not."""
    return {
        "verify_signature": signature,
        "verify_exp": True,
        "verify_nbf": True,
        "verify_iss": True,
        "verify_aud": True,
        "require": ["exp", "iss", "aud"],
    }


def _reason(exc: PyJWTError) -> str:
    """PyJWT's refusal as a reason: its class and message (PyJWT's messages name claims, not their values)."""
    return f"{type(exc).__name__}: {str(exc)[:120]}"


class TokenRejected(Exception):
    """A token that does not pass; ``str()`` is the reason, for the log and the client (never holds the token;
    may hold the token's ``kid``, which the HTTP layer sanitizes)."""


@dataclass(frozen=True)
class Claims:
    """What a valid token says about its bearer."""

    client_id: str
    subject: str | None
    scopes: tuple[str, ...]
    expires_at: int | None
    audience: tuple[str, ...]
    issuer: str
    extra: dict[str, Any] = field(default_factory=dict, compare=False)


def algorithms_for(key: SigningKey) -> tuple[str, ...]:
    """The algorithms a token may use with ``key``."""
    if key.alg:
        return (key.alg,) if key.alg in ALGORITHMS else ()
    if key.kty == "RSA":
        return ("RS256", "PS256")
    if key.kty == "EC" and key.crv in (None, "P-256"):
        return ("ES256",)
    if key.kty == "OKP" and key.crv == "Ed25519":
        return ("EdDSA",)
    return ()


def scopes_of(payload: dict[str, Any]) -> tuple[str, ...]:
    """The token's scopes: ``scope`` (a space-separated string) or ``scp`` (a list, or such a string)."""
    raw = payload.get("scope", payload.get("scp"))
    if isinstance(raw, str):
        items = raw.split()
    elif isinstance(raw, list):
        items = [item for item in raw if isinstance(item, str)]
    else:
        items = []
    return tuple(dict.fromkeys(items[:MAX_SCOPES]))


class TokenValidator:
    """Validates JWT access tokens from one issuer for one audience."""

    def __init__(self, issuer: str, audience: str, keys: IssuerKeys | None = None) -> None:
        self.issuer = issuer
        self.audience = audience
        self.keys = keys or IssuerKeys(issuer)

    async def aclose(self) -> None:
        await self.keys.aclose()

    def _claims(self, token: str, *, key: SigningKey | None = None, alg: str | None = None) -> dict[str, Any]:
        """The token's claims checked (iss, aud, exp, nbf), with its signature by ``key`` and ``alg`` when given,
        else unverified; :class:`TokenRejected` with PyJWT's reason."""
        try:
            payload: dict[str, Any] = jwt.decode(
                token,
                key=key.jwk.key if key is not None else "",
                algorithms=[alg] if alg is not None else None,
                audience=self.audience,
                issuer=self.issuer,
                leeway=LEEWAY,
                options=claim_checks(signature=key is not None),
            )
        except PyJWTError as exc:
            raise TokenRejected(_reason(exc)) from None
        return payload

    async def validate(self, token: str) -> Claims:
        """The token's claims when it passes every check above; else :class:`TokenRejected`. Raises
        :class:`hub_mcp.auth.keys.KeysUnavailable` when the issuer's keys cannot be had (the token is then
        neither accepted nor rejected)."""
        try:
            header = jwt.get_unverified_header(token)
        except PyJWTError:
            raise TokenRejected("not a JWT (unreadable header)") from None
        alg = header.get("alg")
        if alg not in ALGORITHMS:
            raise TokenRejected(f"algorithm {str(alg)[:20]!r} is not accepted (only {', '.join(ALGORITHMS)})")
        kid = header.get("kid")
        if kid is not None and not isinstance(kid, str):
            raise TokenRejected("the header's kid is not a string")
        self._claims(token)  # unverified: what fails here fails whatever the keys say (step 2 above)
        key = await self.keys.key_for(kid)  # KeysUnavailable goes on: it says nothing about the token
        if key is None:
            said = f"no key {str(kid)[:60]!r} in the issuer's key set" if kid else "the token names no kid"
            raise TokenRejected(said)
        if alg not in algorithms_for(key):
            raise TokenRejected(f"algorithm {alg} does not fit the issuer's key {str(kid)[:60]!r}")
        payload = self._claims(token, key=key, alg=alg)
        subject = payload.get("sub") if isinstance(payload.get("sub"), str) else None
        client = next(
            (payload[name] for name in ("client_id", "azp", "sub") if isinstance(payload.get(name), str)), "unknown"
        )
        audience = payload.get("aud")
        audiences = (audience,) if isinstance(audience, str) else tuple(a for a in audience or () if isinstance(a, str))
        expires = payload.get("exp")
        return Claims(
            client_id=client,
            subject=subject,
            scopes=scopes_of(payload),
            expires_at=int(expires) if isinstance(expires, (int, float)) else None,
            audience=audiences,
            issuer=self.issuer,
        )
