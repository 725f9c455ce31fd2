"""The egress policy: its rules by name, by resolved address (DNS rebinding), and as a refusal sentence."""

from __future__ import annotations

import pytest

from hub_mcp.config.settings import Settings, load_settings
from hub_mcp.errors import Refused
from hub_mcp.net.egress import EgressPolicy, GuardedBackend, Hop, classify, split_host

STDIO = EgressPolicy(local=True)
HTTP = EgressPolicy(local=False)


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("169.254.169.254", "never"),
        ("::ffff:169.254.169.254", "never"),  # IPv4-mapped
        ("64:ff9b::a9fe:a9fe", "never"),  # NAT64 of 169.254.169.254
        ("::169.254.169.254", "never"),  # IPv4-compatible (RFC 4291)
        ("2002:a9fe:a9fe::", "never"),  # 6to4 of 169.254.169.254 (2002::/16 alone counts as global)
        ("64:ff9b:1::a9fe:a9fe", "never"),  # NAT64 local-use prefix (RFC 8215)
        ("2001:0:4136:e378:8000:63bf:5601:5601", "never"),  # Teredo: client bits inverted = 169.254.169.254
        ("2002:7f00:1::", "internal"),  # 6to4 of 127.0.0.1
        ("::ffff:10.0.0.1", "internal"),
        ("2002:808:808::", "public"),  # 6to4 of 8.8.8.8
        ("::", "never"),
        ("fd00:ec2::254", "never"),
        ("fe80::1", "never"),
        ("100.100.100.200", "never"),
        ("0.0.0.0", "never"),
        ("224.0.0.1", "never"),
        ("127.0.0.1", "internal"),
        ("::1", "internal"),
        ("10.1.2.3", "internal"),
        ("192.168.0.10", "internal"),
        ("172.16.5.4", "internal"),
        ("fd12::1", "internal"),
        ("100.64.0.1", "internal"),  # carrier-grade NAT
        ("8.8.8.8", "public"),
        ("2606:4700::1111", "public"),
    ],
)
def test_addresses_are_classified(address: str, kind: str) -> None:
    assert classify(address) == kind


def refusal(policy: EgressPolicy, url_host: str, port: int | None = None, **hop: str) -> Refused:
    with pytest.raises(Refused) as err:
        policy.check_url(hop.get("scheme", "http"), url_host, port, Hop(**hop) if hop else None)
    return err.value


@pytest.mark.parametrize("policy", [STDIO, HTTP, EgressPolicy(local=True, allowed=["169.254.169.254"])])
@pytest.mark.parametrize("host", ["169.254.169.254", "metadata.google.internal", "fd00:ec2::254", "[fe80::1]"])
def test_link_local_and_metadata_are_refused_always(policy: EgressPolicy, host: str) -> None:
    error = refusal(policy, host)
    assert error.rule == "never"
    assert "cannot be allowed" in str(error)


def test_loopback_is_allowed_under_stdio_and_refused_under_http_with_the_fix() -> None:
    STDIO.check_url("http", "localhost", 5000)
    STDIO.check_url("http", "192.168.1.20", 5000)
    error = refusal(HTTP, "localhost", 5000)
    assert error.rule == "internal"
    assert "'localhost:5000' to HUB_MCP_ALLOWED_REGISTRIES (or --allowed-registries)" in str(error)
    assert str(error).endswith(".")


def test_allow_list_admits_listed_private_hosts_under_http_by_port() -> None:
    policy = EgressPolicy(local=False, allowed=["localhost:5000", "registry.lan"])
    policy.check_url("http", "localhost", 5000)
    policy.check_url("http", "registry.lan", 443)
    assert refusal(policy, "localhost", 5001).rule == "allow-list"


def test_allow_list_restricts_registries_in_any_mode_but_not_the_configured_ones() -> None:
    policy = EgressPolicy(local=True, allowed=["ghcr.io"], configured=["https://registry-1.docker.io"])
    policy.check_url("https", "ghcr.io", None)
    policy.check_url("https", "registry-1.docker.io", None)
    error = refusal(policy, "quay.io", scheme="https")
    assert error.rule == "allow-list" and "'quay.io'" in str(error)


def test_follow_ons_under_an_allow_list_may_reach_public_https_hosts_only() -> None:
    policy = EgressPolicy(local=True, allowed=["ghcr.io"])
    policy.check_url("https", "cdn.example.net", None, Hop(via="ghcr.io", what="a redirect", scheme="https"))
    error = refusal(policy, "cdn.example.net", via="ghcr.io", what="a redirect", scheme="http")
    assert "a redirect from ghcr.io to cdn.example.net" in str(error)


def test_a_public_registry_cannot_lead_inward_even_under_stdio() -> None:
    STDIO.check_url("http", "localhost", 5001, Hop(via="localhost:5000", what="the token realm", scheme="http"))
    error = refusal(STDIO, "127.0.0.1", 6379, via="evil.example", what="a redirect")
    assert error.rule == "inward"
    assert "a redirect from evil.example to 127.0.0.1:6379" in str(error)


def test_split_host_reads_hosts_ports_and_urls() -> None:
    assert split_host("registry.lan:5000") == ("registry.lan", 5000)
    assert split_host("[::1]:5000") == ("::1", 5000)
    assert split_host("https://Hub.Docker.com/") == ("hub.docker.com", None)
    assert split_host("localhost:99999") == ("localhost", None)


