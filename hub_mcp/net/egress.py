"""The egress policy: which hosts and addresses hub-mcp may send a request to.

A reference is untrusted input (a model can be steered by a README it read), and so is every
header a registry sends back: a ``Location``, a token realm, a ``Link`` to the next page. Every
outbound request therefore passes this policy twice, both times from :mod:`hub_mcp.net.http`:

1. **By name**, before the request (:meth:`EgressPolicy.check_url`): the URL's host as written,
   and its address when the host is an IP literal (or ``localhost``).
2. **By address**, when a connection is opened (:class:`GuardedBackend`): the host name is
   resolved with ``getaddrinfo`` and *every* address it resolves to is checked; the connection
   is then made to one of those checked addresses, never by name again, so a name that
   resolves to a public address for the check and to ``169.254.169.254`` for the connection
   (DNS rebinding) cannot slip through. TLS still verifies the certificate for the host name.

The rules, in order:

* **Link-local and cloud-metadata** addresses (``169.254.0.0/16``, ``fe80::/10``,
  ``fd00:ec2::254``, ``100.100.100.200``, the "this network", multicast and reserved ranges)
  and metadata host names (``metadata.google.internal``, ...) are always refused.
* **The allow-list** (``HUB_MCP_ALLOWED_REGISTRIES`` / ``--allowed-registries``), when set,
  restricts the registries a reference may name, in any mode. A host listed without a port
  is allowed on any port. The configured Hub, registry, auth and OSV URLs are always allowed.
  Hosts that a request only *leads to* (a redirect, a token realm) need not be listed when
  they are public and spoken to over https: blob downloads are redirected to CDNs, and token
  services live on their own hosts (``auth.docker.io``).
* **Loopback and private** addresses (``127.0.0.0/8``, ``10.0.0.0/8``, ``192.168.0.0/16``,
  ``fc00::/7``, ...) are allowed under stdio, where the local user runs a local registry, and
  refused under streamable-http unless listed. Even under stdio, a redirect or token realm
  may lead to such an address only from the same host: a public registry cannot send us
  into the local network.

An address may be written in the legacy forms ``inet_aton`` still reads (``0177.0.0.1``,
``2130706433``, ``0x7f.1``: all 127.0.0.1); the name check reads them as the address they reach, so
they are refused by name too (behind a proxy, the name check is the only one). A redirect from
https to plain http on the same host is refused whatever the rules above say (:meth:`EgressPolicy.check_redirect`).

A refusal is an :class:`hub_mcp.errors.Refused` sentence naming the host, the rule and how to
allow it (when it can be allowed). This module knows nothing of MCP; it imports ``httpcore``
only for the connection hook.
"""

from __future__ import annotations

import asyncio
import ipaddress
import re
import socket
from collections.abc import Awaitable, Callable, Iterable
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpcore

from hub_mcp.errors import Refused

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

ALLOW_SETTING = "HUB_MCP_ALLOWED_REGISTRIES (or --allowed-registries)"

METADATA_NAMES = frozenset(
    {
        "metadata",
        "metadata.google.internal",
        "metadata.goog",
        "metadata.azure.internal",
        "instance-data",
        "instance-data.ec2.internal",
        "metadata.tencentyun.com",
    }
)
NEVER_NETWORKS = tuple(
    ipaddress.ip_network(net)
    for net in (
        "169.254.0.0/16",  # IPv4 link-local: AWS, GCP, Azure, OpenStack metadata at 169.254.169.254
        "fe80::/10",  # IPv6 link-local
        "fd00:ec2::254/128",  # AWS IMDS over IPv6
        "100.100.100.200/32",  # Alibaba Cloud metadata
        "0.0.0.0/8",  # "this network": connecting to 0.0.0.0 reaches the local host
        "::/128",
        "224.0.0.0/4",  # multicast
        "ff00::/8",
        "240.0.0.0/4",  # reserved, and the broadcast address
    )
)
#: IPv6 prefixes whose last 32 bits are an IPv4 address a translator or tunnel reaches: NAT64's
#: well-known prefix (RFC 6052) and the local-use prefix (RFC 8215), IPv4-compatible addresses
#: (RFC 4291, deprecated but still routed by some stacks).
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = ipaddress.ip_network("::/96")
_CLASSES = ("public", "internal", "never")  # worst last


