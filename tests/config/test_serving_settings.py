"""Settings for serving over HTTP and sharing a cache: the transport's spellings, the refusal to
serve beyond loopback without client authentication, the write-tools rule, the allow-lists."""

from __future__ import annotations

import pytest

from hub_mcp.__main__ import describe_http, main, parse_settings
from hub_mcp.config.settings import SettingError, Settings, is_loopback, load_settings

TOKEN = "client-token-s3cret-0123456789abcdef"  # 32+ characters: it serves beyond loopback


def test_http_is_the_same_transport_as_streamable_http() -> None:
    assert parse_settings(["--transport", "http"]).transport == "streamable-http"
    assert parse_settings(["--transport", "streamable-http"]).transport == "streamable-http"
    assert load_settings(environ={"HUB_MCP_TRANSPORT": "HTTP"}).transport == "streamable-http"
    assert Settings(transport="http").transport == "streamable-http"
    with pytest.raises(SettingError, match=r"^--transport sse: not one of stdio, streamable-http"):
        parse_settings(["--transport", "sse"])


@pytest.mark.parametrize("host", ["0.0.0.0", "::", "10.0.0.5", "mcp.internal"])
def test_a_non_loopback_bind_without_client_auth_refuses_to_start(
    host: str, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--transport", "http", "--host", host])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith(f"hub-mcp: the listen address {host} (--host, HUB_MCP_HOST) serves HTTP beyond this machine")
    assert "HUB_MCP_AUTH_TOKEN" in err and "--allow-unauthenticated" in err


@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.5"])
def test_a_non_loopback_bind_starts_with_a_token_or_when_told_it_may(host: str) -> None:
    with_token = load_settings({"transport": "http", "host": host}, {"HUB_MCP_AUTH_TOKEN": TOKEN})
    assert with_token.auth_token is not None and with_token.auth_token.get_secret_value() == TOKEN
    told = parse_settings(["--transport", "http", "--host", host, "--allow-unauthenticated"])
    assert told.allow_unauthenticated and told.auth_token is None
    with pytest.raises(ValueError, match="serves HTTP beyond this machine"):
        Settings(transport="streamable-http", host=host)


@pytest.mark.parametrize(
    ("token", "rule"),
    [
        ("x", "): it is 1 character; use at least 32 random ones, e.g."),
        ("s3cret", "): it is 6 characters; use at least 32 random ones, e.g."),
        ("a" * 31, "): it is 31 characters; use at least 32 random ones, e.g."),
        ("ab" * 20, "): it has only 2 different characters; use a random one, e.g."),
        ("a" * 40, "): it has only 1 different character; use a random one, e.g."),
    ],
)
@pytest.mark.parametrize("host", ["0.0.0.0", "10.0.0.5"])
def test_a_guessable_token_beyond_loopback_refuses_to_start_saying_which_rule_and_how_to_make_one(
    host: str, token: str, rule: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Issue 17: a one-character HUB_MCP_AUTH_TOKEN was accepted on 0.0.0.0; then a 40-character "aaaa..." was
    told to "use at least 32 characters", which it had: the sentence says which rule the token breaks."""
    monkeypatch.setenv("HUB_MCP_AUTH_TOKEN", token)
    with pytest.raises(SystemExit) as stopped:
        main(["--transport", "http", "--host", host])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == "" and err.count("\n") == 1
    assert err.startswith("hub-mcp: HUB_MCP_AUTH_TOKEN is too easy to guess for a server reachable beyond this machine")
    assert rule in err and "secrets.token_urlsafe(32)" in err
    assert len(token) < 5 or token not in err  # never shown (a one-character token is in any sentence)
    with pytest.raises(ValueError, match="too easy to guess"):
        Settings(transport="streamable-http", host=host, auth_token=token)


def test_a_short_token_is_the_users_business_on_loopback() -> None:
    settings = Settings(transport="streamable-http", host="127.0.0.1", auth_token="x")
    assert settings.auth_token is not None and settings.auth_token.get_secret_value() == "x"


@pytest.mark.parametrize("host", ["127.0.0.1", "127.0.0.9", "localhost", "::1", "[::1]"])
def test_loopback_binds_need_no_client_auth(host: str) -> None:
    assert is_loopback(host)
    assert Settings(transport="streamable-http", host=host).auth_token is None


def test_stdio_ignores_the_listen_address() -> None:
    assert Settings(transport="stdio", host="0.0.0.0").host == "0.0.0.0"


def test_the_client_token_never_shows() -> None:
    settings = load_settings(environ={"HUB_MCP_AUTH_TOKEN": TOKEN})
    assert TOKEN not in repr(settings) and TOKEN not in str(settings.auth_token)


@pytest.mark.parametrize(
    ("transport", "read_only", "http_writes", "allowed"),
    [
        ("stdio", False, False, True),
        ("stdio", True, False, False),
        ("stdio", True, True, False),
        ("streamable-http", False, False, False),
        ("streamable-http", False, True, True),
        ("streamable-http", True, True, False),
    ],
)
def test_write_tools_over_http_only_when_asked(
    transport: str, read_only: bool, http_writes: bool, allowed: bool
) -> None:
    settings = Settings(transport=transport, read_only=read_only, http_writes=http_writes)  # type: ignore[arg-type]
    assert settings.writes_allowed is allowed


def test_http_writes_from_the_environment_and_the_flag() -> None:
    assert load_settings({"transport": "http"}, {"HUB_MCP_HTTP_WRITES": "1"}).writes_allowed is True
    assert parse_settings(["--transport", "http", "--http-writes"]).writes_allowed is True
    assert parse_settings(["--transport", "http"]).writes_allowed is False


def test_http_is_stateless_unless_asked_for_sessions() -> None:
    assert parse_settings([]).stateless is True
    assert parse_settings(["--stateful"]).stateless is False
    assert load_settings(environ={"HUB_MCP_STATEFUL": "yes"}).stateless is False


def test_allow_lists_parse_and_bad_entries_are_one_line() -> None:
    settings = load_settings(
        environ={"HUB_MCP_ALLOWED_HOSTS": "MCP.example.com, 10.0.0.5:8000", "HUB_MCP_ALLOWED_ORIGINS": "https://a.io/"}
    )
    assert settings.allowed_hosts == ("mcp.example.com", "10.0.0.5:8000")
    assert settings.allowed_origins == ("https://a.io",)
    with pytest.raises(SettingError, match=r"^HUB_MCP_ALLOWED_ORIGINS=a.io: each entry must be an origin"):
        load_settings(environ={"HUB_MCP_ALLOWED_ORIGINS": "a.io"})
    with pytest.raises(SettingError, match=r"^--allowed-hosts https://x: each entry must be a host name"):
        parse_settings(["--allowed-hosts", "https://x"])


CACHE_KEY = "0123456789abcdef0123456789abcdef-cache-key"


def test_the_cache_url_is_a_redis_url_never_shown() -> None:
    url = "redis://:p4ssw0rd@cache:6379/0"
    settings = load_settings(environ={"HUB_MCP_CACHE_URL": url, "HUB_MCP_CACHE_KEY": CACHE_KEY})
    assert settings.cache_url is not None and settings.cache_url.get_secret_value() == url
    assert "p4ssw0rd" not in repr(settings)
    with pytest.raises(SettingError) as refused:
        load_settings(environ={"HUB_MCP_CACHE_URL": "http://:p4ssw0rd@cache"})
    assert str(refused.value).startswith("HUB_MCP_CACHE_URL: not a redis://") and "p4ssw0rd" not in str(refused.value)


def test_the_start_line_says_how_http_is_protected() -> None:
    line = describe_http(Settings(transport="http", auth_token=TOKEN, port=9000))
    assert line.endswith(
        "MCP on http://127.0.0.1:9000/mcp (stateless; clients need HUB_MCP_AUTH_TOKEN; no write tools)"
    )
    assert TOKEN not in line
    assert "[::1]:8000" in describe_http(Settings(transport="http", host="::1"))


@pytest.mark.parametrize(
    "url", ["redis://redis.internal:6379/0", "rediss://:p4ssw0rd@cache.example.com:6380/0", "redis://10.0.0.5", "redis://[fd00::1]"]
)
def test_a_redis_on_another_host_without_a_signing_key_refuses_to_start(
    url: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HUB_MCP_CACHE_URL", url)
    monkeypatch.delenv("HUB_MCP_CACHE_KEY", raising=False)
    with pytest.raises(SystemExit) as stopped:
        main([])
    out, err = capsys.readouterr()
    assert stopped.value.code == 2 and out == "" and len(err.strip().splitlines()) == 1
    assert "set HUB_MCP_CACHE_KEY to the same secret of at least 32 characters on every replica" in err
    assert "secrets.token_hex(32)" in err and "p4ssw0rd" not in err
    monkeypatch.setenv("HUB_MCP_CACHE_KEY", CACHE_KEY)
    settings = load_settings()
    assert settings.cache_key is not None and settings.cache_key.get_secret_value() == CACHE_KEY


@pytest.mark.parametrize("url", ["redis://127.0.0.1:6379/0", "redis://localhost", "redis://[::1]:6379", "unix:///run/redis.sock"])
def test_a_redis_on_this_machine_needs_no_key(url: str) -> None:
    assert load_settings(environ={"HUB_MCP_CACHE_URL": url}).cache_key is None


def test_a_short_cache_key_is_refused_without_being_shown() -> None:
    short = "tooshort-s3cret"
    with pytest.raises(SettingError) as refused:
        load_settings(environ={"HUB_MCP_CACHE_URL": "redis://cache:6379", "HUB_MCP_CACHE_KEY": short})
    assert str(refused.value).startswith("HUB_MCP_CACHE_KEY: too short: a signing key needs at least 32 characters")
    assert short not in str(refused.value)
    assert CACHE_KEY not in repr(Settings(cache_url="redis://cache:6379", cache_key=CACHE_KEY))
    with pytest.raises(ValueError, match="too short"):
        Settings(cache_key=short)