def test_the_policy_follows_the_settings() -> None:
    settings = load_settings(
        {}, {"HUB_MCP_ALLOWED_REGISTRIES": "localhost:5000, Registry.LAN", "HUB_MCP_TRANSPORT": "streamable-http"}
    )
    assert settings.allowed_registries == ("localhost:5000", "registry.lan")
    policy = EgressPolicy.from_settings(settings)
    assert not policy.local and policy.listed("localhost", 5000) and policy.listed("hub.docker.com", 443)
    assert Settings().call_timeout == 60.0
    assert load_settings({"call_timeout": "5"}, {}).call_timeout == 5.0


# --- by resolved address ----------------------------------------------------------------------


async def test_a_name_resolving_to_metadata_is_refused_before_connecting() -> None:
    """DNS rebinding: the name passes the name check; its address does not, and no connection is made."""
    connects: list[str] = []

    class Recorder(GuardedBackend):
        pass

    async def resolver(host: str, port: int) -> list[str]:
        return ["93.184.216.34", "169.254.169.254"]

    class Inner:
        async def connect_tcp(self, host: str, port: int, **kw: object) -> object:
            connects.append(host)
            raise AssertionError("must not connect")

    backend = Recorder(STDIO, inner=Inner(), resolver=resolver)  # type: ignore[arg-type]
    STDIO.check_url("https", "rebind.example", 443)  # the name alone is fine
    with pytest.raises(Refused) as err:
        await backend.connect_tcp("rebind.example", 443)
    assert err.value.rule == "never" and connects == []


async def test_the_connection_goes_to_the_checked_address() -> None:
    connects: list[str] = []

    async def resolver(host: str, port: int) -> list[str]:
        return ["10.0.0.7"]

    class Inner:
        async def connect_tcp(self, host: str, port: int, **kw: object) -> str:
            connects.append(host)
            return "stream"

    backend = GuardedBackend(STDIO, inner=Inner(), resolver=resolver)  # type: ignore[arg-type]
    assert await backend.connect_tcp("registry.lan", 5000) == "stream"
    assert connects == ["10.0.0.7"]
    with pytest.raises(Refused):
        await GuardedBackend(HTTP, inner=Inner(), resolver=resolver).connect_tcp("registry.lan", 5000)  # type: ignore[arg-type]


@pytest.mark.parametrize("host", ["[::169.254.169.254]", "[2002:a9fe:a9fe::]", "[64:ff9b:1::a9fe:a9fe]"])
def test_a_redirect_to_an_ipv6_form_of_the_metadata_address_is_refused_before_any_connect(host: str) -> None:
    """Issue 17: these forms were classed public, so the redirect was followed and connect() issued."""
    for policy in (STDIO, HTTP):
        error = refusal(policy, host, via="ghcr.io", what="a redirect", scheme="http")
        assert error.rule == "never", (host, error.rule)


@pytest.mark.parametrize(
    ("written", "kind"),
    [
        ("0177.0.0.1", "internal"),  # octal 127.0.0.1
        ("2130706433", "internal"),  # one 32-bit number
        ("0x7f000001", "internal"),  # hexadecimal
        ("0x7f.1", "internal"),  # two parts: 8 + 24 bits
        ("127.1", "internal"),
        ("012.0.0.1", "internal"),  # octal 10.0.0.1
        ("0251.0376.0251.0376", "never"),  # octal 169.254.169.254
        ("0xa9fea9fe", "never"),
        ("2852039166", "never"),
        ("010.010.010.010", "public"),  # octal 8.8.8.8
    ],
)
def test_the_legacy_ipv4_forms_resolvers_accept_are_classed_as_the_address_they_reach(written: str, kind: str) -> None:
    """Issue 17: getaddrinfo (inet_aton) reads '0177.0.0.1' as 127.0.0.1, but classify refused to read it at
    all and the name check let it pass as a host name; behind a proxy nothing else checks it."""
    assert classify(written) == kind
    if kind != "public":
        error = refusal(HTTP, written)
        assert error.rule == kind
        assert written in str(error)


@pytest.mark.parametrize("name", ["deadbeef", "1.2.3.4.5", "0x", "08.0.0.1", "256.1.1.1", "1.2.3.4a", "4294967296"])
def test_names_that_only_look_numeric_are_not_addresses(name: str) -> None:
    with pytest.raises(ValueError):
        classify(name)


def test_a_same_host_redirect_from_https_to_http_is_refused_and_an_upgrade_is_not() -> None:
    """Issue 17: https://host/ → http://host/ was followed: the request went again in clear text."""
    with pytest.raises(Refused) as err:
        STDIO.check_redirect("https://registry.example/v2/", "http://registry.example/v2/")
    assert err.value.rule == "downgrade"
    assert str(err.value).startswith(
        "hub-mcp refused a redirect from https://registry.example to http://registry.example: it would send the"
        " request again unencrypted"
    )
    STDIO.check_redirect("http://registry.example/v2/", "https://registry.example/v2/")
    STDIO.check_redirect("https://registry.example/v2/", "https://cdn.example/blob")