def _embedded(ip: IPAddress) -> list[IPAddress]:
    """Every address ``ip`` stands for: itself, and the IPv4 address an IPv6 form carries or
    translates to (mapped ``::ffff:a.b.c.d``, compatible ``::a.b.c.d``, NAT64 ``64:ff9b::`` and
    ``64:ff9b:1::``, 6to4 ``2002:AABB:CCDD::``, Teredo's server and client)."""
    out: list[IPAddress] = [ip]
    if not isinstance(ip, ipaddress.IPv6Address):
        return out
    if ip.ipv4_mapped is not None:
        out.append(ip.ipv4_mapped)
    if any(ip in net for net in _NAT64) or (ip in _IPV4_COMPATIBLE and int(ip) > 1):
        out.append(ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF))
    if ip.sixtofour is not None:
        out.append(ip.sixtofour)
    if ip.teredo is not None:
        out.extend(ip.teredo)
    return out


def _classify_one(ip: IPAddress) -> str:
    if any(ip in net for net in NEVER_NETWORKS if net.version == ip.version):
        return "never"
    if ip.is_loopback or not ip.is_global:
        return "internal"
    return "public"


_LEGACY_PART = re.compile(r"^(?:0[xX][0-9a-fA-F]+|0[0-7]*|[1-9][0-9]*)$")


def legacy_ipv4(host: str) -> str | None:
    """The IPv4 address a host written in one of the forms ``inet_aton`` (and so ``getaddrinfo``, curl,
    browsers) still reads stands for, dotted: ``0177.0.0.1``, ``2130706433``, ``0x7f.1`` and ``127.1`` are
    all ``127.0.0.1``. ``None`` when ``host`` is not such a form (a name, or a number out of range)."""
    parts = host.strip("[]").removesuffix(".").split(".")
    if not 1 <= len(parts) <= 4 or not all(_LEGACY_PART.match(part) for part in parts):
        return None
    numbers = [int(part, 16) if part[:2].lower() == "0x" else int(part, 8 if part[:1] == "0" else 10) for part in parts]
    *leading, last = numbers
    if any(n > 0xFF for n in leading) or last >= 1 << (8 * (4 - len(leading))):
        return None
    value = last
    for index, number in enumerate(leading):
        value |= number << (8 * (3 - index))
    return str(ipaddress.IPv4Address(value))


