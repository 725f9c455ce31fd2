"""Settings: from command-line flags, then environment variables, then defaults.

Every setting has one environment variable and (except the secrets, which never go on a
command line where ``ps`` would show them) one flag. ``hub-mcp --help`` lists them all.
Each is stated once, as an :class:`Option` in :data:`OPTIONS`: its variable, flag, help,
default and the :class:`Kind` of value (which holds its bounds or choices). The flags, the
help, the reading of the environment, the defaults of :class:`Settings` and the checks of
values given in code are all derived from there.

Every value from a flag or the environment arrives as text and is parsed here, in one place,
so that a bad one is refused with a single line that names the flag or variable it came from
and the value (never a secret's value) and says what would be right: see :class:`SettingError`.
This module is plain Python (no pydantic): the command line imports it before anything else.
"""

from __future__ import annotations

import math
import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeVar

Transport = Literal["stdio", "streamable-http"]
TRANSPORT_ALIASES: dict[str, Transport] = {"http": "streamable-http"}
"""Other spellings accepted for a transport: ``--transport http`` is streamable HTTP."""
LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]
TRANSPORTS: tuple[Transport, ...] = ("stdio", "streamable-http")
LOG_LEVELS: tuple[LogLevel, ...] = ("DEBUG", "INFO", "WARNING", "ERROR")
TOOLSETS: tuple[str, ...] = ("search", "repositories", "tags", "images", "advisor", "namespaces")
"""The tool groups ``--toolsets`` chooses from, in the order tools/list gives them. Each toolset
module in ``hub_mcp/server/`` declares its name as ``TOOLSET``; a test keeps the two in step."""


