"""Registry authentication pieces: ``WWW-Authenticate`` parsing and the bearer-token cache.

Registries say how to authenticate in the ``WWW-Authenticate`` header of a 401 (RFC 7235):
``Bearer realm="https://auth.docker.io/token",service="registry.docker.io",scope="repository:library/python:pull"``
or ``Basic realm="..."``. :func:`parse_challenges` reads such headers robustly (quoted values
with commas and escaped quotes, several challenges in one header, any case). The token flow
itself lives in :class:`hub_mcp.registry.client.RegistryClient`; :class:`TokenCache` keeps the
tokens it obtains per (registry host, scope) until shortly before they expire.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

_TOKEN_CHARS = frozenset("!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ")


@dataclass(frozen=True)
class Challenge:
    """One authentication challenge: a lowercased scheme and its parameters (lowercased names)."""

    scheme: str
    params: dict[str, str] = field(default_factory=dict)

    @property
    def realm(self) -> str | None:
        return self.params.get("realm")

    @property
    def service(self) -> str | None:
        return self.params.get("service")

    @property
    def scope(self) -> str | None:
        return self.params.get("scope")

    @property
    def error(self) -> str | None:
        return self.params.get("error")


class _Scanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def skip(self, chars: str = " \t") -> None:
        while self.pos < len(self.text) and self.text[self.pos] in chars:
            self.pos += 1

    def peek(self) -> str:
        return self.text[self.pos] if self.pos < len(self.text) else ""

    def token(self) -> str:
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] in _TOKEN_CHARS:
            self.pos += 1
        return self.text[start : self.pos]

    def quoted(self) -> str:
        """Read a quoted string (the opening quote is current); ``\\x`` stands for ``x``."""
        self.pos += 1
        out: list[str] = []
        while self.pos < len(self.text):
            char = self.text[self.pos]
            if char == "\\" and self.pos + 1 < len(self.text):
                out.append(self.text[self.pos + 1])
                self.pos += 2
                continue
            self.pos += 1
            if char == '"':
                break
            out.append(char)
        return "".join(out)

    def value(self) -> str:
        if self.peek() == '"':
            return self.quoted()
        start = self.pos
        while self.pos < len(self.text) and self.text[self.pos] not in ", \t":
            self.pos += 1
        return self.text[start : self.pos]

    def next_is_param(self) -> bool:
        """True when a ``name=`` follows (a parameter), False when a new scheme starts."""
        saved = self.pos
        name = self.token()
        self.skip()
        is_param = bool(name) and self.peek() == "=" and self.text[self.pos : self.pos + 2] != "=="
        self.pos = saved
        return is_param


def parse_challenges(headers: Iterable[str] | str | None) -> list[Challenge]:
    """Parse ``WWW-Authenticate`` header values into challenges; junk is skipped, never raised."""
    if headers is None:
        return []
    values = [headers] if isinstance(headers, str) else list(headers)
    challenges: list[Challenge] = []
    for text in values:
        scan = _Scanner(text)
        while True:
            scan.skip(" \t,")
            if not scan.peek():
                break
            scheme = scan.token()
            if not scheme:
                scan.pos += 1  # a stray character: step over it
                continue
            params: dict[str, str] = {}
            scan.skip()
            if scan.peek() and scan.peek() != "," and not scan.next_is_param():
                scan.value()  # token68 (e.g. 'Negotiate abc=='): not used by registries
            while True:
                scan.skip(" \t,")
                if not scan.peek() or not scan.next_is_param():
                    break
                name = scan.token().lower()
                scan.skip()
                scan.pos += 1  # '='
                scan.skip()
                params.setdefault(name, scan.value())
            challenges.append(Challenge(scheme=scheme.lower(), params=params))
    return challenges


def pick_challenge(challenges: list[Challenge]) -> Challenge | None:
    """The challenge to answer: Bearer (with a realm) first, then Basic."""
    for challenge in challenges:
        if challenge.scheme == "bearer" and challenge.realm:
            return challenge
    for challenge in challenges:
        if challenge.scheme == "basic":
            return challenge
    return None


DEFAULT_TOKEN_LIFETIME = 60.0  # seconds; the distribution token spec's default for a missing expires_in
MAX_TOKEN_LIFETIME = 3600.0
"""The longest a token is kept, whatever ``expires_in`` says (Docker Hub's are 300 s): asking again is cheap."""


def token_lifetime(expires_in: object) -> float:
    """Seconds to keep a token for, from a token service's ``expires_in``: a positive finite number, at most
    :data:`MAX_TOKEN_LIFETIME`; anything else (missing, text, negative, NaN, infinite, 10**400) counts as
    missing, so :data:`DEFAULT_TOKEN_LIFETIME` (the spec's default). Keeping a token for less than it is
    valid only costs a new one; keeping it longer would send an expired one."""
    if isinstance(expires_in, bool) or not isinstance(expires_in, int | float):
        return DEFAULT_TOKEN_LIFETIME
    if not expires_in > 0:  # negative, zero, NaN (JSON's decoder reads NaN; it is not > 0)
        return DEFAULT_TOKEN_LIFETIME
    if expires_in >= MAX_TOKEN_LIFETIME:  # compared before float(): float(10**400) overflows
        return MAX_TOKEN_LIFETIME
    return float(expires_in)


@dataclass
class CachedToken:
    token: str
    expires_at: float  # on the cache's clock
    fetched_at: float


class TokenCache:
    """Bearer tokens per (registry host, scope), dropped shortly before they expire.

    The margin is 20 % of the lifetime, at most 30 s: a 60 s token is reused for 48 s, a
    300 s token (Docker Hub) for 270 s.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic, max_entries: int = 256) -> None:
        self._clock = clock
        self._max = max_entries
        self._tokens: dict[tuple[str, str], CachedToken] = {}

    def get(self, host: str, scope: str) -> CachedToken | None:
        entry = self._tokens.get((host, scope))
        if entry is None:
            return None
        if self._clock() >= entry.expires_at:
            del self._tokens[(host, scope)]
            return None
        return entry

    def put(self, host: str, scopes: Iterable[str], token: str, expires_in: object) -> CachedToken:
        """Keep ``token`` for the ``scopes``; ``expires_in`` as the token service sent it (see :func:`token_lifetime`)."""
        lifetime = token_lifetime(expires_in)
        margin = min(30.0, lifetime * 0.2)
        now = self._clock()
        entry = CachedToken(token=token, expires_at=now + lifetime - margin, fetched_at=now)
        for scope in scopes:
            self._tokens.pop((host, scope), None)
            self._tokens[(host, scope)] = entry
        while len(self._tokens) > self._max:
            self._tokens.pop(next(iter(self._tokens)))
        return entry

    def drop(self, host: str, scope: str) -> None:
        self._tokens.pop((host, scope), None)

    def clear(self) -> None:
        self._tokens.clear()