def classify(address: str) -> str:
    """``"never"`` (link-local, metadata, unroutable), ``"internal"`` (loopback, private) or
    ``"public"``; an IPv6 form that embeds or translates an IPv4 address is as bad as the worst
    of the addresses it stands for (``[::169.254.169.254]``, ``[2002:a9fe:a9fe::]`` are never),
    and a legacy IPv4 form (``0177.0.0.1``) as the address it reaches. Raises ``ValueError`` for
    anything that is not an address."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        legacy = legacy_ipv4(address)
        if legacy is None:
            raise
        ip = ipaddress.ip_address(legacy)
    embedded = _embedded(ip)
    if len(embedded) > 1:  # the IPv6 wrapper's own class (2002::/16 counts as global) does not clear it
        return max((_classify_one(a) for a in embedded[1:]), key=_CLASSES.index)
    return _classify_one(ip)


def _literal(host: str) -> str | None:
    """``host`` as an IP address string when it is one (``localhost`` counts as 127.0.0.1)."""
    host = host.strip("[]").lower()
    if host == "localhost" or host.endswith(".localhost"):
        return "127.0.0.1"
    try:
        return str(ipaddress.ip_address(host.split("%", 1)[0]))
    except ValueError:
        return legacy_ipv4(host)


def split_host(text: str) -> tuple[str, int | None]:
    """``registry.lan:5000`` → ``("registry.lan", 5000)``; ``[::1]:5000`` → ``("::1", 5000)``; a URL works too."""
    text = text.strip().lower()
    for prefix in ("https://", "http://"):
        text = text.removeprefix(prefix)
    text = text.split("/", 1)[0]
    if text.startswith("["):
        host, _, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":")
    elif text.count(":") == 1:
        host, _, port_text = text.partition(":")
    else:
        host, port_text = text, ""
    port = int(port_text) if port_text.isdigit() and 0 < int(port_text) < 65536 else None
    return host, port


def _shown(host: str, port: int | None) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"{shown}:{port}" if port else shown


@dataclass(frozen=True)
class Hop:
    """What one request is for: ``via`` is the registry (``host[:port]``) whose answer led to this URL
    (a redirect, a token realm, a next-page link), ``None`` when the URL is the target named itself."""

    via: str | None = None
    what: str = "a request"
    scheme: str = "https"


#: The hop of the request being sent, for the connection hook (set by ``hub_mcp.net.http`` per hop).
CURRENT_HOP: ContextVar[Hop | None] = ContextVar("hub_mcp_egress_hop", default=None)


class EgressPolicy:
    """The rules above for one server process.

    ``local`` is true under stdio. ``allowed`` is the allow-list (``host`` or ``host:port``
    entries; empty = no restriction); ``configured`` are the URLs (or hosts) set in the
    configuration, always allowed.
    """

    def __init__(self, *, local: bool = True, allowed: Iterable[str] = (), configured: Iterable[str] = ()) -> None:
        self.local = local
        self.allowed = tuple(split_host(entry) for entry in allowed if entry.strip())
        self.configured = tuple(split_host(entry) for entry in configured if entry.strip())
        self.refusals = 0

    @classmethod
    def from_settings(cls, settings: Any) -> EgressPolicy:
        return cls(
            local=settings.transport == "stdio",
            allowed=getattr(settings, "allowed_registries", ()),
            configured=(
                settings.hub_url,
                settings.registry_url,
                getattr(settings, "osv_url", ""),
                getattr(settings, "dhi_url", ""),
            ),
        )

    def listed(self, host: str, port: int | None) -> bool:
        """Named by the allow-list or the configuration (a listed host without a port: any port)."""
        host = host.lower().strip("[]")
        return any(h == host and (p is None or p == port) for h, p in (*self.allowed, *self.configured))

    def check_url(self, scheme: str, host: str, port: int | None, hop: Hop | None = None) -> None:
        """Refuse, before sending, a URL whose host breaks a rule by its name or literal address."""
        hop = hop or Hop(scheme=scheme)
        host = host.lower().strip("[]")
        if scheme not in ("http", "https"):
            self._refuse(host, port, hop, "never", f"hub-mcp speaks only http and https, not {scheme!r}")
        if host.rstrip(".") in METADATA_NAMES:
            self._refuse(host, port, hop, "never", "it is a cloud-metadata host name")
        literal = _literal(host)
        self._check(host, port, [literal] if literal else [], hop, scheme)

    def check_redirect(self, origin: str, target: str) -> None:
        """Refuse a redirect that turns https into plain http on the same host: the request would be sent
        again unencrypted, to be read or changed on the way (an upgrade, or another host, is for the other
        rules). ``origin`` and ``target`` are URLs."""
        old, new = urlsplit(origin), urlsplit(target)
        if old.scheme == "https" and new.scheme == "http" and (old.hostname or "") == (new.hostname or ""):
            host = (new.hostname or "").lower()
            shown = f"[{host}]" if ":" in host else host
            self.refusals += 1
            raise Refused(
                f"hub-mcp refused a redirect from https://{shown} to http://{shown}: it would send the request again"
                " unencrypted (a downgrade from https), where it can be read and changed on the way; the registry is"
                " misconfigured, so ask its operator to keep it on https.",
                rule="downgrade",
                host=shown,
            )

    def check_addresses(self, host: str, port: int | None, addresses: list[str], hop: Hop | None) -> None:
        """Refuse a connection when any address ``host`` resolved to breaks a rule."""
        hop = hop or Hop()
        self._check(host.lower().strip("[]"), port, addresses, hop, hop.scheme)

    def _check(self, host: str, port: int | None, addresses: list[str], hop: Hop, scheme: str) -> None:
        kinds = {classify(address) for address in addresses}
        if "never" in kinds:
            self._refuse(host, port, hop, "never", "it is a link-local or cloud-metadata address")
        listed = self.listed(host, port)
        if listed:
            return
        if self.allowed:
            if hop.via is None:
                self._refuse(host, port, hop, "allow-list", f"it is not in {ALLOW_SETTING}")
            if scheme != "https" or "internal" in kinds:
                self._refuse(
                    host, port, hop, "allow-list", f"it is not in {ALLOW_SETTING} and is not a public https host"
                )
        if "internal" in kinds:
            if not self.local:
                self._refuse(
                    host,
                    port,
                    hop,
                    "internal",
                    "loopback and private addresses are refused when the server runs over HTTP",
                )
            if hop.via is not None and split_host(hop.via)[0] != host:
                self._refuse(
                    host,
                    port,
                    hop,
                    "inward",
                    f"{hop.via} may not lead to a loopback or private address on another host",
                )

    def _refuse(self, host: str, port: int | None, hop: Hop, rule: str, why: str) -> None:
        self.refusals += 1
        target = _shown(host, port)
        legacy = legacy_ipv4(host)
        reaches = f" ({legacy})" if legacy and legacy != host else ""  # 0177.0.0.1 (127.0.0.1)
        lead = f"{hop.what} from {hop.via} to {target}{reaches}" if hop.via else f"{hop.what} to {target}{reaches}"
        if rule == "never":
            fix = "this cannot be allowed"
        else:
            fix = f"to allow it, add {target!r} to {ALLOW_SETTING}"
            if rule == "internal" and not self.allowed:
                fix += " (or run the server over stdio)"
        raise Refused(f"hub-mcp refused {lead}: {why}; {fix}.", rule=rule, host=target)


# --- the connection hook ---------------------------------------------------------------------

Resolver = Callable[[str, int], Awaitable[list[str]]]


async def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to (TCP), in the resolver's order, without duplicates."""
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    out: list[str] = []
    for _family, _type, _proto, _canon, sockaddr in infos:
        address = str(sockaddr[0])
        if address not in out:
            out.append(address)
    return out