class Secret:
    """A secret string that never shows itself in ``repr``, ``str`` or an f-string."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get_secret_value(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "Secret('**********')"

    def __str__(self) -> str:
        return "**********"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __bool__(self) -> bool:
        return bool(self._value)


# --- parsing one value: each raises ValueError with the problem, never repeating the value ---


def parse_url(text: str) -> str:
    value = text.strip().rstrip("/")
    if not value.startswith(("http://", "https://")) or value in ("http:/", "https:/", "http:", "https:"):
        raise ValueError("not an http:// or https:// URL")
    return value


def parse_seconds(low: float, high: float, *, zero_ok: bool) -> Callable[[str], float]:
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise ValueError("not a number of seconds") from None
        if not math.isfinite(value):  # float() accepts nan, inf, -infinity, ...
            raise ValueError("not a finite number of seconds")
        return check_seconds(value, low, high, zero_ok=zero_ok)

    return parse


def check_seconds(value: float, low: float, high: float, *, zero_ok: bool) -> float:
    if not math.isfinite(value):
        raise ValueError("not a finite number of seconds")
    if (value < low if zero_ok else value <= low) or value > high:
        bounds = f"{low:g} to {high:g}" if zero_ok else f"more than {low:g} and at most {high:g}"
        raise ValueError(f"out of range: must be {bounds} seconds")
    return float(value)


def parse_whole(low: int, high: int, what: str) -> Callable[[str], int]:
    def parse(text: str) -> int:
        try:
            value = int(text.strip())
        except ValueError:
            raise ValueError(f"not a whole number ({what})") from None
        return check_whole(value, low, high, what)

    return parse


def check_whole(value: int, low: int, high: int, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"not a whole number ({what})")
    if not low <= value <= high:
        raise ValueError(f"out of range: {what} must be {low} to {high}")
    return value


def parse_choice(choices: tuple[str, ...], *, upper: bool = False) -> Callable[[str], str]:
    def parse(text: str) -> str:
        value = text.strip().upper() if upper else text.strip()
        if value not in choices:
            raise ValueError(f"not one of {', '.join(choices)}")
        return value

    return parse


TRUE_WORDS = ("1", "true", "yes", "on")
FALSE_WORDS = ("0", "false", "no", "off")


def parse_switch(text: str) -> bool:
    """An on/off setting: ``1/true/yes/on`` or ``0/false/no/off`` (any case)."""
    value = text.strip().lower()
    if value in TRUE_WORDS:
        return True
    if value in FALSE_WORDS:
        return False
    raise ValueError(f"not one of {'/'.join(TRUE_WORDS)} or {'/'.join(FALSE_WORDS)}")


def parse_transport(text: str) -> str:
    value = text.strip().lower()
    return parse_choice(TRANSPORTS)(TRANSPORT_ALIASES.get(value, value))


def parse_cache_url(text: str) -> Secret:
    """A Redis URL (it may hold a password, so it is kept as a :class:`Secret`)."""
    value = text.strip()
    if not value.startswith(("redis://", "rediss://", "unix://")) or value.split("://", 1)[1] in ("", "/"):
        raise ValueError("not a redis:// (or rediss://, unix://) URL")
    return Secret(value)


CACHE_KEY_MIN = 32
"""The fewest characters HUB_MCP_CACHE_KEY may have (64 hex digits are what the README's command makes)."""
CACHE_KEY_COMMAND = "python3 -c 'import secrets; print(secrets.token_hex(32))'"
"""A command that prints a good HUB_MCP_CACHE_KEY (the help and the README give it)."""
MAKE_CACHE_KEY = f"$({CACHE_KEY_COMMAND})"
"""The same as a shell expression, for messages: ``HUB_MCP_CACHE_KEY=$(...)``."""


def parse_cache_key(text: str) -> Secret:
    """The key that signs the shared cache's entries: at least :data:`CACHE_KEY_MIN` characters."""
    value = text.strip()
    if len(value) < CACHE_KEY_MIN:
        raise ValueError(f"too short: a signing key needs at least {CACHE_KEY_MIN} characters")
    return Secret(value)


def cache_url_is_local(url: str) -> bool:
    """Whether a Redis URL (``redis://``, ``rediss://``, ``unix://``) stays on this machine: a unix
    socket or a loopback host (no host means redis-py's default, localhost)."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:
        return False
    return parts.scheme == "unix" or is_loopback(host or "localhost")


def parse_host_patterns(text: str) -> tuple[str, ...]:
    """Comma-separated ``Host`` values (``mcp.example.com``, ``10.0.0.5:8000``, ``name:*``)."""
    values = tuple(h.strip().lower() for h in text.split(",") if h.strip())
    for value in values:
        if "/" in value or " " in value:
            raise ValueError("each entry must be a host name with an optional :port, e.g. mcp.example.com:8000")
    return values


def parse_origins(text: str) -> tuple[str, ...]:
    """Comma-separated browser origins (``https://app.example.com``, ``http://localhost:*``)."""
    values = tuple(o.strip().rstrip("/").lower() for o in text.split(",") if o.strip())
    for value in values:
        scheme, sep, rest = value.partition("://")
        if scheme not in ("http", "https") or not sep or not rest or "/" in rest:
            raise ValueError("each entry must be an origin like https://app.example.com (scheme, host, optional port)")
    return values


def _url_host(url: str) -> str:
    from urllib.parse import urlsplit

    try:
        return urlsplit(url).hostname or ""
    except ValueError:
        return ""


def is_loopback(host: str) -> bool:
    """Whether a listen address only accepts connections from this machine."""
    import ipaddress

    value = host.strip().strip("[]").lower()
    if value == "localhost":
        return True
    try:
        return ipaddress.ip_address(value).is_loopback
    except ValueError:
        return False


TOKEN_MIN_LENGTH = 32
"""The fewest characters of HUB_MCP_AUTH_TOKEN on a listen address beyond loopback."""
TOKEN_MIN_DISTINCT = 8
"""The fewest different characters in it: ``"a" * 40`` is long but not random."""


def weak_token(token: str) -> str | None:
    """Which rule a client token breaks, as the end of a sentence about it ("is 6 characters; use at least
    32 random ones"), or None when it is long and varied enough to stand between the network and this
    server's credentials: ``secrets.token_urlsafe(32)`` (43 characters) or ``openssl rand -hex 32`` (64) pass.
    The sentence gives counts only, never the token."""

    def count(n: int, word: str) -> str:
        return f"{n} {word}" if n == 1 else f"{n} {word}s"

    if len(token) < TOKEN_MIN_LENGTH:
        return f"is {count(len(token), 'character')}; use at least {TOKEN_MIN_LENGTH} random ones"
    if len(set(token)) < TOKEN_MIN_DISTINCT:
        return f"has only {count(len(set(token)), 'different character')}; use a random one"
    return None


def parse_toolsets(text: str) -> tuple[str, ...]:
    """``search,tags`` → the chosen toolsets in :data:`TOOLSETS` order; ``all`` means every one."""
    chosen = [part.strip().lower() for part in text.split(",") if part.strip()]
    if not chosen:
        raise ValueError(f"no toolset named: give a comma list of {', '.join(TOOLSETS)} or all")
    unknown = [name for name in chosen if name != "all" and name not in TOOLSETS]
    if unknown:
        names = ", ".join(repr(name) for name in unknown)
        raise ValueError(f"unknown toolset {names}: the toolsets are {', '.join(TOOLSETS)} and all")
    if "all" in chosen:
        return TOOLSETS
    return tuple(name for name in TOOLSETS if name in chosen)


def parse_username(text: str) -> str | None:
    return text.strip() or None


def parse_hosts(text: str) -> tuple[str, ...]:
    return tuple(h.strip().lower() for h in text.split(",") if h.strip())


def parse_secret(text: str) -> Secret:
    return Secret(text.strip())


def parse_registry_credentials(text: str) -> Secret:
    _parse_logins(text)
    return Secret(text)


def _parse_logins(text: str) -> list[tuple[str, tuple[str, str]]]:
    """``host=user:secret,host2=user:secret`` → pairs; the error never repeats a secret."""
    pairs = []
    for number, entry in enumerate((e.strip() for e in text.split(",")), start=1):
        if not entry:
            continue
        host, _, login = entry.partition("=")
        user, _, secret = login.partition(":")
        if not host.strip() or not user.strip() or not secret:
            raise ValueError(f"entry {number} must look like host=user:token")
        pairs.append((host.strip().lower(), (user.strip(), secret)))
    return pairs


T = TypeVar("T")


@dataclass(frozen=True)
class Kind(Generic[T]):
    """One kind of value: how its text (a flag or variable) is read, how a value given in code
    (tests, benchmarks: ``Settings(timeout=5)``) is checked, and (for the help) its choices.
    The bounds of a number live here, once: the same ones serve the text and the value."""

    parse: Callable[[str], T]
    """Text -> value; raises ValueError with the problem, never repeating the value."""
    check: Callable[[Any, str], T]
    """A value given in code, and the setting's name -> the value as kept; raises like ``parse``."""
    choices: tuple[str, ...] = ()
    """What the help's ``{choices}`` lists, the default marked."""
    example: str | None = None
    """A good value for error messages when the option's default text is not one."""
    switch: bool = False
    """On/off: the flag takes no value (given means on)."""
    secret: bool = False
    """The value is never repeated: not in errors, not in logs."""

    def choices_text(self, default: str | None) -> str:
        """``stdio (default) or streamable-http``: the choices, the default marked."""
        shown = [f"{c} (default)" if c == default else c for c in self.choices]
        return f"{', '.join(shown[:-1])} or {shown[-1]}" if len(shown) > 1 else "".join(shown)


def _kept(value: Any, _name: str) -> Any:
    return value


def url() -> Kind[str]:
    return Kind(parse_url, lambda value, _: parse_url(value))


def optional_url(parse: Callable[[str], str] = parse_url) -> Kind[str | None]:
    """A URL that may be left unset (None; blank in code too)."""
    return Kind(parse, lambda value, _: parse(value) if value else None)


def parse_issuer(text: str) -> str:
    """An OAuth issuer identifier, spelt exactly as given (a trailing slash kept: tokens' ``iss`` is compared as
    a string, RFC 8414 section 3.3, and some issuers' identifiers end with one)."""
    value = text.strip()
    parse_url(value)
    if "?" in value or "#" in value:
        raise ValueError("an issuer URL has no query or fragment (RFC 8414, section 2)")
    return value


def parse_scope(text: str) -> str:
    """One OAuth scope (RFC 6749, section 3.3: printable, no spaces or quotes)."""
    value = text.strip()
    if not value or any(c in value for c in ' "\\') or not value.isprintable():
        raise ValueError("not one OAuth scope (a word without spaces or quotes)")
    return value


def parse_audience(text: str) -> str:
    value = text.strip()
    if not value or not value.isprintable():
        raise ValueError("not an audience (the aud your issuer puts in access tokens, e.g. a URL)")
    return value


def optional_text(parse: Callable[[str], str]) -> Kind[str | None]:
    return Kind(parse, lambda value, _: parse(value) if value else None)


def seconds(low: float, high: float, *, zero_ok: bool) -> Kind[float]:
    """A number of seconds: more than ``low`` (or from ``low``, when ``zero_ok``) up to ``high``."""
    return Kind(
        parse_seconds(low, high, zero_ok=zero_ok), lambda value, _: check_seconds(value, low, high, zero_ok=zero_ok)
    )


def whole(low: int, high: int, what: str) -> Kind[int]:
    """A whole number from ``low`` to ``high``; ``what`` names it in errors ("retries")."""
    return Kind(parse_whole(low, high, what), lambda value, _: check_whole(value, low, high, what))


def choice(choices: tuple[str, ...], parse: Callable[[str], str]) -> Kind[str]:
    return Kind(parse, lambda value, _: parse(value), choices=choices)


def text_list(parse: Callable[[str], tuple[str, ...]]) -> Kind[tuple[str, ...]]:
    """A comma list as text, or in code a string or a sequence of strings."""
    return Kind(parse, lambda value, _: parse(value if isinstance(value, str) else ",".join(value)))


def secret(parse: Callable[[str], Secret], keep: Callable[[str], Secret] = Secret) -> Kind[Secret | None]:
    """A secret: from text by ``parse``; in code a string (blank: none) made a Secret by ``keep``."""

    def check(value: Any, name: str) -> Secret | None:
        if isinstance(value, str):
            return keep(value) if value else None
        if value is not None and not isinstance(value, Secret):
            raise TypeError(f"{name} must be a string or Secret")
        return value

    return Kind(parse, check, secret=True)


SWITCH: Kind[bool] = Kind(
    parse_switch,
    lambda value, _: value if isinstance(value, bool) else parse_switch(str(value)),
    example="1",
    switch=True,
)
"""An on/off setting: ``1/true/yes/on`` or ``0/false/no/off`` (any case); the flag alone means on."""


@dataclass(frozen=True)
class Option:
    """One setting, stated once: its variable and flag, its help, the kind of value (which holds
    its bounds) and its default, as text a user could give. The command line's flags and
    ``--help``, the reading of the environment, :class:`Settings`' defaults and the checks of
    values given in code all come from here."""

    field: str
    env: str
    flag: str | None
    about: str
    """The help; ``{default}`` stands for the default text, ``{choices}`` for the choices."""
    kind: Kind[Any]
    default: str | None = None
    """The default as text, read by the kind like a flag's value; None: no value (None)."""
    sample: str | None = None
    """A good value for error messages ('set e.g. HUB_MCP_TIMEOUT=20'); the kind's or the default when not given."""

    @property
    def help(self) -> str:
        return self.about.replace("{default}", self.default or "").replace(
            "{choices}", self.kind.choices_text(self.default)
        )

    @property
    def example(self) -> str:
        return self.sample or self.kind.example or self.default or ""

    @property
    def parse(self) -> Callable[[str], Any]:
        return self.kind.parse

    @property
    def secret(self) -> bool:
        return self.kind.secret

    @property
    def switch(self) -> bool:
        return self.kind.switch

    def value(self) -> Any:
        """The default as :class:`Settings` holds it."""
        return None if self.default is None else self.kind.parse(self.default)


MAX_WORKERS = 64
"""Most HTTP worker processes (--workers): far more than a machine's cores is only memory."""
HOSTS = text_list(parse_hosts)
OPTIONS: tuple[Option, ...] = (
    Option(
        "hub_url",
        "HUB_MCP_HUB_URL",
        "--hub-url",
        "Docker Hub API base URL (default {default}).",
        url(),
        default="https://hub.docker.com",
    ),
    Option(
        "registry_url",
        "HUB_MCP_REGISTRY_URL",
        "--registry-url",
        "Docker Hub registry base URL (default {default}).",
        url(),
        default="https://registry-1.docker.io",
    ),
    Option(
        "osv_url",
        "HUB_MCP_OSV_URL",
        "--osv-url",
        "OSV (osv.dev) API base URL, asked about the known vulnerabilities of an image's packages (default"
        " {default}).",
        url(),
        default="https://api.osv.dev",
    ),
    Option(
        "dhi_url",
        "HUB_MCP_DHI_URL",
        "--dhi-url",
        "Docker Hardened Images registry base URL, where hardened equivalents are checked live when a login for"
        " dhi.io exists (default {default}).",
        url(),
        default="https://dhi.io",
    ),
    Option(
        "username",
        "HUB_USERNAME",
        "--username",
        "Docker Hub user or organization that owns HUB_PAT_TOKEN.",
        Kind(parse_username, lambda value, _: parse_username(value) if value else None),
        sample="your-docker-id",
    ),
    Option(
        "pat_token",
        "HUB_PAT_TOKEN",
        None,
        "Docker Hub personal or organization access token (environment only; needs HUB_USERNAME)."
        " Without it: anonymous public reads.",
        secret(parse_secret),
        sample="dckr_pat_...",
    ),
    Option(
        "registry_credentials",
        "HUB_MCP_REGISTRY_CREDENTIALS",
        None,
        "Logins for other registries, 'host=user:token,...' (environment only), e.g. ghcr.io=me:ghp_...",
        secret(parse_registry_credentials),
        sample="ghcr.io=me:ghp_...",
    ),
    Option(
        "insecure_registries",
        "HUB_MCP_INSECURE_REGISTRIES",
        "--insecure-registries",
        "Comma-separated registry hosts to reach over plain HTTP (localhost and 127.0.0.1 always are).",
        HOSTS,
        default="",
        sample="registry.lan:5000",
    ),
    Option(
        "allowed_registries",
        "HUB_MCP_ALLOWED_REGISTRIES",
        "--allowed-registries",
        "Comma-separated registry hosts (host or host:port) the server may contact; when set, no other"
        " registry is. Needed under streamable-http for loopback or private hosts. The Hub and registry URLs"
        " are always allowed; link-local and cloud-metadata addresses never are.",
        HOSTS,
        default="",
        sample="registry.lan:5000",
    ),
    Option(
        "timeout",
        "HUB_MCP_TIMEOUT",
        "--timeout",
        "Seconds per HTTP request (default {default}).",
        seconds(0, 300, zero_ok=False),
        default="20",
    ),
    Option(
        "call_timeout",
        "HUB_MCP_CALL_TIMEOUT",
        "--call-timeout",
        "Most seconds one tool call may take in all, retries and waits included (default {default}).",
        seconds(0, 3600, zero_ok=False),
        default="60",
    ),
    Option(
        "max_retries",
        "HUB_MCP_MAX_RETRIES",
        "--max-retries",
        "Retries after connect errors, 5xx, 429 (default {default}).",
        whole(0, 10, "retries"),
        default="3",
    ),
    Option(
        "retry_max_wait",
        "HUB_MCP_RETRY_MAX_WAIT",
        "--retry-max-wait",
        "Most seconds spent waiting between retries of one request (default {default}).",
        seconds(0, 600, zero_ok=True),
        default="20",
    ),
    Option(
        "transport",
        "HUB_MCP_TRANSPORT",
        "--transport",
        "{choices} (also spelt http).",
        choice(TRANSPORTS, parse_transport),
        default="stdio",
    ),
    Option(
        "host",
        "HUB_MCP_HOST",
        "--host",
        "Listen address for streamable-http (default {default}). Any other than loopback needs"
        " HUB_MCP_AUTH_TOKEN (or --allow-unauthenticated).",
        Kind(str.strip, _kept),
        default="127.0.0.1",
    ),
    Option(
        "port",
        "HUB_MCP_PORT",
        "--port",
        "Listen port for streamable-http (default {default}).",
        whole(0, 65535, "a TCP port"),
        default="8000",
    ),
    Option(
        "auth_token",
        "HUB_MCP_AUTH_TOKEN",
        None,
        "Bearer token every HTTP client must send (Authorization: Bearer ...; environment only); beyond"
        " loopback at least 32 random characters. Never passed on to Docker Hub.",
        secret(parse_secret),
        sample="a-long-random-string",
    ),
    Option(
        "allow_unauthenticated",
        "HUB_MCP_ALLOW_UNAUTHENTICATED",
        "--allow-unauthenticated",
        "Serve HTTP on a non-loopback address without HUB_MCP_AUTH_TOKEN (anyone who reaches it acts with"
        " this server's Docker Hub credentials).",
        SWITCH,
        default="off",
    ),
    Option(
        "oauth_issuer",
        "HUB_MCP_OAUTH_ISSUER",
        "--oauth-issuer",
        "OAuth authorization server whose JWT access tokens HTTP clients send instead of HUB_MCP_AUTH_TOKEN,"
        " e.g. https://login.example.com/realms/team; its keys come from its jwks_uri (OpenID or RFC 8414"
        " discovery); written exactly as the tokens' iss. Needs HUB_MCP_OAUTH_AUDIENCE.",
        optional_url(parse_issuer),
        sample="https://login.example.com/realms/team",
    ),
    Option(
        "oauth_audience",
        "HUB_MCP_OAUTH_AUDIENCE",
        "--oauth-audience",
        "The aud access tokens must carry for this server (with HUB_MCP_OAUTH_ISSUER), usually its public /mcp"
        " URL, e.g. https://mcp.example.com/mcp.",
        optional_text(parse_audience),
        sample="https://mcp.example.com/mcp",
    ),
    Option(
        "oauth_resource",
        "HUB_MCP_OAUTH_RESOURCE",
        "--oauth-resource",
        "This server's public /mcp URL as OAuth clients see it, for /.well-known/oauth-protected-resource"
        " (default: HUB_MCP_OAUTH_AUDIENCE when that is a URL).",
        optional_url(),
        sample="https://mcp.example.com/mcp",
    ),
    Option(
        "oauth_scope",
        "HUB_MCP_OAUTH_SCOPE",
        "--oauth-scope",
        "The scope every access token needs (default {default}).",
        Kind(parse_scope, lambda value, _: parse_scope(value)),
        default="hub-mcp",
    ),
    Option(
        "oauth_write_scope",
        "HUB_MCP_OAUTH_WRITE_SCOPE",
        "--oauth-write-scope",
        "The scope an access token needs besides to call a tool that changes Docker Hub (default {default}).",
        Kind(parse_scope, lambda value, _: parse_scope(value)),
        default="hub-mcp:write",
    ),
    Option(
        "http_header_timeout",
        "HUB_MCP_HTTP_HEADER_TIMEOUT",
        "--http-header-timeout",
        "Seconds an HTTP client has to send a request's headers, on a new connection or between requests on a"
        " kept-alive one; slower connections are closed (default {default}).",
        seconds(0, 300, zero_ok=False),
        default="10",
    ),
    Option(
        "allowed_hosts",
        "HUB_MCP_ALLOWED_HOSTS",
        "--allowed-hosts",
        "Comma-separated Host header values HTTP accepts besides loopback ones, e.g."
        " mcp.example.com,10.0.0.5:8000 (DNS-rebinding protection).",
        text_list(parse_host_patterns),
        default="",
        sample="mcp.example.com",
    ),
    Option(
        "allowed_origins",
        "HUB_MCP_ALLOWED_ORIGINS",
        "--allowed-origins",
        "Comma-separated browser Origins HTTP accepts besides loopback ones, e.g. https://app.example.com.",
        text_list(parse_origins),
        default="",
        sample="https://app.example.com",
    ),
    Option(
        "stateful",
        "HUB_MCP_STATEFUL",
        "--stateful",
        "Keep HTTP sessions (Mcp-Session-Id) and event streams (progress, confirmations) in this process; by"
        " default HTTP is stateless with plain JSON answers, so that replicas behind a load balancer need no"
        " sticky sessions.",
        SWITCH,
        default="off",
    ),
    Option(
        "workers",
        "HUB_MCP_WORKERS",
        "--workers",
        "HTTP worker processes sharing the port (default {default}): each has its own memory cache, so set"
        " HUB_MCP_CACHE_URL for them to share answers and the rate-limit budget. Stateless HTTP only.",
        whole(1, MAX_WORKERS, "a number of processes"),
        default="1",
        sample="2",
    ),
    Option(
        "http_writes",
        "HUB_MCP_HTTP_WRITES",
        "--http-writes",
        "Offer tools that change Docker Hub over HTTP too (off by default: every HTTP client acts with this"
        " server's credentials).",
        SWITCH,
        default="off",
    ),
    Option(
        "cache_url",
        "HUB_MCP_CACHE_URL",
        None,
        "redis://host:6379/0 to share the answer cache and the rate-limit budget between replicas (environment"
        " only: the URL may hold a password). Unreachable: each process caches alone, with a warning.",
        secret(parse_cache_url, keep=parse_cache_url),
        sample="redis://localhost:6379/0",
    ),
    Option(
        "cache_key",
        "HUB_MCP_CACHE_KEY",
        None,
        f"Key of at least {CACHE_KEY_MIN} characters that signs what replicas store in HUB_MCP_CACHE_URL, the same"
        " on every replica (environment only); an entry without its signature is not used. Required when the"
        " Redis is on another host; on this machine entries are unsigned without it."
        f" Make one with: {CACHE_KEY_COMMAND}",
        secret(parse_cache_key, keep=parse_cache_key),
        sample=MAKE_CACHE_KEY,
    ),
    Option(
        "read_only",
        "HUB_MCP_READ_ONLY",
        "--read-only",
        "Offer no tool that changes anything on Docker Hub, whatever the credentials allow.",
        SWITCH,
        default="off",
    ),
    Option(
        "toolsets",
        "HUB_MCP_TOOLSETS",
        "--toolsets",
        f"Tool groups to offer, a comma list of {', '.join(TOOLSETS)}, or all (default {{default}}).",
        text_list(parse_toolsets),
        default="all",
        sample="search,tags",
    ),
    Option(
        "no_docker_config",
        "HUB_MCP_NO_DOCKER_CONFIG",
        "--no-docker-config",
        "Do not read logins from the docker config ($DOCKER_CONFIG/config.json or ~/.docker/config.json,"
        " credential helpers included) when the environment gives none.",
        SWITCH,
        default="off",
    ),
    Option(
        "log_level",
        "HUB_MCP_LOG_LEVEL",
        "--log-level",
        "{choices}; logs go to stderr.",
        choice(LOG_LEVELS, parse_choice(LOG_LEVELS, upper=True)),
        default="WARNING",
    ),
)
OPTIONS_BY_FIELD: dict[str, Option] = {o.field: o for o in OPTIONS}


def default(name: str) -> Any:
    """The default of the setting ``name``, from its :class:`Option` (for :class:`Settings`)."""
    return OPTIONS_BY_FIELD[name].value()


@dataclass(frozen=True)
class Settings:
    """Everything the server needs to know; immutable once built.

    Built by :func:`load_settings` from flags and environment, or directly with typed values
    (tests, benchmarks); either way the values are checked here, by each :class:`Option`'s kind.
    Secrets may be given as plain strings and are kept as :class:`Secret`. The fields are
    :data:`OPTIONS`' (a test keeps the two in step); their defaults come from there.
    """

    hub_url: str = default("hub_url")
    registry_url: str = default("registry_url")
    osv_url: str = default("osv_url")
    dhi_url: str = default("dhi_url")
    username: str | None = default("username")
    pat_token: Secret | None = default("pat_token")
    registry_credentials: Secret | None = default("registry_credentials")
    insecure_registries: tuple[str, ...] = default("insecure_registries")
    allowed_registries: tuple[str, ...] = default("allowed_registries")
    timeout: float = default("timeout")
    call_timeout: float = default("call_timeout")
    max_retries: int = default("max_retries")
    retry_max_wait: float = default("retry_max_wait")
    transport: Transport = default("transport")
    host: str = default("host")
    port: int = default("port")
    log_level: LogLevel = default("log_level")
    read_only: bool = default("read_only")
    auth_token: Secret | None = default("auth_token")
    allow_unauthenticated: bool = default("allow_unauthenticated")
    oauth_issuer: str | None = default("oauth_issuer")
    oauth_audience: str | None = default("oauth_audience")
    oauth_resource: str | None = default("oauth_resource")
    oauth_scope: str = default("oauth_scope")
    oauth_write_scope: str = default("oauth_write_scope")
    http_header_timeout: float = default("http_header_timeout")
    allowed_hosts: tuple[str, ...] = default("allowed_hosts")
    allowed_origins: tuple[str, ...] = default("allowed_origins")
    stateful: bool = default("stateful")
    workers: int = default("workers")
    http_writes: bool = default("http_writes")
    cache_url: Secret | None = default("cache_url")
    cache_key: Secret | None = default("cache_key")
    toolsets: tuple[str, ...] = default("toolsets")
    no_docker_config: bool = default("no_docker_config")
    _logins: tuple[tuple[str, tuple[str, str]], ...] = field(default=(), init=False, repr=False, compare=False)
    _placeholders: tuple[str, ...] = field(default=(), init=False, repr=False, compare=False)
    """The variables :func:`load_settings` ignored because they held the shipped placeholders."""

    def __post_init__(self) -> None:
        def put(name: str, value: object) -> None:
            object.__setattr__(self, name, value)

        for option in OPTIONS:  # each value as its option's kind checks it (bounds, choices, secrets)
            put(option.field, option.kind.check(getattr(self, option.field), option.field))
        credentials = self.registry_credentials
        put("_logins", tuple(_parse_logins(credentials.get_secret_value() if credentials else "")))
        if self.pat_token and not self.username:
            raise ValueError("a token (HUB_PAT_TOKEN) needs the user that owns it (HUB_USERNAME or --username)")
        beyond_loopback = self.transport == "streamable-http" and not is_loopback(self.host)
        weakness = weak_token(self.auth_token.get_secret_value()) if beyond_loopback and self.auth_token else None
        if weakness:
            raise ValueError(
                f"HUB_MCP_AUTH_TOKEN is too easy to guess for a server reachable beyond this machine (listen address"
                f" {self.host}): it {weakness}, e.g. HUB_MCP_AUTH_TOKEN=\"$(python3"
                " -c 'import secrets; print(secrets.token_urlsafe(32))')\" (or openssl rand -hex 32)"
            )
        self._check_oauth()
        if beyond_loopback and not self.auth_token and not self.oauth_issuer:
            if not self.allow_unauthenticated:
                raise ValueError(
                    f"the listen address {self.host} (--host, HUB_MCP_HOST) serves HTTP beyond this machine, and"
                    " without client authentication anyone who reaches it acts with this server's Docker Hub"
                    " credentials: set HUB_MCP_AUTH_TOKEN (clients send Authorization: Bearer <token>) or"
                    " HUB_MCP_OAUTH_ISSUER (clients send your identity provider's access tokens), or pass"
                    " --allow-unauthenticated if a proxy in front authenticates them"
                )

        if self.workers > 1 and self.transport != "streamable-http":
            raise ValueError(
                f"--workers {self.workers} (HUB_MCP_WORKERS) serves HTTP only: add --transport http, or leave"
                " --workers out for stdio"
            )
        if self.workers > 1 and self.stateful:
            raise ValueError(
                f"--stateful keeps each session in one process, and with --workers {self.workers} a session's next"
                " request may reach another worker, which does not know it: leave --stateful out (stateless HTTP"
                " needs no session), or serve one worker"
            )
        if self.cache_url and not self.cache_key and not cache_url_is_local(self.cache_url.get_secret_value()):
            raise ValueError(
                "the shared cache (HUB_MCP_CACHE_URL) is on another host, so whoever can write to that Redis could"
                " make every replica serve what they wrote: set HUB_MCP_CACHE_KEY to the same secret of at least"
                f" {CACHE_KEY_MIN} characters on every replica, e.g. HUB_MCP_CACHE_KEY={MAKE_CACHE_KEY}"
            )

    def _check_oauth(self) -> None:
        """The OAuth settings fit together: an issuer with an audience and a resource URL, not with a static token."""
        if not self.oauth_issuer:
            pairs = (("HUB_MCP_OAUTH_AUDIENCE", self.oauth_audience), ("HUB_MCP_OAUTH_RESOURCE", self.oauth_resource))
            given = [name for name, value in pairs if value]
            if given:
                raise ValueError(
                    f"{' and '.join(given)} {'is' if len(given) == 1 else 'are'} set but HUB_MCP_OAUTH_ISSUER is not:"
                    " set the issuer whose tokens clients send (e.g. HUB_MCP_OAUTH_ISSUER=https://login.example.com),"
                    " or unset them"
                )
            return
        if self.auth_token:
            raise ValueError(
                "HUB_MCP_AUTH_TOKEN and HUB_MCP_OAUTH_ISSUER are both set, and a client authenticates one way: keep"
                " HUB_MCP_OAUTH_ISSUER for your identity provider's tokens, or HUB_MCP_AUTH_TOKEN for one shared"
                " token, and unset the other"
            )
        if self.oauth_issuer.startswith("http://") and not is_loopback(_url_host(self.oauth_issuer)):
            raise ValueError(
                "HUB_MCP_OAUTH_ISSUER is a plain-http URL on another host: its signing keys could be changed on the"
                " way; use its https:// URL"
            )
        if not self.oauth_audience:
            raise ValueError(
                "HUB_MCP_OAUTH_ISSUER needs HUB_MCP_OAUTH_AUDIENCE, the aud its access tokens carry for this server"
                " (usually its public /mcp URL), e.g. HUB_MCP_OAUTH_AUDIENCE=https://mcp.example.com/mcp"
            )
        if not self.resource_url:
            raise ValueError(
                "HUB_MCP_OAUTH_AUDIENCE is not a URL, so set HUB_MCP_OAUTH_RESOURCE to this server's public /mcp URL"
                " (what /.well-known/oauth-protected-resource names), e.g."
                " HUB_MCP_OAUTH_RESOURCE=https://mcp.example.com/mcp"
            )

    @property
    def resource_url(self) -> str | None:
        """This server's public ``/mcp`` URL for OAuth: HUB_MCP_OAUTH_RESOURCE, else the audience when a URL."""
        if self.oauth_resource:
            return self.oauth_resource
        audience = self.oauth_audience or ""
        return audience.rstrip("/") if audience.startswith(("https://", "http://")) else None

    def registry_logins(self) -> dict[str, tuple[str, str]]:
        """Registry host → (user, secret): Docker Hub's from HUB_USERNAME/HUB_PAT_TOKEN, others from
        HUB_MCP_REGISTRY_CREDENTIALS. Malformed entries are refused when the settings are built."""
        logins = dict(self._logins)
        if self.has_credentials:
            assert self.username and self.pat_token
            logins["docker.io"] = (self.username, self.pat_token.get_secret_value())
        return logins

    def placeholder_warning(self) -> str | None:
        """The one warning to log when credentials were left as the shipped placeholders (and so ignored)."""
        names = self._placeholders
        if not names:
            return None
        samples = {option.env: option.sample for option in OPTIONS}
        shown = ", ".join(f"{name}={samples[name]}" for name in names)
        return (
            f"{shown}: {'placeholders' if len(names) > 1 else 'a placeholder'} from hub-mcp's examples"
            " (claude_desktop_config.json), not credentials, so ignored: Docker Hub is read as with none set"
            " (`docker login`'s login if there is one, else anonymously). To log in, put your Docker ID in"
            " HUB_USERNAME and an access token in HUB_PAT_TOKEN; else remove them."
        )

    @property
    def has_credentials(self) -> bool:
        return bool(self.username and self.pat_token)

    @property
    def writes_allowed(self) -> bool:
        """Whether tools that change Docker Hub may be offered: not with --read-only, and over HTTP
        only with HUB_MCP_HTTP_WRITES=1, since every HTTP client acts with this server's credentials."""
        if self.read_only:
            return False
        return self.transport == "stdio" or self.http_writes

    @property
    def stateless(self) -> bool:
        """HTTP keeps no session between requests (the default), so any replica can answer any request."""
        return not self.stateful


PLACEHOLDER_FIELDS = ("username", "pat_token")
"""The options whose sample is the placeholder the project ships for it (claude_desktop_config.json, the
README, the catalog entry's example: ``your-docker-id``, ``dckr_pat_...``). A value equal to it is a
placeholder left in a config file: it counts as not given (tests/config/test_placeholders.py reads the
shipped files and fails if one of theirs stops being recognised)."""


def is_placeholder(option: Option, text: str) -> bool:
    """Whether ``text`` given for ``option`` is the placeholder the project ships for it."""
    sample = option.sample
    return option.field in PLACEHOLDER_FIELDS and sample is not None and text.strip().casefold() == sample.casefold()


TOOLKIT_SECRET = "hub-mcp.pat_token"
TOOLKIT_USERNAME = "username"
"""What Docker's MCP Toolkit calls the token and the Docker ID: the secret's and the parameter's names in
catalog/hub-mcp/server.yaml (tests/test_catalog_entry.py keeps them the same)."""


class SettingError(ValueError):
    """A setting that cannot be used, as one line: where it came from, the value (unless it
    is a secret), what is wrong, and an example of a good value."""


def _shown(value: str) -> str:
    """The value as the message shows it: raw when it is a plain word, else quoted (one line)."""
    if len(value) > 80:
        value = value[:77] + "..."
    if value and value.isprintable() and not any(c.isspace() or c in "'\"" for c in value):
        return value
    return repr(value)


def _refuse(option: Option, from_flag: bool, value: str, problem: str) -> SettingError:
    if from_flag:
        assert option.flag is not None
        where, fix = f"{option.flag} {_shown(value)}", f"use e.g. {option.flag} {option.example}"
    elif option.secret:
        where, fix = option.env, f"set it as e.g. {option.env}={option.example} (the value is not shown)"
    else:
        where, fix = f"{option.env}={_shown(value)}", f"set e.g. {option.env}={option.example}"
    return SettingError(f"{where}: {problem}; {fix}")


def load_settings(flags: Mapping[str, str | None] | None = None, environ: Mapping[str, str] | None = None) -> Settings:
    """Build Settings: a flag given wins over the environment, which wins over the default.

    Values are text (as a command line or environment gives them); a blank variable counts as
    unset. Raises :class:`SettingError` naming the flag or variable of the first bad value.
    """
    environ = os.environ if environ is None else environ
    flags = flags or {}
    values: dict[str, Any] = {}
    from_flag: dict[str, bool] = {}
    placeholders: list[Option] = []
    for option in OPTIONS:
        flag_value = flags.get(option.field)
        if flag_value is not None:
            text, from_flag[option.field] = str(flag_value), True
        elif environ.get(option.env, "").strip():
            text, from_flag[option.field] = environ[option.env], False
        else:
            continue
        if is_placeholder(option, text):
            placeholders.append(option)
            continue
        try:
            values[option.field] = option.parse(text)
        except ValueError as exc:
            raise _refuse(option, from_flag[option.field], text, str(exc)) from None
    if values.get("pat_token") and any(option.field == "username" for option in placeholders):
        raise SettingError(
            f"HUB_USERNAME (or --username) is still the example value {OPTIONS_BY_FIELD['username'].sample} while"
            " HUB_PAT_TOKEN holds a token: set it to the Docker ID that owns the token"
        )
    if values.get("pat_token") and not values.get("username"):
        if flags.get("username") == "":  # `--username=` given empty: the MCP Toolkit's run command, say it its way
            raise SettingError(
                f"the access token (secret {TOOLKIT_SECRET}) is set but the username is empty: set"
                f" {TOOLKIT_USERNAME!r} in hub-mcp's configuration (Docker's MCP Toolkit; elsewhere --username) to"
                " the Docker ID that owns the token, or remove the secret to read anonymously"
            )
        raise SettingError(
            "HUB_PAT_TOKEN is set but HUB_USERNAME is not: set HUB_USERNAME (or --username) to the Docker ID"
            " that owns the token, or unset HUB_PAT_TOKEN to read anonymously"
        )
    try:
        settings = Settings(**values)
    except ValueError as exc:  # every value was checked above; this is a safety net, still one line
        raise SettingError(str(exc)) from None
    object.__setattr__(settings, "_placeholders", tuple(option.env for option in placeholders))
    return settings


__all__ = [
    "OPTIONS",
    "TOOLSETS",
    "LogLevel",
    "Option",
    "Secret",
    "SettingError",
    "Settings",
    "Transport",
    "load_settings",
]