class GuardedBackend(httpcore.AsyncNetworkBackend):
    """httpcore's network backend with the policy between name resolution and connect.

    The host is resolved once, all its addresses are checked, and the TCP connection goes to
    a checked address (tried in order). httpcore starts TLS on that connection with the host
    *name* as server name, so certificates are verified as usual.
    """

    def __init__(
        self, policy: EgressPolicy, inner: httpcore.AsyncNetworkBackend | None = None, resolver: Resolver = resolve
    ) -> None:
        self.policy = policy
        self._inner = inner or httpcore.AnyIOBackend()
        self._resolve = resolver

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        try:
            async with asyncio.timeout(timeout):
                addresses = await self._resolve(host, port)
        except TimeoutError:
            raise httpcore.ConnectTimeout(f"resolving {host} timed out") from None
        except OSError as exc:
            raise httpcore.ConnectError(f"cannot resolve {host}: {exc.strerror or exc}") from None
        if not addresses:
            raise httpcore.ConnectError(f"{host} resolves to no address")
        self.policy.check_addresses(host, port, addresses, CURRENT_HOP.get())
        last: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(
                    address, port, timeout=timeout, local_address=local_address, socket_options=socket_options
                )
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                last = exc
        assert last is not None
        raise last

    async def connect_unix_socket(
        self, path: str, timeout: float | None = None, socket_options: Iterable[Any] | None = None
    ) -> httpcore.AsyncNetworkStream:
        raise httpcore.ConnectError("hub-mcp does not connect to unix sockets")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


__all__ = [
    "CURRENT_HOP",
    "EgressPolicy",
    "GuardedBackend",
    "Hop",
    "Resolver",
    "classify",
    "legacy_ipv4",
    "resolve",
    "split_host",
]
